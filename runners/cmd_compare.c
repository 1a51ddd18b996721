// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench compare BASE [CONTENDER]: two result files, or two
 * configurations of one, compared by results/compare.c.  Both files are read
 * and matched before anything is printed.
 */
#include <stdlib.h>
#include <string.h>

#include <faultresults/compare.h>

#include "runner.h"

static const char compare_help[] =
	"usage: faultbench compare BASE.json [CONTENDER.json] [options]\n"
	"\n"
	"Compares two result files benchmark by benchmark: each benchmark of the base\n"
	"is matched with the contender's of the same scenario, label, parameters and\n"
	"thread count, and its median time and headline counters are compared: the\n"
	"change with a 95% confidence interval (Hodges-Lehmann), the Mann-Whitney U\n"
	"p-value, and a verdict, faster, slower or no change.  When both sides ran in\n"
	"interleaved rounds (compare-branches, suite --interleave), the rounds are\n"
	"paired instead: each round's fastest repetitions, Wilcoxon's signed-rank p and\n"
	"the paired interval, so that the machine's drift between rounds cancels.\n"
	"Then the geometric mean of the time ratios (bootstrap interval, fixed seed).\n"
	"Instructions counted by the same method on both sides (--measure\n"
	"instructions) are compared exactly: equal counts are no change, any\n"
	"difference is the change (verdict exact).\n"
	"\n";

static const char compare_epilog[] =
	"\n"
	"A change is called when p < alpha and the whole interval lies beyond the\n"
	"threshold.  With one file, both sides come from it and filters tell them\n"
	"apart, e.g. faultbench compare r.json --pair recheck=recheck:none.\n"
	"Exit status: 0 compared (whatever the verdicts), 2 bad input: a file that is\n"
	"not a result, or benchmarks that differ in a parameter no filter names.\n";

struct compare_args {
	const char *file[2];
	int nr_files;
	struct fr_selection sel;
	struct fr_compare_opts opts;
	enum fr_compare_format format;
	bool help;
};

static const struct fb_option compare_options[] = {
	{ "base-filter", 'b', "name=value[,...]",
	  "compare only these base benchmarks; a name is a parameter, scenario, label or threads" },
	{ "contender-filter", 'c', "name=value[,...]", "the same for the contender" },
	{ "pair", 'p', "name=A:B",
	  "base name=A against contender name=B (repeatable); a filtered name may differ" },
	{ "format", 'f', "table|json|markdown|mail",
	  "what to print (default table); mail is laid out like a 0-day robot report" },
	{ "alpha", 'a', "P", "the tests' level (default 0.01)" },
	{ "threshold", 't', "PCT", "the least change called one (default 1)" },
	{ "help", 'h', NULL, "print this help" },
	{ NULL, 0, NULL, NULL },
};

/* A number in (lo, hi); -1 otherwise. */
static int parse_number(const char *s, double lo, double hi, double *out)
{
	return !fb_parse_real(s, lo, hi, out) && *out > lo && *out < hi ? 0 : -1;
}

static int parse_option(int c, struct compare_args *a, char *err, size_t errlen)
{
	double pct;

	switch (c) {
	case 'b':
		return fr_filter_parse(optarg, a->sel.base, &a->sel.nr_base, err, errlen);
	case 'c':
		return fr_filter_parse(optarg, a->sel.contender, &a->sel.nr_contender, err, errlen);
	case 'p':
		return fr_pair_parse(optarg, &a->sel, err, errlen);
	case 'f':
		if (!fr_compare_format_parse(optarg, &a->format))
			return 0;
		snprintf(err, errlen, "invalid --format '%s' (valid: %s)", optarg,
			 fb_option_arg(compare_options, 'f'));
		return -1;
	case 'a':
		if (!parse_number(optarg, 0, 1, &a->opts.alpha))
			return 0;
		snprintf(err, errlen, "invalid --alpha '%s' (valid: a number between 0 and 1)",
			 optarg);
		return -1;
	case 't':
		if (!parse_number(optarg, -1, 100, &pct) && pct >= 0) {
			a->opts.threshold = pct / 100;
			return 0;
		}
		snprintf(err, errlen, "invalid --threshold '%s' (valid: a percentage, 0 to 100)",
			 optarg);
		return -1;
	}
	a->help = true; /* 'h' */
	return 0;
}

static int parse_args(int argc, char **argv, struct compare_args *a, char *err, size_t errlen)
{
	struct fb_getopt opt = { 0 };
	int c;

	memset(a, 0, sizeof(*a));
	a->opts = (struct fr_compare_opts){ FR_COMPARE_ALPHA, FR_COMPARE_THRESHOLD };
	while ((c = fb_getopt(argc, argv, compare_options, &opt)) != -1) {
		if (c == 1 && a->nr_files < 2) {
			a->file[a->nr_files++] = optarg;
			continue;
		}
		if (c == 1 || c == '?' || c == ':')
			return fb_option_error(compare_options, "compare", "BASE [CONTENDER]", c,
					       argv, err, errlen);
		if (parse_option(c, a, err, errlen))
			return -1;
	}
	if (a->help)
		return 0;
	if (!a->nr_files) {
		snprintf(err, errlen,
			 "no result file given (usage: faultbench compare BASE [CONTENDER])");
		return -1;
	}
	if (a->nr_files == 1 && !a->sel.nr_base && !a->sel.nr_contender) {
		snprintf(err, errlen,
			 "one result file compares two of its configurations: say which with "
			 "--pair name=A:B or the filters");
		return -1;
	}
	return 0;
}

int fb_cmd_compare(int argc, char **argv)
{
	struct fr_doc doc[2];
	struct compare_args a;
	struct fr_comparison cmp;
	char err[FB_ERRLEN];
	const char *contender;
	bool two;
	int ret;

	if (parse_args(argc, argv, &a, err, sizeof(err)))
		return fb_usage_error("%s", err);
	if (a.help) {
		fputs(compare_help, stdout);
		fb_options_help(stdout, compare_options);
		fputs(compare_epilog, stdout);
		return FB_EXIT_OK;
	}
	contender = a.file[a.nr_files - 1];
	two = strcmp(a.file[0], contender) != 0;
	if (fr_doc_read(a.file[0], &doc[0], err, sizeof(err)))
		return fb_usage_error("%s", err);
	if (two && fr_doc_read(contender, &doc[1], err, sizeof(err))) {
		fr_doc_free(&doc[0]);
		return fb_usage_error("%s", err);
	}
	ret = fr_compare(&doc[0], &doc[two], &a.sel, &a.opts, &cmp, err, sizeof(err));
	if (!ret) {
		ret = fr_comparison_print(&cmp, a.format, a.file[0], contender, stdout) ||
				      fflush(stdout)
			      ? FB_EXIT_FAIL
			      : FB_EXIT_OK;
		fr_comparison_free(&cmp);
	} else {
		ret = ret == -1 ? fb_usage_error("%s", err)
				: (fprintf(stderr, "faultbench: %s\n", err), FB_EXIT_FAIL);
	}
	fr_doc_free(&doc[0]);
	if (two)
		fr_doc_free(&doc[1]);
	return ret;
}
