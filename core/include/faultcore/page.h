/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical frame space.  Frames are numbered by pfn in three windows:
 *
 *   [0, nr_ram)                  RAM: a struct page each (pfn_valid() true)
 *   [nr_ram, +nr_dev)            device memory with no struct page, but
 *                                readable (the XIP / NVRAM users of VM_MIXEDMAP)
 *   [nr_ram+nr_dev, +nr_io)      MMIO with no struct page that cannot be read
 *                                (the MSPEC user of do_no_pfn): COW from it
 *                                zero-fills, as cow_user_page() does
 *   nr_ram+nr_dev+nr_io          the zero page (fc_zero_pfn): a frame of zeroes
 *                                with a struct page of its own (fc_zero_page)
 *   beyond                       outside the frame space: a PTE that points
 *                                there is a bad PTE
 *
 * The zero page is what an anonymous read fault maps (do_anonymous_page
 * without FAULT_FLAG_WRITE).  The kernel's empty_zero_page is RAM outside
 * the allocator with a reserved struct page; here it sits past the windows,
 * so that no window's numbering moves and no RAM frame is taken from the
 * allocator.  So pfn_valid() is false for it, and page_to_pfn() does not
 * apply to its struct page: is_zero_pfn() names it.  It is never freed, and
 * its mappings take no reference and no mapcount (vm_normal_page() does not
 * return it); its refcount starts at 1, phys' own, and only a gup pin adds
 * to it.
 *
 * RAM frames are handed out by alloc_page() from per-thread caches (the
 * kernel's per-cpu page lists) refilled in batches from a global free list.
 * Frame contents are backed by one lazily-populated region, so an untouched
 * frame costs no memory.
 */
#ifndef FAULTCORE_PAGE_H
#define FAULTCORE_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "api.h"
#include "pte.h"
#include "stats.h"

FC_BEGIN_DECLS

struct fc_phys;

enum {
	PG_anon = 1u << 0,     /* an anonymous (or COWed) page */
	PG_reserved = 1u << 1, /* never freed: a special mapping's or a driver's page */
};

/* One RAM frame's descriptor, a cache line like the kernel's struct page. */
struct page {
	int _refcount;
	int _mapcount; /* PTEs that map it (0 when unmapped, unlike the kernel's -1) */
	unsigned flags;
	unsigned long index;
} __attribute__((aligned(64)));

struct fc_phys_config {
	unsigned long nr_ram;
	unsigned long nr_dev;
	unsigned long nr_io;
};

struct fc_phys *fc_phys_create(const struct fc_phys_config *cfg);
void fc_phys_destroy(struct fc_phys *phys);
const struct fc_phys_config *fc_phys_config(const struct fc_phys *phys);
/* RAM frames neither free nor in a per-thread cache. */
unsigned long fc_phys_pages_in_use(const struct fc_phys *phys);

/*
 * The head of struct fc_phys, which the fault path reads inline; the rest
 * of the frame space is private to phys.c.
 */
struct fc_phys_map {
	struct fc_phys_config cfg;
	struct page *mem_map;
	unsigned long zero_pfn;
	struct page *zero_page;
};

static inline const struct fc_phys_map *fc_phys_map(const struct fc_phys *phys)
{
	return (const struct fc_phys_map *)phys;
}

static inline bool pfn_valid(const struct fc_phys *phys, unsigned long pfn)
{
	return pfn < fc_phys_map(phys)->cfg.nr_ram;
}

static inline struct page *pfn_to_page(const struct fc_phys *phys, unsigned long pfn)
{
	return &fc_phys_map(phys)->mem_map[pfn];
}

static inline unsigned long page_to_pfn(const struct fc_phys *phys, const struct page *page)
{
	return (unsigned long)(page - fc_phys_map(phys)->mem_map);
}
/* The zero page's pfn and struct page. */
static inline unsigned long fc_zero_pfn(const struct fc_phys *phys)
{
	return fc_phys_map(phys)->zero_pfn;
}

static inline struct page *fc_zero_page(const struct fc_phys *phys)
{
	return fc_phys_map(phys)->zero_page;
}

static inline bool is_zero_pfn(const struct fc_phys *phys, unsigned long pfn)
{
	return pfn == fc_phys_map(phys)->zero_pfn;
}

/* The frame's bytes, or NULL when it cannot be read (MMIO, outside). */
void *pfn_to_virt(const struct fc_phys *phys, unsigned long pfn);
static inline unsigned long fc_dev_pfn(const struct fc_phys_config *c, unsigned long i)
{
	return c->nr_ram + i;
}
static inline unsigned long fc_io_pfn(const struct fc_phys_config *c, unsigned long i)
{
	return c->nr_ram + c->nr_dev + i;
}

/* A RAM page with refcount 1, or NULL when memory is exhausted. */
struct page *alloc_page(struct fc_phys *phys);

static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}
static inline int page_mapcount(const struct page *page)
{
	return __atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED);
}
/* Takes a reference, counted in page_ref_get (the price of VM_MIXEDMAP). */
static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
	fc_count(FC_STAT_PAGE_REF_GET);
}
/*
 * Drops a reference, counted in page_ref_put; the last one frees the frame
 * unless it is reserved.
 */
void put_page(struct fc_phys *phys, struct page *page);
static inline void page_add_rmap(struct page *page)
{
	__atomic_fetch_add(&page->_mapcount, 1, __ATOMIC_RELAXED);
}
static inline void page_remove_rmap(struct page *page)
{
	__atomic_fetch_sub(&page->_mapcount, 1, __ATOMIC_RELAXED);
}
static inline bool PageAnon(const struct page *page)
{
	return page->flags & PG_anon;
}

FC_END_DECLS

#endif
