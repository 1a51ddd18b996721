// SPDX-License-Identifier: GPL-2.0-only
/*
 * One figure: its table as a data file in the work directory, then gnuplot
 * on its script in plots/, with paths and titles passed as variables.  The
 * work directory is renamed into place only when every figure is drawn.
 */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#define PATHLEN FP_PATHLEN
/* A log y axis once the values span more than this factor. */
#define LOGY_SPAN 20.0

/* name='value'; with gnuplot's quoting, where '' is a quote inside '...'. */
static void put_var(FILE *f, const char *name, const char *value)
{
	fprintf(f, "%s='", name);
	for (; *value; value++) {
		if (*value == '\'')
			fputc('\'', f);
		fputc(*value, f);
	}
	fputs("'; ", f);
}

static double page_top(const struct fp_table *t, const struct fp_page *p)
{
	double hi = 0;

	for (int i = 0; i < p->n; i++)
		for (int s = 0; s < t->nr_series; s++)
			if (t->cell[p->row[i] * t->nr_series + s].has &&
			    t->cell[p->row[i] * t->nr_series + s].max > hi)
				hi = t->cell[p->row[i] * t->nr_series + s].max;
	return hi;
}

/* Whether the page's values, bars included, span more than LOGY_SPAN. */
static bool wide_span(const struct fp_table *t, const struct fp_page *p)
{
	double lo = INFINITY, hi = 0;

	for (int i = 0; i < p->n; i++) {
		for (int s = 0; s < t->nr_series; s++) {
			const struct fp_cell *c = &t->cell[p->row[i] * t->nr_series + s];

			if (c->has && c->min > 0 && c->min < lo)
				lo = c->min;
			if (c->has && c->max > hi)
				hi = c->max;
		}
	}
	return isfinite(lo) && hi > LOGY_SPAN * lo;
}

static char *gnuplot_vars(const struct fp_job *job, const struct fp_shot *shot,
			  const struct fp_table *t, const struct fp_page *p)
{
	char path[PATHLEN], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	put_var(f, "plotsdir", job->plan->scripts);
	snprintf(path, sizeof(path), "%s/%s.dat", job->work, shot->file);
	put_var(f, "data", path);
	snprintf(path, sizeof(path), "%s/%s", job->work, shot->file);
	put_var(f, "out", path);
	put_var(f, "machine", job->machine);
	put_var(f, "commit", job->commit);
	put_var(f, "footnote", job->footnote);
	put_var(f, "unit", shot->unit);
	put_var(f, "common", p->common);
	fputs("series='", f);
	if (shot->layout == FP_CURVES) {
		/* The lines are the page's rows, named by their ticks ('|' as '/'). */
		for (int i = 0; i < p->n; i++) {
			fputs(i ? " " : "", f);
			for (const char *c = p->tick[i]; *c; c++)
				fputc(*c == '|' ? '/' : *c, f);
		}
		fputs("'; counters='", f);
		for (int k = 0; k < shot->nr_tables; k++)
			fprintf(f, "%s%s", k ? " " : "", t[k].name);
		/* Each table's largest value: a panel of zeros still gets a y range. */
		fputs("'; tops='", f);
		for (int k = 0; k < shot->nr_tables; k++)
			fprintf(f, "%s%g", k ? " " : "", page_top(&t[k], p));
	} else {
		for (int s = 0, n = 0; s < t->nr_series; s++)
			if (fp_page_has(t, p, s))
				fprintf(f, "%s%s", n++ ? " " : "", t->series[s]);
	}
	fprintf(f, "'; nrows=%d; logy=%d", p->n, shot->logy && wide_span(t, p));
	fclose(f);
	return buf;
}

static int write_data(const struct fp_job *job, const struct fp_shot *shot,
		      const struct fp_table *t, const struct fp_page *p, char *err, size_t errlen)
{
	const char *name = shot->file;
	char path[PATHLEN];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s.dat", job->work, name);
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	ret = shot->layout == FP_CURVES ? fp_curves_write(t, shot->nr_tables, p, f)
					: fp_table_write(t, p, f);
	if (fclose(f) || ret) {
		snprintf(err, errlen, "cannot write '%s'", path);
		return -1;
	}
	return 0;
}

/* The last line gnuplot wrote to its log: where it stopped and why. */
static void last_line(const char *log, char *out, size_t len)
{
	FILE *f = fopen(log, "r");
	char line[512];

	snprintf(out, len, "no message");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[strspn(line, " \t^")])
			snprintf(out, len, "%s", line + strspn(line, " \t"));
	}
	if (f)
		fclose(f);
}

/* gnuplot's warnings still reach the user, after it is done. */
static void pass_on(const char *log)
{
	FILE *f = fopen(log, "r");
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		fputs(line, stderr);
	if (f)
		fclose(f);
}

static void exec_gnuplot(const struct fp_job *job, const char *vars, const char *script,
			 const char *log)
{
	int null = open("/dev/null", O_RDWR), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (null < 0 || fd < 0)
		_exit(127);
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	execl(job->plan->gnuplot, "gnuplot", "-e", vars, script, (char *)NULL);
	_exit(127);
}

static int run_gnuplot(const struct fp_job *job, const char *vars, const char *script, char *err,
		       size_t errlen)
{
	char log[PATHLEN], why[512];
	int status = 0, ret = 0;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/gnuplot.log", job->work);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		exec_gnuplot(job, vars, script, log);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		last_line(log, why, sizeof(why));
		snprintf(err, errlen, "gnuplot failed on %s: %s", script,
			 pid < 0 ? strerror(errno) : why);
		ret = -1;
	} else {
		pass_on(log);
	}
	unlink(log);
	return ret;
}

static int check_drawn(const struct fp_job *job, const char *name, char *err, size_t errlen)
{
	static const char *const ext[] = { "png", "svg" };
	char path[PATHLEN];
	struct stat st;

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", job->work, name, ext[i]);
		if (stat(path, &st) || !st.st_size) {
			snprintf(err, errlen, "gnuplot wrote no %s.%s", name, ext[i]);
			return -1;
		}
	}
	return 0;
}

int fp_draw_one(const struct fp_job *job, const struct fp_shot *shot, const struct fp_table *t,
		const struct fp_page *p, char *err, size_t errlen)
{
	char script[PATHLEN], *vars;
	int ret;

	if (write_data(job, shot, t, p, err, errlen))
		return -1;
	vars = gnuplot_vars(job, shot, t, p);
	if (!vars) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(script, sizeof(script), "%s/%s.gp", job->plan->scripts, shot->script);
	ret = run_gnuplot(job, vars, script, err, errlen);
	free(vars);
	return ret ? ret : check_drawn(job, shot->file, err, errlen);
}

/* --- the work directory ------------------------------------------------------------ */

void fp_discard(const char *work)
{
	DIR *d = opendir(work);
	struct dirent *e;
	char path[PATHLEN];

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", work, e->d_name);
			unlink(path);
		}
	}
	if (d)
		closedir(d);
	rmdir(work);
}

static int try_rename(const char *work, const char *dest)
{
	if (!renameat2(AT_FDCWD, work, AT_FDCWD, dest, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A filesystem without RENAME_NOREPLACE: look first, then rename. */
	if (!access(dest, F_OK)) {
		errno = EEXIST;
		return -1;
	}
	return rename(work, dest);
}

int fp_place(const char *work, const char *parent, char *dest, size_t len)
{
	snprintf(dest, len, "%s/plots", parent);
	for (int i = 1; try_rename(work, dest); i++) {
		if ((errno != EEXIST && errno != ENOTEMPTY) || i == 1000)
			return -1;
		snprintf(dest, len, "%s/plots-%d", parent, i);
	}
	return 0;
}
