// SPDX-License-Identifier: GPL-2.0-only
/*
 * A figure's footnote: the result's warnings, so that a figure pasted into
 * a mail without its table still says that its numbers are noisy.  A
 * warning about one benchmark ("RUN: unstable, cv 11.2% > 5% ...") is
 * counted by its kind, the words before its first ',' or ':'; a warning about the
 * machine is kept to its words before the first ':' or '('.
 */
#include <string.h>

#include "internal.h"

/* Characters of the footnote's font across the figure. */
#define LINE_CHARS 140
#define MAX_KINDS 16

struct kind {
	char what[FR_NAME_LEN];
	int n;
};

/* The benchmark a warning is about: the length of "RUN: " it starts with, or 0. */
static size_t about_bench(const struct fr_doc *d, const char *w)
{
	for (int i = 0; i < d->nr_benches; i++) {
		size_t n = strlen(d->bench[i]->run_name);

		if (!strncmp(w, d->bench[i]->run_name, n) && !strncmp(w + n, ": ", 2))
			return n + 2;
	}
	return 0;
}

static void count(struct kind *k, int *nk, const char *what, size_t n)
{
	for (int i = 0; i < *nk; i++) {
		if (strlen(k[i].what) == n && !strncmp(k[i].what, what, n)) {
			k[i].n++;
			return;
		}
	}
	if (*nk < MAX_KINDS) {
		snprintf(k[*nk].what, sizeof(k[0].what), "%.*s", (int)n, what);
		k[(*nk)++].n = 1;
	}
}

/* Adds one item; a second line starts where the first would pass LINE_CHARS, and is the last. */
static void add(char *buf, size_t len, size_t *line_start, const char *item)
{
	size_t at = strlen(buf);

	if (!at) {
		snprintf(buf, len, "Warnings: %s", item);
		return;
	}
	if (at + 2 + strlen(item) - *line_start <= LINE_CHARS) {
		snprintf(buf + at, len - at, "; %s", item);
	} else if (!*line_start) {
		snprintf(buf + at, len - at, ";|%s", item);
		*line_start = at + 2;
	}
}

void fp_footnote(const struct fr_doc *d, char *buf, size_t len)
{
	struct kind machine[MAX_KINDS], bench[MAX_KINDS];
	int nm = 0, nb = 0;
	size_t line_start = 0;
	char item[FR_NAME_LEN + 32];

	for (int i = 0; i < d->nr_warnings; i++) {
		const char *w = d->warning[i];
		size_t at = about_bench(d, w);

		if (at)
			count(bench, &nb, w + at, strcspn(w + at, ",:"));
		else
			count(machine, &nm, w, strcspn(w, ":("));
	}
	buf[0] = '\0';
	if (d->interrupted)
		add(buf, len, &line_start, "interrupted run");
	for (int i = 0; i < nm; i++) {
		size_t n = strlen(machine[i].what);

		while (n && machine[i].what[n - 1] == ' ')
			machine[i].what[--n] = '\0';
		add(buf, len, &line_start, machine[i].what);
	}
	for (int i = 0; i < nb; i++) {
		snprintf(item, sizeof(item), "%s: %d benchmark%s", bench[i].what, bench[i].n,
			 bench[i].n == 1 ? "" : "s");
		add(buf, len, &line_start, item);
	}
}
