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

/** `coordination` (seed 003, §5 and App. G.1): N players (2..6 in this
 *  release), local binary states and actions, P(s_i'=0|a_i=0) = 1-eps,
 *  P(s_i'=0|a_i=1) = eps, the seed's team reward, gamma, uniform mu, and
 *  potential phi = r. Global state s = sum_i s_i 2^(N-1-i) (agent 0 is the
 *  most significant bit). Catalogue parameters: n (5), eps (0.1),
 *  gamma (0.95). Out-of-range N is MARL_ERANGE. */
MARL_API int marl_game_coordination_new(marl_game **out, size_t n_agents,
                                        double eps, double gamma);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_GAMES_H */
