/*
 * The closed-form Symm-PMD step (seed 001 Alg. 2 line 5) against a numeric
 * maximisation of the seed's objective, uniform mixing, and the
 * simulator's one-uniform alias tables (exact probabilities, zeros never
 * drawn).
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "splitmix.h"

#include "solvers/meanfield/learning/learn_common.h"

#include <math.h>

/* f(u) = xi/(1 - tau xi) (q.u + tau H(u)) - KL(u | p). */
static double objective(const double *u, const double *q, const double *p,
                        size_t A, double tau, double xi) {
    double c = xi / (1.0 - tau * xi), lin = 0.0, ent = 0.0, kl = 0.0;
    for (size_t a = 0; a < A; ++a) {
        lin += q[a] * u[a];
        if (u[a] > 0) {
            ent -= u[a] * log(u[a]);
            kl += u[a] * log(u[a] / p[a]);
        }
    }
    return c * (lin + tau * ent) - kl;
}

/* Numeric maximisation: gradient ascent on softmax parameters. */
static void maximise(const double *q, const double *p, size_t A, double tau,
                     double xi, double *u) {
    double th[8] = {0}, g[8];
    double c = xi / (1.0 - tau * xi);
    double lr = 0.5 / (1.0 + c * (1.0 + tau));
    for (int it = 0; it < 400000; ++it) {
        double mx = th[0], z = 0.0;
        for (size_t a = 1; a < A; ++a) mx = th[a] > mx ? th[a] : mx;
        for (size_t a = 0; a < A; ++a) z += exp(th[a] - mx);
        for (size_t a = 0; a < A; ++a) u[a] = exp(th[a] - mx) / z;
        double ug = 0.0;
        for (size_t a = 0; a < A; ++a) {
            g[a] = c * (q[a] - tau * (log(u[a]) + 1.0)) -
                   (log(u[a] / p[a]) + 1.0);
            ug += u[a] * g[a];
        }
        double step = 0.0;
        for (size_t a = 0; a < A; ++a) {
            double d = u[a] * (g[a] - ug);
            th[a] += lr * d / (u[a] > 1e-3 ? u[a] : 1e-3);
            step += fabs(d);
        }
        if (step < 1e-15) break;
    }
}

START_TEST(closed_form_vs_numeric) {
    sm_rng r = {12345};
    for (int trial = 0; trial < 60; ++trial) {
        size_t A = 2 + (size_t)(sm_unif(&r) * 4.0); /* 2..5 */
        double p[8], lp[8], q[8], lo[8], u[8], un[8], s = 0.0;
        for (size_t a = 0; a < A; ++a) s += (p[a] = 0.05 + sm_unif(&r));
        for (size_t a = 0; a < A; ++a) {
            p[a] /= s;
            lp[a] = log(p[a]);
            q[a] = 4.0 * sm_unif(&r) - 2.0;
        }
        double tau = trial % 5 == 0 ? 0.0 : 0.5 * sm_unif(&r);
        double ximax = tau > 0 ? fmin(2.0, 0.95 / tau) : 2.0;
        double xi = 0.05 + (ximax - 0.05) * sm_unif(&r);
        ck_assert_int_eq(marl_mf_pmd_row(lp, q, A, tau, xi, lo, u), 0);
        maximise(q, p, A, tau, xi, un);
        double su = 0.0;
        for (size_t a = 0; a < A; ++a) {
            su += u[a];
            ck_assert_msg(fabs(u[a] - un[a]) < 1e-6,
                          "trial %d action %zu: closed %.12g numeric %.12g",
                          trial, a, u[a], un[a]);
            ck_assert(fabs(lo[a] - log(u[a])) < 1e-12);
        }
        ck_assert(fabs(su - 1.0) < 1e-12);
        ck_assert(objective(u, q, p, A, tau, xi) >=
                  objective(un, q, p, A, tau, xi) - 1e-12);
    }
}
END_TEST

START_TEST(closed_form_extremes) {
    /* Large advantages: log space keeps the row finite. */
    double lp[3] = {log(0.2), log(0.3), log(0.5)}, q[3] = {1e4, -1e4, 0};
    double lo[3], u[3];
    ck_assert_int_eq(marl_mf_pmd_row(lp, q, 3, 0.1, 1.0, lo, u), 0);
    ck_assert(fabs(u[0] - 1.0) < 1e-12 && u[1] < 1e-300);
    /* A zero of the old policy stays zero. */
    double lz[2] = {-INFINITY, 0.0}, q2[2] = {5, 0}, lo2[2], u2[2];
    ck_assert_int_eq(marl_mf_pmd_row(lz, q2, 2, 0.0, 1.0, lo2, u2), 0);
    ck_assert(u2[0] == 0.0 && u2[1] == 1.0);
    /* No finite entry: failure. */
    double li[2] = {-INFINITY, -INFINITY};
    ck_assert_int_eq(marl_mf_pmd_row(li, q2, 2, 0.0, 1.0, lo2, u2), -1);
    /* tau = 0, xi = 1: exactly exponential weights. */
    double lp3[2] = {log(0.25), log(0.75)}, q3[2] = {1.0, 0.0};
    ck_assert_int_eq(marl_mf_pmd_row(lp3, q3, 2, 0.0, 1.0, lo2, u2), 0);
    double z = 0.25 * exp(1.0) + 0.75;
    ck_assert(fabs(u2[0] - 0.25 * exp(1.0) / z) < 1e-15);
}
END_TEST

START_TEST(mixing) {
    double p[3] = {1.0, 0.0, 0.0}, lp[3];
    marl_mf_mix_row(p, lp, 3, 0.5);
    ck_assert(fabs(p[0] - (0.5 + 0.5 / 3)) < 1e-15);
    ck_assert(fabs(p[1] - 0.5 / 3) < 1e-15 && fabs(lp[1] - log(0.5 / 3)) <
              1e-15);
}
END_TEST

/* Probability that the one-uniform draw returns k: column k kept with
 * prob[k], plus the alias share of every column pointing at k. */
static void implied(const double *prob, const uint32_t *alias, size_t n,
                    double *out) {
    for (size_t k = 0; k < n; ++k) out[k] = 0.0;
    for (size_t j = 0; j < n; ++j) {
        double keep = prob[j] > 1.0 ? 1.0 : prob[j];
        out[j] += keep / (double)n;
        out[alias[j]] += (1.0 - keep) / (double)n;
    }
}

START_TEST(alias_tables) {
    sm_rng r = {777};
    for (int trial = 0; trial < 200; ++trial) {
        size_t n = 1 + (size_t)(sm_unif(&r) * 9.0);
        double p[10], prob[10], got[10], s = 0.0;
        uint32_t al[10];
        size_t work[20];
        for (size_t k = 0; k < n; ++k) {
            p[k] = sm_unif(&r) < 0.3 ? 0.0 : sm_unif(&r);
            s += p[k];
        }
        if (s == 0.0) p[0] = s = 1.0;
        for (size_t k = 0; k < n; ++k) p[k] /= s;
        marl_pop_alias_build(p, n, prob, al, work);
        implied(prob, al, n, got);
        for (size_t k = 0; k < n; ++k) {
            ck_assert_msg(fabs(got[k] - p[k]) < 1e-12,
                          "trial %d entry %zu: %g vs %g", trial, k, got[k],
                          p[k]);
            if (p[k] == 0.0) {
                ck_assert(prob[k] == 0.0);
                ck_assert(p[al[k]] > 0.0);
            }
        }
    }
    /* Draws: empirical frequencies within 5 sigma. */
    double p[4] = {0.1, 0.0, 0.6, 0.3}, prob[4];
    uint32_t al[4];
    size_t work[8], hits[4] = {0};
    marl_pop_alias_build(p, 4, prob, al, work);
    marl_rng *g = NULL;
    ck_assert_int_eq(marl_rng_new(&g, 5), MARL_OK);
    const size_t n = 200000;
    for (size_t t = 0; t < n; ++t)
        hits[marl_pop_alias_draw(prob, al, 4, g)]++;
    marl_rng_free(g);
    ck_assert_uint_eq(hits[1], 0);
    for (int k = 0; k < 4; ++k) {
        double f = (double)hits[k] / n, sd = sqrt(p[k] * (1 - p[k]) / n);
        ck_assert(fabs(f - p[k]) <= 5 * sd + 1e-12);
    }
}
END_TEST

int main(void) {
    Suite *s = suite_create("meanfield-pmd-step");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, closed_form_vs_numeric);
    tcase_add_test(tc, closed_form_extremes);
    tcase_add_test(tc, mixing);
    tcase_add_test(tc, alias_tables);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
