/* SPDX-License-Identifier: GPL-2.0-only */
/* Between the files of compare: matching, and the comparison's warnings. */
#ifndef FAULTRESULTS_COMPARE_INTERNAL_H
#define FAULTRESULTS_COMPARE_INTERNAL_H

#include <faultresults/compare.h>

/* compare_match.c: fills c->bench[] (base, contender, label) and c->only_*. */
int fr_compare_match(struct fr_comparison *c, char *err, size_t errlen);

/* compare.c: adds one warning; -1 when out of memory. */
int fr_comparison_warn(struct fr_comparison *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
