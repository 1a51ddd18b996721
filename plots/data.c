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

bool fp_drawable(const struct fr_bench *b)
{
	return b->nr_reps > 0 && !b->verify_failed;
}

struct fp_cell fp_cell_of(const struct fr_summary *s)
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
	t->x = calloc((size_t)series + 1, sizeof(*t->x));
	if (t->label && t->unit && t->series && t->cell && t->x)
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
	free(t->x);
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

static const struct fr_summary *pick_items(const struct fr_bench *b)
{
	return &b->items;
}

static bool has(const struct fr_bench *b, pick_fn pick)
{
	return fp_drawable(b) && pick(b)->n > 0;
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
	for (int s = 0; s < nt; s++) {
		snprintf(t->series[s], sizeof(t->series[s]), "%d", threads[s]);
		t->x[s] = threads[s];
	}
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
		fp_table_set(t, row, s, fp_cell_of(pick(b)));
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

int fp_table_scaling(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	if (!table_by_threads(d, t, pick_items))
		return 0;
	snprintf(note, len, "no benchmark has items_per_second");
	return -1;
}

int fp_table_ratio(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	if (!table_by_threads(d, t, pick_ratio))
		return 0;
	snprintf(note, len, "no benchmark has a floor (faultbench.ratio_to_floor)");
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

void fp_put_num(FILE *f, double v)
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
			fp_put_num(f, c->has ? c->median : NAN);
			fp_put_num(f, c->has ? c->min : NAN);
			fp_put_num(f, c->has ? c->max : NAN);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
