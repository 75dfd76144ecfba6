/*
 * Internal interface of the N-player population simulator (nplayer.h) for
 * the estimator (lib/metrics/nplayer/) and the learning solvers
 * (lib/solvers/meanfield/learning/). Not installed.
 *
 * A marl_poptab holds one-uniform alias tables of a policy's rows: row
 * index (agent * steps + step) * S + state for per-agent tables, step * S +
 * state for shared ones (agent ignored); steps is 1 (stationary: the step
 * is ignored) or H.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SAMPLER_POPSIM_H
#define MARL_SAMPLER_POPSIM_H

#include "marlgame/nplayer.h"
#include "core/internal.h"
#include "core/rng_impl.h"

#include <stdint.h>

#define MARL_POPSIM_NO_AGENT ((size_t)-1)
/* Agents per RNG block (fixed: results do not depend on threads). */
#define MARL_POPSIM_BLOCK 1024
/* Largest action set the simulator accepts. */
#define MARL_POPSIM_MAX_ACTIONS 64

typedef struct marl_poptab {
    size_t agents;   /* 1 for shared tables */
    size_t steps;    /* 1 or H */
    size_t S, A;
    size_t cap;      /* allocated rows */
    double *prob;    /* [rows * A] keep-probability of each column */
    uint32_t *alias; /* [rows * A] the column's other outcome */
} marl_poptab;

/* Vose's alias table of p[0..n-1] (a distribution, unchecked) into prob/
 * alias; work holds 2n entries. Entries of probability 0 are never drawn. */
void marl_pop_alias_build(const double *p, size_t n, double *prob,
                          uint32_t *alias, size_t *work);

/* One draw from an alias table with ONE uniform: column k = floor(u n),
 * kept iff the fractional part is < prob[k]. */
static inline size_t marl_pop_alias_draw(const double *prob,
                                         const uint32_t *alias, size_t n,
                                         marl_rng *r) {
    double u = marl_rng_next_double(r) * (double)n;
    size_t k = (size_t)u;
    if (k >= n) k = n - 1;
    return (u - (double)k) < prob[k] ? k : (size_t)alias[k];
}

/* One draw by inversion with one uniform (index of probability 0 never
 * returned; round-off above the total gives the last positive index). */
static inline size_t marl_pop_inverse_draw(const double *p, size_t n,
                                           marl_rng *r) {
    double u = marl_rng_next_double(r), c = 0.0;
    size_t last = 0;
    for (size_t k = 0; k < n; ++k) {
        if (p[k] <= 0.0) continue;
        c += p[k];
        last = k;
        if (u < c) return k;
    }
    return last;
}

void marl_poptab_free(marl_poptab *t); /* releases the arrays only */
/* (Re)shape t for `agents` tables (1 = shared) of `steps` steps; grows the
 * arrays if needed. */
int marl_poptab_reshape(marl_poptab *t, size_t agents, size_t steps, size_t S,
                        size_t A);
/* Fill t from a policy of a population game with S states, A actions, H
 * steps, N agents (validated: layout; `fn` names the caller). */
int marl_poptab_from_policy(marl_poptab *t, const marl_policy *policy,
                            size_t N, size_t S, size_t A, size_t H,
                            const char *fn);
/* Fill t (already shaped) from dense rows probs[row * A + a] (rows as
 * above; distributions, unchecked); work holds 2A entries. */
void marl_poptab_fill(marl_poptab *t, const double *probs, size_t *work);

static inline size_t marl_poptab_row(const marl_poptab *t, size_t agent,
                                     size_t step, size_t state) {
    size_t ag = t->agents == 1 ? 0 : agent;
    size_t st = t->steps == 1 ? 0 : step;
    return (ag * t->steps + st) * t->S + state;
}

/* Check that `policy` fits a population game of N agents, S states, A
 * actions, horizon H (PER_STEP with H steps, or stationary). */
int marl_pop_check_policy(const marl_policy *policy, size_t N, size_t S,
                          size_t A, size_t H, const char *fn);

/* One episode (nplayer.h) with every agent following `pi`, except agent
 * `dev` (MARL_POPSIM_NO_AGENT: none) following the tables `devtab` (its
 * agent index is ignored: row (0, h, s)). Outputs may be NULL; with
 * rewards == NULL only the deviating agent's reward is evaluated (if any),
 * summed into *dev_return (may be NULL). */
int marl_popsim_run(marl_population_sim *sim, const marl_poptab *pi,
                    size_t dev, const marl_poptab *devtab, size_t *states,
                    size_t *actions, double *rewards, size_t *counts,
                    double *dev_return);

/* Dimensions of the simulator's game. */
void marl_popsim_dims(const marl_population_sim *sim, size_t *N, size_t *S,
                      size_t *A, size_t *H);

#endif /* MARL_SAMPLER_POPSIM_H */
