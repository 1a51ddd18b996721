/* SPDX-License-Identifier: GPL-2.0-only */
/* Between the files of results/: the JSON form that the writers share. */
#ifndef FAULTRESULTS_INTERNAL_H
#define FAULTRESULTS_INTERNAL_H

#include <jansson.h>

#include <faultresults/result.h>

/* write.c: the document as the file holds it; NULL when out of memory. */
json_t *fr_doc_json(const struct fr_doc *d);

#endif
