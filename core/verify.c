// SPDX-License-Identifier: GPL-2.0-only
/*
 * mm_verify: walks whole mms and checks what the seeds require.
 *  - the VMAs are sorted and apart, and find_vma's index agrees with them;
 *  - every present PTE lies inside a VMA, is writable only where the VMA
 *    is, and in a COW mapping only when it maps a private anonymous copy
 *    that no other PTE maps (fork write-protects both sides, and do_wp_page
 *    reuses a page in place only when it holds the sole reference);
 *  - raw pfns only where the rules allow them: VM_PFNMAP, VM_MIXEDMAP
 *    without pfn_valid, or (pte_special rule) special PTEs there;
 *  - in a non-COW VM_PFNMAP, no entry is ever treated as a page;
 *  - the zero page only read-only, in private memory, never counted as a
 *    page, and itself never freed, with no mapcount;
 *  - every RAM page's _mapcount equals the PTEs mapping it as a normal
 *    page, and its _refcount is at least that (exactly that plus the
 *    caller's extra references, when the caller says what those are).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

struct verify {
	char *err;
	size_t errlen;
	int *maps;    /* per RAM pfn: PTEs mapping it as a normal page */
	bool *cow_rw; /* per RAM pfn: a COW mapping maps it writable */
};

static int fail(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, v->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The zero page in anonymous memory: read-only (a write COWs it), special
 * under the pte_special rule as do_anonymous_page makes it, and only in a
 * private mapping (do_anonymous_page never maps it into a shared one).
 */
static int check_zero_pte(struct verify *v, struct mm_struct *mm, unsigned long addr, pte_t pte,
			  unsigned long flags)
{
	if (pte_write(pte))
		return fail(v, "%#lx: writable zero page", addr);
	if (flags & VM_SHARED)
		return fail(v, "%#lx: zero page in a shared mapping", addr);
	if (mm->cfg.normal_rule == FC_NORMAL_SPECIAL && !pte_special(pte))
		return fail(v, "%#lx: zero page not special under pte_special", addr);
	return 0;
}

static int check_pte(struct verify *v, struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	const struct fc_phys *phys = mm->phys;
	unsigned long pfn = pte_pfn(pte);
	unsigned long flags;
	struct page *page;

	if (!pte_present(pte))
		return fail(v, "%#lx: non-present, non-empty PTE %#llx", addr,
			    (unsigned long long)pte.val);
	if (!vma)
		return fail(v, "%#lx: PTE outside any VMA", addr);
	flags = vma->vm_flags;
	if (pte_write(pte) && !(flags & VM_WRITE))
		return fail(v, "%#lx: writable PTE in a VMA without VM_WRITE", addr);
	if (pte_special(pte) && mm->cfg.normal_rule != FC_NORMAL_SPECIAL)
		return fail(v, "%#lx: special PTE under the linear rule", addr);
	page = vm_normal_page(vma, addr, pte);
	if (!page && is_zero_pfn(phys, pfn) && !(flags & (VM_PFNMAP | VM_MIXEDMAP)))
		return check_zero_pte(v, mm, addr, pte, flags);
	if (!page) {
		if (!(flags & (VM_PFNMAP | VM_MIXEDMAP)))
			return fail(v, "%#lx: raw pfn %#lx in a normal VMA", addr, pfn);
		if ((flags & VM_MIXEDMAP) && pfn_valid(phys, pfn))
			return fail(v, "%#lx: pfn_valid frame %#lx unrefcounted in VM_MIXEDMAP",
				    addr, pfn);
		if (pte_write(pte) && is_cow_mapping(flags))
			return fail(v, "%#lx: writable raw pfn in a COW mapping", addr);
		return 0;
	}
	if ((flags & VM_PFNMAP) && !is_cow_mapping(flags))
		return fail(v, "%#lx: page in a non-COW VM_PFNMAP", addr);
	if ((flags & VM_PFNMAP) && !PageAnon(page))
		return fail(v, "%#lx: non-linear pfn %#lx in VM_PFNMAP is not a COW copy", addr,
			    pfn);
	if (pte_write(pte) && is_cow_mapping(flags) && !PageAnon(page))
		return fail(v, "%#lx: writable shared page in a COW mapping", addr);
	v->maps[pfn]++;
	v->cow_rw[pfn] |= pte_write(pte) && is_cow_mapping(flags);
	return 0;
}

static int walk_mm(struct verify *v, struct mm_struct *mm)
{
	unsigned long ptes = 0;

	for (unsigned g = 0; g < PTRS_PER_TABLE; g++) {
		struct fc_pud_table *pud = mm->pgd->pud[g];

		for (unsigned u = 0; pud && u < PTRS_PER_TABLE; u++) {
			struct fc_pmd_table *pmd = pud->pmd[u];

			for (unsigned m = 0; pmd && m < PTRS_PER_TABLE; m++) {
				struct fc_pte_table *t = pmd->pte[m];

				if (t && !pmd->desc[m])
					return fail(v, "PTE table without a descriptor");
				ptes += !!t;
				for (unsigned i = 0; t && i < PTRS_PER_TABLE; i++) {
					unsigned long addr = ((unsigned long)g << PGDIR_SHIFT) |
							     ((unsigned long)u << PUD_SHIFT) |
							     ((unsigned long)m << PMD_SHIFT) |
							     ((unsigned long)i << PAGE_SHIFT);
					pte_t pte = pte_read(&t->pte[i]);

					if (!pte_none(pte) && check_pte(v, mm, addr, pte))
						return -1;
				}
			}
		}
	}
	if (ptes != mm->nr_pte_tables)
		return fail(v, "%lu PTE tables found, %lu accounted", ptes, mm->nr_pte_tables);
	return 0;
}

/*
 * The zero page is never freed and its mappings take nothing: no mapcount
 * ever, and a refcount of at least phys' own 1 (gup pins add to it).
 */
static int check_zero_page(struct verify *v, const struct fc_phys *phys)
{
	const struct page *zero = fc_zero_page(phys);

	if (page_mapcount(zero))
		return fail(v, "zero page: _mapcount %d, not 0", page_mapcount(zero));
	if (page_count(zero) < 1)
		return fail(v, "zero page: _refcount %d, below 1", page_count(zero));
	if (!(zero->flags & PG_reserved))
		return fail(v, "zero page: not reserved");
	return 0;
}

int mm_verify_set(struct mm_struct **mms, size_t n, int (*extra_refs)(struct page *, void *),
		  void *arg, char *err, size_t errlen)
{
	const struct fc_phys *phys = mms[0]->phys;
	unsigned long nr_ram = fc_phys_config(phys)->nr_ram;
	struct verify v = { err, errlen, calloc(nr_ram ? nr_ram : 1, sizeof(int)),
			    calloc(nr_ram ? nr_ram : 1, sizeof(bool)) };
	int ret = 0;

	if (!v.maps || !v.cow_rw) {
		free(v.maps);
		free(v.cow_rw);
		return fail(&v, "out of memory");
	}
	for (size_t i = 0; i < n && !ret; i++)
		ret = vma_index_verify(mms[i], err, errlen) ? -1 : walk_mm(&v, mms[i]);
	ret = ret ? ret : check_zero_page(&v, phys);
	for (unsigned long pfn = 0; pfn < nr_ram && !ret; pfn++) {
		struct page *page = pfn_to_page(phys, pfn);
		int expect = v.maps[pfn] + (extra_refs ? extra_refs(page, arg) : 0);

		if (v.cow_rw[pfn] && v.maps[pfn] > 1)
			ret = fail(&v, "pfn %#lx: writable in a COW mapping, mapped by %d PTEs",
				   pfn, v.maps[pfn]);
		else if (page_mapcount(page) != v.maps[pfn])
			ret = fail(&v, "pfn %#lx: _mapcount %d, mapped by %d PTEs", pfn,
				   page_mapcount(page), v.maps[pfn]);
		else if (extra_refs && page_count(page) != expect)
			ret = fail(&v, "pfn %#lx: _refcount %d, expected %d", pfn, page_count(page),
				   expect);
		else if (page_count(page) < v.maps[pfn])
			ret = fail(&v, "pfn %#lx: _refcount %d below its %d mappings", pfn,
				   page_count(page), v.maps[pfn]);
	}
	free(v.maps);
	free(v.cow_rw);
	return ret;
}

int mm_verify(struct mm_struct *mm, char *err, size_t errlen)
{
	return mm_verify_set(&mm, 1, NULL, NULL, err, errlen);
}
