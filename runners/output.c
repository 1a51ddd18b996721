// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where a result file goes: a fresh name under results/runs by default, or
 * the one given, which must not exist (results are never overwritten).
 */
#include <errno.h>
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

static void default_dir(char *dir, size_t len)
{
	struct stat st;
	char date[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y%m%d", &tm);
	/* In the source tree when there is one (results/runs is git-ignored). */
	if (!stat(FB_SOURCE_DIR "/results", &st) && S_ISDIR(st.st_mode))
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

int fb_out_path(const char *given, const char *scenario, char *path, size_t len, char *err,
		size_t errlen)
{
	char dir[1024], stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (given) {
		char copy[1024];

		snprintf(copy, sizeof(copy), "%s", given);
		if (!access(given, F_OK)) {
			snprintf(err, errlen,
				 "'%s' exists: results are never overwritten "
				 "(choose a new --out, or omit it for a fresh name)",
				 given);
			return -1;
		}
		if (check_dir(dirname(copy), err, errlen))
			return -1;
		snprintf(path, len, "%s", given);
		return 0;
	}
	default_dir(dir, sizeof(dir));
	if (mkdir_p(dir) || check_dir(dir, err, errlen)) {
		snprintf(err, errlen, "cannot write results: cannot create '%s': %s", dir,
			 strerror(errno));
		return -1;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%H%M%S", &tm);
	snprintf(path, len, "%s/%s-%s.json", dir, scenario, stamp);
	/* A name already taken gets a suffix. */
	for (int i = 1; !access(path, F_OK) && i < 1000; i++)
		snprintf(path, len, "%s/%s-%s-%d.json", dir, scenario, stamp, i);
	return 0;
}
