// SPDX-License-Identifier: GPL-2.0-only
/* Aggregates over repetitions: mean, median, sample stddev, cv, min, max. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void fb_aggregate(const double *v, int n, struct fb_agg *out)
{
	double sorted[n > 0 ? n : 1], sum = 0, sq = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n <= 0)
		return;
	memcpy(sorted, v, sizeof(double) * (size_t)n);
	qsort(sorted, (size_t)n, sizeof(double), cmp_double);
	for (int i = 0; i < n; i++)
		sum += v[i];
	out->mean = sum / n;
	for (int i = 0; i < n; i++)
		sq += (v[i] - out->mean) * (v[i] - out->mean);
	/* Sample stddev, as google/benchmark reports it; 0 for one sample. */
	out->stddev = n > 1 ? sqrt(sq / (n - 1)) : 0;
	out->cv = out->mean != 0 ? out->stddev / out->mean : 0;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
