/*
 * libmarlgame — the catalogue of built-in games.
 *
 * Every built-in game is built through the public builders, exactly as a
 * user would build it. Games are looked up by name with string-keyed
 * parameters "k=v,k=v" validated by the options framework; each game's
 * parameters are introspectable.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_GAMES_H
#define MARLGAME_GAMES_H

#include "game.h"
#include "options.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Build the catalogue game `name` with parameters `params` ("n=3,eps=0.1";
 *  NULL or "" for the defaults). Parameter names are matched
 *  case-insensitively ("N=3" works). Unknown names and parameters are
 *  MARL_EINVAL with a message listing what is known; values out of range are
 *  MARL_ERANGE; malformed lists are MARL_EFORMAT. */
MARL_API int marl_games_new(marl_game **out, const char *name,
                            const char *params);

/** Number of catalogue entries and their names, kinds and one-line summaries
 *  (NULL / 0 when out of range). */
MARL_API size_t marl_games_count(void);
MARL_API const char *marl_games_name(size_t i);
MARL_API int marl_games_kind(size_t i);
MARL_API const char *marl_games_summary(size_t i);
/** Index of the entry called name. */
MARL_API int marl_games_find(const char *name, size_t *index);
/** Parameter definitions of entry i (introspection, e.g. for `marlgame
 *  list`). */
MARL_API int marl_games_params(size_t i, const marl_option_def **defs,
                               size_t *n_defs);

/** `coordination` (seed 003, §5 and App. G.1): N players (2..10), local
 *  binary states and actions, P(s_i'=0|a_i=0) = 1-eps,
 *  P(s_i'=0|a_i=1) = eps, the seed's team reward, gamma, uniform mu, and
 *  potential phi = r. A factored game (marl_markov_is_factored): local
 *  states L_i = 2. Global state s = sum_i s_i 2^(N-1-i) (agent 0 is the
 *  most significant bit). Catalogue parameters: n (5), eps (0.1),
 *  gamma (0.95). Out-of-range N is MARL_ERANGE. */
MARL_API int marl_game_coordination_new(marl_game **out, size_t n_agents,
                                        double eps, double gamma);

/** `distancing` (Leonardos, Overman, Panageas, Piliouras, ICLR 2022): N
 *  players (2..8; the source uses 8), 4 facilities (actions) with weights
 *  (1, 2, 4, 6), states 0 = safe and 1 = distancing. A player at facility j
 *  with n_j players there gets w_j n_j, minus 100 in the distancing state.
 *  Deterministic transitions: from safe to distancing iff max_j n_j > N/2;
 *  from distancing stay iff max_j n_j > N/4, else back to safe.
 *  mu = (0.5, 0.5). No potential is supplied: with these action-dependent
 *  transitions no exact potential exists (the Rosenthal-plus-state-term
 *  candidate and every other one fail the potential identity for
 *  state-dependent policies; see lib/games/distancing.c), so solvers report
 *  potential = NaN. The game is count-based (marl_markov_is_count_based),
 *  so the exact metrics work on count vectors. Catalogue parameters: n (8),
 *  gamma (0.99), structure (counts; `dense` builds the same game without
 *  the count structure, for the general joint-action path). */
MARL_API int marl_game_distancing_new(marl_game **out, size_t n_agents,
                                      double gamma);

/** `random-mpg` (ours, for tests): a seeded random Markov potential game
 *  with n_agents agents, n_states states, n_actions actions per agent,
 *  uniform mu and supplied potential phi(s,a) ~ U[0,1]. action_dependent =
 *  0: transitions P(.|s) independent of the actions, rewards r_i = phi +
 *  u_i(s, a_-i) with dummy terms u_i ~ U[0,1]; 1: transitions depend on the
 *  joint action, rewards r_i = phi + g_i(s) - gamma sum_s' P(s'|s,a) g_i(s')
 *  with g_i(s) ~ U[0,1] (a shaping term, keeps the game an exact MPG). Every
 *  table is limited to 2^24 entries (MARL_ERANGE). Catalogue parameters:
 *  n (3), states (3), actions (2), transitions independent|dependent,
 *  gamma (0.9), seed (0). */
MARL_API int marl_game_random_mpg_new(marl_game **out, size_t n_agents,
                                      size_t n_states, size_t n_actions,
                                      int action_dependent, double gamma,
                                      uint64_t seed);

/** `matching-pennies-markov` (ours, for tests): two-player zero-sum Markov
 *  game, 2 states, 2 actions each, joint index 2 a_0 + a_1. r_1 = -r_0;
 *  state 0: r_0 = +1 if the actions match else -1; state 1: r_0(0,0) = 2,
 *  r_0(1,1) = 1, r_0 = -1 otherwise. The state stays with probability
 *  `stay` and switches otherwise, whatever the actions; mu uniform. The
 *  unique equilibrium plays uniform in state 0 and action 0 with
 *  probability 2/5 (both players) in state 1. Catalogue parameters:
 *  stay (0.8), gamma (0.9). */
MARL_API int marl_game_matching_pennies_markov_new(marl_game **out,
                                                   double stay, double gamma);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_GAMES_H */
