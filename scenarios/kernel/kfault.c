// SPDX-License-Identifier: GPL-2.0-only
/* Counting the live kernel's page faults per thread: see kfault.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kfault.h"

static int perf_open(struct kfault *k, char *err, size_t errlen)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_PAGE_FAULTS;
	/* The event fires in the kernel's fault entry: it must not exclude the kernel. */
	k->fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (k->fd >= 0)
		return 0;
	snprintf(err, errlen,
		 "cannot count page faults with perf (%s; see kernel.perf_event_paranoid): "
		 "use counter=rusage",
		 strerror(errno));
	return -1;
}

int kfault_open(struct kfault *k, const char *counter, char *err, size_t errlen)
{
	k->fd = -1;
	if (!strcmp(counter, "perf"))
		return perf_open(k, err, errlen);
	return 0;
}

/*
 * Raw system calls and no instrumentation: a sanitizer's interceptors and
 * its trace of every call write memory of their own, which would fault
 * between the reads too.
 */
#define KFAULT_QUIET __attribute__((no_sanitize("address", "thread")))

static KFAULT_QUIET uint64_t read_counter(const struct kfault *k)
{
	struct rusage ru;
	uint64_t v;

	if (k->fd >= 0)
		return syscall(SYS_read, k->fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
	syscall(SYS_getrusage, RUSAGE_THREAD, &ru);
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
}

void kfault_close(struct kfault *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

KFAULT_QUIET __attribute__((noinline)) uint64_t
kfault_touch(const struct kfault *k, volatile char *p, unsigned long pages, bool write)
{
	uint64_t before = read_counter(k);

	for (unsigned long i = 0; i < pages; i++) {
		if (write)
			p[i * 4096] = 1;
		else
			(void)p[i * 4096];
	}
	return read_counter(k) - before;
}
