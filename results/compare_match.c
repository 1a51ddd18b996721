// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which benchmark of the base goes with which of the contender: the same
 * scenario, thread count and parameters, but for the names the filters pick
 * the two sides by.  Run names are never compared: they list only the
 * parameters that differ from their defaults.
 */
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"

static int filter_add(struct fr_filter *f, int *n, const char *name, size_t name_len,
		      const char *value, size_t value_len, char *err, size_t errlen)
{
	for (int i = 0; i < *n; i++) {
		if (strlen(f[i].name) == name_len && !strncmp(f[i].name, name, name_len)) {
			snprintf(err, errlen, "'%.*s' is filtered on twice", (int)name_len, name);
			return -1;
		}
	}
	if (*n == FR_MAX_FILTERS || name_len >= FR_NAME_LEN || value_len >= FR_NAME_LEN) {
		snprintf(err, errlen, "too many or too long filters (at most %d, names under %d)",
			 FR_MAX_FILTERS, FR_NAME_LEN);
		return -1;
	}
	memcpy(f[*n].name, name, name_len);
	f[*n].name[name_len] = '\0';
	memcpy(f[*n].value, value, value_len);
	f[*n].value[value_len] = '\0';
	(*n)++;
	return 0;
}

int fr_filter_parse(const char *s, struct fr_filter *f, int *n, char *err, size_t errlen)
{
	const char *p = s;
	int before = *n;

	for (;;) {
		const char *end = p + strcspn(p, ","), *eq = memchr(p, '=', (size_t)(end - p));

		if (!eq || eq == p || eq + 1 == end) {
			snprintf(err, errlen,
				 "malformed filter '%s' (valid: name=value[,name=value...])", s);
			break;
		}
		if (filter_add(f, n, p, (size_t)(eq - p), eq + 1, (size_t)(end - eq - 1), err,
			       errlen))
			break;
		if (!*end)
			return 0;
		p = end + 1; /* a trailing comma leaves an empty filter: malformed */
	}
	*n = before; /* all or nothing */
	return -1;
}

int fr_pair_parse(const char *s, struct fr_selection *sel, char *err, size_t errlen)
{
	const char *eq = strchr(s, '='), *colon = eq ? strchr(eq, ':') : NULL;

	if (!eq || eq == s || !colon || colon == eq + 1 || !colon[1] || strchr(colon + 1, ':')) {
		snprintf(err, errlen,
			 "malformed --pair '%s' (valid: name=base_value:contender_value)", s);
		return -1;
	}
	if (filter_add(sel->base, &sel->nr_base, s, (size_t)(eq - s), eq + 1,
		       (size_t)(colon - eq - 1), err, errlen))
		return -1;
	if (filter_add(sel->contender, &sel->nr_contender, s, (size_t)(eq - s), colon + 1,
		       strlen(colon + 1), err, errlen)) {
		sel->nr_base--; /* all or nothing */
		return -1;
	}
	return 0;
}

/* A benchmark's value for a filter name: its scenario, label, thread count or parameter. */
static const char *value_of(const struct fr_bench *b, const char *name, char *buf, size_t len)
{
	if (!strcmp(name, "scenario"))
		return b->scenario;
	if (!strcmp(name, "label"))
		return b->label;
	if (!strcmp(name, "threads")) {
		snprintf(buf, len, "%d", b->threads);
		return buf;
	}
	return fr_bench_param(b, name);
}

static bool passes(const struct fr_bench *b, const struct fr_filter *f, int n)
{
	char buf[16];

	for (int i = 0; i < n; i++) {
		const char *v = value_of(b, f[i].name, buf, sizeof(buf));

		if (!v || strcmp(v, f[i].value))
			return false;
	}
	return true;
}

static bool named(const struct fr_selection *sel, const char *name)
{
	for (int i = 0; i < sel->nr_base; i++)
		if (!strcmp(sel->base[i].name, name))
			return true;
	for (int i = 0; i < sel->nr_contender; i++)
		if (!strcmp(sel->contender[i].name, name))
			return true;
	return false;
}

/* The same scenario, label and thread count, unless the filters set them apart. */
static bool same_place(const struct fr_bench *a, const struct fr_bench *b,
		       const struct fr_selection *sel)
{
	return (named(sel, "scenario") || !strcmp(a->scenario, b->scenario)) &&
	       (named(sel, "label") || !strcmp(a->label, b->label)) &&
	       (named(sel, "threads") || a->threads == b->threads);
}

/* The first parameter both have with different values that no filter names, or -1. */
static int differing_param(const struct fr_bench *a, const struct fr_bench *b,
			   const struct fr_selection *sel)
{
	for (int i = 0; i < a->nr_params; i++) {
		const char *v = fr_bench_param(b, a->param[i].name);

		if (v && strcmp(v, a->param[i].value) && !named(sel, a->param[i].name))
			return i;
	}
	return -1;
}

/* The run name without the "/name:value" parts of the filtered names. */
static void make_label(const struct fr_bench *b, const struct fr_selection *sel, char *out,
		       size_t len)
{
	const char *p = b->run_name;
	size_t n = 0;

	out[0] = '\0';
	while (*p) {
		size_t seg = strcspn(p + 1, "/") + 1, key = strcspn(p + 1, ":/");
		char name[FR_NAME_LEN];

		snprintf(name, sizeof(name), "%.*s", (int)key, p + 1);
		if (p == b->run_name || p[1 + key] != ':' || !named(sel, name))
			n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%.*s", (int)seg, p);
		p += seg;
	}
}

/* One warning per parameter that only one side of a matched pair has. */
static int warn_one_sided(struct fr_comparison *c, const struct fr_bench *a,
			  const struct fr_bench *b, const char *side, char seen[][FR_NAME_LEN],
			  int *nr_seen)
{
	for (int i = 0; i < a->nr_params; i++) {
		const char *name = a->param[i].name;
		bool known = false;

		if (fr_bench_param(b, name))
			continue;
		for (int k = 0; k < *nr_seen; k++)
			known = known || !strcmp(seen[k], name);
		if (known || *nr_seen == 2 * FR_MAX_PARAMS)
			continue;
		snprintf(seen[(*nr_seen)++], FR_NAME_LEN, "%s", name);
		if (fr_comparison_warn(
			    c, "parameter '%s' is only in the %s (%s=%s): matched without it", name,
			    side, name, a->param[i].value))
			return -1;
	}
	return 0;
}

static int refuse(const struct fr_comparison *c, const struct fr_bench *a, const struct fr_bench *b,
		  int i, char *err, size_t errlen)
{
	const char *name = a->param[i].name, *va = a->param[i].value;
	const char *vb = fr_bench_param(b, name);

	snprintf(err, errlen,
		 "base '%s' and contender '%s' differ in parameter '%s' (%s vs %s), which no "
		 "filter names (compare them with --pair %s=%s:%s)",
		 a->run_name, b->run_name, name, va, vb, name, va, vb);
	return -1;
}

/* Indexes of the benchmarks that pass the filters; -1 with one line when none does. */
static int keep(const struct fr_doc *d, const struct fr_filter *f, int nf, const char *side,
		int *idx, char *err, size_t errlen)
{
	int n = 0;

	for (int i = 0; i < d->nr_benches; i++)
		if (passes(d->bench[i], f, nf))
			idx[n++] = i;
	if (!n) {
		int at =
			snprintf(err, errlen, "the %s has no benchmark%s", side, nf ? " with" : "");

		for (int i = 0; i < nf && at >= 0 && (size_t)at < errlen; i++)
			at += snprintf(err + at, errlen - (size_t)at, "%s %s=%s", i ? "," : "",
				       f[i].name, f[i].value);
		return -1;
	}
	return n;
}

static int pair_up(struct fr_comparison *c, const int *bi, int nb, const int *ci, int nc,
		   bool *used, char *err, size_t errlen)
{
	const struct fr_selection *sel = &c->sel;
	char seen[2 * FR_MAX_PARAMS][FR_NAME_LEN];
	int nr_seen = 0;

	for (int i = 0; i < nb; i++) {
		const struct fr_bench *a = c->base_doc->bench[bi[i]], *b = NULL;
		struct fr_bench_cmp *m;

		for (int k = 0; k < nc && !b; k++) {
			const struct fr_bench *cand = c->contender_doc->bench[ci[k]];

			if (!used[k] && same_place(a, cand, sel) &&
			    differing_param(a, cand, sel) < 0) {
				used[k] = true;
				b = cand;
			}
		}
		if (!b) {
			c->only_base[c->nr_only_base++] = a;
			continue;
		}
		m = &c->bench[c->nr_benches++];
		m->base = a;
		m->contender = b;
		make_label(a, sel, m->label, sizeof(m->label));
		if (warn_one_sided(c, a, b, "base", seen, &nr_seen) ||
		    warn_one_sided(c, b, a, "contender", seen, &nr_seen))
			return -2;
	}
	for (int k = 0; k < nc; k++)
		if (!used[k])
			c->only_contender[c->nr_only_contender++] = c->contender_doc->bench[ci[k]];
	/* A benchmark left over on each side in the same place differs in a parameter. */
	for (int i = 0; i < c->nr_only_base; i++) {
		for (int k = 0; k < c->nr_only_contender; k++) {
			const struct fr_bench *a = c->only_base[i], *b = c->only_contender[k];

			if (same_place(a, b, sel) && differing_param(a, b, sel) >= 0)
				return refuse(c, a, b, differing_param(a, b, sel), err, errlen);
		}
	}
	return 0;
}

int fr_compare_match(struct fr_comparison *c, char *err, size_t errlen)
{
	const struct fr_doc *bd = c->base_doc, *cd = c->contender_doc;
	int *bi = malloc(sizeof(int) * (size_t)(bd->nr_benches + 1));
	int *ci = malloc(sizeof(int) * (size_t)(cd->nr_benches + 1));
	bool *used = calloc((size_t)cd->nr_benches + 1, sizeof(bool));
	int nb, nc, ret = -2;

	c->bench = calloc((size_t)bd->nr_benches + 1, sizeof(*c->bench));
	c->only_base = calloc((size_t)bd->nr_benches + 1, sizeof(*c->only_base));
	c->only_contender = calloc((size_t)cd->nr_benches + 1, sizeof(*c->only_contender));
	if (bi && ci && used && c->bench && c->only_base && c->only_contender) {
		nb = keep(bd, c->sel.base, c->sel.nr_base, "base", bi, err, errlen);
		nc = nb < 0 ? -1
			    : keep(cd, c->sel.contender, c->sel.nr_contender, "contender", ci, err,
				   errlen);
		ret = nc < 0 ? -1 : pair_up(c, bi, nb, ci, nc, used, err, errlen);
	}
	free(bi);
	free(ci);
	free(used);
	return ret;
}
