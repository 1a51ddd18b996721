// SPDX-License-Identifier: GPL-2.0-only
/*
 * lock-floor: the least any same-address fault round can cost.  Every thread
 * takes one lock, checks one slot and stores into it if empty; the last to
 * finish the round empties it.  Lock and slot share one cache line, so the
 * round costs the line's transfers and the lock, nothing more.  same-addr
 * runs it interleaved as its floor.
 *
 * The winner counts its store in set_pte, as set_pte_at() counts the fault
 * path's: both rounds do the same bookkeeping, once per round, in a counter
 * of the thread's own.  The accounting (verify), for R rounds: exactly one
 * store a round, set_pte == R, and no other counter moves.
 */
#include <stdio.h>
#include <stdlib.h>

#include <faultbench/scenario.h>

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

enum lock_floor_plant { PLANT_NONE, PLANT_SKIP_CLEAR, PLANT_DOUBLE_COUNT };

struct lock_floor {
	union floor_line line;
	enum ptl_kind kind;
	enum lock_floor_plant plant;
};

static int lock_floor_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct lock_floor *f = aligned_alloc(FC_CACHELINE, sizeof(*f));
	struct fc_mm_config cfg;

	if (fb_mm_config_from_params(ctx, &cfg, err, errlen))
		return -1;
	if (!f) {
		snprintf(err, errlen, "lock-floor: out of memory");
		return -1;
	}
	f->kind = cfg.lock_kind;
	f->plant = fb_planted(ctx, "skip-clear")     ? PLANT_SKIP_CLEAR
		   : fb_planted(ctx, "double-count") ? PLANT_DOUBLE_COUNT
						     : PLANT_NONE;
	ptl_init(f->kind, &f->line.lock);
	f->line.slot = 0;
	ctx->priv = f;
	return 0;
}

static void lock_floor_teardown(struct fb_ctx *ctx)
{
	struct lock_floor *f = ctx->priv;

	if (f)
		ptl_destroy(f->kind, &f->line.lock);
	free(f);
}

static unsigned long lock_floor_step(struct fb_thread *t, unsigned long n)
{
	struct lock_floor *f = t->ctx->priv;
	struct mcs_node node;

	ptl_lock(f->kind, &f->line.lock, &node);
	if (!__atomic_load_n(&f->line.slot, __ATOMIC_RELAXED)) {
		__atomic_store_n(&f->line.slot, 1, __ATOMIC_RELAXED);
		fc_count(FC_STAT_SET_PTE);
	}
	ptl_unlock(f->kind, &f->line.lock, &node);
	return 1;
}

static void lock_floor_rearm(struct fb_ctx *ctx)
{
	struct lock_floor *f = ctx->priv;

	if (f->plant == PLANT_SKIP_CLEAR) /* tests only */
		return;
	if (f->plant == PLANT_DOUBLE_COUNT)
		fc_count(FC_STAT_SET_PTE);
	__atomic_store_n(&f->line.slot, 0, __ATOMIC_RELAXED);
}

static int lock_floor_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	uint64_t others = 0;

	for (int i = 0; i < FC_STAT_NR; i++)
		others += i == FC_STAT_SET_PTE ? 0 : t->stats.v[i];
	return fb_expect(t->stats.v[FC_STAT_SET_PTE], t->iterations, "set_pte == rounds", err,
			 errlen) ||
	       fb_expect(others, 0, "counters other than set_pte", err, errlen);
}

static const struct fb_param lock_floor_params[] = {
	FB_MM_KNOB("lock"),
	{ .name = NULL },
};

FB_SCENARIO(lock_floor) = {
	.name = "lock-floor",
	.description = "lock, check and store one slot on one cache line, in lockstep rounds",
	.question = "The floor under same-addr: how close is a modelled fault round to the bare "
		    "synchronisation it cannot avoid? (target: same-addr <= 1.5x)",
	.shape = FB_SHAPE_ROUNDS,
	.unit = "round",
	.params = lock_floor_params,
	.headline = FB_HEADLINE("set_pte"),
	.plants = FB_PLANTS({ .name = "skip-clear", .what = "the rearm leaves the slot full" },
			    { .name = "double-count",
			      .what = "the rearm counts one store more than was made" }),
	.setup = lock_floor_setup,
	.teardown = lock_floor_teardown,
	.step = lock_floor_step,
	.rearm = lock_floor_rearm,
	.verify = lock_floor_verify,
};
