/*
 * Test fixture: a small aggregative game with tables drawn by the tests'
 * own generator (splitmix), built through the public builder, and an
 * independent evaluation of its rewards, transitions and pure policies
 * (values, brute-force best responses over all pure deviating policies).
 * SPDX-License-Identifier: MIT
 */
#ifndef AMG_FIXTURE_H
#define AMG_FIXTURE_H

#include <marlgame/marlgame.h>
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "splitmix.h"

#define TG_MAXN 6
#define TG_MAXM 3
#define TG_MAXS 3
#define TG_MAXH 3
#define TG_MAXD 2

typedef struct tg {
    size_t n, m, S, H, d;
    double rs, ts;
    double f[TG_MAXH][TG_MAXN][TG_MAXM][TG_MAXD];
    double b[TG_MAXH][TG_MAXS][TG_MAXN][TG_MAXM];
    double c[TG_MAXH][TG_MAXS][TG_MAXN][TG_MAXM][TG_MAXD];
    double w[TG_MAXH][TG_MAXS][TG_MAXN][TG_MAXM];
    double P0[TG_MAXH][TG_MAXS][TG_MAXS], P1[TG_MAXH][TG_MAXS][TG_MAXS];
    double rho0[TG_MAXS];
    int welfare;
} tg;

/* r = b + rs * sum_k c_k x_k^2 / 2 (x in [0,1]: Lipschitz rs sum|c| <= rs). */
static inline double tg_r(const tg *g, size_t h, size_t s, size_t i,
                          size_t a, const double *x) {
    double v = g->b[h][s][i][a];
    for (size_t k = 0; k < g->d; ++k)
        v += 0.5 * g->rs * g->c[h][s][i][a][k] * x[k] * x[k];
    return v;
}

/* T = (1 - lam) P0 + lam P1, lam = ts * x_0 clipped to [0, 1]. */
static inline void tg_T(const tg *g, size_t h, size_t s, const double *x,
                        double *row) {
    double lam = g->ts * x[0];
    if (lam < 0) lam = 0;
    if (lam > 1) lam = 1;
    for (size_t t = 0; t < g->S; ++t)
        row[t] = (1 - lam) * g->P0[h][s][t] + lam * g->P1[h][s][t];
}

static inline void tg_x(const tg *g, size_t h, const size_t *prof,
                        double *x) {
    for (size_t k = 0; k < g->d; ++k) {
        x[k] = 0;
        for (size_t i = 0; i < g->n; ++i) x[k] += g->f[h][i][prof[i]][k];
        x[k] /= (double)g->n;
    }
}

static int tg_cb_reward(void *u, size_t h, size_t s, size_t i, size_t a,
                        const double *x, double *r) {
    *r = tg_r(u, h, s, i, a, x);
    return 0;
}
static int tg_cb_trans(void *u, size_t h, size_t s, const double *x,
                       double *row) {
    tg_T(u, h, s, x, row);
    return 0;
}
static int tg_cb_welfare(void *u, size_t h, size_t s, size_t i, size_t a,
                         double *w) {
    const tg *g = u;
    *w = g->w[h][s][i][a];
    return 0;
}

static inline void tg_dirichlet(sm_rng *r, double *p, size_t S) {
    double t = 0;
    for (size_t k = 0; k < S; ++k) {
        p[k] = -log(1.0 - sm_unif(r));
        t += p[k];
    }
    for (size_t k = 0; k < S; ++k) p[k] /= t;
}

/* Draw a game (rewards within [-1, 1] for rs <= 1). */
static inline void tg_draw(tg *g, uint64_t seed, size_t n, size_t m,
                           size_t S, size_t H, size_t d, double rs, double ts,
                           int welfare) {
    memset(g, 0, sizeof *g);
    sm_rng r = {seed};
    g->n = n; g->m = m; g->S = S; g->H = H; g->d = d;
    g->rs = rs; g->ts = ts; g->welfare = welfare;
    for (size_t h = 0; h < H; ++h)
        for (size_t i = 0; i < n; ++i)
            for (size_t a = 0; a < m; ++a)
                for (size_t k = 0; k < d; ++k) g->f[h][i][a][k] = sm_unif(&r);
    for (size_t h = 0; h < H; ++h)
        for (size_t s = 0; s < S; ++s) {
            for (size_t i = 0; i < n; ++i)
                for (size_t a = 0; a < m; ++a) {
                    g->b[h][s][i][a] = sm_unif(&r) - 0.5;
                    g->w[h][s][i][a] = 2 * sm_unif(&r) - 1;
                    for (size_t k = 0; k < d; ++k)
                        g->c[h][s][i][a][k] =
                            (2 * sm_unif(&r) - 1) / (double)d;
                }
            tg_dirichlet(&r, g->P0[h][s], S);
            tg_dirichlet(&r, g->P1[h][s], S);
        }
    tg_dirichlet(&r, g->rho0, S);
}

/* Build it (the fixture owns g; no release). */
static inline marl_game *tg_build(tg *g) {
    size_t acts[TG_MAXN];
    double f[TG_MAXN * TG_MAXM * TG_MAXD];
    for (size_t i = 0; i < g->n; ++i) acts[i] = g->m;
    marl_aggregative_builder *b = NULL;
    ck_assert_int_eq(marl_aggregative_builder_new(&b, g->n, g->S, acts, g->H,
                                                  g->d),
                     MARL_OK);
    ck_assert_int_eq(
        marl_aggregative_builder_set_scale(b, 1.0 / (double)g->n, 1.0),
        MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_set_initial(b, g->rho0),
                     MARL_OK);
    for (size_t h = 0; h < g->H; ++h) {
        for (size_t i = 0; i < g->n; ++i)
            for (size_t a = 0; a < g->m; ++a)
                for (size_t k = 0; k < g->d; ++k)
                    f[(i * g->m + a) * g->d + k] = g->f[h][i][a][k];
        ck_assert_int_eq(marl_aggregative_builder_set_contributions(b, h, f),
                         MARL_OK);
    }
    ck_assert_int_eq(marl_aggregative_builder_set_lipschitz(b, g->rs, g->ts),
                     MARL_OK);
    marl_aggregative_ops ops = {MARL_AGGREGATIVE_OPS_VERSION, tg_cb_reward,
                                tg_cb_trans,
                                g->welfare ? tg_cb_welfare : NULL, NULL};
    ck_assert_int_eq(marl_aggregative_builder_set_ops(b, &ops, g), MARL_OK);
    marl_game *game = NULL;
    ck_assert_int_eq(marl_aggregative_builder_build(b, &game), MARL_OK);
    marl_aggregative_builder_free(b);
    return game;
}

/* Value sum_s rho0(s) V_0(s) of agent i under the profile act[(h*S+s)*n+j]
 * with agent i replaced by dev[h*S+s] (dev NULL: no deviation), by backward
 * recursion from scratch; V receives V_h(s). */
static inline double tg_value(const tg *g, const size_t *act, size_t i,
                              const size_t *dev,
                              double V[TG_MAXH + 1][TG_MAXS]) {
    double row[TG_MAXS], x[TG_MAXD];
    size_t prof[TG_MAXN];
    for (size_t s = 0; s < g->S; ++s) V[g->H][s] = 0;
    for (size_t h = g->H; h-- > 0;)
        for (size_t s = 0; s < g->S; ++s) {
            memcpy(prof, act + (h * g->S + s) * g->n, g->n * sizeof *prof);
            if (dev) prof[i] = dev[h * g->S + s];
            tg_x(g, h, prof, x);
            tg_T(g, h, s, x, row);
            double v = tg_r(g, h, s, i, prof[i], x);
            for (size_t t = 0; t < g->S; ++t) v += row[t] * V[h + 1][t];
            V[h][s] = v;
        }
    double tot = 0;
    for (size_t s = 0; s < g->S; ++s) tot += g->rho0[s] * V[0][s];
    return tot;
}

/* Brute force: max over agents and over ALL pure deviating Markov policies
 * of agent i (m^(H S) of them) of the value gain. */
static inline double tg_brute_gap(const tg *g, const size_t *act) {
    double V[TG_MAXH + 1][TG_MAXS];
    size_t dev[TG_MAXH * TG_MAXS];
    const size_t L = g->H * g->S;
    double gap = -HUGE_VAL;
    for (size_t i = 0; i < g->n; ++i) {
        const double v0 = tg_value(g, act, i, NULL, V);
        memset(dev, 0, sizeof dev);
        for (;;) {
            double v = tg_value(g, act, i, dev, V);
            if (v - v0 > gap) gap = v - v0;
            size_t k = 0;
            while (k < L && ++dev[k] == g->m) dev[k++] = 0;
            if (k == L) break;
        }
    }
    return gap;
}

/* Welfare W_h(s) of a pure policy, independently; returns sum rho0 W_0. */
static inline double tg_welfare(const tg *g, const size_t *act,
                                double W[TG_MAXH + 1][TG_MAXS]) {
    double row[TG_MAXS], x[TG_MAXD];
    for (size_t s = 0; s < g->S; ++s) W[g->H][s] = 0;
    for (size_t h = g->H; h-- > 0;)
        for (size_t s = 0; s < g->S; ++s) {
            const size_t *prof = act + (h * g->S + s) * g->n;
            tg_x(g, h, prof, x);
            tg_T(g, h, s, x, row);
            double v = 0;
            for (size_t i = 0; i < g->n; ++i) v += g->w[h][s][i][prof[i]];
            for (size_t t = 0; t < g->S; ++t) v += row[t] * W[h + 1][t];
            W[h][s] = v;
        }
    double tot = 0;
    for (size_t s = 0; s < g->S; ++s) tot += g->rho0[s] * W[0][s];
    return tot;
}

/* A random pure policy. */
static inline void tg_random_policy(const tg *g, uint64_t seed,
                                    size_t *act) {
    sm_rng r = {seed};
    for (size_t k = 0; k < g->H * g->S * g->n; ++k)
        act[k] = (size_t)(sm_next(&r) % g->m);
}

#endif /* AMG_FIXTURE_H */
