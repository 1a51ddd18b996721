// SPDX-License-Identifier: GPL-2.0-only
/*
 * fork: what fork's page-table copy, copy_page_range, costs per mapping kind
 * and size.  Each thread has a parent process of its own with one VMA of
 * `pages` pages, every one populated in setup, by `kind`:
 *
 *   anon      private anonymous memory the parent wrote: a COW mapping, so
 *             copy_one_pte write-protects the parent's entry, and parent and
 *             child share the page, each with a reference and a mapcount
 *   shared    a VM_SHARED mapping of a driver's pages (->fault): it has no
 *             anon_vma, so copy_page_range copies nothing and the child
 *             faults the pages back when it touches them
 *   pfnmap    remap_pfn_range's raw pfns in a shared VM_PFNMAP: copied,
 *             since they cannot be faulted back, and with no struct page
 *             no reference is taken (seed 001)
 *   mixedmap  a shared VM_MIXEDMAP of vmf_insert_mixed's frames: a driver's
 *             pages (frames=valid), each copy a reference, or device frames
 *             (frames=device), raw (seed 004)
 *
 *   parent t, child t: 0x40000000 | pages |
 *
 * One operation, a `fork`, is one copy_page_range of the range into the
 * child and then the child's exit: a zap_page_range over its copy, as
 * exit's unmap_vmas.  Per page is per fork / pages; `pages=1` against
 * `pages=16` gives the fixed cost and the cost of one more page.
 *
 * The child is fc_mm_fork's, made by its thread before its first phase
 * (thread_init) and zapped: it holds the copy of the parent's VMA (dup_mmap's vm_area_dup)
 * and, once a kind that copies has copied, the PTE table, which a zap
 * keeps.  So a fork here copies into a table the child already has, where
 * the kernel's child allocates its own and exit frees them (free_pgtables):
 * a cost per fork per 512 pages that the figures leave out, as they leave
 * out dup_mmap's VMA copy.
 *
 * Threads: copy_page_range must not run alongside anything else on the
 * same mm (mm.h), so each thread forks its own parent into its own child,
 * and each parent has its own pages and frames, on the shared phys: T
 * threads are T processes forking at once, which share no line in the loop
 * (no frame is allocated or freed there).
 *
 * That first fc_mm_fork is each parent's first fork: for anon it
 * write-protects every entry the parent wrote (a store over a present
 * entry, counted in set_pte_replace).  The forks measured find them
 * read-only, as every fork does after a parent's first until it writes
 * again, so they store nothing to the parent: the write-protect is the
 * first fork's, counted and checked once, not per fork.
 *
 * The accounting (verify), for F forks over all threads of P pages each;
 * C = F * P copies, 0 for shared:
 *   - set_pte == C, every copy into an empty slot of the child (the zap
 *     before emptied it) and no store to the parent: set_pte_replace == 0;
 *   - page_ref_get == C where the copy names a page (anon, mixedmap
 *     frames=valid), 0 for raw pfns and for shared; page_ref_put ==
 *     page_ref_get, the zap putting back each copy's reference;
 *   - no fault, no handler call, no COW, no recheck, no bug, bad pte or bad
 *     pfn, no table allocation race, and no TLB shootdown: the child's
 *     mm_cpumask holds the thread that zaps it alone;
 *   - after the run every child's range is empty and every parent entry is
 *     present, anon's read-only; the first forks write-protected T * P
 *     entries for anon, none for the others; the frames in use are setup's;
 *     and mm_verify_set over every parent and child holds each page's
 *     _refcount to its mappings plus the driver's own reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define FORK_BASE 0x40000000UL /* PMD aligned */
#define FORK_MAX_PAGES (8UL * PTRS_PER_TABLE)

enum fork_kind { FORK_ANON, FORK_SHARED, FORK_PFNMAP, FORK_MIXEDMAP, FORK_NR };

static const char *const fork_kinds[FORK_NR] = { "anon", "shared", "pfnmap", "mixedmap" };

static const unsigned long fork_vm_flags[FORK_NR] = {
	[FORK_ANON] = VM_WRITE,
	[FORK_SHARED] = VM_SHARED | VM_WRITE,
	[FORK_PFNMAP] = VM_SHARED | VM_WRITE,
	[FORK_MIXEDMAP] = VM_SHARED | VM_WRITE | VM_MIXEDMAP,
};

/* One thread's processes, on lines of their own. */
struct fork_proc {
	struct mm_struct *parent; /* thread 0's is ctx's */
	struct mm_struct *child;
	struct vm_area_struct *vma;  /* the parent's */
	struct vm_area_struct *cvma; /* the child's copy of it */
	uint64_t wrprotected;	     /* entries the first fork stored over */
} __attribute__((aligned(FC_CACHELINE)));

struct fork {
	struct fc_phys *phys;
	enum fork_kind kind;
	bool valid;		/* mixedmap frames=valid: the driver's pages */
	bool skip_zap;		/* a fault a test plants */
	unsigned long pages;	/* per parent */
	unsigned long frames;	/* in use after setup */
	struct page **drv;	/* the driver's pages, threads * pages, or NULL */
	unsigned char *drv_pfn; /* by pfn: a driver's page, with its own reference */
	int nproc;		/* the procs set up, for teardown */
	struct fork_proc *proc; /* one per thread */
};

/* shared: the driver's page at pgoff, which numbers every parent's pages in turn. */
static vm_fault_t fork_fault(struct vm_fault *vmf)
{
	const struct fork *f = vmf->vma->vm_private_data;
	struct page *page = f->drv[vmf->pgoff];

	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct fork_ops = { .name = "fork-shared", .fault = fork_fault };

static void fork_teardown(struct fb_ctx *ctx)
{
	struct fork *f = ctx->priv;

	if (!f)
		return;
	/* The mms go first: their PTEs hold references to the driver's pages. */
	for (int i = 0; i < f->nproc; i++) {
		fc_mm_destroy(f->proc[i].child);
		if (f->proc[i].parent == ctx->mm)
			fc_munmap(ctx->mm, FORK_BASE, f->pages * PAGE_SIZE);
		else
			fc_mm_destroy(f->proc[i].parent);
	}
	for (unsigned long i = 0; f->drv && i < f->pages * (unsigned long)ctx->nthreads; i++)
		if (f->drv[i])
			put_page(ctx->phys, f->drv[i]);
	free(f->drv);
	free(f->drv_pfn);
	free(f->proc);
	free(f);
}

/* Populates parent t's range, as its driver or its own writes would. */
static int fork_populate(struct fork *f, struct fork_proc *p, unsigned long first)
{
	const struct fc_phys_config *pc = fc_phys_config(f->phys);

	if (f->kind == FORK_PFNMAP)
		return remap_pfn_range(p->vma, FORK_BASE, fc_dev_pfn(pc, first),
				       f->pages * PAGE_SIZE, p->vma->vm_page_prot);
	for (unsigned long i = 0; i < f->pages; i++) {
		unsigned long addr = FORK_BASE + i * PAGE_SIZE, pfn;

		switch (f->kind) {
		case FORK_ANON:
			if (handle_mm_fault(p->parent, addr, FAULT_FLAG_WRITE))
				return -1;
			break;
		case FORK_SHARED:
			if (handle_mm_fault(p->parent, addr, 0))
				return -1;
			break;
		default:
			pfn = f->valid ? page_to_pfn(f->phys, f->drv[first + i])
				       : fc_dev_pfn(pc, first + i);
			if (vmf_insert_mixed(p->vma, addr, pfn) != VM_FAULT_NOPAGE)
				return -1;
		}
	}
	return 0;
}

/* Thread t's parent, with its VMA populated. */
static int fork_parent_setup(struct fb_ctx *ctx, struct fork *f, int t)
{
	struct fork_proc *p = &f->proc[t];
	struct fc_mm_config cfg = ctx->mm->cfg;
	unsigned long first = (unsigned long)t * f->pages;

	cfg.handler_auto = false; /* ctx->mm's handler_ns, calibrated once */
	p->parent = t ? fc_mm_create(ctx->phys, &cfg) : ctx->mm;
	f->nproc = t + 1;
	if (!p->parent)
		return -1;
	p->vma = fc_mmap(p->parent, FORK_BASE, f->pages * PAGE_SIZE, fork_vm_flags[f->kind],
			 f->kind == FORK_SHARED ? &fork_ops : NULL, f, first);
	return p->vma ? fork_populate(f, p, first) : -1;
}

/*
 * The parent's first fork, in the thread that forks it from then on, so
 * that the child's mm_cpumask holds that thread alone and its zaps shoot
 * down no other (setup's thread never looks at a child).  Once a run: the
 * runner keeps its threads for every phase.  Before the phase's counters
 * start, so its write-protects are counted here.
 */
static int fork_thread_init(struct fb_thread *t)
{
	const struct fork *f = t->ctx->priv;
	struct fork_proc *p = &f->proc[t->tid];
	struct fc_stats before, after;

	if (p->child)
		return 0;
	fc_stats_read(&before);
	p->child = fc_mm_fork(p->parent);
	fc_stats_read(&after);
	if (!p->child || !(p->cvma = find_vma(p->child, FORK_BASE))) {
		fc_mm_destroy(p->child);
		p->child = NULL;
		return -1;
	}
	p->wrprotected = after.v[FC_STAT_SET_PTE_REPLACE] - before.v[FC_STAT_SET_PTE_REPLACE];
	zap_page_range(p->cvma, FORK_BASE, f->pages * PAGE_SIZE);
	return 0;
}

/* The driver's pages, for the kinds that map them, and each thread's parent. */
static int fork_build(struct fb_ctx *ctx, struct fork *f, unsigned long n)
{
	unsigned long nproc = (unsigned long)ctx->nthreads;

	if (!(f->proc = aligned_alloc(FC_CACHELINE, nproc * sizeof(*f->proc))))
		return -1;
	memset(f->proc, 0, nproc * sizeof(*f->proc));
	if (f->kind == FORK_SHARED || (f->kind == FORK_MIXEDMAP && f->valid)) {
		if (!(f->drv = calloc(n, sizeof(*f->drv))) ||
		    !(f->drv_pfn = calloc(fc_phys_config(f->phys)->nr_ram, sizeof(*f->drv_pfn))))
			return -1;
		for (unsigned long i = 0; i < n; i++) {
			if (!(f->drv[i] = alloc_page(f->phys)))
				return -1;
			f->drv_pfn[page_to_pfn(f->phys, f->drv[i])] = 1;
		}
	}
	for (int t = 0; t < ctx->nthreads; t++)
		if (fork_parent_setup(ctx, f, t))
			return -1;
	return 0;
}

static int fork_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct fork *f = calloc(1, sizeof(*f));
	struct fc_phys_config pc;
	unsigned long n;

	ctx->priv = f;
	if (!f)
		return -1;
	f->pages = (unsigned long)fb_param_long(ctx, "pages");
	for (int k = 0; k < FORK_NR; k++)
		if (!strcmp(fb_param_str(ctx, "kind"), fork_kinds[k]))
			f->kind = (enum fork_kind)k;
	f->valid = !strcmp(fb_param_str(ctx, "frames"), "valid");
	f->skip_zap = fb_planted(ctx, "skip-zap");
	n = f->pages * (unsigned long)ctx->nthreads;
	/* Every parent's pages (anonymous or the driver's), device frames, the caches' batches. */
	pc = (struct fc_phys_config){ .nr_ram = n + 4096, .nr_dev = n };
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	f->phys = ctx->phys;
	if (fork_build(ctx, f, n)) {
		snprintf(err, errlen, "fork: cannot set up %d parents of %lu %s pages",
			 ctx->nthreads, f->pages, fork_kinds[f->kind]);
		return -1;
	}
	f->frames = fc_phys_pages_in_use(ctx->phys);
	return 0;
}

static unsigned long fork_step(struct fb_thread *t, unsigned long n)
{
	const struct fork *f = t->ctx->priv;
	const struct fork_proc *p = &f->proc[t->tid];

	if (!p->child) { /* thread_init could not fork: verify says so */
		fc_count(FC_STAT_BUG);
		return n;
	}
	for (unsigned long i = 0; i < n; i++) {
		if (copy_page_range(p->child, p->parent, p->vma))
			fc_count(FC_STAT_BUG); /* verify fails on it */
		if (!f->skip_zap)
			zap_page_range(p->cvma, FORK_BASE, f->pages * PAGE_SIZE);
	}
	return n;
}

/* The driver's own reference on each of its pages. */
static int fork_driver_refs(struct page *page, void *arg)
{
	const struct fork *f = arg;

	return f->drv_pfn && f->drv_pfn[page_to_pfn(f->phys, page)];
}

/* Child entries left mapped, and parent entries not as setup left them. */
static uint64_t fork_leftover(const struct fork *f)
{
	uint64_t left = 0;

	for (int t = 0; t < f->nproc; t++)
		for (unsigned long i = 0; i < f->pages; i++) {
			unsigned long addr = FORK_BASE + i * PAGE_SIZE;
			pte_t *c = fc_pte_lookup(f->proc[t].child, addr);
			pte_t *p = fc_pte_lookup(f->proc[t].parent, addr);

			left += c && !pte_none(pte_read(c));
			left += !p || !pte_present(pte_read(p)) ||
				(f->kind == FORK_ANON && pte_write(pte_read(p)));
		}
	return left;
}

static int fork_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct fork *f = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t copies = f->kind == FORK_SHARED ? 0 : t->iterations * f->pages;
	bool page = f->kind == FORK_ANON || (f->kind == FORK_MIXEDMAP && f->valid);
	struct mm_struct **mms = calloc(2 * (size_t)f->nproc, sizeof(*mms));
	uint64_t wrprotected = 0;
	int bad;

	if (!mms) {
		snprintf(err, errlen, "fork: out of memory to verify");
		return -1;
	}
	for (int i = 0; i < f->nproc; i++) {
		if (!f->proc[i].child) {
			snprintf(err, errlen, "fork: thread %d could not fork its parent", i);
			free(mms);
			return -1;
		}
		mms[2 * i] = f->proc[i].parent;
		mms[2 * i + 1] = f->proc[i].child;
		wrprotected += f->proc[i].wrprotected;
	}
	bad = mm_verify_set(mms, 2 * (size_t)f->nproc, fork_driver_refs, f, err, errlen);
	free(mms);
	return bad || fb_expect_counters(t, "set_pte", copies, err, errlen) ||
	       fb_expect_counters(t,
				  "set_pte_replace faults.minor faults.major faults.sigbus "
				  "faults.sigsegv faults.oom faults.nopage handler_calls.anon "
				  "handler_calls.nopage handler_calls.nopfn handler_calls.fault "
				  "handler_calls.wp recheck_lost precheck_lost spurious cow_copy "
				  "cow_reuse cow_zero_fill pte_alloc_lost bug bad_pte bad_pfn "
				  "tlb_shootdown",
				  0, err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET], page ? copies : 0,
			 "page_ref_get == the copies that name a page", err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_PUT], v[FC_STAT_PAGE_REF_GET],
			 "page_ref_put == page_ref_get", err, errlen) ||
	       fb_expect(fork_leftover(f), 0,
			 "child entries left mapped, or parent entries not as setup left them", err,
			 errlen) ||
	       fb_expect(wrprotected, f->kind == FORK_ANON ? f->pages * (uint64_t)f->nproc : 0,
			 "entries the first forks write-protected", err, errlen) ||
	       fb_expect(fc_phys_pages_in_use(ctx->phys), f->frames, "frames in use == setup's",
			 err, errlen);
}

static const struct fb_param fork_params[] = {
	{ .name = "kind",
	  .type = FB_PARAM_CHOICE,
	  .def = "anon",
	  .choices = "anon|shared|pfnmap|mixedmap",
	  .help = "what the parent maps: written anonymous memory (COW), a shared driver "
		  "mapping (not copied), raw pfns in VM_PFNMAP, or VM_MIXEDMAP frames" },
	{ .name = "pages",
	  .type = FB_PARAM_INT,
	  .def = "16",
	  .min = 1,
	  .max = FORK_MAX_PAGES,
	  .help = "the populated pages N of the parent's VMA, which each fork copies" },
	{ .name = "frames",
	  .type = FB_PARAM_CHOICE,
	  .def = "valid",
	  .choices = "valid|device",
	  .help = "kind=mixedmap: a driver's pfn_valid pages (refcounted) or device frames "
		  "with no struct page" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

FB_SCENARIO(fork_scenario) = {
	.name = "fork",
	.description = "each thread forks a parent of its own: copy_page_range of one "
		       "populated VMA into a child, then the child's zap",
	.question = "What does fork's page-table copy cost per page, per mapping kind (COW "
		    "anonymous, shared, VM_PFNMAP, VM_MIXEDMAP)?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fork",
	.params = fork_params,
	.headline = FB_HEADLINE("set_pte", "page_ref_get"),
	.plants = FB_PLANTS({ .name = "skip-zap",
			      .what = "the child never exits, so the next fork copies over its "
				      "entries" }),
	.setup = fork_setup,
	.teardown = fork_teardown,
	.thread_init = fork_thread_init,
	.step = fork_step,
	.verify = fork_verify,
};
