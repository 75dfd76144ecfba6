/*
 * The N-player exploitability estimator and the symmetry constants:
 * agreement with the exact MFG exploitability on an exactly symmetric game
 * with large N (within the confidence interval plus O(1/sqrt N)), the
 * lower-bound property against a brute-force exploitability of a tiny
 * game, determinism (threads, calls), and alpha, beta on games with known
 * constants.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "mf_games.h"

#include <math.h>
#include <stdio.h>

static marl_policy *policy_of(marl_game *g, uint64_t seed) {
    marl_policy *p = mf_random_policy(g, seed);
    ck_assert_ptr_nonnull(p);
    return p;
}

static void estimate(marl_game *g, const marl_policy *p, const char *spec,
                     double *est, double *hw, size_t *agent) {
    marl_options *o = NULL;
    ck_assert_int_eq(marl_population_estimate_options_new(&o), MARL_OK);
    ck_assert_int_eq(marl_options_parse(o, spec), MARL_OK);
    ck_assert_int_eq(marl_population_exploitability(g, p, o, est, hw, agent),
                     MARL_OK);
    marl_options_free(o);
}

START_TEST(agrees_with_mfg) {
    const size_t N = 2000, H = 3;
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, N, H, 1, 0, 0, -1, -1, 0), MARL_OK);
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        marl_policy *p = policy_of(g, seed);
        double ex;
        ck_assert_int_eq(marl_mfg_exploitability(g, p, &ex), MARL_OK);
        for (int frozen = 0; frozen <= 1; ++frozen) {
            double est, hw;
            size_t agent;
            char spec[128];
            snprintf(spec, sizeof spec,
                     "agents=1,rollouts=10,eval_rollouts=%d,seed=%d,"
                     "deviation=%s",
                     frozen ? 400 : 60, (int)seed,
                     frozen ? "frozen" : "resimulate");
            estimate(g, p, spec, &est, &hw, &agent);
            ck_assert(agent < N);
            ck_assert(isfinite(hw) && hw > 0);
            double tol = hw + 3.0 / sqrt((double)N);
            ck_assert_msg(fabs(est - ex) <= tol,
                          "seed %d %s: estimate %g +- %g, exact MFG %g",
                          (int)seed, frozen ? "frozen" : "resimulate", est,
                          hw, ex);
        }
        marl_policy_free(p);
    }
    marl_game_free(g);
}
END_TEST

START_TEST(deterministic) {
    const size_t N = 2100, H = 3;
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, N, H, 0, 0.1, 0.05, -1, -1, 0),
                     MARL_OK);
    marl_policy *p = policy_of(g, 8);
    double e1, h1, e2, h2, e3, h3;
    size_t a1, a2, a3;
    estimate(g, p, "agents=5,rollouts=3,eval_rollouts=3,threads=1", &e1, &h1,
             &a1);
    estimate(g, p, "agents=5,rollouts=3,eval_rollouts=3,threads=2", &e2, &h2,
             &a2);
    estimate(g, p, "agents=5,rollouts=3,eval_rollouts=3", &e3, &h3, &a3);
    ck_assert(e1 == e2 && h1 == h2 && a1 == a2);
    ck_assert(e1 == e3 && h1 == h3 && a1 == a3);
    estimate(g, p, "agents=5,rollouts=3,eval_rollouts=3,seed=2", &e3, &h3,
             &a3);
    ck_assert(e1 != e3);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* Brute force for N = 2, S = A = 2, H = 2: exact J^i of agent i under
 * (dev rows for agent i, pi for the other) by enumerating every joint
 * path. dev[h*4 + s*2 + a]. */
static double exact_return(marl_game *g, const double *pi, const double *dev,
                           size_t i) {
    double rho[2];
    marl_population_initial(g, rho);
    double J = 0.0;
    for (size_t s0 = 0; s0 < 2; ++s0)
        for (size_t t0 = 0; t0 < 2; ++t0) /* other agent's state */
            for (size_t a0 = 0; a0 < 2; ++a0)
                for (size_t b0 = 0; b0 < 2; ++b0) {
                    double w = rho[s0] * rho[t0] * dev[s0 * 2 + a0] *
                               pi[t0 * 2 + b0];
                    if (w == 0) continue;
                    double sig_i[4] = {0}, sig_o[4] = {0};
                    sig_i[t0 * 2 + b0] = 1; /* others of i */
                    sig_o[s0 * 2 + a0] = 1; /* others of the other */
                    size_t o = 1 - i;
                    double r0, Pi[2], Po[2];
                    marl_population_reward(g, i, 0, s0, a0, sig_i, &r0);
                    marl_population_transition(g, i, 0, s0, a0, sig_i, Pi);
                    marl_population_transition(g, o, 0, t0, b0, sig_o, Po);
                    J += w * r0;
                    for (size_t s1 = 0; s1 < 2; ++s1)
                        for (size_t t1 = 0; t1 < 2; ++t1)
                            for (size_t a1 = 0; a1 < 2; ++a1)
                                for (size_t b1 = 0; b1 < 2; ++b1) {
                                    double w1 = w * Pi[s1] * Po[t1] *
                                                dev[4 + s1 * 2 + a1] *
                                                pi[4 + t1 * 2 + b1];
                                    double s1g[4] = {0}, r1;
                                    s1g[t1 * 2 + b1] = 1;
                                    marl_population_reward(g, i, 1, s1, a1,
                                                           s1g, &r1);
                                    J += w1 * r1;
                                }
                }
    return J;
}

START_TEST(lower_bound_tiny_game) {
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, 2, 2, 0, 0.2, 0.05, -1, -1, 0),
                     MARL_OK);
    marl_policy *p = policy_of(g, 17);
    double pi[8];
    for (size_t h = 0; h < 2; ++h)
        for (size_t s = 0; s < 2; ++s)
            marl_policy_get_row(p, 0, h, s, pi + h * 4 + s * 2);
    /* Exact exploitability over deterministic deviations: J^i is
     * multilinear in the rows pi_h(.|s) (each step is visited once per
     * path), so a deterministic time-indexed deviation is optimal. */
    double best = -INFINITY;
    for (size_t i = 0; i < 2; ++i) {
        double base = exact_return(g, pi, pi, i), bi = -INFINITY;
        for (unsigned m = 0; m < 16; ++m) {
            double dev[8] = {0};
            for (size_t k = 0; k < 4; ++k) dev[k * 2 + ((m >> k) & 1)] = 1;
            double v = exact_return(g, pi, dev, i) - base;
            if (v > bi) bi = v;
        }
        if (bi > best) best = bi;
    }
    double est, hw;
    size_t agent;
    estimate(g, p, "rollouts=50,eval_rollouts=4000,seed=3", &est, &hw,
             &agent);
    ck_assert_msg(est <= best + hw, "estimate %g +- %g above exact %g", est,
                  hw, best);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(symmetry_constants) {
    double al, be;
    marl_game *g = NULL;
    /* 30 agents: biases -0.1, 0, +0.1 ten times each (mean 0), so
     * beta = 0.1; transition offsets +-0.05 on both entries: alpha = 0.1. */
    ck_assert_int_eq(mf_crowd_new(&g, 30, 3, 0, 0.1, 0.05, -1, -1, 0),
                     MARL_OK);
    ck_assert_int_eq(marl_population_symmetry(g, 20, 1, &al, &be), MARL_OK);
    ck_assert_msg(fabs(al - 0.1) < 1e-12 && fabs(be - 0.1) < 1e-12,
                  "alpha %g beta %g", al, be);
    marl_game_free(g);
    /* 31 agents: mean bias 0.1/31 -> beta = 0.1 + 0.1/31 (the -0.1 agents);
     * alpha: mean offset 0.05/31, max deviation 0.05 + 0.05/31 per entry. */
    ck_assert_int_eq(mf_crowd_new(&g, 31, 2, 0, 0.1, 0.05, -1, -1, 0),
                     MARL_OK);
    ck_assert_int_eq(marl_population_symmetry(g, 5, 2, &al, &be), MARL_OK);
    ck_assert_msg(fabs(be - (0.1 + 0.1 / 31)) < 1e-12, "beta %g", be);
    ck_assert_msg(fabs(al - 2 * (0.05 + 0.05 / 31)) < 1e-12, "alpha %g", al);
    marl_game_free(g);
    /* Symmetric: 0, 0. */
    ck_assert_int_eq(mf_crowd_new(&g, 50, 2, 1, 0, 0, -1, -1, 0), MARL_OK);
    ck_assert_int_eq(marl_population_symmetry(g, 5, 2, &al, &be), MARL_OK);
    ck_assert(al == 0.0 && be == 0.0);
    marl_game_free(g);
}
END_TEST

int main(void) {
    Suite *s = suite_create("meanfield-estimate");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, agrees_with_mfg);
    tcase_add_test(tc, deterministic);
    tcase_add_test(tc, lower_bound_tiny_game);
    tcase_add_test(tc, symmetry_constants);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
