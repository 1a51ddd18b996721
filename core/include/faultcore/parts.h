/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of the fault path, as an instruction breakdown names them, and
 * which of the core's functions make up each part.  The fault path is inlined
 * into one function per lock kind (fault.c), so a profiler sees one function;
 * a tool that reads the debug info's inline chain of each instruction puts
 * the instruction in the part of the innermost function listed here.
 */
#ifndef FAULTCORE_PARTS_H
#define FAULTCORE_PARTS_H

#include "api.h"

FC_BEGIN_DECLS

enum fc_part {
	FC_PART_ENTRY,	  /* handle_mm_fault: the lock-kind switch, bad_area checks */
	FC_PART_FIND_VMA, /* find_vma and the per-thread vmacache */
	FC_PART_WALK,	  /* the 4-level page-table walk to the PTE and its lock */
	FC_PART_DISPATCH, /* handle_pte_fault, do_pte_missing: which handler */
	FC_PART_HANDLER,  /* do_no_pfn, do_fault, ...: the handler and the driver's callback */
	FC_PART_LOCK,	  /* taking and releasing the PTE lock */
	FC_PART_RECHECK,  /* pte_none under the lock (and the lockless precheck) */
	FC_PART_SET_PTE,  /* set_pte_at, update_mmu_cache: the store and its arch cost */
	FC_PART_COUNTERS, /* the statistics counters */
	FC_PART_NR
};

extern const char *const fc_part_names[FC_PART_NR];

/* The part a function of the core belongs to, by name; -1 for none. */
int fc_part_of(const char *function);

FC_END_DECLS

#endif
