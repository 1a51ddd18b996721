// SPDX-License-Identifier: GPL-2.0-only
/* faultbench list [--json]: the scenarios, what they answer, their parameters. */
#include <string.h>

#include "runner.h"

static json_t *param_json(const struct fb_param *p)
{
	static const char *const types[] = { "choice", "int", "text" };
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "name", p->name, "type", types[p->type],
			      "default", p->def, "help", p->help ? p->help : "");

	if (p->type == FB_PARAM_INT)
		json_object_set_new(j, "range",
				    json_pack("[I, I]", (json_int_t)p->min, (json_int_t)p->max));
	else if (p->choices)
		json_object_set_new(j, "range", json_string(p->choices));
	return j;
}

static json_t *scenario_json(const struct fb_scenario *sc)
{
	json_t *params = json_array();

	for (const struct fb_param *p = sc->params; p && p->name; p++)
		json_array_append_new(params, param_json(p));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o}", "name", sc->name, "description",
			 sc->description, "question", sc->question, "shape",
			 sc->shape == FB_SHAPE_ROUNDS ? "rounds" : "duration", "unit",
			 sc->unit ? sc->unit : "op", "floor", sc->floor, "params", params);
}

static void print_text(const struct fb_scenario *sc)
{
	printf("%s (%s, per %s)\n  %s\n  question: %s\n", sc->name,
	       sc->shape == FB_SHAPE_ROUNDS ? "rounds" : "duration", sc->unit ? sc->unit : "op",
	       sc->description, sc->question);
	if (sc->floor)
		printf("  floor: %s, run interleaved\n", sc->floor);
	for (const struct fb_param *p = sc->params; p && p->name; p++) {
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

int fb_cmd_list(int argc, char **argv)
{
	bool as_json = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			as_json = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			puts("usage: faultbench list [--json]\n\n"
			     "Lists the scenarios: what each measures, the question it answers,\n"
			     "its shape and its parameters (type, default, range, help).");
			return FB_EXIT_OK;
		} else {
			return fb_usage_error("unknown argument '%s' (valid: --json --help)",
					      argv[i]);
		}
	}
	if (as_json) {
		json_t *arr = json_array();

		for (int i = 0; fb_scenarios[i]; i++)
			json_array_append_new(arr, scenario_json(fb_scenarios[i]));
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(arr);
		return FB_EXIT_OK;
	}
	for (int i = 0; fb_scenarios[i]; i++)
		print_text(fb_scenarios[i]);
	return FB_EXIT_OK;
}
