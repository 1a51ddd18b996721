// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tick labels that never run into each other.  A figure is 1000 pixels
 * wide; its plot holds FP_TICK_CHARS characters of the tick font across, so
 * a figure of n rows gives each label fp_slot_chars(n) characters a line.
 * Rows are split by unit (ns per op and ns per round never share an axis),
 * then into pages of at most FP_MAX_ROWS rows that keep a scenario's rows
 * together where they fit; a page whose rows share their scenario names it
 * once, under the axis, and its ticks hold only the parameters.  What is
 * left is wrapped at '/' and ':' and, past the slot, cut into slot-wide
 * lines.
 */
#include <string.h>

#include "internal.h"

int fp_slot_chars(int rows)
{
	return FP_TICK_CHARS / (rows > 0 ? rows : 1) - 1;
}

/* "same-addr/recheck:none" -> "same-addr": the scenario, or a label's first part. */
static size_t first_part(const char *label)
{
	return strcspn(label, "/");
}

static bool same_first_part(const char *a, const char *b)
{
	size_t n = first_part(a);

	return n == first_part(b) && !strncmp(a, b, n);
}

/* The rows of t of one unit (NULL: every row), in table order. */
static int rows_of_unit(const struct fp_table *t, const char *unit, int *rows)
{
	int n = 0;

	for (int r = 0; r < t->nr_rows; r++)
		if (!unit || (t->unit[r] && !strcmp(t->unit[r], unit)))
			rows[n++] = r;
	return n;
}

/* The length of the group of rows that share rows[0]'s first part. */
static int group_len(const struct fp_table *t, const int *rows, int n)
{
	int g = 1;

	while (g < n && same_first_part(t->label[rows[0]], t->label[rows[g]]))
		g++;
	return g;
}

/* Appends s, cut into lines of at most slot characters, breaking after ':' where it can. */
static void put_wrapped(char *tick, size_t len, const char *s, int slot)
{
	size_t at = strlen(tick);

	while (*s) {
		int n = (int)strlen(s);

		if (n > slot) {
			const char *colon = memchr(s, ':', (size_t)slot);

			n = colon ? (int)(colon - s) + 1 : slot;
		}
		if (at && at + 1 < len)
			tick[at++] = '|';
		for (int i = 0; i < n && at + 1 < len; i++)
			tick[at++] = s[i];
		tick[at] = '\0';
		s += n;
	}
}

/* A label as lines of its page's slot: its parts, less the page's common first part. */
static void make_tick(char *tick, size_t len, const char *label, size_t skip, int slot)
{
	char part[FP_TICK_LEN];
	const char *s = label + skip;

	tick[0] = '\0';
	s += *s == '/';
	if (!*s)
		snprintf(part, sizeof(part), "defaults");
	while (*s) {
		size_t n = strcspn(s, "/");

		snprintf(part, sizeof(part), "%.*s", (int)n, s);
		put_wrapped(tick, len, part, slot);
		s += n + (s[n] == '/');
	}
	if (!tick[0])
		put_wrapped(tick, len, part, slot);
}

static void lay_out(const struct fp_table *t, struct fp_page *p, int slot)
{
	slot = slot > 0 ? slot : fp_slot_chars(p->n);
	size_t skip = 0;
	bool common = p->n > 1;

	for (int i = 1; i < p->n; i++)
		common = common && same_first_part(t->label[p->row[0]], t->label[p->row[i]]);
	p->common[0] = '\0';
	if (common) {
		skip = first_part(t->label[p->row[0]]);
		snprintf(p->common, sizeof(p->common), "%.*s", (int)skip, t->label[p->row[0]]);
	}
	for (int i = 0; i < p->n; i++)
		make_tick(p->tick[i], sizeof(p->tick[i]), t->label[p->row[i]], skip, slot);
}

int fp_pages(const struct fp_table *t, const char *unit, int max_rows, int slot,
	     struct fp_page *pages, int max)
{
	int rows[t->nr_rows + 1], n = rows_of_unit(t, unit, rows), nr = 0;

	for (int i = 0; i < n && nr < max;) {
		struct fp_page *p = &pages[nr++];

		p->n = 0;
		/* Whole groups while they fit; a group larger than a page fills pages of its own.
		 */
		while (i < n && p->n < max_rows) {
			int g = group_len(t, rows + i, n - i);

			if (p->n && p->n + g > max_rows)
				break;
			for (int k = 0; k < g && p->n < max_rows; k++)
				p->row[p->n++] = rows[i++];
		}
		lay_out(t, p, slot);
	}
	return nr;
}
