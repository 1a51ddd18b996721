// SPDX-License-Identifier: GPL-2.0-only
/* A result document in memory: its benchmarks and warnings. */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void fr_doc_init(struct fr_doc *d)
{
	memset(d, 0, sizeof(*d));
}

void fr_breakdown_free(struct fr_breakdown *b)
{
	if (b)
		free(b->fn);
	free(b);
}

static void bench_free(struct fr_bench *b)
{
	for (int k = 0; k < b->nr_reps; k++) {
		fr_breakdown_free(b->rep[k].breakdown);
		free(b->rep[k].thread);
	}
	free(b->rep);
	free(b);
}

void fr_doc_free(struct fr_doc *d)
{
	for (int i = 0; i < d->nr_benches; i++)
		bench_free(d->bench[i]);
	for (int i = 0; i < d->nr_warnings; i++)
		free(d->warning[i]);
	free(d->bench);
	free(d->warning);
	free(d->verdict);
	memset(d, 0, sizeof(*d));
}

struct fr_bench *fr_doc_add_bench(struct fr_doc *d, int reps)
{
	struct fr_bench **grown = realloc(d->bench, sizeof(*grown) * (size_t)(d->nr_benches + 1));
	struct fr_bench *b;

	if (!grown)
		return NULL;
	d->bench = grown;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->rep = calloc((size_t)(reps > 0 ? reps : 1), sizeof(*b->rep));
	if (!b->rep) {
		free(b);
		return NULL;
	}
	for (int i = 0; i < (reps > 0 ? reps : 1); i++)
		b->rep[i].round = -1;
	d->bench[d->nr_benches++] = b;
	return b;
}

void fr_doc_rollback(struct fr_doc *d, int nr_benches, int nr_warnings)
{
	while (d->nr_benches > nr_benches)
		bench_free(d->bench[--d->nr_benches]);
	while (d->nr_warnings > nr_warnings)
		free(d->warning[--d->nr_warnings]);
}

bool fr_doc_has_warning(const struct fr_doc *d, const char *w)
{
	for (int i = 0; i < d->nr_warnings; i++)
		if (!strcmp(d->warning[i], w))
			return true;
	return false;
}

int fr_doc_take(struct fr_doc *d, struct fr_doc *from)
{
	struct fr_bench **grown =
		realloc(d->bench, sizeof(*grown) * (size_t)(d->nr_benches + from->nr_benches + 1));

	if (!grown)
		return -1;
	d->bench = grown;
	for (int i = 0; i < from->nr_benches; i++)
		d->bench[d->nr_benches++] = from->bench[i];
	from->nr_benches = 0;
	for (int i = 0; i < from->nr_warnings; i++)
		if (!fr_doc_has_warning(d, from->warning[i]) &&
		    fr_doc_warn(d, "%s", from->warning[i]))
			return -1;
	return 0;
}

int fr_lines_vadd(char ***lines, int *n, const char *fmt, va_list ap)
{
	char **grown = realloc(*lines, sizeof(*grown) * (size_t)(*n + 1));

	if (!grown)
		return -1;
	*lines = grown;
	if (vasprintf(&grown[*n], fmt, ap) < 0)
		return -1;
	(*n)++;
	return 0;
}

int fr_doc_warn(struct fr_doc *d, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fr_lines_vadd(&d->warning, &d->nr_warnings, fmt, ap);
	va_end(ap);
	return ret;
}

int fr_bench_counter(const struct fr_bench *b, const char *name)
{
	for (int i = 0; i < b->nr_counters; i++)
		if (!strcmp(b->counter_name[i], name))
			return i;
	return -1;
}

const char *fr_bench_param(const struct fr_bench *b, const char *name)
{
	for (int i = 0; i < b->nr_params; i++)
		if (!strcmp(b->param[i].name, name))
			return b->param[i].value;
	return NULL;
}
