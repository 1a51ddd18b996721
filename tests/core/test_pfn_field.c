// SPDX-License-Identifier: GPL-2.0-only
/*
 * A pfn that does not fit the PTE's pfn field (bits 12..51) is refused on
 * every way a pfn enters a PTE, and counted in bad_pfn.  Stored, it would be
 * truncated into another frame: 2^40 + 31 becomes frame 31, a RAM page that
 * somebody else owns.
 *
 *   BASE            BASE + 16 pages
 *   +---------------+
 *   | VMA under test|  every entry must stay empty
 *   +---------------+
 */
#include <errno.h>

#include "fixture.h"

#define TRUNCATED 31 /* the RAM frame the bad pfn would alias: a page-cache page */
#define PAST_FIELD ((PTE_PFN_MAX + 1) + TRUNCATED)

static struct vm_area_struct *map(unsigned long flags, const struct vm_operations_struct *ops)
{
	struct vm_area_struct *vma =
		fc_mmap(fx->mm, BASE, NR_TEST_PAGES * PAGE_SIZE, flags, ops, NULL, 0);

	assert_non_null(vma);
	return vma;
}

/* Nothing was stored, the aliased frame is untouched, and the refusal was counted once. */
static void assert_refused_cleanly(void)
{
	struct page *aliased = pfn_to_page(fx->phys, TRUNCATED);

	for (unsigned long i = 0; i < NR_TEST_PAGES; i++)
		assert_true(pte_none(pte_at(BASE + i * PAGE_SIZE)));
	assert_int_equal(page_count(aliased), cache_refs(aliased, fx));
	assert_int_equal(page_mapcount(aliased), 0);
	assert_int_equal(counted(FC_STAT_BAD_PFN), 1);
	assert_int_equal(counted(FC_STAT_SET_PTE), 0);
}

static void test_pte_pfn_max_is_the_pfn_field(void **state)
{
	assert_int_equal(pte_pfn(pfn_pte(PTE_PFN_MAX, (pgprot_t){ 0 })), PTE_PFN_MAX);
	assert_int_not_equal(pte_pfn(pfn_pte(PTE_PFN_MAX + 1, (pgprot_t){ 0 })), PTE_PFN_MAX + 1);
}

static void test_remap_pfn_range_refuses_pfn_past_pte_field(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_SHARED, NULL);
	assert_int_equal(remap_pfn_range(vma, BASE, PAST_FIELD, 4 * PAGE_SIZE, vma->vm_page_prot),
			 -EINVAL);
	assert_false(vma->vm_flags & VM_PFNMAP);
	assert_refused_cleanly();
	fixture_free();
}

/* The range's first pfn fits, its last does not. */
static void test_remap_pfn_range_refuses_range_running_past_pte_field(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_SHARED, NULL);
	assert_int_equal(
		remap_pfn_range(vma, BASE, PTE_PFN_MAX - 1, 4 * PAGE_SIZE, vma->vm_page_prot),
		-EINVAL);
	assert_refused_cleanly();
	fixture_free();
}

static void test_vm_insert_pfn_refuses_pfn_past_pte_field(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_PFNMAP | VM_IO, NULL);
	assert_int_equal(vm_insert_pfn(vma, BASE, PAST_FIELD), -EINVAL);
	assert_refused_cleanly();
	fixture_free();
}

static void test_vmf_insert_pfn_refuses_pfn_past_pte_field(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_MIXEDMAP, NULL);
	assert_int_equal(vmf_insert_pfn(vma, BASE, PAST_FIELD), VM_FAULT_SIGBUS);
	assert_refused_cleanly();
	fixture_free();
}

static void test_vmf_insert_mixed_refuses_pfn_past_pte_field(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_MIXEDMAP, NULL);
	assert_int_equal(vmf_insert_mixed(vma, BASE, PAST_FIELD), VM_FAULT_SIGBUS);
	assert_refused_cleanly();
	fixture_free();
}

static void test_nopfn_returning_pfn_past_pte_field_is_sigbus(void **state)
{
	fixture_new(NULL);
	map(VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops);
	fx->nopfn_ret = PAST_FIELD;
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGBUS);
	assert_int_equal(fx->nopfn_calls, 1);
	assert_int_equal(counted(FC_STAT_FAULTS_SIGBUS), 1);
	assert_refused_cleanly();
	fixture_free();
}

/* The largest pfn that fits is a pfn like any other (a raw one: beyond the frame space). */
static void test_pte_pfn_max_itself_is_accepted(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_PFNMAP | VM_IO, NULL);
	assert_int_equal(vm_insert_pfn(vma, BASE, PTE_PFN_MAX), 0);
	assert_int_equal(pte_pfn(pte_at(BASE)), PTE_PFN_MAX);
	assert_int_equal(counted(FC_STAT_BAD_PFN), 0);
	zap_page_range(vma, BASE, PAGE_SIZE);
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pte_pfn_max_is_the_pfn_field),
		cmocka_unit_test(test_remap_pfn_range_refuses_pfn_past_pte_field),
		cmocka_unit_test(test_remap_pfn_range_refuses_range_running_past_pte_field),
		cmocka_unit_test(test_vm_insert_pfn_refuses_pfn_past_pte_field),
		cmocka_unit_test(test_vmf_insert_pfn_refuses_pfn_past_pte_field),
		cmocka_unit_test(test_vmf_insert_mixed_refuses_pfn_past_pte_field),
		cmocka_unit_test(test_nopfn_returning_pfn_past_pte_field_is_sigbus),
		cmocka_unit_test(test_pte_pfn_max_itself_is_accepted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
