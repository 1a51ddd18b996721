// SPDX-License-Identifier: GPL-2.0-only
/*
 * do_wp_page and cow_user_page (seed 001), and COW of VM_MIXEDMAP (seed 004).
 *
 *   BASE                         BASE + 4 pages
 *   +------+------+------+------+
 *   | private, writable: every write to a raw pfn must COW
 *   +------+------+------+------+
 */
#include "fixture.h"

#define PRIVATE_RW (VM_WRITE | VM_MAYWRITE)

static unsigned char *bytes_at(unsigned long addr)
{
	return pfn_to_virt(fx->phys, pte_pfn(pte_at(addr)));
}

static struct vm_area_struct *remapped(unsigned long first_pfn)
{
	struct vm_area_struct *vma =
		fc_mmap(fx->mm, BASE, 4 * PAGE_SIZE, PRIVATE_RW, NULL, NULL, 0);

	assert_non_null(vma);
	assert_int_equal(remap_pfn_range(vma, BASE, first_pfn, 4 * PAGE_SIZE, vma->vm_page_prot),
			 0);
	return vma;
}

/* A write to a private PFNMAP of a raw pfn gets a new page with the frame's bytes. */
static void test_cow_private_pfnmap_copies_frame_bytes(void **state)
{
	struct vm_area_struct *vma;
	pte_t pte;

	fixture_new(NULL);
	vma = remapped(dev_pfn(0));
	assert_false(pte_write(pte_at(BASE + PAGE_SIZE)));
	assert_int_equal(handle_mm_fault(fx->mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	pte = pte_at(BASE + PAGE_SIZE);
	assert_true(pte_write(pte) && pte_dirty(pte));
	assert_int_not_equal(pte_pfn(pte), dev_pfn(1));
	assert_true(pfn_valid(fx->phys, pte_pfn(pte)));
	assert_int_equal(bytes_at(BASE + PAGE_SIZE)[0], 0xd1);
	assert_int_equal(bytes_at(BASE + PAGE_SIZE)[PAGE_SIZE - 1], 0xd1);
	/* Now the linearity rule says "COWed": a page, not NULL. */
	assert_non_null(vm_normal_page(vma, BASE + PAGE_SIZE, pte));
	assert_int_equal(counted(FC_STAT_COW_COPY), 1);
	assert_int_equal(counted(FC_STAT_COW_ZERO_FILL), 0);

	/* A second write to the COWed page copies nothing. */
	bytes_at(BASE + PAGE_SIZE)[0] = 0x77;
	assert_int_equal(handle_mm_fault(fx->mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(counted(FC_STAT_COW_COPY), 1);
	assert_int_equal(bytes_at(BASE + PAGE_SIZE)[0], 0x77);
	/* The neighbours are still raw. */
	assert_int_equal(pte_pfn(pte_at(BASE)), dev_pfn(0));
	fixture_free();
}

/* cow_user_page: "If that fails, we just zero-fill it. Live with it." */
static void test_cow_unreadable_frame_zero_fills(void **state)
{
	fixture_new(NULL);
	remapped(io_pfn(0));
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(counted(FC_STAT_COW_ZERO_FILL), 1);
	for (unsigned i = 0; i < PAGE_SIZE; i += 512)
		assert_int_equal(bytes_at(BASE)[i], 0);
	fixture_free();
}

/* The zero fill really clears: the new page first held someone's bytes. */
static void test_cow_zero_fill_clears_a_used_page(void **state)
{
	struct page *used;

	fixture_new(NULL);
	remapped(io_pfn(0));
	used = alloc_page(fx->phys);
	memset(pfn_to_virt(fx->phys, page_to_pfn(fx->phys, used)), 0xee, PAGE_SIZE);
	put_page(fx->phys, used); /* the next allocation reuses it */
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(pte_pfn(pte_at(BASE)), page_to_pfn(fx->phys, used));
	for (unsigned i = 0; i < PAGE_SIZE; i += 512)
		assert_int_equal(bytes_at(BASE)[i], 0);
	fixture_free();
}

/*
 * A private PFNMAP of a RAM frame: pfn_valid, yet raw by the linearity rule.
 * The write copies the frame's bytes and leaves the frame's counts alone.
 */
static void test_cow_raw_ram_frame_is_not_a_page(void **state)
{
	struct page *ram;
	struct vm_area_struct *vma;

	fixture_new(NULL);
	ram = fx->cache[2];
	vma = fc_mmap(fx->mm, BASE, PAGE_SIZE, PRIVATE_RW, NULL, NULL, 0);
	assert_int_equal(remap_pfn_range(vma, BASE, page_to_pfn(fx->phys, ram), PAGE_SIZE,
					 vma->vm_page_prot),
			 0);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_not_equal(pte_pfn(pte_at(BASE)), page_to_pfn(fx->phys, ram));
	assert_int_equal(bytes_at(BASE)[0], 0x42);
	assert_int_equal(page_count(ram), 1);
	assert_int_equal(page_mapcount(ram), 0);
	fixture_free();
}

/*
 * A raw pfn is no page even when its frame is an anonymous page held once
 * (here another mapping's): do_wp_page asks vm_normal_page, so the write
 * copies the frame rather than reusing it in place, and the frame's owner
 * keeps it unwritten.
 */
static void test_cow_raw_anonymous_frame_is_copied(void **state)
{
	const unsigned long other = BASE + 64 * PAGE_SIZE;
	struct vm_area_struct *vma;
	struct page *anon;
	unsigned long pfn;

	fixture_new(NULL);
	fc_mmap(fx->mm, other, PAGE_SIZE, PRIVATE_RW, NULL, NULL, 0);
	assert_int_equal(handle_mm_fault(fx->mm, other, FAULT_FLAG_WRITE), 0);
	pfn = pte_pfn(pte_at(other));
	anon = pfn_to_page(fx->phys, pfn);
	assert_true(PageAnon(anon) && page_count(anon) == 1);
	vma = fc_mmap(fx->mm, BASE, PAGE_SIZE, PRIVATE_RW, NULL, NULL, 0);
	assert_int_equal(remap_pfn_range(vma, BASE, pfn, PAGE_SIZE, vma->vm_page_prot), 0);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_not_equal(pte_pfn(pte_at(BASE)), pfn);
	assert_int_equal(page_count(anon), 1);
	assert_int_equal(page_mapcount(anon), 1);
	fixture_free();
}

/* Only an anonymous page is reused: a driver's page, even held once, is copied. */
static void test_cow_copies_a_sole_non_anonymous_page(void **state)
{
	struct vm_area_struct *vma;
	struct page *page;
	unsigned long pfn;

	fixture_new(NULL);
	vma = fc_mmap(fx->mm, BASE, 4 * PAGE_SIZE, PRIVATE_RW | VM_MIXEDMAP, NULL, NULL, 0);
	page = alloc_page(fx->phys);
	pfn = page_to_pfn(fx->phys, page);
	assert_int_equal(vmf_insert_mixed(vma, BASE, pfn), VM_FAULT_NOPAGE);
	put_page(fx->phys, page); /* the driver lets go: the mapping holds the only reference */
	assert_int_equal(page_count(page), 1);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_not_equal(pte_pfn(pte_at(BASE)), pfn);
	assert_int_equal(counted(FC_STAT_COW_REUSE), 0);
	assert_int_equal(counted(FC_STAT_COW_COPY), 1);
	fixture_free();
}

/*
 * A write that finds the COW already done (another thread's, here the one
 * before) stores nothing and calls no do_wp_page: a spurious fault, counted
 * as such.  The first write, a read of an old entry and a write of a clean
 * one each store a bit, and are not.
 */
static void test_write_to_a_done_cow_is_spurious(void **state)
{
	fixture_new(NULL);
	remapped(dev_pfn(0));
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(counted(FC_STAT_SPURIOUS), 0);
	assert_int_equal(counted(FC_STAT_HANDLER_WP), 1);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), 0);
	assert_int_equal(counted(FC_STAT_SPURIOUS), 2);
	assert_int_equal(counted(FC_STAT_HANDLER_WP), 1);
	assert_int_equal(counted(FC_STAT_SET_PTE), 5); /* 4 by remap, 1 by the COW */

	pte_write_raw(fc_pte_lookup(fx->mm, BASE), pte_mkold(pte_at(BASE)));
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), 0);
	pte_write_raw(fc_pte_lookup(fx->mm, BASE), pte_mkclean(pte_at(BASE)));
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(counted(FC_STAT_SPURIOUS), 2);
	assert_int_equal(counted(FC_STAT_SET_PTE), 7);
	fixture_free();
}

/* do_wp_page reuses an anonymous page when it holds the only reference. */
static void test_cow_reuses_sole_anonymous_page(void **state)
{
	struct mm_struct *child;
	unsigned long pfn;

	fixture_new(NULL);
	assert_non_null(fc_mmap(fx->mm, BASE, 4 * PAGE_SIZE, PRIVATE_RW, NULL, NULL, 0));
	handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE);
	pfn = pte_pfn(pte_at(BASE));
	child = fc_mm_fork(fx->mm);
	assert_non_null(child);
	assert_false(pte_write(pte_at(BASE))); /* write-protected by fork */
	assert_int_equal(page_count(pfn_to_page(fx->phys, pfn)), 2);
	fc_mm_destroy(child); /* the child exits: we are the only user again */
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(pte_pfn(pte_at(BASE)), pfn);
	assert_true(pte_write(pte_at(BASE)));
	assert_int_equal(counted(FC_STAT_COW_REUSE), 1);
	assert_int_equal(counted(FC_STAT_COW_COPY), 0);
	fixture_free();
}

/* A shared anonymous page is copied, and each side keeps its own. */
static void test_cow_after_fork_copies_shared_page(void **state)
{
	struct mm_struct *mms[2];
	unsigned long pfn;

	fixture_new(NULL);
	assert_non_null(fc_mmap(fx->mm, BASE, 4 * PAGE_SIZE, PRIVATE_RW, NULL, NULL, 0));
	handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE);
	bytes_at(BASE)[0] = 0x5a;
	pfn = pte_pfn(pte_at(BASE));
	mms[0] = fx->mm;
	mms[1] = fc_mm_fork(fx->mm);
	assert_int_equal(handle_mm_fault(mms[1], BASE, FAULT_FLAG_WRITE), 0);
	{
		pte_t cp = pte_read(fc_pte_lookup(mms[1], BASE));

		assert_int_not_equal(pte_pfn(cp), pfn);
		assert_int_equal(((unsigned char *)pfn_to_virt(fx->phys, pte_pfn(cp)))[0], 0x5a);
	}
	assert_int_equal(page_count(pfn_to_page(fx->phys, pfn)), 1);
	assert_verified_set(mms, 2);
	fc_mm_destroy(mms[1]);
	fixture_free();
}

/* VM_MIXEDMAP may COW any frame: a raw one, and a refcounted one. */
static void test_cow_mixedmap_raw_and_refcounted(void **state)
{
	struct vm_area_struct *vma;
	struct page *ram;
	unsigned long ram_pfn;

	fixture_new(NULL);
	vma = fc_mmap(fx->mm, BASE, 4 * PAGE_SIZE, PRIVATE_RW | VM_MIXEDMAP, NULL, NULL, 0);
	ram = fx->cache[3];
	ram_pfn = page_to_pfn(fx->phys, ram);
	assert_int_equal(vmf_insert_mixed(vma, BASE, dev_pfn(2)), VM_FAULT_NOPAGE);
	assert_int_equal(vmf_insert_mixed(vma, BASE + PAGE_SIZE, ram_pfn), VM_FAULT_NOPAGE);
	assert_int_equal(page_count(ram), 2);
	assert_int_equal(page_mapcount(ram), 1);
	assert_verified(fx->mm);

	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(bytes_at(BASE)[0], 0xd2);
	assert_int_equal(handle_mm_fault(fx->mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(bytes_at(BASE + PAGE_SIZE)[0], 0x43);
	assert_int_not_equal(pte_pfn(pte_at(BASE + PAGE_SIZE)), ram_pfn);
	assert_int_equal(page_count(ram), 1); /* the mapping's reference went with the copy */
	assert_int_equal(page_mapcount(ram), 0);
	assert_int_equal(counted(FC_STAT_COW_COPY), 2);
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cow_private_pfnmap_copies_frame_bytes),
		cmocka_unit_test(test_cow_unreadable_frame_zero_fills),
		cmocka_unit_test(test_cow_zero_fill_clears_a_used_page),
		cmocka_unit_test(test_cow_raw_ram_frame_is_not_a_page),
		cmocka_unit_test(test_cow_raw_anonymous_frame_is_copied),
		cmocka_unit_test(test_cow_copies_a_sole_non_anonymous_page),
		cmocka_unit_test(test_write_to_a_done_cow_is_spurious),
		cmocka_unit_test(test_cow_reuses_sole_anonymous_page),
		cmocka_unit_test(test_cow_after_fork_copies_shared_page),
		cmocka_unit_test(test_cow_mixedmap_raw_and_refcounted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
