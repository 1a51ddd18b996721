// SPDX-License-Identifier: GPL-2.0-only
/* The latency histogram. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "runner.h"

/* Every value lands in a bucket whose top is within 1/1024 above it. */
static void test_hist_three_significant_digits(void **state)
{
	for (uint64_t v = 0; v < (1ull << 36); v = v < 5000 ? v + 1 : v + v / 777 + 1) {
		size_t idx = fb_hist_index(v);
		uint64_t top = fb_hist_value_at(idx);

		if (top < v || (double)(top - v) > (double)v / 1024.0)
			fail_msg("value %llu: bucket %zu tops at %llu", (unsigned long long)v, idx,
				 (unsigned long long)top);
		if (idx && fb_hist_value_at(idx - 1) >= v)
			fail_msg("value %llu: previous bucket already holds it",
				 (unsigned long long)v);
	}
}

static void test_hist_percentiles_of_uniform(void **state)
{
	struct fb_hist h;

	assert_int_equal(fb_hist_init(&h), 0);
	for (uint64_t v = 1; v <= 100000; v++)
		fb_hist_record(&h, v);
	assert_int_equal(h.total, 100000);
	assert_true(fabs((double)fb_hist_percentile(&h, 50) - 50000) <= 50);
	assert_true(fabs((double)fb_hist_percentile(&h, 99) - 99000) <= 99);
	assert_true(fabs((double)fb_hist_percentile(&h, 99.9) - 99900) <= 100);
	assert_int_equal(fb_hist_percentile(&h, 100), 100000);
	fb_hist_free(&h);
}

static void test_hist_merge_adds_counts(void **state)
{
	struct fb_hist a, b;

	assert_int_equal(fb_hist_init(&a), 0);
	assert_int_equal(fb_hist_init(&b), 0);
	for (int i = 0; i < 900; i++)
		fb_hist_record(&a, 10);
	for (int i = 0; i < 100; i++)
		fb_hist_record(&b, 1000000);
	fb_hist_merge(&a, &b);
	assert_int_equal(a.total, 1000);
	assert_int_equal(fb_hist_percentile(&a, 50), 10);
	assert_int_equal(fb_hist_percentile(&a, 90), 10);
	assert_true(fb_hist_percentile(&a, 95) >= 1000000);
	assert_int_equal(a.max, 1000000);
	fb_hist_free(&a);
	fb_hist_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_three_significant_digits),
		cmocka_unit_test(test_hist_percentiles_of_uniform),
		cmocka_unit_test(test_hist_merge_adds_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
