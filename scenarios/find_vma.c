// SPDX-License-Identifier: GPL-2.0-only
/*
 * find-vma: the lookup every fault starts with, against the number of VMAs
 * in the mm.  The mm holds `vmas` VMAs of 4 pages, 8 pages apart (a hole of
 * 4 pages after each, so no two merge), and each thread calls find_vma():
 *
 *   lookup=next    on the 4 pages of one VMA in turn (thread t's is VMA
 *                  t % vmas): the per-thread vmacache hit that a stream of
 *                  faults on one mapping takes
 *   lookup=random  on a page of a random VMA each time, drawn by a xorshift
 *                  of the thread's seed inside the step (a few instructions,
 *                  the same for any vmas): the B+tree search, 16 keys a node
 *
 *   0x100000000 + i * 8 pages | VMA i: 4 pages | hole: 4 pages |
 *
 * The ratio of vmas=10000 to vmas=10 is what the tree buys: a binary search
 * over 10,000 VMAs takes 14 dependent steps, the tree 4 levels.
 *
 * The accounting (verify), for L lookups (the operations): every lookup
 * found a VMA (which one is the core tests' to check), so the threads' found
 * counts sum to L; find_vma faults nothing and stores nothing, so every fault and PTE
 * counter is 0; mm_verify holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define FIND_BASE 0x100000000UL
#define FIND_PAGES 4 /* per VMA; as many again of hole after it */
#define FIND_STRIDE (2 * FIND_PAGES * PAGE_SIZE)

struct find_slot {
	uint64_t found;
} __attribute__((aligned(FC_CACHELINE)));

struct find_lookups {
	unsigned long vmas;
	bool random;
	bool hole; /* a fault a test plants: look in the hole after the VMA */
	struct find_slot slot[];
};

static int find_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	unsigned long vmas = (unsigned long)fb_param_long(ctx, "vmas");
	size_t size = sizeof(struct find_lookups) + ctx->nthreads * sizeof(struct find_slot);
	struct fc_phys_config pc = { .nr_ram = 64 };
	struct find_lookups *f = aligned_alloc(FC_CACHELINE, size);

	ctx->priv = f;
	if (!f)
		return -1;
	memset(f, 0, size);
	f->vmas = vmas;
	f->random = !strcmp(fb_param_str(ctx, "lookup"), "random");
	f->hole = fb_planted(ctx, "hole");
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	for (unsigned long i = 0; i < vmas; i++)
		if (!fc_mmap(ctx->mm, FIND_BASE + i * FIND_STRIDE, FIND_PAGES * PAGE_SIZE,
			     VM_SHARED | VM_PFNMAP | VM_IO, NULL, NULL, 0)) {
			snprintf(err, errlen, "find-vma: cannot map VMA %lu of %lu", i, vmas);
			return -1;
		}
	return 0;
}

static void find_teardown(struct fb_ctx *ctx)
{
	free(ctx->priv);
}

/* xorshift64: the next draw of the thread's sequence. */
static inline uint64_t find_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static unsigned long find_step(struct fb_thread *t, unsigned long n)
{
	struct find_lookups *f = t->ctx->priv;
	struct mm_struct *mm = t->ctx->mm;
	unsigned long off = f->hole ? FIND_PAGES * PAGE_SIZE : 0;
	unsigned long vma = (unsigned long)t->tid % f->vmas, page = 0;
	uint64_t x = t->rng | 1, found = 0;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long addr;

		if (f->random) {
			uint64_t r = find_next(&x);

			/* The VMA by multiply-shift, not a division; the page from the low bits. */
			vma = (unsigned long)(((unsigned __int128)r * f->vmas) >> 64);
			page = r & (FIND_PAGES - 1);
		} else {
			page = (page + 1) & (FIND_PAGES - 1);
		}
		addr = FIND_BASE + vma * FIND_STRIDE + page * PAGE_SIZE + off;
		/* Not the VMA's bounds: reading them adds a miss find_vma does not take. */
		found += find_vma(mm, addr) != NULL;
	}
	t->rng = x;
	f->slot[t->tid].found += found;
	return n;
}

static int find_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	const struct find_lookups *f = ctx->priv;
	uint64_t found = 0;

	for (int i = 0; i < ctx->nthreads; i++)
		found += f->slot[i].found;
	return mm_verify(ctx->mm, err, errlen) ||
	       fb_expect(found, t->iterations, "lookups that found their VMA == lookups", err,
			 errlen) ||
	       fb_expect_counters(t,
				  "faults.minor faults.major faults.sigbus faults.sigsegv "
				  "faults.nopage set_pte page_ref_get bug",
				  0, err, errlen);
}

static const struct fb_param find_params[] = {
	{ .name = "vmas",
	  .type = FB_PARAM_INT,
	  .def = "10",
	  .min = 1,
	  .max = 1000000,
	  .help = "VMAs in the mm, 4 pages each with a 4-page hole after it" },
	{ .name = "lookup",
	  .type = FB_PARAM_CHOICE,
	  .def = "random",
	  .choices = "next|random",
	  .help = "next: the pages of one VMA in turn (vmacache hits); random: a random VMA "
		  "each time (the tree search)" },
	{ .name = NULL },
};

FB_SCENARIO(find_vma_lookups) = {
	.name = "find-vma",
	.description = "threads look up VMAs in an mm of `vmas`, the next page or a random VMA",
	.question = "What does the VMA lookup every fault starts with cost as the mm grows from "
		    "10 to 10,000 VMAs, on a vmacache hit and on a miss?",
	.shape = FB_SHAPE_DURATION,
	.unit = "lookup",
	.params = find_params,
	.plants = FB_PLANTS({ .name = "hole",
			      .what = "every lookup is of the hole after its VMA, so none finds "
				      "one" }),
	.setup = find_setup,
	.teardown = find_teardown,
	.step = find_step,
	.verify = find_verify,
};
