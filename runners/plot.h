/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * faultbench plot: a result file read into tables (plotdata.c), written as
 * data files and drawn by the gnuplot scripts in plots/ (cmd_plot.c).
 */
#ifndef FAULTBENCH_PLOT_H
#define FAULTBENCH_PLOT_H

#include "runner.h"

/* One configuration and thread count: the iteration entries of one family. */
struct fb_plot_family {
	char config[256]; /* run_name without its "/threads:N" */
	const char *scenario, *unit;
	int threads;
	json_t *iterations; /* borrowed entries */
};

struct fb_plot_result {
	json_t *root;
	struct fb_plot_family *fam;
	int nr_fam;
	char machine[384]; /* CPU model, CPUs and host */
	char commit[160];  /* short commit, +dirty, branch, date */
};

/* Reads and checks a result file; -1 with a one-line message. */
int fb_plot_read(const char *path, struct fb_plot_result *r, char *err, size_t errlen);
void fb_plot_result_free(struct fb_plot_result *r);

/* The median and range of one value over a family's repetitions. */
struct fb_plot_cell {
	double median, min, max;
	bool has;
};

/* Rows are drawn along x, series as points or bars at each row. */
struct fb_plot_table {
	char (*label)[256];
	const char **unit;
	char (*series)[32];
	const char *prefix;	   /* of the series in column names: "threads" */
	struct fb_plot_cell *cell; /* [row * nr_series + series] */
	int nr_rows, nr_series;
	double lo, hi; /* smallest positive and largest value, for the y scale */
};

/* Each returns 0, or -1 when the result has nothing to draw (with why in note). */
int fb_plot_table_ns(const struct fb_plot_result *r, struct fb_plot_table *t, char *note,
		     size_t len);
int fb_plot_table_ratio(const struct fb_plot_result *r, struct fb_plot_table *t, char *note,
			size_t len);
int fb_plot_table_race(const struct fb_plot_result *r, struct fb_plot_table *t, char *note,
		       size_t len);
int fb_plot_table_write(const struct fb_plot_table *t, FILE *f);
void fb_plot_table_free(struct fb_plot_table *t);

/* plotdraw.c: one figure drawn into a work directory, which is then put in place */
struct fb_plot_job {
	const char *path;    /* the result file */
	const char *scripts; /* the directory of the gnuplot scripts */
	const char *gnuplot; /* the program */
	const char *work;    /* the temporary directory */
	const struct fb_plot_result *result;
};
/* Writes NAME.dat and runs plots/NAME.gp into NAME.png and NAME.svg. */
int fb_plot_draw(const struct fb_plot_job *job, const char *name, const struct fb_plot_table *t,
		 bool logy, char *err, size_t errlen);
void fb_plot_discard(const char *work);
/* Renames work to parent/plots, or plots-1, ...; never over an existing one. */
int fb_plot_place(const char *work, const char *parent, char *dest, size_t len);

#endif
