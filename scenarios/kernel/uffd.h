/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A userfaultfd region in missing mode and its one handler thread, for
 * kernel-uffd: a user-space ->nopfn.  A thread that touches a missing page
 * sleeps in handle_userfault(); the handler reads the message and resolves
 * it with UFFDIO_COPY (or UFFDIO_ZEROPAGE), which installs the page under
 * the PTE lock only if the entry is still none (mfill_atomic_install_pte)
 * and wakes every thread waiting on it.  When two threads faulted the same
 * page and the handler read both messages, the second resolve finds the page
 * mapped and fails with EEXIST: that is the kernel's recheck under the PTL,
 * the same one do_no_pfn's recheck is about, lost.
 *
 * The handler reads up to 16 messages at a time, as real handlers do: one at
 * a time, a second thread's message is usually gone (its thread was woken by
 * the first resolve) before it is read.
 */
#ifndef FAULTBENCH_UFFD_H
#define FAULTBENCH_UFFD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every figure is written by the handler only, and read after uffd_quiesce()
 * with uffd_tally_read().
 */
struct uffd_tally {
	uint64_t msgs;	   /* page-fault messages read */
	uint64_t resolved; /* UFFDIO_COPY / _ZEROPAGE that mapped the page */
	uint64_t eexist;   /* ... that found it mapped already */
	uint64_t failed;   /* ... that failed otherwise (the thread is woken to retry) */
};

struct uffd_handler {
	int uffd;
	int req, ack; /* eventfds: quiesce (or stop) requests, and their answers */
	bool zeropage;
	bool running; /* the thread was started */
	bool stop;
	void *src; /* the page UFFDIO_COPY copies from */
	pthread_t th;
	struct uffd_tally tally;
};

/*
 * Opens a userfaultfd: the system call (user-mode faults only, which is all
 * a benchmark touches), else /dev/userfaultfd.  Returns 0; 1 when this
 * process is not permitted one, with the line that says so in err; -1 on
 * another error.
 */
int uffd_open(int *fd, char *err, size_t errlen);
/*
 * Registers [addr, addr + len) in missing mode on a userfaultfd from
 * uffd_open() and starts the handler thread, which owns fd from then on.
 * Returns 0, or -1 with one line.
 */
int uffd_handler_start(struct uffd_handler *h, int fd, void *addr, size_t len, bool zeropage,
		       char *err, size_t errlen);
/*
 * Returns when the handler has resolved every message queued before the
 * call.  With every faulting thread past its fault, nothing is in flight.
 */
void uffd_quiesce(struct uffd_handler *h);
void uffd_tally_read(const struct uffd_handler *h, struct uffd_tally *out);
void uffd_handler_stop(struct uffd_handler *h);

#endif
