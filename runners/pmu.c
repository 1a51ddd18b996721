// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware and software counters.  libpfm4 turns event names into
 * perf_event_attr; each worker opens them as one group on itself, so they
 * count the same instructions and are read in one go, with time_enabled and
 * time_running to tell multiplexing.  An event that does not open is kept,
 * marked not opened with the reason: a missing PMU must never read as zero.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <perfmon/pfmlib_perf_event.h>

#include "runner.h"

static int read_paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = 2;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 2;
		fclose(f);
	}
	return v;
}

static int open_one(struct perf_event_attr *attr, int group)
{
	return (int)perf_event_open(attr, 0, -1, group, 0);
}

static const char *errno_name(int err)
{
	switch (err) {
	case ENOENT:
		return "ENOENT";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case EINVAL:
		return "EINVAL";
	case ENODEV:
		return "ENODEV";
	case EBUSY:
		return "EBUSY";
	case EMFILE:
		return "EMFILE";
	default:
		return "errno";
	}
}

static void explain(struct fb_event *e, int err)
{
	const char *why = strerror(err);

	if (err == ENOENT || err == EOPNOTSUPP)
		why = "the kernel has no such counter here (no PMU, as in most VMs)";
	else if (err == EACCES || err == EPERM)
		why = "not permitted (see /proc/sys/kernel/perf_event_paranoid)";
	snprintf(e->reason, sizeof(e->reason), "%s: %s", errno_name(err), why);
}

/* Opens the event alone once, on this thread, to learn whether it opens. */
static void probe(struct fb_events *evs, struct fb_event *e)
{
	struct perf_event_attr *attr = e->attr;
	int fd;

	attr->exclude_kernel = evs->user_only;
	fd = open_one(attr, -1);
	if (fd < 0 && (errno == EACCES || errno == EPERM) && !attr->exclude_kernel) {
		attr->exclude_kernel = 1;
		fd = open_one(attr, -1);
		if (fd >= 0)
			e->user_only = true;
	}
	if (fd < 0) {
		explain(e, errno);
		return;
	}
	close(fd);
	e->opened = true;
	e->user_only = attr->exclude_kernel;
}

static int encode(struct fb_event *e, char *err, size_t errlen)
{
	struct perf_event_attr *attr = calloc(1, sizeof(*attr));
	pfm_perf_encode_arg_t arg;
	int ret;

	if (!attr) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(e->name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		free(attr);
		snprintf(err, errlen,
			 "unknown event '%s': %s (valid: libpfm4 names, e.g. task-clock, "
			 "page-faults, context-switches, cycles, instructions)",
			 e->name, pfm_strerror(ret));
		return -1;
	}
	attr->size = sizeof(*attr);
	attr->disabled = 1;
	attr->read_format =
		PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	e->attr = attr;
	e->type = attr->type;
	e->config = attr->config;
	/* the software clocks count nanoseconds, as perf stat shows them (msec) */
	e->unit = attr->type == PERF_TYPE_SOFTWARE && (attr->config == PERF_COUNT_SW_TASK_CLOCK ||
						       attr->config == PERF_COUNT_SW_CPU_CLOCK)
			  ? "ns"
			  : "count";
	return 0;
}

static int add_event(struct fb_events *evs, const char *name, size_t len, char *err, size_t errlen)
{
	struct fb_event *e;

	if (!len || len >= sizeof(e->name)) {
		snprintf(err, errlen, "malformed event list: empty name (valid: NAME[,NAME...])");
		return -1;
	}
	if (evs->n == FB_MAX_EVENTS) {
		snprintf(err, errlen, "too many events (at most %d)", FB_MAX_EVENTS);
		return -1;
	}
	e = &evs->ev[evs->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%.*s", (int)len, name);
	if (encode(e, err, errlen))
		return -1;
	evs->n++;
	/* perf stat counts a repeated event twice; a result has one field per name */
	for (int i = 0; i < evs->n - 1; i++)
		if (!strcmp(evs->ev[i].name, e->name) ||
		    (evs->ev[i].type == e->type && evs->ev[i].config == e->config)) {
			snprintf(err, errlen, "event '%s' given twice (as '%s'; valid: each once)",
				 e->name, evs->ev[i].name);
			return -1;
		}
	return 0;
}

int fb_events_prepare(struct fb_events *evs, const char *list, char *err, size_t errlen)
{
	const char *p = list;
	int ret = pfm_initialize();

	memset(evs, 0, sizeof(*evs));
	if (!list || !*list)
		return 0;
	if (ret != PFM_SUCCESS) {
		snprintf(err, errlen, "libpfm4 failed to initialise: %s", pfm_strerror(ret));
		return -1;
	}
	/* Paranoid 2 forbids kernel counting to the unprivileged: count user only, say so. */
	if (read_paranoid() >= 2 && geteuid() != 0) {
		evs->user_only = true;
		snprintf(evs->note, sizeof(evs->note),
			 "perf_event_paranoid >= 2 and not root: counting user space only");
	}
	while (*p) {
		size_t len = strcspn(p, ",");

		if (add_event(evs, p, len, err, errlen)) {
			fb_events_free(evs);
			return -1;
		}
		p += len;
		if (*p == ',' && !*++p) {
			snprintf(err, errlen,
				 "malformed event list: trailing comma (valid: NAME[,NAME...])");
			fb_events_free(evs);
			return -1;
		}
	}
	for (int i = 0; i < evs->n; i++)
		probe(evs, &evs->ev[i]);
	return 0;
}

void fb_events_free(struct fb_events *evs)
{
	for (int i = 0; i < evs->n; i++) {
		free(evs->ev[i].attr);
		evs->ev[i].attr = NULL;
	}
	evs->n = 0;
}

void fb_group_open(const struct fb_events *evs, struct fb_group *g)
{
	g->leader = -1;
	for (int i = 0; i < FB_MAX_EVENTS; i++)
		g->fd[i] = -1;
	for (int i = 0; evs && i < evs->n; i++) {
		if (!evs->ev[i].opened)
			continue;
		struct perf_event_attr attr = *(struct perf_event_attr *)evs->ev[i].attr;

		/*
		 * Only the leader starts disabled: enabling the leader with
		 * PERF_IOC_FLAG_GROUP does not wake members opened disabled.
		 */
		attr.disabled = g->leader < 0;
		g->fd[i] = open_one(&attr, g->leader);
		if (g->fd[i] >= 0 && g->leader < 0)
			g->leader = g->fd[i];
	}
}

void fb_group_start(struct fb_group *g)
{
	if (g->leader < 0)
		return;
	ioctl(g->leader, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
	ioctl(g->leader, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

/* Group read layout: nr, time_enabled, time_running, then one value per member. */
void fb_group_stop(const struct fb_events *evs, struct fb_group *g, struct fb_counts *out)
{
	uint64_t buf[3 + FB_MAX_EVENTS];
	int k = 0;

	memset(out, 0, sizeof(*out));
	if (!evs)
		return;
	for (int i = 0; i < evs->n; i++)
		if (evs->ev[i].opened && g->fd[i] < 0)
			out->missing |= 1u << i;
	if (g->leader < 0)
		return;
	ioctl(g->leader, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
	if (read(g->leader, buf, sizeof(buf)) < (ssize_t)(3 * sizeof(uint64_t)))
		return;
	out->enabled = buf[1];
	out->running = buf[2];
	for (int i = 0; i < evs->n && k < (int)buf[0]; i++)
		if (g->fd[i] >= 0)
			out->v[i] = buf[3 + k++];
}

void fb_group_close(struct fb_group *g)
{
	for (int i = 0; i < FB_MAX_EVENTS; i++) {
		if (g->fd[i] >= 0)
			close(g->fd[i]);
		g->fd[i] = -1;
	}
	g->leader = -1;
}
