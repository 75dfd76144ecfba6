/*
 * Helpers of the evaluation tests: an exact dynamic programme for the mean
 * discounted return of a tiny game (n = 2, k = 1) and the tiny games.
 * Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_EVALTEST_H
#define MARL_TEST_EVALTEST_H

#include <stdint.h>
#include <string.h>

#include "gltest.h"

/* Exact E[sum_t gamma^t r_t] for n = 2, k = 1 by propagating the law of
 * (s_g, s_1, s_2). init[(s1 * Sl + s2)] is the initial joint law of the
 * two local states; s_g(0) = start, or uniform if start == SIZE_MAX. */
static inline double exact_return(const marl_game *g, const marl_gl_policy *p,
                                  const double *init, size_t H,
                                  int next_global, size_t start) {
    size_t Sg, Ag, Sl, Al;
    marl_global_local_sizes(g, NULL, &Sg, &Ag, &Sl, &Al);
    const double *Pg, *rg, *Pl, *rl;
    marl_global_local_tables(g, &Pg, &rg, &Pl, &rl);
    const double gamma = marl_game_discount(g);
    /* rho_g from the builder is not readable: the tests use uniform */
    const size_t NS = Sg * Sl * Sl;
    double *mu = calloc(NS, sizeof *mu), *nu = calloc(NS, sizeof *nu);
    for (size_t s = 0; s < Sg; ++s)
        for (size_t x = 0; x < Sl * Sl; ++x)
            mu[s * Sl * Sl + x] = start == SIZE_MAX ? init[x] / (double)Sg
                                  : s == start      ? init[x]
                                                    : 0.0;
    double G = 0, disc = 1;
    double pl[8], pg1[8], pg2[8];
    for (size_t t = 0; t < H; ++t) {
        memset(nu, 0, NS * sizeof *nu);
        for (size_t s = 0; s < Sg; ++s)
            for (size_t s1 = 0; s1 < Sl; ++s1)
                for (size_t s2 = 0; s2 < Sl; ++s2) {
                    double w = mu[(s * Sl + s1) * Sl + s2];
                    if (w == 0) continue;
                    size_t c1[8] = {0}, c2[8] = {0}, r1, r2;
                    c1[s1] = 1;
                    c2[s2] = 1;
                    marl_counts_rank(c1, Sl, 1, &r1);
                    marl_counts_rank(c2, Sl, 1, &r2);
                    marl_gl_policy_global_row(p, s, r1, pg1);
                    marl_gl_policy_global_row(p, s, r2, pg2);
                    /* local rewards and marginal moves */
                    double rloc = 0, m1[8], m2[8];
                    for (size_t i = 0; i < 2; ++i) {
                        size_t si = i ? s2 : s1;
                        marl_gl_policy_local_row(p, si, s, pl);
                        for (size_t a = 0; a < Al; ++a)
                            rloc += 0.5 * pl[a] * rl[(si * Sg + s) * Al + a];
                    }
                    for (size_t ag = 0; ag < Ag; ++ag) {
                        double pa = 0.5 * (pg1[ag] + pg2[ag]);
                        if (pa == 0) continue;
                        G += disc * w * pa * (rg[s * Ag + ag] + rloc);
                        for (size_t sp = 0; sp < Sg; ++sp) {
                            double pgs = Pg[(s * Ag + ag) * Sg + sp];
                            if (pgs == 0) continue;
                            size_t gm = next_global ? sp : s;
                            for (size_t i = 0; i < 2; ++i) {
                                size_t si = i ? s2 : s1;
                                double *m = i ? m2 : m1;
                                marl_gl_policy_local_row(p, si, s, pl);
                                for (size_t q = 0; q < Sl; ++q) {
                                    m[q] = 0;
                                    for (size_t a = 0; a < Al; ++a)
                                        m[q] += pl[a] *
                                                Pl[((si * Sg + gm) * Al + a) *
                                                       Sl + q];
                                }
                            }
                            for (size_t q1 = 0; q1 < Sl; ++q1)
                                for (size_t q2 = 0; q2 < Sl; ++q2)
                                    nu[(sp * Sl + q1) * Sl + q2] +=
                                        w * pa * pgs * m1[q1] * m2[q2];
                        }
                    }
                }
        memcpy(mu, nu, NS * sizeof *mu);
        disc *= gamma;
    }
    free(mu);
    free(nu);
    return G;
}

static inline marl_game *tiny_game(uint64_t seed, const double *conc,
                                   const double *rho_l) {
    const size_t Sg = 2, Ag = 2, Sl = 3, Al = 2;
    gt_tables t = gt_random_tables(seed, Sg, Ag, Sl, Al);
    marl_global_local_builder *b = NULL;
    ck_assert_int_eq(marl_global_local_builder_new(&b, 2, Sg, Ag, Sl, Al), 0);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, t.Pg, t.rg), 0);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, t.Pl, t.rl), 0);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, 0.9), 0);
    if (conc)
        ck_assert_int_eq(marl_global_local_builder_set_initial_dirichlet(b,
                                                                         conc),
                         0);
    else
        ck_assert_int_eq(marl_global_local_builder_set_initial_local(b,
                                                                     rho_l),
                         0);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), 0);
    marl_global_local_builder_free(b);
    gt_tables_free(&t);
    return g;
}

/* Variant dir of the tiny game (0: i.i.d. rho_l = (0.2, 0.5, 0.3);
 * 1: Dirichlet (0.3, 1, 2), whose pair law is E[p_a p_b]) with a random
 * policy pair (k = 1) into *p, and the initial joint law of its two agents
 * into init[9]. */
static inline marl_game *tiny_variant(int dir, double *init,
                                      marl_gl_policy **p) {
    const double rho_l[3] = {0.2, 0.5, 0.3}, conc[3] = {0.3, 1.0, 2.0};
    marl_game *g;
    if (!dir) {
        g = tiny_game(71, NULL, rho_l);
        for (size_t a = 0; a < 3; ++a)
            for (size_t b = 0; b < 3; ++b)
                init[a * 3 + b] = rho_l[a] * rho_l[b];
    } else {
        g = tiny_game(72, conc, NULL);
        double a0 = conc[0] + conc[1] + conc[2];
        for (size_t a = 0; a < 3; ++a)
            for (size_t b = 0; b < 3; ++b)
                init[a * 3 + b] =
                    conc[a] * (conc[b] + (a == b)) / (a0 * (a0 + 1));
    }
    ck_assert_int_eq(marl_gl_policy_new(p, g, 1), 0);
    gt_random_local(*p, g, 11);
    gt_random_global(*p, g, 12);
    return g;
}

#endif /* MARL_TEST_EVALTEST_H */
