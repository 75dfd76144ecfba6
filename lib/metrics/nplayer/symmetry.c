/*
 * Sampled alpha, beta symmetry constants of a population game (nplayer.h;
 * seed 001 Def. 7). For each sample, mu = Multinomial(N - 1, p) / (N - 1)
 * with p ~ Dirichlet(1, ..., 1) over S x A (an empirical distribution of
 * N - 1 other agents, as in Def. 7; N = 1: mu = p), and for every step and
 * (s, a): alpha = max_i ||P^i(.|s,a,mu) - Pbar(.|s,a,mu)||_1, beta =
 * max_i |R^i(s,a,mu) - Rbar(s,a,mu)|, Pbar and Rbar the averages over
 * agents (the induced MFG, seed Def. 6). Symmetric games return 0, 0
 * without sampling. The maxima over samples are lower bounds of the
 * constants.
 * SPDX-License-Identifier: MIT
 */
#include "marlgame/nplayer.h"
#include "game/population/population_impl.h"
#include "core/rng_impl.h"

#include <math.h>
#include <string.h>

int marl_population_symmetry(marl_game *game, size_t n_samples, uint64_t seed,
                             double *alpha, double *beta) {
    const char *fn = "marl_population_symmetry";
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    if (!alpha || !beta)
        return marl_error(MARL_EINVAL, "%s: alpha or beta is NULL", fn);
    if (n_samples == 0)
        return marl_error(MARL_EINVAL, "%s: n_samples is 0", fn);
    const marl_population_data *d = marl_population_of(game);
    if (d->symmetric) {
        *alpha = *beta = 0.0;
        return MARL_OK;
    }
    size_t N = d->N, S = d->S, A = d->A, SA = S * A, NS;
    if (!marl_mul_size(N, S + 1, &NS) || NS > SIZE_MAX / sizeof(double))
        return marl_error(MARL_ERANGE, "%s: too many agents", fn);
    double *rows = marl_malloc(NS * sizeof *rows);
    double *p = marl_malloc(2 * SA * sizeof *p);
    double *ones = marl_malloc(SA * sizeof *ones);
    uint64_t *cnt = marl_malloc(SA * sizeof *cnt);
    marl_rng *r = NULL;
    if (!rows || !p || !ones || !cnt) {
        rc = marl_error_nomem("the symmetry estimator's tables");
        goto done;
    }
    rc = marl_rng_new(&r, seed);
    if (rc) goto done;
    double *mu = p + SA, *R = rows + N * S;
    for (size_t q = 0; q < SA; ++q) ones[q] = 1.0;
    double al = 0.0, be = 0.0;
    for (size_t n = 0; n < n_samples && !rc; ++n) {
        rc = marl_rng_dirichlet(r, ones, SA, p);
        if (rc) break;
        if (N > 1) {
            rc = marl_rng_multinomial(r, N - 1, p, SA, cnt);
            if (rc) break;
            for (size_t q = 0; q < SA; ++q)
                mu[q] = (double)cnt[q] / (double)(N - 1);
        } else {
            memcpy(mu, p, SA * sizeof *mu);
        }
        for (size_t h = 0; h < d->H && !rc; ++h)
            for (size_t q = 0; q < SA && !rc; ++q) {
                size_t s = q / A, a = q % A;
                for (size_t i = 0; i < N && !rc; ++i) {
                    rc = marl_population_call_transition(d, fn, i, h, s, a, mu,
                                                         rows + i * S);
                    if (!rc)
                        rc = marl_population_call_reward(d, fn, i, h, s, a, mu,
                                                         &R[i]);
                }
                if (rc) break;
                double rbar = 0.0;
                for (size_t i = 0; i < N; ++i) rbar += R[i];
                rbar /= (double)N;
                for (size_t s2 = 0; s2 < S; ++s2) {
                    double pb = 0.0;
                    for (size_t i = 0; i < N; ++i) pb += rows[i * S + s2];
                    p[s2] = pb / (double)N; /* p is free now: Pbar */
                }
                for (size_t i = 0; i < N; ++i) {
                    double l1 = 0.0;
                    for (size_t s2 = 0; s2 < S; ++s2)
                        l1 += fabs(rows[i * S + s2] - p[s2]);
                    if (l1 > al) al = l1;
                    double dr = fabs(R[i] - rbar);
                    if (dr > be) be = dr;
                }
            }
    }
    if (!rc) {
        *alpha = al;
        *beta = be;
    }
done:
    marl_rng_free(r);
    marl_free(rows);
    marl_free(p);
    marl_free(ones);
    marl_free(cnt);
    return rc;
}
