/* SPDX-License-Identifier: GPL-2.0-only */
/* libfaultcore internals shared between its files; not part of the API. */
#ifndef FAULTCORE_INTERNAL_H
#define FAULTCORE_INTERNAL_H

#include <stddef.h>

#include "faultcore/faultcore.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* Allocation: jemalloc unless built for the sanitizers (see alloc.c). */
void *fc_zalloc(size_t size, size_t align);
void fc_free(void *p, size_t size);

/* Zeroes a page's bytes: the cost the clear_page setting includes. */
void clear_page(struct fc_phys *phys, struct page *page);
void copy_page(struct fc_phys *phys, struct page *dst, const void *src);

/*
 * Page-table layout.  Upper levels are 512 pointers to the next level.  A
 * PMD table also holds, after its 512 entries, one ptdesc pointer per entry:
 * the descriptor of the PTE table below it, which carries that table's split
 * PTE lock (the kernel keeps it in the table page's struct page).
 */
struct ptdesc {
	struct ptlock ptl;
};

struct fc_pte_table {
	pte_t pte[PTRS_PER_TABLE];
};

struct fc_pmd_table {
	struct fc_pte_table *pte[PTRS_PER_TABLE];
	struct ptdesc *desc[PTRS_PER_TABLE];
};

struct fc_pud_table {
	struct fc_pmd_table *pmd[PTRS_PER_TABLE];
};

struct fc_pgd {
	struct fc_pud_table *pud[PTRS_PER_TABLE];
};

/* A PTE slot plus the lock that guards it, as pte_offset_map_lock() gives. */
struct pte_loc {
	pte_t *pte;
	struct ptlock *ptl;
};

/* The slow path of pte_alloc_map: allocates the missing tables. */
bool __pte_alloc_map(struct mm_struct *mm, unsigned long addr, struct pte_loc *loc);

static inline void *pt_entry(void *const *slot)
{
	return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

static __always_inline struct ptlock *ptl_of(struct mm_struct *mm, struct fc_pmd_table *pmd,
					     unsigned idx)
{
	if (mm->cfg.granularity == FC_PTL_MM)
		return &mm->page_table_lock;
	return &((struct ptdesc *)pt_entry((void **)&pmd->desc[idx]))->ptl;
}

/* Walks to addr's PTE, allocating missing tables; false when out of memory. */
static __always_inline bool pte_alloc_map(struct mm_struct *mm, unsigned long addr,
					  struct pte_loc *loc)
{
	struct fc_pud_table *pud = pt_entry((void **)&mm->pgd->pud[pgd_index(addr)]);
	struct fc_pmd_table *pmd;
	struct fc_pte_table *pte;

	if (unlikely(!pud))
		return __pte_alloc_map(mm, addr, loc);
	pmd = pt_entry((void **)&pud->pmd[pud_index(addr)]);
	if (unlikely(!pmd))
		return __pte_alloc_map(mm, addr, loc);
	pte = pt_entry((void **)&pmd->pte[pmd_index(addr)]);
	if (unlikely(!pte))
		return __pte_alloc_map(mm, addr, loc);
	loc->pte = &pte->pte[pte_index(addr)];
	loc->ptl = ptl_of(mm, pmd, pmd_index(addr));
	return true;
}
/* The end of the PTE table that covers addr, or end if that comes first. */
static inline unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long next = (addr + PMD_SIZE) & ~(PMD_SIZE - 1);

	return next < end ? next : end;
}

/* Walks without allocating; false when a table is missing. */
bool pte_offset_map(struct mm_struct *mm, unsigned long addr, struct pte_loc *loc);
void fc_pgtable_free(struct mm_struct *mm);

/* Generic PTL helpers for paths that are not specialised by lock kind. */
static inline void pte_lock(struct mm_struct *mm, struct ptlock *ptl, struct mcs_node *n)
{
	if (ptl_lock(mm->cfg.lock_kind, ptl, n))
		fc_count(FC_STAT_PTL_CONTENDED);
}
static inline void pte_unlock(struct mm_struct *mm, struct ptlock *ptl, struct mcs_node *n)
{
	ptl_unlock(mm->cfg.lock_kind, ptl, n);
}

/* arch.c */
struct fc_arch *fc_arch_create(const struct fc_arch_config *cfg, const struct fc_tlb_config *tlb);
void fc_arch_destroy(struct fc_arch *arch);
void arch_set_pte_slow(struct mm_struct *mm, unsigned long addr, pte_t old, pte_t pte);
void arch_update_mmu_cache_slow(struct mm_struct *mm, unsigned long addr, pte_t pte);
void arch_clear_pte_slow(struct mm_struct *mm, unsigned long addr, pte_t old);
/* This thread joins mm_cpumask(mm), as switch_mm does; a no-op once it has. */
void mm_cpumask_set(struct mm_struct *mm);
/*
 * After a zap that cleared present entries: flush_tlb_mm_range.  The other
 * threads in mm_cpumask are shot down, counted in tlb_shootdown and, under
 * tlb=ipi, paid for.
 */
void flush_tlb_mm_range(struct mm_struct *mm);

/* set_pte_at: the one place a PTE is stored over, counted and costed. */
static __always_inline void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
				       pte_t pte)
{
	pte_t old = pte_read(ptep);

	fc_count(FC_STAT_SET_PTE);
	if (pte_present(old))
		fc_count(FC_STAT_SET_PTE_REPLACE);
	if (unlikely(mm->cfg.arch.kind != FC_ARCH_X86))
		arch_set_pte_slow(mm, addr, old, pte);
	pte_write_raw(ptep, pte);
}

static __always_inline void update_mmu_cache(struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	if (unlikely(mm->cfg.arch.kind == FC_ARCH_PPC64_HASH))
		arch_update_mmu_cache_slow(mm, addr, pte);
}

/* ptep_get_and_clear: zap's store, with the arch's flush of a valid entry. */
static inline pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t old = pte_read(ptep);

	pte_write_raw(ptep, __pte(0));
	if (unlikely(mm->cfg.arch.kind == FC_ARCH_PPC64_HASH) && pte_present(old))
		arch_clear_pte_slow(mm, addr, old);
	return old;
}

static inline pte_t maybe_mkwrite(pte_t pte, const struct vm_area_struct *vma)
{
	if (likely(vma->vm_flags & VM_WRITE))
		pte = pte_mkwrite(pte);
	return pte;
}

static inline pte_t mk_pte(struct mm_struct *mm, struct page *page, pgprot_t prot)
{
	return pfn_pte(page_to_pfn(mm->phys, page), prot);
}

/* A pfn entry: special under the pte_special rule (modern insert_pfn). */
static inline pte_t pfn_entry(const struct vm_area_struct *vma, unsigned long pfn, pgprot_t prot)
{
	pte_t pte = pfn_pte(pfn, prot);

	if (vma->vm_mm->cfg.normal_rule == FC_NORMAL_SPECIAL)
		pte = pte_mkspecial(pte);
	return pte;
}

/*
 * A pfn range that runs past the PTE's pfn field would be truncated into
 * other frames: true (and a bad pfn counted) when refused.  nr is at most
 * TASK_SIZE >> PAGE_SHIFT, far below PTE_PFN_MAX, so the subtraction holds.
 */
static __always_inline bool pfns_past_pte_field(unsigned long pfn, unsigned long nr)
{
	if (likely(pfn <= PTE_PFN_MAX - (nr - 1)))
		return false;
	fc_count(FC_STAT_BAD_PFN);
	return true;
}

/* The rules of seed 004's vm_insert_pfn; true (and a bug counted) when refused. */
bool insert_pfn_refused(const struct vm_area_struct *vma, unsigned long pfn);

/* Marks a VMA as holding anonymous pages (anon_vma_prepare). */
static inline void anon_vma_prepare(struct vm_area_struct *vma)
{
	if (!__atomic_load_n(&vma->anon_vma, __ATOMIC_RELAXED))
		__atomic_store_n(&vma->anon_vma, true, __ATOMIC_RELAXED);
}

/*
 * Releases what a PTE being overwritten or cleared held: its mapcount and
 * reference, when vm_normal_page() says it maps a normal page.
 */
void release_pte(struct vm_area_struct *vma, unsigned long addr, pte_t old);

/*
 * The recheck under the PTL: may the caller install into an empty slot?
 * Under FC_RECHECK_NONE (the first do_no_pfn posting) it always may, and
 * set_pte_at() then counts the overwrite in set_pte_replace.
 */
static __always_inline bool may_install(struct mm_struct *mm, pte_t *ptep)
{
	if (mm->cfg.recheck == FC_RECHECK_NONE || likely(pte_none(pte_read(ptep))))
		return true;
	fc_count(FC_STAT_RECHECK_LOST);
	return false;
}

/*
 * The one path by which an entry is stored over what the slot held, under
 * the held PTL: page (if any) gains a mapping, whose reference the caller
 * already holds, and what the store replaces (under FC_RECHECK_NONE, or the
 * page a COW copies away from) is released.  The caller adds
 * update_mmu_cache() where the kernel's path has one.
 */
static __always_inline void install_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
					pte_t entry, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t old = pte_read(ptep);

	if (page)
		page_add_rmap(page);
	set_pte_at(mm, addr, ptep, entry);
	if (unlikely(pte_present(old)))
		release_pte(vma, addr, old);
}

/*
 * ptep_set_access_flags: the same pfn with young, dirty or write added, so
 * nothing is released; stored only when a bit changes.  True when it stored.
 */
static __always_inline bool ptep_set_access_flags(struct mm_struct *mm, unsigned long addr,
						  pte_t *ptep, pte_t entry)
{
	if (pte_same(entry, pte_read(ptep)))
		return false;
	set_pte_at(mm, addr, ptep, entry);
	update_mmu_cache(mm, addr, entry);
	return true;
}

/* ptep_set_wrprotect: fork's write-protect of the parent's entry, the same pfn. */
static inline void ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	set_pte_at(mm, addr, ptep, pte_wrprotect(pte_read(ptep)));
}

/*
 * vma.c: find_vma, with the per-thread vmacache checked inline.  The cache
 * keeps its VMA's range, so that a miss reads no VMA (the last one found may
 * be cold by now); seq guards the copy as it guards the pointer.
 */
struct vmacache {
	const struct mm_struct *mm;
	unsigned long seq;
	unsigned long start, end;
	struct vm_area_struct *vma;
};

extern _Thread_local struct vmacache fc_vmacache __attribute__((tls_model("initial-exec")));
struct vm_area_struct *find_vma_slow(struct mm_struct *mm, unsigned long addr, unsigned long seq);

static __always_inline struct vm_area_struct *find_vma_fast(struct mm_struct *mm,
							    unsigned long addr)
{
	unsigned long seq = __atomic_load_n(&mm->vma_seq, __ATOMIC_ACQUIRE);

	/* One compare for the range: a random miss must not mispredict twice. */
	if (likely(fc_vmacache.mm == mm && fc_vmacache.seq == seq &&
		   addr - fc_vmacache.start < fc_vmacache.end - fc_vmacache.start))
		return fc_vmacache.vma;
	return find_vma_slow(mm, addr, seq);
}

/* The VMA after vma in address order, or NULL (the kernel's vma_next). */
struct vm_area_struct *vma_next(struct mm_struct *mm, const struct vm_area_struct *vma);

/* The empty VMA index; false when out of memory. */
bool fc_mm_vmas_init(struct mm_struct *mm);
/* mm_verify: the VMAs sorted and apart, the index in step with them; -1 and err if not. */
int vma_index_verify(const struct mm_struct *mm, char *err, size_t errlen);
void fc_mm_vmas_free(struct mm_struct *mm);
/* Resolves vma->handler from its ops (the `resolved` dispatch order). */
void vma_resolve_handler(struct vm_area_struct *vma);
pgprot_t vm_get_page_prot(unsigned long vm_flags);

/*
 * cow.c: do_wp_page, a write to vmf->orig_pte (present and read-only),
 * entered with vmf->ptl held through node; returns with it released.
 */
vm_fault_t do_wp_page(struct vm_fault *vmf, struct mcs_node *node);
/* cow_user_page: copies the source frame, or zero-fills when it cannot be read. */
void cow_user_page(struct mm_struct *mm, struct page *dst, struct page *src, unsigned long pfn);

#endif
