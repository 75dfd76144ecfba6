/*
 * Online execution and evaluation (marl_gl_evaluate): k-of-n sampling
 * uniform over subsets (chi-square) and without repetition; the mean
 * discounted return against an exact dynamic programme on the joint state
 * of a tiny game (n = 2, k = 1: the global agent sees one of the two
 * agents at random), for both local-move conventions and for i.i.d. and
 * Dirichlet initial laws; reproducibility from the seed; n = 10^6; bad
 * input; allocation failures.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "failalloc.h"
#include "evaltest.h"
#include "sampler/global_local/gl_sample.h"

static void setup(void) { failalloc_install(-1); }

START_TEST(test_k_of_n_uniform) {
    const size_t n = 7, k = 3, N = 70000;
    uint32_t perm[7];
    for (size_t i = 0; i < n; ++i) perm[i] = (uint32_t)i;
    marl_rng *r = NULL;
    ck_assert_int_eq(marl_rng_new(&r, 2024), 0);
    double cnt[128] = {0};
    for (size_t t = 0; t < N; ++t) {
        marl_gl_sample_k(r, perm, n, k); /* perm kept between draws */
        unsigned mask = 0;
        for (size_t i = 0; i < k; ++i) {
            ck_assert_uint_lt(perm[i], n);
            ck_assert(!(mask & (1u << perm[i]))); /* no repetition */
            mask |= 1u << perm[i];
        }
        cnt[mask] += 1;
    }
    /* still a permutation */
    unsigned all = 0;
    for (size_t i = 0; i < n; ++i) all |= 1u << perm[i];
    ck_assert_uint_eq(all, 127);
    /* 35 subsets, each with probability 1/35 */
    double e = (double)N / 35.0, chi = 0;
    size_t subsets = 0;
    for (unsigned m = 0; m < 128; ++m) {
        if (__builtin_popcount(m) != 3) {
            ck_assert(cnt[m] == 0);
            continue;
        }
        ++subsets;
        chi += (cnt[m] - e) * (cnt[m] - e) / e;
    }
    ck_assert_uint_eq(subsets, 35);
    ck_assert_msg(chi < 65.2, "chi-square %g (df 34, 0.999 quantile 65.2)",
                  chi);
    marl_rng_free(r);
}
END_TEST

START_TEST(test_exact_value_tiny) {
    for (int dir = 0; dir < 2; ++dir) {
        double init[9];
        marl_gl_policy *p = NULL;
        marl_game *g = tiny_variant(dir, init, &p);
        for (int ng = 0; ng < 2; ++ng) {
            double ex = exact_return(g, p, init, 6, ng, SIZE_MAX), mean, hw;
            ck_assert_int_eq(marl_gl_evaluate_ex(g, p, 40000, 6, 5,
                                                 ng ? MARL_GL_EVAL_NEXT_GLOBAL
                                                    : 0,
                                                 &mean, &hw), 0);
            ck_assert(hw > 0 && hw < 0.05);
            /* 4 half-widths: a ~1e-4 false-alarm rate, fixed seed */
            ck_assert_msg(fabs(mean - ex) < 4 * hw,
                          "dir %d next %d: mean %g exact %g hw %g", dir, ng,
                          mean, ex, hw);
        }
        /* the conventions differ on this game (the test can fail) */
        double e0 = exact_return(g, p, init, 6, 0, SIZE_MAX),
               e1 = exact_return(g, p, init, 6, 1, SIZE_MAX);
        ck_assert(fabs(e0 - e1) > 1e-3);
        marl_gl_policy_free(p);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_reproducible) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=300"), 0);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 6), 0);
    gt_random_global(p, g, 3);
    double m1, h1, m2, h2, m3, h3;
    ck_assert_int_eq(marl_gl_evaluate(g, p, 7, 20, 42, &m1, &h1), 0);
    ck_assert_int_eq(marl_gl_evaluate(g, p, 7, 20, 42, &m2, &h2), 0);
    ck_assert_int_eq(marl_gl_evaluate(g, p, 7, 20, 43, &m3, &h3), 0);
    ck_assert(m1 == m2 && h1 == h2);
    ck_assert(m1 != m3);
    /* rollout r depends on (seed, r) only: the first rollout of a longer
     * evaluation is the one-rollout evaluation */
    double a, b, ha, hb;
    ck_assert_int_eq(marl_gl_evaluate(g, p, 1, 20, 42, &a, &ha), 0);
    ck_assert(ha == 0.0);
    ck_assert_int_eq(marl_gl_evaluate(g, p, 2, 20, 42, &b, &hb), 0);
    double second;
    /* mean of 2 = (first + second) / 2 with first = a */
    second = 2 * b - a;
    ck_assert(fabs(hb - 1.959963984540054 * fabs(a - second) / 2.0) < 1e-9);
    /* n = 10^6 runs */
    marl_game *big = NULL;
    ck_assert_int_eq(marl_games_new(&big, "warehouse", "n=1000000"), 0);
    marl_gl_policy *pb = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&pb, big, 5), 0);
    ck_assert_int_eq(marl_gl_evaluate(big, pb, 2, 2, 1, &a, &ha), 0);
    ck_assert(a > 1.0 && a < 30.0);
    marl_gl_policy_free(pb);
    marl_game_free(big);
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_eval_errors) {
    marl_game *g = gt_random_game(9, 4, 2, 2, 2, 2, 0.9), *g2 = NULL, *mk;
    g2 = gt_random_game(9, 4, 2, 2, 2, 2, 0.9);
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), 0);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 2), 0);
    double m = 7, h = 7;
    ck_assert_int_eq(marl_gl_evaluate(NULL, p, 1, 1, 0, &m, &h), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate(mk, p, 1, 1, 0, &m, &h), MARL_EKIND);
    ck_assert_int_eq(marl_gl_evaluate(g, NULL, 1, 1, 0, &m, &h), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate(g2, p, 1, 1, 0, &m, &h), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate(g, p, 0, 1, 0, &m, &h), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate(g, p, 1, 0, 0, &m, &h), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate(g, p, 1, 1, 0, NULL, &h), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate(g, p, 1, 1, 0, &m, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_evaluate_ex(g, p, 1, 1, 0, 2u, &m, &h),
                     MARL_EINVAL);
    ck_assert(m == 7 && h == 7);
    marl_gl_policy_free(p);
    marl_game_free(g);
    marl_game_free(g2);
    marl_game_free(mk);
}
END_TEST

START_TEST(test_eval_allocation_failures) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=30"), 0);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 3), 0);
    double m, h;
    FAILALLOC_SWEEP(marl_gl_evaluate(g, p, 3, 4, 1, &m, &h), (void)0);
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_eval");
    TCase *tc = tcase_create("eval");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_k_of_n_uniform);
    tcase_add_test(tc, test_exact_value_tiny);
    tcase_add_test(tc, test_reproducible);
    tcase_add_test(tc, test_eval_errors);
    tcase_add_test(tc, test_eval_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
