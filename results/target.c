// SPDX-License-Identifier: GPL-2.0-only
/*
 * A suite's targets: ratios of figures measured in the same run, held to a
 * limit and printed after the table, never asserted.  A suite line (read by
 * the runner's cmd_suite.c)
 *
 *   target NUM / DEN <= 1.6     NUM's figure over DEN's, at each thread count
 *   target NUM <= 1.5           NUM's figure over its floor's (ratio_to_floor)
 *
 * names runs by their --label.  The figure is the median instruction count
 * per iteration where both sides counted instructions (exact), else the
 * median time per iteration, so that a ratio always sets like against like.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <faultresults/target.h>

static bool drawable(const struct fr_bench *b, const char *label, int threads)
{
	return b->nr_reps > 0 && !strcmp(b->label, label) && (threads < 0 || b->threads == threads);
}

static const struct fr_bench *find(const struct fr_doc *d, const char *label, int threads)
{
	for (int i = 0; i < d->nr_benches; i++)
		if (drawable(d->bench[i], label, threads))
			return d->bench[i];
	return NULL;
}

/* NUM over DEN, or over NUM's floor; NAN with why when there is no figure. */
static double ratio(const struct fr_target *t, const struct fr_bench *n, const struct fr_bench *d,
		    const char **unit, const char **why)
{
	bool counted = n->measure.present && (!d || d->measure.present);

	*unit = counted ? "instructions" : "time";
	*why = NULL;
	if (n->verify_failed || (d && d->verify_failed)) {
		*why = "verify failed";
		return NAN;
	}
	if (!d) {
		double r = counted ? n->instructions_ratio.median : n->ratio.median;

		if (!isfinite(r))
			*why = "no floor measured beside it";
		return r;
	}
	return counted ? n->instructions.median / d->instructions.median
		       : n->real.median / d->real.median;
}

static void print_one(const struct fr_target *t, const struct fr_bench *n, const struct fr_doc *d,
		      FILE *f)
{
	const struct fr_bench *den = t->den[0] ? find(d, t->den, n->threads) : NULL;
	const char *unit, *why;
	double r;

	fprintf(f, "  %s / %s, %d thread%s: ", t->num, t->den[0] ? t->den : "its floor", n->threads,
		n->threads == 1 ? "" : "s");
	if (t->den[0] && !den) {
		fprintf(f, "not measured (no run of %s at %d threads)\n", t->den, n->threads);
		return;
	}
	r = ratio(t, n, den, &unit, &why);
	if (why) {
		fprintf(f, "not measured (%s)\n", why);
		return;
	}
	fprintf(f, "%.3gx in %s, target %s %g: %s\n", r, unit, t->at_most ? "<=" : ">=", t->limit,
		(t->at_most ? r <= t->limit : r >= t->limit) ? "met" : "MISSED");
}

void fr_doc_print_targets(const struct fr_doc *d, const struct fr_target *t, int n, FILE *f)
{
	if (n > 0)
		fprintf(f, "targets (ratios of figures measured in this run):\n");
	for (int i = 0; i < n; i++) {
		bool any = false;

		for (int b = 0; b < d->nr_benches; b++)
			if (drawable(d->bench[b], t[i].num, -1)) {
				print_one(&t[i], d->bench[b], d, f);
				any = true;
			}
		if (!any)
			fprintf(f, "  %s: not measured (no completed run has that label)\n",
				t[i].num);
	}
}
