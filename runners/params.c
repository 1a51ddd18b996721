// SPDX-License-Identifier: GPL-2.0-only
/* Scenario parameters: name=value parsing, validation and lookup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

_Static_assert(FB_MAX_PARAMS <= 32, "fb_values.given has a bit for every parameter");

static const struct fb_param *param_find(const struct fb_scenario *sc, const char *name)
{
	for (const struct fb_param *p = fb_scenario_params(sc); p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void param_names(const struct fb_scenario *sc, char *buf, size_t len)
{
	const struct fb_param *params = fb_scenario_params(sc);

	buf[0] = '\0';
	for (const struct fb_param *p = params; p && p->name; p++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", p == params ? "" : "|",
			 p->name);
	if (!buf[0])
		snprintf(buf, len, "none");
}

static bool choice_ok(const char *choices, const char *value)
{
	size_t n = strlen(value);

	for (const char *c = choices; c; c = strchr(c, '|')) {
		if (*c == '|')
			c++;
		if (!strncmp(c, value, n) && (c[n] == '|' || c[n] == '\0'))
			return true;
	}
	return false;
}

int fb_param_check(const struct fb_param *p, const char *value, char *err, size_t errlen)
{
	struct fc_mm_config scratch;
	int64_t v;

	switch (p->type) {
	case FB_PARAM_CHOICE:
		if (choice_ok(p->choices, value))
			break;
		snprintf(err, errlen, "invalid %s '%s' (valid: %s)", p->name, value, p->choices);
		return -1;
	case FB_PARAM_INT:
		if (!fb_parse_i64(value, p->min, p->max, &v))
			break;
		snprintf(err, errlen, "invalid %s '%s' (valid: an integer from %ld to %ld)",
			 p->name, value, p->min, p->max);
		return -1;
	case FB_PARAM_TEXT:
	case FB_PARAM_KNOBS: /* resolved into TEXT or CHOICE by the registry */
		break;
	}
	if (strlen(value) >= sizeof(((struct fb_values *)0)->value[0])) {
		snprintf(err, errlen, "invalid %s: value too long", p->name);
		return -1;
	}
	fc_mm_config_default(&scratch);
	if (p->knob && fc_mm_config_set(&scratch, p->name, value, err, errlen))
		return -1;
	return 0;
}

/* Sets a value given once; -1 when it was given before. */
static int values_set(struct fb_values *vals, const char *name, const char *value)
{
	for (int i = 0; i < vals->n; i++) {
		if (!strcmp(vals->name[i], name)) {
			if (vals->given & (1u << i))
				return -1;
			vals->given |= 1u << i;
			snprintf(vals->value[i], sizeof(vals->value[i]), "%s", value);
		}
	}
	return 0;
}

void fb_values_defaults(const struct fb_scenario *sc, struct fb_values *vals)
{
	vals->n = 0;
	vals->given = 0;
	for (const struct fb_param *p = fb_scenario_params(sc); p && p->name; p++) {
		vals->name[vals->n] = p->name;
		snprintf(vals->value[vals->n], sizeof(vals->value[0]), "%s", p->def);
		vals->n++;
	}
}

int fb_values_parse(const struct fb_scenario *sc, struct fb_values *vals, const char *arg,
		    char *err, size_t errlen)
{
	const char *eq = strchr(arg, '='), *value = eq ? eq + 1 : NULL;
	char name[64], names[512], canon[24];
	const struct fb_param *p;
	int64_t v;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(name)) {
		param_names(sc, names, sizeof(names));
		snprintf(err, errlen,
			 "malformed parameter '%s' (expected name=value; valid names for %s: %s)",
			 arg, sc->name, names);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	p = param_find(sc, name);
	if (!p) {
		param_names(sc, names, sizeof(names));
		snprintf(err, errlen, "unknown parameter '%s' for %s (valid: %s)", name, sc->name,
			 names);
		return -1;
	}
	if (fb_param_check(p, value, err, errlen))
		return -1;
	if (p->type == FB_PARAM_INT) {
		/* recorded as it was read: "010" is 10, and the result says so */
		fb_parse_i64(value, p->min, p->max, &v);
		snprintf(canon, sizeof(canon), "%lld", (long long)v);
		value = canon;
	}
	if (values_set(vals, p->name, value)) {
		snprintf(err, errlen,
			 "parameter '%s' given twice ('%s' and '%s'; valid: once a run)", p->name,
			 fb_values_get(vals, p->name), eq + 1);
		return -1;
	}
	return 0;
}

const char *fb_values_get(const struct fb_values *vals, const char *name)
{
	for (int i = 0; i < vals->n; i++)
		if (!strcmp(vals->name[i], name))
			return vals->value[i];
	return NULL;
}

const char *fb_param_str(const struct fb_ctx *ctx, const char *name)
{
	const char *v = fb_values_get(ctx->values, name);

	return v ? v : "";
}

long fb_param_long(const struct fb_ctx *ctx, const char *name)
{
	int64_t v = 0;

	/* checked by fb_param_check() before any scenario reads it */
	fb_parse_i64(fb_param_str(ctx, name), LONG_MIN, LONG_MAX, &v);
	return (long)v;
}

int fb_mm_config_from_params(const struct fb_ctx *ctx, struct fc_mm_config *cfg, char *err,
			     size_t errlen)
{
	fc_mm_config_default(cfg);
	for (const struct fb_param *p = fb_scenario_params(ctx->sc); p && p->name; p++) {
		if (!p->knob)
			continue;
		if (fc_mm_config_set(cfg, p->name, fb_param_str(ctx, p->name), err, errlen))
			return -1;
	}
	return 0;
}

/* "a=1 b=2", for names and tables. */
void fb_values_describe(const struct fb_values *vals, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < vals->n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s=%s", i ? " " : "",
			 vals->name[i], vals->value[i]);
}

/* The floor's values: its defaults, overridden by the parameters it shares. */
void fb_values_inherit(const struct fb_scenario *floor, const struct fb_values *from,
		       struct fb_values *out)
{
	fb_values_defaults(floor, out);
	for (int i = 0; i < out->n; i++) {
		const char *v = fb_values_get(from, out->name[i]);

		if (v)
			snprintf(out->value[i], sizeof(out->value[i]), "%s", v);
	}
}
