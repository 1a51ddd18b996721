// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench plot RESULT: data files from a result file, drawn by the gnuplot
 * scripts in plots/.  Everything is checked before anything is written, and
 * everything is written into a hidden temporary directory that is renamed
 * into place at the end: a failure leaves no half set of figures behind, and
 * an existing plots directory is never replaced.
 */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"

#define PATHLEN 1024

static const char plot_help[] =
	"usage: faultbench plot RESULT [--out DIR] [--scripts DIR]\n"
	"\n"
	"Draws a result file as figures, each as PNG and SVG.  RESULT may be a\n"
	"directory: the newest *.json in it or in its subdirectories is drawn.\n"
	"  ns_per_op       median time per iteration with min-max bars, by\n"
	"                  configuration, one series per thread count\n"
	"  ratio_to_floor  time over the floor scenario's time, target 1.5\n"
	"                  (when some entry has a floor)\n"
	"  race            same-addr race counters per round: recheck_lost,\n"
	"                  set_pte_replace, ptl_contended (when there is same-addr)\n"
	"The figures and their data files (*.dat) go to a new directory DIR/plots\n"
	"(plots-1, plots-2, ... when it exists), whose path is printed.\n"
	"\n"
	"  --out DIR      where to make the plots directory (default: RESULT's directory)\n"
	"  --scripts DIR  the gnuplot scripts (default: $FAULTBENCH_PLOTS_DIR, else the\n"
	"                 source tree's plots/, else the installed share/faultbench/plots)\n";

static const struct figure {
	const char *name; /* plots/NAME.gp draws NAME.dat into NAME.png and NAME.svg */
	int (*table)(const struct fb_plot_result *r, struct fb_plot_table *t, char *note,
		     size_t len);
	bool logy_allowed;
} figures[] = {
	{ "ns_per_op", fb_plot_table_ns, true },
	{ "ratio_to_floor", fb_plot_table_ratio, false },
	{ "race", fb_plot_table_race, false },
};

#define NR_FIGURES (int)(sizeof(figures) / sizeof(figures[0]))

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
	while ((c = getopt_long(argc, argv, "-:", plot_options, NULL)) != -1) {
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

/* --- inputs: the result, the scripts, gnuplot ------------------------------------ */

static bool newer(const struct stat *a, const struct stat *b)
{
	if (a->st_mtim.tv_sec != b->st_mtim.tv_sec)
		return a->st_mtim.tv_sec > b->st_mtim.tv_sec;
	return a->st_mtim.tv_nsec > b->st_mtim.tv_nsec;
}

/* The newest *.json in dir, and in its subdirectories when depth > 0. */
static void newest_json(const char *dir, int depth, char *best, struct stat *best_st)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[PATHLEN];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			newest_json(path, depth - 1, best, best_st);
		else if (S_ISREG(st.st_mode) && n > 5 && !strcmp(e->d_name + n - 5, ".json") &&
			 (!*best || newer(&st, best_st))) {
			snprintf(best, PATHLEN, "%s", path);
			*best_st = st;
		}
	}
	if (d)
		closedir(d);
}

static int resolve_result(const char *arg, char *path)
{
	struct stat st;

	snprintf(path, PATHLEN, "%s", arg);
	if (stat(arg, &st) || !S_ISDIR(st.st_mode))
		return 0; /* fb_plot_read says what is wrong with it */
	path[0] = '\0';
	newest_json(arg, 1, path, &st);
	if (!path[0])
		return fb_usage_error("no result file (*.json) in '%s' or its subdirectories", arg);
	return 0;
}

static bool scripts_in(const char *dir)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s/common.gp", dir);
	if (access(path, R_OK))
		return false;
	for (int i = 0; i < NR_FIGURES; i++) {
		snprintf(path, sizeof(path), "%s/%s.gp", dir, figures[i].name);
		if (access(path, R_OK))
			return false;
	}
	return true;
}

/* An explicit choice must hold the scripts; otherwise the first place that does. */
static int find_scripts(const char *given, char *dir)
{
	const char *env = getenv("FAULTBENCH_PLOTS_DIR");
	const char *cand[] = { FB_PLOTS_DIR, FB_PLOTS_INSTALL_DIR };
	const char *explicit = given ? given : env && *env ? env : NULL;

	if (explicit) {
		snprintf(dir, PATHLEN, "%s", explicit);
		if (scripts_in(dir))
			return 0;
		return fb_usage_error("no gnuplot scripts (common.gp, ns_per_op.gp, ...) in '%s' "
				      "(from %s)",
				      dir, given ? "--scripts" : "FAULTBENCH_PLOTS_DIR");
	}
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		snprintf(dir, PATHLEN, "%s", cand[i]);
		if (scripts_in(dir))
			return 0;
	}
	return fb_usage_error("no gnuplot scripts in %s or %s (set FAULTBENCH_PLOTS_DIR or "
			      "--scripts)",
			      FB_PLOTS_DIR, FB_PLOTS_INSTALL_DIR);
}

static int find_gnuplot(char *path)
{
	const char *env = getenv("PATH");
	char dirs[4096], *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s", env ? env : "");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, PATHLEN, "%s/gnuplot", d);
		if (!access(path, X_OK))
			return 0;
	}
	return fb_usage_error("gnuplot not found in PATH (install it: apt-get install "
			      "gnuplot-nox)");
}

static int check_out_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return fb_usage_error("cannot write plots: directory '%s' does not exist", dir);
	if (access(dir, W_OK | X_OK))
		return fb_usage_error("cannot write plots: directory '%s' is not writable", dir);
	return 0;
}

/* --- drawing --------------------------------------------------------------------- */

/* Notes are held until the end, so that a failure is one line on stderr. */
static int draw_figures(struct fb_plot_job *job, char (*notes)[160], int *nr_notes)
{
	char err[FB_ERRLEN];
	int drawn = 0;

	for (int i = 0; i < NR_FIGURES; i++) {
		struct fb_plot_table t;
		char why[128];
		int ret;

		if (figures[i].table(job->result, &t, why, sizeof(why))) {
			snprintf(notes[(*nr_notes)++], 160, "no %s figure: %s", figures[i].name,
				 why);
			continue;
		}
		ret = fb_plot_draw(job, figures[i].name, &t, figures[i].logy_allowed, err,
				   sizeof(err));
		fb_plot_table_free(&t);
		if (ret) {
			fprintf(stderr, "faultbench: %s\n", err);
			return -1;
		}
		drawn++;
	}
	return drawn;
}

static int draw_all(struct fb_plot_job *job, const char *parent)
{
	char work[PATHLEN], dest[PATHLEN], notes[NR_FIGURES][160];
	int nr_notes = 0, drawn;

	snprintf(work, sizeof(work), "%s/.plots.tmp.XXXXXX", parent);
	if (!mkdtemp(work))
		return fb_usage_error("cannot write plots in '%s': %s", parent, strerror(errno));
	job->work = work;
	drawn = draw_figures(job, notes, &nr_notes);
	if (drawn <= 0) {
		fb_plot_discard(work);
		return drawn ? FB_EXIT_FAIL : fb_usage_error("nothing to plot in '%s'", job->path);
	}
	chmod(work, 0755); /* mkdtemp made it private */
	if (fb_plot_place(work, parent, dest, sizeof(dest))) {
		fprintf(stderr, "faultbench: cannot make a plots directory in '%s': %s\n", parent,
			strerror(errno));
		fb_plot_discard(work);
		return FB_EXIT_FAIL;
	}
	for (int i = 0; i < nr_notes; i++)
		fprintf(stderr, "faultbench: plot: %s\n", notes[i]);
	printf("%s\n", dest);
	return FB_EXIT_OK;
}

static int prepare(const struct plot_args *a, struct fb_plot_job *job, char *parent)
{
	static char result[PATHLEN], scripts[PATHLEN], gnuplot[PATHLEN];
	char copy[PATHLEN];
	int ret;

	ret = resolve_result(a->result, result);
	if (!ret)
		ret = find_scripts(a->scripts, scripts);
	if (!ret)
		ret = find_gnuplot(gnuplot);
	job->path = result;
	job->scripts = scripts;
	job->gnuplot = gnuplot;
	snprintf(copy, sizeof(copy), "%s", result);
	snprintf(parent, PATHLEN, "%s", a->out ? a->out : dirname(copy));
	for (size_t n = strlen(parent); n > 1 && parent[n - 1] == '/'; n--)
		parent[n - 1] = '\0';
	return ret;
}

int fb_cmd_plot(int argc, char **argv)
{
	char parent[PATHLEN], err[FB_ERRLEN];
	struct fb_plot_result r;
	struct fb_plot_job job = { 0 };
	struct plot_args a;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret || a.help) {
		if (a.help)
			fputs(plot_help, stdout);
		return ret;
	}
	ret = prepare(&a, &job, parent);
	if (ret)
		return ret;
	if (fb_plot_read(job.path, &r, err, sizeof(err))) {
		fb_plot_result_free(&r);
		return fb_usage_error("%s", err);
	}
	job.result = &r;
	ret = check_out_dir(parent);
	if (!ret)
		ret = draw_all(&job, parent);
	fb_plot_result_free(&r);
	return ret;
}
