/*
 * Test helper: a counting allocator that can fail the k-th allocation, for
 * allocation-failure injection, and counts live blocks to detect leaks.
 * Header-only; include in one test file per executable.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_FAILALLOC_H
#define MARL_TEST_FAILALLOC_H

#include <marlgame/core.h>
#include <stdlib.h>

static long fa_count;    /* allocations attempted since reset */
static long fa_fail_at = -1;
static long fa_live;     /* outstanding blocks */

static void *fa_malloc(size_t n, void *u) {
    (void)u;
    if (fa_fail_at >= 0 && fa_count++ == fa_fail_at) return NULL;
    if (fa_fail_at < 0) fa_count++;
    void *p = malloc(n);
    if (p) fa_live++;
    return p;
}
static void *fa_realloc(void *q, size_t n, void *u) {
    (void)u;
    if (fa_fail_at >= 0 && fa_count++ == fa_fail_at) return NULL;
    if (fa_fail_at < 0) fa_count++;
    void *p = realloc(q, n);
    if (p && !q) fa_live++;
    return p;
}
static void fa_free(void *p, void *u) {
    (void)u;
    if (p) {
        fa_live--;
        free(p);
    }
}

/* Install the counting allocator (it stays installed, so every block is
 * counted whoever frees it); fail the k-th allocation from now on (k < 0:
 * never). */
static inline void failalloc_install(long k) {
    fa_count = 0;
    fa_fail_at = k;
    marl_set_allocator(fa_malloc, fa_realloc, fa_free, NULL);
}
/* Stop failing (the counting allocator stays installed). */
static inline void failalloc_uninstall(void) { fa_fail_at = -1; }
static inline long failalloc_live(void) { return fa_live; }
static inline long failalloc_count(void) { return fa_count; }

/*
 * Run `expr` (an int status expression that allocates and, on success,
 * leaves objects that `cleanup` frees) failing each allocation in turn.
 * Call failalloc_install(-1) before creating the inputs of `expr`, so that
 * every block is counted by the same allocator.
 * Every failing run must return MARL_ENOMEM and leak nothing; the sweep
 * ends with the first run that succeeds. Use inside a Check test.
 *
 *   FAILALLOC_SWEEP(marl_policy_new(&p, g, 0), marl_policy_free(p));
 */
#define FAILALLOC_SWEEP(expr, cleanup)                                       \
    do {                                                                     \
        for (long fa_k = 0;; ++fa_k) {                                       \
            long fa_before = failalloc_live();                               \
            failalloc_install(fa_k);                                         \
            int fa_rc = (expr);                                              \
            failalloc_uninstall();                                           \
            if (fa_rc == MARL_OK || fa_rc == MARL_CONVERGED) {               \
                cleanup;                                                     \
                ck_assert_int_eq(failalloc_live(), fa_before);               \
                break;                                                       \
            }                                                                \
            ck_assert_msg(fa_rc == MARL_ENOMEM,                              \
                          "allocation %ld failed: expected MARL_ENOMEM, got " \
                          "%d (%s)", fa_k, fa_rc, marl_last_error());        \
            ck_assert_msg(failalloc_live() == fa_before,                     \
                          "leak after failing allocation %ld", fa_k);        \
            ck_assert(fa_k < 100000);                                        \
        }                                                                    \
    } while (0)

#endif /* MARL_TEST_FAILALLOC_H */
