/*
 * marl_gl_evaluate_from (evaluation from a given global start state) and
 * the threaded evaluation: the mean against the exact dynamic programme of
 * a tiny game from each start state (both local-move conventions, i.i.d.
 * and Dirichlet initial laws); the same draws as marl_gl_evaluate_ex (a
 * game whose rho_g is a point mass gives the identical estimate);
 * bit-identical results for 1, 2 and 3 threads; bad input; allocation
 * failures.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "evaltest.h"
#include "failalloc.h"

static void setup(void) { failalloc_install(-1); }

START_TEST(test_from_exact_tiny) {
    for (int dir = 0; dir < 2; ++dir) {
        double init[9];
        marl_gl_policy *p = NULL;
        marl_game *g = tiny_variant(dir, init, &p);
        for (int ng = 0; ng < 2; ++ng) {
            const unsigned fl = ng ? MARL_GL_EVAL_NEXT_GLOBAL : 0;
            double ex[2];
            for (size_t s = 0; s < 2; ++s) {
                ex[s] = exact_return(g, p, init, 6, ng, s);
                double mean, hw;
                ck_assert_int_eq(marl_gl_evaluate_from(g, p, s, 40000, 6, 5,
                                                       fl, &mean, &hw),
                                 0);
                ck_assert(hw > 0 && hw < 0.05);
                /* 4 half-widths: a ~1e-4 false-alarm rate, fixed seed */
                ck_assert_msg(fabs(mean - ex[s]) < 4 * hw,
                              "dir %d next %d s %zu: mean %g exact %g hw %g",
                              dir, ng, s, mean, ex[s], hw);
            }
            /* the start states differ (the test can fail) and average to
             * the value at the uniform rho_g */
            ck_assert(fabs(ex[0] - ex[1]) > 1e-3);
            ck_assert(fabs(0.5 * (ex[0] + ex[1]) -
                           exact_return(g, p, init, 6, ng, SIZE_MAX)) <
                      1e-12);
        }
        marl_gl_policy_free(p);
        marl_game_free(g);
    }
}
END_TEST

/* A random game whose rho_g is the point mass at `s`. */
static marl_game *point_game(size_t s, const double *conc) {
    const size_t Sg = 3, Ag = 2, Sl = 3, Al = 2;
    gt_tables t = gt_random_tables(808, Sg, Ag, Sl, Al);
    marl_global_local_builder *b = NULL;
    ck_assert_int_eq(marl_global_local_builder_new(&b, 40, Sg, Ag, Sl, Al),
                     0);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, t.Pg, t.rg), 0);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, t.Pl, t.rl), 0);
    double rho[3] = {0, 0, 0};
    rho[s] = 1.0;
    ck_assert_int_eq(marl_global_local_builder_set_initial_global(b, rho),
                     0);
    if (conc)
        ck_assert_int_eq(
            marl_global_local_builder_set_initial_dirichlet(b, conc), 0);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), 0);
    marl_global_local_builder_free(b);
    gt_tables_free(&t);
    return g;
}

START_TEST(test_from_same_draws) {
    const double conc[3] = {0.5, 0.5, 2.0};
    for (int dir = 0; dir < 2; ++dir)
        for (size_t s = 0; s < 3; ++s) {
            marl_game *g = point_game(s, dir ? conc : NULL);
            marl_gl_policy *p = NULL;
            ck_assert_int_eq(marl_gl_policy_new(&p, g, 4), 0);
            gt_random_local(p, g, 21);
            gt_random_global(p, g, 22);
            for (unsigned fl = 0; fl < 2; ++fl) {
                double m1, h1, m2, h2, m3, h3;
                ck_assert_int_eq(
                    marl_gl_evaluate_ex(g, p, 9, 15, 77, fl, &m1, &h1), 0);
                ck_assert_int_eq(marl_gl_evaluate_from(g, p, s, 9, 15, 77,
                                                       fl, &m2, &h2),
                                 0);
                ck_assert(memcmp(&m1, &m2, sizeof m1) == 0);
                ck_assert(memcmp(&h1, &h2, sizeof h1) == 0);
                /* another start state gives another estimate */
                ck_assert_int_eq(marl_gl_evaluate_from(g, p, (s + 1) % 3, 9,
                                                       15, 77, fl, &m3, &h3),
                                 0);
                ck_assert(m3 != m1);
            }
            marl_gl_policy_free(p);
            marl_game_free(g);
        }
}
END_TEST

START_TEST(test_threads_identical) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=200"), 0);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 5), 0);
    gt_random_global(p, g, 31);
    gt_random_local(p, g, 32);
    /* 150 rollouts: three batches, the last one partial */
    for (unsigned ng = 0; ng < 2; ++ng) {
        double m[4], h[4];
        for (unsigned t = 0; t < 4; ++t) {
            const unsigned fl = ng | MARL_GL_EVAL_THREADS(t);
            ck_assert_int_eq(
                marl_gl_evaluate_ex(g, p, 150, 12, 9, fl, &m[t], &h[t]), 0);
            ck_assert(memcmp(&m[t], &m[0], sizeof m[0]) == 0);
            ck_assert(memcmp(&h[t], &h[0], sizeof h[0]) == 0);
        }
        double a, ha, b, hb;
        ck_assert_int_eq(marl_gl_evaluate_from(g, p, 3, 70, 12, 9, ng, &a,
                                               &ha),
                         0);
        ck_assert_int_eq(
            marl_gl_evaluate_from(g, p, 3, 70, 12, 9,
                                  ng | MARL_GL_EVAL_THREADS(2), &b, &hb),
            0);
        ck_assert(memcmp(&a, &b, sizeof a) == 0 &&
                  memcmp(&ha, &hb, sizeof ha) == 0);
    }
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_from_errors) {
    marl_game *g = gt_random_game(9, 4, 2, 2, 2, 2, 0.9), *g2 = NULL, *mk;
    g2 = gt_random_game(9, 4, 2, 2, 2, 2, 0.9);
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), 0);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 2), 0);
    double m = 7, h = 7;
    ck_assert_int_eq(marl_gl_evaluate_from(NULL, p, 0, 1, 1, 0, 0, &m, &h),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(mk, p, 0, 1, 1, 0, 0, &m, &h),
                     MARL_EKIND);
    ck_assert_int_eq(marl_gl_evaluate_from(g, NULL, 0, 1, 1, 0, 0, &m, &h),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(g2, p, 0, 1, 1, 0, 0, &m, &h),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(g, p, 2, 1, 1, 0, 0, &m, &h),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "s_g = 2"));
    ck_assert_int_eq(
        marl_gl_evaluate_from(g, p, SIZE_MAX, 1, 1, 0, 0, &m, &h),
        MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(g, p, 1, 0, 1, 0, 0, &m, &h),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(g, p, 1, 1, 0, 0, 0, &m, &h),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(g, p, 1, 1, 1, 0, 0, NULL, &h),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(g, p, 1, 1, 1, 0, 0, &m, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_from(g, p, 1, 1, 1, 0, 2u, &m, &h),
                     MARL_EINVAL);
    ck_assert_int_eq(
        marl_gl_evaluate_ex(g, p, 1, 1, 0, 1u << 16, &m, &h), MARL_EINVAL);
    ck_assert(m == 7 && h == 7);
    /* the thread bits are flags the evaluator knows */
    ck_assert_int_eq(marl_gl_evaluate_from(g, p, 1, 3, 2, 0,
                                           MARL_GL_EVAL_THREADS(255), &m, &h),
                     0);
    marl_gl_policy_free(p);
    marl_game_free(g);
    marl_game_free(g2);
    marl_game_free(mk);
}
END_TEST

START_TEST(test_from_allocation_failures) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=30"), 0);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 3), 0);
    double m, h;
    FAILALLOC_SWEEP(marl_gl_evaluate_from(g, p, 2, 3, 4, 1, 0, &m, &h),
                    (void)0);
    FAILALLOC_SWEEP(marl_gl_evaluate_from(g, p, 2, 3, 4, 1,
                                          MARL_GL_EVAL_THREADS(2), &m, &h),
                    (void)0);
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_eval_from");
    TCase *tc = tcase_create("eval_from");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_from_exact_tiny);
    tcase_add_test(tc, test_from_same_draws);
    tcase_add_test(tc, test_threads_identical);
    tcase_add_test(tc, test_from_errors);
    tcase_add_test(tc, test_from_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
