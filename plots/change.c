// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compare figure's table: two results compared in-process by results/'
 * fr_compare() (the same matching, statistics and verdicts as `faultbench
 * compare`), one row per matched benchmark, its time's change in percent
 * with the 95% interval, in the series of its verdict so that the script
 * colours it by verdict.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

/* "no change" as a series name, one word. */
static void verdict_word(enum fr_verdict v, char *buf, size_t len)
{
	snprintf(buf, len, "%s", fr_verdict_name(v));
	for (char *p = buf; *p; p++)
		*p = *p == ' ' ? '_' : *p;
}

static int series_of(struct fp_table *t, enum fr_verdict v)
{
	char name[FR_NAME_LEN];

	verdict_word(v, name, sizeof(name));
	for (int s = 0; s < t->nr_series; s++)
		if (!strcmp(t->series[s], name))
			return s;
	snprintf(t->series[t->nr_series], FR_NAME_LEN, "%s", name);
	return t->nr_series++;
}

int fp_table_change(const struct fr_comparison *c, struct fp_table *t, char *note, size_t len)
{
	if (!c->nr_benches || fp_table_alloc(t, c->nr_benches, FR_EXACT + 1)) {
		snprintf(note, len, "no benchmark of the base matches one of the contender");
		return -1;
	}
	t->prefix = "";
	for (int i = 0; i < c->nr_benches; i++) {
		const struct fr_metric_cmp *m = &c->bench[i].metric[0];
		int r = t->nr_rows++;

		snprintf(t->label[r], sizeof(t->label[r]), "%s", c->bench[i].label);
		t->unit[r] = c->bench[i].base->unit;
		if (isfinite(m->change))
			fp_table_set(t, r, series_of(t, m->verdict),
				     (struct fp_cell){ 100 * m->change, 100 * m->change_lo,
						       100 * m->change_hi, true });
	}
	return 0;
}
