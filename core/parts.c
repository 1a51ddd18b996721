// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which function is which part of the fault path (parts.h).  A function not
 * listed here counts in the part of the function it is inlined into or
 * called from: the pte helpers, for one, land where they are used.
 */
#include <string.h>

#include "faultcore/parts.h"

const char *const fc_part_names[FC_PART_NR] = {
	[FC_PART_ENTRY] = "entry",	 [FC_PART_FIND_VMA] = "find_vma",
	[FC_PART_WALK] = "walk",	 [FC_PART_DISPATCH] = "dispatch",
	[FC_PART_HANDLER] = "handler",	 [FC_PART_LOCK] = "lock",
	[FC_PART_RECHECK] = "recheck",	 [FC_PART_SET_PTE] = "set_pte_at",
	[FC_PART_COUNTERS] = "counters",
};

static const struct {
	const char *function;
	enum fc_part part;
} part_of[] = {
	{ "handle_mm_fault", FC_PART_ENTRY },
	{ "handle_mm_fault_ticket", FC_PART_ENTRY },
	{ "handle_mm_fault_queued", FC_PART_ENTRY },
	{ "handle_mm_fault_ttas", FC_PART_ENTRY },
	{ "handle_mm_fault_pthread_spin", FC_PART_ENTRY },
	{ "handle_mm_fault_pthread_mutex", FC_PART_ENTRY },
	{ "__handle_mm_fault", FC_PART_ENTRY },
	{ "find_vma", FC_PART_FIND_VMA },
	{ "find_vma_fast", FC_PART_FIND_VMA },
	{ "find_vma_slow", FC_PART_FIND_VMA },
	{ "pte_alloc_map", FC_PART_WALK },
	{ "__pte_alloc_map", FC_PART_WALK },
	{ "pte_offset_map", FC_PART_WALK },
	{ "ptl_of", FC_PART_WALK },
	{ "handle_pte_fault", FC_PART_DISPATCH },
	{ "do_pte_missing", FC_PART_DISPATCH },
	{ "do_no_pfn", FC_PART_HANDLER },
	{ "do_no_pfn_bug", FC_PART_HANDLER },
	{ "do_fault", FC_PART_HANDLER },
	{ "do_no_page", FC_PART_HANDLER },
	{ "do_anonymous_page", FC_PART_HANDLER },
	{ "finish_fault", FC_PART_HANDLER },
	{ "do_wp_page", FC_PART_HANDLER },
	{ "vmf_insert_pfn", FC_PART_HANDLER },
	{ "vmf_insert_mixed", FC_PART_HANDLER },
	{ "fault_lock", FC_PART_LOCK },
	{ "ptl_lock", FC_PART_LOCK },
	{ "ptl_unlock", FC_PART_LOCK },
	{ "pte_lock", FC_PART_LOCK },
	{ "pte_unlock", FC_PART_LOCK },
	{ "pthread_spin_lock", FC_PART_LOCK },
	{ "pthread_spin_trylock", FC_PART_LOCK },
	{ "pthread_spin_unlock", FC_PART_LOCK },
	{ "pthread_mutex_lock", FC_PART_LOCK },
	{ "pthread_mutex_trylock", FC_PART_LOCK },
	{ "pthread_mutex_unlock", FC_PART_LOCK },
	{ "may_install", FC_PART_RECHECK },
	{ "precheck_lost", FC_PART_RECHECK },
	{ "set_pte_at", FC_PART_SET_PTE },
	{ "update_mmu_cache", FC_PART_SET_PTE },
	{ "install_pte", FC_PART_SET_PTE },
	{ "arch_set_pte_slow", FC_PART_SET_PTE },
	{ "arch_update_mmu_cache_slow", FC_PART_SET_PTE },
	{ "fc_count", FC_PART_COUNTERS },
	{ "fc_count_n", FC_PART_COUNTERS },
	{ "count_fault", FC_PART_COUNTERS },
};

int fc_part_of(const char *function)
{
	for (size_t i = 0; i < sizeof(part_of) / sizeof(part_of[0]); i++)
		if (!strcmp(part_of[i].function, function))
			return (int)part_of[i].part;
	return -1;
}
