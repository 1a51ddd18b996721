// SPDX-License-Identifier: GPL-2.0-only
/*
 * The figures, drawn into a hidden temporary directory that is renamed into
 * place at the end: a failure leaves no half set of figures behind, and an
 * existing plots directory or figure is never replaced.
 */
#define _GNU_SOURCE /* renameat2 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/*
 * A figure with a unit in its file name is split by unit: times per op and
 * per round never share an axis.
 */
const struct fp_figure fp_figures[] = {
	{ "ns", "ns_per_%s", NULL, fp_table_ns, NULL, FP_BARS, true },
	{ "ratio_to_floor", "ratio_to_floor", NULL, fp_table_ratio, NULL, FP_BARS, false },
	{ "scaling", "scaling_per_%s", "scaling", fp_table_scaling, NULL, FP_CURVES, false },
	{ "race", "race_per_%s", "race", NULL, fp_tables_race, FP_CURVES, false },
	{ "latency", "latency_per_%s", "latency", fp_table_latency, NULL, FP_CURVES, true },
	{ "pgoff", "pgoff_per_%s", "pgoff", fp_table_pgoff, NULL, FP_CURVES, false },
	{ "calibration_ns", "calibration_ns_per_%s", NULL, fp_table_calibration_ns, NULL, FP_BARS,
	  true },
	{ "calibration_race", "calibration_race_per_%s", NULL, fp_table_calibration_race, NULL,
	  FP_BARS, false },
};
const int fp_nr_figures = sizeof(fp_figures) / sizeof(fp_figures[0]);
/* compare is drawn from two results, never in the default set. */
static const struct fp_figure compare_figure = { "compare", "compare", "compare", NULL,
						 NULL,	    FP_ROWS,   false };

_Static_assert(sizeof(fp_figures) / sizeof(fp_figures[0]) <= FP_MAX_FIGURES,
	       "a note for every figure fits");

/* Labels on the compare figure's y axis: characters a line. */
#define ROW_LABEL_CHARS 40

bool fp_kind_valid(const char *kind)
{
	if (!strcmp(kind, compare_figure.kind))
		return true;
	for (int i = 0; i < fp_nr_figures; i++)
		if (fp_figures[i].kind && !strcmp(fp_figures[i].kind, kind))
			return true;
	return false;
}

static void machine_of(const struct fr_context *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s, %d CPUs, host %s", c->cpu_model[0] ? c->cpu_model : "unknown CPU",
		 c->num_cpus, c->host_name);
}

static void commit_of(const struct fr_context *c, char *buf, size_t len)
{
	snprintf(buf, len, "%.12s%s%s%s%s, %.10s", c->git_commit, c->git_dirty ? "+dirty" : "",
		 c->git_branch[0] ? " (" : "", c->git_branch, c->git_branch[0] ? ")" : "", c->date);
}

/* The title's second line: the machine, then the commit; the warnings below. */
static void describe(struct fp_job *job, const struct fr_doc *d)
{
	char commit[sizeof(job->commit)];

	machine_of(&d->ctx, job->machine, sizeof(job->machine));
	commit_of(&d->ctx, commit, sizeof(commit));
	snprintf(job->commit, sizeof(job->commit), "commit %s%s", commit,
		 d->interrupted ? ", interrupted run" : "");
	fp_footnote(d, job->footnote, sizeof(job->footnote));
}

/* Both commits, and both machines when they differ; both files' warnings. */
static void describe_compare(struct fp_job *job, const struct fr_doc *base,
			     const struct fr_doc *contender)
{
	char a[sizeof(job->commit)], b[sizeof(job->commit)], m[sizeof(job->machine)];
	char note[sizeof(job->footnote)];

	machine_of(&base->ctx, job->machine, sizeof(job->machine));
	machine_of(&contender->ctx, m, sizeof(m));
	if (strcmp(m, job->machine))
		snprintf(job->machine + strlen(job->machine),
			 sizeof(job->machine) - strlen(job->machine), " vs %s", m);
	/* The commits alone: two dates and branches would not fit the title. */
	snprintf(a, sizeof(a), "%.12s%s", base->ctx.git_commit,
		 base->ctx.git_dirty ? "+dirty" : "");
	snprintf(b, sizeof(b), "%.12s%s", contender->ctx.git_commit,
		 contender->ctx.git_dirty ? "+dirty" : "");
	snprintf(job->commit, sizeof(job->commit), "base %s vs contender %s", a, b);
	fp_footnote(base, job->footnote, sizeof(job->footnote));
	fp_footnote(contender, note, sizeof(note));
	if (note[0] && strcmp(note, job->footnote))
		snprintf(job->footnote + strlen(job->footnote),
			 sizeof(job->footnote) - strlen(job->footnote), "%s(contender) %s",
			 job->footnote[0] ? " (base)|" : "", note);
}

/* The units of t's rows, each once, in row order. */
static int units_of(const struct fp_table *t, const char **units)
{
	int n = 0;

	for (int r = 0; r < t->nr_rows; r++) {
		bool seen = !t->unit[r];

		for (int i = 0; i < n && !seen; i++)
			seen = !strcmp(units[i], t->unit[r]);
		if (!seen)
			units[n++] = t->unit[r];
	}
	return n;
}

/* A unit as part of a file name: what a scenario declares, kept to [a-z0-9_-]. */
static void file_name(const struct fp_figure *fig, const char *unit, int page, char *buf,
		      size_t len)
{
	char safe[FR_NAME_LEN], *p = safe;

	for (const char *u = unit ? unit : ""; *u && p < safe + sizeof(safe) - 1; u++)
		*p++ = isalnum((unsigned char)*u) || *u == '-' ? *u : '_';
	*p = '\0';
	snprintf(buf, len, fig->file, safe);
	if (page)
		snprintf(buf + strlen(buf), len - strlen(buf), "-%d", page + 1);
}

/* One page, drawn with the tables (of several) that have a value on it. */
static int draw_page(const struct fp_job *job, struct fp_shot *shot, const struct fp_table *t,
		     int nt, const struct fp_page *p, char *err, size_t errlen)
{
	struct fp_table some[FR_MAX_HEADLINE];
	int n = 0;

	for (int k = 0; k < nt; k++) {
		bool has = nt == 1;

		for (int s = 0; s < t[k].nr_series && !has; s++)
			has = fp_page_has(&t[k], p, s);
		if (has)
			some[n++] = t[k];
	}
	shot->nr_tables = n;
	return fp_draw_one(job, shot, some, p, err, errlen);
}

/* Every page of every unit of one figure's tables; how many, or -1 with err. */
static int draw_pages(struct fp_job *job, const struct fp_figure *fig, const struct fp_table *t,
		      int nt, char *err, size_t errlen)
{
	const char *units[t->nr_rows + 1];
	bool by_unit = strstr(fig->file, "%s");
	bool rows = fig->layout == FP_ROWS;
	int nu = by_unit ? units_of(t, units) : 1, drawn = 0;
	struct fp_page *pages = calloc(FP_MAX_PAGES, sizeof(*pages));

	if (!pages) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int u = 0; u < nu; u++) {
		const char *unit = by_unit ? units[u] : NULL;
		/* A curve's name is its legend entry, one line: gnuplot's key spaces no more. */
		int np = fp_pages(t, unit, rows ? FP_MAX_ROWS : FP_MAX_COLUMNS,
				  rows			     ? ROW_LABEL_CHARS
				  : fig->layout == FP_CURVES ? FP_TICK_LEN
							     : 0,
				  pages, FP_MAX_PAGES);

		for (int i = 0; i < np && job->nr_drawn < FP_MAX_PAGES; i++) {
			struct fp_shot shot = {
				fig->name, job->drawn[job->nr_drawn], unit ? unit : "", fig->layout,
				nt,	   fig->logy_allowed
			};

			file_name(fig, unit, i, job->drawn[job->nr_drawn], sizeof(job->drawn[0]));
			if (draw_page(job, &shot, t, nt, &pages[i], err, errlen)) {
				free(pages);
				return -1;
			}
			job->nr_drawn++;
			drawn++;
		}
	}
	free(pages);
	return drawn;
}

/* One figure's tables; how many (0: no data, with why in note). */
static int tables_of(const struct fp_figure *fig, const struct fr_doc *d, struct fp_table *t,
		     char *note, size_t len)
{
	int nt = fig->tables ? fig->tables(d, t, FR_MAX_HEADLINE, note, len)
			     : !fig->table(d, t, note, len);

	if (nt && fig->layout == FP_CURVES && t[0].nr_series < 2) {
		snprintf(note, len, "every configuration has one point along x: no curve");
		while (nt--)
			fp_table_free(&t[nt]);
		return 0;
	}
	return nt;
}

/* Draws one figure; how many files, 0 when d has no data for it (note), or -1 with err. */
static int draw_figure(struct fp_job *job, const struct fp_figure *fig, const struct fr_doc *d,
		       char *note, size_t len, char *err, size_t errlen)
{
	struct fp_table t[FR_MAX_HEADLINE];
	int nt = tables_of(fig, d, t, note, len), ret;

	if (!nt)
		return 0;
	ret = draw_pages(job, fig, t, nt, err, errlen);
	for (int k = 0; k < nt; k++)
		fp_table_free(&t[k]);
	return ret;
}

/* Returns how many figures were drawn, or -1 with err. */
static int draw_figures(struct fp_job *job, const struct fr_doc *d, char (*notes)[FP_NOTELEN],
			int *nr_notes, char *err, size_t errlen)
{
	int drawn = 0;

	for (int i = 0; i < fp_nr_figures; i++) {
		char why[128];
		int ret = draw_figure(job, &fp_figures[i], d, why, sizeof(why), err, errlen);

		if (ret < 0)
			return -1;
		if (!ret)
			snprintf(notes[(*nr_notes)++], FP_NOTELEN, "no %s figure: %s",
				 fp_figures[i].name, why);
		drawn += ret;
	}
	return drawn;
}

static int make_work(struct fp_job *job, char *work, const char *parent, char *err, size_t errlen)
{
	snprintf(work, FP_PATHLEN, "%s/.plots.tmp.XXXXXX", parent);
	job->work = work;
	if (mkdtemp(work))
		return 0;
	snprintf(err, errlen, "cannot write plots in '%s': %s", parent, strerror(errno));
	return -1;
}

enum fp_status fp_draw(const struct fp_plan *p, const struct fr_doc *d, char *dest, size_t len,
		       char (*notes)[FP_NOTELEN], int *nr_notes, char *err, size_t errlen)
{
	char work[FP_PATHLEN];
	struct fp_job job = { .plan = p };
	int drawn;

	*nr_notes = 0;
	describe(&job, d);
	if (make_work(&job, work, p->parent, err, errlen))
		return FP_REFUSED;
	drawn = draw_figures(&job, d, notes, nr_notes, err, errlen);
	if (drawn <= 0) {
		fp_discard(work);
		if (!drawn)
			snprintf(err, errlen, "nothing to plot in '%s'", p->result);
		return drawn ? FP_FAILED : FP_REFUSED;
	}
	chmod(work, 0755); /* mkdtemp made it private */
	if (fp_place(work, p->parent, dest, len)) {
		snprintf(err, errlen, "cannot make a plots directory in '%s': %s", p->parent,
			 strerror(errno));
		fp_discard(work);
		return FP_FAILED;
	}
	return FP_DRAWN;
}

/* FILE for the first page, FILE-2.EXT, FILE-3.EXT, ... for the next ones. */
static void out_name(const char *file, int i, char *buf, size_t len)
{
	const char *dot = strrchr(file, '.');

	if (!i)
		snprintf(buf, len, "%s", file);
	else
		snprintf(buf, len, "%.*s-%d%s", (int)(dot - file), file, i + 1, dot);
}

/* Moves the drawn figures of the file's format out of the work directory, never over a file. */
static int put_out(const struct fp_job *job, const char *file, char (*written)[FP_PATHLEN],
		   int *nr_written, char *err, size_t errlen)
{
	const char *ext = strrchr(file, '.') + 1;
	char from[FP_PATHLEN * 2];

	for (int i = 0; i < job->nr_drawn; i++) {
		snprintf(from, sizeof(from), "%s/%s.%s", job->work, job->drawn[i], ext);
		out_name(file, i, written[i], FP_PATHLEN);
		if (renameat2(AT_FDCWD, from, AT_FDCWD, written[i], RENAME_NOREPLACE) &&
		    (errno != EINVAL || !access(written[i], F_OK) || rename(from, written[i]))) {
			snprintf(err, errlen, "cannot write '%s': %s", written[i],
				 errno == EINVAL ? strerror(EEXIST) : strerror(errno));
			while (i--)
				unlink(written[i]);
			return -1;
		}
	}
	*nr_written = job->nr_drawn;
	return 0;
}

enum fp_status fp_draw_kind(const struct fp_plan *p, const char *kind, const struct fr_doc *d,
			    const struct fr_doc *contender, const char *file,
			    char (*written)[FP_PATHLEN], int *nr_written, char *err, size_t errlen)
{
	const struct fp_figure *fig = &compare_figure;
	struct fr_comparison cmp = { 0 };
	struct fr_compare_opts opts = { FR_COMPARE_ALPHA, FR_COMPARE_THRESHOLD };
	struct fr_selection sel = { 0 };
	struct fp_table t[FR_MAX_HEADLINE];
	struct fp_job job = { .plan = p };
	char work[FP_PATHLEN], note[128];
	int nt = 0, drawn = -1;

	for (int i = 0; i < fp_nr_figures; i++)
		if (fp_figures[i].kind && !strcmp(fp_figures[i].kind, kind))
			fig = &fp_figures[i];
	if (fig == &compare_figure) {
		describe_compare(&job, d, contender);
		if (fr_compare(d, contender, &sel, &opts, &cmp, err, errlen))
			return FP_REFUSED;
		nt = fp_table_change(&cmp, t, note, sizeof(note)) ? 0 : 1;
	} else {
		describe(&job, d);
		nt = tables_of(fig, d, t, note, sizeof(note));
	}
	if (!nt) {
		snprintf(err, errlen, "no %s figure: %s", kind, note);
		fr_comparison_free(&cmp);
		return FP_REFUSED;
	}
	if (!make_work(&job, work, p->parent, err, errlen))
		drawn = draw_pages(&job, fig, t, nt, err, errlen);
	for (int k = 0; k < nt; k++)
		fp_table_free(&t[k]);
	fr_comparison_free(&cmp);
	if (drawn > 0 && put_out(&job, file, written, nr_written, err, errlen))
		drawn = -1;
	if (job.work)
		fp_discard(work);
	return drawn > 0 ? FP_DRAWN : FP_FAILED;
}
