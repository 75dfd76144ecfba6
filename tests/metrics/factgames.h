/*
 * Test helpers for factored Markov games: seeded random factored games
 * (local factors depending on the global state and the agent's action),
 * and the dense copy of any Markov game built from its public accessors.
 * Header-only; include after testgames.h.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_FACTGAMES_H
#define MARL_TEST_FACTGAMES_H

#include "testgames.h"

/* Random factored game: local rows random with zeros (probability 0.3),
 * rewards U[-1,1], phi U[0,1] when with_phi, random mu. */
static inline marl_game *fg_random_game(uint64_t seed, size_t N,
                                        const size_t *L, const size_t *A,
                                        double gamma, int with_phi) {
    sm_rng r = {seed};
    size_t S = 1, J = tg_joint_count(N, A);
    for (size_t i = 0; i < N; ++i) S *= L[i];
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, N, L, A), MARL_OK);
    for (size_t i = 0; i < N; ++i) {
        double *Pl = malloc(S * A[i] * L[i] * sizeof(double));
        for (size_t k = 0; k < S * A[i]; ++k)
            tg_random_dist(&r, Pl + k * L[i], L[i], 0.3);
        ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, i, Pl),
                         MARL_OK);
        free(Pl);
    }
    double *R = malloc(N * S * J * sizeof(double));
    double *phi = malloc(S * J * sizeof(double));
    double *mu = malloc(S * sizeof(double));
    for (size_t k = 0; k < N * S * J; ++k) R[k] = 2.0 * sm_unif(&r) - 1.0;
    for (size_t k = 0; k < S * J; ++k) phi[k] = sm_unif(&r);
    tg_random_dist(&r, mu, S, 0.0);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    if (with_phi)
        ck_assert_int_eq(marl_markov_builder_set_potential(b, phi), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_initial(b, mu), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_discount(b, gamma), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    marl_markov_builder_free(b);
    free(R);
    free(phi);
    free(mu);
    return g;
}

/* The dense game with the same tables (rows from marl_markov_transition_row,
 * so a factored game's rows are copied bit for bit). */
static inline marl_game *fg_densify(const marl_game *g) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    size_t J = marl_markov_num_joint(g), A[64];
    for (size_t i = 0; i < N; ++i) A[i] = marl_game_num_actions(g, i);
    double *P = malloc(S * J * S * sizeof(double));
    double *R = malloc(N * S * J * sizeof(double));
    double *phi = malloc(S * J * sizeof(double));
    double *mu = malloc(S * sizeof(double));
    for (size_t s = 0; s < S; ++s)
        for (size_t j = 0; j < J; ++j) {
            ck_assert_int_eq(
                marl_markov_transition_row(g, s, j, P + (s * J + j) * S),
                MARL_OK);
            for (size_t i = 0; i < N; ++i)
                ck_assert_int_eq(marl_markov_reward(g, i, s, j,
                                                    R + (i * S + s) * J + j),
                                 MARL_OK);
            if (marl_markov_has_potential(g))
                ck_assert_int_eq(marl_markov_potential(g, s, j,
                                                       phi + s * J + j),
                                 MARL_OK);
        }
    ck_assert_int_eq(marl_markov_initial(g, mu), MARL_OK);
    marl_game *d = NULL;
    int rc = marl_markov_new(&d, N, S, A, marl_game_discount(g), mu, P, R,
                             marl_markov_has_potential(g) ? phi : NULL);
    ck_assert_msg(rc == MARL_OK, "densify: %s", marl_last_error());
    free(P);
    free(R);
    free(phi);
    free(mu);
    return d;
}

#endif /* MARL_TEST_FACTGAMES_H */
