/* SPDX-License-Identifier: GPL-2.0-only */
/* Run specifications (spec.c) and running a list of them (execute.c). */
#ifndef FAULTBENCH_SPEC_H
#define FAULTBENCH_SPEC_H

#include <faultresults/target.h>

#include "measure.h"
#include "runner.h"

struct fb_spec {
	const struct fb_scenario *sc;
	struct fb_values values;
	const char *threads;
	double duration, warmup;
	unsigned long rounds;
	int repetitions;
	enum fb_pin pin;
	bool latency;
	uint64_t seed;
	const char *plant;		       /* --plant NAME, tests only */
	const char *label;		       /* --label TEXT */
	unsigned long iterations;	       /* --iterations, or 0 */
	const char *measure;		       /* --measure as given, or NULL */
	enum fb_measure_method measure_method; /* parsed from it */
	bool breakdown;
	/* Whole-command options: taken from the command line, not suite lines. */
	const char *events, *out, *format;
	bool quiet, help;
	unsigned long interleave;	 /* suite --interleave N: rounds of the whole suite, or 0 */
	const struct fr_target *targets; /* a suite's, printed after its table */
	int nr_targets;
#define FB_MAX_ROUNDS 1000
	int line; /* in a suite file, for messages */
};

/* run's options, which a suite's lines take too */
extern const struct fb_option fb_run_options[];
void fb_spec_defaults(struct fb_spec *s);
/* --format table|json|csv, as run and suite take it; -1 with one line. */
int fb_parse_format(const char *v, struct fb_spec *s, char *err, size_t errlen);
/* "--opt V" as an integer in [lo, hi]; -1 with one line naming the option. */
int fb_parse_ulong(const char *opt, const char *v, unsigned long lo, unsigned long hi,
		   unsigned long *out, char *err, size_t errlen);
/*
 * Where the words come from: `faultbench run`'s command line, a suite's line,
 * or a suite's `defaults` line (run options and no scenario).  A suite's
 * lines take no whole-command option: one result file holds one set of
 * events and is written once, under the suite's --out and --format.
 */
enum fb_spec_where { FB_SPEC_RUN, FB_SPEC_LINE, FB_SPEC_DEFAULTS };
int fb_spec_parse(int argc, char **argv, struct fb_spec *s, enum fb_spec_where where, char *err,
		  size_t errlen);
void fb_spec_opts(const struct fb_spec *s, int threads, hwloc_topology_t topo,
		  const struct fb_events *evs, struct fb_run_opts *o);
/*
 * The spec as `faultbench run` arguments for one thread count, every value
 * spelled out (the words are kept in buf); returns how many it put in argv,
 * or -1 when they do not fit.
 */
int fb_spec_argv(const struct fb_spec *s, int threads, char *buf, size_t len, char **argv, int max);

/*
 * cmd_suite.c: a suite's runs, each starting from first and the suite's
 * `defaults` lines before it, as many as the file holds, each line whole.
 * line[] keeps every line a spec points into; target[] its `target` lines,
 * the labels they name checked against the runs'.  0, or the exit status of
 * bad input (its one line printed); fb_suite_free() either way.
 */
struct fb_suite {
	struct fb_spec *spec;
	int n;
	char **line;
	int nr_lines;
	struct fr_target *target;
	int nr_targets, max_targets;
};
int fb_suite_read(const char *file, const struct fb_spec *first, struct fb_suite *suite);
void fb_suite_free(struct fb_suite *suite);

/* measure_exec.c: runs the spec under callgrind, adding its benchmarks to doc. */
int fb_measure_exec(const struct fb_measure *m, const struct fb_spec *s, int threads,
		    struct fr_doc *doc, char *err, size_t errlen);

/*
 * Checks every spec (exit-2 errors, before anything runs or is written), runs
 * them all into one document, writes it and prints it.  Returns the exit
 * status.  `global` carries --events, --out, --format and --quiet.
 */
int fb_execute(struct fb_spec *specs, int n, const struct fb_spec *global, const char *label);
/* The same checks alone, run nothing and write nothing: 0 or the exit status. */
int fb_execute_check(struct fb_spec *specs, int n, const struct fb_spec *global);

#endif
