// SPDX-License-Identifier: GPL-2.0-only
/*
 * A result file as tables for the plots.  Only result files are read (the
 * data flow is one way), and every statistic is taken from the iteration
 * entries, so a file cut short by a signal, with no aggregates yet for its
 * last configuration, still plots what completed.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

#define FB_PLOT_SCHEMA 1

/* The race counters of the do_no_pfn recheck question (seed 000). */
static const char *const race_counters[] = { "recheck_lost", "set_pte_replace", "ptl_contended" };
#define NR_RACE (int)(sizeof(race_counters) / sizeof(race_counters[0]))

static const char *str_at(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int not_result(char *err, size_t len, const char *path, const char *why)
{
	snprintf(err, len, "'%s' is not a faultbench result file: %s (see results/SCHEMA.md)", path,
		 why);
	return -1;
}

static int check_context(json_t *root, const char *path, char *err, size_t len)
{
	json_t *ctx = json_object_get(root, "context");
	json_t *fb = json_object_get(ctx, "faultbench");
	json_t *version = json_object_get(ctx, "json_schema_version");

	if (!json_is_object(root) || !json_is_object(ctx) ||
	    !json_is_array(json_object_get(root, "benchmarks")))
		return not_result(err, len, path, "no context and benchmarks");
	if (!json_is_integer(version) || json_integer_value(version) != FB_PLOT_SCHEMA)
		return not_result(err, len, path, "context.json_schema_version is not 1");
	if (!json_is_object(fb) || !str_at(json_object_get(fb, "git"), "commit"))
		return not_result(err, len, path, "no context.faultbench.git.commit");
	return 0;
}

static bool entry_ok(json_t *b)
{
	json_t *fb = json_object_get(b, "faultbench");

	return str_at(b, "run_name") && str_at(b, "run_type") &&
	       json_is_integer(json_object_get(b, "threads")) &&
	       json_is_integer(json_object_get(b, "family_index")) && str_at(fb, "scenario") &&
	       str_at(fb, "unit");
}

static struct fb_plot_family *family_of(struct fb_plot_result *r, json_t *b)
{
	json_int_t index = json_integer_value(json_object_get(b, "family_index"));
	json_t *first;
	struct fb_plot_family *f;
	char *cut;

	for (int i = 0; i < r->nr_fam; i++) {
		first = json_array_get(r->fam[i].iterations, 0);
		if (json_integer_value(json_object_get(first, "family_index")) == index)
			return &r->fam[i];
	}
	f = &r->fam[r->nr_fam++];
	snprintf(f->config, sizeof(f->config), "%s", str_at(b, "run_name"));
	cut = strstr(f->config, "/threads:");
	if (cut)
		*cut = '\0';
	f->scenario = str_at(json_object_get(b, "faultbench"), "scenario");
	f->unit = str_at(json_object_get(b, "faultbench"), "unit");
	f->threads = (int)json_integer_value(json_object_get(b, "threads"));
	f->iterations = json_array();
	return f;
}

static int group_families(struct fb_plot_result *r, const char *path, char *err, size_t len)
{
	json_t *benchmarks = json_object_get(r->root, "benchmarks"), *b;
	size_t i;

	r->fam = calloc(json_array_size(benchmarks) + 1, sizeof(*r->fam));
	if (!r->fam)
		return not_result(err, len, path, "out of memory");
	json_array_foreach(benchmarks, i, b)
	{
		char why[64];

		if (!entry_ok(b)) {
			snprintf(why, sizeof(why), "benchmarks[%zu] lacks run_name, threads, ...",
				 i);
			return not_result(err, len, path, why);
		}
		if (!strcmp(str_at(b, "run_type"), "iteration"))
			json_array_append(family_of(r, b)->iterations, b);
	}
	if (!r->nr_fam)
		return not_result(err, len, path, "no completed repetition to plot");
	return 0;
}

static void describe(struct fb_plot_result *r)
{
	json_t *ctx = json_object_get(r->root, "context");
	json_t *fb = json_object_get(ctx, "faultbench");
	json_t *git = json_object_get(fb, "git");
	const char *cpu = str_at(fb, "cpu_model"), *host = str_at(ctx, "host_name");
	const char *branch = str_at(git, "branch"), *date = str_at(ctx, "date");

	snprintf(r->machine, sizeof(r->machine), "%s, %lld CPUs, host %s",
		 cpu ? cpu : "unknown CPU",
		 (long long)json_integer_value(json_object_get(ctx, "num_cpus")),
		 host ? host : "unknown");
	snprintf(r->commit, sizeof(r->commit), "commit %.12s%s%s%s%s, %.10s%s",
		 str_at(git, "commit"), json_is_true(json_object_get(git, "dirty")) ? "+dirty" : "",
		 branch ? " (" : "", branch ? branch : "", branch ? ")" : "", date ? date : "",
		 json_is_true(json_object_get(r->root, "interrupted")) ? ", interrupted run" : "");
}

int fb_plot_read(const char *path, struct fb_plot_result *r, char *err, size_t errlen)
{
	json_error_t jerr;
	FILE *f = fopen(path, "r");

	memset(r, 0, sizeof(*r));
	if (!f) {
		snprintf(err, errlen, "cannot read result file '%s': %s", path, strerror(errno));
		return -1;
	}
	r->root = json_loadf(f, 0, &jerr);
	fclose(f);
	if (!r->root) {
		snprintf(err, errlen, "'%s' is not JSON: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	if (check_context(r->root, path, err, errlen) || group_families(r, path, err, errlen))
		return -1;
	describe(r);
	return 0;
}

void fb_plot_result_free(struct fb_plot_result *r)
{
	for (int i = 0; i < r->nr_fam; i++)
		json_decref(r->fam[i].iterations);
	free(r->fam);
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

/* --- tables ------------------------------------------------------------------ */

/* "faultbench.ratio_to_floor" looks one level down. */
static json_t *value_at(json_t *b, const char *key)
{
	const char *dot = strchr(key, '.');

	if (dot && !strncmp(key, "faultbench.", 11))
		return json_object_get(json_object_get(b, "faultbench"), dot + 1);
	return json_object_get(b, key);
}

static struct fb_plot_cell cell_of(const struct fb_plot_family *f, const char *key)
{
	size_t n = json_array_size(f->iterations), i;
	struct fb_plot_cell c = { NAN, NAN, NAN, false };
	double *v = calloc(n + 1, sizeof(*v));
	struct fr_summary agg;
	int k = 0;
	json_t *b;

	json_array_foreach(f->iterations, i, b)
	{
		json_t *x = value_at(b, key);

		if (v && json_is_number(x) && isfinite(json_number_value(x)))
			v[k++] = json_number_value(x);
	}
	if (k) {
		fr_summarize(v, k, &agg);
		c = (struct fb_plot_cell){ agg.median, agg.min, agg.max, true };
	}
	free(v);
	return c;
}

static int table_alloc(struct fb_plot_table *t, int rows, int series)
{
	memset(t, 0, sizeof(*t));
	t->label = calloc((size_t)rows + 1, sizeof(*t->label));
	t->unit = calloc((size_t)rows + 1, sizeof(*t->unit));
	t->series = calloc((size_t)series + 1, sizeof(*t->series));
	t->cell = calloc((size_t)(rows * series) + 1, sizeof(*t->cell));
	t->lo = INFINITY;
	t->hi = 0;
	return t->label && t->unit && t->series && t->cell ? 0 : -1;
}

void fb_plot_table_free(struct fb_plot_table *t)
{
	free(t->label);
	free(t->unit);
	free(t->series);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

static void table_set(struct fb_plot_table *t, int row, int series, struct fb_plot_cell c)
{
	t->cell[row * t->nr_series + series] = c;
	if (!c.has)
		return;
	if (c.min > 0 && c.min < t->lo)
		t->lo = c.min;
	if (c.max > t->hi)
		t->hi = c.max;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int find_label(const struct fb_plot_table *t, const char *label)
{
	for (int i = 0; i < t->nr_rows; i++)
		if (!strcmp(t->label[i], label))
			return i;
	return -1;
}

/* Rows: the configurations that have `key`, in file order; series: their thread counts. */
static int table_by_threads(const struct fb_plot_result *r, struct fb_plot_table *t,
			    const char *key)
{
	int threads[r->nr_fam + 1], nt = 0;
	bool has[r->nr_fam + 1];

	for (int i = 0; i < r->nr_fam; i++) {
		has[i] = cell_of(&r->fam[i], key).has;
		if (has[i] &&
		    !bsearch(&r->fam[i].threads, threads, (size_t)nt, sizeof(int), cmp_int)) {
			threads[nt++] = r->fam[i].threads;
			qsort(threads, (size_t)nt, sizeof(int), cmp_int);
		}
	}
	if (!nt || table_alloc(t, r->nr_fam, nt))
		return -1;
	t->nr_series = nt;
	t->prefix = "threads";
	for (int s = 0; s < nt; s++)
		snprintf(t->series[s], sizeof(t->series[s]), "%d", threads[s]);
	for (int i = 0; i < r->nr_fam; i++) {
		int row = find_label(t, r->fam[i].config);
		int s = (int)((int *)bsearch(&r->fam[i].threads, threads, (size_t)nt, sizeof(int),
					     cmp_int) -
			      threads);

		if (!has[i])
			continue;
		if (row < 0) {
			row = t->nr_rows++;
			snprintf(t->label[row], sizeof(t->label[row]), "%s", r->fam[i].config);
			t->unit[row] = r->fam[i].unit;
		}
		table_set(t, row, s, cell_of(&r->fam[i], key));
	}
	return 0;
}

int fb_plot_table_ns(const struct fb_plot_result *r, struct fb_plot_table *t, char *note,
		     size_t len)
{
	if (!table_by_threads(r, t, "real_time"))
		return 0;
	snprintf(note, len, "no entry has a real_time");
	return -1;
}

int fb_plot_table_ratio(const struct fb_plot_result *r, struct fb_plot_table *t, char *note,
			size_t len)
{
	if (!table_by_threads(r, t, "faultbench.ratio_to_floor"))
		return 0;
	snprintf(note, len, "no entry has a floor (faultbench.ratio_to_floor)");
	return -1;
}

int fb_plot_table_race(const struct fb_plot_result *r, struct fb_plot_table *t, char *note,
		       size_t len)
{
	char key[64];

	if (table_alloc(t, r->nr_fam, NR_RACE))
		return -1;
	t->nr_series = NR_RACE;
	for (int s = 0; s < NR_RACE; s++)
		snprintf(t->series[s], sizeof(t->series[s]), "%s", race_counters[s]);
	for (int i = 0; i < r->nr_fam; i++) {
		const char *name = strchr(r->fam[i].config, '/');

		/* One thread never races: its counters are zero by construction. */
		if (strcmp(r->fam[i].scenario, "same-addr") || r->fam[i].threads < 2)
			continue;
		/* The scenario is in the title; a row is its parameters and threads. */
		snprintf(t->label[t->nr_rows], sizeof(t->label[0]), "%s%sthreads:%d",
			 name ? name + 1 : "", name ? "/" : "", r->fam[i].threads);
		t->unit[t->nr_rows] = r->fam[i].unit;
		for (int s = 0; s < NR_RACE; s++) {
			snprintf(key, sizeof(key), "%s_per_iteration", race_counters[s]);
			table_set(t, t->nr_rows, s, cell_of(&r->fam[i], key));
		}
		t->nr_rows++;
	}
	if (t->nr_rows)
		return 0;
	fb_plot_table_free(t);
	snprintf(note, len, "no same-addr entry with two threads or more");
	return -1;
}

/* --- data files ---------------------------------------------------------------- */

/* gnuplot splits on blanks and reads '#' as a comment: keep a label one word. */
static void put_word(FILE *f, const char *s)
{
	if (!*s)
		fputc('-', f);
	for (; *s; s++)
		fputc(isspace((unsigned char)*s) || *s == '#' || *s == '"' ? '_' : *s, f);
}

static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.6g", v);
	else
		fputs(" NaN", f);
}

int fb_plot_table_write(const struct fb_plot_table *t, FILE *f)
{
	fputs("# row label unit", f);
	for (int s = 0; s < t->nr_series; s++) {
		const char *p = t->prefix ? t->prefix : "", *n = t->series[s];

		fprintf(f, " %s%s_median %s%s_min %s%s_max", p, n, p, n, p, n);
	}
	fputc('\n', f);
	for (int row = 0; row < t->nr_rows; row++) {
		fprintf(f, "%d ", row + 1);
		put_word(f, t->label[row]);
		fputc(' ', f);
		put_word(f, t->unit[row]);
		for (int s = 0; s < t->nr_series; s++) {
			const struct fb_plot_cell *c = &t->cell[row * t->nr_series + s];

			put_num(f, c->has ? c->median : NAN);
			put_num(f, c->has ? c->min : NAN);
			put_num(f, c->has ? c->max : NAN);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
