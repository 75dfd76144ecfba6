/*
 * alternating-glearn: stopping rules and the gamma-contraction of the
 * residual, reproducibility of estimator=sampled from the seed, results
 * independent of the thread count, and method=offpolicy (Q-learning)
 * against the exact Q on a tiny game.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "glearntest.h"

/* ---- stopping, contraction ------------------------------------------------ */

START_TEST(test_stopping_and_contraction) {
    marl_game *g = gt_random_game(404, 10, 3, 3, 3, 2, 0.6);
    for (int e = 0; e < 3; ++e) {
        const char *est = e == 0 ? "exact" : e == 1 ? "expected" : "sampled";
        marl_solver *s = glearn(g, NULL, 3, est, 20, 5);
        ck_assert_int_eq(marl_solver_set_real(s, "tol", 1e-8), 0);
        size_t it = 0;
        ck_assert_int_eq(marl_solver_run(s, 100000, 0, 0, &it),
                         MARL_CONVERGED);
        double h[5], prev = HUGE_VAL;
        for (size_t i = 0; i < it; ++i) {
            marl_solver_history_row(s, i, h);
            /* ||Delta Q|| contracts by gamma each sweep */
            if (i > 0)
                ck_assert_msg(h[2] <= 0.6 * prev + 1e-12,
                              "%s sweep %zu: %g > 0.6 * %g", est, i, h[2],
                              prev);
            prev = h[2];
        }
        ck_assert(prev <= 1e-8);
        marl_solver_history_row(s, it - 2, h);
        ck_assert(h[2] > 1e-8);
        marl_solver_free(s);
        /* max_sweeps */
        s = glearn(g, NULL, 3, est, 20, 5);
        ck_assert_int_eq(marl_solver_set_int(s, "max_sweeps", 7), 0);
        ck_assert_int_eq(marl_solver_run(s, 100, 0, 0, &it), MARL_CONVERGED);
        ck_assert_uint_eq(it, 7);
        ck_assert_int_eq(marl_solver_step(s), MARL_CONVERGED);
        marl_solver_free(s);
    }
    marl_game_free(g);
}
END_TEST

/* ---- sampled is reproducible from the seed -------------------------------- */

START_TEST(test_sampled_seeded) {
    marl_game *g = gt_random_game(505, 10, 2, 3, 3, 2, 0.9);
    marl_solver *a = glearn(g, NULL, 4, "sampled", 5, 99);
    marl_solver *b = glearn(g, NULL, 4, "sampled", 5, 99);
    marl_solver *c = glearn(g, NULL, 4, "sampled", 5, 100);
    for (int i = 0; i < 20; ++i) {
        marl_solver_step(a);
        marl_solver_step(b);
        marl_solver_step(c);
    }
    const glearn_state *sa = marl_solver_state(a), *sb = marl_solver_state(b),
                       *sc = marl_solver_state(c);
    ck_assert(memcmp(sa->Q, sb->Q, sa->S * 3 * sizeof(double)) == 0);
    ck_assert(memcmp(sa->Q, sc->Q, sa->S * 3 * sizeof(double)) != 0);
    marl_solver_free(a);
    marl_solver_free(b);
    marl_solver_free(c);
    marl_game_free(g);
}
END_TEST

/* ---- thread count does not change results --------------------------------- */

START_TEST(test_threads_bit_identical) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=100"), 0);
    for (int e = 0; e < 2; ++e) {
        glearn_state *st[3];
        marl_solver *s[3];
        for (int t = 0; t < 3; ++t) {
            s[t] = glearn(g, NULL, 9, e ? "sampled" : "expected", 3, 4);
            ck_assert_int_eq(marl_solver_set_int(s[t], "threads", t + 1), 0);
            ck_assert_int_eq(marl_solver_set_int(s[t], "max_sweeps", 15), 0);
            ck_assert_int_eq(marl_solver_run(s[t], 100, 0, 0, NULL),
                             MARL_CONVERGED);
            st[t] = marl_solver_state(s[t]);
        }
        for (int t = 1; t < 3; ++t) {
            for (size_t i = 0; i < st[0]->S; ++i) {
                const size_t sg = i / st[0]->C, c = i % st[0]->C;
                const double v0 = marl_glearn_value(st[0], sg, c),
                             vt = marl_glearn_value(st[t], sg, c);
                ck_assert(memcmp(&v0, &vt, sizeof v0) == 0);
            }
            double h0[5], h1[5];
            marl_solver_history_row(s[0], 14, h0);
            marl_solver_history_row(s[t], 14, h1);
            ck_assert(h0[2] == h1[2]);
            double d = 1;
            marl_gl_policy_distance(marl_alternating_policy(s[0]),
                                    marl_alternating_policy(s[t]), &d);
            ck_assert(d == 0.0);
        }
        for (int t = 0; t < 3; ++t) marl_solver_free(s[t]);
    }
    marl_game_free(g);
}
END_TEST

/* ---- off-policy Q-learning ------------------------------------------------ */

START_TEST(test_offpolicy_tiny) {
    const size_t k = 1;
    marl_game *g = gt_random_game(606, 5, 2, 2, 2, 2, 0.5);
    marl_solver *ex = glearn(g, NULL, k, "exact", 1, 0);
    ck_assert_int_eq(marl_solver_set_real(ex, "tol", 1e-13), 0);
    ck_assert_int_eq(marl_solver_run(ex, 10000, 0, 0, NULL), MARL_CONVERGED);
    marl_solver *q = glearn(g, NULL, k, "exact", 1, 8);
    ck_assert_int_eq(marl_solver_set_string(q, "method", "offpolicy"), 0);
    ck_assert_int_eq(marl_solver_set_real(q, "epsilon", 0.5), 0);
    ck_assert_int_eq(marl_solver_set_real(q, "lr_power", 0.6), 0);
    ck_assert_int_eq(marl_solver_set_int(q, "steps", 20000), 0);
    ck_assert_int_eq(marl_solver_set_real(q, "tol", 0), 0);
    ck_assert_int_eq(marl_solver_run(q, 10, 0, 0, NULL), MARL_OK);
    const glearn_state *se = marl_solver_state(ex), *sq = marl_solver_state(q);
    double gap = 0;
    for (size_t s = 0; s < 2; ++s)
        for (size_t r = 0; r < se->C; ++r)
            for (size_t a = 0; a < 2; ++a)
                gap = fmax(gap, fabs(q_of(se, s, r, a) -
                                     sq->Q[(s * sq->C + r) * 2 + a]));
    /* Q is about 4 here; 2e5 transitions bring Q-learning within 0.15 */
    ck_assert_msg(gap < 0.15, "offpolicy gap %g", gap);
    ck_assert_uint_eq(sq->visited, 4);
    double h[5];
    marl_solver_history_row(q, 9, h);
    ck_assert(h[4] == 4.0); /* visits metric */
    marl_solver_free(ex);
    marl_solver_free(q);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_glearn_more");
    TCase *tc = tcase_create("glearn_more");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_stopping_and_contraction);
    tcase_add_test(tc, test_sampled_seeded);
    tcase_add_test(tc, test_threads_bit_identical);
    tcase_add_test(tc, test_offpolicy_tiny);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
