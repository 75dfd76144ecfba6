/*
 * Declarations of the population games of the catalogue (one option table and
 * one constructor per game, as in ../catalogue_impl.h). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAMES_POPULATION_CATALOGUE_H
#define MARL_GAMES_POPULATION_CATALOGUE_H

/* ---- a-rps (a_rps.c), a-sis (a_sis.c), rps (rps.c), sis (sis.c) ---- */
extern const marl_option_def marl_games_a_rps_params[];
int marl_games_a_rps_build(marl_game **out, const marl_options *opts);
extern const marl_option_def marl_games_a_sis_params[];
int marl_games_a_sis_build(marl_game **out, const marl_options *opts);
extern const marl_option_def marl_games_rps_params[];
int marl_games_rps_build(marl_game **out, const marl_options *opts);
extern const marl_option_def marl_games_sis_params[];
int marl_games_sis_build(marl_game **out, const marl_options *opts);

#endif /* MARL_GAMES_POPULATION_CATALOGUE_H */
