/*
 * libmarlgame — random numbers.
 *
 * One generator: xoshiro256** 1.0 (Blackman and Vigna), seeded from a 64-bit
 * seed through splitmix64 exactly as the authors recommend. Independent,
 * non-overlapping streams come from the generator's jump function (2^128
 * steps apart). Every distribution below consumes the generator in a
 * documented, deterministic way, so the same seed gives the same numbers, bit
 * for bit, on the same build.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_RNG_H
#define MARLGAME_RNG_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct marl_rng marl_rng;

/** New generator: state = four successive splitmix64 outputs from seed. */
MARL_API int marl_rng_new(marl_rng **out, uint64_t seed);

/** New generator on stream `stream` of `seed`: the seed's generator advanced
 *  by `stream` jumps (2^128 draws each), so streams never overlap. Cost is
 *  O(stream); use it for per-thread or per-worker streams. */
MARL_API int marl_rng_new_stream(marl_rng **out, uint64_t seed,
                                 uint64_t stream);

MARL_API void marl_rng_free(marl_rng *rng);

/** Independent copy of the current state. */
MARL_API int marl_rng_copy(marl_rng **out, const marl_rng *rng);

/** Re-seed in place (as marl_rng_new). */
MARL_API int marl_rng_seed(marl_rng *rng, uint64_t seed);

/** Advance by 2^128 draws (xoshiro256** jump). */
MARL_API int marl_rng_jump(marl_rng *rng);

/** Read or set the raw 256-bit state (4 words). An all-zero state is
 *  rejected (MARL_EINVAL). */
MARL_API int marl_rng_get_state(const marl_rng *rng, uint64_t state[4]);
MARL_API int marl_rng_set_state(marl_rng *rng, const uint64_t state[4]);

/** Next raw 64-bit output (0 if rng is NULL). */
MARL_API uint64_t marl_rng_u64(marl_rng *rng);

/** Uniform double in [0, 1): (u64 >> 11) * 2^-53. */
MARL_API double marl_rng_uniform(marl_rng *rng);

/** Uniform integer in [0, n), unbiased (Lemire's method); 0 when n == 0. */
MARL_API uint64_t marl_rng_uniform_int(marl_rng *rng, uint64_t n);

/** Standard normal N(0, 1) (Marsaglia polar method, no cached second value,
 *  so each call's consumption depends only on the draws it makes). */
MARL_API double marl_rng_normal(marl_rng *rng);

/** Gamma(shape, 1) (Marsaglia–Tsang; shape < 1 by the boosting identity).
 *  shape must be finite and > 0. */
MARL_API int marl_rng_gamma(marl_rng *rng, double shape, double *out);

/** Binomial(trials, p). */
MARL_API int marl_rng_binomial(marl_rng *rng, uint64_t trials, double p,
                               uint64_t *out);

/** One draw from the categorical distribution p[0..n-1] by inversion
 *  (one uniform). p must be finite, non-negative, summing to 1 within 1e-9;
 *  the draw never returns an index of probability 0. */
MARL_API int marl_rng_categorical(marl_rng *rng, const double *p, size_t n,
                                  size_t *out);

/** Dirichlet(alpha[0..n-1]) into out[0..n-1] (normalised gammas). */
MARL_API int marl_rng_dirichlet(marl_rng *rng, const double *alpha, size_t n,
                                double *out);

/** Multinomial(trials, p[0..n-1]) counts into out[0..n-1] (sequential
 *  conditional binomials). */
MARL_API int marl_rng_multinomial(marl_rng *rng, uint64_t trials,
                                  const double *p, size_t n, uint64_t *out);

/** k distinct indices of [0, n), uniformly among all k-subsets, written to
 *  out[0..k-1] in increasing order (Floyd's algorithm, O(k log k) time,
 *  O(k) memory). k <= n. */
MARL_API int marl_rng_sample_k_of_n(marl_rng *rng, size_t n, size_t k,
                                    size_t *out);

/* ---- alias tables (O(1) repeated categorical draws) ---------------------- */

typedef struct marl_alias marl_alias;

/** Walker/Vose alias table for p[0..n-1] (validated as for
 *  marl_rng_categorical). */
MARL_API int marl_alias_new(marl_alias **out, const double *p, size_t n);
MARL_API void marl_alias_free(marl_alias *alias);
/** One draw: one uniform integer for the column, one uniform for the coin. */
MARL_API int marl_alias_sample(const marl_alias *alias, marl_rng *rng,
                               size_t *out);
MARL_API size_t marl_alias_size(const marl_alias *alias);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_RNG_H */
