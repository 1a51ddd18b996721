// SPDX-License-Identifier: GPL-2.0-only
/*
 * The progress bar on a terminal's stderr: one line, redrawn in place, of
 * the whole command (every configuration of a suite, every round), so that
 * its percentage only grows.  It is cut to the terminal's width, since a
 * line that wraps cannot be redrawn: each draw would leave a stale line.
 */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"

#define BAR_MIN 5	 /* a narrower bar is left out */
#define DEFAULT_WIDTH 80 /* no $COLUMNS, and the terminal does not say */

/* The whole command's part done, from this phase's part frac; never less than shown before. */
static double done(struct progress *p, double frac)
{
	int total = p->o->progress_total > 0 ? p->o->progress_total : 1;
	int phases = p->nr_phases > 0 ? p->nr_phases : 1;
	double d;

	frac = frac > 0 ? (frac < 1 ? frac : 1) : 0; /* a repetition may overrun its time */
	d = ((double)p->phase + frac) / phases;
	d = ((double)p->o->progress_index + (d < 1 ? d : 1)) / total;
	if (d > p->shown)
		p->shown = d < 1 ? d : 1;
	return p->shown;
}

void fb_progress_draw(struct progress *p, double frac)
{
	char left[160], right[48], line[512];
	double d, el, eta;
	int width, bar, n, pad;
	uint64_t start;

	if (!p->on)
		return;
	d = done(p, frac);
	start = p->o->progress_start ? p->o->progress_start : p->t_start;
	el = (double)(fb_now_ns() - start) / 1e9;
	eta = d > 0 ? el / d - el : NAN;
	snprintf(left, sizeof(left), "%s %d/%d threads=%d", p->o->sc->name,
		 p->o->progress_index + 1, p->o->progress_total > 0 ? p->o->progress_total : 1,
		 p->o->threads);
	if (isfinite(eta))
		snprintf(right, sizeof(right), "%3.0f%% ETA %.0fs", floor(d * 100),
			 eta > 0 ? round(eta) : 0.0);
	else
		snprintf(right, sizeof(right), "%3.0f%%", floor(d * 100));
	width = fb_term_width(STDERR_FILENO);
	width = (width > 0 ? width : DEFAULT_WIDTH) -
		1; /* the last column wraps in some terminals */
	if (width >= (int)sizeof(line))
		width = (int)sizeof(line) - 1;
	bar = width - (int)strlen(left) - (int)strlen(right) - 4; /* " [" "] " */
	if (bar > 30)
		bar = 30;
	if (bar >= BAR_MIN)
		n = snprintf(line, sizeof(line), "%s [%-*.*s] %s", left, bar, (int)(d * bar),
			     "##############################", right);
	else
		n = snprintf(line, sizeof(line), "%s %s", left, right);
	if (n > width)
		n = width;
	/* Blanks over what the last draw left longer; never past the width. */
	pad = (p->drawn < width ? p->drawn : width) - n;
	fprintf(stderr, "\r%.*s%*s", n, line, pad > 0 ? pad : 0, "");
	p->drawn = n;
}

void fb_progress_end(struct progress *p)
{
	if (p->on && p->drawn)
		fprintf(stderr, "\r%*s\r", p->drawn, "");
	p->drawn = 0;
}
