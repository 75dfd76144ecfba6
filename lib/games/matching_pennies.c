/*
 * `matching-pennies-markov` (ours, for the optimistic method's tests): a
 * two-player zero-sum Markov game with two states and stochastic switching.
 *
 * Players 0 and 1 have actions {0, 1}. Rewards r_0(s, a), r_1 = -r_0:
 *   state 0, matching pennies:         r_0 = +1 if a_0 = a_1, else -1;
 *   state 1, skewed matching pennies:  r_0(0,0) = +2, r_0(1,1) = +1,
 *                                      r_0(0,1) = r_0(1,0) = -1.
 * Transitions do not depend on the actions: stay in the current state with
 * probability `stay` (0.8), switch with 1 - stay. mu uniform, gamma 0.9.
 *
 * Unique equilibrium: because the continuation does not depend on the
 * actions, Qbar_i(s, .) is the stage game's expected payoff plus a constant,
 * so a stationary Markov equilibrium plays a Nash equilibrium of each
 * stage game. Both stage games have no pure equilibrium and a unique mixed
 * one: state 0 both players uniform; state 1 both players play action 0
 * with probability 2/5 (player 0: 2q - (1 - q) = -q + (1 - q) gives
 * q = 2/5 for player 1's probability of action 0, and symmetrically).
 * No potential is supplied (a zero-sum game with a unique mixed equilibrium
 * is not a potential game).
 * Built only through the public Markov builder (dense tables).
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"

#include <math.h>

const marl_option_def marl_games_matching_pennies_params[] = {
    {"stay", MARL_OPTION_REAL,
     "probability of staying in the current state (else switch)", 0, 0, 0,
     0.8, 0.0, 1.0, NULL, NULL},
    {"gamma", MARL_OPTION_REAL, "discount factor in [0, 1)", 0, 0, 0, 0.9,
     0.0, 0x1.fffffffffffffp-1, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

int marl_game_matching_pennies_markov_new(marl_game **out, double stay,
                                          double gamma) {
    const char *fn = "marl_game_matching_pennies_markov_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (!isfinite(stay) || stay < 0.0 || stay > 1.0)
        return marl_error(MARL_EINVAL, "%s: stay = %g is not in [0, 1]", fn,
                          stay);
    if (!isfinite(gamma) || gamma < 0.0 || gamma >= 1.0)
        return marl_error(MARL_EINVAL, "%s: gamma = %g is not in [0, 1)", fn,
                          gamma);
    /* Joint index j = 2 a_0 + a_1. */
    static const double r0[2][4] = {{1.0, -1.0, -1.0, 1.0},
                                    {2.0, -1.0, -1.0, 1.0}};
    double P[2 * 4 * 2], R[2 * 2 * 4];
    for (size_t s = 0; s < 2; ++s)
        for (size_t j = 0; j < 4; ++j) {
            P[(s * 4 + j) * 2 + s] = stay;
            P[(s * 4 + j) * 2 + (1 - s)] = 1.0 - stay;
            R[(0 * 2 + s) * 4 + j] = r0[s][j];
            R[(1 * 2 + s) * 4 + j] = -r0[s][j];
        }
    static const size_t actions[2] = {2, 2};
    marl_markov_builder *b = NULL;
    int rc = marl_markov_builder_new(&b, 2, 2, actions);
    if (rc) return rc;
    rc = marl_markov_builder_set_discount(b, gamma);
    if (!rc) rc = marl_markov_builder_set_name(b, "matching-pennies-markov");
    if (!rc) rc = marl_markov_builder_set_transitions(b, P);
    if (!rc) rc = marl_markov_builder_set_rewards(b, R);
    marl_game *g = NULL;
    if (!rc) rc = marl_markov_builder_build(b, &g);
    marl_markov_builder_free(b);
    if (rc) return rc;
    *out = g;
    return MARL_OK;
}

int marl_games_matching_pennies_build(marl_game **out,
                                      const marl_options *opts) {
    double stay = 0.0, gamma = 0.0;
    int rc = marl_options_get_real(opts, "stay", &stay);
    if (!rc) rc = marl_options_get_real(opts, "gamma", &gamma);
    if (rc) return rc;
    return marl_game_matching_pennies_markov_new(out, stay, gamma);
}
