/* SPDX-License-Identifier: GPL-2.0-only */
/* A result document with every kind of field filled, for the reader's tests. */
#ifndef FAULTRESULTS_TEST_FIXTURE_H
#define FAULTRESULTS_TEST_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <faultresults/result.h>

#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static void fixture_context(struct fr_context *c)
{
	SET(c->date, "2024-01-02T03:04:05+01:00");
	SET(c->host_name, "testhost");
	SET(c->executable, "/usr/bin/faultbench");
	c->num_cpus = 2;
	c->mhz_per_cpu = 2400;
	c->cpu_scaling_enabled = true;
	SET(c->cache[0].type, "Data");
	c->cache[0].level = 1;
	c->cache[0].size = 32768;
	c->cache[0].num_sharing = 1;
	SET(c->cache[1].type, "Unified");
	c->cache[1].level = 2;
	c->cache[1].size = 1 << 20;
	c->cache[1].num_sharing = 2;
	c->nr_caches = 2;
	c->load_avg[0] = 0.25;
	c->load_avg[1] = 1.0 / 3;
	c->load_avg[2] = NAN;
	SET(c->library_build_type, "release");
	SET(c->version, "0.1.0");
	SET(c->git_commit, "0123456789abcdef0123456789abcdef01234567");
	SET(c->git_branch, "main");
	c->git_dirty = true;
	SET(c->compiler, "GNU 12.2.0");
	SET(c->cflags, " -O3 -DNDEBUG");
	SET(c->build_type, "Release");
	SET(c->kernel, "Linux 6.1.0 x86_64");
	SET(c->cpu_model, "Test CPU \"quoted\" @ 2.40GHz");
	SET(c->topology, "1 package, 2 cores, 2 PUs");
	SET(c->virtualization, "yes, QEMU");
	SET(c->aslr, "2");
	SET(c->governor, "none");
	SET(c->boost, "unknown");
	SET(c->smt, "off");
	SET(c->pinning, "pus");
	c->seed = 42;
	SET(c->latency_source, "tsc");
	c->ns_per_tick = 0.4166666666666667;
	c->clock_gettime_ns = 21.5;
	c->harness_overhead_ns = 0.731;
	c->calibration.faults_measured = true; /* the TLB's stays null */
	c->calibration.kernel_fault_ns = 12804;
	c->calibration.model_fault_ns = 97;
	SET(c->event[0].name, "task-clock");
	SET(c->event[0].unit, "ns");
	c->event[0].opened = true;
	SET(c->event[1].name, "cycles");
	SET(c->event[1].unit, "count");
	SET(c->event[1].reason, "ENOENT: no such event (no PMU)");
	c->nr_events = 2;
	c->events_user_only = true;
	SET(c->events_note, "kernel counting excluded");
}

/* Where one round's instructions went: two parts, two functions. */
static struct fr_breakdown *fixture_breakdown(void)
{
	struct fr_breakdown *bd = calloc(1, sizeof(*bd));

	bd->total = 196.5;
	SET(bd->part_name[0], "lock");
	bd->part[0] = 11;
	SET(bd->part_name[1], "handler");
	bd->part[1] = 185.5;
	bd->nr_parts = 2;
	bd->fn = calloc(2, sizeof(*bd->fn));
	SET(bd->fn[0].function, "handle_mm_fault");
	bd->fn[0].self = 7;
	bd->fn[0].inclusive = 186;
	SET(bd->fn[1].function, "ticket_lock");
	bd->fn[1].self = 1.0 / 3;
	bd->fn[1].inclusive = 1.0 / 3;
	bd->nr_fn = 2;
	return bd;
}

/* Three repetitions with a floor, latency, a headline, a failed verify and counted instructions. */
static void fixture_race(struct fr_bench *b)
{
	SET(b->run_name, "race/recheck:none/threads:2");
	SET(b->scenario, "race");
	SET(b->shape, "rounds");
	SET(b->unit, "round");
	SET(b->param[0].name, "recheck");
	SET(b->param[0].value, "none");
	SET(b->param[1].name, "lock");
	SET(b->param[1].value, "ticket");
	b->nr_params = 2;
	b->threads = 2;
	b->repetitions = 3;
	SET(b->pinning, "pus");
	SET(b->cpus, "0;1");
	SET(b->floor, "floor");
	b->headline.present = true;
	SET(b->headline.counter[0], "stores");
	SET(b->headline.counter[1], "lost");
	b->headline.nr_counters = 2;
	SET(b->headline.floor, "floor");
	b->verify_failed = true;
	SET(b->verify_error, "race: 3 stores for 2 rounds");
	SET(b->plant, "double-count");
	SET(b->label, "no-recheck");
	SET(b->counter_name[0], "stores");
	SET(b->counter_name[1], "lost");
	SET(b->counter_name[2], "faults.minor");
	b->nr_counters = 3;
	for (int i = 0; i < 3; i++) {
		struct fr_rep *r = &b->rep[i];

		r->iterations = 1000 + (uint64_t)i;
		r->real_ns = 101.25 + i * 0.1;
		r->cpu_ns = 200.0 / 3 + i;
		r->wall_ns = 1.5e8;
		r->items_per_second = 1e9 / r->real_ns;
		r->floor_ns = 50.5 + i;
		r->counter[0] = 2000 + (uint64_t)i;
		r->counter[1] = (uint64_t)i * 7;
		r->counter[2] = 4000;
		r->event[0] = 123456789;
		r->events_enabled_ns = 2000000 + (uint64_t)i;
		r->events_running_ns = 1500000;
		r->event_missing = 1u << 1;
		r->multiplexed = i == 1;
	}
	b->nr_reps = 3;
	b->measure.present = true;
	SET(b->measure.metric, "instructions");
	SET(b->measure.method, "callgrind");
	for (int i = 0; i < 3; i++) {
		b->rep[i].instructions = 196000 + (uint64_t)i;
		b->rep[i].floor_instructions = 38;
	}
	b->rep[0].breakdown = fixture_breakdown();
	for (int i = 0; i < 3; i++) {
		b->rep[i].thread = calloc(2, sizeof(*b->rep[i].thread));
		assert_non_null(b->rep[i].thread);
		for (int t = 0; t < 2; t++) {
			b->rep[i].thread[t].ops = b->rep[i].iterations;
			b->rep[i].thread[t].installs = t ? 300 : b->rep[i].iterations - 300;
			b->rep[i].thread[t].stores = b->rep[i].thread[t].installs + 5;
		}
	}
	b->latency.present = true;
	b->latency.op = (struct fr_percentiles){ 3003, 90, 120.5, 400, 1000, 25000 };
	b->latency.timing_overhead_ns = 12.5;
	b->latency.rounds = true;
	b->latency.first_install = (struct fr_percentiles){ 3000, 40, 60.5, 200, 900, 12000 };
	b->latency.last_return = (struct fr_percentiles){ 3000, 95, 130, 410, 1100, 26000 };
}

/* One repetition of two asked for (interrupted): no spread. */
static void fixture_single(struct fr_bench *b)
{
	SET(b->run_name, "idle/threads:1");
	SET(b->scenario, "idle");
	SET(b->shape, "duration");
	SET(b->unit, "op");
	b->threads = 1;
	b->repetitions = 2;
	SET(b->pinning, "none");
	SET(b->cpus, "any");
	b->oversubscribed = true;
	SET(b->counter_name[0], "faults.minor");
	b->nr_counters = 1;
	b->rep[0].real_ns = NAN; /* interrupted before it timed anything */
	b->rep[0].cpu_ns = 1;
	b->rep[0].wall_ns = 2;
	b->rep[0].floor_ns = NAN;
	b->rep[0].event_missing = 3;
	b->nr_reps = 1;
}

static void fixture_doc(struct fr_doc *d)
{
	fr_doc_init(d);
	fixture_context(&d->ctx);
	fixture_race(fr_doc_add_bench(d, 3));
	fixture_single(fr_doc_add_bench(d, 2));
	for (int i = 0; i < d->nr_benches; i++) {
		fr_bench_summarize(d->bench[i]);
		fr_bench_warnings(d, d->bench[i]);
	}
	fr_doc_warn(d, "ASLR is on");
	d->interrupted = true;
}

/* A fresh path in the temporary directory; the caller unlinks it. */
static inline void fixture_path(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/faultresults-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int)getpid(), name);
	unlink(path);
}

#endif
