/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Two result documents compared benchmark by benchmark.  Benchmarks are
 * matched by scenario, parameters and thread count; filters pick two
 * configurations to set against each other (within one document or across
 * two).  Each matched benchmark gets its time and its headline counters
 * compared with the statistics of <faultresults/stats.h>, and a verdict.
 */
#ifndef FAULTRESULTS_COMPARE_H
#define FAULTRESULTS_COMPARE_H

#include <stdio.h>

#include <faultresults/result.h>
#include <faultresults/stats.h>

#define FR_MAX_FILTERS 8

/* name=value: a parameter, or "scenario", "label" (--label) or "threads". */
struct fr_filter {
	char name[FR_NAME_LEN];
	char value[FR_NAME_LEN];
};

/* What each side keeps; the names filtered on are left out of the matching. */
struct fr_selection {
	struct fr_filter base[FR_MAX_FILTERS], contender[FR_MAX_FILTERS];
	int nr_base, nr_contender;
};

/* Adds "name=value[,name=value...]" to one side; -1 with one line. */
int fr_filter_parse(const char *s, struct fr_filter *f, int *n, char *err, size_t errlen);
/* Adds "name=a:b": name=a to the base, name=b to the contender; -1 with one line. */
int fr_pair_parse(const char *s, struct fr_selection *sel, char *err, size_t errlen);

/*
 * The verdict rule.  A time is faster (slower) when the two-sided
 * Mann-Whitney p is below alpha and the whole 95% interval of the ratio lies
 * below 1 - threshold (above 1 + threshold); a counter likewise, the shift's
 * interval against threshold times the base's median.
 */
struct fr_compare_opts {
	double alpha;
	double threshold; /* a fraction */
};
#define FR_COMPARE_ALPHA 0.01
#define FR_COMPARE_THRESHOLD 0.01
/* The geometric mean's bootstrap: fixed, so that a comparison is repeatable. */
#define FR_COMPARE_RESAMPLES 2000
#define FR_COMPARE_SEED 1

enum fr_metric_kind {
	FR_METRIC_TIME,	   /* real_time: lower is better, compared as a ratio */
	FR_METRIC_COUNTER, /* a headline counter per iteration: compared as a shift */
	FR_METRIC_EXACT,   /* instructions per iteration, counted: any difference is the change */
};

enum fr_verdict {
	FR_NO_CHANGE,
	FR_FASTER,
	FR_SLOWER,
	FR_HIGHER,
	FR_LOWER,
	FR_VERIFY_FAILED, /* a side failed verify: never faster, whatever the numbers */
	FR_EXACT,	  /* counts that differ: the difference is the change, no statistics */
};

/* Why a verdict is weaker than it looks. */
#define FR_CMP_TOO_FEW (1u << 0)	    /* the samples cannot reach p < alpha */
#define FR_CMP_UNSTABLE_BASE (1u << 1)	    /* base cv above FR_UNSTABLE_CV */
#define FR_CMP_UNSTABLE_CONTENDER (1u << 2) /* contender cv above FR_UNSTABLE_CV */

struct fr_metric_cmp {
	char name[FR_NAME_LEN]; /* "real_time", "instructions" or the counter's name */
	enum fr_metric_kind kind;
	struct fr_summary base, contender;
	/*
	 * contender / base - 1, and its 95% interval: from the ratio for a time,
	 * from the shift over the base's median for a counter (NAN when that
	 * median is 0).  shift is contender - base (Hodges-Lehmann).  An exact
	 * metric has the difference of the medians, its interval that point.
	 */
	double change, change_lo, change_hi;
	double shift, shift_lo, shift_hi;
	/* Mann-Whitney's U over the repetitions or, with rounds, the signed-rank T+ in u. */
	struct fr_mann_whitney test;
	/*
	 * The rounds paired: both sides ran interleaved (compare-branches, suite
	 * --rounds), so each round's medians are set against each other; 0 when
	 * the repetitions were compared as two samples.
	 */
	int rounds;
	enum fr_verdict verdict;
	unsigned flags;
};

/* A pair of matched benchmarks. */
struct fr_bench_cmp {
	const struct fr_bench *base, *contender;
	char label[448]; /* the base's run_name without the filtered parameters */
	struct fr_metric_cmp metric[2 + FR_MAX_HEADLINE];
	int nr_metrics; /* metric[0] is the time, then the instructions when both counted them */
};

struct fr_comparison {
	const struct fr_doc *base_doc, *contender_doc;
	struct fr_selection sel;
	struct fr_compare_opts opts;
	struct fr_bench_cmp *bench;
	int nr_benches;
	/* Benchmarks the other side has no match for. */
	const struct fr_bench **only_base, **only_contender;
	int nr_only_base, nr_only_contender;
	/* The geometric mean of the time ratios: change and interval (bootstrap). */
	bool has_geomean;
	struct fr_metric_cmp geomean;
	int geomean_benches;
	char **warning;
	int nr_warnings;
};

/*
 * Matches and compares; -1 with one line when the documents cannot be
 * compared (a filter that keeps nothing, benchmarks that differ in a
 * parameter no filter names), -2 when out of memory.
 */
int fr_compare(const struct fr_doc *base, const struct fr_doc *contender,
	       const struct fr_selection *sel, const struct fr_compare_opts *opts,
	       struct fr_comparison *out, char *err, size_t errlen);
void fr_comparison_free(struct fr_comparison *c);

/* compare_print.c */
enum fr_compare_format {
	FR_FORMAT_TABLE,
	FR_FORMAT_JSON,
	FR_FORMAT_MARKDOWN,
	FR_FORMAT_MAIL,
};
/* "table", "json", ... into *f; -1 for an unknown name. */
int fr_compare_format_parse(const char *s, enum fr_compare_format *f);
const char *fr_verdict_name(enum fr_verdict v);
/*
 * "faster by 5.5% ± 2.5% (95% CI)", "no change (-0.3% ± 1.1%, 95% CI)", ...:
 * ± is the larger distance from the estimate to an end of the interval.
 * unit is what one iteration is, for a counter's change when its base is 0.
 */
void fr_metric_describe(const struct fr_metric_cmp *m, const char *unit, char *buf, size_t len);
/* The names the two documents go by (their files) head every format. */
int fr_comparison_print(const struct fr_comparison *c, enum fr_compare_format f,
			const char *base_name, const char *contender_name, FILE *out);
/* compare_json.c: the JSON form (results/SCHEMA.md). */
int fr_comparison_print_json(const struct fr_comparison *c, const char *base_name,
			     const char *contender_name, FILE *out);

#endif
