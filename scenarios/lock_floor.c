// SPDX-License-Identifier: GPL-2.0-only
/*
 * lock-floor: the least any same-address fault round can cost.  Every thread
 * takes one lock, checks one slot and stores into it if empty; the last to
 * finish the round empties it.  Lock and slot share one cache line, so the
 * round costs the line's transfers and the lock, nothing more.  same-addr
 * runs it interleaved as its floor.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scenario.h"

/*
 * The slot sits in the tail of the lock's own line, past every lock kind's
 * state (a pthread mutex, the largest, is 40 bytes here).
 */
union floor_line {
	struct ptlock lock;
	struct {
		char state[FC_CACHELINE - sizeof(uint64_t)];
		uint64_t slot;
	};
};
_Static_assert(sizeof(pthread_mutex_t) <= FC_CACHELINE - sizeof(uint64_t),
	       "the slot would overlap the lock");
_Static_assert(sizeof(union floor_line) == FC_CACHELINE, "one line");

struct lock_floor {
	union floor_line line;
	enum ptl_kind kind;
};

static int lock_floor_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct lock_floor *f = aligned_alloc(FC_CACHELINE, sizeof(*f));
	int kind = ptl_kind_parse(fb_param_str(ctx, "ptl"));

	if (!f || kind < 0) {
		snprintf(err, errlen, "lock-floor: cannot set up");
		free(f);
		return -1;
	}
	f->kind = (enum ptl_kind)kind;
	ptl_init(f->kind, &f->line.lock);
	f->line.slot = 0;
	ctx->priv = f;
	return 0;
}

static void lock_floor_teardown(struct fb_ctx *ctx)
{
	struct lock_floor *f = ctx->priv;

	ptl_destroy(f->kind, &f->line.lock);
	free(f);
}

static unsigned long lock_floor_step(struct fb_thread *t, unsigned long n)
{
	struct lock_floor *f = t->ctx->priv;
	struct mcs_node node;

	ptl_lock(f->kind, &f->line.lock, &node);
	if (!__atomic_load_n(&f->line.slot, __ATOMIC_RELAXED))
		__atomic_store_n(&f->line.slot, 1, __ATOMIC_RELAXED);
	ptl_unlock(f->kind, &f->line.lock, &node);
	return 1;
}

static void lock_floor_rearm(struct fb_ctx *ctx)
{
	struct lock_floor *f = ctx->priv;

	__atomic_store_n(&f->line.slot, 0, __ATOMIC_RELAXED);
}

static const struct fb_param lock_floor_params[] = {
	{ .name = "ptl",
	  .type = FB_PARAM_CHOICE,
	  .def = "ticket",
	  .choices = "ticket|queued|ttas|pthread-spin|pthread-mutex",
	  .help = "the kind of lock" },
	{ .name = NULL },
};

const struct fb_scenario fb_scenario_lock_floor = {
	.name = "lock-floor",
	.description = "lock, check and store one slot on one cache line, in lockstep rounds",
	.question = "The floor under same-addr: how close is a modelled fault round to the bare "
		    "synchronisation it cannot avoid? (target: same-addr <= 1.5x)",
	.shape = FB_SHAPE_ROUNDS,
	.unit = "round",
	.params = lock_floor_params,
	.setup = lock_floor_setup,
	.teardown = lock_floor_teardown,
	.step = lock_floor_step,
	.rearm = lock_floor_rearm,
};
