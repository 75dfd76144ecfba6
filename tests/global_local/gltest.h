/*
 * Helpers of the global-local tests: random games from an independent
 * generator (splitmix.h). Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_GLTEST_H
#define MARL_TEST_GLTEST_H

#include <check.h>
#include <marlgame/marlgame.h>
#include <math.h>
#include <stdlib.h>

#include "splitmix.h"

/* Random distribution of length n (some entries may be 0 when sparse). */
static inline void gt_dist(sm_rng *r, double *p, size_t n, int sparse) {
    double z = 0.0;
    for (size_t i = 0; i < n; ++i) {
        p[i] = sm_unif(r) + 0.05;
        if (sparse && sm_unif(r) < 0.3) p[i] = 0.0;
        z += p[i];
    }
    if (z == 0.0) {
        p[0] = 1.0;
        z = 1.0;
    }
    for (size_t i = 0; i < n; ++i) p[i] /= z;
}

typedef struct gt_tables {
    double *Pg, *rg, *Pl, *rl;
} gt_tables;

static inline gt_tables gt_random_tables(uint64_t seed, size_t Sg, size_t Ag,
                                         size_t Sl, size_t Al) {
    sm_rng r = {seed};
    gt_tables t;
    t.Pg = malloc(Sg * Ag * Sg * sizeof(double));
    t.rg = malloc(Sg * Ag * sizeof(double));
    t.Pl = malloc(Sl * Sg * Al * Sl * sizeof(double));
    t.rl = malloc(Sl * Sg * Al * sizeof(double));
    for (size_t i = 0; i < Sg * Ag; ++i) {
        gt_dist(&r, t.Pg + i * Sg, Sg, 1);
        t.rg[i] = 2.0 * sm_unif(&r) - 1.0;
    }
    for (size_t i = 0; i < Sl * Sg * Al; ++i) {
        gt_dist(&r, t.Pl + i * Sl, Sl, 1);
        t.rl[i] = 4.0 * sm_unif(&r);
    }
    return t;
}

static inline void gt_tables_free(gt_tables *t) {
    free(t->Pg);
    free(t->rg);
    free(t->Pl);
    free(t->rl);
}

/* A random global-local game (tables from `seed`), gamma given; random
 * rho_g and i.i.d. rho_l. */
static inline marl_game *gt_random_game(uint64_t seed, size_t n, size_t Sg,
                                        size_t Ag, size_t Sl, size_t Al,
                                        double gamma) {
    gt_tables t = gt_random_tables(seed, Sg, Ag, Sl, Al);
    marl_global_local_builder *b = NULL;
    ck_assert_int_eq(marl_global_local_builder_new(&b, n, Sg, Ag, Sl, Al),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, t.Pg, t.rg),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, t.Pl, t.rl),
                     MARL_OK);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, gamma),
                     MARL_OK);
    sm_rng r = {seed ^ 0x5555u};
    double *rho = malloc((Sg > Sl ? Sg : Sl) * sizeof(double));
    gt_dist(&r, rho, Sg, 0);
    ck_assert_int_eq(marl_global_local_builder_set_initial_global(b, rho),
                     MARL_OK);
    gt_dist(&r, rho, Sl, 0);
    ck_assert_int_eq(marl_global_local_builder_set_initial_local(b, rho),
                     MARL_OK);
    free(rho);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), MARL_OK);
    marl_global_local_builder_free(b);
    gt_tables_free(&t);
    return g;
}

/* A random local policy (every row random) written into p. */
static inline void gt_random_local(marl_gl_policy *p, const marl_game *g,
                                   uint64_t seed) {
    size_t Sg, Sl, Al;
    marl_global_local_sizes(g, NULL, &Sg, NULL, &Sl, &Al);
    sm_rng r = {seed};
    double row[16];
    for (size_t s = 0; s < Sl; ++s)
        for (size_t q = 0; q < Sg; ++q) {
            gt_dist(&r, row, Al, 0);
            ck_assert_int_eq(marl_gl_policy_set_local_row(p, s, q, row),
                             MARL_OK);
        }
}

/* A random global policy. */
static inline void gt_random_global(marl_gl_policy *p, const marl_game *g,
                                    uint64_t seed) {
    size_t Sg, Ag;
    marl_global_local_sizes(g, NULL, &Sg, &Ag, NULL, NULL);
    sm_rng r = {seed};
    double row[16];
    for (size_t s = 0; s < Sg; ++s)
        for (size_t c = 0; c < marl_gl_policy_num_counts(p); ++c) {
            gt_dist(&r, row, Ag, 0);
            ck_assert_int_eq(marl_gl_policy_set_global_row(p, s, c, row),
                             MARL_OK);
        }
}

#endif /* MARL_TEST_GLTEST_H */
