/*
 * Internal layout of marl_rng and inline draws for hot loops. Not installed.
 *
 * Other layers (sampler, solvers) include "core/rng_impl.h" to draw without a
 * function call. The inline helpers do no argument checking: the caller
 * guarantees a valid generator. Each helper consumes the generator exactly
 * like the public function of the same meaning, so mixing them never changes
 * a seeded sequence:
 *   marl_rng_next(r)          == marl_rng_u64(r)            (one draw)
 *   marl_rng_next_double(r)   == marl_rng_uniform(r)        (one draw)
 *   marl_rng_next_below(r, n) == marl_rng_uniform_int(r, n) (>= 1 draw if
 *                                n > 0, none if n == 0)
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_CORE_RNG_IMPL_H
#define MARL_CORE_RNG_IMPL_H

#include "marlgame/rng.h"

#include <stdint.h>

/* xoshiro256** 1.0 state; never all zero. */
struct marl_rng {
    uint64_t s[4];
};

static inline uint64_t marl_rotl64(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

/* splitmix64 (Vigna): advance *x and return the next output. Used to seed. */
static inline uint64_t marl_splitmix64(uint64_t *x) {
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* One xoshiro256** 1.0 output. */
static inline uint64_t marl_rng_next(marl_rng *r) {
    uint64_t *s = r->s;
    const uint64_t result = marl_rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = marl_rotl64(s[3], 45);
    return result;
}

/* Uniform double in [0, 1): the top 53 bits of one output times 2^-53. */
static inline double marl_rng_next_double(marl_rng *r) {
    return (double)(marl_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform double in (0, 1]: 1 - marl_rng_next_double (one draw). For logs. */
static inline double marl_rng_next_open0(marl_rng *r) {
    return 1.0 - marl_rng_next_double(r);
}

/* Full 64x64 -> 128-bit product: high word returned, low word in *lo. The
 * portable branch gives the same bits as the __int128 one. */
static inline uint64_t marl_mul64_hi(uint64_t a, uint64_t b, uint64_t *lo) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 marl_u128;
    marl_u128 m = (marl_u128)a * (marl_u128)b;
    *lo = (uint64_t)m;
    return (uint64_t)(m >> 64);
#else
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo,
             p3 = a_hi * b_hi;
    uint64_t mid = (p0 >> 32) + (p1 & 0xffffffffu) + (p2 & 0xffffffffu);
    *lo = (mid << 32) | (p0 & 0xffffffffu);
    return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
#endif
}

/* Uniform integer in [0, n), unbiased: Lemire's nearly divisionless method
 * ("Fast random integer generation in an interval", 2019). Returns 0 without
 * drawing when n == 0. */
static inline uint64_t marl_rng_next_below(marl_rng *r, uint64_t n) {
    if (n == 0) return 0;
    uint64_t lo;
    uint64_t hi = marl_mul64_hi(marl_rng_next(r), n, &lo);
    if (lo < n) {
        const uint64_t threshold = (0 - n) % n;
        while (lo < threshold) hi = marl_mul64_hi(marl_rng_next(r), n, &lo);
    }
    return hi;
}

/* log f(k) - log f(m) for the Binomial(n, p) pmf f, m = floor((n + 1) p),
 * as evaluated by the BTRS acceptance test (exposed for tests). Requires
 * 0 < p <= 1/2, n <= 2^53, k <= n. */
double marl_binomial_log_ratio(uint64_t n, double p, uint64_t k);

#endif /* MARL_CORE_RNG_IMPL_H */
