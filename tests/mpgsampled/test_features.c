/* Tests of the user-supplied critic features of `mpg-q-ascent-sampled`
 * (marl_mpg_sampled_set_features; ALGORITHMS.md §1 "features one-hot by
 * default or user-supplied"): explicit one-hot features reproduce the
 * default run bit for bit; a 2-dimensional feature map that represents the
 * exact averaged Q makes the critic converge to it; an orthogonal rotation
 * of the one-hot basis still drives the Nash-gap of coordination down; bad
 * input; allocation failures in the setter and in the steps that read the
 * features.
 * SPDX-License-Identifier: MIT */
#include "marlgame/marlgame.h"
#include "marlgame/mpg.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include "sampled_fixture.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Internal test hook of lib/solvers/mpg/q_ascent_sampled.c. */
int marl_mpg_sampled_critic_phi(marl_game *game, const marl_policy *policy,
                                uint64_t seed, size_t agent, size_t K,
                                double sgd_step, double W, size_t dim,
                                const double *phi, double *wbar);

/* One-hot features of a player with n = S * A rows: [n * n]. */
static double *onehot(size_t n) {
    double *phi = calloc(n * n, sizeof *phi);
    ck_assert_ptr_nonnull(phi);
    for (size_t x = 0; x < n; ++x) phi[x * n + x] = 1.0;
    return phi;
}

/* Rows of a random orthogonal n x n matrix (Gram-Schmidt on a seeded
 * pseudo-random matrix): feature x = row x, norm 1, full rank. */
static double *rotation(size_t n, unsigned seed) {
    double *m = calloc(n * n, sizeof *m);
    ck_assert_ptr_nonnull(m);
    srand(seed);
    for (size_t k = 0; k < n * n; ++k) m[k] = rand() / (double)RAND_MAX - 0.5;
    for (size_t x = 0; x < n; ++x) {
        double *r = m + x * n;
        for (size_t y = 0; y < x; ++y) {
            const double *q = m + y * n;
            double d = 0.0;
            for (size_t k = 0; k < n; ++k) d += r[k] * q[k];
            for (size_t k = 0; k < n; ++k) r[k] -= d * q[k];
        }
        double nn = 0.0;
        for (size_t k = 0; k < n; ++k) nn += r[k] * r[k];
        nn = sqrt(nn) * (1.0 + 1e-15);
        for (size_t k = 0; k < n; ++k) r[k] /= nn;
    }
    return m;
}

/* Every history column but "seconds", and the final policies, agree bit
 * for bit. */
static void assert_same_run(marl_solver *a, marl_solver *b) {
    size_t n = marl_solver_metric_count(a), rows = marl_solver_history_length(a);
    ck_assert_uint_eq(rows, marl_solver_history_length(b));
    ck_assert(rows > 0);
    double ra[16], rb[16];
    for (size_t r = 0; r < rows; ++r) {
        ck_assert_int_eq(marl_solver_history_row(a, r, ra), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(b, r, rb), MARL_OK);
        for (size_t k = 0; k < n; ++k)
            if (k != 1)
                ck_assert_msg(ra[k] == rb[k] || (isnan(ra[k]) && isnan(rb[k])),
                              "row %zu column %zu: %.17g vs %.17g", r, k,
                              ra[k], rb[k]);
    }
    double d = -1.0;
    ck_assert_int_eq(marl_policy_distance(marl_solver_policy(a),
                                          marl_solver_policy(b), &d),
                     MARL_OK);
    ck_assert(d == 0.0);
}

START_TEST(test_onehot_explicit) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    size_t S = marl_game_num_states(g), A = marl_game_num_actions(g, 0);
    double *phi = onehot(S * A);
    const char *inits[2] = {"zero", "warm"};
    for (int w = 0; w < 2; ++w) {
        marl_solver *a = sampled_solver(g, 5, 0.2, 300);
        marl_solver *b = sampled_solver(g, 5, 0.2, 300);
        ck_assert_int_eq(marl_solver_set(a, "critic_init", inits[w]), MARL_OK);
        ck_assert_int_eq(marl_solver_set(b, "critic_init", inits[w]), MARL_OK);
        /* a state built before the features are set is discarded */
        ck_assert_ptr_nonnull(marl_solver_policy(b));
        for (size_t i = 0; i < 2; ++i)
            ck_assert_int_eq(marl_mpg_sampled_set_features(b, i, S * A, phi),
                             MARL_OK);
        ck_assert_int_eq(marl_solver_run(a, 6, 0.0, 0.0, NULL), MARL_OK);
        ck_assert_int_eq(marl_solver_run(b, 6, 0.0, 0.0, NULL), MARL_OK);
        assert_same_run(a, b);
        /* reset keeps the features: the replay is the same run again */
        ck_assert_int_eq(marl_solver_reset(b), MARL_OK);
        ck_assert_int_eq(marl_solver_run(b, 6, 0.0, 0.0, NULL), MARL_OK);
        assert_same_run(a, b);
        marl_solver_free(a);
        marl_solver_free(b);
    }
    free(phi);
    marl_game_free(g);
}
END_TEST

START_TEST(test_lowdim_critic_exact) {
    /* random-mpg (2 agents, 3 states, 2 actions, gamma 0.5, seed 3) under a
     * fixed policy with every probability >= 1/4. Features of player i
     * (dim 2): phi(s,a) = (Qbar_i(s,a) / M_i, [a == 0] / 2) / sqrt(1.25),
     * M_i = max |Qbar_i|, so Qbar_i = phi^T w* with w* = (M_i sqrt(1.25),
     * 0): representable, and the averaged SGD iterate converges to it.
     * Critic seed 42, sgd_step 0.05, W = 10: K = 2e5 samples ->
     * max |phi^T wbar - Qbar| < 0.01 (measured 0.004; Qbar about 1.5), and the second
     * weight is near 0; K = 2e3 is worse. */
    marl_game *g = NULL;
    marl_policy *p = NULL;
    critic_fixture(&g, &p);
    double Q[12], phi[12], w[2], big = 0.0, small = 0.0, w2 = 0.0;
    ck_assert_int_eq(marl_markov_averaged_q(g, p, Q, NULL, NULL), MARL_OK);
    const double c = 1.0 / sqrt(1.25);
    for (size_t i = 0; i < 2; ++i) {
        double M = 0.0;
        for (size_t x = 0; x < 6; ++x) M = fmax(M, fabs(Q[6 * i + x]));
        for (size_t x = 0; x < 6; ++x) {
            phi[2 * x] = c * Q[6 * i + x] / M;
            phi[2 * x + 1] = c * (x % 2 == 0 ? 0.5 : 0.0);
        }
        size_t Ks[2] = {200000, 2000};
        for (int r = 0; r < 2; ++r) {
            ck_assert_int_eq(marl_mpg_sampled_critic_phi(g, p, 42, i, Ks[r],
                                                         0.05, 10.0, 2, phi, w),
                             MARL_OK);
            double err = 0.0;
            for (size_t x = 0; x < 6; ++x)
                err = fmax(err, fabs(phi[2 * x] * w[0] + phi[2 * x + 1] * w[1] -
                                     Q[6 * i + x]));
            if (r == 0) {
                big = fmax(big, err);
                w2 = fmax(w2, fabs(w[1]));
                ck_assert_msg(fabs(w[0] - M / c) < 0.02 * M / c,
                              "w0 %g, expected %g", w[0], M / c);
            } else {
                small = fmax(small, err);
            }
        }
    }
    ck_assert_msg(big < 0.01, "critic error %g at K = 2e5", big);
    ck_assert_msg(w2 < 0.03, "second weight %g, expected about 0", w2);
    ck_assert_msg(small > big, "K = 2e3 error %g, K = 2e5 error %g", small, big);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_rotated_converges) {
    /* coordination N = 2, eps = 0.1, gamma = 0.8, alpha = 0.2, K = 2000,
     * seed 1; features of both players: an orthogonal rotation of the
     * one-hot basis (dense, full rank, norm 1). The history differs from
     * the one-hot run (the SGD now moves every weight), yet the Nash-gap
     * after 40 iterations is below 0.05 (uniform start: about 0.9; both
     * runs end at 0.0397, the floor that xi = 0.01 exploration leaves). */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    size_t S = marl_game_num_states(g), A = marl_game_num_actions(g, 0);
    double *phi = rotation(S * A, 7);
    marl_solver *a = sampled_solver(g, 1, 0.2, 2000);
    marl_solver *b = sampled_solver(g, 1, 0.2, 2000);
    for (size_t i = 0; i < 2; ++i)
        ck_assert_int_eq(marl_mpg_sampled_set_features(b, i, S * A, phi),
                         MARL_OK);
    ck_assert_int_eq(marl_solver_run(a, 40, 0.0, 0.0, NULL), MARL_OK);
    ck_assert_int_eq(marl_solver_run(b, 40, 0.0, 0.0, NULL), MARL_OK);
    size_t col = 0;
    ck_assert_int_eq(marl_solver_metric_index(b, "nash_gap", &col), MARL_OK);
    double ra[16], rb[16];
    ck_assert_int_eq(marl_solver_history_row(a, 39, ra), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(b, 39, rb), MARL_OK);
    ck_assert_msg(rb[col] < 0.05, "Nash-gap %g with rotated features", rb[col]);
    ck_assert_int_eq(marl_solver_history_row(a, 0, ra), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(b, 0, rb), MARL_OK);
    ck_assert(ra[col] != rb[col]);
    ck_assert(rb[col] > 0.3);
    free(phi);
    marl_solver_free(a);
    marl_solver_free(b);
    marl_game_free(g);
}
END_TEST

START_TEST(test_bad_input) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    size_t S = marl_game_num_states(g), A = marl_game_num_actions(g, 0),
           n = S * A;
    double *phi = onehot(n);
    marl_solver *s = sampled_solver(g, 5, 0.2, 100), *ref = sampled_solver(g, 5, 0.2, 100);
    ck_assert_int_eq(marl_mpg_sampled_set_features(NULL, 0, n, phi), MARL_EINVAL);
    marl_solver *other = NULL;
    ck_assert_int_eq(marl_solver_new(&other, &marl_solver_mpg_q_ascent, g),
                     MARL_OK);
    ck_assert_int_eq(marl_mpg_sampled_set_features(other, 0, n, phi),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "mpg-q-ascent\""));
    marl_solver_free(other);
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 2, n, phi), MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 2"));
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 0, 0, phi), MARL_EINVAL);
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 0, SIZE_MAX / 2, phi),
                     MARL_ERANGE);
    /* a valid table for agent 1 first, then failures must not touch it */
    double *rot = rotation(n, 3);
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 1, n, rot), MARL_OK);
    ck_assert_int_eq(marl_mpg_sampled_set_features(ref, 1, n, rot), MARL_OK);
    double *bad = onehot(n);
    bad[5 * n + 3] = NAN; /* row 5 = state 2, action 1 */
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 1, n, bad), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "feature 3 of agent 1, "
                                                    "state 2, action 1"));
    bad[5 * n + 3] = HUGE_VAL;
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 1, n, bad), MARL_EINVAL);
    bad[5 * n + 3] = 0.0;
    bad[5 * n + 5] = 1.0 + 1e-10; /* norm just above 1 */
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 1, n, bad), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 1, state 2, "
                                                    "action 1 has norm"));
    bad[5 * n + 5] = sqrt(0.5);
    bad[5 * n + 4] = sqrt(0.5) * (1.0 + 1e-13); /* within 1 + 1e-12 */
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 0, n, bad), MARL_OK);
    /* NULL restores one-hot for agent 0 */
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 0, 0, NULL), MARL_OK);
    ck_assert_int_eq(marl_mpg_sampled_set_features(ref, 0, 0, NULL), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_step(ref), MARL_OK);
    assert_same_run(s, ref);
    /* fixed after the first step, until reset */
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 0, n, phi), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "1 iteration;"));
    ck_assert_int_eq(marl_solver_iterations(s), 1);
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_int_eq(marl_mpg_sampled_set_features(s, 0, n, phi), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    assert_same_run(s, ref); /* explicit one-hot = default for agent 0 */
    free(bad);
    free(rot);
    free(phi);
    marl_solver_free(s);
    marl_solver_free(ref);
    marl_game_free(g);
}
END_TEST

/* Fail each allocation of `expr` in turn (MARL_ENOMEM, no leak, history
 * unchanged) until it succeeds (its blocks then belong to the solver). */
#define SWEEP_SOLVER(s, expr)                                                \
    do {                                                                     \
        size_t len_ = marl_solver_history_length(s);                         \
        for (long k_ = 0;; ++k_) {                                           \
            long before_ = failalloc_live();                                 \
            failalloc_install(k_);                                           \
            int rc_ = (expr);                                                \
            failalloc_uninstall();                                           \
            if (rc_ == MARL_OK) break;                                       \
            ck_assert_msg(rc_ == MARL_ENOMEM, "allocation %ld: got %d (%s)", \
                          k_, rc_, marl_last_error());                       \
            ck_assert_msg(failalloc_live() == before_, "leak at %ld", k_);   \
            ck_assert_uint_eq(marl_solver_history_length(s), len_);          \
            ck_assert(k_ < 10000);                                           \
        }                                                                    \
    } while (0)

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    size_t S = marl_game_num_states(g), A = marl_game_num_actions(g, 0),
           n = S * A;
    double *rot = rotation(n, 9);
    double phi2[16 * 2]; /* 2-dimensional features of agent 1 */
    for (size_t x = 0; x < n; ++x) {
        phi2[2 * x] = 0.5 * (double)(x % 2);
        phi2[2 * x + 1] = 0.25 * (double)(x / 2) / (double)S;
    }
    const char *inits[2] = {"zero", "warm"};
    for (int w = 0; w < 2; ++w) {
        marl_solver *ref = sampled_solver(g, 8, 0.1, 30);
        marl_solver *s = sampled_solver(g, 8, 0.1, 30);
        ck_assert_int_eq(marl_solver_set(ref, "critic_init", inits[w]), MARL_OK);
        ck_assert_int_eq(marl_solver_set(s, "critic_init", inits[w]), MARL_OK);
        ck_assert_int_eq(marl_mpg_sampled_set_features(ref, 0, n, rot), MARL_OK);
        ck_assert_int_eq(marl_mpg_sampled_set_features(ref, 1, 2, phi2),
                         MARL_OK);
        SWEEP_SOLVER(s, marl_mpg_sampled_set_features(s, 0, n, rot));
        SWEEP_SOLVER(s, marl_mpg_sampled_set_features(s, 1, 2, phi2));
        ck_assert_int_eq(marl_solver_run(ref, 2, 0.0, 0.0, NULL), MARL_OK);
        SWEEP_SOLVER(s, marl_solver_step(s));
        SWEEP_SOLVER(s, marl_solver_step(s));
        assert_same_run(s, ref);
        marl_solver_free(s);
        marl_solver_free(ref);
    }
    marl_policy *p = NULL;
    double wb[2];
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    FAILALLOC_SWEEP(marl_mpg_sampled_critic_phi(g, p, 1, 1, 10, 0.1, 0, 2,
                                                phi2, wb),
                    (void)0);
    marl_policy_free(p);
    free(rot);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("mpg-q-ascent-sampled-features");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_onehot_explicit);
    tcase_add_test(tc, test_lowdim_critic_exact);
    tcase_add_test(tc, test_rotated_converges);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
