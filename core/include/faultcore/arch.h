/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architecture cost models for set_pte_at() and update_mmu_cache(), a setting
 * of the mm.  What each one models, and why:
 *
 *  x86         set_pte_at() is one store and update_mmu_cache() is empty: the
 *              hardware walker reads the page table itself, and a not-present
 *              entry is never cached in the TLB, so filling one needs no flush.
 *
 *  ppc64-hash  Book3S 64 with the hashed page table (HPT).  The hardware does
 *              not walk the Linux page table; it looks up a global hash of
 *              translations.  set_pte_at() stores the PTE, then
 *              update_mmu_cache() preloads the translation into the hash
 *              (hash_preload): it hashes the virtual page number to a group
 *              of 8 slots, takes that group's lock and fills a slot, evicting
 *              one when the group is full.  Replacing a valid entry must first
 *              invalidate the old translation: take the group lock, clear the
 *              slot, and flush with tlbie, which on real hardware is a
 *              broadcast serialised by a global lock (native_tlbie_lock).  That
 *              is why Nick Piggin notes in the do_no_pfn review (seed 002)
 *              that powerpc's set_pte_at is heavy, "even heavier if it is to
 *              replace an existing entry": the recheck avoids exactly that.
 *
 *  delay:N[,R] A calibrated busy wait of N ns per PTE store, and R ns (default
 *              N) when the store replaces a present entry; for sweeping the
 *              cost of a store without modelling a particular machine.
 *
 *  insns:N     For testing instruction counts, not a machine: x86, except that
 *              every PTE store runs exactly N more instructions than under
 *              insns:0 (N even; exact on x86-64, about N elsewhere).  x86
 *              itself does not pay for it: the store's arch branch is there
 *              for every other model already.
 *
 * The TLB flush after a zap, a setting of its own (tlb=):
 *
 *  none        zap_page_range() clears PTEs and flushes nothing, as before.
 *
 *  ipi:NS      A zap that cleared a present entry while other threads may
 *              hold the mm pays a busy wait of NS ns, once per zap.  It stands
 *              for the kernel's flush_tlb_mm_range() -> flush_tlb_multi() ->
 *              smp_call_function_many_cond(): an IPI to every other CPU in
 *              mm_cpumask(), each of which runs flush_tlb_func(), and a wait
 *              until the last has acknowledged.  The targets flush in
 *              parallel, so the cost is about one round trip, not one per
 *              CPU.  "Other threads may hold the mm" is the model's
 *              mm_cpumask: every thread that has faulted on the mm (see
 *              mm_cpumask_set()).  In the madvise(MADV_DONTNEED) cycle of
 *              same-addr this shootdown dominates the kernel's zap.
 *
 *  ipi:auto    ipi:NS with NS measured once on this machine by
 *              fc_tlb_ipi_ns(): how much longer madvise(MADV_DONTNEED) of
 *              one present page takes while another thread of this process
 *              runs on another CPU than while it sleeps.  That difference is
 *              the live kernel's shootdown, IPI and acknowledgement included.
 *              The machines differ tenfold here, and so does a
 *              virtual machine from bare metal (an IPI there is a VM exit),
 *              which is why the figure is measured rather than assumed.
 */
#ifndef FAULTCORE_ARCH_H
#define FAULTCORE_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "api.h"

FC_BEGIN_DECLS

enum fc_arch_kind {
	FC_ARCH_X86,
	FC_ARCH_PPC64_HASH,
	FC_ARCH_DELAY,
	FC_ARCH_INSNS,
};

struct fc_arch_config {
	enum fc_arch_kind kind;
	/* One word for both: insns:N must not move the fields x86 reads. */
	union {
		uint32_t delay_ns; /* FC_ARCH_DELAY: per store */
		uint32_t insns;	   /* FC_ARCH_INSNS: extra instructions per store */
	};
	uint32_t delay_replace_ns; /* FC_ARCH_DELAY: per store over a present entry */
	uint32_t hpt_log2_groups;  /* FC_ARCH_PPC64_HASH: hash size, 0 for the default */
};

enum fc_tlb_kind {
	FC_TLB_NONE,
	FC_TLB_IPI,	 /* ipi_ns per remote shootdown */
	FC_TLB_IPI_AUTO, /* ipi_ns measured by fc_tlb_ipi_ns() when the mm is created */
};

struct fc_tlb_config {
	enum fc_tlb_kind kind;
	uint32_t ipi_ns; /* FC_TLB_IPI */
};

/*
 * This machine's TLB shootdown, in ns: measured on the first call (a few tens
 * of ms, two CPUs busy), then remembered.  0 when the process may run on only
 * one CPU, where no other CPU can hold the mm.
 */
uint32_t fc_tlb_ipi_ns(void);

/*
 * The live kernel's anonymous write fault, and the model's, in ns: each the
 * median time per fault over a few regions of 1024 fresh pages, measured on
 * the first call of either and then remembered.  handler_ns=auto is their
 * difference (mm.h).
 */
uint32_t fc_kernel_fault_ns(void);
uint32_t fc_model_fault_ns(void);

/*
 * What this process has measured so far, without measuring anything: a
 * result file records the figures that its calibrated runs (handler_ns=auto,
 * tlb=ipi:auto) used, so that they can be read back and set by hand.
 */
struct fc_calibration {
	bool tlb_measured;
	uint32_t tlb_ipi_ns;
	bool faults_measured;
	uint32_t kernel_fault_ns, model_fault_ns;
};
void fc_calibration_get(struct fc_calibration *c);

/* Busy-waits about ns nanoseconds with a loop calibrated once per process. */
void fc_delay_ns(uint32_t ns);

FC_END_DECLS

#endif
