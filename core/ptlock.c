// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "internal.h"

static const char *const kind_names[PTL_NR_KINDS] = {
	[PTL_TICKET] = "ticket",
	[PTL_QUEUED] = "queued",
	[PTL_TTAS] = "ttas",
	[PTL_PTHREAD_SPIN] = "pthread-spin",
	[PTL_PTHREAD_MUTEX] = "pthread-mutex",
};

void ptl_init(enum ptl_kind kind, struct ptlock *l)
{
	memset(l, 0, sizeof(*l));
	if (kind == PTL_PTHREAD_SPIN)
		pthread_spin_init(&l->spin, PTHREAD_PROCESS_PRIVATE);
	else if (kind == PTL_PTHREAD_MUTEX)
		pthread_mutex_init(&l->mutex, NULL);
}

void ptl_destroy(enum ptl_kind kind, struct ptlock *l)
{
	if (kind == PTL_PTHREAD_SPIN)
		pthread_spin_destroy(&l->spin);
	else if (kind == PTL_PTHREAD_MUTEX)
		pthread_mutex_destroy(&l->mutex);
}

const char *ptl_kind_name(enum ptl_kind kind)
{
	return kind < PTL_NR_KINDS ? kind_names[kind] : "?";
}

int ptl_kind_parse(const char *name)
{
	for (int i = 0; i < PTL_NR_KINDS; i++)
		if (!strcmp(kind_names[i], name))
			return i;
	return -1;
}
