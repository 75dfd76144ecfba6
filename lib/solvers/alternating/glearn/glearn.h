/*
 * State of `alternating-glearn` (glearn.c), shared with the successor
 * construction (glearn_build.c) and the off-policy variant
 * (glearn_offpolicy.c). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_GLEARN_H
#define MARL_SOLVERS_GLEARN_H

#include "core/rng_impl.h"
#include "solvers/alternating/glearn/alt_common.h"

#include <stdint.h>

enum { GLEARN_SAMPLED = 0, GLEARN_EXACT = 1, GLEARN_EXPECTED = 2 };
enum { GLEARN_VI = 0, GLEARN_OFFPOLICY = 1 };
#define GLEARN_N_METRICS 3
/* States (consecutive count vectors) per vectorised block of a sweep. */
#define GLEARN_B 64
/* Largest |S_g| * C * |A_g| for which estimator expected stores U. */
#define GLEARN_U_STORE_MAX ((size_t)1 << 20)

typedef struct glearn_state {
    marl_alt_header hdr;   /* first member (alt_common.h) */
    const marl_gl_data *d; /* the game's tables (the solver holds the game) */
    size_t k, C, S;        /* S = |S_g| * C states (s_g, c), i = s_g*C + c */
    double gamma, tol, epsilon, lr_power;
    int estimator, method;
    size_t m, max_sweeps, sweeps, steps;
    uint64_t seed;
    double *Q;        /* [S * A_g]: estimators sampled and exact at
                         ((s_g * A_g + a) * C + c) (blocks of consecutive c
                         vectorise); offpolicy at (s_g * C + c) * A_g + a;
                         estimator expected: U(s_g, a, c') at the first
                         layout while small (GLEARN_U_STORE_MAX), else NULL */
    double *V, *Vn;   /* [S]: V[s_g * C + c] = max_a Q (Jacobi pair) */
    double *Wb;       /* [threads * 2 * S_g * GLEARN_B] block scratch */
    int threads;      /* sweep threads (1 without OpenMP) */
    double *M;        /* [S] expected estimator: max_a U(s_g, c') */
    uint32_t *AM;     /* [S] its argmax */
    double *used;     /* [S] 1 if (s_g, c') is the successor of some c */
    uint32_t *arg;    /* [S]: greedy action written in the policy
                         (UINT32_MAX before the first sweep) */
    double *rc;       /* [S]: (1/k) sum_j c_j r~_l(j, s_g) */
    double *Pt;       /* [S_g * S_l * S_l]: P~_l(j' | j, s_g) at
                         (s_g * S_l + j) * S_l + j'; then rt */
    double *rt;       /* [S_g * S_l]: r~_l(j, s_g) (inside Pt's block) */
    double *W;        /* [S_g] scratch */
    /* successor law of (s_g, c) = i: entries off[i] .. off[i+1]-1 of
     * succ (ranks of c') with weights w; w == NULL (estimator expected):
     * one successor succ[i] of weight 1, off unused */
    size_t *off;
    uint32_t *succ;
    double *w;
    /* offpolicy only */
    double *visits;   /* [S * A_g] update counts */
    size_t *agents;   /* [3 * S_l] scratch count vectors */
    uint64_t *tmp64;  /* [S_l] offpolicy scratch */
    size_t visited;   /* distinct (s_g, c) visited */
    size_t cur_s, cur_c;
    marl_rng rng;
} glearn_state;

/* rc of every (s_g, c) (st->agents: 3 |S_l| scratch) (glearn_build.c). */
void marl_glearn_fill_rewards(glearn_state *st);

/* Fill rc and the successor law of every (s_g, c) by st->estimator
 * (glearn_build.c). */
int marl_glearn_build_successors(glearn_state *st);

/* Off-policy Q-learning (glearn_offpolicy.c): initialise the behaviour
 * trajectory; run st->steps transitions, *residual = max |Delta Q| of the
 * updates made. */
int marl_glearn_offpolicy_init(glearn_state *st);
int marl_glearn_offpolicy_step(glearn_state *st, double *residual);

#endif /* MARL_SOLVERS_GLEARN_H */
