/*
 * Internal data of the aggregative game kind (include/marlgame/aggregative.h)
 * and checked evaluation of its callbacks. Not installed. Other layers
 * (metrics, sampler, solvers, games) read the game through these helpers.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAME_AGGREGATIVE_IMPL_H
#define MARL_GAME_AGGREGATIVE_IMPL_H

#include "marlgame/aggregative.h"
#include "game/game_impl.h"

typedef struct marl_amg_data {
    size_t n, S, H, d;
    size_t U;            /* sum_i m_i */
    size_t mmax;         /* max_i m_i */
    size_t *off;         /* [n + 1] prefix sums of m */
    double delta, W;
    size_t n_tables;     /* 1 (shared by every step) or H */
    double *f;           /* [n_tables * U * d] */
    double *rho0;        /* [S] */
    marl_aggregative_ops ops;
    void *user;
    int lipschitz_given;
    double gamma_r, gamma_T;
    double *xlo, *xhi;   /* [d] reachable aggregates over every step */
} marl_amg_data;

static inline const marl_amg_data *marl_amg_of(const marl_game *g) {
    return (g && g->kind == MARL_GAME_AGGREGATIVE)
               ? (const marl_amg_data *)g->impl
               : NULL;
}

/* MARL_OK, or MARL_EINVAL (NULL) / MARL_EKIND naming `fn`. */
int marl_require_aggregative(const marl_game *g, const char *fn);

/* Contributions of step h: [U * d]. */
static inline const double *marl_amg_f(const marl_amg_data *a, size_t h) {
    return a->f + (a->n_tables == 1 ? 0 : h) * a->U * a->d;
}

/* Checked callbacks: non-zero returns, non-finite values, rewards outside
 * [-1, 1] (1e-12 tolerance) and rows that are not distributions become
 * MARL_EINVAL naming the step, state, agent, action and aggregate. */
int marl_amg_reward(const marl_amg_data *a, size_t h, size_t s, size_t i,
                    size_t act, const double *x, double *r);
int marl_amg_transition(const marl_amg_data *a, size_t h, size_t s,
                        const double *x, double *row);
int marl_amg_welfare(const marl_amg_data *a, size_t h, size_t s, size_t i,
                     size_t act, double *w);

/* x[d] = delta sum_i f_{h,i}(actions[i * stride]) (no checks). */
void marl_amg_aggregate(const marl_amg_data *a, size_t h,
                        const size_t *actions, size_t stride, double *x);

/* The grid X_alpha restricted to the points whose band [x - alpha, x +
 * alpha] meets the reachable box [xlo, xhi] (the others can never be
 * feasible in the Nash LP). Points are mixed radix over the d coordinates,
 * coordinate 0 most significant; coordinate k takes values
 * (j0[k] + t) * alpha, t in [0, cnt[k]). */
typedef struct marl_amg_grid {
    size_t d, G;
    double alpha;
    long long j0[MARL_AGGREGATIVE_MAX_DIM];
    size_t cnt[MARL_AGGREGATIVE_MAX_DIM];
    double *pts; /* [G * d] */
} marl_amg_grid;

/* Maximum number of grid points (MARL_ERANGE beyond). */
#define MARL_AMG_MAX_GRID ((size_t)1 << 22)

int marl_amg_grid_new(const marl_amg_data *a, double alpha,
                      marl_amg_grid *grid);
void marl_amg_grid_free(marl_amg_grid *grid);
/* Index of the grid point nearest to x (per coordinate, clamped). */
size_t marl_amg_grid_nearest(const marl_amg_grid *grid, const double *x);

/* gamma_r, gamma_T: the given constants, or estimated on `grid`. */
int marl_amg_lipschitz(const marl_amg_data *a, const marl_amg_grid *grid,
                       double *gamma_r, double *gamma_T);

/* A small cache of transition rows T_h(. | s, x) keyed by (h, s, x)
 * (exact comparison of x), filled round-robin. Deviations of one agent in
 * games with few distinct contribution vectors (routing: f = e_a) revisit
 * the same aggregates, so the exact metrics and the subroutine's deviation
 * gains call the transition callback far less often. */
typedef struct marl_amg_tcache {
    size_t S, d, cap, next, used;
    size_t *key;  /* [cap * 2] (h, s) */
    double *x;    /* [cap * d] */
    double *rows; /* [cap * S] */
} marl_amg_tcache;

int marl_amg_tcache_init(marl_amg_tcache *c, const marl_amg_data *a,
                         size_t cap);
void marl_amg_tcache_free(marl_amg_tcache *c);
/* Forget every entry (no allocation). */
void marl_amg_tcache_clear(marl_amg_tcache *c);
/* *row = T_h(. | s, x), from the cache or the (checked) callback. The row
 * stays valid until `cap` further misses. */
int marl_amg_tcache_get(marl_amg_tcache *c, const marl_amg_data *a, size_t h,
                        size_t s, const double *x, const double **row);

#endif /* MARL_GAME_AGGREGATIVE_IMPL_H */
