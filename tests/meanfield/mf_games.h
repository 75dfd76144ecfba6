/*
 * Test games for the mean-field tests, built through the public population
 * builder. Header-only (static functions); include once per test.
 *
 * "crowd" (S = 2, A = 2): from s, action a moves to state a with
 * probability 0.7 + 0.2 * (share of others in state a) clipped, else to the
 * other state; reward R(s, a, sigma) = (s == 1 ? 0.5 : 0) - sigma_a(a) +
 * 0.3 * sigma(1, 1) + bias_i, with sigma_a the action marginal and bias_i
 * = het * ((i % 3) - 1) (0 for the symmetric version). The step enters the
 * reward as + 0.1 * step * a.
 * "probe": reward = sigma[probe_pair] so tests can read sigma_{-i}.
 * SPDX-License-Identifier: MIT
 */
#ifndef MF_GAMES_H
#define MF_GAMES_H

#include <marlgame/marlgame.h>
#include <stdlib.h>

typedef struct mf_crowd {
    double het;     /* reward heterogeneity */
    double trans_het; /* transition heterogeneity */
    int fail_agent; /* callback fails for this agent (-1: never) */
    int probe;      /* probe game: reward = sigma[probe] */
    int sigma_free; /* transitions ignore sigma (share = 0.5) */
} mf_crowd;

static int mf_crowd_transition(void *user, size_t agent, size_t step,
                               size_t state, size_t action,
                               const double *sigma, double *row) {
    const mf_crowd *c = user;
    (void)step;
    (void)state;
    if (c->fail_agent >= 0 && agent == (size_t)c->fail_agent) return 1;
    double share = c->sigma_free ? 0.5
                                 : sigma[action * 2 + 0] + sigma[action * 2 + 1];
    double stay = 0.7 + 0.2 * share;
    stay += c->trans_het * (double)((int)(agent % 3) - 1);
    if (stay > 1.0) stay = 1.0;
    if (stay < 0.0) stay = 0.0;
    row[action] = stay;
    row[1 - action] = 1.0 - stay;
    return 0;
}

static int mf_crowd_reward(void *user, size_t agent, size_t step,
                           size_t state, size_t action, const double *sigma,
                           double *reward) {
    const mf_crowd *c = user;
    if (c->fail_agent >= 0 && agent == (size_t)c->fail_agent) return 1;
    if (c->probe >= 0) {
        *reward = sigma[c->probe];
        return 0;
    }
    double act = sigma[0 * 2 + action] + sigma[1 * 2 + action];
    *reward = (state == 1 ? 0.5 : 0.0) - act + 0.3 * sigma[3] +
              0.1 * (double)step * (double)action +
              c->het * (double)((int)(agent % 3) - 1);
    return 0;
}

static void mf_crowd_destroy(void *user) { free(user); }

/* Build a crowd game; symmetric when het == trans_het == 0 and sym != 0. */
static inline int mf_crowd_new(marl_game **out, size_t N, size_t H, int sym,
                               double het, double trans_het, int fail_agent,
                               int probe, int sigma_free) {
    marl_population_builder *b = NULL;
    int rc = marl_population_builder_new(&b, N, 2, 2, H);
    if (rc) return rc;
    mf_crowd *c = malloc(sizeof *c);
    if (!c) {
        marl_population_builder_free(b);
        return MARL_ENOMEM;
    }
    c->het = het;
    c->trans_het = trans_het;
    c->fail_agent = fail_agent;
    c->probe = probe;
    c->sigma_free = sigma_free;
    marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                               mf_crowd_transition, mf_crowd_reward,
                               mf_crowd_destroy};
    double rho0[2] = {0.6, 0.4};
    rc = marl_population_builder_set_ops(b, &ops, c);
    if (rc) {
        free(c);
        marl_population_builder_free(b);
        return rc;
    }
    if (!rc) rc = marl_population_builder_set_initial(b, rho0);
    if (!rc) rc = marl_population_builder_set_symmetric(b, sym);
    if (!rc) rc = marl_population_builder_build(b, out);
    marl_population_builder_free(b);
    return rc;
}

/* A seeded random SHARED PER_STEP policy (Dirichlet(1) rows); NULL on
 * failure. */
static inline marl_policy *mf_random_policy(marl_game *g, uint64_t seed) {
    marl_policy *p = NULL;
    marl_rng *r = NULL;
    if (marl_policy_new(&p, g, MARL_POLICY_SHARED | MARL_POLICY_PER_STEP) ||
        marl_rng_new(&r, seed) || marl_policy_randomize(p, r)) {
        marl_policy_free(p);
        p = NULL;
    }
    marl_rng_free(r);
    return p;
}

#endif
