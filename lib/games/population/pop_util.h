/*
 * Shared construction helper of the catalogue's population games. Not
 * installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAMES_POPULATION_POP_UTIL_H
#define MARL_GAMES_POPULATION_POP_UTIL_H

#include "marlgame/population.h"

/* Build a population game through the public builder (rho0 NULL: uniform).
 * On failure ops->destroy(user) has been called (if the callbacks were
 * accepted) or must be called by the caller (if set_ops itself failed: the
 * helper does it, so the caller never has to). */
int marl_pop_build_simple(marl_game **out, const char *name, size_t n,
                          size_t S, size_t A, size_t H, const double *rho0,
                          int symmetric, const marl_population_ops *ops,
                          void *user);

#endif /* MARL_GAMES_POPULATION_POP_UTIL_H */
