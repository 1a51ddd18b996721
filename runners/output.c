// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where a result file goes: a fresh name under results/runs by default, or
 * the one given, which must not exist (results are never overwritten).
 */
#include <errno.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gitinfo.h"
#include "runner.h"

static int mkdir_p(char *path)
{
	char *p = path;

	while ((p = strchr(p + 1, '/'))) {
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0777) && errno != EEXIST ? -1 : 0;
}

/* Whether this executable is the one in the build tree it was built in. */
static bool in_build_tree(void)
{
	char exe[FB_PATH_MAX], build[FB_PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t len;

	if (n <= 0 || !realpath(FB_BUILD_DIR, build))
		return false;
	exe[n] = '\0';
	len = strlen(build);
	return !strncmp(exe, build, len) && exe[len] == '/';
}

static void default_dir(char *dir, size_t len)
{
	struct stat st;
	char date[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y%m%d", &tm);
	/*
	 * A binary still in its build tree writes into the source tree
	 * (results/runs is git-ignored); an installed one, under the current
	 * directory: never into a tree it merely came from.
	 */
	if (in_build_tree() && !stat(FB_SOURCE_DIR "/results", &st) && S_ISDIR(st.st_mode))
		snprintf(dir, len, "%s/results/runs/%s-%.12s", FB_SOURCE_DIR, date, FB_GIT_COMMIT);
	else
		snprintf(dir, len, "results/runs/%s-%.12s", date, FB_GIT_COMMIT);
}

static int check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot write results: directory '%s' does not exist", dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK)) {
		snprintf(err, errlen, "cannot write results: directory '%s' is not writable", dir);
		return -1;
	}
	return 0;
}

/* The length of path without its ".json", if it has one. */
static int json_stem(const char *path)
{
	size_t n = strlen(path);

	return (int)(n > 5 && !strcmp(path + n - 5, ".json") ? n - 5 : n);
}

void fb_csv_path(const char *json, char *csv, size_t len)
{
	snprintf(csv, len, "%.*s.csv", json_stem(json), json);
}

/*
 * Whether a result could be written at path, tried now rather than after the
 * run: the file is written under path.tmp.XXXXXX and linked into place, so
 * that name must be creatable in path's directory (not /proc, not read-only,
 * not too long), and path must be free, a dangling symlink included.
 */
static int check_file(const char *path, char *err, size_t errlen)
{
	char tmp[FB_PATH_MAX + 16];
	int fd;

	if (strlen(path) + strlen(".tmp.XXXXXX") >= FB_PATH_MAX) {
		snprintf(err, errlen,
			 "cannot write results: '%.40s...' is too long (%zu characters)", path,
			 strlen(path));
		return -1;
	}
	if (fb_path_taken(path)) {
		snprintf(err, errlen,
			 "'%s' exists: results are never overwritten "
			 "(choose a new --out, or omit it for a fresh name)",
			 path);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write results to '%s': %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(tmp);
	return 0;
}

void fb_next_name(const char *first, int i, char *path, size_t len)
{
	int stem = json_stem(first);

	snprintf(path, len, "%.*s-%d%s", stem, first, i, first + stem);
}

bool fb_path_taken(const char *path)
{
	struct stat st;

	return !lstat(path, &st); /* a dangling symlink too: link() would fail on it */
}

int fb_out_path(const char *given, const char *scenario, bool csv, char *path, size_t len,
		char *err, size_t errlen)
{
	char dir[FB_PATH_MAX], stamp[32], csvpath[FB_PATH_MAX];
	time_t now = time(NULL);
	struct tm tm;

	if (given) {
		char copy[FB_PATH_MAX];

		if (!given[0] || given[strlen(given) - 1] == '/') {
			snprintf(err, errlen, "--out '%s' names no file", given);
			return -1;
		}
		if (strlen(given) >= sizeof(copy)) {
			snprintf(err, errlen,
				 "cannot write results: '%.40s...' is too long (%zu characters)",
				 given, strlen(given));
			return -1;
		}
		snprintf(copy, sizeof(copy), "%s", given);
		if (check_dir(dirname(copy), err, errlen))
			return -1;
		snprintf(path, len, "%s", given);
	} else {
		default_dir(dir, sizeof(dir));
		if (mkdir_p(dir) || check_dir(dir, err, errlen)) {
			snprintf(err, errlen, "cannot write results: cannot create '%s': %s", dir,
				 strerror(errno));
			return -1;
		}
		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%H%M%S", &tm);
		snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/%s-%s.json", scenario,
			 stamp);
		snprintf(path, len, "%s", dir);
		/* A name already taken gets a suffix. */
		for (int i = 1; fb_path_taken(path) && i < 1000; i++)
			fb_next_name(dir, i, path, len);
	}
	if (check_file(path, err, errlen))
		return -1;
	fb_csv_path(path, csvpath, sizeof(csvpath));
	return csv ? check_file(csvpath, err, errlen) : 0;
}
