// SPDX-License-Identifier: GPL-2.0-only
/*
 * empty: no work at all.  What it measures per operation is what the harness
 * adds to every operation of every other scenario: the loop, the batch call
 * and the stop check, amortised.
 *
 * The accounting (verify): each thread counts the operations its loops
 * ran, once per batch, in a counter of its own; their sum is the runner's
 * operation count, and no core counter moves.
 */
#include <stdio.h>
#include <stdlib.h>

#include <faultbench/scenario.h>

struct empty {
	uint64_t done; /* summed from the threads at the end of each phase */
	bool short_batch;
};

/* This thread's loop: where it starts (1 when planted) and what it ran. */
static _Thread_local struct {
	unsigned long first;
	uint64_t done;
} empty_thread;

static int empty_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct empty *e = calloc(1, sizeof(*e));

	if (!e) {
		snprintf(err, errlen, "empty: out of memory");
		return -1;
	}
	e->short_batch = fb_planted(ctx, "short-batch");
	ctx->priv = e;
	return 0;
}

static void empty_teardown(struct fb_ctx *ctx)
{
	free(ctx->priv);
}

static int empty_thread_init(struct fb_thread *t)
{
	const struct empty *e = t->ctx->priv;

	empty_thread.first = e->short_batch; /* tests only: one operation fewer than claimed */
	empty_thread.done = 0;
	return 0;
}

static void empty_thread_exit(struct fb_thread *t)
{
	struct empty *e = t->ctx->priv;

	__atomic_fetch_add(&e->done, empty_thread.done, __ATOMIC_RELAXED);
}

static unsigned long empty_step(struct fb_thread *t, unsigned long n)
{
	unsigned long i;

	for (i = empty_thread.first; i < n; i++)
		__asm__ __volatile__("" ::: "memory"); /* keep the loop a loop */
	empty_thread.done += n - empty_thread.first;
	return n;
}

static int empty_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	const struct empty *e = ctx->priv;
	uint64_t counted = 0;

	for (int i = 0; i < FC_STAT_NR; i++)
		counted += t->stats.v[i];
	return fb_expect(e->done, t->iterations, "operations run == operations counted", err,
			 errlen) ||
	       fb_expect(counted, 0, "core counters", err, errlen);
}

FB_SCENARIO(empty) = {
	.name = "empty",
	.description = "no work: the harness's own cost per operation",
	.question = "How much of every figure is the runner itself? (target: <= 1 ns/op)",
	.shape = FB_SHAPE_DURATION,
	.unit = "op",
	.plants = FB_PLANTS({ .name = "short-batch",
			      .what = "each batch runs one operation fewer than it reports" }),
	.setup = empty_setup,
	.teardown = empty_teardown,
	.thread_init = empty_thread_init,
	.thread_exit = empty_thread_exit,
	.step = empty_step,
	.verify = empty_verify,
};
