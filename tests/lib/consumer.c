// SPDX-License-Identifier: GPL-2.0-only
/*
 * A program built against the installed libfaultcore: one write fault on an
 * anonymous mapping, checked with the counters and mm_verify().
 *
 * It also defines, with meanings of its own, names that libfaultcore uses
 * inside.  The link must not clash, and the library must keep calling its
 * own: the fault clears its new page with libfaultcore's clear_page, never
 * with this one.  The file is C and C++ alike.
 */
#include <stdio.h>
#include <string.h>

#include <faultcore/faultcore.h>

#define BASE 0x10000000UL

static int own_calls;

#ifdef __cplusplus
extern "C" {
#endif
void clear_page(void *p);
void copy_page(void *to, const void *from);
int do_wp_page(void);
int vm_get_page_prot(void);
#ifdef __cplusplus
}
#endif
int fc_vmacache; /* the library's is a thread-local variable */

void clear_page(void *p)
{
	own_calls++;
	memset(p, 0, 64);
}

void copy_page(void *to, const void *from)
{
	own_calls++;
	memcpy(to, from, 64);
}

int do_wp_page(void)
{
	return ++own_calls;
}

int vm_get_page_prot(void)
{
	return ++own_calls;
}

static int fail(const char *what)
{
	fprintf(stderr, "consumer: %s\n", what);
	return 1;
}

static int one_fault(struct mm_struct *mm)
{
	struct fc_stats st;
	char err[256];
	vm_fault_t ret;

	if (!fc_mmap(mm, BASE, 4 * PAGE_SIZE, VM_WRITE, NULL, NULL, 0))
		return fail("fc_mmap failed");
	fc_stats_reset();
	ret = handle_mm_fault(mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE);
	fc_stats_read(&st);
	if (ret & VM_FAULT_ERROR)
		return fail("the write fault failed");
	if (st.v[FC_STAT_FAULTS_MINOR] != 1 || st.v[FC_STAT_HANDLER_ANON] != 1)
		return fail("the fault was not counted as one anonymous minor fault");
	if (strcmp(fc_stat_names[FC_STAT_FAULTS_MINOR], "faults.minor") != 0)
		return fail("fc_stat_names is not the library's");
	if (!pte_present(pte_read(fc_pte_lookup(mm, BASE + PAGE_SIZE))))
		return fail("the fault left no PTE");
	if (mm_verify(mm, err, sizeof(err)) != 0)
		return fail(err);
	if (own_calls != 0)
		return fail("libfaultcore called the program's clear_page");
	return 0;
}

/* One call into each other header: from C++, they link only with C linkage. */
static int other_headers(void)
{
	if (ptl_kind_parse("queued") != PTL_QUEUED)
		return fail("ptl_kind_parse is not the library's");
	fc_delay_ns(1);
	return 0;
}

int main(void)
{
	struct fc_phys_config pc;
	struct fc_mm_config cfg;
	struct fc_phys *phys;
	struct mm_struct *mm;
	char buf[64];
	int rc;

	memset(&pc, 0, sizeof(pc));
	pc.nr_ram = 64;
	phys = fc_phys_create(&pc);
	if (!phys)
		return fail("fc_phys_create failed");
	fc_mm_config_default(&cfg);
	mm = fc_mm_create(phys, &cfg);
	if (!mm)
		return fail("fc_mm_create failed");
	rc = one_fault(mm) || other_headers();
	fc_mm_destroy(mm);
	fc_phys_destroy(phys);
	if (rc)
		return rc;

	clear_page(buf);
	copy_page(buf, buf);
	if (own_calls != 2 || do_wp_page() != 3 || vm_get_page_prot() != 4 || fc_vmacache != 0)
		return fail("the program's own clear_page and friends were not its own");
	printf("consumer: one fault, own names kept\n");
	return 0;
}
