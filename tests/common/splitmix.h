/*
 * Test helper: a seeded generator written independently of the library's
 * RNG (splitmix64, Steele, Lea and Flood 2014), so tests can build random
 * inputs without trusting the code under test. Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_SPLITMIX_H
#define MARL_TEST_SPLITMIX_H

#include <stdint.h>

typedef struct sm_rng {
    uint64_t s;
} sm_rng;

static inline uint64_t sm_next(sm_rng *r) {
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform double in [0, 1). */
static inline double sm_unif(sm_rng *r) {
    return (double)(sm_next(r) >> 11) * 0x1.0p-53;
}

#endif /* MARL_TEST_SPLITMIX_H */
