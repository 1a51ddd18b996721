// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench suite FILE: every line of FILE is what would follow
 * `faultbench run`; '#' starts a comment, and a `defaults` line sets run
 * options for the lines after it.  All lines go into one result set.
 */
#include <errno.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec.h"

enum {
	OPT_OUT = 'o',
	OPT_EVENTS = 'e',
	OPT_FORMAT = 'f',
	OPT_QUIET = 'q',
	OPT_INTERLEAVE = 'i',
	OPT_CHECK = 'c',
};

static const struct fb_option suite_options[] = {
	{ "out", OPT_OUT, "DIR",
	  "directory for the result file (default results/runs/DATE-COMMIT), named after FILE" },
	{ "events", OPT_EVENTS, "LIST",
	  "libpfm4 event names, counted on every line, e.g. task-clock,page-faults" },
	{ "format", OPT_FORMAT, "table|json|csv", "what to print (csv also writes the CSV file)" },
	{ "quiet", OPT_QUIET, NULL, "print only the result file's name" },
	{ "interleave", OPT_INTERLEAVE, "N",
	  "run the whole suite N times, every other time backwards, each repetition tagged with "
	  "its round: compare then sets one line against another round by round, so the "
	  "machine's drift cancels" },
	{ "check", OPT_CHECK, NULL,
	  "check every line (scenario, parameters, options, threads, targets) as a run would, "
	  "and stop: nothing runs and nothing is written" },
	{ "help", 'h', NULL, "print this help" },
	{ NULL, 0, NULL, NULL },
};

static void suite_help(void)
{
	fputs("usage: faultbench suite FILE [options]\n"
	      "\n"
	      "Runs every line of FILE into one result file.  A line is a scenario, its\n"
	      "name=value parameters and run options, as after `faultbench run`; '#' starts a\n"
	      "comment, and --label TEXT names a line's runs.  A `defaults` line sets run\n"
	      "options for every line after it, which a line may override.  A `target`\n"
	      "line holds the ratio of two labelled runs' figures (instructions where both\n"
	      "counted them, else time), or of one run to its floor, to a limit; the table\n"
	      "ends with each, met or missed.  The options below are the whole suite's, on\n"
	      "its command line.  Example:\n"
	      "  defaults --duration 0.5 --repetitions 3\n"
	      "  same-addr recheck=none --threads 1,2 --label no-recheck\n"
	      "  same-addr --threads 1,2 --label recheck\n"
	      "  target recheck / no-recheck <= 1.1\n"
	      "\n",
	      stdout);
	fb_options_help(stdout, suite_options);
}

/* Room for one more element of *a, of size sz, doubling; -1 when out of memory. */
static int grow(void *a, int n, int *max, size_t sz)
{
	void *p;

	if (n < *max)
		return 0;
	if (*max > INT_MAX / 2)
		return -1;
	p = realloc(*(void **)a, (size_t)(*max ? *max * 2 : 16) * sz);
	if (!p)
		return -1;
	*(void **)a = p;
	*max = *max ? *max * 2 : 16;
	return 0;
}

/*
 * Splits a line into *argv in place, after "suite"; returns how many words,
 * or -1 when out of memory.  '#' starts a comment.
 */
static int split(char *line, char ***argv, int *max)
{
	int n = 0;

	line[strcspn(line, "#\n")] = '\0';
	if (grow(argv, n, max, sizeof(**argv)))
		return -1;
	(*argv)[n++] = "suite";
	for (char *w = strtok(line, " \t\r"); w; w = strtok(NULL, " \t\r")) {
		if (grow(argv, n, max, sizeof(**argv)))
			return -1;
		(*argv)[n++] = w;
	}
	if (grow(argv, n, max, sizeof(**argv)))
		return -1;
	(*argv)[n] = NULL;
	return n;
}

void fb_suite_free(struct fb_suite *suite)
{
	for (int i = 0; i < suite->nr_lines; i++)
		free(suite->line[i]);
	free(suite->line);
	free(suite->spec);
	free(suite->target);
	memset(suite, 0, sizeof(*suite));
}

/* The words after "target"; -1 with one line. */
static int target_parse(int argc, char *const *argv, struct fr_target *t, char *err, size_t errlen)
{
	const char *usage = "(usage: target NUM / DEN <= LIMIT, or target NUM <= LIMIT: labels; "
			    "then threads=N to judge one thread count)";
	const char *op, *limit;
	uint64_t threads;

	memset(t, 0, sizeof(*t));
	if (argc > 0 && !strncmp(argv[argc - 1], "threads=", 8)) {
		if (fb_parse_u64(argv[argc - 1] + 8, 1, FB_MAX_THREADS, &threads)) {
			snprintf(err, errlen, "target: '%s' is not valid (threads=1..%d)",
				 argv[argc - 1], FB_MAX_THREADS);
			return -1;
		}
		t->threads = (int)threads;
		argc--;
	}
	if (argc != 3 && argc != 5) {
		snprintf(err, errlen,
			 "target takes 3 or 5 words, then threads=N or nothing, not %d %s", argc,
			 usage);
		return -1;
	}
	if (argc == 5 && strcmp(argv[1], "/")) {
		snprintf(err, errlen, "target: '%s' where '/' belongs %s", argv[1], usage);
		return -1;
	}
	op = argv[argc - 2];
	limit = argv[argc - 1];
	if (strcmp(op, "<=") && strcmp(op, ">=")) {
		snprintf(err, errlen, "target: '%s' is no comparison (valid: <= >=)", op);
		return -1;
	}
	if (fb_parse_real(limit, 0, 1e12, &t->limit) || t->limit == 0) {
		snprintf(err, errlen, "target: limit '%s' is not valid (a positive decimal number)",
			 limit);
		return -1;
	}
	if (strlen(argv[0]) >= sizeof(t->num) || (argc == 5 && strlen(argv[2]) >= sizeof(t->den))) {
		snprintf(err, errlen, "target: a label longer than %zu characters",
			 sizeof(t->num) - 1);
		return -1;
	}
	snprintf(t->num, sizeof(t->num), "%s", argv[0]);
	if (argc == 5)
		snprintf(t->den, sizeof(t->den), "%s", argv[2]);
	t->at_most = op[0] == '<';
	return 0;
}

/* One line, lineno, into suite (a run) or defaults; 0 or the exit status of bad input. */
static int read_line(const char *file, int lineno, char *buf, struct fb_spec *defaults,
		     struct fb_suite *suite, int *max_specs, char ***argv, int *max_words)
{
	char err[FB_ERRLEN];
	int argc = split(buf, argv, max_words);
	bool is_defaults;

	if (argc < 0 || grow(&suite->spec, suite->n, max_specs, sizeof(*suite->spec)))
		return fb_failure("%s:%d: out of memory", file, lineno);
	if (argc == 1)
		return 0;
	if (!strcmp((*argv)[1], "target")) {
		if (grow(&suite->target, suite->nr_targets, &suite->max_targets,
			 sizeof(*suite->target)))
			return fb_failure("%s:%d: out of memory", file, lineno);
		if (target_parse(argc - 2, *argv + 2, &suite->target[suite->nr_targets], err,
				 sizeof(err)))
			return fb_usage_error("%s:%d: %s", file, lineno, err);
		suite->nr_targets++;
		return 0;
	}
	is_defaults = !strcmp((*argv)[1], "defaults");
	if (!is_defaults) {
		suite->spec[suite->n] = *defaults;
		suite->spec[suite->n].line = lineno;
	}
	/* A defaults line's words after the keyword are what it sets. */
	if (is_defaults ? fb_spec_parse(argc - 1, *argv + 1, defaults, FB_SPEC_DEFAULTS, err,
					sizeof(err))
			: fb_spec_parse(argc, *argv, &suite->spec[suite->n], FB_SPEC_LINE, err,
					sizeof(err)))
		return fb_usage_error("%s:%d: %s", file, lineno, err);
	suite->n += !is_defaults;
	return 0;
}

static bool suite_has_label(const struct fb_spec *specs, int n, const char *label)
{
	for (int i = 0; i < n; i++)
		if (specs[i].label && !strcmp(specs[i].label, label))
			return true;
	return false;
}

/* Every label a target names is a run's. */
static int suite_targets_check(const char *file, const struct fb_spec *specs, int n,
			       const struct fr_target *t, int nr)
{
	for (int i = 0; i < nr; i++) {
		const char *missing = !suite_has_label(specs, n, t[i].num) ? t[i].num
				      : t[i].den[0] && !suite_has_label(specs, n, t[i].den)
					      ? t[i].den
					      : NULL;

		if (missing)
			return fb_usage_error(
				"%s: target names '%s', but no run with that --label exists", file,
				missing);
	}
	return 0;
}

int fb_suite_read(const char *file, const struct fb_spec *first, struct fb_suite *suite)
{
	FILE *f = fopen(file, "r");
	struct fb_spec defaults = *first;
	int lineno = 0, max_lines = 0, max_specs = 0, max_words = 0, ret = 0;
	char **argv = NULL, *buf = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(suite, 0, sizeof(*suite));
	if (!f)
		return fb_usage_error("cannot read suite '%s': %s (usage: faultbench suite FILE)",
				      file, strerror(errno));
	/* Every line whole, however long: specs point into them, so each is kept. */
	while (!ret && (len = getline(&buf, &cap, f)) >= 0) {
		if (lineno == INT_MAX) {
			ret = fb_usage_error("%s: more than %d lines (valid: up to %d)", file,
					     INT_MAX - 1, INT_MAX - 1);
			break;
		}
		lineno++;
		if (strlen(buf) != (size_t)len) {
			ret = fb_usage_error("%s:%d: a NUL byte in the line (valid: text)", file,
					     lineno);
			break;
		}
		if (grow(&suite->line, suite->nr_lines, &max_lines, sizeof(*suite->line))) {
			ret = fb_failure("%s:%d: out of memory", file, lineno);
			break;
		}
		suite->line[suite->nr_lines++] = buf;
		buf = NULL;
		cap = 0;
		ret = read_line(file, lineno, suite->line[suite->nr_lines - 1], &defaults, suite,
				&max_specs, &argv, &max_words);
	}
	if (!ret && ferror(f))
		ret = fb_failure("cannot read suite '%s': %s", file, strerror(errno));
	free(buf);
	free(argv);
	fclose(f);
	if (!ret && !suite->n)
		ret = fb_usage_error("suite '%s' has no runs (one scenario per line)", file);
	if (!ret)
		ret = suite_targets_check(file, suite->spec, suite->n, suite->target,
					  suite->nr_targets);
	return ret;
}

static int parse_args(int argc, char **argv, struct fb_spec *g, const char **file, char **dir,
		      bool *check)
{
	struct fb_getopt opt = { 0 };
	char err[FB_ERRLEN];
	int c;

	fb_spec_defaults(g);
	*file = NULL;
	*dir = NULL;
	*check = false;
	while ((c = fb_getopt(argc, argv, suite_options, &opt)) != -1) {
		int bad = 0;

		if (c == 1 && !*file)
			*file = optarg;
		else if (c == OPT_OUT)
			*dir = optarg;
		else if (c == OPT_EVENTS)
			g->events = optarg;
		else if (c == OPT_FORMAT)
			bad = fb_parse_format(optarg, g, err, sizeof(err));
		else if (c == OPT_QUIET)
			g->quiet = true;
		else if (c == OPT_CHECK)
			*check = true;
		else if (c == OPT_INTERLEAVE)
			bad = fb_parse_ulong("interleave", optarg, 1, FB_MAX_ROUNDS, &g->interleave,
					     err, sizeof(err));
		else if (c == 'h')
			g->help = true;
		else
			bad = fb_option_error(suite_options, "suite", "FILE", c, argv, err,
					      sizeof(err));
		if (bad)
			return fb_usage_error("%s", err);
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
	char label[256], path[FB_PATH_MAX], *dir, *base;
	struct fb_spec g, defaults;
	struct fb_suite suite;
	const char *file;
	bool check;
	int ret;

	ret = parse_args(argc, argv, &g, &file, &dir, &check);
	if (ret || g.help) {
		if (g.help)
			suite_help();
		return ret;
	}
	snprintf(label, sizeof(label), "%s", file);
	base = basename(label);
	base[strcspn(base, ".")] = '\0';
	fb_spec_defaults(&defaults);
	ret = fb_suite_read(file, &defaults, &suite);
	if (!ret && check) {
		ret = fb_execute_check(suite.spec, suite.n, &g);
		if (!ret && printf("%s: %d runs and %d targets, every one valid\n", file, suite.n,
				   suite.nr_targets) < 0)
			ret = FB_EXIT_FAIL;
	} else if (!ret) {
		if (dir) {
			out_in_dir(dir, base, path, sizeof(path));
			g.out = path;
		}
		g.targets = suite.target;
		g.nr_targets = suite.nr_targets;
		ret = fb_execute(suite.spec, suite.n, &g, base);
	}
	fb_suite_free(&suite);
	return ret;
}
