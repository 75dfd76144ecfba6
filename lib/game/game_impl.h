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
/* Count structure of a count-based Markov game (game.h): A actions for
 * every one of the N agents; count vectors of k agents are ranked by
 * marl_counts_rank (counts.h), C = csize[N].
 *   csize[k]   = C(k + A - 1, A - 1), k = 0..N
 *   csucc[csoff[k] + r * A + a] = rank of (unrank_k(r) + e_a) among the
 *                vectors of k + 1 agents (k = 0..N-1): the step of the
 *                dynamic programmes over agents
 *   cvec[r * A + j] = n_j of the count vector of rank r (N agents)
 *   Pc[(s * C + r) * S + s'] = P(s' | s, n_r)
 *   Rc[(s * A + a) * C + r]  = r(s, a, n_r)  (0 where n_r[a] = 0)
 *   phic[s * C + r]          = phi(s, n_r)   (NULL without potential) */
typedef struct marl_markov_counts {
    size_t A, C, N, S;
    size_t *csize; /* [N + 1] */
    size_t *csoff; /* [N + 1] (csoff[N] = total length of csucc) */
    size_t *csucc; /* [csoff[N]] */
    size_t *cvec;  /* [C * A] */
    double *Pc;    /* [S * C * S] */
    double *Rc;    /* [S * A * C] */
    double *phic;  /* [S * C] or NULL */
} marl_markov_counts;

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
    /* count-based games only (NULL otherwise); the dense tables above are
     * filled from it as well */
    marl_markov_counts *cnt;
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

/* Count structure (markov_counts.c): allocate the tables of N agents, S
 * states, A actions (index tables filled, Pc/Rc zeroed, phic NULL unless
 * with_phi); deep copy; free (NULL-safe). NULL on allocation failure or
 * overflow (error recorded). */
marl_markov_counts *marl_markov_counts_new(size_t N, size_t S, size_t A,
                                           int with_phi);
marl_markov_counts *marl_markov_counts_copy(const marl_markov_counts *src);
void marl_markov_counts_free(marl_markov_counts *c);

/* Record MARL_EINVAL/MARL_EKIND unless `g` is a non-NULL Markov game;
 * `fn` names the calling function in the message. */
int marl_require_markov(const marl_game *g, const char *fn);

/* Allocate a game shell with common fields (refcount 1, copies n_actions and
 * name). Used by every kind's builder. */
int marl_game_alloc(marl_game **out, int kind, size_t n_agents,
                    size_t n_states, const size_t *n_actions, const char *name);

#endif /* MARL_GAME_IMPL_H */
