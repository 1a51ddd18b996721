// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scenarios that registered themselves with FB_SCENARIO(): pointers in
 * the fb_scenarios section, in link order.  The linker defines the section's
 * bounds; they are weak so that a program linking no scenario still links.
 *
 * Each scenario's parameters are resolved here once: FB_MM_KNOBS and
 * FB_MM_KNOB() entries become parameters built from the core's knob table,
 * so the runner sees one flat list.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

extern const struct fb_scenario *const __start_fb_scenarios[] __attribute__((weak));
extern const struct fb_scenario *const __stop_fb_scenarios[] __attribute__((weak));

struct resolved {
	struct fb_param params[FB_MAX_PARAMS + 1];
};

static struct resolved *resolved;
static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;

int fb_scenario_count(void)
{
	return (int)(__stop_fb_scenarios - __start_fb_scenarios);
}

const struct fb_scenario *fb_scenario_at(int i)
{
	return i >= 0 && i < fb_scenario_count() ? __start_fb_scenarios[i] : NULL;
}

const struct fb_scenario *fb_scenario_find(const char *name)
{
	for (int i = 0; i < fb_scenario_count(); i++)
		if (!strcmp(__start_fb_scenarios[i]->name, name))
			return __start_fb_scenarios[i];
	return NULL;
}

static void knob_param(struct fb_param *p, const struct fc_mm_knob *k)
{
	*p = (struct fb_param){
		.name = k->name,
		.type = k->text ? FB_PARAM_TEXT : FB_PARAM_CHOICE,
		.def = k->def,
		.choices = k->choices,
		.help = k->help,
		.knob = true,
	};
}

/* A scenario whose declaration is wrong cannot run at all: say so and stop. */
static void __attribute__((noreturn)) bad_declaration(const struct fb_scenario *sc, const char *why)
{
	fprintf(stderr, "faultbench: scenario %s: %s\n", sc->name, why);
	abort();
}

static void resolve_one(const struct fb_scenario *sc, struct fb_param *out)
{
	int n = 0;

	for (const struct fb_param *p = sc->params; p && p->name; p++) {
		const struct fc_mm_knob *k;

		if (p->type != FB_PARAM_KNOBS) {
			if (fc_mm_knob_find(p->name))
				bad_declaration(sc, "a parameter reuses a knob's name");
			if (n == FB_MAX_PARAMS)
				bad_declaration(sc, "too many parameters");
			out[n++] = *p;
			continue;
		}
		if (strcmp(p->name, "*") && !fc_mm_knob_find(p->name))
			bad_declaration(sc, "FB_MM_KNOB names no knob of the core");
		for (k = fc_mm_knobs; k->name; k++) {
			if (strcmp(p->name, "*") && strcmp(p->name, k->name))
				continue;
			if (n == FB_MAX_PARAMS)
				bad_declaration(sc, "too many parameters");
			knob_param(&out[n++], k);
		}
	}
	out[n].name = NULL;
}

static void resolve_all(void)
{
	int n = fb_scenario_count();

	resolved = calloc((size_t)(n ? n : 1), sizeof(*resolved));
	if (!resolved) {
		fprintf(stderr, "faultbench: out of memory\n");
		abort();
	}
	for (int i = 0; i < n; i++)
		resolve_one(__start_fb_scenarios[i], resolved[i].params);
}

const struct fb_param *fb_scenario_params(const struct fb_scenario *sc)
{
	pthread_once(&resolve_once, resolve_all);
	for (int i = 0; i < fb_scenario_count(); i++)
		if (__start_fb_scenarios[i] == sc)
			return resolved[i].params;
	/* Not registered (the runner's own null loop): as written. */
	return sc->params;
}

/* {"counters": [...], "floor": NAME or null}: what tables and plots show. */
json_t *fb_headline_json(const struct fb_scenario *sc)
{
	json_t *counters = json_array();

	for (const char *const *h = sc->headline; h && *h; h++)
		json_array_append_new(counters, json_string(*h));
	return json_pack("{s:o, s:o}", "counters", counters, "floor",
			 sc->floor ? json_string(sc->floor) : json_null());
}
