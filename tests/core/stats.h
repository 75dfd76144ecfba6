/*
 * Small statistics helpers for the fixed-seed distribution tests.
 * Every statistical assertion uses a threshold with a false-alarm
 * probability of about 3e-7 (z = 5) for a correct generator; with fixed
 * seeds the outcome is deterministic anyway.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_STATS_H
#define MARL_TEST_STATS_H

#include <math.h>
#include <stddef.h>

/* Assertions for hot loops: Check's ck_assert_* records a checkpoint (I/O
 * to the parent process) on every success, which is far too slow inside
 * loops of 10^5 draws; these only call into Check when the check fails. */
#define QCHECK(c)                                                            \
    do {                                                                     \
        if (!(c)) ck_assert(c);                                              \
    } while (0)
#define QCHECK_INT_EQ(a, b)                                                  \
    do {                                                                     \
        long long qa_ = (long long)(a), qb_ = (long long)(b);                \
        if (qa_ != qb_) ck_assert_int_eq(qa_, qb_);                          \
    } while (0)
#define QCHECK_UINT_EQ(a, b)                                                 \
    do {                                                                     \
        unsigned long long qa_ = (unsigned long long)(a),                    \
                           qb_ = (unsigned long long)(b);                    \
        if (qa_ != qb_) ck_assert_uint_eq(qa_, qb_);                         \
    } while (0)
#define QCHECK_UINT_LT(a, b)                                                 \
    do {                                                                     \
        unsigned long long qa_ = (unsigned long long)(a),                    \
                           qb_ = (unsigned long long)(b);                    \
        if (!(qa_ < qb_)) ck_assert_uint_lt(qa_, qb_);                       \
    } while (0)
#define QCHECK_UINT_LE(a, b)                                                 \
    do {                                                                     \
        unsigned long long qa_ = (unsigned long long)(a),                    \
                           qb_ = (unsigned long long)(b);                    \
        if (!(qa_ <= qb_)) ck_assert_uint_le(qa_, qb_);                      \
    } while (0)

/* Upper critical value of chi-square with df degrees of freedom at the
 * z-quantile z of the standard normal (Wilson-Hilferty approximation). */
static inline double chi2_crit(double df, double z) {
    double h = 2.0 / (9.0 * df);
    double t = 1.0 - h + z * sqrt(h);
    return df * t * t * t;
}

/* Pearson chi-square statistic of counts against expected probabilities
 * (categories with zero probability must have zero counts; the caller
 * checks that separately). Returns the statistic, *df = used categories -1.
 * Categories with expected count < 5 are pooled into one. */
static inline double chi2_stat(const double *counts, const double *prob,
                               size_t k, double n, double *df) {
    double stat = 0.0, pool_o = 0.0, pool_e = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < k; ++i) {
        double e = prob[i] * n;
        if (prob[i] <= 0.0) continue;
        if (e < 5.0) {
            pool_o += counts[i];
            pool_e += e;
            continue;
        }
        stat += (counts[i] - e) * (counts[i] - e) / e;
        ++used;
    }
    if (pool_e > 0.0) {
        stat += (pool_o - pool_e) * (pool_o - pool_e) / pool_e;
        ++used;
    }
    *df = (double)used - 1.0;
    return stat;
}

/* Running mean and variance (Welford). */
typedef struct {
    double n, mean, m2;
} moments;

static inline void mom_add(moments *m, double x) {
    m->n += 1.0;
    double d = x - m->mean;
    m->mean += d / m->n;
    m->m2 += d * (x - m->mean);
}
static inline double mom_var(const moments *m) {
    return m->m2 / (m->n - 1.0);
}

/* |sample mean - mu| within z standard errors, with true variance var. */
static inline int mean_ok(const moments *m, double mu, double var, double z) {
    return fabs(m->mean - mu) <= z * sqrt(var / m->n);
}
/* |sample variance - var| within z standard errors, given the true fourth
 * central moment mu4 (se^2 ~ (mu4 - var^2) / n). */
static inline int var_ok(const moments *m, double var, double mu4, double z) {
    return fabs(mom_var(m) - var) <= z * sqrt((mu4 - var * var) / m->n);
}

#endif /* MARL_TEST_STATS_H */
