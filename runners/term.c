// SPDX-License-Identifier: GPL-2.0-only
/* How wide the terminal is, for the table and the progress bar. */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "runner.h"

#define MAX_COLUMNS 100000

int fb_term_width(int fd)
{
	const char *columns = getenv("COLUMNS");
	struct winsize ws;
	uint64_t n;

	/* as the shell's COLUMNS says, when it is exported: ls and Python do the same */
	if (columns && !fb_parse_u64(columns, 1, MAX_COLUMNS, &n))
		return (int)n;
	if (!ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}
