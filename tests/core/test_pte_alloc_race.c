// SPDX-License-Identifier: GPL-2.0-only
/*
 * The losing branch of the __pte_alloc race, forced.  A thread that finds
 * the slot filled once it holds page_table_lock frees its own table, counts
 * the loss and walks on with the winner's.  Threads hit that branch only
 * now and then, so this test includes core/pgtable.c (as the kernel's
 * tools/testing/vma does with mm/vma.c) and loses on purpose: the table it
 * offers meets a slot another fault already filled.
 */
#include "../../core/pgtable.c"

#include "fixture.h"

static void test_pte_alloc_loser_frees_its_table_and_counts(void **state)
{
	struct mm_struct *mm;
	struct fc_pud_table *pud;
	struct fc_pmd_table *pmd;
	void **pud_slot;

	fixture_new(NULL);
	mm = fx->mm;
	assert_non_null(fc_mmap(mm, BASE, PAGE_SIZE, VM_WRITE, NULL, NULL, 0));
	assert_int_equal(handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0); /* the winner */
	assert_int_equal(counted(FC_STAT_PTE_ALLOC_LOST), 0);

	pud_slot = (void **)&mm->pgd->pud[pgd_index(BASE)];
	pud = pt_entry(pud_slot);
	assert_ptr_equal(alloc_upper(mm, pud_slot, sizeof(*pud), &mm->nr_pud_tables), pud);
	assert_int_equal(mm->nr_pud_tables, 1);
	assert_int_equal(counted(FC_STAT_PTE_ALLOC_LOST), 1);

	pmd = pt_entry((void **)&pud->pmd[pud_index(BASE)]);
	assert_ptr_equal(alloc_pte_table(mm, pmd, pmd_index(BASE)),
			 pt_entry((void **)&pmd->pte[pmd_index(BASE)]));
	assert_int_equal(mm->nr_pte_tables, 1);
	assert_int_equal(counted(FC_STAT_PTE_ALLOC_LOST), 2);
	/* The winner's table still holds the winner's entry. */
	assert_true(pte_present(pte_at(BASE)));
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pte_alloc_loser_frees_its_table_and_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
