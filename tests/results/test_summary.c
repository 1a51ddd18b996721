// SPDX-License-Identifier: GPL-2.0-only
/* The summaries over repetitions, on fixed samples. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <faultresults/result.h>

static void test_summary_known_values(void **state)
{
	const double v[] = { 9, 4, 4, 2, 5, 5, 7, 4 };
	struct fr_summary s;

	fr_summarize(v, 8, &s);
	assert_int_equal(s.n, 8);
	assert_true(fabs(s.mean - 5) < 1e-12);
	assert_true(fabs(s.median - 4.5) < 1e-12);
	assert_true(fabs(s.stddev - sqrt(32.0 / 7)) < 1e-12);
	assert_true(fabs(s.cv - sqrt(32.0 / 7) / 5) < 1e-12);
	assert_true(s.min == 2 && s.max == 9);
}

/* One sample has a median but no spread: unknown, never "cv 0.00%". */
static void test_summary_one_sample_has_no_spread(void **state)
{
	const double v[] = { 3 };
	struct fr_summary s;

	fr_summarize(v, 1, &s);
	assert_true(s.median == 3 && s.mean == 3 && s.min == 3 && s.max == 3);
	assert_true(isnan(s.stddev) && isnan(s.cv));
	fr_summarize(v, 0, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.median) && isnan(s.stddev));
}

/* A repetition without a figure (no floor, null) does not count as a sample. */
static void test_summary_skips_unknown_samples(void **state)
{
	const double v[] = { NAN, 1, 3, INFINITY };
	struct fr_summary s;

	fr_summarize(v, 4, &s);
	assert_int_equal(s.n, 2);
	assert_true(s.median == 2 && s.min == 1 && s.max == 3);
}

static void test_bench_summaries_from_reps(void **state)
{
	struct fr_doc d;
	struct fr_bench *b;

	fr_doc_init(&d);
	b = fr_doc_add_bench(&d, 2);
	assert_non_null(b);
	b->nr_counters = 1;
	b->nr_reps = b->repetitions = 2;
	b->rep[0] =
		(struct fr_rep){ .iterations = 10, .real_ns = 4, .floor_ns = 2, .counter = { 5 } };
	b->rep[1] =
		(struct fr_rep){ .iterations = 20, .real_ns = 6, .floor_ns = 2, .counter = { 30 } };
	fr_bench_summarize(b);
	assert_true(b->real.median == 5);
	assert_true(b->ratio.min == 2 && b->ratio.max == 3);
	assert_true(b->per_iteration[0].min == 0.5 && b->per_iteration[0].max == 1.5);
	fr_doc_free(&d);
}

static void test_warnings_name_the_benchmark(void **state)
{
	struct fr_doc d;
	struct fr_bench *b;

	fr_doc_init(&d);
	b = fr_doc_add_bench(&d, 3);
	snprintf(b->run_name, sizeof(b->run_name), "x/threads:1");
	b->repetitions = 3;
	b->nr_reps = 2;
	b->rep[0].real_ns = 1;
	b->rep[1].real_ns = 2;
	fr_bench_summarize(b);
	fr_bench_warnings(&d, b);
	assert_int_equal(d.nr_warnings, 2);
	assert_string_equal(d.warning[0],
			    "x/threads:1: unstable, cv 47.1% > 5% over 2 repetitions");
	assert_string_equal(d.warning[1], "x/threads:1: interrupted after 2 of 3 repetitions");
	fr_doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_known_values),
		cmocka_unit_test(test_summary_one_sample_has_no_spread),
		cmocka_unit_test(test_summary_skips_unknown_samples),
		cmocka_unit_test(test_bench_summaries_from_reps),
		cmocka_unit_test(test_warnings_name_the_benchmark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
