/*
 * Successor distributions of the G-LEARN count-vector MDP (ALGORITHMS.md
 * §4): for one (s_g, c), the law of c' when each of the k sampled local
 * agents in state j moves independently by Pt(. | j) =
 * P~_l(. | j, s_g). Three estimators: the expected next counts rounded by
 * largest remainder (the public reference), m Monte-Carlo draws, the exact
 * convolution of multinomials. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_GLEARN_SUCC_H
#define MARL_SOLVERS_GLEARN_SUCC_H

#include "core/internal.h"
#include "marlgame/rng.h"

/* Expected next counts e_j' = sum_j c_j Pt[j * Sl + j'] (accumulated as
 * e = fma(c_j, Pt[j * Sl + j'], e), j = 0, 1, ..., from e = 0, as the
 * reference's numpy/OpenBLAS product does) rounded to a count vector of
 * sum k by largest remainder: floor every entry, then give one more to
 * the k - sum(floor) entries of largest fractional part, ties to the
 * lower index. out[Sl]; frac[Sl] scratch. */
void marl_glearn_expected_next(const double *Pt, const size_t *c, size_t Sl,
                               size_t k, size_t *out, double *frac);

/* One Monte-Carlo draw of c' (conditional binomials per source state,
 * marl_rng_multinomial) into out[Sl]; tmp[Sl] scratch. */
int marl_glearn_sample_next(marl_rng *rng, const double *Pt, const size_t *c,
                            size_t Sl, size_t *out, uint64_t *tmp);

/* Exact law of c' by convolution, agent by agent. Tables for up to k
 * agents: created by marl_glearn_conv_new (NULL on failure, error
 * recorded). */
typedef struct marl_glearn_conv marl_glearn_conv;
marl_glearn_conv *marl_glearn_conv_new(size_t k, size_t Sl);
void marl_glearn_conv_free(marl_glearn_conv *cv);
/* The law of c' over the ranks of count vectors of k agents, into
 * dist[C_k] (counts.h ranks); returns dist (owned by cv). */
const double *marl_glearn_conv_law(marl_glearn_conv *cv, const double *Pt,
                                   const size_t *c);

#endif /* MARL_SOLVERS_GLEARN_SUCC_H */
