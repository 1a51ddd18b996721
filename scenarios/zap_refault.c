// SPDX-License-Identifier: GPL-2.0-only
/*
 * zap-refault: the madvise(MADV_DONTNEED) cycle over a range.  Each thread
 * owns a range of `pages` pages in a PTE table of its own and, per
 * operation (a cycle), faults every page of it and then zaps the whole range
 * with one zap_page_range.  The range is filled by the `handler`:
 *
 *   anon      private anonymous memory, written (a new page per fault)
 *   nopfn     ->nopfn returns an MMIO pfn (VM_PFNMAP, no struct page)
 *   fault     ->fault returns a driver page (refcounted)
 *   mixedmap  ->fault inserts a driver page's pfn (VM_MIXEDMAP, refcounted)
 *
 *   0x40000000 + t * PMD_SIZE | t: pages |
 *
 * The accounting (verify), for C cycles of P pages: each fault finds its PTE
 * empty (the cycle before zapped it), so faults.minor + faults.nopage
 * (mixedmap's ->fault inserts the pfn itself) == the handler's
 * calls == set_pte == C * P, and no replace, loss, other handler or failed
 * fault.  Each zap drops what each fault took: page_ref_put == C * P for the
 * handlers that map a page (0 for nopfn) and page_ref_get == page_ref_put;
 * no PTE is left mapped, the frames in use are setup's, and every driver
 * page's count is back to setup's 1.
 *
 * No kernel-* scenario is its twin, so calibration.suite has no line for
 * it: kernel-same-addr zaps one page that every thread shares, and
 * kernel-anon munmaps its region and reports per fault, not per cycle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define ZR_BASE 0x40000000UL /* PMD aligned */

enum zr_handler { ZR_ANON, ZR_NOPFN, ZR_FAULT, ZR_MIXEDMAP, ZR_NR };

static const char *const zr_handlers[ZR_NR] = { "anon", "nopfn", "fault", "mixedmap" };

struct zr {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	enum zr_handler handler;
	unsigned long pages;  /* per thread */
	unsigned long frames; /* in use after setup */
	bool skip_zap;	      /* a fault a test plants */
	struct page **drv;    /* the driver's pages, threads * pages */
};

/* The index of the page at addr: its thread's range, the page in it. */
static unsigned long zr_index(const struct zr *z, unsigned long addr)
{
	unsigned long off = addr - ZR_BASE;

	return off / PMD_SIZE * z->pages + (off % PMD_SIZE >> PAGE_SHIFT);
}

static unsigned long zr_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	const struct zr *z = vma->vm_private_data;

	return fc_io_pfn(fc_phys_config(z->mm->phys), zr_index(z, addr));
}

static vm_fault_t zr_fault(struct vm_fault *vmf)
{
	const struct zr *z = vmf->vma->vm_private_data;
	struct page *page = z->drv[zr_index(z, vmf->address)];

	get_page(page);
	vmf->page = page;
	return 0;
}

static vm_fault_t zr_fault_mixed(struct vm_fault *vmf)
{
	const struct zr *z = vmf->vma->vm_private_data;

	return vmf_insert_mixed(vmf->vma, vmf->address,
				page_to_pfn(z->mm->phys, z->drv[zr_index(z, vmf->address)]));
}

static const struct vm_operations_struct zr_ops[ZR_NR] = {
	[ZR_NOPFN] = { .name = "zap-refault-nopfn", .nopfn = zr_nopfn },
	[ZR_FAULT] = { .name = "zap-refault-fault", .fault = zr_fault },
	[ZR_MIXEDMAP] = { .name = "zap-refault-mixedmap", .fault = zr_fault_mixed },
};

static const unsigned long zr_vm_flags[ZR_NR] = {
	[ZR_ANON] = VM_WRITE,
	[ZR_NOPFN] = VM_SHARED | VM_PFNMAP | VM_IO,
	[ZR_FAULT] = VM_SHARED,
	[ZR_MIXEDMAP] = VM_SHARED | VM_MIXEDMAP,
};

static const enum fc_stat zr_calls[ZR_NR] = {
	[ZR_ANON] = FC_STAT_HANDLER_ANON,
	[ZR_NOPFN] = FC_STAT_HANDLER_NOPFN,
	[ZR_FAULT] = FC_STAT_HANDLER_FAULT,
	[ZR_MIXEDMAP] = FC_STAT_HANDLER_FAULT,
};

/* Modern kernels have no ->nopfn: every fault would be a SIGBUS. */
static int zr_check(const struct fb_values *v, char *err, size_t errlen)
{
	if (!strcmp(fb_values_get(v, "handler"), "nopfn") &&
	    !strcmp(fb_values_get(v, "dispatch"), "modern")) {
		snprintf(err, errlen,
			 "handler=nopfn needs a 2.6-era dispatch order, modern has "
			 "no ->nopfn (valid: handler=fault with dispatch=modern)");
		return -1;
	}
	return 0;
}

static void zr_teardown(struct fb_ctx *ctx)
{
	struct zr *z = ctx->priv;

	if (!z)
		return;
	/* The VMA goes first: its PTEs may hold references to the driver's pages. */
	if (z->vma)
		fc_munmap(z->mm, ZR_BASE, (unsigned long)ctx->nthreads * PMD_SIZE);
	for (unsigned long i = 0; z->drv && i < z->pages * (unsigned long)ctx->nthreads; i++)
		if (z->drv[i])
			put_page(ctx->phys, z->drv[i]);
	free(z->drv);
	free(z);
}

static int zr_map(struct fb_ctx *ctx, struct zr *z)
{
	unsigned long n = z->pages * (unsigned long)ctx->nthreads;

	if (z->handler == ZR_FAULT || z->handler == ZR_MIXEDMAP) {
		if (!(z->drv = calloc(n, sizeof(*z->drv))))
			return -1;
		for (unsigned long i = 0; i < n; i++)
			if (!(z->drv[i] = alloc_page(ctx->phys)))
				return -1;
	}
	z->vma = fc_mmap(z->mm, ZR_BASE, (unsigned long)ctx->nthreads * PMD_SIZE,
			 zr_vm_flags[z->handler],
			 z->handler == ZR_ANON ? NULL : &zr_ops[z->handler], z, 0);
	return z->vma ? 0 : -1;
}

static int zr_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct zr *z = calloc(1, sizeof(*z));
	struct fc_phys_config pc;

	ctx->priv = z;
	if (!z)
		return -1;
	z->pages = (unsigned long)fb_param_long(ctx, "pages");
	for (int h = 0; h < ZR_NR; h++)
		if (!strcmp(fb_param_str(ctx, "handler"), zr_handlers[h]))
			z->handler = (enum zr_handler)h;
	z->skip_zap = fb_planted(ctx, "skip-zap");
	/* Anonymous pages, or the driver's pages and MMIO pfns: one per page of each range. */
	pc = (struct fc_phys_config){ .nr_ram = 2 * z->pages * ctx->nthreads + 4096,
				      .nr_io = z->pages * ctx->nthreads };
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	z->mm = ctx->mm;
	if (zr_map(ctx, z)) {
		snprintf(err, errlen, "zap-refault: cannot map %lu pages per thread", z->pages);
		return -1;
	}
	z->frames = fc_phys_pages_in_use(ctx->phys);
	return 0;
}

static unsigned long zr_step(struct fb_thread *t, unsigned long n)
{
	struct zr *z = t->ctx->priv;
	unsigned long base = ZR_BASE + (unsigned long)t->tid * PMD_SIZE;
	unsigned int flags = z->handler == ZR_ANON ? FAULT_FLAG_WRITE : 0;

	for (unsigned long i = 0; i < n; i++) {
		for (unsigned long p = 0; p < z->pages; p++)
			handle_mm_fault(z->mm, base + p * PAGE_SIZE, flags);
		if (!z->skip_zap)
			zap_page_range(z->vma, base, z->pages * PAGE_SIZE);
	}
	return n;
}

/* The PTEs left mapped, and the driver pages whose count is not setup's. */
static uint64_t zr_leftover(const struct fb_ctx *ctx, const struct zr *z)
{
	uint64_t left = 0;

	for (unsigned long tid = 0; tid < (unsigned long)ctx->nthreads; tid++)
		for (unsigned long p = 0; p < z->pages; p++) {
			pte_t *ptep =
				fc_pte_lookup(z->mm, ZR_BASE + tid * PMD_SIZE + p * PAGE_SIZE);

			left += ptep && !pte_none(pte_read(ptep));
			left += z->drv && page_count(z->drv[tid * z->pages + p]) != 1;
		}
	return left;
}

static int zr_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	static const enum fc_stat handlers[] = { FC_STAT_HANDLER_ANON, FC_STAT_HANDLER_NOPAGE,
						 FC_STAT_HANDLER_NOPFN, FC_STAT_HANDLER_FAULT,
						 FC_STAT_HANDLER_WP };
	struct zr *z = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t faults = t->iterations * z->pages, others = 0;

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		others += handlers[i] == zr_calls[z->handler] ? 0 : v[handlers[i]];
	return mm_verify(z->mm, err, errlen) ||
	       fb_expect(v[FC_STAT_FAULTS_MINOR] + v[FC_STAT_FAULTS_NOPAGE], faults,
			 "faults resolved == faults", err, errlen) ||
	       fb_expect_counters(t, "set_pte", faults, err, errlen) ||
	       fb_expect(v[zr_calls[z->handler]], faults, "handler calls == faults", err, errlen) ||
	       fb_expect(others, 0, "calls to another handler", err, errlen) ||
	       fb_expect_counters(t,
				  "set_pte_replace recheck_lost precheck_lost faults.major "
				  "faults.sigbus faults.sigsegv faults.oom bug "
				  "bad_pte bad_pfn",
				  0, err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_PUT], z->handler == ZR_NOPFN ? 0 : faults,
			 "page_ref_put == faults of a page", err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET], v[FC_STAT_PAGE_REF_PUT],
			 "page_ref_get == page_ref_put", err, errlen) ||
	       fb_expect(zr_leftover(ctx, z), 0, "PTEs left mapped or driver pages referenced", err,
			 errlen) ||
	       fb_expect(fc_phys_pages_in_use(ctx->phys), z->frames, "frames in use == setup's",
			 err, errlen);
}

static const struct fb_param zr_params[] = {
	{ .name = "handler",
	  .type = FB_PARAM_CHOICE,
	  .def = "anon",
	  .choices = "anon|nopfn|fault|mixedmap",
	  .help = "what fills the range: anonymous pages, ->nopfn's MMIO pfns, ->fault's "
		  "driver pages, or their pfns in VM_MIXEDMAP" },
	{ .name = "pages",
	  .type = FB_PARAM_INT,
	  .def = "16",
	  .min = 1,
	  .max = PTRS_PER_TABLE,
	  .help = "the range N each cycle faults and then zaps at once" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

FB_SCENARIO(zap_refault) = {
	.name = "zap-refault",
	.description = "each thread faults a range of its own, then zaps it at once "
		       "(madvise(MADV_DONTNEED)), and again",
	.question = "What does the zap-and-refault cycle cost per page, per mapping kind?",
	.shape = FB_SHAPE_DURATION,
	.unit = "cycle",
	.params = zr_params,
	.headline = FB_HEADLINE("set_pte", "page_ref_put", "ptl_contended"),
	.floor = "floor",
	.plants = FB_PLANTS({ .name = "skip-zap",
			      .what = "the range is never zapped, so its refaults find it "
				      "mapped" }),
	.check = zr_check,
	.setup = zr_setup,
	.teardown = zr_teardown,
	.step = zr_step,
	.verify = zr_verify,
};
