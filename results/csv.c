// SPDX-License-Identifier: GPL-2.0-only
/*
 * CSV for spreadsheets: one row per benchmark entry of the JSON form, one
 * column per scalar key that any entry has, empty where an entry has none.
 */
#include <string.h>

#include "internal.h"

static void csv_columns(json_t *benchmarks, json_t *cols)
{
	size_t i;
	json_t *b;

	json_array_foreach(benchmarks, i, b)
	{
		const char *key;
		json_t *v;

		json_object_foreach(b, key, v)
		{
			bool seen = false;
			size_t k;
			json_t *c;

			if (json_is_object(v) || json_is_array(v))
				continue;
			json_array_foreach(cols, k, c) seen =
				seen || !strcmp(json_string_value(c), key);
			if (!seen)
				json_array_append_new(cols, json_string(key));
		}
	}
}

static void csv_cell(FILE *f, json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		fputc('"', f);
		for (; *s; s++)
			fprintf(f, *s == '"' ? "\"\"" : "%c", *s);
		fputc('"', f);
	} else if (json_is_integer(v)) {
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		fprintf(f, "%.17g", json_real_value(v));
	} else if (json_is_boolean(v)) {
		fprintf(f, "%s", json_is_true(v) ? "true" : "false");
	}
}

int fr_doc_print_csv(const struct fr_doc *d, FILE *f)
{
	json_t *root = fr_doc_json(d), *cols = json_array(), *c, *b;
	json_t *benchmarks = json_object_get(root, "benchmarks");
	size_t i, k;

	csv_columns(benchmarks, cols);
	json_array_foreach(cols, k, c) fprintf(f, "%s%s", k ? "," : "", json_string_value(c));
	fputc('\n', f);
	json_array_foreach(benchmarks, i, b)
	{
		json_array_foreach(cols, k, c)
		{
			if (k)
				fputc(',', f);
			csv_cell(f, json_object_get(b, json_string_value(c)));
		}
		fputc('\n', f);
	}
	json_decref(cols);
	json_decref(root);
	return !root || ferror(f) ? -1 : 0;
}
