/*
 * Internal layout of marl_game and of the Markov kind's data. Not installed.
 * Only lib/game/ constructs games; other layers read through these inline
 * accessors.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAME_IMPL_H
#define MARL_GAME_IMPL_H

#include "marlgame/game.h"
#include "core/internal.h"

#include <stdatomic.h>

struct marl_game {
    int kind;                 /* marl_game_kind */
    atomic_size_t refcount;
    char *name;               /* never NULL once built ("" default) */
    size_t n_agents;
    size_t n_states;
    size_t *n_actions;        /* [n_agents] */
    size_t horizon;           /* 0 for discounted kinds */
    double gamma;             /* 1 for finite-horizon kinds */
    void *impl;               /* kind-specific data */
    void (*impl_free)(void *impl);
};

/* Markov kind (dense tables, layouts as documented in game.h). */
typedef struct marl_markov_data {
    size_t n_joint;   /* J = prod_i A_i */
    size_t *stride;   /* [N]: stride[i] = prod_{k>i} A_k; j = sum a_i*stride[i] */
    double *P;        /* [S*J*S] */
    double *R;        /* [N*S*J] */
    double *phi;      /* [S*J] or NULL */
    double *mu;       /* [S] */
} marl_markov_data;

static inline const marl_markov_data *marl_markov_of(const marl_game *g) {
    return (g && g->kind == MARL_GAME_MARKOV) ? (const marl_markov_data *)g->impl
                                              : NULL;
}

/* Record MARL_EINVAL/MARL_EKIND unless `g` is a non-NULL Markov game;
 * `fn` names the calling function in the message. */
int marl_require_markov(const marl_game *g, const char *fn);

/* Allocate a game shell with common fields (refcount 1, copies n_actions and
 * name). Used by every kind's builder. */
int marl_game_alloc(marl_game **out, int kind, size_t n_agents,
                    size_t n_states, const size_t *n_actions, const char *name);

#endif /* MARL_GAME_IMPL_H */
