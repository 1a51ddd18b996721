/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A suite's targets: "target NUM / DEN <= LIMIT" or "target NUM <= LIMIT"
 * (over NUM's floor), NUM and DEN being labels of the suite's runs; printed
 * after the run's table, met or missed, never asserted.
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
};

/* One line per target and thread count NUM ran at. */
void fr_doc_print_targets(const struct fr_doc *d, const struct fr_target *t, int n, FILE *f);

#endif
