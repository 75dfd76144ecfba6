/*
 * Test helpers for the metrics and sampler suites: a seeded generator
 * written here (splitmix64, independent of the library's RNG), random Markov
 * games built through the public builder, random policies with exact zeros,
 * and brute-force joint-action arithmetic. Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_TESTGAMES_H
#define MARL_TEST_TESTGAMES_H

#include <marlgame/marlgame.h>

#include <check.h>
#include "splitmix.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>


/* A random distribution over n entries; each entry is 0 with probability
 * zero_prob (at least one entry stays positive). */
static inline void tg_random_dist(sm_rng *r, double *p, size_t n,
                                  double zero_prob) {
    double sum = 0.0;
    for (size_t k = 0; k < n; ++k) {
        p[k] = (sm_unif(r) < zero_prob) ? 0.0 : 0.05 + sm_unif(r);
        sum += p[k];
    }
    if (sum == 0.0) {
        p[sm_next(r) % n] = 1.0;
        return;
    }
    for (size_t k = 0; k < n; ++k)
        p[k] /= sum;
}

static inline size_t tg_joint_count(size_t N, const size_t *A) {
    size_t J = 1;
    for (size_t i = 0; i < N; ++i)
        J *= A[i];
    return J;
}

/* Decode joint index j (player 0 slowest) into a[0..N-1]. */
static inline void tg_decode(size_t N, const size_t *A, size_t j, size_t *a) {
    for (size_t i = N; i-- > 0;) {
        a[i] = j % A[i];
        j /= A[i];
    }
}

/* Random Markov game: transitions random (zeros with probability 0.3) or,
 * with action_indep, depending on the state only; rewards U[-1, 1]; random
 * mu; phi U[0,1] when with_phi. */
static inline marl_game *tg_random_game(uint64_t seed, size_t N, size_t S,
                                        const size_t *A, double gamma,
                                        int action_indep, int with_phi) {
    sm_rng r = {seed};
    size_t J = tg_joint_count(N, A);
    double *P = malloc(S * J * S * sizeof(double));
    double *R = malloc(N * S * J * sizeof(double));
    double *phi = malloc(S * J * sizeof(double));
    double *mu = malloc(S * sizeof(double));
    ck_assert(P && R && phi && mu);
    for (size_t s = 0; s < S; ++s)
        for (size_t j = 0; j < J; ++j) {
            if (action_indep && j > 0)
                memcpy(P + (s * J + j) * S, P + s * J * S, S * sizeof(double));
            else
                tg_random_dist(&r, P + (s * J + j) * S, S, 0.3);
        }
    for (size_t k = 0; k < N * S * J; ++k)
        R[k] = 2.0 * sm_unif(&r) - 1.0;
    for (size_t k = 0; k < S * J; ++k)
        phi[k] = sm_unif(&r);
    tg_random_dist(&r, mu, S, 0.0);
    marl_game *g = NULL;
    int rc =
        marl_markov_new(&g, N, S, A, gamma, mu, P, R, with_phi ? phi : NULL);
    ck_assert_msg(rc == MARL_OK, "marl_markov_new: %s", marl_last_error());
    free(P);
    free(R);
    free(phi);
    free(mu);
    return g;
}

/* Random rows for every (agent, state) of a stationary direct policy; each
 * entry is 0 with probability zero_prob. */
static inline void tg_random_policy(marl_policy *p, sm_rng *r,
                                    double zero_prob) {
    marl_game *g = marl_policy_game(p);
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    double row[64];
    for (size_t i = 0; i < N; ++i)
        for (size_t s = 0; s < S; ++s) {
            size_t Ai = marl_game_num_actions(g, i);
            ck_assert(Ai <= 64);
            tg_random_dist(r, row, Ai, zero_prob);
            ck_assert_int_eq(marl_policy_set_row(p, i, 0, s, row), MARL_OK);
        }
}

/* pi(a|s) restricted to the agents in mask (bit i set: include agent i). */
static inline double tg_prob(const marl_policy *p, size_t s, const size_t *a,
                             uint64_t mask) {
    marl_game *g = marl_policy_game(p);
    size_t N = marl_game_num_agents(g);
    double w = 1.0, row[64];
    for (size_t i = 0; i < N; ++i) {
        if (!(mask >> i & 1u)) continue;
        ck_assert_int_eq(marl_policy_get_row(p, i, 0, s, row), MARL_OK);
        w *= row[a[i]];
    }
    return w;
}

/* Relative-or-absolute closeness. */
static inline int tg_close(double x, double y, double tol) {
    return fabs(x - y) <= tol * (1.0 + fabs(x) + fabs(y));
}

/* ---- brute force from the public accessors ------------------------------ */

typedef struct tg_model {
    size_t N, S, J;
    size_t A[8];
    double gamma;
    double *P;  /* [S*J*S] */
    double *R;  /* [N*S*J] */
    double *mu; /* [S] */
} tg_model;

static inline void tg_model_load(tg_model *m, const marl_game *g) {
    m->N = marl_game_num_agents(g);
    m->S = marl_game_num_states(g);
    m->J = marl_markov_num_joint(g);
    m->gamma = marl_game_discount(g);
    ck_assert(m->N <= 8);
    for (size_t i = 0; i < m->N; ++i)
        m->A[i] = marl_game_num_actions(g, i);
    m->P = malloc(m->S * m->J * m->S * sizeof(double));
    m->R = malloc(m->N * m->S * m->J * sizeof(double));
    m->mu = malloc(m->S * sizeof(double));
    ck_assert(m->P && m->R && m->mu);
    for (size_t s = 0; s < m->S; ++s)
        for (size_t j = 0; j < m->J; ++j) {
            ck_assert_int_eq(marl_markov_transition_row(
                                 g, s, j, m->P + (s * m->J + j) * m->S),
                             MARL_OK);
            for (size_t i = 0; i < m->N; ++i)
                ck_assert_int_eq(
                    marl_markov_reward(g, i, s, j,
                                       m->R + (i * m->S + s) * m->J + j),
                    MARL_OK);
        }
    ck_assert_int_eq(marl_markov_initial(g, m->mu), MARL_OK);
}

static inline void tg_model_free(tg_model *m) {
    free(m->P);
    free(m->R);
    free(m->mu);
}

/* W[s*J + j] = prod_{k in mask} pi_k(a_k(j)|s). */
static inline double *tg_weights(const tg_model *m, const marl_policy *p,
                                 uint64_t mask) {
    double *W = malloc(m->S * m->J * sizeof(double));
    size_t a[8];
    ck_assert(W);
    for (size_t s = 0; s < m->S; ++s)
        for (size_t j = 0; j < m->J; ++j) {
            tg_decode(m->N, m->A, j, a);
            W[s * m->J + j] = tg_prob(p, s, a, mask);
        }
    return W;
}

static inline uint64_t tg_all(size_t N) { return (UINT64_C(1) << N) - 1u; }

/* Sweeps after which gamma^k < 1e-17: enough for any fixed-point iteration
 * below to reach round-off level. */
static inline int tg_sweeps(double gamma) {
    return gamma > 0.0 ? (int)(log(1e-17) / log(gamma)) + 10 : 3;
}

/* V_i^pi for all agents by fixed-point iteration (no linear solve) until
 * the sup-norm change is below 1e-15 * (1 + |V|). V[i*S + s]. */
static inline void tg_values_iter(const tg_model *m, const marl_policy *p,
                                  double *V) {
    double *W = tg_weights(m, p, tg_all(m->N));
    double *Vn = malloc(m->N * m->S * sizeof(double));
    ck_assert(Vn);
    memset(V, 0, m->N * m->S * sizeof(double));
    for (int it = 0, nit = tg_sweeps(m->gamma); it < nit; ++it) {
        double diff = 0.0, scale = 0.0;
        for (size_t i = 0; i < m->N; ++i)
            for (size_t s = 0; s < m->S; ++s) {
                double acc = 0.0;
                for (size_t j = 0; j < m->J; ++j) {
                    double w = W[s * m->J + j];
                    if (w == 0.0) continue;
                    double ev = 0.0;
                    for (size_t t = 0; t < m->S; ++t)
                        ev += m->P[(s * m->J + j) * m->S + t] * V[i * m->S + t];
                    acc +=
                        w * (m->R[(i * m->S + s) * m->J + j] + m->gamma * ev);
                }
                Vn[i * m->S + s] = acc;
                diff = fmax(diff, fabs(acc - V[i * m->S + s]));
                scale = fmax(scale, fabs(acc));
            }
        memcpy(V, Vn, m->N * m->S * sizeof(double));
        if (diff <= 1e-15 * (1.0 + scale)) break;
    }
    free(Vn);
    free(W);
}

/* Best-response value of `agent` by value iteration (independent of the
 * library's policy iteration); Vbr[S] receives the optimal values; returns
 * sum_s mu(s) Vbr(s). */
static inline double tg_br_vi(const tg_model *m, const marl_policy *p,
                              size_t agent, double *Vbr) {
    double *W = tg_weights(m, p, tg_all(m->N) & ~(UINT64_C(1) << agent));
    double *Vn = malloc(m->S * sizeof(double));
    size_t a[8];
    ck_assert(Vn);
    memset(Vbr, 0, m->S * sizeof(double));
    for (int it = 0, nit = tg_sweeps(m->gamma); it < nit; ++it) {
        double diff = 0.0, scale = 0.0;
        for (size_t s = 0; s < m->S; ++s) {
            double best = -INFINITY;
            for (size_t ai = 0; ai < m->A[agent]; ++ai) {
                double q = 0.0;
                for (size_t j = 0; j < m->J; ++j) {
                    tg_decode(m->N, m->A, j, a);
                    if (a[agent] != ai) continue;
                    double w = W[s * m->J + j], ev = 0.0;
                    for (size_t t = 0; t < m->S; ++t)
                        ev += m->P[(s * m->J + j) * m->S + t] * Vbr[t];
                    q += w *
                         (m->R[(agent * m->S + s) * m->J + j] + m->gamma * ev);
                }
                best = fmax(best, q);
            }
            Vn[s] = best;
            diff = fmax(diff, fabs(best - Vbr[s]));
            scale = fmax(scale, fabs(best));
        }
        memcpy(Vbr, Vn, m->S * sizeof(double));
        if (diff <= 1e-15 * (1.0 + scale)) break;
    }
    double v = 0.0;
    for (size_t s = 0; s < m->S; ++s)
        v += m->mu[s] * Vbr[s];
    free(Vn);
    free(W);
    return v;
}

/* Optimal team welfare by value iteration over joint actions. */
static inline double tg_team_vi(const tg_model *m) {
    double *V = calloc(m->S, sizeof(double)),
           *Vn = malloc(m->S * sizeof(double));
    ck_assert(V && Vn);
    for (int it = 0, nit = tg_sweeps(m->gamma); it < nit; ++it) {
        double diff = 0.0, scale = 0.0;
        for (size_t s = 0; s < m->S; ++s) {
            double best = -INFINITY;
            for (size_t j = 0; j < m->J; ++j) {
                double q = 0.0, ev = 0.0;
                for (size_t i = 0; i < m->N; ++i)
                    q += m->R[(i * m->S + s) * m->J + j];
                for (size_t t = 0; t < m->S; ++t)
                    ev += m->P[(s * m->J + j) * m->S + t] * V[t];
                best = fmax(best, q + m->gamma * ev);
            }
            Vn[s] = best;
            diff = fmax(diff, fabs(best - V[s]));
            scale = fmax(scale, fabs(best));
        }
        memcpy(V, Vn, m->S * sizeof(double));
        if (diff <= 1e-15 * (1.0 + scale)) break;
    }
    double v = 0.0;
    for (size_t s = 0; s < m->S; ++s)
        v += m->mu[s] * V[s];
    free(V);
    free(Vn);
    return v;
}

/* Brute-force Qbar_i(s,a_i) against W over the joint actions of g, from
 * the public accessors (metrics-factored, metrics-counts). */
static inline void tg_brute_qbar_from(const marl_game *g, const marl_policy *p,
                                      const double *W, double *Qbar) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    size_t J = marl_markov_num_joint(g), A[64], a[64], off = 0;
    double gamma = marl_game_discount(g);
    for (size_t i = 0; i < N; ++i) A[i] = marl_game_num_actions(g, i);
    double *row = malloc(S * sizeof *row);
    for (size_t i = 0; i < N; ++i) {
        for (size_t s = 0; s < S; ++s)
            for (size_t ai = 0; ai < A[i]; ++ai) {
                double acc = 0.0;
                for (size_t j = 0; j < J; ++j) {
                    tg_decode(N, A, j, a);
                    if (a[i] != ai) continue;
                    double w = tg_prob(p, s, a, tg_all(N) & ~(UINT64_C(1) << i));
                    double r;
                    ck_assert_int_eq(marl_markov_reward(g, i, s, j, &r), MARL_OK);
                    ck_assert_int_eq(marl_markov_transition_row(g, s, j, row),
                                     MARL_OK);
                    double c = 0.0;
                    for (size_t s2 = 0; s2 < S; ++s2) c += row[s2] * W[i * S + s2];
                    acc += w * (r + gamma * c);
                }
                Qbar[off + s * A[i] + ai] = acc;
            }
        off += S * A[i];
    }
    free(row);
}

#endif /* MARL_TEST_TESTGAMES_H */
