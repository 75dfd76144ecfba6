/*
 * The population kind: accessors and the validated evaluation of the
 * callbacks (the only way other layers call them).
 * SPDX-License-Identifier: MIT
 */
#include "game/population/population_impl.h"

#include <math.h>
#include <string.h>

int marl_require_population(const marl_game *g, const char *fn) {
    if (!fn) fn = "marl_population";
    if (!g) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    if (g->kind != MARL_GAME_POPULATION)
        return marl_error(MARL_EKIND,
                          "%s: game '%s' is of kind '%s', expected "
                          "'population'", fn, g->name ? g->name : "",
                          marl_game_kind_name(g->kind));
    if (!g->impl)
        return marl_error(MARL_EINVAL, "%s: game '%s' has no population data",
                          fn, g->name ? g->name : "");
    return MARL_OK;
}

int marl_population_call_transition(const marl_population_data *d,
                                    const char *fn, size_t agent, size_t step,
                                    size_t state, size_t action,
                                    const double *sigma, double *row) {
    const size_t S = d->S;
    if (d->symmetric) agent = 0;
    int cb = d->ops.transition(d->user, agent, step, state, action, sigma, row);
    if (MARL_UNLIKELY(cb != 0))
        return marl_error(MARL_EINVAL,
                          "%s: the transition callback failed (returned %d) "
                          "for agent %zu, step %zu, state %zu, action %zu", fn,
                          cb, agent, step, state, action);
    double sum = 0.0;
    int bad = 0;
    for (size_t k = 0; k < S; ++k) {
        const double p = row[k];
        if (!(p >= 0.0) || !isfinite(p)) bad = 1; /* NaN fails p >= 0 */
        sum += p;
    }
    if (MARL_LIKELY(!bad && fabs(sum - 1.0) <= MARL_PROB_TOL)) return MARL_OK;
    for (size_t k = 0; k < S; ++k) {
        if (!isfinite(row[k]))
            return marl_error(MARL_EINVAL,
                              "%s: transition row of agent %zu, step %zu, "
                              "state %zu, action %zu: entry %zu (next state) "
                              "is not finite (%g)", fn, agent, step, state,
                              action, k, row[k]);
        if (row[k] < 0.0)
            return marl_error(MARL_EINVAL,
                              "%s: transition row of agent %zu, step %zu, "
                              "state %zu, action %zu: entry %zu (next state) "
                              "is negative (%.17g)", fn, agent, step, state,
                              action, k, row[k]);
    }
    return marl_error(MARL_EINVAL,
                      "%s: transition row of agent %zu, step %zu, state %zu, "
                      "action %zu sums to %.17g, expected 1", fn, agent, step,
                      state, action, sum);
}

int marl_population_call_reward(const marl_population_data *d, const char *fn,
                                size_t agent, size_t step, size_t state,
                                size_t action, const double *sigma,
                                double *reward) {
    if (d->symmetric) agent = 0;
    double r = 0.0;
    int cb = d->ops.reward(d->user, agent, step, state, action, sigma, &r);
    if (MARL_UNLIKELY(cb != 0))
        return marl_error(MARL_EINVAL,
                          "%s: the reward callback failed (returned %d) for "
                          "agent %zu, step %zu, state %zu, action %zu", fn, cb,
                          agent, step, state, action);
    if (MARL_UNLIKELY(!isfinite(r)))
        return marl_error(MARL_EINVAL,
                          "%s: reward of agent %zu, step %zu, state %zu, "
                          "action %zu is not finite (%g)", fn, agent, step,
                          state, action, r);
    *reward = r;
    return MARL_OK;
}

int marl_population_is_symmetric(const marl_game *game) {
    const marl_population_data *d = marl_population_of(game);
    return (d && d->symmetric) ? 1 : 0;
}

int marl_population_initial(const marl_game *game, double *rho0) {
    const char *fn = "marl_population_initial";
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    if (!rho0) return marl_error(MARL_EINVAL, "%s: rho0 is NULL", fn);
    const marl_population_data *d = marl_population_of(game);
    memcpy(rho0, d->rho0, d->S * sizeof *rho0);
    return MARL_OK;
}

static int check_args(const marl_game *game, const char *fn, size_t agent,
                      size_t step, size_t state, size_t action,
                      const double *sigma, const void *out) {
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    const marl_population_data *d = marl_population_of(game);
    if (agent >= d->N)
        return marl_error(MARL_ERANGE, "%s: agent %zu out of range (N = %zu)",
                          fn, agent, d->N);
    if (step >= d->H)
        return marl_error(MARL_ERANGE,
                          "%s: step %zu out of range (horizon %zu)", fn, step,
                          d->H);
    if (state >= d->S)
        return marl_error(MARL_ERANGE, "%s: state %zu out of range (S = %zu)",
                          fn, state, d->S);
    if (action >= d->A)
        return marl_error(MARL_ERANGE,
                          "%s: action %zu out of range (A = %zu)", fn, action,
                          d->A);
    if (!sigma) return marl_error(MARL_EINVAL, "%s: sigma is NULL", fn);
    if (!out) return marl_error(MARL_EINVAL, "%s: output is NULL", fn);
    return MARL_OK;
}

int marl_population_transition(const marl_game *game, size_t agent,
                               size_t step, size_t state, size_t action,
                               const double *sigma, double *row) {
    const char *fn = "marl_population_transition";
    int rc = check_args(game, fn, agent, step, state, action, sigma, row);
    if (rc) return rc;
    return marl_population_call_transition(marl_population_of(game), fn, agent,
                                           step, state, action, sigma, row);
}

int marl_population_reward(const marl_game *game, size_t agent, size_t step,
                           size_t state, size_t action, const double *sigma,
                           double *reward) {
    const char *fn = "marl_population_reward";
    int rc = check_args(game, fn, agent, step, state, action, sigma, reward);
    if (rc) return rc;
    return marl_population_call_reward(marl_population_of(game), fn, agent,
                                       step, state, action, sigma, reward);
}
