// SPDX-License-Identifier: GPL-2.0-only
/*
 * A child process run to its end: git, cmake, another build's faultbench.
 * A SIGINT, SIGTERM or SIGHUP that reaches this process while the child
 * runs (fb_interrupted) is passed on to it and all it started, and the
 * child still waited for, so that nothing outlives the command and the
 * caller can clean up after it.
 * One that came before (the cleanup after a Ctrl-C) lets the child finish.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

static void on_child(int sig)
{
	/* Only to wake sigsuspend(). */
}

/* In the child: its place, its output, then the program. */
static void exec_child(char *const argv[], const char *dir, int out, int err, const sigset_t *mask)
{
	/* a group of its own: cmake's ninja and compilers stop with it */
	setpgid(0, 0);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if ((out >= 0 && dup2(out, 1) < 0) || (err >= 0 && dup2(err, 2) < 0))
		_exit(127);
	if (dir && chdir(dir))
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

/*
 * Signals are blocked from before the fork until sigsuspend() waits: a
 * signal that comes at any time is seen, and the child stopped.
 */
static int run(char *const argv[], const char *dir, int out, int err)
{
	struct sigaction sa = { .sa_handler = on_child }, old_sa;
	sigset_t block, old;
	bool stopped;
	int status = -1;
	pid_t pid;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old_sa);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	stopped = fb_interrupted;
	pid = fork();
	if (pid == 0)
		exec_child(argv, dir, out, err, &old);
	while (pid > 0) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR)) {
			status = r == pid ? (WIFEXITED(status) ? WEXITSTATUS(status)
							       : 128 + WTERMSIG(status))
					  : -1;
			break;
		}
		if (fb_interrupted && !stopped) {
			kill(-pid, SIGTERM);
			stopped = true;
		}
		if (r == 0)
			sigsuspend(&old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigaction(SIGCHLD, &old_sa, NULL);
	return status;
}

int fb_spawn(char *const argv[], const char *dir, const char *log)
{
	int fd = -1, status;

	if (log && (fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
		return -1;
	status = run(argv, dir, fd, fd);
	if (fd >= 0)
		close(fd);
	return status;
}

int fb_spawn_output(char *const argv[], const char *dir, char *out, size_t len)
{
	int fd[2], null = open("/dev/null", O_WRONLY | O_CLOEXEC), status;
	size_t n = 0;
	ssize_t got;

	if (null < 0 || pipe2(fd, O_CLOEXEC)) {
		if (null >= 0)
			close(null);
		return -1;
	}
	/* Short answers only (a hash, a path): the pipe's buffer holds them. */
	status = run(argv, dir, fd[1], null);
	close(fd[1]);
	close(null);
	while (n + 1 < len && (got = read(fd[0], out + n, len - 1 - n)) > 0)
		n += (size_t)got;
	close(fd[0]);
	out[n] = '\0';
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return status;
}
