/* Games shared by the policy tests.
 * SPDX-License-Identifier: MIT */
#ifndef MARL_TEST_POLICY_GAMES_H
#define MARL_TEST_POLICY_GAMES_H

#include "game/game_impl.h"
#include "policy/policy_impl.h"

#include <check.h>
#include <stdlib.h>

/* Markov game with N agents, S states, actions A[], uniform transitions and
 * zero rewards. */
static inline marl_game *tp_markov(size_t N, size_t S, const size_t *A) {
    size_t J = 1;
    for (size_t i = 0; i < N; ++i) J *= A[i];
    double *P = malloc(S * J * S * sizeof *P);
    double *R = calloc(N * S * J, sizeof *R);
    for (size_t k = 0; k < S * J * S; ++k) P[k] = 1.0 / (double)S;
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_new(&g, N, S, A, 0.9, NULL, P, R, NULL),
                     MARL_OK);
    free(P);
    free(R);
    return g;
}

/* A finite-horizon shell game (kind population, no model data) of horizon
 * H: enough for policies, which only read the dimensions. */
static inline marl_game *tp_finite(size_t N, size_t S, const size_t *A,
                                   size_t H) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_alloc(&g, MARL_GAME_POPULATION, N, S, A,
                                     "finite"), MARL_OK);
    g->horizon = H;
    return g;
}

/* Fill every row of a direct policy with distinct, exactly known values:
 * row r (in storage order) of length A gets p_k = w_k / sum w with
 * w_k = 1 + ((r * 7 + k * 3) % 11). */
static inline void tp_fill(marl_policy *p) {
    size_t r = 0;
    for (size_t t = 0; t < p->n_tables; ++t) {
        size_t A = p->n_actions[t];
        for (size_t row = 0; row < p->n_steps * p->n_states; ++row, ++r) {
            double *x = p->values + p->offset[t] + row * A, sum = 0.0;
            for (size_t k = 0; k < A; ++k) {
                x[k] = 1.0 + (double)((r * 7 + k * 3) % 11);
                sum += x[k];
            }
            for (size_t k = 0; k < A; ++k) x[k] /= sum;
        }
    }
}

#endif
