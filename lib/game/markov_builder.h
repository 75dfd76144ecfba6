/*
 * Internal: the Markov builder's layout and the validation helpers shared by
 * markov.c (dense tables, build, accessors) and markov_factored.c (the
 * factored construction). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAME_MARKOV_BUILDER_H
#define MARL_GAME_MARKOV_BUILDER_H

#include "game/game_impl.h"

struct marl_markov_builder {
    size_t n_agents, n_states, n_joint;
    size_t *n_actions; /* [N] */
    size_t *stride;    /* [N] */
    size_t p_len, r_len, phi_len;
    double gamma;
    int normalize;
    double *mu;  /* [S], always set (uniform by default) */
    double *P;   /* NULL until given (dense builders only) */
    double *R;   /* NULL until given */
    double *phi; /* NULL unless given */
    char *name;  /* NULL: "" */
    /* factored builders only */
    int factored;
    size_t *L;              /* [N] local state counts */
    size_t *lstride;        /* [N] prod_{k>i} L_k */
    size_t *loff;           /* [N] agent k's block in Pl */
    size_t pl_len, sumL;    /* sum_k S * A_k * L_k, sum_k L_k */
    double *Pl;             /* [pl_len], allocated with the builder */
    unsigned char *lgiven;  /* [N] 1 once agent k's table was given */
    /* count-based builders only (markov_counts.c): NULL until
     * marl_markov_builder_set_counts succeeds */
    marl_markov_counts *cnt;
};

/* Validate a probability row (see markov.c); `what` names it. */
int marl_markov_check_row(const double *row, size_t n, int normalize,
                          const char *what, double *sum_out);
/* Copy n doubles through the allocator (NULL on failure). */
double *marl_markov_dup_doubles(const double *src, size_t n);

#endif /* MARL_GAME_MARKOV_BUILDER_H */
