// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "internal.h"

struct mm_struct *fc_mm_create(struct fc_phys *phys, const struct fc_mm_config *cfg)
{
	struct mm_struct *mm = fc_zalloc(sizeof(*mm), FC_CACHELINE);

	if (!mm)
		return NULL;
	mm->cfg = *cfg;
	if (cfg->handler_auto) {
		uint32_t k = fc_kernel_fault_ns(), m = fc_model_fault_ns();

		mm->cfg.handler_ns = k > m ? k - m : 0;
	}
	mm->phys = phys;
	mm->pgd = fc_zalloc(sizeof(*mm->pgd), PAGE_SIZE);
	mm->arch = fc_arch_create(&cfg->arch, &cfg->tlb);
	if (!mm->pgd || !mm->arch || !fc_mm_vmas_init(mm)) {
		fc_free(mm->pgd, sizeof(*mm->pgd));
		fc_arch_destroy(mm->arch);
		fc_free(mm, sizeof(*mm));
		return NULL;
	}
	ptl_init(cfg->lock_kind, &mm->page_table_lock);
	return mm;
}

void fc_mm_destroy(struct mm_struct *mm)
{
	if (!mm)
		return;
	fc_mm_vmas_free(mm);
	fc_pgtable_free(mm);
	fc_arch_destroy(mm->arch);
	ptl_destroy(mm->cfg.lock_kind, &mm->page_table_lock);
	fc_free(mm, sizeof(*mm));
}

struct mm_struct *fc_mm_fork(struct mm_struct *src)
{
	struct mm_struct *dst = fc_mm_create(src->phys, &src->cfg);

	if (!dst)
		return NULL;
	for (size_t i = 0; i < src->nr_vmas; i++) {
		struct vm_area_struct *s = src->vmas[i];
		struct vm_area_struct *d =
			fc_mmap(dst, s->vm_start, s->vm_end - s->vm_start, s->vm_flags, s->vm_ops,
				s->vm_private_data, s->vm_pgoff);

		if (!d || copy_page_range(dst, src, s) < 0) {
			fc_mm_destroy(dst);
			return NULL;
		}
		d->vm_page_prot = s->vm_page_prot;
		d->anon_vma = s->anon_vma;
	}
	return dst;
}
