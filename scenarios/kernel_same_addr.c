// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel-same-addr: same-addr's race on the live kernel.  T threads touch
 * one page of private anonymous memory in lockstep rounds, and the last to
 * arrive zaps it with madvise(MADV_DONTNEED), so that every round starts
 * with the PTE none again.  will-it-scale never faults one address from two
 * tasks; this does, and counts what the kernel did about it.
 *
 * A thread traps when its touch finds the PTE none, and takes no fault once
 * another thread has installed the page.  Of the threads that trapped, one
 * installs the page; each of the others finds it done, in handle_pte_fault's
 * lockless look or in do_anonymous_page's recheck under the PTE lock, and
 * returns.  Those are the kernel's lost races, counted per round, with the
 * accounting, in kround.h.
 *
 * The model's twin is same-addr handler=anon (with access=read, the zero
 * page's race; zero_page=0 on a kernel without one), whose recheck_lost is
 * the same race lost; its zap needs tlb= for the shootdown this zap sends
 * to the T - 1 threads spinning at the barrier.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#include "kernel/kround.h"

static void kernel_same_addr_teardown(struct fb_ctx *ctx)
{
	if (ctx->priv)
		kround_destroy(ctx->priv);
	free(ctx->priv);
}

static int kernel_same_addr_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct kround *r = calloc(1, sizeof(*r));

	ctx->priv = r;
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return kround_setup(r, ctx, !strcmp(fb_param_str(ctx, "access"), "write"), err, errlen);
}

static const struct fb_param kernel_same_addr_params[] = {
	{ .name = "access",
	  .type = FB_PARAM_CHOICE,
	  .def = "write",
	  .choices = "write|read",
	  .help = "write: do_anonymous_page allocates; read: it maps the zero page (where the "
		  "kernel has one for anonymous reads)" },
	KFAULT_PARAM,
	{ .name = NULL },
};

FB_SCENARIO(kernel_same_addr) = {
	.name = "kernel-same-addr",
	.description = "the live kernel: all threads touch one page in rounds, "
		       "madvise(MADV_DONTNEED) between rounds",
	.question = "How often does the kernel's fault on one address lose the race to "
		    "another thread, beside the model's same-addr handler=anon?",
	.shape = FB_SHAPE_ROUNDS,
	.unit = "round",
	.live_kernel = true,
	.params = kernel_same_addr_params,
	.headline = FB_HEADLINE("kernel.faults", "kernel.race_lost"),
	.plants = FB_PLANTS({ .name = "skip-zap", .what = "the rearm leaves the page mapped" }),
	.setup = kernel_same_addr_setup,
	.teardown = kernel_same_addr_teardown,
	.thread_init = kround_thread_init,
	.thread_exit = kround_thread_exit,
	.step = kround_step,
	.rearm = kround_rearm,
	.verify = kround_verify,
};
