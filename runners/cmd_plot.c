// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench plot RESULT: the command line of plots/.  The result is read
 * through results/' reader; plots/ finds the scripts and gnuplot, and draws.
 */
#include <getopt.h>
#include <string.h>

#include <faultplots/plot.h>

#include "runner.h"

static const char plot_help[] =
	"usage: faultbench plot RESULT [--out DIR] [--scripts DIR]\n"
	"\n"
	"Draws a result file as figures, each as PNG and SVG.  RESULT may be a\n"
	"directory: the newest *.json in it or in its subdirectories is drawn.\n"
	"  ns_per_UNIT     median time per iteration with min-max bars, by\n"
	"                  configuration, one series per thread count, a figure per\n"
	"                  unit (op, round, ...)\n"
	"  ratio_to_floor  time over the floor scenario's time, target 1.5\n"
	"                  (when some entry has a floor)\n"
	"  race_per_UNIT   the headline counters per iteration that each scenario\n"
	"                  declares, two threads or more (when some benchmark has them)\n"
	"A figure holds at most 8 configurations and goes on in NAME-2, NAME-3, ...;\n"
	"the result's warnings are its footnote.\n"
	"A benchmark whose verify step failed is left out of every figure.\n"
	"The figures and their data files (*.dat) go to a new directory DIR/plots\n"
	"(plots-1, plots-2, ... when it exists), whose path is printed.\n"
	"\n"
	"  --out DIR      where to make the plots directory (default: RESULT's directory)\n"
	"  --scripts DIR  the gnuplot scripts (default: $FAULTBENCH_PLOTS_DIR, else the\n"
	"                 source tree's plots/, else the installed share/faultbench/plots)\n";

struct plot_args {
	const char *result, *out, *scripts;
	bool help;
};

static const struct option plot_options[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "scripts", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_args(int argc, char **argv, struct plot_args *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-:h", plot_options, NULL)) != -1) {
		if (c == 1 && !a->result)
			a->result = optarg;
		else if (c == 'o')
			a->out = optarg;
		else if (c == 's')
			a->scripts = optarg;
		else if (c == 'h')
			a->help = true;
		else
			return fb_usage_error("unknown argument '%s' (valid: RESULT --out "
					      "--scripts --help)",
					      argv[optind - 1]);
	}
	if (!a->result && !a->help)
		return fb_usage_error("no result file given (usage: faultbench plot RESULT)");
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

int fb_cmd_plot(int argc, char **argv)
{
	char err[FB_ERRLEN];
	struct plot_args a;
	struct fp_plan p;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret || a.help) {
		if (a.help)
			fputs(plot_help, stdout);
		return ret;
	}
	if (fp_plan(&p, a.result, a.scripts, a.out, err, sizeof(err)))
		return fb_usage_error("%s", err);
	return draw(&p);
}
