// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw pfns in page tables: vm_normal_page(), the pfn inserters and
 * remap_pfn_range() (seeds 001 and 004).
 */
#include <errno.h>

#include "internal.h"

static struct page *bad_pte(void)
{
	fc_count(FC_STAT_BAD_PTE); /* print_bad_pte */
	return NULL;
}

/*
 * vm_normal_page: the struct page behind a PTE, or NULL for a raw pfn.
 *
 * FC_NORMAL_LINEAR, seed 004 on top of seed 001:
 *  - VM_MIXEDMAP: a page if and only if pfn_valid; every such page is
 *    refcounted, which is what lets VM_MIXEDMAP COW arbitrary ranges.
 *  - VM_PFNMAP: NULL when pfn == vm_pgoff + (addr - vm_start) >> PAGE_SHIFT
 *    (the remap_pfn_range rule); NULL when the mapping is not COW;
 *    otherwise the entry was COWed and has a struct page.
 *  - anything else: a normal page.
 * FC_NORMAL_SPECIAL (pte_special, seed 004's cover letter): a special PTE is
 * never a normal page; VM_MIXEDMAP still checks pfn_valid.
 * A pfn with no struct page where one is required is a bad PTE.
 *
 * The zero page is never a normal page either: under pte_special its entry
 * is special, as do_anonymous_page makes it; under the linear rule the
 * kernel's is_zero_pfn() check names it.  The kernel makes that check
 * before check_pfn; the model's zero page lies outside RAM (page.h), so it
 * fails pfn_valid and the check costs nothing until then.
 */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	const struct fc_phys *phys = vma->vm_mm->phys;
	unsigned long pfn = pte_pfn(pte);
	unsigned long flags = vma->vm_flags;

	if (vma->vm_mm->cfg.normal_rule == FC_NORMAL_SPECIAL) {
		if (likely(!pte_special(pte)))
			goto check_pfn;
		return NULL;
	}
	if (unlikely(flags & (VM_PFNMAP | VM_MIXEDMAP))) {
		if (flags & VM_MIXEDMAP) {
			if (!pfn_valid(phys, pfn))
				return NULL;
			goto out;
		} else {
			unsigned long off = (addr - vma->vm_start) >> PAGE_SHIFT;

			if (pfn == vma->vm_pgoff + off)
				return NULL;
			if (!is_cow_mapping(flags))
				return NULL;
		}
	}
check_pfn:
	if (unlikely(!pfn_valid(phys, pfn)))
		return is_zero_pfn(phys, pfn) ? NULL : bad_pte();
out:
	return pfn_to_page(phys, pfn);
}

void release_pte(struct vm_area_struct *vma, unsigned long addr, pte_t old)
{
	struct page *page = vm_normal_page(vma, addr, old);

	if (page) {
		page_remove_rmap(page);
		put_page(vma->vm_mm->phys, page);
	}
}

/* Seed 004's vm_insert_pfn BUG_ONs, refused instead of crashing. */
bool insert_pfn_refused(const struct vm_area_struct *vma, unsigned long pfn)
{
	unsigned long flags = vma->vm_flags;
	unsigned long both = flags & (VM_PFNMAP | VM_MIXEDMAP);

	if (!both || both == (VM_PFNMAP | VM_MIXEDMAP) ||
	    ((flags & VM_PFNMAP) && is_cow_mapping(flags)) ||
	    ((flags & VM_MIXEDMAP) && pfn_valid(vma->vm_mm->phys, pfn))) {
		fc_count(FC_STAT_BUG);
		return true;
	}
	return false;
}

/* insert_pfn / insert_page: install under the PTL unless the slot is taken. */
static vm_fault_t insert_entry(struct vm_area_struct *vma, unsigned long addr, pte_t entry,
			       struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	struct pte_loc loc;
	struct mcs_node n;

	if (addr < vma->vm_start || addr >= vma->vm_end)
		return VM_FAULT_SIGBUS;
	if (!pte_alloc_map(mm, addr, &loc))
		return VM_FAULT_OOM;
	pte_lock(mm, loc.ptl, &n);
	if (may_install(mm, loc.pte)) {
		if (page)
			get_page(page);
		install_pte(vma, addr, loc.pte, entry, page);
		update_mmu_cache(mm, addr, entry);
	}
	pte_unlock(mm, loc.ptl, &n);
	return VM_FAULT_NOPAGE;
}

vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)
{
	if (pfns_past_pte_field(pfn, 1) || insert_pfn_refused(vma, pfn))
		return VM_FAULT_SIGBUS;
	return insert_entry(vma, addr & PAGE_MASK, pfn_entry(vma, pfn, vma->vm_page_prot), NULL);
}

int vm_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)
{
	vm_fault_t ret = vmf_insert_pfn(vma, addr, pfn);

	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	return ret & VM_FAULT_SIGBUS ? -EINVAL : 0;
}

/*
 * vmf_insert_mixed: a pfn_valid frame is inserted as a normal, refcounted
 * page (insert_page), anything else as a raw pfn.
 */
vm_fault_t vmf_insert_mixed(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)
{
	const struct fc_phys *phys = vma->vm_mm->phys;

	if (!(vma->vm_flags & VM_MIXEDMAP) || (vma->vm_flags & VM_PFNMAP)) {
		fc_count(FC_STAT_BUG);
		return VM_FAULT_SIGBUS;
	}
	if (pfns_past_pte_field(pfn, 1))
		return VM_FAULT_SIGBUS;
	if (pfn_valid(phys, pfn))
		return insert_entry(vma, addr & PAGE_MASK, pfn_pte(pfn, vma->vm_page_prot),
				    pfn_to_page(phys, pfn));
	return insert_entry(vma, addr & PAGE_MASK, pfn_entry(vma, pfn, vma->vm_page_prot), NULL);
}

/*
 * remap_pfn_range is all or nothing: it checks before it changes anything
 * (the modern kernel unwinds instead, zapping the part it filled).  The
 * entries it fills must be empty and, while the VMA is not VM_PFNMAP yet,
 * so must every other entry of it, since the new flags change how
 * vm_normal_page reads them all.  Walking [addr, end) with alloc set also
 * allocates its tables, so that the fill cannot fail.  0, -EBUSY or -ENOMEM.
 */
static int remap_ptes_busy(struct mm_struct *mm, unsigned long addr, unsigned long end, bool alloc)
{
	while (addr < end) {
		unsigned long next = pmd_addr_end(addr, end);
		struct pte_loc loc;

		if (alloc ? !pte_alloc_map(mm, addr, &loc) : !pte_offset_map(mm, addr, &loc)) {
			if (alloc)
				return -ENOMEM;
			addr = next;
			continue;
		}
		for (; addr < next; addr += PAGE_SIZE, loc.pte++)
			if (!pte_none(pte_read(loc.pte)))
				return -EBUSY;
	}
	return 0;
}

/*
 * remap_pfn_range (seed 001): fill [addr, addr+size) with raw pfns and mark
 * the VMA so that vm_normal_page() recognises them by the linearity rule.
 *
 * The linearity rule reads vm_pgoff as the pfn at vm_start, so a COW mapping
 * is remapped whole and its vm_pgoff set, as since 2.6.2x; seed 001 set
 * vm_pgoff for every remap.  A shared mapping's raw entries are never pages
 * (seed 004), so a part of it may be remapped and its vm_pgoff is kept.
 * VM_DONTEXPAND is the modern counterpart of seed 001's VM_RESERVED.
 * Callers serialise it against everything else on the mm (see mm.h), so the
 * check and the fill see the same entries.
 */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long end = addr + size;
	int err;

	if ((addr | size) & ~PAGE_MASK || addr < vma->vm_start || end > vma->vm_end || !size)
		return -EINVAL;
	if (pfns_past_pte_field(pfn, size >> PAGE_SHIFT))
		return -EINVAL;
	if (unlikely(vma->vm_flags & VM_MIXEDMAP)) {
		fc_count(FC_STAT_BUG); /* seed 004: never both VM_PFNMAP and VM_MIXEDMAP */
		return -EINVAL;
	}
	if (is_cow_mapping(vma->vm_flags) && (addr != vma->vm_start || end != vma->vm_end))
		return -EINVAL;
	err = vma->vm_flags & VM_PFNMAP ? 0
					: remap_ptes_busy(mm, vma->vm_start, vma->vm_end, false);
	if (err || (err = remap_ptes_busy(mm, addr, end, true)))
		return err;

	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND;
	if (is_cow_mapping(vma->vm_flags))
		vma->vm_pgoff = pfn;
	while (addr < end) {
		unsigned long next = pmd_addr_end(addr, end);
		struct pte_loc loc;
		struct mcs_node n;

		pte_offset_map(mm, addr, &loc); /* allocated by the check */
		pte_lock(mm, loc.ptl, &n);
		for (; addr < next; addr += PAGE_SIZE, pfn++, loc.pte++)
			install_pte(vma, addr, loc.pte, pfn_entry(vma, pfn, prot), NULL);
		pte_unlock(mm, loc.ptl, &n);
	}
	return 0;
}
