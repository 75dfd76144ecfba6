/*
 * The exact n-agent joint value of alternating-marl's evaluation=exact
 * against an independent brute force over all joint agent states and all
 * k-subsets (altgame.h), and against marl_gl_evaluate's Monte-Carlo
 * rollouts (i.i.d. and Dirichlet initial laws).
 * SPDX-License-Identifier: MIT
 */
#include <check.h>

#include "altgame.h"
#include "check_main.h"
#include "solvers/alternating/loop/eval_exact.h"

static void check_case(uint64_t seed, size_t Sg, size_t Ag, size_t Sl,
                       size_t Al, size_t k, size_t n) {
    at_model m = at_model_random(seed, Sg, Ag, Sl, Al, k, 0.9);
    marl_game *g = ag_game(&m, n);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, k), MARL_OK);
    ag_policy_random(p, &m, seed + 7);
    marl_alt_exact *e = NULL;
    ck_assert_int_eq(marl_alt_exact_new(&e, marl_gl_of(g), k, 0.9, "test"),
                     MARL_OK);
    double v[4], ref[4];
    marl_alt_exact_values(e, p, 25, v);
    ag_brute_values(&m, n, p, 25, ref);
    for (size_t s = 0; s < Sg; ++s)
        ck_assert_double_eq_tol(v[s], ref[s], 1e-11);
    /* the initial-law value against Monte-Carlo rollouts */
    double mean, hw, v0 = 0.0;
    for (size_t s = 0; s < Sg; ++s) v0 += m.rho_g[s] * v[s];
    ck_assert_int_eq(marl_gl_evaluate(g, p, 20000, 25, 99, &mean, &hw),
                     MARL_OK);
    ck_assert_msg(fabs(mean - v0) < 2.0 * hw, "exact %.6f, MC %.6f +- %.6f",
                  v0, mean, hw);
    marl_alt_exact_free(e);
    marl_gl_policy_free(p);
    marl_game_unref(g);
    at_model_free(&m);
}

START_TEST(test_against_brute_force) {
    check_case(1, 2, 2, 2, 2, 2, 3);
    check_case(2, 2, 3, 2, 2, 3, 4);
    check_case(3, 3, 2, 3, 2, 1, 3);
    check_case(4, 2, 2, 3, 3, 3, 3); /* k = n: the sample is everyone */
    check_case(5, 1, 2, 2, 2, 1, 1);
}
END_TEST

START_TEST(test_dirichlet_against_rollouts) {
    at_model m = at_model_random(8, 2, 2, 3, 2, 2, 0.9);
    marl_global_local_builder *b = NULL;
    marl_game *g = NULL;
    const double conc[3] = {0.3, 1.0, 2.5};
    ck_assert_int_eq(marl_global_local_builder_new(&b, 5, 2, 2, 3, 2),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, 0.9), MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, m.Pg, m.rg),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, m.Pl, m.rl),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_initial_dirichlet(b, conc),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), MARL_OK);
    marl_global_local_builder_free(b);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 2), MARL_OK);
    ag_policy_random(p, &m, 77);
    marl_alt_exact *e = NULL;
    ck_assert_int_eq(marl_alt_exact_new(&e, marl_gl_of(g), 2, 0.9, "test"),
                     MARL_OK);
    double v[2], mean, hw;
    marl_alt_exact_values(e, p, 20, v);
    double v0 = 0.5 * (v[0] + v[1]); /* rho_g uniform by default */
    ck_assert_int_eq(marl_gl_evaluate(g, p, 40000, 20, 5, &mean, &hw),
                     MARL_OK);
    ck_assert_msg(fabs(mean - v0) < 2.0 * hw, "exact %.6f, MC %.6f +- %.6f",
                  v0, mean, hw);
    marl_alt_exact_free(e);
    marl_gl_policy_free(p);
    marl_game_unref(g);
    at_model_free(&m);
}
END_TEST

START_TEST(test_too_large) {
    at_model m = at_model_random(9, 2, 2, 5, 2, 2, 0.9);
    marl_game *g = ag_game(&m, 200);
    marl_alt_exact *e = NULL;
    ck_assert_int_eq(marl_alt_exact_new(&e, marl_gl_of(g), 2, 0.9, "test"),
                     MARL_ERANGE);
    ck_assert_ptr_null(e);
    marl_game_unref(g);
    at_model_free(&m);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("alternating-eval-exact");
    TCase *tc = tcase_create("exact");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_against_brute_force);
    tcase_add_test(tc, test_dirichlet_against_rollouts);
    tcase_add_test(tc, test_too_large);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
