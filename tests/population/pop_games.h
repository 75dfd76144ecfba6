/*
 * Test helper: small population games built from callbacks, with switchable
 * defects for the validation tests. Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_POP_GAMES_H
#define MARL_TEST_POP_GAMES_H

#include <marlgame/population.h>
#include <math.h>
#include <stddef.h>

/* The heterogeneous "toy" game: S states, A actions (S, A <= 4), agent i has
 * weight w_i = 1 + i / N. With m1 = sigma mass on state 1 (or on the last
 * state) and g = sigma mass on action 0,
 *   P^i(s' | s, a, sigma) proportional to 1 + w_i [s' == (s + a) % S]
 *                         + 0.5 m1 [s' == 0] + 0.1 step [s' == S - 1],
 *   R^i(s, a, sigma) = w_i (s - 0.5 a) - 2 m1 a + g s + 0.05 step.
 * Defects (mode): at (bad_agent, bad_step, bad_state, bad_action)
 *   1 row sums to 1.1, 2 reward NaN, 3 transition callback fails,
 *   4 reward callback fails, 5 negative entry, 6 NaN entry. */
typedef struct pop_toy {
    size_t N, S, A;
    int mode;
    size_t bad_agent, bad_step, bad_state, bad_action;
    int *destroyed; /* incremented by destroy if non-NULL */
} pop_toy;

static inline int pop_toy_is_bad(const pop_toy *t, size_t i, size_t h,
                                 size_t s, size_t a) {
    return t->mode && i == t->bad_agent && h == t->bad_step &&
           s == t->bad_state && a == t->bad_action;
}

static inline double pop_toy_w(const pop_toy *t, size_t i) {
    return 1.0 + (double)i / (double)t->N;
}

static inline void pop_toy_stats(const pop_toy *t, const double *sigma,
                                 double *m1, double *g) {
    *m1 = 0.0;
    *g = 0.0;
    size_t last = t->S > 1 ? 1 : 0;
    for (size_t a = 0; a < t->A; ++a) *m1 += sigma[last * t->A + a];
    for (size_t s = 0; s < t->S; ++s) *g += sigma[s * t->A + 0];
}

static int pop_toy_transition(void *user, size_t i, size_t h, size_t s,
                              size_t a, const double *sigma, double *row) {
    const pop_toy *t = user;
    double m1, g, tot = 0.0;
    pop_toy_stats(t, sigma, &m1, &g);
    for (size_t k = 0; k < t->S; ++k) {
        row[k] = 1.0 + (k == (s + a) % t->S ? pop_toy_w(t, i) : 0.0) +
                 (k == 0 ? 0.5 * m1 : 0.0) +
                 (k == t->S - 1 ? 0.1 * (double)h : 0.0);
        tot += row[k];
    }
    for (size_t k = 0; k < t->S; ++k) row[k] /= tot;
    if (pop_toy_is_bad(t, i, h, s, a)) {
        if (t->mode == 1) row[0] += 0.1;
        if (t->mode == 3) return -7;
        if (t->mode == 5) { row[0] -= 2.0; row[t->S - 1] += 2.0; }
        if (t->mode == 6) row[0] = NAN;
    }
    return 0;
}

static int pop_toy_reward(void *user, size_t i, size_t h, size_t s, size_t a,
                          const double *sigma, double *r) {
    const pop_toy *t = user;
    double m1, g;
    pop_toy_stats(t, sigma, &m1, &g);
    *r = pop_toy_w(t, i) * ((double)s - 0.5 * (double)a) - 2.0 * m1 * (double)a +
         g * (double)s + 0.05 * (double)h;
    if (pop_toy_is_bad(t, i, h, s, a)) {
        if (t->mode == 2) *r = NAN;
        if (t->mode == 4) return 3;
    }
    return 0;
}

static void pop_toy_destroy(void *user) {
    pop_toy *t = user;
    if (t->destroyed) ++*t->destroyed;
}

static const marl_population_ops pop_toy_ops = {
    MARL_POPULATION_OPS_VERSION, pop_toy_transition, pop_toy_reward,
    pop_toy_destroy};

/* Build the toy game (t must outlive the game). Returns the status. */
static inline int pop_toy_build(pop_toy *t, size_t H, int symmetric,
                                const double *rho0, marl_game **out) {
    marl_population_builder *b = NULL;
    int rc = marl_population_builder_new(&b, t->N, t->S, t->A, H);
    if (rc) return rc;
    if (rho0) rc = marl_population_builder_set_initial(b, rho0);
    if (!rc) rc = marl_population_builder_set_symmetric(b, symmetric);
    if (!rc) rc = marl_population_builder_set_name(b, "toy");
    if (!rc) rc = marl_population_builder_set_ops(b, &pop_toy_ops, t);
    if (!rc) rc = marl_population_builder_build(b, out);
    marl_population_builder_free(b);
    return rc;
}

#endif /* MARL_TEST_POP_GAMES_H */
