// SPDX-License-Identifier: GPL-2.0-only
/*
 * Corrupt result files: each is refused with one line that names the file
 * and what is wrong, and leaves the document empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "fixture.h"

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Reading path fails with one line that names it and contains want. */
static void expect_refused(const char *path, const char *want)
{
	struct fr_doc d;
	char err[512] = "";

	assert_int_equal(fr_doc_read(path, &d, err, sizeof(err)), -1);
	if (!strstr(err, path) || !strstr(err, want) || strchr(err, '\n'))
		fail_msg("want one line naming %s and '%s', got '%s'", path, want, err);
	assert_int_equal(d.nr_benches, 0);
	assert_int_equal(d.nr_warnings, 0);
	assert_null(d.bench);
}

static json_t *good_json(void)
{
	struct fr_doc d;
	char path[256], err[512];
	json_t *root;

	fixture_doc(&d);
	fixture_path(path, sizeof(path), "good.json");
	assert_int_equal(fr_doc_write(&d, path, err, sizeof(err)), 0);
	fr_doc_free(&d);
	root = json_load_file(path, 0, NULL);
	assert_non_null(root);
	unlink(path);
	return root;
}

/* The good document with one change, written and refused. */
static void expect_edit_refused(void (*edit)(json_t *root), const char *want)
{
	json_t *root = good_json();
	char path[256];

	edit(root);
	fixture_path(path, sizeof(path), "edited.json");
	assert_int_equal(json_dump_file(root, path, JSON_PRESERVE_ORDER), 0);
	json_decref(root);
	expect_refused(path, want);
	unlink(path);
}

static json_t *entry(json_t *root, size_t i)
{
	return json_array_get(json_object_get(root, "benchmarks"), i);
}

static void schema_2(json_t *root)
{
	json_object_set_new(json_object_get(root, "context"), "json_schema_version",
			    json_integer(2));
}

static void no_real_time(json_t *root)
{
	json_object_del(entry(root, 1), "real_time");
}

static void threads_as_text(json_t *root)
{
	json_object_set_new(entry(root, 0), "threads", json_string("2"));
}

static void counter_gone(json_t *root)
{
	json_object_del(entry(root, 2), "lost");
}

static void not_an_entry(json_t *root)
{
	json_array_append_new(json_object_get(root, "benchmarks"), json_integer(7));
}

static void unknown_run_type(json_t *root)
{
	json_object_set_new(entry(root, 0), "run_type", json_string("warmup"));
}

static void no_commit(json_t *root)
{
	json_object_del(
		json_object_get(json_object_get(json_object_get(root, "context"), "faultbench"),
				"git"),
		"commit");
}

static void extra_repetition(json_t *root)
{
	json_array_insert(json_object_get(root, "benchmarks"), 0, entry(root, 0));
}

static void test_not_json(void **state)
{
	char path[256];

	fixture_path(path, sizeof(path), "text.json");
	write_text(path, "results: fast\n");
	expect_refused(path, "is not JSON: line 1");
	write_text(path, "");
	expect_refused(path, "is not JSON");
	write_text(path, "{\"context\": {\"date\": \"2024\"");
	expect_refused(path, "is not JSON");
	write_text(path, "[]");
	expect_refused(path, "is not an object");
	unlink(path);
}

static void test_missing_file(void **state)
{
	char path[256];

	fixture_path(path, sizeof(path), "none.json");
	expect_refused(path, "No such file");
}

static void test_wrong_fields(void **state)
{
	expect_edit_refused(schema_2, "context.json_schema_version is 2, not 1");
	expect_edit_refused(no_real_time, "benchmarks[1].real_time is missing");
	expect_edit_refused(threads_as_text, "benchmarks[0].threads has the wrong type");
	expect_edit_refused(counter_gone, "benchmarks[2].lost is missing");
	expect_edit_refused(not_an_entry, "benchmarks[16] is not an object");
	expect_edit_refused(unknown_run_type, "neither iteration nor aggregate");
	expect_edit_refused(no_commit, "context.faultbench.git.commit is missing");
	expect_edit_refused(extra_repetition, "one repetition more");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_wrong_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
