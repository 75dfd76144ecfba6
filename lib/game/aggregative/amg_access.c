/*
 * Aggregative games: accessors, checked callback evaluation, the grid
 * X_alpha and the Lipschitz estimate on it.
 * SPDX-License-Identifier: MIT
 */
#include "game/aggregative/amg_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define AMG_REWARD_TOL 1e-12

int marl_require_aggregative(const marl_game *g, const char *fn) {
    if (!g) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    if (g->kind != MARL_GAME_AGGREGATIVE || !g->impl)
        return marl_error(MARL_EKIND,
                          "%s: game '%s' is of kind '%s', expected "
                          "'aggregative'",
                          fn, g->name ? g->name : "",
                          marl_game_kind_name(g->kind));
    return MARL_OK;
}

/* "(0.25, 0.5)" of x into buf. */
static const char *xtext(const marl_amg_data *a, const double *x, char *buf,
                         size_t cap) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < a->d && used + 1 < cap; ++k) {
        int w = snprintf(buf + used, cap - used, "%s%.6g", k ? ", " : "(",
                         x[k]);
        if (w < 0) break;
        used += (size_t)w;
    }
    if (used + 1 < cap) snprintf(buf + used, cap - used, ")");
    return buf;
}

int marl_amg_reward(const marl_amg_data *a, size_t h, size_t s, size_t i,
                    size_t act, const double *x, double *r) {
    double v = NAN;
    char buf[160];
    if (a->ops.reward(a->user, h, s, i, act, x, &v))
        return marl_error(MARL_EINVAL,
                          "reward callback failed for agent %zu, action %zu "
                          "at step %zu, state %zu, aggregate %s",
                          i, act, h, s, xtext(a, x, buf, sizeof buf));
    if (!isfinite(v) || v < -1 - AMG_REWARD_TOL || v > 1 + AMG_REWARD_TOL)
        return marl_error(MARL_EINVAL,
                          "reward %g of agent %zu, action %zu at step %zu, "
                          "state %zu, aggregate %s is not in [-1, 1]",
                          v, i, act, h, s, xtext(a, x, buf, sizeof buf));
    *r = v;
    return MARL_OK;
}

int marl_amg_transition(const marl_amg_data *a, size_t h, size_t s,
                        const double *x, double *row) {
    char buf[160], what[256];
    for (size_t t = 0; t < a->S; ++t) row[t] = NAN;
    if (a->ops.transition(a->user, h, s, x, row))
        return marl_error(MARL_EINVAL,
                          "transition callback failed at step %zu, state "
                          "%zu, aggregate %s",
                          h, s, xtext(a, x, buf, sizeof buf));
    snprintf(what, sizeof what, "transition row of step %zu, state %zu at "
             "aggregate %s", h, s, xtext(a, x, buf, sizeof buf));
    return marl_check_distribution(row, a->S, what);
}

int marl_amg_welfare(const marl_amg_data *a, size_t h, size_t s, size_t i,
                     size_t act, double *w) {
    double v = NAN;
    if (a->ops.welfare(a->user, h, s, i, act, &v) || !isfinite(v))
        return marl_error(MARL_EINVAL,
                          "welfare weight of agent %zu, action %zu at step "
                          "%zu, state %zu failed or is not finite",
                          i, act, h, s);
    *w = v;
    return MARL_OK;
}

void marl_amg_aggregate(const marl_amg_data *a, size_t h,
                        const size_t *actions, size_t stride, double *x) {
    const double *f = marl_amg_f(a, h);
    for (size_t k = 0; k < a->d; ++k) x[k] = 0.0;
    for (size_t i = 0; i < a->n; ++i) {
        const double *fi = f + (a->off[i] + actions[i * stride]) * a->d;
        for (size_t k = 0; k < a->d; ++k) x[k] += fi[k];
    }
    for (size_t k = 0; k < a->d; ++k) x[k] *= a->delta;
}

/* ---- grid ---------------------------------------------------------------- */

int marl_amg_grid_new(const marl_amg_data *a, double alpha,
                      marl_amg_grid *grid) {
    memset(grid, 0, sizeof *grid);
    if (!isfinite(alpha) || alpha <= 0)
        return marl_error(MARL_EINVAL, "grid step alpha = %g, expected > 0",
                          alpha);
    const double tol = 1e-9 * alpha;
    size_t G = 1;
    for (size_t k = 0; k < a->d; ++k) {
        double jmin = ceil((-a->W - tol) / alpha);
        double jmax = floor((a->W + tol) / alpha);
        double lo = ceil((a->xlo[k] - alpha - tol) / alpha);
        double hi = floor((a->xhi[k] + alpha + tol) / alpha);
        if (lo < jmin) lo = jmin;
        if (hi > jmax) hi = jmax;
        if (!(hi - lo < 1e9) || hi < lo)
            return marl_error(MARL_ERANGE,
                              "alpha = %g gives too many grid points in "
                              "coordinate %zu",
                              alpha, k);
        grid->j0[k] = (long long)lo;
        grid->cnt[k] = (size_t)(hi - lo) + 1;
        if (!marl_mul_size(G, grid->cnt[k], &G) || G > MARL_AMG_MAX_GRID)
            return marl_error(MARL_ERANGE,
                              "alpha = %g: the grid has more than %zu points "
                              "(d = %zu)",
                              alpha, (size_t)MARL_AMG_MAX_GRID, a->d);
    }
    grid->pts = marl_calloc(G * a->d, sizeof *grid->pts);
    if (!grid->pts) return marl_error_nomem("the aggregator grid");
    grid->d = a->d;
    grid->G = G;
    grid->alpha = alpha;
    for (size_t g = 0; g < G; ++g) {
        size_t r = g;
        for (size_t k = a->d; k-- > 0;) {
            size_t t = r % grid->cnt[k];
            r /= grid->cnt[k];
            grid->pts[g * a->d + k] = (double)(grid->j0[k] + (long long)t) *
                                      alpha;
        }
    }
    return MARL_OK;
}

void marl_amg_grid_free(marl_amg_grid *grid) {
    if (!grid) return;
    marl_free(grid->pts);
    grid->pts = NULL;
    grid->G = 0;
}

size_t marl_amg_grid_nearest(const marl_amg_grid *grid, const double *x) {
    size_t g = 0;
    for (size_t k = 0; k < grid->d; ++k) {
        double t = floor(x[k] / grid->alpha + 0.5) - (double)grid->j0[k];
        if (!(t > 0)) t = 0;
        if (t > (double)(grid->cnt[k] - 1)) t = (double)(grid->cnt[k] - 1);
        g = g * grid->cnt[k] + (size_t)t;
    }
    return g;
}

/* ---- Lipschitz estimate --------------------------------------------------- */

static int estimate(const marl_amg_data *a, const marl_amg_grid *grid,
                    double *gr, double *gT) {
    const size_t G = grid->G, d = a->d, S = a->S;
    double *T = marl_calloc(2 * G * S, sizeof *T);
    double *R = marl_calloc(G, sizeof *R);
    if (!T || !R) {
        marl_free(T);
        marl_free(R);
        return marl_error_nomem("the Lipschitz estimate");
    }
    double lr = 0, lt = 0;
    int rc = MARL_OK;
    size_t stride[MARL_AGGREGATIVE_MAX_DIM];
    stride[d - 1] = 1;
    for (size_t k = d - 1; k-- > 0;) stride[k] = stride[k + 1] * grid->cnt[k + 1];
    for (size_t h = 0; h < a->H && !rc; ++h)
        for (size_t s = 0; s < S && !rc; ++s) {
            for (size_t g = 0; g < G && !rc; ++g)
                rc = marl_amg_transition(a, h, s, grid->pts + g * d,
                                         T + g * S);
            for (size_t g = 0; g < G && !rc; ++g)
                for (size_t k = 0; k < d; ++k) {
                    if ((g / stride[k]) % grid->cnt[k] + 1 >= grid->cnt[k])
                        continue;
                    const double *p = T + g * S, *q = T + (g + stride[k]) * S;
                    double tv = 0;
                    for (size_t t = 0; t < S; ++t) tv += fabs(p[t] - q[t]);
                    if (0.5 * tv / grid->alpha > lt)
                        lt = 0.5 * tv / grid->alpha;
                }
            for (size_t u = 0; u < a->U && !rc; ++u) {
                size_t i = 0;
                while (a->off[i + 1] <= u) ++i;
                for (size_t g = 0; g < G && !rc; ++g)
                    rc = marl_amg_reward(a, h, s, i, u - a->off[i],
                                         grid->pts + g * d, R + g);
                for (size_t g = 0; g < G && !rc; ++g)
                    for (size_t k = 0; k < d; ++k) {
                        if ((g / stride[k]) % grid->cnt[k] + 1 >= grid->cnt[k])
                            continue;
                        double v = fabs(R[g] - R[g + stride[k]]) / grid->alpha;
                        if (v > lr) lr = v;
                    }
            }
        }
    marl_free(T);
    marl_free(R);
    if (rc) return rc;
    *gr = lr;
    *gT = lt;
    return MARL_OK;
}

int marl_amg_lipschitz(const marl_amg_data *a, const marl_amg_grid *grid,
                       double *gamma_r, double *gamma_T) {
    if (a->lipschitz_given) {
        *gamma_r = a->gamma_r;
        *gamma_T = a->gamma_T;
        return MARL_OK;
    }
    return estimate(a, grid, gamma_r, gamma_T);
}

/* ---- public accessors ----------------------------------------------------- */

size_t marl_aggregative_dim(const marl_game *game) {
    const marl_amg_data *a = marl_amg_of(game);
    return a ? a->d : 0;
}

int marl_aggregative_scale(const marl_game *game, double *delta, double *W) {
    int rc = marl_require_aggregative(game, "marl_aggregative_scale");
    if (rc) return rc;
    const marl_amg_data *a = marl_amg_of(game);
    if (delta) *delta = a->delta;
    if (W) *W = a->W;
    return MARL_OK;
}

int marl_aggregative_contribution(const marl_game *game, size_t step,
                                  size_t agent, size_t action, double *f) {
    const char *fn = "marl_aggregative_contribution";
    int rc = marl_require_aggregative(game, fn);
    if (rc) return rc;
    if (!f) return marl_error(MARL_EINVAL, "%s: f is NULL", fn);
    const marl_amg_data *a = marl_amg_of(game);
    if (step >= a->H || agent >= a->n ||
        action >= a->off[agent + 1] - a->off[agent])
        return marl_error(MARL_ERANGE,
                          "%s: step %zu, agent %zu, action %zu out of range",
                          fn, step, agent, action);
    memcpy(f, marl_amg_f(a, step) + (a->off[agent] + action) * a->d,
           a->d * sizeof *f);
    return MARL_OK;
}

int marl_aggregative_initial(const marl_game *game, double *rho0) {
    int rc = marl_require_aggregative(game, "marl_aggregative_initial");
    if (rc) return rc;
    if (!rho0)
        return marl_error(MARL_EINVAL, "marl_aggregative_initial: rho0 is "
                                       "NULL");
    const marl_amg_data *a = marl_amg_of(game);
    memcpy(rho0, a->rho0, a->S * sizeof *rho0);
    return MARL_OK;
}

int marl_aggregative_has_welfare(const marl_game *game) {
    const marl_amg_data *a = marl_amg_of(game);
    return a && a->ops.welfare ? 1 : 0;
}

int marl_aggregative_lipschitz(const marl_game *game, double *gamma_r,
                               double *gamma_T) {
    const char *fn = "marl_aggregative_lipschitz";
    int rc = marl_require_aggregative(game, fn);
    if (rc) return rc;
    const marl_amg_data *a = marl_amg_of(game);
    if (!a->lipschitz_given)
        return marl_error(MARL_EINVAL,
                          "%s: game '%s' was built without Lipschitz "
                          "constants (estimate them with "
                          "marl_aggregative_estimate_lipschitz)",
                          fn, game->name);
    if (gamma_r) *gamma_r = a->gamma_r;
    if (gamma_T) *gamma_T = a->gamma_T;
    return MARL_OK;
}

int marl_aggregative_estimate_lipschitz(const marl_game *game, double alpha,
                                        double *gamma_r, double *gamma_T) {
    const char *fn = "marl_aggregative_estimate_lipschitz";
    int rc = marl_require_aggregative(game, fn);
    if (rc) return rc;
    if (!gamma_r || !gamma_T)
        return marl_error(MARL_EINVAL, "%s: output pointer is NULL", fn);
    const marl_amg_data *a = marl_amg_of(game);
    marl_amg_grid grid;
    rc = marl_amg_grid_new(a, alpha, &grid);
    if (rc) return rc;
    rc = estimate(a, &grid, gamma_r, gamma_T);
    marl_amg_grid_free(&grid);
    return rc;
}

int marl_aggregative_aggregate(const marl_game *game, size_t step,
                               const size_t *actions, double *x) {
    const char *fn = "marl_aggregative_aggregate";
    int rc = marl_require_aggregative(game, fn);
    if (rc) return rc;
    if (!actions || !x)
        return marl_error(MARL_EINVAL, "%s: actions or x is NULL", fn);
    const marl_amg_data *a = marl_amg_of(game);
    if (step >= a->H)
        return marl_error(MARL_ERANGE, "%s: step %zu out of range (H = %zu)",
                          fn, step, a->H);
    for (size_t i = 0; i < a->n; ++i)
        if (actions[i] >= a->off[i + 1] - a->off[i])
            return marl_error(MARL_ERANGE,
                              "%s: action %zu of agent %zu out of range", fn,
                              actions[i], i);
    marl_amg_aggregate(a, step, actions, 1, x);
    return MARL_OK;
}
