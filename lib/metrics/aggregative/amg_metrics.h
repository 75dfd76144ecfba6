/*
 * Exact metrics and theoretical bounds of aggregative games (seed 000).
 * Internal; the public entry points are in include/marlgame/aggregative.h.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_METRICS_AGGREGATIVE_H
#define MARL_METRICS_AGGREGATIVE_H

#include "game/aggregative/amg_impl.h"

/* Reusable evaluation context of the exact Nash-gap (no allocation per
 * evaluation): memory O(n S). */
typedef struct marl_amg_eval {
    double *V, *B, *Wl, *row;
    marl_amg_tcache cache;
} marl_amg_eval;

typedef struct marl_amg_eval_out {
    double *values;    /* [n] or NULL */
    double *br_values; /* [n] or NULL */
    double gap, welfare;
    const double *V0;  /* [n * S] values at step 0 (owned by the context) */
    const double *W0;  /* [S] welfare at step 0 (NaN without weights) */
} marl_amg_eval_out;

int marl_amg_eval_new(marl_amg_eval *e, const marl_amg_data *a);
void marl_amg_eval_free(marl_amg_eval *e);
/* Exact gap, values and welfare of actions[(h*S+s)*n+i] (checked by the
 * caller with marl_amg_check_actions). */
int marl_amg_eval_run(marl_amg_eval *e, const marl_amg_data *a,
                      const size_t *actions, marl_amg_eval_out *out);
int marl_amg_check_actions(const marl_amg_data *a, const size_t *actions,
                           const char *fn);

/* Terms of the seed's bounds (documented in aggregative.h): zeta =
 * delta sqrt(8 n log(2 m n)), E = delta sqrt(2 n log(2 d H S / beta)). */
typedef struct marl_amg_bound_in {
    size_t n, m, d, H, S;
    double delta, alpha, W, beta, gamma_r, gamma_T;
} marl_amg_bound_in;

double marl_amg_zeta(const marl_amg_bound_in *b);
double marl_amg_rounding_E(const marl_amg_bound_in *b);
/* Thm. 4.1 eps_solve = sum_h eps_h, eps_h = c (gamma_r + gamma_T (H-h)),
 * c = zeta + 4 alpha + 2 delta + 2 E. */
double marl_amg_eps_solve(const marl_amg_bound_in *b);
/* eps_h of step h = 0..H-1 (seed step h+1). */
double marl_amg_eps_step(const marl_amg_bound_in *b, size_t h);
/* Thm. 3.1 (statewise): c gamma_r H + delta gamma_T H (H - 1) / 2. */
double marl_amg_eps_statewise(const marl_amg_bound_in *b);
/* Thm. 5.1 (Aggre-VI after K episodes, failure probability p):
 * eps_solve + gamma_T alpha H^2 + sqrt(H^4 S^2 (2W/alpha)^d iota / K),
 * iota = log(S m K H / p). */
double marl_amg_eps_vi(const marl_amg_bound_in *b, size_t K, double p);
/* Fill the bound inputs from a game (Lipschitz constants given or
 * estimated on `grid`). */
int marl_amg_bound_from_game(const marl_amg_data *a,
                             const marl_amg_grid *grid, double beta,
                             marl_amg_bound_in *out);

#endif /* MARL_METRICS_AGGREGATIVE_H */
