// SPDX-License-Identifier: GPL-2.0-only
/* faultbench: the command, with subcommands in the git style. */
#include <errno.h>
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
	{ "compare-branches", fb_cmd_compare_branches,
	  "build two git revisions, run a suite on both interleaved, compare" },
};

#define NR_COMMANDS (int)(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: faultbench COMMAND [ARGS]   faultbench help COMMAND   faultbench "
		   "--version\n\n");
	for (int i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].help);
}

/* "list|run|...": the commands, for the one line a bad one gets. */
static const char *valid_commands(void)
{
	static char buf[256];

	buf[0] = '\0';
	for (int i = 0; i < NR_COMMANDS; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? "|" : "",
			 commands[i].name);
	return buf;
}

/*
 * What a command printed must have reached stdout: a full disk or /dev/full
 * shows only when the buffer is flushed, and then the command failed.
 */
static int flushed(int ret)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return ret;
	fprintf(stderr, "faultbench: cannot write to standard output: %s\n", strerror(errno));
	return ret == FB_EXIT_OK ? FB_EXIT_FAIL : ret;
}

static int find(const char *name)
{
	for (int i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return i;
	return -1;
}

int main(int argc, char **argv)
{
	char help[] = "--help", *help_argv[] = { NULL, help, NULL };
	int i;

	if (argc < 2)
		return fb_usage_error("no command given (valid: %s, help, --version)",
				      valid_commands());
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		fb_print_version(stdout);
		return flushed(FB_EXIT_OK);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return flushed(FB_EXIT_OK);
	}
	if (!strcmp(argv[1], "help")) {
		/* git help COMMAND: that command's own --help */
		if (argc > 3)
			return fb_usage_error(
				"help takes one command, not '%s' (usage: faultbench help COMMAND)",
				argv[3]);
		if ((i = find(argv[2])) < 0)
			return fb_usage_error("help: unknown command '%s' (valid: %s)", argv[2],
					      valid_commands());
		help_argv[0] = argv[2];
		return flushed(commands[i].fn(2, help_argv));
	}
	if ((i = find(argv[1])) >= 0)
		return flushed(commands[i].fn(argc - 1, argv + 1));
	return fb_usage_error("unknown command '%s' (valid: %s, help, --version)", argv[1],
			      valid_commands());
}
