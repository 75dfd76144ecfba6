/* Tests of lib/core/error.c and alloc.c: status strings, thread-local last
 * error, allocator hooks, logging, version, internal helpers.
 * SPDX-License-Identifier: MIT */
#include <check.h>
#include "check_main.h"
#include <marlgame/core.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

START_TEST(test_strerror) {
    static const struct { int code; const char *text; } t[] = {
        {MARL_OK, "success"},
        {MARL_CONVERGED, "converged"},
        {MARL_EINVAL, "invalid argument"},
        {MARL_ENOMEM, "out of memory"},
        {MARL_EKIND, "unsupported game kind"},
        {MARL_ERANGE, "out of range"},
        {MARL_EFORMAT, "bad format"},
        {MARL_ECANCELLED, "cancelled"},
        {MARL_ENOTCONV, "not converged"},
        {MARL_EINTERNAL, "internal error"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; ++i)
        ck_assert_str_eq(marl_strerror(t[i].code), t[i].text);
    /* distinct codes, distinct strings */
    for (size_t i = 0; i < sizeof t / sizeof *t; ++i)
        for (size_t j = i + 1; j < sizeof t / sizeof *t; ++j)
            ck_assert_str_ne(marl_strerror(t[i].code), marl_strerror(t[j].code));
    const int unknown[] = {2, -9, -100, 1000, INT32_MIN};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; ++i) {
        ck_assert_ptr_nonnull(marl_strerror(unknown[i]));
        ck_assert_str_eq(marl_strerror(unknown[i]), "unknown status");
    }
    /* values are part of the ABI */
    ck_assert_int_eq(MARL_OK, 0);
    ck_assert_int_eq(MARL_CONVERGED, 1);
    ck_assert_int_eq(MARL_EINVAL, -1);
    ck_assert_int_eq(MARL_ENOMEM, -2);
    ck_assert_int_eq(MARL_EKIND, -3);
    ck_assert_int_eq(MARL_ERANGE, -4);
    ck_assert_int_eq(MARL_EFORMAT, -5);
    ck_assert_int_eq(MARL_ECANCELLED, -6);
    ck_assert_int_eq(MARL_ENOTCONV, -7);
    ck_assert_int_eq(MARL_EINTERNAL, -8);
}
END_TEST

START_TEST(test_last_error) {
    marl_clear_error();
    ck_assert_str_eq(marl_last_error(), "");
    ck_assert_int_eq(marl_last_error_code(), MARL_OK);
    ck_assert_int_eq(marl_error(MARL_ERANGE, "row %d of state %s", 3, "s7"),
                     MARL_ERANGE);
    ck_assert_str_eq(marl_last_error(), "row 3 of state s7");
    ck_assert_int_eq(marl_last_error_code(), MARL_ERANGE);
    ck_assert_int_eq(marl_error_nomem("a table"), MARL_ENOMEM);
    ck_assert_str_eq(marl_last_error(), "out of memory allocating a table");
    ck_assert_int_eq(marl_last_error_code(), MARL_ENOMEM);
    /* long messages are truncated, not overflowed */
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    marl_error(MARL_EINVAL, "%s", big);
    size_t len = strlen(marl_last_error());
    ck_assert(len > 100 && len < sizeof big - 1);
    marl_clear_error();
    ck_assert_str_eq(marl_last_error(), "");
    ck_assert_int_eq(marl_last_error_code(), MARL_OK);
}
END_TEST

struct thread_result {
    char seen_at_start[64];
    int code_at_start;
    char own[64];
    int own_code;
};

static void *thread_body(void *arg) {
    struct thread_result *r = arg;
    strncpy(r->seen_at_start, marl_last_error(), sizeof r->seen_at_start - 1);
    r->code_at_start = marl_last_error_code();
    marl_error(MARL_EFORMAT, "thread message");
    strncpy(r->own, marl_last_error(), sizeof r->own - 1);
    r->own_code = marl_last_error_code();
    return NULL;
}

START_TEST(test_thread_local) {
    marl_error(MARL_EKIND, "main thread message");
    struct thread_result r;
    memset(&r, 0, sizeof r);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, thread_body, &r), 0);
    ck_assert_int_eq(pthread_join(th, NULL), 0);
    /* the new thread starts clean and does not see the main thread's error */
    ck_assert_str_eq(r.seen_at_start, "");
    ck_assert_int_eq(r.code_at_start, MARL_OK);
    ck_assert_str_eq(r.own, "thread message");
    ck_assert_int_eq(r.own_code, MARL_EFORMAT);
    /* and its error did not overwrite ours */
    ck_assert_str_eq(marl_last_error(), "main thread message");
    ck_assert_int_eq(marl_last_error_code(), MARL_EKIND);
}
END_TEST

/* ---- allocator ---------------------------------------------------------- */

struct counters {
    long mallocs, reallocs, frees;
    void *last_user;
};

static void *c_malloc(size_t n, void *u) {
    struct counters *c = u;
    c->mallocs++;
    c->last_user = u;
    return malloc(n);
}
static void *c_realloc(void *p, size_t n, void *u) {
    struct counters *c = u;
    c->reallocs++;
    c->last_user = u;
    return realloc(p, n);
}
static void c_free(void *p, void *u) {
    struct counters *c = u;
    c->frees++;
    c->last_user = u;
    free(p);
}
static void *null_malloc(size_t n, void *u) {
    (void)n;
    (void)u;
    return NULL;
}

START_TEST(test_allocator) {
    struct counters c = {0, 0, 0, NULL};
    /* partial sets are rejected and leave the allocator unchanged */
    ck_assert_int_eq(marl_set_allocator(c_malloc, NULL, NULL, &c), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "all three"));
    ck_assert_int_eq(marl_set_allocator(c_malloc, c_realloc, NULL, &c), MARL_EINVAL);
    ck_assert_int_eq(marl_set_allocator(NULL, c_realloc, c_free, &c), MARL_EINVAL);
    ck_assert_int_eq(marl_set_allocator(NULL, NULL, c_free, &c), MARL_EINVAL);
    void *p = marl_malloc(16);
    ck_assert_ptr_nonnull(p);
    marl_free(p);
    ck_assert_int_eq(c.mallocs + c.reallocs + c.frees, 0);

    ck_assert_int_eq(marl_set_allocator(c_malloc, c_realloc, c_free, &c), MARL_OK);
    /* malloc(0) is NULL and does not call the hook */
    ck_assert_ptr_null(marl_malloc(0));
    ck_assert_int_eq(c.mallocs, 0);
    char *q = marl_malloc(8);
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(c.mallocs, 1);
    ck_assert_ptr_eq(c.last_user, &c);
    memcpy(q, "abcdefg", 8);
    q = marl_realloc(q, 4096); /* content preserved */
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(c.reallocs, 1);
    ck_assert_str_eq(q, "abcdefg");
    /* realloc(NULL, n) allocates through malloc */
    void *r = marl_realloc(NULL, 32);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(c.mallocs, 2);
    /* realloc(p, 0) frees and returns NULL */
    ck_assert_ptr_null(marl_realloc(r, 0));
    ck_assert_int_eq(c.frees, 1);
    ck_assert_ptr_null(marl_realloc(NULL, 0));
    ck_assert_int_eq(c.frees, 1);
    marl_free(q);
    ck_assert_int_eq(c.frees, 2);
    marl_free(NULL); /* no hook call */
    ck_assert_int_eq(c.frees, 2);
    /* internal helpers use the hooks */
    int *z = marl_calloc(4, sizeof *z);
    ck_assert_ptr_nonnull(z);
    ck_assert_int_eq(c.mallocs, 3);
    for (int i = 0; i < 4; ++i) ck_assert_int_eq(z[i], 0);
    marl_free(z);
    char *d = marl_strdup("copy me");
    ck_assert_int_eq(c.mallocs, 4);
    ck_assert_str_eq(d, "copy me");
    marl_free(d);
    ck_assert_ptr_null(marl_strdup(NULL));
    ck_assert_ptr_null(marl_calloc(SIZE_MAX / 2, 4)); /* overflow */
    ck_assert_ptr_null(marl_calloc(0, 4));
    ck_assert_int_eq(c.mallocs, 4);
    /* a failing allocator is reported as NULL */
    ck_assert_int_eq(marl_set_allocator(null_malloc, c_realloc, c_free, &c), MARL_OK);
    ck_assert_ptr_null(marl_malloc(8));
    ck_assert_ptr_null(marl_strdup("x"));
    ck_assert_ptr_null(marl_calloc(2, 2));
    /* restore the C library's functions */
    ck_assert_int_eq(marl_set_allocator(NULL, NULL, NULL, NULL), MARL_OK);
    long before = c.mallocs;
    p = marl_malloc(8);
    ck_assert_ptr_nonnull(p);
    marl_free(p);
    ck_assert_int_eq(c.mallocs, before);
}
END_TEST

/* ---- logging ------------------------------------------------------------ */

struct log_record {
    int n;
    int levels[16];
    char last[256];
    void *user;
};

static void log_cb(int level, const char *message, void *user) {
    struct log_record *r = user;
    if (r->n < 16) r->levels[r->n] = level;
    r->n++;
    r->user = user;
    strncpy(r->last, message, sizeof r->last - 1);
}

START_TEST(test_logging) {
    struct log_record rec;
    memset(&rec, 0, sizeof rec);
    /* no callback: nothing happens */
    marl_set_log(NULL, NULL, MARL_LOG_DEBUG);
    marl_log(MARL_LOG_ERROR, "dropped");
    marl_set_log(log_cb, &rec, MARL_LOG_WARN);
    marl_log(MARL_LOG_DEBUG, "d");
    marl_log(MARL_LOG_INFO, "i");
    ck_assert_int_eq(rec.n, 0);
    marl_log(MARL_LOG_WARN, "warn %d", 7);
    ck_assert_int_eq(rec.n, 1);
    ck_assert_int_eq(rec.levels[0], MARL_LOG_WARN);
    ck_assert_str_eq(rec.last, "warn 7");
    ck_assert_ptr_eq(rec.user, &rec);
    marl_log(MARL_LOG_ERROR, "err");
    ck_assert_int_eq(rec.n, 2);
    ck_assert_int_eq(rec.levels[1], MARL_LOG_ERROR);
    /* errors are logged at DEBUG: only with min_level DEBUG */
    marl_error(MARL_EINVAL, "quiet");
    ck_assert_int_eq(rec.n, 2);
    marl_set_log(log_cb, &rec, MARL_LOG_DEBUG);
    marl_error(MARL_EINVAL, "loud %s", "error");
    ck_assert_int_eq(rec.n, 3);
    ck_assert_int_eq(rec.levels[2], MARL_LOG_DEBUG);
    ck_assert_ptr_nonnull(strstr(rec.last, "loud error"));
    ck_assert_ptr_nonnull(strstr(rec.last, "invalid argument"));
    /* NULL disables */
    marl_set_log(NULL, NULL, MARL_LOG_DEBUG);
    marl_log(MARL_LOG_ERROR, "gone");
    ck_assert_int_eq(rec.n, 3);
}
END_TEST

/* ---- version and helpers ------------------------------------------------ */

START_TEST(test_version) {
    ck_assert_str_eq(marl_version(), "0.1.0");
    ck_assert_int_eq(marl_version_number(), 100);
    ck_assert_int_eq(MARL_VERSION_NUMBER, 100);
    ck_assert_int_eq(MARL_VERSION_MAJOR, 0);
    ck_assert_int_eq(MARL_VERSION_MINOR, 1);
    ck_assert_int_eq(MARL_VERSION_PATCH, 0);
}
END_TEST

START_TEST(test_helpers) {
    size_t out = 7;
    ck_assert(marl_mul_size(3, 5, &out) && out == 15);
    ck_assert(marl_mul_size(0, SIZE_MAX, &out) && out == 0);
    out = 7;
    ck_assert(!marl_mul_size(SIZE_MAX / 2 + 1, 2, &out));
    ck_assert_uint_eq(out, 7);
    ck_assert(marl_add_size(SIZE_MAX - 1, 1, &out) && out == SIZE_MAX);
    ck_assert(!marl_add_size(SIZE_MAX, 1, &out));
    /* distribution checks name the item */
    const double ok[3] = {0.2, 0.3, 0.5};
    ck_assert_int_eq(marl_check_distribution(ok, 3, "row 4"), MARL_OK);
    const double sum[2] = {0.5, 0.48};
    ck_assert_int_eq(marl_check_distribution(sum, 2, "row 4"), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "row 4 sums to 0.97999"));
    const double neg[2] = {1.5, -0.5};
    ck_assert_int_eq(marl_check_distribution(neg, 2, "row 5"), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "row 5: entry 1 is negative"));
    const double inf[2] = {HUGE_VAL, 0};
    ck_assert_int_eq(marl_check_distribution(inf, 2, "row 6"), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "entry 0 is not finite"));
    const double tol[2] = {0.5, 0.5 + 0.9e-9};
    ck_assert_int_eq(marl_check_distribution(tol, 2, "row"), MARL_OK);
    const double tol2[2] = {0.5, 0.5 + 1.1e-9};
    ck_assert_int_eq(marl_check_distribution(tol2, 2, "row"), MARL_EINVAL);
    /* monotonic clock */
    double t0 = marl_now_seconds(), t1 = marl_now_seconds();
    ck_assert(t0 > 0 && t1 >= t0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("core-errors");
    TCase *tc = tcase_create("errors");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_strerror);
    tcase_add_test(tc, test_last_error);
    tcase_add_test(tc, test_thread_local);
    tcase_add_test(tc, test_allocator);
    tcase_add_test(tc, test_logging);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_helpers);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
