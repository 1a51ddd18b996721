/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Statistics for compare, on two samples or on pairs.  x is always the base
 * and y the contender; a shift is y - x and a ratio y / x.  Nothing here
 * assumes a distribution: the tests are Mann-Whitney's U and, for pairs,
 * Wilcoxon's signed ranks; the estimates are Hodges-Lehmann's; intervals come
 * from the tests' own distributions or from a bootstrap with a fixed seed, so
 * the same samples always give the same answer.
 *
 * Every function returns 0, or -EINVAL for an empty sample or a value that is
 * not finite (not positive, for ratios), or -ENOMEM.
 */
#ifndef FAULTRESULTS_STATS_H
#define FAULTRESULTS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Up to this many samples in all, the U distribution is enumerated exactly
 * (every count is then below 2^53, exact in a double); beyond, the normal
 * approximation is used.
 */
#define FR_STATS_EXACT_MAX 50
/* The confidence of every interval below. */
#define FR_STATS_LEVEL 0.95

struct fr_mann_whitney {
	double u;   /* pairs with x > y, plus half the tied pairs: 0 .. nx * ny */
	double p;   /* two-sided */
	bool exact; /* p from the exact permutation distribution */
};

/*
 * Ties get mid-ranks.  Exact p is the share of the C(n, nx) ways to split the
 * pooled mid-ranks whose rank sum lies at least as far from its mean as the
 * observed one (the distribution conditional on the ties, so it is exact with
 * ties too).  The normal approximation uses the tie-corrected variance and a
 * continuity correction of 1/2.
 */
int fr_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		    struct fr_mann_whitney *out);

/*
 * The smallest two-sided p that samples of nx and ny can give (two fully
 * separated samples without ties): 2 / C(n, nx) when exact.  A side with
 * fewer samples than it takes to reach alpha cannot be decided.
 */
double fr_mann_whitney_min_p(size_t nx, size_t ny);

struct fr_interval {
	double estimate;
	double lo, hi; /* NaN when the samples are too few for an interval */
	double level;  /* the interval's confidence, at least FR_STATS_LEVEL; 0 without one */
};

/*
 * Hodges-Lehmann: the median of the nx * ny differences y_j - x_i.  The
 * interval runs from the c-th smallest to the c-th largest difference, c the
 * largest count with P(U < c) <= (1 - FR_STATS_LEVEL) / 2 (Lehmann's
 * distribution-free interval; exact U distribution up to FR_STATS_EXACT_MAX
 * samples, normal beyond).  With 3 samples a side no such c exists.
 */
int fr_hodges_lehmann(const double *x, size_t nx, const double *y, size_t ny,
		      struct fr_interval *out);
/* The same on log scale, returned as the ratio y / x and its interval. */
int fr_hodges_lehmann_ratio(const double *x, size_t nx, const double *y, size_t ny,
			    struct fr_interval *out);

/* exp(mean(log v)); NaN for n == 0 or a value that is not positive and finite. */
double fr_geomean(const double *v, size_t n);

/* signed_rank.c: paired samples, d[i] = y[i] - x[i] (a round's contender less its base). */
struct fr_signed_rank {
	double t_plus; /* the sum of the ranks of |d| over the positive d */
	double p;      /* two-sided */
	bool exact;    /* p from the exact distribution of the signs */
	size_t n;      /* the pairs that differ: a zero difference is dropped */
};

/*
 * Wilcoxon's signed-rank test.  Ties of |d| get mid-ranks.  Exact p (up to
 * FR_STATS_EXACT_MAX differing pairs) is the share of the 2^n sign
 * assignments whose T+ lies at least as far from its mean as the observed
 * one, conditional on the ties; beyond, the normal approximation with the
 * tie-corrected variance and a continuity correction of 1/2.
 */
int fr_signed_rank(const double *d, size_t n, struct fr_signed_rank *out);
/* The smallest two-sided p that n pairs can give: 2 / 2^n when exact. */
double fr_signed_rank_min_p(size_t n);
/*
 * The Hodges-Lehmann estimate for pairs: the median of the n (n + 1) / 2
 * Walsh averages (d_i + d_j) / 2, i <= j, and Tukey's interval from the c-th
 * smallest to the c-th largest, c from the signed-rank distribution.  With 5
 * pairs or fewer no such c exists.
 */
int fr_hodges_lehmann_paired(const double *d, size_t n, struct fr_interval *out);
/* The same on log(y[i] / x[i]), returned as the ratio y / x and its interval. */
int fr_hodges_lehmann_paired_ratio(const double *x, const double *y, size_t n,
				   struct fr_interval *out);

/* bootstrap.c */
struct fr_sample_pair {
	const double *x;
	size_t nx;
	const double *y;
	size_t ny;
};

/*
 * The geometric mean over pairs of each pair's Hodges-Lehmann ratio, with a
 * percentile bootstrap interval: each resample draws every side of every pair
 * with replacement, from a generator seeded with seed.
 */
int fr_bootstrap_geomean_ratio(const struct fr_sample_pair *pairs, size_t npairs,
			       unsigned resamples, uint64_t seed, struct fr_interval *out);
/* The bootstrap's generator (splitmix64): the next 64 random bits of *state. */
uint64_t fr_random_next(uint64_t *state);

#endif
