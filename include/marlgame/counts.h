/*
 * libmarlgame — count vectors and their ranks.
 *
 * A count vector c = (c_0, ..., c_{m-1}) of non-negative integers with
 * sum k describes how k indistinguishable agents spread over m categories
 * (states, actions). There are C(k + m - 1, m - 1) of them. Solvers that
 * tabulate functions of count vectors (the global agent's policy of
 * ALTERNATING-MARL, count-based Markov games) index them by their rank in
 * the combinatorial number system, never by hashing:
 *
 *   stars and bars: c  <->  bar positions b_1 < ... < b_{m-1} in
 *   [0, k + m - 1), b_j = c_0 + ... + c_{j-1} + (j - 1);
 *   rank(c) = sum_{j=1}^{m-1} C(b_j, j)      (colexicographic order).
 *
 * Rank 0 is (0, ..., 0, k) and the last rank is (k, 0, ..., 0).
 * marl_counts_next enumerates the vectors in increasing rank.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_COUNTS_H
#define MARLGAME_COUNTS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of count vectors with m >= 1 parts summing to k:
 *  C(k + m - 1, m - 1). MARL_EINVAL if m == 0 or out is NULL, MARL_ERANGE
 *  if the number does not fit in size_t. */
MARL_API int marl_counts_size(size_t k, size_t m, size_t *out);

/** Rank of c[0..m-1] (its entries must sum to k; MARL_EINVAL otherwise or
 *  on overflow of the sum). MARL_ERANGE if C(k + m - 1, m - 1) does not fit
 *  in size_t. */
MARL_API int marl_counts_rank(const size_t *c, size_t m, size_t k,
                              size_t *rank);

/** Inverse of marl_counts_rank: c[0..m-1] of the given rank.
 *  MARL_EINVAL if rank >= marl_counts_size(k, m). */
MARL_API int marl_counts_unrank(size_t rank, size_t m, size_t k, size_t *c);

/** Advance c[0..m-1] to the count vector of the next rank. Returns 1 and
 *  updates c, or returns 0 (c unchanged) if c is the last vector
 *  (k, 0, ..., 0) or m < 2. Start from (0, ..., 0, k) (rank 0) to visit
 *  all. No validation (hot loops): c must be a valid count vector. */
MARL_API int marl_counts_next(size_t *c, size_t m);

#ifdef __cplusplus
}
#endif

#endif /* MARLGAME_COUNTS_H */
