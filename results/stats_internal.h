/* SPDX-License-Identifier: GPL-2.0-only */
/* What stats.c shares with bootstrap.c. */
#ifndef FAULTRESULTS_STATS_INTERNAL_H
#define FAULTRESULTS_STATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* 0, or -EINVAL for n == 0 or a value not finite (or not positive). */
int fr_stats_check(const double *v, size_t n, bool positive);
/* The k-th smallest of a[0 .. n - 1] (0-based), reordering a. */
double fr_stats_select(double *a, size_t n, size_t k);
/* Fills d with the nx * ny differences y_j - x_i and returns their median (reordering d). */
double fr_stats_shift(const double *x, size_t nx, const double *y, size_t ny, double *d);

#endif
