/*
 * llearn = chained (the seed's k-replica chained MDP, chained.h) against
 * independent computations (chaintest.h) written from the seed's description
 * (App. C.3, Algorithm 21): the transition table against a brute-force
 * construction (k = 1, 2, 3); policy values against the macro-step chain
 * of the k-agent subsystem over (ordered replica tuple, s_g) (the micro
 * rewards of a chain must sum to the macro reward), with i.i.d. and Polya
 * (Dirichlet) initial laws; the best response against exhaustive search,
 * against value iteration on the (s_l, s_g) MDP for k = 1, and its bound
 * against value iteration on the brute-force chained MDP; the softmax
 * output; the special case where it must coincide with the mean-field
 * L-LEARN (pi_g ignores the counts); the solvers' option, a run of
 * alternating-marl with it, bad input, size limits and allocation
 * failures.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>

#include "altgame.h"
#include "chaintest.h"
#include "check_main.h"
#include "failalloc.h"
#include "altsweep.h"
#include "solvers/alternating/loop/chained.h"
#include "solvers/alternating/loop/llearn_core.h"

static void setup(void) { failalloc_install(-1); }

static marl_alt_model to_model(const at_model *a) {
    marl_alt_model m = {a->Sg, a->Ag, a->Sl, a->Al, a->k, a->C, a->gamma,
                        a->Pg, a->rg, a->Pl, a->rl, a->rho_g, a->mu0};
    return m;
}

START_TEST(test_construction) {
    for (size_t k = 1; k <= 3; ++k) {
        at_model a = at_model_random(100 + k, 2, 2, 2, 2, k, 0.9);
        double *pig = at_policy_random(200 + k, a.Sg * a.C, a.Ag);
        marl_alt_model m = to_model(&a);
        marl_alt_chain *w = NULL;
        ck_assert_int_eq(marl_alt_chain_new(&w, &m, NULL, "test"), MARL_OK);
        marl_alt_chain_prepare(w, pig);
        bf_chain b = bf_build(&a, pig);
        ck_assert_uint_eq(w->N, b.N);
        ck_assert_uint_eq(w->N, ipow(2, k) * 2 * (1 + (k - 1) * 2));
        size_t next[4];
        double prob[4], *row = malloc(b.N * sizeof(double));
        for (size_t x = 0; x < b.N; ++x)
            for (size_t ac = 0; ac < a.Al; ++ac) {
                double r, disc, sum = 0.0;
                size_t n = marl_alt_chain_transitions(w, x, ac, next, prob, &r,
                                                      &disc);
                ck_assert_uint_le(n, 4);
                memset(row, 0, b.N * sizeof(double));
                for (size_t q = 0; q < n; ++q) {
                    ck_assert_uint_lt(next[q], b.N);
                    row[next[q]] += prob[q];
                    sum += prob[q];
                }
                ck_assert_double_eq_tol(sum, 1.0, 1e-14);
                ck_assert_double_eq_tol(r, b.r[x * a.Al + ac], 1e-15);
                ck_assert_double_eq(disc, b.disc[x * a.Al + ac]);
                for (size_t y = 0; y < b.N; ++y)
                    ck_assert_double_eq_tol(row[y],
                                            b.P[(x * a.Al + ac) * b.N + y],
                                            1e-15);
            }
        free(row);
        bf_free(&b);
        marl_alt_chain_free(w);
        free(pig);
        at_model_free(&a);
    }
}
END_TEST

START_TEST(test_values_macro) {
    const double conc[3] = {0.3, 1.7, 0.8};
    for (size_t k = 1; k <= 3; ++k)
        for (int dir = 0; dir < 2; ++dir) {
            at_model a = at_model_random(300 + k, 2, 2, 3, 2, k, 0.85);
            if (dir)
                for (size_t j = 0; j < 3; ++j) a.mu0[j] = conc[j] / 2.8;
            double *pig = at_policy_random(400 + k, a.Sg * a.C, a.Ag);
            double *pol = at_policy_random(500 + k, a.Sl * a.Sg, a.Al);
            marl_alt_model m = to_model(&a);
            marl_alt_chain *w = NULL;
            ck_assert_int_eq(
                marl_alt_chain_new(&w, &m, dir ? conc : NULL, "test"),
                MARL_OK);
            marl_alt_chain_prepare(w, pig);
            double J = marl_alt_chain_evaluate(w, pol);
            double Jm = macro_J(&a, pig, pol, dir ? conc : NULL);
            ck_assert_double_eq_tol(J, Jm, 1e-11);
            marl_alt_chain_free(w);
            free(pig);
            free(pol);
            at_model_free(&a);
        }
}
END_TEST

START_TEST(test_exact_optimum) {
    const size_t cases[4][3] = {{1, 2, 2}, {2, 2, 2}, {1, 2, 3}, {2, 3, 2}};
    for (size_t c = 0; c < 4; ++c) {
        size_t k = cases[c][0], Sl = cases[c][1], Al = cases[c][2];
        at_model a = at_model_random(600 + c, 2, 2, Sl, Al, k, 0.9);
        double *pig = at_policy_random(700 + c, a.Sg * a.C, a.Ag);
        marl_alt_model m = to_model(&a);
        marl_alt_chain *w = NULL;
        ck_assert_int_eq(marl_alt_chain_new(&w, &m, NULL, "test"), MARL_OK);
        double *out = malloc(Sl * a.Sg * Al * sizeof(double));
        marl_alt_chain_info info;
        marl_alt_chain_solve(w, pig, 0.0, out, &info);
        ck_assert_uint_eq(info.policies, ipow(Al, Sl * a.Sg));
        double best = brute_best(&a, pig);
        ck_assert_double_eq_tol(info.value, best, 1e-10);
        ck_assert_double_eq_tol(macro_J(&a, pig, out, NULL), best, 1e-10);
        for (size_t i = 0; i < Sl * a.Sg * Al; ++i)
            ck_assert(out[i] == 0.0 || out[i] == 1.0);
        /* the unconstrained optimum of the chained MDP (exact policy
         * iteration) against value iteration on the brute-force table */
        bf_chain b = bf_build(&a, pig);
        double vi = bf_optimum(&a, &b);
        size_t its = 0;
        double bound = marl_alt_chain_bound(w, &its);
        ck_assert_uint_ge(its, 1);
        ck_assert_double_eq_tol(bound, vi, 1e-9);
        ck_assert(bound >= info.value - 1e-12);
        if (k == 1) {
            /* the class optimum is the optimum over ALL policies */
            ck_assert_double_eq_tol(info.value, mdp_k1_optimum(&a, pig), 1e-9);
            ck_assert_double_eq_tol(bound, info.value, 1e-9);
        }
        /* random stochastic local policies never beat the optimum (k = 1)
         * or the bound (any k) */
        for (uint64_t r = 0; r < 20; ++r) {
            double *pol = at_policy_random(800 + r, Sl * a.Sg, Al);
            double J = macro_J(&a, pig, pol, NULL);
            ck_assert(J <= bound + 1e-12);
            if (k == 1) ck_assert(J <= info.value + 1e-12);
            free(pol);
        }
        bf_free(&b);
        free(out);
        marl_alt_chain_free(w);
        free(pig);
        at_model_free(&a);
    }
}
END_TEST

START_TEST(test_softmax) {
    at_model a = at_model_random(900, 2, 2, 2, 3, 2, 0.9);
    double *pig = at_policy_random(901, a.Sg * a.C, a.Ag);
    marl_alt_model m = to_model(&a);
    marl_alt_chain *w = NULL;
    ck_assert_int_eq(marl_alt_chain_new(&w, &m, NULL, "test"), MARL_OK);
    size_t R = a.Sl * a.Sg;
    double *g0 = malloc(R * a.Al * sizeof(double));
    double *sm = malloc(R * a.Al * sizeof(double));
    double *pol = malloc(R * a.Al * sizeof(double));
    marl_alt_chain_info i0, i1;
    marl_alt_chain_solve(w, pig, 0.0, g0, &i0);
    const double tau = 0.05;
    marl_alt_chain_solve(w, pig, tau, sm, &i1);
    ck_assert_double_eq(i0.value, i1.value);
    size_t d[16];
    for (size_t o = 0; o < R; ++o)
        for (size_t x = 0; x < a.Al; ++x)
            if (g0[o * a.Al + x] == 1.0) d[o] = x;
    for (size_t o = 0; o < R; ++o) {
        double Jd[3], mx = -HUGE_VAL, z = 0.0;
        for (size_t x = 0; x < a.Al; ++x) {
            size_t e[16];
            memcpy(e, d, sizeof e);
            e[o] = x;
            onehot(&a, e, pol);
            Jd[x] = macro_J(&a, pig, pol, NULL);
            if (Jd[x] > mx) mx = Jd[x];
        }
        ck_assert_double_eq_tol(Jd[d[o]], mx, 1e-12);
        for (size_t x = 0; x < a.Al; ++x) z += exp((Jd[x] - mx) / tau);
        for (size_t x = 0; x < a.Al; ++x)
            ck_assert_double_eq_tol(sm[o * a.Al + x],
                                    exp((Jd[x] - mx) / tau) / z, 1e-9);
    }
    free(g0);
    free(sm);
    free(pol);
    marl_alt_chain_free(w);
    free(pig);
    at_model_free(&a);
}
END_TEST

/* pi_g ignores the counts: the replicas decouple and the chained best
 * response is the mean-field surrogate's (p-bar = pi_g). */
START_TEST(test_meanfield_special_case) {
    for (size_t k = 1; k <= 3; ++k)
        for (uint64_t seed = 0; seed < 3; ++seed) {
            at_model a = at_model_random(1000 + 10 * k + seed, 2, 3, 2, 2, k,
                                         0.9);
            double *row = at_policy_random(1100 + seed, a.Sg, a.Ag);
            double *pig = malloc(a.Sg * a.C * a.Ag * sizeof(double));
            for (size_t g = 0; g < a.Sg; ++g)
                for (size_t r = 0; r < a.C; ++r)
                    memcpy(pig + (g * a.C + r) * a.Ag, row + g * a.Ag,
                           a.Ag * sizeof(double));
            double *pil = at_policy_random(1200 + seed, a.Sl * a.Sg, a.Al);
            marl_alt_model m = to_model(&a);
            marl_alt_chain *w = NULL;
            marl_alt_llearn *ll = NULL;
            ck_assert_int_eq(marl_alt_chain_new(&w, &m, NULL, "test"), MARL_OK);
            ck_assert_int_eq(marl_alt_llearn_new(&ll, &m, "test"), MARL_OK);
            size_t n = a.Sl * a.Sg * a.Al;
            double *o1 = malloc(n * sizeof(double)), *o2 = malloc(n * sizeof(double));
            marl_alt_chain_info ci;
            marl_alt_chain_solve(w, pig, 0.0, o1, &ci);
            marl_alt_llearn_opts lo = {0, 1000, 1e-14, 1e-13, 1000000, 0.0};
            marl_alt_llearn_info li;
            marl_alt_llearn_run(ll, &m, &lo, pig, pil, o2, &li);
            for (size_t i = 0; i < n; ++i) ck_assert_double_eq(o1[i], o2[i]);
            ck_assert_double_eq_tol(ci.value, li.value, 1e-9);
            free(o1);
            free(o2);
            free(pil);
            free(pig);
            free(row);
            marl_alt_llearn_free(ll);
            marl_alt_chain_free(w);
            at_model_free(&a);
        }
}
END_TEST

/* History entry (row, column). */
static double hv(const marl_solver *s, size_t row, size_t col) {
    double v[64];
    ck_assert_uint_le(marl_solver_metric_count(s), 64);
    ck_assert_int_eq(marl_solver_history_row(s, row, v), MARL_OK);
    return v[col];
}

static marl_solver *chained_solver(const marl_solver_type *t, marl_game *g,
                                   size_t k) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, t, g), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "k", (long long)k), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "llearn", "chained"), MARL_OK);
    return s;
}

START_TEST(test_llearn_solver) {
    at_model a = at_model_random(1300, 2, 2, 2, 2, 2, 0.9);
    marl_game *g = ag_game(&a, 5);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 2), MARL_OK);
    ag_policy_random(p, &a, 1301);
    double *pig = malloc(a.Sg * a.C * a.Ag * sizeof(double));
    for (size_t s = 0; s < a.Sg; ++s)
        for (size_t r = 0; r < a.C; ++r)
            marl_gl_policy_global_row(p, s, r, pig + (s * a.C + r) * a.Ag);
    for (int pass = 0; pass < 2; ++pass) {
        double tau = pass ? 0.2 : 0.0;
        marl_solver *s = chained_solver(&marl_solver_alternating_llearn, g, 2);
        ck_assert_int_eq(marl_solver_set_real(s, "temperature", tau), MARL_OK);
        ck_assert_int_eq(marl_alternating_set_policy(s, p), MARL_OK);
        ck_assert_int_ge(marl_solver_step(s), 0);
        marl_alt_model m = to_model(&a);
        marl_alt_chain *w = NULL;
        ck_assert_int_eq(marl_alt_chain_new(&w, &m, NULL, "test"), MARL_OK);
        double out[8], row[2];
        marl_alt_chain_info ci;
        marl_alt_chain_solve(w, pig, tau, out, &ci);
        const marl_gl_policy *q = marl_alternating_policy(s);
        for (size_t j = 0; j < a.Sl; ++j)
            for (size_t gs = 0; gs < a.Sg; ++gs) {
                marl_gl_policy_local_row(q, j, gs, row);
                for (size_t x = 0; x < a.Al; ++x)
                    ck_assert_double_eq(row[x], out[(j * a.Sg + gs) * 2 + x]);
            }
        size_t cv = 0, cw = 0, r0 = marl_solver_history_length(s) - 1;
        ck_assert_int_eq(marl_solver_metric_index(s, "value", &cv), MARL_OK);
        ck_assert_int_eq(marl_solver_metric_index(s, "sweeps", &cw), MARL_OK);
        ck_assert_double_eq(hv(s, r0, cv), ci.value);
        ck_assert_double_eq(hv(s, r0, cw), 16.0); /* 2^(2*2) policies */
        /* the response depends on pi_g only: a second step changes nothing */
        ck_assert_int_eq(marl_solver_step(s), MARL_CONVERGED);
        marl_alt_chain_free(w);
        marl_solver_free(s);
    }
    free(pig);
    marl_gl_policy_free(p);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

START_TEST(test_marl_loop) {
    at_model a = at_model_random(1400, 2, 2, 2, 2, 2, 0.9);
    marl_game *g = ag_game(&a, 3);
    marl_solver *s = chained_solver(&marl_solver_alternating_marl, g, 2);
    ck_assert_int_eq(marl_solver_set_string(s, "evaluation", "exact"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "glearn_estimator", "exact"),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "epsilon", 0.0), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "eval_horizon", 60), MARL_OK);
    /* the first proposal: the chained response to the uniform pi_g */
    ck_assert_int_ge(marl_solver_step(s), 0);
    size_t cd = 0, cs = 0, co = 0, cn = 0, cdone = 0;
    ck_assert_int_eq(marl_solver_metric_index(s, "decision", &cd), MARL_OK);
    ck_assert_int_eq(marl_solver_metric_index(s, "side", &cs), MARL_OK);
    ck_assert_int_eq(marl_solver_metric_index(s, "value_old", &co), MARL_OK);
    ck_assert_int_eq(marl_solver_metric_index(s, "value_new", &cn), MARL_OK);
    ck_assert_int_eq(marl_solver_metric_index(s, "done", &cdone), MARL_OK);
    ck_assert_double_eq(hv(s, 0, cs), 0.0);
    ck_assert_double_eq(hv(s, 0, cd), 1.0);
    double pig[2 * 3 * 2], out[8], row[2];
    for (size_t i = 0; i < 12; ++i) pig[i] = 0.5;
    marl_alt_model m = to_model(&a);
    marl_alt_chain *w = NULL;
    ck_assert_int_eq(marl_alt_chain_new(&w, &m, NULL, "test"), MARL_OK);
    marl_alt_chain_info ci;
    marl_alt_chain_solve(w, pig, 0.0, out, &ci);
    const marl_gl_policy *q = marl_alternating_policy(s);
    for (size_t j = 0; j < 2; ++j)
        for (size_t gs = 0; gs < 2; ++gs) {
            marl_gl_policy_local_row(q, j, gs, row);
            for (size_t x = 0; x < 2; ++x)
                ck_assert_double_eq(row[x], out[(j * 2 + gs) * 2 + x]);
        }
    /* run to the end: accepted proposals raise the value */
    int rc = MARL_OK;
    for (int i = 0; i < 40 && rc == MARL_OK; ++i) rc = marl_solver_step(s);
    ck_assert_int_eq(rc, MARL_CONVERGED);
    size_t rows = marl_solver_history_length(s);
    for (size_t r = 0; r < rows; ++r) {
        double dec = hv(s, r, cd);
        if (dec == 1.0)
            ck_assert(hv(s, r, cn) >
                      hv(s, r, co));
    }
    ck_assert_double_ne(hv(s, rows - 1, cdone), 0.0);
    marl_alt_chain_free(w);
    marl_solver_free(s);
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

START_TEST(test_errors_and_limits) {
    at_model a = at_model_random(1500, 2, 2, 2, 2, 1, 0.9);
    marl_game *g = ag_game(&a, 20);
    const marl_solver_type *types[2] = {&marl_solver_alternating_llearn,
                                        &marl_solver_alternating_marl};
    for (size_t t = 0; t < 2; ++t) {
        marl_solver *s = NULL;
        ck_assert_int_eq(marl_solver_new(&s, types[t], g), MARL_OK);
        ck_assert_int_eq(marl_solver_set_string(s, "llearn", "chain"),
                         MARL_EINVAL);
        ck_assert_int_eq(marl_solver_set_string(s, "llearn", "meanfield"),
                         MARL_OK);
        marl_solver_free(s);
        /* k = 9: 2^9 * 2 * (1 + 8 * 2) = 17408 chained states > 1024 */
        s = chained_solver(types[t], g, 9);
        ck_assert_int_eq(marl_solver_step(s), MARL_ERANGE);
        ck_assert_ptr_nonnull(strstr(marl_last_error(), "chained states"));
        ck_assert_ptr_nonnull(strstr(marl_last_error(), "k = 9"));
        ck_assert_uint_eq(marl_solver_iterations(s), 0);
        marl_solver_free(s);
    }
    /* too many local policies: 4^16 on 16 states */
    at_model b = at_model_random(1501, 4, 2, 4, 4, 1, 0.9);
    marl_game *gb = ag_game(&b, 2);
    marl_solver *s = chained_solver(&marl_solver_alternating_llearn, gb, 1);
    ck_assert_int_eq(marl_solver_step(s), MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "4^16"));
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "work limit"));
    marl_solver_free(s);
    marl_game_unref(gb);
    marl_game_unref(g);
    at_model_free(&a);
    at_model_free(&b);
}
END_TEST

START_TEST(test_alloc_failures) {
    at_model a = at_model_random(1600, 2, 2, 2, 2, 2, 0.9);
    marl_game *g = ag_game(&a, 3);
    const marl_solver_type *types[2] = {&marl_solver_alternating_llearn,
                                        &marl_solver_alternating_marl};
    for (size_t t = 0; t < 2; ++t) {
        marl_solver *s = chained_solver(types[t], g, 2);
        if (t == 1) {
            ck_assert_int_eq(marl_solver_set_string(s, "evaluation", "exact"),
                             MARL_OK);
            ck_assert_int_eq(marl_solver_set_int(s, "eval_horizon", 10),
                             MARL_OK);
            ck_assert_int_eq(marl_solver_set_int(s, "glearn_max_sweeps", 20),
                             MARL_OK);
            ck_assert_int_eq(marl_solver_set_real(s, "epsilon", 0.0), MARL_OK);
        }
        FAILALLOC_SWEEP(marl_solver_step(s), marl_solver_reset(s));
        ck_assert_int_ge(marl_solver_step(s), 0);
        alt_sweep_later_step(s);
        marl_solver_free(s);
    }
    marl_game_unref(g);
    at_model_free(&a);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("alternating-chained");
    TCase *tc = tcase_create("chained");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_construction);
    tcase_add_test(tc, test_values_macro);
    tcase_add_test(tc, test_exact_optimum);
    tcase_add_test(tc, test_softmax);
    tcase_add_test(tc, test_meanfield_special_case);
    tcase_add_test(tc, test_llearn_solver);
    tcase_add_test(tc, test_marl_loop);
    tcase_add_test(tc, test_errors_and_limits);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
