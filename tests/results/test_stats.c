// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mann-Whitney U, Hodges-Lehmann and the geometric mean on fixed samples.
 * Reference values are textbook ones where there is one, otherwise printed by
 * stats_reference.py, which enumerates every split instead of running a
 * dynamic programme (its docstring states each formula).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <faultresults/stats.h>

#include "draw.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_close(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * (want != 0 ? fabs(want) : 1)))
		fail_msg("got %.17g, want %.17g", got, want);
}

/* The samples stats_reference.py uses. */
static const double ties_x[] = { 1.1, 2.2, 2.2, 3.3, 4.4 };
static const double ties_y[] = { 2.2, 3.3, 3.3, 5.5, 6.6, 7.7 };
static const double hl_x[] = { 10.2, 11.5, 9.8, 10.9, 10.4, 11.1 };
static const double hl_y[] = { 11.0, 12.3, 11.8, 10.7, 12.9, 11.6, 12.1 };
static const double ratio_x[] = { 100, 104, 98, 101, 103 };
static const double ratio_y[] = { 95, 97, 94, 99, 96 };

/* Complete separation of 5 and 5: 2 of the C(10, 5) = 252 splits are as extreme. */
static void test_mann_whitney_separated_five_a_side(void **state)
{
	const double x[] = { 1, 2, 3, 4, 5 }, y[] = { 6, 7, 8, 9, 10 };
	struct fr_mann_whitney r;

	assert_int_equal(fr_mann_whitney(x, 5, y, 5, &r), 0);
	assert_true(r.exact);
	assert_close(r.u, 0);
	assert_close(r.p, 2.0 / 252);
	/* the other way round: U is the complement, p the same */
	assert_int_equal(fr_mann_whitney(y, 5, x, 5, &r), 0);
	assert_close(r.u, 25);
	assert_close(r.p, 2.0 / 252);
	assert_close(fr_mann_whitney_min_p(5, 5), 2.0 / 252);
}

/* 3 and 3 can never be told apart at 5%: the best p is 2 / C(6, 3). */
static void test_mann_whitney_three_a_side(void **state)
{
	const double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	struct fr_mann_whitney r;

	assert_int_equal(fr_mann_whitney(x, 3, y, 3, &r), 0);
	assert_close(r.p, 0.1);
	assert_close(fr_mann_whitney_min_p(3, 3), 0.1);
	assert_close(fr_mann_whitney_min_p(1, 1), 1);
	assert_close(fr_mann_whitney_min_p(0, 4), 1);
}

static void test_mann_whitney_exact_with_ties(void **state)
{
	struct fr_mann_whitney r;

	assert_int_equal(fr_mann_whitney(ties_x, N(ties_x), ties_y, N(ties_y), &r), 0);
	assert_true(r.exact);
	assert_close(r.u, 6);
	assert_close(r.p, 0.12337662337662338);
	/* the larger side first: the table is built for the smaller one all the same */
	assert_int_equal(fr_mann_whitney(ties_y, N(ties_y), ties_x, N(ties_x), &r), 0);
	assert_close(r.u, 30 - 6);
	assert_close(r.p, 0.12337662337662338);
}

/* 25 and 25 is still exact: 2 of C(50, 25) splits, where the normal says 1.4e-9. */
static void test_mann_whitney_exact_up_to_fifty(void **state)
{
	double x[25], y[25];
	struct fr_mann_whitney r;

	for (int i = 0; i < 25; i++) {
		x[i] = i;
		y[i] = 100 + i;
	}
	assert_int_equal(fr_mann_whitney(x, 25, y, 25, &r), 0);
	assert_true(r.exact);
	assert_close(r.p, 2 / 126410606437752.0);
	assert_close(fr_mann_whitney_min_p(25, 25), r.p);
	/* past the table, the normal's p for U = 0: z = (338 - 1/2) / sqrt(676 * 53 / 12) */
	assert_close(fr_mann_whitney_min_p(26, 26), erfc(337.5 / sqrt(676 * 53 / 12.0) / M_SQRT2));
}

/* 58 samples with heavy ties: the normal approximation, tie-corrected. */
static void test_mann_whitney_normal_with_ties(void **state)
{
	double x[30], y[28];
	struct fr_mann_whitney r;

	for (int i = 0; i < 30; i++)
		x[i] = i * 7 % 13;
	for (int j = 0; j < 28; j++)
		y[j] = j * 5 % 11 + 2;
	assert_int_equal(fr_mann_whitney(x, 30, y, 28, &r), 0);
	assert_false(r.exact);
	assert_close(r.u, 337.5);
	assert_close(r.p, 0.20055646782322736);
}

static void test_mann_whitney_all_tied_is_p_one(void **state)
{
	double v[60];
	struct fr_mann_whitney r;

	for (int i = 0; i < 60; i++)
		v[i] = 7;
	assert_int_equal(fr_mann_whitney(v, 4, v + 4, 5, &r), 0);
	assert_true(r.exact);
	assert_close(r.p, 1);
	assert_int_equal(fr_mann_whitney(v, 30, v + 30, 30, &r), 0);
	assert_false(r.exact);
	assert_close(r.p, 1);
}

static void test_refuses_bad_samples(void **state)
{
	const double good[] = { 1, 2 }, nan[] = { 1, NAN }, zero[] = { 0, 1 };
	struct fr_mann_whitney u;
	struct fr_interval i;

	assert_int_equal(fr_mann_whitney(good, 0, good, 2, &u), -EINVAL);
	assert_int_equal(fr_mann_whitney(good, 2, nan, 2, &u), -EINVAL);
	assert_int_equal(fr_hodges_lehmann(good, 2, good, 0, &i), -EINVAL);
	assert_int_equal(fr_hodges_lehmann(nan, 2, good, 2, &i), -EINVAL);
	assert_int_equal(fr_hodges_lehmann(zero, 2, good, 2, &i), 0);
	assert_int_equal(fr_hodges_lehmann_ratio(zero, 2, good, 2, &i), -EINVAL);
}

/* 6 and 7: c = 7, so the interval holds with 1 - 2 P(U <= 6) = 0.965. */
static void test_hodges_lehmann_exact_interval(void **state)
{
	struct fr_interval r;

	assert_int_equal(fr_hodges_lehmann(hl_x, N(hl_x), hl_y, N(hl_y), &r), 0);
	assert_close(r.estimate, 1.1999999999999993);
	assert_close(r.lo, 0.09999999999999964);
	assert_close(r.hi, 2.0);
	assert_close(r.level, 0.965034965034965);
}

/* 30 and 30: past the exact table, c = 317 from the normal approximation. */
static void test_hodges_lehmann_normal_interval(void **state)
{
	double x[30], y[30];
	struct fr_interval r;

	for (int i = 0; i < 30; i++) {
		x[i] = 100 + (i * 37 % 101) / 10.0;
		y[i] = 103 + (i * 53 % 97) / 10.0;
	}
	assert_int_equal(fr_hodges_lehmann(x, 30, y, 30, &r), 0);
	assert_close(r.estimate, 2.5999999999999943);
	assert_close(r.lo, 1.0);
	assert_close(r.hi, 4.200000000000003);
	assert_true(fabs(r.level - 0.9515865005351863) < 1e-9);
}

/*
 * 26 and 26 spread so that the 676 differences j - 26 i are the integers
 * -650 .. 25, the k-th smallest -651 + k: the interval shows c itself.
 * c = floor(338 + 1/2 - 1.96 sqrt(676 * 53 / 12)) = 231; without the
 * continuity correction's 1/2 it would be 230.
 */
static void test_hodges_lehmann_normal_rank(void **state)
{
	double x[26], y[26];
	struct fr_interval r;

	for (int i = 0; i < 26; i++) {
		x[i] = 26 * i;
		y[i] = i;
	}
	assert_int_equal(fr_hodges_lehmann(x, 26, y, 26, &r), 0);
	assert_close(r.estimate, -312.5);
	assert_close(r.lo, -651 + 231);
	assert_close(r.hi, -651 + 676 + 1 - 231);
	assert_true(fabs(r.level - 0.9508603480876289) < 1e-9);
}

/* Five and five: c = 3 (P(U <= 2) = 4/252), the 3rd smallest to the 3rd largest of 25. */
static void test_hodges_lehmann_five_a_side(void **state)
{
	const double x[] = { 0, 10, 20, 30, 40 }, y[] = { 1, 2, 3, 4, 5 };
	struct fr_interval r;

	assert_int_equal(fr_hodges_lehmann(x, 5, y, 5, &r), 0);
	/* differences: 1..5, -9..-5, -19..-15, -29..-25, -39..-35 */
	assert_close(r.estimate, -17);
	assert_close(r.lo, -37);
	assert_close(r.hi, 3);
	assert_close(r.level, 1 - 8.0 / 252);
}

static void test_hodges_lehmann_three_a_side_has_no_interval(void **state)
{
	const double x[] = { 1, 2, 3 }, y[] = { 2, 3, 4 };
	struct fr_interval r;

	assert_int_equal(fr_hodges_lehmann(x, 3, y, 3, &r), 0);
	assert_close(r.estimate, 1);
	assert_true(isnan(r.lo) && isnan(r.hi));
	assert_close(r.level, 0);
}

static void test_hodges_lehmann_ratio(void **state)
{
	struct fr_interval r;

	assert_int_equal(fr_hodges_lehmann_ratio(ratio_x, 5, ratio_y, 5, &r), 0);
	assert_close(r.estimate, 0.9504950495049501);
	assert_close(r.lo, 0.9134615384615385);
	assert_close(r.hi, 0.9897959183673466);
}

static void test_geomean(void **state)
{
	const double g[] = { 1, 4, 16 }, bad[] = { 4, 0 };

	assert_close(fr_geomean(g, 3), 4);
	assert_true(isnan(fr_geomean(bad, 2)));
	assert_true(isnan(fr_geomean(g, 0)));
}

/*
 * 1000 pairs of 8 normal samples a side, shifted by 1: the interval must
 * cover the shift about 95% of the time (its level is 0.950), neither much
 * less nor much more (an interval that is far too wide also fails).
 */
static void test_hodges_lehmann_interval_coverage(void **state)
{
	uint64_t rng = 1;
	int covered = 0;

	for (int t = 0; t < 1000; t++) {
		double x[8], y[8];
		struct fr_interval r;

		for (int i = 0; i < 8; i++) {
			x[i] = 10 + draw_normal(&rng);
			y[i] = 11 + draw_normal(&rng);
		}
		assert_int_equal(fr_hodges_lehmann(x, 8, y, 8, &r), 0);
		covered += r.lo <= 1 && 1 <= r.hi;
	}
	print_message("Hodges-Lehmann interval covered %d of 1000\n", covered);
	assert_in_range(covered, 930, 975);
}

/* The pairs stats_reference.py uses: a zero to drop and a tie of |d| (-0.3, -0.3). */
static const double paired[] = { 0.8, -0.3, 1.9, 1.1, 0.4, 2.6, -0.3, 1.5, 0.0, 0.9, 1.2 };

static void test_signed_rank_exact(void **state)
{
	struct fr_signed_rank r;

	assert_int_equal(fr_signed_rank(paired, N(paired), &r), 0);
	assert_true(r.exact);
	assert_int_equal(r.n, 10);
	assert_close(r.t_plus, 52.0);
	assert_close(r.p, 0.009765625);
	/* all of 10 pairs one way: 2 of the 2^10 assignments */
	assert_close(fr_signed_rank_min_p(10), 2.0 / 1024);
	assert_close(fr_signed_rank_min_p(7), 2.0 / 128);
}

static void test_signed_rank_normal(void **state)
{
	double d[60];
	struct fr_signed_rank r;

	for (int i = 0; i < 60; i++)
		d[i] = ((i * 37) % 23 - 8) / 4.0;
	assert_int_equal(fr_signed_rank(d, 60, &r), 0);
	assert_false(r.exact);
	assert_close(r.t_plus, 1236.5);
	assert_close(r.p, 0.0031931475095048584);
}

/* Every pair the same: nothing to rank, so no evidence either way. */
static void test_signed_rank_no_difference(void **state)
{
	const double d[] = { 0, 0, 0, 0 };
	struct fr_signed_rank r;

	assert_int_equal(fr_signed_rank(d, 4, &r), 0);
	assert_int_equal(r.n, 0);
	assert_close(r.p, 1);
	assert_int_equal(fr_signed_rank(d, 0, &r), -EINVAL);
}

static void test_hodges_lehmann_paired(void **state)
{
	const double five[] = { 1, 2, 3, 4, 5 };
	struct fr_interval r;

	assert_int_equal(fr_hodges_lehmann_paired(paired, N(paired), &r), 0);
	assert_close(r.estimate, 0.875);
	assert_close(r.lo, 0.25);
	assert_close(r.hi, 1.5);
	assert_true(r.level >= 0.95);
	/* 5 pairs: even all one way is 1 / 32 a tail, above 2.5% */
	assert_int_equal(fr_hodges_lehmann_paired(five, 5, &r), 0);
	assert_close(r.estimate, 3);
	assert_true(isnan(r.lo) && isnan(r.hi));
	assert_close(r.level, 0);
}

/* A drift shared by both sides of each round cancels: only the 2% is left. */
static void test_hodges_lehmann_paired_ratio(void **state)
{
	double x[8], y[8];
	struct fr_interval r;

	for (int i = 0; i < 8; i++) {
		x[i] = 100 * (1 + 0.3 * (i % 3)) * (1 + 0.001 * (i % 2));
		y[i] = x[i] * 1.02;
	}
	assert_int_equal(fr_hodges_lehmann_paired_ratio(x, y, 8, &r), 0);
	assert_close(r.estimate, 1.02);
	assert_close(r.lo, 1.02);
	assert_close(r.hi, 1.02);
	x[3] = -1;
	assert_int_equal(fr_hodges_lehmann_paired_ratio(x, y, 8, &r), -EINVAL);
}

/*
 * 1000 sets of 12 pairs, shifted by 1 with noise: Tukey's interval covers
 * the shift about 95% of the time (its exact level is 0.958 at 12 pairs).
 */
static void test_hodges_lehmann_paired_coverage(void **state)
{
	uint64_t rng = 7;
	int covered = 0;

	for (int t = 0; t < 1000; t++) {
		double d[12];
		struct fr_interval r;

		for (int i = 0; i < 12; i++)
			d[i] = 1 + draw_normal(&rng);
		assert_int_equal(fr_hodges_lehmann_paired(d, 12, &r), 0);
		covered += r.lo <= 1 && 1 <= r.hi;
	}
	print_message("paired Hodges-Lehmann interval covered %d of 1000\n", covered);
	assert_in_range(covered, 935, 980);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mann_whitney_separated_five_a_side),
		cmocka_unit_test(test_mann_whitney_three_a_side),
		cmocka_unit_test(test_mann_whitney_exact_with_ties),
		cmocka_unit_test(test_mann_whitney_exact_up_to_fifty),
		cmocka_unit_test(test_mann_whitney_normal_with_ties),
		cmocka_unit_test(test_mann_whitney_all_tied_is_p_one),
		cmocka_unit_test(test_refuses_bad_samples),
		cmocka_unit_test(test_hodges_lehmann_exact_interval),
		cmocka_unit_test(test_hodges_lehmann_normal_interval),
		cmocka_unit_test(test_hodges_lehmann_normal_rank),
		cmocka_unit_test(test_hodges_lehmann_five_a_side),
		cmocka_unit_test(test_hodges_lehmann_three_a_side_has_no_interval),
		cmocka_unit_test(test_hodges_lehmann_ratio),
		cmocka_unit_test(test_geomean),
		cmocka_unit_test(test_hodges_lehmann_interval_coverage),
		cmocka_unit_test(test_signed_rank_exact),
		cmocka_unit_test(test_signed_rank_normal),
		cmocka_unit_test(test_signed_rank_no_difference),
		cmocka_unit_test(test_hodges_lehmann_paired),
		cmocka_unit_test(test_hodges_lehmann_paired_ratio),
		cmocka_unit_test(test_hodges_lehmann_paired_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
