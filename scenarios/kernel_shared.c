// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel-shared: will-it-scale's page_fault3 on the live kernel, on a memfd
 * so that no filesystem's ->page_mkwrite or writeback skews it.  Each thread
 * has a memfd of its own whose pages are all in the page cache (written once
 * in setup), maps it shared, writes every page once and unmaps it, over and
 * over; one operation is one page touched.  Each fault is do_shared_fault:
 * shmem_fault finds the page in the cache, and finish_fault maps it
 * writable.  A write fault does no fault-around, so every page faults.
 *
 * Accounting, with huge pages off for the mapping (MADV_NOHUGEPAGE):
 *   kernel.faults == operations.
 *
 * The model's twin is a ->fault that returns a cached page on a shared
 * mapping (the catalogue's fault scenarios).
 */
#include <faultbench/scenario.h>

#include "kernel/ktouch.h"

static int kernel_shared_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	return ktouch_setup(ctx, true, true, err, errlen);
}

static const struct fb_param kernel_shared_params[] = {
	KTOUCH_PARAMS,
	{ .name = NULL },
};

FB_SCENARIO(kernel_shared) = {
	.name = "kernel-shared",
	.description = "the live kernel: write faults on cached pages of a shared memfd "
		       "(will-it-scale page_fault3)",
	.question = "What does a fault on a page-cache page cost in this machine's kernel, "
		    "beside the model's ->fault?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.live_kernel = true,
	.params = kernel_shared_params,
	.headline = FB_HEADLINE("kernel.faults"),
	.plants = FB_PLANTS({ .name = "no-unmap",
			      .what = "a full region is touched again instead of remapped",
			      .params = "pages=16" }),
	.setup = kernel_shared_setup,
	.teardown = ktouch_teardown,
	.thread_init = ktouch_thread_init,
	.thread_exit = ktouch_thread_exit,
	.step = ktouch_step,
	.verify = ktouch_verify,
};
