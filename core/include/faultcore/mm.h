/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mm, its VMAs and their vm_ops, and the settings under study.
 *
 * Locking contract (as in the kernel, where the caller holds mmap_sem): faults,
 * zap_page_range() and get_user_pages() may run concurrently with each other;
 * fc_mmap(), fc_munmap(), remap_pfn_range() and copy_page_range() must not run
 * concurrently with anything else on the same mm, and the caller serialises
 * them.  The fault path itself takes no mm-wide lock beyond the PTE lock.
 */
#ifndef FAULTCORE_MM_H
#define FAULTCORE_MM_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "arch.h"
#include "page.h"
#include "ptlock.h"
#include "pte.h"

FC_BEGIN_DECLS

/* vm_flags */
#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_PFNMAP 0x00000400UL
#define VM_IO 0x00004000UL
#define VM_DONTEXPAND 0x00040000UL
#define VM_MIXEDMAP 0x10000000UL

/* A private mapping that may become writable: writes must COW. */
static inline bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* Fault results, the kernel's VM_FAULT_* bits.  MINOR is no bit at all. */
typedef unsigned int vm_fault_t;
#define VM_FAULT_MINOR 0x000
#define VM_FAULT_OOM 0x001
#define VM_FAULT_SIGBUS 0x002
#define VM_FAULT_MAJOR 0x004
#define VM_FAULT_SIGSEGV 0x040 /* bad_area: no VMA, or an access the VMA does not allow */
#define VM_FAULT_NOPAGE 0x100  /* ->fault installed the PTE itself */
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)

/* handle_mm_fault() flags */
#define FAULT_FLAG_WRITE 0x01

/* ->nopage and ->nopfn error returns (2.6.17) */
#define NOPAGE_SIGBUS ((struct page *)0)
#define NOPAGE_OOM ((struct page *)-1)
#define NOPFN_SIGBUS ((unsigned long)-1)
#define NOPFN_OOM ((unsigned long)-2)

struct mm_struct;
struct vm_area_struct;

/*
 * One fault's state, carried down the fault path as mm/memory.c carries its
 * own.  ->fault reads the fields above page and sets page; mm, pte and ptl
 * are the fault path's own, not set in the handler's copy (the PTE is not
 * mapped while ->fault runs, as in the kernel).
 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address; /* page aligned */
	unsigned long pgoff;   /* logical page offset in the mapping */
	unsigned int flags;    /* FAULT_FLAG_* */
	pte_t orig_pte;	       /* the entry as the fault first read it */
	struct page *page;     /* ->fault returns the page here, with a reference */
	struct mm_struct *mm;
	pte_t *pte;	    /* the entry, as pte_offset_map_lock() gives it */
	struct ptlock *ptl; /* and the PTE lock that guards it */
};

struct vm_operations_struct {
	const char *name;
	/* Legacy: returns a referenced page, NOPAGE_SIGBUS or NOPAGE_OOM. */
	struct page *(*nopage)(struct vm_area_struct *vma, unsigned long address, int *type);
	/* 2.6.17: returns a pfn, NOPFN_SIGBUS or NOPFN_OOM. */
	unsigned long (*nopfn)(struct vm_area_struct *vma, unsigned long address);
	/* Modern: sets vmf->page, or inserts a pfn itself and returns VM_FAULT_NOPAGE. */
	vm_fault_t (*fault)(struct vm_fault *vmf);
};

/* Install-time special mapping (the vdso kind), seed 003. */
struct vm_special_mapping {
	const char *name;
	/* NULL-terminated; must not be NULL unless .fault is set. */
	struct page **pages;
	/* If set, resolves the faults and .pages is not looked at. */
	vm_fault_t (*fault)(const struct vm_special_mapping *sm, struct vm_area_struct *vma,
			    struct vm_fault *vmf);
};

/* How a VMA's missing PTEs are filled, resolved once at mmap time. */
enum fc_handler {
	FC_HANDLER_ANON,
	FC_HANDLER_NOPAGE,
	FC_HANDLER_NOPFN,
	FC_HANDLER_FAULT,
};

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end; /* exclusive */
	unsigned long vm_pgoff;
	unsigned long vm_flags;
	pgprot_t vm_page_prot;
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;
	struct mm_struct *vm_mm;
	bool anon_vma; /* has had anonymous pages: fork must copy it */
	enum fc_handler handler;
};

static inline unsigned long linear_page_index(const struct vm_area_struct *vma,
					      unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

enum fc_ptl_granularity {
	FC_PTL_SPLIT, /* one lock per PTE-table page */
	FC_PTL_MM,    /* mm->page_table_lock for everything */
};

enum fc_recheck {
	FC_RECHECK,	 /* pte_none / pte_same under the PTL, as merged */
	FC_RECHECK_NONE, /* the first do_no_pfn posting: always store */
	FC_PRECHECK,	 /* FC_RECHECK plus a lockless look before the handler */
};

enum fc_dispatch {
	FC_DISPATCH_NOPAGE_FIRST, /* 2.6.17 as merged: nopage, nopfn, anonymous */
	FC_DISPATCH_NOPFN_FIRST,  /* the first posting: nopfn, nopage, anonymous */
	FC_DISPATCH_MODERN,	  /* do_pte_missing: anonymous or do_fault/->fault */
	FC_DISPATCH_RESOLVED,	  /* handler chosen at mmap time, nothing tested per fault */
};

/* Which rules vm_normal_page() applies. */
enum fc_normal_rule {
	FC_NORMAL_LINEAR,  /* seeds 001/004: the remap_pfn_range linearity rule */
	FC_NORMAL_SPECIAL, /* pte_special: a special PTE is never a normal page */
};

struct fc_mm_config {
	enum fc_ptl_granularity granularity;
	enum ptl_kind lock_kind;
	enum fc_recheck recheck;
	enum fc_dispatch dispatch;
	enum fc_normal_rule normal_rule;
	struct fc_arch_config arch;
	struct fc_tlb_config tlb; /* the TLB flush after a zap (arch.h) */
	bool clear_page;	  /* zero new anonymous pages (the cost of memory) */
	/*
	 * zero_page: an anonymous read fault maps the shared zero page, as the
	 * kernel's do_anonymous_page does (and seed 001's); off, it allocates
	 * and clears a page of its own, as a write does.
	 */
	bool zero_page;
	/*
	 * handler_ns: work in every fault handler (do_anonymous_page, ->nopage,
	 * ->nopfn, ->fault) before it takes the PTE lock, as a busy wait: a
	 * driver's own work, or the kernel's that the model leaves out (the
	 * trap, the VMA lock, the allocator and memcg).  It widens the window in
	 * which other threads find the PTE none too.  handler_auto: set
	 * handler_ns from fc_kernel_fault_ns() - fc_model_fault_ns() when the mm
	 * is created.
	 */
	uint32_t handler_ns;
	bool handler_auto;
};

/* The defaults: split ticket locks, recheck, nopage-first, linear, x86, clear_page, zero_page. */
void fc_mm_config_default(struct fc_mm_config *cfg);

/*
 * One knob of an mm, by name: the table of every knob is the one place where
 * their names, choices, defaults and help are written, for the core and for
 * every program that offers them (the faultbench runner's parameters).
 */
struct fc_mm_knob {
	const char *name;
	const char *choices; /* "a|b|c"; for a text knob, how to write one */
	const char *def;     /* what fc_mm_config_default() sets */
	const char *help;
	bool text; /* the value is parsed, not picked from choices */
	/* Use fc_mm_config_set() and fc_mm_config_describe(): */
	int (*set)(struct fc_mm_config *cfg, int choice, const char *value);
	int (*get)(const struct fc_mm_config *cfg, char *buf, size_t len);
};
/* Every knob, ending with a { .name = NULL } entry. */
extern const struct fc_mm_knob fc_mm_knobs[];
const struct fc_mm_knob *fc_mm_knob_find(const char *name);
/*
 * Sets one knob from text, as fc_mm_knobs[] describes it.  Returns 0, or -1
 * with a one-line message naming the valid choices in err.
 */
int fc_mm_config_set(struct fc_mm_config *cfg, const char *key, const char *value, char *err,
		     size_t errlen);
/* Writes "key=value" pairs for every knob, space separated, in the table's order. */
void fc_mm_config_describe(const struct fc_mm_config *cfg, char *buf, size_t len);

struct fc_pgd; /* the top-level table; see pgtable.c */

/* Bits of mm_cpumask(): threads are numbered in the order they first fault, modulo this. */
#define FC_NR_CPUS 256

/* The VMA index: keys to a node, and inner levels (16^7 nodes of leaves is plenty). */
#define FC_VMA_NODE 16
#define FC_VMA_MAX_DEPTH 7

struct mm_struct {
	struct fc_mm_config cfg;
	struct fc_phys *phys;
	struct fc_arch *arch;
	struct fc_pgd *pgd;
	struct ptlock page_table_lock; /* guards table installs, and PTEs when FC_PTL_MM */
	/*
	 * The VMAs, sorted by vm_start and non-overlapping, and the B+tree
	 * that find_vma searches (vma.c): vm_starts and vm_ends are its leaves,
	 * vma_level[] its inner levels, root first.
	 */
	struct vm_area_struct **vmas;
	size_t nr_vmas;
	size_t vmas_cap;
	unsigned long *vm_starts;
	unsigned long *vm_ends;
	unsigned long *vma_inner;
	unsigned long *vma_level[FC_VMA_MAX_DEPTH];
	unsigned vma_depth;
	unsigned long vma_seq; /* bumped on every VMA change: invalidates vmacaches */
	unsigned long nr_pte_tables;
	unsigned long nr_pmd_tables;
	unsigned long nr_pud_tables;
	/*
	 * mm_cpumask(): a bit per thread that has faulted on this mm, set once
	 * when the thread first uses it (the kernel's switch_mm) and never
	 * cleared, on its own line so that setting it disturbs no fault.  Its
	 * weight, the bits set, answers "anyone but me?" without a scan.
	 */
	unsigned long cpumask[FC_NR_CPUS / 64] __attribute__((aligned(FC_CACHELINE)));
	unsigned int cpumask_weight;
};

struct mm_struct *fc_mm_create(struct fc_phys *phys, const struct fc_mm_config *cfg);
/* Zaps everything, frees the tables and VMAs. */
void fc_mm_destroy(struct mm_struct *mm);

/*
 * Maps [addr, addr+len) with the given flags, ops and private data.  VM_READ
 * and VM_MAYREAD are implied; VM_WRITE implies VM_MAYWRITE.  Returns NULL when
 * the range is unaligned, outside TASK_SIZE or overlaps another VMA.
 */
struct vm_area_struct *fc_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
			       unsigned long vm_flags, const struct vm_operations_struct *ops,
			       void *private_data, unsigned long pgoff);
/* Unmaps whole VMAs inside [addr, addr+len); returns how many, or -1 if one straddles. */
int fc_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
/* The VMA containing addr, or NULL.  O(log n), with a per-thread cache in front. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/*
 * Seed 003: a special mapping driven by sm (->fault, or its pages array).
 * Both install functions refuse (NULL, and a bug counted) a mapping with
 * neither pages nor ->fault.
 */
struct vm_area_struct *_install_special_mapping(struct mm_struct *mm, unsigned long addr,
						unsigned long len, unsigned long vm_flags,
						const struct vm_special_mapping *sm);
/* The legacy kind: a bare NULL-terminated pages array as private data. */
struct vm_area_struct *install_special_mapping(struct mm_struct *mm, unsigned long addr,
					       unsigned long len, unsigned long vm_flags,
					       struct page **pages);

/*
 * The fault entry.  Returns VM_FAULT_* bits; each call is counted once in
 * faults.{minor,major,sigbus,sigsegv,oom,nopage}.  An address outside every
 * VMA, or a write to a VMA without VM_WRITE, is do_page_fault's bad_area:
 * VM_FAULT_SIGSEGV, and no handler runs.  A hole in a VM_PFNMAP that no
 * handler serves is VM_FAULT_SIGBUS in every dispatch order, never an
 * anonymous page (which the linearity rule could not see).  A read of
 * private anonymous memory maps the zero page (zero_page=1, page.h), which
 * a later write COWs.
 */
vm_fault_t handle_mm_fault(struct mm_struct *mm, unsigned long address, unsigned int flags);

/* The struct page behind a PTE, or NULL for a raw pfn (seeds 001 and 004) or the zero page. */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);

/*
 * Every way a pfn enters a PTE (these four, and a ->nopfn return) refuses a
 * pfn past PTE_PFN_MAX, counting it in bad_pfn: SIGBUS, or -EINVAL.
 *
 * For ->fault: install a pfn (VM_PFNMAP, not pfn_valid on VM_MIXEDMAP).
 */
vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn);
/* For ->fault on VM_MIXEDMAP: refcounts pfn_valid frames, raw otherwise. */
vm_fault_t vmf_insert_mixed(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn);
/* Old name: 0 or -errno. */
int vm_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn);
/* Prefills a range with raw pfns; sets VM_PFNMAP | VM_IO and vm_pgoff = pfn (seed 001). */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot);

/*
 * madvise(MADV_DONTNEED): clears the PTEs, releasing what vm_normal_page
 * names.  The range is walked VMA by VMA from vma, each clamped to itself.
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long addr, unsigned long size);
/*
 * fork: copies vma's PTEs into dst, which must hold a VMA over the same range
 * (-1 otherwise, or when out of memory); an entry it replaces is released.
 */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
/* fork(): a new mm sharing phys, with every VMA and PTE copied. */
struct mm_struct *fc_mm_fork(struct mm_struct *src);

#define FOLL_WRITE 0x01
#define FOLL_GET 0x04
#define FOLL_TOUCH 0x02
/* The page mapped at address under vm_normal_page rules (or the zero page), or NULL. */
struct page *follow_page(struct vm_area_struct *vma, unsigned long address, unsigned int flags);
/*
 * Faults in and pins nr pages from start; pages[i] is NULL for a raw pfn,
 * and the zero page (pinned too) for an anonymous read.
 * Returns the number done, or -1 with no page pinned if none could be.
 */
long get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr,
		    unsigned int gup_flags, struct page **pages);
/* Lockless walk; stops at the first PTE it cannot pin (special, absent). */
long get_user_pages_fast(struct mm_struct *mm, unsigned long start, unsigned long nr,
			 unsigned int gup_flags, struct page **pages);
/* Drops the pins that get_user_pages*() took. */
void fc_put_pages(struct mm_struct *mm, struct page **pages, long nr);

/* The PTE slot for addr if its table exists (no allocation), else NULL. */
pte_t *fc_pte_lookup(struct mm_struct *mm, unsigned long addr);
/* The PTE lock that guards the table holding ptep's entry for addr. */
struct ptlock *pte_lockptr(struct mm_struct *mm, unsigned long addr);

/*
 * Checks every invariant of one mm: tables and PTEs well formed, every
 * present PTE inside a VMA that may hold it, no raw pfn counted as a page.
 * Writes the first problem into err and returns -1, or returns 0.
 */
int mm_verify(struct mm_struct *mm, char *err, size_t errlen);
/*
 * The same over a set of mms sharing one phys (a parent and its children):
 * every page's _mapcount equals the PTEs that map it as a normal page, and
 * its _refcount equals the mappings plus extra_refs(page).
 */
int mm_verify_set(struct mm_struct **mms, size_t n, int (*extra_refs)(struct page *, void *),
		  void *arg, char *err, size_t errlen);

/* Bytes of page tables the mm holds, and the ideal: 4 KiB per table page. */
size_t fc_pgtable_bytes(const struct mm_struct *mm);
size_t fc_pgtable_ideal_bytes(const struct mm_struct *mm);

FC_END_DECLS

#endif
