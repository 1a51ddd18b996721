// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the instructions go.  The fault path is inlined into one function per
 * lock kind, so callgrind's own per-function costs would put nearly all of a
 * fault in handle_mm_fault_ticket.  Instead, each instruction of the program
 * is placed by its inline chain in the debug info (addr2line -i: the function
 * it was written in, then each function that inlined it, out to the one
 * callgrind saw): its self cost goes to the innermost function, its inclusive
 * cost to every function of the chain, and its part to the innermost function
 * that parts.h lists.  An instruction no listed function claims takes the
 * part of the call site its function was called from (a driver's ->nopfn is
 * the handler's, the scenario's step is "step").  Code in other objects
 * (libc) has no chain here: it counts in the function callgrind names.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure.h"

#define BD_MAX_DEPTH 16
#define BD_ADDRS_PER_CALL 256

extern char **environ;

struct chain {
	uint64_t addr;
	int depth;
	int fn[BD_MAX_DEPTH]; /* name indexes, innermost first */
};

struct bd {
	const struct cg_dump *d;
	int region, main_ob;
	char **names; /* interned function names */
	int nr_names, cap_names;
	int *fn_name;	      /* callgrind function id -> name index */
	struct chain *chains; /* one per address of the main object, sorted */
	size_t nr_chains;
	double *self, *incl; /* per name */
	int *fn_part;	     /* per callgrind function: memo, -2 unknown */
};

const char *fb_part_name(int part)
{
	if (part == FB_PART_STEP)
		return "step";
	if (part == FB_PART_OTHER)
		return "other";
	return fc_part_names[part];
}

/* "pthread_mutex_lock@@GLIBC_2.2.5", "foo.part.0", "foo'2" (recursion) and "foo": one function. */
static int intern(struct bd *b, const char *name, size_t len)
{
	len = strcspn(name, ".@'") < len ? strcspn(name, ".@'") : len;
	for (int i = 0; i < b->nr_names; i++)
		if (strlen(b->names[i]) == len && !strncmp(b->names[i], name, len))
			return i;
	if (b->nr_names == b->cap_names) {
		int cap = b->cap_names ? b->cap_names * 2 : 256;
		char **p = realloc(b->names, sizeof(*p) * (size_t)cap);

		if (!p)
			return -1;
		b->names = p;
		b->cap_names = cap;
	}
	if (!(b->names[b->nr_names] = strndup(name, len)))
		return -1;
	return b->nr_names++;
}

static int cmp_addr(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct chain *chain_of(const struct bd *b, uint64_t addr)
{
	struct chain key = { .addr = addr };

	if (!b->nr_chains)
		return NULL;
	return bsearch(&key, b->chains, b->nr_chains, sizeof(key), cmp_addr);
}

/* Reads addr2line -a -f -i output for one batch into the chains from first. */
static int read_chains(struct bd *b, FILE *f, size_t first, size_t n)
{
	char fn[1024], pos[4096];
	struct chain *c = NULL;
	size_t k = first;

	while (fgets(fn, sizeof(fn), f)) {
		fn[strcspn(fn, "\n")] = '\0';
		if (!strncmp(fn, "0x", 2)) {
			if (k == first + n)
				return -1;
			c = &b->chains[k++];
			c->depth = 0;
			continue;
		}
		if (!c || !fgets(pos, sizeof(pos), f))
			return -1;
		if (strcmp(fn, "??") && c->depth < BD_MAX_DEPTH) {
			int id = intern(b, fn, strlen(fn));

			if (id < 0)
				return -1;
			c->fn[c->depth++] = id;
		}
	}
	return k == first + n ? 0 : -1;
}

/* One addr2line for up to BD_ADDRS_PER_CALL addresses. */
static int addr2line(struct bd *b, const char *exe, size_t first, size_t n)
{
	char buf[BD_ADDRS_PER_CALL][24];
	char *argv[BD_ADDRS_PER_CALL + 8] = { "addr2line", "-a", "-f", "-i", "-e", (char *)exe };
	posix_spawn_file_actions_t fa;
	int fds[2], argc = 6, status, ret;
	pid_t pid;
	FILE *f;

	for (size_t i = 0; i < n; i++) {
		snprintf(buf[i], sizeof(buf[i]), "0x%llx",
			 (unsigned long long)b->chains[first + i].addr);
		argv[argc++] = buf[i];
	}
	argv[argc] = NULL;
	if (pipe(fds))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	ret = posix_spawnp(&pid, "addr2line", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (ret) {
		close(fds[0]);
		return -1;
	}
	f = fdopen(fds[0], "r");
	ret = f ? read_chains(b, f, first, n) : -1;
	if (f)
		fclose(f);
	else
		close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		ret = -1;
	return ret;
}

/* Every address of the main object that has a cost or makes a call. */
static int collect_addrs(struct bd *b)
{
	const struct cg_dump *d = b->d;
	uint64_t *a = malloc(sizeof(*a) * (d->nr_costs + d->nr_calls + 1));
	size_t n = 0;

	if (!a)
		return -1;
	for (size_t i = 0; i < d->nr_costs; i++)
		if (d->fn_ob[d->costs[i].fn] == b->main_ob)
			a[n++] = d->costs[i].addr;
	for (size_t i = 0; i < d->nr_calls; i++)
		if (d->fn_ob[d->calls[i].caller] == b->main_ob)
			a[n++] = d->calls[i].site;
	qsort(a, n, sizeof(*a), cmp_addr);
	b->chains = calloc(n + 1, sizeof(*b->chains));
	for (size_t i = 0; b->chains && i < n; i++)
		if (!b->nr_chains || b->chains[b->nr_chains - 1].addr != a[i])
			b->chains[b->nr_chains++].addr = a[i];
	free(a);
	return b->chains ? 0 : -1;
}

/* The chain of an instruction of function fn: its inline chain, or fn alone. */
static void chain_at(const struct bd *b, int fn, uint64_t addr, struct chain *out)
{
	const struct chain *c = b->d->fn_ob[fn] == b->main_ob ? chain_of(b, addr) : NULL;

	if (c && c->depth) {
		*out = *c;
		return;
	}
	out->addr = addr;
	out->depth = 1;
	out->fn[0] = b->fn_name[fn];
}

static int chain_part(const struct bd *b, const struct chain *c)
{
	for (int i = 0; i < c->depth; i++) {
		int p = fc_part_of(b->names[c->fn[i]]);

		if (p >= 0)
			return p;
	}
	return -1;
}

/* The part of a function none of whose chain is listed: its call site's. */
static int fn_part(struct bd *b, int fn, int depth)
{
	const struct cg_call *best = NULL;
	struct chain site;
	int p;

	if (b->fn_part[fn] != -2)
		return b->fn_part[fn];
	for (size_t i = 0; i < b->d->nr_calls; i++) {
		const struct cg_call *c = &b->d->calls[i];

		if (c->callee == fn && c->caller != fn && (!best || c->count > best->count))
			best = c;
	}
	if (!best || depth > BD_MAX_DEPTH)
		p = FB_PART_OTHER;
	else if (best->caller == b->region)
		p = FB_PART_STEP;
	else {
		chain_at(b, best->caller, best->site, &site);
		p = chain_part(b, &site);
		if (p < 0)
			p = fn_part(b, best->caller, depth + 1);
	}
	b->fn_part[fn] = p;
	return p;
}

/* Adds cost to every distinct function of the chain, once each. */
static void add_inclusive(struct bd *b, const struct chain *c, double cost)
{
	for (int i = 0; i < c->depth; i++) {
		bool seen = false;

		for (int j = 0; j < i; j++)
			seen |= c->fn[j] == c->fn[i];
		if (!seen)
			b->incl[c->fn[i]] += cost;
	}
}

static int cmp_fn(const void *a, const void *b)
{
	const struct fr_breakdown_fn *x = a, *y = b;

	if (x->inclusive != y->inclusive)
		return x->inclusive < y->inclusive ? 1 : -1;
	return strcmp(x->function, y->function);
}

static int account(struct bd *b, uint64_t iterations, struct fr_breakdown *out)
{
	const struct cg_dump *d = b->d;
	double per = 1.0 / (double)iterations;
	struct chain c;

	_Static_assert(FB_NR_PARTS <= FR_MAX_PARTS, "a result holds every part");
	for (int p = 0; p < FB_NR_PARTS; p++)
		snprintf(out->part_name[p], sizeof(out->part_name[p]), "%s", fb_part_name(p));
	out->nr_parts = FB_NR_PARTS;
	b->self = calloc((size_t)b->nr_names + 1, sizeof(double));
	b->incl = calloc((size_t)b->nr_names + 1, sizeof(double));
	if (!b->self || !b->incl)
		return -1;
	for (size_t i = 0; i < d->nr_costs; i++) {
		const struct cg_cost *k = &d->costs[i];
		double cost = (double)k->ir * per;
		int p;

		if (k->fn == b->region || !k->ir)
			continue;
		chain_at(b, k->fn, k->addr, &c);
		p = chain_part(b, &c);
		out->part[p >= 0 ? p : fn_part(b, k->fn, 0)] += cost;
		out->total += cost;
		b->self[c.fn[0]] += cost;
		add_inclusive(b, &c, cost);
	}
	for (size_t i = 0; i < d->nr_calls; i++) {
		/* The region's own calls are its costs; the calls into it are outside. */
		if (d->calls[i].caller == b->region || d->calls[i].callee == b->region)
			continue;
		chain_at(b, d->calls[i].caller, d->calls[i].site, &c);
		add_inclusive(b, &c, (double)d->calls[i].ir * per);
	}
	out->fn = calloc((size_t)b->nr_names + 1, sizeof(*out->fn));
	if (!out->fn)
		return -1;
	for (int i = 0; i < b->nr_names; i++) {
		if (b->incl[i] <= 0)
			continue;
		struct fr_breakdown_fn *f = &out->fn[out->nr_fn++];

		snprintf(f->function, sizeof(f->function), "%s", b->names[i]);
		f->self = b->self[i];
		f->inclusive = b->incl[i];
	}
	qsort(out->fn, (size_t)out->nr_fn, sizeof(*out->fn), cmp_fn);
	return 0;
}

static int find_main_ob(const struct cg_dump *d, const char *exe)
{
	char want[PATH_MAX], have[PATH_MAX];

	if (!realpath(exe, want))
		snprintf(want, sizeof(want), "%s", exe);
	for (int i = 0; i < d->nr_obs; i++)
		if (d->obs[i] && realpath(d->obs[i], have) && !strcmp(have, want))
			return i;
	return -1;
}

static int build(struct bd *b, const char *exe, uint64_t iterations, struct fr_breakdown *out)
{
	const struct cg_dump *d = b->d;

	b->fn_name = calloc((size_t)d->nr_fns + 1, sizeof(int));
	b->fn_part = malloc(sizeof(int) * ((size_t)d->nr_fns + 1));
	if (!b->fn_name || !b->fn_part)
		return -1;
	for (int i = 0; i < d->nr_fns; i++) {
		b->fn_part[i] = -2;
		b->fn_name[i] = intern(b, d->fns[i] ? d->fns[i] : "??", SIZE_MAX);
		if (b->fn_name[i] < 0)
			return -1;
	}
	if (collect_addrs(b))
		return -1;
	for (size_t i = 0; i < b->nr_chains; i += BD_ADDRS_PER_CALL) {
		size_t n = b->nr_chains - i;

		if (addr2line(b, exe, i, n < BD_ADDRS_PER_CALL ? n : BD_ADDRS_PER_CALL))
			return -2;
	}
	return account(b, iterations ? iterations : 1, out);
}

struct fr_breakdown *fb_breakdown(const struct cg_dump *d, int region, const char *exe,
				  uint64_t iterations, char *err, size_t errlen)
{
	struct bd b = { .d = d, .region = region, .main_ob = find_main_ob(d, exe) };
	struct fr_breakdown *out = calloc(1, sizeof(*out));
	int ret = out ? build(&b, exe, iterations, out) : -1;

	if (ret == -2)
		snprintf(err, errlen,
			 "--breakdown: addr2line could not read %s (install binutils; the "
			 "build needs debug info, -g)",
			 exe);
	else if (ret)
		snprintf(err, errlen, "--breakdown: out of memory");
	for (int i = 0; i < b.nr_names; i++)
		free(b.names[i]);
	free(b.names);
	free(b.fn_name);
	free(b.fn_part);
	free(b.chains);
	free(b.self);
	free(b.incl);
	if (ret) {
		fr_breakdown_free(out);
		return NULL;
	}
	return out;
}
