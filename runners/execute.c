// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs a list of specs into one result document.  Every input is checked
 * before the first thread starts, so bad input costs no time and leaves no
 * file; a signal stops the run and still writes what completed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <faultplots/plot.h>

#include "spec.h"

struct plan {
	struct fb_spec *spec;
	int threads[FB_MAX_THREADS];
	int n;
	struct fb_measure measure; /* --measure: how this spec counts */
};

static int check_measure(struct plan *p, char *err, size_t errlen)
{
	int max = 0;

	if (!p->spec->measure)
		return 0;
	if (p->spec->sc->live_kernel) {
		snprintf(err, errlen,
			 "%s runs the live kernel, whose instructions --measure instructions does "
			 "not count (valid: a scenario of the model)",
			 p->spec->sc->name);
		return -1;
	}
	for (int i = 0; i < p->n; i++)
		max = p->threads[i] > max ? p->threads[i] : max;
	return fb_measure_setup(&p->measure, p->spec->measure_method, p->spec->breakdown, max, err,
				errlen);
}

static int check_spec(struct plan *p, hwloc_topology_t topo, const struct fb_events *evs, char *err,
		      size_t errlen)
{
	char inner[FB_ERRLEN];

	p->n = fb_parse_threads(p->spec->threads, topo, p->threads, FB_MAX_THREADS, inner,
				sizeof(inner));
	for (int i = 0; p->n > 0 && i < p->n; i++) {
		struct fb_run_opts o;

		fb_spec_opts(p->spec, p->threads[i], topo, evs, &o);
		if (fb_run_check(&o, inner, sizeof(inner)))
			p->n = -1;
	}
	if (p->n > 0 && check_measure(p, inner, sizeof(inner)))
		p->n = -1;
	if (p->n > 0)
		return 0;
	if (p->spec->line)
		snprintf(err, errlen, "line %d: %s", p->spec->line, inner);
	else
		snprintf(err, errlen, "%s", inner);
	return -1;
}

static int total_runs(const struct plan *plans, int n)
{
	int t = 0;

	for (int i = 0; i < n; i++)
		t += plans[i].n;
	return t;
}

/* What running a list of plans came to: bits, or -1 when the result could not be kept. */
enum { RAN_VERIFY_FAILED = 1, RAN_FAILED = 2 };

/*
 * One configuration into doc (none when its scenario skips); returns 1 if
 * its verify failed, -1 with err when it failed (doc as it was before).
 */
static int run_one(struct plan *p, int k, struct fb_run_opts *o, struct fr_doc *doc, char *err,
		   size_t errlen)
{
	int nr_benches = doc->nr_benches, nr_warnings = doc->nr_warnings;
	struct fb_result res;
	int ret, recorded;

	if (fb_measure_elsewhere(&p->measure)) {
		ret = fb_measure_exec(&p->measure, p->spec, p->threads[k], doc, err, errlen);
		if (ret < 0)
			fr_doc_rollback(doc, nr_benches, nr_warnings);
		return ret < 0 ? -1 : ret == FB_EXIT_FAIL;
	}
	if (p->spec->measure)
		o->measure = &p->measure;
	ret = fb_run(o, &res, err, errlen);
	if (ret) {
		fb_result_free(&res);
		if (ret != FB_SKIP)
			return -1;
		/* Not a failure, but the file must say what it lacks, as the terminal does. */
		fprintf(stderr, "faultbench: %s skipped: %s\n", o->sc->name, err);
		if (fr_doc_warn(doc, "%s threads=%d skipped, and is not in this file: %s",
				o->sc->name, o->threads, err)) {
			snprintf(err, errlen, "out of memory recording its skip");
			return -1;
		}
		return 0;
	}
	ret = res.verify[0] ? 1 : 0;
	recorded = fb_record(doc, &res);
	fb_result_free(&res);
	if (recorded) {
		fr_doc_rollback(doc, nr_benches, nr_warnings);
		snprintf(err, errlen, "out of memory recording its results");
		return -1;
	}
	return ret;
}

/*
 * A configuration failed at run time: one line now, and a warning in the
 * result, which keeps the runs that completed.  0, or -1 when not even the
 * warning can be kept.
 */
static int run_failed(struct fr_doc *doc, const struct plan *p, int k, const char *err,
		      const char *round)
{
	char where[32] = "";

	if (p->spec->line)
		snprintf(where, sizeof(where), "line %d: ", p->spec->line);
	fprintf(stderr, "faultbench: %s%s%s\n", round, where, err);
	return fr_doc_warn(doc, "%s%s%s threads=%d failed, and is not in this file: %s", round,
			   where, p->spec->sc->name, p->threads[k], err);
}

/* Runs everything, past a configuration that fails; returns as RAN_* bits. */
static int run_all(struct plan *plans, int n, hwloc_topology_t topo, const struct fb_events *evs,
		   const struct fb_spec *g, struct fr_doc *doc)
{
	int index = 0, total = total_runs(plans, n), status = 0;
	bool progress = !g->quiet && isatty(STDERR_FILENO);
	uint64_t start = fb_now_ns();

	for (int i = 0; i < n && !fb_interrupted; i++) {
		for (int k = 0; k < plans[i].n && !fb_interrupted; k++, index++) {
			char err[FB_ERRLEN];
			struct fb_run_opts o;
			int ret;

			fb_spec_opts(plans[i].spec, plans[i].threads[k], topo, evs, &o);
			o.progress = progress;
			o.progress_index = index;
			o.progress_total = total;
			o.progress_start = start;
			ret = run_one(&plans[i], k, &o, doc, err, sizeof(err));
			if (ret < 0 && run_failed(doc, &plans[i], k, err, ""))
				return -1;
			status |= ret < 0 ? RAN_FAILED : ret ? RAN_VERIFY_FAILED : 0;
		}
	}
	return status;
}

/* A run of the suite: a spec and one of its thread counts. */
struct slot {
	struct plan *plan;
	int k;
};

/*
 * One round of --interleave: every run into its own document, every other
 * round backwards (so that a drift through the round favours neither end),
 * then gathered in the suite's order and merged into doc tagged with the
 * round.  A round cut short by a signal or a failed run is left out whole,
 * so that each round kept pairs every configuration with every other.
 */
static int run_round(struct slot *slots, int total, hwloc_topology_t topo,
		     const struct fb_events *evs, const struct fb_spec *g, struct fr_doc *doc,
		     int round, struct fr_doc *one, uint64_t start)
{
	struct fr_doc merged;
	char err[FB_ERRLEN], left_out[96];
	int status = 0, ret = 0;

	for (int at = 0; at < total && !fb_interrupted && ret >= 0; at++) {
		int s = round % 2 ? total - 1 - at : at;
		struct fb_run_opts o;

		fb_spec_opts(slots[s].plan->spec, slots[s].plan->threads[slots[s].k], topo, evs,
			     &o);
		o.progress = !g->quiet && isatty(STDERR_FILENO);
		o.progress_index = round * total + at;
		o.progress_total = (int)g->interleave * total;
		o.progress_start = start;
		ret = run_one(slots[s].plan, slots[s].k, &o, &one[s], err, sizeof(err));
		status |= ret > 0 ? RAN_VERIFY_FAILED : 0;
		if (ret < 0) {
			snprintf(left_out, sizeof(left_out),
				 "round %d of %lu, left out with the rounds after it: ", round + 1,
				 g->interleave);
			status = run_failed(doc, slots[s].plan, slots[s].k, err, left_out)
					 ? -1
					 : status | RAN_FAILED;
		}
	}
	fr_doc_init(&merged);
	merged.ctx = doc->ctx;
	for (int s = 0; s < total && ret >= 0 && !fb_interrupted; s++)
		if (fr_doc_take(&merged, &one[s]))
			ret = status = -1;
	if (ret >= 0 && !fb_interrupted && fr_doc_merge(doc, &merged, round, err, sizeof(err))) {
		fprintf(stderr, "faultbench: %s\n", err);
		status = -1;
	}
	if (fb_interrupted &&
	    fr_doc_warn(doc, "interrupted in round %d of %lu: that round is left out", round + 1,
			g->interleave))
		status = -1;
	fr_doc_free(&merged);
	for (int s = 0; s < total; s++) {
		fr_doc_free(&one[s]);
		fr_doc_init(&one[s]);
	}
	return status;
}

/* --interleave N: the whole suite N times, until a run fails; returns as run_all. */
static int run_rounds(struct plan *plans, int n, hwloc_topology_t topo, const struct fb_events *evs,
		      const struct fb_spec *g, struct fr_doc *doc)
{
	int total = total_runs(plans, n), status = 0, at = 0;
	uint64_t start = fb_now_ns();
	struct slot *slots = calloc((size_t)total, sizeof(*slots));
	struct fr_doc *one = calloc((size_t)total, sizeof(*one));

	if (!slots || !one) {
		fprintf(stderr, "faultbench: out of memory\n");
		status = -1;
	}
	for (int i = 0; status >= 0 && i < n; i++)
		for (int k = 0; k < plans[i].n; k++, at++) {
			slots[at] = (struct slot){ &plans[i], k };
			fr_doc_init(&one[at]);
		}
	/* A failed run would fail again in every round after it. */
	for (int r = 0; status >= 0 && r < (int)g->interleave && !fb_interrupted; r++) {
		int ret = run_round(slots, total, topo, evs, g, doc, r, one, start);

		status = ret < 0 ? -1 : status | ret;
		if (status > 0 && status & RAN_FAILED)
			break;
	}
	free(slots);
	free(one);
	return status;
}

/*
 * Writes the result to path, or, when another run took that name meanwhile,
 * to the next free one (path is updated), so that concurrent runs all keep
 * theirs; then the CSV beside it.  A CSV that cannot be written fails the
 * run, with the result file kept.
 */
static int emit(struct fr_doc *doc, const struct fb_spec *g, char *path, size_t len)
{
	char err[FB_ERRLEN], csv[FB_PATH_MAX], first[FB_PATH_MAX];
	int ret, i = 0;

	snprintf(first, sizeof(first), "%s", path);
	while ((ret = fr_doc_write(doc, path, err, sizeof(err))) && errno == EEXIST && ++i < 1000)
		fb_next_name(first, i, path, len);
	if (ret) {
		fprintf(stderr, "faultbench: %s\n", err);
		return -1;
	}
	if (!strcmp(g->format, "csv")) {
		fb_csv_path(path, csv, sizeof(csv));
		if (fr_doc_write_csv(doc, csv, err, sizeof(err))) {
			fprintf(stderr, "faultbench: %s (the results are in '%s')\n", err, path);
			return -1;
		}
	}
	if (g->quiet) {
		printf("%s\n", path);
		return 0;
	}
	if (!strcmp(g->format, "json"))
		fr_doc_print_json(doc, stdout);
	else if (!strcmp(g->format, "csv"))
		fr_doc_print_csv(doc, stdout);
	else {
		fr_doc_print_table(doc, stdout, fb_term_width(STDOUT_FILENO));
		fp_print_calibration(doc, stdout);
		fr_doc_print_targets(doc, stdout);
	}
	fprintf(stderr, "results: %s\n", path);
	return 0;
}

/* The events and every spec, into plans; 0 or the exit status of bad input. */
static int check_all(struct plan *plans, struct fb_spec *specs, int n, hwloc_topology_t topo,
		     struct fb_events *evs, const struct fb_spec *g)
{
	char err[FB_ERRLEN];

	if (fb_events_prepare(evs, g->events, err, sizeof(err)))
		return fb_usage_error("%s", err);
	for (int i = 0; i < n; i++) {
		plans[i].spec = &specs[i];
		if (check_spec(&plans[i], topo, evs, err, sizeof(err)))
			return fb_usage_error("%s", err);
	}
	return 0;
}

static int prepare(struct plan *plans, struct fb_spec *specs, int n, hwloc_topology_t topo,
		   struct fb_events *evs, const struct fb_spec *g, char *path, size_t len,
		   const char *label)
{
	char err[FB_ERRLEN];
	int ret = check_all(plans, specs, n, topo, evs, g);

	if (ret)
		return ret;
	if (fb_out_path(g->out, label, !strcmp(g->format, "csv"), path, len, err, sizeof(err)))
		return fb_usage_error("%s", err);
	return 0;
}

static int load(struct plan **plans, int n, hwloc_topology_t *topo)
{
	*plans = calloc((size_t)n, sizeof(**plans));
	if (!*plans || fb_topo_load(topo)) {
		free(*plans);
		fprintf(stderr, "faultbench: cannot read the topology (hwloc)\n");
		return FB_EXIT_FAIL;
	}
	return 0;
}

static void unload(struct plan *plans, int n, hwloc_topology_t topo, struct fb_events *evs)
{
	for (int i = 0; i < n; i++)
		fb_measure_free(&plans[i].measure);
	fb_events_free(evs);
	hwloc_topology_destroy(topo);
	free(plans);
}

int fb_execute_check(struct fb_spec *specs, int n, const struct fb_spec *g)
{
	struct fb_events evs = { 0 };
	hwloc_topology_t topo;
	struct plan *plans;
	int ret = load(&plans, n, &topo);

	if (ret)
		return ret;
	ret = check_all(plans, specs, n, topo, &evs, g);
	unload(plans, n, topo, &evs);
	return ret;
}

int fb_execute(struct fb_spec *specs, int n, const struct fb_spec *g, const char *label)
{
	struct fb_events evs = { 0 };
	hwloc_topology_t topo;
	struct plan *plans;
	struct fr_doc doc;
	char path[FB_PATH_MAX];
	bool interrupted;
	int ret = load(&plans, n, &topo);

	if (ret)
		return ret;
	fb_install_signals();
	ret = prepare(plans, specs, n, topo, &evs, g, path, sizeof(path), label);
	if (!ret) {
		fr_doc_init(&doc);
		fb_record_context(&doc, topo, &evs, fb_pin_name(specs[0].pin), specs[0].seed,
				  fb_harness_overhead_ns(topo));
		ret = g->interleave ? run_rounds(plans, n, topo, &evs, g, &doc)
				    : run_all(plans, n, topo, &evs, g, &doc);
		fb_record_calibration(&doc);
		if (ret >= 0 && fr_doc_judge(&doc, g->targets, g->nr_targets)) {
			fprintf(stderr, "faultbench: out of memory judging the targets\n");
			ret = -1;
		}
		/* read once: a signal while the file is written must not make them disagree */
		interrupted = fb_interrupted;
		if (ret >= 0) {
			doc.interrupted = interrupted;
			if (interrupted && fr_doc_warn(&doc, "interrupted by a signal: the file "
							     "holds the runs that completed"))
				ret = -1;
			/* Only failed runs: nothing to keep.  A signal's file is always written. */
			if (ret >= 0 && (interrupted || doc.nr_benches || !(ret & RAN_FAILED)) &&
			    emit(&doc, g, path, sizeof(path)))
				ret = -1;
		}
		fr_doc_free(&doc);
		ret = ret < 0	    ? FB_EXIT_FAIL
		      : interrupted ? FB_EXIT_INTERRUPTED
		      : ret	    ? FB_EXIT_FAIL
				    : FB_EXIT_OK;
	}
	unload(plans, n, topo, &evs);
	return ret;
}
