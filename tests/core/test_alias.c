/* Alias table tests: distribution (chi-square at z = 5), zero entries never
 * drawn, draw consumption, errors, allocation failures.
 * SPDX-License-Identifier: MIT */
#include <check.h>
#include "check_main.h"
#include <marlgame/rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#include "stats.h"

static void alias_chi2(const double *p, size_t n, int N, uint64_t seed) {
    marl_alias *a;
    marl_rng *r;
    ck_assert_int_eq(marl_alias_new(&a, p, n), MARL_OK);
    ck_assert_uint_eq(marl_alias_size(a), n);
    ck_assert_int_eq(marl_rng_new(&r, seed), MARL_OK);
    double *c = calloc(n, sizeof *c);
    for (int i = 0; i < N; ++i) {
        size_t k;
        QCHECK_INT_EQ(marl_alias_sample(a, r, &k), MARL_OK);
        QCHECK_UINT_LT(k, n);
        if (!(p[k] > 0)) ck_assert_msg(0, "drew zero-probability entry %zu", k);
        c[k] += 1;
    }
    double df, stat = chi2_stat(c, p, n, N, &df);
    if (df >= 1.0)
        ck_assert_msg(stat < chi2_crit(df, 5.0), "n %zu chi2 %g df %g", n,
                      stat, df);
    else
        ck_assert(c[0] == N); /* a single category */
    free(c);
    marl_rng_free(r);
    marl_alias_free(a);
}

START_TEST(test_alias_distributions) {
    const double p1[1] = {1.0};
    alias_chi2(p1, 1, 1000, 1);
    const double p2[6] = {0.1, 0.0, 0.25, 0.05, 0.6, 0.0};
    alias_chi2(p2, 6, 400000, 2);
    const double p3[2] = {1e-12, 1 - 1e-12};
    alias_chi2(p3, 2, 10000, 3);
    /* 200 entries: geometric weights with every third zero, normalised */
    double p4[200], s = 0;
    for (int i = 0; i < 200; ++i) {
        p4[i] = (i % 3 == 1) ? 0.0 : pow(0.97, i);
        s += p4[i];
    }
    for (int i = 0; i < 200; ++i) p4[i] /= s;
    alias_chi2(p4, 200, 1000000, 4);
    /* uniform over 1000 */
    static double p5[1000];
    for (int i = 0; i < 1000; ++i) p5[i] = 1e-3;
    alias_chi2(p5, 1000, 1000000, 5);
    /* sums to 1 + 8e-10: accepted and renormalised */
    const double p6[3] = {0.2, 0.3, 0.5 + 8e-10};
    alias_chi2(p6, 3, 300000, 6);
}
END_TEST

START_TEST(test_alias_consumption) {
    /* one uniform_int for the column, then one uniform for the coin; with a
     * uniform p every coin keeps the column, so the draw equals the column */
    const double p[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
    marl_alias *a;
    marl_rng *r1, *r2;
    marl_alias_new(&a, p, 5);
    marl_rng_new(&r1, 9);
    marl_rng_new(&r2, 9);
    for (int i = 0; i < 1000; ++i) {
        size_t k;
        marl_alias_sample(a, r1, &k);
        uint64_t col = marl_rng_uniform_int(r2, 5);
        (void)marl_rng_uniform(r2);
        QCHECK_UINT_EQ(k, col);
    }
    marl_alias_free(a);
    marl_rng_free(r1);
    marl_rng_free(r2);
}
END_TEST

/* One xoshiro256** step backwards (inverse of the state transition). */
static void step_back(const uint64_t n[4], uint64_t s[4]) {
    const uint64_t s3p = (n[3] >> 45) | (n[3] << 19); /* rotr 45 */
    const uint64_t s0 = n[0] ^ s3p;
    const uint64_t v = n[1] ^ n[2];          /* = s1 ^ (s1 << 17) */
    const uint64_t s1 = v ^ (v << 17) ^ (v << 34) ^ (v << 51);
    s[0] = s0;
    s[1] = s1;
    s[2] = n[1] ^ s0 ^ s1;
    s[3] = s3p ^ s1;
}

START_TEST(test_alias_zero_at_extreme_coin) {
    /* Force the coin (second output of a draw) to its largest value
     * 1 - 2^-53 whatever the column: entries of probability 0 must still
     * never come out, including when their own column is drawn. */
    const double p[4] = {0.0, 0.3, 0.0, 0.7};
    marl_alias *a;
    marl_rng *r, *probe;
    marl_alias_new(&a, p, 4);
    marl_rng_new(&r, 0);
    marl_rng_new(&probe, 0);
    uint64_t inv9 = 9, inv5 = 5;
    for (int k = 0; k < 6; ++k) {
        inv9 *= 2 - 9 * inv9;
        inv5 *= 2 - 5 * inv5;
    }
    uint64_t y = UINT64_MAX * inv9;
    y = (y >> 7) | (y << 57);
    const uint64_t smax = y * inv5; /* s1 whose output is UINT64_MAX */
    int seen_col[4] = {0, 0, 0, 0};
    for (uint64_t trial = 1; trial <= 4000; ++trial) {
        const uint64_t next[4] = {trial * UINT64_C(0x9e3779b97f4a7c15), smax,
                                  trial * UINT64_C(0xbf58476d1ce4e5b9), ~trial};
        uint64_t st[4];
        step_back(next, st);
        /* the constructed state really yields the maximal second output */
        marl_rng_set_state(probe, st);
        const uint64_t col = marl_rng_uniform_int(probe, 4);
        uint64_t after[4];
        marl_rng_get_state(probe, after);
        if (memcmp(after, next, sizeof after) != 0) continue; /* rejection */
        QCHECK(marl_rng_uniform(probe) == 1.0 - 0x1p-53);
        seen_col[col] = 1;
        marl_rng_set_state(r, st);
        size_t k;
        marl_alias_sample(a, r, &k);
        QCHECK(k == 1 || k == 3);
    }
    for (int c = 0; c < 4; ++c) ck_assert(seen_col[c]);
    marl_alias_free(a);
    marl_rng_free(r);
    marl_rng_free(probe);
}
END_TEST

START_TEST(test_alias_errors) {
    marl_alias *a = (marl_alias *)0x1;
    const double p[3] = {0.5, 0.5, 0.0};
    ck_assert_int_eq(marl_alias_new(NULL, p, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_alias_new(&a, NULL, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_alias_new(&a, p, 0), MARL_EINVAL);
    const double bad[3] = {0.5, 0.4, 0.0};
    ck_assert_int_eq(marl_alias_new(&a, bad, 3), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "sums to 0.9"));
    const double neg[3] = {0.5, 0.6, -0.1};
    ck_assert_int_eq(marl_alias_new(&a, neg, 3), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "entry 2"));
    const double nan_[2] = {NAN, 1.0};
    ck_assert_int_eq(marl_alias_new(&a, nan_, 2), MARL_EINVAL);
    ck_assert_int_eq(marl_alias_new(&a, p, SIZE_MAX), MARL_ERANGE);
    ck_assert_ptr_eq(a, (marl_alias *)0x1);

    marl_alias *ok;
    marl_rng *r;
    marl_alias_new(&ok, p, 3);
    marl_rng_new(&r, 1);
    size_t k = 8;
    ck_assert_int_eq(marl_alias_sample(NULL, r, &k), MARL_EINVAL);
    ck_assert_int_eq(marl_alias_sample(ok, NULL, &k), MARL_EINVAL);
    ck_assert_int_eq(marl_alias_sample(ok, r, NULL), MARL_EINVAL);
    ck_assert_uint_eq(k, 8);
    ck_assert_uint_eq(marl_alias_size(NULL), 0);
    marl_alias_free(NULL);
    marl_alias_free(ok);
    marl_rng_free(r);
}
END_TEST

START_TEST(test_alias_alloc_failures) {
    failalloc_install(-1);
    const double p[5] = {0.1, 0.2, 0.0, 0.3, 0.4};
    marl_alias *a = NULL;
    FAILALLOC_SWEEP(marl_alias_new(&a, p, 5), marl_alias_free(a));
    marl_alias *sentinel = (marl_alias *)0x1;
    failalloc_install(2);
    ck_assert_int_eq(marl_alias_new(&sentinel, p, 5), MARL_ENOMEM);
    failalloc_uninstall();
    ck_assert_ptr_eq(sentinel, (marl_alias *)0x1);
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("core-alias");
    TCase *tc = tcase_create("alias");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_alias_distributions);
    tcase_add_test(tc, test_alias_consumption);
    tcase_add_test(tc, test_alias_zero_at_extreme_coin);
    tcase_add_test(tc, test_alias_errors);
    tcase_add_test(tc, test_alias_alloc_failures);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
