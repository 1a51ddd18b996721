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
 *
 * The handler fills the page: nopfn (the seed's ->nopfn), fault-pfn (->fault
 * and vmf_insert_pfn), anon (write faults on anonymous memory, or with
 * access=read read faults, which map the zero page; zero_page=0 makes them
 * allocate, as writes do), nopage
 * (->nopage returns a driver page), fault (->fault returns it), mixedmap
 * (->fault and vmf_insert_mixed on VM_MIXEDMAP, with `frames` a pfn_valid
 * page, a device frame, or the two in alternate rounds), special-pages (a
 * special mapping's .pages) and special-fault (its .fault).
 *
 * The accounting (verify), for R rounds of T threads, F = R * T faults:
 * each fault finds the PTE missing, and calls the handler (H calls in all)
 * or, under precheck, gives up before it (precheck_lost); or it finds the
 * PTE present and stores nothing.  Every handler call ends under the PTL:
 *   - recheck, precheck: exactly one store per round, over pte_none, so
 *     set_pte == R, set_pte_replace == 0, and every other call lost the
 *     recheck: H == R + recheck_lost.  H + precheck_lost <= F, and
 *     precheck_lost == 0 under recheck;
 *   - none: every call stores, the first of a round over pte_none and the
 *     rest over it: set_pte == H, set_pte_replace == H - R, precheck_lost
 *     == 0; for every handler but anon that allocates (a new page per
 *     store), the stores in a round are all the same entry (one pfn, one
 *     driver page or the zero page; frames=mix changes it only between
 *     rounds), so a fault that found it present never sees it change:
 *     recheck_lost == 0.
 * And always: every fault resolves (faults.minor + faults.nopage == F, no
 * sigbus, oom, bug or bad pte), only the scenario's handler is called, every
 * store of access=read maps the zero page (zero_page == set_pte, else 0), and
 * since every round ends with a zap, every page reference taken is dropped
 * (page_ref_get == page_ref_put) and the frames in use are back where
 * setup left them.
 *
 * same-addr-storm is the same page with no rounds: every thread faults it
 * without pause, and thread 0, faulting too, zaps it after every zap_every
 * of its own faults (the rearm's zap, planted faults included).  What a
 * storm costs per fault, and per zap how many stores and lost rechecks it
 * takes to fill the entry again: set_pte / zap_pte, recheck_lost / zap_pte.
 * (A run's shape is its scenario's, so the storm is a scenario of its own.)
 * Its accounting, for F faults, Z0 = thread 0's faults / zap_every zaps,
 * and E = 1 when the entry is present at the end: every zap finds the entry
 * present, since thread 0's own last fault filled it and no one else zaps,
 * so zap_pte == Z0; an entry becomes present only by a store over pte_none
 * and absent only by a zap, so set_pte - set_pte_replace == zap_pte + E.
 * Under recheck and precheck no store replaces (set_pte_replace == 0), and a
 * handler call that does not store lost the recheck; but so did a fault that
 * found the entry present and then, under the PTL, zapped (the pte_same
 * check on the present path, which no round ever meets), so set_pte <= H <=
 * set_pte + recheck_lost, and precheck_lost == 0 under recheck; under none
 * every handler call stores: set_pte == H, precheck_lost == 0.  The
 * references the entry holds are E's (page_ref_get - page_ref_put == E for
 * the handlers that map a page), and the frames in use setup's, plus E for
 * anon.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <faultbench/scenario.h>

#define SAME_ADDR_BASE 0x10000000UL

enum same_addr_plant { PLANT_NONE, PLANT_SKIP_ZAP, PLANT_DOUBLE_COUNT, PLANT_LEAK_REF };

enum same_addr_handler {
	SA_NOPFN,
	SA_FAULT_PFN,
	SA_ANON,
	SA_NOPAGE,
	SA_FAULT,
	SA_MIXEDMAP,
	SA_SPECIAL_PAGES,
	SA_SPECIAL_FAULT,
	SA_NR
};

static const char *const same_addr_handlers[SA_NR] = {
	"nopfn", "fault-pfn", "anon",	       "nopage",
	"fault", "mixedmap",  "special-pages", "special-fault",
};

struct same_addr {
	struct fc_phys *phys; /* ctx's, kept beside what the step reads */
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned int flags; /* FAULT_FLAG_WRITE for anon, unless access=read */
	enum fc_stat calls; /* the handler's counter */
	bool allocates;	    /* each store maps a new page: anon, but the zero page's */
	bool zero;	    /* each store maps the zero page */
	enum fc_recheck recheck;
	enum same_addr_plant plant;
	unsigned long frames;  /* in use after setup */
	struct page *page;     /* the driver's page, for the handlers that map one */
	unsigned long dev_pfn; /* mixedmap: the device frame */
	bool mix;	       /* mixedmap frames=mix: device frame in odd rounds */
	bool odd;	       /* this round is odd; flipped by the rearm */
	struct page *pages[2]; /* special-pages: { page, NULL } */
	struct vm_special_mapping sm;
	unsigned long zap_every; /* storm */
	/* storm: thread 0's faults, on a line of their own since only it writes them */
	uint64_t zapper_faults __attribute__((aligned(FC_CACHELINE)));
	unsigned long zap_left; /* thread 0's faults to its next zap: no division a fault */
};

/*
 * The driver's pfn.  The work a real ->nopfn does (MSPEC allocates and maps
 * uncached memory) is the core's handler_ns knob, which keeps the race
 * window open as long as that work takes.
 */
static unsigned long same_addr_nopfn(struct vm_area_struct *vma, unsigned long addr)
{
	const struct fc_phys_config *pc = fc_phys_config(vma->vm_mm->phys);

	return fc_io_pfn(pc, 0) + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/* The modern driver: ->fault inserts the same pfn itself. */
static vm_fault_t same_addr_fault_pfn(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address, same_addr_nopfn(vmf->vma, vmf->address));
}

/* The driver's page, with the reference the mapping will hold. */
static struct page *same_addr_get_page(const struct same_addr *s)
{
	get_page(s->page);
	return s->page;
}

static struct page *same_addr_nopage(struct vm_area_struct *vma, unsigned long addr, int *type)
{
	return same_addr_get_page(vma->vm_private_data);
}

static vm_fault_t same_addr_fault(struct vm_fault *vmf)
{
	vmf->page = same_addr_nopage(vmf->vma, vmf->address, NULL);
	return 0;
}

/* A special mapping's private data is its vm_special_mapping, inside ours. */
static vm_fault_t same_addr_special_fault(const struct vm_special_mapping *sm,
					  struct vm_area_struct *vma, struct vm_fault *vmf)
{
	vmf->page = same_addr_get_page(
		(const void *)((const char *)sm - offsetof(struct same_addr, sm)));
	return 0;
}

/* VM_MIXEDMAP: the page's frame (refcounted), or the device frame (raw). */
static vm_fault_t same_addr_fault_mixed(struct vm_fault *vmf)
{
	const struct same_addr *s = vmf->vma->vm_private_data;
	bool dev = s->mix ? __atomic_load_n(&s->odd, __ATOMIC_RELAXED) : s->dev_pfn;

	return vmf_insert_mixed(vmf->vma, vmf->address,
				dev ? s->dev_pfn : page_to_pfn(s->phys, s->page));
}

static const struct vm_operations_struct same_addr_ops[SA_NR] = {
	[SA_NOPFN] = { .name = "same-addr-nopfn", .nopfn = same_addr_nopfn },
	[SA_FAULT_PFN] = { .name = "same-addr-fault-pfn", .fault = same_addr_fault_pfn },
	[SA_NOPAGE] = { .name = "same-addr-nopage", .nopage = same_addr_nopage },
	[SA_FAULT] = { .name = "same-addr-fault", .fault = same_addr_fault },
	[SA_MIXEDMAP] = { .name = "same-addr-mixedmap", .fault = same_addr_fault_mixed },
};

static const unsigned long same_addr_vm_flags[SA_NR] = {
	[SA_NOPFN] = VM_SHARED | VM_PFNMAP | VM_IO,
	[SA_FAULT_PFN] = VM_SHARED | VM_PFNMAP | VM_IO,
	[SA_ANON] = VM_WRITE,
	[SA_NOPAGE] = VM_SHARED,
	[SA_FAULT] = VM_SHARED,
	[SA_MIXEDMAP] = VM_SHARED | VM_MIXEDMAP,
};

static const enum fc_stat same_addr_calls[SA_NR] = {
	[SA_NOPFN] = FC_STAT_HANDLER_NOPFN,	    [SA_FAULT_PFN] = FC_STAT_HANDLER_FAULT,
	[SA_ANON] = FC_STAT_HANDLER_ANON,	    [SA_NOPAGE] = FC_STAT_HANDLER_NOPAGE,
	[SA_FAULT] = FC_STAT_HANDLER_FAULT,	    [SA_MIXEDMAP] = FC_STAT_HANDLER_FAULT,
	[SA_SPECIAL_PAGES] = FC_STAT_HANDLER_FAULT, [SA_SPECIAL_FAULT] = FC_STAT_HANDLER_FAULT,
};

static int same_addr_map(struct same_addr *s, struct fb_ctx *ctx)
{
	const char *frames = fb_param_str(ctx, "frames");
	bool read = !strcmp(fb_param_str(ctx, "access"), "read");
	enum same_addr_handler h = SA_NOPFN;

	for (int i = 0; i < SA_NR; i++)
		if (!strcmp(fb_param_str(ctx, "handler"), same_addr_handlers[i]))
			h = (enum same_addr_handler)i;
	s->flags = h == SA_ANON && !read ? FAULT_FLAG_WRITE : 0;
	s->zero = h == SA_ANON && read && s->mm->cfg.zero_page;
	s->allocates = h == SA_ANON && !s->zero;
	s->calls = same_addr_calls[h];
	if (h >= SA_NOPAGE && !(s->page = alloc_page(s->phys)))
		return -1;
	s->mix = !strcmp(frames, "mix");
	s->dev_pfn = !strcmp(frames, "valid") ? 0 : fc_dev_pfn(fc_phys_config(s->phys), 0);
	s->pages[0] = s->page;
	s->sm.name = "same-addr";
	if (h == SA_SPECIAL_PAGES)
		s->sm.pages = s->pages;
	else
		s->sm.fault = same_addr_special_fault;
	if (h >= SA_SPECIAL_PAGES)
		s->vma = _install_special_mapping(s->mm, SAME_ADDR_BASE, PAGE_SIZE, 0, &s->sm);
	else
		s->vma = fc_mmap(s->mm, SAME_ADDR_BASE, PAGE_SIZE, same_addr_vm_flags[h],
				 h == SA_ANON ? NULL : &same_addr_ops[h], s, 0);
	return s->vma ? 0 : -1;
}

static enum same_addr_plant same_addr_plant(const struct fb_ctx *ctx)
{
	if (fb_planted(ctx, "skip-zap"))
		return PLANT_SKIP_ZAP;
	if (fb_planted(ctx, "double-count"))
		return PLANT_DOUBLE_COUNT;
	return fb_planted(ctx, "leak-ref") ? PLANT_LEAK_REF : PLANT_NONE;
}

/* Modern kernels have no ->nopfn: every fault would be a SIGBUS. */
static int same_addr_check(const struct fb_values *v, char *err, size_t errlen)
{
	const char *h = fb_values_get(v, "handler");

	if ((!strcmp(h, "nopfn") || !strcmp(h, "nopage")) &&
	    !strcmp(fb_values_get(v, "dispatch"), "modern")) {
		snprintf(err, errlen,
			 "handler=%s needs a 2.6-era dispatch order, modern has no ->%s "
			 "(valid: handler=fault-pfn or fault with dispatch=modern)",
			 h, h);
		return -1;
	}
	if (strcmp(fb_values_get(v, "access"), "write") && strcmp(h, "anon")) {
		snprintf(err, errlen, "access= is for handler=anon (valid: access=write)");
		return -1;
	}
	if (strcmp(fb_values_get(v, "frames"), "valid") && strcmp(h, "mixedmap")) {
		snprintf(err, errlen, "frames= is for handler=mixedmap (valid: frames=valid)");
		return -1;
	}
	return 0;
}

/* A storm has no rounds for frames=mix to alternate between. */
static int storm_check(const struct fb_values *v, char *err, size_t errlen)
{
	if (!strcmp(fb_values_get(v, "frames"), "mix")) {
		snprintf(err, errlen,
			 "frames=mix alternates by round, and a storm has none (valid: "
			 "frames=valid|device)");
		return -1;
	}
	return same_addr_check(v, err, errlen);
}

static void same_addr_teardown(struct fb_ctx *ctx)
{
	free(ctx->priv);
}

static int same_addr_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct fc_phys_config pc = { .nr_ram = 4096, .nr_dev = 64, .nr_io = 64 };
	struct same_addr *s = aligned_alloc(FC_CACHELINE, sizeof(*s));

	ctx->priv = s;
	if (!s)
		return -1;
	memset(s, 0, sizeof(*s));
	if (fb_model_create(ctx, &pc, err, errlen))
		return -1;
	s->phys = ctx->phys;
	s->mm = ctx->mm;
	s->recheck = s->mm->cfg.recheck;
	s->plant = same_addr_plant(ctx);
	if (same_addr_map(s, ctx)) {
		snprintf(err, errlen, "same-addr: cannot map the page");
		return -1;
	}
	s->frames = fc_phys_pages_in_use(s->phys);
	return 0;
}

static unsigned long same_addr_step(struct fb_thread *t, unsigned long n)
{
	struct same_addr *s = t->ctx->priv;

	handle_mm_fault(s->mm, SAME_ADDR_BASE, s->flags);
	return 1;
}

/* Tests only: the rearm with a fault in it, which verify must catch. */
static void same_addr_rearm_planted(struct same_addr *s)
{
	if (s->plant == PLANT_SKIP_ZAP)
		return;
	if (s->plant == PLANT_DOUBLE_COUNT)
		fc_count(FC_STAT_SET_PTE);
	else
		follow_page(s->vma, SAME_ADDR_BASE, FOLL_GET); /* a reference never put */
	zap_page_range(s->vma, SAME_ADDR_BASE, PAGE_SIZE);
}

static void same_addr_rearm(struct fb_ctx *ctx)
{
	struct same_addr *s = ctx->priv;

	if (s->mix) /* the others wait at the barrier, which orders this */
		__atomic_store_n(&s->odd, !s->odd, __ATOMIC_RELAXED);

	if (s->plant)
		same_addr_rearm_planted(s);
	else
		zap_page_range(s->vma, SAME_ADDR_BASE, PAGE_SIZE);
}

static int storm_setup(struct fb_ctx *ctx, char *err, size_t errlen)
{
	struct same_addr *s;

	if (same_addr_setup(ctx, err, errlen))
		return -1;
	s = ctx->priv;
	s->zap_every = s->zap_left = (unsigned long)fb_param_long(ctx, "zap_every");
	return 0;
}

/* Thread 0 zaps (the rearm's zap) after every zap_every of its own faults. */
static unsigned long storm_step(struct fb_thread *t, unsigned long n)
{
	struct same_addr *s = t->ctx->priv;

	if (t->tid) {
		for (unsigned long i = 0; i < n; i++)
			handle_mm_fault(s->mm, SAME_ADDR_BASE, s->flags);
		return n;
	}
	for (unsigned long i = 0; i < n; i++) {
		handle_mm_fault(s->mm, SAME_ADDR_BASE, s->flags);
		if (!--s->zap_left) {
			s->zap_left = s->zap_every;
			same_addr_rearm(t->ctx);
		}
	}
	s->zapper_faults += n;
	return n;
}

/* The identities at the top of this file. */
static int same_addr_check_stores(const struct same_addr *s, const uint64_t *v, uint64_t rounds,
				  uint64_t faults, char *err, size_t errlen)
{
	uint64_t calls = v[s->calls];

	if (s->recheck == FC_RECHECK_NONE)
		return fb_expect(v[FC_STAT_SET_PTE], calls, "set_pte == handler calls", err,
				 errlen) ||
		       fb_expect(v[FC_STAT_SET_PTE_REPLACE], calls - rounds,
				 "set_pte_replace == handler calls - rounds", err, errlen) ||
		       fb_expect(v[FC_STAT_PRECHECK_LOST], 0, "precheck_lost", err, errlen) ||
		       (!s->allocates &&
			fb_expect(v[FC_STAT_RECHECK_LOST], 0, "recheck_lost", err, errlen));
	if (s->recheck == FC_RECHECK &&
	    fb_expect(v[FC_STAT_PRECHECK_LOST], 0, "precheck_lost", err, errlen))
		return -1;
	if (calls + v[FC_STAT_PRECHECK_LOST] > faults) {
		snprintf(err, errlen, "handler calls + precheck_lost %llu > faults %llu",
			 (unsigned long long)(calls + v[FC_STAT_PRECHECK_LOST]),
			 (unsigned long long)faults);
		return -1;
	}
	return fb_expect(v[FC_STAT_SET_PTE], rounds, "set_pte == rounds", err, errlen) ||
	       fb_expect(v[FC_STAT_SET_PTE_REPLACE], 0, "set_pte_replace", err, errlen) ||
	       fb_expect(calls, rounds + v[FC_STAT_RECHECK_LOST],
			 "handler calls == rounds + recheck_lost", err, errlen);
}

/* What holds for every fault, rounds or storm: each resolved by the scenario's handler. */
static int same_addr_check_faults(const struct same_addr *s, const uint64_t *v, uint64_t faults,
				  char *err, size_t errlen)
{
	static const enum fc_stat handlers[] = { FC_STAT_HANDLER_ANON, FC_STAT_HANDLER_NOPAGE,
						 FC_STAT_HANDLER_NOPFN, FC_STAT_HANDLER_FAULT,
						 FC_STAT_HANDLER_WP };
	uint64_t others = 0;

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		others += handlers[i] == s->calls ? 0 : v[handlers[i]];
	return mm_verify(s->mm, err, errlen) ||
	       fb_expect(v[FC_STAT_FAULTS_MINOR] + v[FC_STAT_FAULTS_NOPAGE], faults,
			 "faults resolved == faults", err, errlen) ||
	       fb_expect(v[FC_STAT_FAULTS_SIGBUS] + v[FC_STAT_FAULTS_OOM] + v[FC_STAT_BUG] +
				 v[FC_STAT_BAD_PTE],
			 0, "failed faults", err, errlen) ||
	       fb_expect(others, 0, "calls to another handler", err, errlen);
}

static int same_addr_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct same_addr *s = ctx->priv;
	const uint64_t *v = t->stats.v;
	uint64_t faults = t->iterations * (uint64_t)ctx->nthreads;

	return same_addr_check_faults(s, v, faults, err, errlen) ||
	       same_addr_check_stores(s, v, t->iterations, faults, err, errlen) ||
	       fb_expect(v[FC_STAT_ZERO_PAGE], s->zero ? v[FC_STAT_SET_PTE] : 0,
			 "zero_page == set_pte under access=read, else 0", err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_PUT], v[FC_STAT_PAGE_REF_GET],
			 "page_ref_put == page_ref_get", err, errlen) ||
	       fb_expect(fc_phys_pages_in_use(s->phys), s->frames, "frames in use after the zaps",
			 err, errlen);
}

static int storm_check_stores(const struct same_addr *s, const uint64_t *v, uint64_t faults,
			      char *err, size_t errlen)
{
	uint64_t calls = v[s->calls], stores = v[FC_STAT_SET_PTE];

	if (s->recheck == FC_RECHECK_NONE)
		return fb_expect(stores, calls, "set_pte == handler calls", err, errlen) ||
		       fb_expect(v[FC_STAT_PRECHECK_LOST], 0, "precheck_lost", err, errlen);
	if (calls < stores || calls > stores + v[FC_STAT_RECHECK_LOST] ||
	    calls + v[FC_STAT_PRECHECK_LOST] > faults) {
		snprintf(err, errlen,
			 "handler calls %llu outside [set_pte, set_pte + recheck_lost], or past "
			 "the faults less precheck_lost",
			 (unsigned long long)calls);
		return -1;
	}
	return fb_expect(v[FC_STAT_SET_PTE_REPLACE], 0, "set_pte_replace", err, errlen) ||
	       (s->recheck == FC_RECHECK &&
		fb_expect(v[FC_STAT_PRECHECK_LOST], 0, "precheck_lost", err, errlen));
}

static int storm_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	struct same_addr *s = ctx->priv;
	const uint64_t *v = t->stats.v;
	pte_t *ptep = fc_pte_lookup(s->mm, SAME_ADDR_BASE);
	uint64_t present = ptep && !pte_none(pte_read(ptep)), zaps = v[FC_STAT_ZAP_PTE];
	bool page = s->page && !s->dev_pfn; /* a device frame holds no reference */

	return same_addr_check_faults(s, v, t->iterations, err, errlen) ||
	       fb_expect(zaps, s->zapper_faults / s->zap_every,
			 "zap_pte == thread 0's faults / zap_every", err, errlen) ||
	       fb_expect(v[FC_STAT_SET_PTE] - v[FC_STAT_SET_PTE_REPLACE], zaps + present,
			 "set_pte - set_pte_replace == zap_pte + present at the end", err,
			 errlen) ||
	       storm_check_stores(s, v, t->iterations, err, errlen) ||
	       fb_expect(v[FC_STAT_ZERO_PAGE], s->zero ? v[FC_STAT_SET_PTE] : 0,
			 "zero_page == set_pte under access=read, else 0", err, errlen) ||
	       fb_expect(v[FC_STAT_PAGE_REF_GET] - v[FC_STAT_PAGE_REF_PUT],
			 page || s->allocates ? present : 0,
			 "page_ref_get - page_ref_put == the entry's", err, errlen) ||
	       fb_expect(fc_phys_pages_in_use(s->phys), s->frames + (s->allocates ? present : 0),
			 "frames in use == setup's + the entry's anonymous page", err, errlen);
}

#define SAME_ADDR_HANDLER                                                                          \
	{ .name = "handler",                                                                       \
	  .type = FB_PARAM_CHOICE,                                                                 \
	  .def = "nopfn",                                                                          \
	  .choices = "nopfn|fault-pfn|anon|nopage|fault|mixedmap|special-pages|special-fault",     \
	  .help = "nopfn: a VM_PFNMAP mapping read through ->nopfn; fault-pfn: the same through "  \
		  "->fault and vmf_insert_pfn; anon: write faults on private anonymous memory; "   \
		  "nopage, fault: a driver page from ->nopage or ->fault; mixedmap: "              \
		  "vmf_insert_mixed on VM_MIXEDMAP; special-pages, special-fault: a special "      \
		  "mapping's .pages or .fault" },                                                  \
		{ .name = "access",                                                                \
		  .type = FB_PARAM_CHOICE,                                                         \
		  .def = "write",                                                                  \
		  .choices = "write|read",                                                         \
		  .help = "handler=anon: write: do_anonymous_page allocates a page; read: it "     \
			  "maps the "                                                              \
			  "zero page (zero_page=1) or allocates (zero_page=0), beside "            \
			  "kernel-same-addr "                                                      \
			  "access=read" },                                                         \
	{                                                                                          \
		.name = "frames", .type = FB_PARAM_CHOICE, .def = "valid",                         \
		.choices = "valid|device|mix",                                                     \
		.help = "handler=mixedmap: a pfn_valid page (refcounted), a device frame with no " \
			"struct page, or the two in alternate rounds"                              \
	}

#define SAME_ADDR_PLANTS                                                               \
	FB_PLANTS({ .name = "skip-zap", .what = "the rearm leaves the PTE in place" }, \
		  { .name = "double-count",                                            \
		    .what = "the rearm counts one store more than was made" },         \
		  { .name = "leak-ref",                                                \
		    .what = "the rearm takes a page reference and never drops it",     \
		    .params = "handler=anon" })

static const struct fb_param same_addr_params[] = {
	SAME_ADDR_HANDLER,
	FB_MM_KNOBS,
	{ .name = NULL },
};

static const struct fb_param storm_params[] = {
	SAME_ADDR_HANDLER,
	{ .name = "zap_every",
	  .type = FB_PARAM_INT,
	  .def = "64",
	  .min = 1,
	  .max = 1000000000,
	  .help = "thread 0 zaps the entry after every N of its own faults" },
	FB_MM_KNOBS,
	{ .name = NULL },
};

FB_SCENARIO(same_addr) = {
	.name = "same-addr",
	.description = "all threads fault one address in lockstep rounds, a zap between rounds",
	.question = "Seed 000: what does the recheck under the PTL buy when every thread races "
		    "to fill the same PTE, and what does skipping it cost per arch?",
	.shape = FB_SHAPE_ROUNDS,
	.unit = "round",
	.params = same_addr_params,
	.headline = FB_HEADLINE("set_pte", "set_pte_replace", "recheck_lost"),
	.floor = "lock-floor",
	.plants = SAME_ADDR_PLANTS,
	.check = same_addr_check,
	.setup = same_addr_setup,
	.teardown = same_addr_teardown,
	.step = same_addr_step,
	.rearm = same_addr_rearm,
	.verify = same_addr_verify,
};

FB_SCENARIO(same_addr_storm) = {
	.name = "same-addr-storm",
	.description = "all threads fault one address without pause, thread 0 zapping it "
		       "every zap_every of its faults",
	.question =
		"Seed 000 under load: what does a fault cost when the entry is refilled as "
		"soon as it is zapped, and how many stores and lost rechecks does a refill take?",
	.shape = FB_SHAPE_DURATION,
	.unit = "fault",
	.params = storm_params,
	.headline = FB_HEADLINE("set_pte", "recheck_lost", "zap_pte"),
	.floor = "floor", /* op=cycle: the racing slot, lock, check, store, unlock */
	.plants = SAME_ADDR_PLANTS,
	.check = storm_check,
	.setup = storm_setup,
	.teardown = same_addr_teardown,
	.step = storm_step,
	.verify = storm_verify,
};
