/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared fixture for the core tests: a small frame space, an mm built with
 * given settings, and the drivers the seeds talk about (a nopfn driver like
 * MSPEC, a nopage driver with a page cache, a ->fault driver).
 *
 * Address space used throughout:
 *
 *   0x10000000  +-----------------+  VMA under test (NR_TEST_PAGES pages)
 *               |  ...            |
 *   0x10000000 + NR_TEST_PAGES * 4K
 */
#ifndef FC_TEST_FIXTURE_H
#define FC_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <faultcore/faultcore.h>

/* Not every test file uses every helper. */
#pragma GCC diagnostic ignored "-Wunused-function"

#define BASE 0x10000000UL
#define NR_TEST_PAGES 16
#define NR_RAM 1024
#define NR_DEV 64
#define NR_IO 64
#define NR_CACHE 16 /* page-cache pages the nopage driver holds */

struct fixture {
	struct fc_phys *phys;
	struct mm_struct *mm;
	struct page *cache[NR_CACHE]; /* the nopage driver's page cache */
	unsigned long nopfn_ret;      /* 0: io pfn per page; else what nopfn returns */
	unsigned long nopfn_calls;
	unsigned long nopage_calls;
	unsigned long fault_calls;
	unsigned long last_order; /* bitmask history: which handler ran first */
};

/* Only one fixture is live at a time; the drivers find it here. */
static struct fixture *fx;

static inline unsigned long io_pfn(unsigned long i)
{
	return fc_io_pfn(fc_phys_config(fx->phys), i);
}
static inline unsigned long dev_pfn(unsigned long i)
{
	return fc_dev_pfn(fc_phys_config(fx->phys), i);
}

static unsigned long drv_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	__atomic_fetch_add(&fx->nopfn_calls, 1, __ATOMIC_RELAXED);
	if (fx->nopfn_ret)
		return fx->nopfn_ret;
	return io_pfn((addr - vma->vm_start) >> PAGE_SHIFT);
}

static struct page *drv_nopage(struct vm_area_struct *vma, unsigned long addr, int *type)
{
	struct page *page = fx->cache[linear_page_index(vma, addr) % NR_CACHE];

	__atomic_fetch_add(&fx->nopage_calls, 1, __ATOMIC_RELAXED);
	get_page(page);
	if (type)
		*type = VM_FAULT_MINOR;
	return page;
}

static vm_fault_t drv_fault(struct vm_fault *vmf)
{
	__atomic_fetch_add(&fx->fault_calls, 1, __ATOMIC_RELAXED);
	vmf->page = fx->cache[vmf->pgoff % NR_CACHE];
	get_page(vmf->page);
	return 0;
}

static vm_fault_t drv_fault_pfn(struct vm_fault *vmf)
{
	__atomic_fetch_add(&fx->fault_calls, 1, __ATOMIC_RELAXED);
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      io_pfn((vmf->address - vmf->vma->vm_start) >> PAGE_SHIFT));
}

/* VM_MIXEDMAP driver: even pages are page-cache pages, odd ones device frames. */
static vm_fault_t drv_fault_mixed(struct vm_fault *vmf)
{
	unsigned long pfn = vmf->pgoff & 1
				    ? dev_pfn(vmf->pgoff % NR_DEV)
				    : page_to_pfn(fx->phys, fx->cache[vmf->pgoff % NR_CACHE]);

	return vmf_insert_mixed(vmf->vma, vmf->address, pfn);
}

static const struct vm_operations_struct nopfn_ops = { .name = "nopfn", .nopfn = drv_nopfn };
static const struct vm_operations_struct nopage_ops = { .name = "nopage", .nopage = drv_nopage };
static const struct vm_operations_struct both_ops = {
	.name = "nopage+nopfn",
	.nopage = drv_nopage,
	.nopfn = drv_nopfn,
};
static const struct vm_operations_struct fault_ops = { .name = "fault", .fault = drv_fault };
static const struct vm_operations_struct fault_mixed_ops = {
	.name = "fault-mixed",
	.fault = drv_fault_mixed,
};
static const struct vm_operations_struct fault_pfn_ops = {
	.name = "fault-pfn",
	.fault = drv_fault_pfn,
};

static struct fixture *fixture_new(const struct fc_mm_config *cfg)
{
	struct fc_phys_config pc = { .nr_ram = NR_RAM, .nr_dev = NR_DEV, .nr_io = NR_IO };
	static struct fixture f;
	struct fc_mm_config def;

	memset(&f, 0, sizeof(f));
	if (!cfg) {
		fc_mm_config_default(&def);
		cfg = &def;
	}
	f.phys = fc_phys_create(&pc);
	assert_non_null(f.phys);
	f.mm = fc_mm_create(f.phys, cfg);
	assert_non_null(f.mm);
	for (int i = 0; i < NR_CACHE; i++) {
		f.cache[i] = alloc_page(f.phys);
		assert_non_null(f.cache[i]);
		memset(pfn_to_virt(f.phys, page_to_pfn(f.phys, f.cache[i])), 0x40 + i, PAGE_SIZE);
	}
	fc_stats_reset();
	fx = &f;
	return fx;
}

/* The page cache holds one reference on each of its pages. */
static int cache_refs(struct page *page, void *arg)
{
	struct fixture *f = arg;

	for (int i = 0; i < NR_CACHE; i++)
		if (f->cache[i] == page)
			return 1;
	return 0;
}

static void assert_verified_set(struct mm_struct **mms, size_t n)
{
	char err[256] = "";
	int ret = mm_verify_set(mms, n, cache_refs, fx, err, sizeof(err));

	if (ret)
		fail_msg("mm_verify: %s", err);
}

static void assert_verified(struct mm_struct *mm)
{
	assert_verified_set(&mm, 1);
}

static void fixture_free(void)
{
	assert_verified(fx->mm);
	fc_mm_destroy(fx->mm);
	for (int i = 0; i < NR_CACHE; i++) {
		assert_int_equal(page_count(fx->cache[i]), 1);
		put_page(fx->phys, fx->cache[i]);
	}
	assert_int_equal(fc_phys_pages_in_use(fx->phys), 0);
	fc_phys_destroy(fx->phys);
	fx = NULL;
}

static struct fc_mm_config config_with(const char *key, const char *value)
{
	struct fc_mm_config cfg;
	char err[256];

	fc_mm_config_default(&cfg);
	if (key && fc_mm_config_set(&cfg, key, value, err, sizeof(err)))
		fail_msg("%s", err);
	return cfg;
}

static uint64_t counted(enum fc_stat s)
{
	return fc_this_stats.v[s];
}

static pte_t pte_at(unsigned long addr)
{
	pte_t *p = fc_pte_lookup(fx->mm, addr);

	return p ? pte_read(p) : __pte(0);
}

#endif
