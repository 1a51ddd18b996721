// SPDX-License-Identifier: GPL-2.0-only
/*
 * Thread placement.  A performance engineer adds threads so that each new
 * one gets the most private hardware left: a core of its own before an SMT
 * sibling, and a package of its own before a second core in a package.  One
 * order serves every thread count: N threads use its first N slots, so going
 * from N to N+1 threads only ever adds a CPU.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

/*
 * The CPUs this process may run on (taskset, a cpuset), when the topology
 * is this machine's: the slots are then those CPUs only, so that worker 0
 * of `taskset -c 1 faultbench ...` runs on CPU 1.  A synthetic topology
 * (HWLOC_XMLFILE, HWLOC_SYNTHETIC) is kept whole.
 */
static int restrict_to_binding(hwloc_topology_t topo)
{
	const char *backend = hwloc_obj_get_info_by_name(hwloc_get_root_obj(topo), "Backend");
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int ret = 0;

	if (!set)
		return -1;
	/* HWLOC_THISSYSTEM=1 makes a synthetic topology "this system" for binding tests */
	if (hwloc_topology_is_thissystem(topo) && !(backend && !strcmp(backend, "Synthetic")) &&
	    !hwloc_get_cpubind(topo, set, HWLOC_CPUBIND_PROCESS) && !hwloc_bitmap_iszero(set) &&
	    !hwloc_bitmap_isincluded(hwloc_topology_get_topology_cpuset(topo), set))
		ret = hwloc_topology_restrict(topo, set, 0);
	hwloc_bitmap_free(set);
	return ret;
}

int fb_topo_load(hwloc_topology_t *topo)
{
	if (hwloc_topology_init(topo))
		return -1;
	if (hwloc_topology_load(*topo) || restrict_to_binding(*topo)) {
		hwloc_topology_destroy(*topo);
		return -1;
	}
	return 0;
}

int fb_nr_pus(hwloc_topology_t topo)
{
	return hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
}

int fb_nr_cores(hwloc_topology_t topo)
{
	int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);

	/* Some VMs expose PUs without cores: each PU is then its own core. */
	return n > 0 ? n : fb_nr_pus(topo);
}

/* The i-th core (or PU, when there are no cores) of package p, or NULL. */
static hwloc_obj_t core_of_package(hwloc_topology_t topo, hwloc_obj_t pkg, int i)
{
	hwloc_obj_type_t type =
		hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;

	return hwloc_get_obj_inside_cpuset_by_type(topo, pkg->cpuset, type, (unsigned)i);
}

/*
 * Cores round-robin over packages: core 0 of every package, then core 1 of
 * every package, ...  Packages with fewer cores drop out when they run out.
 */
int fb_core_order(hwloc_topology_t topo, hwloc_obj_t *cores, int max)
{
	int npkg = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	hwloc_obj_t root = hwloc_get_root_obj(topo);
	int n = 0;

	if (npkg <= 0)
		npkg = 1;
	for (int i = 0; n < max; i++) {
		int found = 0;

		for (int p = 0; p < npkg && n < max; p++) {
			hwloc_obj_t pkg =
				hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, (unsigned)p);
			hwloc_obj_t core = core_of_package(topo, pkg ? pkg : root, i);

			if (core) {
				cores[n++] = core;
				found++;
			}
		}
		if (!found)
			break;
	}
	return n;
}

/* Then the k-th PU of each core, for k = 0, 1, ...: SMT siblings come last. */
int fb_pu_order(hwloc_topology_t topo, unsigned *os, int max)
{
	hwloc_obj_t cores[FB_MAX_THREADS];
	int ncores = fb_core_order(topo, cores, FB_MAX_THREADS);
	int n = 0;

	for (int k = 0; n < max; k++) {
		int found = 0;

		for (int c = 0; c < ncores && n < max; c++) {
			hwloc_obj_t pu = hwloc_get_obj_inside_cpuset_by_type(
				topo, cores[c]->cpuset, HWLOC_OBJ_PU, (unsigned)k);
			if (pu) {
				os[n++] = pu->os_index;
				found++;
			}
		}
		if (!found)
			break;
	}
	return n;
}

static hwloc_bitmap_t slot_cpuset(hwloc_topology_t topo, enum fb_pin pin, int i)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();

	if (pin == FB_PIN_CORES) {
		hwloc_obj_t cores[FB_MAX_THREADS];
		int n = fb_core_order(topo, cores, FB_MAX_THREADS);

		if (n > 0)
			hwloc_bitmap_copy(set, cores[i % n]->cpuset);
	} else {
		unsigned os[FB_MAX_THREADS];
		int n = fb_pu_order(topo, os, FB_MAX_THREADS);

		if (n > 0)
			hwloc_bitmap_only(set, os[i % n]);
	}
	return set;
}

int fb_bind_thread(hwloc_topology_t topo, enum fb_pin pin, int i)
{
	hwloc_bitmap_t set;
	int ret;

	if (pin == FB_PIN_NONE)
		return 0;
	set = slot_cpuset(topo, pin, i);
	ret = hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_THREAD);
	hwloc_bitmap_free(set);
	return ret;
}

void fb_slot_cpus(hwloc_topology_t topo, enum fb_pin pin, int i, char *buf, size_t len)
{
	hwloc_bitmap_t set;

	if (pin == FB_PIN_NONE) {
		snprintf(buf, len, "any");
		return;
	}
	set = slot_cpuset(topo, pin, i);
	hwloc_bitmap_list_snprintf(buf, len, set);
	hwloc_bitmap_free(set);
}

void fb_topo_summary(hwloc_topology_t topo, char *buf, size_t len)
{
	int npkg = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	int nnuma = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);

	snprintf(buf, len, "%d packages, %d NUMA nodes, %d cores, %d PUs", npkg, nnuma,
		 fb_nr_cores(topo), fb_nr_pus(topo));
}
