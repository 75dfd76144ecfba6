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

/* Markov kind (layouts as documented in game.h). A factored game has no
 * dense transition table (P == NULL): agent k's local table Pl + loff[k]
 * holds P_k(l | s, a_k) at [(s * A_k + a_k) * L_k + l], and
 * P(s' | s, a) = prod_k P_k(s'_k | s, a_k) with s' mixed radix, agent 0
 * most significant (s' = sum_k s'_k * lstride[k]). */
typedef struct marl_markov_data {
    size_t n_joint;   /* J = prod_i A_i */
    size_t *stride;   /* [N]: stride[i] = prod_{k>i} A_k; j = sum a_i*stride[i] */
    double *P;        /* [S*J*S], NULL when factored */
    double *R;        /* [N*S*J] */
    double *phi;      /* [S*J] or NULL */
    double *mu;       /* [S] */
    /* factored games only (all NULL / 0 otherwise) */
    int factored;
    size_t *L;        /* [N] local state counts */
    size_t *lstride;  /* [N] prod_{k>i} L_k */
    size_t *loff;     /* [N] start of agent k's local table in Pl */
    size_t sumL;      /* sum_k L_k */
    double *Pl;       /* concatenated local tables */
} marl_markov_data;

/* Local row P_k(. | s, a_k) of a factored game (no checks). */
static inline const double *marl_markov_local_row(const marl_markov_data *d,
                                                  const size_t *n_actions,
                                                  size_t k, size_t s,
                                                  size_t a) {
    return d->Pl + d->loff[k] + (s * n_actions[k] + a) * d->L[k];
}

/* Kronecker product row[s'] = prod_k F[k][s'_k] over N factors of lengths
 * L[k], agent 0 most significant; the products are formed left to right
 * (((1 * F_0) * F_1) * ...), in place in row[prod L]. */
static inline void marl_markov_kron(size_t N, const size_t *L,
                                    const double *const *F, double *row) {
    size_t len = 1;
    row[0] = 1.0;
    for (size_t k = 0; k < N; ++k) {
        const size_t Lk = L[k];
        const double *f = F[k];
        for (size_t p = len; p-- > 0;) {
            const double v = row[p];
            for (size_t l = Lk; l-- > 0;)
                row[p * Lk + l] = v * f[l];
        }
        len *= Lk;
    }
}

/* Transition row P(. | s, joint action given by actions[]) of a factored
 * game into row[S] (no checks). */
static inline void marl_markov_factored_row(const marl_markov_data *d,
                                            size_t N, const size_t *n_actions,
                                            size_t s, const size_t *actions,
                                            double *row) {
    const double *F[MARL_MARKOV_MAX_AGENTS];
    for (size_t k = 0; k < N; ++k)
        F[k] = marl_markov_local_row(d, n_actions, k, s, actions[k]);
    marl_markov_kron(N, d->L, F, row);
}

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
