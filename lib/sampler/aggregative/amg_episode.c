/*
 * Episodes of aggregative games (see amg_sampler.h).
 * SPDX-License-Identifier: MIT
 */
#include "sampler/aggregative/amg_sampler.h"

/* Inversion of p[0..S-1] at u in [0, 1): the first index whose cumulative
 * sum exceeds u; rounding leftovers go to the last positive entry. */
static size_t invert(const double *p, size_t S, double u) {
    double acc = 0;
    size_t last = 0;
    for (size_t t = 0; t < S; ++t) {
        if (p[t] > 0) last = t;
        acc += p[t];
        if (u < acc && p[t] > 0) return t;
    }
    return last;
}

int marl_amg_episode(marl_sampler *sampler, const marl_amg_data *a,
                     const size_t *actions, double *row, size_t *states,
                     double *xs) {
    marl_rng *rng = marl_sampler_rng(sampler);
    if (!rng)
        return marl_error(MARL_EINVAL, "aggregative episode: no sampler");
    double x[MARL_AGGREGATIVE_MAX_DIM];
    size_t s = invert(a->rho0, a->S, marl_rng_uniform(rng));
    states[0] = s;
    for (size_t h = 0; h < a->H; ++h) {
        marl_amg_aggregate(a, h, actions + (h * a->S + s) * a->n, 1, x);
        if (xs)
            for (size_t k = 0; k < a->d; ++k) xs[h * a->d + k] = x[k];
        int rc = marl_amg_transition(a, h, s, x, row);
        if (rc) return rc;
        s = invert(row, a->S, marl_rng_uniform(rng));
        states[h + 1] = s;
    }
    return MARL_OK;
}
