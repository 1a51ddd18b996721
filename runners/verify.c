// SPDX-License-Identifier: GPL-2.0-only
/*
 * What scenarios check themselves with: planted faults (tests only) and the
 * exact counter identities of verify().
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

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
