// SPDX-License-Identifier: GPL-2.0-only
/*
 * The settings under study, as text: one table of knobs, each with its name,
 * choices, default and help.  fc_mm_config_set() reads it, and so does every
 * program that offers the knobs (the faultbench runner builds its parameters
 * from it), so a knob's name is chosen once.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void fc_mm_config_default(struct fc_mm_config *cfg)
{
	*cfg = (struct fc_mm_config){
		.granularity = FC_PTL_SPLIT,
		.lock_kind = PTL_TICKET,
		.recheck = FC_RECHECK,
		.dispatch = FC_DISPATCH_NOPAGE_FIRST,
		.normal_rule = FC_NORMAL_LINEAR,
		.arch = { .kind = FC_ARCH_X86 },
		.clear_page = true,
		.zero_page = true,
	};
}

/* The index of value among "a|b|c", or -1. */
static int choice_index(const char *choices, const char *value)
{
	size_t n = strlen(value);
	int i = 0;

	for (const char *c = choices; c; c = strchr(c, '|'), i++) {
		if (*c == '|')
			c++;
		if (!strncmp(c, value, n) && (c[n] == '|' || c[n] == '\0'))
			return i;
	}
	return -1;
}

/* Choice i of "a|b|c" into buf. */
static void choice_name(const char *choices, int i, char *buf, size_t len)
{
	const char *c = choices;

	while (i-- > 0 && (c = strchr(c, '|')))
		c++;
	snprintf(buf, len, "%.*s", c ? (int)strcspn(c, "|") : 1, c ? c : "?");
}

/* Digits only: strtoul would also take blanks and a sign, and wrap "-1". */
static int parse_ns(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoul(s, &end, 10);
	if (v > 1000000)
		return -1;
	*out = (uint32_t)v;
	return (int)(end - s);
}

static int parse_arch(struct fc_arch_config *a, const char *value)
{
	if (!strcmp(value, "x86")) {
		*a = (struct fc_arch_config){ .kind = FC_ARCH_X86 };
		return 0;
	}
	if (!strcmp(value, "ppc64-hash")) {
		*a = (struct fc_arch_config){ .kind = FC_ARCH_PPC64_HASH };
		return 0;
	}
	if (!strncmp(value, "insns:", 6)) {
		uint32_t insns;
		int n = parse_ns(value + 6, &insns);

		if (n > 0 && !value[6 + n] && !(insns % 2)) {
			*a = (struct fc_arch_config){ .kind = FC_ARCH_INSNS, .insns = insns };
			return 0;
		}
	}
	if (!strncmp(value, "delay:", 6)) {
		const char *p = value + 6;
		int n = parse_ns(p, &a->delay_ns);

		if (n > 0) {
			a->kind = FC_ARCH_DELAY;
			a->delay_replace_ns = a->delay_ns;
			p += n;
			if (!*p)
				return 0;
			if (*p == ',' && (n = parse_ns(p + 1, &a->delay_replace_ns)) > 0 &&
			    !p[1 + n])
				return 0;
		}
	}
	return -1;
}

/*
 * Each knob's store and load.  A choice knob stores the index of its value
 * among its choices; a text knob parses the value itself, and writes it back
 * into buf (returning -1) when asked.
 */
#define CHOICE_KNOB(knob, field, type)                                             \
	static int set_##knob(struct fc_mm_config *c, int i, const char *v)        \
	{                                                                          \
		c->field = (type)i;                                                \
		return 0;                                                          \
	}                                                                          \
	static int get_##knob(const struct fc_mm_config *c, char *buf, size_t len) \
	{                                                                          \
		return (int)c->field;                                              \
	}

CHOICE_KNOB(granularity, granularity, enum fc_ptl_granularity)
CHOICE_KNOB(lock, lock_kind, enum ptl_kind)
CHOICE_KNOB(recheck, recheck, enum fc_recheck)
CHOICE_KNOB(dispatch, dispatch, enum fc_dispatch)
CHOICE_KNOB(normal, normal_rule, enum fc_normal_rule)
CHOICE_KNOB(clear_page, clear_page, bool)
CHOICE_KNOB(zero_page, zero_page, bool)

static int parse_tlb(struct fc_tlb_config *t, const char *value)
{
	uint32_t ns;
	int n;

	if (!strcmp(value, "none")) {
		*t = (struct fc_tlb_config){ .kind = FC_TLB_NONE };
		return 0;
	}
	if (!strcmp(value, "ipi:auto")) {
		*t = (struct fc_tlb_config){ .kind = FC_TLB_IPI_AUTO };
		return 0;
	}
	if (!strncmp(value, "ipi:", 4) && (n = parse_ns(value + 4, &ns)) > 0 && !value[4 + n]) {
		*t = (struct fc_tlb_config){ .kind = FC_TLB_IPI, .ipi_ns = ns };
		return 0;
	}
	return -1;
}

static int set_arch(struct fc_mm_config *c, int i, const char *v)
{
	return parse_arch(&c->arch, v);
}

static int get_arch(const struct fc_mm_config *c, char *buf, size_t len)
{
	if (c->arch.kind == FC_ARCH_DELAY)
		snprintf(buf, len, "delay:%u,%u", c->arch.delay_ns, c->arch.delay_replace_ns);
	else if (c->arch.kind == FC_ARCH_INSNS)
		snprintf(buf, len, "insns:%u", c->arch.insns);
	else
		snprintf(buf, len, "%s", c->arch.kind == FC_ARCH_X86 ? "x86" : "ppc64-hash");
	return -1;
}

static int set_tlb(struct fc_mm_config *c, int i, const char *v)
{
	return parse_tlb(&c->tlb, v);
}

static int get_tlb(const struct fc_mm_config *c, char *buf, size_t len)
{
	if (c->tlb.kind == FC_TLB_IPI)
		snprintf(buf, len, "ipi:%u", c->tlb.ipi_ns);
	else
		snprintf(buf, len, "%s", c->tlb.kind == FC_TLB_NONE ? "none" : "ipi:auto");
	return -1;
}

static int set_handler_ns(struct fc_mm_config *c, int i, const char *v)
{
	int n;

	c->handler_auto = !strcmp(v, "auto");
	if (c->handler_auto) {
		c->handler_ns = 0;
		return 0;
	}
	n = parse_ns(v, &c->handler_ns);
	return n > 0 && !v[n] ? 0 : -1;
}

static int get_handler_ns(const struct fc_mm_config *c, char *buf, size_t len)
{
	if (c->handler_auto)
		snprintf(buf, len, "auto");
	else
		snprintf(buf, len, "%u", c->handler_ns);
	return -1;
}

/* The lock choices are ptlock.c's names, in enum ptl_kind's order. */
const struct fc_mm_knob fc_mm_knobs[] = {
	{ .name = "granularity",
	  .choices = "split|mm",
	  .def = "split",
	  .help = "a PTE lock per PTE-table page (split, the kernel's default), or one per mm",
	  .set = set_granularity,
	  .get = get_granularity },
	{ .name = "lock",
	  .choices = "ticket|queued|ttas|pthread-spin|pthread-mutex",
	  .def = "ticket",
	  .help = "the kind of PTE lock",
	  .set = set_lock,
	  .get = get_lock },
	{ .name = "recheck",
	  .choices = "recheck|none|precheck",
	  .def = "recheck",
	  .help = "recheck pte_none under the PTL (as merged), never (the first do_no_pfn "
		  "posting), or also look before calling the handler",
	  .set = set_recheck,
	  .get = get_recheck },
	{ .name = "dispatch",
	  .choices = "nopage-first|nopfn-first|modern|resolved",
	  .def = "nopage-first",
	  .help = "the order in which handle_pte_fault looks for a handler (resolved: chosen "
		  "once at mmap time)",
	  .set = set_dispatch,
	  .get = get_dispatch },
	{ .name = "normal",
	  .choices = "linear|special",
	  .def = "linear",
	  .help = "vm_normal_page's rules: remap_pfn_range linearity, or pte_special",
	  .set = set_normal,
	  .get = get_normal },
	{ .name = "arch",
	  .choices = "x86|ppc64-hash|delay:NS[,NS]|insns:N",
	  .def = "x86",
	  .help = "the cost model of set_pte_at and update_mmu_cache (delay: ns per store, "
		  "and per replacing store; NS from 0 to 1000000; insns, for tests: x86 plus "
		  "exactly N instructions per store, N even)",
	  .text = true,
	  .set = set_arch,
	  .get = get_arch },
	{ .name = "tlb",
	  .choices = "none|ipi:NS|ipi:auto",
	  .def = "none",
	  .help = "the TLB shootdown a zap pays when another thread runs the mm: none, NS per "
		  "shootdown (0 to 1000000), or auto, measured once on this machine",
	  .text = true,
	  .set = set_tlb,
	  .get = get_tlb },
	{ .name = "handler_ns",
	  .choices = "NS|auto",
	  .def = "0",
	  .help = "busy work in every fault handler before the PTL, in ns (0 to 1000000): a "
		  "driver's own, or the kernel's that the model leaves out; widens the race "
		  "window.  auto: this machine's kernel fault less the model's",
	  .text = true,
	  .set = set_handler_ns,
	  .get = get_handler_ns },
	{ .name = "clear_page",
	  .choices = "0|1",
	  .def = "1",
	  .help = "zero new anonymous pages",
	  .set = set_clear_page,
	  .get = get_clear_page },
	{ .name = "zero_page",
	  .choices = "0|1",
	  .def = "1",
	  .help = "an anonymous read fault maps the shared zero page, which a later write "
		  "COWs (1, the kernel's do_anonymous_page), or allocates a page as a write "
		  "does (0)",
	  .set = set_zero_page,
	  .get = get_zero_page },
	{ .name = NULL },
};

const struct fc_mm_knob *fc_mm_knob_find(const char *name)
{
	for (const struct fc_mm_knob *k = fc_mm_knobs; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static void knob_names(char *buf, size_t len)
{
	buf[0] = '\0';
	for (const struct fc_mm_knob *k = fc_mm_knobs; k->name; k++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", k == fc_mm_knobs ? "" : ", ",
			 k->name);
}

int fc_mm_config_set(struct fc_mm_config *cfg, const char *key, const char *value, char *err,
		     size_t errlen)
{
	const struct fc_mm_knob *k = fc_mm_knob_find(key);
	char names[256];
	int i;

	if (!k) {
		knob_names(names, sizeof(names));
		snprintf(err, errlen, "unknown setting '%s' (valid: %s)", key, names);
		return -1;
	}
	i = k->text ? 0 : choice_index(k->choices, value);
	if (i < 0 || k->set(cfg, i, value)) {
		snprintf(err, errlen, "invalid %s '%s' (valid: %s)", key, value, k->choices);
		return -1;
	}
	return 0;
}

void fc_mm_config_describe(const struct fc_mm_config *cfg, char *buf, size_t len)
{
	buf[0] = '\0';
	for (const struct fc_mm_knob *k = fc_mm_knobs; k->name; k++) {
		char one[64];
		int i = k->get(cfg, one, sizeof(one));

		if (i >= 0)
			choice_name(k->choices, i, one, sizeof(one));
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s=%s",
			 k == fc_mm_knobs ? "" : " ", k->name, one);
	}
}
