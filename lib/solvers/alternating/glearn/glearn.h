/*
 * State of `alternating-glearn` (glearn.c), shared with the successor
 * construction (glearn_build.c) and the off-policy variant
 * (glearn_offpolicy.c). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_GLEARN_H
#define MARL_SOLVERS_GLEARN_H

#include "core/rng_impl.h"
#include "solvers/alternating/glearn/alt_common.h"

#include <stdint.h>

enum { GLEARN_SAMPLED = 0, GLEARN_EXACT = 1, GLEARN_EXPECTED = 2 };
enum { GLEARN_VI = 0, GLEARN_OFFPOLICY = 1 };
#define GLEARN_N_METRICS 3
/* States (consecutive count vectors) per vectorised block of a sweep. */
#define GLEARN_B 64
/* Largest |S_g| * C * |A_g| for which estimator expected reports the
 * residual as max |U_t - U_{t-1}| (U recomputed from V_{t-1}); above it,
 * as max |gamma P_g (V_t - V_{t-1})| (the two differ by rounding only). */
#define GLEARN_U_STORE_MAX ((size_t)1 << 20)

#if defined(__GNUC__)
#define GLEARN_INLINE static inline __attribute__((always_inline))
#else
#define GLEARN_INLINE static inline
#endif
/* The sweeps are compiled for AVX-512, AVX2 and the baseline and chosen at
 * load time (GCC on x86-64 ELF). Without -ffp-contract=fast (the build is
 * -std=c11) no clone fuses or reorders the additions, so every clone gives
 * bit-identical results. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__ELF__)
#define GLEARN_CLONES                                                       \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3",       \
                                 "default")))
#else
#define GLEARN_CLONES
#endif

/* Tables of estimator expected (glearn_expected.c). */
typedef struct glearn_expected glearn_expected;

typedef struct glearn_state {
    marl_alt_header hdr;   /* first member (alt_common.h) */
    const marl_gl_data *d; /* the game's tables (the solver holds the game) */
    size_t k, C, S;        /* S = |S_g| * C states (s_g, c), i = s_g*C + c */
    double gamma, tol, epsilon, lr_power;
    int estimator, method;
    size_t m, max_sweeps, sweeps, steps;
    uint64_t seed;
    double *Q;        /* [S * A_g]: estimators sampled and exact at
                         ((s_g * A_g + a) * C + c) (blocks of consecutive c
                         vectorise); offpolicy at (s_g * C + c) * A_g + a;
                         estimator expected: NULL */
    double *V, *Vn;   /* Jacobi pair V = max_a Q. sampled, exact: [S] at
                         s_g * C + c; expected: over the count vectors T
                         that are successors (glearn_expected.c) */
    double *Wb;       /* [threads * 2 * S_g * GLEARN_B] block scratch */
    int threads;      /* sweep threads (1 without OpenMP) */
    uint32_t *arg;    /* [S] sampled, exact: greedy action written in the
                         policy (UINT32_MAX before the first sweep) */
    double *rc;       /* [S]: (1/k) sum_j c_j r~_l(j, s_g) at s_g * C + c
                         (NULL for estimator expected: glearn_expected.c) */
    double *Pt;       /* [S_g * S_l * S_l]: P~_l(j' | j, s_g) at
                         (s_g * S_l + j) * S_l + j'; then rt */
    double *rt;       /* [S_g * S_l]: r~_l(j, s_g) (inside Pt's block) */
    /* successor law of (s_g, c) = i (sampled, exact): entries off[i] ..
     * off[i+1]-1 of succ (ranks of c') with weights w */
    size_t *off;
    uint32_t *succ;
    double *w;
    glearn_expected *ex; /* estimator expected, else NULL */
    /* offpolicy only */
    double *visits;   /* [S * A_g] update counts */
    size_t *agents;   /* [3 * S_l] scratch count vectors */
    uint64_t *tmp64;  /* [S_l] offpolicy scratch */
    size_t visited;   /* distinct (s_g, c) visited */
    size_t cur_s, cur_c;
    marl_rng rng;
} glearn_state;

/* Blocks of a sweep run by `threads` threads when there are `work` of
 * them, and the calling thread's number (glearn.c). */
int marl_glearn_threads(const glearn_state *st, size_t work);
int marl_glearn_thread_id(void);

/* V(s_g, c) after the sweeps so far (max_a Q; 0 before the first sweep),
 * for every estimator of method vi (glearn.c; tests). */
double marl_glearn_value(glearn_state *st, size_t s, size_t c);

/* Estimator expected (glearn_expected.c): build the successor tables (and
 * V, Vn) after marginalisation; one Jacobi sweep returning ||Delta Q||_inf
 * (greedy policy updated); V(s_g, c); free. */
int marl_glearn_expected_build(glearn_state *st);
double marl_glearn_expected_sweep(glearn_state *st);
double marl_glearn_expected_value(glearn_state *st, size_t s, size_t c);
void marl_glearn_expected_free(glearn_expected *ex);

/* rc of every (s_g, c) (st->agents: 3 |S_l| scratch) (glearn_build.c). */
void marl_glearn_fill_rewards(glearn_state *st);

/* Fill rc and the successor law of every (s_g, c) by st->estimator
 * (glearn_build.c; estimator expected: marl_glearn_expected_build). */
int marl_glearn_build_successors(glearn_state *st);

/* Off-policy Q-learning (glearn_offpolicy.c): initialise the behaviour
 * trajectory; run st->steps transitions, *residual = max |Delta Q| of the
 * updates made. */
int marl_glearn_offpolicy_init(glearn_state *st);
int marl_glearn_offpolicy_step(glearn_state *st, double *residual);

#endif /* MARL_SOLVERS_GLEARN_H */
