/*
 * Convergence of the exact mpg solvers (issue 3): the Nash-gap of
 * `coordination` (N = 3) falls below 1e-3 from the seed's initialisation
 * (theta ~ N(0,1), seeds 1..5; the direct-policy methods start from
 * softmax(theta) through marl_solver_set_initial_policy) within the stated
 * iteration budgets; the same on `distancing` (N = 8, 4^8 joint actions)
 * for NPG, projected PG, Q-ascent, optimistic Q-ascent and NPG-BR (k = 1,
 * inner_eta = 0.2, epsilon = 2e-4, seeds 1..5, within 100 iterations);
 * softmax PG on distancing decays like 1/t and needs about 1.5e5
 * iterations (tested in test_distancing.c on the count-based fast path;
 * here the small game, test_distancing_small); optimistic Q-ascent's
 * last iterate converges on the zero-sum `matching-pennies-markov` game
 * (plain Q-ascent, for contrast, does not); the reported gap equals the
 * exact metric of the returned policy.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include "mpgtest.h"

#include <stdio.h>

/* Run `t` on g from seed's initialisation until the Nash-gap is <= 1e-3
 * (or the method converges), at most `budget` iterations; assert success
 * and return the iterations used. `opt`/`val` set one real option. */
static size_t converge(marl_game *g, const marl_solver_type *t,
                       const char *opt, double val, uint64_t seed,
                       size_t budget) {
    marl_solver *s = mt_solver(t, g);
    if (opt) ck_assert_int_eq(marl_solver_set_real(s, opt, val), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, seed), MARL_OK);
    if (t == &marl_solver_mpg_softmax_pg) {
        ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"),
                         MARL_OK);
    } else {
        marl_policy *init = mt_normal_init(g, seed);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, init), MARL_OK);
        marl_policy_free(init);
    }
    size_t it = 0;
    int rc = marl_solver_run(s, budget, 1e-3, 0.0, &it);
    ck_assert_msg(rc == MARL_CONVERGED,
                  "%s on %s, seed %d: rc %d, Nash-gap %.4g after %zu "
                  "iterations (budget %zu)",
                  t->name, marl_game_name(g), (int)seed, rc,
                  mt_last(s, "nash_gap"), it, budget);
    double gap;
    ck_assert_int_eq(marl_markov_nash_gap(g, marl_solver_policy(s), &gap,
                                          NULL),
                     MARL_OK);
    ck_assert_double_le(gap, 1e-3);
    ck_assert(mt_last(s, "nash_gap") == gap);
    marl_solver_free(s);
    return it;
}

static marl_game *coordination3(void) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, 0.1, 0.95), MARL_OK);
    return g;
}

/* Budgets (iterations) on coordination N = 3, seeds 1..5. */
START_TEST(test_coordination_softmax_pg) {
    marl_game *g = coordination3();
    for (uint64_t seed = 1; seed <= 5; ++seed)
        converge(g, &marl_solver_mpg_softmax_pg, "eta", 5.0, seed, 1500);
    marl_game_free(g);
}
END_TEST

START_TEST(test_coordination_softmax_pg_barrier) {
    marl_game *g = coordination3();
    marl_solver *s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_eq(marl_solver_set_real(s, "eta", 5.0), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "log_barrier", 1e-4), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 3), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 1500, 1e-3, 0.0, NULL),
                     MARL_CONVERGED);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

START_TEST(test_coordination_npg) {
    marl_game *g = coordination3();
    for (uint64_t seed = 1; seed <= 5; ++seed)
        converge(g, &marl_solver_mpg_npg, NULL, 0.0, seed, 400);
    marl_game_free(g);
}
END_TEST

START_TEST(test_coordination_npg_br) {
    marl_game *g = coordination3();
    for (uint64_t seed = 1; seed <= 5; ++seed)
        converge(g, &marl_solver_mpg_npg_br, NULL, 0.0, seed, 50);
    marl_game_free(g);
}
END_TEST

START_TEST(test_coordination_projected) {
    marl_game *g = coordination3();
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        converge(g, &marl_solver_mpg_projected_pg, NULL, 0.0, seed, 200);
        converge(g, &marl_solver_mpg_q_ascent, NULL, 0.0, seed, 200);
        converge(g, &marl_solver_mpg_optimistic_q_ascent, NULL, 0.0, seed,
                 200);
    }
    marl_game_free(g);
}
END_TEST

/* distancing, N = 8: the direct-policy methods and NPG, seed 1..2. */
START_TEST(test_distancing) {
    marl_game *g = NULL;
    int rc = marl_games_new(&g, "distancing", NULL);
    ck_assert_msg(rc == MARL_OK, "%s", marl_last_error());
    ck_assert_uint_eq(marl_markov_num_joint(g), 65536);
    for (uint64_t seed = 1; seed <= 2; ++seed) {
        converge(g, &marl_solver_mpg_npg, NULL, 0.0, seed, 200);
        converge(g, &marl_solver_mpg_projected_pg, NULL, 0.0, seed, 20);
        converge(g, &marl_solver_mpg_q_ascent, NULL, 0.0, seed, 20);
        converge(g, &marl_solver_mpg_optimistic_q_ascent, NULL, 0.0, seed,
                 20);
    }
    marl_game_free(g);
}
END_TEST

/* distancing, N = 8 (the catalogue game, gamma = 0.99), NPG-BR from the
 * seed's initialisation (softmax of theta ~ N(0,1), seeds 1..5) with
 * k = 1, inner_eta = 0.2, epsilon = 2e-4: Nash-gap <= 1e-3 within 100
 * outer iterations (measured 62, 48, 46, 45, 65; about 1 s each). The
 * defaults (k = 5, inner_eta = 1) collapse the inner policies on this
 * game's reward scale (advantages of order 100/(1-gamma)) and stop by the
 * epsilon/2 rule at Nash-gap ~1e3: see docs/mpg.md, "Settings for
 * distancing". */
START_TEST(test_distancing_npg_br) {
    marl_game *g = NULL;
    int rc = marl_games_new(&g, "distancing", NULL);
    ck_assert_msg(rc == MARL_OK, "%s", marl_last_error());
    ck_assert_uint_eq(marl_game_num_agents(g), 8);
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        marl_solver *s = mt_solver(&marl_solver_mpg_npg_br, g);
        ck_assert_int_eq(marl_solver_set_int(s, "k", 1), MARL_OK);
        ck_assert_int_eq(marl_solver_set_real(s, "inner_eta", 0.2), MARL_OK);
        ck_assert_int_eq(marl_solver_set_real(s, "epsilon", 2e-4), MARL_OK);
        marl_policy *init = mt_normal_init(g, seed);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, init), MARL_OK);
        marl_policy_free(init);
        size_t it = 0;
        rc = marl_solver_run(s, 100, 1e-3, 0.0, &it);
        ck_assert_msg(rc == MARL_CONVERGED,
                      "npg-br on distancing, seed %d: rc %d, Nash-gap %.4g "
                      "after %zu iterations",
                      (int)seed, rc, mt_last(s, "nash_gap"), it);
        double gap;
        ck_assert_int_eq(marl_markov_nash_gap(g, marl_solver_policy(s), &gap,
                                              NULL),
                         MARL_OK);
        ck_assert_double_le(gap, 1e-3);
        ck_assert(mt_last(s, "nash_gap") == gap);
        marl_solver_free(s);
    }
    marl_game_free(g);
}
END_TEST

/* Softmax PG on distancing (docs/mpg.md, "Settings for distancing"): the
 * Nash-gap only decays like 1/(eta t) once the policies are nearly
 * deterministic. N = 4 (4^4 joint actions), eta = 0.01, seed 1: Nash-gap
 * <= 0.05 after 10000 iterations (about 4e-3 after 1e5), but still above
 * 1e-3. N = 8 reaching 1e-3: test_distancing.c. */
START_TEST(test_distancing_small) {
    marl_game *g = NULL;
    int rc = marl_games_new(&g, "distancing", "n=4");
    ck_assert_msg(rc == MARL_OK, "%s", marl_last_error());
    marl_solver *s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_eq(marl_solver_set_real(s, "eta", 0.01), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 1), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "eval_every", 10000), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 10000, 0.0, 0.0, NULL), MARL_OK);
    ck_assert_double_le(mt_last(s, "nash_gap"), 0.05);
    ck_assert_double_gt(mt_last(s, "nash_gap"), 1e-3);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

/* Zero-sum: optimistic Q-ascent's last iterate reaches Nash-gap <= 1e-3
 * (alpha = 0.1 default, budget 1000); plain Q-ascent's does not. */
START_TEST(test_optimistic_zero_sum) {
    marl_game *g = NULL;
    int rc = marl_games_new(&g, "matching-pennies-markov", NULL);
    ck_assert_msg(rc == MARL_OK, "%s", marl_last_error());
    for (uint64_t seed = 1; seed <= 5; ++seed)
        converge(g, &marl_solver_mpg_optimistic_q_ascent, NULL, 0.0, seed,
                 1000);
    marl_solver *s = mt_solver(&marl_solver_mpg_q_ascent, g);
    ck_assert_int_eq(marl_solver_run(s, 1000, 1e-3, 0.0, NULL), MARL_OK);
    ck_assert_double_gt(mt_last(s, "nash_gap"), 0.1);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("mpg-converge");
    TCase *tc = tcase_create("converge");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_coordination_softmax_pg);
    tcase_add_test(tc, test_coordination_softmax_pg_barrier);
    tcase_add_test(tc, test_coordination_npg);
    tcase_add_test(tc, test_coordination_npg_br);
    tcase_add_test(tc, test_coordination_projected);
    tcase_add_test(tc, test_distancing);
    tcase_add_test(tc, test_distancing_npg_br);
    tcase_add_test(tc, test_distancing_small);
    tcase_add_test(tc, test_optimistic_zero_sum);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
