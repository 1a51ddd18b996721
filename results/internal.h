/* SPDX-License-Identifier: GPL-2.0-only */
/* Between the files of results/: the JSON form that the writers share. */
#ifndef FAULTRESULTS_INTERNAL_H
#define FAULTRESULTS_INTERNAL_H

#include <stdarg.h>

#include <jansson.h>

#include <faultresults/result.h>

/* doc.c: appends a formatted line to a growing array of strings; -1 when out of memory. */
int fr_lines_vadd(char ***lines, int *n, const char *fmt, va_list ap);

/* doc.c: whether d has warning w already. */
bool fr_doc_has_warning(const struct fr_doc *d, const char *w);

/* write.c: the document as the file holds it; NULL when out of memory. */
json_t *fr_doc_json(const struct fr_doc *d);

#endif
