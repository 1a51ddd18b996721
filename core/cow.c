// SPDX-License-Identifier: GPL-2.0-only
/*
 * do_wp_page and cow_user_page (seed 001): a write to a present, read-only
 * PTE.  Entered with the PTL held, returns with it released.  A write to the
 * zero page gets a new cleared page, and the zero page is left as it was.
 */
#include <string.h>

#include "internal.h"

/*
 * With no source page (a raw pfn), copy from the frame's own memory; when
 * that cannot be read (MMIO), zero-fill: "Live with it."
 */
void cow_user_page(struct mm_struct *mm, struct page *dst, struct page *src, unsigned long pfn)
{
	struct fc_phys *phys = mm->phys;
	void *from;

	if (src) {
		copy_page(phys, dst, pfn_to_virt(phys, page_to_pfn(phys, src)));
		return;
	}
	from = pfn_to_virt(phys, pfn);
	if (from) {
		copy_page(phys, dst, from);
	} else {
		fc_count(FC_STAT_COW_ZERO_FILL);
		clear_page(phys, dst);
	}
}

/* Makes the existing entry writable and dirty in place (reuse, shared). */
static vm_fault_t wp_in_place(struct vm_fault *vmf, struct mcs_node *n)
{
	pte_t entry = pte_mkyoung(pte_mkdirty(pte_mkwrite(vmf->orig_pte)));

	ptep_set_access_flags(vmf->mm, vmf->address, vmf->pte, entry);
	pte_unlock(vmf->mm, vmf->ptl, n);
	return VM_FAULT_MINOR;
}

vm_fault_t do_wp_page(struct vm_fault *vmf, struct mcs_node *n)
{
	struct mm_struct *mm = vmf->mm;
	struct vm_area_struct *vma = vmf->vma;
	struct page *old_page, *new_page;
	vm_fault_t ret = VM_FAULT_MINOR;
	bool zero;

	fc_count(FC_STAT_HANDLER_WP);
	old_page = vm_normal_page(vma, vmf->address, vmf->orig_pte);
	if (!is_cow_mapping(vma->vm_flags))
		return wp_in_place(vmf, n); /* shared: no copy */
	if (old_page && PageAnon(old_page) && page_count(old_page) == 1) {
		/* We hold the only reference: reuse the page. */
		fc_count(FC_STAT_COW_REUSE);
		return wp_in_place(vmf, n);
	}
	if (old_page)
		get_page(old_page);
	/* The zero page (never a normal page) has no reference to take or drop. */
	zero = !old_page && is_zero_pfn(mm->phys, pte_pfn(vmf->orig_pte));
	pte_unlock(mm, vmf->ptl, n);

	new_page = alloc_page(mm->phys);
	if (!new_page) {
		ret = VM_FAULT_OOM;
		goto out;
	}
	if (zero) {
		/* wp_page_copy: a copy of the zero page is a cleared page, nothing to read */
		if (mm->cfg.clear_page)
			clear_page(mm->phys, new_page);
	} else {
		cow_user_page(mm, new_page, old_page, pte_pfn(vmf->orig_pte));
	}
	new_page->flags |= PG_anon;
	anon_vma_prepare(vma);

	pte_lock(mm, vmf->ptl, n);
	if (likely(pte_same(pte_read(vmf->pte), vmf->orig_pte))) {
		pte_t entry = mk_pte(mm, new_page, vma->vm_page_prot);

		entry = pte_mkyoung(maybe_mkwrite(pte_mkdirty(entry), vma));
		/* releases old_page's mapping: its rmap and the mapping's reference */
		install_pte(vma, vmf->address, vmf->pte, entry, new_page);
		update_mmu_cache(mm, vmf->address, entry);
		fc_count(zero ? FC_STAT_COW_ZERO_PAGE : FC_STAT_COW_COPY);
		new_page = NULL;
	} else {
		fc_count(FC_STAT_RECHECK_LOST);
	}
	pte_unlock(mm, vmf->ptl, n);
	if (new_page)
		put_page(mm->phys, new_page);
out:
	if (old_page)
		put_page(mm->phys, old_page); /* ours */
	return ret;
}
