/*
 * `random-mpg` (ours, for tests): seeded random Markov potential games.
 *
 * Draws from the game's own RNG (marl_rng seeded with `seed`), in this
 * order:
 *   1. the potential phi(s, a) ~ U[0, 1] for every state s and joint action
 *      a, in (s, j) order;
 *   2. transitions = independent: for each state s a row P(. | s) ~
 *      Dirichlet(1, ..., 1), the same for every joint action; then for each
 *      agent i, state s and joint action with a_i = 0 (in (i, s, j) order) a
 *      dummy term u_i(s, a_-i) ~ U[0, 1], shared by every a_i;
 *      rewards r_i(s, a) = phi(s, a) + u_i(s, a_-i).
 *      Exact MPG: the state process does not depend on the actions, and
 *      E[u_i] does not depend on pi_i, so V_i - Phi does not depend on pi_i.
 *   3. transitions = dependent: for each (s, j) a row P(. | s, a) ~
 *      Dirichlet(1, ..., 1); then g_i(s) ~ U[0, 1] in (i, s) order;
 *      rewards r_i(s, a) = phi(s, a) + g_i(s) - gamma sum_s' P(s'|s,a) g_i(s')
 *      (the "state-potential" construction: a potential-based shaping term,
 *      Ng, Harada, Russell 1999). Dummy terms u_i(s, a_-i) would break the
 *      potential identity here, because pi_i moves the state distribution and
 *      E[u_i] differs between states; the shaping term instead telescopes
 *      along every trajectory, so V_i^pi(mu) = Phi^pi(mu) + sum_s mu(s) g_i(s)
 *      for every pi: an exact MPG with potential phi, whose rewards still
 *      differ between players and depend on every player's action.
 * mu is uniform. Sizes are limited so that every table has at most 2^24
 * entries (MARL_ERANGE otherwise).
 * Built only through the public Markov builder (dense tables).
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "marlgame/rng.h"

#include <math.h>

#define RMPG_MAX_ENTRIES ((size_t)1 << 24)

const marl_option_def marl_games_random_mpg_params[] = {
    {"n", MARL_OPTION_INT, "number of agents (1..8)", 3, 1, 8, 0.0, 0.0, 0.0,
     NULL, NULL},
    {"states", MARL_OPTION_INT, "number of states (1..64)", 3, 1, 64, 0.0,
     0.0, 0.0, NULL, NULL},
    {"actions", MARL_OPTION_INT, "actions per agent (1..8)", 2, 1, 8, 0.0,
     0.0, 0.0, NULL, NULL},
    {"transitions", MARL_OPTION_ENUM,
     "independent of the actions (dummy terms u_i(s,a_-i)) or dependent on "
     "them (shaping terms g_i(s) - gamma E g_i(s'))",
     0, 0, 0, 0.0, 0.0, 0.0, "independent|dependent", NULL},
    {"gamma", MARL_OPTION_REAL, "discount factor in [0, 1)", 0, 0, 0, 0.9,
     0.0, 0x1.fffffffffffffp-1, NULL, NULL},
    {"seed", MARL_OPTION_INT, "seed of the game's draws", 0, 0,
     0x7fffffffffffffffLL, 0.0, 0.0, 0.0, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

typedef struct rmpg_tables {
    double *phi, *P, *R, *g, *alpha;
} rmpg_tables;

static void rmpg_free(rmpg_tables *t) {
    marl_free(t->phi);
    marl_free(t->P);
    marl_free(t->R);
    marl_free(t->g);
    marl_free(t->alpha);
}

/* Draw every table (see the header comment for the order). */
static int rmpg_draw(rmpg_tables *t, marl_rng *rng, size_t n, size_t S,
                     size_t A, size_t J, int dependent, double gamma) {
    for (size_t k = 0; k < S * J; ++k) t->phi[k] = marl_rng_uniform(rng);
    for (size_t s = 0; s < S; ++s) t->alpha[s] = 1.0;
    int rc = MARL_OK;
    if (!dependent) {
        for (size_t s = 0; s < S && !rc; ++s) {
            double *row = t->P + s * J * S;
            rc = marl_rng_dirichlet(rng, t->alpha, S, row);
            for (size_t j = 1; j < J && !rc; ++j)
                for (size_t x = 0; x < S; ++x) row[j * S + x] = row[x];
        }
        size_t stride = J; /* of agent i's action in the joint index */
        for (size_t i = 0; i < n && !rc; ++i) {
            stride /= A;
            for (size_t s = 0; s < S; ++s) {
                double *r = t->R + (i * S + s) * J;
                const double *ph = t->phi + s * J;
                double *u = t->g; /* u[j] = u_i(s, a_-i(j)), drawn at a_i = 0 */
                for (size_t j = 0; j < J; ++j) {
                    size_t ai = (j / stride) % A;
                    u[j] = ai == 0 ? marl_rng_uniform(rng) : u[j - ai * stride];
                    r[j] = ph[j] + u[j];
                }
            }
        }
        return rc;
    }
    for (size_t k = 0; k < S * J && !rc; ++k)
        rc = marl_rng_dirichlet(rng, t->alpha, S, t->P + k * S);
    if (rc) return rc;
    for (size_t k = 0; k < n * S; ++k) t->g[k] = marl_rng_uniform(rng);
    for (size_t i = 0; i < n; ++i)
        for (size_t s = 0; s < S; ++s)
            for (size_t j = 0; j < J; ++j) {
                const double *p = t->P + (s * J + j) * S;
                double e = 0.0;
                for (size_t x = 0; x < S; ++x) e += p[x] * t->g[i * S + x];
                t->R[(i * S + s) * J + j] =
                    t->phi[s * J + j] + t->g[i * S + s] - gamma * e;
            }
    return MARL_OK;
}

int marl_game_random_mpg_new(marl_game **out, size_t n_agents,
                             size_t n_states, size_t n_actions,
                             int action_dependent, double gamma,
                             uint64_t seed) {
    const char *fn = "marl_game_random_mpg_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (n_agents < 1 || n_agents > MARL_MARKOV_MAX_AGENTS)
        return marl_error(MARL_ERANGE, "%s: n_agents = %zu is outside 1..%d",
                          fn, n_agents, MARL_MARKOV_MAX_AGENTS);
    if (n_states < 1)
        return marl_error(MARL_ERANGE, "%s: n_states is 0", fn);
    if (n_actions < 1)
        return marl_error(MARL_ERANGE, "%s: n_actions is 0", fn);
    if (action_dependent != 0 && action_dependent != 1)
        return marl_error(MARL_EINVAL,
                          "%s: action_dependent = %d is not 0 or 1", fn,
                          action_dependent);
    if (!isfinite(gamma) || gamma < 0.0 || gamma >= 1.0)
        return marl_error(MARL_EINVAL, "%s: gamma = %g is not in [0, 1)", fn,
                          gamma);
    size_t J = 1, SJ, SJS, NSJ;
    for (size_t i = 0; i < n_agents; ++i)
        if (!marl_mul_size(J, n_actions, &J) || J > RMPG_MAX_ENTRIES)
            return marl_error(MARL_ERANGE,
                              "%s: %zu^%zu joint actions exceed the limit "
                              "of 2^24 table entries", fn, n_actions,
                              n_agents);
    if (!marl_mul_size(n_states, J, &SJ) ||
        !marl_mul_size(SJ, n_states, &SJS) ||
        !marl_mul_size(SJ, n_agents, &NSJ) || SJS > RMPG_MAX_ENTRIES ||
        NSJ > RMPG_MAX_ENTRIES)
        return marl_error(MARL_ERANGE,
                          "%s: %zu agents, %zu states, %zu actions exceed "
                          "the limit of 2^24 table entries", fn, n_agents,
                          n_states, n_actions);
    size_t actions[MARL_MARKOV_MAX_AGENTS];
    for (size_t i = 0; i < n_agents; ++i) actions[i] = n_actions;
    rmpg_tables t = {0};
    t.phi = marl_calloc(SJ, sizeof *t.phi);
    t.P = t.phi ? marl_calloc(SJS, sizeof *t.P) : NULL;
    t.R = t.P ? marl_calloc(NSJ, sizeof *t.R) : NULL;
    /* g: g_i(s) [n*S] (dependent) or one block of dummy terms [J]. */
    size_t n_g = n_agents * n_states > J ? n_agents * n_states : J;
    t.g = t.R ? marl_calloc(n_g, sizeof *t.g) : NULL;
    t.alpha = t.g ? marl_calloc(n_states, sizeof *t.alpha) : NULL;
    if (!t.alpha) {
        rmpg_free(&t);
        return marl_error_nomem("the random-mpg tables");
    }
    marl_rng *rng = NULL;
    int rc = marl_rng_new(&rng, seed);
    if (!rc) rc = rmpg_draw(&t, rng, n_agents, n_states, n_actions, J,
                            action_dependent, gamma);
    marl_rng_free(rng);
    marl_markov_builder *b = NULL;
    if (!rc) rc = marl_markov_builder_new(&b, n_agents, n_states, actions);
    if (!rc) rc = marl_markov_builder_set_discount(b, gamma);
    if (!rc) rc = marl_markov_builder_set_name(b, "random-mpg");
    if (!rc) rc = marl_markov_builder_set_transitions(b, t.P);
    if (!rc) rc = marl_markov_builder_set_rewards(b, t.R);
    if (!rc) rc = marl_markov_builder_set_potential(b, t.phi);
    marl_game *g = NULL;
    if (!rc) rc = marl_markov_builder_build(b, &g);
    marl_markov_builder_free(b);
    rmpg_free(&t);
    if (rc) return rc;
    *out = g;
    return MARL_OK;
}

int marl_games_random_mpg_build(marl_game **out, const marl_options *opts) {
    long long n = 0, S = 0, A = 0, dep = 0, seed = 0;
    double gamma = 0.0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_int(opts, "states", &S);
    if (!rc) rc = marl_options_get_int(opts, "actions", &A);
    if (!rc) rc = marl_options_get_int(opts, "transitions", &dep);
    if (!rc) rc = marl_options_get_real(opts, "gamma", &gamma);
    if (!rc) rc = marl_options_get_int(opts, "seed", &seed);
    if (rc) return rc;
    /* The option table bounds every value to a valid, non-negative range. */
    return marl_game_random_mpg_new(out, (size_t)n, (size_t)S, (size_t)A,
                                    (int)dep, gamma, (uint64_t)seed);
}
