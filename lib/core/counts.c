/*
 * Count vectors ranked in the combinatorial number system (counts.h).
 * SPDX-License-Identifier: MIT
 */
#include "marlgame/counts.h"
#include "core/internal.h"

#include <stdint.h>

static size_t gcd_size(size_t a, size_t b) {
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* C(n, r) exactly, or 0 with *overflow = 1 if it does not fit in size_t.
 * Each partial product res * (n - r + i) / i is an integer; dividing by
 * gcd(res, i) first keeps the intermediate equal to the exact result. */
static size_t binom(size_t n, size_t r, int *overflow) {
    if (r > n) return 0;
    if (r > n - r) r = n - r;
    size_t res = 1;
    for (size_t i = 1; i <= r; ++i) {
        size_t num = n - r + i, den = i;
        size_t g = gcd_size(res, den);
        res /= g;
        den /= g;
        num /= den; /* exact: den divides num now */
        if (num != 0 && res > SIZE_MAX / num) {
            *overflow = 1;
            return 0;
        }
        res *= num;
    }
    return res;
}

int marl_counts_size(size_t k, size_t m, size_t *out) {
    if (!out) return marl_error(MARL_EINVAL, "marl_counts_size: out is NULL");
    if (m == 0)
        return marl_error(MARL_EINVAL, "marl_counts_size: m must be >= 1");
    if (k > SIZE_MAX - m)
        return marl_error(MARL_ERANGE, "marl_counts_size: k + m overflows");
    int of = 0;
    size_t v = binom(k + m - 1, m - 1, &of);
    if (of)
        return marl_error(MARL_ERANGE,
                          "marl_counts_size: C(%zu + %zu - 1, %zu - 1) does "
                          "not fit in size_t",
                          k, m, m);
    *out = v;
    return MARL_OK;
}

int marl_counts_rank(const size_t *c, size_t m, size_t k, size_t *rank) {
    if (!c || !rank)
        return marl_error(MARL_EINVAL, "marl_counts_rank: NULL argument");
    size_t total;
    int rc = marl_counts_size(k, m, &total);
    if (rc != MARL_OK) return rc;
    size_t sum = 0, r = 0;
    for (size_t j = 0; j < m; ++j) {
        if (c[j] > k - sum)
            return marl_error(MARL_EINVAL,
                              "marl_counts_rank: entries exceed the sum %zu "
                              "(at index %zu)",
                              k, j);
        /* bar j+1 sits after part j: b = c_0 + ... + c_j + j */
        sum += c[j];
        if (j + 1 < m) {
            int of = 0;
            r += binom(sum + j, j + 1, &of); /* < total: no overflow */
        }
    }
    if (sum != k)
        return marl_error(MARL_EINVAL,
                          "marl_counts_rank: entries sum to %zu, expected %zu",
                          sum, k);
    *rank = r;
    return MARL_OK;
}

int marl_counts_unrank(size_t rank, size_t m, size_t k, size_t *c) {
    if (!c) return marl_error(MARL_EINVAL, "marl_counts_unrank: c is NULL");
    size_t total;
    int rc = marl_counts_size(k, m, &total);
    if (rc != MARL_OK) return rc;
    if (rank >= total)
        return marl_error(MARL_EINVAL,
                          "marl_counts_unrank: rank %zu out of range (%zu "
                          "count vectors)",
                          rank, total);
    /* Greedy decoding of the combination b_1 < ... < b_{m-1} in
     * [0, k + m - 1): b_j is the largest b with C(b, j) <= rest. */
    size_t upper = k + m - 1; /* b_j < upper */
    size_t rest = rank;
    size_t next_bar = k + m - 1; /* position of the (virtual) bar m */
    for (size_t j = m - 1; j >= 1; --j) {
        size_t b = upper - 1, v;
        for (;;) { /* terminates: C(j - 1, j) = 0 <= rest */
            int of = 0;
            v = binom(b, j, &of);
            if (!of && v <= rest) break;
            --b;
        }
        rest -= v;
        /* part j = positions strictly between bar j and bar j+1 */
        c[j] = next_bar - b - 1;
        next_bar = b;
        upper = b;
    }
    c[0] = next_bar; /* bar 1 at position b_1 = c_0 */
    return MARL_OK;
}

int marl_counts_next(size_t *c, size_t m) {
    if (!c || m < 2) return 0;
    /* Colex successor of the bars: find the first bar j (1-based) that can
     * move right (b_j + 1 < b_{j+1}, i.e. part j non-empty), move it, and
     * reset bars 1..j-1 to 0..j-2. In counts: the first j >= 1 with
     * c_j > 0 gives c_j -= 1, c_{j-1} gets (c_0 + ... + c_{j-1}) + 1 and
     * parts 0..j-2 become 0. */
    size_t prefix = 0;
    for (size_t j = 1; j < m; ++j) {
        prefix += c[j - 1];
        if (c[j] > 0) {
            c[j] -= 1;
            for (size_t t = 0; t + 1 < j; ++t) c[t] = 0;
            c[j - 1] = prefix + 1;
            return 1;
        }
    }
    return 0;
}
