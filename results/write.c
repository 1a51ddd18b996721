// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON form of a result, in google/benchmark's shape (context +
 * benchmarks, the same key names) so its tools/compare.py reads it, with
 * faultbench's own fields beside.  It only formats: every figure comes
 * computed in the struct.  Numbers that are not finite are written as null:
 * strict JSON has no NaN.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

static json_t *jreal(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *caches_json(const struct fr_context *c)
{
	json_t *arr = json_array();

	for (int i = 0; i < c->nr_caches; i++) {
		const struct fr_cache *k = &c->cache[i];

		json_array_append_new(arr, json_pack("{s:s, s:i, s:I, s:i}", "type", k->type,
						     "level", k->level, "size", (json_int_t)k->size,
						     "num_sharing", k->num_sharing));
	}
	return arr;
}

static json_t *events_json(const struct fr_context *c)
{
	json_t *req = json_array(), *opened = json_array(), *not = json_array();
	json_t *units = json_object();

	for (int i = 0; i < c->nr_events; i++) {
		const struct fr_event *e = &c->event[i];

		json_array_append_new(req, json_string(e->name));
		json_object_set_new(units, e->name, json_string(e->unit));
		if (e->opened)
			json_array_append_new(opened, json_string(e->name));
		else
			json_array_append_new(
				not, json_pack("{s:s, s:s}", "name", e->name, "reason", e->reason));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:b, s:s?}", "requested", req, "units", units,
			 "opened", opened, "not_opened", not, "user_only", c->events_user_only,
			 "note", c->events_note[0] ? c->events_note : NULL);
}

static json_t *measured(bool known, uint32_t ns)
{
	return known ? json_integer(ns) : json_null();
}

static json_t *calibration_json(const struct fr_context *c)
{
	return json_pack("{s:o, s:o, s:o}", "tlb_ipi_ns",
			 measured(c->calibration.tlb_measured, c->calibration.tlb_ipi_ns),
			 "kernel_fault_ns",
			 measured(c->calibration.faults_measured, c->calibration.kernel_fault_ns),
			 "model_fault_ns",
			 measured(c->calibration.faults_measured, c->calibration.model_fault_ns));
}

static json_t *provenance_json(const struct fr_context *c)
{
	return json_pack("{s:s, s:{s:s, s:s, s:b}, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
			 "s:s, s:s, s:s, s:s, s:I, s:{s:s, s:o, s:o}, s:o, s:o, s:o}",
			 "version", c->version, "git", "commit", c->git_commit, "branch",
			 c->git_branch, "dirty", c->git_dirty, "compiler", c->compiler, "cflags",
			 c->cflags, "build_type", c->build_type, "sanitize", c->sanitize, "kernel",
			 c->kernel, "cpu_model", c->cpu_model, "topology", c->topology,
			 "virtualization", c->virtualization, "aslr", c->aslr, "governor",
			 c->governor, "boost", c->boost, "smt", c->smt, "pinning", c->pinning,
			 "seed", (json_int_t)c->seed, "clock", "latency_source", c->latency_source,
			 "ns_per_tick", jreal(c->ns_per_tick), "clock_gettime_ns",
			 jreal(c->clock_gettime_ns), "harness_overhead_ns_per_op",
			 jreal(c->harness_overhead_ns), "calibration", calibration_json(c),
			 "events", events_json(c));
}

static json_t *context_json(const struct fr_context *c)
{
	return json_pack(
		"{s:s, s:s, s:s, s:i, s:i, s:b, s:o, s:[o, o, o], s:s, s:i, s:o}", "date", c->date,
		"host_name", c->host_name, "executable", c->executable, "num_cpus", c->num_cpus,
		"mhz_per_cpu", c->mhz_per_cpu, "cpu_scaling_enabled", c->cpu_scaling_enabled,
		"caches", caches_json(c), "load_avg", jreal(c->load_avg[0]), jreal(c->load_avg[1]),
		jreal(c->load_avg[2]), "library_build_type", c->library_build_type,
		"json_schema_version", FR_SCHEMA_VERSION, "faultbench", provenance_json(c));
}

/* --- benchmarks ------------------------------------------------------------- */

static json_t *params_json(const struct fr_bench *b)
{
	json_t *p = json_object();

	for (int i = 0; i < b->nr_params; i++)
		json_object_set_new(p, b->param[i].name, json_string(b->param[i].value));
	return p;
}

static json_t *headline_json(const struct fr_headline *h)
{
	json_t *counters = json_array();

	for (int i = 0; i < h->nr_counters; i++)
		json_array_append_new(counters, json_string(h->counter[i]));
	return json_pack("{s:o, s:s?}", "counters", counters, "floor",
			 h->floor[0] ? h->floor : NULL);
}

/* benchmarks[].faultbench: rep is NULL on aggregates. */
static json_t *fb_block(const struct fr_bench *b, const struct fr_rep *rep)
{
	json_t *fb = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:o}", "scenario", b->scenario,
			       "shape", b->shape, "unit", b->unit, "params", params_json(b),
			       "pinning", b->pinning, "cpus", b->cpus, "oversubscribed",
			       b->oversubscribed, "wall_ns", jreal(rep ? rep->wall_ns : NAN));

	if (b->headline.present)
		json_object_set_new(fb, "headline", headline_json(&b->headline));
	if (b->verify_failed) {
		json_object_set_new(fb, "verify_failed", json_true());
		json_object_set_new(fb, "verify_error", json_string(b->verify_error));
	}
	if (b->plant[0])
		json_object_set_new(fb, "plant", json_string(b->plant));
	if (b->floor[0] && rep) {
		json_object_set_new(fb, "floor", json_string(b->floor));
		json_object_set_new(fb, "floor_real_time", jreal(rep->floor_ns));
		json_object_set_new(fb, "ratio_to_floor", jreal(fr_rep_ratio(rep)));
	}
	return fb;
}

/* --- --measure ----------------------------------------------------------------- */

static json_t *measure_json(const struct fr_measure *m)
{
	return json_pack("{s:s, s:s}", "metric", m->metric, "method", m->method);
}

static json_t *breakdown_json(const struct fr_breakdown *bd)
{
	json_t *parts = json_object(), *fns = json_array();

	for (int p = 0; p < bd->nr_parts; p++)
		json_object_set_new(parts, bd->part_name[p], jreal(bd->part[p]));
	for (int i = 0; i < bd->nr_fn; i++)
		json_array_append_new(fns,
				      json_pack("{s:s, s:o, s:o}", "function", bd->fn[i].function,
						"self", jreal(bd->fn[i].self), "inclusive",
						jreal(bd->fn[i].inclusive)));
	return json_pack("{s:o, s:o, s:o}", "instructions_per_iteration", jreal(bd->total), "parts",
			 parts, "functions", fns);
}

static void measure_iteration(json_t *fb, const struct fr_bench *b, const struct fr_rep *rep)
{
	json_object_set_new(fb, "measure", measure_json(&b->measure));
	json_object_set_new(fb, "instructions", json_integer((json_int_t)rep->instructions));
	json_object_set_new(fb, "instructions_per_iteration", jreal(fr_rep_instructions(rep)));
	if (b->floor[0]) {
		json_object_set_new(fb, "floor_instructions_per_iteration",
				    jreal(rep->floor_instructions));
		json_object_set_new(fb, "instructions_ratio_to_floor",
				    jreal(fr_rep_instructions_ratio(rep)));
	}
	if (rep->breakdown)
		json_object_set_new(fb, "breakdown", breakdown_json(rep->breakdown));
}

static json_t *base_entry(const struct fr_bench *b, int family, const char *name,
			  const char *run_type)
{
	return json_pack("{s:s, s:i, s:i, s:s, s:s, s:i, s:i, s:s*}", "name", name, "family_index",
			 family, "per_family_instance_index", 0, "run_name", b->run_name,
			 "run_type", run_type, "repetitions", b->repetitions, "threads", b->threads,
			 "label", b->label[0] ? b->label : NULL);
}

/* Counters as top-level keys, as google/benchmark puts user counters: totals and per iteration. */
static void add_counters(json_t *e, const struct fr_bench *b, const struct fr_rep *rep)
{
	for (int i = 0; i < b->nr_counters; i++) {
		char key[FR_NAME_LEN + 16];

		json_object_set_new(e, b->counter_name[i],
				    json_integer((json_int_t)rep->counter[i]));
		snprintf(key, sizeof(key), "%s_per_iteration", b->counter_name[i]);
		json_object_set_new(e, key, jreal(fr_rep_per_iteration(rep, i)));
	}
}

/*
 * Events as top-level keys too, as perf stat shows them: each count (null
 * when there is none, never 0) and its value per iteration, and the group's
 * enabled and running times with their ratio (below 1: multiplexed, the
 * counts are scaled estimates).
 */
static void add_events(json_t *e, const struct fr_context *c, const struct fr_rep *rep)
{
	char key[FR_NAME_LEN + 16];

	for (int i = 0; i < c->nr_events; i++) {
		bool none = rep->event_missing & (1u << i);

		json_object_set_new(e, c->event[i].name,
				    none ? json_null() : json_integer((json_int_t)rep->event[i]));
		snprintf(key, sizeof(key), "%s_per_iteration", c->event[i].name);
		json_object_set_new(e, key,
				    none || !rep->iterations ? json_null()
							     : jreal((double)rep->event[i] /
								     (double)rep->iterations));
	}
	if (!c->nr_events)
		return;
	json_object_set_new(e, "events_multiplexed", json_boolean(rep->multiplexed));
	json_object_set_new(e, "events_time_enabled_ns",
			    json_integer((json_int_t)rep->events_enabled_ns));
	json_object_set_new(e, "events_time_running_ns",
			    json_integer((json_int_t)rep->events_running_ns));
	json_object_set_new(e, "events_running_ratio",
			    rep->events_enabled_ns ? jreal((double)rep->events_running_ns /
							   (double)rep->events_enabled_ns)
						   : json_null());
}

static json_t *per_thread_json(const struct fr_bench *b, const struct fr_rep *rep)
{
	json_t *a = json_array();

	for (int t = 0; t < b->threads; t++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:I}", "ops",
						   (json_int_t)rep->thread[t].ops, "stores",
						   (json_int_t)rep->thread[t].stores, "installs",
						   (json_int_t)rep->thread[t].installs));
	return a;
}

static json_t *iteration_json(const struct fr_context *c, const struct fr_bench *b, int family,
			      int i)
{
	const struct fr_rep *rep = &b->rep[i];
	json_t *e = base_entry(b, family, b->run_name, "iteration"), *fb;

	json_object_set_new(e, "repetition_index", json_integer(i));
	json_object_set_new(e, "iterations", json_integer((json_int_t)rep->iterations));
	json_object_set_new(e, "real_time", jreal(rep->real_ns));
	json_object_set_new(e, "cpu_time", jreal(rep->cpu_ns));
	json_object_set_new(e, "time_unit", json_string("ns"));
	json_object_set_new(e, "items_per_second", jreal(rep->items_per_second));
	add_counters(e, b, rep);
	add_events(e, c, rep);
	fb = fb_block(b, rep);
	if (rep->round >= 0)
		json_object_set_new(fb, "round", json_integer(rep->round));
	if (rep->thread)
		json_object_set_new(fb, "per_thread", per_thread_json(b, rep));
	if (b->measure.present)
		measure_iteration(fb, b, rep);
	json_object_set_new(e, "faultbench", fb);
	return e;
}

/* The percentiles' keys into o, which the caller owns. */
static json_t *percentiles_into(json_t *o, const struct fr_percentiles *p)
{
	json_object_set_new(o, "count", json_integer((json_int_t)p->count));
	json_object_set_new(o, "p50", jreal(p->p50));
	json_object_set_new(o, "p90", jreal(p->p90));
	json_object_set_new(o, "p99", jreal(p->p99));
	json_object_set_new(o, "p999", jreal(p->p999));
	json_object_set_new(o, "max", jreal(p->max));
	return o;
}

static json_t *latency_json(const struct fr_latency *l)
{
	json_t *o = percentiles_into(json_pack("{s:s}", "unit", "ns"), &l->op);

	json_object_set_new(o, "timing_overhead_ns", jreal(l->timing_overhead_ns));
	if (l->rounds) {
		json_object_set_new(o, "first_install",
				    percentiles_into(json_object(), &l->first_install));
		json_object_set_new(o, "last_return",
				    percentiles_into(json_object(), &l->last_return));
	}
	return o;
}

static json_t *fairness_json(const struct fr_fairness *f)
{
	return json_pack("{s:s, s:o, s:o, s:o}", "of", f->of, "jain", jreal(f->jain), "min_share",
			 jreal(f->min_share), "max_share", jreal(f->max_share));
}

static json_t *samples_json(const struct fr_bench *b, size_t offset)
{
	json_t *s = json_array();

	for (int i = 0; i < b->nr_reps; i++)
		json_array_append_new(s,
				      jreal(*(const double *)((const char *)&b->rep[i] + offset)));
	return s;
}

/* The aggregates, in google/benchmark's order and names. */
static const struct aggregate {
	const char *name;
	size_t offset; /* in struct fr_summary */
} aggregates[] = {
	{ "mean", offsetof(struct fr_summary, mean) },
	{ "median", offsetof(struct fr_summary, median) },
	{ "stddev", offsetof(struct fr_summary, stddev) },
	{ "cv", offsetof(struct fr_summary, cv) },
	{ "min", offsetof(struct fr_summary, min) },
	{ "max", offsetof(struct fr_summary, max) },
};

static json_t *pick(const struct fr_summary *s, const struct aggregate *a)
{
	return jreal(*(const double *)((const char *)s + a->offset));
}

static void measure_aggregate(json_t *fb, const struct fr_bench *b, const struct aggregate *a)
{
	json_t *s = json_array();

	for (int i = 0; i < b->nr_reps; i++)
		json_array_append_new(s, jreal(fr_rep_instructions(&b->rep[i])));
	json_object_set_new(fb, "measure", measure_json(&b->measure));
	json_object_set_new(fb, "instructions_per_iteration", pick(&b->instructions, a));
	json_object_set_new(fb, "instructions_samples", s);
	if (b->floor[0]) {
		json_object_set_new(fb, "floor_instructions_per_iteration",
				    pick(&b->floor_instructions, a));
		json_object_set_new(fb, "instructions_ratio_to_floor",
				    pick(&b->instructions_ratio, a));
	}
}

static json_t *aggregate_json(const struct fr_bench *b, int family, const struct aggregate *a)
{
	char name[sizeof(b->run_name) + 16];
	json_t *e, *fb;

	snprintf(name, sizeof(name), "%s_%s", b->run_name, a->name);
	e = base_entry(b, family, name, "aggregate");
	json_object_set_new(e, "aggregate_name", json_string(a->name));
	json_object_set_new(e, "aggregate_unit",
			    json_string(!strcmp(a->name, "cv") ? "percentage" : "time"));
	json_object_set_new(e, "iterations", json_integer(b->nr_reps));
	json_object_set_new(e, "real_time", pick(&b->real, a));
	json_object_set_new(e, "cpu_time", pick(&b->cpu, a));
	json_object_set_new(e, "time_unit", json_string("ns"));
	json_object_set_new(e, "items_per_second", pick(&b->items, a));
	fb = fb_block(b, NULL);
	json_object_set_new(fb, "samples", samples_json(b, offsetof(struct fr_rep, real_ns)));
	json_object_set_new(fb, "cpu_samples", samples_json(b, offsetof(struct fr_rep, cpu_ns)));
	if (b->floor[0]) {
		json_object_set_new(fb, "floor", json_string(b->floor));
		json_object_set_new(fb, "floor_samples",
				    samples_json(b, offsetof(struct fr_rep, floor_ns)));
		json_object_set_new(fb, "floor_real_time", pick(&b->floor_real, a));
		json_object_set_new(fb, "ratio_to_floor", pick(&b->ratio, a));
	}
	if (b->latency.present)
		json_object_set_new(fb, "latency", latency_json(&b->latency));
	if (b->fairness.present)
		json_object_set_new(fb, "fairness", fairness_json(&b->fairness));
	if (b->measure.present)
		measure_aggregate(fb, b, a);
	json_object_set_new(e, "faultbench", fb);
	return e;
}

static json_t *benchmarks_json(const struct fr_doc *d)
{
	json_t *arr = json_array();

	for (int f = 0; f < d->nr_benches; f++) {
		const struct fr_bench *b = d->bench[f];

		for (int i = 0; i < b->nr_reps; i++)
			json_array_append_new(arr, iteration_json(&d->ctx, b, f, i));
		for (size_t k = 0; b->nr_reps && k < sizeof(aggregates) / sizeof(aggregates[0]);
		     k++)
			json_array_append_new(arr, aggregate_json(b, f, &aggregates[k]));
	}
	return arr;
}

static json_t *verdict_json(const struct fr_target_verdict *v)
{
	bool measured = !v->why[0];

	return json_pack("{s:s, s:o, s:s, s:f, s:o, s:o, s:o, s:o, s:o}", "num", v->num, "den",
			 v->den[0] ? json_string(v->den) : json_null(), "op",
			 v->at_most ? "<=" : ">=", "limit", v->limit, "threads",
			 v->threads < 0 ? json_null() : json_integer(v->threads), "measured",
			 measured ? json_real(v->measured) : json_null(), "unit",
			 measured ? json_string(v->counted ? "instructions" : "time") : json_null(),
			 "met", measured ? json_boolean(v->met) : json_null(), "why",
			 measured ? json_null() : json_string(v->why));
}

json_t *fr_doc_json(const struct fr_doc *d)
{
	json_t *warnings = json_array();
	json_t *root;

	for (int i = 0; i < d->nr_warnings; i++)
		json_array_append_new(warnings, json_string(d->warning[i]));
	root = json_pack("{s:o, s:b, s:o, s:o}", "context", context_json(&d->ctx), "interrupted",
			 d->interrupted, "warnings", warnings, "benchmarks", benchmarks_json(d));
	if (root && d->nr_verdicts) {
		json_t *targets = json_array();

		for (int i = 0; i < d->nr_verdicts; i++)
			json_array_append_new(targets, verdict_json(&d->verdict[i]));
		json_object_set_new(root, "targets", targets);
	}
	return root;
}
