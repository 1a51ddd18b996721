// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statistics of a result, computed once: a benchmark's summaries over its
 * repetitions, and the warnings they call for.  Writers only format them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <faultresults/result.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void fr_summarize(const double *v, int n, struct fr_summary *out)
{
	double sorted[n > 0 ? n : 1], sum = 0, sq = 0;
	int k = 0;

	for (int i = 0; i < n; i++)
		if (isfinite(v[i]))
			sorted[k++] = v[i];
	memset(out, 0, sizeof(*out)); /* padding too: equal summaries are equal bytes */
	out->mean = out->median = out->stddev = out->cv = out->min = out->max = NAN;
	out->n = k;
	if (!k)
		return;
	qsort(sorted, (size_t)k, sizeof(double), cmp_double);
	for (int i = 0; i < k; i++)
		sum += sorted[i];
	out->mean = sum / k;
	out->min = sorted[0];
	out->max = sorted[k - 1];
	out->median = k % 2 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
	/* One sample has no spread: unknown, not zero. */
	if (k < 2)
		return;
	for (int i = 0; i < k; i++)
		sq += (sorted[i] - out->mean) * (sorted[i] - out->mean);
	/* Sample stddev, as google/benchmark reports it. */
	out->stddev = sqrt(sq / (k - 1));
	out->cv = out->mean != 0 ? out->stddev / out->mean : NAN;
}

double fr_rep_per_iteration(const struct fr_rep *r, int c)
{
	return r->iterations ? (double)r->counter[c] / (double)r->iterations : NAN;
}

double fr_rep_ratio(const struct fr_rep *r)
{
	return r->floor_ns > 0 ? r->real_ns / r->floor_ns : NAN;
}

double fr_rep_instructions(const struct fr_rep *r)
{
	return r->iterations ? (double)r->instructions / (double)r->iterations : NAN;
}

double fr_rep_instructions_ratio(const struct fr_rep *r)
{
	return r->floor_instructions > 0 ? fr_rep_instructions(r) / r->floor_instructions : NAN;
}

enum field { REAL, CPU, ITEMS, FLOOR, RATIO, INSTRUCTIONS, FLOOR_INSTRUCTIONS, INSTRUCTIONS_RATIO };

static double field_of(const struct fr_rep *r, enum field f)
{
	switch (f) {
	case REAL:
		return r->real_ns;
	case CPU:
		return r->cpu_ns;
	case ITEMS:
		return r->items_per_second;
	case FLOOR:
		return r->floor_ns;
	case RATIO:
		return fr_rep_ratio(r);
	case INSTRUCTIONS:
		return fr_rep_instructions(r);
	case FLOOR_INSTRUCTIONS:
		return r->floor_instructions > 0 ? r->floor_instructions : NAN;
	case INSTRUCTIONS_RATIO:
		return fr_rep_instructions_ratio(r);
	}
	return NAN;
}

static void summarize_field(const struct fr_bench *b, enum field f, struct fr_summary *s)
{
	double v[b->nr_reps > 0 ? b->nr_reps : 1];

	for (int i = 0; i < b->nr_reps; i++)
		v[i] = field_of(&b->rep[i], f);
	fr_summarize(v, b->nr_reps, s);
}

enum share { OPS, STORES, INSTALLS };

static double thread_share(const struct fr_bench *b, int t, enum share of)
{
	double x = 0;

	for (int i = 0; i < b->nr_reps; i++) {
		const struct fr_thread *th = &b->rep[i].thread[t];

		x += (double)(of == OPS ? th->ops : of == STORES ? th->stores : th->installs);
	}
	return x;
}

static double share_total(const struct fr_bench *b, enum share of)
{
	double sum = 0;

	for (int t = 0; t < b->threads; t++)
		sum += thread_share(b, t, of);
	return sum;
}

/* Over the sums of every repetition; absent when one has no per-thread figures. */
static void summarize_fairness(struct fr_bench *b)
{
	static const char *const names[] = { "ops", "stores", "installs" };
	struct fr_fairness *f = &b->fairness;
	enum share of = OPS;
	double sum, sq = 0, lo = INFINITY, hi = 0;

	memset(f, 0, sizeof(*f));
	if (!b->nr_reps || b->threads < 1)
		return;
	for (int i = 0; i < b->nr_reps; i++)
		if (!b->rep[i].thread)
			return;
	if (!strcmp(b->shape, "rounds"))
		of = share_total(b, INSTALLS) > 0 ? INSTALLS : STORES;
	sum = share_total(b, of);
	if (sum == 0)
		return;
	for (int t = 0; t < b->threads; t++) {
		double x = thread_share(b, t, of);

		sq += x * x;
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	f->present = true;
	strcpy(f->of, names[of]);
	f->jain = sum * sum / ((double)b->threads * sq);
	f->min_share = lo / sum;
	f->max_share = hi / sum;
}

void fr_bench_summarize(struct fr_bench *b)
{
	double v[b->nr_reps > 0 ? b->nr_reps : 1];

	summarize_field(b, REAL, &b->real);
	summarize_field(b, CPU, &b->cpu);
	summarize_field(b, ITEMS, &b->items);
	summarize_field(b, FLOOR, &b->floor_real);
	summarize_field(b, RATIO, &b->ratio);
	summarize_field(b, INSTRUCTIONS, &b->instructions);
	summarize_field(b, FLOOR_INSTRUCTIONS, &b->floor_instructions);
	summarize_field(b, INSTRUCTIONS_RATIO, &b->instructions_ratio);
	for (int c = 0; c < b->nr_counters; c++) {
		for (int i = 0; i < b->nr_reps; i++)
			v[i] = fr_rep_per_iteration(&b->rep[i], c);
		fr_summarize(v, b->nr_reps, &b->per_iteration[c]);
	}
	summarize_fairness(b);
}

void fr_bench_warnings(struct fr_doc *d, const struct fr_bench *b)
{
	bool callgrind = b->measure.present && !strcmp(b->measure.method, "callgrind");

	/* Under callgrind the clock runs at valgrind's pace: its spread says nothing. */
	if (callgrind)
		fr_doc_warn(d,
			    "%s: counted under callgrind: its times are valgrind's, not the "
			    "machine's",
			    b->run_name);
	else if (b->real.cv > FR_UNSTABLE_CV)
		fr_doc_warn(d, "%s: unstable, cv %.1f%% > %.0f%% over %d repetitions", b->run_name,
			    b->real.cv * 100, FR_UNSTABLE_CV * 100, b->nr_reps);
	if (b->oversubscribed)
		fr_doc_warn(d, "%s: oversubscribed, %d threads on fewer CPUs", b->run_name,
			    b->threads);
	if (b->verify_failed)
		fr_doc_warn(d, "%s: verify failed: %s", b->run_name, b->verify_error);
	if (b->nr_reps < b->repetitions)
		fr_doc_warn(d, "%s: interrupted after %d of %d repetitions", b->run_name,
			    b->nr_reps, b->repetitions);
}
