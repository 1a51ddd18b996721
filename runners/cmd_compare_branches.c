// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench compare-branches BASE HEAD: two revisions of the repository it
 * is run in, each built in a worktree of its own as this binary was, run on
 * the same suite interleaved (A B, B A, A B, ...) so that a shared machine's
 * drift hits both alike, each side's rounds merged into one result file,
 * compared and drawn.  Everything is checked before the first worktree is
 * made, and the worktrees go whatever happens, a Ctrl-C included.
 */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <faultplots/plot.h>
#include <faultresults/compare.h>

#include "spec.h"

#define MAX_ROUNDS 1000

static const char branches_help[] =
	"usage: faultbench compare-branches BASE HEAD [options]\n"
	"\n"
	"Builds two revisions of the git repository it is run in, each in a worktree\n"
	"of its own with this faultbench's compiler, flags and build type (the\n"
	"faultbench target only; a revision whose build would differ is refused),\n"
	"runs the suite with both, and compares them as faultbench compare does.\n"
	"The runs are interleaved so that drift hits both sides alike: round r runs\n"
	"the base then the head when r is even, the head then the base when odd.\n"
	"Each side's rounds are merged into one result file, each repetition tagged\n"
	"with its round (faultbench.round).  With --measure instructions, each side\n"
	"runs the suite once, counting instructions, which are compared exactly.\n"
	"\n";

static const struct fb_option branches_options[] = {
	{ "suite", 's', "FILE", "the suite to run (default scenarios/suites/default.suite)" },
	{ "rounds", 'r', "N",
	  "rounds of interleaved runs (default 8, the fewest that can decide at p < 0.01)" },
	{ "allow-dirty", 'd', NULL,
	  "run even though tracked files have uncommitted changes (the builds are of the "
	  "commits; the suite is read from the working tree); recorded in the results" },
	{ "measure", 'm', "instructions[:pmu|:callgrind]",
	  "count instructions in one pass instead of timing rounds" },
	{ "out", 'o', "DIR",
	  "a new directory for everything (default results/runs/DATE-branches-BASE-HEAD)" },
	{ "help", 'h', NULL, "print this help" },
	{ NULL, 0, NULL, NULL },
};

static const char branches_epilog[] =
	"\n"
	"DIR gets base.json and head.json, the comparison as compare.txt (printed),\n"
	"compare.json, compare.md and compare.mail, the figures of each side in\n"
	"base/plots and head/plots, branches.json (what was compared, and how), the\n"
	"build logs build-base.log and build-head.log, and every run's own result\n"
	"under runs/ with their output in runs.log.\n"
	"Exit status: 0 compared, 1 a build or a run failed (one line naming its log),\n"
	"2 bad input, 130 interrupted (the worktrees are removed in every case).\n";

enum side { BASE, HEAD, NR_SIDES };
static const char *const side_name[] = { "base", "head" };

struct branches {
	/* The command line. */
	const char *rev[NR_SIDES], *suite_arg, *measure, *out;
	int rounds;
	bool rounds_given, allow_dirty, help;
	/* Found before any work. */
	char top[FB_PATH_MAX];
	char commit[NR_SIDES][64];
	char suite[FB_PATH_MAX];
	char suite_name[256]; /* the result file's name, as suite gives it */
	bool dirty;
	char dir[FB_PATH_MAX];
	/* The work. */
	char tmp[FB_PATH_MAX];
	char tree[NR_SIDES][FB_PATH_MAX];
	char bin[NR_SIDES][FB_PATH_MAX];
	char run_suite[FB_PATH_MAX]; /* the suite the runs read: suite, or a copy that measures */
};

static int parse_rounds(const char *s, int *out)
{
	uint64_t v;

	if (fb_parse_u64(s, 1, MAX_ROUNDS, &v))
		return fb_usage_error("invalid --rounds '%s' (valid: 1 to %d)", s, MAX_ROUNDS);
	*out = (int)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct branches *b)
{
	enum fb_measure_method method;
	char err[FB_ERRLEN];
	struct fb_getopt opt = { 0 };
	int c, nr_revs = 0;

	b->rounds = 8; /* the fewest whose paired test can reach p < 0.01 */
	while ((c = fb_getopt(argc, argv, branches_options, &opt)) != -1) {
		if (c == 1 && nr_revs < NR_SIDES)
			b->rev[nr_revs++] = optarg;
		else if (c == 's')
			b->suite_arg = optarg;
		else if (c == 'r') {
			if (parse_rounds(optarg, &b->rounds))
				return FB_EXIT_USAGE;
			b->rounds_given = true;
		} else if (c == 'd')
			b->allow_dirty = true;
		else if (c == 'm') {
			if (strncmp(optarg, "instructions", 12) ||
			    fb_measure_parse(optarg, &method, err, sizeof(err)))
				return fb_usage_error("invalid --measure '%s' (valid: %s)", optarg,
						      fb_option_arg(branches_options, 'm'));
			b->measure = optarg;
		} else if (c == 'o')
			b->out = optarg;
		else if (c == 'h')
			b->help = true;
		else {
			fb_option_error(branches_options, "compare-branches", "BASE HEAD", c, argv,
					err, sizeof(err));
			return fb_usage_error("%s", err);
		}
	}
	if (b->help)
		return 0;
	if (nr_revs < NR_SIDES)
		return fb_usage_error("two revisions are needed (usage: faultbench "
				      "compare-branches BASE HEAD)");
	if (b->measure && b->rounds_given)
		return fb_usage_error("--measure instructions counts exactly, in one pass: "
				      "--rounds does not apply");
	return 0;
}

/* --- what is checked before any work ---------------------------------------------- */

static int find_repo(struct branches *b)
{
	char *argv[] = { "git", "rev-parse", "--show-toplevel", NULL };
	char path[FB_PATH_MAX + 32], line[256];
	bool ours = false;
	FILE *f;

	if (fb_spawn_output(argv, NULL, b->top, sizeof(b->top)) != 0 || !b->top[0])
		return fb_usage_error("not inside a git repository: compare-branches builds "
				      "revisions of the faultbench repository it is run in");
	snprintf(path, sizeof(path), "%s/CMakeLists.txt", b->top);
	if ((f = fopen(path, "r"))) {
		while (!ours && fgets(line, sizeof(line), f))
			ours = strstr(line, "project(faultbench") != NULL;
		fclose(f);
	}
	if (!ours)
		return fb_usage_error("'%s' is not a faultbench repository (its CMakeLists.txt "
				      "has no project(faultbench)",
				      b->top);
	return 0;
}

static int resolve(struct branches *b, enum side s)
{
	char spec[512];
	char *argv[] = { "git", "-C", b->top, "rev-parse", "--verify", "--quiet", spec, NULL };

	snprintf(spec, sizeof(spec), "%s^{commit}", b->rev[s]);
	if (b->rev[s][0] == '-' ||
	    fb_spawn_output(argv, NULL, b->commit[s], sizeof(b->commit[s])) != 0 ||
	    !b->commit[s][0])
		return fb_usage_error("%s '%s' is not a commit of %s", side_name[s], b->rev[s],
				      b->top);
	return 0;
}

/* Tracked files changed, staged or not; untracked files do not count. */
static int check_clean(struct branches *b)
{
	char *argv[] = { "git", "-C", b->top, "diff", "--quiet", "HEAD", "--", NULL };
	char out[16];
	int st = fb_spawn_output(argv, NULL, out, sizeof(out));

	if (st != 0 && st != 1)
		return fb_usage_error("cannot tell whether %s has uncommitted changes "
				      "(git diff exit status %d)",
				      b->top, st);
	b->dirty = st == 1;
	if (b->dirty && !b->allow_dirty)
		return fb_usage_error("%s has uncommitted changes to tracked files: commit or "
				      "stash them, or pass --allow-dirty (recorded in the results)",
				      b->top);
	return 0;
}

/*
 * The suite is read and checked as suite would (with --measure, from a first
 * line that measures), by this binary: a scenario only the revisions know is
 * refused.
 */
static int check_suite(struct branches *b)
{
	char name[FB_PATH_MAX], err[FB_ERRLEN];
	struct fb_suite suite;
	char *measure[] = { "defaults", "--measure", (char *)b->measure, NULL };
	struct fb_spec first;
	char def[FB_PATH_MAX];
	int ret;

	snprintf(def, sizeof(def), "%s/scenarios/suites/default.suite", b->top);
	if (!realpath(b->suite_arg ? b->suite_arg : def, b->suite))
		return fb_usage_error("cannot read suite '%s': %s",
				      b->suite_arg ? b->suite_arg : def, strerror(errno));
	fb_spec_defaults(&first);
	if (b->measure && fb_spec_parse(3, measure, &first, FB_SPEC_DEFAULTS, err, sizeof(err)))
		return fb_usage_error("%s", err);
	ret = fb_suite_read(b->suite, &first, &suite);
	if (!ret) {
		struct fb_spec g;

		/* as the runs will be: suite FILE --quiet */
		fb_spec_defaults(&g);
		g.quiet = true;
		ret = fb_execute_check(suite.spec, suite.n, &g);
	}
	fb_suite_free(&suite);
	/* suite's own rule for its result file's name: the file's, to the first dot */
	snprintf(name, sizeof(name), "%s", b->suite);
	snprintf(b->suite_name, sizeof(b->suite_name), "%s", basename(name));
	b->suite_name[strcspn(b->suite_name, ".")] = '\0';
	return ret;
}

static int check_out(struct branches *b)
{
	char parent[FB_PATH_MAX], copy[FB_PATH_MAX], date[32];
	struct stat st;
	time_t now = time(NULL);
	struct tm tm;

	if (b->out) {
		if (!lstat(b->out, &st))
			return fb_usage_error("'%s' exists: results are never overwritten (choose "
					      "a new --out, or omit it for a fresh name)",
					      b->out);
		snprintf(b->dir, sizeof(b->dir), "%s", b->out);
	} else {
		localtime_r(&now, &tm);
		strftime(date, sizeof(date), "%Y%m%d", &tm);
		snprintf(b->dir, sizeof(b->dir), "%s/results/runs/%s-branches-%.12s-%.12s", b->top,
			 date, b->commit[BASE], b->commit[HEAD]);
		for (int i = 1; !lstat(b->dir, &st) && i < 1000; i++)
			snprintf(b->dir, sizeof(b->dir),
				 "%s/results/runs/%s-branches-%.12s-%.12s-%d", b->top, date,
				 b->commit[BASE], b->commit[HEAD], i);
		snprintf(parent, sizeof(parent), "%s/results/runs", b->top);
		if (mkdir(parent, 0777) && errno != EEXIST)
			return fb_usage_error("cannot create '%s': %s", parent, strerror(errno));
	}
	snprintf(copy, sizeof(copy), "%s", b->dir);
	snprintf(parent, sizeof(parent), "%s", dirname(copy));
	if (stat(parent, &st) || !S_ISDIR(st.st_mode) || access(parent, W_OK | X_OK))
		return fb_usage_error("cannot write results: directory '%s' does not exist or is "
				      "not writable",
				      parent);
	return 0;
}

static int check(struct branches *b)
{
	int ret = find_repo(b);

	for (int s = 0; !ret && s < NR_SIDES; s++)
		ret = resolve(b, s);
	if (!ret)
		ret = check_clean(b);
	if (!ret)
		ret = check_suite(b);
	if (!ret)
		ret = check_out(b);
	return ret;
}

/* --- the work ------------------------------------------------------------------------ */

static void in_dir(const struct branches *b, char *path, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void in_dir(const struct branches *b, char *path, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(path, len, "%s/", b->dir);

	va_start(ap, fmt);
	vsnprintf(path + n, len - (size_t)n, fmt, ap);
	va_end(ap);
}

/* With --measure: the suite, after a `defaults` line that measures every run. */
static int measuring_suite(struct branches *b)
{
	char dir[FB_PATH_MAX], buf[4096];
	FILE *in, *out;
	size_t n;
	int err;

	snprintf(dir, sizeof(dir), "%s/suite", b->tmp);
	snprintf(b->run_suite, sizeof(b->run_suite), "%s/%s.suite", dir, b->suite_name);
	if (mkdir(dir, 0777) || !(in = fopen(b->suite, "r")))
		return -1;
	if (!(out = fopen(b->run_suite, "w"))) {
		fclose(in);
		return -1;
	}
	fprintf(out, "defaults --measure %s\n", b->measure);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	err = ferror(in) | ferror(out);
	fclose(in);
	return fclose(out) || err ? -1 : 0;
}

static int prepare(struct branches *b)
{
	const char *tmp = getenv("TMPDIR");
	char runs[FB_PATH_MAX];

	in_dir(b, runs, sizeof(runs), "runs");
	if (mkdir(b->dir, 0777) || mkdir(runs, 0777))
		return fb_failure("cannot create '%s': %s", b->dir, strerror(errno));
	snprintf(b->tmp, sizeof(b->tmp), "%s/faultbench-branches-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(b->tmp)) {
		b->tmp[0] = '\0';
		return fb_failure("cannot make a temporary directory: %s", strerror(errno));
	}
	snprintf(b->run_suite, sizeof(b->run_suite), "%s", b->suite);
	if (b->measure && measuring_suite(b))
		return fb_failure("cannot write the measuring suite in %s: %s", b->tmp,
				  strerror(errno));
	return 0;
}

static int build(struct branches *b, enum side s)
{
	char log[FB_PATH_MAX], build[FB_PATH_MAX + 16], name[128], err[FB_ERRLEN];
	int ret;

	if (fb_interrupted)
		return FB_EXIT_INTERRUPTED;
	in_dir(b, log, sizeof(log), "build-%s.log", side_name[s]);
	snprintf(name, sizeof(name), "%s %s (%.12s)", side_name[s], b->rev[s], b->commit[s]);
	snprintf(b->tree[s], sizeof(b->tree[s]), "%s/%s", b->tmp, side_name[s]);
	if (fb_worktree_add(b->top, b->commit[s], b->tree[s], log))
		return fb_interrupted ? FB_EXIT_INTERRUPTED
				      : fb_failure("cannot check out %s: see %s", name, log);
	snprintf(build, sizeof(build), "%s/build", b->tree[s]);
	snprintf(b->bin[s], sizeof(b->bin[s]), "%s/runners/faultbench", build);
	ret = fb_rebuild(b->tree[s], build, name, log, err, sizeof(err));
	if (fb_interrupted)
		return FB_EXIT_INTERRUPTED;
	if (ret == FB_EXIT_USAGE)
		return fb_usage_error("%s", err);
	return ret ? fb_failure("%s failed to build: see %s", name, log) : FB_EXIT_OK;
}

/* One side's suite, one round: its result in runs/SIDE-ROUND/, its output in runs.log. */
static int run(struct branches *b, enum side s, int round)
{
	char out[FB_PATH_MAX], log[FB_PATH_MAX];
	char *argv[] = { b->bin[s], "suite", b->run_suite, "--out", out, "--quiet", NULL };
	FILE *f;
	int st;

	/* A signal between two children: the next is not started. */
	if (fb_interrupted)
		return FB_EXIT_INTERRUPTED;
	in_dir(b, out, sizeof(out), "runs/%s-%d", side_name[s], round);
	in_dir(b, log, sizeof(log), "runs.log");
	if (mkdir(out, 0777))
		return fb_failure("cannot create '%s': %s", out, strerror(errno));
	if ((f = fopen(log, "a"))) {
		fprintf(f, "== round %d, %s %.12s: %s suite %s --out %s --quiet\n", round,
			side_name[s], b->commit[s], b->bin[s], b->run_suite, out);
		fclose(f);
	}
	st = fb_spawn(argv, NULL, log);
	if (fb_interrupted || st == FB_EXIT_INTERRUPTED)
		return FB_EXIT_INTERRUPTED;
	/* 1 is a failed verify: the file is written, its benchmarks marked. */
	if (st != FB_EXIT_OK && st != FB_EXIT_FAIL)
		return fb_failure("the %s run of round %d failed (exit status %d): see %s",
				  side_name[s], round, st, log);
	return FB_EXIT_OK;
}

/* Round r runs A B when r is even, B A when odd. */
static int run_rounds(struct branches *b)
{
	int nr = b->measure ? 1 : b->rounds, ret = 0;

	for (int r = 0; !ret && r < nr; r++)
		for (int k = 0; !ret && k < NR_SIDES; k++)
			ret = run(b, r % 2 ? NR_SIDES - 1 - k : k, r);
	return ret;
}

/* Every round of side s merged into doc, and written as DIR/SIDE.json. */
static int merge(struct branches *b, enum side s, struct fr_doc *doc)
{
	char path[FB_PATH_MAX], err[FB_ERRLEN];
	int nr = b->measure ? 1 : b->rounds;

	fr_doc_init(doc);
	for (int r = 0; r < nr; r++) {
		struct fr_doc one;

		in_dir(b, path, sizeof(path), "runs/%s-%d/%s.json", side_name[s], r, b->suite_name);
		if (fr_doc_read(path, &one, err, sizeof(err)))
			return fb_failure("%s", err);
		if (fr_doc_merge(doc, &one, r, err, sizeof(err))) {
			fr_doc_free(&one);
			return fb_failure("%s: %s", side_name[s], err);
		}
		fr_doc_free(&one);
	}
	if (b->dirty && fr_doc_warn(doc,
				    "compare-branches --allow-dirty: %s had uncommitted changes; "
				    "the builds are of commit %.12s, the suite was read from the "
				    "working tree",
				    b->top, b->commit[s]))
		return fb_failure("out of memory");
	in_dir(b, path, sizeof(path), "%s.json", side_name[s]);
	return fr_doc_write(doc, path, err, sizeof(err)) ? fb_failure("%s", err) : FB_EXIT_OK;
}

static int write_comparison(struct branches *b, const struct fr_comparison *cmp)
{
	static const struct {
		enum fr_compare_format format;
		const char *file;
	} outputs[] = {
		{ FR_FORMAT_TABLE, "compare.txt" },
		{ FR_FORMAT_JSON, "compare.json" },
		{ FR_FORMAT_MARKDOWN, "compare.md" },
		{ FR_FORMAT_MAIL, "compare.mail" },
	};
	char path[FB_PATH_MAX], names[NR_SIDES][FB_PATH_MAX];

	for (int s = 0; s < NR_SIDES; s++)
		in_dir(b, names[s], sizeof(names[s]), "%s.json", side_name[s]);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		FILE *f;
		int err;

		in_dir(b, path, sizeof(path), "%s", outputs[i].file);
		if (!(f = fopen(path, "wx")))
			return fb_failure("cannot write '%s': %s", path, strerror(errno));
		err = fr_comparison_print(cmp, outputs[i].format, names[BASE], names[HEAD], f);
		if (fclose(f) || err)
			return fb_failure("cannot write '%s'", path);
	}
	return fr_comparison_print(cmp, FR_FORMAT_TABLE, names[BASE], names[HEAD], stdout) ||
			       fflush(stdout)
		       ? FB_EXIT_FAIL
		       : FB_EXIT_OK;
}

static int compare(struct branches *b, const struct fr_doc *doc)
{
	struct fr_compare_opts opts = { FR_COMPARE_ALPHA, FR_COMPARE_THRESHOLD };
	struct fr_selection sel = { 0 };
	struct fr_comparison cmp;
	char err[FB_ERRLEN];
	int ret;

	if (fr_compare(&doc[BASE], &doc[HEAD], &sel, &opts, &cmp, err, sizeof(err)))
		return fb_failure("cannot compare the results: %s", err);
	ret = write_comparison(b, &cmp);
	fr_comparison_free(&cmp);
	return ret;
}

/* Each side's figures into DIR/SIDE/plots. */
static int draw(struct branches *b, enum side s, const struct fr_doc *doc)
{
	char result[FB_PATH_MAX], parent[FB_PATH_MAX], dest[FP_PATHLEN], err[FB_ERRLEN];
	char notes[FP_MAX_FIGURES][FP_NOTELEN];
	struct fp_plan p;
	int nr_notes;

	in_dir(b, result, sizeof(result), "%s.json", side_name[s]);
	in_dir(b, parent, sizeof(parent), "%s", side_name[s]);
	if (mkdir(parent, 0777))
		return fb_failure("cannot create '%s': %s", parent, strerror(errno));
	if (fp_plan(&p, result, NULL, parent, err, sizeof(err)) ||
	    fp_draw(&p, doc, dest, sizeof(dest), notes, &nr_notes, err, sizeof(err)) != FP_DRAWN)
		return fb_failure("%s's figures: %s", side_name[s], err);
	return FB_EXIT_OK;
}

/* DIR/branches.json: what was compared, and how. */
static int write_manifest(struct branches *b)
{
	char path[FB_PATH_MAX];
	json_t *revs = json_object(), *m;
	int ret;

	for (int s = 0; s < NR_SIDES; s++)
		json_object_set_new(
			revs, side_name[s],
			json_pack("{s:s, s:s}", "rev", b->rev[s], "commit", b->commit[s]));
	m = json_pack("{s:s, s:o, s:s, s:i, s:s?, s:b, s:b}", "repository", b->top, "revisions",
		      revs, "suite", b->suite, "rounds", b->measure ? 1 : b->rounds, "measure",
		      b->measure, "allow_dirty", b->allow_dirty, "dirty", b->dirty);
	in_dir(b, path, sizeof(path), "branches.json");
	ret = m ? json_dump_file(m, path, JSON_INDENT(2)) : -1;
	json_decref(m);
	return ret ? fb_failure("cannot write '%s'", path) : FB_EXIT_OK;
}

static void cleanup(struct branches *b)
{
	char log[FB_PATH_MAX], path[FB_PATH_MAX + 16];

	for (int s = 0; s < NR_SIDES; s++) {
		if (!b->tree[s][0])
			continue;
		in_dir(b, log, sizeof(log), "build-%s.log", side_name[s]);
		fb_worktree_remove(b->top, b->tree[s], log);
	}
	if (!b->tmp[0])
		return;
	if (b->measure) {
		unlink(b->run_suite);
		snprintf(path, sizeof(path), "%s/suite", b->tmp);
		rmdir(path);
	}
	rmdir(b->tmp);
}

static int work(struct branches *b)
{
	struct fr_doc doc[NR_SIDES];
	int ret = prepare(b), nr_docs = 0;

	for (int s = 0; !ret && s < NR_SIDES; s++)
		ret = build(b, s);
	if (!ret)
		ret = write_manifest(b);
	if (!ret)
		ret = run_rounds(b);
	/* The results are all in DIR: the worktrees can go before the comparison. */
	cleanup(b);
	for (; !ret && nr_docs < NR_SIDES; nr_docs++)
		ret = merge(b, nr_docs, &doc[nr_docs]);
	if (!ret)
		ret = compare(b, doc);
	for (int s = 0; !ret && s < NR_SIDES; s++)
		ret = draw(b, s, &doc[s]);
	for (int s = 0; s < nr_docs; s++)
		fr_doc_free(&doc[s]);
	if (ret == FB_EXIT_INTERRUPTED || fb_interrupted) {
		fprintf(stderr, "faultbench: interrupted: worktrees removed; what ran is in %s\n",
			b->dir);
		return FB_EXIT_INTERRUPTED;
	}
	return ret;
}

int fb_cmd_compare_branches(int argc, char **argv)
{
	struct branches b;
	int ret;

	memset(&b, 0, sizeof(b));
	ret = parse_args(argc, argv, &b);
	if (ret || b.help) {
		if (b.help) {
			fputs(branches_help, stdout);
			fb_options_help(stdout, branches_options);
			fputs(branches_epilog, stdout);
		}
		return ret;
	}
	ret = check(&b);
	if (ret)
		return ret;
	fb_install_signals();
	return work(&b);
}
