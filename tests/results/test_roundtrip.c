// SPDX-License-Identifier: GPL-2.0-only
/* What the writer writes, the reader reads back: write -> read -> equal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

/* Byte for byte, so that no field is forgotten; both sides start zeroed. */
static void assert_same(const void *a, const void *b, size_t len, const char *what)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < len; i++)
		if (x[i] != y[i])
			fail_msg("%s differs at byte %zu of %zu", what, i, len);
}

static void assert_breakdown_equal(const struct fr_breakdown *a, const struct fr_breakdown *b)
{
	struct fr_breakdown x = *a, y = *b;

	assert_int_equal(a->nr_fn, b->nr_fn);
	assert_same(a->fn, b->fn, sizeof(*a->fn) * (size_t)a->nr_fn, "breakdown functions");
	x.fn = y.fn = NULL;
	assert_same(&x, &y, sizeof(x), "breakdown");
}

static void assert_bench_equal(const struct fr_bench *a, const struct fr_bench *b)
{
	static struct fr_bench x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	assert_int_equal(a->nr_reps, b->nr_reps);
	for (int i = 0; i < a->nr_reps; i++) {
		struct fr_rep p = a->rep[i], q = b->rep[i];

		assert_int_equal(!p.breakdown, !q.breakdown);
		if (p.breakdown)
			assert_breakdown_equal(p.breakdown, q.breakdown);
		p.breakdown = q.breakdown = NULL;
		assert_int_equal(!p.thread, !q.thread);
		if (p.thread)
			assert_same(p.thread, q.thread, sizeof(*p.thread) * (size_t)a->threads,
				    "per_thread");
		p.thread = q.thread = NULL;
		assert_same(&p, &q, sizeof(p), a->run_name);
	}
	x.rep = y.rep = NULL;
	assert_same(&x, &y, sizeof(x), a->run_name);
}

static void test_roundtrip_is_equal(void **state)
{
	struct fr_doc in, out;
	char path[256], err[512];

	fixture_doc(&in);
	fixture_path(path, sizeof(path), "roundtrip.json");
	assert_int_equal(fr_doc_write(&in, path, err, sizeof(err)), 0);
	if (fr_doc_read(path, &out, err, sizeof(err)))
		fail_msg("%s", err);
	assert_same(&in.ctx, &out.ctx, sizeof(in.ctx), "context");
	assert_int_equal(in.interrupted, out.interrupted);
	assert_int_equal(in.nr_warnings, out.nr_warnings);
	for (int i = 0; i < in.nr_warnings; i++)
		assert_string_equal(in.warning[i], out.warning[i]);
	assert_int_equal(in.nr_benches, out.nr_benches);
	for (int i = 0; i < in.nr_benches; i++)
		assert_bench_equal(in.bench[i], out.bench[i]);
	unlink(path);
	fr_doc_free(&in);
	fr_doc_free(&out);
}

/* The reader sees what a consumer needs: no spread below two samples, headline by name. */
static void test_read_back_is_usable(void **state)
{
	struct fr_doc in, out;
	char path[256], err[512];
	const struct fr_bench *race, *single;

	fixture_doc(&in);
	fixture_path(path, sizeof(path), "usable.json");
	assert_int_equal(fr_doc_write(&in, path, err, sizeof(err)), 0);
	assert_int_equal(fr_doc_read(path, &out, err, sizeof(err)), 0);
	race = out.bench[0];
	single = out.bench[1];
	assert_string_equal(fr_bench_param(race, "recheck"), "none");
	assert_null(fr_bench_param(race, "arch"));
	assert_int_equal(fr_bench_counter(race, "lost"), 1);
	assert_true(race->per_iteration[1].max == 14.0 / 1002);
	assert_true(race->verify_failed && race->headline.present);
	assert_string_equal(race->plant, "double-count");
	assert_string_equal(race->label, "no-recheck");
	assert_string_equal(single->plant, "");
	assert_string_equal(single->label, "");
	assert_true(isnan(single->real.median) && isnan(single->cpu.stddev));
	assert_true(single->cpu.median == 1 && isnan(single->cpu.cv));
	assert_true(out.ctx.event[1].reason[0] && !out.ctx.event[1].opened);
	/* Instructions per round, their floor's and the ratio, from the repetitions. */
	assert_true(race->instructions.median == 196001.0 / 1001);
	assert_true(race->instructions_ratio.max == 196000.0 / 1000 / 38);
	assert_string_equal(race->measure.method, "callgrind");
	assert_null(single->rep[0].breakdown);
	assert_false(single->measure.present);
	/* The rounds each thread won, summed over the repetitions: 2103 and 900. */
	assert_true(race->fairness.present);
	assert_string_equal(race->fairness.of, "installs");
	assert_true(race->fairness.min_share == 900.0 / 3003 &&
		    race->fairness.max_share == 2103.0 / 3003);
	assert_true(fabs(race->fairness.jain -
			 3003.0 * 3003 / (2 * (2103.0 * 2103 + 900.0 * 900))) < 1e-12);
	assert_false(single->fairness.present);
	assert_true(race->latency.rounds && race->latency.first_install.p90 == 60.5 &&
		    race->latency.last_return.max == 26000);
	unlink(path);
	fr_doc_free(&in);
	fr_doc_free(&out);
}

/* A result file is never replaced. */
static void test_write_never_overwrites(void **state)
{
	struct fr_doc d;
	char path[256], err[512];

	fixture_doc(&d);
	fixture_path(path, sizeof(path), "twice.json");
	assert_int_equal(fr_doc_write(&d, path, err, sizeof(err)), 0);
	assert_int_equal(fr_doc_write(&d, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "File exists"));
	unlink(path);
	fr_doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_is_equal),
		cmocka_unit_test(test_read_back_is_usable),
		cmocka_unit_test(test_write_never_overwrites),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
