/*
 * The tabulated form of a population game: identical agents, stationary
 * dynamics and rewards that are affine in the others' state-action
 * distribution sigma (K = S * A components, k = s'' * A + a''):
 *   P(s' | s, a, sigma) = P0[(s*A + a)*S + s'] + sum_k P1[((s*A + a)*S + s')*K + k] sigma_k
 *   R(s, a, sigma)      = R0[s*A + a] + sum_k R1[(s*A + a)*K + k] sigma_k
 * (covers rps, sis and other congestion/epidemic models). An affine row is
 * a distribution for every sigma in the simplex iff it is one at every
 * vertex sigma = e_k, so the tables are validated exactly at set time:
 * each row P0 + P1[., k] must be finite, >= 0 and sum to 1 (1e-9) for
 * every k (entries >= 0 exactly; evaluated entries in (-1e-12, 0) that
 * rounding may produce are returned as 0). The builder installs internal callbacks over a copy of the
 * tables (owned by the game) and marks the game symmetric.
 * SPDX-License-Identifier: MIT
 */
#include "game/population/population_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct lin_tables {
    size_t S, A, K;
    double *P0, *P1, *R0, *R1; /* P1, R1 may be NULL (zero) */
} lin_tables;

static void lin_free(void *user) {
    lin_tables *t = user;
    if (!t) return;
    marl_free(t->P0);
    marl_free(t->P1);
    marl_free(t->R0);
    marl_free(t->R1);
    marl_free(t);
}

static int lin_transition(void *user, size_t agent, size_t step, size_t s,
                          size_t a, const double *sigma, double *row) {
    (void)agent, (void)step;
    const lin_tables *t = user;
    const size_t S = t->S, K = t->K, sa = s * t->A + a;
    for (size_t n = 0; n < S; ++n) {
        double x = t->P0[sa * S + n];
        if (t->P1) {
            const double *c = t->P1 + (sa * S + n) * K;
            for (size_t k = 0; k < K; ++k) x += c[k] * sigma[k];
        }
        /* rounding of an affine combination of vertex rows that are exactly
         * 0 there: clamp (changes values by < 1e-12) */
        row[n] = (x < 0.0 && x > -1e-12) ? 0.0 : x;
    }
    return 0;
}

static int lin_reward(void *user, size_t agent, size_t step, size_t s,
                      size_t a, const double *sigma, double *r) {
    (void)agent, (void)step;
    const lin_tables *t = user;
    const size_t K = t->K, sa = s * t->A + a;
    double x = t->R0[sa];
    if (t->R1) {
        const double *c = t->R1 + sa * K;
        for (size_t k = 0; k < K; ++k) x += c[k] * sigma[k];
    }
    *r = x;
    return 0;
}

static double *dup_table(const double *src, size_t n) {
    double *d = marl_calloc(n, sizeof *d);
    if (d) memcpy(d, src, n * sizeof *d);
    return d;
}

/* Validate every row at every vertex of the simplex. */
static int check_tables(const lin_tables *t, const char *fn) {
    const size_t S = t->S, A = t->A, K = t->K;
    for (size_t sa = 0; sa < S * A; ++sa) {
        if (!isfinite(t->R0[sa]))
            return marl_error(MARL_EINVAL, "%s: R0 of state %zu, action %zu "
                              "is not finite", fn, sa / A, sa % A);
        for (size_t k = 0; t->R1 && k < K; ++k)
            if (!isfinite(t->R1[sa * K + k]))
                return marl_error(MARL_EINVAL,
                                  "%s: R1 of state %zu, action %zu, sigma "
                                  "component %zu (state %zu, action %zu) is "
                                  "not finite", fn, sa / A, sa % A, k, k / A,
                                  k % A);
        for (size_t k = 0; k < (t->P1 ? K : 1); ++k) {
            double sum = 0.0;
            for (size_t n = 0; n < S; ++n) {
                double x = t->P0[sa * S + n];
                if (t->P1) x += t->P1[(sa * S + n) * K + k];
                if (!isfinite(x) || x < 0.0)
                    return marl_error(MARL_EINVAL,
                                      "%s: transition row of state %zu, "
                                      "action %zu at the vertex sigma = e_%zu "
                                      "(state %zu, action %zu): entry %zu "
                                      "is %s (%.17g)", fn, sa / A, sa % A, k,
                                      k / A, k % A, n,
                                      isfinite(x) ? "negative" : "not finite",
                                      x);
                sum += x;
            }
            if (fabs(sum - 1.0) > MARL_PROB_TOL)
                return marl_error(MARL_EINVAL,
                                  "%s: transition row of state %zu, action "
                                  "%zu at the vertex sigma = e_%zu (state "
                                  "%zu, action %zu) sums to %.17g, expected 1",
                                  fn, sa / A, sa % A, k, k / A, k % A, sum);
        }
    }
    return MARL_OK;
}

int marl_population_builder_set_linear(marl_population_builder *b,
                                       const double *P0, const double *P1,
                                       const double *R0, const double *R1) {
    const char *fn = "marl_population_builder_set_linear";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!P0) return marl_error(MARL_EINVAL, "%s: P0 is NULL", fn);
    if (!R0) return marl_error(MARL_EINVAL, "%s: R0 is NULL", fn);
    size_t S = 0, A = 0;
    marl_population_builder_dims(b, &S, &A);
    const size_t K = S * A;
    size_t nP1 = 0, nR1 = 0;
    if (!marl_mul_size(K * S, K, &nP1) || !marl_mul_size(K, K, &nR1) ||
        !marl_mul_size(nP1, sizeof(double), &nP1) ||
        !marl_mul_size(nR1, sizeof(double), &nR1))
        return marl_error(MARL_ERANGE, "%s: S = %zu, A = %zu: the tables are "
                          "too large", fn, S, A);
    nP1 /= sizeof(double);
    nR1 /= sizeof(double);
    lin_tables *t = marl_calloc(1, sizeof *t);
    if (!t) return marl_error_nomem("the linear tables");
    t->S = S;
    t->A = A;
    t->K = K;
    t->P0 = dup_table(P0, K * S);
    t->R0 = dup_table(R0, K);
    t->P1 = P1 ? dup_table(P1, nP1) : NULL;
    t->R1 = R1 ? dup_table(R1, nR1) : NULL;
    if (!t->P0 || !t->R0 || (P1 && !t->P1) || (R1 && !t->R1)) {
        lin_free(t);
        return marl_error_nomem("the linear tables");
    }
    int rc = check_tables(t, fn);
    if (rc) {
        lin_free(t);
        return rc;
    }
    static const marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                                            lin_transition, lin_reward,
                                            lin_free};
    rc = marl_population_builder_set_ops(b, &ops, t);
    if (rc) {
        lin_free(t);
        return rc;
    }
    return marl_population_builder_set_symmetric(b, 1);
}
