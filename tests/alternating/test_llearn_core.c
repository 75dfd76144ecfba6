/*
 * L-LEARN's mean-field machinery over raw tables against independent
 * computations: the global-action law against enumeration of ordered
 * k-tuples; the flow-averaged and stationary surrogate laws against a
 * brute-force flow; the surrogate MDP's value-iteration optimum against
 * exhaustive search over all deterministic local policies (each evaluated
 * by a linear solve); the softmax output; the mean-field joint value.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>

#include "alttest.h"
#include "check_main.h"
#include "solvers/alternating/loop/llearn_core.h"

static marl_alt_model to_model(const at_model *a) {
    marl_alt_model m = {a->Sg, a->Ag, a->Sl, a->Al, a->k, a->C, a->gamma,
                        a->Pg, a->rg, a->Pl, a->rl, a->rho_g, a->mu0};
    return m;
}

START_TEST(test_action_law) {
    at_model a = at_model_random(11, 2, 3, 3, 2, 3, 0.9);
    marl_alt_model m = to_model(&a);
    double *pig = at_policy_random(12, a.Sg * a.C, a.Ag);
    marl_alt_flow *f = NULL;
    ck_assert_int_eq(marl_alt_flow_new(&f, &m, "test"), MARL_OK);
    const double mus[3][3] = {{0.2, 0.5, 0.3}, {0.0, 0.4, 0.6},
                              {1.0, 0.0, 0.0}};
    for (size_t t = 0; t < 3; ++t)
        for (size_t g = 0; g < a.Sg; ++g) {
            double p1[3], p2[3];
            marl_alt_flow_action_law(f, pig, g, mus[t], p1);
            at_action_law(&a, pig, g, mus[t], p2);
            double s = 0.0;
            for (size_t x = 0; x < a.Ag; ++x) {
                ck_assert_double_eq_tol(p1[x], p2[x], 1e-14);
                s += p1[x];
            }
            ck_assert_double_eq_tol(s, 1.0, 1e-13);
            /* the iterator path (used when the count-vector table would
             * be too large) gives the same law */
            unsigned short *vec = f->vec;
            ck_assert_ptr_nonnull(vec);
            f->vec = NULL;
            double p3[3];
            marl_alt_flow_action_law(f, pig, g, mus[t], p3);
            f->vec = vec;
            for (size_t x = 0; x < a.Ag; ++x)
                ck_assert_double_eq_tol(p3[x], p2[x], 1e-14);
        }
    marl_alt_flow_free(f);
    free(pig);
    at_model_free(&a);
}
END_TEST

/* Large k (2000 agents on 2 states): the multinomial coefficients overflow
 * a double, so the law is computed in logarithms; against the binomial
 * pmf by its ratio recurrence in logs (rank of (c_0, c_1) = c_0). */
START_TEST(test_action_law_large_k) {
    const size_t k = 2000, C = k + 1;
    double Pg[2] = {1, 1}, rg[2] = {0, 0}, Pl[8], rl[4], rho[1] = {1},
           mu0[2] = {0.5, 0.5};
    for (size_t i = 0; i < 4; ++i) {
        rl[i] = 0.0;
        Pl[2 * i] = Pl[2 * i + 1] = 0.5;
    }
    marl_alt_model m = {1, 2, 2, 2, k, C, 0.9, Pg, rg, Pl, rl, rho, mu0};
    double *pig = at_policy_random(91, C, 2);
    marl_alt_flow *f = NULL;
    ck_assert_int_eq(marl_alt_flow_new(&f, &m, "test"), MARL_OK);
    ck_assert_int_eq(f->logmode, 1);
    const double mus[3][2] = {{0.3, 0.7}, {0.999, 0.001}, {0.0, 1.0}};
    for (size_t t = 0; t < 3; ++t) {
        double out[2], ref[2] = {0, 0};
        marl_alt_flow_action_law(f, pig, 0, mus[t], out);
        if (mus[t][0] == 0.0) {
            ref[0] = pig[0];
            ref[1] = pig[1];
        } else {
            double lp = (double)k * log(mus[t][1]);
            const double lr = log(mus[t][0] / mus[t][1]);
            for (size_t c0 = 0; c0 <= k; ++c0) {
                for (size_t a = 0; a < 2; ++a) ref[a] += exp(lp) * pig[c0 * 2 + a];
                lp += log((double)(k - c0) / (double)(c0 + 1)) + lr;
            }
        }
        ck_assert_double_eq_tol(out[0], ref[0], 1e-10);
        ck_assert_double_eq_tol(out[1], ref[1], 1e-10);
        ck_assert_double_eq_tol(out[0] + out[1], 1.0, 1e-10);
    }
    marl_alt_flow_free(f);
    free(pig);
}
END_TEST

/* Independent pbar: the brute-force flow with the documented stopping
 * rule and tail. */
static void indep_pbar(const at_model *a, const double *pig,
                       const double *pil, int population, size_t horizon,
                       double tol, double *pbar) {
    size_t n = a->Sg * a->Sl;
    double *nu = malloc(n * sizeof(double)), *nu2 = malloc(n * sizeof(double));
    double *pt = malloc(a->Sg * a->Ag * sizeof(double));
    double *W = calloc(a->Sg, sizeof(double));
    for (size_t g = 0; g < a->Sg; ++g)
        for (size_t j = 0; j < a->Sl; ++j)
            nu[g * a->Sl + j] = a->rho_g[g] * a->mu0[j];
    for (size_t i = 0; i < a->Sg * a->Ag; ++i) pbar[i] = 0.0;
    double gt = 1.0, res = 0.0;
    for (size_t t = 0;; ++t) {
        at_flow_step(a, pig, pil, nu, nu2, pt); /* pt = p_t from nu_t */
        int last = t == horizon || (t > 0 && res <= tol);
        if (population == 1 && last) {
            memcpy(pbar, pt, a->Sg * a->Ag * sizeof(double));
            break;
        }
        if (population == 0) {
            double wt = last ? gt / (1 - a->gamma) : gt;
            for (size_t g = 0; g < a->Sg; ++g) {
                double w = 0.0;
                for (size_t j = 0; j < a->Sl; ++j) w += nu[g * a->Sl + j];
                W[g] += wt * w;
                for (size_t x = 0; x < a->Ag; ++x)
                    pbar[g * a->Ag + x] += wt * w * pt[g * a->Ag + x];
            }
            if (last) break;
        }
        res = 0.0;
        for (size_t i = 0; i < n; ++i) res += fabs(nu2[i] - nu[i]);
        memcpy(nu, nu2, n * sizeof(double));
        gt *= a->gamma;
    }
    if (population == 0)
        for (size_t g = 0; g < a->Sg; ++g)
            for (size_t x = 0; x < a->Ag; ++x) pbar[g * a->Ag + x] /= W[g];
    free(nu);
    free(nu2);
    free(pt);
    free(W);
}

START_TEST(test_surrogate_law) {
    at_model a = at_model_random(21, 3, 2, 2, 3, 2, 0.8);
    marl_alt_model m = to_model(&a);
    double *pig = at_policy_random(22, a.Sg * a.C, a.Ag);
    double *pil = at_policy_random(23, a.Sl * a.Sg, a.Al);
    marl_alt_flow *f = NULL;
    ck_assert_int_eq(marl_alt_flow_new(&f, &m, "test"), MARL_OK);
    marl_alt_flow_marginalise(f, &m, pil);
    const size_t horizons[3] = {0, 7, 500};
    for (int pop = 0; pop <= 1; ++pop)
        for (size_t h = 0; h < 3; ++h) {
            double p1[6], p2[6], res;
            size_t steps;
            double tol = h == 2 ? 1e-13 : 0.0;
            marl_alt_flow_surrogate(f, &m, pig, pop, horizons[h], tol, p1,
                                    &steps, &res);
            indep_pbar(&a, pig, pil, pop, horizons[h], tol, p2);
            if (h < 2) ck_assert_uint_eq(steps, horizons[h]);
            if (h == 2) {
                ck_assert_uint_lt(steps, 500); /* contracts: converges */
                ck_assert_double_le(res, 1e-13);
            }
            for (size_t i = 0; i < 6; ++i)
                ck_assert_double_eq_tol(p1[i], p2[i], 1e-12);
        }
    marl_alt_flow_free(f);
    free(pig);
    free(pil);
    at_model_free(&a);
}
END_TEST

/* Exact value of a local policy `pol` on the surrogate MDP with law pbar
 * (linear solve over (s_l, s_g)). */
static void surrogate_eval(const at_model *a, const double *pbar,
                           const double *pol, double *V) {
    size_t Sg = a->Sg, Sl = a->Sl, n = Sl * Sg;
    double *A = calloc(n * n, sizeof(double));
    for (size_t j = 0; j < Sl; ++j)
        for (size_t g = 0; g < Sg; ++g) {
            size_t s = j * Sg + g;
            double r = 0.0;
            A[s * n + s] += 1.0;
            for (size_t al = 0; al < a->Al; ++al) {
                double w = pol[s * a->Al + al];
                r += w * a->rl[s * a->Al + al];
                for (size_t ag = 0; ag < a->Ag; ++ag) {
                    double q = pbar[g * a->Ag + ag];
                    r += w * q * a->rg[g * a->Ag + ag];
                    for (size_t j2 = 0; j2 < Sl; ++j2)
                        for (size_t g2 = 0; g2 < Sg; ++g2)
                            A[s * n + j2 * Sg + g2] -=
                                a->gamma * w * q *
                                a->Pl[(s * a->Al + al) * Sl + j2] *
                                a->Pg[(g * a->Ag + ag) * Sg + g2];
                }
            }
            V[s] = r;
        }
    at_solve(A, V, n);
    free(A);
}

START_TEST(test_best_response_brute_force) {
    for (uint64_t seed = 31; seed < 36; ++seed) {
        at_model a = at_model_random(seed, 2, 2, 2, 2, 2, 0.9);
        marl_alt_model m = to_model(&a);
        double *pig = at_policy_random(seed + 100, a.Sg * a.C, a.Ag);
        double *pil = at_policy_random(seed + 200, a.Sl * a.Sg, a.Al);
        marl_alt_llearn *w = NULL;
        ck_assert_int_eq(marl_alt_llearn_new(&w, &m, "test"), MARL_OK);
        marl_alt_llearn_opts o = {0, 1000, 1e-14, 1e-12, 100000, 0.0};
        double out[8], outs[8], pbar[4];
        marl_alt_llearn_info info;
        marl_alt_llearn_run(w, &m, &o, pig, pil, out, &info);
        ck_assert_double_le(info.residual, 1e-12);
        indep_pbar(&a, pig, pil, 0, 1000, 1e-14, pbar);
        /* exhaustive search over the 2^4 deterministic local policies */
        double best[4] = {-HUGE_VAL, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
        for (unsigned code = 0; code < 16; ++code) {
            double pol[8], V[4];
            for (size_t s = 0; s < 4; ++s) {
                pol[2 * s] = (code >> s) & 1u ? 0.0 : 1.0;
                pol[2 * s + 1] = 1.0 - pol[2 * s];
            }
            surrogate_eval(&a, pbar, pol, V);
            for (size_t s = 0; s < 4; ++s)
                if (V[s] > best[s]) best[s] = V[s];
        }
        double Vo[4];
        surrogate_eval(&a, pbar, out, Vo);
        double v0 = 0.0;
        for (size_t s = 0; s < 4; ++s) {
            ck_assert_double_eq_tol(Vo[s], best[s], 1e-9);
            ck_assert_double_eq_tol(w->V[s], best[s], 1e-9);
            v0 += a.rho_g[s % 2] * a.mu0[s / 2] * best[s];
        }
        ck_assert_double_eq_tol(info.value, v0, 1e-9);
        /* softmax output: exp(Q_star / tau) / Z, Q_star from V_star */
        o.temperature = 0.5;
        marl_alt_llearn_run(w, &m, &o, pig, pil, outs, &info);
        for (size_t s = 0; s < 4; ++s) {
            size_t g = s % 2;
            double q[2];
            for (size_t al = 0; al < 2; ++al) {
                q[al] = a.rl[s * 2 + al];
                for (size_t ag = 0; ag < 2; ++ag) {
                    double p = pbar[g * 2 + ag];
                    q[al] += p * a.rg[g * 2 + ag];
                    for (size_t j2 = 0; j2 < 2; ++j2)
                        for (size_t g2 = 0; g2 < 2; ++g2)
                            q[al] += a.gamma * p *
                                     a.Pl[(s * 2 + al) * 2 + j2] *
                                     a.Pg[(g * 2 + ag) * 2 + g2] *
                                     best[j2 * 2 + g2];
                }
            }
            double e0 = exp(q[0] / 0.5), e1 = exp(q[1] / 0.5);
            ck_assert_double_eq_tol(outs[2 * s], e0 / (e0 + e1), 1e-9);
            ck_assert_double_eq_tol(outs[2 * s + 1], e1 / (e0 + e1), 1e-9);
            /* the greedy output is the argmax of Q_star */
            ck_assert_double_eq(out[2 * s + (q[1] > q[0])], 1.0);
        }
        marl_alt_llearn_free(w);
        free(pig);
        free(pil);
        at_model_free(&a);
    }
}
END_TEST

START_TEST(test_flow_value) {
    at_model a = at_model_random(41, 2, 3, 3, 2, 2, 0.9);
    marl_alt_model m = to_model(&a);
    double *pig = at_policy_random(42, a.Sg * a.C, a.Ag);
    double *pil = at_policy_random(43, a.Sl * a.Sg, a.Al);
    marl_alt_flow *f = NULL;
    ck_assert_int_eq(marl_alt_flow_new(&f, &m, "test"), MARL_OK);
    marl_alt_flow_marginalise(f, &m, pil);
    size_t n = a.Sg * a.Sl;
    for (size_t g0 = 0; g0 < a.Sg; ++g0) {
        double v = marl_alt_flow_value(f, &m, pig, g0, 60);
        double *nu = calloc(n, sizeof(double)), *nu2 = calloc(n, sizeof(double));
        double pt[6], ref = 0.0, gt = 1.0;
        for (size_t j = 0; j < a.Sl; ++j) nu[g0 * a.Sl + j] = a.mu0[j];
        for (size_t t = 0; t < 60; ++t) {
            at_flow_step(&a, pig, pil, nu, nu2, pt);
            double r = 0.0;
            for (size_t g = 0; g < a.Sg; ++g)
                for (size_t j = 0; j < a.Sl; ++j) {
                    double w = nu[g * a.Sl + j];
                    for (size_t ag = 0; ag < a.Ag; ++ag)
                        r += w * pt[g * a.Ag + ag] * a.rg[g * a.Ag + ag];
                    for (size_t al = 0; al < a.Al; ++al)
                        r += w * pil[(j * a.Sg + g) * a.Al + al] *
                             a.rl[(j * a.Sg + g) * a.Al + al];
                }
            ref += gt * r;
            gt *= a.gamma;
            memcpy(nu, nu2, n * sizeof(double));
        }
        ck_assert_double_eq_tol(v, ref, 1e-11);
        free(nu);
        free(nu2);
    }
    marl_alt_flow_free(f);
    free(pig);
    free(pil);
    at_model_free(&a);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("alternating-llearn-core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_action_law);
    tcase_add_test(tc, test_action_law_large_k);
    tcase_add_test(tc, test_surrogate_law);
    tcase_add_test(tc, test_best_response_brute_force);
    tcase_add_test(tc, test_flow_value);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
