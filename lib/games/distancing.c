/*
 * `distancing`: the social-distancing congestion game of Leonardos, Overman,
 * Panageas and Piliouras (ICLR 2022), the MPG benchmark seed 002 compares
 * against.
 *
 * From the source: N = 8 players, 4 facilities (the actions) with weights
 * w = (1, 2, 4, 6), two states {0 = safe, 1 = distancing}. With n_j the
 * number of players at facility j, a player at facility j gets w_j * n_j in
 * the safe state and w_j * n_j - 100 in the distancing state. Transitions are
 * deterministic: from safe, go to distancing iff max_j n_j > N/2, else stay;
 * from distancing, stay iff max_j n_j > N/4, else return to safe.
 * mu = (0.5, 0.5), gamma = 0.99.
 * Ours: N is a parameter (2..8; the comparisons "> N/2" and "> N/4" are made
 * exactly, as 2 max_j n_j > N and 4 max_j n_j > N); gamma is a parameter.
 *
 * Potential: none is supplied, because no exact potential exists for these
 * dynamics. Any potential Phi(pi) would make the "rectangle" sum
 * V_i(pi'_i,pi'_j) - V_i(pi_i,pi'_j) - V_i(pi'_i,pi_j) + V_i(pi) the same
 * for i and j (both equal the same sum of Phi); on distancing it differs
 * between players by more than 1e-3 for random state-dependent policies
 * (N = 4 and N = 8, tests/games/test_mpg_games.c), while it vanishes to
 * round-off on random-mpg. The natural candidate
 * phi(s, a) = sum_j w_j n_j (n_j + 1) / 2 - 100 [s = 1] (Rosenthal's
 * potential plus the common state term) leaves the dummy term
 * r_i - phi = -Rosenthal_{-i}(a_-i), which does not depend on a_i but whose
 * expectation under a state-dependent pi_-i differs between the two states;
 * player i's facility choice moves the state (it changes max_j n_j), so the
 * discounted sum of the dummy term depends on pi_i and the identity
 * V_i^{pi'_i,pi_-i} - V_i^pi = Phi^{pi'_i,pi_-i} - Phi^pi fails for
 * state-dependent policies (tests/games/test_mpg_games.c measures
 * violations of 1.3 (N = 4) and 1.7 (N = 8) on random policies at
 * gamma = 0.9; the identity holds to round-off when every policy is the
 * same in both states). Solvers therefore report potential = NaN here.
 *
 * Encodings: the joint action index follows game.h (player 0 slowest);
 * S = 2, every agent has 4 actions, J = 4^N (65536 for N = 8). Built only
 * through the public Markov builder (callbacks). Transitions and rewards
 * depend on the joint action only through the occupancies n, so the game
 * is built count-based (marl_markov_builder_set_counts: the exact metrics
 * then work on the C(N+3, 3) = 165 count vectors at N = 8); parameter
 * `structure=dense` builds the same tables through the joint-action
 * callbacks only, without the count structure (the general path; tests
 * compare the two).
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"

#include <math.h>

#define DIST_MIN_N 2
#define DIST_MAX_N 8
#define DIST_FACILITIES 4

static const double dist_weight[DIST_FACILITIES] = {1.0, 2.0, 4.0, 6.0};

const marl_option_def marl_games_distancing_params[] = {
    {"n", MARL_OPTION_INT,
     "number of players N (2..8; the source uses 8); may be written N", 8,
     DIST_MIN_N, DIST_MAX_N, 0.0, 0.0, 0.0, NULL, NULL},
    {"gamma", MARL_OPTION_REAL, "discount factor in [0, 1) (source: 0.99)", 0,
     0, 0, 0.99, 0.0, 0x1.fffffffffffffp-1, NULL, NULL},
    {"structure", MARL_OPTION_ENUM,
     "counts (count-based game: fast exact metrics) or dense (joint-action "
     "tables only, the general path)", 0, 0, 0, 0.0, 0.0, 0.0,
     "counts|dense", NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

/* Occupancy n_j of each facility; returns max_j n_j. */
static size_t dist_counts(size_t n, const size_t *actions, size_t *count) {
    size_t mx = 0;
    for (size_t j = 0; j < DIST_FACILITIES; ++j) count[j] = 0;
    for (size_t i = 0; i < n; ++i) count[actions[i]]++;
    for (size_t j = 0; j < DIST_FACILITIES; ++j)
        if (count[j] > mx) mx = count[j];
    return mx;
}

static int dist_transition(size_t state, size_t joint, const size_t *actions,
                           double *row, void *user) {
    (void)joint;
    size_t n = *(const size_t *)user, count[DIST_FACILITIES];
    size_t mx = dist_counts(n, actions, count);
    size_t next = state == 0 ? (2 * mx > n ? 1u : 0u)
                             : (4 * mx > n ? 1u : 0u);
    row[0] = next == 0 ? 1.0 : 0.0;
    row[1] = next == 1 ? 1.0 : 0.0;
    return 0;
}

static int dist_rewards(size_t state, size_t joint, const size_t *actions,
                        double *rewards, void *user) {
    (void)joint;
    size_t n = *(const size_t *)user, count[DIST_FACILITIES];
    dist_counts(n, actions, count);
    double penalty = state == 1 ? 100.0 : 0.0;
    for (size_t i = 0; i < n; ++i)
        rewards[i] = dist_weight[actions[i]] * (double)count[actions[i]] -
                     penalty;
    return 0;
}

/* The same functions of the count vector (count-based construction). Kept
 * separate from the joint-action callbacks above on purpose: the two
 * constructions are independent, and the tests compare their tables and
 * every metric (metrics-counts). */
static int dist_count_transition(size_t state, const size_t *counts,
                                 double *row, void *user) {
    size_t n = *(const size_t *)user, mx = 0;
    for (size_t j = 0; j < DIST_FACILITIES; ++j)
        if (counts[j] > mx) mx = counts[j];
    size_t next = state == 0 ? (2 * mx > n ? 1u : 0u)
                             : (4 * mx > n ? 1u : 0u);
    row[0] = next == 0 ? 1.0 : 0.0;
    row[1] = next == 1 ? 1.0 : 0.0;
    return 0;
}

static int dist_count_reward(size_t state, size_t action, const size_t *counts,
                             double *reward, void *user) {
    (void)user;
    *reward = dist_weight[action] * (double)counts[action] -
              (state == 1 ? 100.0 : 0.0);
    return 0;
}

static int distancing_build(marl_game **out, size_t n_agents, double gamma,
                            int dense) {
    const char *fn = "marl_game_distancing_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (n_agents < DIST_MIN_N || n_agents > DIST_MAX_N)
        return marl_error(MARL_ERANGE, "%s: N = %zu is outside %d..%d", fn,
                          n_agents, DIST_MIN_N, DIST_MAX_N);
    if (!isfinite(gamma) || gamma < 0.0 || gamma >= 1.0)
        return marl_error(MARL_EINVAL, "%s: gamma = %g is not in [0, 1)", fn,
                          gamma);
    size_t actions[DIST_MAX_N];
    for (size_t i = 0; i < n_agents; ++i) actions[i] = DIST_FACILITIES;
    static const double mu[2] = {0.5, 0.5};
    size_t n = n_agents;
    marl_markov_builder *b = NULL;
    int rc = marl_markov_builder_new(&b, n_agents, 2, actions);
    if (rc) return rc;
    rc = marl_markov_builder_set_discount(b, gamma);
    if (!rc) rc = marl_markov_builder_set_initial(b, mu);
    if (!rc) rc = marl_markov_builder_set_name(b, "distancing");
    if (!rc && dense) {
        rc = marl_markov_builder_fill_transitions(b, dist_transition, &n);
        if (!rc) rc = marl_markov_builder_fill_rewards(b, dist_rewards, &n);
    } else if (!rc) {
        rc = marl_markov_builder_set_counts(b, dist_count_transition,
                                            dist_count_reward, NULL, &n);
    }
    marl_game *g = NULL;
    if (!rc) rc = marl_markov_builder_build(b, &g);
    marl_markov_builder_free(b);
    if (rc) return rc;
    *out = g;
    return MARL_OK;
}

int marl_game_distancing_new(marl_game **out, size_t n_agents, double gamma) {
    return distancing_build(out, n_agents, gamma, 0);
}

int marl_games_distancing_build(marl_game **out, const marl_options *opts) {
    long long n = 0, structure = 0;
    double gamma = 0.0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_real(opts, "gamma", &gamma);
    if (!rc) rc = marl_options_get_int(opts, "structure", &structure);
    if (rc) return rc;
    if (n < 0) n = 0; /* the option table bounds it anyway */
    return distancing_build(out, (size_t)n, gamma, structure == 1);
}
