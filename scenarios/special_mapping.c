// SPDX-License-Identifier: GPL-2.0-only
/*
 * special-mapping (seed 003): a vdso-like special mapping of `pages` driver
 * pages, served either by its .pages array (source=pages) or by its ->fault
 * (source=fault).  Each thread has a mapping of its own over the same pages
 * (as every process maps the one vdso) and, per operation, faults the page
 * at `pgoff` and zaps it again.  special_mapping_fault does not know how
 * long .pages is, so it walks the array to pgoff: the cost grows with pgoff.
 * ->fault indexes its own array: flat.
 *
 *   0x40000000 + t * PMD_SIZE | t: pages ... [pgoff] ... |
 *
 * The accounting (verify), for F operations: each fault finds its PTE empty
 * (its own thread zapped it), so faults.minor == handler_calls.fault ==
 * set_pte == F, and no replace, loss, other handler or failed fault.  Each
 * fault takes one reference to the page (get_page in the handler) and its
 * zap drops it: page_ref_get == page_ref_put == F, page[pgoff]'s count is
 * back to setup's, and no PTE is left mapped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define SPM_BASE 0x40000000UL /* PMD aligned */

struct spm {
	struct mm_struct *mm;
	struct vm_special_mapping sm;
	struct page **pages; /* NULL-terminated */
	unsigned long npages, pgoff;
	int count;     /* page[pgoff]'s reference count after setup */
	bool skip_zap; /* a fault a test plants */
};

/* ->fault knows its array's length: one index, whatever the pgoff. */
static vm_fault_t spm_fault(const struct vm_special_mapping *sm, struct vm_area_struct *vma,
			    struct vm_fault *vmf)
{
	struct page *page = sm->pages[vmf->pgoff];

	get_page(page);
	vmf->page = page;
	return 0;
}

static int spm_check(const struct fb_values *v, char *err, size_t errlen)
{
	long pages = strtol(fb_values_get(v, "pages"), NULL, 10);
	long pgoff = strtol(fb_values_get(v, "pgoff"), NULL, 10);

	if (pgoff >= pages) {
		snprintf(err, errlen, "pgoff=%ld is past the mapping's pages=%ld (valid: 0..%ld)",
			 pgoff, pages, pages - 1);
		return -1;
	}
	return 0;
}

static void spm_teardown(struct fb_ctx *ctx)
{
	struct spm *s = ctx->priv;

	if (!s)
		return;
	/* The mappings go first: their PTEs may hold references to the pages. */
	if (s->mm)
		fc_munmap(s->mm, SPM_BASE, (unsigned long)ctx->nthreads * PMD_SIZE);
	for (unsigned long i = 0; s->pages && i < s->npages; i++)
		if (s->pages[i])
			put_page(ctx->phys, s->pages[i]);
	free(s->pages);
	free(s);
}

static int spm_map(struct fb_ctx *ctx, struct spm *s)
{
	s->pages = calloc(s->npages + 1, sizeof(*s->pages));
	if (!s->pages)
		return -1;
	for (unsigned long i = 0; i < s->npages; i++)
		if (!(s->pages[i] = alloc_page(ctx->phys)))
			return -1;
	s->sm = (struct vm_special_mapping){
		.name = "[special]",
		.pages = s->pages,
		.fault = strcmp(fb_param_str(ctx, "source"), "fault") ? NULL : spm_fault,
	};
	for (int t = 0; t < ctx->nthreads; t++)
		if (!_install_special_mapping(s->mm, SPM_BASE + t * PMD_SIZE, s->npages * PAGE_SIZE,
					      0, &s->sm))
			return -1;
	s->count = page_count(s->pages[s->pgoff]);
	return 0;
}

static int spm_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct spm *s = calloc(1, sizeof(*s));
	struct fc_phys_config pc;

	ctx->priv = s;
	if (!s)
		return -1;
	s->npages = (unsigned long)fb_param_long(ctx, "pages");
	s->pgoff = (unsigned long)fb_param_long(ctx, "pgoff");
	s->skip_zap = fb_planted(ctx, "skip-zap");
	pc = (struct fc_phys_config){ .nr_ram = s->npages + 4096 };
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	s->mm = ctx->mm;
	if (spm_map(ctx, s)) {
		snprintf(err, errlen, "special-mapping: cannot map %lu pages", s->npages);
		return -1;
	}
	return 0;
}

static unsigned long spm_step(struct fb_thread *t, unsigned long n)
{
	struct spm *s = t->ctx->priv;
	unsigned long addr = SPM_BASE + (unsigned long)t->tid * PMD_SIZE + s->pgoff * PAGE_SIZE;
	struct vm_area_struct *vma = find_vma(s->mm, addr);

	for (unsigned long i = 0; i < n; i++) {
		handle_mm_fault(s->mm, addr, 0);
		if (!s->skip_zap)
			zap_page_range(vma, addr, PAGE_SIZE);
	}
	return n;
}

static int spm_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct spm *s = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t mapped = 0;

	for (int tid = 0; tid < ctx->nthreads; tid++) {
		pte_t *ptep =
			fc_pte_lookup(s->mm, SPM_BASE + tid * PMD_SIZE + s->pgoff * PAGE_SIZE);

		mapped += ptep && !pte_none(pte_read(ptep));
	}
	return mm_verify(s->mm, err, errlen) ||
	       fb_expect_counters(t, "faults.minor handler_calls.fault set_pte page_ref_get",
				  t->iterations, err, errlen) ||
	       fb_expect_counters(t,
				  "set_pte_replace recheck_lost precheck_lost handler_calls.anon "
				  "handler_calls.nopage handler_calls.nopfn handler_calls.wp "
				  "faults.major faults.nopage faults.sigbus faults.sigsegv "
				  "faults.oom bug bad_pte bad_pfn",
				  0, err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_PUT], t->iterations, "page_ref_put == operations", err,
			 errlen) ||
	       fb_expect(mapped, 0, "PTEs left mapped", err, errlen) ||
	       fb_expect((uint64_t)page_count(s->pages[s->pgoff]), (uint64_t)s->count,
			 "page[pgoff] refcount == setup's", err, errlen);
}

static const struct fb_param spm_params[] = {
	{ .name = "source",
	  .type = FB_PARAM_CHOICE,
	  .def = "pages",
	  .choices = "pages|fault",
	  .help = "what serves the faults: the .pages array, walked to pgoff, or ->fault" },
	{ .name = "pages",
	  .type = FB_PARAM_INT,
	  .def = "64",
	  .min = 1,
	  .max = PTRS_PER_TABLE,
	  .help = "the mapping's length N, the pages in its array" },
	{ .name = "pgoff",
	  .type = FB_PARAM_INT,
	  .def = "0",
	  .min = 0,
	  .max = PTRS_PER_TABLE - 1,
	  .help = "the page faulted, from the mapping's start: below pages" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

FB_SCENARIO(special_mapping) = {
	.name = "special-mapping",
	.description = "each thread faults one page of its own special mapping and zaps it",
	.question = "Seed 003: does a special mapping's ->fault beat walking .pages, and how "
		    "does the walk's cost grow with pgoff?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.params = spm_params,
	.headline = FB_HEADLINE("set_pte", "page_ref_get"),
	.plants = FB_PLANTS({ .name = "skip-zap",
			      .what = "the page is never zapped, so its next fault finds it "
				      "mapped" }),
	.check = spm_check,
	.setup = spm_setup,
	.teardown = spm_teardown,
	.step = spm_step,
	.verify = spm_verify,
};
