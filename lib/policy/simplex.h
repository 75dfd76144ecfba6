/*
 * Euclidean projection onto the probability simplex. Internal.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_POLICY_SIMPLEX_H
#define MARL_POLICY_SIMPLEX_H

#include <stddef.h>

/* out = argmin_{p in simplex} ||p - v||_2 for v[0..n-1] (n >= 1, finite),
 * by the sort-based method (Held, Wolfe, Crowder 1974; Duchi et al. 2008),
 * O(n log n). `work` holds n doubles; out may alias v but not work. */
void marl_simplex_project(const double *v, size_t n, double *out,
                          double *work);

#endif /* MARL_POLICY_SIMPLEX_H */
