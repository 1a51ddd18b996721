// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel-anon: will-it-scale's page_fault1 on the live kernel.  Each thread
 * maps a private anonymous region of its own, touches every page once and
 * unmaps it, over and over; one operation is one page touched.  A write
 * takes do_anonymous_page's new zeroed page; a read maps the shared zero
 * page (do_anonymous_page's read path), except on a kernel that allocates
 * there too, as this project's PVM guests do (pvm_no_zero_page=1).  The
 * threads share one mm, as will-it-scale's threads mode does, so mmap and
 * munmap contend for mmap_lock beside the faults.
 *
 * Accounting: huge pages are off for the region (MADV_NOHUGEPAGE), so every
 * page touched for the first time since it was mapped takes exactly one
 * fault, and nothing else between the counter's reads does:
 *   kernel.faults == operations.
 *
 * The model's twin is anonymous write faults on fresh pages (same-addr
 * handler=anon on one thread, or the catalogue's fault scenarios); for
 * access=read, same-addr handler=anon access=read, which maps the model's
 * zero page (zero_page=0 where the kernel has none, pvm_no_zero_page=1).
 */
#include <string.h>

#include <faultbench/scenario.h>

#include "kernel/ktouch.h"

static int kernel_anon_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	return ktouch_setup(ctx, false, !strcmp(fb_param_str(ctx, "access"), "write"), err, errlen);
}

static const struct fb_param kernel_anon_params[] = {
	{ .name = "access",
	  .type = FB_PARAM_CHOICE,
	  .def = "write",
	  .choices = "write|read",
	  .help = "write: a new zeroed page per fault; read: the zero page (where the kernel "
		  "has one for anonymous reads)" },
	KTOUCH_PARAMS,
	{ .name = NULL },
};

FB_SCENARIO(kernel_anon) = {
	.name = "kernel-anon",
	.description = "the live kernel: map, touch every page, unmap (will-it-scale page_fault1)",
	.question = "What does an anonymous fault cost in this machine's kernel, beside the "
		    "model's, and how does it scale with threads in one mm?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.live_kernel = true,
	.params = kernel_anon_params,
	.headline = FB_HEADLINE("kernel.faults"),
	.plants = FB_PLANTS({ .name = "no-unmap",
			      .what = "a full region is touched again instead of remapped",
			      .params = "pages=16" }),
	.setup = kernel_anon_setup,
	.teardown = ktouch_teardown,
	.thread_init = ktouch_thread_init,
	.thread_exit = ktouch_thread_exit,
	.step = ktouch_step,
	.verify = ktouch_verify,
};
