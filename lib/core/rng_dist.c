/* Non-uniform distributions on top of xoshiro256**: normal, gamma,
 * binomial, categorical, Dirichlet, multinomial, k-of-n subsets.
 *
 * Every function consumes the generator deterministically (the number of
 * draws depends only on the values drawn), so a seed fixes every result.
 * SPDX-License-Identifier: MIT */
#include "internal.h"
#include "rng_impl.h"

#include <math.h>
#include <stdlib.h>

/* Largest trial count for which every count is exact in a double. */
#define MARL_BINOMIAL_MAX_TRIALS (UINT64_C(1) << 53)

/* ---- normal and gamma ---------------------------------------------------- */

/* Marsaglia polar method; the second value is discarded, so a call's
 * consumption (2 draws per attempt, acceptance pi/4) depends only on its own
 * draws. */
static double normal_draw(marl_rng *r) {
    for (;;) {
        double u = 2.0 * marl_rng_next_double(r) - 1.0;
        double v = 2.0 * marl_rng_next_double(r) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0) return u * sqrt(-2.0 * log(s) / s);
    }
}

double marl_rng_normal(marl_rng *rng) {
    if (!rng) return NAN;
    return normal_draw(rng);
}

/* Marsaglia and Tsang (2000), "A simple method for generating gamma
 * variables", for shape a >= 1. Draws per attempt: a polar normal (retried
 * while 1 + c x <= 0), then one uniform. Always returns a value > 0. */
static double gamma_mt(marl_rng *r, double a) {
    const double d = a - 1.0 / 3.0;
    const double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = normal_draw(r);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = marl_rng_next_double(r);
        const double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
        if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v))) return d * v;
    }
}

/* Gamma(a) for a < 1 by the boost Gamma(a) = Gamma(a + 1) U^(1/a), U in
 * (0, 1] drawn after the Gamma(a + 1) variate. Both in log space here. */
static double log_gamma_draw(marl_rng *r, double a) {
    if (a >= 1.0) return log(gamma_mt(r, a));
    double g = gamma_mt(r, a + 1.0);
    return log(g) + log(marl_rng_next_open0(r)) / a;
}

static int check_shape(double a, const char *fn, const char *what) {
    if (!isfinite(a) || !(a > 0.0))
        return marl_error(MARL_EINVAL, "%s: %s = %.17g must be finite and > 0",
                          fn, what, a);
    return MARL_OK;
}

int marl_rng_gamma(marl_rng *rng, double shape, double *out) {
    if (!rng) return marl_error(MARL_EINVAL, "marl_rng_gamma: rng is NULL");
    if (!out) return marl_error(MARL_EINVAL, "marl_rng_gamma: out is NULL");
    int rc = check_shape(shape, "marl_rng_gamma", "shape");
    if (rc) return rc;
    if (shape >= 1.0) {
        *out = gamma_mt(rng, shape);
    } else {
        double g = gamma_mt(rng, shape + 1.0);
        *out = g * pow(marl_rng_next_open0(rng), 1.0 / shape);
    }
    return MARL_OK;
}

/* ---- binomial ------------------------------------------------------------ */

/* fc(k) = log k! - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi)/2], the
 * Stirling remainder: exact values for k <= 15, the asymptotic series in
 * k + 1 (error < 1e-14) beyond. */
static const double FC_TABLE[16] = {
    0.08106146679532725822,  0.041340695955409294094,
    0.027677925684998339149, 0.020790672103765093112,
    0.016644691189821192163, 0.013876128823070747999,
    0.011896709945891770095, 0.010411265261972096497,
    0.0092554621827127329177, 0.0083305634333628712565,
    0.007573675487951840795, 0.0069428401072095298657,
    0.0064089941880042070684, 0.0059513701127588477356,
    0.005554733551962801371, 0.0052076559196096404407};

static double stirling_fc(double k) {
    if (k < 16.0) return FC_TABLE[(int)k];
    const double x = k + 1.0, x2 = x * x;
    return (1.0 / 12.0 -
            (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * x2)) / x2) / x2) /
           x;
}

/* Inversion by sequential search from 0 (for n p < 10, p <= 1/2): one
 * uniform per attempt; a new attempt only if rounding left the uniform above
 * the computed total mass (probability ~1e-15). */
static uint64_t binomial_inversion(marl_rng *r, uint64_t n, double p) {
    const double nd = (double)n;
    const double q = 1.0 - p;
    const double s = p / q;
    const double a = (nd + 1.0) * s;
    const double r0 = exp(nd * log1p(-p));
    for (;;) {
        double u = marl_rng_next_double(r);
        double pk = r0;
        uint64_t x = 0;
        for (;;) {
            if (u < pk) return x;
            u -= pk;
            ++x;
            if (x > n) break;
            pk *= a / (double)x - s;
            if (!(pk > 0.0)) break;
        }
    }
}

/* log(1 + num/den) where num = x + 1 - p (n + 2) is evaluated with the
 * rounding error of p n recovered by fma, so no cancellation for large n:
 * L(x) = log((x + 1) q / (p (n - x + 1))). */
static double btrs_l(double x, double nd, double p, double pn, double pn_err) {
    double num = ((x - pn) + (1.0 - 2.0 * p)) - pn_err;
    return log1p(num / (p * (nd - x + 1.0)));
}

/* Quantities of log f(k) - log f(m) that do not depend on k. */
typedef struct {
    double nd, p, m, pn, pn_err, lm, fcm;
} btrs_ratio;

static void btrs_ratio_init(btrs_ratio *t, double nd, double p) {
    t->nd = nd;
    t->p = p;
    t->m = floor((nd + 1.0) * p);
    t->pn = p * nd;
    t->pn_err = fma(p, nd, -t->pn);
    t->lm = (t->m + 0.5) * btrs_l(t->m, nd, p, t->pn, t->pn_err);
    t->fcm = stirling_fc(t->m) + stirling_fc(nd - t->m);
}

/* log f(k) - log f(m) for the binomial pmf f, m = floor((n + 1) p), by
 * Stirling's formula with exact remainders, arranged so that the large
 * terms cancel analytically: with L as above,
 *   (m + 1/2) L(m) - (k + 1/2) L(k) + (n + 1) log(1 + (k - m)/(n - k + 1))
 *   + fc(m) + fc(n - m) - fc(k) - fc(n - k). */
static double btrs_log_ratio(const btrs_ratio *t, double k) {
    return t->lm - (k + 0.5) * btrs_l(k, t->nd, t->p, t->pn, t->pn_err) +
           (t->nd + 1.0) * log1p((k - t->m) / (t->nd - k + 1.0)) + t->fcm -
           stirling_fc(k) - stirling_fc(t->nd - k);
}

double marl_binomial_log_ratio(uint64_t n, double p, uint64_t k) {
    btrs_ratio t;
    btrs_ratio_init(&t, (double)n, p);
    return btrs_log_ratio(&t, (double)k);
}

/* BTRS: Hörmann (1993), "The generation of binomial random variates",
 * J. Statist. Comput. Simul. 46, transformed rejection with squeeze, for
 * p <= 1/2 and n p >= 10. Two uniforms per attempt. The acceptance test
 * compares with log f(k)/f(m) evaluated exactly up to rounding (see
 * btrs_log_ratio), so the algorithm is exact up to floating-point
 * rounding. */
static uint64_t binomial_btrs(marl_rng *r, uint64_t n, double p) {
    const double nd = (double)n;
    const double q = 1.0 - p;
    const double spq = sqrt(nd * p * q);
    const double b = 1.15 + 2.53 * spq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = nd * p + 0.5;
    const double v_r = 0.92 - 4.2 / b;
    const double alpha = (2.83 + 5.1 / b) * spq;
    btrs_ratio t;
    btrs_ratio_init(&t, nd, p);
    for (;;) {
        const double u = marl_rng_next_double(r) - 0.5;
        double v = marl_rng_next_double(r);
        const double us = 0.5 - fabs(u);
        if (!(us > 0.0)) continue;
        const double k = floor((2.0 * a / us + b) * u + c);
        if (k < 0.0 || k > nd) continue;
        if (us >= 0.07 && v <= v_r) return (uint64_t)k;
        v = log(v * alpha / (a / (us * us) + b));
        if (v <= btrs_log_ratio(&t, k)) return (uint64_t)k;
    }
}

/* Binomial(n, p) for validated n <= 2^53 and p in [0, 1]. No draw when the
 * result is certain; p > 1/2 by symmetry n - B(n, 1 - p). */
static uint64_t binomial_draw(marl_rng *r, uint64_t n, double p) {
    if (n == 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    const int flip = p > 0.5;
    const double pp = flip ? 1.0 - p : p;
    const uint64_t x = ((double)n * pp < 10.0) ? binomial_inversion(r, n, pp)
                                                : binomial_btrs(r, n, pp);
    return flip ? n - x : x;
}

int marl_rng_binomial(marl_rng *rng, uint64_t trials, double p,
                      uint64_t *out) {
    if (!rng) return marl_error(MARL_EINVAL, "marl_rng_binomial: rng is NULL");
    if (!out) return marl_error(MARL_EINVAL, "marl_rng_binomial: out is NULL");
    if (!isfinite(p) || p < 0.0 || p > 1.0)
        return marl_error(MARL_EINVAL,
                          "marl_rng_binomial: p = %.17g is not in [0, 1]", p);
    if (trials > MARL_BINOMIAL_MAX_TRIALS)
        return marl_error(MARL_ERANGE,
                          "marl_rng_binomial: trials = %llu exceeds 2^53",
                          (unsigned long long)trials);
    *out = binomial_draw(rng, trials, p);
    return MARL_OK;
}

/* ---- categorical, Dirichlet, multinomial --------------------------------- */

int marl_rng_categorical(marl_rng *rng, const double *p, size_t n,
                         size_t *out) {
    if (!rng)
        return marl_error(MARL_EINVAL, "marl_rng_categorical: rng is NULL");
    if (!p) return marl_error(MARL_EINVAL, "marl_rng_categorical: p is NULL");
    if (!out)
        return marl_error(MARL_EINVAL, "marl_rng_categorical: out is NULL");
    if (n == 0)
        return marl_error(MARL_EINVAL, "marl_rng_categorical: n is 0");
    int rc = marl_check_distribution(p, n, "marl_rng_categorical: p");
    if (rc) return rc;
    double total = 0.0;
    for (size_t i = 0; i < n; ++i) total += p[i];
    /* Inversion against the exact total, so the tolerated 1e-9 deviation
     * is spread proportionally; zero entries are never selected and
     * rounding beyond the last step falls back to the last positive entry. */
    const double target = marl_rng_next_double(rng) * total;
    double cum = 0.0;
    size_t last = 0;
    for (size_t i = 0; i < n; ++i) {
        if (p[i] > 0.0) {
            cum += p[i];
            last = i;
            if (target < cum) {
                *out = i;
                return MARL_OK;
            }
        }
    }
    *out = last;
    return MARL_OK;
}

int marl_rng_dirichlet(marl_rng *rng, const double *alpha, size_t n,
                       double *out) {
    if (!rng) return marl_error(MARL_EINVAL, "marl_rng_dirichlet: rng is NULL");
    if (!alpha)
        return marl_error(MARL_EINVAL, "marl_rng_dirichlet: alpha is NULL");
    if (!out) return marl_error(MARL_EINVAL, "marl_rng_dirichlet: out is NULL");
    if (n == 0) return marl_error(MARL_EINVAL, "marl_rng_dirichlet: n is 0");
    for (size_t i = 0; i < n; ++i) {
        if (!isfinite(alpha[i]) || !(alpha[i] > 0.0))
            return marl_error(MARL_EINVAL,
                              "marl_rng_dirichlet: alpha[%zu] = %.17g must be "
                              "finite and > 0",
                              i, alpha[i]);
    }
    /* Gamma(alpha_i) draws in order i = 0..n-1, kept as logarithms so that
     * tiny shapes (whose gammas underflow) still normalise correctly. */
    double lmax = -HUGE_VAL;
    for (size_t i = 0; i < n; ++i) {
        out[i] = log_gamma_draw(rng, alpha[i]);
        if (out[i] > lmax) lmax = out[i];
    }
    if (lmax == -HUGE_VAL) {
        /* Every log-gamma underflowed (all shapes below ~1e-308): the limit
         * puts all mass on one component, chosen with probability
         * proportional to alpha (one more uniform). */
        double total = 0.0;
        for (size_t i = 0; i < n; ++i) total += alpha[i];
        const double target = marl_rng_next_double(rng) * total;
        double cum = 0.0;
        size_t pick = n - 1;
        for (size_t i = 0; i < n; ++i) {
            cum += alpha[i];
            if (target < cum) {
                pick = i;
                break;
            }
        }
        for (size_t i = 0; i < n; ++i) out[i] = (i == pick) ? 1.0 : 0.0;
        return MARL_OK;
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
        out[i] = exp(out[i] - lmax);
        sum += out[i];
    }
    for (size_t i = 0; i < n; ++i) out[i] /= sum;
    return MARL_OK;
}

int marl_rng_multinomial(marl_rng *rng, uint64_t trials, const double *p,
                         size_t n, uint64_t *out) {
    if (!rng)
        return marl_error(MARL_EINVAL, "marl_rng_multinomial: rng is NULL");
    if (!p) return marl_error(MARL_EINVAL, "marl_rng_multinomial: p is NULL");
    if (!out)
        return marl_error(MARL_EINVAL, "marl_rng_multinomial: out is NULL");
    if (n == 0)
        return marl_error(MARL_EINVAL, "marl_rng_multinomial: n is 0");
    if (trials > MARL_BINOMIAL_MAX_TRIALS)
        return marl_error(MARL_ERANGE,
                          "marl_rng_multinomial: trials = %llu exceeds 2^53",
                          (unsigned long long)trials);
    int rc = marl_check_distribution(p, n, "marl_rng_multinomial: p");
    if (rc) return rc;
    double total = 0.0;
    size_t last = 0;
    for (size_t i = 0; i < n; ++i) {
        total += p[i];
        if (p[i] > 0.0) last = i;
    }
    /* Sequential conditional binomials: X_i ~ B(remaining, p_i / mass_i),
     * mass_i = total - sum_{j<i} p_j; the last positive entry takes the
     * remainder, entries of probability 0 always get 0. */
    uint64_t remaining = trials;
    double before = 0.0;
    for (size_t i = 0; i < last; ++i) {
        uint64_t x = 0;
        if (remaining > 0 && p[i] > 0.0) {
            double mass = total - before;
            double q = (mass > p[i]) ? p[i] / mass : 1.0;
            x = binomial_draw(rng, remaining, q);
        }
        out[i] = x;
        remaining -= x;
        before += p[i];
    }
    out[last] = remaining;
    for (size_t i = last + 1; i < n; ++i) out[i] = 0;
    return MARL_OK;
}

/* ---- k of n -------------------------------------------------------------- */

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Up to this many samples, membership is a linear scan of out (no memory). */
#define MARL_KOFN_SCAN_MAX 32

int marl_rng_sample_k_of_n(marl_rng *rng, size_t n, size_t k, size_t *out) {
    if (!rng)
        return marl_error(MARL_EINVAL, "marl_rng_sample_k_of_n: rng is NULL");
    if (k > n)
        return marl_error(MARL_ERANGE,
                          "marl_rng_sample_k_of_n: k = %zu exceeds n = %zu", k,
                          n);
    if (k == 0) return MARL_OK;
    if (!out)
        return marl_error(MARL_EINVAL, "marl_rng_sample_k_of_n: out is NULL");
    if (k == n) { /* the only subset; no draw */
        for (size_t i = 0; i < n; ++i) out[i] = i;
        return MARL_OK;
    }
    /* Floyd's algorithm: for j = n-k..n-1 draw t uniform in [0, j]; insert t,
     * or j if t was already chosen. One uniform_int draw per element. */
    size_t *table = NULL, mask = 0;
    unsigned shift = 0;
    if (k > MARL_KOFN_SCAN_MAX) {
        /* open-addressing set, load <= 1/2; SIZE_MAX marks empty slots
         * (every index is < n <= SIZE_MAX) */
        size_t cap = 64;
        shift = 58;
        while (cap / 2 < k) {
            if (cap > SIZE_MAX / 2 / sizeof(size_t))
                return marl_error(MARL_ERANGE,
                                  "marl_rng_sample_k_of_n: k = %zu too large",
                                  k);
            cap *= 2;
            --shift;
        }
        table = marl_malloc(cap * sizeof *table);
        if (!table) return marl_error_nomem("a k-of-n sampling set");
        for (size_t i = 0; i < cap; ++i) table[i] = SIZE_MAX;
        mask = cap - 1;
    }
    size_t count = 0;
    for (size_t j = n - k; j < n; ++j) {
        size_t t = (size_t)marl_rng_next_below(rng, (uint64_t)j + 1);
        if (!table) {
            for (size_t i = 0; i < count; ++i) {
                if (out[i] == t) {
                    t = j;
                    break;
                }
            }
        } else {
            size_t h = (size_t)(((uint64_t)t * UINT64_C(0x9e3779b97f4a7c15)) >>
                                shift) & mask;
            for (;;) {
                if (table[h] == SIZE_MAX) break;
                if (table[h] == t) {
                    t = j; /* j is new: larger than every element so far */
                    h = (size_t)(((uint64_t)t *
                                  UINT64_C(0x9e3779b97f4a7c15)) >>
                                 shift) & mask;
                    while (table[h] != SIZE_MAX) h = (h + 1) & mask;
                    break;
                }
                h = (h + 1) & mask;
            }
            table[h] = t;
        }
        out[count++] = t;
    }
    marl_free(table);
    qsort(out, k, sizeof *out, cmp_size);
    return MARL_OK;
}
