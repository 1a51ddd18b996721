// SPDX-License-Identifier: GPL-2.0-only
/*
 * cow: write faults on private mappings, in lockstep rounds.  Each round
 * every thread writes one page that is mapped read-only, and do_wp_page
 * copies it (seed 001: cow_user_page).  The page is `kind`:
 *
 *   anon      anonymous memory after fork: the parent wrote it, fork
 *             write-protected it on both sides, and the child writes it
 *   pfnmap    a raw device pfn in a private VM_PFNMAP (remap_pfn_range):
 *             no struct page, so the copy reads the frame's bytes
 *   mixedmap  a private VM_MIXEDMAP frame from vmf_insert_mixed: a driver
 *             page (frames=valid, refcounted) or a device frame (raw)
 *
 * With share=one every thread writes the same page: one COW wins, the
 * others lose the pte_same recheck (in do_wp_page or before it) or find the
 * copy done, a spurious fault.  With share=own each thread writes its own.
 * Each page sits in a one-page VMA in a PTE table of its own, and the last
 * thread to finish a round re-arms every page, the others waiting: it zaps
 * the copy and maps the original again (copy_page_range from the parent,
 * remap_pfn_range, vmf_insert_mixed).
 *
 *   0x40000000 + i * PMD_SIZE | page i | (i < T under own, i == 0 under one)
 *
 * The accounting (verify), for R rounds of T threads over P pages (P == T
 * under own, 1 under one), F = R * T faults:
 *   - every fault is minor and ends in one of three ways: cow_copy ==
 *     R * P, and cow_copy + recheck_lost + spurious == F (under own, no
 *     loss and no spurious fault); never a reuse or a zero fill;
 *   - do_wp_page is called by the copies and the losers inside it:
 *     cow_copy <= handler_calls.wp <= cow_copy + recheck_lost;
 *   - set_pte == 2 * R * P, the copies and the re-arm, and set_pte_replace
 *     == R * P, the copies over the read-only entries;
 *   - every call of do_wp_page allocates a page (a reference taken), which
 *     is freed by the end of its round, and where the original is a page
 *     takes a reference on it, as each re-arm does for its mapping:
 *     page_ref_get == handler_calls.wp (2 * handler_calls.wp + R * P where
 *     the original is a page), and page_ref_put == page_ref_get;
 *   - the frames in use are setup's, and mm_verify_set over the mms holds
 *     every page's _refcount to its mappings (plus the driver's own).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define COW_BASE 0x40000000UL /* PMD aligned */

enum cow_kind { COW_ANON, COW_PFNMAP, COW_MIXEDMAP, COW_NR };

static const char *const cow_kinds[COW_NR] = { "anon", "pfnmap", "mixedmap" };

static const unsigned long cow_vm_flags[COW_NR] = {
	[COW_ANON] = VM_WRITE,
	[COW_PFNMAP] = VM_WRITE,
	[COW_MIXEDMAP] = VM_WRITE | VM_MIXEDMAP,
};

struct cow {
	struct mm_struct *parent; /* ctx's: holds the originals */
	struct mm_struct *mm;	  /* where the threads write: the child for anon */
	enum cow_kind kind;
	bool own;
	bool skip_rearm;	     /* a fault a test plants */
	unsigned long nr;	     /* pages, one a VMA */
	unsigned long frames;	     /* in use after setup */
	struct page **drv;	     /* mixedmap frames=valid: the driver's pages */
	struct vm_area_struct **vma; /* in parent, the originals' */
};

static unsigned long cow_addr(unsigned long i)
{
	return COW_BASE + i * PMD_SIZE;
}

/* Page i's original frame, for pfnmap and mixedmap. */
static unsigned long cow_pfn(const struct cow *c, unsigned long i)
{
	if (c->drv)
		return page_to_pfn(c->parent->phys, c->drv[i]);
	return fc_dev_pfn(fc_phys_config(c->parent->phys), i);
}

/* Maps page i's original, read-only: 0, or -1. */
static int cow_arm(struct cow *c, unsigned long i)
{
	struct vm_area_struct *vma = c->vma[i];

	switch (c->kind) {
	case COW_ANON:
		return copy_page_range(c->mm, c->parent, vma);
	case COW_PFNMAP:
		return remap_pfn_range(vma, vma->vm_start, cow_pfn(c, i), PAGE_SIZE,
				       vma->vm_page_prot);
	default:
		return vmf_insert_mixed(vma, vma->vm_start, cow_pfn(c, i)) == VM_FAULT_NOPAGE ? 0
											      : -1;
	}
}

static void cow_teardown(struct fb_ctx *ctx)
{
	struct cow *c = ctx->priv;

	if (!c)
		return;
	if (c->mm != c->parent)
		fc_mm_destroy(c->mm);
	/* The VMAs go first: their PTEs hold references to the driver's pages. */
	if (c->parent)
		fc_munmap(c->parent, COW_BASE, c->nr * PMD_SIZE);
	for (unsigned long i = 0; c->drv && i < c->nr; i++)
		if (c->drv[i])
			put_page(ctx->phys, c->drv[i]);
	free(c->drv);
	free(c->vma);
	free(c);
}

/* The originals in the parent; for anon, written and then forked. */
static int cow_map(struct fb_ctx *ctx, struct cow *c)
{
	bool valid = c->kind == COW_MIXEDMAP && !strcmp(fb_param_str(ctx, "frames"), "valid");

	if (!(c->vma = calloc(c->nr, sizeof(*c->vma))) ||
	    (valid && !(c->drv = calloc(c->nr, sizeof(*c->drv)))))
		return -1;
	for (unsigned long i = 0; i < c->nr; i++) {
		c->vma[i] = fc_mmap(c->parent, cow_addr(i), PAGE_SIZE, cow_vm_flags[c->kind], NULL,
				    NULL, 0);
		if (!c->vma[i] || (valid && !(c->drv[i] = alloc_page(ctx->phys))))
			return -1;
		if (c->kind == COW_ANON
			    ? handle_mm_fault(c->parent, cow_addr(i), FAULT_FLAG_WRITE) != 0
			    : cow_arm(c, i) != 0)
			return -1;
	}
	if (c->kind == COW_ANON && !(c->mm = fc_mm_fork(c->parent)))
		return -1;
	return 0;
}

static int cow_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct cow *c = calloc(1, sizeof(*c));
	struct fc_phys_config pc;

	ctx->priv = c;
	if (!c)
		return -1;
	for (int k = 0; k < COW_NR; k++)
		if (!strcmp(fb_param_str(ctx, "kind"), cow_kinds[k]))
			c->kind = (enum cow_kind)k;
	c->own = !strcmp(fb_param_str(ctx, "share"), "own");
	c->nr = c->own ? (unsigned long)ctx->nthreads : 1;
	c->skip_rearm = fb_planted(ctx, "skip-rearm");
	/* Per page: its original and a copy, and the per-thread caches' batches. */
	pc = (struct fc_phys_config){ .nr_ram = 2 * c->nr + 4096, .nr_dev = c->nr };
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	c->parent = c->mm = ctx->mm;
	if (cow_map(ctx, c)) {
		snprintf(err, errlen, "cow: cannot map %lu %s pages", c->nr, cow_kinds[c->kind]);
		return -1;
	}
	c->frames = fc_phys_pages_in_use(ctx->phys);
	return 0;
}

static unsigned long cow_step(struct fb_thread *t, unsigned long n)
{
	const struct cow *c = t->ctx->priv;

	handle_mm_fault(c->mm, cow_addr(c->own ? (unsigned long)t->tid : 0), FAULT_FLAG_WRITE);
	return 1;
}

/* Zaps each copy and maps its original again. */
static void cow_rearm(struct fb_ctx *ctx)
{
	struct cow *c = ctx->priv;

	if (c->skip_rearm)
		return;
	for (unsigned long i = 0; i < c->nr; i++) {
		zap_page_range(find_vma(c->mm, cow_addr(i)), cow_addr(i), PAGE_SIZE);
		if (cow_arm(c, i))
			fc_count(FC_STAT_BUG); /* verify fails on it */
	}
}

/* The driver's own reference on each of its pages. */
static int cow_driver_refs(struct page *page, void *arg)
{
	const struct cow *c = arg;

	for (unsigned long i = 0; c->drv && i < c->nr; i++)
		if (c->drv[i] == page)
			return 1;
	return 0;
}

static int cow_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct cow *c = ctx->priv;
	const uint64_t *v = t->stats.v;
	struct mm_struct *mms[2] = { c->parent, c->mm };
	uint64_t rounds = t->iterations, faults = rounds * (uint64_t)ctx->nthreads;
	uint64_t copies = rounds * c->nr, wp = v[FC_STAT_HANDLER_WP];
	bool page = c->kind == COW_ANON || c->drv;

	if (mm_verify_set(mms, c->mm == c->parent ? 1 : 2, cow_driver_refs, c, err, errlen))
		return -1;
	if (wp < copies || wp > copies + v[FC_STAT_RECHECK_LOST]) {
		snprintf(err, errlen, "handler_calls.wp %llu outside [cow_copy, + recheck_lost]",
			 (unsigned long long)wp);
		return -1;
	}
	return fb_expect(v[FC_STAT_FAULTS_MINOR], faults, "faults.minor == rounds * threads", err,
			 errlen) ||
	       fb_expect_counters(t, "cow_copy", copies, err, errlen) ||
	       fb_expect(v[FC_STAT_COW_COPY] + v[FC_STAT_RECHECK_LOST] + v[FC_STAT_SPURIOUS],
			 faults, "cow_copy + recheck_lost + spurious == faults", err, errlen) ||
	       (c->own && fb_expect_counters(t, "recheck_lost spurious", 0, err, errlen)) ||
	       fb_expect_counters(t,
				  "cow_reuse cow_zero_fill faults.major faults.nopage "
				  "faults.sigbus faults.sigsegv faults.oom bug bad_pte bad_pfn "
				  "handler_calls.anon handler_calls.nopage handler_calls.nopfn "
				  "handler_calls.fault",
				  0, err, errlen) ||
	       fb_expect_counters(t, "set_pte", 2 * copies, err, errlen) ||
	       fb_expect_counters(t, "set_pte_replace", copies, err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET], page ? 2 * wp + copies : wp,
			 "page_ref_get == do_wp_page's (and the re-arm's on pages)", err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_PUT], v[FC_STAT_PAGE_REF_GET],
			 "page_ref_put == page_ref_get", err, errlen) ||
	       fb_expect(fc_phys_pages_in_use(ctx->phys), c->frames, "frames in use == setup's",
			 err, errlen);
}

static const struct fb_param cow_params[] = {
	{ .name = "kind",
	  .type = FB_PARAM_CHOICE,
	  .def = "anon",
	  .choices = "anon|pfnmap|mixedmap",
	  .help = "what is copied: anonymous memory after fork, a raw pfn in a private "
		  "VM_PFNMAP, or a private VM_MIXEDMAP frame" },
	{ .name = "share",
	  .type = FB_PARAM_CHOICE,
	  .def = "one",
	  .choices = "one|own",
	  .help = "one: every thread writes the same page, one COW wins a round; own: each "
		  "thread writes a page of its own" },
	{ .name = "frames",
	  .type = FB_PARAM_CHOICE,
	  .def = "valid",
	  .choices = "valid|device",
	  .help = "kind=mixedmap: a driver's pfn_valid page (refcounted) or a device frame "
		  "with no struct page" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

FB_SCENARIO(cow) = {
	.name = "cow",
	.description = "threads write read-only pages of private mappings, one page or each "
		       "its own, re-armed between rounds",
	.question = "What does a COW fault cost per mapping kind (anonymous after fork, a raw "
		    "pfn, VM_MIXEDMAP), and when threads race to copy one page?",
	.shape = FB_SHAPE_ROUNDS,
	.unit = "round",
	.params = cow_params,
	.headline = FB_HEADLINE("cow_copy", "recheck_lost", "spurious"),
	.floor = "lock-floor",
	.plants = FB_PLANTS({ .name = "skip-rearm",
			      .what = "the rearm leaves the copies in place, so the next round "
				      "copies nothing" }),
	.setup = cow_setup,
	.teardown = cow_teardown,
	.step = cow_step,
	.rearm = cow_rearm,
	.verify = cow_verify,
};
