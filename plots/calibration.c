// SPDX-License-Identifier: GPL-2.0-only
/*
 * The calibration figures: runs labelled GROUP:ROLE (--label anon:kernel,
 * anon:model, anon:calibrated, as scenarios/suites/calibration.suite labels
 * them) drawn side by side by group, so that the live kernel's figures sit
 * beside the model's twins.  Nothing here names a scenario, a role or a
 * counter:
 *   calibration_ns    time per iteration, a series per role and thread count;
 *   calibration_race  the races per iteration: the sum, repetition by
 *                     repetition, of the headline counters that the same
 *                     configuration never counts on one thread (a lost race,
 *                     a store over a present entry, an EEXIST: what only a
 *                     second thread can cause), for two threads or more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* "GROUP:ROLE", both non-empty, from a drawable benchmark. */
static bool group_role(const struct fr_bench *b, char *group, char *role, size_t len)
{
	const char *colon = strchr(b->label, ':');

	if (!colon || colon == b->label || !colon[1] || b->nr_reps <= 0 || b->verify_failed)
		return false;
	snprintf(group, len, "%.*s", (int)(colon - b->label), b->label);
	snprintf(role, len, "%s", colon + 1);
	return true;
}

/* The one-thread run of b's configuration, or NULL. */
static const struct fr_bench *one_thread(const struct fr_doc *d, const struct fr_bench *b)
{
	char want[sizeof(b->run_name)], config[sizeof(b->run_name)];

	fp_config_of(b, want, sizeof(want));
	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_bench *o = d->bench[i];

		if (o->threads != 1 || o->nr_reps <= 0 || o->verify_failed)
			continue;
		fp_config_of(o, config, sizeof(config));
		if (!strcmp(config, want) && !strcmp(o->label, b->label))
			return o;
	}
	return NULL;
}

/* Whether headline counter k of b is a race counter: none on one thread. */
static bool race_counter(const struct fr_bench *b, const struct fr_bench *one, int k)
{
	int c = fr_bench_counter(one, b->headline.counter[k]);

	return c >= 0 && one->per_iteration[c].n > 0 && one->per_iteration[c].median == 0;
}

/* The races per iteration of b, repetition by repetition; false when it counts none. */
static bool races_of(const struct fr_doc *d, const struct fr_bench *b, struct fp_cell *out)
{
	const struct fr_bench *one = b->threads >= 2 ? one_thread(d, b) : NULL;
	double *v = one ? calloc((size_t)b->nr_reps, sizeof(*v)) : NULL;
	struct fr_summary s;
	bool any = false;

	for (int k = 0; v && k < b->headline.nr_counters; k++) {
		int c = fr_bench_counter(b, b->headline.counter[k]);

		if (c < 0 || !race_counter(b, one, k))
			continue;
		any = true;
		for (int r = 0; r < b->nr_reps; r++)
			if (b->rep[r].iterations)
				v[r] += (double)b->rep[r].counter[c] / (double)b->rep[r].iterations;
	}
	if (any) {
		fr_summarize(v, b->nr_reps, &s);
		*out = (struct fp_cell){ s.median, s.min, s.max, s.n > 0 };
	}
	free(v);
	return any;
}

/* What one benchmark puts in a figure, and under which series. */
typedef bool (*value_fn)(const struct fr_doc *d, const struct fr_bench *b, struct fp_cell *out,
			 char *series, size_t len);

static bool ns_value(const struct fr_doc *d, const struct fr_bench *b, struct fp_cell *out,
		     char *series, size_t len)
{
	char group[FR_NAME_LEN], role[FR_NAME_LEN];

	if (!group_role(b, group, role, sizeof(group)) || b->real.n <= 0)
		return false;
	*out = (struct fp_cell){ b->real.median, b->real.min, b->real.max, true };
	snprintf(series, len, "%s/%d", role, b->threads);
	return true;
}

static bool race_value(const struct fr_doc *d, const struct fr_bench *b, struct fp_cell *out,
		       char *series, size_t len)
{
	char group[FR_NAME_LEN], role[FR_NAME_LEN];

	if (!group_role(b, group, role, sizeof(group)) || !races_of(d, b, out))
		return false;
	snprintf(series, len, "%s/%d", role, b->threads);
	return true;
}

static int index_of(char (*names)[FR_NAME_LEN], int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(names[i], name))
			return i;
	snprintf(names[*n], FR_NAME_LEN, "%s", name);
	return (*n)++;
}

/* Where the file first has a run of series ROLE/THREADS, with a value or not. */
static int first_seen(const struct fr_doc *d, const char *series)
{
	for (int i = 0; i < d->nr_benches; i++) {
		char group[FR_NAME_LEN], role[FR_NAME_LEN], name[2 * FR_NAME_LEN];

		if (!group_role(d->bench[i], group, role, sizeof(group)))
			continue;
		snprintf(name, sizeof(name), "%s/%d", role, d->bench[i]->threads);
		if (!strcmp(name, series))
			return i;
	}
	return d->nr_benches;
}

/* Orders series as the file first has them, so that a role keeps its colour in both figures. */
static void sort_series(const struct fr_doc *d, char (*series)[FR_NAME_LEN], int n)
{
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && first_seen(d, series[j]) < first_seen(d, series[j - 1]);
		     j--) {
			char tmp[FR_NAME_LEN];

			memcpy(tmp, series[j], FR_NAME_LEN);
			memcpy(series[j], series[j - 1], FR_NAME_LEN);
			memcpy(series[j - 1], tmp, FR_NAME_LEN);
		}
	}
}

/* Rows: the groups, in file order; series: role/threads, in file order. */
static int table_by_group(const struct fr_doc *d, struct fp_table *t, value_fn value)
{
	int n = d->nr_benches, nrows = 0, nseries = 0, ret = -1;
	char(*rows)[FR_NAME_LEN] = calloc((size_t)n + 1, FR_NAME_LEN);
	char(*series)[FR_NAME_LEN] = calloc((size_t)n + 1, FR_NAME_LEN);

	for (int i = 0; rows && series && i < n; i++) {
		char group[FR_NAME_LEN], role[FR_NAME_LEN], name[FR_NAME_LEN];
		struct fp_cell c;

		if (value(d, d->bench[i], &c, name, sizeof(name)) &&
		    group_role(d->bench[i], group, role, sizeof(group))) {
			index_of(rows, &nrows, group);
			index_of(series, &nseries, name);
		}
	}
	sort_series(d, series, nseries);
	if (nrows && !fp_table_alloc(t, nrows, nseries)) {
		t->nr_rows = nrows;
		t->nr_series = nseries;
		memcpy(t->series, series, (size_t)nseries * FR_NAME_LEN);
		for (int r = 0; r < nrows; r++)
			snprintf(t->label[r], sizeof(t->label[r]), "%s", rows[r]);
		for (int i = 0; i < n; i++) {
			const struct fr_bench *b = d->bench[i];
			char group[FR_NAME_LEN], role[FR_NAME_LEN], name[FR_NAME_LEN];
			struct fp_cell c;

			if (!value(d, b, &c, name, sizeof(name)) ||
			    !group_role(b, group, role, sizeof(group)))
				continue;
			t->unit[index_of(rows, &nrows, group)] = b->unit;
			fp_table_set(t, index_of(rows, &nrows, group),
				     index_of(series, &nseries, name), c);
		}
		ret = 0;
	}
	free(rows);
	free(series);
	return ret;
}

int fp_table_calibration_ns(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	if (!table_by_group(d, t, ns_value))
		return 0;
	snprintf(note, len, "no run labelled GROUP:ROLE (--label)");
	return -1;
}

int fp_table_calibration_race(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	if (!table_by_group(d, t, race_value))
		return 0;
	snprintf(note, len,
		 "no run labelled GROUP:ROLE has two threads and a headline counter that one "
		 "thread never counts");
	return -1;
}

/* "model/2" -> role "model", 2 threads. */
static int series_threads(const char *series, char *role, size_t len)
{
	const char *slash = strrchr(series, '/');

	snprintf(role, len, "%.*s", slash ? (int)(slash - series) : 0, series);
	return slash ? atoi(slash + 1) : 0;
}

/* 12804, 96.8, 0.863: whole numbers from 100 up, three digits below. */
static void put_num(FILE *f, double v)
{
	fprintf(f, v >= 100 ? "%.0f" : "%.3g", v);
}

/* One line per group and thread count, each role beside the group's first. */
static void print_row(const struct fp_table *t, int r, int threads, FILE *f)
{
	const struct fp_cell *base = NULL;
	char role[FR_NAME_LEN];
	bool first = true;

	for (int s = 0; s < t->nr_series; s++) {
		const struct fp_cell *c = &t->cell[r * t->nr_series + s];

		if (series_threads(t->series[s], role, sizeof(role)) != threads || !c->has)
			continue;
		if (first)
			fprintf(f, "  %s (ns per %s), %d thread%s:", t->label[r],
				t->unit[r] ? t->unit[r] : "iteration", threads,
				threads == 1 ? "" : "s");
		fprintf(f, "%s %s ", first ? "" : ";", role);
		put_num(f, c->median);
		if (base && c->median > 0) {
			fputs(" (", f);
			put_num(f, base->median / c->median);
			fputs("x)", f);
		}
		base = base ? base : c;
		first = false;
	}
	if (!first)
		fputc('\n', f);
}

void fp_print_calibration(const struct fr_doc *d, FILE *f)
{
	struct fp_table t = { 0 };
	char role[FR_NAME_LEN];
	int max_threads = 0;

	if (table_by_group(d, &t, ns_value))
		return;
	for (int s = 0; s < t.nr_series; s++) {
		int n = series_threads(t.series[s], role, sizeof(role));

		max_threads = n > max_threads ? n : max_threads;
	}
	fputs("calibration: each role's median, and its group's first role's over it (Nx)\n", f);
	for (int r = 0; r < t.nr_rows; r++)
		for (int n = 1; n <= max_threads; n++)
			print_row(&t, r, n, f);
	fp_table_free(&t);
}
