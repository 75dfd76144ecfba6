/*
 * The mpg solvers on `distancing`, the count-based catalogue game
 * (game.h, "count-based Markov games"; docs/mpg.md):
 *  - softmax PG from the seed's initialisation (theta ~ N(0,1), option
 *    init=normal, seed 1) with eta = 0.01 reaches Nash-gap <= 1e-3 on
 *    N = 8 (measured: 149 2xx iterations, see docs/mpg.md; one exact
 *    iteration ~20 us on the count path instead of ~2.2 ms on the
 *    joint-action path). The metrics are computed every 100 iterations,
 *    so the run stops at the first multiple of 100 with gap <= 1e-3
 *    (149 300), within a budget of 160 000; the final policy's Nash-gap is
 *    then checked on the count-based game AND on the same game built
 *    without the count structure (structure=dense, the general path).
 *  - every mpg solver type, run from the same start with the same seed on
 *    the count-based game and on the dense one (N = 4, gamma = 0.9, 15
 *    iterations), produces the same metric history (1e-9 relative) and
 *    the same final policy (1e-9): the solvers take the fast path without
 *    changes;
 *  - allocation failures in the first step of every exact type on the
 *    count-based game.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include "failalloc.h"
#include "mpgtest.h"

#include <stdio.h>

static marl_game *distancing(const char *params) {
    marl_game *g = NULL;
    int rc = marl_games_new(&g, "distancing", params);
    ck_assert_msg(rc == MARL_OK, "%s", marl_last_error());
    return g;
}

START_TEST(test_softmax_pg_reaches_1e3) {
    marl_game *g = distancing(NULL), *gd = distancing("structure=dense");
    ck_assert_int_eq(marl_markov_is_count_based(g), 1);
    ck_assert_uint_eq(marl_markov_num_joint(g), 65536);
    marl_solver *s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_eq(marl_solver_set_real(s, "eta", 0.01), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "eval_every", 100), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 1), MARL_OK);
    size_t it = 0;
    int rc = marl_solver_run(s, 160000, 1e-3, 0.0, &it);
    ck_assert_msg(rc == MARL_CONVERGED,
                  "softmax PG on distancing: rc %d, Nash-gap %.4g after %zu "
                  "iterations",
                  rc, mt_last(s, "nash_gap"), it);
    ck_assert_uint_gt(it, 140000); /* the 1/(eta t) phase: not much sooner */
    double gap, gap_dense;
    const marl_policy *p = marl_solver_policy(s);
    ck_assert_int_eq(marl_markov_nash_gap(g, p, &gap, NULL), MARL_OK);
    ck_assert_int_eq(marl_markov_nash_gap(gd, p, &gap_dense, NULL), MARL_OK);
    ck_assert(mt_last(s, "nash_gap") == gap);
    ck_assert_double_le(gap, 1e-3);
    ck_assert_double_le(gap_dense, 1e-3);
    ck_assert_double_gt(gap, 0.9e-3); /* stopped at the first crossing */
    ck_assert(fabs(gap - gap_dense) <= 1e-9);
    marl_solver_free(s);
    marl_game_free(g);
    marl_game_free(gd);
}
END_TEST

/* Run type t for `iters` iterations on g from seed 3's initialisation. */
static marl_solver *run(const marl_solver_type *t, marl_game *g,
                        size_t iters) {
    marl_solver *s = mt_solver(t, g);
    ck_assert_int_eq(marl_solver_set_seed(s, 3), MARL_OK);
    if (t == &marl_solver_mpg_softmax_pg) {
        ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"),
                         MARL_OK);
        ck_assert_int_eq(marl_solver_set_real(s, "eta", 0.01), MARL_OK);
    } else {
        marl_policy *init = mt_normal_init(g, 3);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, init), MARL_OK);
        marl_policy_free(init);
    }
    if (t == &marl_solver_mpg_q_ascent_sampled)
        ck_assert_int_eq(marl_solver_set_int(s, "k", 200), MARL_OK);
    int rc = marl_solver_run(s, iters, 0.0, 0.0, NULL);
    ck_assert_msg(rc == MARL_OK || rc == MARL_CONVERGED, "%s: %s", t->name,
                  marl_last_error());
    return s;
}

static int close_rel(double x, double y, double tol) {
    if (isnan(x) || isnan(y)) return isnan(x) && isnan(y);
    return fabs(x - y) <= tol * (1.0 + fabs(x) + fabs(y));
}

START_TEST(test_solvers_both_paths) {
    const marl_solver_type *types[] = {
        &marl_solver_mpg_softmax_pg,   &marl_solver_mpg_npg,
        &marl_solver_mpg_npg_br,       &marl_solver_mpg_projected_pg,
        &marl_solver_mpg_q_ascent,     &marl_solver_mpg_optimistic_q_ascent,
        &marl_solver_mpg_q_ascent_sampled};
    marl_game *gc = distancing("n=4,gamma=0.9");
    marl_game *gd = distancing("n=4,gamma=0.9,structure=dense");
    ck_assert_int_eq(marl_markov_is_count_based(gd), 0);
    for (size_t k = 0; k < sizeof types / sizeof types[0]; ++k) {
        marl_solver *sc = run(types[k], gc, 15), *sd = run(types[k], gd, 15);
        size_t n = marl_solver_history_length(sc);
        size_t m = marl_solver_metric_count(sc);
        ck_assert_uint_eq(n, marl_solver_history_length(sd));
        ck_assert_uint_le(m, 32);
        for (size_t r = 0; r < n; ++r) {
            double xc[32], xd[32];
            ck_assert_int_eq(marl_solver_history_row(sc, r, xc), MARL_OK);
            ck_assert_int_eq(marl_solver_history_row(sd, r, xd), MARL_OK);
            for (size_t c = 2; c < m; ++c) /* after iteration, seconds */
                ck_assert_msg(close_rel(xc[c], xd[c], 1e-9),
                              "%s, row %zu, %s: %.17g vs %.17g",
                              types[k]->name, r,
                              marl_solver_metric_name(sc, c), xc[c], xd[c]);
        }
        double pc[4 * 2 * 4], pd[4 * 2 * 4];
        mt_flat(gc, marl_solver_policy(sc), pc);
        mt_flat(gd, marl_solver_policy(sd), pd);
        for (size_t e = 0; e < 32; ++e)
            ck_assert_msg(fabs(pc[e] - pd[e]) <= 1e-9, "%s: policy[%zu]",
                          types[k]->name, e);
        marl_solver_free(sc);
        marl_solver_free(sd);
    }
    marl_game_free(gc);
    marl_game_free(gd);
}
END_TEST

/* Allocation failures at every allocation of the first step (state
 * creation, which computes V* on the count path, and the first update with
 * its metrics) on the count-based game: MARL_ENOMEM, no leak. */
START_TEST(test_alloc_first_step_counts) {
    const marl_solver_type *types[] = {
        &marl_solver_mpg_softmax_pg, &marl_solver_mpg_npg,
        &marl_solver_mpg_npg_br,     &marl_solver_mpg_projected_pg,
        &marl_solver_mpg_q_ascent,   &marl_solver_mpg_optimistic_q_ascent};
    failalloc_install(-1);
    marl_game *g = distancing("n=3,gamma=0.9");
    for (size_t k = 0; k < sizeof types / sizeof types[0]; ++k) {
        marl_solver *s = mt_solver(types[k], g);
        FAILALLOC_SWEEP(marl_solver_step(s), marl_solver_reset(s));
        ck_assert_int_ge(marl_solver_run(s, 2, 0.0, 0.0, NULL), 0);
        marl_solver_free(s);
    }
    failalloc_uninstall();
    marl_game_free(g);
}
END_TEST

int main(void) {
    Suite *s = suite_create("mpg-distancing");
    TCase *tc = tcase_create("distancing");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_softmax_pg_reaches_1e3);
    tcase_add_test(tc, test_solvers_both_paths);
    tcase_add_test(tc, test_alloc_first_step_counts);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
