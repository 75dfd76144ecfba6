/*
 * Allocation-failure sweep of a LATER step of an alternating-* solver (the
 * first step is swept with FAILALLOC_SWEEP): every failure must be
 * MARL_ENOMEM, leak nothing, and leave the iteration count and the policy
 * pair unchanged. Header-only; include after <check.h> and "failalloc.h".
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_ALTSWEEP_H
#define MARL_TEST_ALTSWEEP_H

#include <marlgame/marlgame.h>

static inline void alt_sweep_later_step(marl_solver *s) {
    marl_gl_policy *before = NULL;
    ck_assert_int_eq(marl_gl_policy_copy(&before, marl_alternating_policy(s)),
                     MARL_OK);
    size_t its = marl_solver_iterations(s);
    for (long n = 0;; ++n) {
        long live = failalloc_live();
        failalloc_install(n);
        int rc = marl_solver_step(s);
        failalloc_uninstall();
        if (rc >= 0) break;
        ck_assert_int_eq(rc, MARL_ENOMEM);
        ck_assert_int_eq(failalloc_live(), live);
        ck_assert_uint_eq(marl_solver_iterations(s), its);
        double d = 1.0;
        ck_assert_int_eq(
            marl_gl_policy_distance(marl_alternating_policy(s), before, &d),
            MARL_OK);
        ck_assert_double_eq(d, 0.0);
        ck_assert(n < 100000);
    }
    marl_gl_policy_free(before);
}

#endif /* MARL_TEST_ALTSWEEP_H */
