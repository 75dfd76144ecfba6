/*
 * Exact mean-field machinery (meanfield.h): Gamma/Lambda against a flow
 * computed by hand, flows are distributions, the induced MFG is the average
 * of the per-agent callbacks, regularised Q and values against brute-force
 * enumeration of trajectories, best response against brute force over
 * deterministic policies, exploitability >= 0 and = 0 at a known
 * equilibrium, errors and allocation failures.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "failalloc.h"
#include "pop_games.h"

#include <marlgame/marlgame.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

static marl_game *catalogue(const char *name, const char *params) {
    marl_game *g = NULL;
    ck_assert_msg(marl_games_new(&g, name, params) == MARL_OK, "%s",
                  marl_last_error());
    return g;
}

static marl_policy *shared_policy(marl_game *g) {
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_SHARED |
                                                MARL_POLICY_PER_STEP),
                     MARL_OK);
    return p;
}

static void randomize(marl_policy *p, uint64_t seed) {
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, seed), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(p, rng), MARL_OK);
    marl_rng_free(rng);
}

/* Lambda on sis (H = 3) under the uniform policy, computed by hand:
 * mu0 = (0.4, 0.6), mu(I) = 0.6; S-out 0.2 -> I w.p. 0.81 * 0.6 = 0.486;
 * next marginal S = 0.2 * 0.514 + 0.2 + 0.6 * 0.3 = 0.4828, I = 0.5172;
 * then mu(I) = 0.5172: S = 0.2414 * (1 - 0.81 * 0.5172) + 0.2414
 * + 0.5172 * 0.3. */
START_TEST(test_flow_by_hand) {
    marl_game *g = catalogue("sis", "horizon=3");
    marl_policy *p = shared_policy(g);
    double L[12];
    ck_assert_int_eq(marl_mfg_flow(g, p, L), MARL_OK);
    const double s1 = 0.2 * (1.0 - 0.81 * 0.6) + 0.2 + 0.6 * 0.3;
    const double i1 = 1.0 - s1;
    const double s2 = 0.5 * s1 * (1.0 - 0.81 * i1) + 0.5 * s1 + i1 * 0.3;
    const double want[12] = {0.2,        0.2,        0.3,        0.3,
                             s1 / 2,     s1 / 2,     i1 / 2,     i1 / 2,
                             s2 / 2,     s2 / 2,     (1 - s2) / 2,
                             (1 - s2) / 2};
    ck_assert_double_eq_tol(s1, 0.4828, 1e-15);
    for (int k = 0; k < 12; ++k) ck_assert_double_eq_tol(L[k], want[k], 1e-15);
    /* Gamma of one step reproduces the flow */
    double out[4];
    ck_assert_int_eq(marl_mfg_gamma(g, p, 1, L + 4, out), MARL_OK);
    for (int k = 0; k < 4; ++k) ck_assert_double_eq_tol(out[k], L[8 + k], 1e-15);
    ck_assert_int_eq(marl_mfg_gamma(g, p, 2, L + 8, out), MARL_ERANGE);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* Flows are distributions at every step (random policies, three games). */
START_TEST(test_flow_sums) {
    pop_toy t = {.N = 6, .S = 3, .A = 2};
    marl_game *gs[3] = {NULL, catalogue("rps", "horizon=5"),
                        catalogue("a-sis", "n=50")};
    ck_assert_int_eq(pop_toy_build(&t, 4, 0, NULL, &gs[0]), MARL_OK);
    for (int gi = 0; gi < 3; ++gi) {
        marl_policy *p = shared_policy(gs[gi]);
        size_t H = marl_game_horizon(gs[gi]);
        size_t SA = marl_game_num_states(gs[gi]) *
                    marl_game_num_actions(gs[gi], 0);
        double *L = malloc(H * SA * sizeof *L);
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            randomize(p, seed);
            ck_assert_int_eq(marl_mfg_flow(gs[gi], p, L), MARL_OK);
            for (size_t h = 0; h < H; ++h) {
                double sum = 0.0;
                for (size_t k = 0; k < SA; ++k) {
                    ck_assert(L[h * SA + k] >= 0.0);
                    sum += L[h * SA + k];
                }
                ck_assert_double_eq_tol(sum, 1.0, 1e-12);
            }
        }
        free(L);
        marl_policy_free(p);
        marl_game_free(gs[gi]);
    }
}
END_TEST

/* The induced P and R are the averages of the per-agent callbacks. */
START_TEST(test_induced_average) {
    pop_toy t = {.N = 9, .S = 3, .A = 2};
    marl_game *g = NULL;
    ck_assert_int_eq(pop_toy_build(&t, 3, 0, NULL, &g), MARL_OK);
    const double mu[6] = {0.05, 0.15, 0.3, 0.1, 0.25, 0.15};
    for (size_t h = 0; h < 3; ++h)
        for (size_t s = 0; s < 3; ++s)
            for (size_t a = 0; a < 2; ++a) {
                double row[3], want[3] = {0, 0, 0}, tmp[3], r, wr = 0.0, x;
                for (size_t i = 0; i < t.N; ++i) {
                    pop_toy_transition(&t, i, h, s, a, mu, tmp);
                    for (int k = 0; k < 3; ++k) want[k] += tmp[k] / 9.0;
                    pop_toy_reward(&t, i, h, s, a, mu, &x);
                    wr += x / 9.0;
                }
                ck_assert_int_eq(marl_mfg_transition(g, h, s, a, mu, row),
                                 MARL_OK);
                ck_assert_int_eq(marl_mfg_reward(g, h, s, a, mu, &r), MARL_OK);
                for (int k = 0; k < 3; ++k)
                    ck_assert_double_eq_tol(row[k], want[k], 1e-15);
                ck_assert_double_eq_tol(r, wr, 1e-14);
            }
    marl_game_free(g);
}
END_TEST

/* ---- brute force by enumeration of trajectories ------------------------ */

typedef struct bf {
    pop_toy *t;
    size_t H;
    const double *L;   /* frozen flow */
    const double *pi;  /* dense policy [H*S*A] (NULL: deterministic det[]) */
    const size_t *det; /* deterministic policy [H*S] */
    double tau;
} bf;

static double bf_prob(const bf *b, size_t h, size_t s, size_t a) {
    if (b->pi) return b->pi[(h * b->t->S + s) * b->t->A + a];
    return b->det[h * b->t->S + s] == a ? 1.0 : 0.0;
}

/* Average of the per-agent callbacks at the frozen flow. */
static void bf_model(const bf *b, size_t h, size_t s, size_t a, double *row,
                     double *r) {
    const pop_toy *t = b->t;
    const double *mu = b->L + h * t->S * t->A;
    double tmp[4], x;
    *r = 0.0;
    for (size_t k = 0; k < t->S; ++k) row[k] = 0.0;
    for (size_t i = 0; i < t->N; ++i) {
        pop_toy_transition((void *)t, i, h, s, a, mu, tmp);
        pop_toy_reward((void *)t, i, h, s, a, mu, &x);
        for (size_t k = 0; k < t->S; ++k) row[k] += tmp[k] / (double)t->N;
        *r += x / (double)t->N;
    }
}

/* Expected sum of rewards (+ tau entropy terms) from (h, s, a) to the end,
 * by explicit recursion over every path (no tables). */
static double bf_q(const bf *b, size_t h, size_t s, size_t a) {
    const size_t S = b->t->S, A = b->t->A;
    double row[4], r;
    bf_model(b, h, s, a, row, &r);
    double ent = 0.0;
    for (size_t c = 0; c < A; ++c) {
        double u = bf_prob(b, h, s, c);
        if (u > 0.0) ent -= u * log(u);
    }
    double q = r + b->tau * ent;
    if (h + 1 == b->H) return q;
    for (size_t s2 = 0; s2 < S; ++s2)
        for (size_t a2 = 0; a2 < A; ++a2) {
            double w = row[s2] * bf_prob(b, h + 1, s2, a2);
            if (w != 0.0) q += w * bf_q(b, h + 1, s2, a2);
        }
    return q;
}

static double bf_value(const bf *b, const double *rho0) {
    double v = 0.0;
    for (size_t s = 0; s < b->t->S; ++s)
        for (size_t a = 0; a < b->t->A; ++a)
            v += rho0[s] * bf_prob(b, 0, s, a) * bf_q(b, 0, s, a);
    return v;
}

START_TEST(test_q_brute_force) {
    pop_toy t = {.N = 4, .S = 3, .A = 2};
    const double rho0[3] = {0.5, 0.2, 0.3};
    const size_t H = 4, SA = 6;
    marl_game *g = NULL;
    ck_assert_int_eq(pop_toy_build(&t, H, 0, rho0, &g), MARL_OK);
    marl_policy *p = shared_policy(g), *p2 = shared_policy(g);
    double pi[24], L[24], Lo[24], Q[24], v;
    for (uint64_t seed = 3; seed < 6; ++seed) {
        randomize(p, seed);
        randomize(p2, seed + 100);
        for (size_t h = 0; h < H; ++h)
            for (size_t s = 0; s < 3; ++s)
                ck_assert_int_eq(marl_policy_get_row(p, 0, h, s,
                                                     pi + (h * 3 + s) * 2),
                                 MARL_OK);
        ck_assert_int_eq(marl_mfg_flow(g, p, L), MARL_OK);
        ck_assert_int_eq(marl_mfg_flow(g, p2, Lo), MARL_OK);
        const double taus[3] = {0.0, 0.1, 1.3};
        for (int ti = 0; ti < 3; ++ti) {
            /* own flow (L = NULL) and another policy's flow */
            for (int other = 0; other < 2; ++other) {
                bf b = {&t, H, other ? Lo : L, pi, NULL, taus[ti]};
                ck_assert_int_eq(marl_mfg_q(g, p, other ? Lo : NULL, taus[ti],
                                            Q), MARL_OK);
                for (size_t h = 0; h < H; ++h)
                    for (size_t k = 0; k < SA; ++k)
                        ck_assert_double_eq_tol(Q[h * SA + k],
                                                bf_q(&b, h, k / 2, k % 2),
                                                1e-12);
                if (taus[ti] == 0.0) {
                    ck_assert_int_eq(marl_mfg_value(g, p, other ? Lo : NULL,
                                                    &v), MARL_OK);
                    ck_assert_double_eq_tol(v, bf_value(&b, rho0), 1e-12);
                }
            }
        }
    }
    marl_policy_free(p);
    marl_policy_free(p2);
    marl_game_free(g);
}
END_TEST

/* Best response = max over all deterministic policies (2^(S*H) = 64). */
START_TEST(test_best_response_brute_force) {
    pop_toy t = {.N = 3, .S = 2, .A = 2};
    const double rho0[2] = {0.7, 0.3};
    const size_t H = 3;
    marl_game *g = NULL;
    ck_assert_int_eq(pop_toy_build(&t, H, 0, rho0, &g), MARL_OK);
    marl_policy *p = shared_policy(g), *br = shared_policy(g);
    double L[12];
    for (uint64_t seed = 7; seed < 12; ++seed) {
        randomize(p, seed);
        ck_assert_int_eq(marl_mfg_flow(g, p, L), MARL_OK);
        double best = -HUGE_VAL, v = 0.0, vbr = 0.0, vpi = 0.0;
        for (unsigned m = 0; m < 64; ++m) {
            size_t det[6];
            for (int k = 0; k < 6; ++k) det[k] = (m >> k) & 1u;
            bf b = {&t, H, L, NULL, det, 0.0};
            double x = bf_value(&b, rho0);
            if (x > best) best = x;
        }
        ck_assert_int_eq(marl_mfg_best_response(g, L, br, &v), MARL_OK);
        ck_assert_double_eq_tol(v, best, 1e-12);
        ck_assert_int_eq(marl_mfg_value(g, br, L, &vbr), MARL_OK);
        ck_assert_double_eq_tol(vbr, best, 1e-12);
        /* exploitability = best - V(L, pi) */
        double e = 0.0;
        ck_assert_int_eq(marl_mfg_value(g, p, NULL, &vpi), MARL_OK);
        ck_assert_int_eq(marl_mfg_exploitability(g, p, &e), MARL_OK);
        ck_assert_double_eq_tol(e, best - vpi, 1e-12);
        ck_assert(e > 0.0);
    }
    marl_policy_free(p);
    marl_policy_free(br);
    marl_game_free(g);
}
END_TEST

/* Cyclic RPS with r(s) = w_i (mu(s+2) - mu(s+1)) and s' = a: uniform rho0
 * and the uniform policy give mu uniform at every step, every reward 0,
 * so every policy is a best response and E(uniform) = 0. Any other policy
 * is exploitable. Heterogeneous weights w_i average out. */
static int crps_transition(void *u, size_t i, size_t h, size_t s, size_t a,
                           const double *sigma, double *row) {
    (void)u, (void)i, (void)h, (void)s, (void)sigma;
    for (size_t k = 0; k < 3; ++k) row[k] = k == a ? 1.0 : 0.0;
    return 0;
}
static int crps_reward(void *u, size_t i, size_t h, size_t s, size_t a,
                       const double *sigma, double *r) {
    (void)u, (void)h, (void)a;
    double m[3];
    for (size_t k = 0; k < 3; ++k)
        m[k] = sigma[3 * k] + sigma[3 * k + 1] + sigma[3 * k + 2];
    *r = (1.0 + 0.37 * (double)i) * (m[(s + 2) % 3] - m[(s + 1) % 3]);
    return 0;
}

START_TEST(test_exploitability_zero_at_equilibrium) {
    static const marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                                            crps_transition, crps_reward,
                                            NULL};
    marl_population_builder *b = NULL;
    ck_assert_int_eq(marl_population_builder_new(&b, 5, 3, 3, 6), MARL_OK);
    ck_assert_int_eq(marl_population_builder_set_ops(b, &ops, NULL), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_population_builder_build(b, &g), MARL_OK);
    marl_population_builder_free(b);
    marl_policy *p = shared_policy(g);
    double e = 1.0;
    ck_assert_int_eq(marl_mfg_exploitability(g, p, &e), MARL_OK);
    ck_assert_double_eq_tol(e, 0.0, 1e-10);
    randomize(p, 5);
    ck_assert_int_eq(marl_mfg_exploitability(g, p, &e), MARL_OK);
    ck_assert(e > 1e-3);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* E >= 0 for many random policies (direct and logits) on four games. */
START_TEST(test_exploitability_nonnegative) {
    pop_toy t = {.N = 5, .S = 3, .A = 3};
    marl_game *gs[4] = {NULL, catalogue("rps", "horizon=4"),
                        catalogue("sis", NULL), catalogue("a-rps", "n=40")};
    ck_assert_int_eq(pop_toy_build(&t, 5, 0, NULL, &gs[0]), MARL_OK);
    for (int gi = 0; gi < 4; ++gi)
        for (int logits = 0; logits < 2; ++logits) {
            marl_policy *p = NULL;
            ck_assert_int_eq(
                marl_policy_new(&p, gs[gi],
                                MARL_POLICY_SHARED | MARL_POLICY_PER_STEP |
                                    (logits ? MARL_POLICY_LOGITS : 0u)),
                MARL_OK);
            for (uint64_t seed = 1; seed <= 50; ++seed) {
                randomize(p, seed * 31 + (uint64_t)gi);
                double e = -1.0;
                ck_assert_int_eq(marl_mfg_exploitability(gs[gi], p, &e),
                                 MARL_OK);
                ck_assert_msg(e >= -1e-12, "game %d seed %llu: %g", gi,
                              (unsigned long long)seed, e);
            }
            marl_policy_free(p);
        }
    for (int gi = 0; gi < 4; ++gi) marl_game_free(gs[gi]);
}
END_TEST

START_TEST(test_errors) {
    marl_game *g = catalogue("sis", "horizon=3");
    marl_game *mk = catalogue("coordination", NULL);
    marl_policy *p = shared_policy(g), *per = NULL, *stat = NULL;
    ck_assert_int_eq(marl_policy_new(&per, g, MARL_POLICY_PER_STEP), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&stat, g, MARL_POLICY_SHARED), MARL_OK);
    double L[12], Q[12], e, v, row[2], r, mu[4] = {0.25, 0.25, 0.25, 0.25};
    ck_assert_int_eq(marl_mfg_exploitability(NULL, p, &e), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_exploitability(mk, p, &e), MARL_EKIND);
    ck_assert_int_eq(marl_mfg_exploitability(g, NULL, &e), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_exploitability(g, p, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_exploitability(g, per, &e), MARL_EINVAL);
    ck_assert(has("SHARED"));
    ck_assert_int_eq(marl_mfg_flow(g, stat, L), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_flow(g, p, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_q(g, p, NULL, -1.0, Q), MARL_EINVAL);
    ck_assert(has("tau"));
    ck_assert_int_eq(marl_mfg_q(g, p, NULL, NAN, Q), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_q(g, p, NULL, 0.0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_value(g, p, NULL, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_flow(g, p, L), MARL_OK);
    L[9] += 0.5; /* step 2 no longer a distribution */
    ck_assert_int_eq(marl_mfg_q(g, p, L, 0.0, Q), MARL_EINVAL);
    ck_assert(has("step 2"));
    ck_assert_int_eq(marl_mfg_value(g, p, L, &v), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_best_response(g, L, NULL, &v), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_best_response(g, NULL, NULL, &v), MARL_EINVAL);
    marl_policy *lg = NULL;
    ck_assert_int_eq(marl_policy_new(&lg, g, MARL_POLICY_SHARED |
                                                 MARL_POLICY_PER_STEP |
                                                 MARL_POLICY_LOGITS),
                     MARL_OK);
    ck_assert_int_eq(marl_mfg_flow(g, p, L), MARL_OK);
    ck_assert_int_eq(marl_mfg_best_response(g, L, lg, &v), MARL_EINVAL);
    ck_assert(has("LOGITS"));
    ck_assert_int_eq(marl_mfg_transition(g, 3, 0, 0, mu, row), MARL_ERANGE);
    ck_assert_int_eq(marl_mfg_transition(g, 0, 2, 0, mu, row), MARL_ERANGE);
    ck_assert_int_eq(marl_mfg_reward(g, 0, 0, 2, mu, &r), MARL_ERANGE);
    ck_assert_int_eq(marl_mfg_reward(g, 0, 0, 0, NULL, &r), MARL_EINVAL);
    mu[0] = 0.5;
    ck_assert_int_eq(marl_mfg_reward(g, 0, 0, 0, mu, &r), MARL_EINVAL);
    ck_assert(has("mu"));
    ck_assert_int_eq(marl_mfg_gamma(g, p, 0, mu, row), MARL_EINVAL);
    mu[0] = 0.25;
    ck_assert_int_eq(marl_mfg_transition(g, 0, 0, 0, mu, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_mfg_gamma(g, p, 0, mu, NULL), MARL_EINVAL);
    /* a policy of another game of different dimensions */
    marl_game *g2 = catalogue("rps", NULL);
    marl_policy *p2 = shared_policy(g2);
    ck_assert_int_eq(marl_mfg_exploitability(g, p2, &e), MARL_EINVAL);
    ck_assert(has("layout"));
    marl_policy_free(p2);
    marl_game_free(g2);
    marl_policy_free(lg);
    marl_policy_free(p);
    marl_policy_free(per);
    marl_policy_free(stat);
    marl_game_free(g);
    marl_game_free(mk);
}
END_TEST

/* Callback defects surface through every exact function with agent, step,
 * state and action. */
START_TEST(test_callback_errors_propagate) {
    for (int mode = 1; mode <= 6; ++mode) {
        pop_toy t = {.N = 3, .S = 2, .A = 2, .mode = mode, .bad_agent = 1,
                     .bad_step = 1, .bad_state = 0, .bad_action = 1};
        marl_game *g = NULL;
        ck_assert_int_eq(pop_toy_build(&t, 3, 0, NULL, &g), MARL_OK);
        marl_policy *p = shared_policy(g);
        double e = 0.0, L[12];
        ck_assert_int_eq(marl_mfg_exploitability(g, p, &e), MARL_EINVAL);
        ck_assert_msg(has("marl_mfg_exploitability") && has("agent 1") &&
                          has("step 1") && has("state 0") && has("action 1"),
                      "%s", marl_last_error());
        ck_assert_int_eq(marl_mfg_flow(g, p, L), MARL_EINVAL);
        marl_policy_free(p);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_failalloc) {
    failalloc_install(-1);
    long live0 = failalloc_live();
    marl_game *g = catalogue("a-sis", "n=20,horizon=4");
    marl_policy *p = shared_policy(g);
    randomize(p, 9);
    double e0 = 0.0, L[16], Q[16];
    ck_assert_int_eq(marl_mfg_exploitability(g, p, &e0), MARL_OK);
    for (int fnc = 0; fnc < 4; ++fnc)
        for (long k = 0;; ++k) {
            failalloc_install(k);
            double e = -1.0, v;
            int rc = fnc == 0   ? marl_mfg_exploitability(g, p, &e)
                     : fnc == 1 ? marl_mfg_flow(g, p, L)
                     : fnc == 2 ? marl_mfg_q(g, p, NULL, 0.5, Q)
                                : marl_mfg_transition(g, 0, 0, 1, L, Q);
            failalloc_uninstall();
            if (rc == MARL_OK) {
                if (fnc == 0) ck_assert_double_eq(e, e0);
                (void)v;
                break;
            }
            ck_assert_int_eq(rc, MARL_ENOMEM);
            if (fnc == 0) ck_assert_double_eq(e, -1.0);
        }
    marl_policy_free(p);
    marl_game_free(g);
    ck_assert_int_eq(failalloc_live(), live0);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("population-mfg");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_flow_by_hand);
    tcase_add_test(tc, test_flow_sums);
    tcase_add_test(tc, test_induced_average);
    tcase_add_test(tc, test_q_brute_force);
    tcase_add_test(tc, test_best_response_brute_force);
    tcase_add_test(tc, test_exploitability_zero_at_equilibrium);
    tcase_add_test(tc, test_exploitability_nonnegative);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_callback_errors_propagate);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
