// SPDX-License-Identifier: GPL-2.0-only
/*
 * Counters through libpfm4 and perf_event_open: software events count what
 * happened, and an event that cannot open is reported, never counted as 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "runner.h"

#define NR_PAGES 256

static void test_software_events_count_page_faults(void **state)
{
	struct fb_events evs;
	struct fb_group g;
	struct fb_counts c;
	char err[FB_ERRLEN];
	char *mem;

	assert_int_equal(fb_events_prepare(&evs, "task-clock,page-faults", err, sizeof(err)), 0);
	assert_int_equal(evs.n, 2);
	if (!evs.ev[1].opened)
		skip(); /* perf_event_open forbidden here altogether */
	mem = mmap(NULL, NR_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	assert_true(mem != MAP_FAILED);
	/* One fault per page: no huge page may cover several. */
	madvise(mem, NR_PAGES * 4096, MADV_NOHUGEPAGE);
	fb_group_open(&evs, &g);
	fb_group_start(&g);
	for (int i = 0; i < NR_PAGES; i++)
		((volatile char *)mem)[i * 4096] = 1;
	fb_group_stop(&evs, &g, &c);
	fb_group_close(&g);
	munmap(mem, NR_PAGES * 4096);
	assert_int_equal(c.missing, 0);
	/*
	 * Each first touch faults once.  Sanitizers fault their shadow memory
	 * in too, hence the generous upper bound.
	 */
	if (c.v[1] < NR_PAGES || c.v[1] > 4 * NR_PAGES + 64)
		fail_msg("page-faults counted %llu for %d pages", (unsigned long long)c.v[1],
			 NR_PAGES);
	assert_true(c.v[0] > 0);
	assert_true(c.enabled > 0 && c.running > 0);
	fb_events_free(&evs);
}

static void test_hardware_event_reported_not_opened(void **state)
{
	struct fb_events evs;
	char err[FB_ERRLEN];

	assert_int_equal(fb_events_prepare(&evs, "cycles", err, sizeof(err)), 0);
	assert_int_equal(evs.n, 1);
	if (evs.ev[0].opened) {
		fb_events_free(&evs);
		skip(); /* a machine with a PMU */
	}
	assert_true(strlen(evs.ev[0].reason) > 0);
	assert_string_equal(evs.ev[0].name, "cycles");
	fb_events_free(&evs);
}

static void test_unknown_event_is_bad_input(void **state)
{
	struct fb_events evs;
	char err[FB_ERRLEN];

	assert_int_equal(fb_events_prepare(&evs, "task-clock,no-such-event", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-event"));
	assert_non_null(strstr(err, "valid"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(fb_events_prepare(&evs, "task-clock,", err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_software_events_count_page_faults),
		cmocka_unit_test(test_hardware_event_reported_not_opened),
		cmocka_unit_test(test_unknown_event_is_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
