// SPDX-License-Identifier: GPL-2.0-only
/*
 * find_vma and its B+tree index, against a reference that knows, page by
 * page, which VMA (if any) owns it:
 *
 *   BASE                                             BASE + SPAN pages
 *   |  [vma]  [vma][vma]    [vma]   ...    [vma]  |
 *
 * Random mmaps, munmaps and lookups, with mm_verify (which checks that the
 * index agrees with the VMAs) after every step.
 */
#include <stdlib.h>

#include "fixture.h"

#define SPAN 8192 /* pages: room for ~2,000 VMAs, three levels of nodes */
#define STEPS 6000

static int owner[SPAN]; /* index into starts[] of the VMA owning the page, or -1 */
static unsigned long starts[SPAN];

static unsigned long page_addr(unsigned p)
{
	return BASE + (unsigned long)p * PAGE_SIZE;
}

static void check_addr(unsigned p, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(fx->mm, addr);

	if (owner[p] < 0) {
		assert_null(vma);
		return;
	}
	assert_non_null(vma);
	assert_int_equal(vma->vm_start, starts[owner[p]]);
	assert_true(page_addr(p) < vma->vm_end);
}

/* Page p's first byte, its last, and one in between. */
static void check_lookup(unsigned p)
{
	check_addr(p, page_addr(p));
	check_addr(p, page_addr(p) + (p * 37) % PAGE_SIZE);
	check_addr(p, page_addr(p + 1) - 1);
}

/* fc_mmap succeeds exactly when every page of the range is free. */
static void random_mmap(unsigned *seed)
{
	unsigned p = rand_r(seed) % SPAN, len = 1 + rand_r(seed) % 4;
	struct vm_area_struct *vma;
	bool free = p + len <= SPAN;

	for (unsigned i = p; free && i < p + len; i++)
		free = owner[i] < 0;
	vma = p + len <= SPAN ? fc_mmap(fx->mm, page_addr(p), len * PAGE_SIZE, 0, NULL, NULL, 0)
			      : NULL;
	assert_int_equal(vma != NULL, free);
	if (!vma)
		return;
	starts[p] = vma->vm_start;
	for (unsigned i = p; i < p + len; i++)
		owner[i] = (int)p;
}

/* fc_munmap removes the whole VMAs inside the range, or nothing if one straddles it. */
static void random_munmap(unsigned *seed)
{
	unsigned p = rand_r(seed) % SPAN, len = 1 + rand_r(seed) % 12;
	int inside = 0, expect;
	bool straddles;

	if (p + len > SPAN)
		len = SPAN - p;
	straddles =
		(owner[p] >= 0 && p && owner[p - 1] == owner[p]) ||
		(owner[p + len - 1] >= 0 && p + len < SPAN && owner[p + len] == owner[p + len - 1]);
	for (unsigned i = p; i < p + len; i++)
		inside += owner[i] >= 0 && (i == p || owner[i - 1] != owner[i]);
	expect = straddles ? -1 : inside;
	check_lookup(p); /* the vmacache now holds what owns p */
	assert_int_equal(fc_munmap(fx->mm, page_addr(p), len * PAGE_SIZE), expect);
	if (straddles)
		return;
	for (unsigned i = p; i < p + len; i++)
		owner[i] = -1;
	check_lookup(p);
}

static void test_find_vma_matches_reference_under_random_mmap_munmap(void **state)
{
	unsigned seed = 12;
	size_t most = 0;

	fixture_new(NULL);
	for (unsigned p = 0; p < SPAN; p++)
		owner[p] = -1;
	for (int step = 0; step < STEPS; step++) {
		/* Grow for the first half, then shrink, so the tree deepens and drains. */
		unsigned r = rand_r(&seed) % 8;

		if (r < (step < STEPS / 2 ? 5u : 2u))
			random_mmap(&seed);
		else if (r < 7)
			random_munmap(&seed);
		for (int k = 0; k < 4; k++)
			check_lookup(rand_r(&seed) % SPAN);
		assert_verified(fx->mm);
		if (fx->mm->nr_vmas > most)
			most = fx->mm->nr_vmas;
	}
	for (unsigned p = 0; p < SPAN; p++)
		check_lookup(p);
	assert_true(most > 16 * 16); /* the walk reached three levels */
	fixture_free();
}

/* 10,000 VMAs are four levels of 16-key nodes: three inner, then the leaves. */
static void test_find_vma_tree_is_four_levels_for_10000(void **state)
{
	fixture_new(NULL);
	for (unsigned long i = 0; i < 10000; i++)
		assert_non_null(
			fc_mmap(fx->mm, BASE + i * 2 * PAGE_SIZE, PAGE_SIZE, 0, NULL, NULL, 0));
	assert_int_equal(fx->mm->vma_depth, 3);
	assert_verified(fx->mm);
	assert_int_equal(fc_munmap(fx->mm, BASE, 10000 * 2 * PAGE_SIZE), 10000);
	assert_int_equal(fx->mm->vma_depth, 0);
	assert_null(find_vma(fx->mm, BASE));
	fixture_free();
}

/* mm_verify notices an index that disagrees with the VMAs. */
static void test_mm_verify_catches_a_stale_index(void **state)
{
	char err[256];
	unsigned long key;

	fixture_new(NULL);
	for (unsigned long i = 0; i < 300; i++)
		assert_non_null(
			fc_mmap(fx->mm, BASE + i * 2 * PAGE_SIZE, PAGE_SIZE, 0, NULL, NULL, 0));
	key = fx->mm->vma_level[fx->mm->vma_depth - 1][3];
	fx->mm->vma_level[fx->mm->vma_depth - 1][3] = key + PAGE_SIZE;
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	fx->mm->vma_level[fx->mm->vma_depth - 1][3] = key;
	key = fx->mm->vm_ends[7];
	fx->mm->vm_ends[7] = key - PAGE_SIZE;
	assert_int_equal(mm_verify(fx->mm, err, sizeof(err)), -1);
	fx->mm->vm_ends[7] = key;
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_vma_matches_reference_under_random_mmap_munmap),
		cmocka_unit_test(test_find_vma_tree_is_four_levels_for_10000),
		cmocka_unit_test(test_mm_verify_catches_a_stale_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
