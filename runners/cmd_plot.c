// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench plot RESULT...: the command line of plots/.  Results are read
 * through results/' reader; plots/ finds the scripts and gnuplot, and draws.
 */
#include <libgen.h>
#include <string.h>
#include <unistd.h>

#include <faultplots/plot.h>

#include "runner.h"

#define MAX_RESULTS 16

static const char plot_help[] =
	"usage: faultbench plot RESULT [--out DIR] [--scripts DIR]\n"
	"       faultbench plot RESULT... --kind KIND --out FILE.png|FILE.svg [--scripts DIR]\n"
	"\n"
	"Draws result files as figures at 1000x600.  RESULT may be a directory: the\n"
	"newest *.json in it or in its subdirectories is drawn.\n"
	"\n"
	"Without --kind, every figure RESULT has data for, each as PNG and SVG with its\n"
	"data file (*.dat), into a new directory DIR/plots (plots-1, plots-2, ... when\n"
	"it exists), whose path is printed:\n"
	"  ns_per_UNIT     median time per iteration with min-max bars, by\n"
	"                  configuration, one series per thread count, a figure per\n"
	"                  unit (op, round, ...)\n"
	"  ratio_to_floor  time over the floor scenario's time, target 1.5\n"
	"                  (when some entry has a floor)\n"
	"  scaling_per_UNIT, race_per_UNIT, latency_per_UNIT, pgoff_per_UNIT: the kinds\n"
	"                  below, when RESULT has their data\n"
	"  calibration_*   runs labelled GROUP:ROLE side by side\n"
	"A figure holds at most 8 configurations and goes on in NAME-2, NAME-3, ...;\n"
	"the result's warnings are its footnote.  A benchmark whose verify step\n"
	"failed is left out of every figure.\n"
	"\n"
	"With --kind, one figure into FILE (its format by the extension; further pages\n"
	"into FILE-2.png, ...), the paths printed; the results are drawn together:\n"
	"  scaling  operations per second against threads, a line per configuration,\n"
	"           bars from min to max of the repetitions\n"
	"  race     each headline counter per iteration against threads (a panel each),\n"
	"           a line per configuration (recheck policy, arch, ...)\n"
	"  latency  latency percentiles, log scale (results run with --latency)\n"
	"  compare  BASE CONTENDER: each matched benchmark's change of time with its 95%\n"
	"           interval, coloured by verdict (faultbench compare's statistics)\n"
	"  pgoff    time per iteration against the pgoff parameter, a line per\n"
	"           configuration (special-mapping: .pages against .fault)\n"
	"A kind the results have no data for is an error (status 2), and nothing is\n"
	"written.\n"
	"\n";

static const struct fb_option plot_options[] = {
	{ "kind", 'k', "KIND", "one figure of that kind, into --out FILE" },
	{ "out", 'o', "DIR|FILE",
	  "where to make the plots directory (default: RESULT's directory); with --kind, the "
	  "figure's file" },
	{ "scripts", 's', "DIR",
	  "the gnuplot scripts (default: $FAULTBENCH_PLOTS_DIR, else the source tree's plots/, "
	  "else the installed share/faultbench/plots)" },
	{ "help", 'h', NULL, "print this help" },
	{ NULL, 0, NULL, NULL },
};

struct plot_args {
	const char *result[MAX_RESULTS], *out, *scripts, *kind;
	int nr_results;
	bool help;
};

static bool has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);

	return n > e && !strcmp(path + n - e, ext) && path[n - e - 1] != '/';
}

/* --kind's arguments, checked before any file is read. */
static int check_kind(const struct plot_args *a)
{
	if (!fp_kind_valid(a->kind))
		return fb_usage_error("unknown kind '%s' (valid: scaling race latency compare "
				      "pgoff)",
				      a->kind);
	if (!a->out || !(has_ext(a->out, ".png") || has_ext(a->out, ".svg")))
		return fb_usage_error("--kind %s needs --out FILE.png or FILE.svg%s%s%s", a->kind,
				      a->out ? " (not '" : "", a->out ? a->out : "",
				      a->out ? "')" : "");
	if (!strcmp(a->kind, "compare") && a->nr_results != 2)
		return fb_usage_error("--kind compare takes two results, BASE CONTENDER (given %d)",
				      a->nr_results);
	if (!access(a->out, F_OK))
		return fb_usage_error("'%s' exists: figures are never overwritten", a->out);
	return 0;
}

static int parse_args(int argc, char **argv, struct plot_args *a)
{
	struct fb_getopt opt = { 0 };
	char err[FB_ERRLEN];
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = fb_getopt(argc, argv, plot_options, &opt)) != -1) {
		if (c == 1 && a->nr_results < MAX_RESULTS)
			a->result[a->nr_results++] = optarg;
		else if (c == 'o')
			a->out = optarg;
		else if (c == 'k')
			a->kind = optarg;
		else if (c == 's')
			a->scripts = optarg;
		else if (c == 'h')
			a->help = true;
		else if (c == 1)
			return fb_usage_error("more than %d results (valid: up to %d)", MAX_RESULTS,
					      MAX_RESULTS);
		else {
			fb_option_error(plot_options, "plot", "RESULT", c, argv, err, sizeof(err));
			return fb_usage_error("%s", err);
		}
	}
	if (a->help)
		return 0;
	if (!a->nr_results)
		return fb_usage_error("no result file given (usage: faultbench plot RESULT)");
	if (a->kind)
		return check_kind(a);
	if (a->nr_results > 1)
		return fb_usage_error("one RESULT without --kind (given %d)", a->nr_results);
	return 0;
}

static int draw(const struct fp_plan *p)
{
	char dest[FP_PATHLEN], err[FB_ERRLEN], notes[FP_MAX_FIGURES][FP_NOTELEN];
	struct fr_doc d;
	enum fp_status st;
	int nr_notes;

	if (fr_doc_read(p->result, &d, err, sizeof(err)))
		return fb_usage_error("%s", err);
	st = fp_draw(p, &d, dest, sizeof(dest), notes, &nr_notes, err, sizeof(err));
	fr_doc_free(&d);
	if (st == FP_REFUSED)
		return fb_usage_error("%s", err);
	if (st == FP_FAILED) {
		fprintf(stderr, "faultbench: %s\n", err);
		return FB_EXIT_FAIL;
	}
	/* Held until the end, so that a failure is one line on stderr. */
	for (int i = 0; i < nr_notes; i++)
		fprintf(stderr, "faultbench: plot: %s\n", notes[i]);
	printf("%s\n", dest);
	return FB_EXIT_OK;
}

/*
 * The results of --kind, each resolved as the first was: for compare, two
 * documents; otherwise one, with every further result's benchmarks in it.
 */
static int read_results(const struct plot_args *a, const struct fp_plan *p, struct fr_doc *d,
			char *err, size_t errlen)
{
	bool compare = !strcmp(a->kind, "compare");

	if (fr_doc_read(p->result, &d[0], err, errlen))
		return -1;
	for (int i = 1; i < a->nr_results; i++) {
		struct fr_doc *next = &d[compare ? 1 : 2];
		struct fp_plan q;

		if (fp_plan(&q, a->result[i], p->scripts, p->parent, err, errlen) ||
		    fr_doc_read(q.result, next, err, errlen))
			goto fail;
		if (!compare && fr_doc_take(&d[0], next)) {
			fr_doc_free(next);
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if (!compare)
			fr_doc_free(next);
	}
	return 0;
fail:
	fr_doc_free(&d[0]);
	if (compare && a->nr_results > 1)
		fr_doc_free(&d[1]);
	return -1;
}

static int draw_kind(const struct plot_args *a, const struct fp_plan *p)
{
	char err[FB_ERRLEN], written[FP_MAX_FILES][FP_PATHLEN];
	bool compare = !strcmp(a->kind, "compare");
	struct fr_doc d[3];
	enum fp_status st;
	int n = 0;

	fr_doc_init(&d[1]);
	if (read_results(a, p, d, err, sizeof(err)))
		return fb_usage_error("%s", err);
	st = fp_draw_kind(p, a->kind, &d[0], compare ? &d[1] : NULL, a->out, written, &n, err,
			  sizeof(err));
	fr_doc_free(&d[0]);
	fr_doc_free(&d[1]);
	if (st == FP_REFUSED)
		return fb_usage_error("%s", err);
	if (st == FP_FAILED) {
		fprintf(stderr, "faultbench: %s\n", err);
		return FB_EXIT_FAIL;
	}
	for (int i = 0; i < n; i++)
		printf("%s\n", written[i]);
	return FB_EXIT_OK;
}

int fb_cmd_plot(int argc, char **argv)
{
	char err[FB_ERRLEN], dir[FP_PATHLEN];
	struct plot_args a;
	struct fp_plan p;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret || a.help) {
		if (a.help) {
			fputs(plot_help, stdout);
			fb_options_help(stdout, plot_options);
		}
		return ret;
	}
	snprintf(dir, sizeof(dir), "%s", a.out ? a.out : "");
	if (fp_plan(&p, a.result[0], a.scripts, a.kind ? dirname(dir) : a.out, err, sizeof(err)))
		return fb_usage_error("%s", err);
	return a.kind ? draw_kind(&a, &p) : draw(&p);
}
