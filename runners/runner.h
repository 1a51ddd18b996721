/* SPDX-License-Identifier: GPL-2.0-only */
/* The runner's internal interfaces, one section per file. */
#ifndef FAULTBENCH_RUNNER_H
#define FAULTBENCH_RUNNER_H

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <hwloc.h>
#include <jansson.h>

#include <faultresults/result.h>

#include <faultbench/scenario.h>

#define FB_ERRLEN 512
#define FB_MAX_THREADS 1024
#define FB_MAX_EVENTS 8

/* Exit statuses. */
#define FB_EXIT_OK 0
#define FB_EXIT_FAIL 1
#define FB_EXIT_USAGE 2
#define FB_EXIT_INTERRUPTED 130

/* registry.c: the scenarios FB_SCENARIO() registered, in link order */
int fb_scenario_count(void);
const struct fb_scenario *fb_scenario_at(int i);
const struct fb_scenario *fb_scenario_find(const char *name);
/* Its parameters, FB_MM_KNOBS resolved from the core's table; ends with a NULL name. */
const struct fb_param *fb_scenario_params(const struct fb_scenario *sc);
/* {"counters": [...], "floor": NAME or null}, as list --json and result files write it. */
json_t *fb_headline_json(const struct fb_scenario *sc);

/* verify.c: destroys what fb_model_create() built, after teardown() */
void fb_model_destroy(struct fb_ctx *ctx);

/*
 * number.c: decimal only, the whole string, within [lo, hi]; 0 or -1.  A '-'
 * only for i64 and real; no blanks, base prefixes, "inf" or "nan".
 */
int fb_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
int fb_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);
int fb_parse_real(const char *s, double lo, double hi, double *out);

/* params.c */
int fb_param_check(const struct fb_param *p, const char *value, char *err, size_t errlen);
void fb_values_defaults(const struct fb_scenario *sc, struct fb_values *vals);
int fb_values_parse(const struct fb_scenario *sc, struct fb_values *vals, const char *arg,
		    char *err, size_t errlen);
void fb_values_describe(const struct fb_values *vals, char *buf, size_t len);
void fb_values_inherit(const struct fb_scenario *floor, const struct fb_values *from,
		       struct fb_values *out);

/* clock.c: CLOCK_MONOTONIC for batches; calibrated TSC ticks for latency. */
uint64_t fb_now_ns(void);
void fb_clock_init(void);
double fb_ns_per_tick(void);
const char *fb_tick_source(void);
/* What one fb_now_ns() costs, measured. */
double fb_clock_cost_ns(void);
static inline uint64_t fb_ticks(void)
{
#if defined(__x86_64__)
	extern bool fb_use_tsc;
	if (fb_use_tsc) {
		unsigned lo, hi;

		__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
		return ((uint64_t)hi << 32) | lo;
	}
#endif
	return fb_now_ns();
}

/* hist.c: a log-linear histogram, 3 significant digits (HdrHistogram's layout). */
#define FB_HIST_SUB_BITS 11 /* 2048 sub-buckets: relative error below 1/1024 */
#define FB_HIST_MAX_SHIFT 40
struct fb_hist {
	uint64_t *counts;
	uint64_t total;
	uint64_t max;
};
int fb_hist_init(struct fb_hist *h);
void fb_hist_free(struct fb_hist *h);
void fb_hist_reset(struct fb_hist *h);
size_t fb_hist_index(uint64_t v);
uint64_t fb_hist_value_at(size_t idx);
static inline void fb_hist_record(struct fb_hist *h, uint64_t v)
{
	h->counts[fb_hist_index(v)]++;
	h->total++;
	if (v > h->max)
		h->max = v;
}
void fb_hist_merge(struct fb_hist *dst, const struct fb_hist *src);
/* The value at percentile q (0..100): the highest value equivalent to its bucket. */
uint64_t fb_hist_percentile(const struct fb_hist *h, double q);

/* topo.c: placement */
enum fb_pin { FB_PIN_PUS, FB_PIN_CORES, FB_PIN_NONE };
/*
 * The order threads take CPUs in: the first PU of each core, cores taken
 * round-robin over packages, then the second PU of each core in the same
 * order, and so on.  Fills os[] with PU OS indexes; returns how many.
 */
int fb_pu_order(hwloc_topology_t topo, unsigned *os, int max);
/* The same order, as core objects (for --pin cores); returns how many cores. */
int fb_core_order(hwloc_topology_t topo, hwloc_obj_t *cores, int max);
int fb_topo_load(hwloc_topology_t *topo);
void fb_topo_summary(hwloc_topology_t topo, char *buf, size_t len);
/* Binds the calling thread to slot i of the order; returns 0 or -1. */
int fb_bind_thread(hwloc_topology_t topo, enum fb_pin pin, int i);
/* The CPUs slot i would use ("3" or "2,3"), for provenance. */
void fb_slot_cpus(hwloc_topology_t topo, enum fb_pin pin, int i, char *buf, size_t len);
int fb_nr_pus(hwloc_topology_t topo);
int fb_nr_cores(hwloc_topology_t topo);

/* pmu.c: libpfm4-encoded events, opened per thread as one group */
struct fb_event {
	char name[64];
	bool opened;
	bool user_only; /* exclude_kernel fallback */
	char reason[160];
	const char *unit; /* "ns" or "count" */
	uint64_t config, type;
	void *attr; /* struct perf_event_attr */
};
struct fb_events {
	struct fb_event ev[FB_MAX_EVENTS];
	int n;
	bool user_only; /* paranoid >= 2 and not privileged */
	char note[160];
};
struct fb_counts {
	uint64_t v[FB_MAX_EVENTS];
	uint64_t enabled, running; /* ns; running < enabled means multiplexed */
	uint32_t missing;	   /* bit i: event i opened in the probe, not in a thread */
};
/* Parses and encodes a comma list; -1 with a message for an unknown event. */
int fb_events_prepare(struct fb_events *evs, const char *list, char *err, size_t errlen);
void fb_events_free(struct fb_events *evs);
/* Per thread: opens the events that opened in prepare, as one group. */
struct fb_group {
	int fd[FB_MAX_EVENTS];
	int leader;
};
void fb_group_open(const struct fb_events *evs, struct fb_group *g);
void fb_group_start(struct fb_group *g);
void fb_group_stop(const struct fb_events *evs, struct fb_group *g, struct fb_counts *out);
void fb_group_close(struct fb_group *g);

/* barrier.c: a sense-reversing spin barrier that yields when it waits long */
struct fb_barrier {
	unsigned count __attribute__((aligned(64)));
	unsigned total;
	int sense __attribute__((aligned(64)));
	int done;
};
void fb_barrier_init(struct fb_barrier *b, unsigned total);
/*
 * Waits for all; the last to arrive runs last(arg) first.  *local is the
 * caller's sense.  Returns b->done as the last arrival left it.
 */
bool fb_barrier_wait(struct fb_barrier *b, int *local, bool (*last)(void *), void *arg);

/* engine.c: runs one configuration (scenario, values, threads) */
struct fb_run_opts {
	const struct fb_scenario *sc;
	struct fb_values values;
	int threads;
	double duration_s;    /* used when rounds == 0 */
	unsigned long rounds; /* ROUNDS shape: fixed rounds per repetition */
	/* Either shape: a fixed count per repetition and warmup, never the clock. */
	unsigned long iterations;
	double warmup_s;
	int repetitions;
	enum fb_pin pin;
	hwloc_topology_t topo;
	bool latency;
	uint64_t seed;
	const struct fb_events *events;
	bool progress;
	int progress_index, progress_total; /* position in a suite */
	uint64_t progress_start;	    /* fb_now_ns() when the suite began, or 0 */
	const char *plant;		    /* tests only: a fault of sc->plants, or NULL */
	const char *label;		    /* --label, or NULL */
	const struct fb_measure *measure;   /* --measure instructions, or NULL */
};

struct fb_rep {
	uint64_t iterations; /* ops (DURATION) or rounds (ROUNDS) */
	double real_ns;	     /* per iteration: see results/SCHEMA.md */
	double cpu_ns;
	double wall_ns;
	double items_per_second;
	struct fc_stats stats;
	struct fb_counts counts; /* summed over threads */
	double floor_ns;	 /* ns per round of the floor, or 0 */
	/* --measure instructions: counted in the measured region, all threads. */
	uint64_t instructions;
	double floor_instructions;	/* per iteration of the floor, or 0 */
	struct fr_breakdown *breakdown; /* --breakdown, or NULL */
	struct fr_thread *thread;	/* each thread's ops and installs; NULL on warmups */
};

/* --latency: histograms in ticks, every repetition merged. */
struct fb_latency {
	struct fb_hist op; /* each step of each thread */
	/* ROUNDS: from a round's start, its first thread out of the barrier */
	struct fb_hist first_install, last_return;
};
int fb_latency_init(struct fb_latency *l);
void fb_latency_free(struct fb_latency *l);

struct fb_result {
	struct fb_run_opts opts;
	const struct fb_scenario *floor_sc;
	struct fb_rep *reps;
	int nr_reps;
	bool interrupted;
	bool oversubscribed;
	char cpus[FR_CPUS_LEN];	    /* the CPUs used, in thread order */
	int unpinned;		    /* threads whose binding failed: cpus is not where they ran */
	struct fb_latency latency;  /* --latency */
	double latency_overhead_ns; /* --latency: a timed empty operation */
	char verify[FB_ERRLEN];	    /* "" when verify passed or there is none */
};

extern volatile sig_atomic_t fb_interrupted;
void fb_install_signals(void);
/* Validates the options without running (exit-2 checks); -1 with a message. */
int fb_run_check(const struct fb_run_opts *o, char *err, size_t errlen);
/* One configuration: 0; FB_SKIP (the scenario cannot run here) or -1, with err. */
int fb_run(const struct fb_run_opts *o, struct fb_result *res, char *err, size_t errlen);
void fb_result_free(struct fb_result *res);

/* overhead.c: the harness's own cost per operation, a null loop on one thread. */
extern const struct fb_scenario fb_null_loop;
double fb_harness_overhead_ns(hwloc_topology_t topo);

/* sysinfo.c: facts about the machine and the build */
struct fb_sysinfo {
	char host[128], kernel[256], cpu_model[128], governor[64], boost[32], smt[32];
	char aslr[8], paranoid[8], loadavg[64], virt[64];
	int num_cpus;
	double mhz;
};
void fb_sysinfo_read(struct fb_sysinfo *si);
/* Appends one warning per thing that hurts stability; returns how many. */
int fb_sysinfo_warnings(const struct fb_sysinfo *si, json_t *warnings);

/* record.c: a run into the typed result (results/) */
void fb_record_context(struct fr_doc *d, hwloc_topology_t topo, const struct fb_events *evs,
		       const char *pin, uint64_t seed, double overhead_ns);
/* faultbench --version: the version, the commit and the build. */
void fb_print_version(FILE *f);
/* The kernel costs the calibrated runs measured (handler_ns=auto, tlb=ipi:auto). */
void fb_record_calibration(struct fr_doc *d);
/* Adds r as a benchmark, its summaries and warnings; -1 when out of memory. */
int fb_record(struct fr_doc *d, const struct fb_result *r);

/* output.c: where a result file goes */
#define FB_PATH_MAX PATH_MAX
/*
 * Chooses the default file name, or checks the given one, and that a result
 * (and its CSV when csv) can be written there; -1 with a message.
 */
int fb_out_path(const char *given, const char *scenario, bool csv, char *path, size_t len,
		char *err, size_t errlen);
/* The CSV beside a result file: X.json -> X.csv, any other X -> X.csv. */
void fb_csv_path(const char *json, char *csv, size_t len);
/* The i-th name to try when first was taken meanwhile: X.json -> X-i.json. */
void fb_next_name(const char *first, int i, char *path, size_t len);
/* Whether a file, or a link to none, is at path already. */
bool fb_path_taken(const char *path);

/*
 * spawn.c: runs argv (PATH searched) in dir (NULL: here), its stdout and
 * stderr appended to log (NULL: this process's), and waits; a SIGINT or
 * SIGTERM that comes meanwhile is passed on to it.  Its exit status (128 +
 * the signal that killed it), or -1 when it cannot be run.
 */
int fb_spawn(char *const argv[], const char *dir, const char *log);
/* The same, its stdout (a line or two) into out without the last newline, stderr dropped. */
int fb_spawn_output(char *const argv[], const char *dir, char *out, size_t len);

/* worktree.c: commit checked out detached at path; 0 or -1 (git's message in log). */
int fb_worktree_add(const char *repo, const char *commit, const char *path, const char *log);
/* Removes the worktree at path, whatever it holds, and prunes the repository's list. */
void fb_worktree_remove(const char *repo, const char *path, const char *log);

/*
 * rebuild.c: src configured into build as this binary was (compiler, flags,
 * build type, sanitizers, allocator), and its faultbench target built, the
 * output appended to log.  FB_EXIT_OK; FB_EXIT_FAIL when cmake failed (the
 * log says why); FB_EXIT_USAGE with one line in err (name: the revision)
 * when src's build would differ from this one.
 */
int fb_rebuild(const char *src, const char *build, const char *name, const char *log, char *err,
	       size_t errlen);

/* commands */
int fb_cmd_list(int argc, char **argv);
int fb_cmd_run(int argc, char **argv);
int fb_cmd_suite(int argc, char **argv);
int fb_cmd_env(int argc, char **argv);
int fb_cmd_plot(int argc, char **argv);
int fb_cmd_compare(int argc, char **argv);
int fb_cmd_compare_branches(int argc, char **argv);

/*
 * options.c: a command's options, one table ending with a NULL name, that
 * drives getopt_long, --help and the "valid:" lists.  arg names the value
 * (NULL: the option takes none); help is its description, one paragraph
 * (NULL: the tests' own, left out of --help and valid lists).  Each table
 * has {"help", 'h'}, which -h also gives.
 */
struct fb_option {
	const char *name;
	int val;
	const char *arg;
	const char *help;
};
#define FB_MAX_OPTIONS 32
struct fb_getopt {
	struct option o[FB_MAX_OPTIONS + 1];
	bool built;
};
/*
 * getopt_long over t, from the start of argv on the first call with a
 * zeroed g: an option's val, 1 for a positional (optarg), '?' for an
 * unknown option and ':' for a missing value, -1 at the end.
 */
int fb_getopt(int argc, char **argv, const struct fb_option *t, struct fb_getopt *g);
const char *fb_option_arg(const struct fb_option *t, int val);
const char *fb_option_name(const struct fb_option *t, int val);
/* "POSITIONAL --a --b ...": the options a message's (valid: ...) lists. */
void fb_options_valid(const struct fb_option *t, const char *positional, char *buf, size_t len);
/*
 * The one line for what fb_getopt() returned c for in faultbench cmd: a
 * missing value, an unknown option, or a positional past positional's;
 * returns -1.
 */
int fb_option_error(const struct fb_option *t, const char *cmd, const char *positional, int c,
		    char **argv, char *err, size_t errlen);
/* "  --name ARG   description", one per option, wrapped to 80 columns. */
void fb_options_help(FILE *f, const struct fb_option *t);

/* term.c: $COLUMNS, else the width of the terminal at fd, else 0 (not a terminal). */
int fb_term_width(int fd);

/* cli.c: shared option parsing */
int fb_parse_threads(const char *s, hwloc_topology_t topo, int *list, int max, char *err,
		     size_t errlen);
int fb_parse_pin(const char *s, enum fb_pin *pin, char *err, size_t errlen);
const char *fb_pin_name(enum fb_pin pin);
/* Prints "faultbench: <msg>" as one line and returns FB_EXIT_USAGE. */
int fb_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A failure after work began: the same one line, and FB_EXIT_FAIL. */
int fb_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
