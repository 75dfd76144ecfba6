/*
 * k of n local agents uniformly without replacement (seed 004, Alg. 5):
 * partial Fisher-Yates on a permutation perm[0..n-1] kept between calls,
 * O(k) per call, no allocation. After the call perm[0..k-1] is a uniform
 * k-subset (in uniformly random order) whatever permutation perm held
 * before. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SAMPLER_GL_SAMPLE_H
#define MARL_SAMPLER_GL_SAMPLE_H

#include "core/rng_impl.h"

#include <stddef.h>
#include <stdint.h>

static inline void marl_gl_sample_k(marl_rng *r, uint32_t *perm, size_t n,
                                    size_t k) {
    for (size_t i = 0; i < k; ++i) {
        size_t j = i + (size_t)marl_rng_next_below(r, n - i);
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

#endif /* MARL_SAMPLER_GL_SAMPLE_H */
