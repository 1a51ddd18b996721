// SPDX-License-Identifier: GPL-2.0-only
/*
 * A percentile bootstrap of the geometric mean of Hodges-Lehmann ratios (see
 * <faultresults/stats.h>).  Everything runs on logs, computed once: a ratio is
 * a shift of logs, and the geometric mean the mean of those shifts.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <faultresults/stats.h>

#include "stats_internal.h"

uint64_t fr_random_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A uniform index below n (n < 2^32): the high half of a 32 x 32-bit product. */
static size_t random_index(uint64_t *state, size_t n)
{
	return (size_t)(((fr_random_next(state) >> 32) * (uint64_t)n) >> 32);
}

struct scratch {
	double *logs;	  /* every pair's x logs then y logs, in pair order */
	double *resample; /* one pair's drawn x logs then y logs */
	double *diff;	  /* one pair's nx * ny differences */
	double *stat;	  /* the statistic of every resample */
};

/* The mean over pairs of the log shift, drawing the samples first when rng is set. */
static double mean_log_shift(const struct fr_sample_pair *pairs, size_t npairs, struct scratch *s,
			     uint64_t *rng)
{
	const double *lx = s->logs;
	double sum = 0;

	for (size_t p = 0; p < npairs; p++) {
		size_t nx = pairs[p].nx, ny = pairs[p].ny;
		const double *ly = lx + nx, *dx = lx, *dy = ly;

		if (rng) {
			for (size_t i = 0; i < nx; i++)
				s->resample[i] = lx[random_index(rng, nx)];
			for (size_t j = 0; j < ny; j++)
				s->resample[nx + j] = ly[random_index(rng, ny)];
			dx = s->resample;
			dy = s->resample + nx;
		}
		sum += fr_stats_shift(dx, nx, dy, ny, s->diff);
		lx = ly + ny;
	}
	return sum / (double)npairs;
}

/* The q-quantile with linear interpolation between order statistics (type 7). */
static double quantile(double *a, size_t n, double q)
{
	double h = (double)(n - 1) * q, below = floor(h);
	size_t k = (size_t)below;
	double lo = fr_stats_select(a, n, k);

	return k + 1 < n ? lo + (h - below) * (fr_stats_select(a, n, k + 1) - lo) : lo;
}

static int scratch_alloc(const struct fr_sample_pair *pairs, size_t npairs, unsigned resamples,
			 struct scratch *s)
{
	size_t all = 0, side = 0, cross = 0;
	double *l;

	for (size_t p = 0; p < npairs; p++) {
		size_t nx = pairs[p].nx, ny = pairs[p].ny;

		if (fr_stats_check(pairs[p].x, nx, true) || fr_stats_check(pairs[p].y, ny, true))
			return -EINVAL;
		all += nx + ny;
		side = nx + ny > side ? nx + ny : side;
		cross = nx * ny > cross ? nx * ny : cross;
	}
	s->logs = malloc(all * sizeof(double));
	s->resample = malloc(side * sizeof(double));
	s->diff = malloc(cross * sizeof(double));
	s->stat = malloc(resamples * sizeof(double));
	if (!s->logs || !s->resample || !s->diff || !s->stat)
		return -ENOMEM;
	l = s->logs;
	for (size_t p = 0; p < npairs; p++) {
		for (size_t i = 0; i < pairs[p].nx; i++)
			*l++ = log(pairs[p].x[i]);
		for (size_t j = 0; j < pairs[p].ny; j++)
			*l++ = log(pairs[p].y[j]);
	}
	return 0;
}

int fr_bootstrap_geomean_ratio(const struct fr_sample_pair *pairs, size_t npairs,
			       unsigned resamples, uint64_t seed, struct fr_interval *out)
{
	struct scratch s = { 0 };
	uint64_t rng = seed;
	int err = npairs && resamples ? scratch_alloc(pairs, npairs, resamples, &s) : -EINVAL;

	if (!err) {
		out->estimate = exp(mean_log_shift(pairs, npairs, &s, NULL));
		for (unsigned b = 0; b < resamples; b++)
			s.stat[b] = mean_log_shift(pairs, npairs, &s, &rng);
		out->lo = exp(quantile(s.stat, resamples, (1 - FR_STATS_LEVEL) / 2));
		out->hi = exp(quantile(s.stat, resamples, (1 + FR_STATS_LEVEL) / 2));
		out->level = FR_STATS_LEVEL;
	}
	free(s.logs);
	free(s.resample);
	free(s.diff);
	free(s.stat);
	return err;
}
