// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fault entry: handle_mm_fault -> handle_pte_fault -> dispatch ->
 * do_anonymous_page / do_no_page / do_no_pfn / do_fault.
 *
 * One struct vm_fault carries the fault down the path, as in mm/memory.c.
 * Everything below handle_mm_fault() is always_inline and takes it by
 * pointer, so that it lives in registers, and takes the lock kind beside it
 * as a constant: handle_mm_fault() picks one of five copies, and the lock
 * kind costs one well-predicted branch at entry, never an indirect call.  (A
 * kind in vmf would stop being a constant where ->fault can see vmf.)  The
 * other settings (recheck policy, dispatch order, arch model) are plain
 * branches on fields of the mm that never change during a run.
 */
#include "internal.h"

#define kind_t const enum ptl_kind

static __always_inline void fault_lock(struct ptlock *ptl, struct mcs_node *n, kind_t kind)
{
	if (ptl_lock(kind, ptl, n))
		fc_count(FC_STAT_PTL_CONTENDED);
}

/* FC_PRECHECK: a lockless look before calling the handler at all. */
static __always_inline bool precheck_lost(struct mm_struct *mm, pte_t *ptep)
{
	if (mm->cfg.recheck != FC_PRECHECK || likely(pte_none(pte_read(ptep))))
		return false;
	fc_count(FC_STAT_PRECHECK_LOST);
	return true;
}

/* handler_ns: the handler's own work, between the look at the PTE and the PTL. */
static __always_inline void handler_work(const struct mm_struct *mm)
{
	if (unlikely(mm->cfg.handler_ns))
		fc_delay_ns(mm->cfg.handler_ns);
}

/* Installs a page's PTE under the held PTL, releasing what it replaces. */
static __always_inline void install_page(struct vm_fault *vmf, struct page *page)
{
	pte_t entry = mk_pte(vmf->mm, page, vmf->vma->vm_page_prot);

	if (vmf->flags & FAULT_FLAG_WRITE)
		entry = maybe_mkwrite(pte_mkdirty(entry), vmf->vma);
	install_pte(vmf->vma, vmf->address, vmf->pte, entry, page);
	update_mmu_cache(vmf->mm, vmf->address, entry);
}

/* Takes the PTL and installs page unless the recheck finds the slot taken. */
static __always_inline vm_fault_t install_locked(struct vm_fault *vmf, struct page *page,
						 kind_t kind)
{
	struct mcs_node n;

	fault_lock(vmf->ptl, &n, kind);
	if (likely(may_install(vmf->mm, vmf->pte))) {
		install_page(vmf, page);
		page = NULL;
	}
	ptl_unlock(kind, vmf->ptl, &n);
	if (page)
		put_page(vmf->mm->phys, page);
	return VM_FAULT_MINOR;
}

/*
 * do_anonymous_page's read: "Use the zero-page for reads".  The entry is
 * read-only (a private mapping's vm_page_prot is) and, under pte_special,
 * special, as the kernel's pte_mkspecial(pfn_pte(my_zero_pfn(...))): no
 * reference, no mapcount, no anon_vma (fork need not copy a VMA of zero
 * pages: the child faults them in again).  The recheck is
 * vmf_pte_changed's.
 */
static __always_inline vm_fault_t map_zero_page(struct vm_fault *vmf, kind_t kind)
{
	struct mm_struct *mm = vmf->mm;
	struct vm_area_struct *vma = vmf->vma;
	pte_t entry = pfn_entry(vma, fc_zero_pfn(mm->phys), vma->vm_page_prot);
	struct mcs_node n;

	fault_lock(vmf->ptl, &n, kind);
	if (likely(may_install(mm, vmf->pte))) {
		install_pte(vma, vmf->address, vmf->pte, entry, NULL);
		update_mmu_cache(mm, vmf->address, entry);
		fc_count(FC_STAT_ZERO_PAGE);
	}
	ptl_unlock(kind, vmf->ptl, &n);
	return VM_FAULT_MINOR;
}

/*
 * The zero page serves reads of private anonymous memory only.  A shared
 * anonymous mapping is shmem in the kernel (shmem_zero_setup gives it
 * vm_ops), whose read fault allocates; here it reaches do_anonymous_page,
 * and a zero page there would be made writable in place by do_wp_page.
 */
static __always_inline bool use_zero_page(const struct vm_fault *vmf)
{
	return !(vmf->flags & FAULT_FLAG_WRITE) && likely(vmf->mm->cfg.zero_page) &&
	       !(vmf->vma->vm_flags & VM_SHARED);
}

static __always_inline vm_fault_t do_anonymous_page(struct vm_fault *vmf, kind_t kind)
{
	struct mm_struct *mm = vmf->mm;
	struct page *page;

	/*
	 * A hole in a VM_PFNMAP that no handler serves.  Seed 001 dropped the
	 * VM_UNPAGED case here ("just give them anon pages"), but in a shared
	 * mapping the linearity rule calls such a page "no page" and it leaks;
	 * the modern kernel's do_fault gives SIGBUS (its device mappings always
	 * carry vm_ops), and so does the model, in every dispatch order.
	 */
	if (unlikely(vmf->vma->vm_flags & VM_PFNMAP))
		return VM_FAULT_SIGBUS;
	if (precheck_lost(mm, vmf->pte))
		return VM_FAULT_MINOR;
	fc_count(FC_STAT_HANDLER_ANON);
	handler_work(mm);
	if (use_zero_page(vmf))
		return map_zero_page(vmf, kind);
	/* A write (seed 001: "Allocate our own private page."), or zero_page=0. */
	page = alloc_page(mm->phys);
	if (unlikely(!page))
		return VM_FAULT_OOM;
	if (mm->cfg.clear_page)
		clear_page(mm->phys, page);
	page->flags |= PG_anon;
	anon_vma_prepare(vmf->vma);

	return install_locked(vmf, page, kind);
}

/* A private write fault on a file page gets its own anonymous copy. */
static struct page *cow_new_page(struct mm_struct *mm, struct vm_area_struct *vma, struct page *src)
{
	struct page *page = alloc_page(mm->phys);

	if (page) {
		cow_user_page(mm, page, src, 0);
		page->flags |= PG_anon;
		anon_vma_prepare(vma);
	}
	put_page(mm->phys, src);
	return page;
}

/* Installs vmf->page, which ->nopage or ->fault returned (finish_fault). */
static __always_inline vm_fault_t finish_fault(struct vm_fault *vmf, kind_t kind)
{
	struct page *page = vmf->page;

	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vmf->vma->vm_flags & VM_SHARED)) {
		page = cow_new_page(vmf->mm, vmf->vma, page);
		if (!page)
			return VM_FAULT_OOM;
	}
	return install_locked(vmf, page, kind);
}

/* 2.6.17's do_no_page: ->nopage returns a referenced page. */
static __always_inline vm_fault_t do_no_page(struct vm_fault *vmf, kind_t kind)
{
	struct vm_area_struct *vma = vmf->vma;
	int type = VM_FAULT_MINOR;
	vm_fault_t ret;

	if (precheck_lost(vmf->mm, vmf->pte))
		return VM_FAULT_MINOR;
	fc_count(FC_STAT_HANDLER_NOPAGE);
	handler_work(vmf->mm);
	vmf->page = vma->vm_ops->nopage(vma, vmf->address, &type);
	if (unlikely(vmf->page == NOPAGE_SIGBUS))
		return VM_FAULT_SIGBUS;
	if (unlikely(vmf->page == NOPAGE_OOM))
		return VM_FAULT_OOM;
	ret = finish_fault(vmf, kind);
	return ret ? ret : (vm_fault_t)type;
}

/* The modern do_fault -> do_read_fault / do_cow_fault / do_shared_fault. */
static __always_inline vm_fault_t do_fault(struct vm_fault *vmf, kind_t kind)
{
	struct vm_area_struct *vma = vmf->vma;
	/*
	 * The handler gets a vm_fault of its own, with the handler's fields
	 * set: a pointer to vmf would keep it in memory on every path, where
	 * it lives in registers.  The PTE is not mapped while ->fault runs.
	 */
	struct vm_fault h;
	vm_fault_t ret;

	if (unlikely(!vma->vm_ops->fault))
		return VM_FAULT_SIGBUS;
	if (precheck_lost(vmf->mm, vmf->pte))
		return VM_FAULT_MINOR;
	fc_count(FC_STAT_HANDLER_FAULT);
	handler_work(vmf->mm);
	h.vma = vma;
	h.address = vmf->address;
	h.pgoff = linear_page_index(vma, vmf->address);
	h.flags = vmf->flags;
	h.orig_pte = vmf->orig_pte;
	h.page = NULL;
	ret = vma->vm_ops->fault(&h);
	vmf->page = h.page;
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		return ret;
	return finish_fault(vmf, kind) | (ret & VM_FAULT_MAJOR);
}

/*
 * do_no_pfn, as merged in 2.6.17 (seed 000) with the VM_MIXEDMAP rules of
 * seed 004.  The BUG_ONs refuse the fault: sigbus, and a bug counted.
 * As in the seed, there is no update_mmu_cache() here.
 */
static __attribute__((noinline)) vm_fault_t do_no_pfn_bug(void)
{
	fc_count(FC_STAT_BUG);
	return VM_FAULT_SIGBUS;
}

static __always_inline vm_fault_t do_no_pfn(struct vm_fault *vmf, kind_t kind)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long flags = vma->vm_flags;
	struct mcs_node n;
	unsigned long pfn;

	if (unlikely(!(flags & (VM_PFNMAP | VM_MIXEDMAP))))
		return do_no_pfn_bug();
	if (unlikely((flags & VM_PFNMAP) && is_cow_mapping(flags)))
		return do_no_pfn_bug();
	if (precheck_lost(vmf->mm, vmf->pte))
		return VM_FAULT_MINOR;

	fc_count(FC_STAT_HANDLER_NOPFN);
	handler_work(vmf->mm);
	pfn = vma->vm_ops->nopfn(vma, vmf->address);
	if (unlikely((flags & VM_MIXEDMAP) && pfn_valid(vmf->mm->phys, pfn)))
		return do_no_pfn_bug();
	if (unlikely(pfn == NOPFN_OOM))
		return VM_FAULT_OOM;
	if (unlikely(pfn == NOPFN_SIGBUS))
		return VM_FAULT_SIGBUS;
	if (unlikely(pfns_past_pte_field(pfn, 1)))
		return VM_FAULT_SIGBUS;

	fault_lock(vmf->ptl, &n, kind);
	/* Only go through if we didn't race with anybody else... */
	if (likely(may_install(vmf->mm, vmf->pte))) {
		pte_t entry = pfn_entry(vma, pfn, vma->vm_page_prot);

		if (vmf->flags & FAULT_FLAG_WRITE)
			entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		install_pte(vma, vmf->address, vmf->pte, entry, NULL);
	}
	ptl_unlock(kind, vmf->ptl, &n);
	return VM_FAULT_MINOR;
}

/*
 * pte_none: which handler fills the entry depends on the dispatch order, one
 * function for each order that handle_pte_fault has had.
 */

/*
 * Seed 000, do_no_pfn as merged in 2.6.17: ->nopage before ->nopfn, so a
 * mapping with both gets pages; ->fault, which 2.6.24 added, goes with ->nopage.
 */
static __always_inline vm_fault_t pte_missing_nopage_first(struct vm_fault *vmf, kind_t kind)
{
	const struct vm_operations_struct *ops = vmf->vma->vm_ops;

	if (ops) {
		if (ops->fault)
			return do_fault(vmf, kind);
		if (ops->nopage)
			return do_no_page(vmf, kind);
		if (unlikely(ops->nopfn))
			return do_no_pfn(vmf, kind);
	}
	return do_anonymous_page(vmf, kind);
}

/* Seed 002, the first do_no_pfn posting: "if (vma->vm_ops->nopfn)" first. */
static __always_inline vm_fault_t pte_missing_nopfn_first(struct vm_fault *vmf, kind_t kind)
{
	const struct vm_operations_struct *ops = vmf->vma->vm_ops;

	if (ops) {
		if (ops->nopfn)
			return do_no_pfn(vmf, kind);
		if (ops->fault)
			return do_fault(vmf, kind);
		if (ops->nopage)
			return do_no_page(vmf, kind);
	}
	return do_anonymous_page(vmf, kind);
}

/* Today's do_pte_missing: anonymous without vm_ops, else do_fault (->fault). */
static __always_inline vm_fault_t pte_missing_modern(struct vm_fault *vmf, kind_t kind)
{
	if (!vmf->vma->vm_ops)
		return do_anonymous_page(vmf, kind);
	return do_fault(vmf, kind);
}

/*
 * No seed's: the handler chosen once at mmap time with 2.6.24's precedence
 * (vma_resolve_handler), so that nothing is tested per fault.
 */
static __always_inline vm_fault_t pte_missing_resolved(struct vm_fault *vmf, kind_t kind)
{
	switch (vmf->vma->handler) {
	case FC_HANDLER_NOPFN:
		return do_no_pfn(vmf, kind);
	case FC_HANDLER_FAULT:
		return do_fault(vmf, kind);
	case FC_HANDLER_NOPAGE:
		return do_no_page(vmf, kind);
	case FC_HANDLER_ANON:
	default:
		return do_anonymous_page(vmf, kind);
	}
}

/* Picks the dispatch order's function: one switch, no indirect call. */
static __always_inline vm_fault_t do_pte_missing(struct vm_fault *vmf, kind_t kind)
{
	switch (vmf->mm->cfg.dispatch) {
	case FC_DISPATCH_RESOLVED:
		return pte_missing_resolved(vmf, kind);
	case FC_DISPATCH_NOPAGE_FIRST:
		return pte_missing_nopage_first(vmf, kind);
	case FC_DISPATCH_NOPFN_FIRST:
		return pte_missing_nopfn_first(vmf, kind);
	case FC_DISPATCH_MODERN:
	default:
		return pte_missing_modern(vmf, kind);
	}
}

static __always_inline vm_fault_t handle_pte_fault(struct vm_fault *vmf, kind_t kind)
{
	pte_t entry = pte_read(vmf->pte);
	struct mcs_node n;

	if (!pte_present(entry))
		return do_pte_missing(vmf, kind);

	fault_lock(vmf->ptl, &n, kind);
	if (unlikely(!pte_same(pte_read(vmf->pte), entry))) {
		fc_count(FC_STAT_RECHECK_LOST);
		goto unlock;
	}
	if (vmf->flags & FAULT_FLAG_WRITE) {
		if (!pte_write(entry)) {
			/* out of line: a copy, so that vmf stays in registers */
			struct vm_fault wp = *vmf;

			wp.orig_pte = entry;
			return do_wp_page(&wp, &n);
		}
		entry = pte_mkdirty(entry);
	}
	/* Nothing to change: another thread made this very access (the kernel's spurious fault). */
	if (!ptep_set_access_flags(vmf->mm, vmf->address, vmf->pte, pte_mkyoung(entry)))
		fc_count(FC_STAT_SPURIOUS);
unlock:
	ptl_unlock(kind, vmf->ptl, &n);
	return VM_FAULT_MINOR;
}

static __always_inline void count_fault(vm_fault_t ret)
{
	if (likely(!ret))
		fc_count(FC_STAT_FAULTS_MINOR);
	else if (ret & VM_FAULT_OOM)
		fc_count(FC_STAT_FAULTS_OOM);
	else if (ret & VM_FAULT_SIGBUS)
		fc_count(FC_STAT_FAULTS_SIGBUS);
	else if (ret & VM_FAULT_SIGSEGV)
		fc_count(FC_STAT_FAULTS_SIGSEGV);
	else if (ret & VM_FAULT_NOPAGE)
		fc_count(FC_STAT_FAULTS_NOPAGE);
	else
		fc_count(FC_STAT_FAULTS_MAJOR);
}

static __always_inline vm_fault_t __handle_mm_fault(struct mm_struct *mm, unsigned long addr,
						    unsigned int flags, kind_t kind)
{
	struct vm_fault vmf = {
		.vma = find_vma_fast(mm, addr),
		.address = addr & PAGE_MASK,
		.flags = flags & FAULT_FLAG_WRITE,
		.mm = mm,
	};
	struct pte_loc loc;
	vm_fault_t ret;

	/* No VMA, or a write the VMA does not allow: do_page_fault's bad_area. */
	if (unlikely(!vmf.vma || ((flags & FAULT_FLAG_WRITE) && !(vmf.vma->vm_flags & VM_WRITE))))
		ret = VM_FAULT_SIGSEGV;
	else if (unlikely(!pte_alloc_map(mm, addr, &loc)))
		ret = VM_FAULT_OOM;
	else {
		vmf.pte = loc.pte;
		vmf.ptl = loc.ptl;
		ret = handle_pte_fault(&vmf, kind);
	}
	count_fault(ret);
	return ret;
}

#define DEFINE_FAULT(name, kind)                                                                \
	static __attribute__((noinline)) vm_fault_t name(struct mm_struct *mm, unsigned long a, \
							 unsigned int f)                        \
	{                                                                                       \
		return __handle_mm_fault(mm, a, f, kind);                                       \
	}

DEFINE_FAULT(handle_mm_fault_ticket, PTL_TICKET)
DEFINE_FAULT(handle_mm_fault_queued, PTL_QUEUED)
DEFINE_FAULT(handle_mm_fault_ttas, PTL_TTAS)
DEFINE_FAULT(handle_mm_fault_pthread_spin, PTL_PTHREAD_SPIN)
DEFINE_FAULT(handle_mm_fault_pthread_mutex, PTL_PTHREAD_MUTEX)

vm_fault_t handle_mm_fault(struct mm_struct *mm, unsigned long address, unsigned int flags)
{
	switch (mm->cfg.lock_kind) {
	case PTL_TICKET:
		return handle_mm_fault_ticket(mm, address, flags);
	case PTL_QUEUED:
		return handle_mm_fault_queued(mm, address, flags);
	case PTL_TTAS:
		return handle_mm_fault_ttas(mm, address, flags);
	case PTL_PTHREAD_SPIN:
		return handle_mm_fault_pthread_spin(mm, address, flags);
	default:
		return handle_mm_fault_pthread_mutex(mm, address, flags);
	}
}
