// SPDX-License-Identifier: GPL-2.0-only
/*
 * The harness's own cost: a null loop run through the same path as every
 * scenario (engine, barrier, batching, stop check), so that what it measures
 * per operation is what the harness adds to every other figure.
 */
#include <math.h>

#include "runner.h"

static unsigned long null_step(struct fb_thread *t, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory"); /* keep the loop a loop */
	return n;
}

/* Not registered: no one can run it by name, and the runner names no scenario. */
const struct fb_scenario fb_null_loop = {
	.name = "harness-null-loop",
	.description = "the harness with no work",
	.shape = FB_SHAPE_DURATION,
	.unit = "op",
	.step = null_step,
};

double fb_harness_overhead_ns(hwloc_topology_t topo)
{
	struct fb_run_opts o = {
		.sc = &fb_null_loop,
		.threads = 1,
		.duration_s = 0.05,
		.repetitions = 3,
		.pin = FB_PIN_PUS,
		.topo = topo,
	};
	struct fb_result res;
	char err[FB_ERRLEN];
	double best = 0;

	fb_values_defaults(&fb_null_loop, &o.values);
	if (fb_run(&o, &res, err, sizeof(err)))
		return NAN;
	/* The least disturbed of three short runs: the harness's own cost. */
	for (int i = 0; i < res.nr_reps; i++)
		if (!best || res.reps[i].real_ns < best)
			best = res.reps[i].real_ns;
	fb_result_free(&res);
	return best > 0 ? best : NAN; /* interrupted: unknown, written as null */
}
