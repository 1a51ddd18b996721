// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "internal.h"

_Thread_local struct fc_stats fc_this_stats __attribute__((tls_model("initial-exec")));

const char *const fc_stat_names[FC_STAT_NR] = {
#define FC_STAT_NAME(id, name) [FC_STAT_##id] = name,
	FC_STATS(FC_STAT_NAME)
#undef FC_STAT_NAME
};

void fc_stats_read(struct fc_stats *out)
{
	*out = fc_this_stats;
}

void fc_stats_reset(void)
{
	memset(&fc_this_stats, 0, sizeof(fc_this_stats));
}

void fc_stats_add(struct fc_stats *dst, const struct fc_stats *src)
{
	for (int i = 0; i < FC_STAT_NR; i++)
		dst->v[i] += src->v[i];
}
