// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel-uffd: a user-space ->nopfn on the live kernel.  The page is
 * registered with userfaultfd in missing mode, and one handler thread
 * resolves its faults with UFFDIO_COPY (resolve=copy, touched by writing) or
 * UFFDIO_ZEROPAGE (resolve=zeropage, touched by reading: a write would then
 * take a second, copy-on-write fault).  T threads touch the page in lockstep
 * rounds and the last to arrive zaps it, as in kernel-same-addr (kround.h),
 * after the handler has answered every message of the round.
 *
 * A thread that traps on the missing page sleeps in handle_userfault() until
 * a resolve wakes it.  When the handler has read two threads' messages
 * before resolving either, the second resolve finds the page mapped under
 * the PTE lock (mfill_atomic_install_pte) and fails with EEXIST: do_no_pfn's
 * race, with the recheck done by the kernel for the user-space handler.
 *
 * Accounting, for R rounds: kround.h's for the faults, and, since every
 * round's page is missing when it starts and the handler is quiet when it
 * ends, exactly one resolve per round maps it, and every other message finds
 * it mapped; a message is a trap, but a thread woken before its message was
 * read leaves none:
 *   kernel.uffd_resolved == R,
 *   kernel.uffd_msgs == R + kernel.uffd_eexist <= kernel.faults,
 *   and no resolve fails otherwise.
 *
 * The model's twin is same-addr handler=nopfn, whose recheck_lost is the
 * EEXIST of a kernel-side ->nopfn, with handler_ns for the handler's round
 * trip.  If this process may not use userfaultfd, the scenario is skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <faultbench/scenario.h>

#include "kernel/kround.h"
#include "kernel/uffd.h"

struct kernel_uffd {
	struct kround round; /* first: kround's functions find it at ctx->priv */
	struct uffd_handler handler;
	bool started;
	struct uffd_tally folded; /* what rearm has counted of the handler's tally */
};

static void kernel_uffd_teardown(struct fb_ctx *ctx)
{
	struct kernel_uffd *u = ctx->priv;

	if (!u)
		return;
	if (u->started)
		uffd_handler_stop(&u->handler);
	kround_destroy(&u->round);
	free(u);
}

static int kernel_uffd_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct kernel_uffd *u = calloc(1, sizeof(*u));
	bool zeropage = !strcmp(fb_param_str(ctx, "resolve"), "zeropage");
	int fd, ret;

	ctx->priv = u;
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = uffd_open(&fd, err, errlen);
	if (ret)
		return ret > 0 ? FB_SKIP : -1;
	if (kround_setup(&u->round, ctx, !zeropage, err, errlen)) {
		close(fd);
		return -1;
	}
	if (uffd_handler_start(&u->handler, fd, (void *)u->round.page, KROUND_PAGE, zeropage, err,
			       errlen))
		return -1;
	u->started = true;
	return 0;
}

/* The handler's work since the last rearm, counted in this thread's counters. */
static void fold(struct kernel_uffd *u)
{
	struct uffd_tally h;

	uffd_tally_read(&u->handler, &h);
	fc_count_n(FC_STAT_KERNEL_UFFD_MSGS, h.msgs - u->folded.msgs);
	fc_count_n(FC_STAT_KERNEL_UFFD_RESOLVED, h.resolved - u->folded.resolved);
	fc_count_n(FC_STAT_KERNEL_UFFD_EEXIST, h.eexist - u->folded.eexist);
	u->folded = h;
}

static void kernel_uffd_rearm(struct fb_ctx *ctx)
{
	struct kernel_uffd *u = ctx->priv;

	uffd_quiesce(&u->handler);
	fold(u);
	kround_rearm(ctx);
}

static int kernel_uffd_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err,
			      size_t errlen)
{
	struct kernel_uffd *u = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t msgs = v[FC_STAT_KERNEL_UFFD_MSGS];

	if (kround_verify(ctx, t, err, errlen))
		return -1;
	if (msgs > v[FC_STAT_KERNEL_FAULTS]) {
		snprintf(err, errlen, "kernel.uffd_msgs %llu > kernel.faults %llu",
			 (unsigned long long)msgs, (unsigned long long)v[FC_STAT_KERNEL_FAULTS]);
		return -1;
	}
	return fb_expect(v[FC_STAT_KERNEL_UFFD_RESOLVED], t->iterations,
			 "kernel.uffd_resolved == rounds", err, errlen) ||
	       fb_expect(msgs, t->iterations + v[FC_STAT_KERNEL_UFFD_EEXIST],
			 "kernel.uffd_msgs == rounds + kernel.uffd_eexist", err, errlen) ||
	       fb_expect(u->folded.failed, 0, "resolves that failed", err, errlen);
}

static const struct fb_param kernel_uffd_params[] = {
	{ .name = "resolve",
	  .type = FB_PARAM_CHOICE,
	  .def = "copy",
	  .choices = "copy|zeropage",
	  .help = "UFFDIO_COPY of a page (threads write), or UFFDIO_ZEROPAGE (threads read)" },
	KFAULT_PARAM,
	{ .name = NULL },
};

FB_SCENARIO(kernel_uffd) = {
	.name = "kernel-uffd",
	.description = "the live kernel: all threads fault one userfaultfd page in rounds, one "
		       "handler thread resolves",
	.question = "How often does a user-space nopfn's resolve find the page already mapped "
		    "(EEXIST), beside the model's same-addr handler=nopfn?",
	.shape = FB_SHAPE_ROUNDS,
	.unit = "round",
	.live_kernel = true,
	.params = kernel_uffd_params,
	.headline = FB_HEADLINE("kernel.faults", "kernel.uffd_eexist"),
	.plants = FB_PLANTS({ .name = "skip-zap", .what = "the rearm leaves the page mapped" }),
	.setup = kernel_uffd_setup,
	.teardown = kernel_uffd_teardown,
	.thread_init = kround_thread_init,
	.thread_exit = kround_thread_exit,
	.step = kround_step,
	.rearm = kernel_uffd_rearm,
	.verify = kernel_uffd_verify,
};
