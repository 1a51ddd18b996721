// SPDX-License-Identifier: GPL-2.0-only
/*
 * mixedmap: the price of VM_MIXEDMAP's refcounting (seed 004).  T threads
 * take fresh read faults on a shared mapping whose ->fault inserts a frame:
 *
 *   map=mixedmap  VM_MIXEDMAP, vmf_insert_mixed: a pfn_valid frame (a
 *                 driver's page) is mapped as a normal page, with a
 *                 reference and a mapcount, a device frame raw
 *   map=pfnmap    VM_PFNMAP, vmf_insert_pfn of the very same frames: every
 *                 one raw, none refcounted, pfn_valid or not
 *
 * valid_ratio=PERCENT of each slice's pages are the driver's pages, spread
 * evenly (page i is one when (i + 1) * PERCENT / 100 steps past
 * i * PERCENT / 100), the rest device frames with no struct page: V =
 * pages * PERCENT / 100 of a slice's pages.  With share=own every page of
 * every thread has a frame of its own; with share=one every valid page of
 * every thread is the one same driver page and every device page the one
 * same device frame, so that all the threads take and drop references on
 * one struct page: the line the seed's refcounting makes them share.
 *
 * Each thread faults its own slice, in a PTE table of its own (disjoint's
 * layout: no PTE lock is shared), page by page, and when it has faulted
 * every page zaps the slice and starts over.  The shape is duration, one
 * operation a fault: the threads fault flat out, so that under share=one the
 * struct page's line moves between them at the rate faults take it, where
 * rounds would pace it by a barrier.  A fault's figures carry 1/pages of
 * its slice's zap, which puts the references back: part of the price.
 *
 *   0x40000000 + t * PMD_SIZE | t: pages |
 *
 * The accounting (verify), for F faults over T threads of P pages: at
 * verify time thread t's slice holds its first m_t pages (it faulted in
 * order since its last zap), M = sum m_t of them, Mv of them valid frames;
 * every other fault was part of a whole slice that was zapped, so
 * (F - M) % P == 0, and the valid faults are Fv = V * (F - M) / P + Mv.
 *   - every fault found its PTE empty and ->fault inserted it:
 *     handler_calls.fault == faults.nopage == set_pte == F; no minor or
 *     failed fault, no replace, recheck or precheck loss, no spurious fault,
 *     no other handler, bug, bad pte or bad pfn;
 *   - mixedmap: page_ref_get == Fv (one a valid frame, none a device
 *     frame) and page_ref_put == Fv - Mv (each zap put back its slice's);
 *     pfnmap: no reference at all;
 *   - the frames in use are setup's, and mm_verify_set holds each driver
 *     page's _refcount to its mappings plus the driver's own reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define MX_BASE 0x40000000UL /* PMD aligned */

/* One thread's place in its slice, on its own line: the step writes it. */
struct mx_slot {
	unsigned long next;
} __attribute__((aligned(FC_CACHELINE)));

struct mixedmap {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	bool pfnmap;
	bool skip_zap;		/* a fault a test plants */
	unsigned long pages;	/* per thread */
	unsigned long ratio;	/* valid_ratio */
	unsigned long nr_drv;	/* the driver's pages */
	unsigned long frames;	/* in use after setup */
	struct page **drv;	/* the driver's pages */
	unsigned long *pfn;	/* by page of the layout: the frame ->fault inserts */
	unsigned char *drv_pfn; /* by pfn: a driver's page, with its own reference */
	struct mx_slot slot[];
};

/* Page i of a slice is a driver's page, the valid_ratio spread evenly. */
static bool mx_valid(const struct mixedmap *m, unsigned long i)
{
	return (i + 1) * m->ratio / 100 != i * m->ratio / 100;
}

static unsigned long mx_index(const struct mixedmap *m, unsigned long addr)
{
	unsigned long off = addr - MX_BASE;

	return off / PMD_SIZE * m->pages + (off % PMD_SIZE >> PAGE_SHIFT);
}

static vm_fault_t mx_fault_mixed(struct vm_fault *vmf)
{
	const struct mixedmap *m = vmf->vma->vm_private_data;

	return vmf_insert_mixed(vmf->vma, vmf->address, m->pfn[mx_index(m, vmf->address)]);
}

static vm_fault_t mx_fault_pfn(struct vm_fault *vmf)
{
	const struct mixedmap *m = vmf->vma->vm_private_data;

	return vmf_insert_pfn(vmf->vma, vmf->address, m->pfn[mx_index(m, vmf->address)]);
}

/* The planted driver: it takes a reference of its own on the page it inserts and keeps it. */
static vm_fault_t mx_fault_leak(struct vm_fault *vmf)
{
	const struct mixedmap *m = vmf->vma->vm_private_data;
	unsigned long pfn = m->pfn[mx_index(m, vmf->address)];

	if (pfn_valid(m->mm->phys, pfn))
		get_page(pfn_to_page(m->mm->phys, pfn));
	return vmf_insert_mixed(vmf->vma, vmf->address, pfn);
}

static const struct vm_operations_struct mx_ops_mixed = { .name = "mixedmap",
							  .fault = mx_fault_mixed };
static const struct vm_operations_struct mx_ops_pfn = { .name = "mixedmap-pfnmap",
							.fault = mx_fault_pfn };
static const struct vm_operations_struct mx_ops_leak = { .name = "mixedmap-leak",
							 .fault = mx_fault_leak };

static void mx_teardown(struct fb_ctx *ctx)
{
	struct mixedmap *m = ctx->priv;

	if (!m)
		return;
	/* The VMA goes first: its PTEs hold references to the driver's pages. */
	if (m->vma)
		fc_munmap(m->mm, MX_BASE, (unsigned long)ctx->nthreads * PMD_SIZE);
	for (unsigned long i = 0; m->drv && i < m->nr_drv; i++)
		if (m->drv[i])
			put_page(ctx->phys, m->drv[i]);
	free(m->drv);
	free(m->pfn);
	free(m->drv_pfn);
	free(m);
}

/* The driver's pages and each page's frame: own or one, valid or device. */
static int mx_frames(struct fb_ctx *ctx, struct mixedmap *m, bool one)
{
	const struct fc_phys_config *pc = fc_phys_config(ctx->phys);
	unsigned long n = m->pages * (unsigned long)ctx->nthreads;

	m->nr_drv = one ? 1 : n;
	if (!(m->drv = calloc(m->nr_drv, sizeof(*m->drv))) ||
	    !(m->pfn = calloc(n, sizeof(*m->pfn))) ||
	    !(m->drv_pfn = calloc(pc->nr_ram, sizeof(*m->drv_pfn))))
		return -1;
	for (unsigned long i = 0; i < m->nr_drv; i++) {
		if (!(m->drv[i] = alloc_page(ctx->phys)))
			return -1;
		m->drv_pfn[page_to_pfn(ctx->phys, m->drv[i])] = 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		unsigned long f = one ? 0 : i;

		m->pfn[i] = mx_valid(m, i % m->pages) ? page_to_pfn(ctx->phys, m->drv[f])
						      : fc_dev_pfn(pc, f);
	}
	return 0;
}

static int mx_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	unsigned long nthreads = (unsigned long)ctx->nthreads;
	unsigned long pages = (unsigned long)fb_param_long(ctx, "pages");
	/* The driver's pages and device frames, one a page, and the per-thread caches' batches. */
	struct fc_phys_config pc = { .nr_ram = pages * nthreads + 4096,
				     .nr_dev = pages * nthreads };
	size_t size = sizeof(struct mixedmap) + nthreads * sizeof(struct mx_slot);
	struct mixedmap *m = aligned_alloc(FC_CACHELINE, size);
	const struct vm_operations_struct *ops;

	ctx->priv = m;
	if (!m)
		return -1;
	memset(m, 0, size);
	m->pages = pages;
	m->ratio = (unsigned long)fb_param_long(ctx, "valid_ratio");
	m->pfnmap = !strcmp(fb_param_str(ctx, "map"), "pfnmap");
	m->skip_zap = fb_planted(ctx, "skip-zap");
	ops = m->pfnmap ? &mx_ops_pfn : fb_planted(ctx, "keep-ref") ? &mx_ops_leak : &mx_ops_mixed;
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	m->mm = ctx->mm;
	if (mx_frames(ctx, m, !strcmp(fb_param_str(ctx, "share"), "one")) ||
	    !(m->vma = fc_mmap(m->mm, MX_BASE, nthreads * PMD_SIZE,
			       m->pfnmap ? VM_SHARED | VM_PFNMAP | VM_IO : VM_SHARED | VM_MIXEDMAP,
			       ops, m, 0))) {
		snprintf(err, errlen, "mixedmap: cannot map %lu pages per thread", pages);
		return -1;
	}
	m->frames = fc_phys_pages_in_use(ctx->phys);
	return 0;
}

static unsigned long mx_step(struct fb_thread *t, unsigned long n)
{
	struct mixedmap *m = t->ctx->priv;
	struct mx_slot *slot = &m->slot[t->tid];
	unsigned long base = MX_BASE + (unsigned long)t->tid * PMD_SIZE;

	for (unsigned long i = 0; i < n; i++) {
		if (slot->next == m->pages) {
			if (!m->skip_zap)
				zap_page_range(m->vma, base, m->pages * PAGE_SIZE);
			slot->next = 0;
		}
		handle_mm_fault(m->mm, base + slot->next++ * PAGE_SIZE, 0);
	}
	return n;
}

/* The driver's own reference on each of its pages. */
static int mx_driver_refs(struct page *page, void *arg)
{
	const struct mixedmap *m = arg;

	return m->drv_pfn[page_to_pfn(m->mm->phys, page)];
}

/*
 * M and Mv of the accounting: the pages mapped now, and the valid ones
 * among them; -1 when a slice is not mapped from its start without a hole.
 */
static int mx_mapped(const struct fb_ctx *ctx, const struct mixedmap *m, uint64_t *mapped,
		     uint64_t *valid)
{
	*mapped = *valid = 0;
	for (unsigned long t = 0; t < (unsigned long)ctx->nthreads; t++) {
		bool hole = false;

		for (unsigned long i = 0; i < m->pages; i++) {
			pte_t *ptep = fc_pte_lookup(m->mm, MX_BASE + t * PMD_SIZE + i * PAGE_SIZE);
			bool present = ptep && pte_present(pte_read(ptep));

			if (present && hole)
				return -1;
			hole |= !present;
			*mapped += present;
			*valid += present && mx_valid(m, i);
		}
	}
	return 0;
}

static int mx_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct mixedmap *m = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t faults = t->iterations, mapped, mvalid, fv;
	unsigned long per_slice = 0;

	for (unsigned long i = 0; i < m->pages; i++)
		per_slice += mx_valid(m, i);
	if (mm_verify_set(&m->mm, 1, mx_driver_refs, m, err, errlen))
		return -1;
	if (mx_mapped(ctx, m, &mapped, &mvalid) || mapped > faults) {
		snprintf(err, errlen, "mixedmap: a slice is not mapped from its first page on");
		return -1;
	}
	if (fb_expect((faults - mapped) % m->pages, 0,
		      "faults not mapped now fill whole zapped slices", err, errlen))
		return -1;
	fv = per_slice * (faults - mapped) / m->pages + mvalid;
	return fb_expect_counters(t, "handler_calls.fault faults.nopage set_pte", faults, err,
				  errlen) ||
	       fb_expect_counters(t,
				  "faults.minor faults.major faults.sigbus faults.sigsegv "
				  "faults.oom set_pte_replace recheck_lost precheck_lost spurious "
				  "handler_calls.anon handler_calls.nopage handler_calls.nopfn "
				  "handler_calls.wp cow_copy bug bad_pte bad_pfn",
				  0, err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET], m->pfnmap ? 0 : fv,
			 "page_ref_get == faults of a valid frame (mixedmap), 0 (pfnmap)", err,
			 errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_PUT], m->pfnmap ? 0 : fv - mvalid,
			 "page_ref_put == valid frames zapped (mixedmap), 0 (pfnmap)", err,
			 errlen) ||
	       fb_expect(fc_phys_pages_in_use(ctx->phys), m->frames, "frames in use == setup's",
			 err, errlen);
}

static const struct fb_param mx_params[] = {
	{ .name = "map",
	  .type = FB_PARAM_CHOICE,
	  .def = "mixedmap",
	  .choices = "mixedmap|pfnmap",
	  .help = "VM_MIXEDMAP (vmf_insert_mixed: pfn_valid frames refcounted) or VM_PFNMAP "
		  "(vmf_insert_pfn: the same frames, raw)" },
	{ .name = "valid_ratio",
	  .type = FB_PARAM_INT,
	  .def = "100",
	  .min = 0,
	  .max = 100,
	  .help = "percent of each slice's frames that are a driver's pfn_valid pages, the "
		  "rest device frames with no struct page" },
	{ .name = "share",
	  .type = FB_PARAM_CHOICE,
	  .def = "own",
	  .choices = "own|one",
	  .help = "own: a frame for every page of every thread; one: every valid page is one "
		  "struct page, refcounted by every thread" },
	{ .name = "pages",
	  .type = FB_PARAM_INT,
	  .def = "16",
	  .min = 1,
	  .max = PTRS_PER_TABLE,
	  .help = "pages in each thread's slice, faulted in turn and then zapped" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

FB_SCENARIO(mixedmap) = {
	.name = "mixedmap",
	.description = "threads fault slices of a VM_MIXEDMAP (or a VM_PFNMAP) of driver "
		       "pages, device frames or a mix, own frames or one shared page",
	.question = "Seed 004: what does VM_MIXEDMAP's refcounting of pfn_valid frames cost "
		    "against VM_PFNMAP's raw ones, and when every thread refcounts one page?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.params = mx_params,
	.headline = FB_HEADLINE("set_pte", "page_ref_get", "page_ref_put"),
	.plants = FB_PLANTS({ .name = "skip-zap",
			      .what = "a full slice is never zapped, so its refaults find it "
				      "mapped" },
			    { .name = "keep-ref",
			      .what = "the driver takes a reference of its own on each page it "
				      "inserts and never drops it" }),
	.setup = mx_setup,
	.teardown = mx_teardown,
	.step = mx_step,
	.verify = mx_verify,
};
