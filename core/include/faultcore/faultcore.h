/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libfaultcore: a user-space model of the Linux page-fault path.
 *
 *   pte.h     pte_t, its bits and the 4-level geometry
 *   ptlock.h  the PTE lock kinds
 *   page.h    the frame space: RAM with struct page, device frames without
 *   arch.h    set_pte_at / update_mmu_cache cost models
 *   stats.h   the per-thread counters every figure is made from
 *   parts.h   the fault path's parts, by function, for an instruction breakdown
 *   mm.h      mm, VMAs, vm_ops, settings, and the fault entry handle_mm_fault()
 *   api.h     C linkage for C++, and what the library exports
 *
 * A "fault" is a call to handle_mm_fault(); nothing here traps.
 */
#ifndef FAULTCORE_FAULTCORE_H
#define FAULTCORE_FAULTCORE_H

#include "arch.h"
#include "mm.h"
#include "page.h"
#include "parts.h"
#include "ptlock.h"
#include "pte.h"
#include "stats.h"

#endif
