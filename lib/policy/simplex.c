/* Euclidean projection onto the probability simplex (simplex.h).
 * SPDX-License-Identifier: MIT */
#include "simplex.h"

#include <stdlib.h>
#include <string.h>

static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

void marl_simplex_project(const double *v, size_t n, double *out,
                          double *work) {
    /* Sort a copy in decreasing order u_1 >= ... >= u_n; the support size is
     * rho = max{j : u_j - (sum_{k<=j} u_k - 1) / j > 0} and the threshold
     * theta = (sum_{k<=rho} u_k - 1) / rho; p = max(v - theta, 0). */
    memcpy(work, v, n * sizeof *work);
    if (n > 1) qsort(work, n, sizeof *work, cmp_desc);
    double cum = 0.0, theta = work[0] - 1.0;
    for (size_t j = 0; j < n; ++j) {
        cum += work[j];
        double t = (cum - 1.0) / (double)(j + 1);
        if (work[j] - t > 0.0) theta = t;
        else break;
    }
    for (size_t k = 0; k < n; ++k) {
        double p = v[k] - theta;
        out[k] = p > 0.0 ? p : 0.0;
    }
}
