// SPDX-License-Identifier: GPL-2.0-only
/*
 * Result documents, in google/benchmark's shape (context + benchmarks, the
 * same key names) so its tools/compare.py reads them, with faultbench's own
 * fields added beside.  results/SCHEMA.md documents every field.  Numbers
 * that are not finite are written as null: strict JSON has no NaN.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gitinfo.h"
#include "runner.h"

#define FB_SCHEMA_VERSION 1

static json_t *jreal(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static void iso_date(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	char tz[8];

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(tz, sizeof(tz), "%z", &tm);
	/* google/benchmark writes the offset as +hh:mm. */
	snprintf(buf + strlen(buf), len - strlen(buf), "%.3s:%.2s", tz, tz + 3);
}

static json_t *caches(hwloc_topology_t topo)
{
	json_t *arr = json_array();
	static const char *const type_names[] = { "Unified", "Data", "Instruction" };

	for (int depth = 0; depth < hwloc_topology_get_depth(topo); depth++) {
		hwloc_obj_t o = hwloc_get_obj_by_depth(topo, depth, 0);

		if (!o || !hwloc_obj_type_is_cache(o->type) || !o->attr)
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:i, s:I, s:i}", "type",
						     type_names[o->attr->cache.type % 3], "level",
						     (int)o->attr->cache.depth, "size",
						     (json_int_t)o->attr->cache.size, "num_sharing",
						     hwloc_bitmap_weight(o->cpuset)));
	}
	return arr;
}

static json_t *events_json(const struct fb_events *evs)
{
	json_t *req = json_array(), *opened = json_array(), *not = json_array();

	for (int i = 0; evs && i < evs->n; i++) {
		const struct fb_event *e = &evs->ev[i];

		json_array_append_new(req, json_string(e->name));
		if (e->opened)
			json_array_append_new(opened, json_string(e->name));
		else
			json_array_append_new(
				not, json_pack("{s:s, s:s}", "name", e->name, "reason", e->reason));
	}
	return json_pack("{s:o, s:o, s:o, s:b, s:s?}", "requested", req, "opened", opened,
			 "not_opened", not, "user_only", evs && evs->user_only, "note",
			 evs && evs->note[0] ? evs->note : NULL);
}

static json_t *provenance(hwloc_topology_t topo, const struct fb_sysinfo *si,
			  const struct fb_events *evs, const char *pin, uint64_t seed)
{
	char topo_s[256];

	fb_topo_summary(topo, topo_s, sizeof(topo_s));
	return json_pack("{s:s, s:{s:s, s:s, s:b}, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
			 "s:s, s:s, s:s, s:s, s:I, s:{s:s, s:o, s:o}, s:o, s:o}",
			 "version", "0.1.0", "git", "commit", FB_GIT_COMMIT, "branch",
			 FB_GIT_BRANCH, "dirty", FB_GIT_DIRTY, "compiler", FB_COMPILER, "cflags",
			 FB_CFLAGS, "build_type", FB_BUILD_TYPE, "sanitize", FB_SANITIZE, "kernel",
			 si->kernel, "cpu_model", si->cpu_model, "topology", topo_s,
			 "virtualization", si->virt, "aslr", si->aslr, "governor", si->governor,
			 "boost", si->boost, "smt", si->smt, "pinning", pin, "seed",
			 (json_int_t)seed, "clock", "latency_source", fb_tick_source(),
			 "ns_per_tick", jreal(fb_ns_per_tick()), "clock_gettime_ns",
			 jreal(fb_clock_cost_ns()), "harness_overhead_ns_per_op",
			 jreal(fb_harness_overhead_ns(topo)), "events", events_json(evs));
}

static json_t *load_avg(const char *s)
{
	double a = 0, b = 0, c = 0;

	sscanf(s, "%lf %lf %lf", &a, &b, &c);
	return json_pack("[o, o, o]", jreal(a), jreal(b), jreal(c));
}

static void exe_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
}

void fb_doc_init(struct fb_doc *d, hwloc_topology_t topo, const struct fb_events *evs,
		 const char *pin, uint64_t seed)
{
	struct fb_sysinfo si;
	char date[64], exe[512];
	bool debug = !strcmp(FB_BUILD_TYPE, "Debug");

	fb_sysinfo_read(&si);
	iso_date(date, sizeof(date));
	exe_path(exe, sizeof(exe));
	d->warnings = json_array();
	d->benchmarks = json_array();
	d->family = 0;
	d->root =
		json_pack("{s:{s:s, s:s, s:s, s:i, s:i, s:b, s:o, s:o, s:s, s:i, s:o}}", "context",
			  "date", date, "host_name", si.host, "executable", exe, "num_cpus",
			  si.num_cpus, "mhz_per_cpu", (int)si.mhz, "cpu_scaling_enabled",
			  strcmp(si.governor, "performance") && strcmp(si.governor, "none"),
			  "caches", caches(topo), "load_avg", load_avg(si.loadavg),
			  "library_build_type", debug ? "debug" : "release", "json_schema_version",
			  FB_SCHEMA_VERSION, "faultbench", provenance(topo, &si, evs, pin, seed));
	fb_sysinfo_warnings(&si, d->warnings);
	for (int i = 0; evs && i < evs->n; i++) {
		char msg[256];

		if (evs->ev[i].opened)
			continue;
		snprintf(msg, sizeof(msg), "no PMU: event %s not opened (%s)", evs->ev[i].name,
			 evs->ev[i].reason);
		json_array_append_new(d->warnings, json_string(msg));
	}
	if (evs && evs->note[0])
		json_array_append_new(d->warnings, json_string(evs->note));
}

/* "same-addr/recheck:none/threads:2": the parameters that differ from the defaults. */
static void run_name(const struct fb_result *r, char *buf, size_t len)
{
	const struct fb_run_opts *o = &r->opts;
	struct fb_values defs;

	fb_values_defaults(o->sc, &defs);
	snprintf(buf, len, "%s", o->sc->name);
	for (int i = 0; i < o->values.n; i++)
		if (strcmp(o->values.value[i], defs.value[i]))
			snprintf(buf + strlen(buf), len - strlen(buf), "/%s:%s", o->values.name[i],
				 o->values.value[i]);
	snprintf(buf + strlen(buf), len - strlen(buf), "/threads:%d", o->threads);
}

static json_t *params_json(const struct fb_values *v)
{
	json_t *p = json_object();

	for (int i = 0; i < v->n; i++)
		json_object_set_new(p, v->name[i], json_string(v->value[i]));
	return p;
}

/* Core counters as top-level keys: totals and per iteration. */
static void add_counters(json_t *b, const struct fb_rep *rep)
{
	for (int i = 0; i < FC_STAT_NR; i++) {
		char key[96];

		json_object_set_new(b, fc_stat_names[i], json_integer((json_int_t)rep->stats.v[i]));
		snprintf(key, sizeof(key), "%s_per_iteration", fc_stat_names[i]);
		json_object_set_new(
			b, key,
			jreal(rep->iterations ? (double)rep->stats.v[i] / (double)rep->iterations
					      : NAN));
	}
}

/* Events as top-level keys too; one that did not open is null, never 0. */
static void add_events(json_t *b, const struct fb_events *evs, const struct fb_rep *rep)
{
	for (int i = 0; evs && i < evs->n; i++) {
		bool ok = evs->ev[i].opened && !(rep->counts.missing & (1u << i));

		json_object_set_new(b, evs->ev[i].name,
				    ok ? json_integer((json_int_t)rep->counts.v[i]) : json_null());
	}
	if (evs && evs->n)
		json_object_set_new(b, "events_multiplexed",
				    json_boolean(rep->counts.running < rep->counts.enabled));
}

static json_t *fb_block(const struct fb_result *r, const struct fb_rep *rep)
{
	const struct fb_run_opts *o = &r->opts;
	json_t *fb =
		json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:o}", "scenario", o->sc->name,
			  "shape", o->sc->shape == FB_SHAPE_ROUNDS ? "rounds" : "duration", "unit",
			  o->sc->unit ? o->sc->unit : "op", "params", params_json(&o->values),
			  "pinning", fb_pin_name(o->pin), "cpus", r->cpus, "oversubscribed",
			  r->oversubscribed, "wall_ns", jreal(rep ? rep->wall_ns : NAN));

	if (r->floor_sc && rep) {
		json_object_set_new(fb, "floor", json_string(r->floor_sc->name));
		json_object_set_new(fb, "floor_real_time", jreal(rep->floor_ns));
		json_object_set_new(fb, "ratio_to_floor",
				    jreal(rep->floor_ns > 0 ? rep->real_ns / rep->floor_ns : NAN));
	}
	return fb;
}

static json_t *base_entry(struct fb_doc *d, const struct fb_result *r, const char *name,
			  const char *rname, const char *run_type)
{
	return json_pack("{s:s, s:i, s:i, s:s, s:s, s:i, s:i}", "name", name, "family_index",
			 d->family, "per_family_instance_index", 0, "run_name", rname, "run_type",
			 run_type, "repetitions", r->opts.repetitions, "threads", r->opts.threads);
}

static void add_iteration(struct fb_doc *d, const struct fb_result *r, const char *rname, int i)
{
	const struct fb_rep *rep = &r->reps[i];
	json_t *b = base_entry(d, r, rname, rname, "iteration");

	json_object_set_new(b, "repetition_index", json_integer(i));
	json_object_set_new(b, "iterations", json_integer((json_int_t)rep->iterations));
	json_object_set_new(b, "real_time", jreal(rep->real_ns));
	json_object_set_new(b, "cpu_time", jreal(rep->cpu_ns));
	json_object_set_new(b, "time_unit", json_string("ns"));
	json_object_set_new(b, "items_per_second", jreal(rep->items_per_second));
	add_counters(b, rep);
	add_events(b, r->opts.events, rep);
	json_object_set_new(b, "faultbench", fb_block(r, rep));
	json_array_append_new(d->benchmarks, b);
}

static json_t *latency_json(const struct fb_result *r)
{
	double k = fb_ns_per_tick();
	const struct fb_hist *h = &r->hist;

	return json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "unit", "ns", "count",
			 (json_int_t)h->total, "p50", jreal(fb_hist_percentile(h, 50) * k), "p90",
			 jreal(fb_hist_percentile(h, 90) * k), "p99",
			 jreal(fb_hist_percentile(h, 99) * k), "p999",
			 jreal(fb_hist_percentile(h, 99.9) * k), "max", jreal(h->max * k),
			 "timing_overhead_ns", jreal(r->latency_overhead_ns));
}

enum { AGG_MEAN, AGG_MEDIAN, AGG_STDDEV, AGG_CV, AGG_MIN, AGG_MAX, AGG_NR };
static const char *const agg_names[AGG_NR] = { "mean", "median", "stddev", "cv", "min", "max" };

static double agg_pick(const struct fb_agg *a, int k)
{
	const double v[AGG_NR] = { a->mean, a->median, a->stddev, a->cv, a->min, a->max };

	return v[k];
}

static json_t *samples(const struct fb_result *r, int field)
{
	json_t *s = json_array();

	for (int i = 0; i < r->nr_reps; i++) {
		const struct fb_rep *p = &r->reps[i];
		double v = field == 0 ? p->real_ns : field == 1 ? p->cpu_ns : p->floor_ns;

		json_array_append_new(s, jreal(v));
	}
	return s;
}

static void aggregate_field(const struct fb_result *r, int field, struct fb_agg *a)
{
	double v[r->nr_reps > 0 ? r->nr_reps : 1];

	for (int i = 0; i < r->nr_reps; i++) {
		const struct fb_rep *p = &r->reps[i];

		v[i] = field == 0	 ? p->real_ns
		       : field == 1	 ? p->cpu_ns
		       : field == 2	 ? p->items_per_second
		       : field == 4	 ? p->floor_ns
		       : p->floor_ns > 0 ? p->real_ns / p->floor_ns
					 : NAN;
	}
	fb_aggregate(v, r->nr_reps, a);
}

static void add_aggregate(struct fb_doc *d, const struct fb_result *r, const char *rname, int k,
			  const struct fb_agg *agg)
{
	char name[512];
	json_t *b, *fb;

	snprintf(name, sizeof(name), "%s_%s", rname, agg_names[k]);
	b = base_entry(d, r, name, rname, "aggregate");
	json_object_set_new(b, "aggregate_name", json_string(agg_names[k]));
	json_object_set_new(b, "aggregate_unit", json_string(k == AGG_CV ? "percentage" : "time"));
	json_object_set_new(b, "iterations", json_integer(r->nr_reps));
	json_object_set_new(b, "real_time", jreal(agg_pick(&agg[0], k)));
	json_object_set_new(b, "cpu_time", jreal(agg_pick(&agg[1], k)));
	json_object_set_new(b, "time_unit", json_string("ns"));
	json_object_set_new(b, "items_per_second", jreal(agg_pick(&agg[2], k)));
	fb = fb_block(r, NULL);
	json_object_set_new(fb, "samples", samples(r, 0));
	json_object_set_new(fb, "cpu_samples", samples(r, 1));
	if (r->floor_sc) {
		json_object_set_new(fb, "floor", json_string(r->floor_sc->name));
		json_object_set_new(fb, "floor_samples", samples(r, 2));
		json_object_set_new(fb, "floor_real_time", jreal(agg_pick(&agg[4], k)));
		json_object_set_new(fb, "ratio_to_floor", jreal(agg_pick(&agg[3], k)));
	}
	if (r->opts.latency)
		json_object_set_new(fb, "latency", latency_json(r));
	json_object_set_new(b, "faultbench", fb);
	json_array_append_new(d->benchmarks, b);
}

static void run_warnings(struct fb_doc *d, const struct fb_result *r, const char *rname,
			 const struct fb_agg *real)
{
	char msg[640];

	if (r->nr_reps > 1 && real->cv > 0.05) {
		snprintf(msg, sizeof(msg), "%s: unstable, cv %.1f%% > 5%% over %d repetitions",
			 rname, real->cv * 100, r->nr_reps);
		json_array_append_new(d->warnings, json_string(msg));
	}
	if (r->oversubscribed) {
		snprintf(msg, sizeof(msg), "%s: oversubscribed, %d threads on fewer CPUs", rname,
			 r->opts.threads);
		json_array_append_new(d->warnings, json_string(msg));
	}
	if (r->verify[0]) {
		snprintf(msg, sizeof(msg), "%s: verify failed: %s", rname, r->verify);
		json_array_append_new(d->warnings, json_string(msg));
	}
	if (r->interrupted && r->nr_reps < r->opts.repetitions) {
		snprintf(msg, sizeof(msg), "%s: interrupted after %d of %d repetitions", rname,
			 r->nr_reps, r->opts.repetitions);
		json_array_append_new(d->warnings, json_string(msg));
	}
}

void fb_doc_add(struct fb_doc *d, const struct fb_result *r)
{
	char rname[448];
	struct fb_agg agg[5];

	run_name(r, rname, sizeof(rname));
	for (int i = 0; i < r->nr_reps; i++)
		add_iteration(d, r, rname, i);
	/* real, cpu, items_per_second, ratio to floor, floor */
	for (int f = 0; f < 5; f++)
		aggregate_field(r, f, &agg[f]);
	for (int k = 0; r->nr_reps > 0 && k < AGG_NR; k++)
		add_aggregate(d, r, rname, k, agg);
	run_warnings(d, r, rname, &agg[0]);
	d->family++;
}

void fb_doc_finish(struct fb_doc *d, bool interrupted)
{
	json_object_set_new(d->root, "interrupted", json_boolean(interrupted));
	json_object_set(d->root, "warnings", d->warnings);
	json_object_set(d->root, "benchmarks", d->benchmarks);
}
