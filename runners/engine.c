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

#include "engine.h"
#include "measure.h"

#define DURATION_BATCH 1024

volatile sig_atomic_t fb_interrupted;

struct phase {
	const struct fb_scenario *sc;
	struct fb_ctx *ctx;
	unsigned long rounds; /* ROUNDS: stop after this many; 0: when told to */
	unsigned long ops;    /* DURATION: stop after this many per thread; 0: when told to */
	bool latency;
	const struct fb_measure *measure; /* counting this phase's instructions, or NULL */
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
	struct fb_group measure_group; /* instructions:u, for --measure with the PMU */
	uint64_t instructions;
	struct fb_hist hist;
	/* --latency, ROUNDS: this round's step, for round_end() to read */
	uint64_t step_start, step_end;
	bool stored, installed; /* it stored; into the empty entry */
	/* what the re-arms it ran stored, which are not its steps' */
	struct fr_thread rearm;
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
	/* --latency, ROUNDS: written by each round's last arrival only */
	struct fb_hist first_install, last_return;
	int init_failed; /* threads whose thread_init failed, in any phase so far */
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
	/* a closed terminal, or nohup's absence: stop and keep what completed, as for TERM */
	sigaction(SIGHUP, &sa, NULL);
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

/* A measured step runs inside the region that callgrind counts. */
static inline unsigned long call_step(const struct phase *ph, struct fb_thread *t, unsigned long n)
{
	if (ph->measure)
		return fb_measured_step(ph->sc->step, t, n);
	return ph->sc->step(t, n);
}

/* The next batch: DURATION_BATCH operations, or what is left of ph->ops; 0 when done. */
static unsigned long next_batch(const struct worker *w, const struct phase *ph)
{
	if (stopped(w->e))
		return 0;
	if (ph->ops && ph->ops - w->ops < DURATION_BATCH)
		return ph->ops - w->ops;
	return DURATION_BATCH;
}

static void duration_loop(struct worker *w, const struct phase *ph)
{
	unsigned long n;

	if (!ph->latency) {
		while ((n = next_batch(w, ph)))
			w->ops += call_step(ph, &w->t, n);
		return;
	}
	while ((n = next_batch(w, ph))) {
		for (unsigned long i = 0; i < n; i++) {
			uint64_t a = fb_ticks();

			call_step(ph, &w->t, 1);
			fb_hist_record(&w->hist, fb_ticks() - a);
		}
		w->ops += n;
	}
}

/* This thread's PTE stores so far, and those into an empty entry. */
static inline uint64_t stores(const struct fc_stats *s)
{
	return s->v[FC_STAT_SET_PTE];
}

static inline uint64_t installs(const struct fc_stats *s)
{
	return s->v[FC_STAT_SET_PTE] - s->v[FC_STAT_SET_PTE_REPLACE];
}

/*
 * The round's start is its first thread's step start: they all left the
 * barrier together, and none can have stored before it began.  Its install
 * is the store that filled the empty entry; a round that has none (a COW
 * round stores over a present entry) counts its first store instead.
 */
static void record_round(struct engine *e)
{
	uint64_t start = UINT64_MAX, first = UINT64_MAX, first_store = UINT64_MAX, last = 0;

	for (int i = 0; i < e->o->threads; i++) {
		const struct worker *w = &e->w[i];

		start = w->step_start < start ? w->step_start : start;
		last = w->step_end > last ? w->step_end : last;
		if (w->installed && w->step_end < first)
			first = w->step_end;
		if (w->stored && w->step_end < first_store)
			first_store = w->step_end;
	}
	if (first == UINT64_MAX)
		first = first_store;
	if (first != UINT64_MAX)
		fb_hist_record(&e->first_install, first - start);
	fb_hist_record(&e->last_return, last - start);
}

/* The last arrival of a round: re-arm, and decide for everyone whether to go on. */
static bool round_end(void *arg)
{
	struct worker *w = arg;
	struct engine *e = w->e;
	const struct phase *ph = &e->phase;

	if (ph->latency)
		record_round(e);
	if (ph->sc->rearm) {
		uint64_t s0 = stores(&fc_this_stats), i0 = installs(&fc_this_stats);

		ph->sc->rearm(ph->ctx);
		w->rearm.stores += stores(&fc_this_stats) - s0;
		w->rearm.installs += installs(&fc_this_stats) - i0;
	}
	__atomic_store_n(&e->rounds_done, __atomic_load_n(&e->rounds_done, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	if (__atomic_load_n(&fb_interrupted, __ATOMIC_RELAXED))
		__atomic_store_n(&e->stop, 1, __ATOMIC_RELAXED);
	return (ph->rounds && e->rounds_done >= ph->rounds) || stopped(e);
}

static void rounds_loop(struct worker *w, const struct phase *ph, int *sense)
{
	for (;;) {
		if (w->init_failed) {
			/* No step, but every round's barrier: the others must not wait for ever. */
		} else if (ph->latency) {
			uint64_t s0 = stores(&fc_this_stats), i0 = installs(&fc_this_stats);

			w->step_start = fb_ticks();
			call_step(ph, &w->t, 1);
			w->step_end = fb_ticks();
			w->stored = stores(&fc_this_stats) != s0;
			w->installed = installs(&fc_this_stats) != i0;
			fb_hist_record(&w->hist, w->step_end - w->step_start);
		} else {
			call_step(ph, &w->t, 1);
		}
		w->ops++;
		if (fb_barrier_wait(&w->e->spin, sense, round_end, w))
			break;
	}
}

static void run_phase(struct worker *w, int *sense)
{
	const struct phase *ph = &w->e->phase;

	w->t.ctx = ph->ctx;
	w->t.priv = NULL;
	w->ops = 0;
	w->rearm = (struct fr_thread){ 0 };
	w->init_failed = ph->sc->thread_init && ph->sc->thread_init(&w->t);
	if (w->init_failed)
		__atomic_fetch_add(&w->e->init_failed, 1, __ATOMIC_RELAXED);
	fc_stats_reset();
	/* Everyone leaves this barrier together; the clock starts after it. */
	fb_barrier_wait(&w->e->spin, sense, NULL, NULL);
	fb_group_start(&w->group);
	if (ph->measure)
		fb_measure_begin(ph->measure, &w->measure_group);
	w->cpu0 = thread_cpu_ns();
	w->t0 = fb_now_ns();
	if (ph->sc->shape == FB_SHAPE_ROUNDS)
		rounds_loop(w, ph, sense);
	else if (!w->init_failed)
		duration_loop(w, ph);
	w->t1 = fb_now_ns();
	w->cpu1 = thread_cpu_ns();
	w->instructions = 0;
	if (ph->measure)
		fb_measure_end(ph->measure, &w->measure_group, &w->instructions);
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

	__atomic_store_n(&w->bind_failed, fb_bind_thread(e->o->topo, e->o->pin, w->t.tid) != 0,
			 __ATOMIC_RELAXED);
	fb_group_open(e->o->events, &w->group);
	fb_measure_open(e->o->measure, &w->measure_group);
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
	fb_group_close(&w->measure_group);
	return NULL;
}

/* --- the controller ------------------------------------------------------ */

static void wait_finished(struct engine *e, struct progress *p, double duration_s)
{
	uint64_t t0 = fb_now_ns();
	uint64_t stop_at = t0 + (uint64_t)(duration_s * 1e9);
	bool fixed = e->phase.rounds || e->phase.ops; /* not stopped by the clock */

	pthread_mutex_lock(&e->lock);
	while (e->finished < e->o->threads) {
		struct timespec ts;
		uint64_t now = fb_now_ns();
		/* Wake for the stop time, a signal, or the progress bar. */
		uint64_t next = now + 100 * 1000 * 1000;

		if (!fixed && next > stop_at)
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
		if (fb_interrupted || (!fixed && now >= stop_at))
			__atomic_store_n(&e->stop, 1, __ATOMIC_RELAXED);
		if (e->phase.rounds)
			fb_progress_draw(
				p, (double)__atomic_load_n(&e->rounds_done, __ATOMIC_RELAXED) /
					   (double)e->phase.rounds);
		else
			fb_progress_draw(p, duration_s > 0 ? (double)(now - t0) / (duration_s * 1e9)
							   : 1);
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

/* rep->thread, when not NULL, is the caller's: it is kept, and filled. */
static void collect(struct engine *e, const struct fb_scenario *sc, struct fb_rep *rep,
		    struct fb_latency *lat)
{
	uint64_t t0 = UINT64_MAX, t1 = 0, ops = 0, el = 0, cpu = 0;
	int n = e->o->threads;
	struct fr_thread *thread = rep->thread;

	memset(rep, 0, sizeof(*rep));
	rep->thread = thread;
	for (int i = 0; i < n; i++) {
		struct worker *w = &e->w[i];

		if (thread)
			thread[i] = (struct fr_thread){
				.ops = w->ops,
				.stores = stores(&w->stats) - w->rearm.stores,
				.installs = installs(&w->stats) - w->rearm.installs,
			};
		t0 = w->t0 < t0 ? w->t0 : t0;
		t1 = w->t1 > t1 ? w->t1 : t1;
		ops += w->ops;
		rep->instructions += w->instructions;
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
		if (lat && w->hist.counts)
			fb_hist_merge(&lat->op, &w->hist);
	}
	if (lat && sc->shape == FB_SHAPE_ROUNDS) {
		fb_hist_merge(&lat->first_install, &e->first_install);
		fb_hist_merge(&lat->last_return, &e->last_return);
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
	if (!e->o->latency)
		return;
	for (int i = 0; i < e->o->threads; i++)
		fb_hist_reset(&e->w[i].hist);
	fb_hist_reset(&e->first_install);
	fb_hist_reset(&e->last_return);
}

/* One phase of sc on ctx; false when a signal cut it short or a thread_init failed. */
bool fb_engine_phase(struct engine *e, struct progress *p, const struct fb_scenario *sc,
		     struct fb_ctx *ctx, bool warmup, struct fb_rep *rep, struct fb_latency *lat,
		     struct fb_tally *tally)
{
	const struct fb_run_opts *o = e->o;
	double duration = warmup ? o->warmup_s : o->duration_s;
	struct fb_rep discarded = { 0 };
	/* A fixed count (--iterations) holds for the warmup too: it must not depend on time. */
	unsigned long fixed = o->iterations ? o->iterations : warmup ? 0 : o->rounds;
	bool rounds = sc->shape == FB_SHAPE_ROUNDS;

	e->phase = (struct phase){
		.sc = sc,
		.ctx = ctx,
		.rounds = rounds ? fixed : 0,
		.ops = rounds ? 0 : fixed,
		.latency = o->latency && lat,
		.measure = o->measure && rep ? o->measure : NULL,
	};
	reset_hists(e);
	run_workers(e, p, duration);
	p->phase++;
	if (!rep)
		rep = &discarded;
	collect(e, sc, rep, lat);
	fc_stats_add(&tally->stats, &rep->stats);
	tally->iterations += rep->iterations;
	return !fb_interrupted && !fb_engine_init_failed(e);
}

int fb_engine_init_failed(struct engine *e)
{
	return __atomic_load_n(&e->init_failed, __ATOMIC_RELAXED);
}

static void engine_free(struct engine *e)
{
	for (int i = 0; e->w && i < e->o->threads; i++)
		fb_hist_free(&e->w[i].hist);
	fb_hist_free(&e->first_install);
	fb_hist_free(&e->last_return);
	free(e->w);
	free(e);
}

struct engine *fb_engine_start(const struct fb_run_opts *o, char *err, size_t errlen)
{
	struct engine *e = calloc(1, sizeof(*e));

	if (!e || !(e->w = aligned_alloc(64, sizeof(*e->w) * (size_t)o->threads))) {
		snprintf(err, errlen, "out of memory");
		free(e);
		return NULL;
	}
	e->o = o;
	memset(e->w, 0, sizeof(*e->w) * (size_t)o->threads);
	for (int i = 0; i < o->threads && o->latency; i++) {
		if (fb_hist_init(&e->w[i].hist) || (i == 0 && (fb_hist_init(&e->first_install) ||
							       fb_hist_init(&e->last_return)))) {
			snprintf(err, errlen, "out of memory for latency histograms");
			engine_free(e);
			return NULL;
		}
	}
	pthread_barrier_init(&e->start, NULL, (unsigned)o->threads + 1);
	fb_barrier_init(&e->spin, (unsigned)o->threads);
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cond, NULL);
	for (int i = 0; i < o->threads; i++) {
		struct worker *w = &e->w[i];

		w->e = e;
		w->t.tid = i;
		w->t.rng = splitmix64(o->seed + (uint64_t)i);
		/* The threads already started wait at the start barrier for ever. */
		if (pthread_create(&w->th, NULL, worker_main, w)) {
			fprintf(stderr, "faultbench: cannot create thread %d: %s\n", i,
				strerror(errno));
			abort();
		}
	}
	return e;
}

int fb_engine_unpinned(struct engine *e)
{
	int n = 0;

	for (int i = 0; i < e->o->threads; i++)
		n += __atomic_load_n(&e->w[i].bind_failed, __ATOMIC_RELAXED);
	return n;
}

void fb_engine_stop(struct engine *e)
{
	e->exit = true;
	pthread_barrier_wait(&e->start);
	for (int i = 0; i < e->o->threads; i++)
		pthread_join(e->w[i].th, NULL);
	pthread_barrier_destroy(&e->start);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->cond);
	engine_free(e);
}
