// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every scenario the runner knows.  Adding one: write scenarios/NAME.c with a
 * struct fb_scenario, and add it to the list below.  Nothing else changes.
 */
#include <string.h>

#include "scenario.h"

#define FB_SCENARIO_LIST(X) \
	X(empty)            \
	X(same_addr)        \
	X(lock_floor)

#define DECLARE(id) extern const struct fb_scenario fb_scenario_##id;
FB_SCENARIO_LIST(DECLARE)
#undef DECLARE

const struct fb_scenario *const fb_scenarios[] = {
#define ENTRY(id) &fb_scenario_##id,
	FB_SCENARIO_LIST(ENTRY)
#undef ENTRY
		NULL,
};

const struct fb_scenario *fb_scenario_find(const char *name)
{
	for (int i = 0; fb_scenarios[i]; i++)
		if (!strcmp(fb_scenarios[i]->name, name))
			return fb_scenarios[i];
	return NULL;
}
