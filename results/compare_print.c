// SPDX-License-Identifier: GPL-2.0-only
/*
 * A comparison as text: the table, markdown, and a mail laid out like the
 * 0-day robot's reports that kernel developers already read (a subject with
 * the headline change; the machine, both commits and the parameters; then a
 * "%stddev %change %stddev" table).
 */
#include <math.h>
#include <string.h>

#include "compare_internal.h"

static const char *const verdict_names[] = {
	[FR_NO_CHANGE] = "no change", [FR_FASTER] = "faster", [FR_SLOWER] = "slower",
	[FR_HIGHER] = "higher",	      [FR_LOWER] = "lower",   [FR_VERIFY_FAILED] = "verify failed",
	[FR_EXACT] = "exact",
};

const char *fr_verdict_name(enum fr_verdict v)
{
	return verdict_names[v];
}

int fr_compare_format_parse(const char *s, enum fr_compare_format *f)
{
	static const char *const names[] = { "table", "json", "markdown", "mail" };

	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		if (!strcmp(s, names[i])) {
			*f = (enum fr_compare_format)i;
			return 0;
		}
	}
	return -1;
}

static bool decided(enum fr_verdict v)
{
	return v == FR_FASTER || v == FR_SLOWER || v == FR_HIGHER || v == FR_LOWER || v == FR_EXACT;
}

/* A change as a percentage, or as an amount per iteration when it has no base to be one of. */
static void amount(char *buf, size_t len, double v, bool relative, bool sign)
{
	if (relative)
		snprintf(buf, len, sign ? "%+.1f%%" : "%.1f%%", v * 100);
	else
		snprintf(buf, len, sign ? "%+.3g" : "%.3g", v);
}

/* "exact: +64 instructions (+25.00%) per fault", "no change (exact)": no interval to give. */
static void describe_exact(const struct fr_metric_cmp *m, const char *unit, char *buf, size_t len)
{
	char pct[32] = "";

	if (isfinite(m->change))
		snprintf(pct, sizeof(pct), " (%+.2f%%)", m->change * 100);
	if (!isfinite(m->shift))
		snprintf(buf, len, "%s", fr_verdict_name(m->verdict));
	else if (m->shift == 0)
		snprintf(buf, len, "%s (exact)", fr_verdict_name(m->verdict));
	else
		snprintf(buf, len, "%s: %+.6g %s%s per %s", fr_verdict_name(m->verdict), m->shift,
			 m->name, pct, unit ? unit : "iteration");
}

void fr_metric_describe(const struct fr_metric_cmp *m, const char *unit, char *buf, size_t len)
{
	bool rel = isfinite(m->change);
	double est = rel ? m->change : m->shift;
	double pm = fmax(est - (rel ? m->change_lo : m->shift_lo),
			 (rel ? m->change_hi : m->shift_hi) - est);
	const char *what = m->verdict == FR_VERIFY_FAILED ? "verify failed" : "no change";
	char e[32], p[32], per[48] = "";

	if (m->kind == FR_METRIC_EXACT) {
		describe_exact(m, unit, buf, len);
		return;
	}
	if (!rel)
		snprintf(per, sizeof(per), " per %s", unit ? unit : "iteration");
	amount(p, sizeof(p), pm, rel, false);
	if (decided(m->verdict)) {
		amount(e, sizeof(e), fabs(est), rel, false);
		snprintf(buf, len, "%s by %s ± %s%s (95%% CI)", fr_verdict_name(m->verdict), e, p,
			 per);
		return;
	}
	amount(e, sizeof(e), est, rel, true);
	if (!isfinite(est))
		snprintf(buf, len, "%s", what);
	else if (m->flags & FR_CMP_TOO_FEW)
		snprintf(buf, len, "%s: too few %s (%s%s)", what,
			 m->rounds ? "rounds" : "repetitions", e, per);
	else
		snprintf(buf, len, "%s (%s ± %s%s, 95%% CI)", what, e, p, per);
}

/* --- what every format says ------------------------------------------------------ */

static void metric_label(const struct fr_bench_cmp *bc, const struct fr_metric_cmp *m, char sep,
			 char *buf, size_t len)
{
	if (m->kind == FR_METRIC_TIME)
		snprintf(buf, len, "ns%cper%c%s", sep, sep, bc->base->unit);
	else
		snprintf(buf, len, "%s%cper%c%s", m->name, sep, sep, bc->base->unit);
}

static void number(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.5g", v);
	else
		snprintf(buf, len, "-");
}

static void filters(const struct fr_filter *f, int n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s=%s", i ? "," : "", f[i].name,
				       f[i].value);
}

static void print_side(FILE *f, const char *role, const char *name, const struct fr_doc *d)
{
	const struct fr_context *c = &d->ctx;

	fprintf(f, "%-12s%.12s (%s%s) %s\n", role, c->git_commit, c->git_branch,
		c->git_dirty ? ", dirty" : "", name);
}

/* Whether any time was compared round by round. */
static bool paired_rounds(const struct fr_comparison *c)
{
	for (int i = 0; i < c->nr_benches; i++)
		if (c->bench[i].metric[0].rounds)
			return true;
	return false;
}

static void print_header(FILE *f, const struct fr_comparison *c, const char *base_name,
			 const char *contender_name)
{
	char b[512], k[512];

	print_side(f, "base:", base_name, c->base_doc);
	print_side(f, "contender:", contender_name, c->contender_doc);
	if (c->sel.nr_base || c->sel.nr_contender) {
		filters(c->sel.base, c->sel.nr_base, b, sizeof(b));
		filters(c->sel.contender, c->sel.nr_contender, k, sizeof(k));
		fprintf(f, "%-12sbase %s, contender %s\n", "compared:", *b ? b : "(all)",
			*k ? k : "(all)");
	}
	fprintf(f,
		"%-12sfaster or slower when p < %g (%s, two-sided) and the 95%% CI lies beyond "
		"±%.1f%%\n",
		"rule:", c->opts.alpha,
		paired_rounds(c) ? "Wilcoxon signed-rank over interleaved rounds"
				 : "Mann-Whitney U",
		c->opts.threshold * 100);
}

static void print_lists(FILE *f, const struct fr_comparison *c, const char *bullet)
{
	for (int i = 0; i < c->nr_only_base; i++)
		fprintf(f, "%sonly in the base: %s\n", bullet, c->only_base[i]->run_name);
	for (int i = 0; i < c->nr_only_contender; i++)
		fprintf(f, "%sonly in the contender: %s\n", bullet, c->only_contender[i]->run_name);
	for (int i = 0; i < c->nr_warnings; i++)
		fprintf(f, "%swarning: %s\n", bullet, c->warning[i]);
}

/* --- table and markdown ---------------------------------------------------------- */

static void print_row(FILE *f, bool md, const char *label, const char *metric,
		      const struct fr_metric_cmp *m, const char *unit)
{
	char b[32], k[32], p[32], change[160];

	number(b, sizeof(b), m->base.median);
	number(k, sizeof(k), m->contender.median);
	snprintf(p, sizeof(p), isfinite(m->test.p) ? "%.2g" : "-", m->test.p);
	fr_metric_describe(m, unit, change, sizeof(change));
	if (md)
		fprintf(f, "| %s | %s | %s | %s | %s | %s%s%s |\n", label, metric, b, k, p,
			decided(m->verdict) ? "**" : "", change, decided(m->verdict) ? "**" : "");
	else
		fprintf(f, "%-40s %-26s %11s %11s %7s  %s\n", label, metric, b, k, p, change);
}

static void print_rows(FILE *f, const struct fr_comparison *c, bool md)
{
	char metric[FR_NAME_LEN + 32], label[32];

	for (int i = 0; i < c->nr_benches; i++) {
		const struct fr_bench_cmp *bc = &c->bench[i];

		for (int k = 0; k < bc->nr_metrics; k++) {
			metric_label(bc, &bc->metric[k], ' ', metric, sizeof(metric));
			print_row(f, md, k ? "" : bc->label, metric, &bc->metric[k],
				  bc->base->unit);
		}
	}
	if (c->has_geomean) {
		snprintf(label, sizeof(label), "geomean of %d", c->geomean_benches);
		print_row(f, md, label, "time ratio", &c->geomean, NULL);
	}
}

static void print_table(FILE *f, const struct fr_comparison *c, const char *base_name,
			const char *contender_name, bool md)
{
	if (md)
		fprintf(f, "**faultbench compare**\n\n```\n");
	print_header(f, c, base_name, contender_name);
	fprintf(f,
		md ? "```\n\n| benchmark | metric | base | contender | p | change |\n"
		     "|---|---|---:|---:|---:|---|\n"
		   : "\n%-40s %-26s %11s %11s %7s  %s\n",
		"benchmark", "metric (median)", "base", "contender", "p", "change");
	print_rows(f, c, md);
	if (c->nr_only_base || c->nr_only_contender || c->nr_warnings)
		fputc('\n', f);
	print_lists(f, c, md ? "- " : "");
}

/* --- mail -------------------------------------------------------------------------- */

/* The decided change of largest size, times before counters; NULL when nothing changed. */
static const struct fr_metric_cmp *headline_change(const struct fr_comparison *c,
						   const struct fr_bench_cmp **of, int *nr_changed)
{
	const struct fr_metric_cmp *best = NULL;

	*nr_changed = 0;
	for (int i = 0; i < c->nr_benches; i++) {
		for (int k = 0; k < c->bench[i].nr_metrics; k++) {
			const struct fr_metric_cmp *m = &c->bench[i].metric[k];
			bool better;

			if (!decided(m->verdict))
				continue;
			(*nr_changed)++;
			better = !best || (m->kind == FR_METRIC_TIME && best->kind != m->kind) ||
				 (m->kind == best->kind && fabs(m->change) > fabs(best->change));
			if (better) {
				best = m;
				*of = &c->bench[i];
			}
		}
	}
	return best;
}

static void print_subject(FILE *f, const struct fr_comparison *c)
{
	const struct fr_bench_cmp *bc = NULL;
	int changed, failed = 0;
	const struct fr_metric_cmp *m = headline_change(c, &bc, &changed);
	char what[160], metric[FR_NAME_LEN + 32];

	for (int i = 0; i < c->nr_benches; i++)
		failed += c->bench[i].metric[0].verdict == FR_VERIFY_FAILED;
	if (m) {
		fr_metric_describe(m, bc->base->unit, what, sizeof(what));
		metric_label(bc, m, ' ', metric, sizeof(metric));
		fprintf(f, "Subject: [faultbench] %s: %s %s", what, bc->label, metric);
		if (changed > 1)
			fprintf(f, " (and %d more change%s)", changed - 1, changed > 2 ? "s" : "");
	} else {
		fprintf(f, "Subject: [faultbench] no change in %d benchmark%s", c->nr_benches,
			c->nr_benches == 1 ? "" : "s");
	}
	if (failed)
		fprintf(f, "; verify failed in %d", failed);
	fputc('\n', f);
}

/* The parameters every compared base benchmark has alike, bar the filtered ones. */
static void print_parameters(FILE *f, const struct fr_comparison *c)
{
	const struct fr_bench *first = c->nr_benches ? c->bench[0].base : NULL;
	bool any = false;

	fprintf(f, "%-12s", "parameters:");
	for (int i = 0; first && i < first->nr_params; i++) {
		const struct fr_param *p = &first->param[i];
		bool common = true;

		for (int k = 1; common && k < c->nr_benches; k++) {
			const char *v = fr_bench_param(c->bench[k].base, p->name);

			common = v && !strcmp(v, p->value);
		}
		for (int k = 0; common && k < c->sel.nr_base; k++)
			common = strcmp(c->sel.base[k].name, p->name);
		if (common)
			fprintf(f, "%s%s=%s", any ? " " : "", p->name, p->value);
		any = any || common;
	}
	fprintf(f, "%s\n", any ? "" : "(none in common)");
}

static void print_mail_cell(FILE *f, double v, double cv)
{
	char n[32];

	number(n, sizeof(n), v);
	if (isfinite(cv))
		fprintf(f, "%10s ±%3.0f%%", n, cv * 100);
	else
		fprintf(f, "%10s      ", n);
}

static void print_mail_row(FILE *f, const struct fr_metric_cmp *m, const char *name)
{
	char change[32];

	amount(change, sizeof(change), m->change, true, true);
	print_mail_cell(f, m->base.median, m->base.cv);
	fprintf(f, " %11s ", isfinite(m->change) ? change : "-");
	print_mail_cell(f, m->contender.median, m->contender.cv);
	fprintf(f, "  %s\n", name);
}

static void print_mail(FILE *f, const struct fr_comparison *c, const char *base_name,
		       const char *contender_name)
{
	const struct fr_context *m = &c->base_doc->ctx;
	char name[600], metric[FR_NAME_LEN + 32], what[160];

	print_subject(f, c);
	fprintf(f, "\nfaultbench compared %s against %s.\n\n", contender_name, base_name);
	fprintf(f, "%-12s%s, %d CPUs (%s), %s, virtualized: %s, host %s\n",
		"machine:", m->cpu_model, m->num_cpus, m->topology, m->kernel, m->virtualization,
		m->host_name);
	print_header(f, c, base_name, contender_name);
	print_parameters(f, c);
	fprintf(f, "\n%16.12s %27.12s\n", c->base_doc->ctx.git_commit,
		c->contender_doc->ctx.git_commit);
	fprintf(f, "---------------- ---------------------------\n");
	fprintf(f, "         %%stddev     %%change         %%stddev\n");
	fprintf(f, "             \\          |                \\\n");
	for (int i = 0; i < c->nr_benches; i++) {
		const struct fr_bench_cmp *bc = &c->bench[i];

		for (int k = 0; k < bc->nr_metrics; k++) {
			metric_label(bc, &bc->metric[k], '_', metric, sizeof(metric));
			snprintf(name, sizeof(name), "%s.%s", bc->label, metric);
			print_mail_row(f, &bc->metric[k], name);
		}
	}
	if (c->has_geomean) {
		snprintf(name, sizeof(name), "geomean of %d (time)", c->geomean_benches);
		print_mail_row(f, &c->geomean, name);
	}
	fputc('\n', f);
	for (int i = 0; i < c->nr_benches; i++) {
		const struct fr_bench_cmp *bc = &c->bench[i];

		for (int k = 0; k < bc->nr_metrics; k++) {
			if (k && !decided(bc->metric[k].verdict))
				continue;
			metric_label(bc, &bc->metric[k], ' ', metric, sizeof(metric));
			fr_metric_describe(&bc->metric[k], bc->base->unit, what, sizeof(what));
			fprintf(f, "%s %s: %s\n", bc->label, metric, what);
		}
	}
	if (c->has_geomean) {
		fr_metric_describe(&c->geomean, NULL, what, sizeof(what));
		fprintf(f, "geomean of %d: %s\n", c->geomean_benches, what);
	}
	if (c->nr_only_base || c->nr_only_contender || c->nr_warnings)
		fputc('\n', f);
	print_lists(f, c, "");
}

int fr_comparison_print(const struct fr_comparison *c, enum fr_compare_format fmt,
			const char *base_name, const char *contender_name, FILE *out)
{
	switch (fmt) {
	case FR_FORMAT_JSON:
		return fr_comparison_print_json(c, base_name, contender_name, out);
	case FR_FORMAT_MAIL:
		print_mail(out, c, base_name, contender_name);
		break;
	case FR_FORMAT_TABLE:
	case FR_FORMAT_MARKDOWN:
		print_table(out, c, base_name, contender_name, fmt == FR_FORMAT_MARKDOWN);
		break;
	}
	return ferror(out) ? -1 : 0;
}
