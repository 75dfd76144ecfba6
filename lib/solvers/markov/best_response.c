/*
 * `markov-best-response`: round-robin exact best responses on Markov games.
 * Iteration t: agent t mod N replaces its rows by its exact deterministic
 * best response to the others (marl_markov_best_response). On a Markov
 * potential game every switch raises the potential by the agent's gain, so
 * the method stops at a pure Nash equilibrium.
 *
 * Built through the public solver-type interface only.
 * SPDX-License-Identifier: MIT
 */
#include "marlgame/metrics.h"
#include "solvers/solver_impl.h"

#include <math.h>

enum { M_NASH_GAP, M_POTENTIAL, M_WELFARE, M_POA, M_COUNT };

static const char *const br_metric_names[M_COUNT] = {
    "nash_gap", "potential", "welfare", "poa"};

static const marl_option_def br_options[] = {
    {"epsilon", MARL_OPTION_REAL,
     "stop (converged) when the Nash-gap after a step is <= epsilon", 0, 0, 0,
     1e-10, 0.0, HUGE_VAL, NULL, NULL},
};

typedef struct br_state {
    marl_game *game;      /* borrowed from the solver */
    marl_policy *pi;      /* current iterate: direct, per agent, stationary */
    marl_policy *next;    /* scratch for the next iterate (same layout) */
    double epsilon;
    double vstar;         /* optimal team welfare (for the POA) */
    int has_potential;
    size_t t;             /* iterations done */
} br_state;

static void br_destroy(void *state) {
    br_state *st = state;
    if (!st) return;
    marl_policy_free(st->pi);
    marl_policy_free(st->next);
    marl_free(st);
}

/* pi <- the rows of `init` as direct probabilities. */
static int copy_initial(marl_policy *pi, const marl_policy *init,
                        const marl_game *g) {
    static const char fn[] = "markov-best-response";
    if (marl_policy_flags(init) & MARL_POLICY_PER_STEP)
        return marl_error(MARL_EINVAL,
                          "%s: the initial policy is time-indexed; a "
                          "stationary policy is needed",
                          fn);
    size_t n = marl_game_num_agents(g), S = marl_game_num_states(g), amax = 0;
    for (size_t i = 0; i < n; ++i)
        if (marl_game_num_actions(g, i) > amax)
            amax = marl_game_num_actions(g, i);
    double *row = marl_calloc(amax, sizeof *row);
    if (!row) return marl_error_nomem("a policy row");
    int rc = MARL_OK;
    for (size_t i = 0; i < n && rc == MARL_OK; ++i)
        for (size_t s = 0; s < S && rc == MARL_OK; ++s) {
            rc = marl_policy_get_row(init, i, 0, s, row);
            if (rc == MARL_OK) rc = marl_policy_set_row(pi, i, 0, s, row);
        }
    marl_free(row);
    return rc;
}

static int br_create(marl_solver *solver, void **out) {
    marl_game *g = marl_solver_game(solver);
    if (marl_game_kind(g) != MARL_GAME_MARKOV)
        return marl_error(MARL_EKIND,
                          "markov-best-response: needs a Markov game, not "
                          "a %s game",
                          marl_game_kind_name(marl_game_kind(g)));
    br_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the markov-best-response state");
    st->game = g;
    int rc = marl_options_get_real(marl_solver_options(solver), "epsilon",
                               &st->epsilon);
    if (rc == MARL_OK) rc = marl_policy_new(&st->pi, g, 0);
    const marl_policy *init = marl_solver_initial_policy(solver);
    if (rc == MARL_OK && init) rc = copy_initial(st->pi, init, g);
    if (rc == MARL_OK) rc = marl_policy_copy(&st->next, st->pi);
    if (rc == MARL_OK) rc = marl_markov_optimal_welfare(g, &st->vstar, NULL);
    if (rc != MARL_OK) {
        br_destroy(st);
        return rc;
    }
    st->has_potential = marl_markov_has_potential(g) == 1;
    *out = st;
    return MARL_OK;
}

static int br_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    br_state *st = state;
    size_t n = marl_game_num_agents(st->game);
    size_t agent = st->t % n;
    double br_value, gap, welfare, phi = NAN;
    /* Build the next iterate in the scratch policy and evaluate it; the
     * current iterate is replaced only when everything succeeded. */
    int rc = marl_policy_assign(st->next, st->pi);
    if (rc == MARL_OK)
        rc = marl_markov_best_response(st->game, st->pi, agent, &br_value,
                                       st->next);
    if (rc == MARL_OK)
        rc = marl_markov_nash_gap(st->game, st->next, &gap, NULL);
    if (rc == MARL_OK) rc = marl_markov_welfare(st->game, st->next, &welfare);
    if (rc == MARL_OK && st->has_potential)
        rc = marl_markov_potential_value(st->game, st->next, &phi, NULL);
    if (rc != MARL_OK) return rc;
    marl_policy *tmp = st->pi;
    st->pi = st->next;
    st->next = tmp;
    st->t++;
    metrics[M_NASH_GAP] = gap;
    metrics[M_POTENTIAL] = phi;
    metrics[M_WELFARE] = welfare;
    metrics[M_POA] = st->vstar > 0.0 ? welfare / st->vstar : NAN;
    return gap <= st->epsilon ? MARL_CONVERGED : MARL_OK;
}

static const marl_policy *br_policy(const void *state) {
    return ((const br_state *)state)->pi;
}

const marl_solver_type marl_solver_markov_best_response = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "markov-best-response",
    .summary = "round-robin exact best responses (agent t mod N switches to "
               "its best response); converges on Markov potential games "
               "(seed 003)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = br_options,
    .n_options = sizeof br_options / sizeof br_options[0],
    .metric_names = br_metric_names,
    .n_metrics = M_COUNT,
    .primary_metric = M_NASH_GAP,
    .create = br_create,
    .step = br_step,
    .policy = br_policy,
    .destroy = br_destroy,
};
