/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The typed result of a faultbench run, and its files.  The runner fills a
 * struct fr_doc and hands it here to be written; compare and plot get the
 * same struct back from a file with fr_doc_read().  Nothing here names a
 * scenario or a counter: a benchmark's headline says which counters matter.
 * results/SCHEMA.md documents the JSON form of every field.
 */
#ifndef FAULTRESULTS_RESULT_H
#define FAULTRESULTS_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* context.json_schema_version: what this code writes and reads. */
#define FR_SCHEMA_VERSION 1

#define FR_NAME_LEN 64
/* The CPUs of up to 1024 threads, each a list such as "1022,2046" (hwloc's). */
#define FR_CPUS_LEN 16384
#define FR_MAX_PARAMS 32
#define FR_MAX_COUNTERS 64
#define FR_MAX_EVENTS 8
#define FR_MAX_HEADLINE 8
#define FR_MAX_CACHES 8

/* pyperf's threshold: above it, a figure is called unstable. */
#define FR_UNSTABLE_CV 0.05

/* Over a benchmark's repetitions; stddev and cv are NAN below 2 samples. */
struct fr_summary {
	double mean, median, stddev, cv, min, max;
	int n; /* finite samples */
};

/*
 * --breakdown: where one iteration's instructions went, by part of the fault
 * path and by function (self: in the function itself, its inlined callees'
 * code placed where it was written; inclusive: and in what it inlines and
 * calls).  Per iteration.
 */
#define FR_MAX_PARTS 16
struct fr_breakdown_fn {
	char function[FR_NAME_LEN];
	double self, inclusive;
};
struct fr_breakdown {
	double total; /* the sum of part[], and of every fn[].self */
	char part_name[FR_MAX_PARTS][FR_NAME_LEN];
	double part[FR_MAX_PARTS];
	int nr_parts;
	struct fr_breakdown_fn *fn; /* by inclusive cost, highest first */
	int nr_fn;
};
/* Frees b and what it holds; NULL is fine. */
void fr_breakdown_free(struct fr_breakdown *b);

/* --measure: how a benchmark's instructions were counted. */
struct fr_measure {
	bool present;
	char metric[16]; /* "instructions" */
	char method[16]; /* "callgrind" or "pmu" */
};

/* One thread's part of a repetition, its steps' alone (not the re-arms it ran). */
struct fr_thread {
	uint64_t ops;	   /* steps it ran */
	uint64_t stores;   /* its set_pte */
	uint64_t installs; /* ... into an empty entry: less its set_pte_replace */
};

/*
 * How evenly the threads shared the work, over every repetition.  Rounds:
 * the rounds each won, its installs (stores, in a scenario whose rounds
 * store over a present entry, as COW's do).  Duration: its operations.
 * Jain's index, (sum x)^2 / (n sum x^2): 1 when even, 1/n when one thread
 * took everything.  Shares are of the total, 0..1.
 */
struct fr_fairness {
	bool present; /* every repetition has per-thread figures, and some are not 0 */
	char of[16];  /* "installs", "stores" or "ops" */
	double jain, min_share, max_share;
};

/* One repetition. */
struct fr_rep {
	uint64_t iterations; /* ops (duration) or rounds (rounds) */
	double real_ns;	     /* per iteration: see results/SCHEMA.md */
	double cpu_ns;
	double wall_ns;
	double items_per_second;
	double floor_ns;		   /* the floor's ns per iteration, NAN without */
	uint64_t counter[FR_MAX_COUNTERS]; /* named by fr_bench.counter_name[] */
	uint64_t event[FR_MAX_EVENTS];	   /* named by fr_context.event[] */
	uint32_t event_missing;		   /* bit i: event i has no count */
	bool multiplexed;		   /* the PMU time-shared the events */
	/* perf's time_enabled and time_running of the group, summed over threads */
	uint64_t events_enabled_ns, events_running_ns;
	/* With fr_bench.measure: instructions in the measured region, all threads. */
	uint64_t instructions;
	double floor_instructions;	/* the floor's per iteration; 0 without a floor */
	struct fr_breakdown *breakdown; /* --breakdown, or NULL; freed with the doc */
	int round;		  /* faultbench.round (compare-branches, merge.c); -1 for none */
	struct fr_thread *thread; /* fr_bench.threads of them, or NULL; freed with the doc */
};

struct fr_param {
	char name[FR_NAME_LEN];
	char value[FR_NAME_LEN];
};

/* What the scenario declares as its figures of interest. */
struct fr_headline {
	bool present;
	char counter[FR_MAX_HEADLINE][FR_NAME_LEN];
	int nr_counters;
	char floor[FR_NAME_LEN]; /* "" when it compares against none */
};

/* One latency histogram's percentiles, in ns. */
struct fr_percentiles {
	uint64_t count;
	double p50, p90, p99, p999, max;
};

struct fr_latency {
	bool present;
	struct fr_percentiles op; /* each thread's every step */
	double timing_overhead_ns;
	/*
	 * Rounds: each round's time from its start (its first thread out of the
	 * barrier) to the return of the first thread that filled the empty entry
	 * (that stored, in a round with no empty entry), and to its last
	 * thread's return.
	 */
	bool rounds;
	struct fr_percentiles first_install, last_return;
};

/* One configuration: a scenario, its parameters and a thread count. */
struct fr_bench {
	char run_name[448];
	char label[FR_NAME_LEN]; /* --label, "" for none */
	char scenario[FR_NAME_LEN];
	char shape[16]; /* "duration" or "rounds" */
	char unit[16];	/* what one iteration is: "op", "round" */
	struct fr_param param[FR_MAX_PARAMS];
	int nr_params;
	int threads;
	int repetitions; /* asked for; nr_reps completed */
	char pinning[16];
	char cpus[FR_CPUS_LEN]; /* each thread's CPUs, ';' between threads */
	bool oversubscribed;
	char floor[FR_NAME_LEN]; /* "" without */
	struct fr_headline headline;
	bool verify_failed;
	char verify_error[256];
	char plant[FR_NAME_LEN]; /* tests only: the fault planted, "" for none */
	char counter_name[FR_MAX_COUNTERS][FR_NAME_LEN];
	int nr_counters;
	struct fr_rep *rep;
	int nr_reps;
	struct fr_latency latency;
	struct fr_measure measure;
	/* Filled by fr_bench_summarize() from rep[]; never written or read. */
	struct fr_summary real, cpu, items, floor_real, ratio;
	struct fr_summary per_iteration[FR_MAX_COUNTERS];
	/* With measure: instructions per iteration, the floor's, and their ratio. */
	struct fr_summary instructions, floor_instructions, instructions_ratio;
	struct fr_fairness fairness;
};

struct fr_cache {
	char type[16]; /* "Data", "Instruction", "Unified" */
	int level;
	int64_t size;
	int num_sharing;
};

struct fr_event {
	char name[FR_NAME_LEN];
	bool opened;
	char reason[160]; /* why not */
	char unit[8];	  /* what it counts: "ns" (task-clock, cpu-clock) or "count" */
};

/* The machine, the build and the run conditions: context in the file. */
struct fr_context {
	char date[40];
	char host_name[128];
	char executable[512];
	int num_cpus;
	int mhz_per_cpu;
	bool cpu_scaling_enabled;
	struct fr_cache cache[FR_MAX_CACHES];
	int nr_caches;
	double load_avg[3];
	char library_build_type[16];
	/* context.faultbench: provenance */
	char version[32];
	char git_commit[64];
	char git_branch[128];
	bool git_dirty;
	char compiler[128];
	char cflags[512];
	char build_type[32];
	char sanitize[64];
	char kernel[256];
	char cpu_model[128];
	char topology[256];
	char virtualization[64];
	char aslr[8];
	char governor[64];
	char boost[32];
	char smt[32];
	char pinning[16];
	uint64_t seed;
	char latency_source[32];
	double ns_per_tick;
	double clock_gettime_ns;
	double harness_overhead_ns; /* NAN when unknown */
	/*
	 * This kernel's costs that the calibrated runs (handler_ns=auto,
	 * tlb=ipi:auto) used, when the run measured them.
	 */
	struct {
		bool tlb_measured, faults_measured;
		uint32_t tlb_ipi_ns, kernel_fault_ns, model_fault_ns;
	} calibration;
	struct fr_event event[FR_MAX_EVENTS];
	int nr_events;
	bool events_user_only;
	char events_note[160];
};

/* A suite target's verdict at one thread count NUM ran at (target.c). */
struct fr_target_verdict {
	char num[FR_NAME_LEN];
	char den[FR_NAME_LEN]; /* "" for NUM's floor */
	bool at_most;	       /* <=, else >= */
	double limit;
	int threads;	 /* -1: no completed run has NUM's label */
	double measured; /* NAN when not measured, and why says why */
	bool counted;	 /* the ratio is of instructions, else of time */
	bool met;
	char why[96];
};

struct fr_doc {
	struct fr_context ctx;
	struct fr_bench **bench;
	int nr_benches;
	char **warning;
	int nr_warnings;
	struct fr_target_verdict *verdict; /* a suite's targets, judged after its runs */
	int nr_verdicts;
	bool interrupted;
};

/* doc.c */
void fr_doc_init(struct fr_doc *d);
void fr_doc_free(struct fr_doc *d);
/* A new zeroed benchmark with room for reps repetitions; NULL when out of memory. */
struct fr_bench *fr_doc_add_bench(struct fr_doc *d, int reps);
/*
 * Moves every benchmark of from to the end of d, and the warnings d does not
 * have yet; from is left empty.  -1 when out of memory (nothing moved).
 */
int fr_doc_take(struct fr_doc *d, struct fr_doc *from);
int fr_doc_warn(struct fr_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Back to nr_benches benchmarks and nr_warnings warnings, as d was before a
 * run whose recording failed part way: what it added is freed.
 */
void fr_doc_rollback(struct fr_doc *d, int nr_benches, int nr_warnings);
/* The index of a counter or parameter by name, or -1 / NULL. */
int fr_bench_counter(const struct fr_bench *b, const char *name);
const char *fr_bench_param(const struct fr_bench *b, const char *name);

/* summary.c */
void fr_summarize(const double *v, int n, struct fr_summary *out);
/* Counter c per iteration of one repetition; NAN without iterations. */
double fr_rep_per_iteration(const struct fr_rep *r, int c);
/* real over floor, NAN without a floor. */
double fr_rep_ratio(const struct fr_rep *r);
/* Instructions per iteration, NAN without iterations; and over the floor's, NAN without. */
double fr_rep_instructions(const struct fr_rep *r);
double fr_rep_instructions_ratio(const struct fr_rep *r);
/* Fills b's summaries from its repetitions. */
void fr_bench_summarize(struct fr_bench *b);
/* Adds the benchmark's warnings (unstable, oversubscribed, ...) to d. */
void fr_bench_warnings(struct fr_doc *d, const struct fr_bench *b);

/* write.c: JSON; csv.c: CSV; file.c: files; table.c: the table */
int fr_doc_print_json(const struct fr_doc *d, FILE *f);
int fr_doc_print_csv(const struct fr_doc *d, FILE *f);
/* Writes to a temporary name and links it into place; never overwrites. */
int fr_doc_write(const struct fr_doc *d, const char *path, char *err, size_t errlen);
int fr_doc_write_csv(const struct fr_doc *d, const char *path, char *err, size_t errlen);
/* width: no line longer, none broken inside a number (a terminal's columns), or 0. */
void fr_doc_print_table(const struct fr_doc *d, FILE *f, int width);

/*
 * merge.c: one round of a suite run N times, into d.  Moves from's
 * repetitions to d's matching benchmarks (the same run names and labels, in
 * the same order, as every round of one suite has), each tagged with round,
 * and recomputes the summaries and the benchmarks' warnings over all of them;
 * into an empty d, from's context too.  -1 with one line when the rounds
 * differ (nothing is moved) or memory runs out.
 */
int fr_doc_merge(struct fr_doc *d, struct fr_doc *from, int round, char *err, size_t errlen);

/* read.c: a file into d, summaries filled; -1 with one line (d is then empty). */
int fr_doc_read(const char *path, struct fr_doc *d, char *err, size_t errlen);

#endif
