/*
 * Count vectors: size against an independent enumeration, rank/unrank round
 * trip (a bijection onto [0, size)), marl_counts_next visits every vector in
 * rank order, the colexicographic rank against a brute-force sort, errors.
 * SPDX-License-Identifier: MIT
 */
#include "marlgame/counts.h"
#include "check_main.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Independent count of the vectors with m parts summing to k, by
 * recursion over the first part. */
static size_t count_rec(size_t k, size_t m) {
    if (m == 1) return 1;
    size_t n = 0;
    for (size_t v = 0; v <= k; ++v) n += count_rec(k - v, m - 1);
    return n;
}

START_TEST(test_size_matches_enumeration) {
    for (size_t m = 1; m <= 6; ++m)
        for (size_t k = 0; k <= 12; ++k) {
            size_t n = 0;
            ck_assert_int_eq(marl_counts_size(k, m, &n), MARL_OK);
            ck_assert_uint_eq(n, count_rec(k, m));
        }
    size_t n = 0;
    ck_assert_int_eq(marl_counts_size(50, 5, &n), MARL_OK);
    ck_assert_uint_eq(n, 316251); /* BENCHMARKS.md, k = 50 */
    ck_assert_int_eq(marl_counts_size(20, 5, &n), MARL_OK);
    ck_assert_uint_eq(n, 10626);
    ck_assert_int_eq(marl_counts_size(7, 4, &n), MARL_OK);
    ck_assert_uint_eq(n, 120);
}
END_TEST

/* Colex key of the bar combination, compared by brute force: the vector
 * with the larger last bar (then the next one down, ...) is later. */
static int colex_cmp(const size_t *a, const size_t *b, size_t m) {
    size_t pa = 0, pb = 0;
    size_t ba[16], bb[16];
    for (size_t j = 0; j + 1 < m; ++j) {
        pa += a[j];
        pb += b[j];
        ba[j] = pa + j;
        bb[j] = pb + j;
    }
    for (size_t j = m - 1; j-- > 0;) {
        if (ba[j] != bb[j]) return ba[j] < bb[j] ? -1 : 1;
    }
    return 0;
}

START_TEST(test_round_trip_and_next) {
    const size_t ks[] = {0, 1, 2, 5, 8, 12};
    for (size_t m = 1; m <= 6; ++m)
        for (size_t ik = 0; ik < sizeof ks / sizeof ks[0]; ++ik) {
            size_t k = ks[ik], n = 0;
            ck_assert_int_eq(marl_counts_size(k, m, &n), MARL_OK);
            size_t c[6], d[6], prev[6];
            memset(c, 0, sizeof c);
            c[m - 1] = k; /* rank 0 */
            unsigned char *seen = calloc(n, 1);
            ck_assert_ptr_nonnull(seen);
            for (size_t r = 0; r < n; ++r) {
                size_t rank = SIZE_MAX, sum = 0;
                for (size_t j = 0; j < m; ++j) sum += c[j];
                ck_assert_uint_eq(sum, k);
                ck_assert_int_eq(marl_counts_rank(c, m, k, &rank), MARL_OK);
                ck_assert_uint_eq(rank, r); /* next walks in rank order */
                ck_assert(!seen[rank]);
                seen[rank] = 1;
                ck_assert_int_eq(marl_counts_unrank(r, m, k, d), MARL_OK);
                ck_assert_mem_eq(c, d, m * sizeof c[0]);
                if (r > 0) ck_assert_int_lt(colex_cmp(prev, c, m), 0);
                memcpy(prev, c, sizeof c);
                int more = marl_counts_next(c, m);
                ck_assert_int_eq(more, r + 1 < n);
            }
            /* last vector is (k, 0, ..., 0) */
            ck_assert_uint_eq(prev[0], k);
            free(seen);
        }
}
END_TEST

START_TEST(test_errors) {
    size_t n, r, c[3] = {1, 1, 1};
    ck_assert_int_eq(marl_counts_size(3, 0, &n), MARL_EINVAL);
    ck_assert_int_eq(marl_counts_size(3, 2, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_counts_size(SIZE_MAX, 2, &n), MARL_ERANGE);
    ck_assert_int_eq(marl_counts_size(1000000, 40, &n), MARL_ERANGE);
    ck_assert_int_eq(marl_counts_rank(c, 3, 4, &r), MARL_EINVAL); /* sum 3 */
    ck_assert_int_eq(marl_counts_rank(c, 3, 2, &r), MARL_EINVAL); /* > k */
    ck_assert_int_eq(marl_counts_rank(NULL, 3, 3, &r), MARL_EINVAL);
    ck_assert_int_eq(marl_counts_unrank(10, 3, 3, c), MARL_EINVAL);
    ck_assert_int_eq(marl_counts_unrank(9, 3, 3, c), MARL_OK);
    ck_assert_uint_eq(c[0], 3);
    ck_assert_int_eq(marl_counts_unrank(0, 3, 3, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_counts_next(c, 1), 0);
    ck_assert_int_eq(marl_counts_next(NULL, 3), 0);
}
END_TEST

START_TEST(test_large) {
    /* k = 50 over 5 categories: round trip at spread-out ranks. */
    size_t n = 0, c[5], r;
    ck_assert_int_eq(marl_counts_size(50, 5, &n), MARL_OK);
    for (size_t rank = 0; rank < n; rank += 997) {
        ck_assert_int_eq(marl_counts_unrank(rank, 5, 50, c), MARL_OK);
        ck_assert_int_eq(marl_counts_rank(c, 5, 50, &r), MARL_OK);
        ck_assert_uint_eq(r, rank);
    }
}
END_TEST

int main(void) {
    Suite *s = suite_create("counts");
    TCase *tc = tcase_create("counts");
    tcase_add_test(tc, test_size_matches_enumeration);
    tcase_add_test(tc, test_round_trip_and_next);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_large);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
