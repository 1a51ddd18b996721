// SPDX-License-Identifier: GPL-2.0-only
/*
 * The figures, drawn into a hidden temporary directory that is renamed into
 * place at the end: a failure leaves no half set of figures behind, and an
 * existing plots directory is never replaced.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

const struct fp_figure fp_figures[] = {
	{ "ns_per_op", fp_table_ns, true },
	{ "ratio_to_floor", fp_table_ratio, false },
	{ "race", fp_table_race, false },
	{ "calibration_ns", fp_table_calibration_ns, true },
	{ "calibration_race", fp_table_calibration_race, false },
};
const int fp_nr_figures = sizeof(fp_figures) / sizeof(fp_figures[0]);

_Static_assert(sizeof(fp_figures) / sizeof(fp_figures[0]) <= FP_MAX_FIGURES,
	       "a note for every figure fits");

/* The title's second line: the machine, then the commit. */
static void describe(struct fp_job *job, const struct fr_context *c, bool interrupted)
{
	snprintf(job->machine, sizeof(job->machine), "%s, %d CPUs, host %s",
		 c->cpu_model[0] ? c->cpu_model : "unknown CPU", c->num_cpus, c->host_name);
	snprintf(job->commit, sizeof(job->commit), "commit %.12s%s%s%s%s, %.10s%s", c->git_commit,
		 c->git_dirty ? "+dirty" : "", c->git_branch[0] ? " (" : "", c->git_branch,
		 c->git_branch[0] ? ")" : "", c->date, interrupted ? ", interrupted run" : "");
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
		ret = fp_draw_one(job, fig->name, &t, fig->logy_allowed, err, errlen);
		fp_table_free(&t);
		if (ret)
			return -1;
		drawn++;
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
	describe(&job, &d->ctx, d->interrupted);
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
