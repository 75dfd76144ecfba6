/*
 * Internal interface between the catalogue (catalogue.c) and the built-in
 * games (one file per game). Not installed.
 *
 * To add a game: write lib/games/<game>.c defining its option table
 * (terminated by an entry whose name is NULL) and its constructor from a
 * marl_options set, declare both below, and add one line to the table in
 * catalogue.c.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAMES_CATALOGUE_IMPL_H
#define MARL_GAMES_CATALOGUE_IMPL_H

#include "marlgame/games.h"
#include "core/internal.h"

/* Build a game from a validated option set (conforming to its table). */
typedef int (*marl_games_ctor)(marl_game **out, const marl_options *opts);

typedef struct marl_games_entry {
    const char *name;
    int kind;                      /* marl_game_kind */
    const char *summary;           /* one line */
    const marl_option_def *params; /* terminated by a NULL name */
    marl_games_ctor build;
} marl_games_entry;

/* ---- coordination (coordination.c) ---- */
extern const marl_option_def marl_games_coordination_params[];
int marl_games_coordination_build(marl_game **out, const marl_options *opts);

/* ---- distancing (distancing.c) ---- */
extern const marl_option_def marl_games_distancing_params[];
int marl_games_distancing_build(marl_game **out, const marl_options *opts);

/* ---- random-mpg (random_mpg.c) ---- */
extern const marl_option_def marl_games_random_mpg_params[];
int marl_games_random_mpg_build(marl_game **out, const marl_options *opts);

/* ---- matching-pennies-markov (matching_pennies.c) ---- */
extern const marl_option_def marl_games_matching_pennies_params[];
int marl_games_matching_pennies_build(marl_game **out,
                                      const marl_options *opts);

/* Later families declare their games in their own folder. */
#include "population/catalogue.h"
#include "aggregative/catalogue.h"
#include "global_local/catalogue.h"

#endif /* MARL_GAMES_CATALOGUE_IMPL_H */
