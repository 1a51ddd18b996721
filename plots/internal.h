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
#include <faultresults/compare.h>

/* The median and range of one value over a benchmark's repetitions. */
struct fp_cell {
	double median, min, max;
	bool has;
};

/* Rows are drawn along x, series as points or bars at each row. */
struct fp_page;

struct fp_table {
	char (*label)[FR_NAME_LEN * 4];
	const char **unit;
	char (*series)[FR_NAME_LEN];
	const char *prefix;	/* of the series in column names: "threads" */
	char name[FR_NAME_LEN]; /* what a table of several drawn side by side shows */
	struct fp_cell *cell;	/* [row * nr_series + series] */
	double *x;		/* each series' place on x, where series are x points (curves.c) */
	int nr_rows, nr_series;
};

/* A benchmark that has repetitions and passed verify: the only kind drawn. */
bool fp_drawable(const struct fr_bench *b);
struct fp_cell fp_cell_of(const struct fr_summary *s);
/* A table of rows by series, every cell empty; 0, or -1 out of memory. */
int fp_table_alloc(struct fp_table *t, int rows, int series);
void fp_table_set(struct fp_table *t, int row, int series, struct fp_cell c);
/* A configuration: b's run name without its "/threads:N". */
void fp_config_of(const struct fr_bench *b, char *buf, size_t len);

/* Each returns 0, or -1 when the result has nothing to draw (with why in note). */
int fp_table_ns(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_ratio(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
/*
 * curves.c: tables whose rows are lines and whose series are points along x
 * (t->x): items per second by thread count, latency percentiles, time by
 * pgoff, and each headline counter by thread count.
 */
int fp_table_scaling(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_latency(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_pgoff(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
/* One table per headline counter (t[k].name), rows and series alike; how many. */
int fp_tables_race(const struct fr_doc *d, struct fp_table *t, int max, char *note, size_t len);
/* The page's lines as columns, the series as rows at their x: nt tables side by side. */
int fp_curves_write(const struct fp_table *t, int nt, const struct fp_page *p, FILE *f);
/* calibration.c: runs labelled GROUP:ROLE, side by side by group */
int fp_table_calibration_ns(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
int fp_table_calibration_race(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
void fp_table_free(struct fp_table *t);

/*
 * layout.c: a figure's rows.  The plot is FP_TICK_CHARS characters of the
 * tick font wide (at 1000x600 and DejaVu Sans 9, about 6.5 pixels a
 * character over some 880 pixels); a page holds at most FP_MAX_ROWS rows.
 */
#define FP_TICK_CHARS 130
#define FP_MAX_ROWS 16
#define FP_MAX_COLUMNS 8 /* rows a page of a figure across x holds: configurations, lines */
#define FP_TICK_LEN 256
#define FP_MAX_PAGES FP_MAX_FILES
/* The characters a tick line may hold in a figure of rows rows, a space left between. */
int fp_slot_chars(int rows);

struct fp_page {
	int row[FP_MAX_ROWS]; /* rows of the table */
	int n;
	char tick[FP_MAX_ROWS][FP_TICK_LEN]; /* lines joined by '|' */
	char common[FR_NAME_LEN];	     /* the first part all rows share, "" for none */
};
/*
 * The pages of t's rows of one unit (NULL: every row), at most max_rows
 * rows each (FP_MAX_ROWS at most), their ticks cut to slot characters a
 * line (0: fitted to the rows' slots across the plot); how many.
 */
int fp_pages(const struct fp_table *t, const char *unit, int max_rows, int slot,
	     struct fp_page *pages, int max);

/* Whether some row of the page has a value of the series: only those are drawn. */
bool fp_page_has(const struct fp_table *t, const struct fp_page *p, int series);
/* " 12.5", or " NaN": a number as a data file's column. */
void fp_put_num(FILE *f, double v);
/* The page's rows as a data file: row label unit tick, then the series it has. */
int fp_table_write(const struct fp_table *t, const struct fp_page *p, FILE *f);

/* footnote.c: the result's warnings in a line or two, lines joined by '|'; "" for none. */
void fp_footnote(const struct fr_doc *d, char *buf, size_t len);

/* change.c: the compare figure's rows, one per matched benchmark, a series per verdict */
int fp_table_change(const struct fr_comparison *c, struct fp_table *t, char *note, size_t len);

/* figures.c: what is drawn */
enum fp_layout {
	FP_BARS,   /* rows along x, series beside each other: fp_table_write */
	FP_CURVES, /* rows as lines, series along x: fp_curves_write */
	FP_ROWS,   /* rows down y, labels at the left */
};
struct fp_figure {
	const char *name; /* plots/NAME.gp draws the figure */
	const char *file; /* the files' name: NAME, or with %s for the unit of a per-unit figure */
	const char *kind; /* its --kind, or NULL */
	int (*table)(const struct fr_doc *d, struct fp_table *t, char *note, size_t len);
	/* Instead of table: several tables, drawn side by side (t[k].name names each). */
	int (*tables)(const struct fr_doc *d, struct fp_table *t, int max, char *note, size_t len);
	enum fp_layout layout;
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
	char footnote[512];
	char drawn[FP_MAX_PAGES][FR_NAME_LEN * 2]; /* the files drawn, in order */
	int nr_drawn;
};
/* What one gnuplot run draws: a script, its data file's name, and the page drawn. */
struct fp_shot {
	const char *script; /* plots/SCRIPT.gp */
	const char *file;   /* FILE.dat, FILE.png, FILE.svg */
	const char *unit;   /* what one iteration is, "" when the figure has none */
	enum fp_layout layout;
	int nr_tables; /* side by side, FP_CURVES only */
	bool logy;
};
/* Writes FILE.dat with page p of t and runs plots/SCRIPT.gp into FILE.png and FILE.svg. */
int fp_draw_one(const struct fp_job *job, const struct fp_shot *shot, const struct fp_table *t,
		const struct fp_page *p, char *err, size_t errlen);
void fp_discard(const char *work);
/* Renames work to parent/plots, or plots-1, ...; never over an existing one. */
int fp_place(const char *work, const char *parent, char *dest, size_t len);

#endif
