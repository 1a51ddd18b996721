// SPDX-License-Identifier: GPL-2.0-only
/*
 * What scenarios build and check themselves with: the usual model, planted
 * faults (tests only) and the exact counter identities of verify().
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

int fb_model_create(struct fb_ctx *ctx, const struct fc_phys_config *pc, char *err, size_t errlen)
{
	struct fc_mm_config cfg;

	if (fb_mm_config_from_params(ctx, &cfg, err, errlen))
		return -1;
	ctx->phys = fc_phys_create(pc);
	ctx->mm = ctx->phys ? fc_mm_create(ctx->phys, &cfg) : NULL;
	if (ctx->mm)
		return 0;
	snprintf(err, errlen, "%s: cannot build the model (out of memory)", ctx->sc->name);
	return -1;
}

/* After teardown(): what fb_model_create() built. */
void fb_model_destroy(struct fb_ctx *ctx)
{
	if (ctx->mm)
		fc_mm_destroy(ctx->mm);
	if (ctx->phys)
		fc_phys_destroy(ctx->phys);
	ctx->mm = NULL;
	ctx->phys = NULL;
}

bool fb_planted(const struct fb_ctx *ctx, const char *name)
{
	return ctx->plant && !strcmp(ctx->plant, name);
}

int fb_expect(uint64_t got, uint64_t want, const char *what, char *err, size_t errlen)
{
	if (got == want)
		return 0;
	snprintf(err, errlen, "%s: got %llu, want %llu", what, (unsigned long long)got,
		 (unsigned long long)want);
	return -1;
}

int fb_expect_counters(const struct fb_tally *t, const char *names, uint64_t want, char *err,
		       size_t errlen)
{
	for (const char *n = names + strspn(names, " "); *n; n += strspn(n, " ")) {
		size_t len = strcspn(n, " ");
		int i = 0;

		while (i < FC_STAT_NR &&
		       (strlen(fc_stat_names[i]) != len || strncmp(fc_stat_names[i], n, len)))
			i++;
		if (i == FC_STAT_NR) {
			snprintf(err, errlen, "verify names no counter '%.*s'", (int)len, n);
			return -1;
		}
		if (fb_expect(t->stats.v[i], want, fc_stat_names[i], err, errlen))
			return -1;
		n += len;
	}
	return 0;
}
