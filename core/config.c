// SPDX-License-Identifier: GPL-2.0-only
/* The settings under study, as text: what scenarios and the CLI accept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const granularity_names[] = { "split", "mm" };
static const char *const recheck_names[] = { "recheck", "none", "precheck" };
static const char *const dispatch_names[] = { "nopage-first", "nopfn-first", "modern", "resolved" };
static const char *const normal_names[] = { "linear", "special" };

#define NR(a) (sizeof(a) / sizeof((a)[0]))

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
	};
}

static int pick(const char *const *names, size_t n, const char *key, const char *value, char *err,
		size_t errlen)
{
	char choices[256] = "";

	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], value))
			return (int)i;
	for (size_t i = 0; i < n; i++) {
		strncat(choices, i ? "|" : "", sizeof(choices) - strlen(choices) - 1);
		strncat(choices, names[i], sizeof(choices) - strlen(choices) - 1);
	}
	snprintf(err, errlen, "invalid %s '%s' (valid: %s)", key, value, choices);
	return -1;
}

static int parse_ns(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || v > 1000000)
		return -1;
	*out = (uint32_t)v;
	return (int)(end - s);
}

static int parse_arch(struct fc_arch_config *a, const char *value, char *err, size_t errlen)
{
	if (!strcmp(value, "x86")) {
		*a = (struct fc_arch_config){ .kind = FC_ARCH_X86 };
		return 0;
	}
	if (!strcmp(value, "ppc64-hash")) {
		*a = (struct fc_arch_config){ .kind = FC_ARCH_PPC64_HASH };
		return 0;
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
	snprintf(err, errlen,
		 "invalid arch '%s' (valid: x86|ppc64-hash|delay:NS[,NS], NS from 0 to 1000000)",
		 value);
	return -1;
}

static int parse_tlb(struct fc_tlb_config *t, const char *value, char *err, size_t errlen)
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
	snprintf(err, errlen,
		 "invalid tlb '%s' (valid: none|ipi:NS|ipi:auto, NS from 0 to 1000000)", value);
	return -1;
}

int fc_mm_config_set(struct fc_mm_config *cfg, const char *key, const char *value, char *err,
		     size_t errlen)
{
	int v;

	if (!strcmp(key, "granularity")) {
		v = pick(granularity_names, NR(granularity_names), key, value, err, errlen);
		if (v >= 0)
			cfg->granularity = v;
	} else if (!strcmp(key, "lock")) {
		v = ptl_kind_parse(value);
		if (v < 0)
			snprintf(err, errlen,
				 "invalid lock '%s' (valid: ticket|queued|ttas|pthread-spin|"
				 "pthread-mutex)",
				 value);
		else
			cfg->lock_kind = v;
	} else if (!strcmp(key, "recheck")) {
		v = pick(recheck_names, NR(recheck_names), key, value, err, errlen);
		if (v >= 0)
			cfg->recheck = v;
	} else if (!strcmp(key, "dispatch")) {
		v = pick(dispatch_names, NR(dispatch_names), key, value, err, errlen);
		if (v >= 0)
			cfg->dispatch = v;
	} else if (!strcmp(key, "normal")) {
		v = pick(normal_names, NR(normal_names), key, value, err, errlen);
		if (v >= 0)
			cfg->normal_rule = v;
	} else if (!strcmp(key, "arch")) {
		v = parse_arch(&cfg->arch, value, err, errlen);
	} else if (!strcmp(key, "tlb")) {
		v = parse_tlb(&cfg->tlb, value, err, errlen);
	} else if (!strcmp(key, "clear_page")) {
		static const char *const bools[] = { "0", "1" };

		v = pick(bools, 2, key, value, err, errlen);
		if (v >= 0)
			cfg->clear_page = v;
	} else {
		snprintf(err, errlen,
			 "unknown setting '%s' (valid: granularity, lock, recheck, dispatch, "
			 "normal, arch, tlb, clear_page)",
			 key);
		v = -1;
	}
	return v < 0 ? -1 : 0;
}

void fc_mm_config_describe(const struct fc_mm_config *cfg, char *buf, size_t len)
{
	char arch[48], tlb[24];

	if (cfg->arch.kind == FC_ARCH_DELAY)
		snprintf(arch, sizeof(arch), "delay:%u,%u", cfg->arch.delay_ns,
			 cfg->arch.delay_replace_ns);
	else
		snprintf(arch, sizeof(arch), "%s",
			 cfg->arch.kind == FC_ARCH_X86 ? "x86" : "ppc64-hash");
	if (cfg->tlb.kind == FC_TLB_IPI)
		snprintf(tlb, sizeof(tlb), "ipi:%u", cfg->tlb.ipi_ns);
	else
		snprintf(tlb, sizeof(tlb), "%s",
			 cfg->tlb.kind == FC_TLB_NONE ? "none" : "ipi:auto");
	snprintf(buf, len,
		 "granularity=%s lock=%s recheck=%s dispatch=%s normal=%s arch=%s tlb=%s "
		 "clear_page=%d",
		 granularity_names[cfg->granularity], ptl_kind_name(cfg->lock_kind),
		 recheck_names[cfg->recheck], dispatch_names[cfg->dispatch],
		 normal_names[cfg->normal_rule], arch, tlb, cfg->clear_page);
}
