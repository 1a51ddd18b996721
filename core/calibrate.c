// SPDX-License-Identifier: GPL-2.0-only
/*
 * This machine's kernel, measured for the settings that stand for it: the
 * values of tlb=ipi:auto and handler_ns=auto.
 *
 * tlb=ipi:auto.  The model's zap pays for flush_tlb_mm_range() reaching
 * other CPUs.  The kernel's cost of that is what madvise(MADV_DONTNEED) of
 * one present page costs more while another thread of this process runs on
 * another CPU (in mm_cpumask, not lazy: it is shot down and must answer)
 * than while that thread sleeps (its CPU is idle or lazy, and x86 skips
 * it).  The two are measured in alternating blocks, so that drift hits both
 * alike, and the medians are subtracted.  Only the madvise is timed.
 *
 * handler_ns=auto.  The kernel's anonymous write fault, trap to return, less
 * the model's do_anonymous_page: what the kernel spends that the model does
 * not, most of it between the hardware walk that finds the PTE missing and
 * the PTE lock.  Each is the median of several regions' time per fault.
 *
 * This is the one place the core runs threads and system calls: the value of
 * a setting is a fact about the machine, found once per process.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define PROBE_BLOCKS 8
#define PROBE_PER_BLOCK 64

enum spinner_mode { SPINNER_SLEEP, SPINNER_SPIN, SPINNER_EXIT };

struct probe {
	int wake;	     /* eventfd: the spinner sleeps reading it */
	int mode;	     /* enum spinner_mode, set by the prober */
	int spinning;	     /* set by the spinner while it spins */
	int cpu;	     /* where the spinner runs */
	volatile char *page; /* one private anonymous page */
};

#define FAULT_PAGES 1024
#define FAULT_REGIONS 7
#define FAULT_BASE 0x10000000UL

static uint32_t ipi_ns, kernel_fault_ns, model_fault_ns;
static bool ipi_measured, faults_measured; /* set, release, once each is known */
static pthread_once_t ipi_once = PTHREAD_ONCE_INIT, fault_once = PTHREAD_ONCE_INIT;

static uint64_t probe_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *spinner(void *arg)
{
	struct probe *p = arg;
	uint64_t v;

	pin_to(p->cpu);
	while (read(p->wake, &v, sizeof(v)) == sizeof(v)) {
		if (__atomic_load_n(&p->mode, __ATOMIC_ACQUIRE) == SPINNER_EXIT)
			break;
		__atomic_store_n(&p->spinning, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&p->mode, __ATOMIC_ACQUIRE) == SPINNER_SPIN)
			cpu_relax();
		__atomic_store_n(&p->spinning, 0, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void spinner_set(struct probe *p, enum spinner_mode mode)
{
	uint64_t one = 1;

	__atomic_store_n(&p->mode, mode, __ATOMIC_RELEASE);
	if (mode != SPINNER_SLEEP && write(p->wake, &one, sizeof(one)) != sizeof(one))
		return;
	if (mode == SPINNER_EXIT)
		return;
	while (__atomic_load_n(&p->spinning, __ATOMIC_ACQUIRE) != (mode == SPINNER_SPIN))
		sched_yield();
}

/* One block of timed zaps of a page just faulted in, into out[]. */
static void zap_block(struct probe *p, uint64_t *out)
{
	for (int i = 0; i < PROBE_PER_BLOCK; i++) {
		uint64_t t0;

		p->page[0] = 1;
		t0 = probe_now_ns();
		madvise((void *)p->page, PAGE_SIZE, MADV_DONTNEED);
		out[i] = probe_now_ns() - t0;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* Two CPUs this thread may run on: its own now, and another; -1 if there is none. */
static int pick_cpus(int *self, int *other)
{
	cpu_set_t set;

	if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set))
		return -1;
	*self = sched_getcpu();
	if (*self < 0 || !CPU_ISSET(*self, &set))
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (c != *self && CPU_ISSET(c, &set)) {
			*other = c;
			return 0;
		}
	}
	return -1;
}

static void measure_blocks(struct probe *p, uint64_t *alone, uint64_t *shared)
{
	zap_block(p, alone); /* warm: the page, the code, the VMA */
	for (int b = 0; b < PROBE_BLOCKS; b++) {
		spinner_set(p, SPINNER_SPIN);
		zap_block(p, shared + b * PROBE_PER_BLOCK);
		spinner_set(p, SPINNER_SLEEP);
		zap_block(p, alone + b * PROBE_PER_BLOCK);
	}
}

static void measure(void)
{
	enum { N = PROBE_BLOCKS * PROBE_PER_BLOCK };
	struct probe p = { .mode = SPINNER_SLEEP };
	uint64_t *alone = malloc(N * sizeof(*alone)), *shared = malloc(N * sizeof(*shared));
	cpu_set_t saved;
	pthread_t th;
	uint64_t a, b;
	int self;

	p.wake = eventfd(0, EFD_CLOEXEC);
	p.page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!alone || !shared || p.wake < 0 || p.page == MAP_FAILED ||
	    pthread_getaffinity_np(pthread_self(), sizeof(saved), &saved) ||
	    pick_cpus(&self, &p.cpu))
		goto out;
	if (pin_to(self) || pthread_create(&th, NULL, spinner, &p))
		goto restore;
	measure_blocks(&p, alone, shared);
	spinner_set(&p, SPINNER_EXIT);
	pthread_join(th, NULL);
	a = median(alone, N);
	b = median(shared, N);
	ipi_ns = b > a ? (uint32_t)(b - a < 1000000 ? b - a : 1000000) : 0;
restore:
	pthread_setaffinity_np(pthread_self(), sizeof(saved), &saved);
out:
	__atomic_store_n(&ipi_measured, true, __ATOMIC_RELEASE);
	if (p.page != MAP_FAILED && p.page)
		munmap((void *)p.page, PAGE_SIZE);
	if (p.wake >= 0)
		close(p.wake);
	free(alone);
	free(shared);
}

uint32_t fc_tlb_ipi_ns(void)
{
	pthread_once(&ipi_once, measure);
	return ipi_ns;
}

/* --- handler_ns=auto ------------------------------------------------------ */

/* One region of the live kernel's anonymous write faults: ns per fault. */
static uint64_t kernel_region(void)
{
	size_t len = FAULT_PAGES * PAGE_SIZE;
	volatile char *p =
		mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1;

	if (p == MAP_FAILED)
		return 0;
	madvise((void *)p, len, MADV_NOHUGEPAGE); /* one fault per 4 KiB page */
	t0 = probe_now_ns();
	for (size_t i = 0; i < FAULT_PAGES; i++)
		p[i * PAGE_SIZE] = 1;
	t1 = probe_now_ns();
	munmap((void *)p, len);
	return (t1 - t0) / FAULT_PAGES;
}

/*
 * The same on the model, with its default settings, on a frame space made
 * once: its memory is faulted in by the warming region, so that no kernel
 * fault on the model's own frames is counted as the model's.
 */
static struct fc_phys *model_phys;

static uint64_t model_region(void)
{
	struct mm_struct *mm;
	struct fc_mm_config cfg;
	uint64_t t0, t1 = 0;

	fc_mm_config_default(&cfg);
	mm = model_phys ? fc_mm_create(model_phys, &cfg) : NULL;
	if (mm && fc_mmap(mm, FAULT_BASE, FAULT_PAGES * PAGE_SIZE, VM_WRITE, NULL, NULL, 0)) {
		t0 = probe_now_ns();
		for (size_t i = 0; i < FAULT_PAGES; i++)
			handle_mm_fault(mm, FAULT_BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE);
		t1 = (probe_now_ns() - t0) / FAULT_PAGES;
	}
	fc_mm_destroy(mm);
	return t1;
}

static uint32_t median_of(uint64_t (*region)(void))
{
	uint64_t v[FAULT_REGIONS];

	region(); /* warm */
	for (int i = 0; i < FAULT_REGIONS; i++)
		v[i] = region();
	return (uint32_t)median(v, FAULT_REGIONS);
}

static void measure_faults(void)
{
	struct fc_stats saved = fc_this_stats; /* the model's faults here count for nobody */

	struct fc_phys_config pc = { .nr_ram = FAULT_PAGES + 64 };

	kernel_fault_ns = median_of(kernel_region);
	model_phys = fc_phys_create(&pc);
	model_fault_ns = median_of(model_region);
	fc_phys_destroy(model_phys);
	model_phys = NULL;
	fc_this_stats = saved;
	__atomic_store_n(&faults_measured, true, __ATOMIC_RELEASE);
}

uint32_t fc_kernel_fault_ns(void)
{
	pthread_once(&fault_once, measure_faults);
	return kernel_fault_ns;
}

uint32_t fc_model_fault_ns(void)
{
	pthread_once(&fault_once, measure_faults);
	return model_fault_ns;
}

void fc_calibration_get(struct fc_calibration *c)
{
	c->tlb_measured = __atomic_load_n(&ipi_measured, __ATOMIC_ACQUIRE);
	c->tlb_ipi_ns = c->tlb_measured ? ipi_ns : 0;
	c->faults_measured = __atomic_load_n(&faults_measured, __ATOMIC_ACQUIRE);
	c->kernel_fault_ns = c->faults_measured ? kernel_fault_ns : 0;
	c->model_fault_ns = c->faults_measured ? model_fault_ns : 0;
}
