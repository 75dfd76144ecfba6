/*
 * Independent computations for test_chained.c, written from the seed's
 * description of the k-chained MDP (seed 004 App. C.3, Algorithm 21)
 * without the library's chained code: a brute-force construction of the
 * chained MDP (dense), the initial law of the replica tuples (i.i.d. or
 * the Dirichlet-multinomial integral), policy values on the macro chain of
 * the k-agent subsystem, exhaustive search over deterministic local
 * policies, value iteration on the brute-force chained MDP and on the
 * (s_l, s_g) MDP of k = 1. Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_CHAINTEST_H
#define MARL_TEST_CHAINTEST_H

#include <check.h>

#include "alttest.h"

static inline size_t ipow(size_t b, size_t e) {
    size_t p = 1;
    while (e--) p *= b;
    return p;
}

/* Index of a chained state by the layout documented in chained.h. */
static inline size_t bf_index(const at_model *m, size_t stage, const size_t *rep,
                       size_t g, size_t h) {
    size_t t = 0, T = ipow(m->Sl, m->k);
    for (size_t i = m->k; i-- > 0;) t = t * m->Sl + rep[i];
    if (stage == 0) return t * m->Sg + g;
    return T * m->Sg + ((stage - 1) * T + t) * m->Sg * m->Sg + g * m->Sg + h;
}

static inline size_t rank_of(const at_model *m, const size_t *rep) {
    size_t c[8] = {0}, r = 0;
    for (size_t i = 0; i < m->k; ++i) c[rep[i]]++;
    ck_assert_int_eq(marl_counts_rank(c, m->Sl, m->k, &r), MARL_OK);
    return r;
}

/* Brute-force chained MDP: dense P[(x * Al + a) * N + x'], reward and
 * discount per (x, a), from the seed's description. */
typedef struct bf_chain {
    size_t N;
    double *P, *r, *disc;
} bf_chain;

static inline bf_chain bf_build(const at_model *m, const double *pig) {
    size_t T = ipow(m->Sl, m->k);
    bf_chain b;
    b.N = T * m->Sg * (1 + (m->k - 1) * m->Sg);
    b.P = calloc(b.N * m->Al * b.N, sizeof(double));
    b.r = calloc(b.N * m->Al, sizeof(double));
    b.disc = calloc(b.N * m->Al, sizeof(double));
    size_t rep[8], rep2[8];
    for (size_t stage = 0; stage < m->k; ++stage)
        for (size_t t = 0; t < T; ++t)
            for (size_t g = 0; g < m->Sg; ++g)
                for (size_t h = 0; h < (stage ? m->Sg : 1); ++h) {
                    size_t u = t;
                    for (size_t i = 0; i < m->k; ++i) {
                        rep[i] = u % m->Sl;
                        u /= m->Sl;
                    }
                    size_t x = bf_index(m, stage, rep, g, h);
                    size_t s = rep[stage];
                    const double *pa =
                        pig + (g * m->C + rank_of(m, rep)) * m->Ag;
                    for (size_t a = 0; a < m->Al; ++a) {
                        size_t xa = x * m->Al + a;
                        const double *Pl =
                            m->Pl + ((s * m->Sg + g) * m->Al + a) * m->Sl;
                        b.r[xa] = m->rl[(s * m->Sg + g) * m->Al + a] /
                                  (double)m->k;
                        b.disc[xa] = stage + 1 == m->k ? m->gamma : 1.0;
                        if (stage == 0)
                            for (size_t ag = 0; ag < m->Ag; ++ag)
                                b.r[xa] += pa[ag] * m->rg[g * m->Ag + ag];
                        for (size_t s2 = 0; s2 < m->Sl; ++s2) {
                            memcpy(rep2, rep, sizeof rep);
                            rep2[stage] = s2;
                            if (stage == 0) {
                                for (size_t ag = 0; ag < m->Ag; ++ag)
                                    for (size_t h2 = 0; h2 < m->Sg; ++h2) {
                                        size_t y =
                                            m->k == 1
                                                ? bf_index(m, 0, rep2, h2, 0)
                                                : bf_index(m, 1, rep2, g, h2);
                                        b.P[xa * b.N + y] +=
                                            Pl[s2] * pa[ag] *
                                            m->Pg[(g * m->Ag + ag) * m->Sg +
                                                  h2];
                                    }
                            } else {
                                size_t y = stage + 1 == m->k
                                               ? bf_index(m, 0, rep2, h, 0)
                                               : bf_index(m, stage + 1, rep2,
                                                          g, h);
                                b.P[xa * b.N + y] += Pl[s2];
                            }
                        }
                    }
                }
    return b;
}

static inline void bf_free(bf_chain *b) {
    free(b->P);
    free(b->r);
    free(b->disc);
}

/* Initial law of the ordered tuples: i.i.d. mu0, or (conc != NULL) the
 * Dirichlet-multinomial integral Gamma(A)/Gamma(A+k) prod
 * Gamma(a_j+c_j)/Gamma(a_j). */
static inline double tuple_law(const at_model *m, size_t t, const double *conc) {
    size_t c[8] = {0};
    double p = 1.0, A = 0.0;
    for (size_t i = 0; i < m->k; ++i) {
        if (!conc) p *= m->mu0[t % m->Sl];
        c[t % m->Sl]++;
        t /= m->Sl;
    }
    if (!conc) return p;
    double l = 0.0;
    for (size_t j = 0; j < m->Sl; ++j) {
        A += conc[j];
        l += lgamma(conc[j] + (double)c[j]) - lgamma(conc[j]);
    }
    return exp(l + lgamma(A) - lgamma(A + (double)m->k));
}

/* J of the shared local policy pol on the macro chain of the k-agent
 * subsystem: state (t, s_g), every replica moves at once, s_g' drawn
 * from a_g ~ pi_g(.|s_g, c(t)); reward r_g + (1/k) sum_i r_l. */
static inline double macro_J(const at_model *m, const double *pig, const double *pol,
                      const double *conc) {
    size_t T = ipow(m->Sl, m->k), n = T * m->Sg;
    double *A = calloc(n * n, sizeof(double)), *b = calloc(n, sizeof(double));
    size_t rep[8];
    for (size_t t = 0; t < T; ++t)
        for (size_t g = 0; g < m->Sg; ++g) {
            size_t u = t, x = t * m->Sg + g;
            for (size_t i = 0; i < m->k; ++i) {
                rep[i] = u % m->Sl;
                u /= m->Sl;
            }
            const double *pa = pig + (g * m->C + rank_of(m, rep)) * m->Ag;
            double r = 0.0;
            for (size_t ag = 0; ag < m->Ag; ++ag) r += pa[ag] * m->rg[g * m->Ag + ag];
            for (size_t i = 0; i < m->k; ++i)
                for (size_t a = 0; a < m->Al; ++a)
                    r += pol[(rep[i] * m->Sg + g) * m->Al + a] *
                         m->rl[(rep[i] * m->Sg + g) * m->Al + a] / (double)m->k;
            b[x] = r;
            A[x * n + x] += 1.0;
            for (size_t t2 = 0; t2 < T; ++t2) {
                double pr = 1.0;
                size_t v = t2;
                for (size_t i = 0; i < m->k; ++i) {
                    double q = 0.0;
                    for (size_t a = 0; a < m->Al; ++a)
                        q += pol[(rep[i] * m->Sg + g) * m->Al + a] *
                             m->Pl[((rep[i] * m->Sg + g) * m->Al + a) * m->Sl +
                                   v % m->Sl];
                    pr *= q;
                    v /= m->Sl;
                }
                for (size_t h = 0; h < m->Sg; ++h) {
                    double K = 0.0;
                    for (size_t ag = 0; ag < m->Ag; ++ag)
                        K += pa[ag] * m->Pg[(g * m->Ag + ag) * m->Sg + h];
                    A[x * n + t2 * m->Sg + h] -= m->gamma * pr * K;
                }
            }
        }
    at_solve(A, b, n);
    double J = 0.0;
    for (size_t t = 0; t < T; ++t)
        for (size_t g = 0; g < m->Sg; ++g)
            J += m->rho_g[g] * tuple_law(m, t, conc) * b[t * m->Sg + g];
    free(A);
    free(b);
    return J;
}

static inline void onehot(const at_model *m, const size_t *d, double *pol) {
    for (size_t o = 0; o < m->Sl * m->Sg; ++o)
        for (size_t a = 0; a < m->Al; ++a)
            pol[o * m->Al + a] = d[o] == a ? 1.0 : 0.0;
}

/* max over deterministic local policies of macro_J. */
static inline double brute_best(const at_model *m, const double *pig) {
    size_t R = m->Sl * m->Sg, D = ipow(m->Al, R), d[16];
    double *pol = malloc(R * m->Al * sizeof(double)), best = -HUGE_VAL;
    for (size_t n = 0; n < D; ++n) {
        size_t u = n;
        for (size_t o = 0; o < R; ++o) {
            d[o] = u % m->Al;
            u /= m->Al;
        }
        onehot(m, d, pol);
        double J = macro_J(m, pig, pol, NULL);
        if (J > best) best = J;
    }
    free(pol);
    return best;
}

/* Value iteration on the brute-force chained MDP: optimum at the initial
 * law (i.i.d.). */
static inline double bf_optimum(const at_model *m, const bf_chain *b) {
    double *V = calloc(b->N, sizeof(double)), *V2 = calloc(b->N, sizeof(double));
    for (int it = 0; it < 20000; ++it) {
        double d = 0.0;
        for (size_t x = 0; x < b->N; ++x) {
            double best = -HUGE_VAL;
            for (size_t a = 0; a < m->Al; ++a) {
                size_t xa = x * m->Al + a;
                double ev = 0.0;
                for (size_t y = 0; y < b->N; ++y) ev += b->P[xa * b->N + y] * V[y];
                double q = b->r[xa] + b->disc[xa] * ev;
                if (q > best) best = q;
            }
            V2[x] = best;
            if (fabs(best - V[x]) > d) d = fabs(best - V[x]);
        }
        double *t = V;
        V = V2;
        V2 = t;
        if (d < 1e-14) break;
    }
    size_t T = ipow(m->Sl, m->k);
    double J = 0.0;
    for (size_t t = 0; t < T; ++t)
        for (size_t g = 0; g < m->Sg; ++g)
            J += m->rho_g[g] * tuple_law(m, t, NULL) * V[t * m->Sg + g];
    free(V);
    free(V2);
    return J;
}

/* k = 1: the class is the MDP on (s_l, s_g); its optimum by value
 * iteration. */
static inline double mdp_k1_optimum(const at_model *m, const double *pig) {
    size_t Sg = m->Sg, Sl = m->Sl, n = Sl * Sg;
    double *V = calloc(n, sizeof(double)), *V2 = calloc(n, sizeof(double));
    for (int it = 0; it < 5000; ++it) {
        for (size_t s = 0; s < Sl; ++s)
            for (size_t g = 0; g < Sg; ++g) {
                size_t one[1] = {s};
                const double *pa = pig + (g * m->C + rank_of(m, one)) * m->Ag;
                double best = -HUGE_VAL;
                for (size_t a = 0; a < m->Al; ++a) {
                    double q = m->rl[(s * Sg + g) * m->Al + a];
                    for (size_t ag = 0; ag < m->Ag; ++ag)
                        q += pa[ag] * m->rg[g * m->Ag + ag];
                    for (size_t s2 = 0; s2 < Sl; ++s2)
                        for (size_t h = 0; h < Sg; ++h) {
                            double K = 0.0;
                            for (size_t ag = 0; ag < m->Ag; ++ag)
                                K += pa[ag] * m->Pg[(g * m->Ag + ag) * Sg + h];
                            q += m->gamma * K *
                                 m->Pl[((s * Sg + g) * m->Al + a) * Sl + s2] *
                                 V[s2 * Sg + h];
                        }
                    if (q > best) best = q;
                }
                V2[s * Sg + g] = best;
            }
        double *t = V;
        V = V2;
        V2 = t;
    }
    double J = 0.0;
    for (size_t s = 0; s < Sl; ++s)
        for (size_t g = 0; g < Sg; ++g) J += m->rho_g[g] * m->mu0[s] * V[s * Sg + g];
    free(V);
    free(V2);
    return J;
}

#endif /* MARL_TEST_CHAINTEST_H */
