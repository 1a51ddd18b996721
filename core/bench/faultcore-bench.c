// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultcore-bench: single-thread costs of the model's paths, and the ratios
 * the core is held to, all measured in one run.
 *
 * Method: every figure is a batch of operations between two clock reads
 * (never a clock read per operation), repeated until both MIN_BATCHES
 * batches and MIN_NS of batch time are reached.  The figure is the median
 * batch cost per operation; the spread printed beside it is the interquartile
 * range of the batches over the median (a preempted batch does not move it).  Set-up and tear-down
 * between batches (zaps, forks) are outside the clock.
 */
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
	double ns;     /* median per operation */
	double spread; /* interquartile range over the median: robust to a preempted batch */
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

static struct figure summarize(double *samples, int n)
{
	double median;

	qsort(samples, n, sizeof(double), cmp_double);
	median = samples[n / 2];
	return (struct figure){ median, (samples[3 * n / 4] - samples[n / 4]) / median };
}

/* prepare (untimed), then op over nops operations (timed). */
struct job {
	void (*prepare)(void *);
	void (*op)(void *);
	void *arg;
	unsigned nops;
};

#define MAX_JOBS 4

/*
 * Measures jobs interleaved, batch by batch in A B .. B A order, so that the
 * drift of a shared machine hits every job alike: the ratios printed below
 * always compare jobs measured together.  out[i] is jobs[i]'s median cost.
 */
static void measure_jobs(const struct job *jobs, int n, struct figure *out)
{
	static double samples[MAX_JOBS][MAX_BATCHES];
	double total = 0;
	int b = 0;

	while (b < MAX_BATCHES && (b < MIN_BATCHES || total < MIN_NS * n)) {
		for (int k = 0; k < n; k++) {
			int i = b % 2 ? n - 1 - k : k;
			const struct job *j = &jobs[i];
			double t0, t1;

			if (j->prepare)
				j->prepare(j->arg);
			t0 = now_ns();
			j->op(j->arg);
			t1 = now_ns();
			total += t1 - t0;
			samples[i][b] = (t1 - t0) / j->nops;
		}
		b++;
	}
	for (int i = 0; i < n; i++)
		out[i] = summarize(samples[i], b);
}

static struct figure measure(void (*prepare)(void *), void (*op)(void *), void *arg, unsigned nops)
{
	struct job j = { prepare, op, arg, nops };
	struct figure f;

	measure_jobs(&j, 1, &f);
	return f;
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

/* BATCH pages of a shared VM_PFNMAP at start, filled by ->nopfn. */
static struct install pfnmap_install(struct mm_struct *mm, unsigned long start)
{
	struct vm_area_struct *vma = fc_mmap(mm, start, BATCH * PAGE_SIZE,
					     VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops, NULL, 0);

	return (struct install){ mm, vma, 0, 0 };
}

/* The tables are allocated once; each batch starts from empty entries. */
static struct job install_job(struct install *in)
{
	fault_all(in);
	return (struct job){ zap_all, fault_all, in, BATCH };
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

static struct job floor_job(void)
{
	static struct floor f;

	ptl_init(PTL_TICKET, &f.lock);
	return (struct job){ floor_reset, floor_run, &f, BATCH };
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

/* One handler under one dispatch order; false when that order cannot reach it. */
static bool handler_install(const struct handler *hd, const char *order, struct install *in)
{
	struct mm_struct *mm = new_mm(order, hd->clear);
	unsigned flags = hd->flags & VM_WRITE ? FAULT_FLAG_WRITE : 0;
	vm_fault_t expect = hd->ops == &fault_pfn_ops ? VM_FAULT_NOPAGE : 0;
	struct vm_area_struct *vma;

	if (hd->sm)
		vma = _install_special_mapping(mm, BASE, BATCH * PAGE_SIZE, 0, hd->sm);
	else
		vma = fc_mmap(mm, BASE, BATCH * PAGE_SIZE, hd->flags, hd->ops, NULL, 0);
	*in = (struct install){ mm, vma, flags, expect };
	if (handle_mm_fault(mm, BASE, flags) != expect) {
		fc_mm_destroy(mm);
		return false;
	}
	zap_all(in);
	return true;
}

/* Each row's dispatch orders are measured together, interleaved. */
static void print_install_table(void)
{
	printf("\nFresh install, one thread, ns per fault (median; interquartile range / "
	       "median)\n");
	printf("%-22s", "handler \\ dispatch");
	for (int o = 0; o < 4; o++)
		printf(" %18s", orders[o]);
	printf("\n");
	for (size_t h = 0; h < sizeof(handlers) / sizeof(handlers[0]); h++) {
		struct install in[4];
		struct job jobs[4];
		struct figure f[4];
		int col[4], n = 0;

		for (int o = 0; o < 4; o++) {
			col[o] = -1;
			if (handler_install(&handlers[h], orders[o], &in[n])) {
				jobs[n] = install_job(&in[n]);
				col[o] = n++;
			}
		}
		measure_jobs(jobs, n, f);
		printf("%-22s", handlers[h].name);
		for (int o = 0; o < 4; o++) {
			if (col[o] < 0)
				printf(" %18s", "n/a");
			else
				printf(" %10.1f (%4.1f%%)", f[col[o]].ns, 100 * f[col[o]].spread);
		}
		printf("\n");
		for (int i = 0; i < n; i++)
			fc_mm_destroy(in[i].mm);
	}
}

/* --- flatness: VMAs and populated pages -------------------------------------- */

struct lookup {
	struct mm_struct *mm;
	unsigned nr;   /* random VMAs among nr, or 0: the test VMA's pages */
	unsigned seed; /* for rand_r */
	unsigned long addrs[BATCH];
};

static void lookup_run(void *p)
{
	struct lookup *l = p;

	for (unsigned i = 0; i < BATCH; i++)
		if (!find_vma(l->mm, l->addrs[i]))
			abort();
}

/* The lockless four-level walk alone, as the fault path does it first. */
static void walk_run(void *p)
{
	struct lookup *l = p;

	for (unsigned i = 0; i < BATCH; i++)
		if (!fc_pte_lookup(l->mm, l->addrs[i]))
			abort();
}

/* An mm with nr VMAs of 4 pages, 8 pages apart; the test VMA sits after them. */
static struct mm_struct *mm_with_vmas(unsigned nr, struct install *test)
{
	struct mm_struct *mm = new_mm(NULL, false);
	unsigned long top = BASE + (unsigned long)nr * 8 * PAGE_SIZE;

	for (unsigned i = 0; i < nr; i++)
		fc_mmap(mm, BASE + (unsigned long)i * 8 * PAGE_SIZE, 4 * PAGE_SIZE,
			VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops, NULL, 0);
	top = (top + PMD_SIZE) & ~(PMD_SIZE - 1);
	*test = pfnmap_install(mm, top);
	return mm;
}

/*
 * Random VMAs, drawn afresh before every batch (outside the clock): a batch
 * that replayed the same addresses would let the branch predictor learn the
 * search's path, which no real stream of faults repeats.
 */
static void lookup_scatter(void *p)
{
	struct lookup *l = p;

	for (unsigned i = 0; i < BATCH; i++)
		l->addrs[i] = BASE + (rand_r(&l->seed) % l->nr) * 8 * PAGE_SIZE;
}

/* Lookups of the test VMA's pages in turn (hits), or of random VMAs (misses). */
static struct job lookup_job(struct lookup *l, const struct install *test, unsigned nr,
			     bool scattered)
{
	*l = (struct lookup){ .mm = test->mm, .nr = nr, .seed = 1 };
	if (scattered)
		return (struct job){ lookup_scatter, lookup_run, l, BATCH };
	for (unsigned i = 0; i < BATCH; i++)
		l->addrs[i] = test->vma->vm_start + i * PAGE_SIZE;
	return (struct job){ NULL, lookup_run, l, BATCH };
}

/* An mm with pages populated PFNMAP entries, and a test VMA beyond them. */
static struct mm_struct *mm_with_populated(unsigned long pages, struct install *test)
{
	struct mm_struct *mm = new_mm(NULL, false);
	struct vm_area_struct *big = fc_mmap(mm, BASE, pages * PAGE_SIZE,
					     VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops, NULL, 0);
	unsigned long start = (BASE + pages * PAGE_SIZE + PMD_SIZE) & ~(PMD_SIZE - 1);

	for (unsigned long a = big->vm_start; a < big->vm_end; a += PAGE_SIZE)
		handle_mm_fault(mm, a, 0);
	*test = pfnmap_install(mm, start);
	return mm;
}

static void target(const char *what, double value, const char *op, double limit)
{
	bool ok = !strcmp(op, "<=") ? value <= limit : value >= limit;

	printf("  %-58s %7.3f  target %s %.2f  %s\n", what, value, op, limit,
	       ok ? "met" : "MISSED");
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

static struct job special_job(struct special *s, const struct vm_special_mapping *sm,
			      unsigned long pgoff)
{
	*s = (struct special){ new_mm(NULL, false), pgoff };
	for (unsigned i = 0; i < SPECIAL_VMAS; i++)
		_install_special_mapping(s->mm, BASE + i * SPECIAL_SPAN, SPECIAL_SPAN, 0, sm);
	special_run(s); /* the tables */
	return (struct job){ special_zap, special_run, s, SPECIAL_VMAS };
}

/* Faults at pgoff 0, 64 and 1024 of one kind of special mapping, interleaved. */
static void special_costs(const struct vm_special_mapping *sm, struct figure *out)
{
	static const unsigned long pgoffs[3] = { 0, 64, 1024 };
	struct special s[3];
	struct job jobs[3];

	for (int i = 0; i < 3; i++)
		jobs[i] = special_job(&s[i], sm, pgoffs[i]);
	measure_jobs(jobs, 3, out);
	for (int i = 0; i < 3; i++)
		fc_mm_destroy(s[i].mm);
}

static void destroy(struct mm_struct **mms, int n)
{
	for (int i = 0; i < n; i++)
		fc_mm_destroy(mms[i]);
}

int main(int argc, char **argv)
{
	struct fc_phys_config pc = { .nr_ram = 1 << 16, .nr_dev = 64, .nr_io = 1 << 20 };
	struct figure fl[2], fv[2], lh[2], lr[2], fp[2], walk, sp[3], sf[3];
	struct install nopfn, v10, v10k, p3, p6;
	static struct lookup l[5];
	struct mm_struct *mms[5];
	struct job jobs[2];
	double mem_ratio;

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
	print_install_table();
	mms[0] = new_mm("nopage-first", false);
	nopfn = pfnmap_install(mms[0], BASE);
	jobs[0] = floor_job();
	jobs[1] = install_job(&nopfn);
	measure_jobs(jobs, 2, fl);
	printf("\nFloor (ticket lock, pte_none, store, unlock): %.1f ns (iqr %.1f%%); "
	       "fresh nopfn install beside it: %.1f ns (iqr %.1f%%)\n",
	       fl[0].ns, 100 * fl[0].spread, fl[1].ns, 100 * fl[1].spread);
	destroy(mms, 1);

	mms[0] = mm_with_vmas(10, &v10);
	mms[1] = mm_with_vmas(10000, &v10k);
	jobs[0] = install_job(&v10);
	jobs[1] = install_job(&v10k);
	measure_jobs(jobs, 2, fv);
	jobs[0] = lookup_job(&l[0], &v10, 10, false);
	jobs[1] = lookup_job(&l[1], &v10k, 10000, false);
	measure_jobs(jobs, 2, lh);
	jobs[0] = lookup_job(&l[2], &v10, 10, true);
	jobs[1] = lookup_job(&l[3], &v10k, 10000, true);
	measure_jobs(jobs, 2, lr);
	l[4] = l[0];
	walk = measure(NULL, walk_run, &l[4], BATCH);
	destroy(mms, 2);

	mms[0] = mm_with_populated(1000, &p3);
	mms[1] = mm_with_populated(1000000, &p6);
	mem_ratio = (double)fc_pgtable_bytes(mms[1]) / fc_pgtable_ideal_bytes(mms[1]);
	jobs[0] = install_job(&p3);
	jobs[1] = install_job(&p6);
	measure_jobs(jobs, 2, fp);
	destroy(mms, 2);

	printf("\nScaling, ns per operation (each pair measured interleaved)\n");
	printf("  fault, 10 / 10,000 VMAs:                   %7.1f / %7.1f\n", fv[0].ns, fv[1].ns);
	printf("  find_vma, next page (vmacache hit):        %7.1f / %7.1f\n", lh[0].ns, lh[1].ns);
	printf("  find_vma, random VMA (B+tree search):      %7.1f / %7.1f\n", lr[0].ns, lr[1].ns);
	printf("  fault, 10^3 / 10^6 pages populated:        %7.1f / %7.1f\n", fp[0].ns, fp[1].ns);
	printf("\nWhere a fresh nopfn install goes beyond the floor, ns\n");
	printf("  floor %.1f + find_vma (vmacache hit) %.1f + 4-level walk %.1f = %.1f of %.1f\n",
	       fl[0].ns, lh[0].ns, walk.ns, fl[0].ns + lh[0].ns + walk.ns, fl[1].ns);

	printf("\nCOW, zap and fork, ns per page\n");
	printf("  COW fault, anonymous page after fork:      %7.1f\n", cow_cost(0).ns);
	printf("  COW fault, PFNMAP raw pfn (copy frame):    %7.1f\n", cow_cost(1).ns);
	printf("  COW fault, MIXEDMAP raw pfn:               %7.1f\n", cow_cost(2).ns);
	printf("  zap_page_range, anonymous:                 %7.1f\n", zap_cost().ns);
	printf("  copy_page_range (fork), anonymous:         %7.1f\n", fork_cost().ns);

	special_costs(&sm_pages, sp);
	special_costs(&sm_fault, sf);
	printf("\nSpecial-mapping fault (seed 003), ns per fault\n");
	printf("  %-8s %12s %12s\n", "pgoff", ".pages walk", ".fault");
	printf("  %-8d %12.1f %12.1f\n", 0, sp[0].ns, sf[0].ns);
	printf("  %-8d %12.1f %12.1f\n", 64, sp[1].ns, sf[1].ns);
	printf("  %-8d %12.1f %12.1f\n", 1024, sp[2].ns, sf[2].ns);

	printf("\nTargets (ratios of figures measured together in this run)\n");
	target("fresh nopfn install / floor", fl[1].ns / fl[0].ns, "<=", 3.0);
	target("fault cost, 10,000 VMAs / 10 VMAs", fv[1].ns / fv[0].ns, "<=", 1.2);
	target("find_vma (vmacache hit), 10,000 / 10 VMAs", lh[1].ns / lh[0].ns, "<=", 1.2);
	target("find_vma (random VMA), 10,000 / 10 VMAs", lr[1].ns / lr[0].ns, "<=", 1.6);
	target("fault cost, 10^6 / 10^3 populated pages", fp[1].ns / fp[0].ns, "<=", 1.2);
	target("page-table bytes / ideal, 10^6 pages", mem_ratio, "<=", 1.05);
	target("special .fault, pgoff 1024 / pgoff 0", sf[2].ns / sf[0].ns, "<=", 1.1);
	target("special .pages walk, pgoff 1024 / pgoff 0 (must grow)", sp[2].ns / sp[0].ns,
	       ">=", 2.0);

	for (unsigned i = 0; i < BATCH; i++)
		put_page(phys, cache[i]);
	fc_phys_destroy(phys);
	return 0;
}
