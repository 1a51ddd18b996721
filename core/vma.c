// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMAs: a sorted array searched by binary search, fronted by a one-entry
 * per-thread cache (the kernel's vmacache of 3.15 to 6.0) so that a fault
 * next to the previous one does not search at all.  Any VMA change bumps
 * mm->vma_seq, which invalidates every thread's cache entry for that mm.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static unsigned long vma_seq_source;

_Thread_local struct vmacache fc_vmacache __attribute__((tls_model("initial-exec")));

static void vma_changed(struct mm_struct *mm)
{
	unsigned long seq = __atomic_add_fetch(&vma_seq_source, 1, __ATOMIC_RELAXED);

	__atomic_store_n(&mm->vma_seq, seq, __ATOMIC_RELEASE);
}

void fc_mm_vmas_init(struct mm_struct *mm)
{
	vma_changed(mm);
}

/*
 * Index of the first VMA whose vm_end is above addr.  The search reads the
 * packed vm_ends array, not the VMAs (10,000 ends are 80 KiB of one array,
 * not 10,000 scattered structures), and halves without a branch, so a
 * lookup of a random VMA pays no mispredicted branch per level.
 */
static size_t vma_search(const struct mm_struct *mm, unsigned long addr)
{
	const unsigned long *base = mm->vm_ends;
	size_t n = mm->nr_vmas;

	if (!n)
		return 0;
	while (n > 1) {
		size_t half = n / 2;

		base = base[half - 1] <= addr ? base + half : base;
		n -= half;
	}
	return (size_t)(base - mm->vm_ends) + (*base <= addr);
}

struct vm_area_struct *find_vma_slow(struct mm_struct *mm, unsigned long addr, unsigned long seq)
{
	size_t i = vma_search(mm, addr);
	struct vm_area_struct *vma;

	if (i == mm->nr_vmas || mm->vmas[i]->vm_start > addr)
		return NULL;
	vma = mm->vmas[i];
	mm_cpumask_set(mm); /* switch_mm: only the first look at this mm writes */
	fc_vmacache = (struct vmacache){ mm, seq, vma };
	return vma;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	return find_vma_fast(mm, addr);
}

struct vm_area_struct *vma_next(struct mm_struct *mm, const struct vm_area_struct *vma)
{
	size_t i = vma_search(mm, vma->vm_end);

	return i < mm->nr_vmas ? mm->vmas[i] : NULL;
}

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	uint64_t prot = _PAGE_PRESENT | _PAGE_ACCESSED;

	/* Private writable mappings start read-only so that writes COW. */
	if ((vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE))
		prot |= _PAGE_RW;
	return (pgprot_t){ prot };
}

/* The precedence of 2.6.24, where ->fault and ->nopage both lead to __do_fault. */
void vma_resolve_handler(struct vm_area_struct *vma)
{
	const struct vm_operations_struct *ops = vma->vm_ops;

	if (!ops)
		vma->handler = FC_HANDLER_ANON;
	else if (ops->fault)
		vma->handler = FC_HANDLER_FAULT;
	else if (ops->nopage)
		vma->handler = FC_HANDLER_NOPAGE;
	else if (ops->nopfn)
		vma->handler = FC_HANDLER_NOPFN;
	else
		vma->handler = FC_HANDLER_ANON;
}

static bool insert_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	size_t i = vma_search(mm, vma->vm_start);

	if (i < mm->nr_vmas && mm->vmas[i]->vm_start < vma->vm_end)
		return false;
	if (mm->nr_vmas == mm->vmas_cap) {
		size_t cap = mm->vmas_cap ? 2 * mm->vmas_cap : 16;
		void *v = realloc(mm->vmas, cap * sizeof(*mm->vmas));

		if (!v)
			return false;
		mm->vmas = v;
		v = realloc(mm->vm_ends, cap * sizeof(*mm->vm_ends));
		if (!v)
			return false;
		mm->vm_ends = v;
		mm->vmas_cap = cap;
	}
	memmove(&mm->vmas[i + 1], &mm->vmas[i], (mm->nr_vmas - i) * sizeof(*mm->vmas));
	memmove(&mm->vm_ends[i + 1], &mm->vm_ends[i], (mm->nr_vmas - i) * sizeof(*mm->vm_ends));
	mm->vmas[i] = vma;
	mm->vm_ends[i] = vma->vm_end;
	mm->nr_vmas++;
	vma_changed(mm);
	return true;
}

struct vm_area_struct *fc_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
			       unsigned long vm_flags, const struct vm_operations_struct *ops,
			       void *private_data, unsigned long pgoff)
{
	struct vm_area_struct *vma;

	if (!len || (addr | len) & ~PAGE_MASK || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return NULL;
	vma = calloc(1, sizeof(*vma));
	if (!vma)
		return NULL;
	vm_flags |= VM_READ | VM_MAYREAD;
	if (vm_flags & VM_WRITE)
		vm_flags |= VM_MAYWRITE;
	*vma = (struct vm_area_struct){
		.vm_start = addr,
		.vm_end = addr + len,
		.vm_pgoff = pgoff,
		.vm_flags = vm_flags,
		.vm_page_prot = vm_get_page_prot(vm_flags),
		.vm_ops = ops,
		.vm_private_data = private_data,
		.vm_mm = mm,
	};
	vma_resolve_handler(vma);
	if (!insert_vma(mm, vma)) {
		free(vma);
		return NULL;
	}
	return vma;
}

int fc_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	size_t i = vma_search(mm, addr), j = i;
	int n = 0;

	while (j < mm->nr_vmas && mm->vmas[j]->vm_start < addr + len) {
		if (mm->vmas[j]->vm_start < addr || mm->vmas[j]->vm_end > addr + len)
			return -1;
		j++;
	}
	if (i == j)
		return 0;
	for (size_t k = i; k < j; k++, n++) {
		struct vm_area_struct *vma = mm->vmas[k];

		zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		free(vma);
	}
	memmove(&mm->vmas[i], &mm->vmas[j], (mm->nr_vmas - j) * sizeof(*mm->vmas));
	memmove(&mm->vm_ends[i], &mm->vm_ends[j], (mm->nr_vmas - j) * sizeof(*mm->vm_ends));
	mm->nr_vmas -= j - i;
	vma_changed(mm);
	return n;
}

void fc_mm_vmas_free(struct mm_struct *mm)
{
	fc_munmap(mm, 0, TASK_SIZE);
	free(mm->vmas);
	free(mm->vm_ends);
	mm->vmas = NULL;
	mm->vm_ends = NULL;
}

/* --- special mappings (seed 003) ------------------------------------------ */

static vm_fault_t special_mapping_fault(struct vm_fault *vmf);

static const struct vm_operations_struct legacy_special_mapping_vmops = {
	.name = "legacy-special",
	.fault = special_mapping_fault,
};

static const struct vm_operations_struct special_mapping_vmops = {
	.name = "special",
	.fault = special_mapping_fault,
};

static vm_fault_t special_mapping_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long pgoff = vmf->pgoff - vma->vm_pgoff;
	struct page **pages;

	if (vma->vm_ops == &legacy_special_mapping_vmops) {
		pages = vma->vm_private_data;
	} else {
		const struct vm_special_mapping *sm = vma->vm_private_data;

		if (sm->fault) {
			vmf->pgoff = pgoff;
			return sm->fault(sm, vma, vmf);
		}
		pages = sm->pages;
	}
	/* The array's length is not known: walk it to pgoff. */
	for (; pgoff && *pages; ++pages)
		pgoff--;
	if (*pages) {
		get_page(*pages);
		vmf->page = *pages;
		return 0;
	}
	return VM_FAULT_SIGBUS;
}

/*
 * Seed 003: .pages "must not be NULL unless .fault is provided".  A mapping
 * with neither could only crash on its first fault, so it is refused here,
 * counted as a bug, and no VMA is made.
 */
static struct vm_area_struct *special_mapping(struct mm_struct *mm, unsigned long addr,
					      unsigned long len, unsigned long vm_flags,
					      const struct vm_operations_struct *ops, void *priv,
					      bool can_fault)
{
	if (unlikely(!can_fault)) {
		fc_count(FC_STAT_BUG);
		return NULL;
	}
	return fc_mmap(mm, addr, len, vm_flags | VM_DONTEXPAND, ops, priv, 0);
}

struct vm_area_struct *_install_special_mapping(struct mm_struct *mm, unsigned long addr,
						unsigned long len, unsigned long vm_flags,
						const struct vm_special_mapping *sm)
{
	return special_mapping(mm, addr, len, vm_flags, &special_mapping_vmops, (void *)sm,
			       sm && (sm->pages || sm->fault));
}

struct vm_area_struct *install_special_mapping(struct mm_struct *mm, unsigned long addr,
					       unsigned long len, unsigned long vm_flags,
					       struct page **pages)
{
	return special_mapping(mm, addr, len, vm_flags, &legacy_special_mapping_vmops, pages,
			       pages);
}
