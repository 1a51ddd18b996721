// SPDX-License-Identifier: GPL-2.0-only
/*
 * The engine: creates the workers once per configuration, pins them, and
 * drives them through phases (warmup, then each repetition, interleaved with
 * the floor when the scenario has one).  A phase starts with a spin barrier
 * among the workers, so they leave it together, and only then reads the
 * clock.  The clock is read at the start and end of a phase, never per
 * operation unless --latency asks for it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runner.h"

#define DURATION_BATCH 1024

volatile sig_atomic_t fb_interrupted;

struct phase {
	const struct fb_scenario *sc;
	struct fb_ctx *ctx;
	unsigned long rounds; /* ROUNDS: stop after this many; 0: when told to */
	bool latency;
};

struct engine;

struct worker {
	struct fb_thread t;
	struct engine *e;
	pthread_t th;
	uint64_t ops, t0, t1, cpu0, cpu1;
	struct fc_stats stats;
	struct fb_counts counts;
	struct fb_group group;
	struct fb_hist hist;
	int bind_failed;
	int init_failed;
} __attribute__((aligned(64)));

struct engine {
	const struct fb_run_opts *o;
	struct fb_barrier spin;
	pthread_barrier_t start;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int finished;
	bool exit;
	struct phase phase;
	unsigned long rounds_done; /* written by the last arrival only */
	int stop __attribute__((aligned(64)));
	struct worker *w;
};

static void on_signal(int sig)
{
	__atomic_store_n(&fb_interrupted, 1, __ATOMIC_RELAXED);
}

void fb_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static bool stopped(struct engine *e)
{
	return __atomic_load_n(&e->stop, __ATOMIC_RELAXED);
}

static void duration_loop(struct worker *w, const struct phase *ph)
{
	unsigned long (*step)(struct fb_thread *, unsigned long) = ph->sc->step;

	if (!ph->latency) {
		while (!stopped(w->e))
			w->ops += step(&w->t, DURATION_BATCH);
		return;
	}
	while (!stopped(w->e)) {
		for (int i = 0; i < DURATION_BATCH; i++) {
			uint64_t a = fb_ticks();

			step(&w->t, 1);
			fb_hist_record(&w->hist, fb_ticks() - a);
		}
		w->ops += DURATION_BATCH;
	}
}

/* The last arrival of a round: re-arm, and decide for everyone whether to go on. */
static bool round_end(void *arg)
{
	struct engine *e = arg;
	const struct phase *ph = &e->phase;

	if (ph->sc->rearm)
		ph->sc->rearm(ph->ctx);
	__atomic_store_n(&e->rounds_done, __atomic_load_n(&e->rounds_done, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	if (__atomic_load_n(&fb_interrupted, __ATOMIC_RELAXED))
		__atomic_store_n(&e->stop, 1, __ATOMIC_RELAXED);
	return (ph->rounds && e->rounds_done >= ph->rounds) || stopped(e);
}

static void rounds_loop(struct worker *w, const struct phase *ph, int *sense)
{
	unsigned long (*step)(struct fb_thread *, unsigned long) = ph->sc->step;

	for (;;) {
		if (ph->latency) {
			uint64_t a = fb_ticks();

			step(&w->t, 1);
			fb_hist_record(&w->hist, fb_ticks() - a);
		} else {
			step(&w->t, 1);
		}
		w->ops++;
		if (fb_barrier_wait(&w->e->spin, sense, round_end, w->e))
			break;
	}
}

static void run_phase(struct worker *w, int *sense)
{
	const struct phase *ph = &w->e->phase;

	w->t.ctx = ph->ctx;
	w->t.priv = NULL;
	w->ops = 0;
	w->init_failed = ph->sc->thread_init ? ph->sc->thread_init(&w->t) : 0;
	fc_stats_reset();
	/* Everyone leaves this barrier together; the clock starts after it. */
	fb_barrier_wait(&w->e->spin, sense, NULL, NULL);
	fb_group_start(&w->group);
	w->cpu0 = thread_cpu_ns();
	w->t0 = fb_now_ns();
	if (ph->sc->shape == FB_SHAPE_ROUNDS)
		rounds_loop(w, ph, sense);
	else
		duration_loop(w, ph);
	w->t1 = fb_now_ns();
	w->cpu1 = thread_cpu_ns();
	fb_group_stop(w->e->o->events, &w->group, &w->counts);
	fc_stats_read(&w->stats);
	if (ph->sc->thread_exit && !w->init_failed)
		ph->sc->thread_exit(&w->t);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct engine *e = w->e;
	int sense = 0;

	w->bind_failed = fb_bind_thread(e->o->topo, e->o->pin, w->t.tid) != 0;
	fb_group_open(e->o->events, &w->group);
	for (;;) {
		pthread_barrier_wait(&e->start);
		if (e->exit)
			break;
		run_phase(w, &sense);
		pthread_mutex_lock(&e->lock);
		e->finished++;
		pthread_cond_signal(&e->cond);
		pthread_mutex_unlock(&e->lock);
	}
	fb_group_close(&w->group);
	return NULL;
}

/* --- the controller ------------------------------------------------------ */

struct progress {
	bool on;
	int phase, nr_phases;
	uint64_t t_start;
	const struct fb_run_opts *o;
};

static void progress_draw(struct progress *p, double frac)
{
	double done = (p->phase + frac) / p->nr_phases;
	double el = (double)(fb_now_ns() - p->t_start) / 1e9;
	double eta = done > 0 ? el / done - el : 0;
	int width = 30, fill = (int)(done * width);

	if (!p->on)
		return;
	fprintf(stderr, "\r%s %d/%d threads=%d [%-*.*s] %3.0f%% ETA %.0fs ", p->o->sc->name,
		p->o->progress_index + 1, p->o->progress_total ? p->o->progress_total : 1,
		p->o->threads, width, fill, "##############################", done * 100, eta);
}

static void wait_finished(struct engine *e, struct progress *p, double duration_s)
{
	uint64_t t0 = fb_now_ns();
	uint64_t stop_at = t0 + (uint64_t)(duration_s * 1e9);

	pthread_mutex_lock(&e->lock);
	while (e->finished < e->o->threads) {
		struct timespec ts;
		uint64_t now = fb_now_ns();
		/* Wake for the stop time, a signal, or the progress bar. */
		uint64_t next = now + 100 * 1000 * 1000;

		if (!e->phase.rounds && next > stop_at)
			next = stop_at;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)((next > now ? next - now : 0) % 1000000000ull);
		ts.tv_sec += (time_t)((next > now ? next - now : 0) / 1000000000ull);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&e->cond, &e->lock, &ts);
		now = fb_now_ns();
		if (fb_interrupted || (!e->phase.rounds && now >= stop_at))
			__atomic_store_n(&e->stop, 1, __ATOMIC_RELAXED);
		if (e->phase.rounds)
			progress_draw(p, (double)__atomic_load_n(&e->rounds_done, __ATOMIC_RELAXED) /
					      (double)e->phase.rounds);
		else
			progress_draw(p, duration_s > 0 ? (double)(now - t0) / (duration_s * 1e9) : 1);
	}
	pthread_mutex_unlock(&e->lock);
}

static void run_workers(struct engine *e, struct progress *p, double duration_s)
{
	e->finished = 0;
	e->rounds_done = 0;
	e->stop = 0;
	/*
	 * The spin barrier is not re-initialised between phases: each worker
	 * keeps its sense from the last one, and the barrier's must match.
	 */
	pthread_barrier_wait(&e->start);
	wait_finished(e, p, duration_s);
}

static void collect(struct engine *e, const struct fb_scenario *sc, struct fb_rep *rep,
		    struct fb_hist *hist)
{
	uint64_t t0 = UINT64_MAX, t1 = 0, ops = 0, el = 0, cpu = 0;
	int n = e->o->threads;

	memset(rep, 0, sizeof(*rep));
	for (int i = 0; i < n; i++) {
		struct worker *w = &e->w[i];

		t0 = w->t0 < t0 ? w->t0 : t0;
		t1 = w->t1 > t1 ? w->t1 : t1;
		ops += w->ops;
		el += w->t1 - w->t0;
		cpu += w->cpu1 - w->cpu0;
		fc_stats_add(&rep->stats, &w->stats);
		for (int k = 0; k < FB_MAX_EVENTS; k++)
			rep->counts.v[k] += w->counts.v[k];
		rep->counts.enabled += w->counts.enabled;
		rep->counts.running += w->counts.running;
		rep->counts.missing |= w->counts.missing;
		if (w->t1 > w->t0 && w->ops)
			rep->items_per_second += (double)w->ops * 1e9 / (double)(w->t1 - w->t0);
		if (hist && w->hist.counts)
			fb_hist_merge(hist, &w->hist);
	}
	rep->wall_ns = (double)(t1 - t0);
	if (sc->shape == FB_SHAPE_ROUNDS) {
		/* Every thread counted each round: a round is one iteration. */
		rep->iterations = e->rounds_done;
		rep->real_ns = rep->iterations ? rep->wall_ns / (double)rep->iterations : 0;
		rep->items_per_second = rep->wall_ns > 0 ? rep->iterations * 1e9 / rep->wall_ns : 0;
	} else {
		rep->iterations = ops;
		rep->real_ns = ops ? (double)el / (double)ops : 0;
	}
	rep->cpu_ns = rep->iterations ? (double)cpu / (double)rep->iterations : 0;
}

static void reset_hists(struct engine *e)
{
	for (int i = 0; i < e->o->threads; i++)
		if (e->w[i].hist.counts)
			fb_hist_reset(&e->w[i].hist);
}

/* One phase of sc on ctx; returns false when it was cut short by a signal. */
static bool phase(struct engine *e, struct progress *p, const struct fb_scenario *sc,
		  struct fb_ctx *ctx, bool warmup, struct fb_rep *rep, struct fb_hist *hist)
{
	const struct fb_run_opts *o = e->o;
	double duration = warmup ? o->warmup_s : o->duration_s;

	e->phase = (struct phase){
		.sc = sc,
		.ctx = ctx,
		.rounds = warmup || !o->rounds ? 0 : o->rounds,
		.latency = o->latency && hist,
	};
	reset_hists(e);
	run_workers(e, p, duration);
	if (rep)
		collect(e, sc, rep, hist);
	return !fb_interrupted;
}

static int engine_start(struct engine *e, const struct fb_run_opts *o, char *err, size_t errlen)
{
	memset(e, 0, sizeof(*e));
	e->o = o;
	e->w = aligned_alloc(64, sizeof(*e->w) * (size_t)o->threads);
	if (!e->w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(e->w, 0, sizeof(*e->w) * (size_t)o->threads);
	pthread_barrier_init(&e->start, NULL, (unsigned)o->threads + 1);
	fb_barrier_init(&e->spin, (unsigned)o->threads);
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cond, NULL);
	for (int i = 0; i < o->threads; i++) {
		struct worker *w = &e->w[i];

		w->e = e;
		w->t.tid = i;
		w->t.rng = splitmix64(o->seed + (uint64_t)i);
		if (o->latency && fb_hist_init(&w->hist)) {
			snprintf(err, errlen, "out of memory for latency histograms");
			return -1;
		}
		if (pthread_create(&w->th, NULL, worker_main, w)) {
			snprintf(err, errlen, "cannot create thread %d: %s", i, strerror(errno));
			/* Threads already started wait at the start barrier: not recoverable. */
			abort();
		}
	}
	return 0;
}

static void engine_stop(struct engine *e)
{
	e->exit = true;
	pthread_barrier_wait(&e->start);
	for (int i = 0; i < e->o->threads; i++) {
		pthread_join(e->w[i].th, NULL);
		fb_hist_free(&e->w[i].hist);
	}
	pthread_barrier_destroy(&e->start);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->cond);
	free(e->w);
}

/* --- the public entry points ---------------------------------------------- */

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

/* The cost of timing one operation with --latency: an empty step, timed. */
static double latency_overhead(const struct fb_run_opts *o)
{
	const struct fb_scenario *empty = fb_scenario_find("empty");
	struct fb_hist h;
	uint64_t sink = 0;

	if (!empty || fb_hist_init(&h))
		return 0;
	for (int i = 0; i < 200000; i++) {
		uint64_t a = fb_ticks();

		sink += empty->step(NULL, 1);
		fb_hist_record(&h, fb_ticks() - a);
	}
	(void)sink;
	double ns = (double)fb_hist_percentile(&h, 50) * fb_ns_per_tick();

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
	const struct fb_run_opts *o = e->o;

	for (int r = 0; r < o->repetitions && !fb_interrupted; r++, p->phase++) {
		struct fb_rep rep, floor;

		if (!phase(e, p, o->sc, ctx, false, &rep, o->latency ? &res->hist : NULL))
			break;
		/* Interleaved, so that drift hits the scenario and its floor alike. */
		if (floor_ctx) {
			if (!phase(e, p, res->floor_sc, floor_ctx, false, &floor, NULL))
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
	struct engine e;
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
		res->latency_overhead_ns = latency_overhead(o);
	if (ctx_setup(&ctx, o->sc, &res->opts.values, o, err, errlen))
		return -1;
	if (has_floor) {
		fb_values_inherit(res->floor_sc, &o->values, &floor_vals);
		if (ctx_setup(&floor_ctx, res->floor_sc, &floor_vals, o, err, errlen)) {
			ctx_teardown(&ctx, res, false);
			return -1;
		}
	}
	if (engine_start(&e, o, err, errlen))
		return -1;
	p.nr_phases = o->repetitions + (o->warmup_s > 0);
	if (o->warmup_s > 0 && !fb_interrupted) {
		phase(&e, &p, o->sc, &ctx, true, NULL, NULL);
		if (has_floor && !fb_interrupted)
			phase(&e, &p, res->floor_sc, &floor_ctx, true, NULL, NULL);
		p.phase++;
	}
	run_reps(&e, &p, &ctx, has_floor ? &floor_ctx : NULL, res);
	engine_stop(&e);
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

double fb_harness_overhead_ns(hwloc_topology_t topo)
{
	const struct fb_scenario *empty = fb_scenario_find("empty");
	struct fb_run_opts o = {
		.sc = empty,
		.threads = 1,
		.duration_s = 0.05,
		.repetitions = 3,
		.pin = FB_PIN_PUS,
		.topo = topo,
	};
	struct fb_result res;
	char err[FB_ERRLEN];
	double best = 0;

	if (!empty)
		return 0;
	fb_values_defaults(empty, &o.values);
	if (fb_run(&o, &res, err, sizeof(err)))
		return 0;
	/* The least disturbed of three short runs: the harness's own cost. */
	for (int i = 0; i < res.nr_reps; i++)
		if (!best || res.reps[i].real_ns < best)
			best = res.reps[i].real_ns;
	fb_result_free(&res);
	return best;
}
