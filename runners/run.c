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

int fb_run_check(const struct fb_run_opts *o, char *err, size_t errlen)
{
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
	if (o->sc->floor && !fb_scenario_find(o->sc->floor)) {
		snprintf(err, errlen, "%s names a floor '%s' that is not registered", o->sc->name,
			 o->sc->floor);
		return -1;
	}
	return 0;
}

static int ctx_setup(struct fb_ctx *ctx, const struct fb_scenario *sc, const struct fb_values *v,
		     const struct fb_run_opts *o, char *err, size_t errlen)
{
	*ctx = (struct fb_ctx){ .sc = sc, .values = v, .nthreads = o->threads, .seed = o->seed };
	if (sc->setup && sc->setup(ctx, err, errlen))
		return -1;
	return 0;
}

static void ctx_teardown(struct fb_ctx *ctx, struct fb_result *res, bool check)
{
	char err[FB_ERRLEN / 2];

	if (check && ctx->sc->verify && !res->verify[0] && ctx->sc->verify(ctx, err, sizeof(err)))
		snprintf(res->verify, sizeof(res->verify), "%s: %s", ctx->sc->name, err);
	if (ctx->sc->teardown)
		ctx->sc->teardown(ctx);
}

static void describe_cpus(const struct fb_run_opts *o, struct fb_result *res)
{
	size_t len = 0;

	res->cpus[0] = '\0';
	for (int i = 0; i < o->threads && len + 16 < sizeof(res->cpus); i++) {
		char one[64];

		fb_slot_cpus(o->topo, o->pin, i, one, sizeof(one));
		len += (size_t)snprintf(res->cpus + len, sizeof(res->cpus) - len, "%s%s",
					i ? ";" : "", one);
	}
	res->oversubscribed = o->threads > fb_nr_pus(o->topo);
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

static void progress_end(struct progress *p)
{
	if (p->on)
		fprintf(stderr, "\r%*s\r", 78, "");
}

static void run_reps(struct engine *e, struct progress *p, struct fb_ctx *ctx,
		     struct fb_ctx *floor_ctx, struct fb_result *res)
{
	const struct fb_run_opts *o = p->o;

	for (int r = 0; r < o->repetitions && !fb_interrupted; r++, p->phase++) {
		struct fb_rep rep, floor;

		if (!fb_engine_phase(e, p, o->sc, ctx, false, &rep, o->latency ? &res->hist : NULL))
			break;
		/* Interleaved, so that drift hits the scenario and its floor alike. */
		if (floor_ctx) {
			if (!fb_engine_phase(e, p, res->floor_sc, floor_ctx, false, &floor, NULL))
				break;
			rep.floor_ns = floor.real_ns;
		}
		res->reps[res->nr_reps++] = rep;
	}
}

int fb_run(const struct fb_run_opts *o, struct fb_result *res, char *err, size_t errlen)
{
	struct fb_ctx ctx, floor_ctx;
	struct fb_values floor_vals;
	struct progress p = { .on = o->progress, .o = o, .t_start = fb_now_ns() };
	struct engine *e;
	bool has_floor;

	memset(res, 0, sizeof(*res));
	res->opts = *o;
	res->opts.values = o->values;
	if (fb_run_check(o, err, errlen))
		return -1;
	res->floor_sc = o->sc->floor ? fb_scenario_find(o->sc->floor) : NULL;
	has_floor = res->floor_sc != NULL;
	res->reps = calloc((size_t)o->repetitions, sizeof(*res->reps));
	if (!res->reps || (o->latency && fb_hist_init(&res->hist))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	describe_cpus(o, res);
	fb_clock_init();
	if (o->latency)
		res->latency_overhead_ns = latency_overhead();
	if (ctx_setup(&ctx, o->sc, &res->opts.values, o, err, errlen))
		return -1;
	if (has_floor) {
		fb_values_inherit(res->floor_sc, &o->values, &floor_vals);
		if (ctx_setup(&floor_ctx, res->floor_sc, &floor_vals, o, err, errlen)) {
			ctx_teardown(&ctx, res, false);
			return -1;
		}
	}
	e = fb_engine_start(o, err, errlen);
	if (!e) {
		ctx_teardown(&ctx, res, false);
		if (has_floor)
			ctx_teardown(&floor_ctx, res, false);
		return -1;
	}
	p.nr_phases = o->repetitions + (o->warmup_s > 0);
	if (o->warmup_s > 0 && !fb_interrupted) {
		fb_engine_phase(e, &p, o->sc, &ctx, true, NULL, NULL);
		if (has_floor && !fb_interrupted)
			fb_engine_phase(e, &p, res->floor_sc, &floor_ctx, true, NULL, NULL);
		p.phase++;
	}
	run_reps(e, &p, &ctx, has_floor ? &floor_ctx : NULL, res);
	fb_engine_stop(e);
	progress_end(&p);
	res->interrupted = fb_interrupted;
	ctx_teardown(&ctx, res, true);
	if (has_floor)
		ctx_teardown(&floor_ctx, res, true);
	return 0;
}

void fb_result_free(struct fb_result *res)
{
	free(res->reps);
	res->reps = NULL;
	fb_hist_free(&res->hist);
}
