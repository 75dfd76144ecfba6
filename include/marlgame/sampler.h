/*
 * libmarlgame — samplers: seeded rollouts of a game under a policy.
 *
 * The sampler is the only source of randomness for learning solvers. One
 * thread at a time; split it for parallel work. Same seed => same
 * trajectories, bit for bit, on the same build.
 *
 * Draw order for a Markov-game step from state s: one uniform per agent in
 * agent order for the actions (inversion of the policy row), then one uniform
 * for the next state (inversion of P(.|s,a)), then, with geometric
 * termination, one uniform for the stop test. The start state is one uniform
 * (inversion of mu) unless given. On factored Markov games the next state
 * is still one uniform inverted over the (product) row P(.|s,a), so a
 * factored game and its dense copy give identical trajectories.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_SAMPLER_H
#define MARLGAME_SAMPLER_H

#include "game.h"
#include "policy.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct marl_sampler marl_sampler;

/** New sampler for `game` (a reference is kept) seeded with `seed`. */
MARL_API int marl_sampler_new(marl_sampler **out, marl_game *game,
                              uint64_t seed);
MARL_API void marl_sampler_free(marl_sampler *sampler);
/** Restart the sampler's stream from `seed`. */
MARL_API int marl_sampler_reseed(marl_sampler *sampler, uint64_t seed);
/** New sampler on an independent stream (the parent's generator is jumped
 *  after the copy, so parent and child never overlap). */
MARL_API int marl_sampler_split(marl_sampler *sampler, marl_sampler **child);
/** The sampler's generator (owned by the sampler), for solvers' own draws. */
MARL_API marl_rng *marl_sampler_rng(marl_sampler *sampler);
/** Total environment steps simulated so far. */
MARL_API uint64_t marl_sampler_steps(const marl_sampler *sampler);

/** Termination rules for rollouts. */
enum marl_rollout_mode {
    MARL_ROLLOUT_FIXED = 0,    /**< exactly max_steps steps                   */
    MARL_ROLLOUT_GEOMETRIC = 1 /**< after each step, continue with probability
                                    gamma (the game's discount); at most
                                    max_steps steps                           */
};

/** One rollout of a Markov game under a stationary policy.
 *  start_state: a state index, or (size_t)-1 to draw from mu.
 *  Outputs (any may be NULL): states[0..len] (len+1 entries: the states
 *  visited, the last one the state after the final step), actions[t*N + i],
 *  rewards[t*N + i]; capacities: states max_steps+1, actions and rewards
 *  max_steps*N. *length receives the number of steps taken. */
MARL_API int marl_sampler_rollout(marl_sampler *sampler,
                                  const marl_policy *policy, size_t start_state,
                                  size_t max_steps, int mode, size_t *states,
                                  size_t *actions, double *rewards,
                                  size_t *length);

/** n_rollouts rollouts into strided buffers: rollout r writes states at
 *  states + r*(max_steps+1), actions at actions + r*max_steps*N, rewards at
 *  rewards + r*max_steps*N, and its length to lengths[r]. Identical to
 *  calling marl_sampler_rollout n_rollouts times. */
MARL_API int marl_sampler_rollouts(marl_sampler *sampler,
                                   const marl_policy *policy,
                                   size_t n_rollouts, size_t start_state,
                                   size_t max_steps, int mode, size_t *states,
                                   size_t *actions, double *rewards,
                                   size_t *lengths);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_SAMPLER_H */
