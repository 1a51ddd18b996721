// SPDX-License-Identifier: GPL-2.0-only
/*
 * Paired samples (see <faultresults/stats.h>): Wilcoxon's signed-rank test
 * and its Hodges-Lehmann estimate, the median of the Walsh averages.  The
 * pairs are the rounds of an interleaved run, so that the drift of a shared
 * machine, which moves both sides of a round alike, cancels in each
 * difference.  Ranks are kept doubled, as in stats.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <faultresults/stats.h>

#include "stats_internal.h"

#define Z_975 1.959963984540054
#define TAIL ((1 - FR_STATS_LEVEL) / 2)

static double normal_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

static int cmp_abs(const void *a, const void *b)
{
	double p = fabs(*(const double *)a), q = fabs(*(const double *)b);

	return (p > q) - (p < q);
}

/*
 * The number of ways to give + signs to the items of doubled ranks r2[] so
 * that their doubled sum is s, for s = 0 .. sum(r2): a subset-sum count.
 */
static double *sign_sum_counts(const long *r2, size_t n, long total2)
{
	double *dp = calloc((size_t)total2 + 1, sizeof(*dp));

	if (!dp)
		return NULL;
	dp[0] = 1;
	for (size_t i = 0; i < n; i++)
		for (long s = total2; s >= r2[i]; s--)
			dp[s] += dp[s - r2[i]];
	return dp;
}

int fr_signed_rank(const double *d, size_t n, struct fr_signed_rank *out)
{
	double *a, ties = 0;
	long *r2, plus2 = 0, total2 = 0;
	size_t m = 0;
	int err = 0;

	if (fr_stats_check(d, n, false))
		return -EINVAL;
	a = malloc(n * sizeof(*a));
	r2 = calloc(n ? n : 1, sizeof(*r2)); /* calloc: gcc cannot see that a loop of n fills it */
	if (!a || !r2) {
		free(a);
		free(r2);
		return -ENOMEM;
	}
	/* Wilcoxon's convention: a pair with no difference says nothing. */
	for (size_t i = 0; i < n; i++)
		if (d[i] != 0)
			a[m++] = d[i];
	qsort(a, m, sizeof(*a), cmp_abs);
	for (size_t i = 0; i < m;) {
		size_t j = i;
		double t;

		while (j < m && fabs(a[j]) == fabs(a[i]))
			j++;
		t = (double)(j - i);
		ties += t * t * t - t;
		for (size_t k = i; k < j; k++) {
			r2[k] = (long)(i + 1 + j);
			plus2 += a[k] > 0 ? r2[k] : 0;
			total2 += r2[k];
		}
		i = j;
	}
	out->n = m;
	out->t_plus = (double)plus2 / 2;
	out->exact = m <= FR_STATS_EXACT_MAX;
	if (!m) {
		out->p = 1;
	} else if (out->exact) {
		/* conditional on the ties: every sign assignment is equally likely */
		double *counts = sign_sum_counts(r2, m, total2), far = 0, all = 0;
		long dist = labs(2 * plus2 - total2);

		if (!counts) {
			err = -ENOMEM;
		} else {
			for (long s = 0; s <= total2; s++) {
				all += counts[s];
				if (labs(2 * s - total2) >= dist)
					far += counts[s];
			}
			out->p = fmin(1, far / all);
		}
		free(counts);
	} else {
		double mm = (double)m, mean = mm * (mm + 1) / 4;
		double var = mm * (mm + 1) * (2 * mm + 1) / 24 - ties / 48;
		double z = var > 0 ? fmax(0, fabs(out->t_plus - mean) - 0.5) / sqrt(var) : 0;

		out->p = fmin(1, 2 * normal_cdf(-z));
	}
	free(a);
	free(r2);
	return err;
}

double fr_signed_rank_min_p(size_t n)
{
	double nn = (double)n, mean = nn * (nn + 1) / 4;

	if (!n)
		return 1;
	if (n <= FR_STATS_EXACT_MAX)
		return fmin(1, 2 / ldexp(1, (int)n));
	return fmin(1, 2 * normal_cdf(-(mean - 0.5) / sqrt(nn * (nn + 1) * (2 * nn + 1) / 24)));
}

/*
 * c for Tukey's interval: the largest c with P(T+ <= c - 1) <= TAIL without
 * ties, and the interval's confidence 1 - 2 P(T+ <= c - 1); c == 0: none.
 */
static int walsh_rank(size_t n, size_t *c, double *level)
{
	double nn = (double)n, mean = nn * (nn + 1) / 4, below = 0, tail = 0, all;
	long total2 = (long)(n * (n + 1));
	long *r2;
	double *counts;

	*c = 0;
	if (n > FR_STATS_EXACT_MAX) {
		double sd = sqrt(nn * (nn + 1) * (2 * nn + 1) / 24);
		double cf = floor(mean + 0.5 - Z_975 * sd);

		*c = cf >= 1 ? (size_t)cf : 0;
		*level = *c ? 1 - 2 * normal_cdf(((double)*c - 0.5 - mean) / sd) : 0;
		return 0;
	}
	r2 = calloc(n ? n : 1, sizeof(*r2)); /* calloc: gcc cannot see that a loop of n fills it */
	if (!r2)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		r2[i] = (long)(2 * (i + 1));
	counts = sign_sum_counts(r2, n, total2);
	free(r2);
	if (!counts)
		return -ENOMEM;
	all = ldexp(1, (int)n);
	for (size_t t = 0; 2 * (long)t <= total2; t++) {
		below += counts[2 * t];
		if (below / all > TAIL * (1 + 1e-12))
			break;
		*c = t + 1;
		tail = below / all;
	}
	free(counts);
	*level = *c ? 1 - 2 * tail : 0;
	return 0;
}

int fr_hodges_lehmann_paired(const double *d, size_t n, struct fr_interval *out)
{
	size_t m = n * (n + 1) / 2, k = 0, c;
	double *w, level, upper;
	int err;

	if (fr_stats_check(d, n, false))
		return -EINVAL;
	err = walsh_rank(n, &c, &level);
	if (err)
		return err;
	w = malloc(m * sizeof(*w));
	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++)
			w[k++] = (d[i] + d[j]) / 2;
	upper = fr_stats_select(w, m, m / 2);
	out->estimate = m % 2 ? upper : (fr_stats_select(w, m, m / 2 - 1) + upper) / 2;
	out->lo = c ? fr_stats_select(w, m, c - 1) : NAN;
	out->hi = c ? fr_stats_select(w, m, m - c) : NAN;
	out->level = level;
	free(w);
	return 0;
}

int fr_hodges_lehmann_paired_ratio(const double *x, const double *y, size_t n,
				   struct fr_interval *out)
{
	double *d;
	int err;

	if (fr_stats_check(x, n, true) || fr_stats_check(y, n, true))
		return -EINVAL;
	d = malloc(n * sizeof(*d));
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		d[i] = log(y[i] / x[i]);
	err = fr_hodges_lehmann_paired(d, n, out);
	if (!err) {
		out->estimate = exp(out->estimate);
		out->lo = exp(out->lo);
		out->hi = exp(out->hi);
	}
	free(d);
	return err;
}
