// SPDX-License-Identifier: GPL-2.0-only
/*
 * empty: no work at all.  What it measures per operation is what the harness
 * adds to every operation of every other scenario: the loop, the batch call
 * and the stop check, amortised.
 */
#include "scenario.h"

static unsigned long empty_step(struct fb_thread *t, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory"); /* keep the loop a loop */
	return n;
}

const struct fb_scenario fb_scenario_empty = {
	.name = "empty",
	.description = "no work: the harness's own cost per operation",
	.question = "How much of every figure is the runner itself? (target: <= 1 ns/op)",
	.shape = FB_SHAPE_DURATION,
	.unit = "op",
	.step = empty_step,
};
