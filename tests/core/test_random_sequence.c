// SPDX-License-Identifier: GPL-2.0-only
/*
 * The public API walked at random: faults, zaps, remaps, pfn inserts, forks
 * and exits, gup and gup_fast pins, over every kind of mapping, with
 * mm_verify_set() clean over the parent and its children after every step,
 * whatever the step returned.  The sequence comes from a fixed seed, so a
 * failure names a step that happens again on every run.  Anonymous reads
 * map the zero page (zero_page=1), which writes COW, forks copy, zaps drop
 * and gup pins: its refcount is phys' own 1 plus the walk's pins of it,
 * after every step.
 *
 * Slots of NPAGES pages, two by two with a one-page hole after each pair,
 * so that zaps cross VMA ends into the neighbour and into holes:
 *
 *   BASE  [ kind 0 | kind 1 ] hole [ kind 2 | kind 3 ] hole ...
 */
#include "fixture.h"

#define NPAGES 8
#define MAX_MMS 3
#define MAX_PINS 64
#define STEPS 4000
#define RAW_RAM (NR_RAM - 2 * NPAGES) /* RAM frames mapped raw, owned by nobody */

static struct page *sm_pages[6];

static vm_fault_t sm_fault(const struct vm_special_mapping *sm, struct vm_area_struct *vma,
			   struct vm_fault *vmf)
{
	return vmf_insert_pfn(vma, vmf->address, io_pfn(vmf->pgoff % NR_IO));
}

static const struct vm_special_mapping sm_with_pages = { .name = "[vdso]", .pages = sm_pages };
static const struct vm_special_mapping sm_with_fault = { .name = "[vvar]", .fault = sm_fault };

#define PFNMAP (VM_PFNMAP | VM_IO)
#define SHARED_RW (VM_SHARED | VM_WRITE)

/* Every mapping kind; the read-only ones have no VM_WRITE. */
static const struct kind {
	const char *name;
	unsigned long flags;
	const struct vm_operations_struct *ops;
	const struct vm_special_mapping *sm;
} kinds[] = {
	{ "anon private", VM_WRITE, NULL, NULL },
	{ "anon shared", SHARED_RW, NULL, NULL },
	{ "anon read-only", 0, NULL, NULL },
	{ "anon shared, to remap", SHARED_RW, NULL, NULL },
	{ "anon private, to remap whole", VM_WRITE, NULL, NULL },
	{ "pfnmap shared nopfn", SHARED_RW | PFNMAP, &nopfn_ops, NULL },
	{ "pfnmap read-only nopfn", PFNMAP, &nopfn_ops, NULL },
	{ "pfnmap shared ->fault pfn", SHARED_RW | PFNMAP, &fault_pfn_ops, NULL },
	{ "mixedmap shared ->fault", SHARED_RW | VM_MIXEDMAP, &fault_mixed_ops, NULL },
	{ "mixedmap private ->fault", VM_WRITE | VM_MIXEDMAP, &fault_mixed_ops, NULL },
	{ "mixedmap read-only ->fault", VM_SHARED | VM_MIXEDMAP, &fault_mixed_ops, NULL },
	{ "mixedmap read-only cow nopfn", VM_MAYWRITE | VM_MIXEDMAP, &nopfn_ops, NULL },
	{ "nopage private", VM_WRITE, &nopage_ops, NULL },
	{ "nopage shared", SHARED_RW, &nopage_ops, NULL },
	{ "nopage read-only", VM_SHARED, &nopage_ops, NULL },
	{ "->fault private", VM_WRITE, &fault_ops, NULL },
	{ "->fault read-only", 0, &fault_ops, NULL },
	{ "->fault shared", SHARED_RW, &fault_ops, NULL },
	{ "special .pages", VM_MAYWRITE, NULL, &sm_with_pages },
	{ "special .pages private", VM_WRITE, NULL, &sm_with_pages },
	{ "special .fault", PFNMAP, NULL, &sm_with_fault },
};
#define NR_KINDS (sizeof(kinds) / sizeof(kinds[0]))
#define SPAN_PAGES (NR_KINDS * NPAGES + NR_KINDS / 2 + 1)

static unsigned long slot(size_t k)
{
	return BASE + (k * NPAGES + k / 2) * PAGE_SIZE;
}

enum op {
	OP_READ,
	OP_WRITE,
	OP_ZAP,
	OP_REMAP,
	OP_INSERT,
	OP_FORK,
	OP_EXIT,
	OP_GUP,
	OP_GUP_FAST,
	OP_UNPIN,
	OP_REMAKE,
	NR_OPS
};
static const char *const op_names[NR_OPS] = { "read",	  "write", "zap",   "remap",
					      "insert",	  "fork",  "exit",  "gup",
					      "gup_fast", "unpin", "remake" };
static const unsigned op_weight[NR_OPS] = { 24, 20, 10, 5, 10, 3, 2, 8, 6, 6, 2 };

struct walk {
	uint64_t rng;
	struct mm_struct *mms[MAX_MMS];
	size_t nr_mms;
	struct page *pins[MAX_PINS];
	int nr_pins;
	int extra[NR_RAM]; /* references beyond the mappings: the page cache's, the pins */
	int zero_pins;	   /* pins of the zero page, which has no pfn in RAM */
	unsigned long done[NR_OPS];
	unsigned long step;
	char what[160];
};

/* xorshift64: the same sequence on every run and every libc. */
static uint64_t rnd(struct walk *w, uint64_t n)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng % n;
}

static int walk_refs(struct page *page, void *arg)
{
	struct walk *w = arg;

	return w->extra[page_to_pfn(fx->phys, page)];
}

static void check(struct walk *w)
{
	char err[256] = "";

	if (mm_verify_set(w->mms, w->nr_mms, walk_refs, w, err, sizeof(err)))
		fail_msg("step %lu, %s: mm_verify: %s", w->step, w->what, err);
	if (page_count(fc_zero_page(fx->phys)) != 1 + w->zero_pins)
		fail_msg("step %lu, %s: zero page _refcount %d, expected %d", w->step, w->what,
			 page_count(fc_zero_page(fx->phys)), 1 + w->zero_pins);
}

static struct vm_area_struct *map_kind(struct mm_struct *mm, size_t k)
{
	const struct kind *kd = &kinds[k];
	struct vm_area_struct *vma =
		kd->sm ? _install_special_mapping(mm, slot(k), NPAGES * PAGE_SIZE, kd->flags,
						  kd->sm)
		       : fc_mmap(mm, slot(k), NPAGES * PAGE_SIZE, kd->flags, kd->ops, NULL, 0);

	assert_non_null(vma);
	return vma;
}

/* A pfn of one of the kinds a driver hands out, or one past the PTE's field. */
static unsigned long any_pfn(struct walk *w, bool refcounted_ram)
{
	switch (rnd(w, 5)) {
	case 0:
		return io_pfn(rnd(w, NR_IO - NPAGES));
	case 1:
		return dev_pfn(rnd(w, NR_DEV - NPAGES));
	case 2:
		return page_to_pfn(fx->phys, fx->cache[rnd(w, NR_CACHE)]);
	case 3:
		/* vmf_insert_mixed refcounts a RAM frame: only the driver's own */
		if (!refcounted_ram)
			return RAW_RAM + rnd(w, NPAGES);
		return page_to_pfn(fx->phys, fx->cache[rnd(w, NR_CACHE)]);
	default:
		return PTE_PFN_MAX - rnd(w, 2);
	}
}

/* The walk's own count of the references page holds beyond its mappings. */
static int *extra_of(struct walk *w, struct page *page)
{
	if (page == fc_zero_page(fx->phys))
		return &w->zero_pins;
	return &w->extra[page_to_pfn(fx->phys, page)];
}

static void pin(struct walk *w, struct page **pages, long n)
{
	for (long i = 0; i < n; i++)
		if (pages[i]) {
			w->pins[w->nr_pins++] = pages[i];
			(*extra_of(w, pages[i]))++;
		}
}

static void unpin(struct walk *w, int i)
{
	struct page *page = w->pins[i];

	(*extra_of(w, page))--;
	w->pins[i] = w->pins[--w->nr_pins];
	put_page(fx->phys, page);
}

/* A fault that reports no error leaves an entry, writable after a plain write. */
static void do_fault_step(struct walk *w, struct mm_struct *mm, bool write)
{
	unsigned long addr = BASE + rnd(w, SPAN_PAGES) * PAGE_SIZE + rnd(w, PAGE_SIZE);
	vm_fault_t ret;
	pte_t *ptep;

	snprintf(w->what, sizeof(w->what), "%s fault at %#lx", write ? "write" : "read", addr);
	ret = handle_mm_fault(mm, addr, write ? FAULT_FLAG_WRITE : 0);
	if (ret & VM_FAULT_ERROR)
		return;
	ptep = fc_pte_lookup(mm, addr);
	if (!ptep || !pte_present(pte_read(ptep)))
		fail_msg("step %lu, %s: returned %#x and left no entry", w->step, w->what, ret);
	if (write && ret == VM_FAULT_MINOR && !pte_write(pte_read(ptep)))
		fail_msg("step %lu, %s: a write fault left a read-only entry", w->step, w->what);
	w->done[write ? OP_WRITE : OP_READ]++;
}

static void zap_step(struct walk *w, struct mm_struct *mm)
{
	size_t k = rnd(w, NR_KINDS);
	struct vm_area_struct *vma = find_vma(mm, slot(k));
	unsigned long addr = slot(k) + rnd(w, NPAGES) * PAGE_SIZE;
	unsigned long size = (1 + rnd(w, 2 * NPAGES + 2)) * PAGE_SIZE;

	if (rnd(w, 4) == 0) { /* the whole VMA, as munmap and exit do */
		addr = slot(k);
		size = NPAGES * PAGE_SIZE;
	}
	snprintf(w->what, sizeof(w->what), "zap [%#lx, %#lx) from %s", addr, addr + size,
		 kinds[k].name);
	zap_page_range(vma, addr, size);
	w->done[OP_ZAP]++;
}

/*
 * A slot whose handler returns pages is never remapped: in a VM_PFNMAP the
 * linearity rule cannot tell such a page from a raw pfn (seed 001 left
 * do_no_page's VM_UNPAGED check out, and a driver that mixes the two is
 * wrong in the kernel too).
 */
static bool returns_pages(const struct kind *kd)
{
	return (kd->ops && (kd->ops->nopage || kd->ops->fault == drv_fault)) ||
	       (kd->sm && kd->sm->pages);
}

static void remap_step(struct walk *w, struct mm_struct *mm)
{
	size_t k = rnd(w, NR_KINDS);
	struct vm_area_struct *vma = find_vma(mm, slot(k));
	unsigned long first = rnd(w, NPAGES), n = 1 + rnd(w, NPAGES - first);
	unsigned long pfn = any_pfn(w, false);
	int ret;

	if (rnd(w, 2)) {
		first = 0;
		n = NPAGES;
	}
	snprintf(w->what, sizeof(w->what), "remap %lu pages at page %lu of %s to pfn %#lx", n,
		 first, kinds[k].name, pfn);
	if (returns_pages(&kinds[k]))
		return;
	ret = remap_pfn_range(vma, slot(k) + first * PAGE_SIZE, pfn, n * PAGE_SIZE,
			      vma->vm_page_prot);
	w->done[OP_REMAP] += ret == 0;
}

static void insert_step(struct walk *w, struct mm_struct *mm)
{
	size_t k = rnd(w, NR_KINDS);
	struct vm_area_struct *vma = find_vma(mm, slot(k));
	unsigned long addr = slot(k) + rnd(w, NPAGES + 1) * PAGE_SIZE; /* the last is past vm_end */
	unsigned how = rnd(w, 3);
	unsigned long pfn = any_pfn(w, how == 2);
	vm_fault_t ret;

	snprintf(w->what, sizeof(w->what), "%s pfn %#lx at %#lx in %s",
		 how == 0   ? "vm_insert_pfn"
		 : how == 1 ? "vmf_insert_pfn"
			    : "vmf_insert_mixed",
		 pfn, addr, kinds[k].name);
	if (how == 0)
		ret = vm_insert_pfn(vma, addr, pfn) ? VM_FAULT_SIGBUS : VM_FAULT_NOPAGE;
	else if (how == 1)
		ret = vmf_insert_pfn(vma, addr, pfn);
	else
		ret = vmf_insert_mixed(vma, addr, pfn);
	w->done[OP_INSERT] += ret == VM_FAULT_NOPAGE;
}

static void fork_step(struct walk *w, struct mm_struct *mm)
{
	snprintf(w->what, sizeof(w->what), "fork of mm %p", (void *)mm);
	if (w->nr_mms == MAX_MMS)
		return;
	w->mms[w->nr_mms] = fc_mm_fork(mm);
	assert_non_null(w->mms[w->nr_mms]);
	w->nr_mms++;
	w->done[OP_FORK]++;
}

/* A child exits (never the parent, which the fixture frees). */
static void exit_step(struct walk *w)
{
	size_t i;

	snprintf(w->what, sizeof(w->what), "exit of a child");
	if (w->nr_mms == 1)
		return;
	i = 1 + rnd(w, w->nr_mms - 1);
	fc_mm_destroy(w->mms[i]);
	w->mms[i] = w->mms[--w->nr_mms];
	w->done[OP_EXIT]++;
}

static void gup_step(struct walk *w, struct mm_struct *mm, bool fast)
{
	unsigned long start = BASE + rnd(w, SPAN_PAGES) * PAGE_SIZE;
	unsigned long nr = 1 + rnd(w, 4);
	unsigned flags = (rnd(w, 2) ? FOLL_WRITE : 0) | FOLL_GET;
	struct page *pages[4];
	long n;

	while (w->nr_pins + 4 > MAX_PINS)
		unpin(w, 0);
	snprintf(w->what, sizeof(w->what), "%s of %lu pages at %#lx%s", fast ? "gup_fast" : "gup",
		 nr, start, flags & FOLL_WRITE ? ", for write" : "");
	n = fast ? get_user_pages_fast(mm, start, nr, flags, pages)
		 : get_user_pages(mm, start, nr, flags, pages);
	if (n > (long)nr)
		fail_msg("step %lu, %s: %ld pages", w->step, w->what, n);
	if (n > 0) {
		pin(w, pages, n);
		w->done[fast ? OP_GUP_FAST : OP_GUP]++;
	}
}

/* munmap and mmap again: a remapped slot becomes what it was. */
static void remake_step(struct walk *w, struct mm_struct *mm)
{
	size_t k = rnd(w, NR_KINDS);

	snprintf(w->what, sizeof(w->what), "remake %s", kinds[k].name);
	assert_int_equal(fc_munmap(mm, slot(k), NPAGES * PAGE_SIZE), 1);
	map_kind(mm, k);
	w->done[OP_REMAKE]++;
}

static enum op pick(struct walk *w)
{
	unsigned total = 0, r;

	for (int i = 0; i < NR_OPS; i++)
		total += op_weight[i];
	r = (unsigned)rnd(w, total);
	for (int i = 0;; i++) {
		if (r < op_weight[i])
			return (enum op)i;
		r -= op_weight[i];
	}
}

static void one_step(struct walk *w)
{
	struct mm_struct *mm = w->mms[rnd(w, w->nr_mms)];

	enum op op = pick(w);

	switch (op) {
	case OP_READ:
	case OP_WRITE:
		do_fault_step(w, mm, op == OP_WRITE);
		break;
	case OP_ZAP:
		zap_step(w, mm);
		break;
	case OP_REMAP:
		remap_step(w, mm);
		break;
	case OP_INSERT:
		insert_step(w, mm);
		break;
	case OP_FORK:
		fork_step(w, mm);
		break;
	case OP_EXIT:
		exit_step(w);
		break;
	case OP_GUP:
	case OP_GUP_FAST:
		gup_step(w, mm, op == OP_GUP_FAST);
		break;
	case OP_UNPIN:
		snprintf(w->what, sizeof(w->what), "unpin");
		if (w->nr_pins) {
			unpin(w, (int)rnd(w, w->nr_pins));
			w->done[OP_UNPIN]++;
		}
		break;
	default:
		remake_step(w, mm);
		break;
	}
}

static void walk(const char *const *knobs, uint64_t seed)
{
	static struct walk w;
	struct fc_mm_config cfg;
	char err[256];

	fc_mm_config_default(&cfg);
	for (; *knobs; knobs += 2)
		if (fc_mm_config_set(&cfg, knobs[0], knobs[1], err, sizeof(err)))
			fail_msg("%s", err);
	fixture_new(&cfg);
	memset(&w, 0, sizeof(w));
	w.rng = seed;
	w.mms[w.nr_mms++] = fx->mm;
	for (int i = 0; i < NR_CACHE; i++)
		w.extra[page_to_pfn(fx->phys, fx->cache[i])] = 1;
	for (int i = 0; i < 5; i++)
		sm_pages[i] = fx->cache[i];
	for (size_t k = 0; k < NR_KINDS; k++)
		map_kind(fx->mm, k);

	for (w.step = 0; w.step < STEPS; w.step++) {
		one_step(&w);
		check(&w);
	}
	/*
	 * Every kind of step did something, or the walk proves less than it
	 * says; gup_fast pins nothing under the linear rule (see gup.c).
	 */
	for (int i = 0; i < NR_OPS; i++)
		if (!w.done[i] && (i != OP_GUP_FAST || cfg.normal_rule == FC_NORMAL_SPECIAL))
			fail_msg("no %s step succeeded in %d steps", op_names[i], STEPS);
	/* ... and the zero page was mapped and COWed, or never under zero_page=0 */
	if (cfg.zero_page != (counted(FC_STAT_ZERO_PAGE) > 0) ||
	    cfg.zero_page != (counted(FC_STAT_COW_ZERO_PAGE) > 0))
		fail_msg("zero_page=%d: %lu zero-page maps, %lu COWs of it", cfg.zero_page,
			 (unsigned long)counted(FC_STAT_ZERO_PAGE),
			 (unsigned long)counted(FC_STAT_COW_ZERO_PAGE));

	while (w.nr_mms > 1)
		exit_step(&w);
	while (w.nr_pins)
		unpin(&w, 0);
	fixture_free();
}

static void test_random_sequence_defaults(void **state)
{
	static const char *const knobs[] = { NULL };

	walk(knobs, 0x9e3779b97f4a7c15ULL);
}

static void test_random_sequence_pte_special_modern(void **state)
{
	static const char *const knobs[] = { "normal", "special", "dispatch", "modern", NULL };

	walk(knobs, 0x2545f4914f6cdd1dULL);
}

static void test_random_sequence_no_recheck_nopfn_first(void **state)
{
	static const char *const knobs[] = { "recheck", "none", "dispatch", "nopfn-first", NULL };

	walk(knobs, 0xda942042e4dd58b5ULL);
}

static void test_random_sequence_precheck_resolved_mm_lock(void **state)
{
	static const char *const knobs[] = { "recheck",	 "precheck",	"dispatch",
					     "resolved", "granularity", "mm",
					     "normal",	 "special",	NULL };

	walk(knobs, 0x853c49e6748fea9bULL);
}

static void test_random_sequence_no_recheck_pte_special(void **state)
{
	static const char *const knobs[] = { "recheck", "none", "normal", "special", NULL };

	walk(knobs, 0xd1b54a32d192ed03ULL);
}

/* The allocating read path of zero_page=0 walks the same rules. */
static void test_random_sequence_no_zero_page(void **state)
{
	static const char *const knobs[] = { "zero_page", "0", "normal", "special", NULL };

	walk(knobs, 0x94d049bb133111ebULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sequence_defaults),
		cmocka_unit_test(test_random_sequence_pte_special_modern),
		cmocka_unit_test(test_random_sequence_no_recheck_nopfn_first),
		cmocka_unit_test(test_random_sequence_precheck_resolved_mm_lock),
		cmocka_unit_test(test_random_sequence_no_recheck_pte_special),
		cmocka_unit_test(test_random_sequence_no_zero_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
