// SPDX-License-Identifier: GPL-2.0-only
/*
 * A log-linear histogram in HdrHistogram's layout.  Values below 2^11 have a
 * bucket each; above, every power of two is split into 1024 equal buckets, so
 * a bucket is never wider than 1/1024 of its values: 3 significant digits.
 * Recording is an index computation and an increment, no allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define HALF (1u << (FB_HIST_SUB_BITS - 1))
#define NR_BUCKETS ((size_t)(FB_HIST_MAX_SHIFT + 2) * HALF)

int fb_hist_init(struct fb_hist *h)
{
	h->counts = calloc(NR_BUCKETS, sizeof(*h->counts));
	h->total = 0;
	h->max = 0;
	return h->counts ? 0 : -1;
}

void fb_hist_free(struct fb_hist *h)
{
	free(h->counts);
	h->counts = NULL;
}

void fb_hist_reset(struct fb_hist *h)
{
	memset(h->counts, 0, NR_BUCKETS * sizeof(*h->counts));
	h->total = 0;
	h->max = 0;
}

/*
 * v < 2048: index v.  Otherwise shift v right until it fits in [1024, 2048):
 * the shift picks a row of 1024 buckets, the remaining bits the bucket.
 */
size_t fb_hist_index(uint64_t v)
{
	unsigned shift;

	if (v < 2 * HALF)
		return (size_t)v;
	shift = (unsigned)(63 - __builtin_clzll(v)) - (FB_HIST_SUB_BITS - 1);
	if (shift > FB_HIST_MAX_SHIFT)
		return NR_BUCKETS - 1;
	return (size_t)(shift + 1) * HALF + (size_t)((v >> shift) - HALF);
}

/* The highest value that lands in bucket idx. */
uint64_t fb_hist_value_at(size_t idx)
{
	unsigned shift;

	if (idx < 2 * HALF)
		return idx;
	shift = (unsigned)(idx / HALF) - 1;
	return ((uint64_t)(idx % HALF + HALF) << shift) + ((1ull << shift) - 1);
}

void fb_hist_merge(struct fb_hist *dst, const struct fb_hist *src)
{
	for (size_t i = 0; i < NR_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->total += src->total;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t fb_hist_percentile(const struct fb_hist *h, double q)
{
	uint64_t rank, seen = 0;

	if (!h->total)
		return 0;
	if (q >= 100.0)
		return h->max;
	/* The smallest value with at least q% of the samples at or below it. */
	rank = (uint64_t)(q / 100.0 * (double)h->total + 0.5);
	if (rank < 1)
		rank = 1;
	for (size_t i = 0; i < NR_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= rank) {
			uint64_t v = fb_hist_value_at(i);

			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}

int fb_latency_init(struct fb_latency *l)
{
	memset(l, 0, sizeof(*l));
	if (fb_hist_init(&l->op) || fb_hist_init(&l->first_install) ||
	    fb_hist_init(&l->last_return)) {
		fb_latency_free(l);
		return -1;
	}
	return 0;
}

void fb_latency_free(struct fb_latency *l)
{
	fb_hist_free(&l->op);
	fb_hist_free(&l->first_install);
	fb_hist_free(&l->last_return);
}
