// SPDX-License-Identifier: GPL-2.0-only
/*
 * Thread placement on synthetic topologies: no SMT or multi-socket machine
 * needed.  The synthetic PUs are numbered in topology order, so
 *
 *   pack:2 core:4 pu:2      package 0: cores 0-3, PUs 0-7
 *                           package 1: cores 4-7, PUs 8-15
 *                           core c holds PUs 2c and 2c+1
 *
 * and the order must be: the first PU of core 0 of each package, then of
 * core 1 of each package, ..., and only then the SMT siblings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "runner.h"

static hwloc_topology_t synthetic(const char *desc)
{
	hwloc_topology_t topo;

	assert_int_equal(hwloc_topology_init(&topo), 0);
	assert_int_equal(hwloc_topology_set_synthetic(topo, desc), 0);
	assert_int_equal(hwloc_topology_load(topo), 0);
	return topo;
}

static void check_order(const char *desc, const unsigned *want, int n)
{
	hwloc_topology_t topo = synthetic(desc);
	unsigned got[FB_MAX_THREADS];

	assert_int_equal(fb_pu_order(topo, got, FB_MAX_THREADS), n);
	for (int i = 0; i < n; i++) {
		if (got[i] != want[i])
			fail_msg("%s: slot %d is PU %u, want %u", desc, i, got[i], want[i]);
	}
	hwloc_topology_destroy(topo);
}

static void test_two_packages_smt_cores_first_spread(void **state)
{
	static const unsigned want[] = { 0, 8, 2, 10, 4, 12, 6, 14, 1, 9, 3, 11, 5, 13, 7, 15 };

	check_order("pack:2 core:4 pu:2", want, 16);
}

static void test_one_package_smt_siblings_last(void **state)
{
	static const unsigned want[] = { 0, 2, 4, 6, 1, 3, 5, 7 };

	check_order("pack:1 core:4 pu:2", want, 8);
}

static void test_no_smt_packages_alternate(void **state)
{
	static const unsigned want[] = { 0, 2, 1, 3 };

	check_order("pack:2 core:2 pu:1", want, 4);
}

static void test_four_way_smt(void **state)
{
	static const unsigned want[] = { 0, 4, 1, 5, 2, 6, 3, 7 };

	check_order("pack:1 core:2 pu:4", want, 8);
}

static void test_numa_inside_packages(void **state)
{
	/* pack:2 numa:2 core:2 pu:1: cores 0,1 | 2,3 in package 0, 4,5 | 6,7 in 1. */
	static const unsigned want[] = { 0, 4, 1, 5, 2, 6, 3, 7 };

	check_order("pack:2 [numa] core:4 pu:1", want, 8);
}

/* N threads use the first N slots: adding a thread only ever adds a CPU. */
static void test_prefix_serves_every_count(void **state)
{
	hwloc_topology_t topo = synthetic("pack:2 core:4 pu:2");
	unsigned full[FB_MAX_THREADS], part[FB_MAX_THREADS];
	int n = fb_pu_order(topo, full, FB_MAX_THREADS);

	for (int k = 1; k <= n; k++) {
		assert_int_equal(fb_pu_order(topo, part, k), k);
		for (int i = 0; i < k; i++)
			assert_int_equal(part[i], full[i]);
	}
	hwloc_topology_destroy(topo);
}

static void test_slot_cpus_wrap_when_oversubscribed(void **state)
{
	hwloc_topology_t topo = synthetic("pack:1 core:2 pu:1");
	char buf[64];

	fb_slot_cpus(topo, FB_PIN_PUS, 2, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	fb_slot_cpus(topo, FB_PIN_CORES, 1, buf, sizeof(buf));
	assert_string_equal(buf, "1");
	fb_slot_cpus(topo, FB_PIN_NONE, 0, buf, sizeof(buf));
	assert_string_equal(buf, "any");
	hwloc_topology_destroy(topo);
}

static void test_pin_cores_binds_whole_core(void **state)
{
	hwloc_topology_t topo = synthetic("pack:2 core:2 pu:2");
	char buf[64];

	/* Slot 1 is core 0 of package 1: PUs 4 and 5. */
	fb_slot_cpus(topo, FB_PIN_CORES, 1, buf, sizeof(buf));
	assert_string_equal(buf, "4-5");
	hwloc_topology_destroy(topo);
}

static void test_thread_lists(void **state)
{
	hwloc_topology_t topo = synthetic("pack:2 core:4 pu:2");
	int list[FB_MAX_THREADS];
	char err[FB_ERRLEN];

	assert_int_equal(fb_parse_threads("1,2,4", topo, list, FB_MAX_THREADS, err, sizeof(err)),
			 3);
	assert_int_equal(list[2], 4);
	assert_int_equal(fb_parse_threads("1-8", topo, list, FB_MAX_THREADS, err, sizeof(err)), 8);
	assert_int_equal(list[7], 8);
	assert_int_equal(fb_parse_threads("cores", topo, list, FB_MAX_THREADS, err, sizeof(err)),
			 1);
	assert_int_equal(list[0], 8);
	assert_int_equal(fb_parse_threads("pus", topo, list, FB_MAX_THREADS, err, sizeof(err)), 1);
	assert_int_equal(list[0], 16);
	static const char *const bad[] = { "", "0", "1-", "4-2", "a", "1,,2", "1,", "2x", "-3" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fb_parse_threads(bad[i], topo, list, FB_MAX_THREADS, err, sizeof(err)) >= 0)
			fail_msg("thread list '%s' accepted", bad[i]);
	hwloc_topology_destroy(topo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_packages_smt_cores_first_spread),
		cmocka_unit_test(test_one_package_smt_siblings_last),
		cmocka_unit_test(test_no_smt_packages_alternate),
		cmocka_unit_test(test_four_way_smt),
		cmocka_unit_test(test_numa_inside_packages),
		cmocka_unit_test(test_prefix_serves_every_count),
		cmocka_unit_test(test_slot_cpus_wrap_when_oversubscribed),
		cmocka_unit_test(test_pin_cores_binds_whole_core),
		cmocka_unit_test(test_thread_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
