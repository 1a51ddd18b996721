/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * faultbench plot without its command line: a result, read through
 * results/' reader, drawn by the gnuplot scripts in plots/ as PNG and SVG,
 * with the data files they read beside them.
 */
#ifndef FAULTPLOTS_PLOT_H
#define FAULTPLOTS_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <faultresults/result.h>

#define FP_PATHLEN 1024
#define FP_NOTELEN 160
#define FP_MAX_FIGURES 12
#define FP_MAX_FILES 64 /* the pages of one figure */

/* Where everything is, found before anything is read or written. */
struct fp_plan {
	char result[FP_PATHLEN];  /* the file drawn */
	char scripts[FP_PATHLEN]; /* the directory of the gnuplot scripts */
	char gnuplot[FP_PATHLEN]; /* the program */
	char parent[FP_PATHLEN];  /* where the plots directory goes */
};

/*
 * result: a file, or a directory whose newest *.json (there or one level
 * down) is drawn.  scripts: NULL for $FAULTBENCH_PLOTS_DIR, else the source
 * tree's plots/, else the installed ones.  out: NULL for the result's
 * directory.  0, or -1 with one line (bad input).
 */
int fp_plan(struct fp_plan *p, const char *result, const char *scripts, const char *out, char *err,
	    size_t errlen);

enum fp_status {
	FP_DRAWN,
	FP_REFUSED, /* nothing to draw, or nowhere to draw it: bad input */
	FP_FAILED,  /* gnuplot or the file system failed */
};

/*
 * Draws every figure that d has data for into a new directory parent/plots
 * (plots-1, plots-2, ... when it exists), whose path goes to dest.  A figure
 * left out is one line in notes.  Nothing is left behind unless all is drawn.
 */
enum fp_status fp_draw(const struct fp_plan *p, const struct fr_doc *d, char *dest, size_t len,
		       char (*notes)[FP_NOTELEN], int *nr_notes, char *err, size_t errlen);

/* Whether kind names a figure of --kind: scaling, race, latency, compare, pgoff. */
bool fp_kind_valid(const char *kind);

/*
 * Draws one figure of kind from d (for compare: d the base, contender the
 * contender, compared by fr_compare()) into file, its format by its
 * extension (.png or .svg), and further pages into FILE-2.EXT, ...; the
 * paths go to written.  FP_REFUSED when d has no data for it (nothing is
 * written) or a file is in the way.
 */
enum fp_status fp_draw_kind(const struct fp_plan *p, const char *kind, const struct fr_doc *d,
			    const struct fr_doc *contender, const char *file,
			    char (*written)[FP_PATHLEN], int *nr_written, char *err, size_t errlen);

/*
 * Runs labelled GROUP:ROLE (calibration.suite's kernel beside its model
 * twins): one line per group and thread count on f, each role's time per
 * iteration and the group's first role's over it.  Nothing when none is.
 */
void fp_print_calibration(const struct fr_doc *d, FILE *f);

#endif
