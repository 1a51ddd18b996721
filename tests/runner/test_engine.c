// SPDX-License-Identifier: GPL-2.0-only
/*
 * The engine on real threads: same-addr in rounds replays one race per
 * round, and the core's counters must say exactly what the recheck policy
 * promises.  Counts, not times, are asserted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runner.h"

#define ROUNDS 4000

static hwloc_topology_t topo;

static int load_topo(void **state)
{
	return fb_topo_load(&topo);
}

static int free_topo(void **state)
{
	hwloc_topology_destroy(topo);
	return 0;
}

/* Runs a rounds scenario for ROUNDS rounds, twice, into res; verify must pass. */
static void run_rounds(const char *scenario, int threads, const char *const *params, bool latency,
		       struct fb_result *res)
{
	struct fb_run_opts o = {
		.sc = fb_scenario_find(scenario),
		.threads = threads,
		.rounds = ROUNDS,
		.repetitions = 2,
		.pin = FB_PIN_PUS,
		.topo = topo,
		.seed = 1,
		.latency = latency,
	};
	char err[FB_ERRLEN];

	assert_non_null(o.sc);
	fb_values_defaults(o.sc, &o.values);
	for (; params && *params; params++)
		if (fb_values_parse(o.sc, &o.values, *params, err, sizeof(err)))
			fail_msg("%s", err);
	if (fb_run(&o, res, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(res->nr_reps, 2);
	assert_string_equal(res->verify, "");
}

/* ... and returns the summed counters. */
static void run_same_addr(int threads, const char *const *params, struct fc_stats *sum,
			  uint64_t *rounds)
{
	struct fb_result res;

	run_rounds("same-addr", threads, params, false, &res);
	memset(sum, 0, sizeof(*sum));
	*rounds = 0;
	for (int i = 0; i < res.nr_reps; i++) {
		assert_int_equal(res.reps[i].iterations, ROUNDS);
		assert_true(res.reps[i].floor_ns > 0);
		fc_stats_add(sum, &res.reps[i].stats);
		*rounds += res.reps[i].iterations;
	}
	fb_result_free(&res);
}

static void check_one_store_per_round(int threads, const char *recheck)
{
	const char *params[] = { recheck, NULL };
	struct fc_stats s;
	uint64_t rounds;

	run_same_addr(threads, params, &s, &rounds);
	assert_int_equal(s.v[FC_STAT_SET_PTE], rounds);
	assert_int_equal(s.v[FC_STAT_SET_PTE_REPLACE], 0);
	assert_int_equal(s.v[FC_STAT_FAULTS_MINOR], rounds * (uint64_t)threads);
	assert_int_equal(s.v[FC_STAT_BUG], 0);
}

static void test_same_addr_recheck_one_set_pte_per_round(void **state)
{
	check_one_store_per_round(1, "recheck=recheck");
	check_one_store_per_round(2, "recheck=recheck");
	check_one_store_per_round(3, "recheck=recheck");
}

static void test_same_addr_precheck_one_set_pte_per_round(void **state)
{
	check_one_store_per_round(2, "recheck=precheck");
}

/* Without the recheck, every handler call stores: the first posting's cost. */
static void test_same_addr_none_every_handler_call_stores(void **state)
{
	const char *params[] = { "recheck=none", NULL };
	struct fc_stats s;
	uint64_t rounds;

	run_same_addr(2, params, &s, &rounds);
	assert_int_equal(s.v[FC_STAT_SET_PTE], s.v[FC_STAT_HANDLER_NOPFN]);
	assert_true(s.v[FC_STAT_SET_PTE] >= rounds);
	assert_int_equal(s.v[FC_STAT_SET_PTE] - rounds, s.v[FC_STAT_SET_PTE_REPLACE]);
}

static void test_same_addr_anon_mm_lock(void **state)
{
	const char *params[] = { "handler=anon", "granularity=mm", "lock=queued", NULL };
	struct fc_stats s;
	uint64_t rounds;

	run_same_addr(2, params, &s, &rounds);
	assert_int_equal(s.v[FC_STAT_SET_PTE], rounds);
	assert_int_equal(s.v[FC_STAT_SET_PTE_REPLACE], 0);
	assert_true(s.v[FC_STAT_HANDLER_ANON] >= rounds);
}

/* The duration shape stops on the flag and counts what it did. */
static void test_empty_duration_counts_operations(void **state)
{
	struct fb_run_opts o = {
		.sc = fb_scenario_find("empty"),
		.threads = 2,
		.duration_s = 0.02,
		.repetitions = 2,
		.pin = FB_PIN_NONE,
		.topo = topo,
		.latency = true,
	};
	struct fb_result res;
	char err[FB_ERRLEN];

	fb_values_defaults(o.sc, &o.values);
	assert_int_equal(fb_run(&o, &res, err, sizeof(err)), 0);
	assert_int_equal(res.nr_reps, 2);
	for (int i = 0; i < 2; i++) {
		assert_true(res.reps[i].iterations > 0);
		assert_true(res.reps[i].iterations % 1024 == 0);
	}
	assert_int_equal(res.latency.op.total, res.reps[0].iterations + res.reps[1].iterations);
	/* Each thread's part: the operations add up; a duration has no rounds to time. */
	for (int i = 0; i < 2; i++)
		assert_int_equal(res.reps[i].thread[0].ops + res.reps[i].thread[1].ops,
				 res.reps[i].iterations);
	assert_int_equal(res.latency.first_install.total + res.latency.last_return.total, 0);
	fb_result_free(&res);
}

/*
 * Which thread won each round: exactly one install a round, shared out
 * between the threads, whether the losers store again (none) or not.
 */
static void check_winners(const char *recheck)
{
	const char *params[] = { recheck, NULL };
	struct fb_result res;

	run_rounds("same-addr", 2, params, true, &res);
	for (int i = 0; i < res.nr_reps; i++) {
		const struct fr_thread *t = res.reps[i].thread;

		assert_int_equal(t[0].ops, ROUNDS);
		assert_int_equal(t[1].ops, ROUNDS);
		assert_int_equal(t[0].installs + t[1].installs, ROUNDS);
	}
	/* Every round timed: its first install, its last return, each thread's step. */
	assert_int_equal(res.latency.first_install.total, 2 * ROUNDS);
	assert_int_equal(res.latency.last_return.total, 2 * ROUNDS);
	assert_int_equal(res.latency.op.total, 2 * 2 * ROUNDS);
	/* A round's first install is never after its last return. */
	assert_true(res.latency.first_install.max <= res.latency.last_return.max);
	assert_true(fb_hist_percentile(&res.latency.first_install, 50) <=
		    fb_hist_percentile(&res.latency.last_return, 50));
	fb_result_free(&res);
}

static void test_rounds_winners_recheck(void **state)
{
	check_winners("recheck=recheck");
}

static void test_rounds_winners_none(void **state)
{
	check_winners("recheck=none");
}

/*
 * A COW round stores over a present entry: its winner is the thread that
 * stored.  The re-arm maps every page again, on whichever thread ran it:
 * those installs are not a thread's steps', and must not count as wins.
 */
static void test_rounds_winners_cow(void **state)
{
	const char *params[] = { "share=one", NULL };
	struct fb_result res;

	run_rounds("cow", 2, params, true, &res);
	for (int i = 0; i < res.nr_reps; i++) {
		const struct fr_thread *t = res.reps[i].thread;
		uint64_t copies = res.reps[i].stats.v[FC_STAT_COW_COPY];

		assert_int_equal(t[0].installs + t[1].installs, 0);
		assert_int_equal(t[0].stores + t[1].stores, copies);
	}
	/* A round with a copy times it; one whose threads all found it done does not. */
	assert_int_equal(res.latency.first_install.total,
			 res.reps[0].stats.v[FC_STAT_COW_COPY] +
				 res.reps[1].stats.v[FC_STAT_COW_COPY]);
	assert_int_equal(res.latency.last_return.total, 2 * ROUNDS);
	fb_result_free(&res);
}

/* A scenario whose thread 1 cannot start: its step counts what ran anyway. */
static int steps_run;

static int init_fails_on_1(struct fb_thread *t)
{
	return t->tid == 1 ? -1 : 0;
}

static unsigned long count_step(struct fb_thread *t, unsigned long n)
{
	__atomic_fetch_add(&steps_run, 1, __ATOMIC_RELAXED);
	return n;
}

static void check_init_failure(enum fb_shape shape)
{
	struct fb_scenario sc = {
		.name = "init-fails",
		.shape = shape,
		.thread_init = init_fails_on_1,
		.step = count_step,
	};
	struct fb_run_opts o = {
		.sc = &sc,
		.threads = 2,
		.rounds = shape == FB_SHAPE_ROUNDS ? 100 : 0,
		.duration_s = 0.02,
		.warmup_s = 0.01,
		.repetitions = 3,
		.pin = FB_PIN_NONE,
		.topo = topo,
	};
	struct fb_result res;
	char err[FB_ERRLEN];

	steps_run = 0;
	fb_values_defaults(o.sc, &o.values);
	/* It fails, and does not hang: thread 0 still met thread 1 at every barrier. */
	if (fb_run(&o, &res, err, sizeof(err)) != -1)
		fail_msg("ran: %s", err);
	if (!strstr(err, "init-fails: thread_init failed"))
		fail_msg("%s", err);
	/* The warmup alone ran: no repetition followed it. */
	assert_int_equal(res.nr_reps, 0);
	assert_true(steps_run > 0);
	fb_result_free(&res);
}

static void test_thread_init_failure_fails_rounds(void **state)
{
	check_init_failure(FB_SHAPE_ROUNDS);
}

static void test_thread_init_failure_fails_duration(void **state)
{
	check_init_failure(FB_SHAPE_DURATION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_addr_recheck_one_set_pte_per_round),
		cmocka_unit_test(test_same_addr_precheck_one_set_pte_per_round),
		cmocka_unit_test(test_same_addr_none_every_handler_call_stores),
		cmocka_unit_test(test_same_addr_anon_mm_lock),
		cmocka_unit_test(test_empty_duration_counts_operations),
		cmocka_unit_test(test_rounds_winners_recheck),
		cmocka_unit_test(test_rounds_winners_none),
		cmocka_unit_test(test_rounds_winners_cow),
		cmocka_unit_test(test_thread_init_failure_fails_rounds),
		cmocka_unit_test(test_thread_init_failure_fails_duration),
	};

	return cmocka_run_group_tests(tests, load_topo, free_topo);
}
