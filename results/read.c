// SPDX-License-Identifier: GPL-2.0-only
/*
 * A result file back into the typed result.  Every field the struct holds is
 * checked for its type as it is read; the first one that is wrong is the
 * error, one line naming the file and the field.  Summaries are computed
 * again from the repetitions (fr_bench_summarize), so what a consumer sees
 * is what the runner saw.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct reader {
	const char *path;
	char *err;
	size_t errlen;
	bool failed;
	struct fr_doc *d;
	int *family; /* family_index of each d->bench[] */
};

/* Records the first error only: later ones follow from it. */
static bool bad(struct reader *r, const char *where, const char *key, const char *why)
{
	if (!r->failed)
		snprintf(r->err, r->errlen,
			 "'%s' is not a faultbench result file: %s%s%s %s (see results/SCHEMA.md)",
			 r->path, where, *where && *key ? "." : "", key, why);
	r->failed = true;
	return false;
}

/*
 * The value at obj.key when it has the type, else an error unless optional
 * and absent.  JSON_REAL stands for any number, JSON_TRUE for any boolean.
 */
static json_t *want(struct reader *r, json_t *obj, const char *where, const char *key,
		    json_type type, bool optional)
{
	json_t *v = json_object_get(obj, key);

	if (!v && optional)
		return NULL;
	if (!v)
		return bad(r, where, key, "is missing"), NULL;
	if (json_typeof(v) != type && !(type == JSON_REAL && json_is_number(v)) &&
	    !(type == JSON_TRUE && json_is_boolean(v)))
		return bad(r, where, key, "has the wrong type"), NULL;
	return v;
}

static void get_str(struct reader *r, json_t *obj, const char *where, const char *key, char *out,
		    size_t len)
{
	json_t *v = want(r, obj, where, key, JSON_STRING, false);

	if (v && strlen(json_string_value(v)) >= len)
		bad(r, where, key, "is too long");
	else if (v)
		memcpy(out, json_string_value(v), strlen(json_string_value(v)) + 1);
}

/* A string or null ("" then); absent is an error unless optional. */
static void get_str_null(struct reader *r, json_t *obj, const char *where, const char *key,
			 char *out, size_t len, bool optional)
{
	json_t *v = json_object_get(obj, key);

	out[0] = '\0';
	if (json_is_null(v) || (!v && optional))
		return;
	get_str(r, obj, where, key, out, len);
}

static int64_t get_int(struct reader *r, json_t *obj, const char *where, const char *key)
{
	json_t *v = want(r, obj, where, key, JSON_INTEGER, false);

	return v ? json_integer_value(v) : 0;
}

/* A number, or null for one that was not finite. */
static double get_num(struct reader *r, json_t *obj, const char *where, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_null(v))
		return NAN;
	v = want(r, obj, where, key, JSON_REAL, false);
	return v ? json_number_value(v) : NAN;
}

static bool get_bool(struct reader *r, json_t *obj, const char *where, const char *key,
		     bool optional)
{
	json_t *v = want(r, obj, where, key, JSON_TRUE, optional);

	return v && json_is_true(v);
}

#define STR(r, obj, where, s, field) get_str(r, obj, where, #field, (s)->field, sizeof((s)->field))

/* --- context ------------------------------------------------------------------- */

static void read_caches(struct reader *r, json_t *ctx, struct fr_context *c)
{
	json_t *arr = want(r, ctx, "context", "caches", JSON_ARRAY, false), *k;
	size_t i;

	json_array_foreach(arr, i, k)
	{
		struct fr_cache *cache = &c->cache[c->nr_caches];

		if (c->nr_caches == FR_MAX_CACHES) {
			bad(r, "context", "caches", "has too many entries");
			return;
		}
		STR(r, k, "context.caches[]", cache, type);
		cache->level = (int)get_int(r, k, "context.caches[]", "level");
		cache->size = get_int(r, k, "context.caches[]", "size");
		cache->num_sharing = (int)get_int(r, k, "context.caches[]", "num_sharing");
		c->nr_caches++;
	}
}

static void read_events(struct reader *r, json_t *fb, struct fr_context *c)
{
	const char *where = "context.faultbench.events";
	json_t *ev = want(r, fb, "context.faultbench", "events", JSON_OBJECT, false);
	json_t *req = want(r, ev, where, "requested", JSON_ARRAY, false);
	json_t *opened = want(r, ev, where, "opened", JSON_ARRAY, false);
	json_t *not = want(r, ev, where, "not_opened", JSON_ARRAY, false), *v, *o;
	size_t i, k;

	json_array_foreach(req, i, v)
	{
		struct fr_event *e = &c->event[c->nr_events];

		if (c->nr_events == FR_MAX_EVENTS || !json_is_string(v) ||
		    strlen(json_string_value(v)) >= sizeof(e->name)) {
			bad(r, where, "requested", "has too many or bad names");
			return;
		}
		strcpy(e->name, json_string_value(v));
		get_str_null(r, want(r, ev, where, "units", JSON_OBJECT, false), where, e->name,
			     e->unit, sizeof(e->unit), false);
		json_array_foreach(opened, k, o) e->opened =
			e->opened || (json_is_string(o) && !strcmp(json_string_value(o), e->name));
		json_array_foreach(not, k, o)
		{
			if (json_is_string(json_object_get(o, "name")) &&
			    !strcmp(json_string_value(json_object_get(o, "name")), e->name))
				STR(r, o, "context.faultbench.events.not_opened[]", e, reason);
		}
		c->nr_events++;
	}
	c->events_user_only = get_bool(r, ev, where, "user_only", false);
	get_str_null(r, ev, where, "note", c->events_note, sizeof(c->events_note), false);
}

/* A figure measured or null; the object is absent from files written before it. */
static bool read_measured(struct reader *r, json_t *cal, const char *key, uint32_t *ns)
{
	json_t *v = json_object_get(cal, key);
	int64_t n;

	if (json_is_null(v))
		return false;
	n = get_int(r, cal, "context.faultbench.calibration", key);
	if (n < 0 || n > UINT32_MAX)
		return bad(r, "context.faultbench.calibration", key, "is out of range"), false;
	*ns = (uint32_t)n;
	return true;
}

static void read_calibration(struct reader *r, json_t *fb, struct fr_context *c)
{
	json_t *cal = want(r, fb, "context.faultbench", "calibration", JSON_OBJECT, true);

	if (!cal)
		return;
	c->calibration.tlb_measured =
		read_measured(r, cal, "tlb_ipi_ns", &c->calibration.tlb_ipi_ns);
	c->calibration.faults_measured =
		read_measured(r, cal, "kernel_fault_ns", &c->calibration.kernel_fault_ns) &
		read_measured(r, cal, "model_fault_ns", &c->calibration.model_fault_ns);
}

static void read_provenance(struct reader *r, json_t *fb, struct fr_context *c)
{
	const char *where = "context.faultbench";
	json_t *git = want(r, fb, where, "git", JSON_OBJECT, false);
	json_t *clock = want(r, fb, where, "clock", JSON_OBJECT, false);

	STR(r, fb, where, c, version);
	get_str(r, git, "context.faultbench.git", "commit", c->git_commit, sizeof(c->git_commit));
	get_str(r, git, "context.faultbench.git", "branch", c->git_branch, sizeof(c->git_branch));
	c->git_dirty = get_bool(r, git, "context.faultbench.git", "dirty", false);
	STR(r, fb, where, c, compiler);
	STR(r, fb, where, c, cflags);
	STR(r, fb, where, c, build_type);
	STR(r, fb, where, c, sanitize);
	STR(r, fb, where, c, kernel);
	STR(r, fb, where, c, cpu_model);
	STR(r, fb, where, c, topology);
	STR(r, fb, where, c, virtualization);
	STR(r, fb, where, c, aslr);
	STR(r, fb, where, c, governor);
	STR(r, fb, where, c, boost);
	STR(r, fb, where, c, smt);
	STR(r, fb, where, c, pinning);
	c->seed = (uint64_t)get_int(r, fb, where, "seed");
	STR(r, clock, "context.faultbench.clock", c, latency_source);
	c->ns_per_tick = get_num(r, clock, "context.faultbench.clock", "ns_per_tick");
	c->clock_gettime_ns = get_num(r, clock, "context.faultbench.clock", "clock_gettime_ns");
	c->harness_overhead_ns = get_num(r, fb, where, "harness_overhead_ns_per_op");
	read_calibration(r, fb, c);
	read_events(r, fb, c);
}

static void read_context(struct reader *r, json_t *root)
{
	struct fr_context *c = &r->d->ctx;
	json_t *ctx = want(r, root, "", "context", JSON_OBJECT, false);
	json_t *load, *fb;
	int64_t version;

	if (!ctx)
		return;
	version = get_int(r, ctx, "context", "json_schema_version");
	if (!r->failed && version != FR_SCHEMA_VERSION) {
		char why[64];

		snprintf(why, sizeof(why), "is %lld, not %d (the version this build reads)",
			 (long long)version, FR_SCHEMA_VERSION);
		bad(r, "context", "json_schema_version", why);
		return;
	}
	STR(r, ctx, "context", c, date);
	STR(r, ctx, "context", c, host_name);
	STR(r, ctx, "context", c, executable);
	c->num_cpus = (int)get_int(r, ctx, "context", "num_cpus");
	c->mhz_per_cpu = (int)get_int(r, ctx, "context", "mhz_per_cpu");
	c->cpu_scaling_enabled = get_bool(r, ctx, "context", "cpu_scaling_enabled", false);
	read_caches(r, ctx, c);
	load = want(r, ctx, "context", "load_avg", JSON_ARRAY, false);
	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_array_get(load, i);

		c->load_avg[i] = json_is_number(v) ? json_number_value(v) : NAN;
	}
	STR(r, ctx, "context", c, library_build_type);
	fb = want(r, ctx, "context", "faultbench", JSON_OBJECT, false);
	if (fb)
		read_provenance(r, fb, c);
}

/* --- benchmarks ------------------------------------------------------------------ */

static void read_params(struct reader *r, json_t *fb, const char *where, struct fr_bench *b)
{
	json_t *params = want(r, fb, where, "params", JSON_OBJECT, false), *v;
	const char *key;
	char at[64];

	snprintf(at, sizeof(at), "%s.params", where);
	json_object_foreach(params, key, v)
	{
		struct fr_param *p = &b->param[b->nr_params];

		if (b->nr_params == FR_MAX_PARAMS || strlen(key) >= sizeof(p->name)) {
			bad(r, where, "params", "has too many or too long names");
			return;
		}
		strcpy(p->name, key);
		get_str(r, params, at, key, p->value, sizeof(p->value));
		b->nr_params++;
	}
}

static void read_headline(struct reader *r, json_t *fb, const char *where, struct fr_headline *h)
{
	json_t *hl = want(r, fb, where, "headline", JSON_OBJECT, true), *counters, *v;
	char at[64];
	size_t i;

	if (!hl)
		return;
	snprintf(at, sizeof(at), "%s.headline", where);
	counters = want(r, hl, at, "counters", JSON_ARRAY, false);
	h->present = true;
	json_array_foreach(counters, i, v)
	{
		if (h->nr_counters == FR_MAX_HEADLINE || !json_is_string(v) ||
		    strlen(json_string_value(v)) >= sizeof(h->counter[0])) {
			bad(r, at, "counters", "has too many or bad names");
			return;
		}
		strcpy(h->counter[h->nr_counters++], json_string_value(v));
	}
	get_str_null(r, hl, at, "floor", h->floor, sizeof(h->floor), false);
}

static void read_measure(struct reader *r, json_t *fb, const char *where, struct fr_measure *m)
{
	json_t *v = want(r, fb, where, "measure", JSON_OBJECT, true);
	char at[64];

	if (!v)
		return;
	snprintf(at, sizeof(at), "%s.measure", where);
	m->present = true;
	STR(r, v, at, m, metric);
	STR(r, v, at, m, method);
}

static void read_parts(struct reader *r, json_t *bd, const char *where, struct fr_breakdown *b)
{
	json_t *parts = want(r, bd, where, "parts", JSON_OBJECT, false), *v;
	const char *key;

	json_object_foreach(parts, key, v)
	{
		if (b->nr_parts == FR_MAX_PARTS || strlen(key) >= FR_NAME_LEN) {
			bad(r, where, "parts", "has too many or too long names");
			return;
		}
		strcpy(b->part_name[b->nr_parts], key);
		b->part[b->nr_parts++] = get_num(r, parts, where, key);
	}
}

static struct fr_breakdown *read_breakdown(struct reader *r, json_t *fb, const char *where)
{
	json_t *bd = want(r, fb, where, "breakdown", JSON_OBJECT, true), *fns, *v;
	struct fr_breakdown *b;
	char at[64];
	size_t i;

	if (!bd)
		return NULL;
	snprintf(at, sizeof(at), "%s.breakdown", where);
	fns = want(r, bd, at, "functions", JSON_ARRAY, false);
	b = calloc(1, sizeof(*b));
	if (!b || !(b->fn = calloc(json_array_size(fns) + 1, sizeof(*b->fn)))) {
		free(b);
		return bad(r, at, "", "does not fit in memory"), NULL;
	}
	b->total = get_num(r, bd, at, "instructions_per_iteration");
	read_parts(r, bd, at, b);
	json_array_foreach(fns, i, v)
	{
		struct fr_breakdown_fn *f = &b->fn[b->nr_fn++];

		STR(r, v, "breakdown.functions[]", f, function);
		f->self = get_num(r, v, "breakdown.functions[]", "self");
		f->inclusive = get_num(r, v, "breakdown.functions[]", "inclusive");
	}
	return b;
}

/* What every entry of a configuration says alike, from its first entry. */
static struct fr_bench *new_bench(struct reader *r, json_t *e, const char *where, int family)
{
	json_t *fb = want(r, e, where, "faultbench", JSON_OBJECT, false);
	int reps = (int)get_int(r, e, where, "repetitions");
	struct fr_bench *b;
	char at[64];
	int *grown;

	if (r->failed)
		return NULL;
	if (reps < 1)
		return bad(r, where, "repetitions", "is not positive"), NULL;
	grown = realloc(r->family, sizeof(*grown) * (size_t)(r->d->nr_benches + 1));
	if (!grown || !(b = fr_doc_add_bench(r->d, reps)))
		return bad(r, where, "", "does not fit in memory"), NULL;
	r->family = grown;
	r->family[r->d->nr_benches - 1] = family;
	b->repetitions = reps;
	b->threads = (int)get_int(r, e, where, "threads");
	STR(r, e, where, b, run_name);
	get_str_null(r, e, where, "label", b->label, sizeof(b->label), true);
	snprintf(at, sizeof(at), "%s.faultbench", where);
	STR(r, fb, at, b, scenario);
	STR(r, fb, at, b, shape);
	STR(r, fb, at, b, unit);
	read_params(r, fb, at, b);
	STR(r, fb, at, b, pinning);
	STR(r, fb, at, b, cpus);
	b->oversubscribed = get_bool(r, fb, at, "oversubscribed", false);
	get_str_null(r, fb, at, "floor", b->floor, sizeof(b->floor), true);
	read_headline(r, fb, at, &b->headline);
	read_measure(r, fb, at, &b->measure);
	b->verify_failed = get_bool(r, fb, at, "verify_failed", true);
	if (b->verify_failed)
		STR(r, fb, at, b, verify_error);
	get_str_null(r, fb, at, "plant", b->plant, sizeof(b->plant), true);
	return b;
}

static struct fr_bench *bench_of(struct reader *r, json_t *e, const char *where)
{
	int family = (int)get_int(r, e, where, "family_index");

	for (int i = 0; i < r->d->nr_benches; i++)
		if (r->family[i] == family)
			return r->d->bench[i];
	return new_bench(r, e, where, family);
}

/*
 * Counters are the integer keys that have a "<key>_per_iteration" beside
 * them, but for the events the context names, which have one too.
 */
static bool is_counter(const struct fr_context *c, json_t *e, const char *key, json_t *v)
{
	char per[FR_NAME_LEN + 16];

	for (int i = 0; i < c->nr_events; i++)
		if (!strcmp(key, c->event[i].name))
			return false;
	snprintf(per, sizeof(per), "%s_per_iteration", key);
	return json_is_integer(v) && json_object_get(e, per);
}

static void read_counters(struct reader *r, json_t *e, const char *where, struct fr_bench *b,
			  struct fr_rep *rep)
{
	const char *key;
	json_t *v;

	if (b->nr_reps == 0) {
		json_object_foreach(e, key, v)
		{
			if (!is_counter(&r->d->ctx, e, key, v))
				continue;
			if (b->nr_counters == FR_MAX_COUNTERS || strlen(key) >= FR_NAME_LEN) {
				bad(r, where, key, "is one counter too many or too long");
				return;
			}
			strcpy(b->counter_name[b->nr_counters++], key);
		}
	}
	for (int c = 0; c < b->nr_counters; c++)
		rep->counter[c] = (uint64_t)get_int(r, e, where, b->counter_name[c]);
}

static void read_events_of(struct reader *r, json_t *e, const char *where, struct fr_rep *rep)
{
	const struct fr_context *c = &r->d->ctx;

	for (int i = 0; i < c->nr_events; i++) {
		json_t *v = json_object_get(e, c->event[i].name);

		if (json_is_null(v))
			rep->event_missing |= 1u << i;
		else
			rep->event[i] = (uint64_t)get_int(r, e, where, c->event[i].name);
	}
	rep->multiplexed = get_bool(r, e, where, "events_multiplexed", !c->nr_events);
	if (c->nr_events) {
		rep->events_enabled_ns = (uint64_t)get_int(r, e, where, "events_time_enabled_ns");
		rep->events_running_ns = (uint64_t)get_int(r, e, where, "events_time_running_ns");
	}
}

/* One entry a thread, as many as the benchmark's threads; NULL when absent. */
static struct fr_thread *read_per_thread(struct reader *r, json_t *fb, const char *where,
					 int threads)
{
	json_t *arr = want(r, fb, where, "per_thread", JSON_ARRAY, true), *v;
	struct fr_thread *t;
	size_t i;

	if (!arr)
		return NULL;
	if (threads < 1 || json_array_size(arr) != (size_t)threads)
		return bad(r, where, "per_thread", "does not have one entry a thread"), NULL;
	t = calloc((size_t)threads, sizeof(*t));
	if (!t)
		return bad(r, where, "per_thread", "does not fit in memory"), NULL;
	json_array_foreach(arr, i, v)
	{
		t[i].ops = (uint64_t)get_int(r, v, "per_thread[]", "ops");
		t[i].stores = (uint64_t)get_int(r, v, "per_thread[]", "stores");
		t[i].installs = (uint64_t)get_int(r, v, "per_thread[]", "installs");
	}
	return t;
}

static void read_iteration(struct reader *r, json_t *e, const char *where, struct fr_bench *b)
{
	json_t *fb = json_object_get(e, "faultbench");
	struct fr_rep *rep = &b->rep[b->nr_reps];
	char at[64];

	if (b->nr_reps == b->repetitions) {
		bad(r, where, "", "is one repetition more than its repetitions");
		return;
	}
	rep->iterations = (uint64_t)get_int(r, e, where, "iterations");
	rep->real_ns = get_num(r, e, where, "real_time");
	rep->cpu_ns = get_num(r, e, where, "cpu_time");
	rep->items_per_second = get_num(r, e, where, "items_per_second");
	snprintf(at, sizeof(at), "%s.faultbench", where);
	rep->wall_ns = get_num(r, fb, at, "wall_ns");
	rep->floor_ns = b->floor[0] ? get_num(r, fb, at, "floor_real_time") : NAN;
	rep->round = json_object_get(fb, "round") ? (int)get_int(r, fb, at, "round") : -1;
	if (b->measure.present) {
		rep->instructions = (uint64_t)get_int(r, fb, at, "instructions");
		if (b->floor[0])
			rep->floor_instructions =
				get_num(r, fb, at, "floor_instructions_per_iteration");
		rep->breakdown = read_breakdown(r, fb, at);
	}
	read_counters(r, e, where, b, rep);
	read_events_of(r, e, where, rep);
	rep->thread = read_per_thread(r, fb, at, b->threads);
	b->nr_reps++;
}

static void read_percentiles(struct reader *r, json_t *o, const char *where,
			     struct fr_percentiles *p)
{
	p->count = (uint64_t)get_int(r, o, where, "count");
	p->p50 = get_num(r, o, where, "p50");
	p->p90 = get_num(r, o, where, "p90");
	p->p99 = get_num(r, o, where, "p99");
	p->p999 = get_num(r, o, where, "p999");
	p->max = get_num(r, o, where, "max");
}

static void read_latency(struct reader *r, json_t *e, const char *where, struct fr_bench *b)
{
	json_t *lat =
		want(r, json_object_get(e, "faultbench"), where, "latency", JSON_OBJECT, true);
	struct fr_latency *l = &b->latency;
	json_t *first, *last;

	if (!lat || l->present)
		return;
	l->present = true;
	read_percentiles(r, lat, where, &l->op);
	l->timing_overhead_ns = get_num(r, lat, where, "timing_overhead_ns");
	first = want(r, lat, where, "first_install", JSON_OBJECT, true);
	last = want(r, lat, where, "last_return", JSON_OBJECT, true);
	if (!first != !last)
		bad(r, where, "latency", "has only one of first_install and last_return");
	if (!first || !last)
		return;
	l->rounds = true;
	read_percentiles(r, first, "latency.first_install", &l->first_install);
	read_percentiles(r, last, "latency.last_return", &l->last_return);
}

static void read_benchmarks(struct reader *r, json_t *root)
{
	json_t *arr = want(r, root, "", "benchmarks", JSON_ARRAY, false), *e;
	size_t i;

	json_array_foreach(arr, i, e)
	{
		char where[32];
		struct fr_bench *b;
		json_t *type;

		snprintf(where, sizeof(where), "benchmarks[%zu]", i);
		if (!json_is_object(e)) {
			bad(r, where, "", "is not an object");
			return;
		}
		b = bench_of(r, e, where);
		type = want(r, e, where, "run_type", JSON_STRING, false);
		if (r->failed)
			return;
		if (!strcmp(json_string_value(type), "iteration"))
			read_iteration(r, e, where, b);
		else if (!strcmp(json_string_value(type), "aggregate"))
			read_latency(r, e, where, b);
		else
			bad(r, where, "run_type", "is neither iteration nor aggregate");
	}
}

static void read_doc(struct reader *r, json_t *root)
{
	json_t *warnings, *w;
	size_t i;

	if (!json_is_object(root)) {
		bad(r, "the document", "", "is not an object");
		return;
	}
	read_context(r, root);
	r->d->interrupted = get_bool(r, root, "", "interrupted", false);
	warnings = want(r, root, "", "warnings", JSON_ARRAY, false);
	json_array_foreach(warnings, i, w)
	{
		if (!json_is_string(w))
			bad(r, "warnings[]", "", "is not a string");
		else if (fr_doc_warn(r->d, "%s", json_string_value(w)))
			bad(r, "warnings", "", "do not fit in memory");
	}
	if (!r->failed)
		read_benchmarks(r, root);
	for (int k = 0; !r->failed && k < r->d->nr_benches; k++)
		fr_bench_summarize(r->d->bench[k]);
}

int fr_doc_read(const char *path, struct fr_doc *d, char *err, size_t errlen)
{
	struct reader r = { .path = path, .err = err, .errlen = errlen, .d = d };
	json_error_t jerr;
	json_t *root;
	FILE *f;

	fr_doc_init(d);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read result file '%s': %s", path, strerror(errno));
		return -1;
	}
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (!root) {
		snprintf(err, errlen, "'%s' is not JSON: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	read_doc(&r, root);
	json_decref(root);
	free(r.family);
	if (r.failed)
		fr_doc_free(d);
	return r.failed ? -1 : 0;
}
