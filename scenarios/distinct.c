// SPDX-License-Identifier: GPL-2.0-only
/*
 * same-table and disjoint: T threads fault distinct addresses, so no two
 * faults ever race for one PTE; the only thing they can share is the lock
 * that guards the entries.  Each thread writes the `pages` pages of its own
 * slice of private anonymous memory one by one, and when it has faulted them
 * all zaps its slice and starts over (will-it-scale's page_fault1).
 *
 *   same-table: the slices lie side by side in one PTE-table page
 *     0x40000000 | t0: pages | t1: pages | ... |        (T * pages <= 512)
 *   disjoint: each slice starts its own PTE-table page (and its own PTL)
 *     0x40000000 + t * PMD_SIZE | t: pages |
 *
 * Under granularity=split, same-table threads share one PTL and disjoint
 * threads share none; under granularity=mm both share page_table_lock.  The
 * difference between the four is what split PTE locks buy.
 *
 * The accounting (verify), for F faults (the operations): every fault finds
 * its PTE empty, since only its own thread faults it and that thread zapped
 * it first: faults.minor == handler_calls.anon == set_pte == F, and no
 * replace, recheck or precheck loss, no other handler, no failed fault.  At
 * verify time M PTEs of the layout are present (each thread's slice up to
 * where it stopped); each holds the one reference its page was allocated
 * with: page_ref_get - page_ref_put == M, and the frames in use are setup's
 * plus M.
 */
#include <stdio.h>
#include <stdlib.h>

#include <faultbench/scenario.h>

#define DISTINCT_BASE 0x40000000UL /* PMD aligned */

/* One thread's place in its slice, on its own line: the step writes it. */
struct distinct_slot {
	unsigned long next;
} __attribute__((aligned(FC_CACHELINE)));

struct distinct {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned long pages;  /* per thread */
	unsigned long stride; /* from one thread's slice to the next */
	unsigned long frames; /* in use after setup */
	bool skip_zap;	      /* a fault a test plants */
	struct distinct_slot slot[];
};

static void distinct_teardown(struct fb_ctx *ctx)
{
	free(ctx->priv);
}

static int distinct_setup(struct fb_ctx *ctx, unsigned long stride, char *err, size_t errlen)
{
	unsigned long pages = (unsigned long)fb_param_long(ctx, "pages");
	unsigned long nthreads = (unsigned long)ctx->nthreads;
	struct fc_phys_config pc = { .nr_ram = pages * nthreads + 4096 };
	struct distinct *d;

	if (!stride)
		stride = pages * PAGE_SIZE;
	if (stride == pages * PAGE_SIZE && pages * nthreads > PTRS_PER_TABLE) {
		snprintf(err, errlen, "same-table: %lu threads of %lu pages overflow one PTE table",
			 nthreads, pages);
		return -1;
	}
	d = aligned_alloc(FC_CACHELINE, sizeof(*d) + nthreads * sizeof(d->slot[0]));
	ctx->priv = d;
	if (!d || fb_model_create(ctx, &pc, err, errlen))
		return -1;
	*d = (struct distinct){ .mm = ctx->mm, .pages = pages, .stride = stride };
	for (unsigned long i = 0; i < nthreads; i++)
		d->slot[i].next = 0;
	d->skip_zap = fb_planted(ctx, "skip-zap");
	d->vma = fc_mmap(ctx->mm, DISTINCT_BASE, stride * nthreads, VM_WRITE, NULL, NULL, 0);
	if (!d->vma) {
		snprintf(err, errlen, "%s: cannot map the slices", ctx->sc->name);
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
		handle_mm_fault(d->mm, base + slot->next++ * PAGE_SIZE, FAULT_FLAG_WRITE);
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
	struct distinct *d = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t mapped = distinct_mapped(ctx, d);

	return mm_verify(d->mm, err, errlen) ||
	       fb_expect_counters(t, "faults.minor handler_calls.anon set_pte", t->iterations, err,
				  errlen) ||
	       fb_expect_counters(t,
				  "set_pte_replace recheck_lost precheck_lost faults.major "
				  "faults.sigbus faults.sigsegv faults.oom faults.nopage "
				  "handler_calls.nopage handler_calls.nopfn handler_calls.fault "
				  "handler_calls.wp bug bad_pte bad_pfn",
				  0, err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET] - v[FC_STAT_PAGE_REF_PUT], mapped,
			 "page_ref_get - page_ref_put == PTEs present", err, errlen) ||
	       fb_expect(fc_phys_pages_in_use(ctx->phys), d->frames + mapped,
			 "frames in use == setup's + PTEs present", err, errlen);
}

static const struct fb_param distinct_params[] = {
	{ .name = "pages",
	  .type = FB_PARAM_INT,
	  .def = "16",
	  .min = 1,
	  .max = PTRS_PER_TABLE,
	  .help = "pages in each thread's slice, faulted in turn and then zapped; same-table "
		  "needs threads * pages <= 512" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

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
	.params = distinct_params,
	.headline = FB_HEADLINE("set_pte", "ptl_contended"),
	.floor = "floor", /* op=cycle: one lock line shared by every thread */
	.plants = DISTINCT_PLANTS,
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
	.params = distinct_params,
	.headline = FB_HEADLINE("set_pte", "ptl_contended"),
	.plants = DISTINCT_PLANTS,
	.setup = disjoint_setup,
	.teardown = distinct_teardown,
	.step = distinct_step,
	.verify = distinct_verify,
};
