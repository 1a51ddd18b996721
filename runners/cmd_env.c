// SPDX-License-Identifier: GPL-2.0-only
/* faultbench env: what a careful user checks before trusting a number. */
#include <string.h>

#include "runner.h"

#define ENV_EVENTS                                                               \
	"cycles,instructions,cache-misses,branch-misses,task-clock,page-faults," \
	"context-switches,cpu-migrations"

static void placement(hwloc_topology_t topo)
{
	char summary[256];
	int npus = fb_nr_pus(topo), shown = npus < 4 ? 4 : npus;

	fb_topo_summary(topo, summary, sizeof(summary));
	printf("topology: %s\n", summary);
	printf("thread placement (--pin pus; N threads use the first N):\n");
	for (int n = 1; n <= shown && n <= 64; n++) {
		printf("  %2d thread%s:", n, n > 1 ? "s" : " ");
		for (int i = 0; i < n; i++) {
			char cpus[64];

			fb_slot_cpus(topo, FB_PIN_PUS, i, cpus, sizeof(cpus));
			printf(" %s", cpus);
		}
		printf("%s\n", n > npus ? "  (oversubscribed)" : "");
	}
}

static void pmu(json_t *warnings)
{
	struct fb_events evs;
	char err[FB_ERRLEN];
	bool any_hw = false;

	if (fb_events_prepare(&evs, ENV_EVENTS, err, sizeof(err))) {
		printf("PMU: %s\n", err);
		return;
	}
	printf("events:\n");
	for (int i = 0; i < evs.n; i++) {
		const struct fb_event *e = &evs.ev[i];

		printf("  %-18s %s%s%s\n", e->name, e->opened ? "opens" : "not opened: ",
		       e->opened ? (e->user_only ? " (user space only)" : "") : e->reason, "");
		any_hw |= e->opened && e->type == 0; /* PERF_TYPE_HARDWARE */
	}
	if (evs.note[0])
		printf("  note: %s\n", evs.note);
	if (!any_hw)
		json_array_append_new(warnings,
				      json_string("no PMU: hardware events do not open; only "
						  "software events (task-clock, page-faults, ...) "
						  "count"));
	fb_events_free(&evs);
}

/* What handler_ns=auto and tlb=ipi:auto would be here (calibrate.c measures them). */
static void kernel_costs(void)
{
	uint32_t k = fc_kernel_fault_ns(), m = fc_model_fault_ns();

	printf("this kernel: an anonymous write fault %u ns, the model's %u ns (%.0fx; "
	       "handler_ns=auto is %u); a TLB shootdown %u ns (tlb=ipi:auto)\n",
	       k, m, m ? (double)k / m : 0.0, k > m ? k - m : 0, fc_tlb_ipi_ns());
}

static const struct fb_option env_options[] = {
	{ "help", 'h', NULL, "print this help" },
	{ NULL, 0, NULL, NULL },
};

int fb_cmd_env(int argc, char **argv)
{
	struct fb_getopt opt = { 0 };
	struct fb_sysinfo si;
	hwloc_topology_t topo;
	json_t *warnings, *w;
	char err[FB_ERRLEN];
	size_t i;
	int c;

	while ((c = fb_getopt(argc, argv, env_options, &opt)) != -1) {
		if (c != 'h') {
			fb_option_error(env_options, "env", NULL, c, argv, err, sizeof(err));
			return fb_usage_error("%s", err);
		}
		puts("usage: faultbench env [options]\n\n"
		     "Shows the topology and thread placement, the PMU and which events open,\n"
		     "the kernel, CPU, SMT, governor, boost, ASLR, perf_event_paranoid, load\n"
		     "and virtualisation, with a warning for each thing that hurts stability;\n"
		     "and this kernel's costs that handler_ns=auto and tlb=ipi:auto stand for.\n");
		fb_options_help(stdout, env_options);
		return FB_EXIT_OK;
	}
	if (fb_topo_load(&topo))
		return fb_usage_error("cannot read the topology (hwloc)");
	fb_sysinfo_read(&si);
	warnings = json_array();
	printf("host: %s\nkernel: %s\ncpu: %s (%d CPUs online, %.0f MHz)\n", si.host, si.kernel,
	       si.cpu_model, si.num_cpus, si.mhz);
	printf("smt: %s\ngovernor: %s\nboost: %s\naslr (randomize_va_space): %s\n"
	       "perf_event_paranoid: %s\nload average: %s\nvirtual machine: %s\n",
	       si.smt, si.governor, si.boost, si.aslr, si.paranoid, si.loadavg, si.virt);
	printf("clock: latency ticks from %s (%.4f ns/tick), clock_gettime costs %.1f ns\n",
	       fb_tick_source(), fb_ns_per_tick(), fb_clock_cost_ns());
	placement(topo);
	pmu(warnings);
	kernel_costs();
	fb_sysinfo_warnings(&si, warnings);
	json_array_foreach(warnings, i, w) printf("warning: %s\n", json_string_value(w));
	json_decref(warnings);
	hwloc_topology_destroy(topo);
	return FB_EXIT_OK;
}
