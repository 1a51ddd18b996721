// SPDX-License-Identifier: GPL-2.0-only
/*
 * floor: this machine's bare costs, through the same harness as the fault
 * scenarios, so that their figures can be read as multiples of these.  One
 * operation is, by op=:
 *
 *   lock-pair   lock and unlock a lock of the thread's own (on its own line),
 *               bumping the word it guards: the uncontended cost of one PTL
 *               acquisition, per lock kind;
 *   cycle       lock, check and store one slot on one line shared by every
 *               thread, and unlock: the fault path's synchronisation alone
 *               (one thread) or racing on one line (T threads).  lock-floor
 *               is the same cycle in lockstep rounds, same-addr's floor;
 *   atomic-add  one atomic add to a counter shared by every thread;
 *   ping-pong   one hand-off of a token around the threads, on one line:
 *               with two threads, one cache-line transfer one way.  A thread
 *               that waits too long for the token (its partner has stopped)
 *               returns what it did.
 *
 * The accounting (verify), for N operations: the guarded words of lock-pair
 * sum to N; cycle's slot holds N and set_pte == N (the store is counted as
 * set_pte_at counts the fault path's); atomic-add's counter holds N;
 * ping-pong passed the token N times.  No other counter moves.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

enum floor_op { FLOOR_LOCK_PAIR, FLOOR_CYCLE, FLOOR_ATOMIC_ADD, FLOOR_PING_PONG };

/* A lock and the word it guards, on one line. */
struct floor_line {
	struct ptlock lock;
	uint64_t word;
	int turn; /* ping-pong: whose the token is */
} __attribute__((aligned(FC_CACHELINE)));

/* How long a ping-pong thread yields for a token that does not come. */
#define FLOOR_YIELDS_BEFORE_GIVING_UP 10000

struct floor {
	enum floor_op op;
	enum ptl_kind kind;
	int nthreads;
	bool double_count; /* a fault a test plants */
	struct floor_line shared;
	struct floor_line own[]; /* lock-pair: one per thread */
};

static int floor_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	static const char *const ops[] = { "lock-pair", "cycle", "atomic-add", "ping-pong" };
	size_t nown = (size_t)ctx->nthreads;
	struct floor *f = aligned_alloc(FC_CACHELINE, sizeof(*f) + nown * sizeof(f->own[0]));
	struct fc_mm_config cfg;

	ctx->priv = f;
	if (!f) {
		snprintf(err, errlen, "floor: out of memory");
		return -1;
	}
	memset(f, 0, sizeof(*f) + nown * sizeof(f->own[0]));
	if (fb_mm_config_from_params(ctx, &cfg, err, errlen))
		return -1;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(fb_param_str(ctx, "op"), ops[i]))
			f->op = (enum floor_op)i;
	f->kind = cfg.lock_kind;
	f->nthreads = ctx->nthreads;
	f->double_count = fb_planted(ctx, "double-count");
	ptl_init(f->kind, &f->shared.lock);
	for (size_t i = 0; i < nown; i++)
		ptl_init(f->kind, &f->own[i].lock);
	return 0;
}

static void floor_teardown(struct fb_ctx *ctx)
{
	struct floor *f = ctx->priv;

	if (f && f->nthreads) {
		ptl_destroy(f->kind, &f->shared.lock);
		for (int i = 0; i < f->nthreads; i++)
			ptl_destroy(f->kind, &f->own[i].lock);
	}
	free(f);
}

static void floor_locked(struct floor *f, struct floor_line *l, bool count)
{
	struct mcs_node node;
	uint64_t w;

	ptl_lock(f->kind, &l->lock, &node);
	w = __atomic_load_n(&l->word, __ATOMIC_RELAXED);
	__atomic_store_n(&l->word, w + 1, __ATOMIC_RELAXED);
	if (count)
		fc_count(FC_STAT_SET_PTE);
	ptl_unlock(f->kind, &l->lock, &node);
}

/* Waits for the token, passes it on; returns false when it never came. */
static bool floor_pass(struct floor *f, int tid)
{
	unsigned spins = 0, yields = 0;

	while ((int)__atomic_load_n(&f->shared.turn, __ATOMIC_ACQUIRE) != tid) {
		if (++spins < PTL_SPINS_BEFORE_YIELD) {
			cpu_relax();
			continue;
		}
		spins = 0;
		if (++yields == FLOOR_YIELDS_BEFORE_GIVING_UP)
			return false;
		sched_yield();
	}
	__atomic_store_n(&f->shared.word, __atomic_load_n(&f->shared.word, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&f->shared.turn, (tid + 1) % f->nthreads, __ATOMIC_RELEASE);
	return true;
}

static unsigned long floor_step(struct fb_thread *t, unsigned long n)
{
	struct floor *f = t->ctx->priv;
	unsigned long i;

	switch (f->op) {
	case FLOOR_LOCK_PAIR:
		for (i = 0; i < n; i++)
			floor_locked(f, &f->own[t->tid], false);
		break;
	case FLOOR_CYCLE:
		for (i = 0; i < n; i++)
			floor_locked(f, &f->shared, true);
		break;
	case FLOOR_ATOMIC_ADD:
		for (i = 0; i < n; i++)
			__atomic_fetch_add(&f->shared.word, 1, __ATOMIC_RELAXED);
		break;
	case FLOOR_PING_PONG:
	default:
		for (i = 0; i < n && floor_pass(f, t->tid); i++)
			;
		break;
	}
	return i + f->double_count;
}

static int floor_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct floor *f = ctx->priv;
	uint64_t done = f->shared.word, others = 0;

	if (f->op == FLOOR_LOCK_PAIR)
		for (int i = 0; i < f->nthreads; i++)
			done += f->own[i].word;
	for (int i = 0; i < FC_STAT_NR; i++)
		others += i == FC_STAT_SET_PTE ? 0 : t->stats.v[i];
	return fb_expect(done, t->iterations, "operations done == operations counted", err,
			 errlen) ||
	       fb_expect(t->stats.v[FC_STAT_SET_PTE], f->op == FLOOR_CYCLE ? t->iterations : 0,
			 "set_pte == the cycle's stores", err, errlen) ||
	       fb_expect(others, 0, "counters other than set_pte", err, errlen);
}

static const struct fb_param floor_params[] = {
	{ .name = "op",
	  .type = FB_PARAM_CHOICE,
	  .def = "cycle",
	  .choices = "lock-pair|cycle|atomic-add|ping-pong",
	  .help = "lock-pair: a lock of the thread's own; cycle: lock, check, store, unlock on one "
		  "shared line; atomic-add: a shared counter; ping-pong: a token passed around "
		  "the threads" },
	FB_MM_KNOB("lock"),
	{ .name = NULL },
};

FB_SCENARIO(floor_scenario) = {
	.name = "floor",
	.description = "bare costs: a lock pair, the lock/check/store cycle, an atomic add, a "
		       "cache-line hand-off",
	.question = "What do this machine's locks and cache lines cost alone, so that a fault "
		    "figure can be read as a multiple of them?",
	.shape = FB_SHAPE_DURATION,
	.unit = "op",
	.params = floor_params,
	.headline = FB_HEADLINE("set_pte"),
	.plants = FB_PLANTS({ .name = "double-count",
			      .what = "each step reports one operation more than it did" }),
	.setup = floor_setup,
	.teardown = floor_teardown,
	.step = floor_step,
	.verify = floor_verify,
};
