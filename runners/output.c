// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where results go and how they look: the file (written under a temporary
 * name and linked into place, so a reader never sees half a file and an
 * existing result is never replaced), the CSV rows and the table.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gitinfo.h"
#include "runner.h"

static int mkdir_p(char *path)
{
	char *p = path;

	while ((p = strchr(p + 1, '/'))) {
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0777) && errno != EEXIST ? -1 : 0;
}

static void default_dir(char *dir, size_t len)
{
	struct stat st;
	char date[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y%m%d", &tm);
	/* In the source tree when there is one (results/runs is git-ignored). */
	if (!stat(FB_SOURCE_DIR "/results", &st) && S_ISDIR(st.st_mode))
		snprintf(dir, len, "%s/results/runs/%s-%.12s", FB_SOURCE_DIR, date, FB_GIT_COMMIT);
	else
		snprintf(dir, len, "results/runs/%s-%.12s", date, FB_GIT_COMMIT);
}

static int check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot write results: directory '%s' does not exist", dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK)) {
		snprintf(err, errlen, "cannot write results: directory '%s' is not writable", dir);
		return -1;
	}
	return 0;
}

int fb_out_path(const char *given, const char *scenario, char *path, size_t len, char *err,
		size_t errlen)
{
	char dir[1024], stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (given) {
		char copy[1024];

		snprintf(copy, sizeof(copy), "%s", given);
		if (!access(given, F_OK)) {
			snprintf(err, errlen,
				 "'%s' exists: results are never overwritten "
				 "(choose a new --out, or omit it for a fresh name)",
				 given);
			return -1;
		}
		if (check_dir(dirname(copy), err, errlen))
			return -1;
		snprintf(path, len, "%s", given);
		return 0;
	}
	default_dir(dir, sizeof(dir));
	if (mkdir_p(dir) || check_dir(dir, err, errlen)) {
		snprintf(err, errlen, "cannot write results: cannot create '%s': %s", dir,
			 strerror(errno));
		return -1;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%H%M%S", &tm);
	snprintf(path, len, "%s/%s-%s.json", dir, scenario, stamp);
	/* A name already taken gets a suffix. */
	for (int i = 1; !access(path, F_OK) && i < 1000; i++)
		snprintf(path, len, "%s/%s-%s-%d.json", dir, scenario, stamp, i);
	return 0;
}

static int link_into_place(const char *tmp, const char *path, char *err, size_t errlen)
{
	/* link(), unlike rename(), fails rather than replace an existing file. */
	if (link(tmp, path)) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	unlink(tmp);
	return 0;
}

static int write_with(const char *path, int (*emit)(const struct fb_doc *, FILE *),
		      const struct fb_doc *d, char *err, size_t errlen)
{
	char tmp[1100];
	int fd;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return -1;
	}
	if (emit(d, f) || fflush(f) || fsync(fd)) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	chmod(tmp, 0644); /* mkstemp made it private */
	return link_into_place(tmp, path, err, errlen);
}

static int emit_json(const struct fb_doc *d, FILE *f)
{
	if (json_dumpf(d->root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII))
		return -1;
	return fputc('\n', f) == EOF ? -1 : 0;
}

int fb_doc_write(const struct fb_doc *d, const char *path, char *err, size_t errlen)
{
	return write_with(path, emit_json, d, err, errlen);
}

int fb_doc_write_csv_file(const struct fb_doc *d, const char *path, char *err, size_t errlen)
{
	return write_with(path, fb_doc_write_csv, d, err, errlen);
}

void fb_doc_print_json(const struct fb_doc *d, FILE *f)
{
	emit_json(d, f);
}

void fb_doc_free(struct fb_doc *d)
{
	json_decref(d->root);
	json_decref(d->warnings);
	json_decref(d->benchmarks);
	d->root = d->warnings = d->benchmarks = NULL;
}

/* --- CSV: one row per benchmark entry, the columns every entry may have ---- */

static void csv_columns(const struct fb_doc *d, json_t *cols)
{
	size_t i;
	json_t *b;

	json_array_foreach(d->benchmarks, i, b)
	{
		const char *key;
		json_t *v;

		json_object_foreach(b, key, v)
		{
			bool seen = false;
			size_t k;
			json_t *c;

			if (json_is_object(v) || json_is_array(v))
				continue;
			json_array_foreach(cols, k, c) seen =
				seen || !strcmp(json_string_value(c), key);
			if (!seen)
				json_array_append_new(cols, json_string(key));
		}
	}
}

static void csv_cell(FILE *f, json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		fputc('"', f);
		for (; *s; s++)
			fprintf(f, *s == '"' ? "\"\"" : "%c", *s);
		fputc('"', f);
	} else if (json_is_integer(v)) {
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		fprintf(f, "%.17g", json_real_value(v));
	} else if (json_is_boolean(v)) {
		fprintf(f, "%s", json_is_true(v) ? "true" : "false");
	}
}

int fb_doc_write_csv(const struct fb_doc *d, FILE *f)
{
	json_t *cols = json_array(), *c, *b;
	size_t i, k;

	csv_columns(d, cols);
	json_array_foreach(cols, k, c) fprintf(f, "%s%s", k ? "," : "", json_string_value(c));
	fputc('\n', f);
	json_array_foreach(d->benchmarks, i, b)
	{
		json_array_foreach(cols, k, c)
		{
			if (k)
				fputc(',', f);
			csv_cell(f, json_object_get(b, json_string_value(c)));
		}
		fputc('\n', f);
	}
	json_decref(cols);
	return ferror(f) ? -1 : 0;
}

/* --- the table -------------------------------------------------------------- */

static double num(json_t *b, const char *key)
{
	json_t *v = json_object_get(b, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void print_row(FILE *f, json_t *med, json_t *cv, json_t *min, json_t *max)
{
	json_t *fb = json_object_get(med, "faultbench");
	double ratio = num(fb, "ratio_to_floor");
	json_t *lat = json_object_get(fb, "latency");

	fprintf(f, "%-44s %10.2f %6.2f%% %10.2f %10.2f %12.4g",
		json_string_value(json_object_get(med, "run_name")), num(med, "real_time"),
		num(cv, "real_time") * 100, num(min, "real_time"), num(max, "real_time"),
		num(med, "items_per_second"));
	if (isfinite(ratio))
		fprintf(f, "  floor %.2f ns, %.2fx",
			num(fb, "floor_real_time") > 0 ? num(fb, "floor_real_time") : NAN, ratio);
	fputc('\n', f);
	if (lat)
		fprintf(f,
			"  latency ns: p50 %.0f p90 %.0f p99 %.0f p99.9 %.0f max %.0f "
			"(timing costs %.1f ns of each)\n",
			num(lat, "p50"), num(lat, "p90"), num(lat, "p99"), num(lat, "p999"),
			num(lat, "max"), num(lat, "timing_overhead_ns"));
}

static json_t *find_agg(const struct fb_doc *d, const char *rname, const char *agg)
{
	size_t i;
	json_t *b;

	json_array_foreach(d->benchmarks, i, b)
	{
		json_t *an = json_object_get(b, "aggregate_name");

		if (an && !strcmp(json_string_value(an), agg) &&
		    !strcmp(json_string_value(json_object_get(b, "run_name")), rname))
			return b;
	}
	return NULL;
}

static void print_counters(FILE *f, json_t *it)
{
	static const char *const keys[] = {
		"handler_calls.nopfn", "handler_calls.anon", "set_pte",	      "set_pte_replace",
		"recheck_lost",	       "precheck_lost",	     "ptl_contended", "bug"
	};
	bool any = false;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char k[96];
		double v;

		snprintf(k, sizeof(k), "%s_per_iteration", keys[i]);
		v = num(it, k);
		if (isfinite(v) && v != 0) {
			fprintf(f, "%s %s/iter %.3f", any ? "," : "  counters:", keys[i], v);
			any = true;
		}
	}
	if (any)
		fputc('\n', f);
}

void fb_doc_print_table(const struct fb_doc *d, FILE *f)
{
	json_t *ctx = json_object_get(d->root, "context");
	json_t *fb = json_object_get(ctx, "faultbench");
	const char *last = "";
	size_t i;
	json_t *b, *w;

	fprintf(f, "%-44s %10s %7s %10s %10s %12s\n", "run (ns per iteration)", "median", "cv",
		"min", "max", "iter/s");
	json_array_foreach(d->benchmarks, i, b)
	{
		const char *rn = json_string_value(json_object_get(b, "run_name"));

		if (!strcmp(rn, last))
			continue;
		last = rn;
		if (!find_agg(d, rn, "median"))
			continue;
		print_row(f, find_agg(d, rn, "median"), find_agg(d, rn, "cv"),
			  find_agg(d, rn, "min"), find_agg(d, rn, "max"));
		print_counters(f, b);
	}
	fprintf(f, "harness overhead: %.3f ns/op (empty scenario; target <= 1 ns/op)\n",
		num(fb, "harness_overhead_ns_per_op"));
	json_array_foreach(d->warnings, i, w) fprintf(f, "warning: %s\n", json_string_value(w));
}
