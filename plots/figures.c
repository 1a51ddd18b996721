// SPDX-License-Identifier: GPL-2.0-only
/*
 * The figures, drawn into a hidden temporary directory that is renamed into
 * place at the end: a failure leaves no half set of figures behind, and an
 * existing plots directory is never replaced.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* A figure with a unit in its file name is split by unit: times per op and per round never share an
 * axis. */
const struct fp_figure fp_figures[] = {
	{ "ns", "ns_per_%s", fp_table_ns, true },
	{ "ratio_to_floor", "ratio_to_floor", fp_table_ratio, false },
	{ "race", "race_per_%s", fp_table_race, false },
	{ "calibration_ns", "calibration_ns_per_%s", fp_table_calibration_ns, true },
	{ "calibration_race", "calibration_race_per_%s", fp_table_calibration_race, false },
};
const int fp_nr_figures = sizeof(fp_figures) / sizeof(fp_figures[0]);

_Static_assert(sizeof(fp_figures) / sizeof(fp_figures[0]) <= FP_MAX_FIGURES,
	       "a note for every figure fits");

/* The title's second line: the machine, then the commit; the warnings below. */
static void describe(struct fp_job *job, const struct fr_doc *d)
{
	const struct fr_context *c = &d->ctx;
	bool interrupted = d->interrupted;

	snprintf(job->machine, sizeof(job->machine), "%s, %d CPUs, host %s",
		 c->cpu_model[0] ? c->cpu_model : "unknown CPU", c->num_cpus, c->host_name);
	snprintf(job->commit, sizeof(job->commit), "commit %.12s%s%s%s%s, %.10s%s", c->git_commit,
		 c->git_dirty ? "+dirty" : "", c->git_branch[0] ? " (" : "", c->git_branch,
		 c->git_branch[0] ? ")" : "", c->date, interrupted ? ", interrupted run" : "");
	fp_footnote(d, job->footnote, sizeof(job->footnote));
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

/* Every page of every unit of one figure's table; how many, or -1 with err. */
static int draw_pages(const struct fp_job *job, const struct fp_figure *fig,
		      const struct fp_table *t, char *err, size_t errlen)
{
	const char *units[t->nr_rows + 1];
	bool by_unit = strstr(fig->file, "%s");
	int nu = by_unit ? units_of(t, units) : 1, drawn = 0;
	struct fp_page *pages = calloc(FP_MAX_PAGES, sizeof(*pages));

	if (!pages) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int u = 0; u < nu; u++) {
		int np = fp_pages(t, by_unit ? units[u] : NULL, pages, FP_MAX_PAGES);

		for (int i = 0; i < np; i++) {
			char file[FP_PATHLEN];
			struct fp_shot shot = { fig->name, file, by_unit ? units[u] : "",
						fig->logy_allowed };

			file_name(fig, by_unit ? units[u] : NULL, i, file, sizeof(file));
			if (fp_draw_one(job, &shot, t, &pages[i], err, errlen)) {
				free(pages);
				return -1;
			}
			drawn++;
		}
	}
	free(pages);
	return drawn;
}

/* Returns how many figures were drawn, or -1 with err. */
static int draw_figures(const struct fp_job *job, const struct fr_doc *d, char (*notes)[FP_NOTELEN],
			int *nr_notes, char *err, size_t errlen)
{
	int drawn = 0;

	for (int i = 0; i < fp_nr_figures; i++) {
		const struct fp_figure *fig = &fp_figures[i];
		struct fp_table t;
		char why[128];
		int ret;

		if (fig->table(d, &t, why, sizeof(why))) {
			snprintf(notes[(*nr_notes)++], FP_NOTELEN, "no %s figure: %s", fig->name,
				 why);
			continue;
		}
		ret = draw_pages(job, fig, &t, err, errlen);
		fp_table_free(&t);
		if (ret < 0)
			return -1;
		drawn += ret;
	}
	return drawn;
}

enum fp_status fp_draw(const struct fp_plan *p, const struct fr_doc *d, char *dest, size_t len,
		       char (*notes)[FP_NOTELEN], int *nr_notes, char *err, size_t errlen)
{
	char work[FP_PATHLEN];
	struct fp_job job = { .plan = p, .work = work };
	int drawn;

	*nr_notes = 0;
	describe(&job, d);
	snprintf(work, sizeof(work), "%s/.plots.tmp.XXXXXX", p->parent);
	if (!mkdtemp(work)) {
		snprintf(err, errlen, "cannot write plots in '%s': %s", p->parent, strerror(errno));
		return FP_REFUSED;
	}
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
