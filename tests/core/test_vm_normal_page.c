// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_normal_page over every combination of mapping kind (normal, PFNMAP,
 * MIXEDMAP), COW or shared, linear or COWed pfn, pfn_valid or not, special
 * bit or not, under both rule sets.  expect() states the rules the way the
 * seeds' comments do; each branch names its line.
 *
 *   BASE (vm_pgoff = LINEAR_PFN)
 *   +----+----+----+----+
 *   | p0 | p1 | p2 | p3 |   the entry under test sits at p2 (addr = BASE + 2 pages)
 *   +----+----+----+----+
 */
#include "fixture.h"

enum kind { NORMAL, PFNMAP, MIXEDMAP };
enum expect { RAW, PAGE, BAD };

struct combo {
	enum fc_normal_rule rule;
	enum kind kind;
	bool cow;
	bool linear;  /* pfn == vm_pgoff + page index */
	bool valid;   /* pfn_valid */
	bool special; /* pte_special set */
};

static enum expect expect(const struct combo *c)
{
	if (c->rule == FC_NORMAL_SPECIAL) {
		/* seed 004 cover letter: pte_special marks what the VM must not touch */
		if (c->special)
			return RAW;
		/* "All other mappings should have a valid struct page" */
		return c->valid ? PAGE : BAD;
	}
	switch (c->kind) {
	case MIXEDMAP:
		/* seed 004: "_all_ pages with a struct page (that is, those where
		 * pfn_valid is true) are refcounted" / "NULL for memory not backed" */
		return c->valid ? PAGE : RAW;
	case PFNMAP:
		/* seed 001: "pfn_of_page == vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT)"
		 * means a raw mapping: NULL */
		if (c->linear)
			return RAW;
		/* seed 004: "if (!is_cow_mapping(vma->vm_flags)) return NULL;" */
		if (!c->cow)
			return RAW;
		/* seed 001: "the page has been COW'ed (in which case it _does_ have a
		 * struct page" -- and the sanity check: !pfn_valid is print_bad_pte */
		return c->valid ? PAGE : BAD;
	case NORMAL:
	default:
		/* seed 001: "if (unlikely(!pfn_valid(pfn))) { print_bad_pte(...); return NULL; }"
		 */
		return c->valid ? PAGE : BAD;
	}
}

#define LINEAR_PFN 10 /* a RAM pfn; +2 for the entry under test */

static void check(const struct combo *c)
{
	static const unsigned long kind_flags[] = { 0, VM_PFNMAP | VM_IO, VM_MIXEDMAP };
	struct vm_area_struct vma = {
		.vm_start = BASE,
		.vm_end = BASE + 4 * PAGE_SIZE,
		.vm_pgoff = c->valid ? LINEAR_PFN : io_pfn(0),
		.vm_flags = kind_flags[c->kind] | VM_READ | VM_MAYWRITE | (c->cow ? 0 : VM_SHARED),
		.vm_mm = fx->mm,
	};
	unsigned long addr = BASE + 2 * PAGE_SIZE;
	unsigned long pfn;
	pte_t pte;
	struct page *page;
	uint64_t bad_before = counted(FC_STAT_BAD_PTE);
	enum expect want = expect(c);

	if (c->linear)
		pfn = vma.vm_pgoff + 2;
	else
		pfn = c->valid ? 100 : NR_RAM + NR_DEV + NR_IO + 5; /* outside the frame space */
	fx->mm->cfg.normal_rule = c->rule;
	pte = pfn_pte(pfn, (pgprot_t){ _PAGE_PRESENT | _PAGE_ACCESSED });
	if (c->special)
		pte = pte_mkspecial(pte);
	page = vm_normal_page(&vma, addr, pte);

	if (want == PAGE) {
		assert_non_null(page);
		assert_int_equal(page_to_pfn(fx->phys, page), pfn);
	} else {
		if (page)
			fail_msg("rule %d kind %d cow %d linear %d valid %d special %d: got a page",
				 c->rule, c->kind, c->cow, c->linear, c->valid, c->special);
	}
	assert_int_equal(counted(FC_STAT_BAD_PTE) - bad_before, want == BAD);
}

static void test_vm_normal_page_every_combination(void **state)
{
	int n = 0;

	fixture_new(NULL);
	for (int rule = 0; rule < 2; rule++)
		for (int kind = NORMAL; kind <= MIXEDMAP; kind++)
			for (int bits = 0; bits < 16; bits++, n++) {
				struct combo c = { rule,     kind,     bits & 1,
						   bits & 2, bits & 4, bits & 8 };

				check(&c);
			}
	assert_int_equal(n, 96);
	fx->mm->cfg.normal_rule = FC_NORMAL_LINEAR;
	fixture_free();
}

/*
 * The linearity rule on real mappings: a linear PFNMAP entry is never a page.
 * A COW mapping, where the rule decides (a shared one's entries are never pages).
 */
static void test_vm_normal_page_pfnmap_linear_rule(void **state)
{
	struct vm_area_struct *vma;

	fixture_new(NULL);
	vma = fc_mmap(fx->mm, BASE, 4 * PAGE_SIZE, VM_WRITE, NULL, NULL, 0);
	/* /dev/mem of RAM frames 200..203: pfn_valid, and still not pages */
	assert_int_equal(remap_pfn_range(vma, BASE, 200, 4 * PAGE_SIZE, vma->vm_page_prot), 0);
	assert_true(vma->vm_flags & VM_PFNMAP);
	assert_true(vma->vm_flags & VM_IO);
	assert_int_equal(vma->vm_pgoff, 200);
	for (int i = 0; i < 4; i++) {
		pte_t pte = pte_at(BASE + i * PAGE_SIZE);

		assert_int_equal(pte_pfn(pte), 200 + i);
		assert_null(vm_normal_page(vma, BASE + i * PAGE_SIZE, pte));
		assert_int_equal(page_count(pfn_to_page(fx->phys, 200 + i)), 0);
	}
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_normal_page_every_combination),
		cmocka_unit_test(test_vm_normal_page_pfnmap_linear_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
