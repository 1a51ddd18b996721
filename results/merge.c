// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rounds of one suite merged into one result: compare-branches runs the
 * same suite N times per side, interleaved with the other side's runs, and
 * each benchmark of the merged document holds every round's repetitions,
 * each tagged with the round it ran in (faultbench.round), so that a paired
 * statistic can set a base round beside the contender's of the same round.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool same_bench(const struct fr_bench *a, const struct fr_bench *b)
{
	return !strcmp(a->run_name, b->run_name) && !strcmp(a->label, b->label);
}

/* Appends from's repetitions to b; from keeps none (its breakdowns move too). */
static int take_reps(struct fr_bench *b, struct fr_bench *from)
{
	struct fr_rep *grown =
		realloc(b->rep, sizeof(*grown) * (size_t)(b->nr_reps + from->nr_reps + 1));

	if (!grown)
		return -1;
	b->rep = grown;
	memcpy(b->rep + b->nr_reps, from->rep, sizeof(*grown) * (size_t)from->nr_reps);
	b->nr_reps += from->nr_reps;
	b->repetitions += from->repetitions;
	from->nr_reps = 0;
	return 0;
}

/* Whether warning w is one of b's own (fr_bench_warnings() starts them with its name). */
static bool warning_of(const char *w, const struct fr_bench *b)
{
	size_t n = strlen(b->run_name);

	return !strncmp(w, b->run_name, n) && w[n] == ':';
}

/*
 * The benchmarks' warnings said what one round saw (a cv, an interrupted
 * repetition): they are dropped and made again over all the rounds.  The
 * others (the machine's) are kept once.
 */
static void rewarn(struct fr_doc *d)
{
	int kept = 0;

	for (int i = 0; i < d->nr_warnings; i++) {
		bool own = false;

		for (int k = 0; k < d->nr_benches && !own; k++)
			own = warning_of(d->warning[i], d->bench[k]);
		if (own)
			free(d->warning[i]);
		else
			d->warning[kept++] = d->warning[i];
	}
	d->nr_warnings = kept;
	for (int k = 0; k < d->nr_benches; k++)
		fr_bench_warnings(d, d->bench[k]);
}

int fr_doc_merge(struct fr_doc *d, struct fr_doc *from, int round, char *err, size_t errlen)
{
	for (int k = 0; k < from->nr_benches; k++)
		for (int i = 0; i < from->bench[k]->nr_reps; i++)
			from->bench[k]->rep[i].round = round;
	if (!d->nr_benches) {
		d->ctx = from->ctx;
	} else if (d->nr_benches != from->nr_benches) {
		snprintf(err, errlen, "round %d has %d benchmarks, the first had %d", round,
			 from->nr_benches, d->nr_benches);
		return -1;
	}
	for (int k = 0; k < d->nr_benches; k++)
		if (!same_bench(d->bench[k], from->bench[k])) {
			snprintf(err, errlen, "round %d's benchmark %d is %s, the first round's %s",
				 round, k, from->bench[k]->run_name, d->bench[k]->run_name);
			return -1;
		}
	if (!d->nr_benches) {
		if (fr_doc_take(d, from))
			goto oom;
	} else {
		for (int k = 0; k < d->nr_benches; k++)
			if (take_reps(d->bench[k], from->bench[k]))
				goto oom;
		/* The machine's warnings the earlier rounds did not have. */
		for (int i = 0; i < from->nr_warnings; i++)
			if (!fr_doc_has_warning(d, from->warning[i]) &&
			    fr_doc_warn(d, "%s", from->warning[i]))
				goto oom;
	}
	d->interrupted |= from->interrupted;
	for (int k = 0; k < d->nr_benches; k++)
		fr_bench_summarize(d->bench[k]);
	rewarn(d);
	return 0;
oom:
	snprintf(err, errlen, "out of memory merging round %d", round);
	return -1;
}
