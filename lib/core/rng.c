/* The generator: xoshiro256** 1.0 seeded by splitmix64, jumps, raw state,
 * uniform draws. Distributions are in rng_dist.c, alias tables in alias.c.
 * SPDX-License-Identifier: MIT */
#include "internal.h"
#include "rng_impl.h"

#include <string.h>

/* xoshiro256** jump polynomial: advances the state by 2^128 outputs. */
static const uint64_t JUMP[4] = {
    UINT64_C(0x180ec6d33cfd0aba), UINT64_C(0xd5a61266f0c9392c),
    UINT64_C(0xa9582618e03fc9aa), UINT64_C(0x39abdc4529b1661c)};

static void seed_state(uint64_t s[4], uint64_t seed) {
    uint64_t x = seed;
    /* Four successive splitmix64 outputs; splitmix64's output function is a
     * bijection of distinct counters, so they are never all zero. */
    for (int i = 0; i < 4; ++i) s[i] = marl_splitmix64(&x);
}

static void jump_state(marl_rng *r) {
    uint64_t t[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; ++i) {
        for (int b = 0; b < 64; ++b) {
            if (JUMP[i] & (UINT64_C(1) << b)) {
                t[0] ^= r->s[0];
                t[1] ^= r->s[1];
                t[2] ^= r->s[2];
                t[3] ^= r->s[3];
            }
            (void)marl_rng_next(r);
        }
    }
    memcpy(r->s, t, sizeof t);
}

int marl_rng_new(marl_rng **out, uint64_t seed) {
    if (!out) return marl_error(MARL_EINVAL, "marl_rng_new: out is NULL");
    marl_rng *r = marl_malloc(sizeof *r);
    if (!r) return marl_error_nomem("a random number generator");
    seed_state(r->s, seed);
    *out = r;
    return MARL_OK;
}

int marl_rng_new_stream(marl_rng **out, uint64_t seed, uint64_t stream) {
    if (!out)
        return marl_error(MARL_EINVAL, "marl_rng_new_stream: out is NULL");
    marl_rng *r = marl_malloc(sizeof *r);
    if (!r) return marl_error_nomem("a random number generator");
    seed_state(r->s, seed);
    for (uint64_t k = 0; k < stream; ++k) jump_state(r);
    *out = r;
    return MARL_OK;
}

void marl_rng_free(marl_rng *rng) { marl_free(rng); }

int marl_rng_copy(marl_rng **out, const marl_rng *rng) {
    if (!out) return marl_error(MARL_EINVAL, "marl_rng_copy: out is NULL");
    if (!rng) return marl_error(MARL_EINVAL, "marl_rng_copy: rng is NULL");
    marl_rng *r = marl_malloc(sizeof *r);
    if (!r) return marl_error_nomem("a random number generator");
    memcpy(r->s, rng->s, sizeof r->s);
    *out = r;
    return MARL_OK;
}

int marl_rng_seed(marl_rng *rng, uint64_t seed) {
    if (!rng) return marl_error(MARL_EINVAL, "marl_rng_seed: rng is NULL");
    seed_state(rng->s, seed);
    return MARL_OK;
}

int marl_rng_jump(marl_rng *rng) {
    if (!rng) return marl_error(MARL_EINVAL, "marl_rng_jump: rng is NULL");
    jump_state(rng);
    return MARL_OK;
}

int marl_rng_get_state(const marl_rng *rng, uint64_t state[4]) {
    if (!rng)
        return marl_error(MARL_EINVAL, "marl_rng_get_state: rng is NULL");
    if (!state)
        return marl_error(MARL_EINVAL, "marl_rng_get_state: state is NULL");
    memcpy(state, rng->s, sizeof rng->s);
    return MARL_OK;
}

int marl_rng_set_state(marl_rng *rng, const uint64_t state[4]) {
    if (!rng)
        return marl_error(MARL_EINVAL, "marl_rng_set_state: rng is NULL");
    if (!state)
        return marl_error(MARL_EINVAL, "marl_rng_set_state: state is NULL");
    if ((state[0] | state[1] | state[2] | state[3]) == 0)
        return marl_error(MARL_EINVAL,
                          "marl_rng_set_state: the all-zero state is not a "
                          "valid xoshiro256** state");
    memcpy(rng->s, state, sizeof rng->s);
    return MARL_OK;
}

uint64_t marl_rng_u64(marl_rng *rng) {
    if (!rng) return 0;
    return marl_rng_next(rng);
}

double marl_rng_uniform(marl_rng *rng) {
    if (!rng) return 0.0;
    return marl_rng_next_double(rng);
}

uint64_t marl_rng_uniform_int(marl_rng *rng, uint64_t n) {
    if (!rng) return 0;
    return marl_rng_next_below(rng, n);
}
