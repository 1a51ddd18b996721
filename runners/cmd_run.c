// SPDX-License-Identifier: GPL-2.0-only
/* faultbench run SCENARIO [name=value ...] [options] */
#include <string.h>

#include "spec.h"

static const char run_help[] =
	"usage: faultbench run SCENARIO [name=value ...] [options]\n"
	"\n"
	"Runs one scenario, prints a table and writes a result file.\n"
	"\n"
	"  --threads LIST       thread counts: 1,2,4 or 1-8 or cores or pus (default 1)\n"
	"  --duration SECONDS   length of each repetition (default 1)\n"
	"  --rounds N           rounds per repetition, for round-shaped scenarios\n"
	"  --iterations N       a fixed count per repetition and warmup (rounds, or\n"
	"                       operations per thread), never the clock\n"
	"  --warmup SECONDS     discarded run before the repetitions (default 0.2)\n"
	"  --repetitions N      repetitions, kept raw and aggregated (default 5)\n"
	"  --pin cores|pus|none thread placement (default pus: one PU per thread, a core\n"
	"                       of its own first, spread over packages, SMT siblings last)\n"
	"  --events LIST        libpfm4 event names, e.g. task-clock,page-faults,cycles\n"
	"  --latency            per-operation latency histogram (p50 p90 p99 p99.9 max)\n"
	"  --seed N             seed for the scenario's random choices (default 1)\n"
	"  --label TEXT         a name for the run, written as the benchmarks' label\n"
	"  --measure instructions[:pmu|:callgrind]\n"
	"                       count the instructions of each step, exactly: with the\n"
	"                       PMU (instructions:u) where it opens, else under callgrind\n"
	"                       (one thread); --iterations defaults to 1000\n"
	"  --breakdown          with --measure: where one iteration's instructions go,\n"
	"                       by part of the fault path and by function (callgrind)\n"
	"  --out FILE           result file (default results/runs/DATE-COMMIT/...);\n"
	"                       never overwritten\n"
	"  --format table|json|csv  what to print (csv also writes FILE.csv)\n"
	"  --quiet              print only the result file's name\n"
	"\n"
	"Scenarios and their parameters: faultbench list.\n"
	"Exit status: 0 ok, 1 failure, 2 bad input (nothing written), 130 interrupted.\n";

int fb_cmd_run(int argc, char **argv)
{
	struct fb_spec spec;
	char err[FB_ERRLEN];

	fb_spec_defaults(&spec);
	if (fb_spec_parse(argc, argv, &spec, FB_SPEC_RUN, err, sizeof(err)))
		return fb_usage_error("%s", err);
	if (spec.help) {
		fputs(run_help, stdout);
		return FB_EXIT_OK;
	}
	return fb_execute(&spec, 1, &spec, spec.sc->name);
}
