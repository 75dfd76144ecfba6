/* Shared reference game of the game tests.
 * SPDX-License-Identifier: MIT */
#ifndef MARL_TEST_REFGAME_H
#define MARL_TEST_REFGAME_H

#include "game/game_impl.h"

#include <check.h>

/* A small reference game: N = 2, S = 2, A = (2, 3), J = 6.
 *   P(s'=0 | s, j) = (s + j + 1) / 10,  P(s'=1 | s, j) = 1 - that
 *   r_i(s, j) = 100 i + 10 s + j,  phi(s, j) = -0.5 (s J + j),
 *   mu = (0.25, 0.75), gamma = 0.8. */
enum { NA = 2, NS = 2, NJ = 6 };
static const size_t ACT[NA] = {2, 3};
static double P0[NS * NJ * NS], R0[NA * NS * NJ], PHI0[NS * NJ];
static const double MU0[NS] = {0.25, 0.75};

static inline void make_tables(void) {
    for (size_t s = 0; s < NS; ++s)
        for (size_t j = 0; j < NJ; ++j) {
            double p = (double)(s + j + 1) / 10.0;
            P0[(s * NJ + j) * NS + 0] = p;
            P0[(s * NJ + j) * NS + 1] = 1.0 - p;
            PHI0[s * NJ + j] = -0.5 * (double)(s * NJ + j);
            for (size_t i = 0; i < NA; ++i)
                R0[(i * NS + s) * NJ + j] = 100.0 * i + 10.0 * s + j;
        }
}

static inline marl_game *ref_game(void) {
    marl_game *g = NULL;
    make_tables();
    ck_assert_int_eq(marl_markov_new(&g, NA, NS, ACT, 0.8, MU0, P0, R0, PHI0),
                     MARL_OK);
    return g;
}

static inline void check_ref_tables(const marl_game *g, const double *P,
                             const double *R, const double *phi) {
    double row[NS], v;
    for (size_t s = 0; s < NS; ++s)
        for (size_t j = 0; j < NJ; ++j) {
            ck_assert_int_eq(marl_markov_transition_row(g, s, j, row), MARL_OK);
            for (size_t k = 0; k < NS; ++k)
                ck_assert(row[k] == P[(s * NJ + j) * NS + k]);
            for (size_t i = 0; i < NA; ++i) {
                ck_assert_int_eq(marl_markov_reward(g, i, s, j, &v), MARL_OK);
                ck_assert(v == R[(i * NS + s) * NJ + j]);
            }
            if (phi) {
                ck_assert_int_eq(marl_markov_potential(g, s, j, &v), MARL_OK);
                ck_assert(v == phi[s * NJ + j]);
            }
        }
}

#endif
