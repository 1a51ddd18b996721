// SPDX-License-Identifier: GPL-2.0-only
/* follow_page, get_user_pages and the lockless get_user_pages_fast. */
#include "internal.h"

/*
 * What gup takes from a present PTE: vm_normal_page's page, or NULL for a
 * raw pfn (as seed 001's gup does), or the zero page.  In the seeds' day the
 * ZERO_PAGE was a refcounted normal page that vm_normal_page returned; the
 * modern follow_page_pte() returns it for is_zero_pfn() although
 * vm_normal_page() does not, with a reference under FOLL_GET (FOLL_PIN,
 * which the model lacks, takes none).  The model does as the modern kernel:
 * a read pins the zero page, and a FOLL_WRITE never sees it, since a write
 * needs a writable entry, which do_wp_page's COW gives first.
 */
static struct page *gup_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page = vm_normal_page(vma, addr, pte);

	if (!page && is_zero_pfn(vma->vm_mm->phys, pte_pfn(pte)))
		page = fc_zero_page(vma->vm_mm->phys);
	return page;
}

struct page *follow_page(struct vm_area_struct *vma, unsigned long address, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = NULL;
	struct pte_loc loc;
	struct mcs_node n;
	pte_t pte;

	if (!pte_offset_map(mm, address, &loc))
		return NULL;
	pte_lock(mm, loc.ptl, &n);
	pte = pte_read(loc.pte);
	if (pte_present(pte) && (!(flags & FOLL_WRITE) || pte_write(pte))) {
		page = gup_page(vma, address & PAGE_MASK, pte);
		if (page && (flags & FOLL_GET))
			get_page(page);
	}
	pte_unlock(mm, loc.ptl, &n);
	return page;
}

/*
 * One page: fault until a suitable PTE is present, then take what
 * vm_normal_page gives (NULL for a raw pfn, as seed 001's gup does).
 * The modern kernel differs: check_vma_flags() refuses VM_IO and VM_PFNMAP
 * with -EFAULT before looking at a PTE.  The model follows the seed.
 */
static int gup_one(struct mm_struct *mm, unsigned long addr, unsigned int flags, struct page **page)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || ((flags & FOLL_WRITE) && !(vma->vm_flags & VM_WRITE)))
		return -1;
	for (;;) {
		struct pte_loc loc;
		struct mcs_node n;
		bool done = false;

		if (pte_offset_map(mm, addr, &loc)) {
			pte_t pte;

			pte_lock(mm, loc.ptl, &n);
			pte = pte_read(loc.pte);
			if (pte_present(pte) && (!(flags & FOLL_WRITE) || pte_write(pte))) {
				*page = gup_page(vma, addr, pte);
				if (*page) {
					get_page(*page);
					fc_count(FC_STAT_GUP_PIN);
				} else {
					fc_count(FC_STAT_GUP_RAW);
				}
				done = true;
			}
			pte_unlock(mm, loc.ptl, &n);
		}
		if (done)
			return 0;
		fc_count(FC_STAT_GUP_FAULT);
		if (handle_mm_fault(mm, addr, (flags & FOLL_WRITE) ? FAULT_FLAG_WRITE : 0) &
		    VM_FAULT_ERROR)
			return -1;
	}
}

long get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr,
		    unsigned int gup_flags, struct page **pages)
{
	unsigned long i;

	start &= PAGE_MASK;
	for (i = 0; i < nr; i++) {
		struct page *page;

		if (gup_one(mm, start + i * PAGE_SIZE, gup_flags, &page) < 0)
			break;
		if (pages)
			pages[i] = page;
		else if (page)
			put_page(mm->phys, page);
	}
	return i ? (long)i : -1;
}

/* get_page_unless_zero: a page being freed must not be resurrected. */
static bool try_get_page(struct page *page)
{
	int c = page_count(page);

	while (c > 0)
		if (__atomic_compare_exchange_n(&page->_refcount, &c, c + 1, true, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			fc_count(FC_STAT_PAGE_REF_GET);
			return true;
		}
	return false;
}

/*
 * Walks without the PTL or the mmap lock.  Only pte_special tells a raw pfn
 * from a page here (there is no VMA to apply the linearity rule to), so
 * under the linear rule nothing can be pinned this way: seed 004 names this
 * as the reason for pte_special.  The zero page's entry is special, so it
 * stops the walk too, as in the kernel's gup_fast_pte_range; the slow
 * get_user_pages() pins it.
 */
long get_user_pages_fast(struct mm_struct *mm, unsigned long start, unsigned long nr,
			 unsigned int gup_flags, struct page **pages)
{
	unsigned long i = 0;

	if (mm->cfg.normal_rule != FC_NORMAL_SPECIAL)
		goto out;
	start &= PAGE_MASK;
	for (; i < nr; i++) {
		unsigned long addr = start + i * PAGE_SIZE;
		struct pte_loc loc;
		struct page *page;
		pte_t pte;

		if (!pte_offset_map(mm, addr, &loc))
			break;
		pte = pte_read(loc.pte);
		if (!pte_present(pte) || pte_special(pte) ||
		    ((gup_flags & FOLL_WRITE) && !pte_write(pte)) ||
		    !pfn_valid(mm->phys, pte_pfn(pte)))
			break;
		page = pfn_to_page(mm->phys, pte_pfn(pte));
		if (!try_get_page(page))
			break;
		if (!pte_same(pte_read(loc.pte), pte)) { /* zapped or changed under us */
			put_page(mm->phys, page);
			break;
		}
		pages[i] = page;
	}
out:
	/* Where it stopped, the caller falls back to get_user_pages (the kernel's does). */
	fc_count_n(FC_STAT_GUP_PIN, i);
	if (i < nr)
		fc_count(FC_STAT_GUP_FAST_REFUSED);
	return (long)i;
}

void fc_put_pages(struct mm_struct *mm, struct page **pages, long nr)
{
	for (long i = 0; i < nr; i++)
		if (pages[i])
			put_page(mm->phys, pages[i]);
}
