// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table printed after a run: one row per configuration (median, cv,
 * range, rate), its floor, latency, headline counters and instruction count,
 * then the warnings.  Given a width (the terminal's), no line is longer: the
 * names' column narrows, a name too long for it gets a line of its own, and
 * any other line breaks between words, never inside a number.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <faultresults/result.h>

#define NUMBERS 54  /* " median cv min max iter/s": 11 + 8 + 11 + 11 + 13 */
#define CONTINUED 4 /* a broken line goes on this far in */
#define NAME_MIN 22 /* strlen("run (ns per iteration)") */
#define GLUE "\x1f" /* a space no line breaks at: between a name and its value */

struct out {
	FILE *f;
	int width; /* 0: no limit */
	int name;  /* the names' column */
	char *line;
	size_t len, cap;
};

static void emit(struct out *o, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fputc(p[i] == GLUE[0] ? ' ' : p[i], o->f);
}

/* One line (no newline in it), broken between words to fit the width. */
static void lay_out(struct out *o, const char *p, size_t len)
{
	size_t room = (size_t)o->width;

	while (o->width && len > room) {
		size_t cut = room;

		while (cut > 0 && p[cut] != ' ')
			cut--;
		while (cut > 0 && p[cut - 1] == ' ')
			cut--;
		if (!cut) { /* one word longer than the line: whole, past the edge */
			cut = strcspn(p, " ");
			if (cut >= len)
				break;
		}
		emit(o, p, cut);
		fprintf(o->f, "\n%*s", CONTINUED, "");
		for (p += cut, len -= cut; len && *p == ' '; p++, len--)
			;
		room = (size_t)o->width > CONTINUED ? (size_t)o->width - CONTINUED : 1;
	}
	emit(o, p, len);
	fputc('\n', o->f);
}

/* Adds to the line; each line it completes is laid out. */
static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *nl;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (o->len + (size_t)n + 1 > o->cap) {
		size_t cap = 2 * (o->len + (size_t)n + 1);
		char *grown = realloc(o->line, cap);

		if (!grown)
			return;
		o->line = grown;
		o->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(o->line + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
	while ((nl = memchr(o->line, '\n', o->len))) {
		size_t done = (size_t)(nl - o->line) + 1;

		lay_out(o, o->line, done - 1);
		memmove(o->line, nl + 1, o->len - done);
		o->len -= done;
	}
}

static void print_cv(struct out *o, double cv)
{
	if (isfinite(cv))
		put(o, " %6.2f%%", cv * 100);
	else
		put(o, " %7s", "-"); /* fewer than 2 repetitions: no spread to show */
}

static void print_headline(struct out *o, const struct fr_bench *b)
{
	const struct fr_headline *h = &b->headline;
	bool any = false;

	for (int i = 0; h->present && i < h->nr_counters; i++) {
		int c = fr_bench_counter(b, h->counter[i]);

		if (c < 0)
			continue;
		put(o, "%s %s/%s" GLUE "%.3f", any ? "," : "  headline:", h->counter[i], b->unit,
		    b->per_iteration[c].median);
		any = true;
	}
	if (any)
		put(o, "\n");
}

/* --measure: the median count, and its floor's; --breakdown: where the first repetition's went. */
static void print_instructions(struct out *o, const struct fr_bench *b)
{
	const struct fr_breakdown *bd = b->rep[0].breakdown;

	if (!b->measure.present)
		return;
	put(o, "  instructions/%s: %.6g (%s)", b->unit, b->instructions.median, b->measure.method);
	if (isfinite(b->instructions_ratio.median))
		put(o, ", floor %.6g, %.2fx", b->floor_instructions.median,
		    b->instructions_ratio.median);
	put(o, "\n");
	if (!bd)
		return;
	put(o, "  where the %.6g instructions of one %s go:\n   ", bd->total, b->unit);
	for (int p = 0; p < bd->nr_parts; p++)
		if (bd->part[p] != 0)
			put(o, " %s %.6g", bd->part_name[p], bd->part[p]);
	put(o, "\n    %-40s %10s %10s\n", "function (1 or more)", "self", "inclusive");
	for (int i = 0; i < bd->nr_fn; i++)
		if (bd->fn[i].inclusive >= 1)
			put(o, "    %-40s %10.6g %10.6g\n", bd->fn[i].function, bd->fn[i].self,
			    bd->fn[i].inclusive);
}

/* A name in the names' column, or on a line of its own when longer, the column then empty. */
static void name_cell(struct out *o, const char *name)
{
	if ((int)strlen(name) > o->name)
		put(o, "%s\n%*s", name, o->name, "");
	else
		put(o, "%-*s", o->name, name);
}

static void print_percentiles(struct out *o, const char *what, const struct fr_percentiles *p)
{
	if (!p->count) {
		put(o, "  %s: none timed", what);
		return;
	}
	put(o,
	    "  %s ns: p50" GLUE "%.0f p90" GLUE "%.0f p99" GLUE "%.0f p99.9" GLUE "%.0f max" GLUE
	    "%.0f",
	    what, p->p50, p->p90, p->p99, p->p999, p->max);
}

static void print_bench(struct out *o, const struct fr_bench *b)
{
	const struct fr_latency *lat = &b->latency;
	char floor[96];

	name_cell(o, b->run_name);
	put(o, " %10.2f", b->real.median);
	print_cv(o, b->real.cv);
	put(o, " %10.2f %10.2f %12.4g", b->real.min, b->real.max, b->items.median);
	if (isfinite(b->ratio.median)) {
		snprintf(floor, sizeof(floor), "  floor" GLUE "%.2f" GLUE "ns, %.2fx",
			 b->floor_real.median, b->ratio.median);
		if (o->width && o->len + strlen(floor) > (size_t)o->width)
			put(o, "\n"); /* the row's numbers stay aligned; the floor goes below */
		put(o, "%s", floor);
	}
	put(o, "\n");
	if (b->label[0])
		put(o, "  label: %s\n", b->label);
	if (lat->present) {
		print_percentiles(o, "latency", &lat->op);
		put(o, " (timing costs %.1f ns of each)\n", lat->timing_overhead_ns);
	}
	if (lat->present && lat->rounds) {
		print_percentiles(o, "to first install", &lat->first_install);
		put(o, "\n");
		print_percentiles(o, "to last return", &lat->last_return);
		put(o, "\n");
	}
	/* One thread has nothing to share. */
	if (b->fairness.present && b->threads > 1)
		put(o, "  fairness of %s: Jain" GLUE "%.3f, shares %.3f..%.3f of %d threads\n",
		    b->fairness.of, b->fairness.jain, b->fairness.min_share, b->fairness.max_share,
		    b->threads);
	print_headline(o, b);
	print_instructions(o, b);
	if (b->verify_failed)
		put(o, "  VERIFY FAILED: %s\n", b->verify_error);
}

/* As wide as the longest name, but not so wide that the numbers would not fit after it. */
static int name_column(const struct fr_doc *d, int width)
{
	int n = NAME_MIN;

	for (int i = 0; i < d->nr_benches; i++)
		if (d->bench[i]->nr_reps && (int)strlen(d->bench[i]->run_name) > n)
			n = (int)strlen(d->bench[i]->run_name);
	if (width && n > width - NUMBERS)
		n = width - NUMBERS > 0 ? width - NUMBERS : 0;
	return n;
}

void fr_doc_print_table(const struct fr_doc *d, FILE *f, int width)
{
	struct out o = { .f = f, .width = width > 0 ? width : 0 };

	o.name = name_column(d, o.width);
	name_cell(&o, "run (ns per iteration)");
	put(&o, " %10s %7s %10s %10s %12s\n", "median", "cv", "min", "max", "iter/s");
	for (int i = 0; i < d->nr_benches; i++)
		if (d->bench[i]->nr_reps)
			print_bench(&o, d->bench[i]);
	put(&o, "harness overhead: %.3f ns/op (a null loop, one thread; target <= 1 ns/op)\n",
	    d->ctx.harness_overhead_ns);
	for (int i = 0; i < d->nr_warnings; i++)
		put(&o, "warning: %s\n", d->warning[i]);
	free(o.line);
}
