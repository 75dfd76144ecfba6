/* Tests of the internal linear-algebra glue (lib/core/linalg.h): solves
 * against systems with known solutions, transposed solves, singular
 * matrices, bad arguments, and the table-times-values product against a
 * naive loop.
 * SPDX-License-Identifier: MIT */
#include "core/internal.h"
#include "core/linalg.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A = [[4,1,0],[1,3,1],[2,1,5]] (not symmetric, so A and A^T differ). */
static const double A3[9] = {4, 1, 0, 1, 3, 1, 2, 1, 5};

START_TEST(test_solve_known) {
    /* Right-hand sides built from known solutions x1 = (1,2,3) and
     * x2 = (-1,0.5,2): b = A x. */
    const double x[6] = {1, 2, 3, -1, 0.5, 2};
    double B[6], A[9];
    int ipiv[3];
    for (int k = 0; k < 2; ++k)
        for (int r = 0; r < 3; ++r) {
            B[k * 3 + r] = 0;
            for (int c = 0; c < 3; ++c)
                B[k * 3 + r] += A3[r * 3 + c] * x[k * 3 + c];
        }
    ck_assert_double_eq(B[0], 6.0);  /* 4*1 + 1*2 */
    ck_assert_double_eq(B[2], 19.0); /* 2 + 2 + 15 */
    memcpy(A, A3, sizeof A);
    ck_assert_int_eq(marl_linalg_solve(3, 2, A, B, ipiv), MARL_OK);
    for (int k = 0; k < 6; ++k)
        ck_assert_double_eq_tol(B[k], x[k], 1e-14);
}
END_TEST

START_TEST(test_solve_transpose) {
    /* A^T y = c with y = (1,-2,0.5): c_j = sum_i A[i][j] y_i. */
    const double y[3] = {1, -2, 0.5};
    double c[3] = {0, 0, 0}, A[9];
    int ipiv[3];
    for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 3; ++i)
            c[j] += A3[i * 3 + j] * y[i];
    memcpy(A, A3, sizeof A);
    ck_assert_int_eq(marl_linalg_lu(3, A, ipiv), MARL_OK);
    ck_assert_int_eq(marl_linalg_lu_solve(3, 1, A, ipiv, 1, c), MARL_OK);
    for (int k = 0; k < 3; ++k)
        ck_assert_double_eq_tol(c[k], y[k], 1e-14);
    /* The same factorisation also solves A x = b. */
    double b[3] = {5, 5, 8}; /* A (1,1,1) */
    ck_assert_int_eq(marl_linalg_lu_solve(3, 1, A, ipiv, 0, b), MARL_OK);
    for (int k = 0; k < 3; ++k)
        ck_assert_double_eq_tol(b[k], 1.0, 1e-14);
}
END_TEST

START_TEST(test_singular) {
    double A[9] = {1, 2, 3, 2, 4, 6, 1, 0, 1}; /* row 2 = 2 * row 1 */
    double B[3] = {1, 2, 3};
    int ipiv[3];
    marl_clear_error();
    ck_assert_int_eq(marl_linalg_solve(3, 1, A, B, ipiv), MARL_EINTERNAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "singular"));
    double Z[4] = {0, 0, 0, 0};
    ck_assert_int_eq(marl_linalg_lu(2, Z, ipiv), MARL_EINTERNAL);
}
END_TEST

START_TEST(test_bad_args) {
    double A[4] = {1, 0, 0, 1}, B[2] = {1, 1};
    int ipiv[2];
    ck_assert_int_eq(marl_linalg_lu(0, A, ipiv), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_lu(2, NULL, ipiv), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_lu(2, A, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_lu(MARL_LINALG_MAX_N + 1, A, ipiv),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_lu_solve(2, 0, A, ipiv, 0, B), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_lu_solve(0, 1, A, ipiv, 0, B), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_lu_solve(2, 1, NULL, ipiv, 0, B), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_lu_solve(2, 1, A, ipiv, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_solve(2, 1, A, NULL, ipiv), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_solve(2, 0, A, B, ipiv), MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_table_times(0, 2, 1, 1.0, A, B, 0.0, B),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_linalg_table_times(2, 2, 1, 1.0, NULL, B, 0.0, B),
                     MARL_EINVAL);
    /* Nothing was modified by the rejected calls. */
    ck_assert_double_eq(A[0], 1.0);
    ck_assert_double_eq(B[1], 1.0);
}
END_TEST

START_TEST(test_table_times) {
    /* C = 0.5 * A X + 2 C against a naive loop, for nrhs = 1 (dgemv path)
     * and nrhs = 3 (dgemm path). */
    enum { M = 7, K = 5 };
    double A[M * K], X[3 * K], C[3 * M], C0[3 * M];
    unsigned v = 12345;
    for (int k = 0; k < M * K; ++k)
        A[k] = (double)((v = v * 1103515245u + 12345u) % 1000) / 100.0 - 5.0;
    for (int k = 0; k < 3 * K; ++k)
        X[k] = (double)((v = v * 1103515245u + 12345u) % 1000) / 100.0 - 5.0;
    for (int k = 0; k < 3 * M; ++k)
        C0[k] = (double)(k % 5) - 2.0;
    for (int nrhs = 1; nrhs <= 3; nrhs += 2) {
        memcpy(C, C0, sizeof C);
        ck_assert_int_eq(
            marl_linalg_table_times(M, K, (size_t)nrhs, 0.5, A, X, 2.0, C),
            MARL_OK);
        for (int c = 0; c < nrhs; ++c)
            for (int r = 0; r < M; ++r) {
                double acc = 0;
                for (int k = 0; k < K; ++k)
                    acc += A[r * K + k] * X[c * K + k];
                ck_assert_double_eq_tol(C[c * M + r],
                                        0.5 * acc + 2.0 * C0[c * M + r], 1e-12);
            }
    }
}
END_TEST

static Suite *linalg_suite(void) {
    Suite *s = suite_create("linalg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_solve_known);
    tcase_add_test(tc, test_solve_transpose);
    tcase_add_test(tc, test_singular);
    tcase_add_test(tc, test_bad_args);
    tcase_add_test(tc, test_table_times);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return marl_test_run(linalg_suite());
}
