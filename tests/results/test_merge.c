// SPDX-License-Identifier: GPL-2.0-only
/* Rounds of one suite merged into one result: repetitions tagged, figures recomputed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

/* Round r's document: the fixture, its race benchmark's times shifted by r. */
static void round_doc(struct fr_doc *d, int r)
{
	fixture_doc(d);
	for (int i = 0; i < d->bench[0]->nr_reps; i++)
		d->bench[0]->rep[i].real_ns += 10.0 * r;
	fr_bench_summarize(d->bench[0]);
}

static void test_rounds_tagged_and_summarized(void **state)
{
	struct fr_doc m, one;
	char err[256], path[256];
	const struct fr_bench *race;

	fr_doc_init(&m);
	for (int r = 0; r < 2; r++) {
		round_doc(&one, r);
		assert_int_equal(fr_doc_merge(&m, &one, r, err, sizeof(err)), 0);
		fr_doc_free(&one);
	}
	race = m.bench[0];
	assert_int_equal(m.nr_benches, 2);
	assert_int_equal(race->nr_reps, 6);
	assert_int_equal(race->repetitions, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(race->rep[i].round, i / 3);
	/* Round 1's three are 10 ns above round 0's: the median lies between. */
	assert_true(race->real.median == (race->rep[2].real_ns + race->rep[3].real_ns) / 2);
	assert_true(race->rep[3].real_ns - race->rep[0].real_ns == 10);
	assert_non_null(race->rep[0].breakdown);
	assert_non_null(race->rep[3].breakdown);
	/* The interrupted single benchmark: its own warning made again over 2 of 4. */
	assert_int_equal(m.bench[1]->nr_reps, 2);
	for (int i = 0; i < m.nr_warnings; i++)
		if (!strncmp(m.warning[i], "idle/threads:1: interrupted", 27))
			assert_string_equal(m.warning[i],
					    "idle/threads:1: interrupted after 2 of 4 repetitions");
	assert_int_equal(m.nr_warnings, 5); /* ASLR once; each benchmark's two, made again */
	/* Written and read back, the rounds stay. */
	fixture_path(path, sizeof(path), "merged.json");
	assert_int_equal(fr_doc_write(&m, path, err, sizeof(err)), 0);
	fr_doc_free(&m);
	assert_int_equal(fr_doc_read(path, &m, err, sizeof(err)), 0);
	assert_int_equal(m.bench[0]->rep[4].round, 1);
	assert_int_equal(m.bench[1]->rep[0].round, 0);
	unlink(path);
	fr_doc_free(&m);
}

/* A file written without rounds reads as none. */
static void test_no_round(void **state)
{
	struct fr_doc d, back;
	char err[256], path[256];

	fixture_doc(&d);
	assert_int_equal(d.bench[0]->rep[2].round, -1);
	fixture_path(path, sizeof(path), "plain.json");
	assert_int_equal(fr_doc_write(&d, path, err, sizeof(err)), 0);
	assert_int_equal(fr_doc_read(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.bench[0]->rep[2].round, -1);
	unlink(path);
	fr_doc_free(&d);
	fr_doc_free(&back);
}

/* Rounds whose benchmarks differ are refused, and nothing is moved. */
static void test_different_rounds_refused(void **state)
{
	struct fr_doc m, one;
	char err[256];

	fr_doc_init(&m);
	round_doc(&one, 0);
	assert_int_equal(fr_doc_merge(&m, &one, 0, err, sizeof(err)), 0);
	fr_doc_free(&one);
	round_doc(&one, 1);
	SET(one.bench[1]->run_name, "idle/threads:2");
	assert_int_equal(fr_doc_merge(&m, &one, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "idle/threads:2"));
	assert_int_equal(m.bench[0]->nr_reps, 3);
	fr_doc_free(&one);
	fr_doc_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds_tagged_and_summarized),
		cmocka_unit_test(test_no_round),
		cmocka_unit_test(test_different_rounds_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
