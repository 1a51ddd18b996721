// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads one callgrind dump (valgrind's "Callgrind Format, Version 1", as
 * written with --dump-instr=yes): the self cost of every instruction, and
 * every call with its call site and inclusive cost.  Only the first event
 * (Ir, instructions executed) is kept.
 *
 * The format compresses names ("(id) name" once, "(id)" after) and
 * positions ("+n", "-n" and "*" relative to the last cost line).  The
 * target of a calls= line is relative to the last cost line too, but does
 * not become the last position; the line after it is the call site's cost.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

#define CG_MAX_POS 4

struct names {
	char **name;
	int n;
};

struct reader {
	struct cg_dump *d;
	struct names obs, fns;
	int npos, instr;	   /* subpositions per line; which one is the address */
	uint64_t last[CG_MAX_POS]; /* positions of the last cost line */
	int ob, fn, cob, cfn;	   /* current object, function, callee's */
	bool in_call;		   /* the next cost line is a call's */
	uint64_t call_count;
	size_t cap_costs, cap_calls;
};

static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 256;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*arr, n * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}

static int name_set(struct names *t, int id, const char *name)
{
	if (id >= t->n) {
		char **p = realloc(t->name, sizeof(*p) * (size_t)(id + 1));

		if (!p)
			return -1;
		memset(p + t->n, 0, sizeof(*p) * (size_t)(id + 1 - t->n));
		t->name = p;
		t->n = id + 1;
	}
	if (!t->name[id] && !(t->name[id] = strdup(name)))
		return -1;
	return 0;
}

static void names_free(struct names *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->name[i]);
	free(t->name);
}

/* "(id) name", "(id)" or "name" after the '='; returns the id, or -1. */
static int name_ref(struct names *t, char *v)
{
	char *end;
	long id;

	if (*v != '(') {
		/* Uncompressed: give it the next free id. */
		int n = t->n;

		return name_set(t, n, v) ? -1 : n;
	}
	id = strtol(v + 1, &end, 10);
	if (*end != ')' || id < 0 || id > 10000000)
		return -1;
	if (end[1] == ' ' && name_set(t, (int)id, end + 2))
		return -1;
	return id < t->n && t->name[id] ? (int)id : -1;
}

/* One subposition: absolute, or relative to base. */
static int subpos(char **p, uint64_t base, uint64_t *out)
{
	char *s = *p, *end;

	while (*s == ' ')
		s++;
	if (*s == '*') {
		*out = base;
		end = s + 1;
	} else if (*s == '+' || *s == '-') {
		long long d = strtoll(s + 1, &end, 0);

		if (end == s + 1)
			return -1;
		*out = *s == '+' ? base + (uint64_t)d : base - (uint64_t)d;
	} else {
		*out = strtoull(s, &end, 0);
		if (end == s)
			return -1;
	}
	*p = end;
	return 0;
}

static int positions(struct reader *r, char **p, uint64_t *pos)
{
	for (int i = 0; i < r->npos; i++)
		if (subpos(p, r->last[i], &pos[i]))
			return -1;
	return 0;
}

static int cost_line(struct reader *r, char *line)
{
	struct cg_dump *d = r->d;
	uint64_t pos[CG_MAX_POS], ir;
	char *p = line;

	if (positions(r, &p, pos))
		return -1;
	ir = strtoull(p, NULL, 10); /* no value: zero */
	memcpy(r->last, pos, sizeof(pos));
	if (r->fn < 0)
		return -1;
	if (r->in_call) {
		r->in_call = false;
		if (grow((void **)&d->calls, &r->cap_calls, d->nr_calls + 1, sizeof(*d->calls)))
			return -1;
		d->calls[d->nr_calls++] = (struct cg_call){ .caller = r->fn,
							    .callee = r->cfn,
							    .site = pos[r->instr],
							    .count = r->call_count,
							    .ir = ir };
		return 0;
	}
	if (grow((void **)&d->costs, &r->cap_costs, d->nr_costs + 1, sizeof(*d->costs)))
		return -1;
	d->costs[d->nr_costs++] = (struct cg_cost){ .fn = r->fn, .addr = pos[r->instr], .ir = ir };
	return 0;
}

static int fn_line(struct reader *r, char *v, bool callee)
{
	int id = name_ref(&r->fns, v);
	int ob = callee ? r->cob : r->ob;

	if (id < 0)
		return -1;
	/* fn_ob[] as long as the name table, so nr_fns counts both. */
	if (r->fns.n > r->d->nr_fns) {
		int *p = realloc(r->d->fn_ob, sizeof(*p) * (size_t)r->fns.n);

		if (!p)
			return -1;
		for (int i = r->d->nr_fns; i < r->fns.n; i++)
			p[i] = -1;
		r->d->fn_ob = p;
		r->d->nr_fns = r->fns.n;
	}
	if (r->d->fn_ob[id] < 0)
		r->d->fn_ob[id] = ob;
	if (callee) {
		r->cfn = id;
		r->cob = r->ob; /* a cob= applies to one cfn= */
	} else {
		r->fn = id;
	}
	return 0;
}

static int spec_line(struct reader *r, char *line)
{
	char *v = strchr(line, '=') + 1;
	size_t k = (size_t)(v - line - 1);
	uint64_t target[CG_MAX_POS];

	if (k == 2 && !strncmp(line, "ob", 2))
		return (r->ob = r->cob = name_ref(&r->obs, v)) < 0 ? -1 : 0;
	if (k == 3 && !strncmp(line, "cob", 3))
		return (r->cob = name_ref(&r->obs, v)) < 0 ? -1 : 0;
	if (k == 2 && !strncmp(line, "fn", 2))
		return fn_line(r, v, false);
	if (k == 3 && !strncmp(line, "cfn", 3))
		return fn_line(r, v, true);
	if (k == 5 && !strncmp(line, "calls", 5)) {
		char *p;

		r->call_count = strtoull(v, &p, 10);
		r->in_call = true;
		return r->cfn < 0 ? -1 : positions(r, &p, target);
	}
	return 0; /* files (fl, fi, fe, cfi, cfl): addr2line knows them better */
}

static int header_line(struct reader *r, char *line)
{
	if (!strncmp(line, "positions:", 10)) {
		r->npos = 0;
		r->instr = -1;
		for (char *w = strtok(line + 10, " "); w; w = strtok(NULL, " ")) {
			if (r->npos == CG_MAX_POS)
				return -1;
			if (!strcmp(w, "instr"))
				r->instr = r->npos;
			r->npos++;
		}
		return r->instr < 0 ? -1 : 0;
	}
	if (!strncmp(line, "events:", 7))
		return strncmp(line + 7, " Ir", 3) ? -1 : 0;
	if (!strncmp(line, "desc: Trigger: ", 15))
		snprintf(r->d->trigger, sizeof(r->d->trigger), "%s", line + 15);
	else if (!strncmp(line, "totals:", 7))
		r->d->totals = strtoull(line + 7, NULL, 10);
	return 0;
}

static int one_line(struct reader *r, char *line)
{
	char c = line[0];

	line[strcspn(line, "\n")] = '\0';
	if (!c || c == '\n' || c == '#')
		return 0;
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '*')
		return cost_line(r, line);
	if (strchr(line, '=') && strcspn(line, "=") < strcspn(line, ": "))
		return spec_line(r, line);
	return header_line(r, line);
}

int cg_dump_read(const char *path, struct cg_dump *d, char *err, size_t errlen)
{
	struct reader r = {
		.d = d, .npos = 1, .instr = -1, .ob = -1, .fn = -1, .cob = -1, .cfn = -1
	};
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0, bad = 0;

	memset(d, 0, sizeof(*d));
	if (!f) {
		snprintf(err, errlen, "cannot read callgrind's dump '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	while (!bad && fgets(line, sizeof(line), f)) {
		lineno++;
		bad = one_line(&r, line);
	}
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "%s:%d: not a callgrind dump with instruction addresses",
			 path, lineno);
		names_free(&r.obs);
		names_free(&r.fns);
		d->nr_fns = 0;
		cg_dump_free(d);
		return -1;
	}
	d->obs = r.obs.name;
	d->nr_obs = r.obs.n;
	d->fns = r.fns.name;
	return 0;
}

void cg_dump_free(struct cg_dump *d)
{
	struct names obs = { d->obs, d->nr_obs }, fns = { d->fns, d->nr_fns };

	names_free(&obs);
	names_free(&fns);
	free(d->fn_ob);
	free(d->costs);
	free(d->calls);
	memset(d, 0, sizeof(*d));
}

int cg_fn_find(const struct cg_dump *d, const char *name)
{
	for (int i = 0; i < d->nr_fns; i++)
		if (d->fns[i] && !strcmp(d->fns[i], name))
			return i;
	return -1;
}

uint64_t cg_fn_self(const struct cg_dump *d, int fn)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < d->nr_costs; i++)
		if (d->costs[i].fn == fn)
			sum += d->costs[i].ir;
	return sum;
}
