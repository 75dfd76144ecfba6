/*
 * Declarations of the global_local games of the catalogue (one option table and
 * one constructor per game, as in ../catalogue_impl.h). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAMES_GLOBAL_LOCAL_CATALOGUE_H
#define MARL_GAMES_GLOBAL_LOCAL_CATALOGUE_H

#endif /* MARL_GAMES_GLOBAL_LOCAL_CATALOGUE_H */
