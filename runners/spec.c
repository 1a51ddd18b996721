// SPDX-License-Identifier: GPL-2.0-only
/*
 * A run specification: a scenario, its name=value parameters and the run
 * options.  The same parser reads `faultbench run` arguments and each line
 * of a suite file, so a suite line is exactly what follows `faultbench run`.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

enum {
	OPT_THREADS = 't',
	OPT_DURATION = 'd',
	OPT_ROUNDS = 'r',
	OPT_WARMUP = 'w',
	OPT_REPS = 'n',
	OPT_PIN = 'p',
	OPT_EVENTS = 'e',
	OPT_LATENCY = 'l',
	OPT_SEED = 's',
	OPT_OUT = 'o',
	OPT_FORMAT = 'f',
	OPT_QUIET = 'q',
	OPT_HELP = 'h',
	OPT_LABEL = 'L',
	OPT_PLANT = 0x100,
	OPT_ITERATIONS = 'i',
	OPT_MEASURE = 'm',
	OPT_BREAKDOWN = 'b',
};

const struct fb_option fb_run_options[] = {
	{ "threads", OPT_THREADS, "LIST",
	  "thread counts: 1,2,4 or 1-8 or cores or pus (default 1)" },
	{ "duration", OPT_DURATION, "SECONDS", "length of each repetition (default 1)" },
	{ "rounds", OPT_ROUNDS, "N", "rounds per repetition, for round-shaped scenarios" },
	{ "iterations", OPT_ITERATIONS, "N",
	  "a fixed count per repetition and warmup (rounds, or operations per thread), never the "
	  "clock" },
	{ "warmup", OPT_WARMUP, "SECONDS", "discarded run before the repetitions (default 0.2)" },
	{ "repetitions", OPT_REPS, "N", "repetitions, kept raw and aggregated (default 5)" },
	{ "pin", OPT_PIN, "cores|pus|none",
	  "thread placement (default pus: one PU per thread, a core of its own first, spread over "
	  "packages, SMT siblings last)" },
	{ "events", OPT_EVENTS, "LIST", "libpfm4 event names, e.g. task-clock,page-faults,cycles" },
	{ "latency", OPT_LATENCY, NULL,
	  "per-operation latency histogram (p50 p90 p99 p99.9 max); for a "
	  "rounds scenario also each round's time to its first "
	  "install and to its last return" },
	{ "seed", OPT_SEED, "N", "seed for the scenario's random choices (default 1)" },
	{ "label", OPT_LABEL, "TEXT", "a name for the run, written as the benchmarks' label" },
	{ "measure", OPT_MEASURE, "instructions[:pmu|:callgrind]",
	  "count the instructions of each step, exactly: with the PMU (instructions:u) where it "
	  "opens, else under callgrind (one thread); --iterations defaults to 1000" },
	{ "breakdown", OPT_BREAKDOWN, NULL,
	  "with --measure: where one iteration's instructions go, by part of the fault path and by "
	  "function (callgrind)" },
	{ "out", OPT_OUT, "FILE",
	  "result file (default results/runs/DATE-COMMIT/...); never overwritten" },
	{ "format", OPT_FORMAT, "table|json|csv", "what to print (csv also writes FILE.csv)" },
	{ "quiet", OPT_QUIET, NULL, "print only the result file's name" },
	{ "help", OPT_HELP, NULL, "print this help" },
	{ "plant", OPT_PLANT, "NAME", NULL }, /* tests only: see scenarios/README.md */
	{ NULL, 0, NULL, NULL },
};

void fb_spec_defaults(struct fb_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->threads = "1";
	s->duration = 1.0;
	s->warmup = 0.2;
	s->repetitions = 5;
	s->pin = FB_PIN_PUS;
	s->seed = 1;
	s->format = "table";
}

static int parse_double(const char *opt, const char *v, double lo, double hi, double *out,
			char *err, size_t errlen)
{
	if (fb_parse_real(v, lo, hi, out)) {
		snprintf(err, errlen, "invalid --%s '%s' (valid: a number from %g to %g)", opt, v,
			 lo, hi);
		return -1;
	}
	return 0;
}

int fb_parse_ulong(const char *opt, const char *v, unsigned long lo, unsigned long hi,
		   unsigned long *out, char *err, size_t errlen)
{
	uint64_t u;

	if (fb_parse_u64(v, lo, hi, &u)) {
		snprintf(err, errlen, "invalid --%s '%s' (valid: an integer from %lu to %lu)", opt,
			 v, lo, hi);
		return -1;
	}
	*out = (unsigned long)u;
	return 0;
}

int fb_parse_format(const char *v, struct fb_spec *s, char *err, size_t errlen)
{
	if (strcmp(v, "table") && strcmp(v, "json") && strcmp(v, "csv")) {
		snprintf(err, errlen, "invalid --format '%s' (valid: %s)", v,
			 fb_option_arg(fb_run_options, OPT_FORMAT));
		return -1;
	}
	s->format = v;
	return 0;
}

static int one_option(int c, const char *arg, struct fb_spec *s, char *err, size_t errlen)
{
	unsigned long u;

	switch (c) {
	case OPT_THREADS:
		s->threads = arg;
		return 0;
	case OPT_DURATION:
		s->rounds = 0;
		return parse_double("duration", arg, 0.001, 86400, &s->duration, err, errlen);
	case OPT_ROUNDS:
		return fb_parse_ulong("rounds", arg, 1, 1000000000000ul, &s->rounds, err, errlen);
	case OPT_WARMUP:
		return parse_double("warmup", arg, 0, 3600, &s->warmup, err, errlen);
	case OPT_REPS:
		if (fb_parse_ulong("repetitions", arg, 1, 1000, &u, err, errlen))
			return -1;
		s->repetitions = (int)u;
		return 0;
	case OPT_PIN:
		return fb_parse_pin(arg, &s->pin, err, errlen);
	case OPT_EVENTS:
		s->events = arg;
		return 0;
	case OPT_LATENCY:
		s->latency = true;
		return 0;
	case OPT_SEED:
		/* a result file's integers are signed 64-bit */
		if (fb_parse_ulong("seed", arg, 0, INT64_MAX, &u, err, errlen))
			return -1;
		s->seed = u;
		return 0;
	case OPT_OUT:
		s->out = arg;
		return 0;
	case OPT_FORMAT:
		return fb_parse_format(arg, s, err, errlen);
	case OPT_QUIET:
		s->quiet = true;
		return 0;
	case OPT_HELP:
		s->help = true;
		return 0;
	case OPT_LABEL:
		if (strlen(arg) >= FR_NAME_LEN) {
			snprintf(err, errlen,
				 "invalid --label '%.20s...' (valid: up to %d characters)", arg,
				 FR_NAME_LEN - 1);
			return -1;
		}
		s->label = arg;
		return 0;
	case OPT_PLANT:
		s->plant = arg;
		return 0;
	case OPT_ITERATIONS:
		return fb_parse_ulong("iterations", arg, 1, 1000000000000ul, &s->iterations, err,
				      errlen);
	case OPT_MEASURE:
		s->measure = arg;
		return fb_measure_parse(arg, &s->measure_method, err, errlen);
	case OPT_BREAKDOWN:
		s->breakdown = true;
		return 0;
	default:
		return -1;
	}
}

static void scenario_names(char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < fb_scenario_count(); i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? "|" : "",
			 fb_scenario_at(i)->name);
}

static int positional(struct fb_spec *s, const char *arg, char *err, size_t errlen)
{
	char names[512];

	if (s->sc)
		return fb_values_parse(s->sc, &s->values, arg, err, errlen);
	s->sc = fb_scenario_find(arg);
	if (!s->sc) {
		scenario_names(names, sizeof(names));
		snprintf(err, errlen, "unknown scenario '%s' (valid: %s)", arg, names);
		return -1;
	}
	fb_values_defaults(s->sc, &s->values);
	return 0;
}

/*
 * A whole-command option on a suite's line: refused, never dropped.  Events
 * are read first, so that an unknown name is refused as run refuses it.
 */
static int line_refuses(int c, const char *arg, char *err, size_t errlen)
{
	struct fb_events evs;

	if (c == OPT_HELP) {
		snprintf(err, errlen,
			 "a suite line cannot ask for --help: it runs nothing (usage: faultbench "
			 "suite --help)");
		return -1;
	}
	if (c != OPT_EVENTS && c != OPT_OUT && c != OPT_FORMAT && c != OPT_QUIET)
		return 0;
	if (c == OPT_EVENTS) {
		if (fb_events_prepare(&evs, arg, err, errlen))
			return -1;
		fb_events_free(&evs);
	}
	snprintf(err, errlen,
		 "--%s is the whole suite's, not a line's: one result file (usage: faultbench "
		 "suite FILE --%s%s)",
		 fb_option_name(fb_run_options, c), fb_option_name(fb_run_options, c),
		 c == OPT_QUIET ? "" : " VALUE");
	return -1;
}

int fb_spec_parse(int argc, char **argv, struct fb_spec *s, enum fb_spec_where where, char *err,
		  size_t errlen)
{
	bool options_only = where == FB_SPEC_DEFAULTS;
	struct fb_getopt g = { 0 };
	int c;

	while ((c = fb_getopt(argc, argv, fb_run_options, &g)) != -1) {
		if (c == 1 && options_only) {
			snprintf(err, errlen,
				 "'%s': defaults take run options only (valid: defaults "
				 "--duration S --repetitions N ...)",
				 optarg);
			return -1;
		} else if (c == 1) {
			if (positional(s, optarg, err, errlen))
				return -1;
		} else if (c == '?' || c == ':') {
			return fb_option_error(fb_run_options, "run", NULL, c, argv, err, errlen);
		} else if (where != FB_SPEC_RUN && line_refuses(c, optarg, err, errlen)) {
			return -1;
		} else if (one_option(c, optarg, s, err, errlen)) {
			return -1;
		}
	}
	if (optind < argc) {
		/* getopt stops at "--"; nothing after it means anything here */
		snprintf(err, errlen,
			 "unexpected '%s' after '--' (usage: faultbench run SCENARIO "
			 "[name=value...] [options], with nothing after --)",
			 argv[optind]);
		return -1;
	}
	if (s->breakdown && !s->measure) {
		snprintf(err, errlen, "--breakdown needs --measure instructions");
		return -1;
	}
	if (!s->sc && !s->help && !options_only) {
		char names[512];

		scenario_names(names, sizeof(names));
		snprintf(err, errlen, "no scenario given (valid: %s)", names);
		return -1;
	}
	return 0;
}

/* The per-run options for one thread count. */
void fb_spec_opts(const struct fb_spec *s, int threads, hwloc_topology_t topo,
		  const struct fb_events *evs, struct fb_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sc = s->sc;
	o->values = s->values;
	o->values.nthreads = threads;
	o->threads = threads;
	o->duration_s = s->duration;
	o->rounds = s->rounds;
	o->warmup_s = s->warmup;
	o->repetitions = s->repetitions;
	o->pin = s->pin;
	o->topo = topo;
	o->latency = s->latency;
	o->seed = s->seed;
	o->events = evs;
	o->plant = s->plant;
	o->label = s->label;
	o->iterations = s->iterations;
	/* Counting must not depend on time: a fixed count, --rounds if given. */
	if (s->measure && !o->iterations)
		o->iterations = s->rounds ? s->rounds : FB_MEASURE_ITERATIONS;
}

/* Words for an argv, kept in one buffer; full when one did not fit. */
struct words {
	char **argv, *buf;
	int n, max;
	size_t len, used;
	bool full;
};

static void word(struct words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void word(struct words *w, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (w->full || w->n == w->max)
		goto full;
	va_start(ap, fmt);
	k = vsnprintf(w->buf + w->used, w->len - w->used, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= w->len - w->used)
		goto full;
	w->argv[w->n++] = w->buf + w->used;
	w->used += (size_t)k + 1;
	return;
full:
	w->full = true;
}

int fb_spec_argv(const struct fb_spec *s, int threads, char *buf, size_t len, char **argv, int max)
{
	struct words w = { .argv = argv, .buf = buf, .max = max, .len = len };
	struct fb_run_opts o;

	fb_spec_opts(s, threads, NULL, NULL, &o);
	word(&w, "%s", s->sc->name);
	for (int i = 0; i < s->values.n; i++)
		word(&w, "%s=%s", s->values.name[i], s->values.value[i]);
	word(&w, "--threads=%d", threads);
	word(&w, "--iterations=%lu", o.iterations);
	word(&w, "--warmup=%.17g", s->warmup);
	word(&w, "--repetitions=%d", s->repetitions);
	word(&w, "--pin=%s", fb_pin_name(s->pin));
	word(&w, "--seed=%llu", (unsigned long long)s->seed);
	if (s->events)
		word(&w, "--events=%s", s->events);
	if (s->latency)
		word(&w, "--latency");
	if (s->measure)
		word(&w, "--measure=%s", s->measure);
	if (s->breakdown)
		word(&w, "--breakdown");
	if (s->label)
		word(&w, "--label=%s", s->label);
	if (s->plant)
		word(&w, "--plant=%s", s->plant);
	return w.full ? -1 : w.n;
}
