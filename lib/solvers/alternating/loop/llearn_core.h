/*
 * L-LEARN (ALGORITHMS.md §4 `alternating-llearn`; seed 004 Alg. 2,
 * §3.2 "Offline Learning (II)") over raw tables: the local best response
 * to pi_g on the mean-field surrogate MDP of one representative local
 * agent with state (s_l, s_g):
 *   reward   R(s_l,s_g,a_l) = r_l(s_l,s_g,a_l) + sum_a pbar(a|s_g) r_g(s_g,a)
 *   kernel   s_l' ~ P_l(.|s_l,s_g,a_l),
 *            s_g' ~ Kbar(.|s_g) = sum_a pbar(a|s_g) P_g(.|s_g,a)
 *            (independently),
 * with pbar the surrogate global-action law of meanfield_flow.h (the others
 * follow pi_l). Value iteration from V = 0 until ||V_{i+1} - V_i||_inf <=
 * tol or max_sweeps; output greedy in Q (ties: lowest action) or, with
 * temperature tau > 0, softmax(Q / tau) (computed as
 * exp((Q - max Q) / tau) / Z: finite for every tau > 0, since Q is finite
 * for finite rewards and gamma < 1). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_ALT_LLEARN_CORE_H
#define MARL_ALT_LLEARN_CORE_H

#include "solvers/alternating/loop/meanfield_flow.h"

typedef struct marl_alt_llearn_opts {
    int population;     /* 0 = flow (default), 1 = stationary */
    size_t horizon;     /* maximum flow steps */
    double flow_tol;    /* flow stopping tolerance (l1) */
    double tol;         /* value-iteration tolerance (sup norm) */
    size_t max_sweeps;  /* value-iteration sweeps */
    double temperature; /* 0 = greedy */
} marl_alt_llearn_opts;

typedef struct marl_alt_llearn_info {
    size_t sweeps;        /* value-iteration sweeps run */
    double residual;      /* last ||V_{i+1} - V_i||_inf */
    size_t flow_steps;    /* flow steps T */
    double flow_residual; /* ||nu_T - nu_{T-1}||_1 */
    double value;         /* surrogate value at rho_g x mu0 */
} marl_alt_llearn_info;

typedef struct marl_alt_llearn {
    marl_alt_flow *flow;
    double *pbar; /* [S_g * A_g] */
    double *Rg;   /* [S_g] */
    double *Kb;   /* [S_g * S_g] */
    double *V, *V2, *U; /* [S_l * S_g] */
    double *Q;    /* [S_l * S_g * A_l] */
} marl_alt_llearn;

int marl_alt_llearn_new(marl_alt_llearn **out, const marl_alt_model *m,
                        const char *who);
void marl_alt_llearn_free(marl_alt_llearn *w);

/* Best response to (pi_g, and pi_l for the other agents) into
 * pi_out[S_l * S_g * A_l] (may not alias pi_l). Q is left in w->Q. */
void marl_alt_llearn_run(marl_alt_llearn *w, const marl_alt_model *m,
                         const marl_alt_llearn_opts *o, const double *pi_g,
                         const double *pi_l, double *pi_out,
                         marl_alt_llearn_info *info);

#endif /* MARL_ALT_LLEARN_CORE_H */
