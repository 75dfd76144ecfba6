/*
 * Tests of the built-in `markov-best-response` solver.
 *
 * The main game is `coordination` with N = 3 (a Markov potential game with
 * team reward r_i = phi): round-robin best responses must reach a pure Nash
 * equilibrium. Checks are independent of the solver: a brute-force search
 * over every deterministic deviation of every agent, the MPG identity
 * Phi(next) - Phi(cur) = gain of the switching agent, welfare = N * Phi for
 * a team reward, and agreement with the exact metric functions.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#include <marlgame/marlgame.h>

#define NA 3
static marl_game *G;

static void setup(void) {
    failalloc_install(-1);
    ck_assert_int_eq(marl_game_coordination_new(&G, NA, 0.1, 0.95), MARL_OK);
}
static void teardown(void) {
    marl_game_free(G);
    G = NULL;
}

static marl_solver *new_br(marl_game *g) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_markov_best_response, g),
                     MARL_OK);
    return s;
}

/* Every row of every agent is deterministic. */
static int is_pure(const marl_policy *p) {
    marl_game *g = marl_policy_game(p);
    for (size_t i = 0; i < marl_game_num_agents(g); ++i)
        for (size_t s = 0; s < marl_game_num_states(g); ++s) {
            double row[8];
            size_t A = marl_game_num_actions(g, i), ones = 0;
            if (marl_policy_get_row(p, i, 0, s, row) != MARL_OK) return 0;
            for (size_t a = 0; a < A; ++a) {
                if (row[a] == 1.0)
                    ones++;
                else if (row[a] != 0.0)
                    return 0;
            }
            if (ones != 1) return 0;
        }
    return 1;
}

/* Brute force: the largest gain any agent gets from any deterministic
 * stationary deviation (the best response of an MDP is attained by one). */
static double brute_force_gap(marl_game *g, const marl_policy *p) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    double v[NA], w[NA], gap = 0.0;
    ck_assert_uint_le(N, NA);
    ck_assert_int_eq(marl_markov_values_mu(g, p, v), MARL_OK);
    marl_policy *q = NULL;
    ck_assert_int_eq(marl_policy_copy(&q, p), MARL_OK);
    for (size_t i = 0; i < N; ++i) {
        ck_assert_uint_eq(marl_game_num_actions(g, i), 2);
        ck_assert_uint_le(S, 20);
        ck_assert_int_eq(marl_policy_assign(q, p), MARL_OK);
        for (unsigned long mask = 0; mask < (1ul << S); ++mask) {
            for (size_t s = 0; s < S; ++s)
                ck_assert_int_eq(
                    marl_policy_set_pure(q, i, 0, s, (mask >> s) & 1ul),
                    MARL_OK);
            ck_assert_int_eq(marl_markov_values_mu(g, q, w), MARL_OK);
            if (w[i] - v[i] > gap) gap = w[i] - v[i];
        }
        ck_assert_int_eq(marl_policy_assign(q, p), MARL_OK);
    }
    marl_policy_free(q);
    return gap;
}

START_TEST(test_converges_on_coordination) {
    marl_solver *s = new_br(G);
    ck_assert_uint_eq(marl_solver_metric_count(s), 6);
    ck_assert_str_eq(marl_solver_metric_name(s, 2), "nash_gap");
    ck_assert_str_eq(marl_solver_metric_name(s, 3), "potential");
    ck_assert_str_eq(marl_solver_metric_name(s, 4), "welfare");
    ck_assert_str_eq(marl_solver_metric_name(s, 5), "poa");
    double eps = 0;
    ck_assert_int_eq(marl_solver_get_real(s, "epsilon", &eps), MARL_OK);
    ck_assert_double_eq(eps, 1e-10);
    size_t done = 0;
    ck_assert_int_eq(marl_solver_run(s, 1000, 0.0, 0.0, &done), MARL_CONVERGED);
    ck_assert_uint_ge(done, 1);
    ck_assert_uint_le(done, 100);
    const marl_policy *pi = marl_solver_policy(s);
    ck_assert_ptr_nonnull(pi);
    ck_assert_uint_eq(marl_policy_flags(pi), 0);
    ck_assert(is_pure(pi));
    double row[6];
    ck_assert_int_eq(marl_solver_history_row(s, done - 1, row), MARL_OK);
    ck_assert(row[2] <= 1e-10);
    /* The metrics agree with independent calls of the metric functions. */
    double gap, welfare, phi, poa, w2, vstar;
    ck_assert_int_eq(marl_markov_nash_gap(G, pi, &gap, NULL), MARL_OK);
    ck_assert_double_eq(row[2], gap);
    ck_assert_int_eq(marl_markov_potential_value(G, pi, &phi, NULL), MARL_OK);
    ck_assert_double_eq_tol(row[3], phi, 1e-9);
    ck_assert_int_eq(marl_markov_welfare(G, pi, &welfare), MARL_OK);
    ck_assert_double_eq_tol(row[4], welfare, 1e-9);
    ck_assert_int_eq(marl_markov_price_of_anarchy(G, pi, &poa, &w2, &vstar),
                     MARL_OK);
    ck_assert_double_eq_tol(row[5], poa, 1e-12);
    ck_assert(vstar > 0.0);
    ck_assert(poa <= 1.0 + 1e-12);
    /* Team reward: every V_i equals Phi, so welfare = N * Phi. */
    ck_assert_double_eq_tol(row[4], NA * row[3], 1e-9);
    /* Brute force: no deterministic deviation gains anything. */
    ck_assert(brute_force_gap(G, pi) <= 1e-10);
    marl_solver_free(s);
}
END_TEST

/* Step by step: only agent t mod N changes at iteration t, its rows become
 * pure, and the potential rises by exactly that agent's gain (MPG). */
START_TEST(test_round_robin_and_potential_identity) {
    marl_solver *s = new_br(G);
    marl_policy *prev = NULL;
    ck_assert_int_eq(marl_policy_copy(&prev, marl_solver_policy(s)), MARL_OK);
    size_t S = marl_game_num_states(G);
    int rc = MARL_OK;
    double prev_phi;
    ck_assert_int_eq(marl_markov_potential_value(G, prev, &prev_phi, NULL),
                     MARL_OK);
    for (size_t t = 0; t < 30 && rc == MARL_OK; ++t) {
        double gain[NA], gap;
        ck_assert_int_eq(marl_markov_nash_gap(G, prev, &gap, gain), MARL_OK);
        rc = marl_solver_step(s);
        ck_assert(rc == MARL_OK || rc == MARL_CONVERGED);
        const marl_policy *cur = marl_solver_policy(s);
        size_t agent = t % NA;
        for (size_t i = 0; i < NA; ++i)
            for (size_t st = 0; st < S; ++st) {
                double a[2], b[2];
                ck_assert_int_eq(marl_policy_get_row(prev, i, 0, st, a),
                                 MARL_OK);
                ck_assert_int_eq(marl_policy_get_row(cur, i, 0, st, b),
                                 MARL_OK);
                if (i != agent) {
                    ck_assert_double_eq(a[0], b[0]);
                    ck_assert_double_eq(a[1], b[1]);
                } else {
                    ck_assert((b[0] == 1.0 && b[1] == 0.0) ||
                              (b[0] == 0.0 && b[1] == 1.0));
                }
            }
        double row[6];
        ck_assert_int_eq(marl_solver_history_row(s, t, row), MARL_OK);
        ck_assert_double_eq_tol(row[3] - prev_phi, gain[agent], 1e-8);
        ck_assert(row[3] >= prev_phi - 1e-9);
        prev_phi = row[3];
        ck_assert_int_eq(marl_policy_assign(prev, cur), MARL_OK);
    }
    ck_assert_int_eq(rc, MARL_CONVERGED);
    marl_policy_free(prev);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_initial_policy_honoured) {
    marl_solver *s = new_br(G);
    size_t S = marl_game_num_states(G);
    /* Direct pure initial policy: every agent plays 1 everywhere. */
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, G, 0), MARL_OK);
    for (size_t i = 0; i < NA; ++i)
        for (size_t st = 0; st < S; ++st)
            ck_assert_int_eq(marl_policy_set_pure(p, i, 0, st, 1), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
    double d = 1.0;
    ck_assert_int_eq(marl_policy_distance(marl_solver_policy(s), p, &d),
                     MARL_OK);
    ck_assert_double_eq(d, 0.0);
    ck_assert_int_ge(marl_solver_step(s), 0);
    for (size_t i = 1; i < NA; ++i)
        for (size_t st = 0; st < S; ++st) {
            double b[2];
            ck_assert_int_eq(
                marl_policy_get_row(marl_solver_policy(s), i, 0, st, b),
                MARL_OK);
            ck_assert_double_eq(b[1], 1.0);
        }
    marl_solver_free(s);

    /* A LOGITS initial policy is converted to direct probabilities. */
    s = new_br(G);
    marl_policy *lp = NULL;
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_policy_new(&lp, G, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_rng_new(&rng, 11), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(lp, rng), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, lp), MARL_OK);
    const marl_policy *cur = marl_solver_policy(s);
    ck_assert_uint_eq(marl_policy_flags(cur), 0);
    for (size_t i = 0; i < NA; ++i)
        for (size_t st = 0; st < S; ++st) {
            double a[2], b[2];
            ck_assert_int_eq(marl_policy_get_row(lp, i, 0, st, a), MARL_OK);
            ck_assert_int_eq(marl_policy_get_row(cur, i, 0, st, b), MARL_OK);
            ck_assert_double_eq_tol(a[0], b[0], 1e-15);
            ck_assert_double_eq_tol(a[1], b[1], 1e-15);
        }
    /* After one step agents 1 and 2 still play the initial rows. */
    ck_assert_int_ge(marl_solver_step(s), 0);
    cur = marl_solver_policy(s);
    for (size_t i = 1; i < NA; ++i)
        for (size_t st = 0; st < S; ++st) {
            double a[2], b[2];
            ck_assert_int_eq(marl_policy_get_row(lp, i, 0, st, a), MARL_OK);
            ck_assert_int_eq(marl_policy_get_row(cur, i, 0, st, b), MARL_OK);
            ck_assert_double_eq_tol(a[0], b[0], 1e-15);
        }
    marl_solver_free(s);

    /* Starting at an equilibrium converges at the first step. */
    s = new_br(G);
    ck_assert_int_eq(marl_solver_run(s, 1000, 0.0, 0.0, NULL), MARL_CONVERGED);
    marl_policy *eq = NULL;
    ck_assert_int_eq(marl_policy_copy(&eq, marl_solver_policy(s)), MARL_OK);
    marl_solver_free(s);
    s = new_br(G);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, eq), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_CONVERGED);
    ck_assert_int_eq(marl_policy_distance(marl_solver_policy(s), eq, &d),
                     MARL_OK);
    ck_assert_double_eq(d, 0.0);
    marl_solver_free(s);

    marl_policy_free(eq);
    marl_policy_free(lp);
    marl_rng_free(rng);
    marl_policy_free(p);
}
END_TEST

START_TEST(test_epsilon_option_and_reset) {
    marl_solver *s = new_br(G);
    ck_assert_int_lt(marl_solver_set_real(s, "epsilon", -1.0), 0);
    ck_assert_int_lt(marl_solver_set_real(s, "epsilon", NAN), 0);
    /* A huge epsilon: converged after the first step. */
    ck_assert_int_eq(marl_solver_set_real(s, "epsilon", 1e6), MARL_OK);
    size_t done = 0;
    ck_assert_int_eq(marl_solver_run(s, 50, 0.0, 0.0, &done), MARL_CONVERGED);
    ck_assert_uint_eq(done, 1);
    /* epsilon 0 (stops only at a gap <= 0 exactly), then reset reproduces
     * the same iterates, bit for bit. */
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "epsilon", "0"), MARL_OK);
    int rc1 = marl_solver_run(s, 7, 0.0, 0.0, &done);
    ck_assert(rc1 == MARL_OK || rc1 == MARL_CONVERGED);
    size_t n1 = marl_solver_history_length(s);
    ck_assert_uint_eq(n1, done);
    double h1[7][6], row[6];
    for (size_t k = 0; k < n1; ++k)
        ck_assert_int_eq(marl_solver_history_row(s, k, h1[k]), MARL_OK);
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 7, 0.0, 0.0, &done), rc1);
    ck_assert_uint_eq(marl_solver_history_length(s), n1);
    for (size_t k = 0; k < n1; ++k) {
        ck_assert_int_eq(marl_solver_history_row(s, k, row), MARL_OK);
        for (size_t c = 2; c < 6; ++c) ck_assert_double_eq(row[c], h1[k][c]);
    }
    /* run's tolerance on the primary metric (nash_gap) also stops it. */
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 0, 1e-9, 0.0, &done), MARL_CONVERGED);
    ck_assert_int_eq(marl_solver_history_row(s, done - 1, row), MARL_OK);
    ck_assert(row[2] <= 1e-9);
    marl_solver_free(s);
}
END_TEST

/* Games without a potential and with V* <= 0: potential and POA are NaN. */
START_TEST(test_nan_metrics) {
    size_t A[2] = {2, 2};
    double P[4] = {1, 1, 1, 1};
    double R[8] = {-1, -2, -3, -4, -4, -3, -2, -1};
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_new(&g, 2, 1, A, 0.5, NULL, P, R, NULL),
                     MARL_OK);
    marl_solver *s = new_br(g);
    ck_assert_int_ge(marl_solver_step(s), 0);
    double row[6], gap, welfare;
    ck_assert_int_eq(marl_solver_history_row(s, 0, row), MARL_OK);
    ck_assert(isnan(row[3]));
    ck_assert(isnan(row[5]));
    const marl_policy *pi = marl_solver_policy(s);
    ck_assert_int_eq(marl_markov_nash_gap(g, pi, &gap, NULL), MARL_OK);
    ck_assert_double_eq(row[2], gap);
    ck_assert_int_eq(marl_markov_welfare(g, pi, &welfare), MARL_OK);
    ck_assert_double_eq_tol(row[4], welfare, 1e-12);
    /* Agent 0 best-responds to the uniform agent 1 in a one-state game with
     * discount 1/2: r_0(a0=0) = -1.5, r_0(a0=1) = -3.5, so it plays 0; then
     * V_0 = 2 * -1.5 = -3 and V_1 = 2 * mean(-4, -3) = -7: welfare -10. */
    ck_assert_double_eq_tol(row[4], -10.0, 1e-12);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

START_TEST(test_kind_and_errors) {
    /* Only the Markov bit. */
    ck_assert_uint_eq(marl_solver_markov_best_response.game_kinds,
                      MARL_KIND_BIT(MARL_GAME_MARKOV));
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new_by_name(&s, "markov-best-response", NULL),
                     MARL_EINVAL);
    /* A per-step initial policy cannot seed a stationary method. */
    s = new_br(G);
    marl_policy *ps = NULL;
    if (marl_policy_new_steps(&ps, G, MARL_POLICY_PER_STEP, 2) == MARL_OK) {
        ck_assert_int_eq(marl_solver_set_initial_policy(s, ps), MARL_OK);
        ck_assert_int_eq(marl_solver_step(s), MARL_EINVAL);
        ck_assert_ptr_nonnull(strstr(marl_last_error(), "time-indexed"));
        ck_assert_uint_eq(marl_solver_iterations(s), 0);
        marl_policy_free(ps);
    }
    marl_solver_free(s);
}
END_TEST

static int br_run_fresh(marl_game *g) {
    marl_solver *s = NULL;
    int rc = marl_solver_new(&s, &marl_solver_markov_best_response, g);
    if (rc == MARL_OK) rc = marl_solver_run(s, 100, 0.0, 0.0, NULL);
    marl_solver_free(s);
    return rc;
}

START_TEST(test_alloc_failures) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.9), MARL_OK);
    marl_solver *s = NULL;
    FAILALLOC_SWEEP(marl_solver_new(&s, &marl_solver_markov_best_response, g),
                    marl_solver_free(s));
    s = new_br(g);
    marl_policy *lp = NULL;
    ck_assert_int_eq(marl_policy_new(&lp, g, MARL_POLICY_LOGITS), MARL_OK);
    FAILALLOC_SWEEP(marl_solver_step(s), marl_solver_reset(s));
    ck_assert_int_eq(marl_solver_set_initial_policy(s, lp), MARL_OK);
    FAILALLOC_SWEEP(marl_solver_step(s), marl_solver_reset(s));
    /* Later steps (best response and metrics) leave the iterate intact. */
    ck_assert_int_ge(marl_solver_step(s), 0);
    marl_policy *before = NULL;
    ck_assert_int_eq(marl_policy_copy(&before, marl_solver_policy(s)), MARL_OK);
    for (long k = 0;; ++k) {
        long live = failalloc_live();
        failalloc_install(k);
        int rc = marl_solver_step(s);
        failalloc_uninstall();
        if (rc >= 0) break;
        ck_assert_int_eq(rc, MARL_ENOMEM);
        ck_assert_int_eq(failalloc_live(), live);
        ck_assert_uint_eq(marl_solver_iterations(s), 1);
        double d = 1;
        ck_assert_int_eq(marl_policy_distance(marl_solver_policy(s), before,
                                              &d),
                         MARL_OK);
        ck_assert_double_eq(d, 0.0);
    }
    ck_assert_uint_eq(marl_solver_iterations(s), 2);
    marl_policy_free(before);
    marl_policy_free(lp);
    marl_solver_free(s);
    FAILALLOC_SWEEP(br_run_fresh(g), (void)0);
    marl_game_free(g);
}
END_TEST

static Suite *br_suite(void) {
    Suite *su = suite_create("markov-best-response");
    TCase *tc = tcase_create("br");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_converges_on_coordination);
    tcase_add_test(tc, test_round_robin_and_potential_identity);
    tcase_add_test(tc, test_initial_policy_honoured);
    tcase_add_test(tc, test_epsilon_option_and_reset);
    tcase_add_test(tc, test_nan_metrics);
    tcase_add_test(tc, test_kind_and_errors);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(su, tc);
    return su;
}

int main(void) {
    return marl_test_run(br_suite());
}
