// SPDX-License-Identifier: GPL-2.0-only
/*
 * The percentile bootstrap of a geometric mean of ratios: the same values as
 * an independent implementation (stats_reference.py), the same interval for
 * the same seed, and the coverage its level promises.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <faultresults/stats.h>

#include "draw.h"

static const double ratio_x[] = { 100, 104, 98, 101, 103 };
static const double ratio_y[] = { 95, 97, 94, 99, 96 };
static const double hl_x[] = { 10.2, 11.5, 9.8, 10.9, 10.4, 11.1 };
static const double hl_y[] = { 11.0, 12.3, 11.8, 10.7, 12.9, 11.6, 12.1 };
static const struct fr_sample_pair pairs[] = { { ratio_x, 5, ratio_y, 5 }, { hl_x, 6, hl_y, 7 } };

static void assert_close(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * fabs(want)))
		fail_msg("got %.17g, want %.17g", got, want);
}

static void test_bootstrap_matches_reference(void **state)
{
	struct fr_interval r;

	assert_int_equal(fr_bootstrap_geomean_ratio(pairs, 2, 200, 42, &r), 0);
	assert_close(r.estimate, 1.0267392888106175);
	assert_close(r.lo, 0.9937197910578551);
	assert_close(r.hi, 1.0609273110024122);
	assert_close(r.level, FR_STATS_LEVEL);
}

static void test_bootstrap_seed_decides(void **state)
{
	struct fr_interval a, b, c;

	assert_int_equal(fr_bootstrap_geomean_ratio(pairs, 2, 200, 7, &a), 0);
	assert_int_equal(fr_bootstrap_geomean_ratio(pairs, 2, 200, 7, &b), 0);
	assert_int_equal(fr_bootstrap_geomean_ratio(pairs, 2, 200, 8, &c), 0);
	assert_true(a.lo == b.lo && a.hi == b.hi);
	assert_true(a.lo != c.lo || a.hi != c.hi);
	assert_true(a.estimate == c.estimate);
}

static void test_bootstrap_refuses_bad_input(void **state)
{
	const double zero[] = { 0, 1 };
	const struct fr_sample_pair bad[] = { { zero, 2, zero, 2 } };
	struct fr_interval r;

	assert_int_equal(fr_bootstrap_geomean_ratio(pairs, 0, 200, 1, &r), -EINVAL);
	assert_int_equal(fr_bootstrap_geomean_ratio(pairs, 2, 0, 1, &r), -EINVAL);
	assert_int_equal(fr_bootstrap_geomean_ratio(bad, 1, 200, 1, &r), -EINVAL);
}

/*
 * 2000 simulated comparisons of 10 repetitions a side, 5% log-normal noise,
 * the contender 3% slower: at least 93% of the intervals must hold the true
 * ratio 1.03, and not nearly all (an interval far too wide would).  A
 * percentile bootstrap covers a little less than its level (93.7% here, over
 * 20000 simulations); 2000 keep the test's own error near 0.5%.
 */
static void test_bootstrap_interval_coverage(void **state)
{
	uint64_t rng = 2024;
	int covered = 0;

	for (int t = 0; t < 2000; t++) {
		double x[10], y[10];
		struct fr_sample_pair p = { x, 10, y, 10 };
		struct fr_interval r;

		for (int i = 0; i < 10; i++) {
			x[i] = 100 * exp(0.05 * draw_normal(&rng));
			y[i] = 103 * exp(0.05 * draw_normal(&rng));
		}
		assert_int_equal(fr_bootstrap_geomean_ratio(&p, 1, 400, (uint64_t)t, &r), 0);
		covered += r.lo <= 1.03 && 1.03 <= r.hi;
	}
	print_message("bootstrap interval covered %d of 2000\n", covered);
	assert_in_range(covered, 1860, 1950);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bootstrap_matches_reference),
		cmocka_unit_test(test_bootstrap_seed_decides),
		cmocka_unit_test(test_bootstrap_refuses_bad_input),
		cmocka_unit_test(test_bootstrap_interval_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
