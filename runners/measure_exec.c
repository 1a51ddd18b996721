// SPDX-License-Identifier: GPL-2.0-only
/*
 * One configuration counted by callgrind: faultbench runs itself again as
 *
 *   valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no
 *            --toggle-collect=fb_measured_step --dump-instr=yes ...
 *            faultbench run SCENARIO name=value... --threads 1 ... --out TMP
 *
 * with FAULTBENCH_CALLGRIND_OUT naming the dumps, waits for it, and reads its
 * result file back: its benchmarks (which carry the counts, measure.c) join
 * this process's document, whose context describes the machine without
 * valgrind in the way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure.h"
#include "spec.h"

#define EXEC_MAX_ARGS (FB_MAX_PARAMS + 48)

extern char **environ;

static int make_tmpdir(char *dir, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, len, "%s/faultbench-callgrind-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static void remove_tmpdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX + 256];

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/*
 * environ, with FAULTBENCH_CALLGRIND_OUT set to var's value, and without
 * hwloc's x86 backend, which cannot read the CPUID under valgrind (and says
 * so); the Linux backend still gives the child its topology.
 */
static char **child_env(char *var)
{
	static char no_x86[] = "HWLOC_COMPONENTS=-x86";
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], FB_CALLGRIND_ENV "=", sizeof(FB_CALLGRIND_ENV)) &&
		    strncmp(environ[i], "HWLOC_COMPONENTS=", 17))
			env[k++] = environ[i];
	env[k++] = var;
	env[k] = no_x86;
	return env;
}

static int spawn_child(const struct fb_measure *m, char **argv, char *var, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	char **env = child_env(var);
	int ret;

	if (!env)
		return ENOMEM;
	posix_spawn_file_actions_init(&fa);
	/* The child prints only its file name; this process prints the result. */
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	ret = posix_spawn(pid, m->valgrind, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	return ret;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Takes the child's benchmarks into doc, and the warnings doc lacks. */
static int merge(struct fr_doc *doc, const char *path, char *err, size_t errlen)
{
	struct fr_doc child;
	int ret;

	if (fr_doc_read(path, &child, err, errlen))
		return -1;
	ret = fr_doc_take(doc, &child);
	if (ret)
		snprintf(err, errlen, "out of memory");
	fr_doc_free(&child);
	return ret;
}

int fb_measure_exec(const struct fb_measure *m, const struct fb_spec *s, int threads,
		    struct fr_doc *doc, char *err, size_t errlen)
{
	char dir[PATH_MAX - 64], base[PATH_MAX], out[PATH_MAX], exe[PATH_MAX];
	char var[PATH_MAX + 32], outfile[PATH_MAX + 32], argbuf[4096];
	char *argv[EXEC_MAX_ARGS] = { (char *)m->valgrind,
				      "-q",
				      "--tool=callgrind",
				      "--instr-atstart=no",
				      "--collect-atstart=no",
				      "--toggle-collect=" FB_REGION_FN,
				      "--dump-instr=yes",
				      "--dump-line=no",
				      outfile,
				      exe,
				      "run" };
	int argc = 11, status, n;
	bool ok = false;
	pid_t pid;

	if (make_tmpdir(dir, sizeof(dir))) {
		snprintf(err, errlen, "cannot make a directory for callgrind: %s", strerror(errno));
		return -1;
	}
	snprintf(base, sizeof(base), "%s/callgrind.out", dir);
	snprintf(out, sizeof(out), "%s/result.json", dir);
	snprintf(outfile, sizeof(outfile), "--callgrind-out-file=%s", base);
	snprintf(var, sizeof(var), "%s=%s", FB_CALLGRIND_ENV, base);
	fb_self_exe(exe, sizeof(exe));
	n = fb_spec_argv(s, threads, argbuf, sizeof(argbuf), argv + argc, EXEC_MAX_ARGS - argc - 8);
	if (n < 0) {
		snprintf(err, errlen, "%s: too many parameters to pass on", s->sc->name);
		remove_tmpdir(dir);
		return -1;
	}
	argc += n;
	argv[argc++] = "--out";
	argv[argc++] = out;
	argv[argc++] = "--format";
	argv[argc++] = "json";
	argv[argc++] = "--quiet";
	argv[argc] = NULL;
	errno = spawn_child(m, argv, var, &pid);
	status = errno ? -1 : wait_child(pid);
	if (status < 0)
		snprintf(err, errlen, "cannot run %s: %s", m->valgrind, strerror(errno));
	else if (status != FB_EXIT_OK && status != FB_EXIT_FAIL && status != FB_EXIT_INTERRUPTED)
		snprintf(err, errlen, "the callgrind run of %s failed (exit status %d)",
			 s->sc->name, status);
	else if (merge(doc, out, err, errlen))
		status = -1;
	else
		ok = true;
	remove_tmpdir(dir);
	return ok ? status : -1;
}
