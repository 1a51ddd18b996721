/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault-path statistics.  Each thread counts into its own thread-local block
 * (its own cache lines, never shared); a runner reads every thread's block at
 * the end and merges them with fc_stats_add().  The names in fc_stat_names[]
 * are the interface that scenarios, result files and plots use.
 */
#ifndef FAULTCORE_STATS_H
#define FAULTCORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"

FC_BEGIN_DECLS

/* clang-format off */
#define FC_STATS(X)                                                                              \
	X(FAULTS_MINOR, "faults.minor")                                                          \
	X(FAULTS_MAJOR, "faults.major")                                                          \
	X(FAULTS_SIGBUS, "faults.sigbus")                                                        \
	X(FAULTS_SIGSEGV, "faults.sigsegv")     /* bad_area: no VMA, or an access it forbids */  \
	X(FAULTS_OOM, "faults.oom")                                                              \
	X(FAULTS_NOPAGE, "faults.nopage")                                                        \
	X(HANDLER_ANON, "handler_calls.anon")   /* do_anonymous_page */                          \
	X(HANDLER_NOPAGE, "handler_calls.nopage") /* ->nopage */                                 \
	X(HANDLER_NOPFN, "handler_calls.nopfn") /* ->nopfn */                                    \
	X(HANDLER_FAULT, "handler_calls.fault") /* ->fault, special mappings included */         \
	X(HANDLER_WP, "handler_calls.wp")       /* do_wp_page */                                 \
	X(SET_PTE, "set_pte")                   /* every PTE store through set_pte_at */         \
	X(SET_PTE_REPLACE, "set_pte_replace")   /* stores over a present entry */                \
	X(RECHECK_LOST, "recheck_lost")         /* recheck under the PTL found the work done */  \
	X(PRECHECK_LOST, "precheck_lost")       /* lockless look before the handler did */       \
	X(SPURIOUS, "spurious")                 /* found its access allowed: nothing to store */ \
	X(PTL_CONTENDED, "ptl_contended")       /* PTL acquisitions that had to wait */          \
	X(PTE_ALLOC_LOST, "pte_alloc_lost")     /* __pte_alloc: another thread installed first */ \
	X(BUG, "bug")                           /* a kernel BUG_ON: refused, sigbus */           \
	X(BAD_PTE, "bad_pte")                   /* print_bad_pte: pfn outside the frame space */ \
	X(BAD_PFN, "bad_pfn")                   /* a pfn past the PTE's pfn field: refused */    \
	X(PAGE_REF_GET, "page_ref_get")         /* struct page references taken for mappings */  \
	X(PAGE_REF_PUT, "page_ref_put")         /* ... and dropped */                            \
	X(COW_COPY, "cow_copy")                 /* do_wp_page copied into a new page */          \
	X(COW_REUSE, "cow_reuse")               /* do_wp_page reused the only reference */       \
	X(COW_ZERO_FILL, "cow_zero_fill")       /* cow_user_page could not read the source */    \
	X(ZERO_PAGE, "zero_page")               /* do_anonymous_page mapped the zero page */     \
	X(COW_ZERO_PAGE, "cow_zero_page")       /* do_wp_page replaced it with a cleared page */ \
	X(HPT_INSERT, "hpt_insert")             /* ppc64-hash: update_mmu_cache inserts */       \
	X(HPT_EVICT, "hpt_evict")               /* ppc64-hash: a full bucket evicted a slot */   \
	X(TLBIE, "tlbie")                       /* ppc64-hash: global flushes */                 \
	X(ZAP_PTE, "zap_pte")                   /* present entries a zap cleared */             \
	X(TLB_SHOOTDOWN, "tlb_shootdown")       /* zaps that flush other threads' TLBs (IPIs) */ \
	X(GUP_PIN, "gup_pin")                   /* pages get_user_pages*() pinned for callers */ \
	X(GUP_RAW, "gup_raw")                   /* entries gup found raw: pages[i] = NULL */     \
	X(GUP_FAULT, "gup_fault")               /* faults gup took to map what it walked */      \
	X(GUP_FAST_REFUSED, "gup_fast_refused") /* lockless walks stopped short of nr */         \
	KERNEL_STATS(X)

/*
 * Not the model's: what the kernel-* scenarios measure of the live kernel,
 * counted under these names so that results, tables and plots treat the
 * kernel's figures exactly as they treat the model's.
 */
#define KERNEL_STATS(X)                                                                          \
	X(KERNEL_FAULTS, "kernel.faults")           /* page faults taken (perf's page-faults) */ \
	X(KERNEL_RACE_LOST, "kernel.race_lost")     /* faults in a round beyond its first */     \
	X(KERNEL_UFFD_MSGS, "kernel.uffd_msgs")     /* userfaultfd messages the handler read */  \
	X(KERNEL_UFFD_RESOLVED, "kernel.uffd_resolved") /* UFFDIO_COPY / _ZEROPAGE that mapped */ \
	X(KERNEL_UFFD_EEXIST, "kernel.uffd_eexist") /* ... that found the page mapped: EEXIST */
/* clang-format on */

enum fc_stat {
#define FC_STAT_ENUM(id, name) FC_STAT_##id,
	FC_STATS(FC_STAT_ENUM)
#undef FC_STAT_ENUM
		FC_STAT_NR
};

struct fc_stats {
	uint64_t v[FC_STAT_NR];
} __attribute__((aligned(64)));

extern const char *const fc_stat_names[FC_STAT_NR];

/*
 * This thread's counters.  Only the owning thread may write them.
 * initial-exec: a counter bump is one %fs-relative add, never a call to
 * __tls_get_addr, even when built position-independent.
 */
extern FC_THREAD_LOCAL struct fc_stats fc_this_stats __attribute__((tls_model("initial-exec")));

static inline void fc_count(enum fc_stat s)
{
	fc_this_stats.v[s]++;
}

static inline void fc_count_n(enum fc_stat s, uint64_t n)
{
	fc_this_stats.v[s] += n;
}

/* Copies this thread's counters into *out. */
void fc_stats_read(struct fc_stats *out);
/* Zeroes this thread's counters. */
void fc_stats_reset(void);
void fc_stats_add(struct fc_stats *dst, const struct fc_stats *src);

FC_END_DECLS

#endif
