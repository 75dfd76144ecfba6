/* Exact policy evaluation on Markov games (metrics.h): values, Q, averaged
 * Q and advantage, visitation, welfare, potential. Closed forms, identities
 * and brute-force cross-checks; every error path; allocation failures.
 * SPDX-License-Identifier: MIT */
#include "failalloc.h"
#include "game/game_impl.h"
#include "policy/policy_impl.h"
#include "testgames.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdio.h>

/* ---- the 2-state MDP solved by hand --------------------------------------
 * One agent, states {0, 1}, actions {0 = stay, 1 = switch}; switching moves
 * deterministically to the other state, staying keeps the state. Rewards:
 * r(0,stay) = 1, r(1,stay) = 2, r(.,switch) = 0. mu = (1, 0). Policy
 * pi(stay|0) = p, pi(stay|1) = q. Bellman equations:
 *   V0 = p (1 + g V0) + (1-p) g V1   ->  (1 - g p) V0 - g (1-p) V1 = p
 *   V1 = q (2 + g V1) + (1-q) g V0   ->  -g (1-q) V0 + (1 - g q) V1 = 2q
 * Cramer: det = (1-gp)(1-gq) - g^2 (1-p)(1-q),
 *   V0 = (p (1-gq) + 2q g (1-p)) / det,  V1 = (2q (1-gp) + p g (1-q)) / det.
 * (p = q = 1/2, g = 0.9: det = 0.1, V = (7.25, 7.75).)
 * Q(0,stay) = 1 + g V0, Q(0,switch) = g V1, Q(1,stay) = 2 + g V1,
 * Q(1,switch) = g V0.
 * Visitation from mu = (1,0): d0 = 1 + g (p d0 + (1-q) d1),
 * d1 = g ((1-p) d0 + q d1)  ->  d1 = g (1-p) d0 / (1 - g q),
 * d0 = 1 / (1 - g p - g^2 (1-p)(1-q) / (1 - g q)).
 * (p = q = 1/2, g = 0.9: d = (5.5, 4.5).)
 */
static marl_game *hand_game(double g) {
    const size_t A[1] = {2};
    const double P[8] = {1, 0, 0, 1,  /* s=0: stay, switch */
                         0, 1, 1, 0}; /* s=1: stay, switch */
    const double R[4] = {1, 0, 2, 0};
    const double mu[2] = {1, 0};
    marl_game *game = NULL;
    ck_assert_int_eq(marl_markov_new(&game, 1, 2, A, g, mu, P, R, NULL),
                     MARL_OK);
    return game;
}

static marl_policy *hand_policy(marl_game *game, double p, double q) {
    marl_policy *pol = NULL;
    ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
    double r0[2] = {p, 1 - p}, r1[2] = {q, 1 - q};
    ck_assert_int_eq(marl_policy_set_row(pol, 0, 0, 0, r0), MARL_OK);
    ck_assert_int_eq(marl_policy_set_row(pol, 0, 0, 1, r1), MARL_OK);
    return pol;
}

START_TEST(test_hand_mdp) {
    const double cases[][3] = {{0.5, 0.5, 0.9}, {0.2, 0.7, 0.95}, {1, 0, 0.5},
                               {0, 1, 0.9},     {0.3, 0.3, 0.0},  {1, 1, 0.99}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        const double p = cases[c][0], q = cases[c][1], g = cases[c][2];
        marl_game *game = hand_game(g);
        marl_policy *pol = hand_policy(game, p, q);
        double det = (1 - g * p) * (1 - g * q) - g * g * (1 - p) * (1 - q);
        double V0 = (p * (1 - g * q) + 2 * q * g * (1 - p)) / det;
        double V1 = (2 * q * (1 - g * p) + p * g * (1 - q)) / det;
        double V[2], v, Q[4], Qbar[4], Abar[4], d[2], w;
        ck_assert_int_eq(marl_markov_values(game, pol, V), MARL_OK);
        ck_assert_double_eq_tol(V[0], V0, 1e-12);
        ck_assert_double_eq_tol(V[1], V1, 1e-12);
        ck_assert_int_eq(marl_markov_values_mu(game, pol, &v), MARL_OK);
        ck_assert_double_eq_tol(v, V0, 1e-12);
        ck_assert_int_eq(marl_markov_welfare(game, pol, &w), MARL_OK);
        ck_assert_double_eq_tol(w, V0, 1e-12);
        const double Qh[4] = {1 + g * V0, g * V1, 2 + g * V1, g * V0};
        ck_assert_int_eq(marl_markov_q(game, pol, Q), MARL_OK);
        ck_assert_int_eq(marl_markov_averaged_q(game, pol, Qbar, Abar, NULL),
                         MARL_OK);
        for (int k = 0; k < 4; ++k) {
            ck_assert_double_eq_tol(Q[k], Qh[k], 1e-12);
            ck_assert_double_eq_tol(Qbar[k], Qh[k], 1e-12); /* one agent */
            ck_assert_double_eq_tol(Abar[k], Qh[k] - (k < 2 ? V0 : V1), 1e-12);
        }
        double d1 = 0, d0;
        d0 = 1 / (1 - g * p - g * g * (1 - p) * (1 - q) / (1 - g * q));
        d1 = g * (1 - p) * d0 / (1 - g * q);
        ck_assert_int_eq(marl_markov_visitation(game, pol, d), MARL_OK);
        ck_assert_double_eq_tol(d[0], d0, 1e-12);
        ck_assert_double_eq_tol(d[1], d1, 1e-12);
        ck_assert_double_eq_tol(d[0] + d[1], 1 / (1 - g), 1e-12);
        ck_assert_uint_eq(marl_markov_agent_table_size(game), 4);
        /* Best response = optimal policy of the MDP. From state 1 staying
         * forever is optimal: 2/(1-g). From state 0: stay forever, 1/(1-g),
         * or switch once and stay in 1, 2g/(1-g): V*(0) = max(1, 2g)/(1-g),
         * and V*(mu) = V*(0) since mu = (1, 0). */
        double vstar_h = fmax(1.0, 2.0 * g) / (1 - g), br, gap, per, vs, poa;
        ck_assert_int_eq(marl_markov_best_response(game, pol, 0, &br, NULL),
                         MARL_OK);
        ck_assert_double_eq_tol(br, vstar_h, 1e-12);
        ck_assert_int_eq(marl_markov_nash_gap(game, pol, &gap, &per), MARL_OK);
        ck_assert_double_eq_tol(gap, vstar_h - V0, 1e-12);
        ck_assert_double_eq(per, gap);
        ck_assert_int_eq(marl_markov_optimal_welfare(game, &vs, NULL), MARL_OK);
        ck_assert_double_eq_tol(vs, vstar_h, 1e-12);
        ck_assert_int_eq(
            marl_markov_price_of_anarchy(game, pol, &poa, NULL, NULL), MARL_OK);
        ck_assert_double_eq_tol(poa, V0 / vstar_h, 1e-13);
        marl_policy_free(pol);
        marl_game_free(game);
    }
}
END_TEST

/* ---- a 2x2 matrix game ---------------------------------------------------
 * One state, so V_i = E_pi[U_i] / (1 - g) and Q_i(a) = U_i(a) + g V_i.
 * Qbar_0(a0) = sum_b y_b U_0(a0,b) + g V_0, Qbar_1(a1) = sum_a x_a U_1(a,a1)
 * + g V_1. */
START_TEST(test_matrix_game) {
    const size_t A[2] = {2, 2};
    const double P[4] = {1, 1, 1, 1}, mu[1] = {1};
    sm_rng r = {99};
    for (int c = 0; c < 12; ++c) {
        double g = (c % 3 == 0) ? 0.0 : (c % 3 == 1 ? 0.6 : 0.97);
        double U[8];
        for (int k = 0; k < 8; ++k)
            U[k] = 4 * sm_unif(&r) - 2;
        double x = (c < 2) ? (double)c : sm_unif(&r); /* pure rows too */
        double y = (c == 2) ? 0.0 : sm_unif(&r);
        marl_game *game = NULL;
        ck_assert_int_eq(marl_markov_new(&game, 2, 1, A, g, mu, P, U, NULL),
                         MARL_OK);
        marl_policy *pol = NULL;
        ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
        double rx[2] = {x, 1 - x}, ry[2] = {y, 1 - y};
        ck_assert_int_eq(marl_policy_set_row(pol, 0, 0, 0, rx), MARL_OK);
        ck_assert_int_eq(marl_policy_set_row(pol, 1, 0, 0, ry), MARL_OK);
        double E[2] = {0, 0};
        for (int i = 0; i < 2; ++i)
            for (int a = 0; a < 2; ++a)
                for (int b = 0; b < 2; ++b)
                    E[i] += rx[a] * ry[b] * U[i * 4 + a * 2 + b];
        double v[2], Qbar[4];
        ck_assert_int_eq(marl_markov_values_mu(game, pol, v), MARL_OK);
        ck_assert_int_eq(marl_markov_averaged_q(game, pol, Qbar, NULL, NULL),
                         MARL_OK);
        for (int i = 0; i < 2; ++i)
            ck_assert_double_eq_tol(v[i], E[i] / (1 - g), 1e-12);
        /* Nash-gap: agent i's best reply to the other's mixed strategy
         * earns max_a (expected stage payoff of a) per step:
         * gain_i = (max_a u_i(a) - E_i) / (1 - g). */
        double best[2] = {-INFINITY, -INFINITY};
        for (int a = 0; a < 2; ++a) {
            double q0 = ry[0] * U[a * 2] + ry[1] * U[a * 2 + 1];
            double q1 = rx[0] * U[4 + a] + rx[1] * U[4 + 2 + a];
            ck_assert_double_eq_tol(Qbar[a], q0 + g * v[0], 1e-12);
            ck_assert_double_eq_tol(Qbar[2 + a], q1 + g * v[1], 1e-12);
            best[0] = fmax(best[0], q0);
            best[1] = fmax(best[1], q1);
        }
        double gap, gains[2];
        ck_assert_int_eq(marl_markov_nash_gap(game, pol, &gap, gains), MARL_OK);
        for (int i = 0; i < 2; ++i)
            ck_assert_double_eq_tol(gains[i], (best[i] - E[i]) / (1 - g),
                                    1e-12);
        ck_assert_double_eq_tol(
            gap, fmax(best[0] - E[0], best[1] - E[1]) / (1 - g), 1e-12);
        marl_policy_free(pol);
        marl_game_free(game);
    }
}
END_TEST

/* Matching pennies, U_0 = [[1,-1],[-1,1]] = -U_1, x = P(agent 0 plays 0),
 * y = P(agent 1 plays 0): E_0 = (2x-1)(2y-1) = -E_1, the best replies earn
 * |2y-1| and |2x-1|, so
 * gap = max(|2y-1| - (2x-1)(2y-1), |2x-1| + (2x-1)(2y-1)) / (1 - g),
 * 0 only at x = y = 1/2. */
START_TEST(test_matching_pennies) {
    const size_t A[2] = {2, 2};
    const double P[4] = {1, 1, 1, 1}, U[8] = {1, -1, -1, 1, -1, 1, 1, -1};
    const double xs[] = {0.5, 0.0, 1.0, 0.3, 0.8, 0.5};
    const double ys[] = {0.5, 1.0, 0.25, 0.6, 0.5, 0.9};
    for (int c = 0; c < 6; ++c) {
        double g = 0.1 + 0.15 * c, x = xs[c], y = ys[c];
        marl_game *game = NULL;
        ck_assert_int_eq(marl_markov_new(&game, 2, 1, A, g, NULL, P, U, NULL),
                         MARL_OK);
        marl_policy *pol = NULL;
        ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
        double rx[2] = {x, 1 - x}, ry[2] = {y, 1 - y}, gap;
        ck_assert_int_eq(marl_policy_set_row(pol, 0, 0, 0, rx), MARL_OK);
        ck_assert_int_eq(marl_policy_set_row(pol, 1, 0, 0, ry), MARL_OK);
        ck_assert_int_eq(marl_markov_nash_gap(game, pol, &gap, NULL), MARL_OK);
        double e = (2 * x - 1) * (2 * y - 1);
        double want = fmax(fabs(2 * y - 1) - e, fabs(2 * x - 1) + e) / (1 - g);
        ck_assert_double_eq_tol(gap, want, 1e-12);
        if (c == 0)
            ck_assert(fabs(gap) <= 1e-15);
        else
            ck_assert(gap > 0.1);
        marl_policy_free(pol);
        marl_game_free(game);
    }
}
END_TEST

/* ---- identities on random games ------------------------------------------ */

static const size_t dims3[3] = {2, 3, 2};

START_TEST(test_q_consistency) {
    for (uint64_t seed = 1; seed <= 6; ++seed) {
        double g = 0.5 + 0.08 * (double)seed;
        marl_game *game = tg_random_game(seed, 3, 4, dims3, g, 0, 0);
        tg_model m;
        tg_model_load(&m, game);
        marl_policy *pol = NULL;
        ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
        sm_rng r = {seed * 7};
        tg_random_policy(pol, &r, 0.3);
        double V[12], Vit[12], Q[3 * 4 * 12];
        ck_assert_int_eq(marl_markov_values(game, pol, V), MARL_OK);
        tg_values_iter(&m, pol, Vit);
        for (int k = 0; k < 12; ++k)
            ck_assert(tg_close(V[k], Vit[k], 1e-12));
        ck_assert_int_eq(marl_markov_q(game, pol, Q), MARL_OK);
        double *W = tg_weights(&m, pol, tg_all(3));
        for (size_t i = 0; i < 3; ++i)
            for (size_t s = 0; s < 4; ++s) {
                double vs = 0;
                for (size_t j = 0; j < m.J; ++j) {
                    double ev = 0;
                    for (size_t t = 0; t < 4; ++t)
                        ev += m.P[(s * m.J + j) * 4 + t] * V[i * 4 + t];
                    double qh = m.R[(i * 4 + s) * m.J + j] + g * ev;
                    ck_assert(tg_close(Q[(i * 4 + s) * m.J + j], qh, 1e-13));
                    vs += W[s * m.J + j] * Q[(i * 4 + s) * m.J + j];
                }
                ck_assert(tg_close(vs, V[i * 4 + s], 1e-12));
            }
        free(W);
        tg_model_free(&m);
        marl_policy_free(pol);
        marl_game_free(game);
    }
}
END_TEST

START_TEST(test_qbar_bruteforce) {
    for (uint64_t seed = 11; seed <= 16; ++seed) {
        marl_game *game = tg_random_game(seed, 3, 3, dims3, 0.9, 0, 0);
        tg_model m;
        tg_model_load(&m, game);
        marl_policy *pol = NULL;
        ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
        sm_rng r = {seed};
        tg_random_policy(pol, &r, 0.4); /* many exact zeros */
        /* Agent 1 plays action 2 with probability 0 in state 0, and agent 0
         * is pure in state 1: dividing by pi_i would fail here. */
        const double z[3] = {0.5, 0.5, 0.0}, pure[2] = {1.0, 0.0};
        ck_assert_int_eq(marl_policy_set_row(pol, 1, 0, 0, z), MARL_OK);
        ck_assert_int_eq(marl_policy_set_row(pol, 0, 0, 1, pure), MARL_OK);
        size_t T = marl_markov_agent_table_size(game);
        ck_assert_uint_eq(T, 3 * 7);
        double Qbar[21], Abar[21], Qbar2[21], V[9], V2[9], Q[3 * 3 * 12];
        ck_assert_int_eq(marl_markov_averaged_q(game, pol, Qbar, Abar, V),
                         MARL_OK);
        ck_assert_int_eq(marl_markov_values(game, pol, V2), MARL_OK);
        ck_assert_int_eq(marl_markov_q(game, pol, Q), MARL_OK);
        for (int k = 0; k < 9; ++k)
            ck_assert_double_eq(V[k], V2[k]);
        size_t a[3], off = 0;
        for (size_t i = 0; i < 3; ++i) {
            for (size_t s = 0; s < 3; ++s)
                for (size_t ai = 0; ai < dims3[i]; ++ai) {
                    double acc = 0; /* sum over a_-i of prod_{k != i} pi_k */
                    for (size_t j = 0; j < m.J; ++j) {
                        tg_decode(3, dims3, j, a);
                        if (a[i] != ai) continue;
                        double w =
                            tg_prob(pol, s, a, tg_all(3) & ~(UINT64_C(1) << i));
                        acc += w * Q[(i * 3 + s) * m.J + j];
                    }
                    size_t idx = off + s * dims3[i] + ai;
                    ck_assert(tg_close(Qbar[idx], acc, 1e-13));
                    ck_assert(tg_close(Abar[idx], acc - V[i * 3 + s], 1e-13));
                }
            off += 3 * dims3[i];
        }
        /* Either output may be NULL and gives the same numbers. */
        ck_assert_int_eq(marl_markov_averaged_q(game, pol, Qbar2, NULL, NULL),
                         MARL_OK);
        for (int k = 0; k < 21; ++k)
            ck_assert_double_eq(Qbar2[k], Qbar[k]);
        ck_assert_int_eq(marl_markov_averaged_q(game, pol, NULL, Qbar2, NULL),
                         MARL_OK);
        for (int k = 0; k < 21; ++k)
            ck_assert_double_eq(Qbar2[k], Abar[k]);
        tg_model_free(&m);
        marl_policy_free(pol);
        marl_game_free(game);
    }
}
END_TEST

START_TEST(test_visitation) {
    for (uint64_t seed = 21; seed <= 26; ++seed) {
        double g = seed % 2 ? 0.95 : 0.3;
        marl_game *game = tg_random_game(seed, 3, 5, dims3, g, 0, 0);
        tg_model m;
        tg_model_load(&m, game);
        marl_policy *pol = NULL;
        ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
        sm_rng r = {seed};
        tg_random_policy(pol, &r, 0.2);
        double d[5], v[3], sum = 0;
        ck_assert_int_eq(marl_markov_visitation(game, pol, d), MARL_OK);
        ck_assert_int_eq(marl_markov_values_mu(game, pol, v), MARL_OK);
        for (int s = 0; s < 5; ++s) {
            ck_assert(d[s] >= 0);
            sum += d[s];
        }
        ck_assert(tg_close(sum, 1 / (1 - g), 1e-13));
        /* Power series d = sum_t g^t mu P_pi^t, brute force. */
        double *W = tg_weights(&m, pol, tg_all(3));
        double Ppi[25] = {0}, x[5], y[5], ds[5] = {0}, gt = 1;
        for (size_t s = 0; s < 5; ++s)
            for (size_t j = 0; j < m.J; ++j)
                for (size_t t = 0; t < 5; ++t)
                    Ppi[s * 5 + t] +=
                        W[s * m.J + j] * m.P[(s * m.J + j) * 5 + t];
        memcpy(x, m.mu, sizeof x);
        for (int it = 0; it < tg_sweeps(g); ++it) {
            for (int s = 0; s < 5; ++s)
                ds[s] += gt * x[s];
            for (int t = 0; t < 5; ++t) {
                y[t] = 0;
                for (int s = 0; s < 5; ++s)
                    y[t] += x[s] * Ppi[s * 5 + t];
            }
            memcpy(x, y, sizeof x);
            gt *= g;
        }
        for (int s = 0; s < 5; ++s)
            ck_assert(tg_close(d[s], ds[s], 1e-12));
        /* V_i(mu) = sum_s d(s) r_{i,pi}(s). */
        for (size_t i = 0; i < 3; ++i) {
            double acc = 0;
            for (size_t s = 0; s < 5; ++s)
                for (size_t j = 0; j < m.J; ++j)
                    acc += d[s] * W[s * m.J + j] * m.R[(i * 5 + s) * m.J + j];
            ck_assert(tg_close(acc, v[i], 1e-12));
        }
        free(W);
        tg_model_free(&m);
        marl_policy_free(pol);
        marl_game_free(game);
    }
}
END_TEST

START_TEST(test_logits_shared_other_object) {
    const size_t A[3] = {3, 3, 3};
    marl_game *game = tg_random_game(5, 3, 4, A, 0.9, 0, 0);
    marl_game *twin = tg_random_game(5, 3, 4, A, 0.9, 0, 0); /* same tables */
    marl_policy *lg = NULL, *dir = NULL, *sh = NULL, *rows = NULL;
    ck_assert_int_eq(marl_policy_new(&lg, game, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&dir, game, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&sh, game, MARL_POLICY_SHARED), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&rows, twin, 0), MARL_OK);
    sm_rng r = {3};
    double th[3], row[3];
    for (size_t i = 0; i < 3; ++i)
        for (size_t s = 0; s < 4; ++s) {
            for (int a = 0; a < 3; ++a)
                th[a] = 3 * sm_unif(&r) - 1.5;
            ck_assert_int_eq(marl_policy_set_logits(lg, i, 0, s, th), MARL_OK);
            ck_assert_int_eq(marl_policy_get_row(lg, i, 0, s, row), MARL_OK);
            ck_assert_int_eq(marl_policy_set_row(dir, i, 0, s, row), MARL_OK);
        }
    double V1[12], V2[12], Q1[12 * 27], Q2[12 * 27];
    ck_assert_int_eq(marl_markov_values(game, lg, V1), MARL_OK);
    ck_assert_int_eq(marl_markov_values(game, dir, V2), MARL_OK);
    for (int k = 0; k < 12; ++k)
        ck_assert(tg_close(V1[k], V2[k], 1e-13));
    ck_assert_int_eq(marl_markov_averaged_q(game, lg, Q1, NULL, NULL), MARL_OK);
    ck_assert_int_eq(marl_markov_averaged_q(game, dir, Q2, NULL, NULL),
                     MARL_OK);
    for (int k = 0; k < 36; ++k)
        ck_assert(tg_close(Q1[k], Q2[k], 1e-13));
    /* A shared table equals per-agent tables with the same rows; a policy of
     * another game object with identical dimensions is accepted. */
    for (size_t s = 0; s < 4; ++s) {
        tg_random_dist(&r, row, 3, 0.3);
        ck_assert_int_eq(marl_policy_set_row(sh, 0, 0, s, row), MARL_OK);
        for (size_t i = 0; i < 3; ++i)
            ck_assert_int_eq(marl_policy_set_row(rows, i, 0, s, row), MARL_OK);
    }
    ck_assert_int_eq(marl_markov_values(game, sh, V1), MARL_OK);
    ck_assert_int_eq(marl_markov_values(game, rows, V2), MARL_OK);
    for (int k = 0; k < 12; ++k)
        ck_assert_double_eq_tol(V1[k], V2[k], 1e-13);
    marl_policy_free(lg);
    marl_policy_free(dir);
    marl_policy_free(sh);
    marl_policy_free(rows);
    marl_game_free(game);
    marl_game_free(twin);
}
END_TEST

/* ---- errors and allocation failures ------------------------------------- */

START_TEST(test_errors) {
    marl_game *game = tg_random_game(1, 3, 4, dims3, 0.9, 0, 0);
    marl_game *other = tg_random_game(1, 2, 4, dims3, 0.9, 0, 0);
    marl_policy *pol = NULL, *wrong = NULL;
    ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&wrong, other, 0), MARL_OK);
    /* A game of another kind (layout only; never dereferenced further). */
    marl_game fake;
    memset(&fake, 0, sizeof fake);
    fake.kind = MARL_GAME_POPULATION;
    fake.n_agents = 3;
    fake.n_states = 4;
    double out[512], sentinel = -12345.0;
    for (int k = 0; k < 512; ++k)
        out[k] = sentinel;
    const char *msg;
#define EXPECT(call, code)                                                     \
    do {                                                                       \
        marl_clear_error();                                                    \
        ck_assert_int_eq((call), (code));                                      \
        msg = marl_last_error();                                               \
        ck_assert_msg(msg[0] != '\0', "no message for " #call);                \
    } while (0)
    EXPECT(marl_markov_values(NULL, pol, out), MARL_EINVAL);
    EXPECT(marl_markov_values(&fake, pol, out), MARL_EKIND);
    EXPECT(marl_markov_values(game, NULL, out), MARL_EINVAL);
    EXPECT(marl_markov_values(game, pol, NULL), MARL_EINVAL);
    EXPECT(marl_markov_values(game, wrong, out), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "agents"));
    EXPECT(marl_markov_values_mu(NULL, pol, out), MARL_EINVAL);
    EXPECT(marl_markov_values_mu(&fake, pol, out), MARL_EKIND);
    EXPECT(marl_markov_values_mu(game, NULL, out), MARL_EINVAL);
    EXPECT(marl_markov_values_mu(game, pol, NULL), MARL_EINVAL);
    EXPECT(marl_markov_values_mu(game, wrong, out), MARL_EINVAL);
    EXPECT(marl_markov_q(NULL, pol, out), MARL_EINVAL);
    EXPECT(marl_markov_q(&fake, pol, out), MARL_EKIND);
    EXPECT(marl_markov_q(game, NULL, out), MARL_EINVAL);
    EXPECT(marl_markov_q(game, pol, NULL), MARL_EINVAL);
    EXPECT(marl_markov_q(game, wrong, out), MARL_EINVAL);
    EXPECT(marl_markov_averaged_q(NULL, pol, out, out, out), MARL_EINVAL);
    EXPECT(marl_markov_averaged_q(&fake, pol, out, NULL, NULL), MARL_EKIND);
    EXPECT(marl_markov_averaged_q(game, NULL, out, NULL, NULL), MARL_EINVAL);
    EXPECT(marl_markov_averaged_q(game, wrong, out, NULL, NULL), MARL_EINVAL);
    EXPECT(marl_markov_visitation(NULL, pol, out), MARL_EINVAL);
    EXPECT(marl_markov_visitation(&fake, pol, out), MARL_EKIND);
    EXPECT(marl_markov_visitation(game, NULL, out), MARL_EINVAL);
    EXPECT(marl_markov_visitation(game, pol, NULL), MARL_EINVAL);
    EXPECT(marl_markov_visitation(game, wrong, out), MARL_EINVAL);
    EXPECT(marl_markov_welfare(NULL, pol, out), MARL_EINVAL);
    EXPECT(marl_markov_welfare(&fake, pol, out), MARL_EKIND);
    EXPECT(marl_markov_welfare(game, NULL, out), MARL_EINVAL);
    EXPECT(marl_markov_welfare(game, pol, NULL), MARL_EINVAL);
    EXPECT(marl_markov_welfare(game, wrong, out), MARL_EINVAL);
    EXPECT(marl_markov_potential_value(NULL, pol, out, out), MARL_EINVAL);
    EXPECT(marl_markov_potential_value(&fake, pol, out, out), MARL_EKIND);
    EXPECT(marl_markov_potential_value(game, NULL, out, out), MARL_EINVAL);
    EXPECT(marl_markov_potential_value(game, pol, NULL, out), MARL_EINVAL);
    EXPECT(marl_markov_potential_value(game, pol, out, out), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "potential"));
    /* A time-indexed policy is rejected (flag forced: Markov games cannot
     * create one through the public API). */
    pol->flags |= MARL_POLICY_PER_STEP;
    EXPECT(marl_markov_values(game, pol, out), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "stationary"));
    EXPECT(marl_markov_averaged_q(game, pol, out, out, out), MARL_EINVAL);
    pol->flags &= ~(unsigned)MARL_POLICY_PER_STEP;
    /* Out-parameters untouched by every failing call. */
    for (int k = 0; k < 512; ++k)
        ck_assert_double_eq(out[k], sentinel);
    ck_assert_uint_eq(marl_markov_agent_table_size(NULL), 0);
    ck_assert_uint_eq(marl_markov_agent_table_size(&fake), 0);
#undef EXPECT
    marl_policy_free(pol);
    marl_policy_free(wrong);
    marl_game_free(game);
    marl_game_free(other);
}
END_TEST

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    marl_game *game = tg_random_game(2, 3, 4, dims3, 0.9, 0, 1);
    marl_policy *pol = NULL;
    ck_assert_int_eq(marl_policy_new(&pol, game, MARL_POLICY_LOGITS), MARL_OK);
    double out[512], v;
    FAILALLOC_SWEEP(marl_markov_values(game, pol, out), (void)0);
    FAILALLOC_SWEEP(marl_markov_values_mu(game, pol, out), (void)0);
    FAILALLOC_SWEEP(marl_markov_q(game, pol, out), (void)0);
    FAILALLOC_SWEEP(
        marl_markov_averaged_q(game, pol, out, out + 100, out + 200), (void)0);
    FAILALLOC_SWEEP(marl_markov_visitation(game, pol, out), (void)0);
    FAILALLOC_SWEEP(marl_markov_welfare(game, pol, &v), (void)0);
    FAILALLOC_SWEEP(marl_markov_potential_value(game, pol, &v, out), (void)0);
    marl_policy_free(pol);
    marl_game_free(game);
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

static Suite *eval_suite(void) {
    Suite *s = suite_create("markov_eval");
    TCase *tc = tcase_create("exact");
    tcase_add_test(tc, test_hand_mdp);
    tcase_add_test(tc, test_matrix_game);
    tcase_add_test(tc, test_matching_pennies);
    tcase_add_test(tc, test_q_consistency);
    tcase_add_test(tc, test_qbar_bruteforce);
    tcase_add_test(tc, test_visitation);
    tcase_add_test(tc, test_logits_shared_other_object);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return marl_test_run(eval_suite());
}
