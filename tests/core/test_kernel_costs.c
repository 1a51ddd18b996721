// SPDX-License-Identifier: GPL-2.0-only
/*
 * The settings that stand for what the kernel does and the model does not:
 * the TLB shootdown after a zap (tlb=) and the handlers' work (handler_ns=),
 * with their values measured on this machine (auto).
 *
 * The shootdown: flush_tlb_mm_range shoots down the other threads in
 * mm_cpumask, once per zap that cleared a present entry, and tlb=ipi:NS
 * charges NS for it.
 *
 *   BASE           BASE + 4 pages
 *   +--------------+
 *   | anonymous rw |   faulted by this thread and, in some tests, another
 *   +--------------+
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "fixture.h"

#define SPAN (4 * PAGE_SIZE)

static struct vm_area_struct *build(const char *tlb)
{
	struct fc_mm_config cfg = config_with("tlb", tlb);
	struct vm_area_struct *vma;

	fixture_new(&cfg);
	vma = fc_mmap(fx->mm, BASE, SPAN, VM_WRITE, NULL, NULL, 0);
	assert_non_null(vma);
	assert_int_equal(handle_mm_fault(fx->mm, BASE, FAULT_FLAG_WRITE), 0);
	return vma;
}

static void *fault_second_page(void *arg)
{
	return (void *)(uintptr_t)handle_mm_fault(arg, BASE + PAGE_SIZE, FAULT_FLAG_WRITE);
}

/* Another thread faults on the mm, and so joins its mm_cpumask. */
static void other_thread_faults(void)
{
	pthread_t th;
	void *ret;

	assert_int_equal(pthread_create(&th, NULL, fault_second_page, fx->mm), 0);
	assert_int_equal(pthread_join(th, &ret), 0);
	assert_int_equal((uintptr_t)ret, 0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One thread alone in its mm: the flush is local, nothing to shoot down. */
static void test_zap_alone_in_the_mm_shoots_nothing_down(void **state)
{
	struct vm_area_struct *vma = build("ipi:0");

	zap_page_range(vma, BASE, SPAN);
	assert_true(pte_none(pte_at(BASE)));
	assert_int_equal(counted(FC_STAT_TLB_SHOOTDOWN), 0);
	fixture_free();
}

/* Another thread has used the mm: one shootdown per zap, however many PTEs it clears. */
static void test_zap_shoots_down_the_other_threads_once(void **state)
{
	struct vm_area_struct *vma = build("none");

	other_thread_faults();
	zap_page_range(vma, BASE, SPAN);
	assert_true(pte_none(pte_at(BASE)) && pte_none(pte_at(BASE + PAGE_SIZE)));
	assert_int_equal(counted(FC_STAT_TLB_SHOOTDOWN), 1);
	fixture_free();
}

/* Nothing present, nothing cached in any TLB: no flush at all. */
static void test_zap_of_empty_ptes_flushes_nothing(void **state)
{
	struct vm_area_struct *vma = build("none");

	other_thread_faults();
	zap_page_range(vma, BASE + 2 * PAGE_SIZE, 2 * PAGE_SIZE);
	assert_int_equal(counted(FC_STAT_TLB_SHOOTDOWN), 0);
	fixture_free();
}

/* tlb=ipi:NS: the shootdown costs at least about NS (here 1 ms, to stand out of noise). */
static void test_tlb_ipi_charges_the_shootdown(void **state)
{
	struct vm_area_struct *vma = build("ipi:1000000");
	double t0;

	other_thread_faults();
	t0 = now_s();
	zap_page_range(vma, BASE, SPAN);
	assert_true(now_s() - t0 > 0.5e-3);
	assert_int_equal(counted(FC_STAT_TLB_SHOOTDOWN), 1);
	fixture_free();
}

static void test_tlb_knob_values(void **state)
{
	static const char *const good[] = { "none", "ipi:0", "ipi:9000", "ipi:1000000",
					    "ipi:auto" };
	static const char *const bad[] = { "",	    "ipi",	   "ipi:",   "ipi:x", "ipi:5x",
					   "IPI:5", "ipi:1000001", "ipi:-1", "auto" };
	struct fc_mm_config cfg;
	char err[256], desc[512];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char want[32];

		fc_mm_config_default(&cfg);
		assert_int_equal(fc_mm_config_set(&cfg, "tlb", good[i], err, sizeof(err)), 0);
		fc_mm_config_describe(&cfg, desc, sizeof(desc));
		snprintf(want, sizeof(want), " tlb=%s ", good[i]);
		assert_non_null(strstr(desc, want));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fc_mm_config_default(&cfg);
		assert_int_equal(fc_mm_config_set(&cfg, "tlb", bad[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "none|ipi:NS|ipi:auto"));
	}
	fc_mm_config_default(&cfg);
	fc_mm_config_describe(&cfg, desc, sizeof(desc));
	assert_non_null(strstr(desc, " tlb=none "));
}

/* A process that may run on one CPU only: no other CPU can hold the mm, ipi:auto is 0. */
static void test_tlb_ipi_auto_is_zero_on_one_cpu(void **state)
{
	cpu_set_t saved, one;

	assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof(saved), &saved), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);
	assert_int_equal(fc_tlb_ipi_ns(), 0);
	assert_int_equal(fc_tlb_ipi_ns(), 0); /* measured once */
	assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(saved), &saved), 0);
}

/* handler_ns: every kind of handler waits before it takes the PTL (1 ms, to stand out). */
static void test_handler_ns_delays_every_handler(void **state)
{
	static const struct vm_operations_struct *const ops[] = { NULL, &nopfn_ops, &nopage_ops,
								  &fault_ops };
	static const unsigned long flags[] = { VM_WRITE, VM_SHARED | VM_PFNMAP | VM_IO, VM_SHARED,
					       VM_SHARED };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct fc_mm_config cfg = config_with("handler_ns", "1000000");
		double t0;

		fixture_new(&cfg);
		assert_non_null(fc_mmap(fx->mm, BASE, SPAN, flags[i], ops[i], NULL, 0));
		t0 = now_s();
		assert_int_equal(handle_mm_fault(fx->mm, BASE, ops[i] ? 0 : FAULT_FLAG_WRITE), 0);
		assert_true(now_s() - t0 > 0.5e-3);
		assert_false(pte_none(pte_at(BASE)));
		fixture_free();
	}
}

static void test_handler_ns_knob_values(void **state)
{
	static const char *const bad[] = { "", "-1", "x", "5x", "1000001", "AUTO", "auto:1" };
	struct fc_mm_config cfg;
	char err[256], desc[512];

	fc_mm_config_default(&cfg);
	assert_int_equal(fc_mm_config_set(&cfg, "handler_ns", "250", err, sizeof(err)), 0);
	assert_int_equal(cfg.handler_ns, 250);
	assert_false(cfg.handler_auto);
	assert_int_equal(fc_mm_config_set(&cfg, "handler_ns", "auto", err, sizeof(err)), 0);
	assert_true(cfg.handler_auto);
	fc_mm_config_describe(&cfg, desc, sizeof(desc));
	assert_non_null(strstr(desc, " handler_ns=auto"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fc_mm_config_set(&cfg, "handler_ns", bad[i], err, sizeof(err)),
				 -1);
	fc_mm_config_default(&cfg);
	fc_mm_config_describe(&cfg, desc, sizeof(desc));
	assert_non_null(strstr(desc, " handler_ns=0"));
}

/*
 * handler_ns=auto: the kernel's fault less the model's, both measured (a
 * kernel fault traps, so it cannot be free), and without counting the
 * model's measuring faults as anyone's.
 */
static void test_handler_ns_auto_is_the_kernel_fault_less_the_model(void **state)
{
	struct fc_mm_config cfg = config_with("handler_ns", "auto");
	uint64_t faults;
	uint32_t k, m;

	fixture_new(NULL);
	faults = counted(FC_STAT_FAULTS_MINOR);
	k = fc_kernel_fault_ns();
	m = fc_model_fault_ns();
	assert_int_equal(counted(FC_STAT_FAULTS_MINOR), faults);
	assert_true(k > 0 && m > 0);
	fixture_free();
	fixture_new(&cfg);
	assert_int_equal(fx->mm->cfg.handler_ns, k > m ? k - m : 0);
	fixture_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zap_alone_in_the_mm_shoots_nothing_down),
		cmocka_unit_test(test_zap_shoots_down_the_other_threads_once),
		cmocka_unit_test(test_zap_of_empty_ptes_flushes_nothing),
		cmocka_unit_test(test_tlb_ipi_charges_the_shootdown),
		cmocka_unit_test(test_tlb_knob_values),
		cmocka_unit_test(test_tlb_ipi_auto_is_zero_on_one_cpu),
		cmocka_unit_test(test_handler_ns_delays_every_handler),
		cmocka_unit_test(test_handler_ns_knob_values),
		cmocka_unit_test(test_handler_ns_auto_is_the_kernel_fault_less_the_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
