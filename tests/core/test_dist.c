/* Distribution tests with fixed seeds. Tolerances: means and variances
 * within 5 standard errors (true moments in closed form), chi-square tests
 * at the z = 5 critical value (false alarm ~3e-7 for a correct sampler).
 * SPDX-License-Identifier: MIT */
#include <check.h>
#include "check_main.h"
#include <marlgame/rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng_impl.h"
#include "failalloc.h"
#include "stats.h"

static marl_rng *new_rng(uint64_t seed) {
    marl_rng *r = NULL;
    ck_assert_int_eq(marl_rng_new(&r, seed), MARL_OK);
    return r;
}

/* ---- normal --------------------------------------------------------------- */

START_TEST(test_normal) {
    marl_rng *r = new_rng(1);
    moments m = {0};
    const int N = 400000;
    double tail = 0;
    for (int i = 0; i < N; ++i) {
        double z = marl_rng_normal(r);
        QCHECK(isfinite(z));
        mom_add(&m, z);
        tail += fabs(z) > 1.959963984540054;
    }
    ck_assert_msg(mean_ok(&m, 0.0, 1.0, 5.0), "mean %g", m.mean);
    ck_assert_msg(var_ok(&m, 1.0, 3.0, 5.0), "var %g", mom_var(&m));
    /* P(|Z| > 1.96) = 0.05 */
    ck_assert(fabs(tail / N - 0.05) < 5.0 * sqrt(0.05 * 0.95 / N));
    marl_rng_free(r);
}
END_TEST

/* ---- gamma ---------------------------------------------------------------- */

START_TEST(test_gamma_moments) {
    const double shapes[] = {0.05, 0.3, 1.0, 2.5, 50.0};
    marl_rng *r = new_rng(2);
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; ++k) {
        const double a = shapes[k];
        moments m = {0};
        const int N = 200000;
        for (int i = 0; i < N; ++i) {
            double g;
            QCHECK_INT_EQ(marl_rng_gamma(r, a, &g), MARL_OK);
            QCHECK(g >= 0.0 && isfinite(g));
            mom_add(&m, g);
        }
        /* Gamma(a,1): mean a, variance a, fourth central moment 3a^2+6a */
        ck_assert_msg(mean_ok(&m, a, a, 5.0), "shape %g mean %g", a, m.mean);
        ck_assert_msg(var_ok(&m, a, 3 * a * a + 6 * a, 5.0), "shape %g var %g",
                      a, mom_var(&m));
    }
    /* shape 1 is Exp(1): P(X > 1) = 1/e; shape 0.5 is chi2_1/2:
     * P(X > 0.5) = P(|Z| > 1) = 0.31731050786291410 */
    const int N = 200000;
    double c1 = 0, c2 = 0;
    for (int i = 0; i < N; ++i) {
        double g;
        marl_rng_gamma(r, 1.0, &g);
        c1 += g > 1.0;
        marl_rng_gamma(r, 0.5, &g);
        c2 += g > 0.5;
    }
    const double p1 = exp(-1.0), p2 = 0.31731050786291410;
    ck_assert(fabs(c1 / N - p1) < 5 * sqrt(p1 * (1 - p1) / N));
    ck_assert(fabs(c2 / N - p2) < 5 * sqrt(p2 * (1 - p2) / N));
    marl_rng_free(r);
}
END_TEST

START_TEST(test_gamma_errors) {
    marl_rng *r = new_rng(3);
    double g = 7.0;
    ck_assert_int_eq(marl_rng_gamma(NULL, 1.0, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_gamma(r, 1.0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_gamma(r, 0.0, &g), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "shape"));
    ck_assert_int_eq(marl_rng_gamma(r, -1.0, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_gamma(r, NAN, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_gamma(r, INFINITY, &g), MARL_EINVAL);
    ck_assert(g == 7.0);
    marl_rng_free(r);
}
END_TEST

/* ---- binomial ------------------------------------------------------------- */

/* Chi-square of B(n, p) draws against the exact pmf (from lgamma) on the
 * window [lo, hi] = mean -+ 10 sd, with the two tails as extra bins. */
static void binom_chi2(marl_rng *r, uint64_t n, double p, int N) {
    const double nd = (double)n, mu = nd * p, sd = sqrt(nd * p * (1 - p));
    const double lo = fmax(0.0, floor(mu - 10 * sd)), hi = fmin(nd, ceil(mu + 10 * sd));
    const size_t w = (size_t)(hi - lo) + 1; /* bins lo..hi, then 2 tails */
    double *f = calloc(w + 2, sizeof *f), *c = calloc(w + 2, sizeof *c);
    double inside = 0;
    for (size_t i = 0; i < w; ++i) {
        const double k = lo + (double)i;
        f[i] = exp(lgamma(nd + 1) - lgamma(k + 1) - lgamma(nd - k + 1) +
                   k * log(p) + (nd - k) * log1p(-p));
        inside += f[i];
    }
    f[w] = f[w + 1] = (1 - inside) / 2; /* both tails together are < 1e-20 */
    for (int i = 0; i < N; ++i) {
        uint64_t x;
        QCHECK_INT_EQ(marl_rng_binomial(r, n, p, &x), MARL_OK);
        QCHECK_UINT_LE(x, n);
        const double xd = (double)x;
        c[xd < lo ? w : xd > hi ? w + 1 : (size_t)(xd - lo)] += 1;
    }
    double df, stat = chi2_stat(c, f, w + 2, N, &df);
    ck_assert_msg(stat < chi2_crit(df, 5.0), "B(%llu, %g): chi2 %g df %g",
                  (unsigned long long)n, p, stat, df);
    free(f);
    free(c);
}

START_TEST(test_binomial_pmf) {
    marl_rng *r = new_rng(4);
    binom_chi2(r, 20, 0.3, 1000000);      /* inversion (np = 6) */
    binom_chi2(r, 60, 0.9, 1000000);      /* inversion by symmetry */
    binom_chi2(r, 20, 0.5, 1000000);      /* BTRS at its threshold np = 10 */
    binom_chi2(r, 100, 0.4, 1000000);     /* BTRS */
    binom_chi2(r, 1000, 0.03, 1000000);   /* BTRS, skewed */
    binom_chi2(r, 400, 0.75, 1000000);    /* BTRS by symmetry */
    binom_chi2(r, 5000, 0.5, 1000000);    /* BTRS, wide */
    binom_chi2(r, 10000000, 1e-5, 1000000); /* BTRS, large n small p */
    binom_chi2(r, 1000000000, 9e-9, 1000000); /* inversion, huge n */
    marl_rng_free(r);
}
END_TEST

START_TEST(test_binomial_log_ratio) {
    /* The BTRS acceptance test uses log f(k)/f(m) from Stirling's formula;
     * compare it with the exact telescoping sum
     * sum_j log((n-j+1)/j * p/q) over j between m and k. */
    const struct { uint64_t n; double p; } cases[] = {
        {20, 0.5}, {100, 0.4}, {1000, 0.03}, {1000000, 0.5},
        {1000000000, 0.3}, {UINT64_C(12345678901), 1e-6},
        {UINT64_C(1) << 53, 0.25}, {UINT64_C(1) << 53, 1e-12}};
    double worst = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; ++c) {
        const double nd = (double)cases[c].n, p = cases[c].p, q = 1 - p;
        const double m = floor((nd + 1) * p), sd = sqrt(nd * p * q);
        const double T = fmin(10 * sd, 3000);
        for (int dir = -1; dir <= 1; dir += 2) {
            double ref = 0;
            for (double d = 0; d <= T; d += 1) {
                const double k = m + dir * d;
                if (k < 0 || k > nd) break;
                if (d > 0) {
                    /* step from k - dir to k */
                    const double j = dir > 0 ? k : k + 1;
                    const double t = log((nd - j + 1) / j * (p / q));
                    ref += dir > 0 ? t : -t;
                }
                const double got = marl_binomial_log_ratio(cases[c].n, p, (uint64_t)k);
                const double err = fabs(got - ref) / (1 + fabs(ref));
                if (err > worst) worst = err;
                if (err > 1e-10)
                    ck_assert_msg(0, "n %g p %g k %g: %.17g vs %.17g", nd, p, k,
                                  got, ref);
            }
        }
    }
    fprintf(stderr, "binomial log-ratio worst relative error %.3g\n", worst);
}
END_TEST

START_TEST(test_binomial_moments) {
    struct { uint64_t n; double p; } cases[] = {
        {10, 0.5},   {1000, 0.002}, {1000000, 0.5},
        {UINT64_C(1) << 40, 0.3}, {UINT64_C(1) << 53, 0.25},
        {UINT64_C(1) << 53, 1e-15}, /* np = 9: inversion with huge n */
        {UINT64_C(123456789012), 0.999999}};
    marl_rng *r = new_rng(5);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; ++k) {
        const double n = (double)cases[k].n, p = cases[k].p, q = 1 - p;
        const double mu = n * p, var = n * p * q;
        /* fourth central moment of the binomial */
        const double mu4 = n * p * q * (1 + 3 * (n - 2) * p * q);
        moments m = {0};
        const int N = 100000;
        for (int i = 0; i < N; ++i) {
            uint64_t x;
            QCHECK_INT_EQ(marl_rng_binomial(r, cases[k].n, p, &x), MARL_OK);
            QCHECK_UINT_LE(x, cases[k].n);
            mom_add(&m, (double)x - mu); /* centred for precision */
        }
        ck_assert_msg(mean_ok(&m, 0.0, var, 5.0), "B(%g,%g) mean off by %g",
                      n, p, m.mean);
        ck_assert_msg(var_ok(&m, var, mu4, 5.0), "B(%g,%g) var %g vs %g", n,
                      p, mom_var(&m), var);
    }
    marl_rng_free(r);
}
END_TEST

START_TEST(test_binomial_edges) {
    marl_rng *r = new_rng(6);
    uint64_t st[4], st2[4], x;
    marl_rng_get_state(r, st);
    ck_assert_int_eq(marl_rng_binomial(r, 0, 0.5, &x), MARL_OK);
    ck_assert_uint_eq(x, 0);
    ck_assert_int_eq(marl_rng_binomial(r, 50, 0.0, &x), MARL_OK);
    ck_assert_uint_eq(x, 0);
    ck_assert_int_eq(marl_rng_binomial(r, 50, 1.0, &x), MARL_OK);
    ck_assert_uint_eq(x, 50);
    ck_assert_int_eq(marl_rng_binomial(r, UINT64_C(1) << 53, 1.0, &x), MARL_OK);
    ck_assert_uint_eq(x, UINT64_C(1) << 53);
    /* certain results draw nothing */
    marl_rng_get_state(r, st2);
    ck_assert_mem_eq(st, st2, sizeof st);
    /* errors, out untouched */
    x = 77;
    ck_assert_int_eq(marl_rng_binomial(NULL, 5, 0.5, &x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_binomial(r, 5, 0.5, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_binomial(r, 5, -0.1, &x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_binomial(r, 5, 1.5, &x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_binomial(r, 5, NAN, &x), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "p = "));
    ck_assert_int_eq(marl_rng_binomial(r, (UINT64_C(1) << 53) + 1, 0.5, &x),
                     MARL_ERANGE);
    ck_assert_uint_eq(x, 77);
    marl_rng_free(r);
}
END_TEST

/* ---- categorical ---------------------------------------------------------- */

START_TEST(test_categorical) {
    marl_rng *r = new_rng(7);
    const double p[6] = {0.1, 0.0, 0.25, 0.05, 0.6, 0.0};
    double c[6] = {0};
    const int N = 400000;
    for (int i = 0; i < N; ++i) {
        size_t k;
        QCHECK_INT_EQ(marl_rng_categorical(r, p, 6, &k), MARL_OK);
        QCHECK_UINT_LT(k, 6);
        c[k] += 1;
    }
    ck_assert(c[1] == 0 && c[5] == 0);
    double df, stat = chi2_stat(c, p, 6, N, &df);
    ck_assert_msg(stat < chi2_crit(df, 5.0), "chi2 %g", stat);
    /* exactly one uniform per draw: the index follows from that uniform */
    marl_rng *a = new_rng(8), *b = new_rng(8);
    for (int i = 0; i < 1000; ++i) {
        size_t k;
        marl_rng_categorical(a, p, 6, &k);
        double u = marl_rng_uniform(b);
        size_t e = u < 0.1 ? 0 : u < 0.35 ? 2 : u < 0.4 ? 3 : 4;
        /* skip values within rounding of a boundary */
        if (fabs(u - 0.1) > 1e-12 && fabs(u - 0.35) > 1e-12 && fabs(u - 0.4) > 1e-12)
            QCHECK_UINT_EQ(k, e);
    }
    /* a point mass */
    const double pm[4] = {0, 0, 1, 0};
    for (int i = 0; i < 100; ++i) {
        size_t k;
        marl_rng_categorical(r, pm, 4, &k);
        QCHECK_UINT_EQ(k, 2);
    }
    /* the largest uniform never selects a trailing zero entry, also when the
     * vector sums to 1 - 1e-10 (within tolerance) */
    uint64_t inv9 = 9, inv5 = 5;
    for (int k = 0; k < 6; ++k) {
        inv9 *= 2 - 9 * inv9;
        inv5 *= 2 - 5 * inv5;
    }
    uint64_t y = UINT64_MAX * inv9;
    y = (y >> 7) | (y << 57);
    const uint64_t st[4] = {1, y * inv5, 3, 4};
    const double ps[3] = {0.3, 0.7 - 1e-10, 0.0};
    marl_rng_set_state(r, st);
    size_t k = 99;
    ck_assert_int_eq(marl_rng_categorical(r, ps, 3, &k), MARL_OK);
    ck_assert_uint_eq(k, 1);
    marl_rng_free(a);
    marl_rng_free(b);
    marl_rng_free(r);
}
END_TEST

START_TEST(test_categorical_errors) {
    marl_rng *r = new_rng(9);
    const double p[3] = {0.5, 0.5, 0};
    size_t k = 42;
    ck_assert_int_eq(marl_rng_categorical(NULL, p, 3, &k), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_categorical(r, NULL, 3, &k), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_categorical(r, p, 3, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_categorical(r, p, 0, &k), MARL_EINVAL);
    const double bad1[3] = {0.5, 0.48, 0};
    ck_assert_int_eq(marl_rng_categorical(r, bad1, 3, &k), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "sums to 0.97999"));
    const double bad2[3] = {0.5, -0.1, 0.6};
    ck_assert_int_eq(marl_rng_categorical(r, bad2, 3, &k), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "entry 1"));
    const double bad3[3] = {0.5, NAN, 0.5};
    ck_assert_int_eq(marl_rng_categorical(r, bad3, 3, &k), MARL_EINVAL);
    const double bad4[2] = {INFINITY, 0};
    ck_assert_int_eq(marl_rng_categorical(r, bad4, 2, &k), MARL_EINVAL);
    const double off[2] = {0.5, 0.5 + 2e-9};
    ck_assert_int_eq(marl_rng_categorical(r, off, 2, &k), MARL_EINVAL);
    ck_assert_uint_eq(k, 42);
    const double within[2] = {0.5, 0.5 + 5e-10};
    ck_assert_int_eq(marl_rng_categorical(r, within, 2, &k), MARL_OK);
    marl_rng_free(r);
}
END_TEST

/* ---- Dirichlet ------------------------------------------------------------ */

START_TEST(test_dirichlet) {
    marl_rng *r = new_rng(10);
    const double alpha[4] = {0.5, 1.0, 2.5, 0.2};
    const double a0 = 4.2;
    moments m[4] = {{0}};
    const int N = 200000;
    for (int i = 0; i < N; ++i) {
        double x[4];
        QCHECK_INT_EQ(marl_rng_dirichlet(r, alpha, 4, x), MARL_OK);
        double s = 0;
        for (int j = 0; j < 4; ++j) {
            QCHECK(x[j] >= 0 && x[j] <= 1);
            s += x[j];
            mom_add(&m[j], x[j]);
        }
        QCHECK(fabs(s - 1) < 1e-12);
    }
    for (int j = 0; j < 4; ++j) {
        const double mu = alpha[j] / a0;
        const double var = alpha[j] * (a0 - alpha[j]) / (a0 * a0 * (a0 + 1));
        ck_assert_msg(mean_ok(&m[j], mu, var, 5.0), "component %d mean %g", j,
                      m[j].mean);
        /* variance check with a generous 4th-moment bound (x in [0,1]) */
        ck_assert_msg(fabs(mom_var(&m[j]) - var) < 5 * sqrt(var / N),
                      "component %d var %g vs %g", j, mom_var(&m[j]), var);
    }
    /* tiny shapes: still a point on the simplex, no NaN; the chosen vertex
     * follows alpha (here equal: each about half the time) */
    const double tiny[2] = {1e-320, 1e-320};
    double hits = 0;
    for (int i = 0; i < 2000; ++i) {
        double x[2];
        QCHECK_INT_EQ(marl_rng_dirichlet(r, tiny, 2, x), MARL_OK);
        QCHECK(x[0] + x[1] == 1.0);
        QCHECK((x[0] == 1.0) != (x[1] == 1.0));
        hits += x[0];
    }
    ck_assert(fabs(hits / 2000 - 0.5) < 5 * 0.5 / sqrt(2000.0));
    const double small[3] = {1e-3, 1e-3, 1.0};
    for (int i = 0; i < 1000; ++i) {
        double x[3];
        QCHECK_INT_EQ(marl_rng_dirichlet(r, small, 3, x), MARL_OK);
        QCHECK(isfinite(x[0]) && isfinite(x[1]) && isfinite(x[2]));
        QCHECK(fabs(x[0] + x[1] + x[2] - 1) < 1e-12);
    }
    /* errors: out untouched */
    double x[2] = {5, 5};
    const double bad[2] = {1.0, 0.0};
    ck_assert_int_eq(marl_rng_dirichlet(NULL, alpha, 2, x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_dirichlet(r, NULL, 2, x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_dirichlet(r, alpha, 2, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_dirichlet(r, alpha, 0, x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_dirichlet(r, bad, 2, x), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "alpha[1]"));
    const double bad2[2] = {NAN, 1.0};
    ck_assert_int_eq(marl_rng_dirichlet(r, bad2, 2, x), MARL_EINVAL);
    const double bad3[2] = {1.0, INFINITY};
    ck_assert_int_eq(marl_rng_dirichlet(r, bad3, 2, x), MARL_EINVAL);
    ck_assert(x[0] == 5 && x[1] == 5);
    marl_rng_free(r);
}
END_TEST

/* ---- multinomial ---------------------------------------------------------- */

START_TEST(test_multinomial) {
    marl_rng *r = new_rng(11);
    const double p[5] = {0.2, 0.0, 0.45, 0.35, 0.0};
    const uint64_t trials[3] = {7, 1000, UINT64_C(1000000000000)};
    for (int t = 0; t < 3; ++t) {
        const double n = (double)trials[t];
        moments m[5] = {{0}};
        const int N = 50000;
        for (int i = 0; i < N; ++i) {
            uint64_t x[5];
            QCHECK_INT_EQ(marl_rng_multinomial(r, trials[t], p, 5, x), MARL_OK);
            QCHECK_UINT_EQ(x[0] + x[1] + x[2] + x[3] + x[4], trials[t]);
            QCHECK_UINT_EQ(x[1], 0);
            QCHECK_UINT_EQ(x[4], 0);
            for (int j = 0; j < 5; ++j) mom_add(&m[j], (double)x[j] - n * p[j]);
        }
        for (int j = 0; j < 5; ++j) {
            if (p[j] == 0) continue;
            const double var = n * p[j] * (1 - p[j]);
            const double mu4 = var * (1 + 3 * (n - 2) * p[j] * (1 - p[j]));
            ck_assert_msg(mean_ok(&m[j], 0.0, var, 5.0), "n %g entry %d", n, j);
            ck_assert_msg(var_ok(&m[j], var, mu4, 5.0), "n %g entry %d var", n, j);
        }
    }
    /* full joint distribution for 3 trials over 3 cells: chi-square over
     * the 10 compositions against the multinomial pmf */
    const double q[3] = {0.5, 0.3, 0.2};
    double cnt[16] = {0}, pr[16] = {0};
    const int N = 200000;
    for (int i = 0; i < N; ++i) {
        uint64_t x[3];
        marl_rng_multinomial(r, 3, q, 3, x);
        cnt[x[0] * 4 + x[1]] += 1;
    }
    for (int a = 0; a <= 3; ++a)
        for (int b = 0; a + b <= 3; ++b) {
            int c = 3 - a - b;
            double coef = 6.0 / (tgamma(a + 1) * tgamma(b + 1) * tgamma(c + 1));
            pr[a * 4 + b] = coef * pow(q[0], a) * pow(q[1], b) * pow(q[2], c);
        }
    double df, stat = chi2_stat(cnt, pr, 16, N, &df);
    ck_assert_msg(stat < chi2_crit(df, 5.0), "chi2 %g", stat);
    /* trailing zeros after rounding-prone masses never receive counts */
    const double z[4] = {0.1, 0.2, 0.7, 0.0};
    for (int i = 0; i < 1000; ++i) {
        uint64_t x[4];
        marl_rng_multinomial(r, 1000000, z, 4, x);
        QCHECK_UINT_EQ(x[3], 0);
    }
    marl_rng_free(r);
}
END_TEST

START_TEST(test_multinomial_errors) {
    marl_rng *r = new_rng(12);
    const double p[2] = {0.5, 0.5};
    uint64_t x[2] = {3, 3};
    ck_assert_int_eq(marl_rng_multinomial(NULL, 5, p, 2, x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_multinomial(r, 5, NULL, 2, x), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_multinomial(r, 5, p, 2, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_multinomial(r, 5, p, 0, x), MARL_EINVAL);
    const double bad[2] = {0.5, 0.6};
    ck_assert_int_eq(marl_rng_multinomial(r, 5, bad, 2, x), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "sums to 1.1"));
    ck_assert_int_eq(marl_rng_multinomial(r, (UINT64_C(1) << 53) + 1, p, 2, x),
                     MARL_ERANGE);
    ck_assert(x[0] == 3 && x[1] == 3);
    ck_assert_int_eq(marl_rng_multinomial(r, 0, p, 2, x), MARL_OK);
    ck_assert(x[0] == 0 && x[1] == 0);
    marl_rng_free(r);
}
END_TEST

/* ---- k of n --------------------------------------------------------------- */

static void check_subset(const size_t *s, size_t k, size_t n) {
    for (size_t i = 0; i < k; ++i) {
        QCHECK_UINT_LT(s[i], n);
        if (i) QCHECK_UINT_LT(s[i - 1], s[i]); /* sorted and distinct */
    }
}

START_TEST(test_k_of_n_small) {
    /* n = 10, k = 3: each of the 120 subsets with probability 1/120 */
    marl_rng *r = new_rng(13);
    static double cnt[1024], pr[1024];
    int n_subsets = 0;
    for (int m = 0; m < 1024; ++m)
        if (__builtin_popcount((unsigned)m) == 3) {
            pr[m] = 1.0 / 120.0;
            ++n_subsets;
        }
    ck_assert_int_eq(n_subsets, 120);
    const int N = 240000;
    for (int i = 0; i < N; ++i) {
        size_t s[3];
        QCHECK_INT_EQ(marl_rng_sample_k_of_n(r, 10, 3, s), MARL_OK);
        check_subset(s, 3, 10);
        cnt[(1u << s[0]) | (1u << s[1]) | (1u << s[2])] += 1;
    }
    double df, stat = chi2_stat(cnt, pr, 1024, N, &df);
    ck_assert_msg(stat < chi2_crit(df, 5.0), "chi2 %g df %g", stat, df);
    marl_rng_free(r);
}
END_TEST

START_TEST(test_k_of_n_hashed) {
    /* k > 32 uses the hash set. n = 35, k = 33: a subset is identified by
     * its 2 missing elements, C(35,2) = 595 equally likely subsets. */
    marl_rng *r = new_rng(14);
    static double cnt[35 * 35], pr[35 * 35];
    for (int a = 0; a < 35; ++a)
        for (int b = a + 1; b < 35; ++b) pr[a * 35 + b] = 1.0 / 595.0;
    const int N = 120000;
    size_t s[33];
    for (int i = 0; i < N; ++i) {
        QCHECK_INT_EQ(marl_rng_sample_k_of_n(r, 35, 33, s), MARL_OK);
        check_subset(s, 33, 35);
        int miss[2], nm = 0;
        size_t j = 0;
        for (int v = 0; v < 35; ++v) {
            if (j < 33 && s[j] == (size_t)v)
                ++j;
            else
                miss[nm++] = v;
        }
        QCHECK_INT_EQ(nm, 2);
        cnt[miss[0] * 35 + miss[1]] += 1;
    }
    double df, stat = chi2_stat(cnt, pr, 35 * 35, N, &df);
    ck_assert_msg(stat < chi2_crit(df, 5.0), "chi2 %g df %g", stat, df);
    /* a large k: inclusion frequency k/n for every element */
    static size_t big[5000];
    static double inc[20000];
    const int M = 200;
    for (int i = 0; i < M; ++i) {
        QCHECK_INT_EQ(marl_rng_sample_k_of_n(r, 20000, 5000, big), MARL_OK);
        check_subset(big, 5000, 20000);
        for (int j = 0; j < 5000; ++j) inc[big[j]] += 1;
    }
    double prob[20000];
    for (int v = 0; v < 20000; ++v) prob[v] = 1.0 / 20000;
    stat = chi2_stat(inc, prob, 20000, 5000.0 * M, &df);
    /* counts are not multinomial (without replacement within a draw), which
     * only lowers the variance by the factor (1 - k/n): the statistic stays
     * below the multinomial critical value */
    ck_assert_msg(stat < chi2_crit(df, 5.0), "inclusion chi2 %g", stat);
    marl_rng_free(r);
}
END_TEST

START_TEST(test_k_of_n_edges) {
    marl_rng *r = new_rng(15);
    size_t s[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, 5, 0, NULL), MARL_OK);
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, 0, 0, s), MARL_OK);
    ck_assert_uint_eq(s[0], 9);
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, 8, 8, s), MARL_OK);
    for (size_t i = 0; i < 8; ++i) ck_assert_uint_eq(s[i], i);
    /* huge n with no O(n) memory or time */
    size_t h[40];
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, SIZE_MAX, 5, h), MARL_OK);
    check_subset(h, 5, SIZE_MAX);
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, SIZE_MAX, 40, h), MARL_OK);
    check_subset(h, 40, SIZE_MAX);
    /* errors */
    size_t t[2] = {7, 7};
    ck_assert_int_eq(marl_rng_sample_k_of_n(NULL, 5, 2, t), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, 5, 2, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, 1, 2, t), MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "k = 2 exceeds n = 1"));
    ck_assert(t[0] == 7 && t[1] == 7);
    /* allocation failure of the hash set: clean error, out untouched */
    failalloc_install(-1);
    size_t u[50];
    for (int i = 0; i < 50; ++i) u[i] = 3;
    FAILALLOC_SWEEP(marl_rng_sample_k_of_n(r, 1000, 50, u), (void)0);
    check_subset(u, 50, 1000);
    for (int i = 0; i < 50; ++i) u[i] = 3;
    failalloc_install(0);
    ck_assert_int_eq(marl_rng_sample_k_of_n(r, 1000, 50, u), MARL_ENOMEM);
    failalloc_uninstall();
    for (int i = 0; i < 50; ++i) ck_assert_uint_eq(u[i], 3);
    marl_rng_free(r);
}
END_TEST

START_TEST(test_determinism) {
    /* same seed => same numbers for every distribution */
    marl_rng *a = new_rng(16), *b = new_rng(16);
    const double p[3] = {0.2, 0.3, 0.5}, al[3] = {0.5, 1, 3};
    for (int i = 0; i < 200; ++i) {
        double ga, gb, da[3], db[3];
        uint64_t xa, xb, ma[3], mb[3];
        size_t ka, kb, sa[4], sb[4];
        QCHECK(marl_rng_normal(a) == marl_rng_normal(b));
        marl_rng_gamma(a, 0.7, &ga);
        marl_rng_gamma(b, 0.7, &gb);
        QCHECK(ga == gb);
        marl_rng_binomial(a, 500, 0.3, &xa);
        marl_rng_binomial(b, 500, 0.3, &xb);
        QCHECK_UINT_EQ(xa, xb);
        marl_rng_categorical(a, p, 3, &ka);
        marl_rng_categorical(b, p, 3, &kb);
        QCHECK_UINT_EQ(ka, kb);
        marl_rng_dirichlet(a, al, 3, da);
        marl_rng_dirichlet(b, al, 3, db);
        QCHECK(memcmp(da, db, sizeof da) == 0);
        marl_rng_multinomial(a, 100, p, 3, ma);
        marl_rng_multinomial(b, 100, p, 3, mb);
        QCHECK(memcmp(ma, mb, sizeof ma) == 0);
        marl_rng_sample_k_of_n(a, 100, 4, sa);
        marl_rng_sample_k_of_n(b, 100, 4, sb);
        QCHECK(memcmp(sa, sb, sizeof sa) == 0);
    }
    marl_rng_free(a);
    marl_rng_free(b);
}
END_TEST

int main(void) {
    Suite *s = suite_create("core-dist");
    TCase *tc = tcase_create("dist");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_normal);
    tcase_add_test(tc, test_gamma_moments);
    tcase_add_test(tc, test_gamma_errors);
    tcase_add_test(tc, test_binomial_pmf);
    tcase_add_test(tc, test_binomial_log_ratio);
    tcase_add_test(tc, test_binomial_moments);
    tcase_add_test(tc, test_binomial_edges);
    tcase_add_test(tc, test_categorical);
    tcase_add_test(tc, test_categorical_errors);
    tcase_add_test(tc, test_dirichlet);
    tcase_add_test(tc, test_multinomial);
    tcase_add_test(tc, test_multinomial_errors);
    tcase_add_test(tc, test_k_of_n_small);
    tcase_add_test(tc, test_k_of_n_hashed);
    tcase_add_test(tc, test_k_of_n_edges);
    tcase_add_test(tc, test_determinism);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
