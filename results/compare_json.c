// SPDX-License-Identifier: GPL-2.0-only
/* A comparison as JSON, for scripts and plots (results/SCHEMA.md, "Compare"). */
#include <math.h>

#include <jansson.h>

#include "compare_internal.h"

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *side_json(const char *name, const struct fr_doc *d)
{
	const struct fr_context *c = &d->ctx;

	return json_pack("{s:s, s:s, s:s, s:b, s:s}", "name", name, "commit", c->git_commit,
			 "branch", c->git_branch, "dirty", c->git_dirty, "host_name", c->host_name);
}

static json_t *filters_json(const struct fr_filter *f, int n)
{
	json_t *o = json_object();

	for (int i = 0; i < n; i++)
		json_object_set_new(o, f[i].name, json_string(f[i].value));
	return o;
}

static json_t *summary_json(const struct fr_summary *s)
{
	return json_pack("{s:o, s:o, s:i}", "median", num(s->median), "cv", num(s->cv), "n", s->n);
}

static const char *const kind_names[] = {
	[FR_METRIC_TIME] = "time",
	[FR_METRIC_COUNTER] = "counter",
	[FR_METRIC_EXACT] = "exact",
};

/* Which test gave p: none for a count or the geometric mean. */
static json_t *test_json(const struct fr_metric_cmp *m)
{
	if (!isfinite(m->test.p))
		return json_null();
	return json_string(m->rounds ? "wilcoxon-signed-rank" : "mann-whitney-u");
}

static json_t *metric_json(const struct fr_metric_cmp *m, const char *unit)
{
	char text[160];

	fr_metric_describe(m, unit, text, sizeof(text));
	return json_pack(
		"{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:i, "
		"s:s, s:s, s:b, s:b, s:b}",
		"name", m->name, "kind", kind_names[m->kind], "base", summary_json(&m->base),
		"contender", summary_json(&m->contender), "change", num(m->change), "change_low",
		num(m->change_lo), "change_high", num(m->change_hi), "shift", num(m->shift),
		"shift_low", num(m->shift_lo), "shift_high", num(m->shift_hi), "p", num(m->test.p),
		"exact_p", m->test.exact, "test", test_json(m), "rounds", m->rounds, "verdict",
		fr_verdict_name(m->verdict), "text", text, "too_few", !!(m->flags & FR_CMP_TOO_FEW),
		"unstable_base", !!(m->flags & FR_CMP_UNSTABLE_BASE), "unstable_contender",
		!!(m->flags & FR_CMP_UNSTABLE_CONTENDER));
}

static json_t *bench_json(const struct fr_bench_cmp *bc)
{
	const struct fr_bench *b = bc->base;
	json_t *params = json_object(), *metrics = json_array();

	for (int i = 0; i < b->nr_params; i++)
		json_object_set_new(params, b->param[i].name, json_string(b->param[i].value));
	for (int i = 0; i < bc->nr_metrics; i++)
		json_array_append_new(metrics, metric_json(&bc->metric[i], b->unit));
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:b, s:b, s:o}", "label", bc->label,
			 "base_run_name", b->run_name, "contender_run_name",
			 bc->contender->run_name, "scenario", b->scenario, "threads", b->threads,
			 "unit", b->unit, "params", params, "base_verify_failed", b->verify_failed,
			 "contender_verify_failed", bc->contender->verify_failed, "metrics",
			 metrics);
}

static json_t *names_json(const struct fr_bench *const *b, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(b[i]->run_name));
	return a;
}

int fr_comparison_print_json(const struct fr_comparison *c, const char *base_name,
			     const char *contender_name, FILE *out)
{
	json_t *benches = json_array(), *warnings = json_array(), *root, *geomean = json_null();
	int err;

	for (int i = 0; i < c->nr_benches; i++)
		json_array_append_new(benches, bench_json(&c->bench[i]));
	for (int i = 0; i < c->nr_warnings; i++)
		json_array_append_new(warnings, json_string(c->warning[i]));
	if (c->has_geomean) {
		json_decref(geomean);
		geomean = metric_json(&c->geomean, NULL);
		json_object_set_new(geomean, "benchmarks", json_integer(c->geomean_benches));
	}
	root = json_pack(
		"{s:o, s:o, s:{s:o, s:o}, s:{s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:i, s:i}, s:o, "
		"s:o, s:o, s:o, s:o}",
		"base", side_json(base_name, c->base_doc), "contender",
		side_json(contender_name, c->contender_doc), "selection", "base",
		filters_json(c->sel.base, c->sel.nr_base), "contender",
		filters_json(c->sel.contender, c->sel.nr_contender), "rule", "test",
		"mann-whitney-u", "interval", "hodges-lehmann", "paired_test",
		"wilcoxon-signed-rank", "paired_interval", "hodges-lehmann-walsh", "alpha",
		c->opts.alpha, "threshold", c->opts.threshold, "level", FR_STATS_LEVEL,
		"geomean_resamples", FR_COMPARE_RESAMPLES, "geomean_seed", FR_COMPARE_SEED,
		"benchmarks", benches, "geomean", geomean, "only_in_base",
		names_json(c->only_base, c->nr_only_base), "only_in_contender",
		names_json(c->only_contender, c->nr_only_contender), "warnings", warnings);
	if (!root)
		return -1;
	err = json_dumpf(root, out,
			 JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) ||
			      fputc('\n', out) == EOF
		      ? -1
		      : 0;
	json_decref(root);
	return err;
}
