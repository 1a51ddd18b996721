// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model's allocations: page tables, descriptors, VMAs and the frame
 * space.  jemalloc backs them in normal builds (its per-thread caches keep
 * table allocation off any shared lock); sanitizer builds use libc so that
 * ASan and TSan see every allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef FC_USE_JEMALLOC
#include <jemalloc/jemalloc.h>

void *fc_zalloc(size_t size, size_t align)
{
	return mallocx(size, MALLOCX_ALIGN(align) | MALLOCX_ZERO);
}

void fc_free(void *p, size_t size)
{
	if (p)
		sdallocx(p, size, 0);
}
#else
void *fc_zalloc(size_t size, size_t align)
{
	size_t rounded = (size + align - 1) / align * align;
	void *p = aligned_alloc(align, rounded);

	if (p)
		memset(p, 0, size);
	return p;
}

void fc_free(void *p, size_t size)
{
	free(p);
}
#endif
