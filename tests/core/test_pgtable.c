// SPDX-License-Identifier: GPL-2.0-only
/* Page tables, PTE locks, VMAs and settings. */
#include <pthread.h>
#include <unistd.h>

#include "fixture.h"

static void map_anon(unsigned long addr, unsigned long len)
{
	assert_non_null(fc_mmap(fx->mm, addr, len, VM_WRITE, NULL, NULL, 0));
}

static void test_tables_are_allocated_lazily(void **state)
{
	fixture_new(NULL);
	map_anon(BASE, 4 * PMD_SIZE);
	assert_int_equal(fx->mm->nr_pte_tables, 0);
	assert_null(fc_pte_lookup(fx->mm, BASE));
	handle_mm_fault(fx->mm, BASE, 0);
	assert_int_equal(fx->mm->nr_pud_tables, 1);
	assert_int_equal(fx->mm->nr_pmd_tables, 1);
	assert_int_equal(fx->mm->nr_pte_tables, 1);
	handle_mm_fault(fx->mm, BASE + PAGE_SIZE, 0); /* same table */
	assert_int_equal(fx->mm->nr_pte_tables, 1);
	handle_mm_fault(fx->mm, BASE + PMD_SIZE, 0); /* the next 2 MiB */
	assert_int_equal(fx->mm->nr_pte_tables, 2);
	fixture_free();
}

/* Split: one lock per PTE table.  mm: page_table_lock for everything. */
static void test_split_ptl_is_per_table(void **state)
{
	struct fc_mm_config cfg = config_with("granularity", "split");

	fixture_new(&cfg);
	map_anon(BASE, 2 * PMD_SIZE);
	handle_mm_fault(fx->mm, BASE, 0);
	handle_mm_fault(fx->mm, BASE + PMD_SIZE, 0);
	assert_ptr_equal(pte_lockptr(fx->mm, BASE), pte_lockptr(fx->mm, BASE + PAGE_SIZE));
	assert_ptr_not_equal(pte_lockptr(fx->mm, BASE), pte_lockptr(fx->mm, BASE + PMD_SIZE));
	assert_ptr_not_equal(pte_lockptr(fx->mm, BASE), &fx->mm->page_table_lock);
	assert_int_equal((uintptr_t)pte_lockptr(fx->mm, BASE) % 64, 0);
	fixture_free();

	cfg = config_with("granularity", "mm");
	fixture_new(&cfg);
	map_anon(BASE, 2 * PMD_SIZE);
	handle_mm_fault(fx->mm, BASE, 0);
	handle_mm_fault(fx->mm, BASE + PMD_SIZE, 0);
	assert_ptr_equal(pte_lockptr(fx->mm, BASE), &fx->mm->page_table_lock);
	assert_ptr_equal(pte_lockptr(fx->mm, BASE + PMD_SIZE), &fx->mm->page_table_lock);
	fixture_free();
}

/* --- lock kinds ------------------------------------------------------------ */

#define LOCK_THREADS 4
#define LOCK_ITERS 20000

struct lock_arg {
	enum ptl_kind kind;
	struct ptlock *lock;
	volatile unsigned long *counter;
	uint64_t contended;
};

static void *lock_worker(void *p)
{
	struct lock_arg *a = p;

	for (int i = 0; i < LOCK_ITERS; i++) {
		struct mcs_node n;

		a->contended += ptl_lock(a->kind, a->lock, &n);
		(*a->counter)++; /* plain increment: only exclusion keeps it exact */
		ptl_unlock(a->kind, a->lock, &n);
	}
	return NULL;
}

static void test_every_lock_kind_excludes(void **state)
{
	for (int k = 0; k < PTL_NR_KINDS; k++) {
		struct ptlock lock;
		volatile unsigned long counter = 0;
		struct lock_arg args[LOCK_THREADS];
		pthread_t tid[LOCK_THREADS];

		ptl_init(k, &lock);
		for (int t = 0; t < LOCK_THREADS; t++) {
			args[t] = (struct lock_arg){ k, &lock, &counter, 0 };
			pthread_create(&tid[t], NULL, lock_worker, &args[t]);
		}
		for (int t = 0; t < LOCK_THREADS; t++)
			pthread_join(tid[t], NULL);
		ptl_destroy(k, &lock);
		assert_int_equal(counter, LOCK_THREADS * LOCK_ITERS);
	}
}

static void test_lock_kind_names_round_trip(void **state)
{
	for (int k = 0; k < PTL_NR_KINDS; k++)
		assert_int_equal(ptl_kind_parse(ptl_kind_name(k)), k);
	assert_int_equal(ptl_kind_parse("spinlock"), -1);
}

struct fault_arg {
	struct mm_struct *mm;
	uint64_t contended;
};

static void *fault_worker(void *p)
{
	struct fault_arg *a = p;

	fc_stats_reset();
	handle_mm_fault(a->mm, BASE + PAGE_SIZE, 0);
	a->contended = fc_this_stats.v[FC_STAT_PTL_CONTENDED];
	return NULL;
}

/* A fault that finds its PTL held waits, and says so in ptl_contended. */
static void test_fault_on_held_ptl_counts_contended(void **state)
{
	for (int k = 0; k < PTL_NR_KINDS; k++) {
		struct fc_mm_config cfg = config_with("lock", ptl_kind_name(k));
		struct fault_arg arg;
		struct mcs_node n;
		struct ptlock *ptl;
		pthread_t tid;

		fixture_new(&cfg);
		map_anon(BASE, PMD_SIZE);
		handle_mm_fault(fx->mm, BASE, 0);
		ptl = pte_lockptr(fx->mm, BASE);
		arg = (struct fault_arg){ fx->mm, 0 };
		ptl_lock(k, ptl, &n);
		pthread_create(&tid, NULL, fault_worker, &arg);
		usleep(50000);
		assert_true(pte_none(pte_at(BASE + PAGE_SIZE))); /* still waiting */
		ptl_unlock(k, ptl, &n);
		pthread_join(tid, NULL);
		assert_int_equal(arg.contended, 1);
		assert_true(pte_present(pte_at(BASE + PAGE_SIZE)));
		fixture_free();
	}
}

/* --- the __pte_alloc race -------------------------------------------------- */

#define RACE_THREADS 4

struct race_arg {
	struct mm_struct *mm;
	int idx;
	volatile int *go;
	uint64_t lost;
};

static void *race_worker(void *p)
{
	struct race_arg *a = p;

	fc_stats_reset();
	while (!__atomic_load_n(a->go, __ATOMIC_ACQUIRE))
		;
	handle_mm_fault(a->mm, BASE + a->idx * PAGE_SIZE, 0);
	a->lost = fc_this_stats.v[FC_STAT_PTE_ALLOC_LOST];
	return NULL;
}

/* Many threads fault into one fresh 2 MiB range: exactly one table survives. */
static void test_pte_alloc_race_installs_one_table(void **state)
{
	uint64_t lost = 0;

	for (int round = 0; round < 100; round++) {
		struct race_arg args[RACE_THREADS];
		pthread_t tid[RACE_THREADS];
		volatile int go = 0;

		fixture_new(NULL);
		map_anon(BASE, PMD_SIZE);
		for (int t = 0; t < RACE_THREADS; t++) {
			args[t] = (struct race_arg){ fx->mm, t, &go, 0 };
			pthread_create(&tid[t], NULL, race_worker, &args[t]);
		}
		__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
		for (int t = 0; t < RACE_THREADS; t++) {
			pthread_join(tid[t], NULL);
			lost += args[t].lost;
		}
		assert_int_equal(fx->mm->nr_pte_tables, 1);
		assert_int_equal(fx->mm->nr_pmd_tables, 1);
		assert_int_equal(fx->mm->nr_pud_tables, 1);
		for (int t = 0; t < RACE_THREADS; t++)
			assert_true(pte_present(pte_at(BASE + t * PAGE_SIZE)));
		fixture_free();
	}
	print_message("pte_alloc_lost over 100 rounds: %llu\n", (unsigned long long)lost);
}

/* --- memory and VMAs ------------------------------------------------------- */

static void test_pgtable_memory_near_ideal(void **state)
{
	struct fc_phys_config pc = { .nr_ram = 1 };
	struct fc_mm_config cfg = config_with(NULL, NULL);
	struct fc_phys *phys = fc_phys_create(&pc);
	struct mm_struct *mm = fc_mm_create(phys, &cfg);
	const unsigned long n = 100000;
	static const struct vm_operations_struct ops = { .nopfn = drv_nopfn };
	struct fixture f = { .phys = phys, .nopfn_ret = 7 };

	fx = &f;
	assert_non_null(fc_mmap(mm, BASE, n * PAGE_SIZE, VM_SHARED | VM_PFNMAP, &ops, NULL, 0));
	for (unsigned long i = 0; i < n; i++)
		assert_int_equal(handle_mm_fault(mm, BASE + i * PAGE_SIZE, 0), 0);
	assert_true((double)fc_pgtable_bytes(mm) <= 1.05 * fc_pgtable_ideal_bytes(mm));
	fc_mm_destroy(mm);
	fc_phys_destroy(phys);
	fx = NULL;
}

static void test_find_vma_among_10000(void **state)
{
	const unsigned long n = 10000, stride = 4 * PAGE_SIZE;

	fixture_new(NULL);
	/* Map in a scrambled order; the array must stay sorted. */
	for (unsigned long i = 0; i < n; i++) {
		unsigned long j = (i * 7919) % n;

		assert_non_null(
			fc_mmap(fx->mm, BASE + j * stride, 2 * PAGE_SIZE, 0, NULL, NULL, 0));
	}
	for (unsigned long j = 0; j < n; j++) {
		unsigned long start = BASE + j * stride;
		struct vm_area_struct *vma = find_vma(fx->mm, start + PAGE_SIZE);

		assert_non_null(vma);
		assert_int_equal(vma->vm_start, start);
		assert_ptr_equal(find_vma(fx->mm, start), vma);
		assert_null(find_vma(fx->mm, start + 2 * PAGE_SIZE)); /* the gap */
	}
	assert_null(find_vma(fx->mm, BASE - PAGE_SIZE));
	fixture_free();
}

static void test_mmap_refuses_overlap_and_bad_ranges(void **state)
{
	fixture_new(NULL);
	map_anon(BASE, 4 * PAGE_SIZE);
	assert_null(fc_mmap(fx->mm, BASE + PAGE_SIZE, PAGE_SIZE, 0, NULL, NULL, 0));
	assert_null(fc_mmap(fx->mm, BASE - PAGE_SIZE, 2 * PAGE_SIZE, 0, NULL, NULL, 0));
	assert_null(fc_mmap(fx->mm, BASE + 5 * PAGE_SIZE + 1, PAGE_SIZE, 0, NULL, NULL, 0));
	assert_null(fc_mmap(fx->mm, TASK_SIZE, PAGE_SIZE, 0, NULL, NULL, 0));
	assert_non_null(fc_mmap(fx->mm, BASE + 4 * PAGE_SIZE, PAGE_SIZE, 0, NULL, NULL, 0));
	/* The vmacache must not return an unmapped VMA. */
	assert_non_null(find_vma(fx->mm, BASE));
	assert_int_equal(fc_munmap(fx->mm, BASE, 4 * PAGE_SIZE), 1);
	assert_null(find_vma(fx->mm, BASE));
	fixture_free();
}

static void test_config_rejects_unknown_values_with_choices(void **state)
{
	struct fc_mm_config cfg;
	char err[256];

	fc_mm_config_default(&cfg);
	assert_int_equal(fc_mm_config_set(&cfg, "recheck", "sometimes", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "recheck|none|precheck"));
	assert_int_equal(fc_mm_config_set(&cfg, "arch", "delay:", err, sizeof(err)), -1);
	assert_int_equal(fc_mm_config_set(&cfg, "arch", "delay:10,x", err, sizeof(err)), -1);
	assert_int_equal(fc_mm_config_set(&cfg, "colour", "red", err, sizeof(err)), -1);
	assert_int_equal(fc_mm_config_set(&cfg, "arch", "delay:20,80", err, sizeof(err)), 0);
	assert_int_equal(cfg.arch.delay_ns, 20);
	assert_int_equal(cfg.arch.delay_replace_ns, 80);
	fc_mm_config_describe(&cfg, err, sizeof(err));
	assert_non_null(strstr(err, "arch=delay:20,80"));
	/* insns:N runs N more instructions as dec/jnz pairs: N is even. */
	assert_int_equal(fc_mm_config_set(&cfg, "arch", "insns:63", err, sizeof(err)), -1);
	assert_int_equal(cfg.arch.kind, FC_ARCH_DELAY);
	assert_int_equal(fc_mm_config_set(&cfg, "arch", "insns:64", err, sizeof(err)), 0);
	assert_int_equal(cfg.arch.insns, 64);
	fc_mm_config_describe(&cfg, err, sizeof(err));
	assert_non_null(strstr(err, "arch=insns:64"));
}

/*
 * The knob table is the only place a knob's name, choices and default are
 * written: its default is what fc_mm_config_default() sets, and every choice
 * it lists is accepted and described back under the same name.
 */
static void test_config_knob_table_round_trips(void **state)
{
	struct fc_mm_config def, cfg;
	char err[256], want[128], desc[512];

	fc_mm_config_default(&def);
	fc_mm_config_describe(&def, desc, sizeof(desc));
	for (const struct fc_mm_knob *k = fc_mm_knobs; k->name; k++) {
		snprintf(want, sizeof(want), "%s=%s", k->name, k->def);
		assert_non_null(strstr(desc, want));
		assert_ptr_equal(fc_mm_knob_find(k->name), k);
		for (const char *c = k->choices; !k->text && c; c = strchr(c, '|')) {
			c += *c == '|';
			snprintf(want, sizeof(want), "%s=%.*s", k->name, (int)strcspn(c, "|"), c);
			cfg = def;
			assert_int_equal(fc_mm_config_set(&cfg, k->name, want + strlen(k->name) + 1,
							  err, sizeof(err)),
					 0);
			fc_mm_config_describe(&cfg, err, sizeof(err));
			assert_non_null(strstr(err, want));
		}
	}
	for (int kind = 0; kind < PTL_NR_KINDS; kind++) {
		cfg = def;
		assert_int_equal(
			fc_mm_config_set(&cfg, "lock", ptl_kind_name(kind), err, sizeof(err)), 0);
		assert_int_equal(cfg.lock_kind, kind);
	}
	assert_null(fc_mm_knob_find("ptl"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_are_allocated_lazily),
		cmocka_unit_test(test_split_ptl_is_per_table),
		cmocka_unit_test(test_every_lock_kind_excludes),
		cmocka_unit_test(test_lock_kind_names_round_trip),
		cmocka_unit_test(test_fault_on_held_ptl_counts_contended),
		cmocka_unit_test(test_pte_alloc_race_installs_one_table),
		cmocka_unit_test(test_pgtable_memory_near_ideal),
		cmocka_unit_test(test_find_vma_among_10000),
		cmocka_unit_test(test_mmap_refuses_overlap_and_bad_ranges),
		cmocka_unit_test(test_config_rejects_unknown_values_with_choices),
		cmocka_unit_test(test_config_knob_table_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
