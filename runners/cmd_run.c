// SPDX-License-Identifier: GPL-2.0-only
/* faultbench run SCENARIO [name=value ...] [options] */
#include <string.h>

#include "spec.h"

static void run_help(void)
{
	fputs("usage: faultbench run SCENARIO [name=value ...] [options]\n"
	      "\n"
	      "Runs one scenario, prints a table and writes a result file.\n"
	      "\n",
	      stdout);
	fb_options_help(stdout, fb_run_options);
	fputs("\n"
	      "Scenarios and their parameters: faultbench list.\n"
	      "Exit status: 0 ok, 1 failure, 2 bad input (nothing written), 130 interrupted.\n",
	      stdout);
}

int fb_cmd_run(int argc, char **argv)
{
	struct fb_spec spec;
	char err[FB_ERRLEN];

	fb_spec_defaults(&spec);
	if (fb_spec_parse(argc, argv, &spec, FB_SPEC_RUN, err, sizeof(err)))
		return fb_usage_error("%s", err);
	if (spec.help) {
		run_help();
		return FB_EXIT_OK;
	}
	return fb_execute(&spec, 1, &spec, spec.sc->name);
}
