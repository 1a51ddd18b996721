// SPDX-License-Identifier: GPL-2.0-only
/*
 * A command's options as one table: getopt_long's array, the --help list
 * and the "valid:" list of an unknown option are all made from it, so that
 * no option can be parsed and left undescribed, or described and refused.
 */
#include <string.h>

#include "runner.h"

#define HELP_WIDTH 79  /* --help fits 80 columns */
#define HELP_COLUMN 24 /* where descriptions start; a longer option gets a line of its own */

int fb_getopt(int argc, char **argv, const struct fb_option *t, struct fb_getopt *g)
{
	if (!g->built) {
		int n = 0;

		for (; t[n].name; n++)
			g->o[n] = (struct option){ t[n].name,
						   t[n].arg ? required_argument : no_argument, NULL,
						   t[n].val };
		g->o[n] = (struct option){ NULL, 0, NULL, 0 };
		g->built = true;
		optind = 0; /* glibc: start over, for every command line and suite line */
		opterr = 0;
	}
	/* '-' in front: positionals come back in order, as 1; ':' tells a missing value. */
	return getopt_long(argc, argv, "-:h", g->o, NULL);
}

const char *fb_option_arg(const struct fb_option *t, int val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->arg;
	return NULL;
}

const char *fb_option_name(const struct fb_option *t, int val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->name;
	return "?";
}

void fb_options_valid(const struct fb_option *t, const char *positional, char *buf, size_t len)
{
	snprintf(buf, len, "%s", positional ? positional : "");
	for (; t->name; t++)
		if (t->help)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s--%s", buf[0] ? " " : "",
				 t->name);
}

int fb_option_error(const struct fb_option *t, const char *cmd, const char *positional, int c,
		    char **argv, char *err, size_t errlen)
{
	char valid[512];

	fb_options_valid(t, positional, valid, sizeof(valid));
	if (c == ':')
		snprintf(err, errlen, "option '%s' needs a value (usage: faultbench %s --help)",
			 argv[optind - 1], cmd);
	else if (c == '?' && optopt) /* an unknown letter, maybe inside a cluster such as -xyz */
		snprintf(err, errlen, "unknown option '-%c' (valid: %s)", optopt, valid);
	else
		snprintf(err, errlen, "unknown %s '%s' (valid: %s)", c == 1 ? "argument" : "option",
			 argv[optind - 1], valid);
	return -1;
}

/* text from column at on, words wrapped at HELP_WIDTH, each further line from column at. */
static void wrap(FILE *f, const char *text, int at, int used)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (used > at && used + 1 + (int)n > HELP_WIDTH) {
			fprintf(f, "\n%*s", at, "");
			used = at;
		} else if (used > at) {
			fputc(' ', f);
			used++;
		}
		fprintf(f, "%.*s", (int)n, p);
		used += (int)n;
		p += n;
		p += strspn(p, " ");
	}
	fputc('\n', f);
}

void fb_options_help(FILE *f, const struct fb_option *t)
{
	for (; t->name; t++) {
		int n;

		if (!t->help)
			continue;
		n = fprintf(f, "  --%s%s%s", t->name, t->arg ? " " : "", t->arg ? t->arg : "");
		if (n + 1 > HELP_COLUMN) {
			fputc('\n', f);
			n = 0;
		}
		fprintf(f, "%*s", HELP_COLUMN - n, "");
		wrap(f, t->help, HELP_COLUMN, HELP_COLUMN);
	}
}
