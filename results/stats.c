// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mann-Whitney U, Hodges-Lehmann and the geometric mean (see
 * <faultresults/stats.h>).  Ranks are kept doubled, so that a mid-rank such
 * as 2.5 is the integer 5 and the exact distribution is a table indexed by
 * integers.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <faultresults/stats.h>

#include "stats_internal.h"

#define Z_975 1.959963984540054 /* the standard normal's 97.5th percentile */
#define TAIL ((1 - FR_STATS_LEVEL) / 2)

int fr_stats_check(const double *v, size_t n, bool positive)
{
	if (!n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]) || (positive && v[i] <= 0))
			return -EINVAL;
	return 0;
}

/* Hoare partitioning keeps runs of equal values (a bootstrap is full of them) linear. */
double fr_stats_select(double *a, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k;

	while (lo < hi) {
		double pivot = a[lo + (hi - lo) / 2];
		ptrdiff_t i = lo, j = hi;

		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				double t = a[i];

				a[i++] = a[j];
				a[j--] = t;
			}
		}
		/* [lo, j] <= pivot <= [i, hi], and anything between equals pivot */
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			return a[want];
	}
	return a[want];
}

/* Reorders v; n > 0. */
static double median(double *v, size_t n)
{
	double upper = fr_stats_select(v, n, n / 2);

	return n % 2 ? upper : (fr_stats_select(v, n, n / 2 - 1) + upper) / 2;
}

double fr_geomean(const double *v, size_t n)
{
	double sum = 0;

	if (fr_stats_check(v, n, true))
		return NAN;
	for (size_t i = 0; i < n; i++)
		sum += log(v[i]);
	return exp(sum / (double)n);
}

double fr_stats_shift(const double *x, size_t nx, const double *y, size_t ny, double *d)
{
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny; j++)
			d[i * ny + j] = y[j] - x[i];
	return median(d, nx * ny);
}

static double normal_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

/* A run of equal values in the pooled sample, and how many of them are x's. */
struct tie_group {
	size_t size, from_x;
	long rank2; /* doubled mid-rank: first + last rank */
};

struct tagged {
	double v;
	bool is_x;
};

static int cmp_tagged(const void *a, const void *b)
{
	double p = ((const struct tagged *)a)->v, q = ((const struct tagged *)b)->v;

	return (p > q) - (p < q);
}

/* Pools and sorts both samples into tie groups; returns how many, or -ENOMEM. */
static ptrdiff_t tie_groups(const double *x, size_t nx, const double *y, size_t ny,
			    struct tie_group **out)
{
	size_t n = nx + ny, ng = 0;
	struct tagged *pool = malloc(n * sizeof(*pool));
	struct tie_group *g = malloc(n * sizeof(*g));

	if (!pool || !g) {
		free(pool);
		free(g);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		pool[i] = i < nx ? (struct tagged){ x[i], true }
				 : (struct tagged){ y[i - nx], false };
	qsort(pool, n, sizeof(*pool), cmp_tagged);
	for (size_t i = 0; i < n;) {
		size_t j = i, from_x = 0;

		for (; j < n && pool[j].v == pool[i].v; j++)
			from_x += pool[j].is_x;
		g[ng++] = (struct tie_group){ j - i, from_x, (long)(i + 1 + j) };
		i = j;
	}
	free(pool);
	*out = g;
	return (ptrdiff_t)ng;
}

static double choose(size_t n, size_t k)
{
	double c = 1;

	for (size_t i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return nearbyint(c);
}

/*
 * The number of ways to pick k of the pooled samples with doubled rank sum d,
 * for d = 0 .. k * 2n: a knapsack over the tie groups, taking c members of a
 * group of size t in C(t, c) ways.  Returns a table of k * 2n + 1 counts.
 */
static double *rank_sum_counts(const struct tie_group *g, size_t ng, size_t n, size_t k)
{
	size_t width = k * 2 * n + 1;
	double *dp = calloc((k + 1) * width, sizeof(*dp));

	if (!dp)
		return NULL;
	dp[0] = 1;
	for (size_t gi = 0; gi < ng; gi++) {
		/* downwards in k: the rows read below are still without this group */
		for (size_t kk = k; kk > 0; kk--) {
			for (size_t c = 1; c <= g[gi].size && c <= kk; c++) {
				size_t step = c * (size_t)g[gi].rank2;
				double ways = choose(g[gi].size, c);
				double *row = dp + kk * width;
				const double *from = dp + (kk - c) * width;

				for (size_t d = step; d < width; d++)
					row[d] += ways * from[d - step];
			}
		}
	}
	memmove(dp, dp + k * width, width * sizeof(*dp));
	return dp;
}

/* Exact two-sided p: how much of the distribution is as far from the mean as observed. */
static int exact_p(const struct tie_group *g, size_t ng, size_t n, size_t k, long observed2,
		   double *p)
{
	double *counts = rank_sum_counts(g, ng, n, k), far = 0, total = 0;
	long mean2 = (long)(k * (n + 1)), dist = labs(observed2 - mean2);

	if (!counts)
		return -ENOMEM;
	for (size_t d = 0; d <= k * 2 * n; d++) {
		total += counts[d];
		if (labs((long)d - mean2) >= dist)
			far += counts[d];
	}
	free(counts);
	*p = fmin(1, far / total);
	return 0;
}

int fr_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		    struct fr_mann_whitney *out)
{
	struct tie_group *g;
	size_t n = nx + ny;
	long rank2_x = 0;
	double ties = 0, mean = (double)nx * (double)ny / 2, var, z;
	ptrdiff_t ng;
	int err = 0;

	if (fr_stats_check(x, nx, false) || fr_stats_check(y, ny, false))
		return -EINVAL;
	ng = tie_groups(x, nx, y, ny, &g);
	if (ng < 0)
		return (int)ng;
	for (ptrdiff_t i = 0; i < ng; i++) {
		double t = (double)g[i].size;

		rank2_x += (long)g[i].from_x * g[i].rank2;
		ties += t * t * t - t;
	}
	out->u = (double)rank2_x / 2 - (double)nx * (double)(nx + 1) / 2;
	out->exact = n <= FR_STATS_EXACT_MAX;
	if (out->exact) {
		/* the smaller side keeps the table small; the two-sided p is the same */
		size_t k = nx <= ny ? nx : ny;
		long observed2 = nx <= ny ? rank2_x : (long)(n * (n + 1)) - rank2_x;

		err = exact_p(g, (size_t)ng, n, k, observed2, &out->p);
	} else {
		var = (double)nx * (double)ny / 12 *
		      ((double)n + 1 - ties / ((double)n * (double)(n - 1)));
		z = var > 0 ? fmax(0, fabs(out->u - mean) - 0.5) / sqrt(var) : 0;
		out->p = fmin(1, 2 * normal_cdf(-z));
	}
	free(g);
	return err;
}

double fr_mann_whitney_min_p(size_t nx, size_t ny)
{
	size_t n = nx + ny;
	double mean = (double)nx * (double)ny / 2;

	if (!nx || !ny)
		return 1;
	if (n <= FR_STATS_EXACT_MAX)
		return fmin(1, 2 / choose(n, nx));
	return fmin(1, 2 * normal_cdf(-(mean - 0.5) / sqrt(mean * (double)(n + 1) / 6)));
}

/*
 * c for Lehmann's interval: the largest c with P(U <= c - 1) <= TAIL under the
 * continuous null (no ties), and the interval's confidence 1 - 2 P(U <= c - 1).
 * c == 0 means there is none.
 */
static int interval_rank(size_t nx, size_t ny, size_t *c, double *level)
{
	size_t n = nx + ny, k = nx <= ny ? nx : ny;
	double mean = (double)nx * (double)ny / 2;

	if (n > FR_STATS_EXACT_MAX) {
		double sd = sqrt((double)nx * (double)ny * (double)(n + 1) / 12);
		double cf = floor(mean + 0.5 - Z_975 * sd);

		*c = cf >= 1 ? (size_t)cf : 0;
		*level = *c ? 1 - 2 * normal_cdf(((double)*c - 0.5 - mean) / sd) : 0;
		return 0;
	}

	struct tie_group *g = malloc(n * sizeof(*g));
	double *counts, total, below = 0, tail = 0;
	size_t u2_zero = k * (k + 1); /* doubled rank sum at U == 0 */

	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		g[i] = (struct tie_group){ 1, 0, (long)(2 * (i + 1)) };
	counts = rank_sum_counts(g, n, n, k);
	free(g);
	if (!counts)
		return -ENOMEM;
	total = choose(n, k);
	*c = 0;
	/* U = u takes the doubled rank sum u2_zero + 2u */
	for (size_t u = 0; u <= nx * ny; u++) {
		below += counts[u2_zero + 2 * u];
		if (below / total > TAIL * (1 + 1e-12))
			break;
		*c = u + 1;
		tail = below / total;
	}
	free(counts);
	*level = *c ? 1 - 2 * tail : 0;
	return 0;
}

int fr_hodges_lehmann(const double *x, size_t nx, const double *y, size_t ny,
		      struct fr_interval *out)
{
	size_t m = nx * ny, c;
	double *d, level;
	int err;

	if (fr_stats_check(x, nx, false) || fr_stats_check(y, ny, false))
		return -EINVAL;
	err = interval_rank(nx, ny, &c, &level);
	if (err)
		return err;
	d = malloc(m * sizeof(*d));
	if (!d)
		return -ENOMEM;
	out->estimate = fr_stats_shift(x, nx, y, ny, d);
	out->lo = c ? fr_stats_select(d, m, c - 1) : NAN;
	out->hi = c ? fr_stats_select(d, m, m - c) : NAN;
	out->level = level;
	free(d);
	return 0;
}

int fr_hodges_lehmann_ratio(const double *x, size_t nx, const double *y, size_t ny,
			    struct fr_interval *out)
{
	double *lx, *ly;
	int err;

	if (fr_stats_check(x, nx, true) || fr_stats_check(y, ny, true))
		return -EINVAL;
	lx = malloc(nx * sizeof(*lx));
	ly = malloc(ny * sizeof(*ly));
	err = lx && ly ? 0 : -ENOMEM;
	for (size_t i = 0; !err && i < nx; i++)
		lx[i] = log(x[i]);
	for (size_t j = 0; !err && j < ny; j++)
		ly[j] = log(y[j]);
	if (!err)
		err = fr_hodges_lehmann(lx, nx, ly, ny, out);
	if (!err) {
		out->estimate = exp(out->estimate);
		out->lo = exp(out->lo);
		out->hi = exp(out->hi);
	}
	free(lx);
	free(ly);
	return err;
}
