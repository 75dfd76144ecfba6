/*
 * libmarlgame — Markov potential games: the independent policy gradient
 * family (seeds 002 and 003; ALGORITHMS.md §1). Solver types for Markov
 * games; every one reports per iteration the exact Nash-gap, the potential
 * (NaN if the game has none), the welfare and the price of anarchy (NaN when
 * undefined); the sampled variant also reports the samples used.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_MPG_H
#define MARLGAME_MPG_H

#include "solver.h"

#ifdef __cplusplus
extern "C" {
#endif

/** `mpg-softmax-pg`: tabular softmax policy gradient with exact gradients
 *  (seed 003 eq. 3), optional log-barrier regulariser (seed 003 §3.2).
 *  Options: eta (0.1), log_barrier (0), init uniform|normal. */
extern MARL_API const marl_solver_type marl_solver_mpg_softmax_pg;
/** `mpg-npg`: independent natural policy gradient / soft policy iteration
 *  (seed 003 Lemma 3.7). Options: eta. */
extern MARL_API const marl_solver_type marl_solver_mpg_npg;
/** `mpg-npg-br`: maximum-gain approximate best-response NPG (seed 003
 *  eqs. 5-6, Thm. 3.8). Options: k (5, inner steps K), epsilon (1e-3),
 *  inner_eta (1). */
extern MARL_API const marl_solver_type marl_solver_mpg_npg_br;
/** `mpg-projected-pg`: projected gradient with visitation weighting
 *  (Leonardos et al.; the baseline of seed 002). Options: eta. */
extern MARL_API const marl_solver_type marl_solver_mpg_projected_pg;
/** `mpg-q-ascent`: independent projected Q-ascent (seed 002). Options:
 *  alpha (0.1). */
extern MARL_API const marl_solver_type marl_solver_mpg_q_ascent;
/** `mpg-optimistic-q-ascent`: optimistic Q-ascent with a smoothed critic
 *  (seed 002, after Wei, Lee, Zhang, Luo 2021); game-agnostic. Options:
 *  alpha, critic_h. */
extern MARL_API const marl_solver_type marl_solver_mpg_optimistic_q_ascent;
/** `mpg-q-ascent-sampled`: sample-based Q-ascent with linear function
 *  approximation, projected SGD critic, xi-greedy simplex (seed 002).
 *  Options: alpha, k (samples per iteration), xi, sgd_step, w_max. */
extern MARL_API const marl_solver_type marl_solver_mpg_q_ascent_sampled;

/** User-supplied critic features of player `agent` for a solver of type
 *  `mpg-q-ascent-sampled` (default: one-hot over (s, a_i), d = |S||A_i|).
 *  phi holds |S| * A_agent * dim doubles, phi[(s * A_agent + a) * dim + k]
 *  = phi_agent(s, a)_k; it is copied. Every entry must be finite and every
 *  feature vector must have Euclidean norm <= 1 + 1e-12; dim >= 1.
 *  phi = NULL restores the one-hot default of that player (dim ignored).
 *  The critic is then phi(s,a)^T w with w in R^dim (w_max = 0 still means
 *  sqrt(|S||A_i|) max|r| / (1 - gamma); set w_max if the feature map needs
 *  a larger radius). Call before the first step: MARL_EINVAL afterwards
 *  (until marl_solver_reset, which keeps the features), MARL_EINVAL for a
 *  NULL solver or a solver of another type, MARL_ERANGE for agent out of
 *  range or a table too large, MARL_ENOMEM. Nothing changes on error. */
MARL_API int marl_mpg_sampled_set_features(marl_solver *solver, size_t agent,
                                           size_t dim, const double *phi);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_MPG_H */
