/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenario interface.  A scenario is one small file in scenarios/ that
 * fills a struct fb_scenario and adds one line to scenarios/registry.c; the
 * runner never names a scenario.  It says what it measures and which seed
 * question it answers, declares its parameters, builds its model in setup(),
 * and does its work in step().
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
	FB_PARAM_TEXT,	 /* free text, checked by .mm_key when it is set */
};

struct fb_param {
	const char *name;
	enum fb_param_type type;
	const char *def;
	const char *choices; /* CHOICE: the values; TEXT: how to write one, for help */
	long min, max;	     /* INT */
	const char *help;
	/* When set, the value is an fc_mm_config_set() knob of that name. */
	const char *mm_key;
};

#define FB_MAX_PARAMS 16

/* One run's parameter values, every one filled (defaults included). */
struct fb_values {
	const char *name[FB_MAX_PARAMS];
	char value[FB_MAX_PARAMS][64];
	int n;
};

struct fb_ctx {
	const struct fb_scenario *sc;
	const struct fb_values *values;
	int nthreads;
	uint64_t seed;
	void *priv; /* the scenario's, from setup() */
};

/* Per-thread state, on its own cache lines. */
struct fb_thread {
	struct fb_ctx *ctx;
	int tid;
	uint64_t rng; /* seeded from --seed and tid */
	void *priv;   /* the scenario's, from thread_init() */
} __attribute__((aligned(64)));

struct fb_scenario {
	const char *name;
	const char *description;
	const char *question; /* the seed or question it answers */
	enum fb_shape shape;
	const char *unit;	       /* what one iteration is: "op", "round" */
	const struct fb_param *params; /* ends with a { .name = NULL } entry */
	/*
	 * A scenario of the same shape run interleaved with this one, with the
	 * same threads and the parameters it shares: the floor that the
	 * result's ratio_to_floor compares against.
	 */
	const char *floor;

	/*
	 * Optional: rejects a combination of parameter values that cannot run,
	 * before anything runs (bad input: exit 2).  0, or -1 with one line.
	 */
	int (*check)(const struct fb_values *v, char *err, size_t errlen);
	/* Builds the model; returns 0, or -1 with a one-line reason. */
	int (*setup)(struct fb_ctx *ctx, char *err, size_t errlen);
	void (*teardown)(struct fb_ctx *ctx);
	/* Optional, in each worker thread before it starts. */
	int (*thread_init)(struct fb_thread *t);
	void (*thread_exit)(struct fb_thread *t);
	/* DURATION: n operations, returns how many were done.  ROUNDS: n is 1. */
	unsigned long (*step)(struct fb_thread *t, unsigned long n);
	/* ROUNDS: called by the last thread to arrive, with the others waiting. */
	void (*rearm)(struct fb_ctx *ctx);
	/* Optional: checks the model after the run (mm_verify and the like). */
	int (*verify)(struct fb_ctx *ctx, char *err, size_t errlen);
};

/* scenarios/registry.c */
extern const struct fb_scenario *const fb_scenarios[];
const struct fb_scenario *fb_scenario_find(const char *name);

/* Parameter access for scenarios (runners/params.c). */
const char *fb_values_get(const struct fb_values *vals, const char *name);
const char *fb_param_str(const struct fb_ctx *ctx, const char *name);
long fb_param_long(const struct fb_ctx *ctx, const char *name);
/*
 * Fills cfg from the defaults and every parameter that has an mm_key.
 * Returns 0, or -1 with the core's one-line message.
 */
int fb_mm_config_from_params(const struct fb_ctx *ctx, struct fc_mm_config *cfg, char *err,
			     size_t errlen);

#endif
