/*
 * Helpers of the G-LEARN tests: an independent marginalisation of the local
 * policy, solver construction, Q access. Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_GLEARNTEST_H
#define MARL_TEST_GLEARNTEST_H

#include "gltest.h"
#include "solvers/alternating/glearn/glearn.h"

/* ---- helpers -------------------------------------------------------------- */

typedef struct marg {
    size_t Sg, Ag, Sl, Al;
    const double *Pg, *rg;
    double Pt[8 * 8 * 8]; /* [(s * Sl + j) * Sl + j'] */
    double rt[8 * 8];     /* [s * Sl + j] */
} marg;

/* Marginalise the local policy independently of the library. */
static inline void marginalise(marg *m, const marl_game *g, const marl_gl_policy *p) {
    const double *Pl, *rl;
    marl_global_local_sizes(g, NULL, &m->Sg, &m->Ag, &m->Sl, &m->Al);
    marl_global_local_tables(g, &m->Pg, &m->rg, &Pl, &rl);
    double pr[8];
    for (size_t s = 0; s < m->Sg; ++s)
        for (size_t j = 0; j < m->Sl; ++j) {
            marl_gl_policy_local_row(p, j, s, pr);
            double r = 0;
            for (size_t jp = 0; jp < m->Sl; ++jp) {
                double v = 0;
                for (size_t a = 0; a < m->Al; ++a)
                    v += pr[a] * Pl[((j * m->Sg + s) * m->Al + a) * m->Sl + jp];
                m->Pt[(s * m->Sl + j) * m->Sl + jp] = v;
            }
            for (size_t a = 0; a < m->Al; ++a)
                r += pr[a] * rl[(j * m->Sg + s) * m->Al + a];
            m->rt[s * m->Sl + j] = r;
        }
}

static inline marl_solver *glearn(marl_game *g, const marl_gl_policy *start,
                           size_t k, const char *est, long long m,
                           uint64_t seed) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_alternating_glearn, g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "k", (long long)k), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "estimator", est), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "m", m), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, seed), MARL_OK);
    if (start)
        ck_assert_int_eq(marl_alternating_set_policy(s, start), MARL_OK);
    return s;
}

/* Q(s, rank, a) of a sampled/exact G-LEARN state. */
static inline double q_of(const glearn_state *st, size_t s, size_t r, size_t a) {
    return st->Q[(s * st->d->Ag + a) * st->C + r];
}

#endif /* MARL_TEST_GLEARNTEST_H */
