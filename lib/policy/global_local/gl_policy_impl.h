/*
 * Internal layout of marl_gl_policy (global_local.h). Not installed.
 * The alternating solvers and the evaluator read and write the tables
 * directly.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_POLICY_GL_POLICY_IMPL_H
#define MARL_POLICY_GL_POLICY_IMPL_H

#include "game/global_local/gl_impl.h"

struct marl_gl_policy {
    marl_game *game;     /* a reference */
    size_t k, C;         /* sampled agents; count vectors C(k+Sl-1, Sl-1) */
    size_t Sg, Ag, Sl, Al;
    double *pg;          /* [(s_g * C + rank) * Ag + a_g] */
    double *pl;          /* [(s_l * Sg + s_g) * Al + a_l] */
    size_t *binom;       /* [(k + Sl) * Sl]: binom[b * Sl + r] = C(b, r) */
};

/* Rank of the count vector c[0..Sl-1] (sum k, unchecked) in the
 * combinatorial number system of counts.h, by table lookups. */
static inline size_t marl_gl_rank(const marl_gl_policy *p, const size_t *c) {
    size_t r = 0, sum = 0;
    for (size_t j = 0; j + 1 < p->Sl; ++j) {
        sum += c[j];
        r += p->binom[(sum + j) * p->Sl + (j + 1)];
    }
    return r;
}

/* Same, for count vectors of t <= k agents (ranks among the vectors of t
 * agents). */
static inline size_t marl_gl_rank_t(const size_t *binom, size_t Sl,
                                    const size_t *c) {
    size_t r = 0, sum = 0;
    for (size_t j = 0; j + 1 < Sl; ++j) {
        sum += c[j];
        r += binom[(sum + j) * Sl + (j + 1)];
    }
    return r;
}

/* The binomial table C(b, r) for b < rows, r < Sl (0 for r > b); NULL on
 * allocation failure or overflow (error recorded). */
size_t *marl_gl_binom_table(size_t rows, size_t Sl);

#endif /* MARL_POLICY_GL_POLICY_IMPL_H */
