// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrency stress.  More threads than cores fault one address together,
 * round after round; the last thread to arrive at the barrier zaps the entry
 * to re-arm the race.  Every recheck policy, lock granularity and lock kind,
 * with exact accounting afterwards.  Then a mixed stress: faults, COW writes,
 * zaps and gup on one mapping, with mm_verify after.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define ROUNDS 150
#else
#define ROUNDS 1500
#endif

static int nr_threads(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return (int)(cpus < 2 ? 3 : cpus + 1); /* always more threads than CPUs */
}

/* A sense-reversing barrier whose last arrival runs a re-arm step first. */
struct barrier {
	int count;
	int total;
	int sense;
};

static void barrier_wait(struct barrier *b, int *local_sense, void (*last)(void *), void *arg)
{
	int sense = !*local_sense;
	unsigned spins = 0;

	*local_sense = sense;
	if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == b->total) {
		if (last)
			last(arg);
		__atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&b->sense, sense, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) != sense)
		spin_wait(&spins);
}

struct race {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct barrier barrier;
	int rounds;
	struct fc_stats stats[64];
};

struct worker {
	struct race *race;
	int idx;
};

static void rearm(void *arg)
{
	struct race *r = arg;

	zap_page_range(r->vma, BASE, PAGE_SIZE);
}

static void *same_addr_worker(void *p)
{
	struct worker *w = p;
	struct race *r = w->race;
	int sense = 0;

	fc_stats_reset();
	for (int i = 0; i < r->rounds; i++) {
		barrier_wait(&r->barrier, &sense, NULL, NULL);
		assert_int_equal(handle_mm_fault(r->mm, BASE, 0), 0);
		barrier_wait(&r->barrier, &sense, rearm, r);
	}
	fc_stats_read(&r->stats[w->idx]);
	return NULL;
}

static void run_same_addr(const char *recheck, const char *gran, enum ptl_kind kind)
{
	struct fc_mm_config cfg = config_with("recheck", recheck);
	int threads = nr_threads();
	static struct race r;
	pthread_t tid[64];
	struct worker w[64];
	struct fc_stats sum = { 0 };
	char err[128];

	assert_int_equal(fc_mm_config_set(&cfg, "granularity", gran, err, sizeof(err)), 0);
	cfg.lock_kind = kind;
	fixture_new(&cfg);
	memset(&r, 0, sizeof(r));
	r.mm = fx->mm;
	r.vma = fc_mmap(fx->mm, BASE, PAGE_SIZE, VM_SHARED | VM_PFNMAP | VM_IO, &nopfn_ops, NULL,
			0);
	r.barrier.total = threads;
	r.rounds = ROUNDS;
	fx->nopfn_ret = io_pfn(7); /* drv_nopfn's call counter is not thread safe */
	for (int t = 0; t < threads; t++) {
		w[t] = (struct worker){ &r, t };
		pthread_create(&tid[t], NULL, same_addr_worker, &w[t]);
	}
	for (int t = 0; t < threads; t++) {
		pthread_join(tid[t], NULL);
		fc_stats_add(&sum, &r.stats[t]);
	}

	uint64_t handler = sum.v[FC_STAT_HANDLER_NOPFN], set = sum.v[FC_STAT_SET_PTE];
	uint64_t replace = sum.v[FC_STAT_SET_PTE_REPLACE], lost = sum.v[FC_STAT_RECHECK_LOST];

	assert_int_equal(sum.v[FC_STAT_FAULTS_MINOR], (uint64_t)threads * ROUNDS);
	if (strcmp(recheck, "none")) {
		/* exactly one store per round, and never over a present entry */
		assert_int_equal(set, ROUNDS);
		assert_int_equal(replace, 0);
		assert_int_equal(handler, ROUNDS + lost);
	} else {
		/* every handler call stores; all but the first of a round replace */
		assert_int_equal(set, handler);
		assert_int_equal(replace, handler - ROUNDS);
		assert_int_equal(lost, 0);
	}
	if (strcmp(recheck, "precheck"))
		assert_int_equal(sum.v[FC_STAT_PRECHECK_LOST], 0);
	assert_int_equal(sum.v[FC_STAT_BUG], 0);
	print_message(
		"%-8s %-5s %-13s handler %6llu set_pte %6llu replace %6llu recheck_lost %5llu "
		"precheck_lost %5llu contended %6llu\n",
		recheck, gran, ptl_kind_name(kind), (unsigned long long)handler,
		(unsigned long long)set, (unsigned long long)replace, (unsigned long long)lost,
		(unsigned long long)sum.v[FC_STAT_PRECHECK_LOST],
		(unsigned long long)sum.v[FC_STAT_PTL_CONTENDED]);
	fixture_free();
}

static void test_same_addr_exact_accounting_every_policy(void **state)
{
	static const char *const policies[] = { "recheck", "precheck", "none" };
	static const char *const grans[] = { "split", "mm" };

	for (int p = 0; p < 3; p++)
		for (int g = 0; g < 2; g++)
			for (int k = 0; k < PTL_NR_KINDS; k++)
				run_same_addr(policies[p], grans[g], k);
}

/* --- mixed: faults, COW writes, zaps and gup on one mapping ----------------- */

#define MIX_PAGES 8
#define MIX_OPS (ROUNDS * 20)

struct mix {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned seed;
};

static void *mix_worker(void *p)
{
	struct mix *m = p;
	unsigned seed = m->seed;

	for (int i = 0; i < MIX_OPS; i++) {
		unsigned long addr = BASE + (rand_r(&seed) % MIX_PAGES) * PAGE_SIZE;
		struct page *pages[2];
		long n;

		switch (rand_r(&seed) % 5) {
		case 0:
			handle_mm_fault(m->mm, addr, 0);
			break;
		case 1:
			handle_mm_fault(m->mm, addr, FAULT_FLAG_WRITE);
			break;
		case 2:
			zap_page_range(m->vma, addr, PAGE_SIZE);
			break;
		case 3:
			n = get_user_pages(m->mm, addr, 1, (i & 1) ? FOLL_WRITE : 0, pages);
			if (n > 0)
				fc_put_pages(m->mm, pages, n);
			break;
		default:
			n = get_user_pages_fast(m->mm, addr, 1, 0, pages);
			if (n > 0)
				fc_put_pages(m->mm, pages, n);
			break;
		}
	}
	return NULL;
}

static void run_mix(const char *rule, unsigned long flags, const struct vm_operations_struct *ops)
{
	struct fc_mm_config cfg = config_with("normal", rule);
	int threads = nr_threads();
	pthread_t tid[64];
	struct mix m[64];

	fixture_new(&cfg);
	fx->nopfn_ret = io_pfn(3);
	struct vm_area_struct *vma =
		fc_mmap(fx->mm, BASE, MIX_PAGES * PAGE_SIZE, flags, ops, NULL, 0);
	assert_non_null(vma);
	for (int t = 0; t < threads; t++) {
		m[t] = (struct mix){ fx->mm, vma, 12345u + t };
		pthread_create(&tid[t], NULL, mix_worker, &m[t]);
	}
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	assert_verified(fx->mm);
	zap_page_range(vma, BASE, MIX_PAGES * PAGE_SIZE);
	fixture_free();
}

static void test_mixed_faults_cow_zap_gup_stay_consistent(void **state)
{
	/* private VM_MIXEDMAP of pages and raw frames: every write COWs */
	run_mix("linear", VM_WRITE | VM_MIXEDMAP, &fault_mixed_ops);
	run_mix("special", VM_WRITE | VM_MIXEDMAP, &fault_mixed_ops);
	/* private anonymous memory: COW reuse, gup pins */
	run_mix("linear", VM_WRITE, NULL);
	run_mix("special", VM_WRITE, NULL);
	/* shared VM_PFNMAP through do_no_pfn */
	run_mix("linear", VM_SHARED | VM_WRITE | VM_PFNMAP | VM_IO, &nopfn_ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_addr_exact_accounting_every_policy),
		cmocka_unit_test(test_mixed_faults_cow_zap_gup_stay_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
