/*
 * Declarations of the aggregative games of the catalogue (one option table and
 * one constructor per game, as in ../catalogue_impl.h). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAMES_AGGREGATIVE_CATALOGUE_H
#define MARL_GAMES_AGGREGATIVE_CATALOGUE_H

/* ---- routing (aggregative/routing.c) ---- */
extern const marl_option_def marl_games_routing_params[];
int marl_games_routing_build(marl_game **out, const marl_options *opts);

/* ---- random-amg (aggregative/random_amg.c) ---- */
extern const marl_option_def marl_games_random_amg_params[];
int marl_games_random_amg_build(marl_game **out, const marl_options *opts);

#endif /* MARL_GAMES_AGGREGATIVE_CATALOGUE_H */
