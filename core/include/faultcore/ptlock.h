/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PTE locks.  One lock guards one PTE-table page (split, the kernel's default
 * since 2.6.15) or the whole mm (page_table_lock), a run-time setting of the
 * mm.  The lock kind is a setting too.  Every function here is static inline
 * and takes the kind as an argument: the fault path is compiled once per kind
 * with the kind a constant (see fault.c), so the switch below folds away and
 * the kind costs neither an indirect call nor a branch there.
 *
 * Each acquisition reports whether it had to wait: that is ptl_contended.
 *
 * Spinning waiters call sched_yield() after a while.  In the kernel a spinlock
 * holder cannot be preempted; in user space it can, and with more threads
 * than CPUs a pure spinner would burn its whole time slice waiting for a
 * holder that is not running.
 */
#ifndef FAULTCORE_PTLOCK_H
#define FAULTCORE_PTLOCK_H

/*
 * pthread_spinlock_t is POSIX.1-2001: a strict ISO C caller needs
 * _DEFAULT_SOURCE or _POSIX_C_SOURCE >= 200112L, which the pkg-config and
 * CMake packages pass.
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

#include "api.h"

FC_BEGIN_DECLS

#define FC_CACHELINE 64

enum ptl_kind {
	PTL_TICKET,	   /* FIFO ticket spinlock (x86 before qspinlock) */
	PTL_QUEUED,	   /* MCS queue lock: each waiter spins on its own line */
	PTL_TTAS,	   /* test-and-test-and-set */
	PTL_PTHREAD_SPIN,  /* pthread_spinlock_t */
	PTL_PTHREAD_MUTEX, /* pthread_mutex_t: sleeps when contended */
	PTL_NR_KINDS
};

/* An MCS queue node; lives on the acquirer's stack for the critical section. */
struct mcs_node {
	struct mcs_node *next;
	int locked;
};

struct ptl_ticket {
	uint32_t next;
	uint32_t owner;
};

struct ptlock {
	union {
		struct ptl_ticket ticket;
		struct mcs_node *tail;
		int ttas;
		pthread_spinlock_t spin;
		pthread_mutex_t mutex;
	};
} __attribute__((aligned(FC_CACHELINE)));

void ptl_init(enum ptl_kind kind, struct ptlock *l);
void ptl_destroy(enum ptl_kind kind, struct ptlock *l);
const char *ptl_kind_name(enum ptl_kind kind);
/* Parses a kind name ("ticket", "queued", ...); returns -1 when unknown. */
int ptl_kind_parse(const char *name);

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

#define PTL_SPINS_BEFORE_YIELD 1024

static inline void spin_wait(unsigned *spins)
{
	if (++*spins < PTL_SPINS_BEFORE_YIELD) {
		cpu_relax();
	} else {
		*spins = 0;
		sched_yield();
	}
}

static inline bool ticket_lock(struct ptlock *l)
{
	uint32_t me = __atomic_fetch_add(&l->ticket.next, 1, __ATOMIC_ACQUIRE);
	unsigned spins = 0;

	if (__atomic_load_n(&l->ticket.owner, __ATOMIC_ACQUIRE) == me)
		return false;
	while (__atomic_load_n(&l->ticket.owner, __ATOMIC_ACQUIRE) != me)
		spin_wait(&spins);
	return true;
}

static inline void ticket_unlock(struct ptlock *l)
{
	uint32_t owner = __atomic_load_n(&l->ticket.owner, __ATOMIC_RELAXED);

	__atomic_store_n(&l->ticket.owner, owner + 1, __ATOMIC_RELEASE);
}

static inline bool mcs_lock(struct ptlock *l, struct mcs_node *n)
{
	struct mcs_node *prev;
	unsigned spins = 0;

	__atomic_store_n(&n->next, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&n->locked, 0, __ATOMIC_RELAXED);
	prev = __atomic_exchange_n(&l->tail, n, __ATOMIC_ACQ_REL);
	if (!prev)
		return false;
	__atomic_store_n(&prev->next, n, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&n->locked, __ATOMIC_ACQUIRE))
		spin_wait(&spins);
	return true;
}

static inline void mcs_unlock(struct ptlock *l, struct mcs_node *n)
{
	struct mcs_node *next = __atomic_load_n(&n->next, __ATOMIC_ACQUIRE);
	unsigned spins = 0;

	if (!next) {
		struct mcs_node *expect = n;

		if (__atomic_compare_exchange_n(&l->tail, &expect, NULL, false, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			return;
		/* A successor swapped itself in; wait for it to link. */
		while (!(next = __atomic_load_n(&n->next, __ATOMIC_ACQUIRE)))
			spin_wait(&spins);
	}
	__atomic_store_n(&next->locked, 1, __ATOMIC_RELEASE);
}

static inline bool ttas_lock(struct ptlock *l)
{
	unsigned spins = 0;

	if (!__atomic_exchange_n(&l->ttas, 1, __ATOMIC_ACQUIRE))
		return false;
	do {
		while (__atomic_load_n(&l->ttas, __ATOMIC_RELAXED))
			spin_wait(&spins);
	} while (__atomic_exchange_n(&l->ttas, 1, __ATOMIC_ACQUIRE));
	return true;
}

static inline void ttas_unlock(struct ptlock *l)
{
	__atomic_store_n(&l->ttas, 0, __ATOMIC_RELEASE);
}

/* Takes the lock; returns true when it had to wait for it. */
static inline __attribute__((always_inline)) bool ptl_lock(enum ptl_kind kind, struct ptlock *l,
							   struct mcs_node *n)
{
	switch (kind) {
	case PTL_TICKET:
		return ticket_lock(l);
	case PTL_QUEUED:
		return mcs_lock(l, n);
	case PTL_TTAS:
		return ttas_lock(l);
	case PTL_PTHREAD_SPIN:
		if (!pthread_spin_trylock(&l->spin))
			return false;
		pthread_spin_lock(&l->spin);
		return true;
	case PTL_PTHREAD_MUTEX:
	default:
		if (!pthread_mutex_trylock(&l->mutex))
			return false;
		pthread_mutex_lock(&l->mutex);
		return true;
	}
}

static inline __attribute__((always_inline)) void ptl_unlock(enum ptl_kind kind, struct ptlock *l,
							     struct mcs_node *n)
{
	switch (kind) {
	case PTL_TICKET:
		ticket_unlock(l);
		break;
	case PTL_QUEUED:
		mcs_unlock(l, n);
		break;
	case PTL_TTAS:
		ttas_unlock(l);
		break;
	case PTL_PTHREAD_SPIN:
		pthread_spin_unlock(&l->spin);
		break;
	case PTL_PTHREAD_MUTEX:
	default:
		pthread_mutex_unlock(&l->mutex);
		break;
	}
}

FC_END_DECLS

#endif
