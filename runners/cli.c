// SPDX-License-Identifier: GPL-2.0-only
/* Option values shared by run and suite: thread lists, pinning, errors. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static void say(const char *fmt, va_list ap)
{
	fputs("faultbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int fb_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return FB_EXIT_USAGE;
}

int fb_failure(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return FB_EXIT_FAIL;
}

/* A count: digits, or "cores" or "pus" for this machine's. */
static int parse_count(const char **p, hwloc_topology_t topo, long *out)
{
	static const char *const words[] = { "cores", "pus" };
	char *end;

	for (int i = 0; i < 2; i++) {
		size_t n = strlen(words[i]);

		if (!strncmp(*p, words[i], n) &&
		    ((*p)[n] == '\0' || (*p)[n] == ',' || (*p)[n] == '-')) {
			*out = i ? fb_nr_pus(topo) : fb_nr_cores(topo);
			*p += n;
			return 0;
		}
	}
	if (!isdigit((unsigned char)**p))
		return -1;
	*out = strtol(*p, &end, 10);
	*p = end;
	return 0;
}

static int threads_error(const char *s, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "malformed thread list '%s' (valid: N, N,M,..., N-M, where N and M are "
		 "counts from 1 to %d, cores or pus)",
		 s, FB_MAX_THREADS);
	return -1;
}

/*
 * Whether count t is in list[0..n): "1,2,cores" on a two-core machine runs
 * 1 and 2, each once, so that a suite written for any machine wastes no run.
 */
static bool fb_threads_listed(const int *list, int n, int t)
{
	for (int i = 0; i < n; i++)
		if (list[i] == t)
			return true;
	return false;
}

/* "1,2,4", "1-8", "cores", "1-cores", "pus" into list[]; returns the count. */
int fb_parse_threads(const char *s, hwloc_topology_t topo, int *list, int max, char *err,
		     size_t errlen)
{
	const char *p = s;
	int n = 0;

	while (*p) {
		long a, b;

		if (parse_count(&p, topo, &a))
			return threads_error(s, err, errlen);
		b = a;
		if (*p == '-') {
			p++;
			if (parse_count(&p, topo, &b))
				return threads_error(s, err, errlen);
		}
		if (a < 1 || b < a || b > FB_MAX_THREADS || (*p && *p != ','))
			return threads_error(s, err, errlen);
		for (long t = a; t <= b; t++) {
			if (n == max)
				return threads_error(s, err, errlen);
			if (!fb_threads_listed(list, n, (int)t))
				list[n++] = (int)t;
		}
		if (*p == ',' && !*++p)
			return threads_error(s, err, errlen);
	}
	return n ? n : threads_error(s, err, errlen);
}

int fb_parse_pin(const char *s, enum fb_pin *pin, char *err, size_t errlen)
{
	if (!strcmp(s, "pus"))
		*pin = FB_PIN_PUS;
	else if (!strcmp(s, "cores"))
		*pin = FB_PIN_CORES;
	else if (!strcmp(s, "none"))
		*pin = FB_PIN_NONE;
	else {
		snprintf(err, errlen, "invalid --pin '%s' (valid: cores|pus|none)", s);
		return -1;
	}
	return 0;
}

const char *fb_pin_name(enum fb_pin pin)
{
	static const char *const names[] = { "pus", "cores", "none" };

	return names[pin];
}
