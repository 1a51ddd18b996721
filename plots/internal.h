/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between the files of plots/: a result as tables (data.c), and one table
 * drawn as a figure in a work directory that is then put in place (draw.c).
 */
#ifndef FAULTPLOTS_INTERNAL_H
#define FAULTPLOTS_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include <faultplots/plot.h>

/* The median and range of one value over a benchmark's repetitions. */
struct fp_cell {
	double median, min, max;
	bool has;
};

/* Rows are drawn along x, series as points or bars at each row. */
struct fp_table {
	char (*label)[FR_NAME_LEN * 4];
	const char **unit;
	char (*series)[FR_NAME_LEN];
	const char *prefix;   /* of the series in column names: "threads" */
	struct fp_cell *cell; /* [row * nr_series + series] */
	int nr_rows, nr_series;
	double lo, hi; /* smallest positive and largest value, for the y scale */
};

/* A table of rows by series, every cell empty; 0, or -1 out of memory. */
int fp_table_alloc(struct fp_table *t, int rows, int series);
void fp_table_set(struct fp_table *t, int row, int series, struct fp_cell c);
/* A configuration: b's run name without its "/threads:N". */
void fp_config_of(const struct fr_bench *b, char *buf, size_t len);

/* Each returns 0, or -1 when the result has nothing to draw (with why in note). */
int fp_table_ns(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_ratio(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_race(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
/* calibration.c: runs labelled GROUP:ROLE, side by side by group */
int fp_table_calibration_ns(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_calibration_race(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_write(const struct fp_table *t, FILE *f);
void fp_table_free(struct fp_table *t);

/* figures.c: what is drawn */
struct fp_figure {
	const char *name; /* plots/NAME.gp draws NAME.dat into NAME.png and NAME.svg */
	int (*table)(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
	bool logy_allowed;
};
extern const struct fp_figure fp_figures[];
extern const int fp_nr_figures;

/* draw.c */
struct fp_job {
	const struct fp_plan *plan;
	const char *work;  /* the temporary directory */
	char machine[384]; /* CPU model, CPUs and host */
	char commit[160];  /* short commit, +dirty, branch, date */
};
/* Writes NAME.dat and runs plots/NAME.gp into NAME.png and NAME.svg. */
int fp_draw_one(const struct fp_job *job, const char *name, const struct fp_table *t, bool logy,
		char *err, size_t errlen);
void fp_discard(const char *work);
/* Renames work to parent/plots, or plots-1, ...; never over an existing one. */
int fp_place(const char *work, const char *parent, char *dest, size_t len);

#endif
