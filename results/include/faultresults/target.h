/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A suite's targets: "target NUM / DEN <= LIMIT" or "target NUM <= LIMIT"
 * (over NUM's floor), NUM and DEN being labels of the suite's runs, and
 * "threads=N" after either to judge that thread count alone; judged
 * into the result file and printed after the run's table, met or missed,
 * never asserted.
 */
#ifndef FAULTRESULTS_TARGET_H
#define FAULTRESULTS_TARGET_H

#include <stdbool.h>
#include <stdio.h>

#include <faultresults/result.h>

struct fr_target {
	char num[FR_NAME_LEN];
	char den[FR_NAME_LEN]; /* "" for NUM's floor */
	bool at_most;	       /* <=, else >= */
	double limit;
	int threads; /* judged at this thread count only; 0: at each one NUM ran at */
};

/*
 * Judges each of the n targets at every thread count its NUM ran at, or at
 * its threads alone, into d->verdict (which the result file and the table
 * then hold); -1 when out of memory, d unchanged.
 */
int fr_doc_judge(struct fr_doc *d, const struct fr_target *t, int n);
/* One line per verdict. */
void fr_doc_print_targets(const struct fr_doc *d, FILE *f);

#endif
