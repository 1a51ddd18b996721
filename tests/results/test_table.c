// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table: what it shows comes from the result alone, the headline
 * counters it declares, and "-" where there is no spread to show.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

static char *table_at(const struct fr_doc *d, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fr_doc_print_table(d, f, width);
	fclose(f);
	return buf;
}

static char *table_of(const struct fr_doc *d)
{
	return table_at(d, 0);
}

/* The line that starts with prefix, cut at its end. */
static char *line_of(char *text, const char *prefix)
{
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, prefix, strlen(prefix)))
			return l;
	fail_msg("no line starts with '%s'", prefix);
	return NULL;
}

static void test_table_headline_and_verify(void **state)
{
	struct fr_doc d;
	char *t, *all;

	fixture_doc(&d);
	t = table_of(&d);
	all = strdup(t);
	assert_non_null(strstr(all, "  headline: stores/round 1.999, lost/round 0.007\n"));
	assert_non_null(strstr(all, "  VERIFY FAILED: race: 3 stores for 2 rounds\n"));
	assert_non_null(strstr(all, "harness overhead: 0.731 ns/op"));
	assert_non_null(strstr(line_of(t, "race/"), "floor 51.50 ns, 1.97x"));
	free(all);
	free(t);
	fr_doc_free(&d);
}

/* No headline declared: no counter is shown, whatever the counters say. */
static void test_table_without_headline_shows_no_counter(void **state)
{
	struct fr_doc d;
	char *t;

	fixture_doc(&d);
	d.bench[0]->headline.present = false;
	t = table_of(&d);
	assert_null(strstr(t, "headline"));
	assert_null(strstr(t, "stores/"));
	free(t);
	fr_doc_free(&d);
}

static void test_table_one_repetition_has_no_cv(void **state)
{
	struct fr_doc d;
	char *t, *row, cv[16];

	fixture_doc(&d);
	d.bench[1]->rep[0].real_ns = 80;
	fr_bench_summarize(d.bench[1]);
	t = table_of(&d);
	row = line_of(t, "idle/threads:1");
	assert_int_equal(sscanf(row + strlen("idle/threads:1"), "%*s %15s", cv), 1);
	assert_string_equal(cv, "-");
	free(t);
	fr_doc_free(&d);
}

/* The words of text, one space between them: what the table says, whatever its layout. */
static char *words_of(const char *text)
{
	char *w = calloc(strlen(text) + 1, 1), *at = w;

	assert_non_null(w);
	for (const char *p = text; *p; p++)
		if (!isspace((unsigned char)*p))
			*at++ = *p;
		else if (at > w && at[-1] != ' ')
			*at++ = ' ';
	return w;
}

/*
 * At any width, no line is longer, save one word that is longer alone; and
 * every word, numbers first, is whole: the narrow table says word for word
 * what the wide one does.
 */
static void test_table_fits_the_width(void **state)
{
	static const int widths[] = { 120, 80, 60, 40 };
	struct fr_doc d;
	char *wide, *want;

	fixture_doc(&d);
	fr_doc_warn(&d, "a warning long enough that no terminal of eighty columns holds it on one "
			"line: 1234567.89 ns, 0.0001234, 98.76%%");
	wide = table_of(&d);
	want = words_of(wide);
	assert_non_null(strstr(wide, "race/recheck:none/threads:2"));
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		char *t = table_at(&d, widths[i]), *got = words_of(t), *copy = strdup(t);

		for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n"))
			if ((int)strlen(l) > widths[i] && strchr(l + strspn(l, " "), ' '))
				fail_msg("at %d columns, a line of %zu: '%s'", widths[i], strlen(l),
					 l);
		assert_string_equal(got, want);
		free(copy);
		free(got);
		free(t);
	}
	free(want);
	free(wide);
	fr_doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_headline_and_verify),
		cmocka_unit_test(test_table_without_headline_shows_no_counter),
		cmocka_unit_test(test_table_one_repetition_has_no_cv),
		cmocka_unit_test(test_table_fits_the_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
