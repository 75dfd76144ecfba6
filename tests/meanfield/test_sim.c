/*
 * The N-player simulator: reproducibility, thread independence, the exact
 * sigma_{-i} seen by every agent (symmetric fast path and per-agent path),
 * shared vs per-agent policies, and the empirical flow against the exact
 * flow (an independent recursion here; marl_mfg_flow for a
 * sigma-dependent game).
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "mf_games.h"

#include <math.h>
#include <string.h>

static marl_policy *random_shared(marl_game *g, uint64_t seed) {
    marl_policy *p = mf_random_policy(g, seed);
    ck_assert_ptr_nonnull(p);
    return p;
}

typedef struct ep {
    size_t *s, *a, *c;
    double *r;
} ep;

static ep ep_new(size_t N, size_t H) {
    ep e = {calloc(N * H, sizeof(size_t)), calloc(N * H, sizeof(size_t)),
            calloc(H * 4, sizeof(size_t)), calloc(N * H, sizeof(double))};
    return e;
}
static void ep_free(ep *e) {
    free(e->s);
    free(e->a);
    free(e->c);
    free(e->r);
}
static int ep_eq(const ep *x, const ep *y, size_t N, size_t H) {
    return !memcmp(x->s, y->s, N * H * sizeof(size_t)) &&
           !memcmp(x->a, y->a, N * H * sizeof(size_t)) &&
           !memcmp(x->c, y->c, H * 4 * sizeof(size_t)) &&
           !memcmp(x->r, y->r, N * H * sizeof(double));
}

START_TEST(reproducible_and_threads) {
    const size_t N = 2500, H = 4; /* three RNG blocks */
    for (int sym = 0; sym <= 1; ++sym) {
        marl_game *g = NULL;
        ck_assert_int_eq(mf_crowd_new(&g, N, H, sym, sym ? 0 : 0.1, 0, -1,
                                      -1, 0),
                         MARL_OK);
        marl_policy *p = random_shared(g, 3);
        marl_population_sim *s1 = NULL, *s2 = NULL;
        ck_assert_int_eq(marl_population_sim_new(&s1, g, 42), MARL_OK);
        ck_assert_int_eq(marl_population_sim_new(&s2, g, 42), MARL_OK);
        ck_assert_int_eq(marl_population_sim_set_threads(s1, 1), MARL_OK);
        ck_assert_int_eq(marl_population_sim_set_threads(s2, 2), MARL_OK);
        ep x = ep_new(N, H), y = ep_new(N, H);
        for (int k = 0; k < 3; ++k) {
            ck_assert_int_eq(marl_population_sim_episode(s1, p, x.s, x.a, x.r,
                                                         x.c),
                             MARL_OK);
            ck_assert_int_eq(marl_population_sim_episode(s2, p, y.s, y.a, y.r,
                                                         y.c),
                             MARL_OK);
            ck_assert(ep_eq(&x, &y, N, H));
        }
        ck_assert_uint_eq(marl_population_sim_steps(s1), 3 * N * H);
        /* Reseed restarts; another seed differs. */
        ck_assert_int_eq(marl_population_sim_reseed(s1, 42), MARL_OK);
        ck_assert_int_eq(marl_population_sim_reseed(s2, 42), MARL_OK);
        ck_assert_int_eq(marl_population_sim_episode(s1, p, x.s, x.a, x.r,
                                                     x.c), MARL_OK);
        ck_assert_int_eq(marl_population_sim_episode(s2, p, y.s, y.a, y.r,
                                                     y.c), MARL_OK);
        ck_assert(ep_eq(&x, &y, N, H));
        ck_assert_int_eq(marl_population_sim_reseed(s2, 43), MARL_OK);
        ck_assert_int_eq(marl_population_sim_episode(s2, p, y.s, y.a, y.r,
                                                     y.c), MARL_OK);
        ck_assert(!ep_eq(&x, &y, N, H));
        /* counts agree with states and actions */
        for (size_t h = 0; h < H; ++h) {
            size_t c[4] = {0};
            for (size_t i = 0; i < N; ++i) c[x.s[h * N + i] * 2 + x.a[h * N + i]]++;
            ck_assert(!memcmp(c, x.c + h * 4, sizeof c));
        }
        ep_free(&x);
        ep_free(&y);
        marl_population_sim_free(s1);
        marl_population_sim_free(s2);
        marl_policy_free(p);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(sigma_minus_i_exact) {
    const size_t N = 1500, H = 3;
    for (int sym = 0; sym <= 1; ++sym)
        for (int probe = 0; probe < 4; ++probe) {
            marl_game *g = NULL;
            ck_assert_int_eq(mf_crowd_new(&g, N, H, sym, 0, 0, -1, probe, 0),
                             MARL_OK);
            marl_policy *p = random_shared(g, 9);
            marl_population_sim *sm = NULL;
            ck_assert_int_eq(marl_population_sim_new(&sm, g, 7), MARL_OK);
            ep x = ep_new(N, H);
            ck_assert_int_eq(marl_population_sim_episode(sm, p, x.s, x.a, x.r,
                                                         x.c),
                             MARL_OK);
            double inv = 1.0 / (double)(N - 1);
            for (size_t h = 0; h < H; ++h)
                for (size_t i = 0; i < N; ++i) {
                    size_t own = x.s[h * N + i] * 2 + x.a[h * N + i];
                    double want = (double)(x.c[h * 4 + probe] -
                                           (own == (size_t)probe)) * inv;
                    ck_assert_msg(fabs(x.r[h * N + i] - want) < 1e-15,
                                  "sym %d probe %d h %zu agent %zu", sym,
                                  probe, h, i);
                }
            ep_free(&x);
            marl_population_sim_free(sm);
            marl_policy_free(p);
            marl_game_free(g);
        }
}
END_TEST

START_TEST(shared_equals_per_agent) {
    const size_t N = 300, H = 3;
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, N, H, 0, 0.2, 0.05, -1, -1, 0), MARL_OK);
    marl_policy *p = random_shared(g, 11), *q = NULL;
    ck_assert_int_eq(marl_policy_new(&q, g, MARL_POLICY_PER_STEP), MARL_OK);
    double row[2];
    for (size_t i = 0; i < N; ++i)
        for (size_t h = 0; h < H; ++h)
            for (size_t s = 0; s < 2; ++s) {
                ck_assert_int_eq(marl_policy_get_row(p, 0, h, s, row), MARL_OK);
                ck_assert_int_eq(marl_policy_set_row(q, i, h, s, row), MARL_OK);
            }
    marl_population_sim *s1 = NULL, *s2 = NULL;
    ck_assert_int_eq(marl_population_sim_new(&s1, g, 5), MARL_OK);
    ck_assert_int_eq(marl_population_sim_new(&s2, g, 5), MARL_OK);
    ep x = ep_new(N, H), y = ep_new(N, H);
    ck_assert_int_eq(marl_population_sim_episode(s1, p, x.s, x.a, x.r, x.c),
                     MARL_OK);
    ck_assert_int_eq(marl_population_sim_episode(s2, q, y.s, y.a, y.r, y.c),
                     MARL_OK);
    ck_assert(ep_eq(&x, &y, N, H));
    /* A deterministic per-agent policy is followed exactly. */
    for (size_t i = 0; i < N; ++i)
        for (size_t h = 0; h < H; ++h)
            for (size_t s = 0; s < 2; ++s)
                ck_assert_int_eq(marl_policy_set_pure(q, i, h, s, (i + h) % 2),
                                 MARL_OK);
    ck_assert_int_eq(marl_population_sim_episode(s2, q, y.s, y.a, NULL, NULL),
                     MARL_OK);
    for (size_t i = 0; i < N; ++i)
        for (size_t h = 0; h < H; ++h)
            ck_assert_uint_eq(y.a[h * N + i], (i + h) % 2);
    ep_free(&x);
    ep_free(&y);
    marl_population_sim_free(s1);
    marl_population_sim_free(s2);
    marl_policy_free(p);
    marl_policy_free(q);
    marl_game_free(g);
}
END_TEST

/* Exact flow of the sigma-free crowd game, computed here. */
static void exact_flow(const marl_policy *p, size_t H, double *L) {
    double m[2] = {0.6, 0.4}, pi[2];
    for (size_t h = 0; h < H; ++h) {
        double next[2] = {0, 0};
        for (size_t s = 0; s < 2; ++s) {
            marl_policy_get_row(p, 0, h, s, pi);
            for (size_t a = 0; a < 2; ++a) {
                L[h * 4 + s * 2 + a] = m[s] * pi[a];
                next[a] += m[s] * pi[a] * 0.8; /* stay = 0.7 + 0.2 * 0.5 */
                next[1 - a] += m[s] * pi[a] * 0.2;
            }
        }
        m[0] = next[0];
        m[1] = next[1];
    }
}

/* Mean empirical flow over E episodes against L: max z-score (per entry,
 * binomial standard error of N E draws, conservative for the dependent
 * sigma-driven game plus `bias`). */
static void check_flow(marl_game *g, const marl_policy *p, const double *L,
                       size_t N, size_t H, size_t E, double bias) {
    marl_population_sim *sm = NULL;
    ck_assert_int_eq(marl_population_sim_new(&sm, g, 2024), MARL_OK);
    size_t *c = calloc(H * 4, sizeof *c);
    double *mean = calloc(H * 4, sizeof *mean);
    for (size_t e = 0; e < E; ++e) {
        ck_assert_int_eq(marl_population_sim_episode(sm, p, NULL, NULL, NULL,
                                                     c),
                         MARL_OK);
        for (size_t k = 0; k < H * 4; ++k)
            mean[k] += (double)c[k] / (double)(N * E);
    }
    for (size_t k = 0; k < H * 4; ++k) {
        double se = sqrt(L[k] * (1 - L[k]) / (double)(N * E));
        ck_assert_msg(fabs(mean[k] - L[k]) <= 5 * se + bias,
                      "entry %zu: empirical %g exact %g (se %g)", k, mean[k],
                      L[k], se);
    }
    free(c);
    free(mean);
    marl_population_sim_free(sm);
}

START_TEST(flow_sigma_free) {
    const size_t N = 2000, H = 5;
    for (int sym = 0; sym <= 1; ++sym) {
        marl_game *g = NULL;
        ck_assert_int_eq(mf_crowd_new(&g, N, H, sym, 0, 0, -1, -1, 1),
                         MARL_OK);
        marl_policy *p = random_shared(g, 21);
        double L[5 * 4];
        exact_flow(p, H, L);
        check_flow(g, p, L, N, H, 50, 0.0);
        marl_policy_free(p);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(flow_mean_field) {
    /* sigma-dependent transitions: E[C_h/N] = Lambda(pi)_h + O(1/N). */
    const size_t N = 4000, H = 5;
    for (int sym = 0; sym <= 1; ++sym) {
        marl_game *g = NULL;
        ck_assert_int_eq(mf_crowd_new(&g, N, H, sym, 0, 0, -1, -1, 0),
                         MARL_OK);
        marl_policy *p = random_shared(g, 23);
        double L[5 * 4];
        ck_assert_int_eq(marl_mfg_flow(g, p, L), MARL_OK);
        check_flow(g, p, L, N, H, 40, 2.0 / (double)N);
        marl_policy_free(p);
        marl_game_free(g);
    }
}
END_TEST

int main(void) {
    Suite *s = suite_create("meanfield-sim");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, reproducible_and_threads);
    tcase_add_test(tc, sigma_minus_i_exact);
    tcase_add_test(tc, shared_equals_per_agent);
    tcase_add_test(tc, flow_sigma_free);
    tcase_add_test(tc, flow_mean_field);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
