/*
 * Plumbing and error paths of the alternating-* solvers (G-LEARN):
 * marl_alternating_set_policy / marl_alternating_policy, bad options and
 * games, the vtable policy, and allocation failures of create and step
 * for every estimator and the off-policy method.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "failalloc.h"
#include "gltest.h"

static void setup(void) { failalloc_install(-1); }

START_TEST(test_registry_and_kind) {
    ck_assert_ptr_eq(marl_solver_type_find("alternating-glearn"),
                     &marl_solver_alternating_glearn);
    marl_game *mk = NULL;
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), 0);
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_alternating_glearn, mk),
                     MARL_EKIND);
    /* a non-alternating solver */
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_markov_best_response,
                                     mk), MARL_OK);
    ck_assert_ptr_null(marl_alternating_policy(s));
    ck_assert_int_eq(marl_last_error_code(), MARL_EINVAL);
    marl_game *g = gt_random_game(1, 5, 2, 2, 2, 2, 0.9);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 4), 0);
    ck_assert_int_eq(marl_alternating_set_policy(s, p), MARL_EINVAL);
    ck_assert_int_eq(marl_alternating_set_policy(NULL, p), MARL_EINVAL);
    ck_assert_ptr_null(marl_alternating_policy(NULL));
    marl_solver_free(s);
    marl_gl_policy_free(p);
    marl_game_free(mk);
    marl_game_free(g);
}
END_TEST

START_TEST(test_set_policy) {
    marl_game *g = gt_random_game(2, 5, 2, 3, 3, 2, 0.9);
    marl_game *g2 = gt_random_game(3, 5, 2, 3, 3, 2, 0.9);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_alternating_glearn, g),
                     0);
    /* before any set_policy: uniform start, vtable policy NULL */
    const marl_gl_policy *cur = marl_alternating_policy(s);
    ck_assert_ptr_nonnull(cur);
    ck_assert_uint_eq(marl_gl_policy_k(cur), 4); /* default k */
    double row[3];
    marl_gl_policy_global_row(cur, 1, 0, row);
    ck_assert(row[0] == 1.0 / 3.0);
    ck_assert_ptr_null(marl_solver_policy(s));
    marl_gl_policy *p = NULL, *p3 = NULL, *other = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 4), 0);
    ck_assert_int_eq(marl_gl_policy_new(&p3, g, 3), 0);
    ck_assert_int_eq(marl_gl_policy_new(&other, g2, 4), 0);
    gt_random_local(p, g, 7);
    gt_random_global(p, g, 8);
    ck_assert_int_eq(marl_alternating_set_policy(s, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_alternating_set_policy(s, p3), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "k = 3"));
    ck_assert_int_eq(marl_alternating_set_policy(s, other), MARL_EINVAL);
    ck_assert_int_eq(marl_alternating_set_policy(s, p), MARL_OK);
    /* a copy: changing p afterwards does not matter */
    const double one[2] = {1.0, 0.0};
    double d = 1;
    cur = marl_alternating_policy(s);
    ck_assert_int_eq(marl_gl_policy_distance(cur, p, &d), 0);
    ck_assert(d == 0.0);
    marl_gl_policy *keep = NULL;
    ck_assert_int_eq(marl_gl_policy_copy(&keep, p), 0);
    ck_assert_int_eq(marl_gl_policy_set_local_row(p, 0, 0, one), 0);
    cur = marl_alternating_policy(s);
    ck_assert_int_eq(marl_gl_policy_distance(cur, keep, &d), 0);
    ck_assert(d == 0.0);
    /* k changed after the policy: create fails, solver unchanged */
    ck_assert_int_eq(marl_solver_set_int(s, "k", 3), 0);
    ck_assert_int_lt(marl_solver_step(s), 0);
    ck_assert_ptr_null(marl_alternating_policy(s));
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    ck_assert_int_eq(marl_solver_set_int(s, "k", 4), 0);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    /* after a step: set_policy refused until reset */
    ck_assert_int_eq(marl_alternating_set_policy(s, keep), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_reset(s), 0);
    ck_assert_int_eq(marl_alternating_set_policy(s, keep), MARL_OK);
    /* k > n */
    ck_assert_int_eq(marl_solver_reset(s), 0);
    ck_assert_int_eq(marl_solver_set_int(s, "k", 6), 0);
    ck_assert_int_lt(marl_solver_step(s), 0);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "exceeds n"));
    /* bad options */
    ck_assert_int_lt(marl_solver_set_int(s, "m", 0), 0);
    ck_assert_int_lt(marl_solver_set_string(s, "estimator", "mean"), 0);
    ck_assert_int_lt(marl_solver_set_real(s, "tol", -1), 0);
    ck_assert_int_lt(marl_solver_set_real(s, "epsilon", 1.5), 0);
    ck_assert_int_lt(marl_solver_set_real(s, "lr_power", 0.2), 0);
    ck_assert_int_lt(marl_solver_set_int(s, "k", 0), 0);
    marl_solver_free(s);
    marl_gl_policy_free(p);
    marl_gl_policy_free(p3);
    marl_gl_policy_free(other);
    marl_gl_policy_free(keep);
    marl_game_free(g);
    marl_game_free(g2);
}
END_TEST

START_TEST(test_exact_too_large) {
    marl_game *g = gt_random_game(4, 400, 2, 2, 6, 2, 0.9);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_alternating_glearn, g),
                     0);
    ck_assert_int_eq(marl_solver_set_int(s, "k", 200), 0);
    ck_assert_int_eq(marl_solver_set_string(s, "estimator", "exact"), 0);
    ck_assert_int_eq(marl_solver_step(s), MARL_ERANGE);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

/* New solver, start policy, free: the status of set_policy. */
static int set_policy_once(marl_game *g, const marl_gl_policy *p) {
    marl_solver *s = NULL;
    int rc = marl_solver_new(&s, &marl_solver_alternating_glearn, g);
    if (rc == MARL_OK) rc = marl_solver_set_int(s, "k", 3);
    if (rc == MARL_OK) rc = marl_alternating_set_policy(s, p);
    marl_solver_free(s);
    return rc;
}

static int two_steps(marl_solver *s) {
    int rc = marl_solver_step(s);
    if (rc == MARL_OK) rc = marl_solver_step(s);
    return rc;
}

START_TEST(test_allocation_failures) {
    marl_game *g = gt_random_game(5, 6, 2, 3, 3, 2, 0.9);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 3), 0);
    FAILALLOC_SWEEP(set_policy_once(g, p), (void)0);
    static const char *const est[3] = {"sampled", "exact", "expected"};
    for (int e = 0; e < 4; ++e) {
        marl_solver *s = NULL;
        ck_assert_int_eq(
            marl_solver_new(&s, &marl_solver_alternating_glearn, g), 0);
        ck_assert_int_eq(marl_solver_set_int(s, "k", 3), 0);
        ck_assert_int_eq(marl_solver_set_int(s, "m", 5), 0);
        if (e < 3) {
            ck_assert_int_eq(marl_solver_set_string(s, "estimator", est[e]),
                             0);
        } else {
            ck_assert_int_eq(marl_solver_set_string(s, "method", "offpolicy"),
                             0);
            ck_assert_int_eq(marl_solver_set_int(s, "steps", 50), 0);
        }
        ck_assert_int_eq(marl_alternating_set_policy(s, p), MARL_OK);
        FAILALLOC_SWEEP(two_steps(s), marl_solver_reset(s));
        marl_solver_free(s);
    }
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_glearn_errors");
    TCase *tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_registry_and_kind);
    tcase_add_test(tc, test_set_policy);
    tcase_add_test(tc, test_exact_too_large);
    tcase_add_test(tc, test_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
