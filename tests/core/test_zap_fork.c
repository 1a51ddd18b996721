// SPDX-License-Identifier: GPL-2.0-only
/*
 * zap_page_range and copy_page_range through vm_normal_page (seed 001), and
 * VM_MIXEDMAP refcounting (seed 004).
 *
 *   A = BASE                 B = BASE + 16 pages        C = BASE + 32 pages
 *   +------------------------+--------------------------+---------------------+
 *   | anonymous, private rw  | PFNMAP of RAM (/dev/mem) | MIXEDMAP: RAM + dev |
 *   +------------------------+--------------------------+---------------------+
 */
#include <errno.h>

#include "fixture.h"

#define A BASE
#define B (BASE + 16 * PAGE_SIZE)
#define C (BASE + 32 * PAGE_SIZE)
#define SPAN (4 * PAGE_SIZE)
#define DEVMEM_PFN 300 /* RAM frames 300..303, never allocated */

static struct vm_area_struct *va, *vb, *vc;

static int refs(unsigned long pfn)
{
	return page_count(pfn_to_page(fx->phys, pfn));
}

static void build(void)
{
	fixture_new(NULL);
	va = fc_mmap(fx->mm, A, SPAN, VM_WRITE, NULL, NULL, 0);
	vb = fc_mmap(fx->mm, B, SPAN, VM_SHARED, NULL, NULL, 0);
	vc = fc_mmap(fx->mm, C, SPAN, VM_SHARED | VM_MIXEDMAP, NULL, NULL, 0);
	assert_true(va && vb && vc);
	for (int i = 0; i < 4; i++)
		assert_int_equal(handle_mm_fault(fx->mm, A + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0);
	assert_int_equal(remap_pfn_range(vb, B, DEVMEM_PFN, SPAN, vb->vm_page_prot), 0);
	assert_int_equal(vmf_insert_mixed(vc, C, page_to_pfn(fx->phys, fx->cache[0])),
			 VM_FAULT_NOPAGE);
	assert_int_equal(vmf_insert_mixed(vc, C + PAGE_SIZE, dev_pfn(0)), VM_FAULT_NOPAGE);
	assert_verified(fx->mm);
}

/* MIXEDMAP takes references on pfn_valid frames only; zap gives them back. */
static void test_mixedmap_refcounts_valid_frames_only(void **state)
{
	uint64_t get, put;

	fixture_new(NULL);
	vc = fc_mmap(fx->mm, C, SPAN, VM_SHARED | VM_MIXEDMAP, NULL, NULL, 0);
	get = counted(FC_STAT_PAGE_REF_GET);
	assert_int_equal(vmf_insert_mixed(vc, C, page_to_pfn(fx->phys, fx->cache[0])),
			 VM_FAULT_NOPAGE);
	assert_int_equal(vmf_insert_mixed(vc, C + PAGE_SIZE, dev_pfn(0)), VM_FAULT_NOPAGE);
	assert_int_equal(page_count(fx->cache[0]), 2);
	assert_int_equal(counted(FC_STAT_PAGE_REF_GET) - get, 1);
	put = counted(FC_STAT_PAGE_REF_PUT);
	zap_page_range(vc, C, SPAN);
	assert_int_equal(page_count(fx->cache[0]), 1);
	assert_int_equal(page_mapcount(fx->cache[0]), 0);
	assert_int_equal(counted(FC_STAT_PAGE_REF_PUT) - put, 1);
	assert_true(pte_none(pte_at(C)) && pte_none(pte_at(C + PAGE_SIZE)));
	fixture_free();
}

/* seed 004: vm_insert_pfn BUGs on a pfn_valid frame in VM_MIXEDMAP, on COW PFNMAP... */
static void test_vm_insert_pfn_refuses_what_seed_004_bugs_on(void **state)
{
	struct vm_area_struct *both, *cow, *plain;

	fixture_new(NULL);
	vc = fc_mmap(fx->mm, C, SPAN, VM_SHARED | VM_MIXEDMAP, NULL, NULL, 0);
	both = fc_mmap(fx->mm, A, SPAN, VM_SHARED | VM_MIXEDMAP | VM_PFNMAP, NULL, NULL, 0);
	cow = fc_mmap(fx->mm, B, SPAN, VM_MAYWRITE | VM_PFNMAP, NULL, NULL, 0);
	plain = fc_mmap(fx->mm, B + SPAN, SPAN, VM_SHARED, NULL, NULL, 0);
	assert_int_equal(vm_insert_pfn(vc, C, 5), -EINVAL);
	assert_int_equal(vm_insert_pfn(both, A, io_pfn(0)), -EINVAL);
	assert_int_equal(vm_insert_pfn(cow, B, io_pfn(0)), -EINVAL);
	assert_int_equal(vm_insert_pfn(plain, B + SPAN, io_pfn(0)), -EINVAL);
	assert_int_equal(counted(FC_STAT_BUG), 4);
	assert_int_equal(vm_insert_pfn(vc, C, io_pfn(0)), 0);
	assert_int_equal(counted(FC_STAT_BUG), 4);
	fixture_free();
}

/* vmf_insert_mixed needs VM_MIXEDMAP: on a plain VMA it is seed 004's BUG_ON. */
static void test_vmf_insert_mixed_needs_mixedmap(void **state)
{
	struct vm_area_struct *plain;

	fixture_new(NULL);
	plain = fc_mmap(fx->mm, B, SPAN, VM_SHARED, NULL, NULL, 0);
	assert_int_equal(vmf_insert_mixed(plain, B, dev_pfn(0)), VM_FAULT_SIGBUS);
	assert_int_equal(counted(FC_STAT_BUG), 1);
	assert_true(pte_none(pte_at(B)));
	fixture_free();
}

/* insert_pfn stores only into an empty entry: a populated one is left alone. */
static void test_insert_pfn_leaves_a_populated_entry(void **state)
{
	fixture_new(NULL);
	vc = fc_mmap(fx->mm, C, SPAN, VM_SHARED | VM_MIXEDMAP, NULL, NULL, 0);
	assert_int_equal(vm_insert_pfn(vc, C, io_pfn(0)), 0);
	assert_int_equal(vmf_insert_mixed(vc, C, page_to_pfn(fx->phys, fx->cache[0])),
			 VM_FAULT_NOPAGE);
	assert_int_equal(pte_pfn(pte_at(C)), io_pfn(0));
	assert_int_equal(page_count(fx->cache[0]), 1);
	assert_int_equal(counted(FC_STAT_SET_PTE), 1);
	fixture_free();
}

/* Zap releases exactly what vm_normal_page names: never the /dev/mem frames. */
static void test_zap_releases_only_normal_pages(void **state)
{
	unsigned long anon = 0;

	build();
	anon = pte_pfn(pte_at(A));
	assert_int_equal(refs(anon), 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(refs(DEVMEM_PFN + i), 0);
	zap_page_range(va, A, SPAN);
	zap_page_range(vb, B, SPAN);
	zap_page_range(vc, C, SPAN);
	assert_int_equal(refs(anon), 0); /* freed */
	for (int i = 0; i < 4; i++)
		assert_int_equal(refs(DEVMEM_PFN + i), 0);
	assert_int_equal(page_count(fx->cache[0]), 1);
	assert_verified(fx->mm);
	fixture_free();
}

/*
 * zap_page_range walks the range VMA by VMA, each clamped to itself as
 * unmap_single_vma does: a zap from A that runs on over B releases B's
 * entries under B's rules (its /dev/mem frames are not pages), and leaves
 * alone what lies before the VMA it was given.
 */
static void test_zap_page_range_walks_each_vma_under_its_rules(void **state)
{
	build();
	zap_page_range(va, A, B + SPAN - A);
	for (int i = 0; i < 4; i++) {
		assert_true(pte_none(pte_at(A + i * PAGE_SIZE)));
		assert_true(pte_none(pte_at(B + i * PAGE_SIZE)));
		assert_int_equal(refs(DEVMEM_PFN + i), 0);
		assert_int_equal(page_mapcount(pfn_to_page(fx->phys, DEVMEM_PFN + i)), 0);
	}
	assert_false(pte_none(pte_at(C))); /* past the range */
	assert_verified(fx->mm);

	/* Given C, a range that starts in A zaps from C's start only. */
	handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE);
	zap_page_range(vc, A, C + SPAN - A);
	assert_false(pte_none(pte_at(A)));
	assert_true(pte_none(pte_at(C)));
	assert_int_equal(page_count(fx->cache[0]), 1);
	assert_verified(fx->mm);
	fixture_free();
}

/* Fork then zap of both: every refcount back where it started. */
static void test_fork_then_zap_both_restores_refcounts(void **state)
{
	struct mm_struct *mms[2];

	build();
	mms[0] = fx->mm;
	mms[1] = fc_mm_fork(fx->mm);
	assert_non_null(mms[1]);
	assert_verified_set(mms, 2);
	/* PFNMAP and MIXEDMAP were copied even without anon_vma; anon was copied. */
	assert_int_equal(pte_pfn(pte_read(fc_pte_lookup(mms[1], B))), DEVMEM_PFN);
	assert_int_equal(pte_pfn(pte_read(fc_pte_lookup(mms[1], C + PAGE_SIZE))), dev_pfn(0));
	assert_int_equal(page_count(fx->cache[0]), 3);
	assert_int_equal(refs(pte_pfn(pte_at(A))), 2);
	/* The COW mapping is write-protected on both sides. */
	assert_false(pte_write(pte_at(A)));
	assert_false(pte_write(pte_read(fc_pte_lookup(mms[1], A))));

	for (int side = 1; side >= 0; side--) {
		for (size_t i = 0; i < mms[side]->nr_vmas; i++) {
			struct vm_area_struct *v = mms[side]->vmas[i];

			zap_page_range(v, v->vm_start, v->vm_end - v->vm_start);
		}
		assert_verified_set(mms, 2);
	}
	/* Back to the start: the page cache's own references and nothing else. */
	for (int pfn = 0; pfn < NR_RAM; pfn++)
		assert_int_equal(refs(pfn), cache_refs(pfn_to_page(fx->phys, pfn), fx));
	fc_mm_destroy(mms[1]);
	fixture_free();
}

/* copy_one_pte: a shared mapping's child entry is clean, and every child entry old. */
static void test_fork_child_shared_pte_is_clean_and_old(void **state)
{
	struct mm_struct *child;
	pte_t pte;

	fixture_new(NULL);
	vc = fc_mmap(fx->mm, C, SPAN, VM_SHARED | VM_WRITE | VM_MIXEDMAP, NULL, NULL, 0);
	va = fc_mmap(fx->mm, A, SPAN, VM_WRITE, NULL, NULL, 0);
	assert_int_equal(vmf_insert_mixed(vc, C, dev_pfn(0)), VM_FAULT_NOPAGE);
	assert_int_equal(handle_mm_fault(fx->mm, C, FAULT_FLAG_WRITE), 0);
	assert_int_equal(handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE), 0);
	assert_true(pte_dirty(pte_at(C)) && pte_young(pte_at(C)));
	assert_true(pte_young(pte_at(A)));
	child = fc_mm_fork(fx->mm);
	assert_non_null(child);
	pte = pte_read(fc_pte_lookup(child, C));
	assert_int_equal(pte_pfn(pte), dev_pfn(0));
	assert_false(pte_dirty(pte));
	assert_false(pte_young(pte));
	assert_false(pte_young(pte_read(fc_pte_lookup(child, A))));
	assert_true(pte_dirty(pte_at(C))); /* the parent keeps its bits */
	fc_mm_destroy(child);
	fixture_free();
}

/* A file mapping without anonymous pages is not copied: faults refill it. */
static void test_fork_skips_file_mapping_without_anon_vma(void **state)
{
	struct mm_struct *child;

	fixture_new(NULL);
	assert_non_null(fc_mmap(fx->mm, A, SPAN, VM_SHARED, &nopage_ops, NULL, 0));
	handle_mm_fault(fx->mm, A, 0);
	child = fc_mm_fork(fx->mm);
	assert_null(fc_pte_lookup(child, A));
	fc_mm_destroy(child);
	fixture_free();
}

/* mm_verify bites: a raw pfn in a normal VMA is caught. */
static void test_mm_verify_catches_forbidden_raw_pfn(void **state)
{
	char err[256];

	fixture_new(NULL);
	va = fc_mmap(fx->mm, A, SPAN, VM_WRITE, NULL, NULL, 0);
	handle_mm_fault(fx->mm, A, 0);
	pte_write_raw(fc_pte_lookup(fx->mm, A + PAGE_SIZE), pfn_pte(io_pfn(1), va->vm_page_prot));
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "raw pfn"));
	pte_write_raw(fc_pte_lookup(fx->mm, A + PAGE_SIZE), __pte(0));
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), 0);
	fixture_free();
}

/* mm_verify bites: a mapcount that disagrees with the PTEs is caught. */
static void test_mm_verify_catches_wrong_mapcount(void **state)
{
	char err[256];
	struct page *page;

	fixture_new(NULL);
	va = fc_mmap(fx->mm, A, SPAN, VM_WRITE, NULL, NULL, 0);
	handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE); /* a page: a read maps the zero page */
	page = pfn_to_page(fx->phys, pte_pfn(pte_at(A)));
	page_add_rmap(page);
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "_mapcount"));
	page_remove_rmap(page);
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixedmap_refcounts_valid_frames_only),
		cmocka_unit_test(test_vm_insert_pfn_refuses_what_seed_004_bugs_on),
		cmocka_unit_test(test_vmf_insert_mixed_needs_mixedmap),
		cmocka_unit_test(test_insert_pfn_leaves_a_populated_entry),
		cmocka_unit_test(test_zap_releases_only_normal_pages),
		cmocka_unit_test(test_zap_page_range_walks_each_vma_under_its_rules),
		cmocka_unit_test(test_fork_then_zap_both_restores_refcounts),
		cmocka_unit_test(test_fork_child_shared_pte_is_clean_and_old),
		cmocka_unit_test(test_fork_skips_file_mapping_without_anon_vma),
		cmocka_unit_test(test_mm_verify_catches_forbidden_raw_pfn),
		cmocka_unit_test(test_mm_verify_catches_wrong_mapcount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
