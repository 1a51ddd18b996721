// SPDX-License-Identifier: GPL-2.0-only
/*
 * remap_pfn_range (seed 001, and the kernel's later rules): all or nothing,
 * a part of a shared VMA, the whole of a COW one, and the flags it sets.
 *
 *   BASE    +1      +2      +3      +4 pages
 *   +-------+-------+-------+-------+
 *   | p0    | p1    | p2    | p3    |   dev frames dev_pfn(0..3) when remapped
 *   +-------+-------+-------+-------+
 */
#include <errno.h>

#include "fixture.h"

#define SPAN (4 * PAGE_SIZE)
#define P(i) (BASE + (i)*PAGE_SIZE)
#define REMAP_FLAGS (VM_IO | VM_PFNMAP | VM_DONTEXPAND)

static struct vm_area_struct *map(unsigned long flags, const struct vm_operations_struct *ops)
{
	struct vm_area_struct *vma = fc_mmap(fx->mm, BASE, SPAN, flags, ops, NULL, 7);

	assert_non_null(vma);
	return vma;
}

static int remap(struct vm_area_struct *vma, int first, int n)
{
	return remap_pfn_range(vma, P(first), dev_pfn(first), n * PAGE_SIZE, vma->vm_page_prot);
}

/* A refused remap leaves the VMA as it was: flags, vm_pgoff, and every entry but `kept`. */
static void assert_unchanged(struct vm_area_struct *vma, unsigned long flags, int kept)
{
	assert_int_equal(vma->vm_flags, flags);
	assert_int_equal(vma->vm_pgoff, 7);
	for (int i = 0; i < 4; i++)
		if (i != kept)
			assert_true(pte_none(pte_at(P(i))));
	assert_verified(fx->mm);
}

/* A busy entry inside the range: -EBUSY before anything is stored or flagged. */
static void test_remap_pfn_range_busy_entry_changes_nothing(void **state)
{
	struct vm_area_struct *vma;
	unsigned long flags;
	pte_t busy;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_WRITE, &nopage_ops);
	flags = vma->vm_flags;
	assert_int_equal(handle_mm_fault(fx->mm, P(2), 0), 0);
	busy = pte_at(P(2));
	assert_int_equal(remap(vma, 0, 4), -EBUSY);
	assert_int_equal(pte_at(P(2)).val, busy.val);
	assert_int_equal(page_mapcount(fx->cache[(7 + 2) % NR_CACHE]), 1);
	assert_unchanged(vma, flags, 2);
	fixture_free();
}

/*
 * A busy entry outside the range of a VMA that is not VM_PFNMAP yet: the new
 * flags would make vm_normal_page read that page as a raw pfn, so -EBUSY.
 */
static void test_remap_pfn_range_refuses_to_reclassify_mapped_pages(void **state)
{
	struct vm_area_struct *vma;
	unsigned long flags;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_WRITE, &nopage_ops);
	flags = vma->vm_flags;
	assert_int_equal(handle_mm_fault(fx->mm, P(0), 0), 0);
	assert_int_equal(remap(vma, 2, 2), -EBUSY);
	assert_unchanged(vma, flags, 0);
	fixture_free();
}

/* The kernel requires a whole-VMA remap only of a COW mapping. */
static void test_remap_pfn_range_part_of_shared_vma(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_WRITE, NULL);
	assert_int_equal(remap(vma, 1, 2), 0);
	assert_true(pte_none(pte_at(P(0))) && pte_none(pte_at(P(3))));
	assert_int_equal(pte_pfn(pte_at(P(1))), dev_pfn(1));
	assert_int_equal(pte_pfn(pte_at(P(2))), dev_pfn(2));
	assert_int_equal(vma->vm_flags & REMAP_FLAGS, REMAP_FLAGS);
	assert_int_equal(vma->vm_pgoff, 7); /* a shared mapping's keeps its meaning */
	/* Already VM_PFNMAP: another part may be filled beside the first. */
	assert_int_equal(remap(vma, 3, 1), 0);
	assert_int_equal(pte_pfn(pte_at(P(3))), dev_pfn(3));
	assert_int_equal(remap(vma, 2, 2), -EBUSY);
	assert_verified(fx->mm);
	fixture_free();
}

static void test_remap_pfn_range_part_of_cow_vma_is_einval(void **state)
{
	struct vm_area_struct *vma;
	unsigned long flags;

	fixture_new(NULL);
	vma = map(VM_WRITE, NULL);
	flags = vma->vm_flags;
	assert_int_equal(remap(vma, 1, 2), -EINVAL);
	assert_int_equal(remap(vma, 0, 3), -EINVAL);
	assert_unchanged(vma, flags, -1);
	fixture_free();
}

/*
 * A whole COW remap sets vm_pgoff to the first pfn (the linearity rule's
 * anchor), and VM_IO | VM_PFNMAP | VM_DONTEXPAND, the modern counterpart of
 * the VM_RESERVED that seed 001 sets.
 */
static void test_remap_pfn_range_whole_cow_vma_sets_pgoff_and_flags(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = map(VM_WRITE, NULL);
	assert_int_equal(remap(vma, 0, 4), 0);
	assert_int_equal(vma->vm_pgoff, dev_pfn(0));
	assert_int_equal(vma->vm_flags & REMAP_FLAGS, REMAP_FLAGS);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pte_pfn(pte_at(P(i))), dev_pfn(i));
		assert_false(pte_write(pte_at(P(i))));
		assert_null(vm_normal_page(vma, P(i), pte_at(P(i))));
	}
	fixture_free();
}

/* Seed 004: a VMA is VM_PFNMAP or VM_MIXEDMAP, never both. */
static void test_remap_pfn_range_refuses_mixedmap(void **state)
{
	struct vm_area_struct *vma;
	unsigned long flags;

	fixture_new(NULL);
	vma = map(VM_SHARED | VM_MIXEDMAP, NULL);
	flags = vma->vm_flags;
	assert_int_equal(remap(vma, 0, 4), -EINVAL);
	assert_int_equal(counted(FC_STAT_BUG), 1);
	assert_unchanged(vma, flags, -1);
	fixture_free();
}

static void test_remap_pfn_range_refuses_bad_ranges(void **state)
{
	struct vm_area_struct *vma;
	unsigned long flags;

	fixture_new(NULL);
	vma = map(VM_SHARED, NULL);
	flags = vma->vm_flags;
	assert_int_equal(remap_pfn_range(vma, P(1) + 1, 0, PAGE_SIZE, vma->vm_page_prot), -EINVAL);
	assert_int_equal(remap_pfn_range(vma, P(1), 0, PAGE_SIZE + 1, vma->vm_page_prot), -EINVAL);
	assert_int_equal(remap_pfn_range(vma, P(1), 0, 0, vma->vm_page_prot), -EINVAL);
	assert_int_equal(remap_pfn_range(vma, P(3), 0, 2 * PAGE_SIZE, vma->vm_page_prot), -EINVAL);
	assert_int_equal(remap_pfn_range(vma, BASE - PAGE_SIZE, 0, SPAN, vma->vm_page_prot),
			 -EINVAL);
	assert_unchanged(vma, flags, -1);
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remap_pfn_range_busy_entry_changes_nothing),
		cmocka_unit_test(test_remap_pfn_range_refuses_to_reclassify_mapped_pages),
		cmocka_unit_test(test_remap_pfn_range_part_of_shared_vma),
		cmocka_unit_test(test_remap_pfn_range_part_of_cow_vma_is_einval),
		cmocka_unit_test(test_remap_pfn_range_whole_cow_vma_sets_pgoff_and_flags),
		cmocka_unit_test(test_remap_pfn_range_refuses_mixedmap),
		cmocka_unit_test(test_remap_pfn_range_refuses_bad_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
