/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rounds shape on the live kernel, for kernel-same-addr and kernel-uffd:
 * T threads touch one page, and the last to arrive zaps it with
 * madvise(MADV_DONTNEED).  Each thread reads its fault counter just before
 * and just after its touch, so that only the touch's faults count (a read
 * is a system call: about as long as the barrier's release takes to reach
 * every thread); the rearm adds up the round.  A round's faults beyond its first are
 * the kernel's lost races: threads that trapped while another was installing
 * the page, and found it done.
 *
 * Accounting, for R rounds of T threads: the page is missing at the start of
 * every round, so every round takes at least one fault and at most T:
 *   kernel.faults == R + kernel.race_lost,  kernel.race_lost <= R * (T - 1).
 *
 * A scenario's private state starts with a struct kround, and the functions
 * below that take a ctx or a thread find it there.
 */
#ifndef FAULTBENCH_KROUND_H
#define FAULTBENCH_KROUND_H

#include <stdbool.h>

#include <faultbench/scenario.h>

#include "kfault.h"

#define KROUND_PAGE 4096UL

struct kround_slot {
	struct kfault counter;
	uint64_t round; /* faults in the current round */
} __attribute__((aligned(64)));

struct kround {
	volatile char *page;
	bool write;    /* touch by writing, or by reading */
	bool skip_zap; /* the test-only fault "skip-zap" is planted */
	int nthreads;
	const char *counter; /* counter=perf|rusage */
	struct kround_slot *slot;
};

/*
 * In setup(): maps the page, checks that the counter opens, and makes a slot
 * per thread.  0, or -1 with one line; kround_destroy() undoes it either way.
 */
int kround_setup(struct kround *r, const struct fb_ctx *ctx, bool write, char *err, size_t errlen);
void kround_destroy(struct kround *r);
/* The scenario's functions, as they are. */
int kround_thread_init(struct fb_thread *t);
void kround_thread_exit(struct fb_thread *t);
unsigned long kround_step(struct fb_thread *t, unsigned long n);
/* In rearm(), after anything the scenario must finish first: count the round, zap. */
void kround_rearm(struct fb_ctx *ctx);
/* The identities above. */
int kround_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen);

#endif
