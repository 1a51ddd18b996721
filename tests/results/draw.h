/* SPDX-License-Identifier: GPL-2.0-only */
/* Simulated samples for the coverage tests, from the library's own generator. */
#ifndef TESTS_RESULTS_DRAW_H
#define TESTS_RESULTS_DRAW_H

#include <math.h>
#include <stdint.h>

#include <faultresults/stats.h>

/* A standard normal (Box-Muller); u1 is never 0. */
static inline double draw_normal(uint64_t *rng)
{
	double u1 = ((double)(fr_random_next(rng) >> 11) + 1) / 9007199254740993.0;
	double u2 = (double)(fr_random_next(rng) >> 11) / 9007199254740992.0;

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

#endif
