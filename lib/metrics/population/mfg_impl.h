/*
 * Internal machinery of the exact mean-field metrics (meanfield.h): a
 * workspace per game holding the dense policy, the flow and the induced
 * tables at that flow, so that a solver iteration allocates nothing.
 * Not installed.
 *
 *   mfg_induced.c  induced P and R (average over agents, or the callback of
 *                  a symmetric game), tables at a flow, the flow Lambda(pi)
 *   mfg_eval.c     Q of a policy (entropy-regularised), optimal Q, values,
 *                  exploitability (workspace level)
 *   mfg_public.c   the public functions of meanfield.h
 *
 * Layouts: pi, L, R, Q are [H * S * A] (index (h * S + s) * A + a); P is
 * [H * S * A * S] (row (h, s, a) of length S). After marl_mfg_flow_ws or
 * marl_mfg_tables_ws, P holds the induced transitions of steps 0..H-2 and R
 * the induced rewards of steps 0..H-1, at the flow used.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_METRICS_POPULATION_MFG_IMPL_H
#define MARL_METRICS_POPULATION_MFG_IMPL_H

#include "game/population/population_impl.h"
#include "marlgame/meanfield.h"
#include "policy/policy_impl.h"

typedef struct marl_mfg_ws {
    const marl_game *game;
    const marl_population_data *d;
    size_t S, A, H, SA;
    double *pi;  /* [H*SA] policy probabilities */
    double *L;   /* [H*SA] flow */
    double *P;   /* [H*SA*S] induced transitions at the flow */
    double *R;   /* [H*SA] induced rewards at the flow */
    double *Q;   /* [H*SA] Q of a policy */
    double *Qo;  /* [H*SA] optimal Q */
    double *v;   /* [S] scratch */
    double *tmp; /* [S] scratch */
} marl_mfg_ws;

/* Workspace of a population game (checked: MARL_EINVAL/EKIND naming fn). */
int marl_mfg_ws_new(marl_mfg_ws **out, const marl_game *game, const char *fn);
void marl_mfg_ws_free(marl_mfg_ws *ws);

/* A SHARED PER_STEP policy of the game's dimensions, else MARL_EINVAL
 * naming fn. */
int marl_mfg_check_policy(const marl_game *game, const marl_policy *policy,
                          const char *fn);
/* Dense probabilities of a checked policy into pi[H*SA]. */
void marl_mfg_load_policy(const marl_mfg_ws *ws, const marl_policy *policy,
                          double *pi);
/* Store dense probabilities pi[H*SA] into a checked DIRECT policy (no
 * validation; the caller's pi rows are distributions). */
void marl_mfg_store_policy(const marl_mfg_ws *ws, const double *pi,
                           marl_policy *policy);
/* Validate a user flow L[H*SA]: every step a distribution (error naming
 * fn and the step). */
int marl_mfg_check_flow(const marl_mfg_ws *ws, const double *L,
                        const char *fn);

/* Induced row[S] = P(. | s, a, mu) at step h (tmp[S] scratch); induced
 * reward. Errors name fn, agent, step, state, action. */
int marl_mfg_induced_transition(const marl_population_data *d, const char *fn,
                                size_t h, size_t s, size_t a,
                                const double *mu, double *row, double *tmp);
int marl_mfg_induced_reward(const marl_population_data *d, const char *fn,
                            size_t h, size_t s, size_t a, const double *mu,
                            double *r);

/* Tables P (if h < H - 1), R of step h at mu = L_h. */
int marl_mfg_tables_step(marl_mfg_ws *ws, const char *fn, size_t h,
                         const double *mu);
/* Tables of every step at the flow L[H*SA]. */
int marl_mfg_tables_ws(marl_mfg_ws *ws, const char *fn, const double *L);
/* Flow Lambda(pi) into L[H*SA] (may be ws->L), filling the tables at it. */
int marl_mfg_flow_ws(marl_mfg_ws *ws, const char *fn, const double *pi,
                     double *L);
/* out[SA] = Gamma(mu, pi_next) with the step-h transition rows in ws->P. */
void marl_mfg_gamma_ws(const marl_mfg_ws *ws, size_t h, const double *mu,
                       const double *pi_next, double *out);

/* Q of pi (entropy weight tau, entropy of step h inside Q_h) from the
 * tables, into Q[H*SA]. */
void marl_mfg_q_ws(marl_mfg_ws *ws, const double *pi, double tau, double *Q);
/* Optimal Q from the tables into Q[H*SA]. */
void marl_mfg_qopt_ws(marl_mfg_ws *ws, double *Q);
/* sum_s rho0(s) sum_a pi_0(a|s) Q_0(s, a). */
double marl_mfg_value0(const marl_mfg_ws *ws, const double *pi,
                       const double *Q);
/* sum_s rho0(s) max_a Q_0(s, a). */
double marl_mfg_optvalue0(const marl_mfg_ws *ws, const double *Q);
/* Exploitability of pi: flow into ws->L (tables at it), ws->Q, ws->Qo. */
int marl_mfg_exploitability_ws(marl_mfg_ws *ws, const char *fn,
                               const double *pi, double *expl);

/* Entropy -sum u log u of a row (0 log 0 = 0). */
double marl_mfg_entropy(const double *u, size_t n);

#endif /* MARL_METRICS_POPULATION_MFG_IMPL_H */
