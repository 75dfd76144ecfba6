/*
 * Test helpers for the Nash subroutine: small instances whose Q is linear
 * in the aggregate, Q_i(a, x) = b[u] + sum_k s[u*d + k] x_k (u = off[i]+a),
 * with fault injection in the callbacks; an independent deviation gain; an
 * independent LP (a fresh lp_solve model per call, built row by row here).
 * Header-only; every function is static.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_NASHTEST_H
#define MARL_TEST_NASHTEST_H

#include "core/lp.h"
#include "solvers/aggregative/nash/nash.h"
#include "splitmix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct nt_inst {
    size_t n, d, G, U;
    size_t *m, *off;
    double *f, *grid, *w, *c; /* w, c: NULL unless set */
    double *b, *s;
    double delta, alpha;
    long fail_grid, nan_grid; /* q_grid fails / returns NaN at this point */
    long fail_at, nan_at;     /* q_at fails / NaN at this call (0-based) */
    long at_calls, grid_calls;
} nt_inst;

static inline int nt_q_grid(void *user, size_t g, double *Q) {
    nt_inst *t = user;
    t->grid_calls++;
    if ((long)g == t->fail_grid) return 1;
    for (size_t u = 0; u < t->U; ++u) {
        double q = t->b[u];
        for (size_t k = 0; k < t->d; ++k)
            q += t->s[u * t->d + k] * t->grid[g * t->d + k];
        Q[u] = q;
    }
    if ((long)g == t->nan_grid) Q[t->U - 1] = NAN;
    return 0;
}

static inline double nt_q(const nt_inst *t, size_t agent, size_t a,
                          const double *x) {
    const size_t u = t->off[agent] + a;
    double q = t->b[u];
    for (size_t k = 0; k < t->d; ++k) q += t->s[u * t->d + k] * x[k];
    return q;
}

static inline int nt_q_at(void *user, size_t agent, size_t a, const double *x,
                   double *q) {
    nt_inst *t = user;
    const long call = t->at_calls++;
    if (call == t->fail_at) return 1;
    *q = call == t->nan_at ? NAN : nt_q(t, agent, a, x);
    return 0;
}

static inline nt_inst *nt_new(size_t n, const size_t *m, size_t d, size_t G) {
    nt_inst *t = calloc(1, sizeof *t);
    t->n = n;
    t->d = d;
    t->G = G;
    t->m = calloc(n, sizeof *t->m);
    t->off = calloc(n + 1, sizeof *t->off);
    for (size_t i = 0; i < n; ++i) {
        t->m[i] = m[i];
        t->off[i + 1] = t->off[i] + m[i];
    }
    t->U = t->off[n];
    t->f = calloc(t->U * d, sizeof *t->f);
    t->b = calloc(t->U, sizeof *t->b);
    t->s = calloc(t->U * d, sizeof *t->s);
    t->grid = calloc(G * d, sizeof *t->grid);
    t->delta = 1.0 / (double)n;
    t->alpha = 0.1;
    t->fail_grid = t->nan_grid = t->fail_at = t->nan_at = -1;
    return t;
}

static inline void nt_set_welfare(nt_inst *t) {
    if (!t->w) t->w = calloc(t->U, sizeof *t->w);
    if (!t->c) t->c = calloc(t->G, sizeof *t->c);
}

static inline void nt_free(nt_inst *t) {
    if (!t) return;
    free(t->m);
    free(t->off);
    free(t->f);
    free(t->b);
    free(t->s);
    free(t->grid);
    free(t->w);
    free(t->c);
    free(t);
}

static inline void nt_problem(nt_inst *t, marl_nash_problem *p) {
    memset(p, 0, sizeof *p);
    p->n = t->n;
    p->m = t->m;
    p->off = t->off;
    p->d = t->d;
    p->f = t->f;
    p->delta = t->delta;
    p->alpha = t->alpha;
    p->n_grid = t->G;
    p->grid = t->grid;
    p->w = t->w;
    p->c = t->c;
    p->slack = -1.0;
    p->rounds = 4;
    p->lp_backend = MARL_NASH_LP_STRUCTURED;
    p->q_grid = nt_q_grid;
    p->q_at = nt_q_at;
    p->user = t;
}

/* Random instance: m_i in [1, mmax]; contributions, Q coefficients in small
 * integer steps when `coarse` (ties and equal contributions), otherwise
 * real; grid evenly spread over [-0.2, 1.2]^d with alpha = 0.7 / G. */
static inline nt_inst *nt_random(sm_rng *r, size_t n, size_t mmax, size_t d,
                          size_t G, int coarse) {
    size_t m[64];
    for (size_t i = 0; i < n; ++i)
        m[i] = 1 + (size_t)(sm_unif(r) * (double)mmax);
    nt_inst *t = nt_new(n, m, d, G);
    for (size_t j = 0; j < t->U * d; ++j)
        t->f[j] = coarse ? floor(sm_unif(r) * 3.0) / 2.0 : sm_unif(r);
    for (size_t u = 0; u < t->U; ++u) {
        t->b[u] = coarse ? floor(sm_unif(r) * 4.0) / 4.0 : sm_unif(r);
        for (size_t k = 0; k < d; ++k)
            t->s[u * d + k] = coarse ? floor(sm_unif(r) * 5.0) / 2.0 - 1.0
                                     : 2.0 * sm_unif(r) - 1.0;
    }
    for (size_t g = 0; g < G; ++g)
        for (size_t k = 0; k < d; ++k)
            t->grid[g * d + k] =
                -0.2 + 1.4 * (double)((g + k * 3) % G) / (double)G;
    t->alpha = 0.7 / (double)G;
    return t;
}

/* Independent deviation gain: each deviation's aggregate recomputed from
 * scratch. */
static inline double nt_gain(const nt_inst *t, const size_t *a) {
    double x[8], xd[8];
    size_t dev[64];
    for (size_t k = 0; k < t->d; ++k) {
        double s = 0.0;
        for (size_t i = 0; i < t->n; ++i)
            s += t->f[(t->off[i] + a[i]) * t->d + k];
        x[k] = t->delta * s;
    }
    double G = 0.0;
    for (size_t i = 0; i < t->n; ++i) {
        const double q0 = nt_q(t, i, a[i], x);
        for (size_t b = 0; b < t->m[i]; ++b) {
            memcpy(dev, a, t->n * sizeof *a);
            dev[i] = b;
            for (size_t k = 0; k < t->d; ++k) {
                double s = 0.0;
                for (size_t j = 0; j < t->n; ++j)
                    s += t->f[(t->off[j] + dev[j]) * t->d + k];
                xd[k] = t->delta * s;
            }
            const double gain = nt_q(t, i, b, xd) - q0;
            if (gain > G) G = gain;
        }
    }
    return G;
}

/* Gaps of grid point g, computed here. */
static inline void nt_gaps(const nt_inst *t, size_t g, double *gap) {
    double Q[512];
    for (size_t u = 0; u < t->U; ++u) {
        double q = t->b[u];
        for (size_t k = 0; k < t->d; ++k)
            q += t->s[u * t->d + k] * t->grid[g * t->d + k];
        Q[u] = q;
    }
    for (size_t i = 0; i < t->n; ++i) {
        double best = -HUGE_VAL;
        for (size_t a = 0; a < t->m[i]; ++a)
            if (Q[t->off[i] + a] > best) best = Q[t->off[i] + a];
        for (size_t a = 0; a < t->m[i]; ++a)
            gap[t->off[i] + a] = best - Q[t->off[i] + a];
    }
}

/* Independent LP (fresh lp_solve model): maximise sum v p over the
 * distributions on the allowed actions with the band of point g. Returns 1
 * and *obj if feasible, 0 if infeasible, -1 on failure. */
static inline int nt_lp(const nt_inst *t, size_t g,
                        const unsigned char *allowed, const double *v,
                        double *obj) {
    marl_lp *lp = NULL;
    if (marl_lp_new(&lp, t->U)) return -1;
    size_t cols[512];
    double vals[512];
    for (size_t i = 0; i < t->n; ++i) {
        for (size_t a = 0; a < t->m[i]; ++a) {
            cols[a] = t->off[i] + a;
            vals[a] = 1.0;
        }
        marl_lp_add_row(lp, t->m[i], cols, vals, 1.0, 1.0, NULL);
    }
    for (size_t k = 0; k < t->d; ++k) {
        for (size_t u = 0; u < t->U; ++u) {
            cols[u] = u;
            vals[u] = t->delta * t->f[u * t->d + k];
        }
        marl_lp_add_row(lp, t->U, cols, vals, t->grid[g * t->d + k] - t->alpha,
                        t->grid[g * t->d + k] + t->alpha, NULL);
    }
    for (size_t u = 0; u < t->U; ++u)
        if (!allowed[u]) marl_lp_set_col_bounds(lp, u, 0.0, 0.0);
    double zero[512] = {0};
    marl_lp_set_objective(lp, v ? v : zero, MARL_LP_MAXIMIZE);
    int st;
    int ret = -1;
    if (marl_lp_solve(lp, &st) == MARL_OK) {
        if (st == MARL_LP_OPTIMAL) {
            marl_lp_objective_value(lp, obj);
            ret = 1;
        } else if (st == MARL_LP_INFEASIBLE) {
            ret = 0;
        }
    }
    marl_lp_free(lp);
    return ret;
}

#endif /* MARL_TEST_NASHTEST_H */
