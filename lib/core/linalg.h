/*
 * Internal linear-algebra glue over LAPACKE and CBLAS. Not installed.
 *
 * Conventions: matrices are ROW-MAJOR with leading dimension n (as every
 * table of the library); a block of right-hand sides holds them one after
 * the other, each contiguous: B[k * n + i] is entry i of right-hand side k
 * (the layout of V[i * S + s] in metrics.h). Nothing here allocates: the
 * LAPACKE "_work" column-major entry points are used (the row-major LAPACKE
 * wrappers would allocate a transposed copy through malloc).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_CORE_LINALG_H
#define MARL_CORE_LINALG_H

#include <stddef.h>

/* Largest n (and nrhs) accepted: LAPACK's integers are 32-bit here. */
#define MARL_LINALG_MAX_N ((size_t)2147483647)

/* LU factorisation (partial pivoting, LAPACK dgetrf) of the n x n row-major
 * matrix A, in place; ipiv[n] receives the pivots. Returns MARL_OK, or
 * MARL_EINTERNAL naming the zero pivot when A is singular, MARL_EINVAL for
 * n == 0, n too large or NULL pointers. */
int marl_linalg_lu(size_t n, double *A, int *ipiv);

/* Solve A X = B (transpose == 0) or A^T X = B (transpose != 0) with the
 * factorisation made by marl_linalg_lu (LAPACK dgetrs). B holds nrhs
 * right-hand sides (layout above), overwritten by the solutions. */
int marl_linalg_lu_solve(size_t n, size_t nrhs, const double *LU,
                         const int *ipiv, int transpose, double *B);

/* Factorise and solve in one call: A X = B; A is overwritten by its LU
 * factors, B by the solutions. */
int marl_linalg_solve(size_t n, size_t nrhs, double *A, double *B, int *ipiv);

/* C = alpha * A * X + beta * C for a row-major m x k matrix A and k-vectors
 * given as nrhs contiguous blocks (X[c * k + r]); C receives nrhs blocks of
 * m entries (C[c * m + r]). This is the product "table times values" used
 * for Q = R + gamma * P V on all agents at once (CBLAS dgemm). Sizes must
 * fit in an int (MARL_EINVAL otherwise); A, X, C must not overlap. */
int marl_linalg_table_times(size_t m, size_t k, size_t nrhs, double alpha,
                            const double *A, const double *X, double beta,
                            double *C);

#endif /* MARL_CORE_LINALG_H */
