// SPDX-License-Identifier: GPL-2.0-only
/*
 * Result files: written under a temporary name and linked into place, so a
 * reader never sees half a file and an existing result is never replaced.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static int link_into_place(const char *tmp, const char *path, char *err, size_t errlen)
{
	/* link(), unlike rename(), fails rather than replace an existing file. */
	if (link(tmp, path)) {
		int e = errno; /* EEXIST tells the caller to take another name */

		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
		unlink(tmp);
		errno = e;
		return -1;
	}
	unlink(tmp);
	return 0;
}

static int write_with(const char *path, int (*emit)(const struct fr_doc *, FILE *),
		      const struct fr_doc *d, char *err, size_t errlen)
{
	char tmp[PATH_MAX + 16];
	int fd;
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "cannot write '%.40s...': the name is too long", path);
		errno = ENAMETOOLONG;
		return -1;
	}
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

int fr_doc_print_json(const struct fr_doc *d, FILE *f)
{
	json_t *root = fr_doc_json(d);
	int ret;

	if (!root)
		return -1;
	ret = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(root);
	return ret || fputc('\n', f) == EOF ? -1 : 0;
}

int fr_doc_write(const struct fr_doc *d, const char *path, char *err, size_t errlen)
{
	return write_with(path, fr_doc_print_json, d, err, errlen);
}

int fr_doc_write_csv(const struct fr_doc *d, const char *path, char *err, size_t errlen)
{
	return write_with(path, fr_doc_print_csv, d, err, errlen);
}
