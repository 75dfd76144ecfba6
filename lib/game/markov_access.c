/*
 * Accessors of the Markov kind (game.h): joint-action encoding, transition
 * rows (the product of the local rows on factored games), rewards, the
 * initial distribution and the potential.
 * SPDX-License-Identifier: MIT
 */
#include "game/game_impl.h"

#include <string.h>

/* ---- accessors ----------------------------------------------------------- */

size_t marl_markov_num_joint(const marl_game *game) {
    const marl_markov_data *d = marl_markov_of(game);
    return d ? d->n_joint : 0;
}

int marl_markov_joint_encode(const marl_game *game, const size_t *actions,
                             size_t *joint) {
    int rc = marl_require_markov(game, "marl_markov_joint_encode");
    if (rc) return rc;
    if (!actions || !joint)
        return marl_error(MARL_EINVAL,
                          "marl_markov_joint_encode: %s is NULL",
                          actions ? "joint" : "actions");
    const marl_markov_data *d = marl_markov_of(game);
    size_t j = 0;
    for (size_t i = 0; i < game->n_agents; ++i) {
        if (actions[i] >= game->n_actions[i])
            return marl_error(MARL_ERANGE,
                              "marl_markov_joint_encode: action %zu of agent "
                              "%zu is out of range [0, %zu)", actions[i], i,
                              game->n_actions[i]);
        j += actions[i] * d->stride[i];
    }
    *joint = j;
    return MARL_OK;
}

int marl_markov_joint_decode(const marl_game *game, size_t joint,
                             size_t *actions) {
    int rc = marl_require_markov(game, "marl_markov_joint_decode");
    if (rc) return rc;
    if (!actions)
        return marl_error(MARL_EINVAL,
                          "marl_markov_joint_decode: actions is NULL");
    const marl_markov_data *d = marl_markov_of(game);
    if (joint >= d->n_joint)
        return marl_error(MARL_ERANGE,
                          "marl_markov_joint_decode: joint action %zu is out "
                          "of range [0, %zu)", joint, d->n_joint);
    for (size_t i = 0; i < game->n_agents; ++i) {
        actions[i] = joint / d->stride[i];
        joint %= d->stride[i];
    }
    return MARL_OK;
}

/* Common range checks of (state, joint). */
static int check_sj(const marl_game *game, size_t state, size_t joint,
                    const char *fn) {
    const marl_markov_data *d = marl_markov_of(game);
    if (state >= game->n_states)
        return marl_error(MARL_ERANGE, "%s: state %zu is out of range [0, %zu)",
                          fn, state, game->n_states);
    if (joint >= d->n_joint)
        return marl_error(MARL_ERANGE,
                          "%s: joint action %zu is out of range [0, %zu)", fn,
                          joint, d->n_joint);
    return MARL_OK;
}

int marl_markov_transition_row(const marl_game *game, size_t state,
                               size_t joint, double *row) {
    const char *fn = "marl_markov_transition_row";
    int rc = marl_require_markov(game, fn);
    if (!rc && !row) rc = marl_error(MARL_EINVAL, "%s: row is NULL", fn);
    if (!rc) rc = check_sj(game, state, joint, fn);
    if (rc) return rc;
    const marl_markov_data *d = marl_markov_of(game);
    size_t S = game->n_states;
    if (d->factored) {
        size_t actions[MARL_MARKOV_MAX_AGENTS];
        for (size_t i = 0; i < game->n_agents; ++i)
            actions[i] = (joint / d->stride[i]) % game->n_actions[i];
        marl_markov_factored_row(d, game->n_agents, game->n_actions, state,
                                 actions, row);
        return MARL_OK;
    }
    memcpy(row, d->P + (state * d->n_joint + joint) * S, S * sizeof *row);
    return MARL_OK;
}

int marl_markov_reward(const marl_game *game, size_t agent, size_t state,
                       size_t joint, double *reward) {
    const char *fn = "marl_markov_reward";
    int rc = marl_require_markov(game, fn);
    if (!rc && !reward) rc = marl_error(MARL_EINVAL, "%s: reward is NULL", fn);
    if (!rc && agent >= game->n_agents)
        rc = marl_error(MARL_ERANGE, "%s: agent %zu is out of range [0, %zu)",
                        fn, agent, game->n_agents);
    if (!rc) rc = check_sj(game, state, joint, fn);
    if (rc) return rc;
    const marl_markov_data *d = marl_markov_of(game);
    *reward = d->R[(agent * game->n_states + state) * d->n_joint + joint];
    return MARL_OK;
}

int marl_markov_initial(const marl_game *game, double *mu_out) {
    int rc = marl_require_markov(game, "marl_markov_initial");
    if (rc) return rc;
    if (!mu_out)
        return marl_error(MARL_EINVAL, "marl_markov_initial: mu_out is NULL");
    memcpy(mu_out, marl_markov_of(game)->mu, game->n_states * sizeof *mu_out);
    return MARL_OK;
}

int marl_markov_has_potential(const marl_game *game) {
    const marl_markov_data *d = marl_markov_of(game);
    return (d && d->phi) ? 1 : 0;
}

int marl_markov_potential(const marl_game *game, size_t state, size_t joint,
                          double *phi) {
    const char *fn = "marl_markov_potential";
    int rc = marl_require_markov(game, fn);
    if (!rc && !phi) rc = marl_error(MARL_EINVAL, "%s: phi is NULL", fn);
    if (!rc && !marl_markov_of(game)->phi)
        rc = marl_error(MARL_EINVAL, "%s: game '%s' has no potential", fn,
                        game->name);
    if (!rc) rc = check_sj(game, state, joint, fn);
    if (rc) return rc;
    const marl_markov_data *d = marl_markov_of(game);
    *phi = d->phi[state * d->n_joint + joint];
    return MARL_OK;
}
