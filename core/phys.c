// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frame space and the page allocator.  Free RAM frames sit on a global
 * list threaded through page->index, behind per-thread caches that move them
 * in batches, as the kernel's per-cpu page lists do.  A thread picks its cache
 * by a small id taken on first use; two threads that share an id share the
 * cache under its lock, so correctness never depends on the id being unique.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PCP_SLOTS 64
#define PCP_BATCH 32
#define PCP_HIGH (2 * PCP_BATCH)
#define NO_PFN (~0UL)

struct pcp {
	struct ptlock lock; /* TTAS; taken by one thread unless ids collide */
	unsigned count;
	unsigned long pfn[PCP_HIGH];
} __attribute__((aligned(FC_CACHELINE)));

struct fc_phys {
	struct fc_phys_map map; /* cfg, and mem_map: nr_ram descriptors */
	unsigned char *ram;	/* nr_ram frames of bytes, populated on first touch */
	unsigned char *dev;	/* nr_dev readable device frames */
	unsigned char *zero;	/* the zero page's frame: zeroes, never written */
	struct page zero_page;	/* its descriptor: reserved, never freed */
	struct ptlock lock;	/* guards free_head and next_unused */
	unsigned long free_head;
	unsigned long next_unused; /* frames above it were never handed out */
	long nr_free;		   /* on the free list or in a cache */
	struct pcp pcp[PCP_SLOTS];
};

static _Thread_local int this_pcp_slot __attribute__((tls_model("initial-exec"))) = -1;
static int next_pcp_slot;

static struct pcp *this_pcp(struct fc_phys *phys)
{
	if (unlikely(this_pcp_slot < 0))
		this_pcp_slot = __atomic_fetch_add(&next_pcp_slot, 1, __ATOMIC_RELAXED) % PCP_SLOTS;
	return &phys->pcp[this_pcp_slot];
}

struct fc_phys *fc_phys_create(const struct fc_phys_config *cfg)
{
	struct fc_phys *phys = fc_zalloc(sizeof(*phys), FC_CACHELINE);

	if (!phys)
		return NULL;
	phys->map.cfg = *cfg;
	phys->free_head = NO_PFN;
	phys->map.mem_map =
		fc_zalloc((cfg->nr_ram ? cfg->nr_ram : 1) * sizeof(struct page), PAGE_SIZE);
	phys->ram = fc_zalloc((cfg->nr_ram ? cfg->nr_ram : 1) * PAGE_SIZE, PAGE_SIZE);
	phys->dev = fc_zalloc((cfg->nr_dev ? cfg->nr_dev : 1) * PAGE_SIZE, PAGE_SIZE);
	phys->zero = fc_zalloc(PAGE_SIZE, PAGE_SIZE);
	if (!phys->map.mem_map || !phys->ram || !phys->dev || !phys->zero) {
		fc_phys_destroy(phys);
		return NULL;
	}
	/* The zero page: reserved, and phys' own reference keeps it from 0. */
	phys->map.zero_pfn = cfg->nr_ram + cfg->nr_dev + cfg->nr_io;
	phys->map.zero_page = &phys->zero_page;
	phys->zero_page._refcount = 1;
	phys->zero_page.flags = PG_reserved;
	/* Give device frames recognisable bytes, so a COW copy can be checked. */
	for (unsigned long i = 0; i < cfg->nr_dev; i++)
		memset(phys->dev + i * PAGE_SIZE, (int)(0xd0 + (i & 0xf)), PAGE_SIZE);
	return phys;
}

void fc_phys_destroy(struct fc_phys *phys)
{
	if (!phys)
		return;
	fc_free(phys->map.mem_map, phys->map.cfg.nr_ram * sizeof(struct page));
	fc_free(phys->ram, phys->map.cfg.nr_ram * PAGE_SIZE);
	fc_free(phys->dev, phys->map.cfg.nr_dev * PAGE_SIZE);
	fc_free(phys->zero, PAGE_SIZE);
	fc_free(phys, sizeof(*phys));
}

const struct fc_phys_config *fc_phys_config(const struct fc_phys *phys)
{
	return &phys->map.cfg;
}

unsigned long fc_phys_pages_in_use(const struct fc_phys *phys)
{
	return __atomic_load_n(&phys->next_unused, __ATOMIC_RELAXED) -
	       __atomic_load_n(&phys->nr_free, __ATOMIC_RELAXED);
}

void *pfn_to_virt(const struct fc_phys *phys, unsigned long pfn)
{
	if (pfn < phys->map.cfg.nr_ram)
		return phys->ram + pfn * PAGE_SIZE;
	pfn -= phys->map.cfg.nr_ram;
	if (pfn < phys->map.cfg.nr_dev)
		return phys->dev + pfn * PAGE_SIZE;
	if (pfn == phys->map.cfg.nr_dev + phys->map.cfg.nr_io)
		return phys->zero; /* read as zeroes, as the zero page is */
	return NULL;
}

/* Takes up to PCP_BATCH frames from the global pool into pcp. */
static void pcp_refill(struct fc_phys *phys, struct pcp *pcp)
{
	struct mcs_node n;

	ptl_lock(PTL_TTAS, &phys->lock, &n);
	while (pcp->count < PCP_BATCH) {
		unsigned long pfn = phys->free_head;

		if (pfn != NO_PFN) {
			phys->free_head = phys->map.mem_map[pfn].index;
		} else if (phys->next_unused < phys->map.cfg.nr_ram) {
			pfn = phys->next_unused;
			__atomic_store_n(&phys->next_unused, pfn + 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&phys->nr_free, 1, __ATOMIC_RELAXED);
		} else {
			break;
		}
		pcp->pfn[pcp->count++] = pfn;
	}
	ptl_unlock(PTL_TTAS, &phys->lock, &n);
}

static void pcp_drain(struct fc_phys *phys, struct pcp *pcp, unsigned keep)
{
	struct mcs_node n;

	ptl_lock(PTL_TTAS, &phys->lock, &n);
	while (pcp->count > keep) {
		unsigned long pfn = pcp->pfn[--pcp->count];

		phys->map.mem_map[pfn].index = phys->free_head;
		phys->free_head = pfn;
	}
	ptl_unlock(PTL_TTAS, &phys->lock, &n);
}

struct page *alloc_page(struct fc_phys *phys)
{
	struct pcp *pcp = this_pcp(phys);
	struct page *page = NULL;
	struct mcs_node n;

	ptl_lock(PTL_TTAS, &pcp->lock, &n);
	if (unlikely(!pcp->count))
		pcp_refill(phys, pcp);
	if (likely(pcp->count)) {
		page = &phys->map.mem_map[pcp->pfn[--pcp->count]];
		page->flags = 0;
		page->index = 0;
		__atomic_store_n(&page->_mapcount, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&page->_refcount, 1, __ATOMIC_RELEASE);
		__atomic_fetch_sub(&phys->nr_free, 1, __ATOMIC_RELAXED);
		fc_count(FC_STAT_PAGE_REF_GET);
	}
	ptl_unlock(PTL_TTAS, &pcp->lock, &n);
	return page;
}

static void free_page(struct fc_phys *phys, struct page *page)
{
	struct pcp *pcp = this_pcp(phys);
	struct mcs_node n;

	ptl_lock(PTL_TTAS, &pcp->lock, &n);
	pcp->pfn[pcp->count++] = page_to_pfn(phys, page);
	__atomic_fetch_add(&phys->nr_free, 1, __ATOMIC_RELAXED);
	if (unlikely(pcp->count == PCP_HIGH))
		pcp_drain(phys, pcp, PCP_BATCH);
	ptl_unlock(PTL_TTAS, &pcp->lock, &n);
}

void put_page(struct fc_phys *phys, struct page *page)
{
	fc_count(FC_STAT_PAGE_REF_PUT);
	if (__atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0 &&
	    !(page->flags & PG_reserved))
		free_page(phys, page);
}

void clear_page(struct fc_phys *phys, struct page *page)
{
	memset(pfn_to_virt(phys, page_to_pfn(phys, page)), 0, PAGE_SIZE);
}

void copy_page(struct fc_phys *phys, struct page *dst, const void *src)
{
	memcpy(pfn_to_virt(phys, page_to_pfn(phys, dst)), src, PAGE_SIZE);
}
