/*
 * `coordination`: the N-player coordination game of seed 003 (sec. 5 and
 * App. G.1), a Markov potential game with a shared team reward.
 *
 * From the seed: N players with local states s_i in {0,1} and actions
 * a_i in {0,1}; local transitions independent across players and
 * independent of the current local state, P(s_i' = 0 | a_i = 0) = 1 - eps,
 * P(s_i' = 0 | a_i = 1) = eps, eps = 0.1; gamma = 0.95; uniform initial
 * distribution; the team reward of Algorithm 1 (App. G.1), a function of
 * the current state only: with z = #zeros and o = #ones among the local
 * states and bound = 1 if N in {2,3} else 2,
 *     |z - o| <= bound:  reward = 1 if z < o else 0,
 *     otherwise:         reward = 3 if z > o else 2,
 * received by every agent for every joint action. Ours: N in 2..10 (the
 * reward table N*S*J has 10 * 2^20 entries at N = 10), and the potential
 * phi(s, a) = r(s) (a team game is an MPG with its common reward as
 * potential).
 *
 * Encodings (ours): the global state is s = sum_i s_i 2^(N-1-i), i.e. agent
 * 0's local state is the MOST significant bit of s; the joint action index
 * follows game.h (player 0 slowest), so a_i is bit N-1-i of the joint index.
 * S = 2^N, every agent has 2 actions, J = 2^N.
 *
 * Built only through the public FACTORED Markov builder (callbacks): each
 * agent has 2 local states, and its local row is
 * P_i(. | s, a_i) = (1 - eps, eps) for a_i = 0 and (eps, 1 - eps) for
 * a_i = 1, so P(s'|s,a) = prod_i P_i(s'_i | s, a_i) and no 2^N x 2^N x 2^N
 * table exists.
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"

#include <math.h>

#define COORD_MIN_N 2
#define COORD_MAX_N 10

const marl_option_def marl_games_coordination_params[] = {
    {"n", MARL_OPTION_INT,
     "number of players N (2..10); catalogue strings may write it N",
     5, COORD_MIN_N, COORD_MAX_N, 0.0, 0.0, 0.0, NULL, NULL},
    {"eps", MARL_OPTION_REAL,
     "local transition noise: P(s_i'=0|a_i=0) = 1-eps, P(s_i'=0|a_i=1) = eps",
     0, 0, 0, 0.1, 0.0, 1.0, NULL, NULL},
    {"gamma", MARL_OPTION_REAL, "discount factor in [0, 1)",
     0, 0, 0, 0.95, 0.0, 0x1.fffffffffffffp-1, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

typedef struct coord_ctx {
    size_t n;
    double eps;
} coord_ctx;

/* Team reward of global state s (seed 003, App. G.1, Algorithm 1). */
static double coord_reward(size_t n, size_t s) {
    size_t ones = 0;
    for (size_t i = 0; i < n; ++i) ones += (s >> i) & 1u;
    size_t zeros = n - ones;
    size_t bound = (n == 2 || n == 3) ? 1 : 2;
    size_t diff = zeros > ones ? zeros - ones : ones - zeros;
    if (diff <= bound) return zeros < ones ? 1.0 : 0.0;
    return zeros > ones ? 3.0 : 2.0;
}

static int coord_local(size_t agent, size_t state, size_t action,
                       double *row, void *user) {
    (void)agent;
    (void)state;
    const coord_ctx *c = user;
    double p0 = action == 0 ? 1.0 - c->eps : c->eps;
    row[0] = p0;
    row[1] = 1.0 - p0;
    return 0;
}

static int coord_rewards(size_t state, size_t joint, const size_t *actions,
                         double *rewards, void *user) {
    (void)joint;
    (void)actions;
    const coord_ctx *c = user;
    double r = coord_reward(c->n, state);
    for (size_t i = 0; i < c->n; ++i) rewards[i] = r;
    return 0;
}

static int coord_potential(size_t state, size_t joint, const size_t *actions,
                           double *phi, void *user) {
    (void)joint;
    (void)actions;
    const coord_ctx *c = user;
    *phi = coord_reward(c->n, state);
    return 0;
}

int marl_game_coordination_new(marl_game **out, size_t n_agents, double eps,
                               double gamma) {
    const char *fn = "marl_game_coordination_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (n_agents < COORD_MIN_N || n_agents > COORD_MAX_N)
        return marl_error(MARL_ERANGE,
                          "%s: N = %zu is outside %d..%d", fn, n_agents,
                          COORD_MIN_N, COORD_MAX_N);
    if (!isfinite(eps) || eps < 0.0 || eps > 1.0)
        return marl_error(MARL_EINVAL, "%s: eps = %g is not in [0, 1]", fn,
                          eps);
    if (!isfinite(gamma) || gamma < 0.0 || gamma >= 1.0)
        return marl_error(MARL_EINVAL, "%s: gamma = %g is not in [0, 1)", fn,
                          gamma);
    size_t actions[COORD_MAX_N], local[COORD_MAX_N];
    for (size_t i = 0; i < n_agents; ++i) actions[i] = local[i] = 2;
    coord_ctx ctx = {n_agents, eps};
    marl_markov_builder *b = NULL;
    int rc = marl_markov_builder_new_factored(&b, n_agents, local, actions);
    if (rc) return rc;
    rc = marl_markov_builder_set_discount(b, gamma);
    if (!rc) rc = marl_markov_builder_set_name(b, "coordination");
    if (!rc)
        rc = marl_markov_builder_fill_local_transitions(b, coord_local, &ctx);
    if (!rc) rc = marl_markov_builder_fill_rewards(b, coord_rewards, &ctx);
    if (!rc) rc = marl_markov_builder_fill_potential(b, coord_potential, &ctx);
    marl_game *g = NULL;
    if (!rc) rc = marl_markov_builder_build(b, &g);
    marl_markov_builder_free(b);
    if (rc) return rc;
    *out = g;
    return MARL_OK;
}

int marl_games_coordination_build(marl_game **out, const marl_options *opts) {
    long long n = 0;
    double eps = 0.0, gamma = 0.0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_real(opts, "eps", &eps);
    if (!rc) rc = marl_options_get_real(opts, "gamma", &gamma);
    if (rc) return rc;
    if (n < 0) n = 0; /* the option table bounds it to 2..10 anyway */
    return marl_game_coordination_new(out, (size_t)n, eps, gamma);
}
