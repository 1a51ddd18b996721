/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pte_t and the page-table geometry: 4 levels of 512 entries, 4 KiB pages,
 * 48-bit virtual addresses, as on x86-64 with 4-level paging.
 *
 * A pte_t is one 64-bit word.  The bit positions follow x86-64 where a bit
 * exists there (present 0, write 1, accessed/young 5, dirty 6, the software
 * bit 9 for pte_special) and hold the pfn in bits 12..51.
 *
 * Page-table entries are read without the lock by the fault path and written
 * under it, so every access goes through pte_read()/pte_write_raw(), the
 * READ_ONCE()/WRITE_ONCE() of this model: relaxed atomics, plain moves on x86.
 */
#ifndef FAULTCORE_PTE_H
#define FAULTCORE_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "api.h"

FC_BEGIN_DECLS

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PTRS_PER_TABLE 512
#define PMD_SHIFT 21
#define PUD_SHIFT 30
#define PGDIR_SHIFT 39
#define PMD_SIZE (1UL << PMD_SHIFT)
#define TASK_SIZE (1UL << 47) /* user half of the 48-bit space */

#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_SPECIAL (1ULL << 9)
#define _PAGE_PFN_MASK 0x000ffffffffff000ULL
#define _PAGE_PROT_MASK (~_PAGE_PFN_MASK)
/* The largest pfn the pfn field holds; a larger one would be truncated into another frame. */
#define PTE_PFN_MAX (_PAGE_PFN_MASK >> PAGE_SHIFT)

typedef struct {
	uint64_t val;
} pte_t;

/* Protection bits a VMA gives its PTEs (vm_page_prot). */
typedef struct {
	uint64_t val;
} pgprot_t;

static inline pte_t __pte(uint64_t v)
{
	pte_t pte = { v }; /* no compound literal: C++ includes this too */

	return pte;
}

static inline pte_t pte_read(const pte_t *ptep)
{
	return __pte(__atomic_load_n(&ptep->val, __ATOMIC_RELAXED));
}

/* The raw store; set_pte_at() adds the arch cost model and accounting. */
static inline void pte_write_raw(pte_t *ptep, pte_t pte)
{
	__atomic_store_n(&ptep->val, pte.val, __ATOMIC_RELAXED);
}

static inline bool pte_none(pte_t pte)
{
	return pte.val == 0;
}
static inline bool pte_present(pte_t pte)
{
	return pte.val & _PAGE_PRESENT;
}
static inline bool pte_write(pte_t pte)
{
	return pte.val & _PAGE_RW;
}
static inline bool pte_dirty(pte_t pte)
{
	return pte.val & _PAGE_DIRTY;
}
static inline bool pte_young(pte_t pte)
{
	return pte.val & _PAGE_ACCESSED;
}
static inline bool pte_special(pte_t pte)
{
	return pte.val & _PAGE_SPECIAL;
}
static inline bool pte_same(pte_t a, pte_t b)
{
	return a.val == b.val;
}
static inline unsigned long pte_pfn(pte_t pte)
{
	return (pte.val & _PAGE_PFN_MASK) >> PAGE_SHIFT;
}
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return __pte(((uint64_t)pfn << PAGE_SHIFT) | (prot.val & _PAGE_PROT_MASK));
}
static inline pte_t pte_mkwrite(pte_t pte)
{
	return __pte(pte.val | _PAGE_RW);
}
static inline pte_t pte_wrprotect(pte_t pte)
{
	return __pte(pte.val & ~_PAGE_RW);
}
static inline pte_t pte_mkdirty(pte_t pte)
{
	return __pte(pte.val | _PAGE_DIRTY);
}
static inline pte_t pte_mkclean(pte_t pte)
{
	return __pte(pte.val & ~_PAGE_DIRTY);
}
static inline pte_t pte_mkyoung(pte_t pte)
{
	return __pte(pte.val | _PAGE_ACCESSED);
}
static inline pte_t pte_mkold(pte_t pte)
{
	return __pte(pte.val & ~_PAGE_ACCESSED);
}
static inline pte_t pte_mkspecial(pte_t pte)
{
	return __pte(pte.val | _PAGE_SPECIAL);
}

static inline unsigned pte_index(unsigned long addr)
{
	return (addr >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
}
static inline unsigned pmd_index(unsigned long addr)
{
	return (addr >> PMD_SHIFT) & (PTRS_PER_TABLE - 1);
}
static inline unsigned pud_index(unsigned long addr)
{
	return (addr >> PUD_SHIFT) & (PTRS_PER_TABLE - 1);
}
static inline unsigned pgd_index(unsigned long addr)
{
	return (addr >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1);
}

FC_END_DECLS

#endif
