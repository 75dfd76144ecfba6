/*
 * Internal layout of the population kind (population.h) and the validated
 * callback evaluation every other layer uses. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAME_POPULATION_IMPL_H
#define MARL_GAME_POPULATION_IMPL_H

#include "marlgame/population.h"
#include "game/game_impl.h"

typedef struct marl_population_data {
    size_t N, S, A, H;
    int symmetric;
    double *rho0;             /* [S] */
    marl_population_ops ops;  /* copied; members beyond `version` zeroed */
    void *user;
} marl_population_data;

static inline const marl_population_data *
marl_population_of(const marl_game *g) {
    return (g && g->kind == MARL_GAME_POPULATION)
               ? (const marl_population_data *)g->impl
               : NULL;
}

/* Dimensions S, A of a builder (no checks). */
void marl_population_builder_dims(const marl_population_builder *b,
                                  size_t *S, size_t *A);

/* Record MARL_EINVAL/MARL_EKIND unless `g` is a non-NULL population game;
 * `fn` names the caller in the message. */
int marl_require_population(const marl_game *g, const char *fn);

/* Validated callback calls without argument checks (indices in range,
 * pointers non-NULL; the agent is mapped to 0 for symmetric games). On a
 * callback failure or an invalid result: MARL_EINVAL naming `fn`, the
 * callback, agent, step, state and action; outputs then undefined. */
int marl_population_call_transition(const marl_population_data *d,
                                    const char *fn, size_t agent, size_t step,
                                    size_t state, size_t action,
                                    const double *sigma, double *row);
int marl_population_call_reward(const marl_population_data *d, const char *fn,
                                size_t agent, size_t step, size_t state,
                                size_t action, const double *sigma,
                                double *reward);

#endif /* MARL_GAME_POPULATION_IMPL_H */
