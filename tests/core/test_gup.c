// SPDX-License-Identifier: GPL-2.0-only
/*
 * follow_page, get_user_pages and get_user_pages_fast through vm_normal_page.
 *
 *   A = BASE: anonymous rw    B = BASE + 16 pages: PFNMAP (remap_pfn_range of dev frames)
 *   C = BASE + 32 pages: PFNMAP of one RAM frame the driver owns (pfn_valid, yet raw)
 */
#include "fixture.h"

#define A BASE
#define B (BASE + 16 * PAGE_SIZE)
#define C (BASE + 32 * PAGE_SIZE)
#define SPAN (4 * PAGE_SIZE)

static struct vm_area_struct *va, *vb, *vc;

static void build(const char *rule)
{
	struct fc_mm_config cfg = config_with("normal", rule);

	fixture_new(&cfg);
	va = fc_mmap(fx->mm, A, SPAN, VM_WRITE, NULL, NULL, 0);
	vb = fc_mmap(fx->mm, B, SPAN, VM_SHARED, NULL, NULL, 0);
	assert_int_equal(remap_pfn_range(vb, B, dev_pfn(0), SPAN, vb->vm_page_prot), 0);
	vc = fc_mmap(fx->mm, C, PAGE_SIZE, VM_SHARED, NULL, NULL, 0);
	assert_int_equal(remap_pfn_range(vc, C, page_to_pfn(fx->phys, fx->cache[0]), PAGE_SIZE,
					 vc->vm_page_prot),
			 0);
}

/* Seed 001's gup: pages[i] = vm_normal_page(...): NULL for a raw pfn. */
static void test_get_user_pages_gives_null_for_raw_pfns(void **state)
{
	struct page *pages[4];

	build("linear");
	assert_int_equal(get_user_pages(fx->mm, B, 4, 0, pages), 4);
	for (int i = 0; i < 4; i++)
		assert_null(pages[i]);
	/* Anonymous memory is faulted in and pinned. */
	assert_int_equal(get_user_pages(fx->mm, A, 4, FOLL_WRITE, pages), 4);
	for (int i = 0; i < 4; i++) {
		assert_non_null(pages[i]);
		assert_int_equal(page_count(pages[i]), 2);
		assert_true(pte_write(pte_at(A + i * PAGE_SIZE)));
	}
	fc_put_pages(fx->mm, pages, 4);
	assert_int_equal(page_count(pfn_to_page(fx->phys, pte_pfn(pte_at(A)))), 1);
	/* A raw pfn is raw even when its frame is RAM: pfn_valid does not decide. */
	assert_int_equal(get_user_pages(fx->mm, C, 1, 0, pages), 1);
	assert_null(pages[0]);
	assert_int_equal(page_count(fx->cache[0]), 1);
	/* Beyond the VMA: stops. */
	assert_int_equal(get_user_pages(fx->mm, B + SPAN, 1, 0, pages), -1);
	fixture_free();
}

/* Seed 004: pte_special is what lets a lockless walk refuse raw pfns. */
static void test_gup_fast_refuses_special_ptes(void **state)
{
	struct page *pages[4];

	build("special");
	assert_true(pte_special(pte_at(B)));
	assert_int_equal(get_user_pages_fast(fx->mm, B, 4, 0, pages), 0);
	/* Even over a frame it could pin: the special bit alone refuses it. */
	assert_true(pte_special(pte_at(C)));
	assert_int_equal(get_user_pages_fast(fx->mm, C, 1, 0, pages), 0);
	assert_int_equal(page_count(fx->cache[0]), 1);
	for (int i = 0; i < 4; i++)
		handle_mm_fault(fx->mm, A + i * PAGE_SIZE, FAULT_FLAG_WRITE);
	assert_int_equal(get_user_pages_fast(fx->mm, A, 4, FOLL_WRITE, pages), 4);
	assert_int_equal(page_count(pages[0]), 2);
	fc_put_pages(fx->mm, pages, 4);
	/* It stops at the first entry it cannot pin: here an absent one. */
	zap_page_range(va, A + 2 * PAGE_SIZE, PAGE_SIZE);
	assert_int_equal(get_user_pages_fast(fx->mm, A, 4, 0, pages), 2);
	fc_put_pages(fx->mm, pages, 2);
	fixture_free();
}

/* Without pte_special a lockless walk cannot tell, so it pins nothing. */
static void test_gup_fast_needs_pte_special(void **state)
{
	struct page *pages[1];

	build("linear");
	handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE);
	assert_int_equal(get_user_pages_fast(fx->mm, A, 1, 0, pages), 0);
	fixture_free();
}

static void test_follow_page_honours_write_and_rules(void **state)
{
	build("linear");
	handle_mm_fault(fx->mm, A, 0); /* read: a private page, read-only */
	assert_non_null(follow_page(va, A, 0));
	assert_null(follow_page(va, A, FOLL_WRITE));
	assert_null(follow_page(vb, B, 0));		/* raw */
	assert_null(follow_page(va, A + PAGE_SIZE, 0)); /* absent */
	assert_null(follow_page(vc, C, FOLL_GET));	/* raw, though pfn_valid */
	assert_int_equal(page_count(fx->cache[0]), 1);
	fixture_free();
}

/* FOLL_GET takes a reference on the page; without it, none is taken. */
static void test_follow_page_foll_get_takes_a_reference(void **state)
{
	struct page *page;

	build("linear");
	handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE);
	page = follow_page(va, A, 0);
	assert_non_null(page);
	assert_int_equal(page_count(page), 1);
	assert_ptr_equal(follow_page(va, A, FOLL_GET), page);
	assert_int_equal(page_count(page), 2);
	put_page(fx->phys, page);
	fixture_free();
}

/* The gup counters since the last reset: pinned, raw, faults taken, refused. */
static void assert_gup_counts(uint64_t pin, uint64_t raw, uint64_t fault, uint64_t refused)
{
	assert_int_equal(counted(FC_STAT_GUP_PIN), pin);
	assert_int_equal(counted(FC_STAT_GUP_RAW), raw);
	assert_int_equal(counted(FC_STAT_GUP_FAULT), fault);
	assert_int_equal(counted(FC_STAT_GUP_FAST_REFUSED), refused);
}

/*
 * What a walk did, counted: a page pinned or a raw entry for each page walked,
 * the faults get_user_pages took to map them, and each lockless walk that
 * stopped short of its nr, where the caller must fall back.
 */
static void test_gup_counts_pins_raw_faults_and_refusals(void **state)
{
	struct page *pages[4];

	build("special");
	fc_stats_reset(); /* remap_pfn_range's stores are not the walk's */
	assert_int_equal(get_user_pages(fx->mm, A, 4, FOLL_WRITE, pages), 4);
	assert_gup_counts(4, 0, 4, 0);
	fc_put_pages(fx->mm, pages, 4);
	assert_int_equal(get_user_pages(fx->mm, B, 4, 0, pages), 4); /* prefilled: no fault */
	assert_gup_counts(4, 4, 4, 0);
	assert_int_equal(get_user_pages_fast(fx->mm, A, 4, FOLL_WRITE, pages), 4);
	assert_gup_counts(8, 4, 4, 0);
	fc_put_pages(fx->mm, pages, 4);
	/* Stopped at the first special entry: one refusal, nothing pinned. */
	assert_int_equal(get_user_pages_fast(fx->mm, B, 4, 0, pages), 0);
	assert_gup_counts(8, 4, 4, 1);
	/* ... and at an absent one, after two pins. */
	zap_page_range(va, A + 2 * PAGE_SIZE, PAGE_SIZE);
	assert_int_equal(get_user_pages_fast(fx->mm, A, 4, 0, pages), 2);
	assert_gup_counts(10, 4, 4, 2);
	fc_put_pages(fx->mm, pages, 2);
	fixture_free();
	/* Under the linear rule every lockless walk is refused at once. */
	build("linear");
	handle_mm_fault(fx->mm, A, FAULT_FLAG_WRITE);
	assert_int_equal(get_user_pages_fast(fx->mm, A, 1, 0, pages), 0);
	assert_gup_counts(0, 0, 0, 1);
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_user_pages_gives_null_for_raw_pfns),
		cmocka_unit_test(test_gup_fast_refuses_special_ptes),
		cmocka_unit_test(test_gup_fast_needs_pte_special),
		cmocka_unit_test(test_follow_page_honours_write_and_rules),
		cmocka_unit_test(test_follow_page_foll_get_takes_a_reference),
		cmocka_unit_test(test_gup_counts_pins_raw_faults_and_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
