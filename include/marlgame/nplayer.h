/*
 * libmarlgame — the N-player population game: simulation, the N-player
 * exploitability estimator, symmetry constants, and the learning solvers
 * meanfield-td, meanfield-pmd (Symm-PMD) and meanfield-ipmd (ALGORITHMS.md
 * §2; seed 001). See docs/meanfield.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_NPLAYER_H
#define MARLGAME_NPLAYER_H

#include "population.h"
#include "policy.h"
#include "sampler.h"
#include "solver.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- N-player simulation ------------------------------------------------ *
 *
 * A simulator of the N-player game of a population game. Agent i's
 * dynamics and reward at step h use the exact empirical distribution of the
 * OTHER agents, sigma_{-i} = (C_h - e_{(s_i, a_i)}) / (N - 1), where C_h
 * counts the N agents' (state, action) pairs (for N = 1, sigma_{-i} is the
 * agent's own point mass). Since sigma_{-i} depends on the agent only through
 * its own pair, symmetric games are simulated exactly with one transition
 * and one reward callback per (state, action) pair present at a step
 * instead of one per agent.
 *
 * Randomness: agents are cut into fixed blocks of 1024; block b draws from
 * stream b of the seed (marl_rng_new_stream). Per episode: every agent draws
 * its initial state (one uniform); at each step h every agent draws its
 * action (one uniform, alias table) and, for h < H - 1, its next state (one
 * uniform). Results therefore do not depend on the number of threads. */

typedef struct marl_population_sim marl_population_sim;

/** New simulator of a population game (a reference is kept), seeded. */
MARL_API int marl_population_sim_new(marl_population_sim **out,
                                     marl_game *game, uint64_t seed);
MARL_API void marl_population_sim_free(marl_population_sim *sim);
/** Restart every stream from `seed`. */
MARL_API int marl_population_sim_reseed(marl_population_sim *sim,
                                        uint64_t seed);
/** OpenMP threads used across agent blocks (default 1 = serial; 0 = the
 *  OpenMP default). Ignored when the library is built without OpenMP.
 *  Results are identical for every value. The parallel regions are short
 *  (two per step), so threads pay off only for large N on idle cores. */
MARL_API int marl_population_sim_set_threads(marl_population_sim *sim,
                                             int threads);
/** Agent-steps simulated so far (N per step of every episode). */
MARL_API uint64_t marl_population_sim_steps(const marl_population_sim *sim);
/** One episode of H steps with every agent following `policy` (a policy of
 *  the game: SHARED or per agent, PER_STEP with H steps or stationary).
 *  Outputs (any may be NULL), h = 0..H-1, i = 0..N-1:
 *    states[h*N + i], actions[h*N + i], rewards[h*N + i] (R^i at step h),
 *    counts[h*S*A + s*A + a] = number of agents in (s, a) at step h.
 *  Callback failures are MARL_EINVAL naming the callback and agent; on
 *  error the outputs are undefined and the streams have advanced. */
MARL_API int marl_population_sim_episode(marl_population_sim *sim,
                                         const marl_policy *policy,
                                         size_t *states, size_t *actions,
                                         double *rewards, size_t *counts);

/* ---- N-player exploitability estimate ----------------------------------- *
 *
 * ALGORITHMS.md §2: M rollouts of the N-player game under pi give, for each
 * evaluated agent i, the averaged time-indexed MDP
 *   Pbar_h(s'|s,a) = (1/M) sum_m P^i(s'|s,a,sigma_{-i,h}^(m)) (rewards
 * likewise); its backward-induction optimum is the deviation policy BR_i.
 * The gain J^i(BR_i, pi_{-i}) - J^i(pi) is then estimated on K fresh
 * episodes of the real N-player game with common random numbers (the
 * deviating and the baseline episode share the seed), giving a mean and a
 * 95% confidence half-width (1.96 standard errors). The agent with the
 * largest mean gain is selected and (when more than one agent is
 * evaluated) re-evaluated on K fresh paired episodes; that mean is the
 * estimate. It is a LOWER bound in expectation of the exploitability
 * (BR_i may be sub-optimal; only evaluated agents count). Memory: M*H*N
 * 4-byte pairs plus O(N*H) per episode. Options
 * (marl_options of marl_population_estimate_options_new):
 *   rollouts (20)      M, episodes that build the averaged MDPs
 *   eval_rollouts (8)  K, paired episodes per evaluated agent
 *   agents (0)         number of agents evaluated (0 = all; otherwise a
 *                      seeded uniform sample without replacement)
 *   seed (1)           seed of every draw
 *   threads (1)        OpenMP threads of the simulation (0 = the OpenMP
 *                      default; results do not depend on it)
 *   deviation (resimulate)  resimulate: the deviating episodes are real
 *                      N-player episodes; frozen: the deviator's own path
 *                      is re-simulated alone against the others' recorded
 *                      baseline paths (the others do not react to the
 *                      deviator's 1/(N-1) share of their sigma): O(H) per
 *                      agent and episode, an O(1/N) approximation.
 * The re-evaluation removes the upward bias of a maximum of noisy means. */

/** New option set of the estimator holding the defaults (free with
 *  marl_options_free; introspect with marl_options_count/def). */
MARL_API int marl_population_estimate_options_new(marl_options **out);
/** Estimate the N-player exploitability of `policy` (a SHARED or per-agent
 *  policy of the game). opts may be NULL (defaults). Outputs (any may be
 *  NULL): the estimate (the re-evaluated mean gain of the selected agent;
 *  may be < 0), its 95% half-width (NaN if eval_rollouts = 1), and the
 *  selected agent. */
MARL_API int marl_population_exploitability(marl_game *game,
                                            const marl_policy *policy,
                                            const marl_options *opts,
                                            double *estimate,
                                            double *half_width,
                                            size_t *agent);

/* ---- symmetry constants ------------------------------------------------- *
 *
 * Seed 001 Def. 7: the game is alpha,beta-symmetric when, for every agent i,
 * step, (s, a) and every empirical distribution mu of N - 1 other agents,
 *   || P^i(.|s,a,mu) - P(.|s,a,mu) ||_1 <= alpha,
 *   | R^i(s,a,mu) - R(s,a,mu) | <= beta,
 * with P, R the induced MFG (averages over agents). The estimator draws
 * n_samples distributions mu = Multinomial(N - 1, p) / (N - 1) with
 * p ~ Dirichlet(1, ..., 1) on S x A and takes the maxima over samples,
 * agents, steps and (s, a): a lower bound of the true constants. Costs
 * n_samples * H * S * A * N evaluations of each callback. */
MARL_API int marl_population_symmetry(marl_game *game, size_t n_samples,
                                      uint64_t seed, double *alpha,
                                      double *beta);

/* ---- learning solvers (options: see docs/meanfield.md) ------------------- */

/** `meanfield-td`: TD learning of the regularised mean-field Q of a fixed
 *  shared policy on the N-player game (seed 001 Alg. 1). One step = one
 *  epoch. Metrics: q_error (max |Qhat - Q^{tau,pi}| against the exact
 *  induced MFG), samples. */
extern MARL_API const marl_solver_type marl_solver_meanfield_td;
/** `meanfield-pmd`: Symm-PMD (seed 001 Alg. 2). One step = one PMD epoch
 *  (td_epochs episodes). The solver's policy is the averaged policy. */
extern MARL_API const marl_solver_type marl_solver_meanfield_pmd;
/** `meanfield-ipmd`: independent PMD (seed 001's baseline): one Q and one
 *  policy per agent; the solver's policy is per agent. */
extern MARL_API const marl_solver_type marl_solver_meanfield_ipmd;

/** Qhat[h*S*A + s*A + a] of a meanfield-td solver (its current estimate;
 *  the state is created if needed). */
MARL_API int marl_meanfield_td_q(marl_solver *solver, double *Q);

#ifdef __cplusplus
}
#endif

#endif /* MARLGAME_NPLAYER_H */
