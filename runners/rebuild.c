// SPDX-License-Identifier: GPL-2.0-only
/*
 * This binary's build made again from another source tree: the same
 * compiler, flags, build type, sanitizers and allocator, as CMake recorded
 * them when it configured this one, so that two revisions compared differ in
 * their code alone.  Only the faultbench target is built.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

/* What this binary was configured with (runners/CMakeLists.txt). */
static const struct {
	const char *key, *value;
} self[] = {
	{ "CMAKE_C_COMPILER", FB_C_COMPILER_PATH },
	{ "CMAKE_BUILD_TYPE", FB_BUILD_TYPE },
	{ "CMAKE_C_FLAGS", FB_C_FLAGS },
	{ "CMAKE_C_FLAGS_" FB_BUILD_TYPE_UPPER, FB_C_FLAGS_BUILD },
	{ "FAULTBENCH_SANITIZE", FB_SANITIZE },
	{ "FAULTBENCH_JEMALLOC", FB_JEMALLOC },
};

#define NR_SELF (int)(sizeof(self) / sizeof(self[0]))

/* key's value in build/CMakeCache.txt ("KEY:TYPE=VALUE"); "" when absent. */
static void cache_value(const char *build, const char *key, char *out, size_t len)
{
	char path[FB_PATH_MAX], line[1024];
	size_t n = strlen(key);
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/CMakeCache.txt", build);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (!strncmp(line, key, n) && line[n] == ':' && eq) {
			size_t vlen = strcspn(eq + 1, "\n");

			/* CMake quotes a value that starts or ends with a blank: 'VALUE' */
			if (vlen >= 2 && eq[1] == '\'' && eq[vlen] == '\'')
				snprintf(out, len, "%.*s", (int)vlen - 2, eq + 2);
			else
				snprintf(out, len, "%.*s", (int)vlen, eq + 1);
			break;
		}
	}
	fclose(f);
}

/* A revision may set its own defaults over what was asked: then it is refused. */
static int check_cache(const char *build, const char *name, char *err, size_t errlen)
{
	char got[512];

	for (int i = 0; i < NR_SELF; i++) {
		cache_value(build, self[i].key, got, sizeof(got));
		if (strcmp(got, self[i].value)) {
			snprintf(err, errlen,
				 "%s would be built with %s '%s', this faultbench with '%s': "
				 "refusing to compare different builds",
				 name, self[i].key, got, self[i].value);
			return -1;
		}
	}
	return 0;
}

int fb_rebuild(const char *src, const char *build, const char *name, const char *log, char *err,
	       size_t errlen)
{
	char def[NR_SELF][640], jobs[16];
	char *configure[NR_SELF + 10] = {
		"cmake",       "-S", (char *)src,  "-B",
		(char *)build, "-G", FB_GENERATOR, "-DBUILD_TESTING=OFF"
	};
	char *make[] = { "cmake",      "--build",    (char *)build, "--target",
			 "faultbench", "--parallel", jobs,	    NULL };
	int argc = 8;

	for (int i = 0; i < NR_SELF; i++) {
		snprintf(def[i], sizeof(def[i]), "-D%s=%s", self[i].key, self[i].value);
		configure[argc++] = def[i];
	}
	configure[argc] = NULL;
	snprintf(jobs, sizeof(jobs), "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	if (fb_spawn(configure, NULL, log) != 0 || fb_interrupted)
		return FB_EXIT_FAIL;
	if (check_cache(build, name, err, errlen))
		return FB_EXIT_USAGE;
	return fb_spawn(make, NULL, log) == 0 ? FB_EXIT_OK : FB_EXIT_FAIL;
}
