/*
 * Test helpers: a global-local game from an at_model (alttest.h) through
 * the public builder, and an independent brute-force evaluator of the
 * full n-agent system over the joint states (s_g, x_1, ..., x_n) of all
 * agents, enumerating every k-subset the global agent may sample.
 * Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_ALTGAME_H
#define MARL_TEST_ALTGAME_H

#include <check.h>
#include <marlgame/marlgame.h>

#include "alttest.h"

static inline marl_game *ag_game(const at_model *m, size_t n) {
    marl_global_local_builder *b = NULL;
    marl_game *g = NULL;
    ck_assert_int_eq(marl_global_local_builder_new(&b, n, m->Sg, m->Ag, m->Sl,
                                                   m->Al),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, m->gamma),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, m->Pg, m->rg),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, m->Pl, m->rl),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_initial_global(b, m->rho_g),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_initial_local(b, m->mu0),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), MARL_OK);
    marl_global_local_builder_free(b);
    return g;
}

/* Random policy pair rows written through the public setters. */
static inline void ag_policy_random(marl_gl_policy *p, const at_model *m,
                                    uint64_t seed) {
    size_t C = marl_gl_policy_num_counts(p);
    double *g = at_policy_random(seed, m->Sg * C, m->Ag);
    double *l = at_policy_random(seed + 1, m->Sl * m->Sg, m->Al);
    for (size_t s = 0; s < m->Sg; ++s)
        for (size_t r = 0; r < C; ++r)
            ck_assert_int_eq(
                marl_gl_policy_set_global_row(p, s, r, g + (s * C + r) * m->Ag),
                MARL_OK);
    for (size_t j = 0; j < m->Sl; ++j)
        for (size_t s = 0; s < m->Sg; ++s)
            ck_assert_int_eq(marl_gl_policy_set_local_row(
                                 p, j, s, l + (j * m->Sg + s) * m->Al),
                             MARL_OK);
    free(g);
    free(l);
}

/* E[sum_{t<H} gamma^t r_t] from each s_g (local states i.i.d. mu0) into
 * v[S_g], by backward induction over all joint states. */
static inline void ag_brute_values(const at_model *m, size_t n,
                                   const marl_gl_policy *p, size_t H,
                                   double *v) {
    size_t Sg = m->Sg, Sl = m->Sl, Ag = m->Ag, Al = m->Al;
    size_t k = marl_gl_policy_k(p);
    size_t X = 1;
    for (size_t i = 0; i < n; ++i) X *= Sl;
    size_t N = Sg * X;
    double *V = calloc(N, sizeof(double)), *V2 = calloc(N, sizeof(double));
    double *R = calloc(N, sizeof(double)), *K = calloc(N * Sg, sizeof(double));
    double *T = calloc(Sg * X * X, sizeof(double)); /* T[(s*X+x)*X+x'] */
    size_t *x = calloc(n, sizeof(size_t)), *c = calloc(Sl, sizeof(size_t));
    double *pg = malloc(Ag * sizeof(double)), *pl = malloc(Al * sizeof(double));
    double *pa = malloc(Ag * sizeof(double));
    double *Pt = calloc(Sl * Sg * Sl, sizeof(double));
    for (size_t j = 0; j < Sl; ++j)
        for (size_t s = 0; s < Sg; ++s) {
            marl_gl_policy_local_row(p, j, s, pl);
            for (size_t a = 0; a < Al; ++a)
                for (size_t j2 = 0; j2 < Sl; ++j2)
                    Pt[(j * Sg + s) * Sl + j2] +=
                        pl[a] * m->Pl[((j * Sg + s) * Al + a) * Sl + j2];
        }
    for (size_t s = 0; s < Sg; ++s)
        for (size_t xi = 0; xi < X; ++xi) {
            size_t t = xi;
            for (size_t i = 0; i < n; ++i) {
                x[i] = t % Sl;
                t /= Sl;
            }
            /* every k-subset of the n agents, as a bit mask */
            double nsub = 0.0;
            for (size_t a = 0; a < Ag; ++a) pa[a] = 0.0;
            for (size_t mask = 0; mask < ((size_t)1 << n); ++mask) {
                if ((size_t)__builtin_popcountll(mask) != k) continue;
                memset(c, 0, Sl * sizeof(size_t));
                for (size_t i = 0; i < n; ++i)
                    if (mask >> i & 1u) c[x[i]]++;
                size_t rank;
                marl_counts_rank(c, Sl, k, &rank);
                marl_gl_policy_global_row(p, s, rank, pg);
                for (size_t a = 0; a < Ag; ++a) pa[a] += pg[a];
                nsub += 1.0;
            }
            size_t id = s * X + xi;
            double r = 0.0;
            for (size_t a = 0; a < Ag; ++a) {
                pa[a] /= nsub;
                r += pa[a] * m->rg[s * Ag + a];
                for (size_t s2 = 0; s2 < Sg; ++s2)
                    K[id * Sg + s2] += pa[a] * m->Pg[(s * Ag + a) * Sg + s2];
            }
            for (size_t i = 0; i < n; ++i) {
                marl_gl_policy_local_row(p, x[i], s, pl);
                for (size_t a = 0; a < Al; ++a)
                    r += pl[a] * m->rl[(x[i] * Sg + s) * Al + a] / (double)n;
            }
            R[id] = r;
            for (size_t xj = 0; xj < X; ++xj) {
                size_t u = xj;
                double pr = 1.0;
                for (size_t i = 0; i < n; ++i) {
                    pr *= Pt[(x[i] * Sg + s) * Sl + u % Sl];
                    u /= Sl;
                }
                T[(s * X + xi) * X + xj] = pr;
            }
        }
    for (size_t h = 0; h < H; ++h) {
        for (size_t id = 0; id < N; ++id) {
            size_t s = id / X, xi = id % X;
            double ev = 0.0;
            for (size_t s2 = 0; s2 < Sg; ++s2)
                for (size_t xj = 0; xj < X; ++xj)
                    ev += K[id * Sg + s2] * T[(s * X + xi) * X + xj] *
                          V[s2 * X + xj];
            V2[id] = R[id] + m->gamma * ev;
        }
        double *tt = V;
        V = V2;
        V2 = tt;
    }
    for (size_t s = 0; s < Sg; ++s) {
        double a = 0.0;
        for (size_t xi = 0; xi < X; ++xi) {
            size_t t = xi;
            double pr = 1.0;
            for (size_t i = 0; i < n; ++i) {
                pr *= m->mu0[t % Sl];
                t /= Sl;
            }
            a += pr * V[s * X + xi];
        }
        v[s] = a;
    }
    free(V);
    free(V2);
    free(R);
    free(K);
    free(T);
    free(x);
    free(c);
    free(pg);
    free(pl);
    free(pa);
    free(Pt);
}

#endif /* MARL_TEST_ALTGAME_H */
