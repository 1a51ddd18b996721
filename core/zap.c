// SPDX-License-Identifier: GPL-2.0-only
/* zap_page_range and copy_page_range (fork), through vm_normal_page. */
#include "internal.h"

/*
 * unmap_single_vma: the part of [start, end) inside vma, under vma's rules.
 * True when it cleared a present entry, which the TLB may still hold.
 */
static bool unmap_single_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = start > vma->vm_start ? start : vma->vm_start;
	bool flush = false;

	if (end > vma->vm_end)
		end = vma->vm_end;
	for (; addr < end; addr = pmd_addr_end(addr, end)) {
		unsigned long next = pmd_addr_end(addr, end);
		struct pte_loc loc;
		struct mcs_node n;

		if (!pte_offset_map(mm, addr, &loc))
			continue;
		pte_lock(mm, loc.ptl, &n);
		for (unsigned long a = addr; a < next; a += PAGE_SIZE, loc.pte++) {
			pte_t old;

			if (pte_none(pte_read(loc.pte)))
				continue;
			old = ptep_get_and_clear(mm, a, loc.pte);
			if (pte_present(old)) {
				fc_count(FC_STAT_ZAP_PTE);
				flush = true;
			}
			release_pte(vma, a, old);
		}
		pte_unlock(mm, loc.ptl, &n);
	}
	return flush;
}

/*
 * As the kernel's zap_page_range: the range is walked VMA by VMA from vma,
 * each clamped to itself, so that every entry is released under the rules
 * of the VMA that holds it.
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long addr, unsigned long size)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long end = addr + size < addr ? ~0UL : addr + size;
	bool flush = false;

	while (vma && vma->vm_start < end) {
		flush |= unmap_single_vma(vma, addr, end);
		vma = vma->vm_end < end ? vma_next(mm, vma) : NULL;
	}
	/* tlb_finish_mmu: one flush for the whole range, after the PTLs are dropped */
	if (flush)
		flush_tlb_mm_range(mm);
}

/*
 * copy_one_pte: a COW mapping is write-protected in parent and child; the
 * child takes a reference and a mapcount only on what vm_normal_page names.
 */
static void copy_one_pte(struct vm_area_struct *dst_vma, struct vm_area_struct *vma,
			 unsigned long addr, pte_t *dst_pte, pte_t *src_pte)
{
	struct page *page;
	pte_t pte;

	if (is_cow_mapping(vma->vm_flags) && pte_write(pte_read(src_pte)))
		ptep_set_wrprotect(vma->vm_mm, addr, src_pte);
	pte = pte_read(src_pte);
	if (vma->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);
	page = vm_normal_page(vma, addr, pte);
	if (page)
		get_page(page);
	install_pte(dst_vma, addr, dst_pte, pte, page);
}

int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	struct vm_area_struct *dst_vma = find_vma(dst, vma->vm_start);
	unsigned long addr = vma->vm_start, end = vma->vm_end;

	if (!dst_vma || dst_vma->vm_start != addr || dst_vma->vm_end != end)
		return -1;
	/*
	 * Faulting is cheaper than copying for a mapping with no anonymous
	 * pages, except that raw pfn ranges cannot be faulted back in (seed 001).
	 */
	if (!(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) && !vma->anon_vma)
		return 0;
	for (; addr < end; addr = pmd_addr_end(addr, end)) {
		unsigned long next = pmd_addr_end(addr, end);
		struct pte_loc s, d;
		struct mcs_node ns, nd;

		if (!pte_offset_map(src, addr, &s))
			continue;
		if (!pte_alloc_map(dst, addr, &d))
			return -1;
		pte_lock(src, s.ptl, &ns);
		if (d.ptl != s.ptl)
			pte_lock(dst, d.ptl, &nd);
		for (unsigned long a = addr; a < next; a += PAGE_SIZE, s.pte++, d.pte++)
			if (!pte_none(pte_read(s.pte)))
				copy_one_pte(dst_vma, vma, a, d.pte, s.pte);
		if (d.ptl != s.ptl)
			pte_unlock(dst, d.ptl, &nd);
		pte_unlock(src, s.ptl, &ns);
	}
	return 0;
}
