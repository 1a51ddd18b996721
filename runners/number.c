// SPDX-License-Identifier: GPL-2.0-only
/*
 * Numbers parse one way everywhere: decimal digits, a '-' only where a
 * value may be negative, and nothing else.  strtol's conveniences are what
 * users trip on: base 0 reads "010" as 8, and leading blanks or a '-' on an
 * unsigned wrap " -1" to 2^64 - 1.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

int fb_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*s || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int fb_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t mag;
	int64_t v;

	if (fb_parse_u64(s + neg, 0, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &mag))
		return -1;
	v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int fb_parse_real(const char *s, double lo, double hi, double *out)
{
	const char *digits = s + (*s == '-');
	char *end;
	double v;

	/* strtod also takes blanks, "inf", "nan" and hex: none of them is a duration */
	if (!isdigit((unsigned char)*digits) &&
	    !(*digits == '.' && isdigit((unsigned char)digits[1])))
		return -1;
	if (digits[strspn(digits, "0123456789.eE+-")])
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
