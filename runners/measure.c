// SPDX-License-Identifier: GPL-2.0-only
/*
 * --measure instructions: the instructions a scenario's step executes, per
 * iteration, exactly.  Where the PMU event instructions:u opens, each worker
 * counts its measured loop with it.  Where it does not (a VM), the
 * configuration runs again in a child under callgrind (measure_exec.c), and
 * in that child this file marks the region: instrumentation is switched on
 * only for a measured phase (CALLGRIND_START/STOP_INSTRUMENTATION), callgrind
 * collects only inside fb_measured_step() (--toggle-collect), so barriers,
 * re-arming and the harness's loop are never counted, and each phase ends
 * with a dump (CALLGRIND_DUMP_STATS_AT) that the controller reads back.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <valgrind/callgrind.h>

#include "measure.h"

/*
 * The region: every measured step runs inside this function.  It must not
 * be inlined, cloned or left by a tail call, or callgrind's collection
 * would not switch exactly at the step's call and return.
 */
__attribute__((noinline, noclone, used)) unsigned long
fb_measured_step(unsigned long (*step)(struct fb_thread *, unsigned long), struct fb_thread *t,
		 unsigned long n)
{
	unsigned long done = step(t, n);

	__asm__ __volatile__("" : "+r"(done));
	return done;
}

int fb_measure_parse(const char *arg, enum fb_measure_method *m, char *err, size_t errlen)
{
	if (!strcmp(arg, "instructions"))
		*m = FB_MEASURE_AUTO;
	else if (!strcmp(arg, "instructions:pmu"))
		*m = FB_MEASURE_PMU;
	else if (!strcmp(arg, "instructions:callgrind"))
		*m = FB_MEASURE_CALLGRIND;
	else {
		snprintf(err, errlen,
			 "invalid --measure '%s' (valid: instructions, instructions:pmu, "
			 "instructions:callgrind)",
			 arg);
		return -1;
	}
	return 0;
}

const char *fb_measure_method_name(enum fb_measure_method m)
{
	return m == FB_MEASURE_PMU ? "pmu" : m == FB_MEASURE_CALLGRIND ? "callgrind" : "auto";
}

/* valgrind's path from PATH into buf; -1 when there is none. */
static int find_valgrind(char *buf, size_t len)
{
	const char *path = getenv("PATH");

	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, len, "%.*s/valgrind", (int)n, p);
		if (n && !access(buf, X_OK))
			return 0;
		p += n + (p[n] == ':');
	}
	return -1;
}

static bool in_callgrind_child(void)
{
	return getenv(FB_CALLGRIND_ENV) != NULL;
}

static int setup_child(struct fb_measure *m, char *err, size_t errlen)
{
	if (RUNNING_ON_VALGRIND) {
		m->method = FB_MEASURE_CALLGRIND;
		m->in_callgrind = true;
		snprintf(m->dump_base, sizeof(m->dump_base), "%s", getenv(FB_CALLGRIND_ENV));
		return 0;
	}
	snprintf(err, errlen, "%s is set, but this is not running under callgrind",
		 FB_CALLGRIND_ENV);
	return -1;
}

/* Opens instructions:u on this thread to learn whether the PMU can count. */
static bool pmu_opens(struct fb_measure *m)
{
	char err[FB_MEASURE_ERRLEN];

	if (fb_events_prepare(&m->pmu, "instructions:u", err, sizeof(err))) {
		snprintf(m->pmu_reason, sizeof(m->pmu_reason), "%s", err);
		return false;
	}
	if (m->pmu.ev[0].opened)
		return true;
	snprintf(m->pmu_reason, sizeof(m->pmu_reason), "instructions:u: %s", m->pmu.ev[0].reason);
	fb_events_free(&m->pmu);
	return false;
}

static int setup_callgrind(struct fb_measure *m, int max_threads, char *err, size_t errlen)
{
	const char *why = m->pmu_reason[0] ? m->pmu_reason : "asked for";

	m->method = FB_MEASURE_CALLGRIND;
	if (FB_SANITIZE[0]) {
		snprintf(err, errlen,
			 "--measure instructions: callgrind cannot run a sanitizer build (%s); "
			 "use the release build",
			 FB_SANITIZE);
		return -1;
	}
	if (max_threads > 1) {
		snprintf(err, errlen,
			 "--measure instructions counts with callgrind here (%s), which runs "
			 "threads one at a time: use --threads 1",
			 why);
		return -1;
	}
	if (find_valgrind(m->valgrind, sizeof(m->valgrind))) {
		snprintf(err, errlen,
			 "--measure instructions needs valgrind here (%s), and it is not in "
			 "PATH: install the Debian package valgrind (scripts/deps.sh)",
			 why);
		return -1;
	}
	return 0;
}

int fb_measure_setup(struct fb_measure *m, enum fb_measure_method asked, bool breakdown,
		     int max_threads, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	m->on = true;
	m->breakdown = breakdown;
	if (in_callgrind_child())
		return setup_child(m, err, errlen);
	if (breakdown && asked == FB_MEASURE_PMU) {
		snprintf(err, errlen,
			 "--breakdown needs callgrind (valid: --measure instructions or "
			 "instructions:callgrind)");
		return -1;
	}
	/* A breakdown needs callgrind's per-instruction costs; the PMU has none. */
	if (asked != FB_MEASURE_CALLGRIND && !breakdown && pmu_opens(m)) {
		m->method = FB_MEASURE_PMU;
		return 0;
	}
	if (asked == FB_MEASURE_PMU) {
		snprintf(err, errlen,
			 "--measure instructions:pmu: the PMU cannot count here (%s) (valid: "
			 "--measure instructions or instructions:callgrind)",
			 m->pmu_reason);
		return -1;
	}
	return setup_callgrind(m, max_threads, err, errlen);
}

void fb_measure_free(struct fb_measure *m)
{
	fb_events_free(&m->pmu);
}

bool fb_measure_elsewhere(const struct fb_measure *m)
{
	return m && m->on && m->method == FB_MEASURE_CALLGRIND && !m->in_callgrind;
}

void fb_measure_open(const struct fb_measure *m, struct fb_group *g)
{
	fb_group_open(m && m->method == FB_MEASURE_PMU ? &m->pmu : NULL, g);
}

void fb_measure_begin(const struct fb_measure *m, struct fb_group *g)
{
	if (m->method == FB_MEASURE_PMU) {
		fb_group_start(g);
		return;
	}
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
}

void fb_measure_end(const struct fb_measure *m, struct fb_group *g, uint64_t *count)
{
	struct fb_counts c;

	if (m->method == FB_MEASURE_PMU) {
		fb_group_stop(&m->pmu, g, &c);
		*count = c.v[0];
		return;
	}
	CALLGRIND_DUMP_STATS_AT(FB_DUMP_LABEL);
	CALLGRIND_STOP_INSTRUMENTATION;
}

void fb_self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
}

/* Dumps are numbered per process, in the order they were asked for. */
static int dumps_read;

int fb_measure_read(const struct fb_measure *m, uint64_t iterations, uint64_t *count,
		    struct fr_breakdown **bd, char *err, size_t errlen)
{
	char path[PATH_MAX + 16], exe[PATH_MAX];
	struct cg_dump d;
	int region, ret = 0;

	if (bd)
		*bd = NULL;
	if (m->method != FB_MEASURE_CALLGRIND)
		return 0;
	snprintf(path, sizeof(path), "%s.%d", m->dump_base, ++dumps_read);
	if (cg_dump_read(path, &d, err, errlen))
		return -1;
	unlink(path);
	if (!strstr(d.trigger, FB_DUMP_LABEL)) {
		snprintf(err, errlen, "%s: not faultbench's dump (%s)", path, d.trigger);
		cg_dump_free(&d);
		return -1;
	}
	region = cg_fn_find(&d, FB_REGION_FN);
	*count = d.totals - (region >= 0 ? cg_fn_self(&d, region) : 0);
	if (m->breakdown && bd) {
		fb_self_exe(exe, sizeof(exe));
		*bd = fb_breakdown(&d, region, exe, iterations, err, errlen);
		ret = *bd ? 0 : -1;
	}
	cg_dump_free(&d);
	return ret;
}
