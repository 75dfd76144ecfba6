/*
 * Declarations of the global_local games of the catalogue (one option table and
 * one constructor per game, as in ../catalogue_impl.h). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAMES_GLOBAL_LOCAL_CATALOGUE_H
#define MARL_GAMES_GLOBAL_LOCAL_CATALOGUE_H

/* ---- warehouse (warehouse.c) ---- */
extern const marl_option_def marl_games_warehouse_params[];
int marl_games_warehouse_build(marl_game **out, const marl_options *opts);

#endif /* MARL_GAMES_GLOBAL_LOCAL_CATALOGUE_H */
