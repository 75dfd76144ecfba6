/*
 * Small helpers shared by the benchmark programs: clocks, medians, JSON
 * numbers and output paths. Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_BENCH_UTIL_H
#define MARL_BENCH_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Seconds on clock `clk` (CLOCK_MONOTONIC for wall time,
 * CLOCK_PROCESS_CPUTIME_ID for CPU time). */
static inline double bench_now(clockid_t clk) {
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n-1] (n >= 1); sorts v. */
static inline double bench_median(double *v, size_t n) {
    qsort(v, n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Print ,"key":x — JSON has no NaN/Inf, so those are null. */
static inline void bench_jnum(const char *key, double x) {
    if (isfinite(x))
        printf(",\"%s\":%.17g", key, x);
    else
        printf(",\"%s\":null", key);
}

/* snprintf into a path buffer; 1 if it did not fit. */
static inline int bench_path(char *buf, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return k < 0 || (size_t)k >= cap;
}

#endif /* MARL_BENCH_UTIL_H */
