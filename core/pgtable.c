// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 4-level page table.  Tables are allocated lazily on the first fault
 * below them: allocated outside any lock, installed under page_table_lock
 * after a recheck, and freed again when another thread installed one first
 * (the __pte_alloc race; each loss is counted in pte_alloc_lost).  Readers
 * walk without locks, so installs publish with a release store.
 *
 * Tables are freed only with the mm: zap clears PTEs but keeps tables, as
 * MADV_DONTNEED does, which also keeps lockless walkers safe.
 */
#include "internal.h"

#define PT_ALIGN PAGE_SIZE

/*
 * Installs *new into *slot unless another thread already did; returns the
 * table that is in place.  (desc, desc_size) is the PTE table's descriptor.
 */
static void *install_table(struct mm_struct *mm, void **slot, void *new, size_t size,
			   struct ptdesc **desc_slot, struct ptdesc *desc, unsigned long *nr)
{
	struct mcs_node n;
	void *cur;

	pte_lock(mm, &mm->page_table_lock, &n);
	cur = pt_entry(slot);
	if (!cur) {
		if (desc_slot)
			__atomic_store_n(desc_slot, desc, __ATOMIC_RELEASE);
		__atomic_store_n(slot, new, __ATOMIC_RELEASE);
		(*nr)++;
		cur = new;
		new = NULL;
	}
	pte_unlock(mm, &mm->page_table_lock, &n);
	if (new) {
		fc_count(FC_STAT_PTE_ALLOC_LOST);
		fc_free(new, size);
		if (desc) {
			ptl_destroy(mm->cfg.lock_kind, &desc->ptl);
			fc_free(desc, sizeof(*desc));
		}
	}
	return cur;
}

static void *alloc_upper(struct mm_struct *mm, void **slot, size_t size, unsigned long *nr)
{
	void *t = fc_zalloc(size, PT_ALIGN);

	if (!t)
		return NULL;
	return install_table(mm, slot, t, size, NULL, NULL, nr);
}

static struct fc_pte_table *alloc_pte_table(struct mm_struct *mm, struct fc_pmd_table *pmd,
					    unsigned idx)
{
	struct fc_pte_table *t = fc_zalloc(sizeof(*t), PT_ALIGN);
	struct ptdesc *desc = fc_zalloc(sizeof(*desc), FC_CACHELINE);

	if (!t || !desc) {
		fc_free(t, sizeof(*t));
		fc_free(desc, sizeof(*desc));
		return NULL;
	}
	ptl_init(mm->cfg.lock_kind, &desc->ptl);
	return install_table(mm, (void **)&pmd->pte[idx], t, sizeof(*t), &pmd->desc[idx], desc,
			     &mm->nr_pte_tables);
}

bool __pte_alloc_map(struct mm_struct *mm, unsigned long addr, struct pte_loc *loc)
{
	struct fc_pud_table *pud = pt_entry((void **)&mm->pgd->pud[pgd_index(addr)]);
	struct fc_pmd_table *pmd;
	struct fc_pte_table *pte;
	unsigned i;

	if (unlikely(!pud)) {
		pud = alloc_upper(mm, (void **)&mm->pgd->pud[pgd_index(addr)], sizeof(*pud),
				  &mm->nr_pud_tables);
		if (!pud)
			return false;
	}
	pmd = pt_entry((void **)&pud->pmd[pud_index(addr)]);
	if (unlikely(!pmd)) {
		pmd = alloc_upper(mm, (void **)&pud->pmd[pud_index(addr)], sizeof(*pmd),
				  &mm->nr_pmd_tables);
		if (!pmd)
			return false;
	}
	i = pmd_index(addr);
	pte = pt_entry((void **)&pmd->pte[i]);
	if (unlikely(!pte)) {
		pte = alloc_pte_table(mm, pmd, i);
		if (!pte)
			return false;
	}
	loc->pte = &pte->pte[pte_index(addr)];
	loc->ptl = ptl_of(mm, pmd, i);
	return true;
}

bool pte_offset_map(struct mm_struct *mm, unsigned long addr, struct pte_loc *loc)
{
	struct fc_pud_table *pud = pt_entry((void **)&mm->pgd->pud[pgd_index(addr)]);
	struct fc_pmd_table *pmd;
	struct fc_pte_table *pte;

	if (!pud || !(pmd = pt_entry((void **)&pud->pmd[pud_index(addr)])) ||
	    !(pte = pt_entry((void **)&pmd->pte[pmd_index(addr)])))
		return false;
	loc->pte = &pte->pte[pte_index(addr)];
	loc->ptl = ptl_of(mm, pmd, pmd_index(addr));
	return true;
}

pte_t *fc_pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct pte_loc loc;

	return pte_offset_map(mm, addr, &loc) ? loc.pte : NULL;
}

struct ptlock *pte_lockptr(struct mm_struct *mm, unsigned long addr)
{
	struct pte_loc loc;

	return pte_offset_map(mm, addr, &loc) ? loc.ptl : NULL;
}

void fc_pgtable_free(struct mm_struct *mm)
{
	for (unsigned g = 0; g < PTRS_PER_TABLE; g++) {
		struct fc_pud_table *pud = mm->pgd->pud[g];

		if (!pud)
			continue;
		for (unsigned u = 0; u < PTRS_PER_TABLE; u++) {
			struct fc_pmd_table *pmd = pud->pmd[u];

			if (!pmd)
				continue;
			for (unsigned m = 0; m < PTRS_PER_TABLE; m++) {
				if (!pmd->pte[m])
					continue;
				ptl_destroy(mm->cfg.lock_kind, &pmd->desc[m]->ptl);
				fc_free(pmd->desc[m], sizeof(struct ptdesc));
				fc_free(pmd->pte[m], sizeof(struct fc_pte_table));
			}
			fc_free(pmd, sizeof(*pmd));
		}
		fc_free(pud, sizeof(*pud));
	}
	fc_free(mm->pgd, sizeof(*mm->pgd));
	mm->pgd = NULL;
}

size_t fc_pgtable_bytes(const struct mm_struct *mm)
{
	return sizeof(struct fc_pgd) + mm->nr_pud_tables * sizeof(struct fc_pud_table) +
	       mm->nr_pmd_tables * sizeof(struct fc_pmd_table) +
	       mm->nr_pte_tables * (sizeof(struct fc_pte_table) + sizeof(struct ptdesc));
}

size_t fc_pgtable_ideal_bytes(const struct mm_struct *mm)
{
	return PAGE_SIZE * (1 + mm->nr_pud_tables + mm->nr_pmd_tables + mm->nr_pte_tables);
}
