/*
 * Shared fixture of the mpg-q-ascent-sampled tests: the solver type, a
 * solver with seed/alpha/k set, and the critic test game. Include after
 * <check.h> and the marlgame headers, in one file per executable.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_SAMPLED_FIXTURE_H
#define MARL_TEST_SAMPLED_FIXTURE_H

#include "marlgame/marlgame.h"
#include "marlgame/mpg.h"

static const marl_solver_type *T = &marl_solver_mpg_q_ascent_sampled;

/* A solver of T on g with the given seed, alpha and k. */
static marl_solver *sampled_solver(marl_game *g, uint64_t seed, double alpha,
                                   long long K) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, T, g), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, seed), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "alpha", alpha), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "k", K), MARL_OK);
    return s;
}

/* The critic tests' setting: random-mpg (2 agents, 3 states, 2 actions,
 * action-dependent transitions, gamma 0.5, seed 3) and a fixed policy
 * (uniform + Dirichlet draw with rng seed 1) / 2, so every probability is
 * >= 1/4. Free both with marl_policy_free / marl_game_free. */
static void critic_fixture(marl_game **g, marl_policy **p) {
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_game_random_mpg_new(g, 2, 3, 2, 1, 0.5, 3), MARL_OK);
    ck_assert_int_eq(marl_policy_new(p, *g, 0), MARL_OK);
    ck_assert_int_eq(marl_rng_new(&rng, 1), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(*p, rng), MARL_OK);
    for (size_t i = 0; i < 2; ++i)
        for (size_t s = 0; s < 3; ++s) {
            double r[2];
            ck_assert_int_eq(marl_policy_get_row(*p, i, 0, s, r), MARL_OK);
            r[0] = 0.5 * r[0] + 0.25;
            r[1] = 1.0 - r[0];
            ck_assert_int_eq(marl_policy_set_row(*p, i, 0, s, r), MARL_OK);
        }
    marl_rng_free(rng);
}

#endif /* MARL_TEST_SAMPLED_FIXTURE_H */
