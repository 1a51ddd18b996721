// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultbench list [--json]: the scenarios, what they answer, their
 * parameters (the core's knobs included), headline figures, floor and the
 * faults tests plant in them.
 */
#include <string.h>

#include "runner.h"

static json_t *param_json(const struct fb_param *p)
{
	static const char *const types[] = { "choice", "int", "text" };
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", p->name, "type", types[p->type],
			      "default", p->def, "help", p->help ? p->help : "", "knob", p->knob);

	if (p->type == FB_PARAM_INT)
		json_object_set_new(j, "range",
				    json_pack("[I, I]", (json_int_t)p->min, (json_int_t)p->max));
	else if (p->choices)
		json_object_set_new(j, "range", json_string(p->choices));
	return j;
}

static json_t *plants_json(const struct fb_scenario *sc)
{
	json_t *arr = json_array();

	for (const struct fb_plant *p = sc->plants; p && p->name; p++)
		json_array_append_new(arr,
				      json_pack("{s:s, s:s, s:s}", "name", p->name, "what", p->what,
						"params", p->params ? p->params : ""));
	return arr;
}

static json_t *scenario_json(const struct fb_scenario *sc)
{
	json_t *params = json_array();

	for (const struct fb_param *p = fb_scenario_params(sc); p && p->name; p++)
		json_array_append_new(params, param_json(p));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b}", "name", sc->name,
			 "description", sc->description, "question", sc->question, "shape",
			 sc->shape == FB_SHAPE_ROUNDS ? "rounds" : "duration", "unit",
			 sc->unit ? sc->unit : "op", "headline", fb_headline_json(sc), "params",
			 params, "plants", plants_json(sc), "live_kernel", sc->live_kernel);
}

static void print_text(const struct fb_scenario *sc)
{
	printf("%s (%s, per %s)\n  %s\n  question: %s\n", sc->name,
	       sc->shape == FB_SHAPE_ROUNDS ? "rounds" : "duration", sc->unit ? sc->unit : "op",
	       sc->description, sc->question);
	if (sc->floor)
		printf("  floor: %s, run interleaved\n", sc->floor);
	for (const char *const *h = sc->headline; h && *h; h++)
		printf("%s%s%s", h == sc->headline ? "  headline: " : ", ", *h, h[1] ? "" : "\n");
	for (const struct fb_param *p = fb_scenario_params(sc); p && p->name; p++) {
		char range[64];

		if (p->type == FB_PARAM_INT)
			snprintf(range, sizeof(range), "%ld..%ld", p->min, p->max);
		else
			snprintf(range, sizeof(range), "%s", p->choices ? p->choices : "text");
		printf("  %s=%s  [%s, default %s]\n      %s\n", p->name, range,
		       p->type == FB_PARAM_INT	    ? "int"
		       : p->type == FB_PARAM_CHOICE ? "choice"
						    : "text",
		       p->def, p->help ? p->help : "");
	}
}

static const struct fb_option list_options[] = {
	{ "json", 'j', NULL, "the same as JSON, for scripts" },
	{ "help", 'h', NULL, "print this help" },
	{ NULL, 0, NULL, NULL },
};

int fb_cmd_list(int argc, char **argv)
{
	struct fb_getopt opt = { 0 };
	char err[FB_ERRLEN];
	bool as_json = false;
	int c;

	while ((c = fb_getopt(argc, argv, list_options, &opt)) != -1) {
		if (c == 'j') {
			as_json = true;
		} else if (c == 'h') {
			puts("usage: faultbench list [options]\n\n"
			     "Lists the scenarios: what each measures, the question it answers,\n"
			     "its shape, its parameters (type, default, range, help; the model's\n"
			     "knobs among them), its headline counters and its floor.\n");
			fb_options_help(stdout, list_options);
			return FB_EXIT_OK;
		} else {
			fb_option_error(list_options, "list", NULL, c, argv, err, sizeof(err));
			return fb_usage_error("%s", err);
		}
	}
	if (as_json) {
		json_t *arr = json_array();

		for (int i = 0; i < fb_scenario_count(); i++)
			json_array_append_new(arr, scenario_json(fb_scenario_at(i)));
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(arr);
		return FB_EXIT_OK;
	}
	for (int i = 0; i < fb_scenario_count(); i++)
		print_text(fb_scenario_at(i));
	return FB_EXIT_OK;
}
