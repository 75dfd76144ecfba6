/* Linear-algebra glue over LAPACKE (LU factorisation and solves) and CBLAS
 * (table-times-values products). See linalg.h for the conventions.
 *
 * A row-major n x n matrix handed to column-major LAPACK is its transpose,
 * so marl_linalg_lu factorises A^T = P L U; solving A X = B is then dgetrs
 * with 'T', and solving A^T X = B is dgetrs with 'N'. Right-hand sides
 * stored one after the other are exactly a column-major n x nrhs block.
 * SPDX-License-Identifier: MIT */
#include "linalg.h"
#include "internal.h"

#include <cblas.h>
#include <lapacke.h>

/* Right-hand-side blocks of fewer entries are solved one at a time. */
#define MARL_LINALG_SMALL ((size_t)1 << 16)

_Static_assert(sizeof(lapack_int) == sizeof(int),
               "linalg.h passes pivots as int: LAPACK must use 32-bit ints");

static int check_dim(size_t n, const char *what, const char *fn) {
    if (n == 0) return marl_error(MARL_EINVAL, "%s: %s must be > 0", fn, what);
    if (n > MARL_LINALG_MAX_N)
        return marl_error(MARL_EINVAL,
                          "%s: %s = %zu exceeds the LAPACK limit %zu", fn, what,
                          n, MARL_LINALG_MAX_N);
    return MARL_OK;
}

int marl_linalg_lu(size_t n, double *A, int *ipiv) {
    int rc = check_dim(n, "n", "marl_linalg_lu");
    if (rc) return rc;
    if (!A || !ipiv)
        return marl_error(MARL_EINVAL, "marl_linalg_lu: NULL matrix or pivots");
    lapack_int ni = (lapack_int)n;
    lapack_int info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, ni, ni, A, ni,
                                          (lapack_int *)ipiv);
    if (info > 0)
        return marl_error(MARL_EINTERNAL,
                          "marl_linalg_lu: the %zu x %zu matrix is singular "
                          "(zero pivot in column %d of the LU factorisation)",
                          n, n, (int)info);
    if (info < 0)
        return marl_error(MARL_EINTERNAL,
                          "marl_linalg_lu: LAPACK dgetrf rejected argument %d",
                          (int)-info);
    return MARL_OK;
}

int marl_linalg_lu_solve(size_t n, size_t nrhs, const double *LU,
                         const int *ipiv, int transpose, double *B) {
    int rc = check_dim(n, "n", "marl_linalg_lu_solve");
    if (!rc) rc = check_dim(nrhs, "nrhs", "marl_linalg_lu_solve");
    if (rc) return rc;
    if (!LU || !ipiv || !B)
        return marl_error(MARL_EINVAL,
                          "marl_linalg_lu_solve: NULL factor, pivots or B");
    lapack_int ni = (lapack_int)n;
    /* LU holds the factors of A^T (see the file comment). */
    char trans = transpose ? 'N' : 'T';
    /* OpenBLAS runs dgetrs with several right-hand sides on its thread pool
     * whatever the size; for small systems that costs more than it saves,
     * so small blocks are solved one right-hand side at a time (the same
     * arithmetic, so the same bits). */
    size_t batch = (n * nrhs < MARL_LINALG_SMALL) ? 1 : nrhs;
    lapack_int info = 0;
    for (size_t k = 0; k < nrhs && info == 0; k += batch)
        info = LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, trans, ni,
                                   (lapack_int)batch, LU, ni,
                                   (const lapack_int *)ipiv, B + k * n, ni);
    if (info != 0)
        return marl_error(MARL_EINTERNAL,
                          "marl_linalg_lu_solve: LAPACK dgetrs rejected "
                          "argument %d",
                          (int)-info);
    return MARL_OK;
}

int marl_linalg_solve(size_t n, size_t nrhs, double *A, double *B, int *ipiv) {
    int rc = check_dim(nrhs, "nrhs", "marl_linalg_solve");
    if (rc) return rc;
    if (!B) return marl_error(MARL_EINVAL, "marl_linalg_solve: NULL B");
    rc = marl_linalg_lu(n, A, ipiv);
    if (rc) return rc;
    return marl_linalg_lu_solve(n, nrhs, A, ipiv, 0, B);
}

int marl_linalg_table_times(size_t m, size_t k, size_t nrhs, double alpha,
                            const double *A, const double *X, double beta,
                            double *C) {
    const char *fn = "marl_linalg_table_times";
    int rc = check_dim(m, "m", fn);
    if (!rc) rc = check_dim(k, "k", fn);
    if (!rc) rc = check_dim(nrhs, "nrhs", fn);
    if (rc) return rc;
    if (!A || !X || !C) return marl_error(MARL_EINVAL, "%s: NULL matrix", fn);
    if (nrhs == 1) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, (int)k, alpha, A,
                    (int)k, X, 1, beta, C, 1);
    } else {
        /* Row-major m x k A is column-major k x m: C = A'^T X. */
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)m, (int)nrhs,
                    (int)k, alpha, A, (int)k, X, (int)k, beta, C, (int)m);
    }
    return MARL_OK;
}
