/*
 * marl_gl_policy: count-vector ranking round trip through the policy
 * indexing at several (k, |S_l|) (against counts.h and an independent
 * enumeration), uniform start, rows, copy/assign/distance, bad input and
 * allocation failures.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "failalloc.h"
#include "gltest.h"
#include "policy/global_local/gl_policy_impl.h"

static void setup(void) { failalloc_install(-1); }

/* C(n, r) by the multiplicative formula in double (exact for these sizes). */
static double binom_d(size_t n, size_t r) {
    double v = 1.0;
    for (size_t i = 1; i <= r; ++i) v = v * (double)(n - r + i) / (double)i;
    return v;
}

/* Independent enumeration: all vectors of Sl parts summing to k visited by
 * recursion; each gets a distinct rank in [0, C), unrank inverts it. */
static void enumerate(const marl_gl_policy *p, size_t *c, size_t j,
                      size_t left, size_t Sl, unsigned char *seen,
                      size_t *count) {
    if (j + 1 == Sl) {
        c[j] = left;
        size_t r = marl_gl_rank(p, c), r2 = 0, back[8];
        ck_assert_int_eq(marl_counts_rank(c, Sl, p->k, &r2), MARL_OK);
        ck_assert_uint_eq(r, r2);
        ck_assert_uint_lt(r, marl_gl_policy_num_counts(p));
        ck_assert(!seen[r]);
        seen[r] = 1;
        ck_assert_int_eq(marl_counts_unrank(r, Sl, p->k, back), MARL_OK);
        ck_assert(memcmp(back, c, Sl * sizeof *c) == 0);
        ++*count;
        return;
    }
    for (size_t v = 0; v <= left; ++v) {
        c[j] = v;
        enumerate(p, c, j + 1, left - v, Sl, seen, count);
    }
}

START_TEST(test_rank_round_trip) {
    static const size_t ks[] = {1, 2, 3, 5, 8, 12};
    static const size_t Sls[] = {1, 2, 3, 5, 7};
    for (size_t a = 0; a < sizeof ks / sizeof ks[0]; ++a)
        for (size_t b = 0; b < sizeof Sls / sizeof Sls[0]; ++b) {
            size_t k = ks[a], Sl = Sls[b];
            marl_game *g = gt_random_game(7, 20, 2, 3, Sl, 2, 0.9);
            marl_gl_policy *p = NULL;
            ck_assert_int_eq(marl_gl_policy_new(&p, g, k), MARL_OK);
            ck_assert_uint_eq(marl_gl_policy_k(p), k);
            size_t C = marl_gl_policy_num_counts(p);
            ck_assert(fabs((double)C - binom_d(k + Sl - 1, Sl - 1)) < 0.5);
            unsigned char *seen = calloc(C, 1);
            size_t c[8], count = 0;
            enumerate(p, c, 0, k, Sl, seen, &count);
            ck_assert_uint_eq(count, C);
            /* a row written at the rank of c is read back at that rank */
            double row[3] = {0.2, 0.3, 0.5}, back[3];
            for (size_t r = 0; r < C; r += 1 + C / 7) {
                ck_assert_int_eq(marl_counts_unrank(r, Sl, k, c), MARL_OK);
                size_t rr = marl_gl_rank(p, c);
                ck_assert_int_eq(marl_gl_policy_set_global_row(p, 1, rr, row),
                                 MARL_OK);
                ck_assert_int_eq(marl_gl_policy_global_row(p, 1, r, back),
                                 MARL_OK);
                ck_assert(memcmp(back, row, sizeof row) == 0);
            }
            free(seen);
            marl_gl_policy_free(p);
            marl_game_free(g);
        }
}
END_TEST

START_TEST(test_rows_copy_distance) {
    marl_game *g = gt_random_game(9, 6, 3, 4, 3, 2, 0.9);
    marl_gl_policy *p = NULL, *q = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 4), MARL_OK);
    double row[4];
    for (size_t s = 0; s < 3; ++s)
        for (size_t r = 0; r < marl_gl_policy_num_counts(p); ++r) {
            ck_assert_int_eq(marl_gl_policy_global_row(p, s, r, row), 0);
            for (int a = 0; a < 4; ++a) ck_assert(row[a] == 0.25);
        }
    ck_assert_int_eq(marl_gl_policy_local_row(p, 2, 1, row), 0);
    ck_assert(row[0] == 0.5 && row[1] == 0.5);
    gt_random_local(p, g, 1);
    gt_random_global(p, g, 2);
    ck_assert_int_eq(marl_gl_policy_copy(&q, p), MARL_OK);
    double d = -1;
    ck_assert_int_eq(marl_gl_policy_distance(p, q, &d), 0);
    ck_assert(d == 0.0);
    const double lr[2] = {1.0, 0.0};
    double old[2];
    ck_assert_int_eq(marl_gl_policy_local_row(q, 1, 2, old), 0);
    ck_assert_int_eq(marl_gl_policy_set_local_row(q, 1, 2, lr), 0);
    ck_assert_int_eq(marl_gl_policy_distance(p, q, &d), 0);
    ck_assert(d == fmax(fabs(old[0] - 1.0), fabs(old[1])));
    ck_assert_int_eq(marl_gl_policy_assign(q, p), 0);
    ck_assert_int_eq(marl_gl_policy_distance(p, q, &d), 0);
    ck_assert(d == 0.0);
    ck_assert_int_eq(marl_gl_policy_assign(p, p), 0);
    /* different k / game */
    marl_gl_policy *r = NULL, *o = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&r, g, 3), 0);
    ck_assert_int_eq(marl_gl_policy_assign(r, p), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_distance(r, p, &d), MARL_EINVAL);
    marl_game *g2 = gt_random_game(9, 6, 3, 4, 3, 2, 0.9);
    ck_assert_int_eq(marl_gl_policy_new(&o, g2, 4), 0);
    ck_assert_int_eq(marl_gl_policy_assign(o, p), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_distance(o, p, &d), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_distance(p, q, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_distance(NULL, q, &d), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_assign(NULL, q), MARL_EINVAL);
    marl_gl_policy_free(r);
    marl_gl_policy_free(o);
    marl_gl_policy_free(p);
    marl_gl_policy_free(q);
    marl_game_free(g2);
    marl_game_free(g);
}
END_TEST

START_TEST(test_policy_errors) {
    marl_game *g = gt_random_game(9, 6, 3, 4, 3, 2, 0.9);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(NULL, g, 2), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_new(&p, NULL, 2), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 7), MARL_EINVAL);
    marl_game *big = gt_random_game(9, 100000, 3, 4, 40, 2, 0.9);
    ck_assert_int_eq(marl_gl_policy_new(&p, big, 50000), MARL_ERANGE);
    marl_game_free(big);
    marl_game *mk = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), 0);
    ck_assert_int_eq(marl_gl_policy_new(&p, mk, 1), MARL_EKIND);
    marl_game_free(mk);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 6), MARL_OK);
    double row[4] = {0.25, 0.25, 0.25, 0.25}, bad[4] = {0.5, 0.5, 0.5, 0.0};
    size_t C = marl_gl_policy_num_counts(p);
    ck_assert_int_eq(marl_gl_policy_global_row(p, 3, 0, row), MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_global_row(p, 0, C, row), MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_global_row(p, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_global_row(NULL, 0, 0, row), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_set_global_row(p, 3, 0, row),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_set_global_row(p, 0, C, row),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_set_global_row(p, 0, 0, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_set_global_row(p, 0, 0, bad),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_set_global_row(NULL, 0, 0, row),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_local_row(p, 3, 0, row), MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_local_row(p, 0, 3, row), MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_local_row(p, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_local_row(NULL, 0, 0, row), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_set_local_row(p, 3, 0, row), MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_set_local_row(p, 0, 3, row), MARL_ERANGE);
    ck_assert_int_eq(marl_gl_policy_set_local_row(p, 0, 0, NULL),
                     MARL_EINVAL);
    const double bad2[2] = {0.5, 0.6};
    ck_assert_int_eq(marl_gl_policy_set_local_row(p, 0, 0, bad2),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_set_local_row(NULL, 0, 0, row),
                     MARL_EINVAL);
    /* unchanged by the failed sets */
    ck_assert_int_eq(marl_gl_policy_global_row(p, 0, 0, row), 0);
    ck_assert(row[0] == 0.25);
    marl_gl_policy *q = NULL;
    ck_assert_int_eq(marl_gl_policy_copy(NULL, p), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_copy(&q, NULL), MARL_EINVAL);
    ck_assert_uint_eq(marl_gl_policy_k(NULL), 0);
    ck_assert_ptr_null(marl_gl_policy_game(NULL));
    ck_assert_ptr_eq(marl_gl_policy_game(p), g);
    ck_assert_uint_eq(marl_gl_policy_num_counts(NULL), 0);
    marl_gl_policy_free(NULL);
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_policy_allocation_failures) {
    marl_game *g = gt_random_game(9, 6, 3, 4, 3, 2, 0.9);
    marl_gl_policy *p = NULL, *q = NULL;
    FAILALLOC_SWEEP(marl_gl_policy_new(&p, g, 3), marl_gl_policy_free(p));
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 3), MARL_OK);
    FAILALLOC_SWEEP(marl_gl_policy_copy(&q, p), marl_gl_policy_free(q));
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_policy");
    TCase *tc = tcase_create("policy");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_rank_round_trip);
    tcase_add_test(tc, test_rows_copy_distance);
    tcase_add_test(tc, test_policy_errors);
    tcase_add_test(tc, test_policy_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
