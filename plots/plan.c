// SPDX-License-Identifier: GPL-2.0-only
/*
 * What `faultbench plot` needs, found before anything is read or written:
 * the result file, the gnuplot scripts, gnuplot, and where the figures go.
 */
#include <dirent.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

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
		char path[FP_PATHLEN];
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
			snprintf(best, FP_PATHLEN, "%s", path);
			*best_st = st;
		}
	}
	if (d)
		closedir(d);
}

static int resolve_result(const char *arg, char *path, char *err, size_t errlen)
{
	struct stat st;

	snprintf(path, FP_PATHLEN, "%s", arg);
	if (stat(arg, &st) || !S_ISDIR(st.st_mode))
		return 0; /* the reader says what is wrong with it */
	path[0] = '\0';
	newest_json(arg, 1, path, &st);
	if (path[0])
		return 0;
	snprintf(err, errlen, "no result file (*.json) in '%s' or its subdirectories", arg);
	return -1;
}

static bool scripts_in(const char *dir)
{
	char path[FP_PATHLEN];

	snprintf(path, sizeof(path), "%s/common.gp", dir);
	if (access(path, R_OK))
		return false;
	for (int i = 0; i < fp_nr_figures; i++) {
		snprintf(path, sizeof(path), "%s/%s.gp", dir, fp_figures[i].name);
		if (access(path, R_OK))
			return false;
	}
	return true;
}

/* An explicit choice must hold the scripts; otherwise the first place that does. */
static int find_scripts(const char *given, char *dir, char *err, size_t errlen)
{
	const char *env = getenv("FAULTBENCH_PLOTS_DIR");
	const char *cand[] = { FP_PLOTS_DIR, FP_PLOTS_INSTALL_DIR };
	const char *explicit = given ? given : env && *env ? env : NULL;

	if (explicit) {
		snprintf(dir, FP_PATHLEN, "%s", explicit);
		if (scripts_in(dir))
			return 0;
		snprintf(err, errlen,
			 "no gnuplot scripts (common.gp, ns_per_op.gp, ...) in '%s' (from %s)", dir,
			 given ? "--scripts" : "FAULTBENCH_PLOTS_DIR");
		return -1;
	}
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		snprintf(dir, FP_PATHLEN, "%s", cand[i]);
		if (scripts_in(dir))
			return 0;
	}
	snprintf(err, errlen,
		 "no gnuplot scripts in %s or %s (set FAULTBENCH_PLOTS_DIR or --scripts)",
		 FP_PLOTS_DIR, FP_PLOTS_INSTALL_DIR);
	return -1;
}

static int find_gnuplot(char *path, char *err, size_t errlen)
{
	const char *env = getenv("PATH");
	char dirs[4096], *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s", env ? env : "");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, FP_PATHLEN, "%s/gnuplot", d);
		if (!access(path, X_OK))
			return 0;
	}
	snprintf(err, errlen,
		 "gnuplot not found in PATH (install it: apt-get install gnuplot-nox)");
	return -1;
}

static int check_out_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		snprintf(err, errlen, "cannot write plots: directory '%s' does not exist", dir);
	else if (access(dir, W_OK | X_OK))
		snprintf(err, errlen, "cannot write plots: directory '%s' is not writable", dir);
	else
		return 0;
	return -1;
}

int fp_plan(struct fp_plan *p, const char *result, const char *scripts, const char *out, char *err,
	    size_t errlen)
{
	char copy[FP_PATHLEN];

	memset(p, 0, sizeof(*p));
	if (resolve_result(result, p->result, err, errlen) ||
	    find_scripts(scripts, p->scripts, err, errlen) || find_gnuplot(p->gnuplot, err, errlen))
		return -1;
	snprintf(copy, sizeof(copy), "%s", p->result);
	snprintf(p->parent, sizeof(p->parent), "%s", out ? out : dirname(copy));
	for (size_t n = strlen(p->parent); n > 1 && p->parent[n - 1] == '/'; n--)
		p->parent[n - 1] = '\0';
	return check_out_dir(p->parent, err, errlen);
}
