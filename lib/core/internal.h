/*
 * Internal helpers shared by every part of the library. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_CORE_INTERNAL_H
#define MARL_CORE_INTERNAL_H

#include "marlgame/core.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#  define MARL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#  define MARL_LIKELY(x) __builtin_expect(!!(x), 1)
#  define MARL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define MARL_PRINTF(f, a)
#  define MARL_LIKELY(x) (x)
#  define MARL_UNLIKELY(x) (x)
#endif

/* Record a thread-local error message and return `code` (so callers write
 * `return marl_error(MARL_EINVAL, "row %zu ...", i);`). */
int marl_error(int code, const char *fmt, ...) MARL_PRINTF(2, 3);
/* Same, for "out of memory while allocating <what>". */
int marl_error_nomem(const char *what);

/* Log through the user callback if installed and level is enabled. */
void marl_log(int level, const char *fmt, ...) MARL_PRINTF(2, 3);

/* Zero-initialised allocation through the hooks (overflow-checked). */
void *marl_calloc(size_t n, size_t size);
/* Duplicate a string through the hooks (NULL on failure or NULL input). */
char *marl_strdup(const char *s);

/* Overflow-checked size arithmetic: return false on overflow. */
static inline bool marl_mul_size(size_t a, size_t b, size_t *out) {
    if (b != 0 && a > SIZE_MAX / b) return false;
    *out = a * b;
    return true;
}
static inline bool marl_add_size(size_t a, size_t b, size_t *out) {
    if (a > SIZE_MAX - b) return false;
    *out = a + b;
    return true;
}

/* Tolerance for "probabilities sum to 1" everywhere in the library. */
#define MARL_PROB_TOL 1e-9

/* Validate a probability vector: finite, >= 0, sums to 1 within
 * MARL_PROB_TOL. On failure records an error naming `what` (a printf-style
 * prefix already formatted by the caller) and returns MARL_EINVAL. */
int marl_check_distribution(const double *p, size_t n, const char *what);

/* Monotonic wall-clock seconds (for metrics). */
double marl_now_seconds(void);

#endif /* MARL_CORE_INTERNAL_H */
