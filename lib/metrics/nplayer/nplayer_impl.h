/*
 * Internal pieces of the N-player exploitability estimator (estimate.c,
 * est_core.c). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_METRICS_NPLAYER_IMPL_H
#define MARL_METRICS_NPLAYER_IMPL_H

#include "game/population/population_impl.h"
#include "sampler/population/popsim.h"

typedef struct marl_est_settings {
    size_t M, K, n_eval;
    uint64_t seed;
    int threads, frozen;
} marl_est_settings;

typedef struct marl_est {
    marl_game *game;
    const marl_population_data *d;
    size_t N, S, A, H, SA;
    marl_est_settings set;
    marl_population_sim *sim;
    marl_poptab pi, br;
    size_t n_eval;
    size_t *eval;           /* [n_eval] agents evaluated, increasing */
    size_t *cnt;            /* [M*H*SA] counts of the flow rollouts */
    uint32_t *own;          /* [M*H*N] own pair of every agent */
    double *cP, *cR;        /* symmetric cache [M*H*SA*SA*S], [M*H*SA*SA] */
    double *Pbar, *Rbar;    /* [H*SA*S], [H*SA] */
    double *V, *brp;        /* [(H+1)*S], [H*SA] */
    double *sig, *row;      /* [SA], [S] */
    double *J;              /* [K*N] baseline returns (resimulate) */
    size_t *bcnt;           /* frozen: [K*H*SA] baseline counts */
    uint32_t *bown;         /* frozen: [K*H*N] baseline own pairs */
    size_t *st, *ac;        /* [H*N] episode buffers */
    double *rw;             /* [H*N] */
    double *gains;          /* [K] */
    size_t *awork;          /* [2A] */
} marl_est;

/* Allocate and validate (policy layout); on error everything is freed. */
int marl_est_init(marl_est *e, marl_game *game, const marl_policy *policy,
                  const marl_est_settings *set, const char *fn);
void marl_est_free(marl_est *e);
/* Step 1: the M flow rollouts (and the symmetric cache). */
int marl_est_flows(marl_est *e);
/* The K baseline episodes first..first+K-1 (seed_k of episode k). */
int marl_est_baseline(marl_est *e, size_t first);
/* Step 2: BR_i into e->br. */
int marl_est_best_response(marl_est *e, size_t i);
/* Step 3: mean gain of agent i on episodes first..first+K-1 (after
 * marl_est_baseline(e, first)) and its 95% half-width (NaN if K = 1). */
int marl_est_gain(marl_est *e, size_t i, size_t first, double *mean,
                  double *hw);

/* Seed of evaluation episode k. */
static inline uint64_t marl_est_seed(uint64_t seed, size_t k) {
    uint64_t x = seed ^ UINT64_C(0x6a09e667f3bcc909);
    x += UINT64_C(0x9e3779b97f4a7c15) * (uint64_t)(k + 1);
    return marl_splitmix64(&x);
}

#endif /* MARL_METRICS_NPLAYER_IMPL_H */
