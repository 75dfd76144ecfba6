/* Samplers: seeded rollouts of Markov games under stationary policies
 * (sampler.h).
 *
 * Every categorical draw is one uniform u in [0,1) and inversion: the
 * smallest index k with p_k > 0 and u < p_0 + ... + p_k; if round-off leaves
 * u above the total, the last index of positive probability. An index of
 * probability 0 is never returned. Draw order of one step from state s
 * (sampler.h): one uniform per agent in agent order for the actions, one
 * for the next state, then, in GEOMETRIC mode, one for the stop test
 * (continue iff u < gamma; drawn after every step, the last one included).
 * The start state is one uniform (inversion of mu) unless given.
 *
 * Factored games (game.h): the next state is drawn exactly as on a dense
 * game, by ONE uniform and inversion of the product row
 * P(.|s,a) = prod_i P_i(.|s,a_i) over the S global states (formed in the
 * scratch row by the same Kronecker product as marl_markov_transition_row),
 * so a factored game and the dense game built from its rows give identical
 * trajectories under the same seed. Cost O(S) per step.
 * SPDX-License-Identifier: MIT */
#include "marlgame/sampler.h"

#include "core/internal.h"
#include "core/rng_impl.h"
#include "game/game_impl.h"
#include "policy/policy_impl.h"

#include <string.h>

struct marl_sampler {
    marl_game *game; /* reference held */
    marl_rng *rng;
    uint64_t steps;
    size_t n_scratch;
    double *scratch; /* [n_scratch]: probabilities of a LOGITS row, and the
                        product transition row of a factored game */
};

#define NO_STATE ((size_t)-1)

/* ---- life cycle ---------------------------------------------------------- */

/* A sampler for `game` without its generator (allocated by the caller). */
static int shell_new(marl_sampler **out, marl_game *game, const char *fn) {
    marl_sampler *sm = marl_calloc(1, sizeof *sm);
    if (!sm) return marl_error_nomem("a sampler");
    size_t amax = 1;
    for (size_t i = 0; i < game->n_agents; ++i)
        if (game->n_actions[i] > amax) amax = game->n_actions[i];
    const marl_markov_data *md = marl_markov_of(game);
    if (md && md->factored && game->n_states > amax) amax = game->n_states;
    sm->n_scratch = amax;
    sm->scratch = marl_calloc(amax, sizeof(double));
    if (!sm->scratch) {
        marl_free(sm);
        return marl_error(MARL_ENOMEM,
                          "%s: out of memory for the sampler's "
                          "%zu-entry scratch row",
                          fn, amax);
    }
    *out = sm;
    return MARL_OK;
}

static void shell_free(marl_sampler *sm) {
    marl_free(sm->scratch);
    marl_free(sm);
}

int marl_sampler_new(marl_sampler **out, marl_game *game, uint64_t seed) {
    const char *fn = "marl_sampler_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (!game) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    marl_sampler *sm;
    int rc = shell_new(&sm, game, fn);
    if (rc) return rc;
    rc = marl_rng_new(&sm->rng, seed);
    if (rc) {
        shell_free(sm);
        return rc;
    }
    sm->game = marl_game_ref(game);
    *out = sm;
    return MARL_OK;
}

void marl_sampler_free(marl_sampler *sampler) {
    if (!sampler) return;
    marl_rng_free(sampler->rng);
    marl_game_unref(sampler->game);
    shell_free(sampler);
}

int marl_sampler_reseed(marl_sampler *sampler, uint64_t seed) {
    if (!sampler)
        return marl_error(MARL_EINVAL, "marl_sampler_reseed: sampler is NULL");
    return marl_rng_seed(sampler->rng, seed);
}

int marl_sampler_split(marl_sampler *sampler, marl_sampler **child) {
    const char *fn = "marl_sampler_split";
    if (!sampler) return marl_error(MARL_EINVAL, "%s: sampler is NULL", fn);
    if (!child) return marl_error(MARL_EINVAL, "%s: child is NULL", fn);
    marl_sampler *c;
    int rc = shell_new(&c, sampler->game, fn);
    if (rc) return rc;
    rc = marl_rng_copy(&c->rng, sampler->rng);
    if (!rc) rc = marl_rng_jump(sampler->rng);
    if (rc) {
        marl_rng_free(c->rng);
        shell_free(c);
        return rc;
    }
    c->game = marl_game_ref(sampler->game);
    *child = c;
    return MARL_OK;
}

marl_rng *marl_sampler_rng(marl_sampler *sampler) {
    return sampler ? sampler->rng : NULL;
}

uint64_t marl_sampler_steps(const marl_sampler *sampler) {
    return sampler ? sampler->steps : 0;
}

/* ---- rollouts ------------------------------------------------------------ */

static size_t invert(const double *p, size_t n, double u) {
    double c = 0.0;
    size_t last = 0;
    for (size_t k = 0; k < n; ++k) {
        if (!(p[k] > 0.0)) continue;
        c += p[k];
        last = k;
        if (u < c) return k;
    }
    return last;
}

/* Validate one rollout request; no state is changed. */
static int check_rollout(const marl_sampler *sm, const marl_policy *p,
                         size_t n_rollouts, size_t start, size_t max_steps,
                         int mode, const char *fn) {
    if (!sm) return marl_error(MARL_EINVAL, "%s: sampler is NULL", fn);
    const marl_game *g = sm->game;
    if (g->kind != MARL_GAME_MARKOV)
        return marl_error(MARL_EKIND,
                          "%s: rollouts need a Markov game, the "
                          "sampler's game is a %s game",
                          fn, marl_game_kind_name(g->kind));
    if (!p) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (p->flags & MARL_POLICY_PER_STEP || p->n_steps != 1)
        return marl_error(MARL_EINVAL,
                          "%s: the policy is time-indexed (%zu "
                          "steps); rollouts need a stationary policy",
                          fn, p->n_steps);
    if (p->game != g) {
        if (p->n_agents != g->n_agents || p->n_states != g->n_states)
            return marl_error(MARL_EINVAL,
                              "%s: the policy (%zu agents, %zu "
                              "states) does not belong to the sampler's game "
                              "(%zu agents, %zu states)",
                              fn, p->n_agents, p->n_states, g->n_agents,
                              g->n_states);
        for (size_t i = 0; i < g->n_agents; ++i)
            if (p->n_actions[marl_policy_table(p, i)] != g->n_actions[i])
                return marl_error(MARL_EINVAL,
                                  "%s: the policy gives agent "
                                  "%zu %zu actions, the game %zu",
                                  fn, i, p->n_actions[marl_policy_table(p, i)],
                                  g->n_actions[i]);
    }
    if (start != NO_STATE && start >= g->n_states)
        return marl_error(MARL_ERANGE,
                          "%s: start_state %zu out of range (%zu "
                          "states; (size_t)-1 draws it from mu)",
                          fn, start, g->n_states);
    if (max_steps == 0)
        return marl_error(MARL_EINVAL, "%s: max_steps must be >= 1", fn);
    if (mode != MARL_ROLLOUT_FIXED && mode != MARL_ROLLOUT_GEOMETRIC)
        return marl_error(MARL_EINVAL, "%s: unknown rollout mode %d", fn, mode);
    if (n_rollouts == 0)
        return marl_error(MARL_EINVAL, "%s: n_rollouts must be >= 1", fn);
    size_t x;
    if (!marl_mul_size(max_steps, g->n_agents, &x) ||
        !marl_mul_size(x, n_rollouts, &x) || !marl_add_size(max_steps, 1, &x) ||
        !marl_mul_size(x, n_rollouts, &x))
        return marl_error(MARL_EINVAL,
                          "%s: %zu rollouts of %zu steps overflow "
                          "the output sizes",
                          fn, n_rollouts, max_steps);
    return MARL_OK;
}

/* One rollout (inputs validated); returns the number of steps. */
static size_t run_one(marl_sampler *sm, const marl_policy *pol, size_t start,
                      size_t max_steps, int mode, size_t *states,
                      size_t *actions, double *rewards) {
    const marl_game *g = sm->game;
    const marl_markov_data *md = marl_markov_of(g);
    const size_t N = g->n_agents, S = g->n_states, J = md->n_joint;
    const int logits = (pol->flags & MARL_POLICY_LOGITS) != 0;
    marl_rng *rng = sm->rng;
    size_t s = start;
    if (s == NO_STATE) s = invert(md->mu, S, marl_rng_next_double(rng));
    if (states) states[0] = s;
    size_t t = 0;
    while (t < max_steps) {
        size_t j = 0;
        for (size_t i = 0; i < N; ++i) {
            const size_t Ai = g->n_actions[i];
            const double *row;
            if (logits) {
                marl_policy_probs_unchecked(pol, i, 0, s, sm->scratch);
                row = sm->scratch;
            } else {
                row = marl_policy_row_ptr(pol, i, 0, s);
            }
            size_t a = invert(row, Ai, marl_rng_next_double(rng));
            j += a * md->stride[i];
            if (actions) actions[t * N + i] = a;
        }
        if (rewards)
            for (size_t i = 0; i < N; ++i)
                rewards[t * N + i] = md->R[(i * S + s) * J + j];
        const double *prow;
        if (md->factored) {
            size_t acts[MARL_MARKOV_MAX_AGENTS];
            for (size_t i = 0; i < N; ++i)
                acts[i] = (j / md->stride[i]) % g->n_actions[i];
            marl_markov_factored_row(md, N, g->n_actions, s, acts,
                                     sm->scratch);
            prow = sm->scratch;
        } else {
            prow = md->P + (s * J + j) * S;
        }
        s = invert(prow, S, marl_rng_next_double(rng));
        ++t;
        if (states) states[t] = s;
        if (mode == MARL_ROLLOUT_GEOMETRIC &&
            !(marl_rng_next_double(rng) < g->gamma))
            break;
    }
    sm->steps += t;
    return t;
}

int marl_sampler_rollout(marl_sampler *sampler, const marl_policy *policy,
                         size_t start_state, size_t max_steps, int mode,
                         size_t *states, size_t *actions, double *rewards,
                         size_t *length) {
    int rc = check_rollout(sampler, policy, 1, start_state, max_steps, mode,
                           "marl_sampler_rollout");
    if (rc) return rc;
    size_t len = run_one(sampler, policy, start_state, max_steps, mode, states,
                         actions, rewards);
    if (length) *length = len;
    return MARL_OK;
}

int marl_sampler_rollouts(marl_sampler *sampler, const marl_policy *policy,
                          size_t n_rollouts, size_t start_state,
                          size_t max_steps, int mode, size_t *states,
                          size_t *actions, double *rewards, size_t *lengths) {
    int rc = check_rollout(sampler, policy, n_rollouts, start_state, max_steps,
                           mode, "marl_sampler_rollouts");
    if (rc) return rc;
    const size_t N = sampler->game->n_agents;
    for (size_t r = 0; r < n_rollouts; ++r) {
        size_t len = run_one(sampler, policy, start_state, max_steps, mode,
                             states ? states + r * (max_steps + 1) : NULL,
                             actions ? actions + r * max_steps * N : NULL,
                             rewards ? rewards + r * max_steps * N : NULL);
        if (lengths) lengths[r] = len;
    }
    return MARL_OK;
}
