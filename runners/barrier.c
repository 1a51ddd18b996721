// SPDX-License-Identifier: GPL-2.0-only
/*
 * A sense-reversing barrier.  Arrivals decrement a counter; the last one runs
 * the re-arm step, resets the counter and flips the shared sense, which is
 * what the others spin on.  It costs one atomic per thread and one line
 * transfer per waiter, so it does not swamp a round of a few hundred ns.
 *
 * Waiters spin a while and then yield: with more threads than CPUs, a pure
 * spinner would burn its slice while the thread it waits for is not running.
 */
#include <sched.h>

#include "runner.h"

#define BARRIER_SPINS_BEFORE_YIELD 2048

void fb_barrier_init(struct fb_barrier *b, unsigned total)
{
	b->count = total;
	b->total = total;
	b->sense = 0;
	b->done = 0;
}

bool fb_barrier_wait(struct fb_barrier *b, int *local, bool (*last)(void *), void *arg)
{
	int sense = !*local;
	unsigned spins = 0;

	*local = sense;
	if (__atomic_sub_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == 0) {
		/* Everyone else is waiting: the re-arm races with nobody. */
		b->done = last ? last(arg) : false;
		__atomic_store_n(&b->count, b->total, __ATOMIC_RELAXED);
		__atomic_store_n(&b->sense, sense, __ATOMIC_RELEASE);
		return b->done;
	}
	while (__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) != sense) {
		if (++spins < BARRIER_SPINS_BEFORE_YIELD) {
			cpu_relax();
		} else {
			spins = 0;
			sched_yield();
		}
	}
	return b->done;
}
