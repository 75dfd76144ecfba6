/*
 * libmarlgame — population games (ALGORITHMS.md §2; seed 001).
 *
 * N agents share finite state and action sets S, A, a horizon H (steps
 * h = 0..H-1) and an initial state distribution rho0. Agent i's dynamics and
 * reward depend on its own (s, a), its index i, the step h and the empirical
 * state-action distribution of the OTHER agents, sigma_{-i} in Delta(S x A):
 *     P^i(s' | s, a, sigma_{-i}),   R^i(s, a, sigma_{-i}).
 * sigma is passed as real-valued probabilities sigma[s * A + a] (row-major,
 * summing to 1), so the same callbacks define the induced mean-field game on
 * the whole simplex.
 *
 * Games are built from a versioned callback table (the simulator-embedding
 * path) or from the catalogue (games.h: "a-rps", "a-sis", "rps", "sis").
 * A game flagged symmetric has identical agents: its callbacks are always
 * called with agent = 0, and the induced MFG is the callback itself.
 *
 * Policies of population games are marl_policy objects with
 * MARL_POLICY_PER_STEP (steps = H), SHARED for one policy for everyone
 * (Symm-PMD) or per agent (IPMD).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_POPULATION_H
#define MARLGAME_POPULATION_H

#include "game.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Current version of marl_population_ops. */
#define MARL_POPULATION_OPS_VERSION 1

/** Callbacks of a population game. New members are only appended; the
 *  library reads a member only if `version` says the table has it.
 *  Every callback returns 0, or non-zero to report a failure (surfaced as
 *  MARL_EINVAL naming the callback, agent, step, state and action). Results are
 *  validated on every call: rows must be distributions (finite, >= 0, sum 1
 *  within 1e-9), rewards finite; violations are MARL_EINVAL naming agent,
 *  step, state and action. Callbacks must be thread-safe (pure functions of
 *  their arguments and of `user`) when OpenMP is enabled. */
typedef struct marl_population_ops {
    int version; /**< MARL_POPULATION_OPS_VERSION */
    /** row[s'] = P^agent(s' | state, action, sigma) at step `step`;
     *  sigma[S*A] is the others' state-action distribution. */
    int (*transition)(void *user, size_t agent, size_t step, size_t state,
                      size_t action, const double *sigma, double *row);
    /** *reward = R^agent(state, action, sigma) at step `step`. */
    int (*reward)(void *user, size_t agent, size_t step, size_t state,
                  size_t action, const double *sigma, double *reward);
    /** Optional: called once with `user` when the game is freed. */
    void (*destroy)(void *user);
} marl_population_ops;

typedef struct marl_population_builder marl_population_builder;

/** New builder: n_agents >= 1 (up to at least 10^5), n_states >= 1,
 *  n_actions >= 1, horizon >= 1. Default initial distribution: uniform. */
MARL_API int marl_population_builder_new(marl_population_builder **out,
                                         size_t n_agents, size_t n_states,
                                         size_t n_actions, size_t horizon);
MARL_API void marl_population_builder_free(marl_population_builder *b);
/** rho0[0..S-1], a distribution (copied). */
MARL_API int marl_population_builder_set_initial(marl_population_builder *b,
                                                 const double *rho0);
/** Callback table (copied; version checked) and its user data. If the
 *  build fails or the game is freed, ops->destroy(user) is called exactly
 *  once by the game (never by a failed set_ops). */
MARL_API int marl_population_builder_set_ops(marl_population_builder *b,
                                             const marl_population_ops *ops,
                                             void *user);
/** Declare the agents identical (callbacks called with agent = 0 only). */
MARL_API int marl_population_builder_set_symmetric(marl_population_builder *b,
                                                   int on);
/** Name reported by marl_game_name (copied). */
MARL_API int marl_population_builder_set_name(marl_population_builder *b,
                                              const char *name);
/** Tabulated form (instead of set_ops): identical agents (the game is
 *  marked symmetric), stationary P and R affine in sigma, with K = S * A
 *  and k = s'' * A + a'' indexing sigma:
 *    P(s'|s,a,sigma) = P0[(s*A+a)*S+s'] + sum_k P1[((s*A+a)*S+s')*K+k] sigma_k
 *    R(s,a,sigma)    = R0[s*A+a] + sum_k R1[(s*A+a)*K+k] sigma_k
 *  P1 and R1 may be NULL (no dependence on sigma). The tables are copied
 *  and validated exactly: every transition row must be a distribution
 *  (finite, >= 0, sum 1 within 1e-9) at every vertex sigma = e_k, hence on
 *  the whole simplex; errors name state, action and the vertex. Replaces
 *  callbacks set before (calling their destroy). */
MARL_API int marl_population_builder_set_linear(marl_population_builder *b,
                                                const double *P0,
                                                const double *P1,
                                                const double *R0,
                                                const double *R1);
/** Build (callbacks from set_ops, or tables from set_linear, required). */
MARL_API int marl_population_builder_build(marl_population_builder *b,
                                           marl_game **out);

/** 1 if the game is a symmetric population game, 0 otherwise. */
MARL_API int marl_population_is_symmetric(const marl_game *game);
/** rho0 into rho0[S]. */
MARL_API int marl_population_initial(const marl_game *game, double *rho0);
/** Validated evaluation of the callbacks (the only way other layers call
 *  them): row[S] = P^agent(. | state, action, sigma) at `step`. */
MARL_API int marl_population_transition(const marl_game *game, size_t agent,
                                        size_t step, size_t state,
                                        size_t action, const double *sigma,
                                        double *row);
/** *reward = R^agent(state, action, sigma) at `step`, validated. */
MARL_API int marl_population_reward(const marl_game *game, size_t agent,
                                    size_t step, size_t state, size_t action,
                                    const double *sigma, double *reward);

#ifdef __cplusplus
}
#endif

#endif /* MARLGAME_POPULATION_H */
