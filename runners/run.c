// SPDX-License-Identifier: GPL-2.0-only
/*
 * One configuration, end to end: check the options, set up the scenario (and
 * its floor), warm up, run the repetitions interleaved with the floor, and
 * verify the model afterwards.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "measure.h"

static const struct fb_plant *plant_find(const struct fb_scenario *sc, const char *name)
{
	for (const struct fb_plant *p = sc->plants; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* Each thread's CPUs, ';' between threads, into buf; -1 when they do not fit. */
static int describe_cpus(const struct fb_run_opts *o, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < o->threads; i++) {
		char one[256];
		int n;

		fb_slot_cpus(o->topo, o->pin, i, one, sizeof(one));
		n = snprintf(buf + at, len - at, "%s%s", i ? ";" : "", one);
		if (n < 0 || (size_t)n >= len - at || strlen(one) + 1 >= sizeof(one))
			return -1;
		at += (size_t)n;
	}
	return 0;
}

int fb_run_check(const struct fb_run_opts *o, char *err, size_t errlen)
{
	static char cpus[FR_CPUS_LEN];

	if (o->threads < 1 || o->threads > FB_MAX_THREADS) {
		snprintf(err, errlen, "invalid thread count %d (valid: 1 to %d)", o->threads,
			 FB_MAX_THREADS);
		return -1;
	}
	if (o->rounds && o->sc->shape != FB_SHAPE_ROUNDS) {
		snprintf(err, errlen,
			 "%s runs for a duration, not in rounds (valid: --duration SECONDS)",
			 o->sc->name);
		return -1;
	}
	if (o->sc->check && o->sc->check(&o->values, err, errlen))
		return -1;
	if (o->plant && !plant_find(o->sc, o->plant)) {
		char names[256] = "";

		for (const struct fb_plant *pl = o->sc->plants; pl && pl->name; pl++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 pl == o->sc->plants ? "" : "|", pl->name);
		snprintf(err, errlen, "%s has no plant '%s' (valid: %s)", o->sc->name, o->plant,
			 names[0] ? names : "none");
		return -1;
	}
	if (o->topo && describe_cpus(o, cpus, sizeof(cpus))) {
		snprintf(err, errlen,
			 "the CPUs of %d threads do not fit a result's list (valid: fewer threads, "
			 "or --pin none)",
			 o->threads);
		return -1;
	}
	if (o->sc->floor && !fb_scenario_find(o->sc->floor)) {
		snprintf(err, errlen, "%s names a floor '%s' that is not registered", o->sc->name,
			 o->sc->floor);
		return -1;
	}
	return 0;
}

/* A scenario under run, and what the runner counted for it. */
struct side {
	struct fb_ctx ctx;
	struct fb_tally tally;
};

static int side_setup(struct side *s, const struct fb_scenario *sc, const struct fb_values *v,
		      const char *plant, const struct fb_run_opts *o, char *err, size_t errlen)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->ctx = (struct fb_ctx){
		.sc = sc, .values = v, .nthreads = o->threads, .seed = o->seed, .plant = plant
	};
	ret = sc->setup ? sc->setup(&s->ctx, err, errlen) : 0;
	if (ret) {
		if (sc->teardown)
			sc->teardown(&s->ctx);
		fb_model_destroy(&s->ctx);
		return ret == FB_SKIP ? FB_SKIP : -1;
	}
	return 0;
}

static void side_teardown(struct side *s, struct fb_result *res, bool check)
{
	const struct fb_scenario *sc = s->ctx.sc;
	char err[FB_ERRLEN / 2];

	if (check && sc->verify && !res->verify[0] &&
	    sc->verify(&s->ctx, &s->tally, err, sizeof(err)))
		snprintf(res->verify, sizeof(res->verify), "%s: %s", sc->name, err);
	if (sc->teardown)
		sc->teardown(&s->ctx);
	fb_model_destroy(&s->ctx);
}

/* The cost of timing one operation with --latency: one null step, timed. */
static double latency_overhead(void)
{
	struct fb_hist h;
	uint64_t sink = 0;
	double ns;

	if (fb_hist_init(&h))
		return 0;
	for (int i = 0; i < 200000; i++) {
		uint64_t a = fb_ticks();

		sink += fb_null_loop.step(NULL, 1);
		fb_hist_record(&h, fb_ticks() - a);
	}
	(void)sink;
	ns = (double)fb_hist_percentile(&h, 50) * fb_ns_per_tick();
	fb_hist_free(&h);
	return ns;
}

/* --measure: callgrind's count of the phase just run, and where it went. */
static int measured(const struct fb_run_opts *o, struct fb_rep *rep, bool breakdown, char *err,
		    size_t errlen)
{
	if (!o->measure)
		return 0;
	return fb_measure_read(o->measure, rep->iterations, &rep->instructions,
			       breakdown ? &rep->breakdown : NULL, err, errlen);
}

static int run_reps(struct engine *e, struct progress *p, struct side *sc_side,
		    struct side *floor_side, struct fb_result *res, char *err, size_t errlen)
{
	const struct fb_run_opts *o = p->o;

	for (int r = 0; r < o->repetitions && !fb_interrupted; r++) {
		struct fb_rep rep = { .thread = calloc((size_t)o->threads, sizeof(*rep.thread)) },
			      floor_rep = { 0 };
		struct fb_rep *kept;

		if (!rep.thread) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (!fb_engine_phase(e, p, o->sc, &sc_side->ctx, false, &rep,
				     o->latency ? &res->latency : NULL, &sc_side->tally)) {
			free(rep.thread);
			break;
		}
		if (measured(o, &rep, true, err, errlen)) {
			free(rep.thread);
			return -1;
		}
		kept = &res->reps[res->nr_reps++];
		*kept = rep;
		/* Interleaved, so that drift hits the scenario and its floor alike. */
		if (floor_side) {
			if (!fb_engine_phase(e, p, res->floor_sc, &floor_side->ctx, false,
					     &floor_rep, NULL, &floor_side->tally))
				break;
			if (measured(o, &floor_rep, false, err, errlen))
				return -1;
			kept->floor_ns = floor_rep.real_ns;
			if (floor_rep.iterations)
				kept->floor_instructions = (double)floor_rep.instructions /
							   (double)floor_rep.iterations;
		}
	}
	return 0;
}

int fb_run(const struct fb_run_opts *o, struct fb_result *res, char *err, size_t errlen)
{
	struct side sc_side, floor_side;
	struct fb_values floor_vals;
	struct progress p = { .on = o->progress, .o = o, .t_start = fb_now_ns() };
	struct engine *e;
	bool has_floor;
	int ret;

	memset(res, 0, sizeof(*res));
	res->opts = *o;
	res->opts.values = o->values;
	if (fb_run_check(o, err, errlen))
		return -1;
	res->floor_sc = o->sc->floor ? fb_scenario_find(o->sc->floor) : NULL;
	has_floor = res->floor_sc != NULL;
	res->reps = calloc((size_t)o->repetitions, sizeof(*res->reps));
	if (!res->reps || (o->latency && fb_latency_init(&res->latency))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	describe_cpus(o, res->cpus, sizeof(res->cpus)); /* fits: fb_run_check() tried it */
	res->oversubscribed = o->threads > fb_nr_pus(o->topo);
	fb_clock_init();
	if (o->latency)
		res->latency_overhead_ns = latency_overhead();
	ret = side_setup(&sc_side, o->sc, &res->opts.values, o->plant, o, err, errlen);
	if (ret)
		return ret;
	/* A plant is the scenario's own: its floor runs clean. */
	if (has_floor) {
		fb_values_inherit(res->floor_sc, &o->values, &floor_vals);
		if (side_setup(&floor_side, res->floor_sc, &floor_vals, NULL, o, err, errlen)) {
			side_teardown(&sc_side, res, false);
			return -1;
		}
	}
	e = fb_engine_start(o, err, errlen);
	if (!e) {
		side_teardown(&sc_side, res, false);
		if (has_floor)
			side_teardown(&floor_side, res, false);
		return -1;
	}
	/* the floor's phases interleave with the scenario's */
	p.nr_phases = (o->repetitions + (o->warmup_s > 0)) * (has_floor ? 2 : 1);
	if (o->warmup_s > 0 && !fb_interrupted) {
		fb_engine_phase(e, &p, o->sc, &sc_side.ctx, true, NULL, NULL, &sc_side.tally);
		if (has_floor && !fb_interrupted)
			fb_engine_phase(e, &p, res->floor_sc, &floor_side.ctx, true, NULL, NULL,
					&floor_side.tally);
	}
	ret = fb_engine_init_failed(e)
		      ? 0
		      : run_reps(e, &p, &sc_side, has_floor ? &floor_side : NULL, res, err, errlen);
	if (!ret && fb_engine_init_failed(e)) {
		snprintf(err, errlen,
			 "%s: thread_init failed %d times: not every thread ran, so nothing was "
			 "measured",
			 o->sc->name, fb_engine_init_failed(e));
		ret = -1;
	}
	res->unpinned = fb_engine_unpinned(e);
	fb_engine_stop(e);
	fb_progress_end(&p);
	res->interrupted = fb_interrupted;
	side_teardown(&sc_side, res, true);
	if (has_floor)
		side_teardown(&floor_side, res, true);
	return ret;
}

void fb_result_free(struct fb_result *res)
{
	for (int i = 0; res->reps && i < res->nr_reps; i++) {
		fr_breakdown_free(res->reps[i].breakdown);
		free(res->reps[i].thread);
	}
	free(res->reps);
	res->reps = NULL;
	fb_latency_free(&res->latency);
}
