// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading callgrind's dumps, and placing their costs by part, on a small
 * hand-written dump: compressed names and positions, calls into other
 * objects, and the measured region's own instructions left out.
 *
 *   fb_measured_step (region)  --2 calls-->  step  -->  handle_mm_fault_ticket
 *                                                         |--> pthread_mutex_lock (libpthread)
 *                                                         '--> my_nopfn
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "measure.h"

static const char dump[] = "# callgrind format\n"
			   "version: 1\n"
			   "cmd: faultbench run same-addr recheck=none\n"
			   "positions: instr line\n"
			   "events: Ir\n"
			   "desc: Trigger: Client Request: " FB_DUMP_LABEL "\n"
			   "\n"
			   "ob=(1) /nonexistent/faultbench\n"
			   "fn=(1) fb_measured_step\n"
			   "0x100 1 4\n"
			   "cfn=(2) step\n"
			   "calls=2 0x200 +4\n"
			   "+2 * 300\n"
			   "+3 * 2\n"
			   "fn=(2)\n"
			   "0x200 5 10\n"
			   "cfn=(3) handle_mm_fault_ticket\n"
			   "calls=2 0x300 7\n"
			   "+4 +1 250\n"
			   "fn=(3)\n"
			   "0x300 7 100\n"
			   "+5 -1 50\n"
			   "cob=(2) /nonexistent/libpthread.so\n"
			   "cfn=(4) pthread_mutex_lock@@GLIBC_2.2.5\n"
			   "calls=2 0x400 1\n"
			   "+3 * 40\n"
			   "cfn=(5) my_nopfn\n"
			   "calls=2 0x500 1\n"
			   "* * 60\n"
			   "fn=(5)\n"
			   "0x500 1 60\n"
			   "ob=(2)\n"
			   "fn=(4)\n"
			   "0x400 1 40\n"
			   "\n"
			   "totals: 266\n";

static void write_dump(const char *text, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/tmp/fb-test-callgrind-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void test_dump_read_names_positions_and_calls(void **state)
{
	char path[64], err[FB_MEASURE_ERRLEN];
	struct cg_dump d;
	int region, nopfn;

	write_dump(dump, path, sizeof(path));
	assert_int_equal(cg_dump_read(path, &d, err, sizeof(err)), 0);
	unlink(path);
	assert_string_equal(d.trigger, "Client Request: " FB_DUMP_LABEL);
	assert_int_equal(d.totals, 266);
	region = cg_fn_find(&d, FB_REGION_FN);
	nopfn = cg_fn_find(&d, "my_nopfn");
	assert_true(region >= 0 && nopfn >= 0);
	assert_int_equal(cg_fn_self(&d, region), 6);
	assert_int_equal(cg_fn_self(&d, cg_fn_find(&d, "handle_mm_fault_ticket")), 150);
	/* "+5 -1": relative address and line; "+3 *" after it: 0x308. */
	assert_int_equal(d.costs[4].addr, 0x305);
	assert_int_equal(d.nr_calls, 4);
	assert_int_equal(d.calls[0].site, 0x102);
	assert_int_equal(d.calls[0].ir, 300);
	assert_int_equal(d.calls[2].site, 0x308);
	/* "* *": the call site stays where the last cost line was. */
	assert_int_equal(d.calls[3].site, 0x308);
	assert_int_equal(d.calls[3].callee, nopfn);
	/* cob= names the callee's object only. */
	assert_string_equal(d.obs[d.fn_ob[d.calls[2].callee]], "/nonexistent/libpthread.so");
	assert_string_equal(d.obs[d.fn_ob[nopfn]], "/nonexistent/faultbench");
	cg_dump_free(&d);
}

static void test_dump_read_refuses_other_files(void **state)
{
	char path[64], err[FB_MEASURE_ERRLEN];
	struct cg_dump d;

	write_dump("positions: line\nevents: Ir\nfn=(1) f\n1 2\n", path, sizeof(path));
	assert_int_equal(cg_dump_read(path, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "instruction addresses"));
	write_dump("positions: instr\nevents: Ir\n0x10 5\n", path, sizeof(path));
	assert_int_equal(cg_dump_read(path, &d, err, sizeof(err)), -1);
	unlink(path);
	assert_int_equal(cg_dump_read("/nonexistent/dump", &d, err, sizeof(err)), -1);
}

static double part(const struct fr_breakdown *b, const char *name)
{
	for (int p = 0; p < b->nr_parts; p++)
		if (!strcmp(b->part_name[p], name))
			return b->part[p];
	fail_msg("no part %s", name);
	return -1;
}

static const struct fr_breakdown_fn *fn(const struct fr_breakdown *b, const char *name)
{
	for (int i = 0; i < b->nr_fn; i++)
		if (!strcmp(b->fn[i].function, name))
			return &b->fn[i];
	fail_msg("no function %s", name);
	return NULL;
}

static void test_breakdown_parts_by_name_and_call_site(void **state)
{
	char path[64], err[FB_MEASURE_ERRLEN];
	struct fr_breakdown *b;
	struct cg_dump d;

	write_dump(dump, path, sizeof(path));
	assert_int_equal(cg_dump_read(path, &d, err, sizeof(err)), 0);
	unlink(path);
	/* The program is not there: every cost counts in callgrind's function. */
	b = fb_breakdown(&d, cg_fn_find(&d, FB_REGION_FN), "/nonexistent/faultbench", 2, err,
			 sizeof(err));
	assert_non_null(b);
	assert_int_equal(b->nr_parts, FB_NR_PARTS);
	/* 266 minus the region's own 6, over 2 iterations. */
	assert_true(b->total == 130);
	assert_true(part(b, "step") == 5);
	/* my_nopfn is no part: it counts where it was called from. */
	assert_true(part(b, "entry") == 105);
	assert_true(part(b, "lock") == 20);
	assert_true(part(b, "other") == 0);
	assert_true(fn(b, "step")->inclusive == 130);
	assert_true(fn(b, "handle_mm_fault_ticket")->self == 75);
	assert_true(fn(b, "handle_mm_fault_ticket")->inclusive == 125);
	/* One function under its symbol's versioned name. */
	assert_true(fn(b, "pthread_mutex_lock")->self == 20);
	assert_string_equal(b->fn[0].function, "step");
	for (int i = 0; i < b->nr_fn; i++)
		assert_string_not_equal(b->fn[i].function, FB_REGION_FN);
	fr_breakdown_free(b);
	cg_dump_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_read_names_positions_and_calls),
		cmocka_unit_test(test_dump_read_refuses_other_files),
		cmocka_unit_test(test_breakdown_parts_by_name_and_call_site),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
