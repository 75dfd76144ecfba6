/*
 * Helpers of the alternating test suites: random tiny global-local models
 * (raw tables), an independent brute-force mean-field flow and Gaussian
 * elimination. Written without the library's alternating code.
 * Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_ALTTEST_H
#define MARL_TEST_ALTTEST_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <marlgame/counts.h>

#include "splitmix.h"

typedef struct at_model {
    size_t Sg, Ag, Sl, Al, k, C;
    double gamma;
    double *Pg, *rg, *Pl, *rl, *rho_g, *mu0;
} at_model;

static inline void at_dist(sm_rng *r, double *p, size_t n) {
    double s = 0.0;
    for (size_t i = 0; i < n; ++i) s += (p[i] = 0.05 + sm_unif(r));
    for (size_t i = 0; i < n; ++i) p[i] /= s;
}

static inline size_t at_binom(size_t n, size_t r) {
    size_t c = 1;
    for (size_t i = 1; i <= r; ++i) c = c * (n - r + i) / i;
    return c;
}

/* Random model; tables allocated with malloc (at_model_free). */
static inline at_model at_model_random(uint64_t seed, size_t Sg, size_t Ag,
                                       size_t Sl, size_t Al, size_t k,
                                       double gamma) {
    sm_rng r = {seed};
    at_model m = {Sg, Ag, Sl, Al, k, at_binom(k + Sl - 1, Sl - 1), gamma,
                  NULL, NULL, NULL, NULL, NULL, NULL};
    m.Pg = malloc(Sg * Ag * Sg * sizeof(double));
    m.rg = malloc(Sg * Ag * sizeof(double));
    m.Pl = malloc(Sl * Sg * Al * Sl * sizeof(double));
    m.rl = malloc(Sl * Sg * Al * sizeof(double));
    m.rho_g = malloc(Sg * sizeof(double));
    m.mu0 = malloc(Sl * sizeof(double));
    for (size_t i = 0; i < Sg * Ag; ++i) {
        at_dist(&r, m.Pg + i * Sg, Sg);
        m.rg[i] = sm_unif(&r);
    }
    for (size_t i = 0; i < Sl * Sg * Al; ++i) {
        at_dist(&r, m.Pl + i * Sl, Sl);
        m.rl[i] = 2.0 * sm_unif(&r);
    }
    at_dist(&r, m.rho_g, Sg);
    at_dist(&r, m.mu0, Sl);
    return m;
}

static inline void at_model_free(at_model *m) {
    free(m->Pg);
    free(m->rg);
    free(m->Pl);
    free(m->rl);
    free(m->rho_g);
    free(m->mu0);
}

/* Random policy rows (n rows of width w). */
static inline double *at_policy_random(uint64_t seed, size_t n, size_t w) {
    sm_rng r = {seed};
    double *p = malloc(n * w * sizeof(double));
    for (size_t i = 0; i < n; ++i) at_dist(&r, p + i * w, w);
    return p;
}

/* p(.|s_g, mu) by enumerating every ORDERED k-tuple of local states
 * (S_l^k of them), each with probability prod mu, mapped to its count
 * vector's rank: independent of the multinomial formula. */
static inline void at_action_law(const at_model *m, const double *pi_g,
                                 size_t s_g, const double *mu, double *out) {
    size_t tuples = 1;
    for (size_t i = 0; i < m->k; ++i) tuples *= m->Sl;
    size_t *c = calloc(m->Sl, sizeof *c);
    for (size_t a = 0; a < m->Ag; ++a) out[a] = 0.0;
    for (size_t t = 0; t < tuples; ++t) {
        memset(c, 0, m->Sl * sizeof *c);
        size_t x = t;
        double w = 1.0;
        for (size_t i = 0; i < m->k; ++i) {
            c[x % m->Sl]++;
            w *= mu[x % m->Sl];
            x /= m->Sl;
        }
        size_t rank = 0;
        marl_counts_rank(c, m->Sl, m->k, &rank);
        for (size_t a = 0; a < m->Ag; ++a)
            out[a] += w * pi_g[(s_g * m->C + rank) * m->Ag + a];
    }
    free(c);
}

/* One flow step written as the full sum over (s_g, j, a_g, a_l, s_g', j').
 * nu, nu2: [S_g * S_l]; pt: [S_g * A_g] (p_t from nu, filled). */
static inline void at_flow_step(const at_model *m, const double *pi_g,
                                const double *pi_l, const double *nu,
                                double *nu2, double *pt) {
    size_t Sg = m->Sg, Sl = m->Sl, Ag = m->Ag, Al = m->Al;
    double *mu = malloc(Sl * sizeof(double));
    for (size_t g = 0; g < Sg; ++g) {
        double w = 0.0;
        for (size_t j = 0; j < Sl; ++j) w += nu[g * Sl + j];
        for (size_t j = 0; j < Sl; ++j)
            mu[j] = w > 0 ? nu[g * Sl + j] / w : m->mu0[j];
        at_action_law(m, pi_g, g, mu, pt + g * Ag);
    }
    for (size_t i = 0; i < Sg * Sl; ++i) nu2[i] = 0.0;
    for (size_t g = 0; g < Sg; ++g)
        for (size_t j = 0; j < Sl; ++j)
            for (size_t ag = 0; ag < Ag; ++ag)
                for (size_t al = 0; al < Al; ++al)
                    for (size_t g2 = 0; g2 < Sg; ++g2)
                        for (size_t j2 = 0; j2 < Sl; ++j2)
                            nu2[g2 * Sl + j2] +=
                                nu[g * Sl + j] * pt[g * Ag + ag] *
                                pi_l[(j * Sg + g) * Al + al] *
                                m->Pg[(g * Ag + ag) * Sg + g2] *
                                m->Pl[((j * Sg + g) * Al + al) * Sl + j2];
    free(mu);
}

/* Solve A x = b (n x n, row-major, overwritten) by Gaussian elimination
 * with partial pivoting; x into b. */
static inline void at_solve(double *A, double *b, size_t n) {
    for (size_t c = 0; c < n; ++c) {
        size_t p = c;
        for (size_t r = c + 1; r < n; ++r)
            if (fabs(A[r * n + c]) > fabs(A[p * n + c])) p = r;
        for (size_t j = 0; j < n; ++j) {
            double t = A[c * n + j];
            A[c * n + j] = A[p * n + j];
            A[p * n + j] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
        for (size_t r = c + 1; r < n; ++r) {
            double f = A[r * n + c] / A[c * n + c];
            for (size_t j = c; j < n; ++j) A[r * n + j] -= f * A[c * n + j];
            b[r] -= f * b[c];
        }
    }
    for (size_t c = n; c-- > 0;) {
        double s = b[c];
        for (size_t j = c + 1; j < n; ++j) s -= A[c * n + j] * b[j];
        b[c] = s / A[c * n + c];
    }
}

#endif /* MARL_TEST_ALTTEST_H */
