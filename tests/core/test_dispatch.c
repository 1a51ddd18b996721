// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which handler fills a missing PTE, under each dispatch order (seed 002's
 * review: Nick asked for ->nopage to be checked before ->nopfn).
 */
#include "fixture.h"

#define SHARED_PFNMAP (VM_SHARED | VM_WRITE | VM_PFNMAP | VM_IO)
/* A driver with both methods: VM_MIXEDMAP holds its pages and its raw pfns. */
#define SHARED_MIXED (VM_SHARED | VM_WRITE | VM_MIXEDMAP)

static const char *const orders[] = { "nopage-first", "nopfn-first", "modern", "resolved" };

static void setup_order(const char *order)
{
	struct fc_mm_config cfg = config_with("dispatch", order);

	fixture_new(&cfg);
}

static void map(unsigned long flags, const struct vm_operations_struct *ops)
{
	assert_non_null(fc_mmap(fx->mm, BASE, NR_TEST_PAGES * PAGE_SIZE, flags, ops, NULL, 0));
}

/* 2.6.17 as merged: if (vm_ops->nopage) ...; if (vm_ops->nopfn) ... */
static void test_nopage_first_asks_nopage_before_nopfn(void **state)
{
	setup_order("nopage-first");
	map(SHARED_MIXED, &both_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(fx->nopage_calls, 1);
	assert_int_equal(fx->nopfn_calls, 0);
	assert_int_equal(counted(FC_STAT_HANDLER_NOPAGE), 1);
	fixture_free();
}

/* The first posting: if (vm_ops->nopfn) return do_no_pfn(...); */
static void test_nopfn_first_asks_nopfn_before_nopage(void **state)
{
	setup_order("nopfn-first");
	map(SHARED_MIXED, &both_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(fx->nopage_calls, 0);
	assert_int_equal(fx->nopfn_calls, 1);
	assert_int_equal(pte_pfn(pte_at(BASE)), io_pfn(0));
	fixture_free();
}

/* resolved picks, once at mmap time, what nopage-first picks per fault. */
static void test_resolved_matches_nopage_first(void **state)
{
	setup_order("resolved");
	map(SHARED_MIXED, &both_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MINOR);
	assert_int_equal(fx->nopage_calls, 1);
	assert_int_equal(fx->nopfn_calls, 0);
	fixture_free();
}

/* No vm_ops at all is anonymous memory in every order. */
static void test_no_vm_ops_is_anonymous_in_every_order(void **state)
{
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		setup_order(orders[i]);
		map(VM_WRITE, NULL);
		assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), VM_FAULT_MINOR);
		assert_int_equal(counted(FC_STAT_HANDLER_ANON), 1);
		assert_true(pte_write(pte_at(BASE)));
		assert_true(PageAnon(pfn_to_page(fx->phys, pte_pfn(pte_at(BASE)))));
		fixture_free();
	}
}

/* Ops without nopage, nopfn or fault are anonymous too, in the historical orders. */
static const struct vm_operations_struct empty_ops = { .name = "empty" };

static void test_ops_without_methods_is_anonymous(void **state)
{
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		if (!strcmp(orders[i], "modern"))
			continue; /* do_fault: SIGBUS, below */
		setup_order(orders[i]);
		map(VM_WRITE, &empty_ops);
		assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), VM_FAULT_MINOR);
		assert_int_equal(counted(FC_STAT_HANDLER_ANON), 1);
		assert_true(PageAnon(pfn_to_page(fx->phys, pte_pfn(pte_at(BASE)))));
		fixture_free();
	}
}

/* The handler is given the faulting page's address, never the byte's. */
static unsigned long handler_addr;

static struct page *addr_nopage(struct vm_area_struct *vma, unsigned long addr, int *type)
{
	handler_addr = addr;
	return drv_nopage(vma, addr, type);
}

static vm_fault_t addr_fault(struct vm_fault *vmf)
{
	handler_addr = vmf->address;
	return drv_fault(vmf);
}

static const struct vm_operations_struct addr_nopage_ops = { .nopage = addr_nopage };
static const struct vm_operations_struct addr_fault_ops = { .fault = addr_fault };

static void test_handler_gets_page_aligned_address(void **state)
{
	const struct vm_operations_struct *ops[] = { &addr_nopage_ops, &addr_fault_ops };

	for (size_t i = 0; i < 2; i++) {
		setup_order("nopage-first");
		map(VM_SHARED | VM_WRITE, ops[i]);
		handler_addr = 0;
		assert_int_equal(handle_mm_fault(fx->mm, BASE + 3 * PAGE_SIZE + 123, 0),
				 VM_FAULT_MINOR);
		assert_int_equal(handler_addr, BASE + 3 * PAGE_SIZE);
		fixture_free();
	}
}

/* Modern kernels have no ->nopfn: a VMA with ops but no ->fault gets SIGBUS. */
static void test_modern_without_fault_method_is_sigbus(void **state)
{
	setup_order("modern");
	map(SHARED_PFNMAP, &nopfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(fx->nopfn_calls, 0);
	fixture_free();
}

/*
 * A hole in a VM_PFNMAP (a zapped entry, here) when no handler can fill it:
 * SIGBUS in every dispatch order, read or write, shared or COW, with no ops
 * or with ops that have no method.  An anonymous page there is one that the
 * linearity rule of a shared mapping calls "no page": it would leak.
 *
 *   BASE: [ dev 0 | hole | dev 2 | dev 3 ]   remap_pfn_range, then a zap
 */
static const struct vm_operations_struct no_methods_ops = { .name = "no-methods" };

static void check_pfnmap_hole(const char *order, unsigned long vm_flags,
			      const struct vm_operations_struct *ops, unsigned fault_flags)
{
	const unsigned long hole = BASE + PAGE_SIZE;
	struct vm_area_struct *vma;

	setup_order(order);
	vma = fc_mmap(fx->mm, BASE, 4 * PAGE_SIZE, vm_flags, ops, NULL, 0);
	assert_int_equal(remap_pfn_range(vma, BASE, dev_pfn(0), 4 * PAGE_SIZE, vma->vm_page_prot),
			 0);
	zap_page_range(vma, hole, PAGE_SIZE);
	assert_int_equal(handle_mm_fault(fx->mm, hole, fault_flags), VM_FAULT_SIGBUS);
	assert_true(pte_none(pte_at(hole)));
	assert_int_equal(counted(FC_STAT_HANDLER_ANON), 0);
	assert_int_equal(fc_phys_pages_in_use(fx->phys), NR_CACHE);
	fixture_free();
}

static void test_pfnmap_hole_without_handler_is_sigbus(void **state)
{
	/* bit 0: write fault; bit 1: COW (private) rather than shared; bit 2: ops without methods
	 */
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++)
		for (int bits = 0; bits < 8; bits++)
			check_pfnmap_hole(orders[i], bits & 2 ? VM_WRITE : VM_SHARED | VM_WRITE,
					  bits & 4 ? &no_methods_ops : NULL,
					  bits & 1 ? FAULT_FLAG_WRITE : 0);
}

/* ->fault returning a page: finish_fault installs it and maps the reference. */
static void test_fault_method_page_is_installed(void **state)
{
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		setup_order(orders[i]);
		map(VM_SHARED | VM_WRITE, &fault_ops);
		assert_int_equal(handle_mm_fault(fx->mm, BASE + 2 * PAGE_SIZE, 0), VM_FAULT_MINOR);
		assert_int_equal(pte_pfn(pte_at(BASE + 2 * PAGE_SIZE)),
				 page_to_pfn(fx->phys, fx->cache[2]));
		assert_int_equal(page_mapcount(fx->cache[2]), 1);
		assert_int_equal(page_count(fx->cache[2]), 2);
		fixture_free();
	}
}

/* ->fault that inserts the pfn itself: VM_FAULT_NOPAGE, counted as nopage. */
static void test_fault_inserting_pfn_is_nopage(void **state)
{
	setup_order("modern");
	map(SHARED_PFNMAP, &fault_pfn_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_NOPAGE);
	assert_int_equal(counted(FC_STAT_FAULTS_NOPAGE), 1);
	assert_int_equal(pte_pfn(pte_at(BASE)), io_pfn(0));
	fixture_free();
}

static struct page *major_nopage(struct vm_area_struct *vma, unsigned long addr, int *type)
{
	struct page *page = drv_nopage(vma, addr, NULL);

	*type = VM_FAULT_MAJOR;
	return page;
}

static const struct vm_operations_struct major_ops = { .nopage = major_nopage };

static void test_nopage_major_type_is_counted_major(void **state)
{
	setup_order("nopage-first");
	map(VM_SHARED, &major_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_MAJOR);
	assert_int_equal(counted(FC_STAT_FAULTS_MAJOR), 1);
	fixture_free();
}

static struct page *failing_nopage(struct vm_area_struct *vma, unsigned long addr, int *type)
{
	return addr == BASE ? NOPAGE_SIGBUS : NOPAGE_OOM;
}

static const struct vm_operations_struct failing_ops = { .nopage = failing_nopage };

static void test_nopage_errors_map_to_sigbus_and_oom(void **state)
{
	setup_order("nopage-first");
	map(VM_SHARED, &failing_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(handle_mm_fault(fx->mm, BASE + PAGE_SIZE, 0), VM_FAULT_OOM);
	assert_int_equal(counted(FC_STAT_FAULTS_SIGBUS), 1);
	assert_int_equal(counted(FC_STAT_FAULTS_OOM), 1);
	fixture_free();
}

/* do_no_page: a write to a private file mapping maps an anonymous copy. */
static void test_private_write_on_nopage_maps_a_copy(void **state)
{
	unsigned char *bytes;

	setup_order("nopage-first");
	map(VM_WRITE, &nopage_ops);
	assert_int_equal(handle_mm_fault(fx->mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE),
			 VM_FAULT_MINOR);
	assert_int_not_equal(pte_pfn(pte_at(BASE + PAGE_SIZE)),
			     page_to_pfn(fx->phys, fx->cache[1]));
	bytes = pfn_to_virt(fx->phys, pte_pfn(pte_at(BASE + PAGE_SIZE)));
	assert_int_equal(bytes[0], 0x41);
	assert_int_equal(page_count(fx->cache[1]), 1); /* the cache's own, only */
	fixture_free();
}

/* do_page_fault's bad_area: no VMA, or a write the VMA does not allow, is SIGSEGV. */
static void test_bad_area_is_sigsegv(void **state)
{
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		setup_order(orders[i]);
		map(VM_SHARED, &nopage_ops);
		assert_int_equal(handle_mm_fault(fx->mm, BASE - PAGE_SIZE, 0), VM_FAULT_SIGSEGV);
		assert_int_equal(handle_mm_fault(fx->mm, BASE + NR_TEST_PAGES * PAGE_SIZE, 0),
				 VM_FAULT_SIGSEGV);
		assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
		assert_true(VM_FAULT_SIGSEGV & VM_FAULT_ERROR);
		assert_int_equal(counted(FC_STAT_FAULTS_SIGSEGV), 3);
		assert_int_equal(counted(FC_STAT_FAULTS_SIGBUS), 0);
		assert_int_equal(fx->nopage_calls, 0);
		assert_true(pte_none(pte_at(BASE)));
		fixture_free();
	}
}

/* An exhausted frame space: the anonymous fault is VM_FAULT_OOM, nothing mapped. */
static void test_anonymous_fault_without_memory_is_oom(void **state)
{
	unsigned long i, got = 0;

	setup_order("nopage-first");
	map(VM_WRITE, NULL);
	assert_non_null(
		fc_mmap(fx->mm, BASE + PMD_SIZE, NR_RAM * PAGE_SIZE, VM_WRITE, NULL, NULL, 0));
	for (i = 0; i < NR_RAM; i++)
		got += handle_mm_fault(fx->mm, BASE + PMD_SIZE + i * PAGE_SIZE, FAULT_FLAG_WRITE) ==
		       0;
	assert_int_equal(got, NR_RAM - NR_CACHE); /* the page cache holds the rest */
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), VM_FAULT_OOM);
	assert_int_equal(counted(FC_STAT_FAULTS_OOM), NR_CACHE + 1);
	assert_true(pte_none(pte_at(BASE)));
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nopage_first_asks_nopage_before_nopfn),
		cmocka_unit_test(test_nopfn_first_asks_nopfn_before_nopage),
		cmocka_unit_test(test_resolved_matches_nopage_first),
		cmocka_unit_test(test_no_vm_ops_is_anonymous_in_every_order),
		cmocka_unit_test(test_ops_without_methods_is_anonymous),
		cmocka_unit_test(test_handler_gets_page_aligned_address),
		cmocka_unit_test(test_modern_without_fault_method_is_sigbus),
		cmocka_unit_test(test_pfnmap_hole_without_handler_is_sigbus),
		cmocka_unit_test(test_fault_method_page_is_installed),
		cmocka_unit_test(test_fault_inserting_pfn_is_nopage),
		cmocka_unit_test(test_nopage_major_type_is_counted_major),
		cmocka_unit_test(test_nopage_errors_map_to_sigbus_and_oom),
		cmocka_unit_test(test_private_write_on_nopage_maps_a_copy),
		cmocka_unit_test(test_bad_area_is_sigsegv),
		cmocka_unit_test(test_anonymous_fault_without_memory_is_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
