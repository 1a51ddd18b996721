/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counting instructions (--measure instructions): the measurement itself
 * (measure.c), running a configuration under callgrind (measure_exec.c),
 * callgrind's dumps (callgrind.c) and where the instructions go
 * (breakdown.c).
 */
#ifndef FAULTBENCH_MEASURE_H
#define FAULTBENCH_MEASURE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <faultcore/parts.h>
#include <faultresults/result.h>

#include "runner.h"

/* measure.c: the measurement, in the process that runs the scenario */
#define FB_MEASURE_ERRLEN 512
/* Set in the child that runs under callgrind: the base name of its dumps. */
#define FB_CALLGRIND_ENV "FAULTBENCH_CALLGRIND_OUT"
#define FB_REGION_FN "fb_measured_step"
#define FB_DUMP_LABEL "faultbench measured phase"
/* Iterations per repetition when --measure is given without --iterations or --rounds. */
#define FB_MEASURE_ITERATIONS 1000

enum fb_measure_method {
	FB_MEASURE_AUTO, /* the PMU where it counts, else callgrind */
	FB_MEASURE_PMU,
	FB_MEASURE_CALLGRIND,
};

struct fb_measure {
	bool on;
	enum fb_measure_method method; /* PMU or CALLGRIND once set up */
	bool breakdown;
	bool in_callgrind;	 /* this process is the child that callgrind runs */
	char pmu_reason[256];	 /* why instructions:u did not open, when it did not */
	struct fb_events pmu;	 /* instructions:u, for FB_MEASURE_PMU */
	char valgrind[PATH_MAX]; /* for the parent of a callgrind child */
	char dump_base[PATH_MAX];
};

/* "instructions[:pmu|:callgrind]"; -1 with a message. */
int fb_measure_parse(const char *arg, enum fb_measure_method *m, char *err, size_t errlen);
const char *fb_measure_method_name(enum fb_measure_method m);
/*
 * Chooses the method and checks that it can run (exit-2 errors: threads
 * under callgrind, no valgrind, ...) before anything runs.
 */
int fb_measure_setup(struct fb_measure *m, enum fb_measure_method asked, bool breakdown,
		     int max_threads, char *err, size_t errlen);
void fb_measure_free(struct fb_measure *m);
/* This program's path (valgrind's child reads it as its own). */
void fb_self_exe(char *buf, size_t len);
/* True when the counting happens in a callgrind child (measure_exec.c). */
bool fb_measure_elsewhere(const struct fb_measure *m);

/* The measured region: the engine calls every measured step through it. */
unsigned long fb_measured_step(unsigned long (*step)(struct fb_thread *, unsigned long),
			       struct fb_thread *t, unsigned long n);
/* In each worker: opens its counter (PMU), then around each measured loop. */
void fb_measure_open(const struct fb_measure *m, struct fb_group *g);
void fb_measure_begin(const struct fb_measure *m, struct fb_group *g);
void fb_measure_end(const struct fb_measure *m, struct fb_group *g, uint64_t *count);
/*
 * In the controller after a measured phase: callgrind's count of it (*count
 * untouched with the PMU, whose workers counted), and with --breakdown where
 * it went (*bd when bd is not NULL, freed with fr_breakdown_free()).
 */
int fb_measure_read(const struct fb_measure *m, uint64_t iterations, uint64_t *count,
		    struct fr_breakdown **bd, char *err, size_t errlen);

/* callgrind.c: one dump, as written with --dump-instr=yes */
struct cg_cost {
	int fn;
	uint64_t addr; /* relative to its object, as addr2line takes it */
	uint64_t ir;
};
struct cg_call {
	int caller, callee;
	uint64_t site; /* the call instruction's address, in the caller's object */
	uint64_t count, ir;
};
struct cg_dump {
	char trigger[128]; /* "Client Request: <label>" for a client-requested dump */
	uint64_t totals;
	char **obs; /* object names by id */
	int nr_obs;
	char **fns; /* function names by id; NULL for an unused id */
	int *fn_ob; /* each function's object */
	int nr_fns;
	struct cg_cost *costs; /* self cost, instruction by instruction */
	size_t nr_costs;
	struct cg_call *calls;
	size_t nr_calls;
};
int cg_dump_read(const char *path, struct cg_dump *d, char *err, size_t errlen);
void cg_dump_free(struct cg_dump *d);
int cg_fn_find(const struct cg_dump *d, const char *name);
uint64_t cg_fn_self(const struct cg_dump *d, int fn);

/*
 * breakdown.c: the instructions of the measured region by function and by
 * part of the fault path, per iteration.  Beyond the core's parts, "step" is
 * the scenario's own code and "other" what no part claims.
 */
#define FB_PART_STEP FC_PART_NR
#define FB_PART_OTHER (FC_PART_NR + 1)
#define FB_NR_PARTS (FC_PART_NR + 2)
const char *fb_part_name(int part);

/*
 * The dump's costs outside the function `region` (the trampoline the region
 * is counted in), divided by iterations.  exe is the program the dump's
 * addresses belong to; addr2line (binutils) reads its debug info.  NULL
 * with a message on failure; fr_breakdown_free() frees it.
 */
struct fr_breakdown *fb_breakdown(const struct cg_dump *d, int region, const char *exe,
				  uint64_t iterations, char *err, size_t errlen);

#endif
