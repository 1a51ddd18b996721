// SPDX-License-Identifier: GPL-2.0-only
/* will-it-scale's page-fault loop: see ktouch.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktouch.h"

#define KPAGE 4096UL

/* Fills the file through write(), not faults: the pages are then in the page cache. */
static int memfd_fill(int fd, unsigned long pages)
{
	static const char zeros[64 * 1024];
	off_t len = (off_t)(pages * KPAGE);

	for (off_t off = 0; off < len;) {
		ssize_t n = pwrite(fd, zeros,
				   sizeof(zeros) < (size_t)(len - off) ? sizeof(zeros)
								       : (size_t)(len - off),
				   off);

		if (n <= 0)
			return -1;
		off += n;
	}
	return 0;
}

static int shared_files(struct ktouch *k, char *err, size_t errlen)
{
	for (int i = 0; i < k->nthreads; i++) {
		int fd = memfd_create("faultbench-kernel-shared", MFD_CLOEXEC);

		k->thread[i].memfd = fd;
		if (fd < 0 || memfd_fill(fd, k->pages)) {
			snprintf(err, errlen, "kernel-shared: cannot fill a memfd of %lu pages: %s",
				 k->pages, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void ktouch_free(struct ktouch *k)
{
	for (int i = 0; k->thread && i < k->nthreads; i++)
		if (k->thread[i].memfd >= 0)
			close(k->thread[i].memfd);
	free(k->thread);
	free(k);
}

void ktouch_teardown(struct fb_ctx *ctx)
{
	if (ctx->priv)
		ktouch_free(ctx->priv);
	ctx->priv = NULL;
}

int ktouch_setup(struct fb_ctx *ctx, bool shared, bool write, char *err, size_t errlen)
{
	struct ktouch *k = calloc(1, sizeof(*k));
	struct kfault probe;

	ctx->priv = k;
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	k->pages = (unsigned long)fb_param_long(ctx, "pages");
	k->write = write;
	k->remap = !fb_planted(ctx, "no-unmap");
	k->counter = fb_param_str(ctx, "counter");
	k->nthreads = ctx->nthreads;
	if (kfault_open(&probe, k->counter, err, errlen))
		return -1;
	kfault_close(&probe);
	k->thread = aligned_alloc(64, sizeof(*k->thread) * (size_t)k->nthreads);
	if (!k->thread) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(k->thread, 0, sizeof(*k->thread) * (size_t)k->nthreads);
	for (int i = 0; i < k->nthreads; i++)
		k->thread[i].memfd = -1;
	return shared ? shared_files(k, err, errlen) : 0;
}

static void unmap(struct ktouch *k, struct ktouch_thread *kt)
{
	if (kt->base)
		munmap(kt->base, k->pages * KPAGE);
	kt->base = NULL;
}

/*
 * A new region: anonymous, or the thread's file.  No huge pages, so that
 * every 4 KiB page takes its own fault, as page_fault1 means to measure.
 */
static int map(struct ktouch *k, struct ktouch_thread *kt)
{
	size_t len = k->pages * KPAGE;
	void *p = kt->memfd < 0 ? mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
				: mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, kt->memfd, 0);

	if (p == MAP_FAILED)
		return -1;
	madvise(p, len, MADV_NOHUGEPAGE);
	kt->base = p;
	kt->next = 0;
	return 0;
}

void ktouch_thread_exit(struct fb_thread *t)
{
	struct ktouch *k = t->ctx->priv;
	struct ktouch_thread *kt = &k->thread[t->tid];

	unmap(k, kt);
	kfault_close(&kt->counter);
}

/* The region is full: unmap it and map the next (only "no-unmap" touches it again). */
static int next_region(struct ktouch *k, struct ktouch_thread *kt)
{
	if (!k->remap) {
		kt->next = 0;
		return 0;
	}
	unmap(k, kt);
	return map(k, kt);
}

unsigned long ktouch_step(struct fb_thread *t, unsigned long n)
{
	struct ktouch *k = t->ctx->priv;
	struct ktouch_thread *kt = &k->thread[t->tid];
	unsigned long done = 0;

	while (done < n) {
		unsigned long m;

		if (!kt->base || (kt->next == k->pages && next_region(k, kt)))
			break;
		m = k->pages - kt->next;
		m = m < n - done ? m : n - done;
		fc_count_n(FC_STAT_KERNEL_FAULTS,
			   kfault_touch(&kt->counter, kt->base + kt->next * KPAGE, m, k->write));
		kt->next += m;
		done += m;
	}
	return done;
}

/*
 * The counter opened, the first region mapped, and one page touched through
 * step() itself, so that every code page between the counter's reads is
 * mapped before they count (the runner zeroes the counts after this).
 */
int ktouch_thread_init(struct fb_thread *t)
{
	struct ktouch *k = t->ctx->priv;
	struct ktouch_thread *kt = &k->thread[t->tid];
	char err[256];

	if (kfault_open(&kt->counter, k->counter, err, sizeof(err)) || map(k, kt))
		return -1;
	ktouch_step(t, 1);
	return 0;
}

int ktouch_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	return fb_expect(t->stats.v[FC_STAT_KERNEL_FAULTS], t->iterations,
			 "kernel.faults == pages touched", err, errlen);
}
