// SPDX-License-Identifier: GPL-2.0-only
/*
 * A suite's targets: ratios of figures measured in the same run, held to a
 * limit and printed after the table, never asserted.  A suite line (read by
 * the runner's cmd_suite.c)
 *
 *   target NUM / DEN <= 1.6     NUM's figure over DEN's, at each thread count
 *   target NUM <= 1.5           NUM's figure over its floor's (ratio_to_floor)
 *   target NUM <= 1.5 threads=2 at that thread count alone
 *
 * names runs by their --label.  The figure is the median instruction count
 * per iteration where both sides counted instructions (exact), else the
 * median time per iteration, so that a ratio always sets like against like.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* NUM over DEN, or over NUM's floor, into v; NAN with why when there is no figure. */
static void judge_one(struct fr_target_verdict *v, const struct fr_bench *n,
		      const struct fr_bench *d)
{
	v->counted = n->measure.present && (!d || d->measure.present);
	if (n->verify_failed || (d && d->verify_failed))
		snprintf(v->why, sizeof(v->why), "verify failed");
	else if (!d)
		v->measured = v->counted ? n->instructions_ratio.median : n->ratio.median;
	else
		v->measured = v->counted ? n->instructions.median / d->instructions.median
					 : n->real.median / d->real.median;
	if (!v->why[0] && !isfinite(v->measured))
		snprintf(v->why, sizeof(v->why), "no floor measured beside it");
	if (v->why[0])
		v->measured = NAN;
	v->met = v->at_most ? v->measured <= v->limit : v->measured >= v->limit;
}

static struct fr_target_verdict verdict(const struct fr_target *t, const struct fr_doc *d,
					const struct fr_bench *n)
{
	struct fr_target_verdict v = { .at_most = t->at_most, .limit = t->limit, .measured = NAN };
	const struct fr_bench *den;

	snprintf(v.num, sizeof(v.num), "%s", t->num);
	snprintf(v.den, sizeof(v.den), "%s", t->den);
	if (!n) {
		v.threads = -1;
		if (t->threads)
			snprintf(v.why, sizeof(v.why),
				 "no completed run has that label with threads=%d", t->threads);
		else
			snprintf(v.why, sizeof(v.why), "no completed run has that label");
		return v;
	}
	v.threads = n->threads;
	den = t->den[0] ? find(d, t->den, n->threads) : NULL;
	if (t->den[0] && !den)
		snprintf(v.why, sizeof(v.why), "no run of %s at %d threads", t->den, n->threads);
	else
		judge_one(&v, n, den);
	return v;
}

static int add(struct fr_target_verdict **all, int *nr, struct fr_target_verdict v)
{
	struct fr_target_verdict *grown = realloc(*all, sizeof(*grown) * (size_t)(*nr + 1));

	if (!grown)
		return -1;
	grown[(*nr)++] = v;
	*all = grown;
	return 0;
}

int fr_doc_judge(struct fr_doc *d, const struct fr_target *t, int n)
{
	struct fr_target_verdict *all = NULL;
	int nr = 0, ret = 0;

	for (int i = 0; !ret && i < n; i++) {
		bool any = false;

		for (int b = 0; !ret && b < d->nr_benches; b++)
			if (drawable(d->bench[b], t[i].num, t[i].threads ? t[i].threads : -1)) {
				ret = add(&all, &nr, verdict(&t[i], d, d->bench[b]));
				any = true;
			}
		if (!ret && !any)
			ret = add(&all, &nr, verdict(&t[i], d, NULL));
	}
	if (ret) {
		free(all);
		return -1;
	}
	free(d->verdict);
	d->verdict = all;
	d->nr_verdicts = nr;
	return 0;
}

void fr_doc_print_targets(const struct fr_doc *d, FILE *f)
{
	if (d->nr_verdicts > 0)
		fprintf(f, "targets (ratios of figures measured in this run):\n");
	for (int i = 0; i < d->nr_verdicts; i++) {
		const struct fr_target_verdict *v = &d->verdict[i];

		if (v->threads < 0) {
			fprintf(f, "  %s: not measured (%s)\n", v->num, v->why);
			continue;
		}
		fprintf(f, "  %s / %s, %d thread%s: ", v->num, v->den[0] ? v->den : "its floor",
			v->threads, v->threads == 1 ? "" : "s");
		if (v->why[0])
			fprintf(f, "not measured (%s)\n", v->why);
		else
			fprintf(f, "%.3gx in %s, target %s %g: %s\n", v->measured,
				v->counted ? "instructions" : "time",
				v->at_most ? "<=" : ">=", v->limit, v->met ? "met" : "MISSED");
	}
}
