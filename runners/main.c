// SPDX-License-Identifier: GPL-2.0-only
/* faultbench: the command, with subcommands in the git style. */
#include <string.h>

#include "runner.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "list", fb_cmd_list, "the scenarios and their parameters" },
	{ "run", fb_cmd_run, "run one scenario and write a result file" },
	{ "suite", fb_cmd_suite, "run every line of a suite file into one result file" },
	{ "env", fb_cmd_env, "check the machine before trusting a number" },
	{ "plot", fb_cmd_plot, "draw a result file as figures (gnuplot, PNG and SVG)" },
	{ "compare", fb_cmd_compare, "compare two result files: faster, slower or no change" },
};

#define NR_COMMANDS (int)(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: faultbench COMMAND [ARGS]  (faultbench COMMAND --help for more)\n\n");
	for (int i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return fb_usage_error(
			"no command given (valid: list|run|suite|env|plot|compare, or "
			"--help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return FB_EXIT_OK;
	}
	for (int i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return fb_usage_error("unknown command '%s' (valid: list|run|suite|env|plot|compare)",
			      argv[1]);
}
