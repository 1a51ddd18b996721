// SPDX-License-Identifier: GPL-2.0-only
/*
 * A revision checked out beside the repository with `git worktree add
 * --detach`, and removed again, build and all, with `git worktree remove
 * --force` and `git worktree prune`, which also forgets one whose directory
 * is already gone.
 */
#include "runner.h"

int fb_worktree_add(const char *repo, const char *commit, const char *path, const char *log)
{
	char *argv[] = { "git",	     "-C",	(char *)repo, "worktree",     "add",
			 "--detach", "--quiet", (char *)path, (char *)commit, NULL };

	return fb_spawn(argv, NULL, log) == 0 ? 0 : -1;
}

void fb_worktree_remove(const char *repo, const char *path, const char *log)
{
	char *remove[] = { "git",    "-C",	(char *)repo, "worktree",
			   "remove", "--force", (char *)path, NULL };
	char *prune[] = { "git", "-C", (char *)repo, "worktree", "prune", NULL };

	fb_spawn(remove, NULL, log);
	fb_spawn(prune, NULL, log);
}
