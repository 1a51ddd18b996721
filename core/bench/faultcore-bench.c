// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultcore-bench: single-thread costs of the model's paths, and the ratios
 * the core is held to, all measured in one run.
 *
 * Method: every figure is a batch of operations between two clock reads
 * (never a clock read per operation), repeated until both MIN_BATCHES
 * batches and MIN_NS of batch time are reached.  The figure is the median
 * batch cost per operation; the spread printed beside it is the coefficient
 * of variation over the batches.  Set-up and tear-down between batches
 * (zaps, forks) are outside the clock.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <faultcore/faultcore.h>

#define BATCH 512 /* one PTE table */
#define MIN_BATCHES 41
#define MIN_NS 150e6
#define MAX_BATCHES 4001
#define BASE 0x10000000UL

struct figure {
	double ns; /* median per operation */
	double cv; /* over the batches */
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Runs prepare (untimed), then op over nops operations (timed), repeatedly.
 * Returns the median cost per operation.
 */
static struct figure measure(void (*prepare)(void *), void (*op)(void *), void *arg,
			     unsigned nops)
{
	static double samples[MAX_BATCHES];
	double total = 0, mean = 0, var = 0;
	int n = 0;

	while (n < MAX_BATCHES && (n < MIN_BATCHES || total < MIN_NS)) {
		double t0, t1;

		if (prepare)
			prepare(arg);
		t0 = now_ns();
		op(arg);
		t1 = now_ns();
		total += t1 - t0;
		samples[n++] = (t1 - t0) / nops;
	}
	for (int i = 0; i < n; i++)
		mean += samples[i] / n;
	for (int i = 0; i < n; i++)
		var += (samples[i] - mean) * (samples[i] - mean) / (n - 1);
	qsort(samples, n, sizeof(double), cmp_double);
	return (struct figure){ samples[n / 2], sqrt(var) / mean };
}

/* --- the model under test -------------------------------------------------- */

static struct fc_phys *phys;
static struct page *cache[BATCH];

static unsigned long bench_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	return fc_io_pfn(fc_phys_config(phys), (addr - vma->vm_start) >> PAGE_SHIFT);
}

static struct page *bench_nopage(struct vm_area_struct *vma, unsigned long addr, int *type)
{
	struct page *page = cache[linear_page_index(vma, addr) % BATCH];

	get_page(page);
	return page;
}

static vm_fault_t bench_fault(struct vm_fault *vmf)
{
	vmf->page = cache[vmf->pgoff % BATCH];
	get_page(vmf->page);
	return 0;
}

static vm_fault_t bench_fault_pfn(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      fc_io_pfn(fc_phys_config(phys), vmf->pgoff % BATCH));
}

static const struct vm_operations_struct nopfn_ops = { .nopfn = bench_nopfn };
static const struct vm_operations_struct nopage_ops = { .nopage = bench_nopage };
static const struct vm_operations_struct fault_ops = { .fault = bench_fault };
static const struct vm_operations_struct fault_pfn_ops = { .fault = bench_fault_pfn };

/* The special mapping's pages, and a .fault that indexes them directly. */
#define SPECIAL_PAGES 1100
static struct page *special_pages[SPECIAL_PAGES + 1];

static vm_fault_t special_fault(const struct vm_special_mapping *sm, struct vm_area_struct *vma,
				struct vm_fault *vmf)
{
	if (vmf->pgoff >= SPECIAL_PAGES)
		return VM_FAULT_SIGBUS;
	vmf->page = special_pages[vmf->pgoff];
	get_page(vmf->page);
	return 0;
}

static const struct vm_special_mapping sm_pages = { .name = "[pages]", .pages = special_pages };
static const struct vm_special_mapping sm_fault = { .name = "[fault]", .fault = special_fault };

static struct mm_struct *new_mm(const char *dispatch, bool clear)
{
	struct fc_mm_config cfg;
	char err[128];

	fc_mm_config_default(&cfg);
	if (dispatch && fc_mm_config_set(&cfg, "dispatch", dispatch, err, sizeof(err))) {
		fprintf(stderr, "faultcore-bench: %s\n", err);
		exit(2);
	}
	cfg.clear_page = clear;
	return fc_mm_create(phys, &cfg);
}

/* --- fresh installs: BATCH faults into empty entries of one table ----------- */

struct install {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned flags;
	vm_fault_t expect;
};

static void zap_all(void *p)
{
	struct install *in = p;

	zap_page_range(in->vma, in->vma->vm_start, in->vma->vm_end - in->vma->vm_start);
}

static void fault_all(void *p)
{
	struct install *in = p;

	for (unsigned long a = in->vma->vm_start; a < in->vma->vm_end; a += PAGE_SIZE)
		if (handle_mm_fault(in->mm, a, in->flags) != in->expect)
			abort();
}

static struct figure install_cost(struct mm_struct *mm, struct vm_area_struct *vma, vm_fault_t expect)
{
	struct install in = { mm, vma, 0, expect };

	fault_all(&in); /* allocate the tables once */
	return measure(zap_all, fault_all, &in, BATCH);
}

/* The floor: lock, pte_none check, store, unlock on the same lock kind. */
struct floor {
	struct ptlock lock;
	pte_t pte[BATCH];
};

static void floor_reset(void *p)
{
	struct floor *f = p;

	memset(f->pte, 0, sizeof(f->pte));
}

static void floor_run(void *p)
{
	struct floor *f = p;

	for (unsigned i = 0; i < BATCH; i++) {
		struct mcs_node n;

		ptl_lock(PTL_TICKET, &f->lock, &n);
		if (pte_none(pte_read(&f->pte[i])))
			pte_write_raw(&f->pte[i], __pte(((uint64_t)(i + 1) << PAGE_SHIFT) | 1));
		ptl_unlock(PTL_TICKET, &f->lock, &n);
	}
}

static struct figure floor_cost(void)
{
	static struct floor f;

	ptl_init(PTL_TICKET, &f.lock);
	return measure(floor_reset, floor_run, &f, BATCH);
}

struct handler {
	const char *name;
	const struct vm_operations_struct *ops;
	const struct vm_special_mapping *sm;
	unsigned long flags;
	bool clear;
};

static const struct handler handlers[] = {
	{ "anon (clear_page=1)", NULL, NULL, VM_WRITE, true },
	{ "anon (clear_page=0)", NULL, NULL, VM_WRITE, false },
	{ "nopage", &nopage_ops, NULL, VM_SHARED, false },
	{ "nopfn", &nopfn_ops, NULL, VM_SHARED | VM_PFNMAP | VM_IO, false },
	{ "fault (page)", &fault_ops, NULL, VM_SHARED, false },
	{ "fault (insert_pfn)", &fault_pfn_ops, NULL, VM_SHARED | VM_PFNMAP | VM_IO, false },
	{ "special (.fault)", NULL, &sm_fault, 0, false },
};

static const char *const orders[] = { "nopage-first", "nopfn-first", "modern", "resolved" };

/* Returns the nopfn / nopage-first figure, the one the floor target is about. */
static double print_install_table(void)
{
	double nopfn_ns = 0;

	printf("\nFresh install, one thread, ns per fault (median; cv in brackets)\n");
	printf("%-22s", "handler \\ dispatch");
	for (int o = 0; o < 4; o++)
		printf(" %18s", orders[o]);
	printf("\n");
	for (size_t h = 0; h < sizeof(handlers) / sizeof(handlers[0]); h++) {
		const struct handler *hd = &handlers[h];

		printf("%-22s", hd->name);
		for (int o = 0; o < 4; o++) {
			struct mm_struct *mm = new_mm(orders[o], hd->clear);
			struct vm_area_struct *vma;
			struct figure f;
			vm_fault_t expect;

			if (hd->sm)
				vma = _install_special_mapping(mm, BASE, BATCH * PAGE_SIZE, 0, hd->sm);
			else
				vma = fc_mmap(mm, BASE, BATCH * PAGE_SIZE, hd->flags, hd->ops, NULL, 0);
			expect = hd->ops == &fault_pfn_ops ? VM_FAULT_NOPAGE : 0;
			if (handle_mm_fault(mm, BASE, hd->flags & VM_WRITE ? FAULT_FLAG_WRITE : 0) !=
			    expect) {
				printf(" %18s", "n/a");
				fc_mm_destroy(mm);
				continue;
			}
			struct install in = { mm, vma, hd->flags & VM_WRITE ? FAULT_FLAG_WRITE : 0,
					      expect };

			zap_all(&in);
			fault_all(&in);
			f = measure(zap_all, fault_all, &in, BATCH);
			printf(" %10.1f (%4.1f%%)", f.ns, 100 * f.cv);
			if (hd->ops == &nopfn_ops && o == 0)
				nopfn_ns = f.ns;
			fc_mm_destroy(mm);
		}
		printf("\n");
	}
	return nopfn_ns;
}

/* --- flatness: VMAs and populated pages -------------------------------------- */

struct lookup {
	struct mm_struct *mm;
	unsigned long *addrs;
	unsigned n;
};

static void lookup_run(void *p)
{
	struct lookup *l = p;

	for (unsigned i = 0; i < l->n; i++)
		if (!find_vma(l->mm, l->addrs[i]))
			abort();
}

/* An mm with nr VMAs of 4 pages, 8 pages apart; the test VMA sits after them. */
static struct mm_struct *mm_with_vmas(unsigned nr, struct vm_area_struct **test)
{
	struct mm_struct *mm = new_mm(NULL, false);
	unsigned long top = BASE + (unsigned long)nr * 8 * PAGE_SIZE;

	for (unsigned i = 0; i < nr; i++)
		fc_mmap(mm, BASE + (unsigned long)i * 8 * PAGE_SIZE, 4 * PAGE_SIZE,
			VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops, NULL, 0);
	top = (top + PMD_SIZE) & ~(PMD_SIZE - 1);
	*test = fc_mmap(mm, top, BATCH * PAGE_SIZE, VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops,
			NULL, 0);
	return mm;
}

static struct figure lookup_cost(unsigned nr, bool scattered)
{
	struct vm_area_struct *test;
	struct mm_struct *mm = mm_with_vmas(nr, &test);
	static unsigned long addrs[BATCH];
	struct lookup l = { mm, addrs, BATCH };
	unsigned seed = 1;
	struct figure f;

	for (unsigned i = 0; i < BATCH; i++)
		addrs[i] = scattered ? BASE + (rand_r(&seed) % nr) * 8 * PAGE_SIZE
				     : test->vm_start + i * PAGE_SIZE;
	f = measure(NULL, lookup_run, &l, BATCH);
	fc_mm_destroy(mm);
	return f;
}

static struct figure fault_cost_with_vmas(unsigned nr)
{
	struct vm_area_struct *test;
	struct mm_struct *mm = mm_with_vmas(nr, &test);
	struct figure f = install_cost(mm, test, 0);

	fc_mm_destroy(mm);
	return f;
}

static struct figure fault_cost_with_populated(unsigned long pages, double *mem_ratio)
{
	struct mm_struct *mm = new_mm(NULL, false);
	struct vm_area_struct *big = fc_mmap(mm, BASE, pages * PAGE_SIZE,
					     VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops, NULL, 0);
	unsigned long test_start = (BASE + pages * PAGE_SIZE + PMD_SIZE) & ~(PMD_SIZE - 1);
	struct vm_area_struct *test = fc_mmap(mm, test_start, BATCH * PAGE_SIZE,
					      VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops, NULL, 0);
	struct figure f;

	for (unsigned long a = big->vm_start; a < big->vm_end; a += PAGE_SIZE)
		handle_mm_fault(mm, a, 0);
	if (mem_ratio)
		*mem_ratio = (double)fc_pgtable_bytes(mm) / fc_pgtable_ideal_bytes(mm);
	f = install_cost(mm, test, 0);
	fc_mm_destroy(mm);
	return f;
}

static void target(const char *what, double value, const char *op, double limit)
{
	bool ok = !strcmp(op, "<=") ? value <= limit : value >= limit;

	printf("  %-58s %7.3f  target %s %.2f  %s\n", what, value, op, limit, ok ? "met" : "MISSED");
}

/* --- issue 3 paths: COW, zap, fork copy, special mappings ----------------------- */

struct cow {
	struct mm_struct *mm;
	struct mm_struct *child;
	struct vm_area_struct *vma;
	int kind; /* 0 normal (after fork), 1 PFNMAP raw pfn, 2 MIXEDMAP raw pfn */
};

static void cow_prepare(void *p)
{
	struct cow *c = p;
	unsigned long start = c->vma->vm_start;

	zap_page_range(c->vma, start, BATCH * PAGE_SIZE);
	if (c->child) {
		fc_mm_destroy(c->child);
		c->child = NULL;
	}
	if (c->kind == 0) {
		for (unsigned i = 0; i < BATCH; i++)
			handle_mm_fault(c->mm, start + i * PAGE_SIZE, FAULT_FLAG_WRITE);
		c->child = fc_mm_fork(c->mm); /* now every page is shared and read-only */
	} else if (c->kind == 1) {
		remap_pfn_range(c->vma, start, fc_dev_pfn(fc_phys_config(phys), 0),
				BATCH * PAGE_SIZE, c->vma->vm_page_prot);
	} else {
		for (unsigned i = 0; i < BATCH; i++)
			vmf_insert_mixed(c->vma, start + i * PAGE_SIZE,
					 fc_dev_pfn(fc_phys_config(phys), i % 64));
	}
}

static void cow_run(void *p)
{
	struct cow *c = p;

	for (unsigned i = 0; i < BATCH; i++)
		if (handle_mm_fault(c->mm, c->vma->vm_start + i * PAGE_SIZE, FAULT_FLAG_WRITE))
			abort();
}

static struct figure cow_cost(int kind)
{
	static const unsigned long flags[] = { 0, 0, VM_MIXEDMAP };
	struct cow c = { .mm = new_mm(NULL, false), .kind = kind };
	struct figure f;

	c.vma = fc_mmap(c.mm, BASE, BATCH * PAGE_SIZE, VM_WRITE | flags[kind], NULL, NULL, 0);
	f = measure(cow_prepare, cow_run, &c, BATCH);
	fc_mm_destroy(c.child);
	fc_mm_destroy(c.mm);
	return f;
}

static void populate(void *p)
{
	fault_all(p);
}

static struct figure zap_cost(void)
{
	struct mm_struct *mm = new_mm(NULL, false);
	struct install in = { mm, fc_mmap(mm, BASE, BATCH * PAGE_SIZE, VM_WRITE, NULL, NULL, 0),
			      FAULT_FLAG_WRITE, 0 };
	struct figure f = measure(populate, zap_all, &in, BATCH);

	fc_mm_destroy(mm);
	return f;
}

struct forkcopy {
	struct mm_struct *mm, *child;
	struct vm_area_struct *vma;
};

static void fork_prepare(void *p)
{
	struct forkcopy *fc = p;

	fc_mm_destroy(fc->child);
	fc->child = new_mm(NULL, false);
	fc_mmap(fc->child, BASE, BATCH * PAGE_SIZE, VM_WRITE, NULL, NULL, 0);
	/* the previous copy left the parent write-protected: make it writable again */
	for (unsigned i = 0; i < BATCH; i++)
		handle_mm_fault(fc->mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE);
}

static void fork_run(void *p)
{
	struct forkcopy *fc = p;

	copy_page_range(fc->child, fc->mm, fc->vma);
}

static struct figure fork_cost(void)
{
	struct forkcopy fc = { .mm = new_mm(NULL, false) };
	struct figure f;

	fc.vma = fc_mmap(fc.mm, BASE, BATCH * PAGE_SIZE, VM_WRITE, NULL, NULL, 0);
	f = measure(fork_prepare, fork_run, &fc, BATCH);
	fc_mm_destroy(fc.child);
	fc_mm_destroy(fc.mm);
	return f;
}

/* One fault at pgoff in each of SPECIAL_VMAS copies of a special mapping. */
#define SPECIAL_VMAS 256
#define SPECIAL_SPAN (2048 * PAGE_SIZE)

struct special {
	struct mm_struct *mm;
	unsigned long pgoff;
};

static void special_zap(void *p)
{
	struct special *s = p;

	for (unsigned i = 0; i < SPECIAL_VMAS; i++) {
		unsigned long a = BASE + i * SPECIAL_SPAN + s->pgoff * PAGE_SIZE;

		zap_page_range(find_vma(s->mm, a), a, PAGE_SIZE);
	}
}

static void special_run(void *p)
{
	struct special *s = p;

	for (unsigned i = 0; i < SPECIAL_VMAS; i++)
		if (handle_mm_fault(s->mm, BASE + i * SPECIAL_SPAN + s->pgoff * PAGE_SIZE, 0))
			abort();
}

static struct figure special_cost(const struct vm_special_mapping *sm, unsigned long pgoff)
{
	struct special s = { new_mm(NULL, false), pgoff };
	struct figure f;

	for (unsigned i = 0; i < SPECIAL_VMAS; i++)
		_install_special_mapping(s.mm, BASE + i * SPECIAL_SPAN, SPECIAL_SPAN, 0, sm);
	special_run(&s); /* tables */
	f = measure(special_zap, special_run, &s, SPECIAL_VMAS);
	fc_mm_destroy(s.mm);
	return f;
}

int main(int argc, char **argv)
{
	struct fc_phys_config pc = { .nr_ram = 1 << 16, .nr_dev = 64, .nr_io = 1 << 20 };
	struct figure fl, f10, f10k, l10, l10k, s10, s10k, p3, p6;
	double nopfn_ns, mem_ratio;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		fprintf(stderr, "usage: faultcore-bench (no arguments)\n");
		return 2;
	}
	phys = fc_phys_create(&pc);
	for (unsigned i = 0; i < BATCH; i++)
		cache[i] = alloc_page(phys);
	for (unsigned i = 0; i < SPECIAL_PAGES; i++) {
		special_pages[i] = alloc_page(phys);
		special_pages[i]->flags |= PG_reserved;
	}

	printf("faultcore-bench: split ticket PTL, x86 cost model, recheck, linear rule\n");
	fl = floor_cost();
	printf("\nFloor (ticket lock, pte_none, store, unlock): %.1f ns (cv %.1f%%)\n", fl.ns,
	       100 * fl.cv);
	nopfn_ns = print_install_table();

	f10 = fault_cost_with_vmas(10);
	f10k = fault_cost_with_vmas(10000);
	l10 = lookup_cost(10, false);
	l10k = lookup_cost(10000, false);
	s10 = lookup_cost(10, true);
	s10k = lookup_cost(10000, true);
	p3 = fault_cost_with_populated(1000, NULL);
	p6 = fault_cost_with_populated(1000000, &mem_ratio);
	printf("\nScaling, ns per operation\n");
	printf("  fault, 10 / 10,000 VMAs:                   %7.1f / %7.1f\n", f10.ns, f10k.ns);
	printf("  find_vma, next page (vmacache hit):        %7.1f / %7.1f\n", l10.ns, l10k.ns);
	printf("  find_vma, random VMA (binary search):      %7.1f / %7.1f\n", s10.ns, s10k.ns);
	printf("  fault, 10^3 / 10^6 pages populated:        %7.1f / %7.1f\n", p3.ns, p6.ns);

	printf("\nCOW, zap and fork, ns per page\n");
	printf("  COW fault, anonymous page after fork:      %7.1f\n", cow_cost(0).ns);
	printf("  COW fault, PFNMAP raw pfn (copy frame):    %7.1f\n", cow_cost(1).ns);
	printf("  COW fault, MIXEDMAP raw pfn:               %7.1f\n", cow_cost(2).ns);
	printf("  zap_page_range, anonymous:                 %7.1f\n", zap_cost().ns);
	printf("  copy_page_range (fork), anonymous:         %7.1f\n", fork_cost().ns);

	struct figure sp[3], sf[3];
	const unsigned long pgoffs[3] = { 0, 64, 1024 };

	printf("\nSpecial-mapping fault (seed 003), ns per fault\n");
	printf("  %-8s %12s %12s\n", "pgoff", ".pages walk", ".fault");
	for (int i = 0; i < 3; i++) {
		sp[i] = special_cost(&sm_pages, pgoffs[i]);
		sf[i] = special_cost(&sm_fault, pgoffs[i]);
		printf("  %-8lu %12.1f %12.1f\n", pgoffs[i], sp[i].ns, sf[i].ns);
	}

	printf("\nTargets (ratios measured in this run)\n");
	target("fresh nopfn install / floor", nopfn_ns / fl.ns, "<=", 3.0);
	target("fault cost, 10,000 VMAs / 10 VMAs", f10k.ns / f10.ns, "<=", 1.2);
	target("find_vma (vmacache hit), 10,000 / 10 VMAs", l10k.ns / l10.ns, "<=", 1.2);
	target("find_vma (random VMA), 10,000 / 10 VMAs", s10k.ns / s10.ns, "<=", 1.2);
	target("fault cost, 10^6 / 10^3 populated pages", p6.ns / p3.ns, "<=", 1.2);
	target("page-table bytes / ideal, 10^6 pages", mem_ratio, "<=", 1.05);
	target("special .fault, pgoff 1024 / pgoff 0", sf[2].ns / sf[0].ns, "<=", 1.1);
	target("special .pages walk, pgoff 1024 / pgoff 0 (must grow)", sp[2].ns / sp[0].ns, ">=",
	       2.0);

	for (unsigned i = 0; i < BATCH; i++)
		put_page(phys, cache[i]);
	fc_phys_destroy(phys);
	return 0;
}
