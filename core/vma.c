// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMAs: a sorted array indexed by a B+tree of 16-key nodes, in the spirit of
 * the kernel's maple tree, fronted by a one-entry per-thread cache (the
 * kernel's vmacache of 3.15 to 6.0) so that a fault next to the previous one
 * does not search at all.  Any VMA change bumps mm->vma_seq, which
 * invalidates every thread's cache entry for that mm.
 *
 * The tree's leaves are the packed vm_ends (and vm_starts) arrays, 16 to a
 * node; each inner key is the last key of one child node, so a node's rank
 * (how many of its keys are <= addr) picks the child to descend into.  A
 * node's children sit together on the level below (child j of node p is node
 * 16p + j), so the tree holds no pointers: 10,000 VMAs are 4 levels of one
 * 128-byte node each, where a binary search took 14 dependent steps.  Keys
 * past the last VMA are VMA_KEY_MAX, with at least one such sentinel leaf, so
 * every rank lands on a real child and a miss needs no branch.  mmap and
 * munmap rebuild the inner levels (a fifteenth of the leaves, next to the
 * leaves' own memmove); they are serialised and off the fault path.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define VMA_KEY_MAX ULONG_MAX /* above every address: a sentinel key */

static unsigned long vma_seq_source;

_Thread_local struct vmacache fc_vmacache __attribute__((tls_model("initial-exec")));

static void vma_changed(struct mm_struct *mm)
{
	unsigned long seq = __atomic_add_fetch(&vma_seq_source, 1, __ATOMIC_RELAXED);

	__atomic_store_n(&mm->vma_seq, seq, __ATOMIC_RELEASE);
}

/*
 * The index of the first key above addr in the node at keys[i..i+15]:
 * i plus how many of its 16 sorted keys are <= addr, without a branch.
 * First the quarter (three keys), then within it: two short dependent steps
 * cost less than one chain of 16 additions, and a random lookup mispredicts
 * nothing.  The sums are size_t and go straight onto i, so that each compare
 * is one sbb and every load one addressing mode (an int rank costs a sign
 * extension, a setcc per key and the node's address each level).
 */
static __always_inline size_t node_rank(const unsigned long *keys, size_t i, unsigned long addr)
{
	i += 4 * ((size_t)(keys[i + 3] <= addr) + (size_t)(keys[i + 7] <= addr) +
		  (size_t)(keys[i + 11] <= addr));
	return i + (size_t)(keys[i] <= addr) + (size_t)(keys[i + 1] <= addr) +
	       (size_t)(keys[i + 2] <= addr);
}

/* Index of the first VMA whose vm_end is above addr (nr_vmas: none). */
static size_t vma_search(const struct mm_struct *mm, unsigned long addr)
{
	size_t i = 0; /* the first key of the node to search on this level */

	for (unsigned d = 0; d < mm->vma_depth; d++)
		i = node_rank(mm->vma_level[d], i, addr) * FC_VMA_NODE;
	return node_rank(mm->vm_ends, i, addr);
}

struct vm_area_struct *find_vma_slow(struct mm_struct *mm, unsigned long addr, unsigned long seq)
{
	size_t i = vma_search(mm, addr);
	unsigned long start = mm->vm_starts[i], end = mm->vm_ends[i];
	struct vm_area_struct *vma = mm->vmas[i];

	if (start > addr) /* the gap below vmas[i], or the sentinel */
		return NULL;
	mm_cpumask_set(mm); /* switch_mm: only the first look at this mm writes */
	fc_vmacache = (struct vmacache){ mm, seq, start, end, vma };
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

/* Leaf nodes for nr VMAs: room for nr keys and a sentinel. */
static size_t leaf_nodes(size_t nr)
{
	return nr / FC_VMA_NODE + 1;
}

static size_t nodes_above(size_t nodes)
{
	return (nodes + FC_VMA_NODE - 1) / FC_VMA_NODE;
}

/* Inner levels over nr VMAs: 0 while one leaf holds them all. */
static unsigned tree_depth(size_t nr)
{
	unsigned depth = 0;

	for (size_t n = leaf_nodes(nr); n > 1; n = nodes_above(n))
		depth++;
	return depth;
}

/* Keys of all inner levels over nr VMAs. */
static size_t inner_keys(size_t nr)
{
	size_t keys = 0;

	for (size_t n = leaf_nodes(nr); n > 1;) {
		n = nodes_above(n);
		keys += n * FC_VMA_NODE;
	}
	return keys;
}

/* Rebuilds the inner levels over the leaves, bottom up; the root goes first in memory. */
static void index_build(struct mm_struct *mm)
{
	size_t nodes = leaf_nodes(mm->nr_vmas), off = inner_keys(mm->nr_vmas);
	const unsigned long *below = mm->vm_ends;
	unsigned depth = mm->vma_depth = tree_depth(mm->nr_vmas);

	while (depth--) {
		size_t up = nodes_above(nodes);
		unsigned long *key;

		off -= up * FC_VMA_NODE;
		key = mm->vma_level[depth] = mm->vma_inner + off;
		for (size_t j = 0; j < up * FC_VMA_NODE; j++)
			key[j] = j < nodes ? below[j * FC_VMA_NODE + FC_VMA_NODE - 1] : VMA_KEY_MAX;
		below = key;
		nodes = up;
	}
}

/*
 * One allocation for room for cap VMAs: vmas, vm_starts, vm_ends (each a
 * whole number of nodes, so each stays 128-byte aligned), then the inner levels.
 */
static size_t index_bytes(size_t cap)
{
	size_t slots = leaf_nodes(cap) * FC_VMA_NODE;

	return slots * (sizeof(struct vm_area_struct *) + 2 * sizeof(unsigned long)) +
	       inner_keys(cap) * sizeof(unsigned long);
}

/* Moves the VMAs into room for cap of them; false (nothing changed) when out of memory. */
static bool vmas_reserve(struct mm_struct *mm, size_t cap)
{
	size_t slots = leaf_nodes(cap) * FC_VMA_NODE, nr = mm->nr_vmas;
	struct vm_area_struct **vmas = fc_zalloc(index_bytes(cap), 2 * FC_CACHELINE);
	unsigned long *starts = (unsigned long *)(vmas + slots);

	if (!vmas)
		return false;
	if (mm->vmas) {
		memcpy(vmas, mm->vmas, nr * sizeof(*vmas));
		memcpy(starts, mm->vm_starts, nr * sizeof(*starts));
		memcpy(starts + slots, mm->vm_ends, nr * sizeof(*starts));
		fc_free(mm->vmas, index_bytes(mm->vmas_cap));
	}
	mm->vmas = vmas;
	mm->vm_starts = starts;
	mm->vm_ends = starts + slots;
	mm->vma_inner = starts + 2 * slots;
	mm->vmas_cap = cap;
	return true;
}

/* After a change: sentinels to the end of the last leaf, the inner levels, new seq. */
static void vmas_reindex(struct mm_struct *mm)
{
	for (size_t i = mm->nr_vmas; i < leaf_nodes(mm->nr_vmas) * FC_VMA_NODE; i++) {
		mm->vmas[i] = NULL;
		mm->vm_starts[i] = VMA_KEY_MAX;
		mm->vm_ends[i] = VMA_KEY_MAX;
	}
	index_build(mm);
	vma_changed(mm);
}

bool fc_mm_vmas_init(struct mm_struct *mm)
{
	if (!vmas_reserve(mm, FC_VMA_NODE))
		return false;
	vmas_reindex(mm);
	return true;
}

static int index_fail(char *err, size_t errlen, const char *what, size_t i)
{
	snprintf(err, errlen, "VMA index: %s at %zu", what, i);
	return -1;
}

int vma_index_verify(const struct mm_struct *mm, char *err, size_t errlen)
{
	size_t nr = mm->nr_vmas, slots = leaf_nodes(nr) * FC_VMA_NODE, nodes = leaf_nodes(nr);
	const unsigned long *below = mm->vm_ends;
	unsigned depth = tree_depth(nr);

	for (size_t i = 0; i < slots; i++) {
		const struct vm_area_struct *vma = mm->vmas[i];

		if (i >= nr) {
			if (vma || mm->vm_starts[i] != VMA_KEY_MAX || mm->vm_ends[i] != VMA_KEY_MAX)
				return index_fail(err, errlen, "sentinel missing", i);
			continue;
		}
		if (!vma || vma->vm_mm != mm || vma->vm_start >= vma->vm_end)
			return index_fail(err, errlen, "bad VMA", i);
		if (mm->vm_starts[i] != vma->vm_start || mm->vm_ends[i] != vma->vm_end)
			return index_fail(err, errlen, "leaf keys differ from the VMA", i);
		if (i && mm->vm_ends[i - 1] > vma->vm_start)
			return index_fail(err, errlen, "VMAs out of order or overlapping", i);
		if (vma_search(mm, vma->vm_start) != i || vma_search(mm, vma->vm_end - 1) != i)
			return index_fail(err, errlen, "search misses the VMA", i);
	}
	if (depth != mm->vma_depth)
		return index_fail(err, errlen, "depth differs from the shape", depth);
	while (depth--) {
		const unsigned long *key = mm->vma_level[depth];
		size_t up = nodes_above(nodes);

		for (size_t j = 0; j < up * FC_VMA_NODE; j++)
			if (key[j] !=
			    (j < nodes ? below[j * FC_VMA_NODE + FC_VMA_NODE - 1] : VMA_KEY_MAX))
				return index_fail(err, errlen, "inner key is not its child's last",
						  j);
		below = key;
		nodes = up;
	}
	return 0;
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

/* Moves n entries of the leaves from index from to index to. */
static void vmas_move(struct mm_struct *mm, size_t to, size_t from, size_t n)
{
	memmove(&mm->vmas[to], &mm->vmas[from], n * sizeof(*mm->vmas));
	memmove(&mm->vm_starts[to], &mm->vm_starts[from], n * sizeof(*mm->vm_starts));
	memmove(&mm->vm_ends[to], &mm->vm_ends[from], n * sizeof(*mm->vm_ends));
}

static bool insert_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	size_t i = vma_search(mm, vma->vm_start);

	if (mm->vm_starts[i] < vma->vm_end)
		return false;
	if (mm->nr_vmas == mm->vmas_cap && !vmas_reserve(mm, 2 * mm->vmas_cap))
		return false;
	vmas_move(mm, i + 1, i, mm->nr_vmas - i);
	mm->vmas[i] = vma;
	mm->vm_starts[i] = vma->vm_start;
	mm->vm_ends[i] = vma->vm_end;
	mm->nr_vmas++;
	vmas_reindex(mm);
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

	while (j < mm->nr_vmas && mm->vm_starts[j] < addr + len) {
		if (mm->vm_starts[j] < addr || mm->vm_ends[j] > addr + len)
			return -1;
		j++;
	}
	if (i == j)
		return 0;
	for (size_t k = i; k < j; k++) {
		struct vm_area_struct *vma = mm->vmas[k];

		zap_page_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		free(vma);
	}
	vmas_move(mm, i, j, mm->nr_vmas - j);
	mm->nr_vmas -= j - i;
	vmas_reindex(mm);
	return (int)(j - i);
}

void fc_mm_vmas_free(struct mm_struct *mm)
{
	fc_munmap(mm, 0, TASK_SIZE);
	fc_free(mm->vmas, index_bytes(mm->vmas_cap));
	mm->vmas = NULL;
	mm->vm_starts = mm->vm_ends = mm->vma_inner = NULL;
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
