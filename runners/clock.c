// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clocks.  Batches are timed with CLOCK_MONOTONIC, read twice per batch of
 * thousands of operations.  Per-operation latency (--latency) needs a cheaper
 * clock: the TSC, when the CPU says it is invariant (constant_tsc and
 * nonstop_tsc), calibrated once against CLOCK_MONOTONIC.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "runner.h"

bool fb_use_tsc;
static double ns_per_tick = 1.0;
static pthread_once_t clock_once = PTHREAD_ONCE_INIT;

uint64_t fb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool cpu_has_invariant_tsc(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool constant = false, nonstop = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		constant = strstr(line, " constant_tsc") != NULL;
		nonstop = strstr(line, " nonstop_tsc") != NULL;
		break;
	}
	fclose(f);
	return constant && nonstop;
}

static void calibrate(void)
{
#if defined(__x86_64__)
	uint64_t t0, c0, t1, c1;
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	if (!cpu_has_invariant_tsc())
		return;
	fb_use_tsc = true;
	t0 = fb_now_ns();
	c0 = fb_ticks();
	nanosleep(&pause, NULL);
	t1 = fb_now_ns();
	c1 = fb_ticks();
	if (c1 <= c0 || t1 <= t0) {
		fb_use_tsc = false;
		return;
	}
	ns_per_tick = (double)(t1 - t0) / (double)(c1 - c0);
#endif
}

void fb_clock_init(void)
{
	pthread_once(&clock_once, calibrate);
}

double fb_ns_per_tick(void)
{
	fb_clock_init();
	return ns_per_tick;
}

const char *fb_tick_source(void)
{
	fb_clock_init();
	return fb_use_tsc ? "tsc" : "clock_monotonic";
}

double fb_clock_cost_ns(void)
{
	enum { N = 10000 };
	uint64_t t0 = fb_now_ns(), t1;

	for (int i = 0; i < N; i++)
		(void)fb_now_ns();
	t1 = fb_now_ns();
	return (double)(t1 - t0) / N;
}
