/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * will-it-scale's page-fault loop on the live kernel, for kernel-anon and
 * kernel-shared: each thread maps a region of its own, touches every page
 * (one fault each), unmaps it and maps the next, as page_fault1 (private
 * anonymous) and page_fault3 (a shared file, here a memfd whose pages stay in
 * the page cache between rounds) do.  One operation is one page touched, so
 * the time per operation is the cost of a fault with mmap and munmap spread
 * over the region's pages, as will-it-scale reports it.  Faults are counted
 * around each batch of touches, so a fault anywhere else is not counted.
 */
#ifndef FAULTBENCH_KTOUCH_H
#define FAULTBENCH_KTOUCH_H

#include <stdbool.h>

#include <faultbench/scenario.h>

#include "kfault.h"

struct ktouch_thread {
	struct kfault counter;
	int memfd;	    /* kernel-shared: this thread's file; -1 for anonymous memory */
	char *base;	    /* the region mapped now, or NULL */
	unsigned long next; /* the next page to touch in it */
} __attribute__((aligned(64)));

struct ktouch {
	unsigned long pages; /* per region */
	bool write;	     /* write (a new page) or read (the zero page, or the cached page) */
	bool remap;	     /* false only when the test-only fault "no-unmap" is planted */
	const char *counter;
	int nthreads;
	struct ktouch_thread *thread;
};

/*
 * The parameters: pages= per region, and the fault counter (counter=).  A
 * scenario adds its own.
 */
#define KTOUCH_PARAMS                                                                         \
	{ .name = "pages",                                                                    \
	  .type = FB_PARAM_INT,                                                               \
	  .def = "32768",                                                                     \
	  .min = 1,                                                                           \
	  .max = 1 << 22,                                                                     \
	  .help = "pages per region, each thread's own (32768: 128 MiB, as will-it-scale)" }, \
		KFAULT_PARAM

/*
 * setup(): the ktouch into ctx->priv, from pages= and counter=; checks that
 * the counter opens and, when shared, gives each thread a memfd of that size
 * with every page in the page cache.  0, or -1 with one line.
 */
int ktouch_setup(struct fb_ctx *ctx, bool shared, bool write, char *err, size_t errlen);
/* The rest of the scenario's functions, as they are. */
void ktouch_teardown(struct fb_ctx *ctx);
int ktouch_thread_init(struct fb_thread *t);
void ktouch_thread_exit(struct fb_thread *t);
/* Touches n pages, remapping as regions fill; returns how many it touched. */
unsigned long ktouch_step(struct fb_thread *t, unsigned long n);
/* kernel.faults == operations: one fault per page touched. */
int ktouch_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen);

#endif
