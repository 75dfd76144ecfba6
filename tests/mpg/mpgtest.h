/*
 * Test helpers for the mpg solver suites: a seeded generator written here
 * (splitmix64, independent of the library's RNG), small random Markov games
 * and Markov potential games built through the public API, brute-force
 * averaged rewards, and an independent simplex projection (bisection on the
 * threshold, not the library's sort-based method). Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_MPGTEST_H
#define MARL_TEST_MPGTEST_H

#include <marlgame/marlgame.h>

#include <check.h>
#include "splitmix.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline void mt_dist(sm_rng *r, double *p, size_t n) {
    double sum = 0.0;
    for (size_t k = 0; k < n; ++k)
        sum += (p[k] = 0.05 + sm_unif(r));
    for (size_t k = 0; k < n; ++k)
        p[k] /= sum;
}

static inline size_t mt_joint(size_t N, const size_t *A) {
    size_t J = 1;
    for (size_t i = 0; i < N; ++i)
        J *= A[i];
    return J;
}
/* Decode joint index j (player 0 slowest) into a[0..N-1]. */
static inline void mt_decode(size_t N, const size_t *A, size_t j, size_t *a) {
    for (size_t i = N; i-- > 0;) {
        a[i] = j % A[i];
        j /= A[i];
    }
}

/* Random Markov game (no potential): action-dependent random transitions,
 * rewards U[-scale, scale], random mu. */
static inline marl_game *mt_random_game_scaled(uint64_t seed, size_t N,
                                               size_t S, const size_t *A,
                                               double gamma, double scale) {
    sm_rng r = {seed};
    size_t J = mt_joint(N, A);
    double *P = malloc(S * J * S * sizeof(double));
    double *R = malloc(N * S * J * sizeof(double));
    double *mu = malloc(S * sizeof(double));
    ck_assert(P && R && mu);
    for (size_t k = 0; k < S * J; ++k)
        mt_dist(&r, P + k * S, S);
    for (size_t k = 0; k < N * S * J; ++k)
        R[k] = scale * (2.0 * sm_unif(&r) - 1.0);
    mt_dist(&r, mu, S);
    marl_game *g = NULL;
    int rc = marl_markov_new(&g, N, S, A, gamma, mu, P, R, NULL);
    ck_assert_msg(rc == MARL_OK, "marl_markov_new: %s", marl_last_error());
    free(P);
    free(R);
    free(mu);
    return g;
}

static inline marl_game *mt_random_game(uint64_t seed, size_t N, size_t S,
                                        const size_t *A, double gamma) {
    return mt_random_game_scaled(seed, N, S, A, gamma, 1.0);
}

/* Random Markov potential game: transitions P(.|s) independent of the
 * actions, phi(s,a) ~ U[0,1], r_i(s,a) = phi(s,a) + u_i(s,a_-i) with a
 * dummy term u_i ~ U[-1,1] that ignores a_i; potential phi supplied. */
static inline marl_game *mt_random_mpg(uint64_t seed, size_t N, size_t S,
                                       const size_t *A, double gamma) {
    sm_rng r = {seed};
    size_t J = mt_joint(N, A), a[8], b[8];
    ck_assert(N <= 8);
    double *P = malloc(S * J * S * sizeof(double));
    double *R = malloc(N * S * J * sizeof(double));
    double *phi = malloc(S * J * sizeof(double));
    double *u = malloc(N * S * J * sizeof(double));
    double *mu = malloc(S * sizeof(double));
    ck_assert(P && R && phi && u && mu);
    for (size_t s = 0; s < S; ++s) {
        mt_dist(&r, P + s * J * S, S);
        for (size_t j = 1; j < J; ++j)
            memcpy(P + (s * J + j) * S, P + s * J * S, S * sizeof(double));
    }
    for (size_t k = 0; k < S * J; ++k)
        phi[k] = sm_unif(&r);
    for (size_t k = 0; k < N * S * J; ++k)
        u[k] = 2.0 * sm_unif(&r) - 1.0;
    /* u_i(s, a) := u_i(s, a with a_i = 0): independent of a_i. */
    for (size_t i = 0; i < N; ++i)
        for (size_t s = 0; s < S; ++s)
            for (size_t j = 0; j < J; ++j) {
                mt_decode(N, A, j, a);
                memcpy(b, a, sizeof a);
                b[i] = 0;
                size_t j0 = 0;
                for (size_t k = 0; k < N; ++k)
                    j0 = j0 * A[k] + b[k];
                R[(i * S + s) * J + j] =
                    phi[s * J + j] + u[(i * S + s) * J + j0];
            }
    mt_dist(&r, mu, S);
    marl_game *g = NULL;
    int rc = marl_markov_new(&g, N, S, A, gamma, mu, P, R, phi);
    ck_assert_msg(rc == MARL_OK, "marl_markov_new: %s", marl_last_error());
    free(P);
    free(R);
    free(phi);
    free(u);
    free(mu);
    return g;
}

/* Random direct policy with every probability > 0. */
static inline marl_policy *mt_random_policy(marl_game *g, uint64_t seed) {
    sm_rng r = {seed};
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double row[16];
    for (size_t i = 0; i < marl_game_num_agents(g); ++i)
        for (size_t s = 0; s < marl_game_num_states(g); ++s) {
            size_t Ai = marl_game_num_actions(g, i);
            ck_assert(Ai <= 16);
            mt_dist(&r, row, Ai);
            ck_assert_int_eq(marl_policy_set_row(p, i, 0, s, row), MARL_OK);
        }
    return p;
}

/* Independent Euclidean projection onto the simplex: the threshold tau with
 * sum_k max(v_k - tau, 0) = 1 found by bisection. */
static inline void mt_project(const double *v, size_t n, double *out) {
    double lo = v[0], hi = v[0];
    for (size_t k = 1; k < n; ++k) {
        if (v[k] < lo) lo = v[k];
        if (v[k] > hi) hi = v[k];
    }
    lo -= 1.0; /* sum at lo >= 1, at hi = 0 */
    for (int it = 0; it < 300; ++it) {
        double mid = 0.5 * (lo + hi), sum = 0.0;
        for (size_t k = 0; k < n; ++k)
            sum += v[k] > mid ? v[k] - mid : 0.0;
        if (sum > 1.0) lo = mid;
        else hi = mid;
    }
    double tau = 0.5 * (lo + hi);
    for (size_t k = 0; k < n; ++k)
        out[k] = v[k] > tau ? v[k] - tau : 0.0;
}

/* Brute force: Qbar_i(s,a_i) = sum_{a_-i} pi_-i(a_-i|s) [r_i(s,a) + gamma
 * sum_s' P(s'|s,a) W[i*S+s']] from the public accessors, into Q
 * (concatenated per agent as in metrics.h). */
static inline void mt_qbar_from(marl_game *g, const marl_policy *p,
                                const double *W, double *Q) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    size_t A[8], a[8], J = marl_markov_num_joint(g), off = 0;
    double gamma = marl_game_discount(g), row[16], prob[8][16];
    double *Ps = malloc(S * sizeof(double));
    ck_assert(N <= 8 && Ps);
    for (size_t i = 0; i < N; ++i)
        A[i] = marl_game_num_actions(g, i);
    size_t total = 0;
    for (size_t i = 0; i < N; ++i)
        total += S * A[i];
    memset(Q, 0, total * sizeof(double));
    for (size_t s = 0; s < S; ++s) {
        for (size_t i = 0; i < N; ++i) {
            ck_assert_int_eq(marl_policy_get_row(p, i, 0, s, row), MARL_OK);
            memcpy(prob[i], row, A[i] * sizeof(double));
        }
        for (size_t j = 0; j < J; ++j) {
            mt_decode(N, A, j, a);
            ck_assert_int_eq(marl_markov_transition_row(g, s, j, Ps),
                             MARL_OK);
            off = 0;
            for (size_t i = 0; i < N; ++i) {
                double w = 1.0, r, cont = 0.0;
                for (size_t k = 0; k < N; ++k)
                    if (k != i) w *= prob[k][a[k]];
                ck_assert_int_eq(marl_markov_reward(g, i, s, j, &r), MARL_OK);
                for (size_t s2 = 0; s2 < S; ++s2)
                    cont += Ps[s2] * W[i * S + s2];
                Q[off + s * A[i] + a[i]] += w * (r + gamma * cont);
                off += S * A[i];
            }
        }
    }
    free(Ps);
}

/* The solver's current policy copied into a flat per-agent table. */
static inline void mt_flat(marl_game *g, const marl_policy *p, double *x) {
    size_t off = 0;
    for (size_t i = 0; i < marl_game_num_agents(g); ++i) {
        size_t Ai = marl_game_num_actions(g, i);
        for (size_t s = 0; s < marl_game_num_states(g); ++s) {
            ck_assert_int_eq(marl_policy_get_row(p, i, 0, s, x + off),
                             MARL_OK);
            off += Ai;
        }
    }
}

static inline marl_solver *mt_solver(const marl_solver_type *t,
                                     marl_game *g) {
    marl_solver *s = NULL;
    int rc = marl_solver_new(&s, t, g);
    ck_assert_msg(rc == MARL_OK, "marl_solver_new: %s", marl_last_error());
    return s;
}

/* Metric column by name from the last history row. */
static inline double mt_last(const marl_solver *s, const char *name) {
    size_t col, n = marl_solver_history_length(s);
    double row[32];
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_le(marl_solver_metric_count(s), 32);
    ck_assert_int_eq(marl_solver_metric_index(s, name, &col), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, n - 1, row), MARL_OK);
    return row[col];
}

/* The direct policy softmax(theta), theta ~ N(0,1) drawn by mpg-softmax-pg
 * with init=normal and this seed (the seed's initialisation). */
static inline marl_policy *mt_normal_init(marl_game *g, uint64_t seed) {
    marl_solver *s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, seed), MARL_OK);
    const marl_policy *q = marl_solver_policy(s);
    ck_assert_ptr_nonnull(q);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double row[16];
    for (size_t i = 0; i < marl_game_num_agents(g); ++i)
        for (size_t st = 0; st < marl_game_num_states(g); ++st) {
            ck_assert_int_eq(marl_policy_get_row(q, i, 0, st, row), MARL_OK);
            ck_assert_int_eq(marl_policy_set_row(p, i, 0, st, row), MARL_OK);
        }
    marl_solver_free(s);
    return p;
}

#endif /* MARL_TEST_MPGTEST_H */
