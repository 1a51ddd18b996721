// SPDX-License-Identifier: GPL-2.0-only
/*
 * Curves: tables whose rows are the lines of a figure and whose series are
 * the points along its x axis (t->x), written transposed, one x point a
 * row, so that gnuplot draws a line per column.  Like data.c, nothing here
 * names a scenario or a counter: the race figure draws the counters each
 * benchmark's headline declares, and the pgoff figure the benchmarks that
 * have a parameter of that name.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The parameter the pgoff figure draws along x. */
#define PGOFF "pgoff"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int find_row(const struct fp_table *t, const char *label)
{
	for (int i = 0; i < t->nr_rows; i++)
		if (!strcmp(t->label[i], label))
			return i;
	return -1;
}

/* Row label's row, added (with unit) when new. */
static int row_of(struct fp_table *t, const char *label, const char *unit)
{
	int r = find_row(t, label);

	if (r >= 0)
		return r;
	r = t->nr_rows++;
	snprintf(t->label[r], sizeof(t->label[r]), "%s", label);
	t->unit[r] = unit;
	return r;
}

static int series_at(const struct fp_table *t, double x)
{
	for (int s = 0; s < t->nr_series; s++)
		if (t->x[s] == x)
			return s;
	return -1;
}

/* The series: the distinct values of xs[0..n), in order, each its own name. */
static void set_series(struct fp_table *t, double *xs, int n)
{
	qsort(xs, (size_t)n, sizeof(*xs), cmp_double);
	for (int i = 0; i < n; i++) {
		if (t->nr_series && t->x[t->nr_series - 1] == xs[i])
			continue;
		t->x[t->nr_series] = xs[i];
		snprintf(t->series[t->nr_series++], FR_NAME_LEN, "%g", xs[i]);
	}
}

/* --- latency: p50 .. max, along "nines" (p90 is 1, p99 2, p99.9 3) ------------ */

static const struct {
	const char *name;
	double x;
} percentiles[] = { { "p50", 0.30103 }, { "p90", 1 }, { "p99", 2 }, { "p99.9", 3 }, { "max", 4 } };
#define NR_PERCENTILES 5

static double percentile(const struct fr_latency *l, int i)
{
	const double v[NR_PERCENTILES] = { l->op.p50, l->op.p90, l->op.p99, l->op.p999, l->op.max };

	return v[i];
}

int fp_table_latency(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	int n = 0;

	for (int i = 0; i < d->nr_benches; i++)
		n += fp_drawable(d->bench[i]) && d->bench[i]->latency.present;
	if (!n || fp_table_alloc(t, n, NR_PERCENTILES)) {
		snprintf(note, len, "no benchmark has latency percentiles (run with --latency)");
		return -1;
	}
	t->nr_series = NR_PERCENTILES;
	for (int s = 0; s < NR_PERCENTILES; s++) {
		snprintf(t->series[s], sizeof(t->series[s]), "%s", percentiles[s].name);
		t->x[s] = percentiles[s].x;
	}
	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_bench *b = d->bench[i];
		int r;

		if (!fp_drawable(b) || !b->latency.present)
			continue;
		r = row_of(t, b->run_name, b->unit);
		for (int s = 0; s < NR_PERCENTILES; s++) {
			double v = percentile(&b->latency, s);

			if (isfinite(v))
				fp_table_set(t, r, s, (struct fp_cell){ v, v, v, true });
		}
	}
	return 0;
}

/* --- pgoff: time per iteration by the value of the pgoff parameter ------------ */

/* b's run name without its pgoff part (and without "/threads:1"); its pgoff, or NAN. */
static double pgoff_of(const struct fr_bench *b, char *line, size_t len)
{
	const char *v = fr_bench_param(b, PGOFF);
	char part[FR_NAME_LEN * 2], *cut;

	snprintf(line, len, "%s", b->run_name);
	if (!v || !fp_drawable(b) || b->real.n <= 0)
		return NAN;
	snprintf(part, sizeof(part), "/%s:%s", PGOFF, v);
	cut = strstr(line, part);
	if (cut)
		memmove(cut, cut + strlen(part), strlen(cut + strlen(part)) + 1);
	cut = strstr(line, "/threads:1");
	if (cut && !cut[strlen("/threads:1")])
		*cut = '\0';
	return strtod(v, NULL);
}

int fp_table_pgoff(const struct fr_doc *d, struct fp_table *t, char *note, size_t len)
{
	double xs[d->nr_benches + 1];
	char line[FR_NAME_LEN * 4];
	int n = 0;

	for (int i = 0; i < d->nr_benches; i++) {
		double x = pgoff_of(d->bench[i], line, sizeof(line));

		if (isfinite(x))
			xs[n++] = x;
	}
	if (!n || fp_table_alloc(t, n, n)) {
		snprintf(note, len, "no benchmark has a parameter %s", PGOFF);
		return -1;
	}
	set_series(t, xs, n);
	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_bench *b = d->bench[i];
		double x = pgoff_of(b, line, sizeof(line));

		if (isfinite(x))
			fp_table_set(t, row_of(t, line, b->unit), series_at(t, x),
				     fp_cell_of(&b->real));
	}
	return 0;
}

/* --- race: each headline counter per iteration, by thread count --------------- */

/* A configuration some run of which has two threads or more and declares counters. */
static bool racing(const struct fr_doc *d, const struct fr_bench *b)
{
	char want[sizeof(b->run_name)], config[sizeof(b->run_name)];

	if (!fp_drawable(b) || !b->headline.present || !b->headline.nr_counters)
		return false;
	fp_config_of(b, want, sizeof(want));
	for (int i = 0; i < d->nr_benches; i++) {
		fp_config_of(d->bench[i], config, sizeof(config));
		if (d->bench[i]->threads >= 2 && fp_drawable(d->bench[i]) && !strcmp(config, want))
			return true;
	}
	return false;
}

/* Every headline counter of the racing configurations, once, in the order first declared. */
static int race_counters(const struct fr_doc *d, char (*names)[FR_NAME_LEN], int max)
{
	int n = 0;

	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_headline *h = &d->bench[i]->headline;

		for (int k = 0; racing(d, d->bench[i]) && k < h->nr_counters; k++) {
			bool seen = false;

			for (int j = 0; j < n; j++)
				seen = seen || !strcmp(names[j], h->counter[k]);
			if (!seen && n < max)
				snprintf(names[n++], FR_NAME_LEN, "%s", h->counter[k]);
		}
	}
	return n;
}

static bool declares(const struct fr_bench *b, const char *name)
{
	for (int k = 0; k < b->headline.nr_counters; k++)
		if (!strcmp(b->headline.counter[k], name))
			return true;
	return false;
}

/* Counter name per iteration of every racing configuration that declares it, by threads. */
static int race_table(const struct fr_doc *d, struct fp_table *t, const char *name)
{
	double xs[d->nr_benches + 1];
	char config[FR_NAME_LEN * 4];
	int n = 0;

	for (int i = 0; i < d->nr_benches; i++)
		if (racing(d, d->bench[i]))
			xs[n++] = d->bench[i]->threads;
	if (fp_table_alloc(t, n, n))
		return -1;
	set_series(t, xs, n);
	snprintf(t->name, sizeof(t->name), "%s", name);
	for (int i = 0; i < d->nr_benches; i++) {
		const struct fr_bench *b = d->bench[i];
		int c = declares(b, name) ? fr_bench_counter(b, name) : -1, r;

		if (!racing(d, b))
			continue;
		fp_config_of(b, config, sizeof(config));
		r = row_of(t, config, b->unit);
		if (c >= 0)
			fp_table_set(t, r, series_at(t, b->threads),
				     fp_cell_of(&b->per_iteration[c]));
	}
	return 0;
}

int fp_tables_race(const struct fr_doc *d, struct fp_table *t, int max, char *note, size_t len)
{
	char names[FR_MAX_HEADLINE * 4][FR_NAME_LEN];
	int n = race_counters(d, names, max < FR_MAX_HEADLINE * 4 ? max : FR_MAX_HEADLINE * 4);

	for (int k = 0; k < n; k++) {
		if (race_table(d, &t[k], names[k])) {
			while (k--)
				fp_table_free(&t[k]);
			n = 0;
			break;
		}
	}
	if (!n)
		snprintf(
			note, len,
			"no configuration run with two threads or more declares headline counters");
	return n;
}

/* --- the data file ---------------------------------------------------------- */

/* A line's name in the legend and the columns: its tick, '|' read as '/'. */
static void put_line_name(FILE *f, const char *tick)
{
	for (; *tick; tick++)
		fputc(*tick == '|' ? '/' : *tick, f);
}

int fp_curves_write(const struct fp_table *t, int nt, const struct fp_page *p, FILE *f)
{
	fputs("# row label unit tick", f);
	for (int k = 0; k < nt; k++) {
		for (int i = 0; i < p->n; i++) {
			static const char *const col[] = { "median", "min", "max" };

			for (int c = 0; c < 3; c++) {
				fputc(' ', f);
				if (t[k].name[0])
					fprintf(f, "%s@", t[k].name);
				put_line_name(f, p->tick[i]);
				fprintf(f, "_%s", col[c]);
			}
		}
	}
	fputc('\n', f);
	for (int s = 0; s < t[0].nr_series; s++) {
		fprintf(f, "%g %s %s %s", t[0].x[s], t[0].series[s], t[0].unit[p->row[0]],
			t[0].series[s]);
		for (int k = 0; k < nt; k++) {
			for (int i = 0; i < p->n; i++) {
				const struct fp_cell *c =
					&t[k].cell[p->row[i] * t[k].nr_series + s];

				fp_put_num(f, c->has ? c->median : NAN);
				fp_put_num(f, c->has ? c->min : NAN);
				fp_put_num(f, c->has ? c->max : NAN);
			}
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
