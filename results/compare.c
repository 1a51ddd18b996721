// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compare: each matched pair's time and headline counters set side by side
 * with Mann-Whitney's U and the Hodges-Lehmann interval (or, when both sides
 * ran in interleaved rounds, round by round with Wilcoxon's signed ranks and
 * the paired interval), a verdict by the
 * rule of struct fr_compare_opts, the geometric mean of the time ratios, and
 * the warnings a reader needs before trusting any of it.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "internal.h"

int fr_comparison_warn(struct fr_comparison *c, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fr_lines_vadd(&c->warning, &c->nr_warnings, fmt, ap);
	va_end(ap);
	return ret;
}

void fr_comparison_free(struct fr_comparison *c)
{
	for (int i = 0; i < c->nr_warnings; i++)
		free(c->warning[i]);
	free(c->warning);
	free(c->bench);
	free(c->only_base);
	free(c->only_contender);
	memset(c, 0, sizeof(*c));
}

/* --- one metric ---------------------------------------------------------------- */

/* The fewest samples a side (rounds, when paired) that can reach p < alpha. */
static int fewest_to_decide(double alpha, bool paired)
{
	int k = 1;

	while (k < FR_STATS_EXACT_MAX &&
	       (paired ? fr_signed_rank_min_p((size_t)k)
		       : fr_mann_whitney_min_p((size_t)k, (size_t)k)) >= alpha)
		k++;
	return k;
}

static enum fr_verdict decide(const struct fr_metric_cmp *m, const struct fr_compare_opts *o,
			      double lo, double hi, double band, enum fr_verdict down,
			      enum fr_verdict up)
{
	if ((m->flags & FR_CMP_TOO_FEW) || !(m->test.p < o->alpha))
		return FR_NO_CHANGE;
	if (hi < -band)
		return down;
	if (lo > band)
		return up;
	return FR_NO_CHANGE;
}

/* A value of one repetition: its time, a counter per iteration, its instructions. */
typedef double (*rep_value)(const struct fr_rep *r, int counter);

static double rep_time(const struct fr_rep *r, int counter)
{
	(void)counter;
	return r->real_ns;
}

static double rep_instructions(const struct fr_rep *r, int counter)
{
	(void)counter;
	return fr_rep_instructions(r);
}

/* The finite values of b's repetitions, of round r only when r >= 0; returns how many. */
static int samples(const struct fr_bench *b, rep_value get, int counter, int r, double *v)
{
	int n = 0;

	for (int i = 0; i < b->nr_reps; i++)
		if ((r < 0 || b->rep[i].round == r) && isfinite(get(&b->rep[i], counter)))
			v[n++] = get(&b->rep[i], counter);
	return n;
}

/* Whether every repetition of b ran in a round of an interleaved run. */
static bool in_rounds(const struct fr_bench *b)
{
	for (int i = 0; i < b->nr_reps; i++)
		if (b->rep[i].round < 0)
			return false;
	return b->nr_reps > 0;
}

/*
 * One pair per round that both sides ran: each side's fastest repetition in
 * that round for a time (what interferes with a run only ever adds to it, so
 * the fastest is the least disturbed), its median for a counter.  tmp holds
 * as many values as either side has repetitions; returns how many pairs.
 */
static int round_pairs(const struct fr_bench *a, int ca, const struct fr_bench *b, int cb,
		       rep_value get, double *x, double *y, double *tmp)
{
	bool fastest = get == rep_time;
	int last = -1, n = 0;
	struct fr_summary sa, sb;

	for (int i = 0; i < a->nr_reps; i++)
		last = a->rep[i].round > last ? a->rep[i].round : last;
	for (int r = 0; r <= last; r++) {
		fr_summarize(tmp, samples(a, get, ca, r, tmp), &sa);
		fr_summarize(tmp, samples(b, get, cb, r, tmp), &sb);
		if (sa.n && sb.n) {
			x[n] = fastest ? sa.min : sa.median;
			y[n++] = fastest ? sb.min : sb.median;
		}
	}
	return n;
}

/* An estimate of contender - base with its interval; none at all is too few to decide. */
static void take_shift(struct fr_metric_cmp *m, const struct fr_interval *r)
{
	m->shift = r->estimate;
	m->shift_lo = r->lo;
	m->shift_hi = r->hi;
	if (!r->level)
		m->flags |= FR_CMP_TOO_FEW;
}

/* A ratio contender / base as the change, contender / base - 1. */
static void take_ratio(struct fr_metric_cmp *m, const struct fr_interval *r)
{
	m->change = r->estimate - 1;
	m->change_lo = r->lo - 1;
	m->change_hi = r->hi - 1;
}

/* The repetitions as two samples: Mann-Whitney's U and Hodges-Lehmann's interval. */
static void test_unpaired(struct fr_metric_cmp *m, const double *x, int nx, const double *y, int ny,
			  const struct fr_compare_opts *o)
{
	struct fr_interval r;

	if (fr_mann_whitney_min_p((size_t)nx, (size_t)ny) >= o->alpha)
		m->flags |= FR_CMP_TOO_FEW;
	if (!nx || !ny || fr_mann_whitney(x, (size_t)nx, y, (size_t)ny, &m->test) ||
	    fr_hodges_lehmann(x, (size_t)nx, y, (size_t)ny, &r))
		return;
	take_shift(m, &r);
	if (m->kind == FR_METRIC_TIME && !fr_hodges_lehmann_ratio(x, (size_t)nx, y, (size_t)ny, &r))
		take_ratio(m, &r);
}

/*
 * The rounds as pairs: Wilcoxon's signed ranks over each round's difference
 * (of logs, for a time: drift scales a time), and the paired Hodges-Lehmann
 * interval.  d holds n values.
 */
static void test_paired(struct fr_metric_cmp *m, const double *x, const double *y, int n, double *d,
			const struct fr_compare_opts *o)
{
	struct fr_signed_rank t;
	struct fr_interval r;
	bool time = m->kind == FR_METRIC_TIME;

	m->rounds = n;
	if (fr_signed_rank_min_p((size_t)n) >= o->alpha)
		m->flags |= FR_CMP_TOO_FEW;
	for (int i = 0; i < n; i++)
		d[i] = time ? log(y[i] / x[i]) : y[i] - x[i];
	if (!n || fr_signed_rank(d, (size_t)n, &t))
		return;
	m->test = (struct fr_mann_whitney){ t.t_plus, t.p, t.exact };
	for (int i = 0; i < n; i++)
		d[i] = y[i] - x[i];
	if (fr_hodges_lehmann_paired(d, (size_t)n, &r))
		return;
	take_shift(m, &r);
	if (time && !fr_hodges_lehmann_paired_ratio(x, y, (size_t)n, &r))
		take_ratio(m, &r);
}

/*
 * One metric of a matched pair: summaries over every repetition, then the
 * rounds paired when both sides ran interleaved (compare-branches, suite
 * --rounds), else the repetitions as two samples; then the verdict.  x, y
 * and tmp hold as many values as either side has repetitions.
 */
static void compare_metric(struct fr_metric_cmp *m, const struct fr_bench_cmp *bc, int ca, int cb,
			   rep_value get, const struct fr_compare_opts *o, double *x, double *y,
			   double *tmp)
{
	int nx = samples(bc->base, get, ca, -1, x), ny = samples(bc->contender, get, cb, -1, y);

	m->change = m->change_lo = m->change_hi = NAN;
	m->shift = m->shift_lo = m->shift_hi = NAN;
	m->test = (struct fr_mann_whitney){ NAN, NAN, false };
	m->verdict = FR_NO_CHANGE;
	m->rounds = 0;
	fr_summarize(x, nx, &m->base);
	fr_summarize(y, ny, &m->contender);
	m->flags = (m->base.cv > FR_UNSTABLE_CV ? FR_CMP_UNSTABLE_BASE : 0) |
		   (m->contender.cv > FR_UNSTABLE_CV ? FR_CMP_UNSTABLE_CONTENDER : 0);
	if (in_rounds(bc->base) && in_rounds(bc->contender))
		test_paired(m, x, y, round_pairs(bc->base, ca, bc->contender, cb, get, x, y, tmp),
			    tmp, o);
	else
		test_unpaired(m, x, nx, y, ny, o);
	if (m->kind == FR_METRIC_TIME)
		m->verdict = decide(m, o, m->change_lo, m->change_hi, o->threshold, FR_FASTER,
				    FR_SLOWER);
	else if (isfinite(m->shift))
		m->verdict = decide(m, o, m->shift_lo, m->shift_hi, o->threshold * m->base.median,
				    FR_LOWER, FR_HIGHER);
	if (m->kind == FR_METRIC_COUNTER && m->base.median > 0) {
		m->change = m->shift / m->base.median;
		m->change_lo = m->shift_lo / m->base.median;
		m->change_hi = m->shift_hi / m->base.median;
	}
}

/*
 * Counted instructions do not vary from run to run: equal medians are no
 * change, and any difference is the change, with no test and no interval.
 */
static void compare_exact(struct fr_metric_cmp *m, const double *x, int nx, const double *y, int ny)
{
	fr_summarize(x, nx, &m->base);
	fr_summarize(y, ny, &m->contender);
	m->test = (struct fr_mann_whitney){ NAN, NAN, false };
	m->flags = 0;
	m->rounds = 0;
	m->shift = m->shift_lo = m->shift_hi = m->contender.median - m->base.median;
	m->change = m->change_lo = m->change_hi =
		m->base.median > 0 ? m->shift / m->base.median : NAN;
	m->verdict = !nx || !ny || m->shift == 0 ? FR_NO_CHANGE : FR_EXACT;
}

/* Both sides counted by the same method, compared exactly; else a warning why not. */
static int compare_instructions(struct fr_comparison *c, struct fr_bench_cmp *bc, double *x,
				double *y)
{
	const struct fr_measure *a = &bc->base->measure, *b = &bc->contender->measure;
	struct fr_metric_cmp *m = &bc->metric[bc->nr_metrics];

	if (!a->present && !b->present)
		return 0;
	if (a->present != b->present)
		return fr_comparison_warn(c, "%s: only the %s counted instructions", bc->label,
					  a->present ? "base" : "contender");
	if (strcmp(a->metric, b->metric) || strcmp(a->method, b->method))
		return fr_comparison_warn(c, "%s: %s by %s against %s by %s: not compared",
					  bc->label, a->metric, a->method, b->metric, b->method);
	snprintf(m->name, sizeof(m->name), "%s", a->metric);
	m->kind = FR_METRIC_EXACT;
	compare_exact(m, x, samples(bc->base, rep_instructions, 0, -1, x), y,
		      samples(bc->contender, rep_instructions, 0, -1, y));
	bc->nr_metrics++;
	return 0;
}

/* The headline counters both sides have, as the base (else the contender) declares them. */
static int compare_headline(struct fr_comparison *c, struct fr_bench_cmp *bc, double *x, double *y,
			    double *tmp)
{
	const struct fr_bench *a = bc->base, *b = bc->contender;
	const struct fr_headline *h = a->headline.present ? &a->headline : &b->headline;

	for (int i = 0; i < h->nr_counters; i++) {
		int ca = fr_bench_counter(a, h->counter[i]),
		    cb = fr_bench_counter(b, h->counter[i]);
		struct fr_metric_cmp *m = &bc->metric[bc->nr_metrics];

		if (ca < 0 || cb < 0) {
			if (fr_comparison_warn(
				    c, "%s: headline counter '%s' is missing from the %s",
				    bc->label, h->counter[i], ca < 0 ? "base" : "contender"))
				return -1;
			continue;
		}
		snprintf(m->name, sizeof(m->name), "%s", h->counter[i]);
		m->kind = FR_METRIC_COUNTER;
		compare_metric(m, bc, ca, cb, fr_rep_per_iteration, &c->opts, x, y, tmp);
		bc->nr_metrics++;
	}
	return 0;
}

static int warn_bench(struct fr_comparison *c, const struct fr_bench_cmp *bc)
{
	const struct fr_metric_cmp *t = &bc->metric[0];
	int err = 0;

	if ((t->flags & FR_CMP_TOO_FEW) && t->rounds)
		err |= fr_comparison_warn(c, "%s: too few rounds to decide (%d; p < %g takes %d)",
					  bc->label, t->rounds, c->opts.alpha,
					  fewest_to_decide(c->opts.alpha, true));
	else if (t->flags & FR_CMP_TOO_FEW)
		err |= fr_comparison_warn(c,
					  "%s: too few repetitions to decide (%d and %d; p < %g "
					  "takes %d a side)",
					  bc->label, t->base.n, t->contender.n, c->opts.alpha,
					  fewest_to_decide(c->opts.alpha, false));
	if (t->flags & FR_CMP_UNSTABLE_BASE)
		err |= fr_comparison_warn(c, "%s: unstable base, cv %.1f%% > %.0f%%", bc->label,
					  t->base.cv * 100, FR_UNSTABLE_CV * 100);
	if (t->flags & FR_CMP_UNSTABLE_CONTENDER)
		err |= fr_comparison_warn(c, "%s: unstable contender, cv %.1f%% > %.0f%%",
					  bc->label, t->contender.cv * 100, FR_UNSTABLE_CV * 100);
	if (bc->base->verify_failed)
		err |= fr_comparison_warn(c, "%s: verify failed in the base: %s", bc->label,
					  bc->base->verify_error);
	if (bc->contender->verify_failed)
		err |= fr_comparison_warn(c, "%s: verify failed in the contender: %s", bc->label,
					  bc->contender->verify_error);
	return err;
}

static int compare_bench(struct fr_comparison *c, struct fr_bench_cmp *bc)
{
	int n = bc->base->nr_reps > bc->contender->nr_reps ? bc->base->nr_reps
							   : bc->contender->nr_reps;
	double *x = malloc(sizeof(double) * (size_t)(n + 1));
	double *y = malloc(sizeof(double) * (size_t)(n + 1));
	double *tmp = malloc(sizeof(double) * (size_t)(n + 1));
	int err = -1;

	if (x && y && tmp) {
		struct fr_metric_cmp *t = &bc->metric[0];

		snprintf(t->name, sizeof(t->name), "real_time");
		t->kind = FR_METRIC_TIME;
		compare_metric(t, bc, 0, 0, rep_time, &c->opts, x, y, tmp);
		bc->nr_metrics = 1;
		err = compare_instructions(c, bc, x, y) || compare_headline(c, bc, x, y, tmp);
	}
	/* A model that failed its own check is never faster, nor anything else. */
	for (int i = 0; i < bc->nr_metrics; i++)
		if (bc->base->verify_failed || bc->contender->verify_failed)
			bc->metric[i].verdict = FR_VERIFY_FAILED;
	free(x);
	free(y);
	free(tmp);
	return err ? err : warn_bench(c, bc);
}

/* --- the geometric mean -------------------------------------------------------- */

static bool in_geomean(const struct fr_bench_cmp *bc)
{
	return !bc->base->verify_failed && !bc->contender->verify_failed &&
	       isfinite(bc->metric[0].change);
}

/* Over the valid time ratios; undecided when any of them is. */
static int compare_geomean(struct fr_comparison *c)
{
	struct fr_sample_pair *pairs = calloc((size_t)c->nr_benches + 1, sizeof(*pairs));
	struct fr_metric_cmp *g = &c->geomean;
	struct fr_interval r;
	double *buf = NULL;
	size_t total = 0, at = 0;
	int n = 0, err = -1;

	for (int i = 0; i < c->nr_benches; i++)
		total += (size_t)(c->bench[i].base->nr_reps + c->bench[i].contender->nr_reps);
	buf = malloc(sizeof(double) * (total + 1));
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "real_time");
	g->test.p = NAN;
	for (int i = 0; pairs && buf && i < c->nr_benches; i++) {
		const struct fr_bench_cmp *bc = &c->bench[i];

		if (!in_geomean(bc))
			continue;
		pairs[n].x = buf + at;
		pairs[n].nx = (size_t)samples(bc->base, rep_time, 0, -1, buf + at);
		at += pairs[n].nx;
		pairs[n].y = buf + at;
		pairs[n].ny = (size_t)samples(bc->contender, rep_time, 0, -1, buf + at);
		at += pairs[n].ny;
		g->flags |= bc->metric[0].flags & FR_CMP_TOO_FEW;
		n++;
	}
	if (pairs && buf)
		err = n ? fr_bootstrap_geomean_ratio(pairs, (size_t)n, FR_COMPARE_RESAMPLES,
						     FR_COMPARE_SEED, &r)
			: 0;
	if (!err && n) {
		c->has_geomean = true;
		c->geomean_benches = n;
		g->change = r.estimate - 1;
		g->change_lo = r.lo - 1;
		g->change_hi = r.hi - 1;
		g->shift = g->shift_lo = g->shift_hi = NAN;
		g->base.median = g->contender.median = g->base.cv = g->contender.cv = NAN;
		if (!(g->flags & FR_CMP_TOO_FEW))
			g->verdict = g->change_hi < -c->opts.threshold	? FR_FASTER
				     : g->change_lo > c->opts.threshold ? FR_SLOWER
									: FR_NO_CHANGE;
	}
	free(pairs);
	free(buf);
	return err;
}

/* --- provenance ---------------------------------------------------------------- */

struct ctx_field {
	const char *name;
	size_t off;
};

#define FIELD(f)                                   \
	{                                          \
#f, offsetof(struct fr_context, f) \
	}
static const struct ctx_field machine_fields[] = {
	FIELD(host_name), FIELD(cpu_model), FIELD(topology), FIELD(kernel), FIELD(virtualization),
	FIELD(governor),  FIELD(boost),	    FIELD(smt),	     FIELD(aslr),   { NULL, 0 },
};
static const struct ctx_field build_fields[] = {
	FIELD(version),	 FIELD(compiler),	    FIELD(cflags), FIELD(build_type),
	FIELD(sanitize), FIELD(library_build_type), { NULL, 0 },
};
#undef FIELD

/* "different machines: cpu_model 'A' vs 'B', kernel ..." when any field differs. */
static int warn_differences(struct fr_comparison *c, const char *what, const struct ctx_field *f)
{
	char line[2048];
	size_t at = 0;

	for (; f->name; f++) {
		const char *a = (const char *)&c->base_doc->ctx + f->off;
		const char *b = (const char *)&c->contender_doc->ctx + f->off;

		if (strcmp(a, b) && at < sizeof(line))
			at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%s '%s' vs '%s'",
					       at ? ", " : "", f->name, a, b);
	}
	return at ? fr_comparison_warn(c, "different %s: %s", what, line) : 0;
}

static int warn_provenance(struct fr_comparison *c)
{
	const struct fr_doc *side[2] = { c->base_doc, c->contender_doc };
	static const char *const names[2] = { "base", "contender" };
	int err = 0;

	if (c->base_doc != c->contender_doc)
		err |= warn_differences(c, "machines", machine_fields) |
		       warn_differences(c, "builds", build_fields);
	for (int i = 0; i < 2 && (i == 0 || side[1] != side[0]); i++) {
		if (side[i]->ctx.git_dirty)
			err |= fr_comparison_warn(c, "the %s was built from a dirty tree (%.12s)",
						  names[i], side[i]->ctx.git_commit);
		if (side[i]->interrupted)
			err |= fr_comparison_warn(c, "the %s run was interrupted", names[i]);
	}
	return err;
}

int fr_compare(const struct fr_doc *base, const struct fr_doc *contender,
	       const struct fr_selection *sel, const struct fr_compare_opts *opts,
	       struct fr_comparison *out, char *err, size_t errlen)
{
	int ret;

	memset(out, 0, sizeof(*out));
	out->base_doc = base;
	out->contender_doc = contender;
	out->sel = *sel;
	out->opts = *opts;
	ret = fr_compare_match(out, err, errlen);
	if (!ret)
		ret = warn_provenance(out) ? -2 : 0;
	for (int i = 0; !ret && i < out->nr_benches; i++)
		ret = compare_bench(out, &out->bench[i]) ? -2 : 0;
	if (!ret)
		ret = compare_geomean(out) ? -2 : 0;
	if (ret == -2)
		snprintf(err, errlen, "out of memory comparing results");
	if (ret)
		fr_comparison_free(out);
	return ret;
}
