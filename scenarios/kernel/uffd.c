// SPDX-License-Identifier: GPL-2.0-only
/* A userfaultfd region and its handler thread: see uffd.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uffd.h"

#define UFFD_BATCH 16
#define UFFD_PAGE 4096UL

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef USERFAULTFD_IOC_NEW
#define USERFAULTFD_IOC_NEW _IO(0xAA, 0x00)
#endif

/* Errors that mean "not here, not for you", as opposed to a broken call. */
static bool refused(int e)
{
	return e == EPERM || e == EACCES || e == ENOENT || e == ENOSYS || e == ENODEV;
}

static int dev_userfaultfd(void)
{
	int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	int fd;

	if (dev < 0)
		return -1;
	fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;

		close(dev);
		errno = e;
		return -1;
	}
	close(dev);
	return fd;
}

int uffd_open(int *fd, char *err, size_t errlen)
{
	int sys_errno, dev_errno;
	struct uffdio_api api = { .api = UFFD_API };

	*fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (*fd < 0 && errno == EINVAL) /* before 5.11: no UFFD_USER_MODE_ONLY */
		*fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	sys_errno = errno;
	if (*fd < 0)
		*fd = dev_userfaultfd();
	dev_errno = errno;
	if (*fd < 0) {
		snprintf(
			err, errlen,
			"userfaultfd is not permitted here (the system call: %s; /dev/userfaultfd: "
			"%s): allow it with sysctl vm.unprivileged_userfaultfd=1, or give access "
			"to /dev/userfaultfd",
			strerror(sys_errno), strerror(dev_errno));
		return refused(sys_errno) && refused(dev_errno) ? 1 : -1;
	}
	if (ioctl(*fd, UFFDIO_API, &api)) {
		snprintf(err, errlen, "userfaultfd: UFFDIO_API: %s", strerror(errno));
		close(*fd);
		return -1;
	}
	return 0;
}

/*
 * Only the handler counts, and the rearm reads after uffd_quiesce(): the
 * eventfds order the two, but through the kernel, where a race detector
 * cannot see it.  Atomic, so that nothing is a race to it either.
 */
static void tally_inc(uint64_t *v)
{
	__atomic_store_n(v, __atomic_load_n(v, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* Maps the faulting page, or finds it mapped; a thread left asleep is woken. */
static void resolve(struct uffd_handler *h, unsigned long addr)
{
	struct uffdio_range range = { .start = addr & ~(UFFD_PAGE - 1), .len = UFFD_PAGE };
	int ret;

	if (h->zeropage) {
		struct uffdio_zeropage z = { .range = range };

		ret = ioctl(h->uffd, UFFDIO_ZEROPAGE, &z);
	} else {
		struct uffdio_copy c = {
			.dst = range.start,
			.src = (unsigned long)h->src,
			.len = UFFD_PAGE,
		};

		ret = ioctl(h->uffd, UFFDIO_COPY, &c);
	}
	if (!ret) {
		tally_inc(&h->tally.resolved);
	} else if (errno == EEXIST) {
		tally_inc(&h->tally.eexist);
	} else {
		tally_inc(&h->tally.failed);
		ioctl(h->uffd, UFFDIO_WAKE, &range);
	}
}

/* Reads and resolves every message queued now. */
static void drain(struct uffd_handler *h)
{
	struct uffd_msg msg[UFFD_BATCH];
	ssize_t n;

	while ((n = read(h->uffd, msg, sizeof(msg))) > 0) {
		for (size_t i = 0; i < (size_t)n / sizeof(msg[0]); i++) {
			if (msg[i].event != UFFD_EVENT_PAGEFAULT)
				continue;
			tally_inc(&h->tally.msgs);
			resolve(h, (unsigned long)msg[i].arg.pagefault.address);
		}
	}
}

static void *handler_main(void *arg)
{
	struct uffd_handler *h = arg;
	struct pollfd pfd[2] = { { .fd = h->uffd, .events = POLLIN },
				 { .fd = h->req, .events = POLLIN } };
	uint64_t v = 1;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		drain(h);
		if (!(pfd[1].revents & POLLIN) || read(h->req, &v, sizeof(v)) != sizeof(v))
			continue;
		/* A request comes after the faults it covers: their messages are in. */
		drain(h);
		if (__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE))
			break;
		if (write(h->ack, &v, sizeof(v)) != sizeof(v))
			break;
	}
	return NULL;
}

static int eventfds(struct uffd_handler *h)
{
	h->req = eventfd(0, EFD_CLOEXEC);
	h->ack = eventfd(0, EFD_CLOEXEC);
	return h->req < 0 || h->ack < 0 ? -1 : 0;
}

int uffd_handler_start(struct uffd_handler *h, int fd, void *addr, size_t len, bool zeropage,
		       char *err, size_t errlen)
{
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)addr, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	memset(h, 0, sizeof(*h));
	h->uffd = fd;
	h->zeropage = zeropage;
	h->req = h->ack = -1;
	h->src = mmap(NULL, UFFD_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h->src == MAP_FAILED) {
		h->src = NULL;
		snprintf(err, errlen, "userfaultfd: no source page: %s", strerror(errno));
		goto fail;
	}
	memset(h->src, 0x5a, UFFD_PAGE);
	if (ioctl(fd, UFFDIO_REGISTER, &reg)) {
		snprintf(err, errlen, "userfaultfd: UFFDIO_REGISTER: %s", strerror(errno));
		goto fail;
	}
	if (eventfds(h) || pthread_create(&h->th, NULL, handler_main, h)) {
		snprintf(err, errlen, "userfaultfd: cannot start the handler thread");
		goto fail;
	}
	h->running = true;
	return 0;
fail:
	uffd_handler_stop(h);
	return -1;
}

void uffd_quiesce(struct uffd_handler *h)
{
	uint64_t v = 1;

	/* Sleeps for the answer: the handler may need this CPU to give it. */
	if (write(h->req, &v, sizeof(v)) != sizeof(v) || read(h->ack, &v, sizeof(v)) != sizeof(v))
		perror("faultbench: the userfaultfd handler did not answer");
}

void uffd_tally_read(const struct uffd_handler *h, struct uffd_tally *out)
{
	out->msgs = __atomic_load_n(&h->tally.msgs, __ATOMIC_RELAXED);
	out->resolved = __atomic_load_n(&h->tally.resolved, __ATOMIC_RELAXED);
	out->eexist = __atomic_load_n(&h->tally.eexist, __ATOMIC_RELAXED);
	out->failed = __atomic_load_n(&h->tally.failed, __ATOMIC_RELAXED);
}

void uffd_handler_stop(struct uffd_handler *h)
{
	uint64_t v = 1;

	if (h->running) {
		__atomic_store_n(&h->stop, true, __ATOMIC_RELEASE);
		if (write(h->req, &v, sizeof(v)) == sizeof(v))
			pthread_join(h->th, NULL);
		h->running = false;
	}
	if (h->req >= 0)
		close(h->req);
	if (h->ack >= 0)
		close(h->ack);
	if (h->src)
		munmap(h->src, UFFD_PAGE);
	if (h->uffd >= 0)
		close(h->uffd);
	h->req = h->ack = h->uffd = -1;
	h->src = NULL;
}
