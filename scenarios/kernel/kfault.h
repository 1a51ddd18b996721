/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The live kernel's page faults, counted per thread, for the kernel-*
 * scenarios.  Two ways, chosen by the scenarios' counter= parameter:
 *
 *   perf    perf_event_open(PERF_COUNT_SW_PAGE_FAULTS) on this thread: the
 *           count do_user_addr_fault() bumps on entry, once per trap, so a
 *           fault that finds its work done by another thread (and returns
 *           having changed nothing) still counts, and one that sleeps in
 *           userfaultfd and retries counts once.
 *   rusage  getrusage(RUSAGE_THREAD): ru_minflt + ru_majflt, which
 *           mm_account_fault() bumps when handle_mm_fault() completes.  For
 *           where perf is not allowed (perf_event_paranoid, seccomp).
 *
 * Reading either is a system call: the scenarios read around a batch of
 * faults, or once per round, never per fault.
 */
#ifndef FAULTBENCH_KFAULT_H
#define FAULTBENCH_KFAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The counter= parameter of every kernel scenario. */
#define KFAULT_PARAM                                                                         \
	{                                                                                    \
		.name = "counter", .type = FB_PARAM_CHOICE, .def = "perf",                   \
		.choices = "perf|rusage",                                                    \
		.help = "how the kernel's faults are counted: perf's page-faults event, or " \
			"getrusage where perf is not allowed"                                \
	}

struct kfault {
	int fd; /* the perf event, or -1 for getrusage */
};

/*
 * Starts counting this thread's faults by the method named ("perf" or
 * "rusage").  Returns 0, or -1 with one line saying why and what to do.
 */
int kfault_open(struct kfault *k, const char *counter, char *err, size_t errlen);
void kfault_close(struct kfault *k);
/*
 * Touches pages 4 KiB apart from p, one access each, by writing or reading,
 * and returns the faults this thread took doing it: the counter read just
 * before and just after.  Not instrumented by a sanitizer, whose shadow
 * memory and trace of events would fault in the window too.
 */
uint64_t kfault_touch(const struct kfault *k, volatile char *p, unsigned long pages, bool write);

#endif
