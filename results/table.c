// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table printed after a run: one row per configuration (median, cv,
 * range, rate), its floor, latency, headline counters and instruction count,
 * then the warnings.
 */
#include <math.h>

#include <faultresults/result.h>

static void print_cv(FILE *f, double cv)
{
	if (isfinite(cv))
		fprintf(f, " %6.2f%%", cv * 100);
	else
		fprintf(f, " %7s", "-"); /* fewer than 2 repetitions: no spread to show */
}

static void print_headline(FILE *f, const struct fr_bench *b)
{
	const struct fr_headline *h = &b->headline;
	bool any = false;

	for (int i = 0; h->present && i < h->nr_counters; i++) {
		int c = fr_bench_counter(b, h->counter[i]);

		if (c < 0)
			continue;
		fprintf(f, "%s %s/%s %.3f", any ? "," : "  headline:", h->counter[i], b->unit,
			b->per_iteration[c].median);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

/* --measure: the median count, and its floor's; --breakdown: where the first repetition's went. */
static void print_instructions(FILE *f, const struct fr_bench *b)
{
	const struct fr_breakdown *bd = b->rep[0].breakdown;

	if (!b->measure.present)
		return;
	fprintf(f, "  instructions/%s: %.6g (%s)", b->unit, b->instructions.median,
		b->measure.method);
	if (isfinite(b->instructions_ratio.median))
		fprintf(f, ", floor %.6g, %.2fx", b->floor_instructions.median,
			b->instructions_ratio.median);
	fputc('\n', f);
	if (!bd)
		return;
	fprintf(f, "  where the %.6g instructions of one %s go:\n   ", bd->total, b->unit);
	for (int p = 0; p < bd->nr_parts; p++)
		if (bd->part[p] != 0)
			fprintf(f, " %s %.6g", bd->part_name[p], bd->part[p]);
	fprintf(f, "\n    %-40s %10s %10s\n", "function (1 or more)", "self", "inclusive");
	for (int i = 0; i < bd->nr_fn; i++)
		if (bd->fn[i].inclusive >= 1)
			fprintf(f, "    %-40s %10.6g %10.6g\n", bd->fn[i].function, bd->fn[i].self,
				bd->fn[i].inclusive);
}

static void print_bench(FILE *f, const struct fr_bench *b)
{
	const struct fr_latency *lat = &b->latency;

	fprintf(f, "%-44s %10.2f", b->run_name, b->real.median);
	print_cv(f, b->real.cv);
	fprintf(f, " %10.2f %10.2f %12.4g", b->real.min, b->real.max, b->items.median);
	if (isfinite(b->ratio.median))
		fprintf(f, "  floor %.2f ns, %.2fx", b->floor_real.median, b->ratio.median);
	fputc('\n', f);
	if (b->label[0])
		fprintf(f, "  label: %s\n", b->label);
	if (lat->present)
		fprintf(f,
			"  latency ns: p50 %.0f p90 %.0f p99 %.0f p99.9 %.0f max %.0f "
			"(timing costs %.1f ns of each)\n",
			lat->p50, lat->p90, lat->p99, lat->p999, lat->max, lat->timing_overhead_ns);
	print_headline(f, b);
	print_instructions(f, b);
	if (b->verify_failed)
		fprintf(f, "  VERIFY FAILED: %s\n", b->verify_error);
}

void fr_doc_print_table(const struct fr_doc *d, FILE *f)
{
	fprintf(f, "%-44s %10s %7s %10s %10s %12s\n", "run (ns per iteration)", "median", "cv",
		"min", "max", "iter/s");
	for (int i = 0; i < d->nr_benches; i++)
		if (d->bench[i]->nr_reps)
			print_bench(f, d->bench[i]);
	fprintf(f, "harness overhead: %.3f ns/op (a null loop, one thread; target <= 1 ns/op)\n",
		d->ctx.harness_overhead_ns);
	for (int i = 0; i < d->nr_warnings; i++)
		fprintf(f, "warning: %s\n", d->warning[i]);
}
