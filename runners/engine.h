/* SPDX-License-Identifier: GPL-2.0-only */
/* Between the engine (engine.c: workers and phases) and run.c (one configuration). */
#ifndef FAULTBENCH_ENGINE_H
#define FAULTBENCH_ENGINE_H

#include "runner.h"

struct engine;

/* progress.c: the bar of one configuration, nr_phases engine phases. */
struct progress {
	bool on;
	int phase, nr_phases; /* the phase under way, and how many the configuration runs */
	uint64_t t_start;     /* the configuration's start, if o has no progress_start */
	const struct fb_run_opts *o;
	double shown; /* the whole command's part done, as last drawn */
	int drawn;    /* columns the last draw took */
};
/* Redraws the bar with frac of the current phase done. */
void fb_progress_draw(struct progress *p, double frac);
/* Erases the bar. */
void fb_progress_end(struct progress *p);

/* Creates, pins and parks o->threads workers; NULL with a message on failure. */
struct engine *fb_engine_start(const struct fb_run_opts *o, char *err, size_t errlen);
/* How many workers their pinning could not bind (hwloc); read after a phase. */
int fb_engine_unpinned(struct engine *e);
void fb_engine_stop(struct engine *e);
/* How many workers' thread_init failed, over every phase so far. */
int fb_engine_init_failed(struct engine *e);
/*
 * Runs one phase of sc on ctx with every worker: a warmup (rep == NULL, for
 * warmup_s) or a repetition (duration_s or rounds), collected into rep
 * (each thread's part into rep->thread, when not NULL) and, with --latency,
 * merged into lat.  Either way its counters and iterations are added to
 * tally, for verify().  p->phase counts it.  Returns false when a signal
 * cut it short, or when a worker's thread_init failed: that worker steps
 * nothing (in rounds it still meets the others at every barrier), and the
 * phase measured fewer threads than it claims.
 */
bool fb_engine_phase(struct engine *e, struct progress *p, const struct fb_scenario *sc,
		     struct fb_ctx *ctx, bool warmup, struct fb_rep *rep, struct fb_latency *lat,
		     struct fb_tally *tally);

#endif
