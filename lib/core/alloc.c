/* Allocation hooks, logging, version and the clock.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *default_malloc(size_t n, void *u) { (void)u; return malloc(n); }
static void *default_realloc(void *p, size_t n, void *u) {
    (void)u;
    return realloc(p, n);
}
static void default_free(void *p, void *u) { (void)u; free(p); }

static marl_malloc_fn g_malloc = default_malloc;
static marl_realloc_fn g_realloc = default_realloc;
static marl_free_fn g_free = default_free;
static void *g_alloc_user;

int marl_set_allocator(marl_malloc_fn m, marl_realloc_fn r, marl_free_fn f,
                       void *user) {
    if (!m && !r && !f) {
        g_malloc = default_malloc;
        g_realloc = default_realloc;
        g_free = default_free;
        g_alloc_user = NULL;
        return MARL_OK;
    }
    if (!m || !r || !f)
        return marl_error(MARL_EINVAL,
                          "marl_set_allocator: give all three functions or none");
    g_malloc = m;
    g_realloc = r;
    g_free = f;
    g_alloc_user = user;
    return MARL_OK;
}

void *marl_malloc(size_t size) {
    if (size == 0) return NULL;
    return g_malloc(size, g_alloc_user);
}

void *marl_realloc(void *ptr, size_t size) {
    if (size == 0) {
        marl_free(ptr);
        return NULL;
    }
    if (!ptr) return marl_malloc(size);
    return g_realloc(ptr, size, g_alloc_user);
}

void marl_free(void *ptr) {
    if (ptr) g_free(ptr, g_alloc_user);
}

void *marl_calloc(size_t n, size_t size) {
    size_t bytes;
    if (!marl_mul_size(n, size, &bytes) || bytes == 0) return NULL;
    void *p = marl_malloc(bytes);
    if (p) memset(p, 0, bytes);
    return p;
}

char *marl_strdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = marl_malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* ---- logging ---- */

static marl_log_fn g_log;
static void *g_log_user;
static int g_log_level = MARL_LOG_WARN;

void marl_set_log(marl_log_fn fn, void *user, int min_level) {
    g_log = fn;
    g_log_user = user;
    g_log_level = min_level;
}

void marl_log(int level, const char *fmt, ...) {
    if (!g_log || level < g_log_level) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    g_log(level, buf, g_log_user);
}

/* ---- version and clock ---- */

#define MARL_STR2(x) #x
#define MARL_STR(x) MARL_STR2(x)

const char *marl_version(void) {
    return MARL_STR(MARL_VERSION_MAJOR) "." MARL_STR(MARL_VERSION_MINOR) "."
        MARL_STR(MARL_VERSION_PATCH);
}

int marl_version_number(void) { return MARL_VERSION_NUMBER; }

double marl_now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
