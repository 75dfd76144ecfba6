/*
 * alternating-llearn and alternating-marl through the public solver API:
 * L-LEARN's wiring (the game's tables, the initial law, the options)
 * against the raw-table core; the loop on tiny games with exact operators
 * (G-LEARN estimator=exact, evaluation=exact) checked with the independent
 * brute-force n-agent evaluator: recorded values, accepted updates never
 * decrease the joint value, the stop rule, and re-running G-LEARN and
 * L-LEARN from the result improves neither side by 2 eps at every start
 * state; reproducibility from the seed (Monte-Carlo evaluation, sampled
 * G-LEARN); the Monte-Carlo evaluation at every start state; the
 * mean-field evaluation.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>

#include "altgame.h"
#include "check_main.h"
#ifdef _OPENMP
#include <omp.h>
#endif
#include "policy/global_local/gl_policy_impl.h"
#include "solvers/alternating/loop/llearn_core.h"

static marl_solver *new_solver(const marl_solver_type *t, marl_game *g) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, t, g), MARL_OK);
    return s;
}

static size_t col(const marl_solver *s, const char *name) {
    size_t c = 0;
    ck_assert_int_eq(marl_solver_metric_index(s, name, &c), MARL_OK);
    return c;
}

START_TEST(test_llearn_wiring) {
    at_model a = at_model_random(3, 2, 3, 3, 2, 2, 0.9);
    marl_game *g = ag_game(&a, 50);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 2), MARL_OK);
    ag_policy_random(p, &a, 5);
    for (int pass = 0; pass < 2; ++pass) {
        marl_solver *s = new_solver(&marl_solver_alternating_llearn, g);
        ck_assert_int_eq(marl_solver_set_int(s, "k", 2), MARL_OK);
        if (pass == 1) {
            ck_assert_int_eq(marl_solver_set_real(s, "temperature", 0.3),
                             MARL_OK);
            ck_assert_int_eq(marl_solver_set_string(s, "population",
                                                    "stationary"),
                             MARL_OK);
        }
        ck_assert_int_eq(marl_alternating_set_policy(s, p), MARL_OK);
        int rc = marl_solver_step(s);
        ck_assert(rc == MARL_OK || rc == MARL_CONVERGED);
        const marl_gl_policy *out = marl_alternating_policy(s);
        ck_assert_ptr_nonnull(out);
        /* the raw-table core on the same inputs */
        marl_alt_model m = {a.Sg, a.Ag, a.Sl, a.Al, 2, a.C, a.gamma, a.Pg,
                            a.rg, a.Pl, a.rl, a.rho_g, a.mu0};
        marl_alt_llearn *w = NULL;
        ck_assert_int_eq(marl_alt_llearn_new(&w, &m, "test"), MARL_OK);
        marl_alt_llearn_opts o = {pass, 1000, 1e-12, 1e-10, 100000,
                                  pass ? 0.3 : 0.0};
        double ref[3 * 2 * 2], row[2], pg[3], pg2[3];
        marl_alt_llearn_info info;
        marl_alt_llearn_run(w, &m, &o, p->pg, p->pl, ref, &info);
        for (size_t j = 0; j < a.Sl; ++j)
            for (size_t sg = 0; sg < a.Sg; ++sg) {
                marl_gl_policy_local_row(out, j, sg, row);
                for (size_t x = 0; x < a.Al; ++x)
                    ck_assert_double_eq(row[x],
                                        ref[(j * a.Sg + sg) * a.Al + x]);
            }
        /* pi_g untouched */
        for (size_t sg = 0; sg < a.Sg; ++sg)
            for (size_t r = 0; r < a.C; ++r) {
                marl_gl_policy_global_row(out, sg, r, pg);
                marl_gl_policy_global_row(p, sg, r, pg2);
                for (size_t x = 0; x < a.Ag; ++x)
                    ck_assert_double_eq(pg[x], pg2[x]);
            }
        double v[8];
        ck_assert_int_eq(marl_solver_history_row(s, 0, v), MARL_OK);
        ck_assert_double_eq_tol(v[col(s, "value")], info.value, 1e-12);
        ck_assert_int_eq(rc, v[col(s, "change")] == 0.0 ? MARL_CONVERGED
                                                         : MARL_OK);
        marl_alt_llearn_free(w);
        marl_solver_free(s);
    }
    marl_gl_policy_free(p);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

/* Dirichlet initial law: L-LEARN uses its mean as mu0. */
START_TEST(test_llearn_dirichlet_mean) {
    at_model a = at_model_random(13, 2, 2, 3, 2, 1, 0.9);
    const double conc[3] = {0.5, 1.5, 3.0};
    marl_global_local_builder *b = NULL;
    marl_game *g = NULL;
    ck_assert_int_eq(marl_global_local_builder_new(&b, 10, 2, 2, 3, 2),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, 0.9), MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, a.Pg, a.rg),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, a.Pl, a.rl),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_initial_global(b, a.rho_g),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_initial_dirichlet(b, conc),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), MARL_OK);
    marl_global_local_builder_free(b);
    marl_solver *s = new_solver(&marl_solver_alternating_llearn, g);
    ck_assert_int_eq(marl_solver_set_int(s, "k", 1), MARL_OK);
    int rc = marl_solver_step(s);
    ck_assert(rc >= 0);
    double v[8];
    ck_assert_int_eq(marl_solver_history_row(s, 0, v), MARL_OK);
    double mu0[3] = {0.1, 0.3, 0.6};
    marl_alt_model m = {a.Sg, a.Ag, a.Sl, a.Al, 1, a.C, a.gamma, a.Pg,
                        a.rg, a.Pl, a.rl, a.rho_g, mu0};
    marl_alt_llearn *w = NULL;
    ck_assert_int_eq(marl_alt_llearn_new(&w, &m, "test"), MARL_OK);
    marl_alt_llearn_opts o = {0, 1000, 1e-12, 1e-10, 100000, 0.0};
    double uni_g[2 * 3 * 2], uni_l[3 * 2 * 2], out[12];
    for (size_t i = 0; i < 12; ++i) uni_g[i] = uni_l[i] = 0.5;
    marl_alt_llearn_info info;
    marl_alt_llearn_run(w, &m, &o, uni_g, uni_l, out, &info);
    ck_assert_double_eq_tol(v[col(s, "value")], info.value, 1e-12);
    marl_alt_llearn_free(w);
    marl_solver_free(s);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

/* min over start states of V'(s) - V(s) by the brute-force evaluator. */
static double min_gain(const at_model *a, size_t n, const marl_gl_policy *p,
                       const marl_gl_policy *q, size_t H) {
    double v[4], w[4], m = HUGE_VAL;
    ag_brute_values(a, n, p, H, v);
    ag_brute_values(a, n, q, H, w);
    for (size_t s = 0; s < a->Sg; ++s)
        if (w[s] - v[s] < m) m = w[s] - v[s];
    return m;
}

static double start_value(const at_model *a, size_t n,
                          const marl_gl_policy *p, size_t H) {
    double v[4], r = 0.0;
    ag_brute_values(a, n, p, H, v);
    for (size_t s = 0; s < a->Sg; ++s) r += a->rho_g[s] * v[s];
    return r;
}

START_TEST(test_marl_exact_properties) {
    const size_t n = 3, k = 2, H = 60;
    const double eps = 1e-9;
    size_t total_accepted = 0;
    for (uint64_t seed = 50; seed < 56; ++seed) {
        at_model a = at_model_random(seed, 2, 2, 2, 2, k, 0.9);
        marl_game *g = ag_game(&a, n);
        marl_solver *s = new_solver(&marl_solver_alternating_marl, g);
        ck_assert_int_eq(marl_solver_set(s, "k", "2"), MARL_OK);
        ck_assert_int_eq(marl_solver_set(s, "evaluation", "exact"), MARL_OK);
        ck_assert_int_eq(marl_solver_set(s, "glearn_estimator", "exact"),
                         MARL_OK);
        ck_assert_int_eq(marl_solver_set(s, "glearn_tol", "1e-12"), MARL_OK);
        ck_assert_int_eq(marl_solver_set(s, "eval_horizon", "60"), MARL_OK);
        ck_assert_int_eq(marl_solver_set(s, "iterations", "50"), MARL_OK);
        ck_assert_int_eq(marl_solver_set_real(s, "epsilon", eps), MARL_OK);
        size_t its = 0;
        ck_assert_int_eq(marl_solver_run(s, 1000, 0, 0, &its),
                         MARL_CONVERGED);
        size_t rows = marl_solver_history_length(s);
        ck_assert_uint_eq(rows, its);
        double v[32];
        size_t cd = col(s, "decision"), cvo = col(s, "value_old"),
               cvn = col(s, "value_new"), cgm = col(s, "gap_min"),
               cdone = col(s, "done"), cside = col(s, "side"),
               ceps = col(s, "epsilon");
        /* the uniform start's value, independently */
        marl_gl_policy *uni = NULL;
        ck_assert_int_eq(marl_gl_policy_new(&uni, g, k), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(s, 0, v), MARL_OK);
        ck_assert_double_eq_tol(v[cvo], start_value(&a, n, uni, H), 1e-9);
        double cur = v[cvo];
        for (size_t r = 0; r < rows; ++r) {
            ck_assert_int_eq(marl_solver_history_row(s, r, v), MARL_OK);
            ck_assert_double_eq_tol(v[cvo], cur, 1e-12);
            ck_assert_double_eq(v[cside], (double)(r % 2));
            ck_assert_double_eq(v[ceps], eps);
            int dec = (int)v[cd];
            ck_assert(dec >= 1 && dec <= 3);
            if (dec == 1) {
                ck_assert_double_ge(v[cgm], 2 * eps);
                ck_assert_double_ge(v[cvn], cur); /* never decreases */
                cur = v[cvn];
                total_accepted++;
            }
            ck_assert_int_eq(v[cdone] != 0, r + 1 == rows);
        }
        /* the loop stopped by Case 3 or by a sweep that accepted nothing */
        ck_assert(v[cdone] == 1 || v[cdone] == 2);
        const marl_gl_policy *fin = marl_alternating_policy(s);
        ck_assert_double_eq_tol(start_value(&a, n, fin, H), cur, 1e-9);
        /* re-running L-LEARN and G-LEARN from the result: neither side
         * gains 2 eps at every start state */
        marl_solver *l = new_solver(&marl_solver_alternating_llearn, g);
        ck_assert_int_eq(marl_solver_set(l, "k", "2"), MARL_OK);
        ck_assert_int_eq(marl_alternating_set_policy(l, fin), MARL_OK);
        ck_assert(marl_solver_step(l) >= 0);
        ck_assert_double_lt(min_gain(&a, n, fin, marl_alternating_policy(l),
                                     H),
                            2 * eps);
        marl_solver *gg = new_solver(&marl_solver_alternating_glearn, g);
        ck_assert_int_eq(marl_solver_set(gg, "k", "2"), MARL_OK);
        ck_assert_int_eq(marl_solver_set(gg, "estimator", "exact"), MARL_OK);
        ck_assert_int_eq(marl_solver_set(gg, "tol", "1e-12"), MARL_OK);
        ck_assert_int_eq(marl_alternating_set_policy(gg, fin), MARL_OK);
        ck_assert_int_eq(marl_solver_run(gg, 100000, 0, 0, NULL),
                         MARL_CONVERGED);
        ck_assert_double_lt(min_gain(&a, n, fin,
                                     marl_alternating_policy(gg), H),
                            2 * eps);
        /* once stopped, steps return MARL_CONVERGED */
        ck_assert_int_eq(marl_solver_step(s), MARL_CONVERGED);
        marl_solver_free(l);
        marl_solver_free(gg);
        marl_gl_policy_free(uni);
        marl_solver_free(s);
        marl_game_unref(g);
        at_model_free(&a);
    }
    ck_assert_uint_gt(total_accepted, 0); /* the test saw real updates */
}
END_TEST

/* A constructed game where the representative agent's best response hurts
 * everyone (Case 2): one global state, two actions (r_g = 0 or 10); the
 * starting global policy plays a_g = 1 only if the one sampled agent is in
 * local state 0; a local agent earns 1 in state 1 and moves to the state
 * named by its action. From uniform pi_l, L-LEARN (others fixed) sends
 * everyone to state 1, which switches the global reward off: rejected.
 * G-LEARN then plays a_g = 1 always (accepted), after which the same
 * L-LEARN proposal is accepted, and the next G-LEARN proposal changes
 * nothing (Case 3). Values by the brute-force evaluator. */
START_TEST(test_marl_reject_case) {
    const double Pg[2] = {1.0, 1.0}, rg[2] = {0.0, 10.0};
    double Pl[2 * 1 * 2 * 2], rl[2 * 1 * 2];
    for (size_t sl = 0; sl < 2; ++sl)
        for (size_t a = 0; a < 2; ++a) {
            for (size_t x = 0; x < 2; ++x) Pl[(sl * 2 + a) * 2 + x] = x == a;
            rl[sl * 2 + a] = sl == 1 ? 1.0 : 0.0;
        }
    const double rho_g[1] = {1.0}, mu0[2] = {0.5, 0.5};
    at_model a = {1, 2, 2, 2, 1, 2, 0.9, (double *)Pg, (double *)rg, Pl, rl,
                  (double *)rho_g, (double *)mu0};
    marl_game *g = ag_game(&a, 2);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 1), MARL_OK);
    size_t c0[2] = {1, 0}, r0 = 0, r1 = 0; /* the sampled agent in state 0 */
    size_t c1[2] = {0, 1};
    ck_assert_int_eq(marl_counts_rank(c0, 2, 1, &r0), MARL_OK);
    ck_assert_int_eq(marl_counts_rank(c1, 2, 1, &r1), MARL_OK);
    const double play1[2] = {0.0, 1.0}, play0[2] = {1.0, 0.0};
    ck_assert_int_eq(marl_gl_policy_set_global_row(p, 0, r0, play1), MARL_OK);
    ck_assert_int_eq(marl_gl_policy_set_global_row(p, 0, r1, play0), MARL_OK);
    marl_solver *s = new_solver(&marl_solver_alternating_marl, g);
    ck_assert_int_eq(marl_solver_set(s, "k", "1"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "evaluation", "exact"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "glearn_estimator", "exact"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "glearn_tol", "1e-12"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "eval_horizon", "40"), MARL_OK);
    ck_assert_int_eq(marl_alternating_set_policy(s, p), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 100, 0, 0, NULL), MARL_CONVERGED);
    ck_assert_uint_eq(marl_solver_history_length(s), 4);
    const int expect[4] = {2, 1, 1, 3};
    double v[32], start = start_value(&a, 2, p, 40);
    for (size_t r = 0; r < 4; ++r) {
        ck_assert_int_eq(marl_solver_history_row(s, r, v), MARL_OK);
        ck_assert_int_eq((int)v[col(s, "decision")], expect[r]);
        if (r < 2) /* the rejected proposal left pi unchanged */
            ck_assert_double_eq_tol(v[col(s, "value_old")], start, 1e-9);
        if (r == 0) ck_assert_double_le(v[col(s, "gap_max")], -2e-9);
    }
    ck_assert_double_eq(v[col(s, "done")], 1.0);
    /* the result: a_g = 1 everywhere, every agent heads for state 1 */
    const marl_gl_policy *fin = marl_alternating_policy(s);
    double row[2];
    for (size_t r = 0; r < 2; ++r) {
        marl_gl_policy_global_row(fin, 0, r, row);
        ck_assert_double_eq(row[1], 1.0);
    }
    for (size_t sl = 0; sl < 2; ++sl) {
        marl_gl_policy_local_row(fin, sl, 0, row);
        ck_assert_double_eq(row[1], 1.0);
    }
    /* 10 + 1 per step from t = 1, 10 + 0.5 at t = 0 */
    double want = 10.5;
    for (size_t t = 1; t < 40; ++t) want += pow(0.9, (double)t) * 11.0;
    ck_assert_double_eq_tol(start_value(&a, 2, fin, 40), want, 1e-9);
    marl_solver_free(s);
    marl_gl_policy_free(p);
    marl_game_unref(g);
}
END_TEST

/* iterations = 1: one sweep, then done = 3 when both proposals were
 * accepted; a second solver started from the result stops at once. */
START_TEST(test_marl_iteration_limit_and_start) {
    at_model a = at_model_random(50, 2, 2, 2, 2, 2, 0.9);
    marl_game *g = ag_game(&a, 3);
    marl_solver *s = new_solver(&marl_solver_alternating_marl, g);
    ck_assert_int_eq(marl_solver_set(s, "k", "2"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "evaluation", "exact"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "glearn_estimator", "exact"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "iterations", "1"), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 100, 0, 0, NULL), MARL_CONVERGED);
    ck_assert_uint_eq(marl_solver_history_length(s), 2);
    double v[32];
    marl_solver_history_row(s, 1, v);
    ck_assert_double_eq(v[col(s, "accepted")], 2.0);
    ck_assert_double_eq(v[col(s, "done")], 3.0);
    double reached = v[col(s, "value_new")];
    marl_solver *t = new_solver(&marl_solver_alternating_marl, g);
    ck_assert_int_eq(marl_solver_set(t, "k", "2"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(t, "evaluation", "exact"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(t, "glearn_estimator", "exact"), MARL_OK);
    ck_assert_int_eq(marl_alternating_set_policy(t, marl_alternating_policy(s)),
                     MARL_OK);
    ck_assert_int_ge(marl_solver_step(t), 0);
    marl_solver_history_row(t, 0, v);
    ck_assert_double_eq_tol(v[col(t, "value_old")], reached, 1e-12);
    marl_solver_free(t);
    marl_solver_free(s);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

static marl_solver *mc_solver(marl_game *g, uint64_t seed) {
    marl_solver *s = new_solver(&marl_solver_alternating_marl, g);
    ck_assert_int_eq(marl_solver_set(s, "k", "3"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "rollouts", "40"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "eval_horizon", "30"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "m", "5"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "iterations", "3"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, seed), MARL_OK);
    return s;
}

/* Same seed, same history and policy, bit for bit, also when the second
 * run uses another OpenMP thread count (when built with OpenMP). */
START_TEST(test_marl_reproducible) {
    at_model a = at_model_random(60, 2, 3, 3, 2, 3, 0.9);
    marl_game *g = ag_game(&a, 40);
    marl_solver *s1 = mc_solver(g, 7), *s2 = mc_solver(g, 7);
#ifdef _OPENMP
    omp_set_num_threads(1);
#endif
    ck_assert_int_eq(marl_solver_run(s1, 100, 0, 0, NULL), MARL_CONVERGED);
#ifdef _OPENMP
    omp_set_num_threads(3);
#endif
    ck_assert_int_eq(marl_solver_run(s2, 100, 0, 0, NULL), MARL_CONVERGED);
    ck_assert_uint_eq(marl_solver_history_length(s1),
                      marl_solver_history_length(s2));
    size_t nc = marl_solver_metric_count(s1);
    double v1[32], v2[32];
    for (size_t r = 0; r < marl_solver_history_length(s1); ++r) {
        marl_solver_history_row(s1, r, v1);
        marl_solver_history_row(s2, r, v2);
        for (size_t c = 0; c < nc; ++c) {
            const char *name = marl_solver_metric_name(s1, c);
            if (strstr(name, "seconds")) continue;
            ck_assert_msg(memcmp(&v1[c], &v2[c], sizeof(double)) == 0,
                          "row %zu metric %s differs", r, name);
        }
    }
    double dist = 1.0;
    ck_assert_int_eq(marl_gl_policy_distance(marl_alternating_policy(s1),
                                             marl_alternating_policy(s2),
                                             &dist),
                     MARL_OK);
    ck_assert_double_eq(dist, 0.0);
    /* Monte-Carlo evaluation: eps >= the half-width */
    marl_solver_history_row(s1, 0, v1);
    ck_assert_double_gt(v1[col(s1, "epsilon")], 1e-9);
    marl_solver_free(s1);
    marl_solver_free(s2);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

static int same(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Monte-Carlo evaluation at every start state: per s_g the estimate of
 * marl_gl_evaluate_from with the solver's evaluation seed (white box:
 * solver seed ^ 0x5eed0f0a1e7a7e00), common to all start states;
 * value_old / value_new = sum_s rho_g(s) V(s), gap_min / gap_max over the
 * start states and eps = epsilon + the largest half-width, bit for bit;
 * each per-state estimate within 4 half-widths of the brute-force value. */
START_TEST(test_marl_montecarlo_start_states) {
    const size_t n = 3, k = 2, H = 8, R = 3000;
    const double eps = 1e-3;
    at_model a = at_model_random(80, 3, 2, 2, 2, k, 0.9);
    marl_game *g = ag_game(&a, n);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, k), MARL_OK);
    ag_policy_random(p, &a, 9);
    marl_solver *s = new_solver(&marl_solver_alternating_marl, g);
    ck_assert_int_eq(marl_solver_set_int(s, "k", (long long)k), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "rollouts", (long long)R),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "eval_horizon", (long long)H),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "glearn_estimator", "exact"),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "epsilon", eps), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 11), MARL_OK);
    ck_assert_int_eq(marl_alternating_set_policy(s, p), MARL_OK);
    const uint64_t es = 11 ^ UINT64_C(0x5eed0f0a1e7a7e00);
    double vc[3], hc[3], vb[3], vo = 0.0, hmax = 0.0, row[32];
    ag_brute_values(&a, n, p, H, vb);
    for (size_t sg = 0; sg < 3; ++sg) {
        ck_assert_int_eq(marl_gl_evaluate_from(g, p, sg, R, H, es, 0, &vc[sg],
                                               &hc[sg]),
                         MARL_OK);
        ck_assert_msg(fabs(vc[sg] - vb[sg]) < 4 * hc[sg],
                      "s_g %zu: estimate %g, brute force %g, hw %g", sg,
                      vc[sg], vb[sg], hc[sg]);
        vo += a.rho_g[sg] * vc[sg];
        hmax = hc[sg] > hmax ? hc[sg] : hmax;
    }
    /* the start states differ (one start state could not tell them) */
    ck_assert(fabs(vc[0] - vc[1]) > 1e-3 || fabs(vc[1] - vc[2]) > 1e-3);
    size_t accepted = 0;
    for (int step = 0; step < 2; ++step) {
        ck_assert_int_ge(marl_solver_step(s), 0);
        marl_solver_history_row(s, (size_t)step, row);
        ck_assert(same(row[col(s, "value_old")], vo));
        ck_assert(row[col(s, "epsilon")] >= eps + hmax);
        if (row[col(s, "decision")] != 1) continue;
        /* accepted: the current pair is the proposal */
        const marl_gl_policy *q = marl_alternating_policy(s);
        double vn[3], hn[3], vnew = 0.0, gmin = HUGE_VAL, gmax = -HUGE_VAL,
                             h2 = hmax;
        for (size_t sg = 0; sg < 3; ++sg) {
            ck_assert_int_eq(marl_gl_evaluate_from(g, q, sg, R, H, es, 0,
                                                   &vn[sg], &hn[sg]),
                             MARL_OK);
            vnew += a.rho_g[sg] * vn[sg];
            gmin = fmin(gmin, vn[sg] - vc[sg]);
            gmax = fmax(gmax, vn[sg] - vc[sg]);
            h2 = hn[sg] > h2 ? hn[sg] : h2;
        }
        ck_assert(same(row[col(s, "value_new")], vnew));
        ck_assert(same(row[col(s, "gap_min")], gmin));
        ck_assert(same(row[col(s, "gap_max")], gmax));
        ck_assert(same(row[col(s, "epsilon")], eps + h2));
        ck_assert_double_ge(gmin, 2 * (eps + h2)); /* Case 1 */
        memcpy(vc, vn, sizeof vc);
        vo = vnew;
        hmax = 0.0;
        for (size_t sg = 0; sg < 3; ++sg) hmax = fmax(hmax, hn[sg]);
        ++accepted;
    }
    ck_assert_uint_ge(accepted, 1);
    marl_solver_free(s);
    marl_gl_policy_free(p);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

START_TEST(test_marl_meanfield) {
    at_model a = at_model_random(70, 3, 2, 3, 3, 2, 0.9);
    marl_game *g = ag_game(&a, 100);
    marl_solver *s = new_solver(&marl_solver_alternating_marl, g);
    ck_assert_int_eq(marl_solver_set(s, "k", "2"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "evaluation", "meanfield"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "glearn_estimator", "expected"),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 100, 0, 0, NULL), MARL_CONVERGED);
    double v[32];
    size_t rows = marl_solver_history_length(s);
    for (size_t r = 0; r < rows; ++r) {
        marl_solver_history_row(s, r, v);
        if (v[col(s, "decision")] == 1)
            ck_assert_double_ge(v[col(s, "gap_min")], 2e-9);
    }
    marl_solver_free(s);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("alternating-solvers");
    TCase *tc = tcase_create("solvers");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_llearn_wiring);
    tcase_add_test(tc, test_llearn_dirichlet_mean);
    tcase_add_test(tc, test_marl_exact_properties);
    tcase_add_test(tc, test_marl_reject_case);
    tcase_add_test(tc, test_marl_iteration_limit_and_start);
    tcase_add_test(tc, test_marl_reproducible);
    tcase_add_test(tc, test_marl_montecarlo_start_states);
    tcase_add_test(tc, test_marl_meanfield);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
