// SPDX-License-Identifier: GPL-2.0-only
/*
 * do_no_pfn, seeds 000 and 002 (and the VM_MIXEDMAP rules of seed 004).
 *
 *   BASE            BASE + 16 pages
 *   +---------------+
 *   | VM_PFNMAP     |  ->nopfn returns io_pfn(page index)
 *   +---------------+
 */
#include "fixture.h"

#define SHARED_PFNMAP (VM_SHARED | VM_WRITE | VM_PFNMAP | VM_IO)

static struct vm_area_struct *map(unsigned long flags, const struct vm_operations_struct *ops)
{
	struct vm_area_struct *vma =
		fc_mmap(fx->mm, BASE, NR_TEST_PAGES * PAGE_SIZE, flags, ops, NULL, 0);

	assert_non_null(vma);
	return vma;
}

static void test_do_no_pfn_installs_handler_pfn(void **state)
{
	fixture_new(NULL);
	map(SHARED_PFNMAP, &nopfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE + 3 * PAGE_SIZE + 123, 0), VM_FAULT_MINOR);
	assert_int_equal(pte_pfn(pte_at(BASE + 3 * PAGE_SIZE)), io_pfn(3));
	assert_true(pte_present(pte_at(BASE + 3 * PAGE_SIZE)));
	assert_int_equal(fx->nopfn_calls, 1);
	assert_int_equal(counted(FC_STAT_HANDLER_NOPFN), 1);
	assert_int_equal(counted(FC_STAT_SET_PTE), 1);
	assert_int_equal(counted(FC_STAT_FAULTS_MINOR), 1);
	fixture_free();
}

/* BUG_ON(!(vma->vm_flags & (VM_PFNMAP|VM_MIXEDMAP))) */
static void test_do_no_pfn_without_pfnmap_is_bug(void **state)
{
	fixture_new(NULL);
	map(VM_SHARED | VM_WRITE, &nopfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(fx->nopfn_calls, 0);
	assert_int_equal(counted(FC_STAT_BUG), 1);
	assert_int_equal(counted(FC_STAT_FAULTS_SIGBUS), 1);
	assert_true(pte_none(pte_at(BASE)));
	fixture_free();
}

/* BUG_ON(is_cow_mapping(vma->vm_flags)): Linus in seed 002. */
static void test_do_no_pfn_cow_mapping_is_sigbus(void **state)
{
	fixture_new(NULL);
	map(VM_MAYWRITE | VM_PFNMAP | VM_IO, &nopfn_ops); /* private, may become writable */
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(fx->nopfn_calls, 0);
	assert_int_equal(counted(FC_STAT_BUG), 1);
	assert_true(pte_none(pte_at(BASE)));
	fixture_free();
}

/* A private mapping that can never be written is not a COW mapping. */
static void test_do_no_pfn_private_readonly_is_allowed(void **state)
{
	fixture_new(NULL);
	map(VM_PFNMAP | VM_IO, &nopfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(counted(FC_STAT_BUG), 0);
	fixture_free();
}

/* Seed 004: VM_MIXEDMAP lifts the COW restriction... */
static void test_do_no_pfn_cow_mixedmap_is_allowed(void **state)
{
	fixture_new(NULL);
	map(VM_MAYWRITE | VM_MIXEDMAP, &nopfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(pte_pfn(pte_at(BASE)), io_pfn(0));
	assert_int_equal(counted(FC_STAT_BUG), 0);
	fixture_free();
}

/*
 * What seed 004 leaves open: a write fault through ->nopfn on a COW
 * VM_MIXEDMAP maps the raw frame writable (maybe_mkwrite), so the private
 * mapping writes through to the device.  The model reproduces it, and
 * mm_verify names it.
 */
static void test_do_no_pfn_cow_mixedmap_write_maps_frame_writable(void **state)
{
	char err[256];

	fixture_new(NULL);
	map(VM_WRITE | VM_MIXEDMAP, &nopfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), VM_FAULT_MINOR);
	assert_true(pte_write(pte_at(BASE)));
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable raw pfn in a COW mapping"));
	zap_page_range(find_vma(fx->mm, BASE), BASE, PAGE_SIZE);
	fixture_free();
}

/* ...but BUG_ON((vma->vm_flags & VM_MIXEDMAP) && pfn_valid(pfn)) after ->nopfn. */
static void test_do_no_pfn_mixedmap_pfn_valid_is_bug(void **state)
{
	fixture_new(NULL);
	map(VM_SHARED | VM_MIXEDMAP, &nopfn_ops);
	fx->nopfn_ret = 5; /* a RAM frame */
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(fx->nopfn_calls, 1);
	assert_int_equal(counted(FC_STAT_BUG), 1);
	assert_true(pte_none(pte_at(BASE)));
	fixture_free();
}

static void test_do_no_pfn_nopfn_oom_is_oom(void **state)
{
	fixture_new(NULL);
	map(SHARED_PFNMAP, &nopfn_ops);
	fx->nopfn_ret = NOPFN_OOM;
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_OOM);
	assert_int_equal(counted(FC_STAT_FAULTS_OOM), 1);
	assert_int_equal(counted(FC_STAT_SET_PTE), 0);
	assert_true(pte_none(pte_at(BASE)));
	fixture_free();
}

static void test_do_no_pfn_nopfn_sigbus_is_sigbus(void **state)
{
	fixture_new(NULL);
	map(SHARED_PFNMAP, &nopfn_ops);
	fx->nopfn_ret = NOPFN_SIGBUS;
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(counted(FC_STAT_FAULTS_SIGBUS), 1);
	assert_int_equal(counted(FC_STAT_BUG), 0);
	assert_true(pte_none(pte_at(BASE)));
	fixture_free();
}

/* entry = maybe_mkwrite(pte_mkdirty(entry), vma) on a write. */
static void test_do_no_pfn_write_makes_dirty_writable(void **state)
{
	fixture_new(NULL);
	map(SHARED_PFNMAP, &nopfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), VM_FAULT_MINOR);
	assert_true(pte_dirty(pte_at(BASE)));
	assert_true(pte_write(pte_at(BASE)));
	assert_int_equal(handle_mm_fault(fx->mm, BASE + PAGE_SIZE, 0), VM_FAULT_MINOR);
	assert_false(pte_dirty(pte_at(BASE + PAGE_SIZE)));
	fixture_free();
}

/*
 * A read fault on a read-only VMA installs a read-only entry, whichever
 * handler serves it and in every dispatch order that reaches that handler:
 * only a write makes an entry writable (seed 000's "if (write_access)"), and
 * a write to such a VMA never gets that far (bad_area).  Pages 0 and 1, so
 * that the VM_MIXEDMAP driver gives a page and a device frame.
 */
static struct page *ro_pages[3];
static const struct vm_special_mapping ro_special = { .name = "[vdso]", .pages = ro_pages };

static const struct readonly_case {
	const char *name;
	unsigned long flags; /* both with and without VM_SHARED */
	const struct vm_operations_struct *ops;
	const struct vm_special_mapping *sm;
	bool modern; /* does the modern order (->fault or anonymous) reach it? */
} readonly_cases[] = {
	{ "->nopfn", VM_PFNMAP | VM_IO, &nopfn_ops, NULL, false },
	{ "->nopfn mixedmap", VM_MIXEDMAP, &nopfn_ops, NULL, false },
	{ "->nopage", 0, &nopage_ops, NULL, false },
	{ "->fault page", 0, &fault_ops, NULL, true },
	{ "->fault vmf_insert_pfn", VM_PFNMAP | VM_IO, &fault_pfn_ops, NULL, true },
	{ "->fault vmf_insert_mixed", VM_MIXEDMAP, &fault_mixed_ops, NULL, true },
	{ "anonymous", 0, NULL, NULL, true },
	{ "special .pages", 0, NULL, &ro_special, true },
};

static void readonly_read_faults(const struct readonly_case *c, unsigned long shared,
				 const char *dispatch)
{
	struct fc_mm_config cfg = config_with("dispatch", dispatch);
	struct vm_area_struct *vma;

	fixture_new(&cfg);
	ro_pages[0] = fx->cache[0];
	ro_pages[1] = fx->cache[1];
	vma = c->sm ? _install_special_mapping(fx->mm, BASE, NR_TEST_PAGES * PAGE_SIZE,
					       c->flags | shared, c->sm)
		    : fc_mmap(fx->mm, BASE, NR_TEST_PAGES * PAGE_SIZE, c->flags | shared, c->ops,
			      NULL, 0);
	assert_non_null(vma);
	for (unsigned long a = BASE; a < BASE + 2 * PAGE_SIZE; a += PAGE_SIZE) {
		vm_fault_t ret = handle_mm_fault(fx->mm, a, 0);

		if (ret & VM_FAULT_ERROR || !pte_present(pte_at(a)))
			fail_msg("%s%s, %s: read fault %#x left no entry", c->name,
				 shared ? " shared" : "", dispatch, ret);
		if (pte_write(pte_at(a)))
			fail_msg("%s%s, %s: read fault on a read-only VMA is writable", c->name,
				 shared ? " shared" : "", dispatch);
		assert_int_equal(handle_mm_fault(fx->mm, a, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
		assert_false(pte_write(pte_at(a)));
	}
	zap_page_range(vma, BASE, NR_TEST_PAGES * PAGE_SIZE);
	fixture_free();
}

static void test_read_fault_on_readonly_vma_is_never_writable(void **state)
{
	static const char *const orders[] = { "nopage-first", "nopfn-first", "resolved", "modern" };

	for (size_t i = 0; i < sizeof(readonly_cases) / sizeof(readonly_cases[0]); i++)
		for (unsigned long shared = 0; shared <= VM_SHARED; shared += VM_SHARED)
			for (size_t o = 0; o < 4; o++)
				if (o < 3 || readonly_cases[i].modern)
					readonly_read_faults(&readonly_cases[i], shared, orders[o]);
}

/* Only NOPFN_SIGBUS and NOPFN_OOM are errors: another negative pfn is a bad pfn. */
static void test_do_no_pfn_other_negative_pfn_is_bad_pfn(void **state)
{
	fixture_new(NULL);
	map(SHARED_PFNMAP, &nopfn_ops);
	fx->nopfn_ret = (unsigned long)-3;
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(counted(FC_STAT_BAD_PFN), 1);
	assert_int_equal(counted(FC_STAT_FAULTS_OOM), 0);
	assert_true(pte_none(pte_at(BASE)));
	fixture_free();
}

/*
 * ->nopfn runs without the PTE lock: it may sleep, and the seed's recheck
 * exists because of it.  The handler looks at the ttas lock word itself, so
 * a build that takes the lock first fails here instead of hanging.
 */
static int ptl_held_in_handler = -1;

static unsigned long lock_probing_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	ptl_held_in_handler = __atomic_load_n(&pte_lockptr(fx->mm, addr)->ttas, __ATOMIC_ACQUIRE);
	return drv_nopfn(vma, addr);
}

static const struct vm_operations_struct lock_probing_ops = { .nopfn = lock_probing_nopfn };

static void test_do_no_pfn_handler_runs_without_ptl(void **state)
{
	struct fc_mm_config cfg = config_with("lock", "ttas");

	fixture_new(&cfg);
	map(SHARED_PFNMAP, &lock_probing_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(ptl_held_in_handler, 0);
	assert_int_equal(pte_pfn(pte_at(BASE)), io_pfn(0));
	fixture_free();
}

/* Nick's review: a second fault on a populated entry must not store again. */
static void test_second_fault_on_populated_entry_does_not_set_pte(void **state)
{
	fixture_new(NULL);
	map(SHARED_PFNMAP, &nopfn_ops);
	handle_mm_fault(fx->mm, BASE, 0);
	handle_mm_fault(fx->mm, BASE, 0);
	assert_int_equal(counted(FC_STAT_SET_PTE), 1);
	assert_int_equal(fx->nopfn_calls, 1);
	assert_int_equal(counted(FC_STAT_FAULTS_MINOR), 2);
	fixture_free();
}

/*
 * The lost race, replayed: the handler runs without the PTL, and another
 * thread installs the entry meanwhile (here the handler itself does, through
 * vm_insert_pfn, as the winner would).
 */
static unsigned long racing_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long pfn = drv_nopfn(vma, addr);

	assert_int_equal(vm_insert_pfn(vma, addr, pfn), 0);
	return pfn;
}

static const struct vm_operations_struct racing_ops = { .nopfn = racing_nopfn };

static void race_once(const char *policy)
{
	struct fc_mm_config cfg = config_with("recheck", policy);

	fixture_new(&cfg);
	map(SHARED_PFNMAP, &racing_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(pte_pfn(pte_at(BASE)), io_pfn(0));
}

/* Seed 000: "Only go through if we didn't race with anybody else..." */
static void test_do_no_pfn_recheck_backs_out_when_raced(void **state)
{
	race_once("recheck");
	assert_int_equal(counted(FC_STAT_SET_PTE), 1); /* the winner's store only */
	assert_int_equal(counted(FC_STAT_SET_PTE_REPLACE), 0);
	assert_int_equal(counted(FC_STAT_RECHECK_LOST), 1);
	fixture_free();
}

/* The first posting (seed 002) stored unconditionally: a replace. */
static void test_do_no_pfn_without_recheck_overwrites(void **state)
{
	race_once("none");
	assert_int_equal(counted(FC_STAT_SET_PTE), 2);
	assert_int_equal(counted(FC_STAT_SET_PTE_REPLACE), 1);
	assert_int_equal(counted(FC_STAT_RECHECK_LOST), 0);
	fixture_free();
}

/*
 * The winner installed a refcounted VM_MIXEDMAP page (vmf_insert_mixed of a
 * page-cache page); without the recheck the loser stores its raw pfn over
 * it, and the page's mapping (its mapcount and reference) goes with it.
 */
static unsigned long racing_mixed_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	assert_int_equal(vmf_insert_mixed(vma, addr, page_to_pfn(fx->phys, fx->cache[0])),
			 VM_FAULT_NOPAGE);
	return dev_pfn(0);
}

static const struct vm_operations_struct racing_mixed_ops = { .nopfn = racing_mixed_nopfn };

static void test_do_no_pfn_without_recheck_releases_replaced_page(void **state)
{
	struct fc_mm_config cfg = config_with("recheck", "none");

	fixture_new(&cfg);
	map(VM_SHARED | VM_MIXEDMAP, &racing_mixed_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(pte_pfn(pte_at(BASE)), dev_pfn(0));
	assert_int_equal(counted(FC_STAT_SET_PTE_REPLACE), 1);
	assert_int_equal(page_mapcount(fx->cache[0]), 0);
	assert_int_equal(page_count(fx->cache[0]), 1); /* the cache's own, only */
	fixture_free();
}

/* Under ppc64-hash the lost race's overwrite pays a global tlbie. */
static void test_ppc64_replace_flushes_through_tlbie(void **state)
{
	struct fc_mm_config cfg = config_with("recheck", "none");
	char err[128];

	assert_int_equal(fc_mm_config_set(&cfg, "arch", "ppc64-hash", err, sizeof(err)), 0);
	fixture_new(&cfg);
	map(SHARED_PFNMAP, &racing_ops);
	handle_mm_fault(fx->mm, BASE, 0);
	assert_int_equal(counted(FC_STAT_TLBIE), 1);
	assert_int_equal(counted(FC_STAT_HPT_INSERT),
			 1); /* vm_insert_pfn preloads; do_no_pfn does not */
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_do_no_pfn_installs_handler_pfn),
		cmocka_unit_test(test_do_no_pfn_without_pfnmap_is_bug),
		cmocka_unit_test(test_do_no_pfn_cow_mapping_is_sigbus),
		cmocka_unit_test(test_do_no_pfn_private_readonly_is_allowed),
		cmocka_unit_test(test_do_no_pfn_cow_mixedmap_is_allowed),
		cmocka_unit_test(test_do_no_pfn_cow_mixedmap_write_maps_frame_writable),
		cmocka_unit_test(test_do_no_pfn_mixedmap_pfn_valid_is_bug),
		cmocka_unit_test(test_do_no_pfn_nopfn_oom_is_oom),
		cmocka_unit_test(test_do_no_pfn_nopfn_sigbus_is_sigbus),
		cmocka_unit_test(test_do_no_pfn_write_makes_dirty_writable),
		cmocka_unit_test(test_read_fault_on_readonly_vma_is_never_writable),
		cmocka_unit_test(test_do_no_pfn_other_negative_pfn_is_bad_pfn),
		cmocka_unit_test(test_do_no_pfn_handler_runs_without_ptl),
		cmocka_unit_test(test_second_fault_on_populated_entry_does_not_set_pte),
		cmocka_unit_test(test_do_no_pfn_recheck_backs_out_when_raced),
		cmocka_unit_test(test_do_no_pfn_without_recheck_overwrites),
		cmocka_unit_test(test_do_no_pfn_without_recheck_releases_replaced_page),
		cmocka_unit_test(test_ppc64_replace_flushes_through_tlbie),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
