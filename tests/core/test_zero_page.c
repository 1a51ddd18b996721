// SPDX-License-Identifier: GPL-2.0-only
/*
 * The zero page: an anonymous read fault maps it (do_anonymous_page without
 * FAULT_FLAG_WRITE; seed 001's "Map the ZERO_PAGE" path, the modern kernel's
 * "Use the zero-page for reads"), and everything that meets its entry knows
 * it is no normal page.
 *
 *   A = BASE: private anonymous rw, 4 pages
 *   S = BASE + 16 pages: shared anonymous rw, 1 page
 *   R = BASE + 32 pages: private anonymous read-only, 1 page
 *
 * Each test runs under both vm_normal_page rules, and checks mm_verify after
 * every step.
 */
#include "fixture.h"

#define A BASE
#define S (BASE + 16 * PAGE_SIZE)
#define R (BASE + 32 * PAGE_SIZE)
#define SPAN (4 * PAGE_SIZE)

static const char *const rules[] = { "linear", "special" };
#define FOR_EACH_RULE(r) for (const char *const *r = rules; r < rules + 2; r++)

static struct vm_area_struct *va;

static void build(const char *rule, const char *zero_page)
{
	struct fc_mm_config cfg = config_with("normal", rule);
	char err[256];

	if (fc_mm_config_set(&cfg, "zero_page", zero_page, err, sizeof(err)))
		fail_msg("%s", err);
	fixture_new(&cfg);
	va = fc_mmap(fx->mm, A, SPAN, VM_WRITE, NULL, NULL, 0);
	assert_non_null(va);
	assert_non_null(fc_mmap(fx->mm, S, PAGE_SIZE, VM_SHARED | VM_WRITE, NULL, NULL, 0));
	assert_non_null(fc_mmap(fx->mm, R, PAGE_SIZE, 0, NULL, NULL, 0));
}

static bool maps_zero_page(struct mm_struct *mm, unsigned long addr)
{
	pte_t *p = fc_pte_lookup(mm, addr);

	return p && pte_present(pte_read(p)) && is_zero_pfn(fx->phys, pte_pfn(pte_read(p)));
}

static void assert_zero_page_untouched(void)
{
	struct page *zero = fc_zero_page(fx->phys);

	assert_int_equal(page_count(zero), 1);
	assert_int_equal(page_mapcount(zero), 0);
}

/* A read maps the zero page: read-only, special under pte_special, nothing allocated. */
static void test_anon_read_fault_maps_the_zero_page(void **state)
{
	FOR_EACH_RULE(rule)
	{
		build(*rule, "1");
		assert_int_equal(handle_mm_fault(fx->mm, A, 0), VM_FAULT_MINOR);
		assert_true(maps_zero_page(fx->mm, A));
		assert_false(pte_write(pte_at(A)));
		assert_int_equal(pte_special(pte_at(A)), !strcmp(*rule, "special"));
		assert_int_equal(fc_phys_pages_in_use(fx->phys), NR_CACHE);
		assert_int_equal(counted(FC_STAT_ZERO_PAGE), 1);
		assert_int_equal(counted(FC_STAT_HANDLER_ANON), 1);
		assert_int_equal(counted(FC_STAT_SET_PTE), 1);
		assert_int_equal(counted(FC_STAT_PAGE_REF_GET), 0);
		assert_false(va->anon_vma); /* no anonymous page yet: fork need not copy */
		assert_zero_page_untouched();
		assert_verified(fx->mm);
		/* The same page for every address, and for a read-only VMA. */
		assert_int_equal(handle_mm_fault(fx->mm, A + PAGE_SIZE, 0), VM_FAULT_MINOR);
		assert_int_equal(handle_mm_fault(fx->mm, R, 0), VM_FAULT_MINOR);
		assert_true(maps_zero_page(fx->mm, A + PAGE_SIZE));
		assert_true(maps_zero_page(fx->mm, R));
		assert_int_equal(handle_mm_fault(fx->mm, R, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
		assert_int_equal(fc_phys_pages_in_use(fx->phys), NR_CACHE);
		assert_zero_page_untouched();
		fixture_free();
	}
}

/* The zero page's frame reads as zeroes. */
static void test_zero_page_reads_as_zeroes(void **state)
{
	static const unsigned char zeroes[PAGE_SIZE];

	build("linear", "1");
	assert_memory_equal(pfn_to_virt(fx->phys, fc_zero_pfn(fx->phys)), zeroes, PAGE_SIZE);
	assert_false(pfn_valid(fx->phys, fc_zero_pfn(fx->phys)));
	fixture_free();
}

/* vm_normal_page: no page, and no bad PTE either (the kernel's is_zero_pfn). */
static void test_vm_normal_page_null_for_the_zero_page(void **state)
{
	FOR_EACH_RULE(rule)
	{
		build(*rule, "1");
		handle_mm_fault(fx->mm, A, 0);
		assert_null(vm_normal_page(va, A, pte_at(A)));
		assert_int_equal(counted(FC_STAT_BAD_PTE), 0);
		fixture_free();
	}
}

/*
 * A write after the read COWs it: a new page, cleared (it is a page the
 * allocator handed out dirty), writable and anonymous; the zero page's
 * entry is released without a put, and nothing is freed.
 */
static void test_write_after_read_cows_the_zero_page_into_a_new_page(void **state)
{
	FOR_EACH_RULE(rule)
	{
		struct page *dirty, *page;
		unsigned char *bytes;

		build(*rule, "1");
		handle_mm_fault(fx->mm, A, 0);
		dirty = alloc_page(fx->phys); /* the next page handed out holds junk */
		memset(pfn_to_virt(fx->phys, page_to_pfn(fx->phys, dirty)), 0xa5, PAGE_SIZE);
		put_page(fx->phys, dirty);
		fc_stats_reset();

		assert_int_equal(handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE), VM_FAULT_MINOR);
		assert_false(maps_zero_page(fx->mm, A));
		assert_true(pte_write(pte_at(A)));
		assert_true(pte_dirty(pte_at(A)));
		assert_false(pte_special(pte_at(A)));
		page = vm_normal_page(va, A, pte_at(A));
		assert_non_null(page);
		assert_true(PageAnon(page));
		assert_int_equal(page_count(page), 1);
		assert_int_equal(page_mapcount(page), 1);
		bytes = pfn_to_virt(fx->phys, page_to_pfn(fx->phys, page));
		for (unsigned long i = 0; i < PAGE_SIZE; i++)
			if (bytes[i])
				fail_msg("byte %lu of the zero page's copy is %#x", i, bytes[i]);
		assert_int_equal(counted(FC_STAT_HANDLER_WP), 1);
		assert_int_equal(counted(FC_STAT_COW_ZERO_PAGE), 1);
		assert_int_equal(counted(FC_STAT_COW_COPY), 0);
		assert_int_equal(counted(FC_STAT_COW_ZERO_FILL), 0);
		assert_int_equal(counted(FC_STAT_PAGE_REF_PUT), 0); /* frees nothing */
		assert_int_equal(fc_phys_pages_in_use(fx->phys), NR_CACHE + 1);
		assert_true(va->anon_vma);
		assert_zero_page_untouched();
		assert_verified(fx->mm);
		fixture_free();
	}
}

/* Zap of zero-page entries: cleared, nothing put, the zero page as it was. */
static void test_zap_of_zero_page_entries_drops_no_reference(void **state)
{
	FOR_EACH_RULE(rule)
	{
		build(*rule, "1");
		for (unsigned long a = A; a < A + SPAN; a += PAGE_SIZE)
			handle_mm_fault(fx->mm, a, 0);
		assert_verified(fx->mm);
		fc_stats_reset();
		zap_page_range(va, A, SPAN);
		for (unsigned long a = A; a < A + SPAN; a += PAGE_SIZE)
			assert_true(pte_none(pte_at(a)));
		assert_int_equal(counted(FC_STAT_PAGE_REF_PUT), 0);
		assert_int_equal(counted(FC_STAT_BAD_PTE), 0);
		assert_zero_page_untouched();
		assert_verified(fx->mm);
		/* and a read faults it in again */
		assert_int_equal(handle_mm_fault(fx->mm, A, 0), VM_FAULT_MINOR);
		assert_true(maps_zero_page(fx->mm, A));
		fixture_free();
	}
}

/*
 *   A: [ page | zero | zero | zero ]   written once, so fork copies it
 *
 * The child's zero-page entries are copies with no reference; the written
 * page is shared, write-protected, with two of each.  A write in the child
 * COWs its own zero-page entry only.
 */
static void test_fork_copies_zero_page_entries_without_references(void **state)
{
	FOR_EACH_RULE(rule)
	{
		struct mm_struct *mms[2];
		struct page *page;

		build(*rule, "1");
		handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE);
		for (unsigned long a = A + PAGE_SIZE; a < A + SPAN; a += PAGE_SIZE)
			handle_mm_fault(fx->mm, a, 0);
		page = vm_normal_page(va, A, pte_at(A));
		mms[0] = fx->mm;
		mms[1] = fc_mm_fork(fx->mm);
		assert_non_null(mms[1]);
		assert_verified_set(mms, 2);
		for (unsigned long a = A + PAGE_SIZE; a < A + SPAN; a += PAGE_SIZE) {
			assert_true(maps_zero_page(mms[1], a));
			assert_false(pte_write(pte_read(fc_pte_lookup(mms[1], a))));
		}
		assert_int_equal(page_count(page), 2);
		assert_int_equal(page_mapcount(page), 2);
		assert_zero_page_untouched();

		assert_int_equal(handle_mm_fault(mms[1], A + PAGE_SIZE, FAULT_FLAG_WRITE),
				 VM_FAULT_MINOR);
		assert_false(maps_zero_page(mms[1], A + PAGE_SIZE));
		assert_true(maps_zero_page(fx->mm, A + PAGE_SIZE));
		assert_zero_page_untouched();
		assert_verified_set(mms, 2);
		fc_mm_destroy(mms[1]);
		assert_zero_page_untouched();
		assert_verified(fx->mm);
		fixture_free();
	}
}

/* A VMA of zero pages alone has no anon_vma: fork copies nothing, the child faults them in. */
static void test_fork_skips_a_vma_of_zero_pages_alone(void **state)
{
	struct mm_struct *child;

	build("linear", "1");
	handle_mm_fault(fx->mm, A, 0);
	child = fc_mm_fork(fx->mm);
	assert_non_null(child);
	assert_null(fc_pte_lookup(child, A));
	assert_int_equal(handle_mm_fault(child, A, 0), VM_FAULT_MINOR);
	assert_true(maps_zero_page(child, A));
	fc_mm_destroy(child);
	assert_zero_page_untouched();
	fixture_free();
}

/*
 * A read gup pins the zero page, as the modern follow_page_pte does for
 * is_zero_pfn; the pin is a reference, and dropping it frees nothing.
 */
static void test_get_user_pages_read_pins_the_zero_page(void **state)
{
	FOR_EACH_RULE(rule)
	{
		struct page *pages[2];

		build(*rule, "1");
		assert_int_equal(get_user_pages(fx->mm, A, 2, FOLL_GET, pages), 2);
		assert_ptr_equal(pages[0], fc_zero_page(fx->phys));
		assert_ptr_equal(pages[1], fc_zero_page(fx->phys));
		assert_true(maps_zero_page(fx->mm, A)); /* faulted in by the read */
		assert_int_equal(page_count(fc_zero_page(fx->phys)), 3);
		assert_int_equal(page_mapcount(fc_zero_page(fx->phys)), 0);
		assert_verified(fx->mm);
		fc_put_pages(fx->mm, pages, 2);
		assert_zero_page_untouched();
		assert_ptr_equal(follow_page(va, A, FOLL_GET), fc_zero_page(fx->phys));
		assert_int_equal(page_count(fc_zero_page(fx->phys)), 2);
		put_page(fx->phys, fc_zero_page(fx->phys));
		assert_null(follow_page(va, A, FOLL_WRITE)); /* a write needs a writable entry */
		assert_zero_page_untouched();
		assert_int_equal(fc_phys_pages_in_use(fx->phys), NR_CACHE);
		fixture_free();
	}
}

/* The one page a test pins holds one reference beyond its mappings. */
static struct page *pinned;

static int pin_refs(struct page *page, void *arg)
{
	return (page == pinned) + cache_refs(page, fx);
}

/* FOLL_WRITE breaks COW first: the pin is of the new page, never the zero page. */
static void test_get_user_pages_write_breaks_cow_of_the_zero_page(void **state)
{
	FOR_EACH_RULE(rule)
	{
		struct page *pages[1];
		char err[256];

		build(*rule, "1");
		handle_mm_fault(fx->mm, A, 0);
		fc_stats_reset();
		assert_int_equal(get_user_pages(fx->mm, A, 1, FOLL_WRITE | FOLL_GET, pages), 1);
		assert_ptr_not_equal(pages[0], fc_zero_page(fx->phys));
		assert_ptr_equal(pages[0], vm_normal_page(va, A, pte_at(A)));
		assert_true(pte_write(pte_at(A)));
		assert_int_equal(counted(FC_STAT_COW_ZERO_PAGE), 1);
		assert_int_equal(page_count(pages[0]), 2);
		assert_zero_page_untouched();
		pinned = pages[0];
		if (mm_verify_set(&fx->mm, 1, pin_refs, NULL, err, sizeof(err)))
			fail_msg("mm_verify: %s", err);
		fc_put_pages(fx->mm, pages, 1);
		assert_int_equal(page_count(pages[0]), 1);
		assert_verified(fx->mm);
		fixture_free();
	}
}

/* gup_fast refuses the zero page's special entry, as the kernel's gup_fast_pte_range. */
static void test_gup_fast_refuses_the_zero_page(void **state)
{
	struct page *pages[2];

	build("special", "1");
	handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE);
	handle_mm_fault(fx->mm, A + PAGE_SIZE, 0);
	assert_int_equal(get_user_pages_fast(fx->mm, A + PAGE_SIZE, 1, 0, pages), 0);
	assert_zero_page_untouched();
	/* it stops there: the page before it is pinned, the zero page not */
	assert_int_equal(get_user_pages_fast(fx->mm, A, 2, 0, pages), 1);
	assert_ptr_not_equal(pages[0], fc_zero_page(fx->phys));
	fc_put_pages(fx->mm, pages, 1);
	assert_zero_page_untouched();
	assert_verified(fx->mm);
	fixture_free();
}

/* zero_page=0: a read allocates and clears a page of its own, as before. */
static void test_zero_page_off_read_fault_allocates(void **state)
{
	FOR_EACH_RULE(rule)
	{
		struct page *page;

		build(*rule, "0");
		assert_int_equal(handle_mm_fault(fx->mm, A, 0), VM_FAULT_MINOR);
		assert_false(maps_zero_page(fx->mm, A));
		page = vm_normal_page(va, A, pte_at(A));
		assert_non_null(page);
		assert_true(PageAnon(page));
		assert_false(pte_write(pte_at(A)));
		assert_int_equal(counted(FC_STAT_ZERO_PAGE), 0);
		assert_int_equal(fc_phys_pages_in_use(fx->phys), NR_CACHE + 1);
		/* and the write reuses it, the only reference */
		handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE);
		assert_int_equal(counted(FC_STAT_COW_REUSE), 1);
		assert_int_equal(counted(FC_STAT_COW_ZERO_PAGE), 0);
		assert_verified(fx->mm);
		fixture_free();
	}
}

/* Shared anonymous memory is shmem in the kernel: a read allocates there. */
static void test_shared_anon_read_fault_allocates(void **state)
{
	build("linear", "1");
	assert_int_equal(handle_mm_fault(fx->mm, S, 0), VM_FAULT_MINOR);
	assert_false(maps_zero_page(fx->mm, S));
	assert_non_null(vm_normal_page(find_vma(fx->mm, S), S, pte_at(S)));
	assert_int_equal(counted(FC_STAT_ZERO_PAGE), 0);
	/* a write then makes that page writable in place, never a zero page */
	handle_mm_fault(fx->mm, S, FAULT_FLAG_WRITE);
	assert_true(pte_write(pte_at(S)));
	assert_zero_page_untouched();
	assert_verified(fx->mm);
	fixture_free();
}

/* mm_verify bites: a writable zero page, or one that gained a mapcount, is caught. */
static void test_mm_verify_catches_zero_page_misuse(void **state)
{
	char err[256];
	pte_t *p;
	pte_t zero;

	build("linear", "1");
	handle_mm_fault(fx->mm, A, 0);
	p = fc_pte_lookup(fx->mm, A);
	zero = pte_read(p);
	pte_write_raw(p, pte_mkwrite(zero));
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable zero page"));
	pte_write_raw(p, zero);
	page_add_rmap(fc_zero_page(fx->phys));
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zero page: _mapcount"));
	page_remove_rmap(fc_zero_page(fx->phys));
	assert_verified(fx->mm);
	fixture_free();

	build("special", "1");
	handle_mm_fault(fx->mm, A, 0);
	p = fc_pte_lookup(fx->mm, A);
	zero = pte_read(p);
	pte_write_raw(p, __pte(zero.val & ~_PAGE_SPECIAL));
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zero page not special"));
	pte_write_raw(p, zero);
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anon_read_fault_maps_the_zero_page),
		cmocka_unit_test(test_zero_page_reads_as_zeroes),
		cmocka_unit_test(test_vm_normal_page_null_for_the_zero_page),
		cmocka_unit_test(test_write_after_read_cows_the_zero_page_into_a_new_page),
		cmocka_unit_test(test_zap_of_zero_page_entries_drops_no_reference),
		cmocka_unit_test(test_fork_copies_zero_page_entries_without_references),
		cmocka_unit_test(test_fork_skips_a_vma_of_zero_pages_alone),
		cmocka_unit_test(test_get_user_pages_read_pins_the_zero_page),
		cmocka_unit_test(test_get_user_pages_write_breaks_cow_of_the_zero_page),
		cmocka_unit_test(test_gup_fast_refuses_the_zero_page),
		cmocka_unit_test(test_zero_page_off_read_fault_allocates),
		cmocka_unit_test(test_shared_anon_read_fault_allocates),
		cmocka_unit_test(test_mm_verify_catches_zero_page_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
