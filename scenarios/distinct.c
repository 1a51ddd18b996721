// SPDX-License-Identifier: GPL-2.0-only
/*
 * same-table, disjoint and dispatch: T threads fault distinct addresses, so
 * no two faults ever race for one PTE; the only thing they can share is the
 * lock that guards the entries.  Each thread faults the `pages` pages of its
 * own slice of one mapping one by one, and when it has faulted them all zaps
 * its slice and starts over (will-it-scale's page_fault1).  The mapping is
 * filled by the `handler` (anonymous write faults by default):
 *
 *   anon       private anonymous memory, written
 *   nopage     ->nopage returns a driver page (read, shared)
 *   fault      ->fault returns a driver page in vmf->page
 *   nopfn      ->nopfn returns an MMIO pfn (VM_PFNMAP)
 *   fault-pfn  ->fault inserts that pfn itself (vmf_insert_pfn)
 *   mixedmap   ->fault inserts a driver page's pfn (VM_MIXEDMAP, refcounted)
 *   special    a special mapping's .pages (walked to the page, seed 003)
 *
 * Every thread's page i has a frame of its own, so that no struct page or
 * line is shared between threads.
 *
 *   same-table: the slices lie side by side in one PTE-table page
 *     0x40000000 | t0: pages | t1: pages | ... |        (T * pages <= 512)
 *   disjoint: each slice starts its own PTE-table page (and its own PTL)
 *     0x40000000 + t * PMD_SIZE | t: pages |
 *
 * Under granularity=split, same-table threads share one PTL and disjoint
 * threads share none; under granularity=mm both share page_table_lock.  The
 * difference between the four is what split PTE locks buy.  dispatch is the
 * disjoint layout with the handler as its question: what each handler kind
 * costs under each dispatch order (seed 002: "nopage first, as it is the
 * most common").
 *
 * The rest of the mm, which the faults never touch: `vmas` other VMAs of 4
 * pages, 8 pages apart, and `populated` pages already mapped in one VM_PFNMAP
 * VMA above them (remap_pfn_range), from 1 TiB up.  Against vmas=0 and
 * populated=0 they show whether a fault's cost stays flat as the mm grows:
 * the vmacache spares the VMA search, and the walk is four levels whatever
 * else is mapped.
 *
 *   1 TiB + i * 8 pages | VMA i: 4 pages | ... | populated pages |
 *
 * The accounting (verify), for F faults (the operations): the mm holds the
 * slices' VMA and the rest's, 1 + vmas (+ 1 if populated); every fault finds
 * its PTE empty, since only its own thread faults it and that thread zapped
 * it first: faults.minor + faults.nopage (fault-pfn's) == the handler's
 * calls == set_pte == F, and no replace, recheck or precheck loss, no other
 * handler, no failed fault.  At verify time M PTEs of the layout are present
 * (each thread's slice up to where it stopped); for the handlers that map a
 * page each holds one reference (the anonymous page's first, or the one the
 * driver or the core took): page_ref_get - page_ref_put == M, else 0.  The
 * frames in use are setup's, plus M new anonymous pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define DISTINCT_BASE 0x40000000UL /* PMD aligned */
#define DISTINCT_REST (1UL << 40)  /* the rest of the mm: above any thread count's slices */

enum distinct_handler { H_ANON, H_NOPAGE, H_FAULT, H_NOPFN, H_FAULT_PFN, H_MIXEDMAP, H_SPECIAL };

static const char *const distinct_handlers[] = { "anon",      "nopage",	  "fault",  "nopfn",
						 "fault-pfn", "mixedmap", "special" };
#define DISTINCT_HANDLERS "anon|nopage|fault|nopfn|fault-pfn|mixedmap|special"

/* One thread's place in its slice, on its own line: the step writes it. */
struct distinct_slot {
	unsigned long next;
} __attribute__((aligned(FC_CACHELINE)));

struct distinct {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	enum distinct_handler handler;
	unsigned int flags;    /* FAULT_FLAG_WRITE for anon: a write allocates */
	enum fc_stat calls;    /* the handler's counter */
	unsigned long pages;   /* per thread */
	unsigned long stride;  /* from one thread's slice to the next */
	unsigned long frames;  /* in use after setup */
	bool skip_zap;	       /* a fault a test plants */
	struct page **drv;     /* the driver's frames, threads * pages */
	struct page **special; /* the special mapping's .pages, NULL-terminated */
	struct vm_special_mapping sm;
	struct distinct_slot slot[];
};

/* The driver's frame for the page at addr: thread's slice, page in it. */
static unsigned long distinct_frame(const struct distinct *d, unsigned long off)
{
	return off / d->stride * d->pages + (off % d->stride >> PAGE_SHIFT) % d->pages;
}

static struct page *distinct_nopage(struct vm_area_struct *vma, unsigned long addr, int *type)
{
	const struct distinct *d = vma->vm_private_data;
	struct page *page = d->drv[distinct_frame(d, addr - vma->vm_start)];

	get_page(page);
	return page;
}

static vm_fault_t distinct_fault(struct vm_fault *vmf)
{
	vmf->page = distinct_nopage(vmf->vma, vmf->address, NULL);
	return 0;
}

static unsigned long distinct_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	const struct distinct *d = vma->vm_private_data;

	return fc_io_pfn(fc_phys_config(d->mm->phys), distinct_frame(d, addr - vma->vm_start));
}

static vm_fault_t distinct_fault_pfn(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address, distinct_nopfn(vmf->vma, vmf->address));
}

static vm_fault_t distinct_fault_mixed(struct vm_fault *vmf)
{
	const struct distinct *d = vmf->vma->vm_private_data;
	struct page *page = d->drv[distinct_frame(d, vmf->address - vmf->vma->vm_start)];

	return vmf_insert_mixed(vmf->vma, vmf->address, page_to_pfn(d->mm->phys, page));
}

static const struct vm_operations_struct distinct_ops[] = {
	[H_NOPAGE] = { .name = "distinct-nopage", .nopage = distinct_nopage },
	[H_FAULT] = { .name = "distinct-fault", .fault = distinct_fault },
	[H_NOPFN] = { .name = "distinct-nopfn", .nopfn = distinct_nopfn },
	[H_FAULT_PFN] = { .name = "distinct-fault-pfn", .fault = distinct_fault_pfn },
	[H_MIXEDMAP] = { .name = "distinct-mixedmap", .fault = distinct_fault_mixed },
};

static const unsigned long distinct_vm_flags[] = {
	[H_ANON] = VM_WRITE,
	[H_NOPAGE] = VM_SHARED,
	[H_FAULT] = VM_SHARED,
	[H_NOPFN] = VM_SHARED | VM_PFNMAP | VM_IO,
	[H_FAULT_PFN] = VM_SHARED | VM_PFNMAP | VM_IO,
	[H_MIXEDMAP] = VM_SHARED | VM_MIXEDMAP,
	[H_SPECIAL] = 0,
};

static const enum fc_stat distinct_calls[] = {
	[H_ANON] = FC_STAT_HANDLER_ANON,       [H_NOPAGE] = FC_STAT_HANDLER_NOPAGE,
	[H_FAULT] = FC_STAT_HANDLER_FAULT,     [H_NOPFN] = FC_STAT_HANDLER_NOPFN,
	[H_FAULT_PFN] = FC_STAT_HANDLER_FAULT, [H_MIXEDMAP] = FC_STAT_HANDLER_FAULT,
	[H_SPECIAL] = FC_STAT_HANDLER_FAULT,
};

/* Modern kernels have neither ->nopage nor ->nopfn: every fault would be a SIGBUS. */
static int distinct_check(const struct fb_values *v, char *err, size_t errlen)
{
	const char *h = fb_values_get(v, "handler");

	if ((!strcmp(h, "nopage") || !strcmp(h, "nopfn")) &&
	    !strcmp(fb_values_get(v, "dispatch"), "modern")) {
		snprintf(err, errlen,
			 "handler=%s needs a 2.6-era dispatch order, modern has no ->%s "
			 "(valid: handler=fault or fault-pfn with dispatch=modern)",
			 h, h);
		return -1;
	}
	return 0;
}

/* same-table: every thread's slice inside the one PTE-table page. */
static int same_table_check(const struct fb_values *v, char *err, size_t errlen)
{
	unsigned long pages = strtoul(fb_values_get(v, "pages"), NULL, 10);

	if (pages * (unsigned long)v->nthreads > PTRS_PER_TABLE) {
		snprintf(err, errlen,
			 "same-table: %d threads of %lu pages overflow one PTE table of %d entries "
			 "(valid: threads x pages <= %d)",
			 v->nthreads, pages, PTRS_PER_TABLE, PTRS_PER_TABLE);
		return -1;
	}
	return distinct_check(v, err, errlen);
}

static void distinct_teardown(struct fb_ctx *ctx)
{
	struct distinct *d = ctx->priv;

	if (!d)
		return;
	/* The VMA goes first: its PTEs hold references to the driver's frames. */
	if (d->vma)
		fc_munmap(d->mm, DISTINCT_BASE, d->vma->vm_end - DISTINCT_BASE);
	for (unsigned long i = 0; d->drv && i < d->pages * (unsigned long)ctx->nthreads; i++)
		if (d->drv[i])
			put_page(ctx->phys, d->drv[i]);
	free(d->drv);
	free(d->special);
	free(d);
}

/* The driver's frames, and the special mapping's array over every slot. */
static int distinct_driver(struct fb_ctx *ctx, struct distinct *d, unsigned long len)
{
	unsigned long n = d->pages * (unsigned long)ctx->nthreads, slots = len >> PAGE_SHIFT;

	if (d->handler == H_ANON)
		return 0;
	d->drv = calloc(n, sizeof(*d->drv));
	if (!d->drv)
		return -1;
	for (unsigned long i = 0; i < n; i++)
		if (!(d->drv[i] = alloc_page(ctx->phys)))
			return -1;
	if (d->handler != H_SPECIAL)
		return 0;
	d->special = calloc(slots + 1, sizeof(*d->special));
	if (!d->special)
		return -1;
	for (unsigned long i = 0; i < slots; i++)
		d->special[i] = d->drv[distinct_frame(d, i << PAGE_SHIFT)];
	d->sm = (struct vm_special_mapping){ .name = "distinct", .pages = d->special };
	return 0;
}

static int distinct_map(struct fb_ctx *ctx, struct distinct *d)
{
	unsigned long len = d->stride * (unsigned long)ctx->nthreads;
	unsigned long flags = distinct_vm_flags[d->handler];

	if (distinct_driver(ctx, d, len))
		return -1;
	if (d->handler == H_SPECIAL)
		d->vma = _install_special_mapping(d->mm, DISTINCT_BASE, len, flags, &d->sm);
	else
		d->vma = fc_mmap(d->mm, DISTINCT_BASE, len, flags,
				 d->handler == H_ANON ? NULL : &distinct_ops[d->handler], d, 0);
	return d->vma ? 0 : -1;
}

/* The other VMAs, and the populated pages' VMA above them, on MMIO pfns past the slices'. */
static int distinct_rest(struct fb_ctx *ctx, unsigned long first_pfn)
{
	unsigned long vmas = (unsigned long)fb_param_long(ctx, "vmas");
	unsigned long populated = (unsigned long)fb_param_long(ctx, "populated");
	unsigned long start = DISTINCT_REST + vmas * 8 * PAGE_SIZE;
	unsigned long flags = VM_SHARED | VM_PFNMAP | VM_IO;
	struct vm_area_struct *vma;

	for (unsigned long i = 0; i < vmas; i++)
		if (!fc_mmap(ctx->mm, DISTINCT_REST + i * 8 * PAGE_SIZE, 4 * PAGE_SIZE, flags, NULL,
			     NULL, 0))
			return -1;
	if (!populated)
		return 0;
	start = (start + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	vma = fc_mmap(ctx->mm, start, populated * PAGE_SIZE, flags, NULL, NULL, 0);
	return vma ? remap_pfn_range(vma, start, first_pfn, populated * PAGE_SIZE,
				     vma->vm_page_prot)
		   : -1;
}

static int distinct_setup(struct fb_ctx *ctx, unsigned long stride, char *err, size_t errlen)
{
	unsigned long pages = (unsigned long)fb_param_long(ctx, "pages");
	unsigned long nthreads = (unsigned long)ctx->nthreads;
	/*
	 * Anonymous pages, or the driver's frames and MMIO pfns: one per page of
	 * each slice; then MMIO pfns for the populated pages.
	 */
	struct fc_phys_config pc = { .nr_ram = 2 * pages * nthreads + 4096,
				     .nr_io = pages * nthreads +
					      (unsigned long)fb_param_long(ctx, "populated") };
	const char *handler = fb_param_str(ctx, "handler");
	struct distinct *d;

	if (!stride)
		stride = pages * PAGE_SIZE;
	d = aligned_alloc(FC_CACHELINE, sizeof(*d) + nthreads * sizeof(d->slot[0]));
	ctx->priv = d;
	if (!d)
		return -1;
	memset(d, 0, sizeof(*d) + nthreads * sizeof(d->slot[0]));
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	d->mm = ctx->mm;
	d->pages = pages;
	d->stride = stride;
	for (int h = 0; h <= H_SPECIAL; h++)
		if (!strcmp(handler, distinct_handlers[h]))
			d->handler = (enum distinct_handler)h;
	d->flags = d->handler == H_ANON ? FAULT_FLAG_WRITE : 0;
	d->calls = distinct_calls[d->handler];
	d->skip_zap = fb_planted(ctx, "skip-zap");
	if (distinct_map(ctx, d)) {
		snprintf(err, errlen, "%s: cannot map the slices", ctx->sc->name);
		return -1;
	}
	if (distinct_rest(ctx, fc_io_pfn(&pc, pages * nthreads))) {
		snprintf(err, errlen, "%s: cannot map the rest of the mm", ctx->sc->name);
		return -1;
	}
	d->frames = fc_phys_pages_in_use(ctx->phys);
	return 0;
}

static int same_table_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	return distinct_setup(ctx, 0, err, errlen);
}

static int disjoint_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	return distinct_setup(ctx, PMD_SIZE, err, errlen);
}

static unsigned long distinct_step(struct fb_thread *t, unsigned long n)
{
	struct distinct *d = t->ctx->priv;
	struct distinct_slot *slot = &d->slot[t->tid];
	unsigned long base = DISTINCT_BASE + (unsigned long)t->tid * d->stride;

	for (unsigned long i = 0; i < n; i++) {
		if (slot->next == d->pages) {
			if (!d->skip_zap)
				zap_page_range(d->vma, base, d->pages * PAGE_SIZE);
			slot->next = 0;
		}
		handle_mm_fault(d->mm, base + slot->next++ * PAGE_SIZE, d->flags);
	}
	return n;
}

/* The PTEs of every slice present now: M in the identities above. */
static uint64_t distinct_mapped(const struct fb_ctx *ctx, const struct distinct *d)
{
	uint64_t mapped = 0;

	for (int tid = 0; tid < ctx->nthreads; tid++)
		for (unsigned long i = 0; i < d->pages; i++) {
			pte_t *ptep = fc_pte_lookup(d->mm, DISTINCT_BASE + tid * d->stride +
								   i * PAGE_SIZE);

			mapped += ptep && !pte_none(pte_read(ptep));
		}
	return mapped;
}

static int distinct_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	static const enum fc_stat handlers[] = { FC_STAT_HANDLER_ANON, FC_STAT_HANDLER_NOPAGE,
						 FC_STAT_HANDLER_NOPFN, FC_STAT_HANDLER_FAULT,
						 FC_STAT_HANDLER_WP };
	struct distinct *d = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t mapped = distinct_mapped(ctx, d), others = 0;
	bool pfn = d->handler == H_NOPFN || d->handler == H_FAULT_PFN;

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		others += handlers[i] == d->calls ? 0 : v[handlers[i]];
	return mm_verify(d->mm, err, errlen) ||
	       fb_expect(d->mm->nr_vmas,
			 1 + (uint64_t)fb_param_long(ctx, "vmas") +
				 !!fb_param_long(ctx, "populated"),
			 "VMAs == the slices' + the rest of the mm's", err, errlen) ||
	       fb_expect(v[FC_STAT_FAULTS_MINOR] + v[FC_STAT_FAULTS_NOPAGE], t->iterations,
			 "faults resolved == faults", err, errlen) ||
	       fb_expect(v[d->calls], t->iterations, "handler calls == faults", err, errlen) ||
	       fb_expect(others, 0, "calls to another handler", err, errlen) ||
	       fb_expect_counters(t, "set_pte", t->iterations, err, errlen) ||
	       fb_expect_counters(t,
				  "set_pte_replace recheck_lost precheck_lost faults.major "
				  "faults.sigbus faults.sigsegv faults.oom bug bad_pte bad_pfn",
				  0, err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET] - v[FC_STAT_PAGE_REF_PUT], pfn ? 0 : mapped,
			 "page_ref_get - page_ref_put == pages mapped", err, errlen) ||
	       fb_expect(fc_phys_pages_in_use(ctx->phys),
			 d->frames + (d->handler == H_ANON ? mapped : 0),
			 "frames in use == setup's + anonymous pages mapped", err, errlen);
}

#define DISTINCT_PARAMS(handler)                                                            \
	((const struct fb_param[]){                                                         \
		{ .name = "handler",                                                        \
		  .type = FB_PARAM_CHOICE,                                                  \
		  .def = (handler),                                                         \
		  .choices = DISTINCT_HANDLERS,                                             \
		  .help = "what fills the mapping: anonymous memory, a driver's ->nopage, " \
			  "->fault, ->nopfn, ->fault inserting a pfn, VM_MIXEDMAP, or a "   \
			  "special mapping's pages" },                                      \
		{ .name = "pages",                                                          \
		  .type = FB_PARAM_INT,                                                     \
		  .def = "16",                                                              \
		  .min = 1,                                                                 \
		  .max = PTRS_PER_TABLE,                                                    \
		  .help = "pages in each thread's slice, faulted in turn and then zapped; " \
			  "same-table needs threads * pages <= 512" },                      \
		{ .name = "vmas",                                                           \
		  .type = FB_PARAM_INT,                                                     \
		  .def = "0",                                                               \
		  .min = 0,                                                                 \
		  .max = 1000000,                                                           \
		  .help = "other VMAs in the mm, never faulted: does a fault stay flat "    \
			  "as the mm grows?" },                                             \
		{ .name = "populated",                                                      \
		  .type = FB_PARAM_INT,                                                     \
		  .def = "0",                                                               \
		  .min = 0,                                                                 \
		  .max = 4000000,                                                           \
		  .help = "pages mapped elsewhere in the mm before the run (raw pfns)" },   \
		FB_MM_KNOBS,                                                                \
		{ .name = NULL },                                                           \
	})

#define DISTINCT_PLANTS                 \
	FB_PLANTS({ .name = "skip-zap", \
		    .what = "a full slice is never zapped, so its faults find PTEs present" })

FB_SCENARIO(same_table) = {
	.name = "same-table",
	.description = "each thread faults its own pages, all inside one PTE-table page",
	.question = "Split PTE locks (2.6.15): what do threads faulting distinct addresses pay "
		    "when their entries share one PTE table, and so one PTL?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.params = DISTINCT_PARAMS("anon"),
	.headline = FB_HEADLINE("set_pte", "ptl_contended"),
	.floor = "floor", /* op=cycle: one lock line shared by every thread */
	.plants = DISTINCT_PLANTS,
	.check = same_table_check,
	.setup = same_table_setup,
	.teardown = distinct_teardown,
	.step = distinct_step,
	.verify = distinct_verify,
};

FB_SCENARIO(disjoint) = {
	.name = "disjoint",
	.description = "each thread faults its own pages, in a PTE-table page of its own",
	.question = "Split PTE locks (2.6.15): do threads faulting their own PTE tables scale "
		    "with split locks, and how much does the mm-wide page_table_lock cost them?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.params = DISTINCT_PARAMS("anon"),
	.headline = FB_HEADLINE("set_pte", "ptl_contended"),
	.plants = DISTINCT_PLANTS,
	.check = distinct_check,
	.setup = disjoint_setup,
	.teardown = distinct_teardown,
	.step = distinct_step,
	.verify = distinct_verify,
};

FB_SCENARIO(dispatch) = {
	.name = "dispatch",
	.description = "fresh faults of one handler kind, each thread in a PTE table of its own",
	.question = "Seed 002: \"nopage first, as it is the most common\": what does each "
		    "handler kind's fault cost under each dispatch order, resolved included?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.params = DISTINCT_PARAMS("nopage"),
	.headline = FB_HEADLINE("set_pte", "page_ref_get"),
	.plants = DISTINCT_PLANTS,
	.check = distinct_check,
	.setup = disjoint_setup,
	.teardown = distinct_teardown,
	.step = distinct_step,
	.verify = distinct_verify,
};
