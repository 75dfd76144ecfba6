/*
 * The seed's equilibrium bounds for aggregative games (seed 000, Thms. 3.1,
 * 4.1 and 5.1), with the constants the seed leaves open fixed here (see
 * include/marlgame/aggregative.h and docs/aggregative.md).
 * SPDX-License-Identifier: MIT
 */
#include "metrics/aggregative/amg_metrics.h"

#include <math.h>

double marl_amg_zeta(const marl_amg_bound_in *b) {
    const double n = (double)b->n, m = (double)b->m;
    return b->delta * sqrt(8.0 * n * log(2.0 * m * n));
}

double marl_amg_rounding_E(const marl_amg_bound_in *b) {
    const double calls = 2.0 * (double)b->d * (double)b->H * (double)b->S;
    return b->delta * sqrt(2.0 * (double)b->n * log(calls / b->beta));
}

static double factor(const marl_amg_bound_in *b) {
    return marl_amg_zeta(b) + 4.0 * b->alpha + 2.0 * b->delta +
           2.0 * marl_amg_rounding_E(b);
}

double marl_amg_eps_step(const marl_amg_bound_in *b, size_t h) {
    /* seed step h' = h + 1: L = gamma_r + gamma_T (H - h') */
    return factor(b) * (b->gamma_r + b->gamma_T * (double)(b->H - 1 - h));
}

double marl_amg_eps_solve(const marl_amg_bound_in *b) {
    const double H = (double)b->H;
    return factor(b) * (b->gamma_r * H + b->gamma_T * H * (H - 1) / 2.0);
}

double marl_amg_eps_statewise(const marl_amg_bound_in *b) {
    const double H = (double)b->H;
    return factor(b) * b->gamma_r * H +
           b->delta * b->gamma_T * H * (H - 1) / 2.0;
}

double marl_amg_eps_vi(const marl_amg_bound_in *b, size_t K, double p) {
    const double H = (double)b->H, S = (double)b->S;
    const double k = K ? (double)K : 1.0;
    const double iota = log(S * (double)b->m * k * H / p);
    const double cells = pow(2.0 * b->W / b->alpha, (double)b->d);
    return marl_amg_eps_solve(b) + b->gamma_T * b->alpha * H * H +
           sqrt(H * H * H * H * S * S * cells * iota / k);
}

int marl_amg_bound_from_game(const marl_amg_data *a,
                             const marl_amg_grid *grid, double beta,
                             marl_amg_bound_in *out) {
    out->n = a->n;
    out->m = a->mmax;
    out->d = a->d;
    out->H = a->H;
    out->S = a->S;
    out->delta = a->delta;
    out->alpha = grid->alpha;
    out->W = a->W;
    out->beta = beta;
    return marl_amg_lipschitz(a, grid, &out->gamma_r, &out->gamma_T);
}

int marl_aggregative_epsilon_solve(const marl_game *game, double alpha,
                                   double beta, double *eps) {
    const char *fn = "marl_aggregative_epsilon_solve";
    int rc = marl_require_aggregative(game, fn);
    if (rc) return rc;
    if (!eps) return marl_error(MARL_EINVAL, "%s: eps is NULL", fn);
    if (!(beta > 0 && beta < 1))
        return marl_error(MARL_EINVAL, "%s: beta = %g, expected in (0, 1)",
                          fn, beta);
    const marl_amg_data *a = marl_amg_of(game);
    marl_amg_grid grid;
    rc = marl_amg_grid_new(a, alpha, &grid);
    if (rc) return rc;
    marl_amg_bound_in b;
    rc = marl_amg_bound_from_game(a, &grid, beta, &b);
    marl_amg_grid_free(&grid);
    if (rc) return rc;
    *eps = marl_amg_eps_solve(&b);
    return MARL_OK;
}
