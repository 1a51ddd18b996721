// SPDX-License-Identifier: GPL-2.0-only
/* The rounds shape on the live kernel: see kround.h. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kround.h"

int kround_setup(struct kround *r, const struct fb_ctx *ctx, bool write, char *err, size_t errlen)
{
	struct kfault probe;
	void *p;

	r->write = write;
	r->skip_zap = fb_planted(ctx, "skip-zap");
	r->nthreads = ctx->nthreads;
	r->counter = fb_param_str(ctx, "counter");
	if (kfault_open(&probe, r->counter, err, errlen))
		return -1;
	kfault_close(&probe);
	r->slot = aligned_alloc(64, sizeof(*r->slot) * (size_t)r->nthreads);
	p = mmap(NULL, KROUND_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->page = p == MAP_FAILED ? NULL : p;
	if (!r->slot || !r->page) {
		snprintf(err, errlen, "%s: out of memory", ctx->sc->name);
		return -1;
	}
	memset(r->slot, 0, sizeof(*r->slot) * (size_t)r->nthreads);
	return 0;
}

void kround_destroy(struct kround *r)
{
	if (r->page)
		munmap((void *)r->page, KROUND_PAGE);
	free(r->slot);
	r->page = NULL;
	r->slot = NULL;
}

int kround_thread_init(struct fb_thread *t)
{
	struct kround *r = t->ctx->priv;
	struct kround_slot *s = &r->slot[t->tid];
	char err[256];

	s->round = 0;
	return kfault_open(&s->counter, r->counter, err, sizeof(err));
}

void kround_thread_exit(struct fb_thread *t)
{
	struct kround *r = t->ctx->priv;

	kfault_close(&r->slot[t->tid].counter);
}

unsigned long kround_step(struct fb_thread *t, unsigned long n)
{
	struct kround *r = t->ctx->priv;
	struct kround_slot *s = &r->slot[t->tid];

	s->round = kfault_touch(&s->counter, r->page, 1, r->write);
	fc_count_n(FC_STAT_KERNEL_FAULTS, s->round);
	return 1;
}

void kround_rearm(struct fb_ctx *ctx)
{
	struct kround *r = ctx->priv;
	uint64_t faults = 0;

	for (int i = 0; i < r->nthreads; i++)
		faults += r->slot[i].round;
	/* A round with no fault adds nothing here: verify's identity then fails. */
	if (faults > 1)
		fc_count_n(FC_STAT_KERNEL_RACE_LOST, faults - 1);
	if (!r->skip_zap)
		madvise((void *)r->page, KROUND_PAGE, MADV_DONTNEED);
}

int kround_verify(struct fb_ctx *ctx, const struct fb_tally *t, char *err, size_t errlen)
{
	const uint64_t *v = t->stats.v;
	uint64_t lost = v[FC_STAT_KERNEL_RACE_LOST], rounds = t->iterations;

	if (lost > rounds * (uint64_t)(ctx->nthreads - 1)) {
		snprintf(err, errlen, "kernel.race_lost %llu > rounds * (threads - 1)",
			 (unsigned long long)lost);
		return -1;
	}
	return fb_expect(v[FC_STAT_KERNEL_FAULTS], rounds + lost,
			 "kernel.faults == rounds + kernel.race_lost", err, errlen);
}
