/*
 * Mean-field machinery of L-LEARN and of the mean-field joint-value
 * evaluation (ALGORITHMS.md §4, `alternating-llearn`; seed 004 §3.2
 * "Offline Learning (II)", Alg. 28's histogram propagation), over raw
 * tables so it can be tested without a game object. Not installed.
 *
 * Notation: S_g, A_g, S_l, A_l, k sampled agents, C = C(k+S_l-1, S_l-1)
 * count vectors ranked as in counts.h. Table layouts as in
 * global_local.h; pi_g[(s_g * C + rank) * A_g + a_g],
 * pi_l[(s_l * S_g + s_g) * A_l + a_l].
 *
 * The joint flow nu_t(s_g, j) is the law of (global state, state of one
 * typical local agent) at time t in the mean-field limit n -> infinity:
 *   mu_t(.|s_g) = nu_t(s_g, .) / nu_t(s_g)       (the population given s_g)
 *   p_t(a_g|s_g) = sum_c Multinomial(c; k, mu_t(.|s_g)) pi_g(a_g|s_g,c)
 *   nu_{t+1}(s_g', j') = sum_{s_g, j} nu_t(s_g, j)
 *        [sum_a p_t(a|s_g) P_g(s_g'|s_g,a)] Ptil_l(j'|j, s_g)
 * with Ptil_l(j'|j,s_g) = sum_a pi_l(a|j,s_g) P_l(j'|j,s_g,a).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_ALT_MEANFIELD_FLOW_H
#define MARL_ALT_MEANFIELD_FLOW_H

#include <stddef.h>

typedef struct marl_alt_model {
    size_t Sg, Ag, Sl, Al, k, C;
    double gamma;
    const double *P_g, *r_g, *P_l, *r_l; /* game tables */
    const double *rho_g;                 /* [S_g] initial global law */
    const double *mu0;                   /* [S_l] initial local law  */
} marl_alt_model;

/* Largest count-vector table kept (entries of C * S_l). */
#define MARL_ALT_FLOW_MAX_VEC ((size_t)1 << 26)

/* Workspace (all buffers sized for one model's sizes). */
typedef struct marl_alt_flow {
    size_t Sg, Ag, Sl, Al, k, C;
    int logmode;    /* coefficients could overflow: work in logs      */
    double *coef;   /* [C] multinomial coefficients k! / prod c_j!
                       (their logarithms in log mode)               */
    double *powtab; /* [S_l * (k+1)] mu_j^m (m log mu_j in log mode) */
    size_t *cnt;    /* [S_l] count-vector iterator                   */
    unsigned short *vec; /* [C * S_l] the count vectors by rank, or NULL
                            (k > 65535 or too large: iterate instead) */
    double *Pt;     /* [S_l * S_g * S_l] marginalised local kernel   */
    double *rt;     /* [S_l * S_g] marginalised local reward         */
    double *nu, *nu2, *m; /* [S_g * S_l] flow and scratch            */
    double *pt;     /* [S_g * A_g] global-action law at time t       */
    double *K;      /* [S_g * S_g] induced global kernel             */
    double *mu;     /* [S_l] conditional population                  */
    double *W;      /* [S_g] occupancy weights                       */
} marl_alt_flow;

/* Allocate for the sizes of `m` (MARL_ENOMEM / MARL_ERANGE with a message
 * naming `who`). */
int marl_alt_flow_new(marl_alt_flow **out, const marl_alt_model *m,
                      const char *who);
void marl_alt_flow_free(marl_alt_flow *f);

/* p(.|s_g) = sum_c Multinomial(c; k, mu) pi_g(.|s_g, c) into out[A_g]. */
void marl_alt_flow_action_law(marl_alt_flow *f, const double *pi_g,
                              size_t s_g, const double *mu, double *out);

/* Ptil_l and rtil_l of pi_l: Pt[(j * S_g + s_g) * S_l + j'],
 * rt[j * S_g + s_g]. */
void marl_alt_marginalise(size_t Sl, size_t Sg, size_t Al, const double *P_l,
                          const double *r_l, const double *pi_l, double *Pt,
                          double *rt);

/* Marginalise pi_l into f->Pt and f->rt. */
void marl_alt_flow_marginalise(marl_alt_flow *f, const marl_alt_model *m,
                               const double *pi_l);

/* One flow step from f->nu to f->nu2 (also fills f->pt with p_t from
 * f->nu, and f->K); returns ||nu2 - nu||_1. Requires marginalise. */
double marl_alt_flow_step(marl_alt_flow *f, const marl_alt_model *m,
                          const double *pi_g);

/* The surrogate global-action law of L-LEARN into pbar[S_g * A_g]:
 *   population = 0 (flow): the discounted occupancy average
 *     pbar(a|s_g) = sum_t g^t nu_t(s_g) p_t(a|s_g) / sum_t g^t nu_t(s_g)
 *     over t = 0..T, the flow started at nu_0 = rho_g x mu0 and stopped at
 *     the first T with ||nu_T - nu_{T-1}||_1 <= flow_tol or T = horizon;
 *     the tail t > T is taken as stationary at nu_T (weight g^T/(1-g));
 *     a global state the flow never reaches gets the law of mu0;
 *   population = 1 (stationary): p(a|s_g) at nu_T, the flow iterated from
 *     nu_0 until the same stopping rule (the stationary distribution of the
 *     mean-field dynamics when it converges).
 * *steps = T, *residual = ||nu_T - nu_{T-1}||_1 (0 if T = 0). Requires
 * marginalise. */
void marl_alt_flow_surrogate(marl_alt_flow *f, const marl_alt_model *m,
                             const double *pi_g, int population,
                             size_t horizon, double flow_tol, double *pbar,
                             size_t *steps, double *residual);

/* Mean-field joint value of (pi_g, pi_l) started at s_g with local law
 * mu0: sum_{t < horizon} g^t sum_{s_g} [nu_t(s_g) sum_a p_t(a|s_g)
 * r_g(s_g,a) + sum_j nu_t(s_g,j) rtil(j,s_g)]. Requires marginalise. */
double marl_alt_flow_value(marl_alt_flow *f, const marl_alt_model *m,
                           const double *pi_g, size_t s_g0, size_t horizon);

#endif /* MARL_ALT_MEANFIELD_FLOW_H */
