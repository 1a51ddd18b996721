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
 */
#ifndef FAULTCORE_ARCH_H
#define FAULTCORE_ARCH_H

#include <stdint.h>

enum fc_arch_kind {
	FC_ARCH_X86,
	FC_ARCH_PPC64_HASH,
	FC_ARCH_DELAY,
};

struct fc_arch_config {
	enum fc_arch_kind kind;
	uint32_t delay_ns;	   /* FC_ARCH_DELAY: per store */
	uint32_t delay_replace_ns; /* FC_ARCH_DELAY: per store over a present entry */
	uint32_t hpt_log2_groups;  /* FC_ARCH_PPC64_HASH: hash size, 0 for the default */
};

/* Busy-waits about ns nanoseconds with a loop calibrated once per process. */
void fc_delay_ns(uint32_t ns);

#endif
