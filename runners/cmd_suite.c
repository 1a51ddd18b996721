// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench suite FILE: every line of FILE is what would follow
 * `faultbench run`; '#' starts a comment, and a `defaults` line sets run
 * options for the lines after it.  All lines go into one result set.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec.h"

#define SUITE_MAX_WORDS 64

static const char suite_help[] =
	"usage: faultbench suite FILE [--out DIR] [--events LIST] [--format table|json|csv]\n"
	"                            [--interleave N] [--quiet]\n"
	"\n"
	"Runs every line of FILE into one result file.  A line is a scenario, its\n"
	"name=value parameters and run options, as after `faultbench run`; '#' starts a\n"
	"comment, and --label TEXT names a line's runs.  A `defaults` line sets run\n"
	"options for every line after it, which a line may override.  Example:\n"
	"  defaults --duration 0.5 --repetitions 3\n"
	"  same-addr recheck=none --threads 1,2 --label no-recheck\n"
	"\n"
	"  --out DIR         directory for the result file (default results/runs/DATE-COMMIT)\n"
	"  --interleave N    run the whole suite N times, every other time backwards, each\n"
	"                    repetition tagged with its round: compare then sets one line\n"
	"                    against another round by round, so the machine's drift cancels\n";

/* Splits a line into words in place; returns how many. */
static int split(char *line, char **argv, int max)
{
	int n = 1;

	argv[0] = "suite";
	line[strcspn(line, "#\n")] = '\0';
	for (char *w = strtok(line, " \t\r"); w && n < max; w = strtok(NULL, " \t\r"))
		argv[n++] = w;
	return n;
}

int fb_suite_read(const char *file, const struct fb_spec *first, struct fb_spec *specs,
		  char **lines, int *n)
{
	FILE *f = fopen(file, "r");
	char buf[1024], err[FB_ERRLEN];
	struct fb_spec defaults = *first;
	int lineno = 0, nlines = 0;

	if (!f)
		return fb_usage_error("cannot read suite '%s': %s (usage: faultbench suite FILE)",
				      file, strerror(errno));
	*n = 0;
	while (fgets(buf, sizeof(buf), f)) {
		char *argv[SUITE_MAX_WORDS];
		bool is_defaults;
		int argc;

		lineno++;
		if (nlines == FB_SUITE_MAX_LINES)
			break;
		lines[nlines] = strdup(buf);
		argc = split(lines[nlines], argv, SUITE_MAX_WORDS);
		if (argc == 1) {
			free(lines[nlines]);
			lines[nlines] = NULL;
			continue;
		}
		is_defaults = !strcmp(argv[1], "defaults");
		nlines++;
		if (!is_defaults) {
			specs[*n] = defaults;
			specs[*n].line = lineno;
		}
		/* A defaults line's words after the keyword are what it sets. */
		if (is_defaults
			    ? fb_spec_parse(argc - 1, argv + 1, &defaults, true, err, sizeof(err))
			    : fb_spec_parse(argc, argv, &specs[*n], false, err, sizeof(err))) {
			fclose(f);
			return fb_usage_error("%s:%d: %s", file, lineno, err);
		}
		*n += !is_defaults;
	}
	fclose(f);
	if (!*n)
		return fb_usage_error("suite '%s' has no runs (one scenario per line)", file);
	return 0;
}

static const struct option suite_options[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "events", required_argument, NULL, 'e' },
	{ "format", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "interleave", required_argument, NULL, 'i' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_args(int argc, char **argv, struct fb_spec *g, const char **file, char **dir)
{
	char err[FB_ERRLEN];
	int c;

	fb_spec_defaults(g);
	*file = NULL;
	*dir = NULL;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-:h", suite_options, NULL)) != -1) {
		if (c == 1 && !*file)
			*file = optarg;
		else if (c == 'o')
			*dir = optarg;
		else if (c == 'e')
			g->events = optarg;
		else if (c == 'f' && (!strcmp(optarg, "table") || !strcmp(optarg, "json") ||
				      !strcmp(optarg, "csv")))
			g->format = optarg;
		else if (c == 'f')
			return fb_usage_error("invalid --format '%s' (valid: table|json|csv)",
					      optarg);
		else if (c == 'q')
			g->quiet = true;
		else if (c == 'i') {
			if (fb_parse_ulong("interleave", optarg, 1, FB_MAX_ROUNDS, &g->interleave,
					   err, sizeof(err)))
				return fb_usage_error("%s", err);
		} else if (c == 'h')
			g->help = true;
		else
			return fb_usage_error("unknown argument '%s' (valid: FILE --out --events "
					      "--format --interleave --quiet --help)",
					      argv[optind - 1]);
	}
	if (!*file && !g->help)
		return fb_usage_error("no suite file given (usage: faultbench suite FILE)");
	return 0;
}

/* --out DIR: the file goes in DIR under the suite's name, never over another. */
static void out_in_dir(const char *dir, const char *label, char *path, size_t len)
{
	char first[FB_PATH_MAX];

	snprintf(first, sizeof(first), "%s/%s.json", dir, label);
	snprintf(path, len, "%s", first);
	for (int i = 1; fb_path_taken(path) && i < 1000; i++)
		fb_next_name(first, i, path, len);
}

int fb_cmd_suite(int argc, char **argv)
{
	static struct fb_spec specs[FB_SUITE_MAX_LINES];
	char *lines[FB_SUITE_MAX_LINES] = { 0 }, label[256], path[FB_PATH_MAX], *dir, *base;
	struct fb_spec g, defaults;
	const char *file;
	int n = 0, ret;

	ret = parse_args(argc, argv, &g, &file, &dir);
	if (ret || g.help) {
		if (g.help)
			fputs(suite_help, stdout);
		return ret;
	}
	snprintf(label, sizeof(label), "%s", file);
	base = basename(label);
	base[strcspn(base, ".")] = '\0';
	fb_spec_defaults(&defaults);
	ret = fb_suite_read(file, &defaults, specs, lines, &n);
	if (!ret) {
		if (dir) {
			out_in_dir(dir, base, path, sizeof(path));
			g.out = path;
		}
		ret = fb_execute(specs, n, &g, base);
	}
	for (int i = 0; i < FB_SUITE_MAX_LINES; i++)
		free(lines[i]);
	return ret;
}
