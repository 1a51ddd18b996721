// SPDX-License-Identifier: GPL-2.0-only
/*
 * gup: get_user_pages and get_user_pages_fast walking a range beside threads
 * that fault it and zap it (seeds 001, 004).  The threads share one range of
 * `pages` pages in one PTE table:
 *
 *   0x40000000 | pages: walked by the walkers, faulted by the faulters |
 *
 * The first `walkers` threads (half, at least one; one; or all) walk it: an
 * operation pins every page of the range and puts the pins back, as direct
 * I/O does around its transfer.  walker=gup is get_user_pages, which takes
 * the PTL per page and faults in what is missing; walker=gup-fast is the
 * kernel's get_user_pages_fast: the lockless walk, and get_user_pages for the
 * rest of the range from the first entry it refuses (absent, special, zapped
 * under it, or every entry under normal=linear, where it cannot tell a raw
 * pfn from a page).  The other threads fault the range page after page, an
 * operation a fault; the last of them zaps, after every zap_every of its own
 * faults, the window of its last min(zap_every, pages) faults (a
 * madvise(MADV_DONTNEED) of what it just wrote).  What fills the range:
 *
 *   map=anon      private anonymous memory: write faults, FOLL_WRITE walks
 *   map=mixedmap  ->fault, vmf_insert_mixed of a driver's page per page:
 *                 normal pages, refcounted, pinned
 *   map=pfnmap    ->fault, vmf_insert_pfn of the same pages: raw pfns, so
 *                 get_user_pages gives NULL pages (seed 001) and the
 *                 lockless walk refuses every entry (pte_special, seed 004)
 *
 * An operation is a walk or a fault, whichever the thread does: with
 * walkers=all (or one thread) the figures are per walk; with faulters, read
 * gup_pin and gup_raw against each other, and gup_fault (the faults the
 * walks took, those the faulters left undone) against them.
 *
 * The accounting (verify), for W walks, F faulter faults, P pages, Z = the
 * zapper's faults / zap_every zaps of w = min(zap_every, P) pages each, E
 * the entries present at the end, and fallbacks the gup-fast walks whose
 * lockless part stopped short:
 *   - every page walked was pinned or found raw: gup_pin + gup_raw == W * P;
 *     map=pfnmap pins nothing (gup_pin == 0), the others find nothing raw
 *     (gup_raw == 0);
 *   - gup_fast_refused == fallbacks (0 under walker=gup), and == W when no
 *     entry can be pinned locklessly (map=pfnmap, or normal=linear);
 *   - every fault resolved: faults.minor + faults.nopage == F + gup_fault,
 *     and no failed fault, bug, bad pte or pfn, COW or other handler;
 *   - the zapper's window was all present (it faulted it and no one else
 *     zaps): zap_pte == Z * w;
 *   - an entry becomes present only by a store over pte_none and absent only
 *     by a zap: set_pte - set_pte_replace == zap_pte + E;
 *   - every pin was put back: page_ref_get - page_ref_put == E for the maps
 *     of pages (the entries' own references), 0 for pfnmap; mm_verify_set
 *     holds every frame's _refcount to its mappings plus the driver's own
 *     reference on its pages, and the frames in use are setup's, plus E
 *     anonymous pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define GUP_BASE 0x40000000UL /* PMD aligned */

enum gup_map { GUP_ANON, GUP_MIXEDMAP, GUP_PFNMAP, GUP_NR };

static const char *const gup_maps[GUP_NR] = { "anon", "mixedmap", "pfnmap" };

/* One thread's counts, on its own line: only it writes them. */
struct gup_slot {
	uint64_t ops;	     /* walks or faults */
	uint64_t fallbacks;  /* gup-fast walks whose lockless part stopped short */
	unsigned long next;  /* faulters: the next page to fault */
	struct page **pages; /* walkers: the walk's pages */
} __attribute__((aligned(FC_CACHELINE)));

struct gup {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	enum gup_map map;
	bool fast;
	bool leak_pin; /* planted: one pin is never put back */
	bool skip_zap; /* planted: the zapper never zaps */
	unsigned int foll, fault_flags;
	int walkers; /* threads [0, walkers) walk, the rest fault */
	unsigned long pages;
	unsigned long zap_every;
	unsigned long frames;	/* in use after setup */
	struct page **drv;	/* mixedmap, pfnmap: the driver's page for each page */
	unsigned char *drv_pfn; /* by pfn: a driver's page, with its own reference */
	struct page **array;	/* the walkers' pages arrays, walkers * pages */
	struct gup_slot slot[];
};

static struct page *gup_drv(const struct gup *g, unsigned long addr)
{
	return g->drv[(addr - GUP_BASE) >> PAGE_SHIFT];
}

static vm_fault_t gup_fault_mixed(struct vm_fault *vmf)
{
	const struct gup *g = vmf->vma->vm_private_data;

	return vmf_insert_mixed(vmf->vma, vmf->address,
				page_to_pfn(g->mm->phys, gup_drv(g, vmf->address)));
}

static vm_fault_t gup_fault_pfn(struct vm_fault *vmf)
{
	const struct gup *g = vmf->vma->vm_private_data;

	return vmf_insert_pfn(vmf->vma, vmf->address,
			      page_to_pfn(g->mm->phys, gup_drv(g, vmf->address)));
}

static const struct vm_operations_struct gup_ops[GUP_NR] = {
	[GUP_MIXEDMAP] = { .name = "gup-mixedmap", .fault = gup_fault_mixed },
	[GUP_PFNMAP] = { .name = "gup-pfnmap", .fault = gup_fault_pfn },
};

static const unsigned long gup_vm_flags[GUP_NR] = {
	[GUP_ANON] = VM_WRITE,
	[GUP_MIXEDMAP] = VM_SHARED | VM_MIXEDMAP,
	[GUP_PFNMAP] = VM_SHARED | VM_PFNMAP | VM_IO,
};

static void gup_teardown(struct fb_ctx *ctx)
{
	struct gup *g = ctx->priv;

	if (!g)
		return;
	/* The VMA goes first: its PTEs may hold references to the driver's pages. */
	if (g->vma)
		fc_munmap(g->mm, GUP_BASE, g->pages * PAGE_SIZE);
	for (unsigned long i = 0; g->drv && i < g->pages; i++)
		if (g->drv[i])
			put_page(ctx->phys, g->drv[i]);
	free(g->drv);
	free(g->drv_pfn);
	free(g->array);
	free(g);
}

static int gup_walkers(const struct fb_ctx *ctx)
{
	const char *w = fb_param_str(ctx, "walkers");

	if (!strcmp(w, "all"))
		return ctx->nthreads;
	if (!strcmp(w, "one"))
		return 1;
	return ctx->nthreads / 2 ? ctx->nthreads / 2 : 1;
}

static int gup_map(struct fb_ctx *ctx, struct gup *g)
{
	unsigned long nr_ram = fc_phys_config(ctx->phys)->nr_ram;

	if (!(g->array = calloc((size_t)g->walkers * g->pages, sizeof(*g->array))))
		return -1;
	for (int i = 0; i < g->walkers; i++)
		g->slot[i].pages = g->array + (size_t)i * g->pages;
	if (g->map != GUP_ANON) {
		if (!(g->drv = calloc(g->pages, sizeof(*g->drv))) ||
		    !(g->drv_pfn = calloc(nr_ram, sizeof(*g->drv_pfn))))
			return -1;
		for (unsigned long i = 0; i < g->pages; i++) {
			if (!(g->drv[i] = alloc_page(ctx->phys)))
				return -1;
			g->drv_pfn[page_to_pfn(ctx->phys, g->drv[i])] = 1;
		}
	}
	g->vma = fc_mmap(g->mm, GUP_BASE, g->pages * PAGE_SIZE, gup_vm_flags[g->map],
			 g->map == GUP_ANON ? NULL : &gup_ops[g->map], g, 0);
	return g->vma ? 0 : -1;
}

static int gup_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	unsigned long pages = (unsigned long)fb_param_long(ctx, "pages");
	/* Anonymous pages or the driver's, one a page, and the per-thread caches' batches. */
	struct fc_phys_config pc = { .nr_ram = 2 * pages + 4096 };
	size_t size = sizeof(struct gup) + (size_t)ctx->nthreads * sizeof(struct gup_slot);
	struct gup *g = aligned_alloc(FC_CACHELINE, size);

	ctx->priv = g;
	if (!g)
		return -1;
	memset(g, 0, size);
	g->pages = pages;
	g->zap_every = (unsigned long)fb_param_long(ctx, "zap_every");
	g->walkers = gup_walkers(ctx);
	g->fast = !strcmp(fb_param_str(ctx, "walker"), "gup-fast");
	for (int m = 0; m < GUP_NR; m++)
		if (!strcmp(fb_param_str(ctx, "map"), gup_maps[m]))
			g->map = (enum gup_map)m;
	g->foll = g->map == GUP_ANON ? FOLL_WRITE : 0;
	g->fault_flags = g->map == GUP_ANON ? FAULT_FLAG_WRITE : 0;
	g->leak_pin = fb_planted(ctx, "leak-pin");
	g->skip_zap = fb_planted(ctx, "skip-zap");
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	g->mm = ctx->mm;
	if (gup_map(ctx, g)) {
		snprintf(err, errlen, "gup: cannot map %lu pages", pages);
		return -1;
	}
	g->frames = fc_phys_pages_in_use(ctx->phys);
	return 0;
}

/* One walk: pin the range, then put every pin back. */
static void gup_walk(struct gup *g, struct gup_slot *slot)
{
	struct page **pages = slot->pages;
	long n = 0;

	if (g->fast) {
		n = get_user_pages_fast(g->mm, GUP_BASE, g->pages, g->foll, pages);
		if ((unsigned long)n < g->pages)
			slot->fallbacks++;
	}
	if ((unsigned long)n < g->pages)
		n += get_user_pages(g->mm, GUP_BASE + (unsigned long)n * PAGE_SIZE,
				    g->pages - (unsigned long)n, g->foll, pages + n);
	if (g->leak_pin && slot->ops == 0 && pages[0])
		fc_put_pages(g->mm, pages + 1, n - 1);
	else
		fc_put_pages(g->mm, pages, n);
}

/* The zapper: the window of its last min(zap_every, pages) faults, which end at last. */
static void gup_zap(struct gup *g, unsigned long last)
{
	unsigned long w = g->zap_every < g->pages ? g->zap_every : g->pages;

	if (g->skip_zap)
		return;
	if (last + 1 >= w) {
		zap_page_range(g->vma, GUP_BASE + (last + 1 - w) * PAGE_SIZE, w * PAGE_SIZE);
		return;
	}
	zap_page_range(g->vma, GUP_BASE, (last + 1) * PAGE_SIZE);
	zap_page_range(g->vma, GUP_BASE + (g->pages - (w - last - 1)) * PAGE_SIZE,
		       (w - last - 1) * PAGE_SIZE);
}

static unsigned long gup_step(struct fb_thread *t, unsigned long n)
{
	struct gup *g = t->ctx->priv;
	struct gup_slot *slot = &g->slot[t->tid];
	bool zapper = t->tid == t->ctx->nthreads - 1;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long p = slot->next;

		if (t->tid < g->walkers) {
			gup_walk(g, slot);
			slot->ops++;
			continue;
		}
		handle_mm_fault(g->mm, GUP_BASE + p * PAGE_SIZE, g->fault_flags);
		slot->next = p + 1 == g->pages ? 0 : p + 1;
		if (++slot->ops % g->zap_every == 0 && zapper)
			gup_zap(g, p);
	}
	return n;
}

/* The driver's own reference on each of its pages. */
static int gup_driver_refs(struct page *page, void *arg)
{
	const struct gup *g = arg;

	return g->drv_pfn ? g->drv_pfn[page_to_pfn(g->mm->phys, page)] : 0;
}

static uint64_t gup_present(const struct gup *g)
{
	uint64_t present = 0;

	for (unsigned long i = 0; i < g->pages; i++) {
		pte_t *ptep = fc_pte_lookup(g->mm, GUP_BASE + i * PAGE_SIZE);

		present += ptep && pte_present(pte_read(ptep));
	}
	return present;
}

/* The walkers' identities of the top comment: pins, raw entries, refusals. */
static int gup_check_walks(const struct gup *g, const uint64_t *v, uint64_t walks,
			   uint64_t fallbacks, bool unpinnable, char *err, size_t errlen)
{
	return fb_expect(v[FC_STAT_GUP_PIN] + v[FC_STAT_GUP_RAW], walks * g->pages,
			 "gup_pin + gup_raw == walks * pages", err, errlen) ||
	       fb_expect(v[g->map == GUP_PFNMAP ? FC_STAT_GUP_PIN : FC_STAT_GUP_RAW], 0,
			 g->map == GUP_PFNMAP ? "gup_pin of raw pfns" : "gup_raw of pages", err,
			 errlen) ||
	       fb_expect(v[FC_STAT_GUP_FAST_REFUSED], fallbacks,
			 "gup_fast_refused == walks that fell back", err, errlen) ||
	       (g->fast && unpinnable &&
		fb_expect(fallbacks, walks, "lockless walks refused == walks", err, errlen));
}

static int gup_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct gup *g = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t walks = 0, faults = 0, fallbacks = 0, zaps = 0;
	uint64_t present = gup_present(g), held = g->map == GUP_PFNMAP ? 0 : present;
	unsigned long w = g->zap_every < g->pages ? g->zap_every : g->pages;
	bool unpinnable = g->map == GUP_PFNMAP || g->mm->cfg.normal_rule != FC_NORMAL_SPECIAL;

	for (int i = 0; i < ctx->nthreads; i++) {
		*(i < g->walkers ? &walks : &faults) += g->slot[i].ops;
		fallbacks += g->slot[i].fallbacks;
	}
	if (g->walkers < ctx->nthreads)
		zaps = g->slot[ctx->nthreads - 1].ops / g->zap_every;
	return mm_verify_set(&g->mm, 1, gup_driver_refs, g, err, errlen) ||
	       gup_check_walks(g, v, walks, fallbacks, unpinnable, err, errlen) ||
	       fb_expect(v[FC_STAT_FAULTS_MINOR] + v[FC_STAT_FAULTS_NOPAGE],
			 faults + v[FC_STAT_GUP_FAULT], "faults resolved == faults + gup_fault",
			 err, errlen) ||
	       fb_expect_counters(t,
				  "faults.major faults.sigbus faults.sigsegv faults.oom bug "
				  "bad_pte bad_pfn cow_copy handler_calls.wp handler_calls.nopage "
				  "handler_calls.nopfn",
				  0, err, errlen) ||
	       fb_expect(v[g->map == GUP_ANON ? FC_STAT_HANDLER_FAULT : FC_STAT_HANDLER_ANON], 0,
			 "calls to another handler", err, errlen) ||
	       fb_expect(v[FC_STAT_ZAP_PTE], zaps * w,
			 "zap_pte == zapper's faults / zap_every * min(zap_every, pages)", err,
			 errlen) ||
	       fb_expect(v[FC_STAT_SET_PTE] - v[FC_STAT_SET_PTE_REPLACE],
			 v[FC_STAT_ZAP_PTE] + present,
			 "set_pte - set_pte_replace == zap_pte + present at the end", err,
			 errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET] - v[FC_STAT_PAGE_REF_PUT], held,
			 "page_ref_get - page_ref_put == the entries' references", err, errlen) ||
	       fb_expect(fc_phys_pages_in_use(ctx->phys),
			 g->frames + (g->map == GUP_ANON ? present : 0),
			 "frames in use == setup's + the anonymous pages mapped", err, errlen);
}

static const struct fb_param gup_params[] = {
	{ .name = "walker",
	  .type = FB_PARAM_CHOICE,
	  .def = "gup",
	  .choices = "gup|gup-fast",
	  .help = "get_user_pages (the PTL per page, faulting in what is missing), or "
		  "get_user_pages_fast (lockless, falling back to get_user_pages where it "
		  "refuses an entry)" },
	{ .name = "map",
	  .type = FB_PARAM_CHOICE,
	  .def = "anon",
	  .choices = "anon|mixedmap|pfnmap",
	  .help = "what fills the range: private anonymous memory, a driver's pages by "
		  "vmf_insert_mixed (refcounted), or the same pages as raw pfns by "
		  "vmf_insert_pfn (VM_PFNMAP)" },
	{ .name = "walkers",
	  .type = FB_PARAM_CHOICE,
	  .def = "half",
	  .choices = "half|one|all",
	  .help = "the threads that walk: half of them (at least one), one, or all; the "
		  "others fault the range, and the last of them zaps it" },
	{ .name = "pages",
	  .type = FB_PARAM_INT,
	  .def = "16",
	  .min = 1,
	  .max = PTRS_PER_TABLE,
	  .help = "the range every walk pins and the faulters fault, in one PTE table" },
	{ .name = "zap_every",
	  .type = FB_PARAM_INT,
	  .def = "16",
	  .min = 1,
	  .max = 1000000000,
	  .help = "the last faulter zaps the window of its last min(N, pages) faults after "
		  "every N of them" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

FB_SCENARIO(gup) = {
	.name = "gup",
	.description = "threads pin a range with get_user_pages or get_user_pages_fast while "
		       "others fault it and zap it",
	.question = "Seeds 001, 004: what does a get_user_pages walk cost beside faults and "
		    "zaps, how often does the lockless walk fall back, and what does it find "
		    "of raw pfns?",
	.shape = FB_SHAPE_DURATION,
	.unit = "op",
	.params = gup_params,
	.headline = FB_HEADLINE("gup_pin", "gup_raw", "gup_fast_refused", "gup_fault"),
	.plants = FB_PLANTS({ .name = "leak-pin",
			      .what = "a walker's first walk never puts back its first pin" },
			    { .name = "skip-zap",
			      .what = "the zapper never zaps, so the faulters find the range "
				      "mapped" }),
	.setup = gup_setup,
	.teardown = gup_teardown,
	.step = gup_step,
	.verify = gup_verify,
};
