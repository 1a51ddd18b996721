// SPDX-License-Identifier: GPL-2.0-only
/*
 * Special mappings, seed 003: a NULL-terminated pages array walked to
 * pgoff, or a .fault method that replaces it.
 *
 *   BASE: [ pages[0] | pages[1] | ... | pages[N-1] | (past the end: SIGBUS) ]
 */
#include "fixture.h"

#define N 5
#define SPAN (8 * PAGE_SIZE)

static struct page *pages[N + 1];

static void make_pages(void)
{
	for (int i = 0; i < N; i++)
		pages[i] = fx->cache[i];
	pages[N] = NULL;
}

static void check_walk(struct vm_area_struct *vma)
{
	for (int i = 0; i < N; i++) {
		assert_int_equal(handle_mm_fault(fx->mm, BASE + i * PAGE_SIZE, 0), 0);
		assert_int_equal(pte_pfn(pte_at(BASE + i * PAGE_SIZE)),
				 page_to_pfn(fx->phys, pages[i]));
		assert_int_equal(page_count(pages[i]), 2);
	}
	assert_int_equal(handle_mm_fault(fx->mm, BASE + N * PAGE_SIZE, 0), VM_FAULT_SIGBUS);
	assert_true(pte_none(pte_at(BASE + N * PAGE_SIZE)));
	assert_true(vma->vm_flags & VM_DONTEXPAND);
	zap_page_range(vma, BASE, SPAN);
	for (int i = 0; i < N; i++)
		assert_int_equal(page_count(pages[i]), 1);
}

static void test_special_mapping_pages_walk_to_pgoff(void **state)
{
	static struct vm_special_mapping sm = { .name = "[vdso]" };

	fixture_new(NULL);
	make_pages();
	sm.pages = pages;
	check_walk(_install_special_mapping(fx->mm, BASE, SPAN, 0, &sm));
	fixture_free();
}

static void test_legacy_special_mapping_keeps_pages_list(void **state)
{
	fixture_new(NULL);
	make_pages();
	check_walk(install_special_mapping(fx->mm, BASE, SPAN, 0, pages));
	fixture_free();
}

static unsigned long seen_pgoff[8];
static int fault_hits;

static vm_fault_t sm_fault(const struct vm_special_mapping *sm, struct vm_area_struct *vma,
			   struct vm_fault *vmf)
{
	seen_pgoff[fault_hits++ % 8] = vmf->pgoff;
	return vmf_insert_pfn(vma, vmf->address, io_pfn(vmf->pgoff));
}

/* "If non-NULL, then this is called to resolve page faults ... .pages is not checked." */
static void test_special_mapping_fault_replaces_pages(void **state)
{
	static struct page *empty[1] = { NULL };
	static struct vm_special_mapping sm = { .name = "[vvar]",
						.pages = empty,
						.fault = sm_fault };
	struct vm_area_struct *vma;

	fixture_new(NULL);
	fault_hits = 0;
	vma = _install_special_mapping(fx->mm, BASE, SPAN, VM_PFNMAP | VM_IO, &sm);
	vma->vm_pgoff = 3; /* .fault sees pgoff relative to the mapping's start */
	for (int i = 0; i < 8; i++)
		assert_int_equal(handle_mm_fault(fx->mm, BASE + i * PAGE_SIZE, 0), VM_FAULT_NOPAGE);
	assert_int_equal(fault_hits, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(seen_pgoff[i], i);
		assert_int_equal(pte_pfn(pte_at(BASE + i * PAGE_SIZE)), io_pfn(i));
	}
	fixture_free();
}

/* "This must not be NULL unless .fault is provided": refused when installed. */
static void test_special_mapping_without_pages_or_fault_is_refused(void **state)
{
	static const struct vm_special_mapping sm = { .name = "[empty]" };

	fixture_new(NULL);
	assert_null(_install_special_mapping(fx->mm, BASE, SPAN, 0, &sm));
	assert_null(install_special_mapping(fx->mm, BASE, SPAN, 0, NULL));
	assert_null(find_vma(fx->mm, BASE));
	assert_int_equal(fx->mm->nr_vmas, 0);
	assert_int_equal(counted(FC_STAT_BUG), 2);
	/* Nothing is there to fault on: bad_area, not a crash in special_mapping_fault. */
	assert_int_equal(handle_mm_fault(fx->mm, BASE, 0), VM_FAULT_SIGSEGV);
	fixture_free();
}

/* Dispatch orders agree on special mappings: their ops carry ->fault. */
static void test_special_mapping_faults_under_every_order(void **state)
{
	static const char *const orders[] = { "nopage-first", "nopfn-first", "modern", "resolved" };
	static struct vm_special_mapping sm = { .name = "[vdso]" };

	for (int o = 0; o < 4; o++) {
		struct fc_mm_config cfg = config_with("dispatch", orders[o]);

		fixture_new(&cfg);
		make_pages();
		sm.pages = pages;
		_install_special_mapping(fx->mm, BASE, SPAN, 0, &sm);
		assert_int_equal(handle_mm_fault(fx->mm, BASE + PAGE_SIZE, 0), 0);
		assert_int_equal(counted(FC_STAT_HANDLER_FAULT), 1);
		fixture_free();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_special_mapping_pages_walk_to_pgoff),
		cmocka_unit_test(test_legacy_special_mapping_keeps_pages_list),
		cmocka_unit_test(test_special_mapping_fault_replaces_pages),
		cmocka_unit_test(test_special_mapping_without_pages_or_fault_is_refused),
		cmocka_unit_test(test_special_mapping_faults_under_every_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
