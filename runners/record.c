// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a run knows, recorded into the typed result (results/): the machine
 * and the build as its context, and each configuration as a benchmark with
 * its repetitions.  The statistics are computed here, once, by results/;
 * the writers there only format them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gitinfo.h"
#include "measure.h"
#include "runner.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

_Static_assert(FC_STAT_NR <= FR_MAX_COUNTERS, "a result holds every core counter");
_Static_assert(FB_MAX_EVENTS <= FR_MAX_EVENTS, "a result holds every event");
_Static_assert(FB_MAX_PARAMS <= FR_MAX_PARAMS, "a result holds every parameter");

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

static void record_caches(struct fr_context *c, hwloc_topology_t topo)
{
	static const char *const type_names[] = { "Unified", "Data", "Instruction" };

	for (int depth = 0; depth < hwloc_topology_get_depth(topo); depth++) {
		hwloc_obj_t o = hwloc_get_obj_by_depth(topo, depth, 0);
		struct fr_cache *k = &c->cache[c->nr_caches];

		if (!o || !hwloc_obj_type_is_cache(o->type) || !o->attr ||
		    c->nr_caches == FR_MAX_CACHES)
			continue;
		COPY(k->type, type_names[o->attr->cache.type % 3]);
		k->level = (int)o->attr->cache.depth;
		k->size = (int64_t)o->attr->cache.size;
		k->num_sharing = hwloc_bitmap_weight(o->cpuset);
		c->nr_caches++;
	}
}

static void record_events(struct fr_context *c, const struct fb_events *evs)
{
	for (int i = 0; evs && i < evs->n && i < FR_MAX_EVENTS; i++) {
		COPY(c->event[i].name, evs->ev[i].name);
		c->event[i].opened = evs->ev[i].opened;
		COPY(c->event[i].unit, evs->ev[i].unit);
		COPY(c->event[i].reason, evs->ev[i].reason);
		c->nr_events++;
	}
	c->events_user_only = evs && evs->user_only;
	COPY(c->events_note, evs ? evs->note : "");
}

static void record_provenance(struct fr_context *c, hwloc_topology_t topo,
			      const struct fb_sysinfo *si, const char *pin, uint64_t seed)
{
	COPY(c->version, FB_VERSION);
	COPY(c->git_commit, FB_GIT_COMMIT);
	COPY(c->git_branch, FB_GIT_BRANCH);
	c->git_dirty = FB_GIT_DIRTY;
	COPY(c->compiler, FB_COMPILER);
	COPY(c->cflags, FB_CFLAGS);
	COPY(c->build_type, FB_BUILD_TYPE);
	COPY(c->sanitize, FB_SANITIZE);
	COPY(c->kernel, si->kernel);
	COPY(c->cpu_model, si->cpu_model);
	fb_topo_summary(topo, c->topology, sizeof(c->topology));
	COPY(c->virtualization, si->virt);
	COPY(c->aslr, si->aslr);
	COPY(c->governor, si->governor);
	COPY(c->boost, si->boost);
	COPY(c->smt, si->smt);
	COPY(c->pinning, pin);
	c->seed = seed;
	COPY(c->latency_source, fb_tick_source());
	c->ns_per_tick = fb_ns_per_tick();
	c->clock_gettime_ns = fb_clock_cost_ns();
}

static void record_warnings(struct fr_doc *d, const struct fb_sysinfo *si,
			    const struct fb_events *evs)
{
	json_t *sys = json_array(), *w;
	size_t i;

	fb_sysinfo_warnings(si, sys);
	json_array_foreach(sys, i, w) fr_doc_warn(d, "%s", json_string_value(w));
	json_decref(sys);
	for (int k = 0; evs && k < evs->n; k++)
		if (!evs->ev[k].opened)
			fr_doc_warn(d, "no PMU: event %s not opened (%s)", evs->ev[k].name,
				    evs->ev[k].reason);
	if (evs && evs->note[0])
		fr_doc_warn(d, "%s", evs->note);
}

void fb_record_context(struct fr_doc *d, hwloc_topology_t topo, const struct fb_events *evs,
		       const char *pin, uint64_t seed, double overhead_ns)
{
	struct fr_context *c = &d->ctx;
	struct fb_sysinfo si;
	ssize_t n;

	fb_sysinfo_read(&si);
	iso_date(c->date, sizeof(c->date));
	COPY(c->host_name, si.host);
	n = readlink("/proc/self/exe", c->executable, sizeof(c->executable) - 1);
	c->executable[n > 0 ? n : 0] = '\0';
	c->num_cpus = si.num_cpus;
	c->mhz_per_cpu = (int)si.mhz;
	c->cpu_scaling_enabled = strcmp(si.governor, "performance") && strcmp(si.governor, "none");
	record_caches(c, topo);
	sscanf(si.loadavg, "%lf %lf %lf", &c->load_avg[0], &c->load_avg[1], &c->load_avg[2]);
	COPY(c->library_build_type, strcmp(FB_BUILD_TYPE, "Debug") ? "release" : "debug");
	record_provenance(c, topo, &si, pin, seed);
	c->harness_overhead_ns = overhead_ns;
	record_events(c, evs);
	record_warnings(d, &si, evs);
}

void fb_print_version(FILE *f)
{
	fprintf(f, "faultbench %s (commit %.12s%s, %s build, %s)\n", FB_VERSION, FB_GIT_COMMIT,
		FB_GIT_DIRTY ? "+dirty" : "", FB_BUILD_TYPE, FB_COMPILER);
}

void fb_record_calibration(struct fr_doc *d)
{
	struct fc_calibration cal;

	fc_calibration_get(&cal);
	d->ctx.calibration.tlb_measured = cal.tlb_measured;
	d->ctx.calibration.tlb_ipi_ns = cal.tlb_ipi_ns;
	d->ctx.calibration.faults_measured = cal.faults_measured;
	d->ctx.calibration.kernel_fault_ns = cal.kernel_fault_ns;
	d->ctx.calibration.model_fault_ns = cal.model_fault_ns;
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

static struct fr_breakdown *copy_breakdown(const struct fr_breakdown *bd)
{
	struct fr_breakdown *c = malloc(sizeof(*c));
	size_t len = sizeof(*c->fn) * (size_t)bd->nr_fn;

	if (!c)
		return NULL;
	*c = *bd;
	c->fn = malloc(len + 1);
	if (!c->fn) {
		free(c);
		return NULL;
	}
	memcpy(c->fn, bd->fn, len);
	return c;
}

static int record_measure(struct fr_rep *out, const struct fb_rep *rep)
{
	out->instructions = rep->instructions;
	out->floor_instructions = rep->floor_instructions;
	if (rep->breakdown && !(out->breakdown = copy_breakdown(rep->breakdown)))
		return -1;
	return 0;
}

static int record_threads(struct fr_rep *out, const struct fb_rep *rep, int threads)
{
	size_t len = sizeof(*rep->thread) * (size_t)threads;

	if (!rep->thread)
		return 0;
	out->thread = malloc(len);
	if (!out->thread)
		return -1;
	memcpy(out->thread, rep->thread, len);
	return 0;
}

static void record_rep(struct fr_rep *out, const struct fb_rep *rep, const struct fb_events *evs,
		       bool has_floor)
{
	out->iterations = rep->iterations;
	out->real_ns = rep->real_ns;
	out->cpu_ns = rep->cpu_ns;
	out->wall_ns = rep->wall_ns;
	out->items_per_second = rep->items_per_second;
	out->floor_ns = has_floor ? rep->floor_ns : NAN;
	for (int i = 0; i < FC_STAT_NR; i++)
		out->counter[i] = rep->stats.v[i];
	for (int i = 0; evs && i < evs->n; i++)
		if (!evs->ev[i].opened || (rep->counts.missing & (1u << i)))
			out->event_missing |= 1u << i;
		else
			out->event[i] = rep->counts.v[i];
	out->multiplexed = rep->counts.running < rep->counts.enabled;
	out->events_enabled_ns = rep->counts.enabled;
	out->events_running_ns = rep->counts.running;
}

static void record_percentiles(struct fr_percentiles *p, const struct fb_hist *h)
{
	double k = fb_ns_per_tick();

	*p = (struct fr_percentiles){
		.count = h->total,
		.p50 = (double)fb_hist_percentile(h, 50) * k,
		.p90 = (double)fb_hist_percentile(h, 90) * k,
		.p99 = (double)fb_hist_percentile(h, 99) * k,
		.p999 = (double)fb_hist_percentile(h, 99.9) * k,
		.max = (double)h->max * k,
	};
}

static void record_latency(struct fr_latency *l, const struct fb_result *r)
{
	l->present = true;
	record_percentiles(&l->op, &r->latency.op);
	l->timing_overhead_ns = r->latency_overhead_ns;
	if (r->opts.sc->shape != FB_SHAPE_ROUNDS)
		return;
	l->rounds = true;
	record_percentiles(&l->first_install, &r->latency.first_install);
	record_percentiles(&l->last_return, &r->latency.last_return);
}

/* What the scenario declares as its figures: every benchmark carries it. */
static void record_headline(struct fr_headline *h, const struct fb_scenario *sc)
{
	h->present = true;
	for (const char *const *c = sc->headline; c && *c && h->nr_counters < FR_MAX_HEADLINE; c++)
		COPY(h->counter[h->nr_counters++], *c);
	COPY(h->floor, sc->floor ? sc->floor : "");
}

static void record_config(struct fr_bench *b, const struct fb_result *r)
{
	const struct fb_run_opts *o = &r->opts;

	run_name(r, b->run_name, sizeof(b->run_name));
	COPY(b->label, o->label ? o->label : "");
	COPY(b->scenario, o->sc->name);
	COPY(b->shape, o->sc->shape == FB_SHAPE_ROUNDS ? "rounds" : "duration");
	COPY(b->unit, o->sc->unit ? o->sc->unit : "op");
	for (int i = 0; i < o->values.n; i++) {
		COPY(b->param[i].name, o->values.name[i]);
		COPY(b->param[i].value, o->values.value[i]);
		b->nr_params++;
	}
	b->threads = o->threads;
	b->repetitions = o->repetitions;
	COPY(b->pinning, fb_pin_name(o->pin));
	COPY(b->cpus, r->cpus);
	b->oversubscribed = r->oversubscribed;
	COPY(b->floor, r->floor_sc ? r->floor_sc->name : "");
	if (o->measure) {
		b->measure.present = true;
		COPY(b->measure.metric, "instructions");
		COPY(b->measure.method, fb_measure_method_name(o->measure->method));
	}
	b->verify_failed = r->verify[0] != '\0';
	COPY(b->verify_error, r->verify);
	COPY(b->plant, o->plant ? o->plant : "");
	record_headline(&b->headline, o->sc);
	for (int i = 0; i < FC_STAT_NR; i++)
		COPY(b->counter_name[i], fc_stat_names[i]);
	b->nr_counters = FC_STAT_NR;
}

int fb_record(struct fr_doc *d, const struct fb_result *r)
{
	struct fr_bench *b = fr_doc_add_bench(d, r->nr_reps);

	if (!b)
		return -1;
	record_config(b, r);
	for (int i = 0; i < r->nr_reps; i++) {
		record_rep(&b->rep[i], &r->reps[i], r->opts.events, r->floor_sc != NULL);
		b->nr_reps = i + 1;
		if (record_threads(&b->rep[i], &r->reps[i], b->threads) ||
		    (r->opts.measure && record_measure(&b->rep[i], &r->reps[i])))
			return -1;
	}
	if (r->opts.latency)
		record_latency(&b->latency, r);
	fr_bench_summarize(b);
	fr_bench_warnings(d, b);
	if (r->unpinned && fr_doc_warn(d,
				       "%s: %d of %d threads could not be pinned (hwloc): the "
				       "scheduler placed them, not as cpus says",
				       b->run_name, r->unpinned, b->threads))
		return -1;
	return 0;
}
