// SPDX-License-Identifier: GPL-2.0-only
/*
 * A result as tables for the plots.  Every value is a summary that results/
 * computed over a benchmark's repetitions; nothing here names a scenario or
 * a counter (a benchmark's headline says which counters to draw).  A
 * benchmark whose verify step failed is left out: its figures are not to be
 * trusted.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool drawable(const struct fr_bench *b)
{
	return b->nr_reps > 0 && !b->verify_failed;
}

static struct fp_cell cell_of(const struct fr_summary *s)
{
	return (struct fp_cell){ s->median, s->min, s->max, s->n > 0 };
}

int fp_table_alloc(struct fp_table *t, int rows, int series)
{
	memset(t, 0, sizeof(*t));
	t->label = calloc((size_t)rows + 1, sizeof(*t->label));
	t->unit = calloc((size_t)rows + 1, sizeof(*t->unit));
	t->series = calloc((size_t)series + 1, sizeof(*t->series));
	t->cell = calloc((size_t)(rows * series) + 1, sizeof(*t->cell));
	if (t->label && t->unit && t->series && t->cell)
		return 0;
	fp_table_free(t);
	return -1;
}

void fp_table_free(struct fp_table *t)
{
	free(t->label);
	free(t->unit);
	free(t->series);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

void fp_table_set(struct fp_table *t, int row, int series, struct fp_cell c)
{
	t->cell[row * t->nr_series + series] = c;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int find_label(const struct fp_table *t, const char *label)
{
	for (int i = 0; i < t->nr_rows; i++)
		if (!strcmp(t->label[i], label))
			return i;
	return -1;
}

/* A configuration: the run name without its "/threads:N". */
void fp_config_of(const struct fr_bench *b, char *buf, size_t len)
{
	char *cut;

	snprintf(buf, len, "%s", b->run_name);
	cut = strstr(buf, "/threads:");
	if (cut)
		*cut = '\0';
}

typedef const struct fr_summary *(*pick_fn)(const struct fr_bench *b);

static const struct fr_summary *pick_real(const struct fr_bench *b)
{
	return &b->real;
}

static const struct fr_summary *pick_ratio(const struct fr_bench *b)
{
	return &b->ratio;
}

static bool has(const struct fr_bench *b, pick_fn pick)
{
	return drawable(b) && pick(b)->n > 0;
}

/* Rows: the configurations that have the value, in file order; series: their thread counts. */
static int table_by_threads(const struct fr_doc *d, struct fp_table *t, pick_fn pick)
{
	int threads[d->nr_benches + 1], nt = 0;

	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_bench *b = d->bench[i];

		if (has(b, pick) &&
		    !bsearch(&b->threads, threads, (size_t)nt, sizeof(int), cmp_int)) {
			threads[nt++] = b->threads;
			qsort(threads, (size_t)nt, sizeof(int), cmp_int);
		}
	}
	if (!nt || fp_table_alloc(t, d->nr_benches, nt))
		return -1;
	t->nr_series = nt;
	t->prefix = "threads";
	for (int s = 0; s < nt; s++)
		snprintf(t->series[s], sizeof(t->series[s]), "%d", threads[s]);
	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_bench *b = d->bench[i];
		char config[sizeof(t->label[0])];
		int row, s;

		if (!has(b, pick))
			continue;
		fp_config_of(b, config, sizeof(config));
		row = find_label(t, config);
		s = (int)((int *)bsearch(&b->threads, threads, (size_t)nt, sizeof(int), cmp_int) -
			  threads);
		if (row < 0) {
			row = t->nr_rows++;
			snprintf(t->label[row], sizeof(t->label[row]), "%s", config);
			t->unit[row] = b->unit;
		}
		fp_table_set(t, row, s, cell_of(pick(b)));
	}
	return 0;
}

int fp_table_ns(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	if (!table_by_threads(d, t, pick_real))
		return 0;
	snprintf(note, len, "no benchmark has a real_time");
	return -1;
}

int fp_table_ratio(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	if (!table_by_threads(d, t, pick_ratio))
		return 0;
	snprintf(note, len, "no benchmark has a floor (faultbench.ratio_to_floor)");
	return -1;
}

/* A race needs two threads; the counters to draw are what each benchmark declares. */
static bool races(const struct fr_bench *b)
{
	return drawable(b) && b->threads >= 2 && b->headline.present && b->headline.nr_counters;
}

static int find_series(const struct fp_table *t, const char *name)
{
	for (int s = 0; s < t->nr_series; s++)
		if (!strcmp(t->series[s], name))
			return s;
	return -1;
}

/* Series: every headline counter of the racing benchmarks, in the order first declared. */
static int race_series(const struct fr_doc *d, char (*series)[FR_NAME_LEN], int max)
{
	int n = 0;

	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_headline *h = &d->bench[i]->headline;

		for (int k = 0; races(d->bench[i]) && k < h->nr_counters; k++) {
			bool seen = false;

			for (int s = 0; s < n; s++)
				seen = seen || !strcmp(series[s], h->counter[k]);
			if (!seen && n < max)
				snprintf(series[n++], sizeof(series[0]), "%s", h->counter[k]);
		}
	}
	return n;
}

int fp_table_race(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	int max = d->nr_benches * FR_MAX_HEADLINE + 1;
	char(*series)[FR_NAME_LEN] = calloc((size_t)max, sizeof(*series));
	int n = series ? race_series(d, series, max) : 0;

	if (!n || fp_table_alloc(t, d->nr_benches, n)) {
		free(series);
		snprintf(note, len,
			 "no benchmark of two threads or more declares headline counters");
		return -1;
	}
	t->nr_series = n;
	memcpy(t->series, series, sizeof(*series) * (size_t)n);
	free(series);
	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_bench *b = d->bench[i];

		if (!races(b))
			continue;
		snprintf(t->label[t->nr_rows], sizeof(t->label[0]), "%s", b->run_name);
		t->unit[t->nr_rows] = b->unit;
		for (int k = 0; k < b->headline.nr_counters; k++) {
			int c = fr_bench_counter(b, b->headline.counter[k]);

			if (c >= 0)
				fp_table_set(t, t->nr_rows, find_series(t, b->headline.counter[k]),
					     cell_of(&b->per_iteration[c]));
		}
		t->nr_rows++;
	}
	return 0;
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

bool fp_page_has(const struct fp_table *t, const struct fp_page *p, int series)
{
	for (int i = 0; i < p->n; i++)
		if (t->cell[p->row[i] * t->nr_series + series].has)
			return true;
	return false;
}

int fp_table_write(const struct fp_table *t, const struct fp_page *p, FILE *f)
{
	fputs("# row label unit tick", f);
	for (int s = 0; s < t->nr_series; s++) {
		const char *pre = t->prefix ? t->prefix : "", *n = t->series[s];

		if (!fp_page_has(t, p, s))
			continue;
		fprintf(f, " %s%s_median %s%s_min %s%s_max", pre, n, pre, n, pre, n);
	}
	fputc('\n', f);
	for (int i = 0; i < p->n; i++) {
		int row = p->row[i];

		fprintf(f, "%d ", i + 1);
		put_word(f, t->label[row]);
		fputc(' ', f);
		put_word(f, t->unit[row] ? t->unit[row] : "");
		fputc(' ', f);
		put_word(f, p->tick[i]);
		for (int s = 0; s < t->nr_series; s++) {
			const struct fp_cell *c = &t->cell[row * t->nr_series + s];

			if (!fp_page_has(t, p, s))
				continue;
			put_num(f, c->has ? c->median : NAN);
			put_num(f, c->has ? c->min : NAN);
			put_num(f, c->has ? c->max : NAN);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
