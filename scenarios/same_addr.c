// SPDX-License-Identifier: GPL-2.0-only
/*
 * same-addr: every thread faults the same address in lockstep rounds, and the
 * last one to finish a round zaps the PTE so the next round races again.  One
 * round replays the race the do_no_pfn recheck is about (seed 000): all
 * threads see pte_none, all call the handler, and only the recheck under the
 * PTL decides whether the losers store again.
 *
 *   0x10000000        +PAGE_SIZE
 *   |  one page, faulted by every thread  |
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define SAME_ADDR_BASE 0x10000000UL

struct same_addr {
	struct fc_phys *phys;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned int flags;  /* FAULT_FLAG_WRITE for anon: a write allocates */
	uint32_t handler_ns; /* the driver's own work, outside the PTL */
};

/*
 * The driver's pfn.  handler_ns models the work a real ->nopfn does (MSPEC
 * allocates and maps uncached memory) and so widens the window in which
 * the other threads find pte_none and call the handler too.
 */
static unsigned long same_addr_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	const struct fc_phys_config *pc = fc_phys_config(vma->vm_mm->phys);
	const struct same_addr *s = vma->vm_private_data;

	if (s->handler_ns)
		fc_delay_ns(s->handler_ns);
	return fc_io_pfn(pc, 0) + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/* The modern driver: ->fault inserts the same pfn itself. */
static vm_fault_t same_addr_fault_pfn(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address, same_addr_nopfn(vmf->vma, vmf->address));
}

static const struct vm_operations_struct same_addr_nopfn_ops = {
	.name = "same-addr-nopfn",
	.nopfn = same_addr_nopfn,
};

static const struct vm_operations_struct same_addr_fault_pfn_ops = {
	.name = "same-addr-fault-pfn",
	.fault = same_addr_fault_pfn,
};

static int same_addr_map(struct same_addr *s, const char *handler)
{
	const struct vm_operations_struct *ops =
		!strcmp(handler, "nopfn") ? &same_addr_nopfn_ops : &same_addr_fault_pfn_ops;

	if (!strcmp(handler, "anon")) {
		s->vma = fc_mmap(s->mm, SAME_ADDR_BASE, PAGE_SIZE, VM_WRITE, NULL, NULL, 0);
		s->flags = FAULT_FLAG_WRITE;
	} else {
		s->vma = fc_mmap(s->mm, SAME_ADDR_BASE, PAGE_SIZE, VM_SHARED | VM_PFNMAP | VM_IO,
				 ops, s, 0);
		s->flags = 0;
	}
	return s->vma ? 0 : -1;
}

/* Modern kernels have no ->nopfn: every fault would be a SIGBUS. */
static int same_addr_check(const struct fb_values *v, char *err, size_t errlen)
{
	if (!strcmp(fb_values_get(v, "handler"), "nopfn") &&
	    !strcmp(fb_values_get(v, "dispatch"), "modern")) {
		snprintf(err, errlen,
			 "handler=nopfn needs a 2.6-era dispatch order, modern has no "
			 "->nopfn (valid: handler=fault-pfn with dispatch=modern)");
		return -1;
	}
	return 0;
}

static void same_addr_teardown(struct fb_ctx *ctx)
{
	struct same_addr *s = ctx->priv;

	if (!s)
		return;
	if (s->mm)
		fc_mm_destroy(s->mm);
	if (s->phys)
		fc_phys_destroy(s->phys);
	free(s);
	ctx->priv = NULL;
}

static int same_addr_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct fc_phys_config pc = { .nr_ram = 4096, .nr_dev = 64, .nr_io = 64 };
	struct fc_mm_config cfg;
	struct same_addr *s;

	if (fb_mm_config_from_params(ctx, &cfg, err, errlen))
		return -1;
	s = calloc(1, sizeof(*s));
	ctx->priv = s;
	if (s)
		s->handler_ns = (uint32_t)fb_param_long(ctx, "handler_ns");
	if (!s || !(s->phys = fc_phys_create(&pc)) || !(s->mm = fc_mm_create(s->phys, &cfg)) ||
	    same_addr_map(s, fb_param_str(ctx, "handler"))) {
		snprintf(err, errlen, "same-addr: cannot build the mm");
		same_addr_teardown(ctx);
		return -1;
	}
	return 0;
}

static unsigned long same_addr_step(struct fb_thread *t, unsigned long n)
{
	struct same_addr *s = t->ctx->priv;

	handle_mm_fault(s->mm, SAME_ADDR_BASE, s->flags);
	return 1;
}

static void same_addr_rearm(struct fb_ctx *ctx)
{
	struct same_addr *s = ctx->priv;

	zap_page_range(s->vma, SAME_ADDR_BASE, PAGE_SIZE);
}

static int same_addr_verify(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct same_addr *s = ctx->priv;

	return mm_verify(s->mm, err, errlen);
}

static const struct fb_param same_addr_params[] = {
	{ .name = "handler",
	  .type = FB_PARAM_CHOICE,
	  .def = "nopfn",
	  .choices = "nopfn|fault-pfn|anon",
	  .help = "nopfn: a VM_PFNMAP mapping read through ->nopfn; fault-pfn: the same through "
		  "->fault and vmf_insert_pfn; anon: write faults on private anonymous memory" },
	{ .name = "handler_ns",
	  .type = FB_PARAM_INT,
	  .def = "0",
	  .min = 0,
	  .max = 1000000,
	  .help = "busy work in the nopfn / fault-pfn handler, in ns: widens the race window" },
	{ .name = "recheck",
	  .type = FB_PARAM_CHOICE,
	  .def = "recheck",
	  .choices = "recheck|none|precheck",
	  .mm_key = "recheck",
	  .help = "recheck pte_none under the PTL (as merged), never (the first posting), or "
		  "also look before calling the handler" },
	{ .name = "lock",
	  .type = FB_PARAM_CHOICE,
	  .def = "split",
	  .choices = "split|mm",
	  .mm_key = "granularity",
	  .help = "a PTE lock per table page, or one per mm" },
	{ .name = "ptl",
	  .type = FB_PARAM_CHOICE,
	  .def = "ticket",
	  .choices = "ticket|queued|ttas|pthread-spin|pthread-mutex",
	  .mm_key = "lock",
	  .help = "the kind of PTE lock" },
	{ .name = "dispatch",
	  .type = FB_PARAM_CHOICE,
	  .def = "nopage-first",
	  .choices = "nopage-first|nopfn-first|modern|resolved",
	  .mm_key = "dispatch",
	  .help = "the order in which handle_pte_fault looks for a handler" },
	{ .name = "arch",
	  .type = FB_PARAM_TEXT,
	  .def = "x86",
	  .choices = "x86|ppc64-hash|delay:NS[,NS]",
	  .mm_key = "arch",
	  .help = "the cost model of set_pte_at and update_mmu_cache" },
	{ .name = "clear_page",
	  .type = FB_PARAM_CHOICE,
	  .def = "1",
	  .choices = "0|1",
	  .mm_key = "clear_page",
	  .help = "zero new anonymous pages" },
	{ .name = NULL },
};

const struct fb_scenario fb_scenario_same_addr = {
	.name = "same-addr",
	.description = "all threads fault one address in lockstep rounds, a zap between rounds",
	.question = "Seed 000: what does the recheck under the PTL buy when every thread races "
		    "to fill the same PTE, and what does skipping it cost per arch?",
	.shape = FB_SHAPE_ROUNDS,
	.unit = "round",
	.params = same_addr_params,
	.floor = "lock-floor",
	.check = same_addr_check,
	.setup = same_addr_setup,
	.teardown = same_addr_teardown,
	.step = same_addr_step,
	.rearm = same_addr_rearm,
	.verify = same_addr_verify,
};
