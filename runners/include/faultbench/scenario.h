/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenario interface: the one header a scenario includes, as
 * <faultbench/scenario.h>.  A scenario is one small file in scenarios/ that
 * fills a struct fb_scenario and registers it with FB_SCENARIO(); the runner
 * finds it in the linker section and never names a scenario.  It says what
 * it measures and which question it answers, declares its parameters (the
 * model's knobs in one line), builds its model in setup(), does its work in
 * step(), names its headline counters and its floor, checks its accounting
 * in verify(), and declares the faults a test may plant to prove verify
 * bites.  scenarios/README.md walks through writing one.
 *
 * Two shapes:
 *   FB_SHAPE_DURATION  every thread calls step(t, n) over and over until the
 *                      run stops; step does n operations and returns how many.
 *   FB_SHAPE_ROUNDS    all threads meet at a barrier, each calls step(t, 1),
 *                      and the last to arrive at the next barrier calls
 *                      rearm() before releasing the others.  One round is one
 *                      iteration: a race on one address replayed many times.
 */
#ifndef FAULTBENCH_SCENARIO_H
#define FAULTBENCH_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <faultcore/faultcore.h>

enum fb_shape {
	FB_SHAPE_DURATION,
	FB_SHAPE_ROUNDS,
};

enum fb_param_type {
	FB_PARAM_CHOICE, /* one of .choices, "a|b|c" */
	FB_PARAM_INT,	 /* an integer in [.min, .max] */
	FB_PARAM_TEXT,	 /* free text */
	FB_PARAM_KNOBS,	 /* the core's knobs: write FB_MM_KNOBS or FB_MM_KNOB(name) */
};

struct fb_param {
	const char *name;
	enum fb_param_type type;
	const char *def;
	const char *choices; /* CHOICE: the values; TEXT: how to write one, for help */
	long min, max;	     /* INT */
	const char *help;
	bool knob; /* set by the runner: a knob of fc_mm_knobs[], checked by the core */
};

/*
 * In a params array: every knob of the core's table (fc_mm_knobs[]: recheck,
 * granularity, lock, dispatch, normal, arch, clear_page, ...) under the
 * core's names, with its choices, default and help.  FB_MM_KNOB("lock")
 * takes one knob alone.  A scenario's own parameters must not reuse a knob's
 * name.
 */
#define FB_MM_KNOBS                                 \
	{                                           \
		.name = "*", .type = FB_PARAM_KNOBS \
	}
#define FB_MM_KNOB(knob)                               \
	{                                              \
		.name = (knob), .type = FB_PARAM_KNOBS \
	}

#define FB_MAX_PARAMS 32

/* One run's parameter values, every one filled (defaults included). */
struct fb_values {
	const char *name[FB_MAX_PARAMS];
	char value[FB_MAX_PARAMS][64];
	int n;
	uint32_t given; /* bit i: name[i] was given, so a second value is refused */
	int nthreads;	/* the run's thread count, for check(): a shape that cannot hold it */
};

struct fb_ctx {
	const struct fb_scenario *sc;
	const struct fb_values *values;
	int nthreads;
	uint64_t seed;
	const char *plant; /* tests only: the fault to plant, or NULL; see fb_planted() */
	void *priv;	   /* the scenario's, from setup() */
	/* From fb_model_create(), or NULL; the runner destroys them after teardown(). */
	struct fc_phys *phys;
	struct mm_struct *mm;
};

/* Per-thread state, on its own cache lines. */
struct fb_thread {
	struct fb_ctx *ctx;
	int tid;
	uint64_t rng; /* seeded from --seed and tid */
	void *priv;   /* the scenario's, from thread_init() */
} __attribute__((aligned(64)));

/*
 * What the runner counted over every phase of one scenario's run, warmups
 * included: what verify() checks the model against.
 */
struct fb_tally {
	struct fc_stats stats; /* every thread's core counters, merged */
	/*
	 * ROUNDS: the rounds, each of which every thread stepped once and
	 * which rearm() closed.  DURATION: the operations step() returned.
	 */
	uint64_t iterations;
};

/*
 * A fault a test plants to prove that verify() catches it, such as a rearm
 * that skips its zap or a store counted twice.  Tests only: a planted run's
 * figures are wrong by design, and its result file says which was planted.
 */
struct fb_plant {
	const char *name;   /* "skip-zap" */
	const char *what;   /* one line: the fault */
	const char *params; /* name=value ... it needs to show, or NULL; tests run 2 threads */
};

struct fb_scenario {
	const char *name;
	const char *description;
	const char *question; /* the seed or question it answers */
	enum fb_shape shape;
	const char *unit;	       /* what one iteration is: "op", "round" */
	const struct fb_param *params; /* ends with a { .name = NULL } entry */
	/*
	 * Headline figures: the core counters (fc_stat_names) per iteration that
	 * answer the question, FB_HEADLINE("set_pte", "recheck_lost").  Tables,
	 * summaries and plots show these and no others.
	 */
	const char *const *headline;
	/*
	 * A scenario of the same shape run interleaved with this one, with the
	 * same threads and the parameters it shares: the floor that the
	 * result's ratio_to_floor compares against.
	 */
	const char *floor;
	/*
	 * The work is the live kernel's (the kernel-* scenarios), not the
	 * model's: --measure instructions is refused, since what costs is the
	 * kernel's instructions, which instructions:u and callgrind do not see.
	 */
	bool live_kernel;
	/* At least one fault verify() must catch: FB_PLANTS({ ... }, ...). */
	const struct fb_plant *plants;

	/*
	 * Optional: rejects a combination of parameter values that cannot run,
	 * before anything runs (bad input: exit 2).  0, or -1 with one line.
	 */
	int (*check)(const struct fb_values *v, char *err, size_t errlen);
	/*
	 * Builds the model; returns 0, or -1 with a one-line reason.  Either
	 * way, teardown() (optional) is called after it, so a setup that
	 * fails half-way leaves the undoing to teardown().  FB_SKIP, with the
	 * reason, when this machine cannot run the scenario at all (a system
	 * call it needs is not permitted): the runner says so and goes on.
	 */
	int (*setup)(struct fb_ctx *ctx, char *err, size_t errlen);
	void (*teardown)(struct fb_ctx *ctx);
	/* Optional, in each worker thread before and after each phase. */
	int (*thread_init)(struct fb_thread *t);
	void (*thread_exit)(struct fb_thread *t);
	/* DURATION: n operations, returns how many were done.  ROUNDS: n is 1. */
	unsigned long (*step)(struct fb_thread *t, unsigned long n);
	/* ROUNDS: called by the last thread to arrive, with the others waiting. */
	void (*rearm)(struct fb_ctx *ctx);
	/*
	 * After the last phase, before teardown: checks the model (mm_verify)
	 * and the exact identities that the tally's rounds or operations imply
	 * for the counters.  0, or -1 with one line; a failure makes the run
	 * exit 1 and marks its results.
	 */
	int (*verify)(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen);
};

/* setup(): this machine cannot run the scenario; not a failure. */
#define FB_SKIP 1

#define FB_HEADLINE(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define FB_PLANTS(...) ((const struct fb_plant[]){ __VA_ARGS__, { .name = NULL } })

/*
 * Registers a scenario from its own file:
 *
 *	FB_SCENARIO(same_addr) = { .name = "same-addr", ... };
 *
 * A pointer to it goes into the fb_scenarios linker section, which the
 * runner walks between __start_fb_scenarios and __stop_fb_scenarios.
 */
#define FB_SCENARIO(id)                                                                        \
	static const struct fb_scenario id;                                                    \
	static const struct fb_scenario *const fb_scenario_entry_##id                          \
		__attribute__((used, section("fb_scenarios"), aligned(sizeof(void *)))) = &id; \
	static const struct fb_scenario id

/* Parameter access for scenarios (runners/params.c). */
const char *fb_values_get(const struct fb_values *vals, const char *name);
const char *fb_param_str(const struct fb_ctx *ctx, const char *name);
long fb_param_long(const struct fb_ctx *ctx, const char *name);
/*
 * Fills cfg from the core's defaults and every knob the scenario takes.
 * Returns 0, or -1 with the core's one-line message.
 */
int fb_mm_config_from_params(const struct fb_ctx *ctx, struct fc_mm_config *cfg, char *err,
			     size_t errlen);
/*
 * The model most scenarios fault: ctx->phys with pc's frames, and ctx->mm on
 * it, configured from the knobs the scenario takes.  The runner destroys
 * both after teardown().  Returns 0, or -1 with a one-line reason.
 */
int fb_model_create(struct fb_ctx *ctx, const struct fc_phys_config *pc, char *err, size_t errlen);
/*
 * Whether the test-only fault `name` is planted in this run.  Ask in setup()
 * and keep the answer: never on the hot path.
 */
bool fb_planted(const struct fb_ctx *ctx, const char *name);

/*
 * For verify(): when `got` differs from `want`, writes "what: got G, want W"
 * into err and returns -1; else 0.  Chain them with ||.
 */
int fb_expect(uint64_t got, uint64_t want, const char *what, char *err, size_t errlen);
/*
 * The same for each counter named in `names` (fc_stat_names, space
 * separated): fb_expect_counters(t, "set_pte handler_calls.anon", n, ...).
 */
int fb_expect_counters(const struct fb_tally *t, const char *names, uint64_t want, char *err,
		       size_t errlen);

#endif
