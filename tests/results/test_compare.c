// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compare on documents made by hand: matching, refusals, verdicts under the
 * rule (p < alpha and the interval beyond the threshold), headline counters,
 * a failed verify, the geometric mean and the warnings.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <faultresults/compare.h>

#define ITERATIONS 1000
/* 5 repetitions spread by +-0.4%: enough to decide a change at p < 0.01. */
static const double spread[] = { 1.000, 1.004, 0.996, 1.002, 0.998 };

static const struct fr_compare_opts opts = { FR_COMPARE_ALPHA, FR_COMPARE_THRESHOLD };

/* A benchmark of scenario with "name=value,..." parameters and n repetitions around ns. */
static struct fr_bench *add(struct fr_doc *d, const char *scenario, const char *params, int threads,
			    double ns, int n)
{
	struct fr_bench *b = fr_doc_add_bench(d, n);
	char buf[256], name[256], *save, *kv;
	size_t at;

	at = (size_t)snprintf(name, sizeof(name), "%s", scenario);
	snprintf(b->scenario, sizeof(b->scenario), "%s", scenario);
	snprintf(b->shape, sizeof(b->shape), "duration");
	snprintf(b->unit, sizeof(b->unit), "op");
	snprintf(buf, sizeof(buf), "%s", params);
	for (kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		struct fr_param *p = &b->param[b->nr_params++];

		sscanf(kv, "%63[^=]=%63s", p->name, p->value);
		at += (size_t)snprintf(name + at, sizeof(name) - at, "/%s:%s", p->name, p->value);
	}
	snprintf(b->run_name, sizeof(b->run_name), "%s/threads:%d", name, threads);
	b->threads = threads;
	b->repetitions = n;
	for (int i = 0; i < n; i++) {
		b->rep[i].iterations = ITERATIONS;
		b->rep[i].real_ns = ns * spread[i % 5] * (1 + 0.0001 * (i / 5));
	}
	b->nr_reps = n;
	fr_bench_summarize(b);
	return b;
}

/* A headline counter with per-iteration values v[rep]. */
static void add_counter(struct fr_bench *b, const char *name, const double *v)
{
	int c = b->nr_counters++;

	snprintf(b->counter_name[c], FR_NAME_LEN, "%s", name);
	snprintf(b->headline.counter[b->headline.nr_counters++], FR_NAME_LEN, "%s", name);
	b->headline.present = true;
	for (int i = 0; i < b->nr_reps; i++)
		b->rep[i].counter[c] = (uint64_t)llround(v[i] * ITERATIONS);
	fr_bench_summarize(b);
}

static void assert_close_to(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * fabs(want)))
		fail_msg("got %.17g, want %.17g", got, want);
}

struct docs {
	struct fr_doc base, contender;
	struct fr_comparison cmp;
	char err[512];
};

static int setup(void **state)
{
	static struct docs d;

	memset(&d, 0, sizeof(d));
	fr_doc_init(&d.base);
	fr_doc_init(&d.contender);
	*state = &d;
	return 0;
}

static int teardown(void **state)
{
	struct docs *d = *state;

	fr_comparison_free(&d->cmp);
	fr_doc_free(&d->base);
	fr_doc_free(&d->contender);
	return 0;
}

static int compare_by(struct docs *d, const struct fr_selection *sel,
		      const struct fr_compare_opts *o)
{
	static const struct fr_selection none;

	return fr_compare(&d->base, &d->contender, sel ? sel : &none, o, &d->cmp, d->err,
			  sizeof(d->err));
}

static int compare(struct docs *d, const struct fr_selection *sel)
{
	return compare_by(d, sel, &opts);
}

static bool warned(const struct fr_comparison *c, const char *part)
{
	for (int i = 0; i < c->nr_warnings; i++)
		if (strstr(c->warning[i], part))
			return true;
	return false;
}

static void test_compare_faster_slower_and_no_change(void **state)
{
	struct docs *d = *state;
	char text[160];

	add(&d->base, "s", "lock=split", 1, 100, 5);
	add(&d->base, "s", "lock=split", 2, 100, 5);
	add(&d->base, "s", "lock=split", 4, 100, 5);
	/* in another order: matched by thread count, not by position */
	add(&d->contender, "s", "lock=split", 4, 100.1, 5);
	add(&d->contender, "s", "lock=split", 2, 110, 5);
	add(&d->contender, "s", "lock=split", 1, 90, 5);
	assert_int_equal(compare(d, NULL), 0);
	assert_int_equal(d->cmp.nr_benches, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(d->cmp.bench[i].contender->threads, d->cmp.bench[i].base->threads);
	assert_int_equal(d->cmp.bench[0].metric[0].verdict, FR_FASTER);
	assert_true(fabs(d->cmp.bench[0].metric[0].change + 0.10) < 0.005);
	assert_true(d->cmp.bench[0].metric[0].test.exact);
	assert_true(fabs(d->cmp.bench[0].metric[0].test.p - 2.0 / 252) < 1e-12);
	assert_int_equal(d->cmp.bench[1].metric[0].verdict, FR_SLOWER);
	assert_int_equal(d->cmp.bench[2].metric[0].verdict, FR_NO_CHANGE);
	fr_metric_describe(&d->cmp.bench[0].metric[0], "op", text, sizeof(text));
	assert_non_null(strstr(text, "faster by 10."));
	assert_non_null(strstr(text, "(95% CI)"));
	fr_metric_describe(&d->cmp.bench[1].metric[0], "op", text, sizeof(text));
	assert_non_null(strstr(text, "slower by 10."));
	assert_int_equal(d->cmp.nr_only_base + d->cmp.nr_only_contender, 0);
}

/*
 * The drift of a shared VM: every contender repetition about 0.85% slower, so the
 * samples separate completely (p = 2/252), yet the interval does not clear
 * the 1% threshold.  A plain U test would call it slower.
 */
static void test_compare_drift_below_threshold_is_no_change(void **state)
{
	struct docs *d = *state;

	add(&d->base, "s", "", 1, 100, 5);
	add(&d->contender, "s", "", 1, 100.85, 5);
	add(&d->base, "s", "", 2, 100, 5);
	add(&d->contender, "s", "", 2, 99.15, 5);
	assert_int_equal(compare(d, NULL), 0);
	for (int i = 0; i < 2; i++) {
		assert_true(d->cmp.bench[i].metric[0].test.p < FR_COMPARE_ALPHA);
		assert_int_equal(d->cmp.bench[i].metric[0].verdict, FR_NO_CHANGE);
	}
}

/*
 * Seven a side, alpha 0.001: one contender repetition above 4 of the base's puts
 * p at 2 (1 + 1 + 2 + 3 + 5) / 3432, above alpha, though the interval lies far beyond 1%.
 */
static void test_compare_p_above_alpha_is_no_change(void **state)
{
	const struct fr_compare_opts strict = { 0.001, FR_COMPARE_THRESHOLD };
	struct docs *d = *state;
	struct fr_bench *b;

	add(&d->base, "s", "", 1, 100, 7);
	b = add(&d->contender, "s", "", 1, 80, 7);
	assert_int_equal(compare_by(d, NULL, &strict), 0);
	assert_int_equal(d->cmp.bench[0].metric[0].verdict, FR_FASTER);
	fr_comparison_free(&d->cmp);
	b->rep[6].real_ns = 100.1;
	fr_bench_summarize(b);
	assert_int_equal(compare_by(d, NULL, &strict), 0);
	assert_true(fabs(d->cmp.bench[0].metric[0].test.p - 24.0 / 3432) < 1e-12);
	assert_true(d->cmp.bench[0].metric[0].change_hi < -0.15);
	assert_int_equal(d->cmp.bench[0].metric[0].verdict, FR_NO_CHANGE);
}

static void test_compare_refuses_unnamed_parameter(void **state)
{
	struct docs *d = *state;

	add(&d->base, "s", "recheck=recheck,lock=split", 2, 100, 5);
	add(&d->contender, "s", "recheck=recheck,lock=mm", 2, 100, 5);
	assert_int_equal(compare(d, NULL), -1);
	assert_non_null(strstr(d->err, "parameter 'lock' (split vs mm)"));
	assert_null(strchr(d->err, '\n'));
}

/* One document, two configurations: --pair recheck=recheck:none. */
static void test_compare_pair_within_one_document(void **state)
{
	struct docs *d = *state;
	struct fr_selection sel = { 0 };

	add(&d->base, "s", "recheck=recheck,lock=split", 1, 100, 5);
	add(&d->base, "s", "recheck=none,lock=split", 1, 80, 5);
	add(&d->base, "s", "recheck=recheck,lock=split", 2, 100, 5);
	add(&d->base, "s", "recheck=none,lock=split", 2, 80, 5);
	assert_int_equal(fr_pair_parse("recheck=recheck:none", &sel, d->err, sizeof(d->err)), 0);
	assert_int_equal(
		fr_compare(&d->base, &d->base, &sel, &opts, &d->cmp, d->err, sizeof(d->err)), 0);
	assert_int_equal(d->cmp.nr_benches, 2);
	assert_string_equal(d->cmp.bench[0].label, "s/lock:split/threads:1");
	assert_string_equal(d->cmp.bench[1].contender->run_name,
			    "s/recheck:none/lock:split/threads:2");
	assert_int_equal(d->cmp.bench[1].metric[0].verdict, FR_FASTER);
	assert_int_equal(d->cmp.nr_only_base + d->cmp.nr_only_contender, 0);
}

/* Thread counts only one side ran are listed, not fatal; so is a scenario. */
static void test_compare_lists_missing_benchmarks(void **state)
{
	struct docs *d = *state;

	add(&d->base, "s", "lock=split", 1, 100, 5);
	add(&d->base, "s", "lock=split", 2, 100, 5);
	add(&d->contender, "s", "lock=split", 1, 100, 5);
	add(&d->contender, "t", "", 1, 100, 5);
	assert_int_equal(compare(d, NULL), 0);
	assert_int_equal(d->cmp.nr_benches, 1);
	assert_int_equal(d->cmp.nr_only_base, 1);
	assert_string_equal(d->cmp.only_base[0]->run_name, "s/lock:split/threads:2");
	assert_int_equal(d->cmp.nr_only_contender, 1);
	assert_string_equal(d->cmp.only_contender[0]->run_name, "t/threads:1");
}

static void test_compare_verify_failed_is_never_faster(void **state)
{
	struct docs *d = *state;
	struct fr_bench *b;

	add(&d->base, "s", "", 1, 100, 5);
	b = add(&d->contender, "s", "", 1, 50, 5);
	b->verify_failed = true;
	snprintf(b->verify_error, sizeof(b->verify_error), "2 stores for 1 round");
	add(&d->base, "s", "", 2, 100, 5);
	add(&d->contender, "s", "", 2, 100, 5);
	assert_int_equal(compare(d, NULL), 0);
	assert_int_equal(d->cmp.bench[0].metric[0].verdict, FR_VERIFY_FAILED);
	assert_true(d->cmp.bench[0].metric[0].change < -0.4); /* still shown */
	assert_true(warned(&d->cmp, "verify failed in the contender: 2 stores for 1 round"));
	/* and left out of the geometric mean, which would otherwise say faster */
	assert_int_equal(d->cmp.geomean_benches, 1);
	assert_int_equal(d->cmp.geomean.verdict, FR_NO_CHANGE);
}

static void test_compare_too_few_repetitions(void **state)
{
	struct docs *d = *state;

	add(&d->base, "s", "", 1, 100, 3);
	add(&d->contender, "s", "", 1, 50, 3);
	assert_int_equal(compare(d, NULL), 0);
	assert_true(d->cmp.bench[0].metric[0].flags & FR_CMP_TOO_FEW);
	assert_int_equal(d->cmp.bench[0].metric[0].verdict, FR_NO_CHANGE);
	assert_true(warned(&d->cmp, "too few repetitions to decide (3 and 3; p < 0.01 takes 5"));
	assert_true(d->cmp.geomean.flags & FR_CMP_TOO_FEW);
	assert_int_equal(d->cmp.geomean.verdict, FR_NO_CHANGE);
}

/* A lax alpha lets 3 a side reach p = 0.1, but they still have no 95% interval. */
static void test_compare_no_interval_is_too_few(void **state)
{
	const struct fr_compare_opts lax = { 0.2, FR_COMPARE_THRESHOLD };
	struct docs *d = *state;

	add(&d->base, "s", "", 1, 100, 3);
	add(&d->contender, "s", "", 1, 50, 3);
	assert_int_equal(compare_by(d, NULL, &lax), 0);
	assert_true(d->cmp.bench[0].metric[0].test.p < 0.2);
	assert_true(d->cmp.bench[0].metric[0].flags & FR_CMP_TOO_FEW);
	assert_int_equal(d->cmp.bench[0].metric[0].verdict, FR_NO_CHANGE);
}

static void test_compare_unstable_side(void **state)
{
	struct docs *d = *state;
	struct fr_bench *b;

	add(&d->base, "s", "", 1, 100, 5);
	b = add(&d->contender, "s", "", 1, 100, 5);
	b->rep[0].real_ns = 150;
	fr_bench_summarize(b);
	assert_int_equal(compare(d, NULL), 0);
	assert_true(d->cmp.bench[0].metric[0].flags & FR_CMP_UNSTABLE_CONTENDER);
	assert_false(d->cmp.bench[0].metric[0].flags & FR_CMP_UNSTABLE_BASE);
	assert_true(warned(&d->cmp, "s/threads:1: unstable contender, cv"));
}

static void test_compare_headline_counters(void **state)
{
	static const double one[] = { 1, 1, 1, 1, 1 }, two[] = { 2, 2, 2, 2, 2 };
	static const double zero[] = { 0, 0, 0, 0, 0 }, some[] = { 0.3, 0.31, 0.29, 0.3, 0.32 };
	static const double many[] = { 100, 100, 100, 100, 100 };
	static const double more[] = { 100.5, 100.5, 100.5, 100.5, 100.5 };
	struct docs *d = *state;
	struct fr_bench *a = add(&d->base, "s", "", 2, 100, 5);
	struct fr_bench *b = add(&d->contender, "s", "", 2, 100, 5);
	char text[160];

	add_counter(a, "set_pte", one);
	add_counter(b, "set_pte", two);
	add_counter(a, "recheck_lost", zero);
	add_counter(b, "recheck_lost", some);
	add_counter(a, "ptl_contended", one);
	add_counter(b, "ptl_contended", one);
	add_counter(a, "faults.minor", many);
	add_counter(b, "faults.minor", more);
	assert_int_equal(compare(d, NULL), 0);
	assert_int_equal(d->cmp.bench[0].nr_metrics, 5);
	assert_string_equal(d->cmp.bench[0].metric[1].name, "set_pte");
	assert_int_equal(d->cmp.bench[0].metric[1].verdict, FR_HIGHER);
	assert_true(fabs(d->cmp.bench[0].metric[1].change - 1) < 1e-12);
	/* from nothing: no percentage, the change per iteration */
	assert_int_equal(d->cmp.bench[0].metric[2].verdict, FR_HIGHER);
	assert_true(isnan(d->cmp.bench[0].metric[2].change));
	fr_metric_describe(&d->cmp.bench[0].metric[2], "round", text, sizeof(text));
	assert_non_null(strstr(text, "higher by 0.3 ± "));
	assert_non_null(strstr(text, " per round (95% CI)"));
	assert_int_equal(d->cmp.bench[0].metric[3].verdict, FR_NO_CHANGE);
	assert_true(d->cmp.bench[0].metric[3].test.p == 1);
	/* 0.5% more, every time: p < alpha, but within the threshold */
	assert_true(d->cmp.bench[0].metric[4].test.p < FR_COMPARE_ALPHA);
	assert_int_equal(d->cmp.bench[0].metric[4].verdict, FR_NO_CHANGE);
}

static void test_compare_geomean(void **state)
{
	struct docs *d = *state;

	add(&d->base, "s", "", 1, 100, 5);
	add(&d->contender, "s", "", 1, 90, 5);
	add(&d->base, "s", "", 2, 200, 5);
	add(&d->contender, "s", "", 2, 180, 5);
	assert_int_equal(compare(d, NULL), 0);
	assert_true(d->cmp.has_geomean);
	assert_int_equal(d->cmp.geomean_benches, 2);
	assert_true(fabs(d->cmp.geomean.change + 0.10) < 0.005);
	assert_true(d->cmp.geomean.change_lo < d->cmp.geomean.change);
	assert_true(d->cmp.geomean.change_hi > d->cmp.geomean.change);
	assert_int_equal(d->cmp.geomean.verdict, FR_FASTER);
}

static void test_compare_warns_of_machine_build_and_parameters(void **state)
{
	struct docs *d = *state;

	snprintf(d->base.ctx.cpu_model, sizeof(d->base.ctx.cpu_model), "CPU A");
	snprintf(d->contender.ctx.cpu_model, sizeof(d->contender.ctx.cpu_model), "CPU B");
	snprintf(d->contender.ctx.cflags, sizeof(d->contender.ctx.cflags), "-O0");
	d->contender.ctx.git_dirty = true;
	add(&d->base, "s", "lock=split", 1, 100, 5);
	add(&d->contender, "s", "lock=split,tlb=none", 1, 100, 5);
	assert_int_equal(compare(d, NULL), 0);
	assert_int_equal(d->cmp.nr_benches, 1);
	assert_true(warned(&d->cmp, "different machines: cpu_model 'CPU A' vs 'CPU B'"));
	assert_true(warned(&d->cmp, "different builds: cflags '' vs '-O0'"));
	assert_true(warned(&d->cmp, "the contender was built from a dirty tree"));
	assert_true(warned(&d->cmp, "parameter 'tlb' is only in the contender (tlb=none)"));
	assert_false(warned(&d->cmp, "the base was built"));
}

static void test_compare_filter_that_keeps_nothing(void **state)
{
	struct docs *d = *state;
	struct fr_selection sel = { 0 };

	add(&d->base, "s", "lock=split", 1, 100, 5);
	add(&d->contender, "s", "lock=split", 1, 100, 5);
	assert_int_equal(fr_filter_parse("lock=mm,threads=1", sel.base, &sel.nr_base, d->err,
					 sizeof(d->err)),
			 0);
	assert_int_equal(compare(d, &sel), -1);
	assert_string_equal(d->err, "the base has no benchmark with lock=mm, threads=1");
}

static void test_filter_and_pair_syntax(void **state)
{
	struct fr_selection sel = { 0 };
	char err[256];

	assert_int_equal(fr_filter_parse("a=1,b=2", sel.base, &sel.nr_base, err, sizeof(err)), 0);
	assert_int_equal(sel.nr_base, 2);
	assert_string_equal(sel.base[1].value, "2");
	assert_int_equal(fr_filter_parse("a=3", sel.base, &sel.nr_base, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'a' is filtered on twice"));
	for (const char *const *s = (const char *const[]){ "", "a", "=1", "a=", "c=1,", NULL }; *s;
	     s++)
		assert_int_equal(
			fr_filter_parse(*s, sel.contender, &sel.nr_contender, err, sizeof(err)),
			-1);
	assert_int_equal(sel.nr_contender, 0);
	for (const char *const *s =
		     (const char *const[]){ "x", "x=1", "x=1:", "x=:1", "x=1:2:3", NULL };
	     *s; s++)
		assert_int_equal(fr_pair_parse(*s, &sel, err, sizeof(err)), -1);
	assert_int_equal(fr_pair_parse("threads=1:2", &sel, err, sizeof(err)), 0);
	assert_string_equal(sel.base[2].value, "1");
	assert_string_equal(sel.contender[0].value, "2");
}

/*
 * Rounds of an interleaved run, 3 repetitions a side each: the machine's
 * phase moves a round by up to 30%, both sides alike; slower is the
 * contender's own factor, and each repetition has its own small noise.
 */
static void in_rounds(struct fr_bench *b, int rounds, double slower, uint64_t seed)
{
	for (int i = 0; i < b->nr_reps; i++) {
		int r = i / 3;
		double phase = 1 + 0.3 * ((r * 7) % 5) / 4.0;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		b->rep[i].round = r;
		b->rep[i].real_ns = 100 * phase * slower *
				    (1 + 0.004 * ((double)(seed >> 40) / (1ull << 24) - 0.5));
	}
	assert_int_equal(b->nr_reps, 3 * rounds);
	fr_bench_summarize(b);
}

/* The phases swamp a 2% slowdown between the samples; round by round it stands out. */
static void test_compare_rounds_cancel_drift(void **state)
{
	struct docs *d = *state;
	struct fr_bench *a = add(&d->base, "s", "", 1, 100, 24);
	struct fr_bench *b = add(&d->contender, "s", "", 1, 100, 24);
	const struct fr_metric_cmp *t;

	in_rounds(a, 8, 1.00, 1);
	in_rounds(b, 8, 1.02, 2);
	assert_int_equal(compare(d, NULL), 0);
	t = &d->cmp.bench[0].metric[0];
	assert_int_equal(t->rounds, 8);
	assert_int_equal(t->verdict, FR_SLOWER);
	assert_true(t->test.exact);
	assert_close_to(t->test.p, 2.0 / 256);
	assert_true(t->change_lo > 0.015 && t->change_hi < 0.025);
	assert_true(t->change > 0.018 && t->change < 0.022);
	/* untagged, the same repetitions are two samples, and drift hides the change */
	fr_comparison_free(&d->cmp);
	for (int i = 0; i < 24; i++)
		a->rep[i].round = b->rep[i].round = -1;
	assert_int_equal(compare(d, NULL), 0);
	t = &d->cmp.bench[0].metric[0];
	assert_int_equal(t->rounds, 0);
	assert_int_equal(t->verdict, FR_NO_CHANGE);
}

/* Both sides in rounds, compared; the time's comparison. */
static const struct fr_metric_cmp *time_in_rounds(struct docs *d, int rounds, double slower,
						  uint64_t seed)
{
	in_rounds(add(&d->base, "s", "", 1, 100, 3 * rounds), rounds, 1, seed);
	in_rounds(add(&d->contender, "s", "", 1, 100, 3 * rounds), rounds, slower, seed + 1);
	assert_int_equal(compare(d, NULL), 0);
	assert_int_equal(d->cmp.bench[0].metric[0].rounds, rounds);
	return &d->cmp.bench[0].metric[0];
}

/* The same code in rounds: the phases are no change, however large. */
static void test_compare_rounds_same_code(void **state)
{
	const struct fr_metric_cmp *t = time_in_rounds(*state, 8, 1, 3);

	assert_int_equal(t->verdict, FR_NO_CHANGE);
	assert_true(fabs(t->change) < 0.003);
}

/* 6 rounds can reach p = 1/32 at best: not below 0.01, however clear the change. */
static void test_compare_too_few_rounds(void **state)
{
	const struct fr_metric_cmp *t = time_in_rounds(*state, 6, 1.5, 5);
	struct docs *d = *state;

	assert_true(t->flags & FR_CMP_TOO_FEW);
	assert_int_equal(t->verdict, FR_NO_CHANGE);
	assert_true(warned(&d->cmp, "s/threads:1: too few rounds to decide (6; p < 0.01 takes 8)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_compare_faster_slower_and_no_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_drift_below_threshold_is_no_change,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_p_above_alpha_is_no_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_refuses_unnamed_parameter, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_pair_within_one_document, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_lists_missing_benchmarks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_verify_failed_is_never_faster, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_too_few_repetitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_no_interval_is_too_few, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_unstable_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_headline_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_geomean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_warns_of_machine_build_and_parameters,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_filter_that_keeps_nothing, setup,
						teardown),
		cmocka_unit_test(test_filter_and_pair_syntax),
		cmocka_unit_test_setup_teardown(test_compare_rounds_cancel_drift, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_rounds_same_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_too_few_rounds, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
