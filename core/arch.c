// SPDX-License-Identifier: GPL-2.0-only
/* The set_pte_at / update_mmu_cache and TLB-flush cost models described in arch.h. */
#include <stdlib.h>
#include <time.h>

#include "internal.h"

#define HPT_SLOTS 8 /* HPTEs per group, as on Book3S */
#define HPT_DEFAULT_LOG2_GROUPS 14

struct hpt_group {
	struct ptlock lock;	 /* TTAS: the HPTE lock bit */
	uint64_t vpn[HPT_SLOTS]; /* 0 means an empty slot; vpn is stored + 1 */
	uint64_t pfn[HPT_SLOTS];
	unsigned next_victim;
} __attribute__((aligned(FC_CACHELINE)));

struct fc_arch {
	struct fc_arch_config cfg;
	uint64_t delay_iters;
	uint64_t delay_replace_iters;
	uint64_t tlb_ipi_iters; /* tlb=ipi: one remote shootdown */
	uint64_t group_mask;
	struct ptlock tlbie_lock; /* native_tlbie_lock: one tlbie at a time */
	uint64_t tlbie_seq;
	struct hpt_group *groups;
};

/* --- calibrated delay ---------------------------------------------------- */

static double iters_per_us;
static pthread_once_t calibrate_once = PTHREAD_ONCE_INIT;

static void spin_iters(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory");
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Best of several 2 ms windows, so a preemption cannot skew the rate. */
static void calibrate(void)
{
	const uint64_t n = 1 << 20;
	double best = 0;

	spin_iters(n);
	for (int i = 0; i < 7; i++) {
		double t0 = now_us();

		spin_iters(n);
		double rate = n / (now_us() - t0);
		if (rate > best)
			best = rate;
	}
	iters_per_us = best;
}

static double delay_calibration(void)
{
	pthread_once(&calibrate_once, calibrate);
	return iters_per_us;
}

static uint64_t ns_to_iters(uint32_t ns)
{
	return (uint64_t)(delay_calibration() * ns / 1000.0 + 0.5);
}

void fc_delay_ns(uint32_t ns)
{
	spin_iters(ns_to_iters(ns));
}

/* --- the model ------------------------------------------------------------ */

struct fc_arch *fc_arch_create(const struct fc_arch_config *cfg, const struct fc_tlb_config *tlb)
{
	struct fc_arch *arch = fc_zalloc(sizeof(*arch), FC_CACHELINE);

	if (!arch)
		return NULL;
	arch->cfg = *cfg;
	if (tlb->kind != FC_TLB_NONE)
		arch->tlb_ipi_iters =
			ns_to_iters(tlb->kind == FC_TLB_IPI ? tlb->ipi_ns : fc_tlb_ipi_ns());
	if (cfg->kind == FC_ARCH_DELAY) {
		arch->delay_iters = ns_to_iters(cfg->delay_ns);
		arch->delay_replace_iters = ns_to_iters(cfg->delay_replace_ns);
	} else if (cfg->kind == FC_ARCH_PPC64_HASH) {
		unsigned log2 =
			cfg->hpt_log2_groups ? cfg->hpt_log2_groups : HPT_DEFAULT_LOG2_GROUPS;

		arch->group_mask = (1ULL << log2) - 1;
		arch->groups = fc_zalloc(sizeof(struct hpt_group) << log2, FC_CACHELINE);
		if (!arch->groups) {
			fc_free(arch, sizeof(*arch));
			return NULL;
		}
	}
	return arch;
}

void fc_arch_destroy(struct fc_arch *arch)
{
	if (!arch)
		return;
	if (arch->groups)
		fc_free(arch->groups, sizeof(struct hpt_group) * (arch->group_mask + 1));
	fc_free(arch, sizeof(*arch));
}

static struct hpt_group *hpt_group_of(struct fc_arch *arch, uint64_t vpn)
{
	return &arch->groups[(vpn * 0x9e3779b97f4a7c15ULL >> 20) & arch->group_mask];
}

static void tlbie(struct fc_arch *arch)
{
	struct mcs_node n;

	ptl_lock(PTL_TTAS, &arch->tlbie_lock, &n);
	fc_count(FC_STAT_TLBIE);
	/* ptesync; tlbie; eieio; tlbsync; ptesync: a full barrier, modelled as a locked RMW */
	__atomic_fetch_add(&arch->tlbie_seq, 1, __ATOMIC_SEQ_CST);
	ptl_unlock(PTL_TTAS, &arch->tlbie_lock, &n);
}

/* hpte_need_flush + tlbie: drop the translation of a valid entry. */
static void hpt_flush(struct fc_arch *arch, unsigned long addr)
{
	uint64_t vpn = addr >> PAGE_SHIFT;
	struct hpt_group *g = hpt_group_of(arch, vpn);
	struct mcs_node n;

	ptl_lock(PTL_TTAS, &g->lock, &n);
	for (int i = 0; i < HPT_SLOTS; i++)
		if (g->vpn[i] == vpn + 1)
			g->vpn[i] = 0;
	ptl_unlock(PTL_TTAS, &g->lock, &n);
	tlbie(arch);
}

/*
 * insns:N: n more instructions than with n = 0, n even.  Both run the test
 * and the jump; then each pair is one dec and one jnz.
 */
static void run_insns(uint32_t n)
{
	uint64_t pairs = n / 2;

#if defined(__x86_64__)
	__asm__ __volatile__("test %0, %0\n\tjz 2f\n1:\tdec %0\n\tjnz 1b\n2:"
			     : "+r"(pairs)
			     :
			     : "cc");
#else
	spin_iters(pairs);
#endif
}

void arch_set_pte_slow(struct mm_struct *mm, unsigned long addr, pte_t old, pte_t pte)
{
	struct fc_arch *arch = mm->arch;

	if (arch->cfg.kind == FC_ARCH_INSNS)
		run_insns(arch->cfg.insns);
	else if (arch->cfg.kind == FC_ARCH_DELAY)
		spin_iters(pte_present(old) ? arch->delay_replace_iters : arch->delay_iters);
	else if (pte_present(old))
		hpt_flush(arch, addr);
}

/* hash_preload: put the translation in the hash so the access does not miss. */
void arch_update_mmu_cache_slow(struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	struct fc_arch *arch = mm->arch;
	uint64_t vpn = addr >> PAGE_SHIFT;
	struct hpt_group *g = hpt_group_of(arch, vpn);
	struct mcs_node n;
	bool evicted = false;
	int slot = -1;

	ptl_lock(PTL_TTAS, &g->lock, &n);
	for (int i = 0; i < HPT_SLOTS; i++) {
		if (g->vpn[i] == vpn + 1) {
			slot = i;
			break;
		}
		if (!g->vpn[i] && slot < 0)
			slot = i;
	}
	if (slot < 0) {
		slot = g->next_victim++ % HPT_SLOTS;
		fc_count(FC_STAT_HPT_EVICT);
		evicted = true;
	}
	g->vpn[slot] = vpn + 1;
	g->pfn[slot] = pte_pfn(pte);
	ptl_unlock(PTL_TTAS, &g->lock, &n);
	fc_count(FC_STAT_HPT_INSERT);
	if (evicted) /* the victim's translation may still be in a TLB */
		tlbie(arch);
}

void arch_clear_pte_slow(struct mm_struct *mm, unsigned long addr, pte_t old)
{
	hpt_flush(mm->arch, addr);
}

/* --- TLB shootdown --------------------------------------------------------- */

static unsigned next_cpu;
/* initial-exec, as the other per-thread state: no __tls_get_addr call in libfaultcore.so. */
static _Thread_local int this_cpu __attribute__((tls_model("initial-exec"))) = -1;

/* The model's CPU number of this thread, handed out in first-use order. */
static unsigned fc_this_cpu(void)
{
	if (this_cpu < 0)
		this_cpu = (int)(__atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) % FC_NR_CPUS);
	return (unsigned)this_cpu;
}

void mm_cpumask_set(struct mm_struct *mm)
{
	unsigned cpu = fc_this_cpu();
	unsigned long bit = 1UL << (cpu % 64), *word = &mm->cpumask[cpu / 64];

	/* Only the thread that sets the bit counts it: the weight is the bits set. */
	if (!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit) &&
	    !(__atomic_fetch_or(word, bit, __ATOMIC_RELAXED) & bit))
		__atomic_add_fetch(&mm->cpumask_weight, 1, __ATOMIC_RELAXED);
}

/*
 * Whether a thread other than this one is in mm_cpumask(mm): more bits than
 * this thread's own.  The weight is read after the bits that make it, so a
 * thread that joined since may be missed, as a flush racing a switch_mm is.
 */
static bool mm_cpumask_others(struct mm_struct *mm)
{
	unsigned cpu = fc_this_cpu();
	bool mine = __atomic_load_n(&mm->cpumask[cpu / 64], __ATOMIC_RELAXED) & (1UL << (cpu % 64));

	return __atomic_load_n(&mm->cpumask_weight, __ATOMIC_RELAXED) > (unsigned)mine;
}

/*
 * flush_tlb_mm_range: the local flush is free here, as invlpg is cheap beside
 * the IPI; a remote one is one round trip however many CPUs it reaches.
 */
void flush_tlb_mm_range(struct mm_struct *mm)
{
	if (!mm_cpumask_others(mm))
		return;
	fc_count(FC_STAT_TLB_SHOOTDOWN);
	spin_iters(mm->arch->tlb_ipi_iters);
}
