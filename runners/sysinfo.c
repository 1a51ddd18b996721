// SPDX-License-Identifier: GPL-2.0-only
/* What the machine is and how it is set: provenance, and what `env` checks. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runner.h"

/* First line of a file, without its newline; def when it cannot be read. */
static void read_line(const char *path, char *buf, size_t len, const char *def)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, len, "%s", def);
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	else
		snprintf(buf, len, "%s", def);
	fclose(f);
}

static void cpuinfo(struct fb_sysinfo *si, bool *hypervisor)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];

	*hypervisor = false;
	snprintf(si->cpu_model, sizeof(si->cpu_model), "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "model name", 10))
			snprintf(si->cpu_model, sizeof(si->cpu_model), "%s", colon + 2);
		else if (!strncmp(line, "cpu MHz", 7) && si->mhz == 0)
			sscanf(colon + 1, "%lf", &si->mhz);
		else if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor"))
			*hypervisor = true;
	}
	fclose(f);
}

static void boost(struct fb_sysinfo *si)
{
	char v[16];

	read_line("/sys/devices/system/cpu/cpufreq/boost", v, sizeof(v), "");
	if (v[0]) {
		snprintf(si->boost, sizeof(si->boost), "%s", v[0] == '1' ? "on" : "off");
		return;
	}
	read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v, sizeof(v), "");
	if (v[0])
		snprintf(si->boost, sizeof(si->boost), "%s", v[0] == '0' ? "on" : "off");
	else
		snprintf(si->boost, sizeof(si->boost), "unknown");
}

void fb_sysinfo_read(struct fb_sysinfo *si)
{
	struct utsname u;
	bool hyper;
	char vendor[64];

	memset(si, 0, sizeof(*si));
	gethostname(si->host, sizeof(si->host) - 1);
	if (!uname(&u))
		snprintf(si->kernel, sizeof(si->kernel), "%s %s %s", u.sysname, u.release,
			 u.machine);
	cpuinfo(si, &hyper);
	si->num_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", si->governor,
		  sizeof(si->governor), "none");
	boost(si);
	read_line("/sys/devices/system/cpu/smt/active", si->smt, sizeof(si->smt), "unknown");
	if (!strcmp(si->smt, "1"))
		snprintf(si->smt, sizeof(si->smt), "on");
	else if (!strcmp(si->smt, "0"))
		snprintf(si->smt, sizeof(si->smt), "off");
	read_line("/proc/sys/kernel/randomize_va_space", si->aslr, sizeof(si->aslr), "unknown");
	read_line("/proc/sys/kernel/perf_event_paranoid", si->paranoid, sizeof(si->paranoid),
		  "unknown");
	read_line("/proc/loadavg", si->loadavg, sizeof(si->loadavg), "unknown");
	/* Keep the three averages, drop the run queue and last pid. */
	for (int i = 0, spaces = 0; si->loadavg[i]; i++)
		if (si->loadavg[i] == ' ' && ++spaces == 3)
			si->loadavg[i] = '\0';
	read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor), "");
	if (hyper)
		snprintf(si->virt, sizeof(si->virt), "yes%s%s", vendor[0] ? ", " : "", vendor);
	else
		snprintf(si->virt, sizeof(si->virt), "no");
}

static void warn(json_t *w, const char *msg)
{
	json_array_append_new(w, json_string(msg));
}

int fb_sysinfo_warnings(const struct fb_sysinfo *si, json_t *w)
{
	size_t before = json_array_size(w);
	double load1 = 0;

	if (strcmp(si->aslr, "0") && strcmp(si->aslr, "unknown"))
		warn(w, "ASLR is on: addresses, and so cache and TLB behaviour, change run to run "
			"(echo 0 > /proc/sys/kernel/randomize_va_space, or setarch -R)");
	if (!strcmp(si->boost, "on"))
		warn(w, "turbo boost is on: the clock changes with temperature and load");
	if (si->governor[0] && strcmp(si->governor, "performance") && strcmp(si->governor, "none"))
		warn(w, "the CPU frequency governor is not 'performance'");
	if (!strncmp(si->virt, "yes", 3))
		warn(w, "this is a virtual machine: steal time and no PMU make numbers noisier");
	sscanf(si->loadavg, "%lf", &load1);
	if (load1 > 0.5)
		warn(w, "the machine is not idle (load average above 0.5)");
	return (int)(json_array_size(w) - before);
}
