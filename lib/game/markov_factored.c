/*
 * The factored construction of the Markov kind (game.h, "factored Markov
 * games"): S = S_0 x ... x S_{N-1}, P(s'|s,a) = prod_i P_i(s'_i | s, a_i).
 * The builder keeps one local table per agent; build (markov.c) copies them
 * into the game and never forms the S*J*S table.
 * SPDX-License-Identifier: MIT
 */
#include "game/markov_builder.h"

#include <stdio.h>
#include <string.h>

int marl_markov_builder_new_factored(marl_markov_builder **out,
                                     size_t n_agents,
                                     const size_t *n_local_states,
                                     const size_t *n_actions) {
    const char *fn = "marl_markov_builder_new_factored";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (n_agents == 0)
        return marl_error(MARL_EINVAL, "%s: n_agents is 0, need >= 1", fn);
    if (n_agents > MARL_MARKOV_MAX_AGENTS)
        return marl_error(MARL_ERANGE,
                          "%s: n_agents = %zu exceeds MARL_MARKOV_MAX_AGENTS "
                          "(%d)", fn, n_agents, MARL_MARKOV_MAX_AGENTS);
    if (!n_local_states)
        return marl_error(MARL_EINVAL, "%s: n_local_states is NULL", fn);
    if (!n_actions) return marl_error(MARL_EINVAL, "%s: n_actions is NULL", fn);
    size_t S = 1, J = 1, sumL = 0;
    for (size_t i = 0; i < n_agents; ++i) {
        if (n_local_states[i] == 0)
            return marl_error(MARL_EINVAL,
                              "%s: agent %zu has 0 local states, need >= 1",
                              fn, i);
        if (n_actions[i] == 0)
            return marl_error(MARL_EINVAL,
                              "%s: agent %zu has 0 actions, need >= 1", fn, i);
        if (!marl_mul_size(S, n_local_states[i], &S) ||
            S > MARL_MARKOV_MAX_ENTRIES)
            return marl_error(MARL_ERANGE,
                              "%s: the number of global states exceeds "
                              "MARL_MARKOV_MAX_ENTRIES (at agent %zu)", fn, i);
        if (!marl_mul_size(J, n_actions[i], &J) || J > MARL_MARKOV_MAX_ENTRIES)
            return marl_error(MARL_ERANGE,
                              "%s: the number of joint actions exceeds "
                              "MARL_MARKOV_MAX_ENTRIES (at agent %zu)", fn, i);
        sumL += n_local_states[i]; /* <= N * 2^30: no overflow */
    }
    size_t SJ, r_len, pl_len = 0;
    if (!marl_mul_size(S, J, &SJ) || !marl_mul_size(SJ, n_agents, &r_len) ||
        r_len > MARL_MARKOV_MAX_ENTRIES)
        return marl_error(MARL_ERANGE,
                          "%s: reward table N*S*J (N = %zu, S = %zu, J = %zu) "
                          "exceeds MARL_MARKOV_MAX_ENTRIES (%zu)", fn,
                          n_agents, S, J, (size_t)MARL_MARKOV_MAX_ENTRIES);
    for (size_t i = 0; i < n_agents; ++i) {
        size_t t;
        if (!marl_mul_size(S, n_actions[i], &t) ||
            !marl_mul_size(t, n_local_states[i], &t) ||
            !marl_add_size(pl_len, t, &pl_len) ||
            pl_len > MARL_MARKOV_MAX_ENTRIES)
            return marl_error(MARL_ERANGE,
                              "%s: local transition tables sum_i S*A_i*L_i "
                              "exceed MARL_MARKOV_MAX_ENTRIES (%zu) at agent "
                              "%zu", fn, (size_t)MARL_MARKOV_MAX_ENTRIES, i);
    }

    marl_markov_builder *b = marl_calloc(1, sizeof *b);
    if (!b) return marl_error_nomem("the Markov builder");
    b->n_actions = marl_calloc(n_agents, sizeof *b->n_actions);
    b->stride = marl_calloc(n_agents, sizeof *b->stride);
    b->mu = marl_calloc(S, sizeof *b->mu);
    b->L = marl_calloc(n_agents, sizeof *b->L);
    b->lstride = marl_calloc(n_agents, sizeof *b->lstride);
    b->loff = marl_calloc(n_agents, sizeof *b->loff);
    b->lgiven = marl_calloc(n_agents, 1);
    b->Pl = marl_calloc(pl_len, sizeof *b->Pl);
    if (!b->n_actions || !b->stride || !b->mu || !b->L || !b->lstride ||
        !b->loff || !b->lgiven || !b->Pl) {
        marl_markov_builder_free(b);
        return marl_error_nomem("the factored Markov builder's arrays");
    }
    memcpy(b->n_actions, n_actions, n_agents * sizeof *n_actions);
    memcpy(b->L, n_local_states, n_agents * sizeof *n_local_states);
    size_t st = 1, lst = 1, off = 0;
    for (size_t i = n_agents; i-- > 0;) {
        b->stride[i] = st;
        st *= n_actions[i];
        b->lstride[i] = lst;
        lst *= n_local_states[i];
    }
    for (size_t i = 0; i < n_agents; ++i) {
        b->loff[i] = off;
        off += S * n_actions[i] * n_local_states[i];
    }
    for (size_t s = 0; s < S; ++s) b->mu[s] = 1.0 / (double)S;
    b->n_agents = n_agents;
    b->n_states = S;
    b->n_joint = J;
    b->p_len = 0;
    b->r_len = r_len;
    b->phi_len = SJ;
    b->gamma = 0.9;
    b->factored = 1;
    b->pl_len = pl_len;
    b->sumL = sumL;
    *out = b;
    return MARL_OK;
}

/* Validate (and normalise) one local row. */
static int check_local_row(double *row, size_t L, size_t k, size_t s,
                           size_t a, int normalize) {
    char what[128];
    snprintf(what, sizeof what,
             "local transition row of agent %zu, state %zu, action %zu", k, s,
             a);
    double sum = 1.0;
    int rc = marl_markov_check_row(row, L, normalize, what, &sum);
    if (!rc && normalize)
        for (size_t l = 0; l < L; ++l) row[l] /= sum;
    return rc;
}

static int require_factored(const marl_markov_builder *b, const char *fn) {
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!b->factored)
        return marl_error(MARL_EINVAL,
                          "%s: the builder is dense (made by "
                          "marl_markov_builder_new); local transitions need "
                          "marl_markov_builder_new_factored", fn);
    return MARL_OK;
}

int marl_markov_builder_set_local_transitions(marl_markov_builder *b,
                                              size_t agent,
                                              const double *P_local) {
    const char *fn = "marl_markov_builder_set_local_transitions";
    int rc = require_factored(b, fn);
    if (rc) return rc;
    if (agent >= b->n_agents)
        return marl_error(MARL_ERANGE, "%s: agent %zu is out of range [0, %zu)",
                          fn, agent, b->n_agents);
    if (!P_local) return marl_error(MARL_EINVAL, "%s: P_local is NULL", fn);
    const size_t S = b->n_states, A = b->n_actions[agent], L = b->L[agent];
    const size_t len = S * A * L;
    double *copy = marl_markov_dup_doubles(P_local, len);
    if (!copy) return marl_error_nomem("a local transition table");
    for (size_t s = 0; s < S && !rc; ++s)
        for (size_t a = 0; a < A && !rc; ++a)
            rc = check_local_row(copy + (s * A + a) * L, L, agent, s, a,
                                 b->normalize);
    if (!rc) {
        memcpy(b->Pl + b->loff[agent], copy, len * sizeof *copy);
        b->lgiven[agent] = 1;
    }
    marl_free(copy);
    return rc;
}

int marl_markov_builder_fill_local_transitions(
    marl_markov_builder *b, marl_markov_local_transition_fn fn_cb,
    void *user) {
    const char *fn = "marl_markov_builder_fill_local_transitions";
    int rc = require_factored(b, fn);
    if (rc) return rc;
    if (!fn_cb) return marl_error(MARL_EINVAL, "%s: callback is NULL", fn);
    double *Pl = marl_calloc(b->pl_len, sizeof *Pl);
    if (!Pl) return marl_error_nomem("the local transition tables");
    const size_t S = b->n_states;
    for (size_t k = 0; k < b->n_agents && !rc; ++k) {
        const size_t A = b->n_actions[k], L = b->L[k];
        for (size_t s = 0; s < S && !rc; ++s)
            for (size_t a = 0; a < A && !rc; ++a) {
                double *row = Pl + b->loff[k] + (s * A + a) * L;
                int cb = fn_cb(k, s, a, row, user);
                rc = cb ? marl_error(MARL_EINVAL,
                                     "local transition callback failed "
                                     "(returned %d) at agent %zu, state %zu, "
                                     "action %zu", cb, k, s, a)
                        : check_local_row(row, L, k, s, a, b->normalize);
            }
    }
    if (rc) {
        marl_free(Pl);
        return rc;
    }
    marl_free(b->Pl);
    b->Pl = Pl;
    memset(b->lgiven, 1, b->n_agents);
    return MARL_OK;
}

/* ---- accessors ----------------------------------------------------------- */

int marl_markov_is_factored(const marl_game *game) {
    const marl_markov_data *d = marl_markov_of(game);
    return (d && d->factored) ? 1 : 0;
}

size_t marl_markov_num_local_states(const marl_game *game, size_t agent) {
    const marl_markov_data *d = marl_markov_of(game);
    if (!d || !d->factored || agent >= game->n_agents) return 0;
    return d->L[agent];
}

int marl_markov_local_transition_row(const marl_game *game, size_t agent,
                                     size_t state, size_t action,
                                     double *row) {
    const char *fn = "marl_markov_local_transition_row";
    int rc = marl_require_markov(game, fn);
    if (rc) return rc;
    const marl_markov_data *d = marl_markov_of(game);
    if (!d->factored)
        return marl_error(MARL_EINVAL, "%s: game '%s' is not factored", fn,
                          game->name);
    if (!row) return marl_error(MARL_EINVAL, "%s: row is NULL", fn);
    if (agent >= game->n_agents)
        return marl_error(MARL_ERANGE, "%s: agent %zu is out of range [0, %zu)",
                          fn, agent, game->n_agents);
    if (state >= game->n_states)
        return marl_error(MARL_ERANGE, "%s: state %zu is out of range [0, %zu)",
                          fn, state, game->n_states);
    if (action >= game->n_actions[agent])
        return marl_error(MARL_ERANGE,
                          "%s: action %zu of agent %zu is out of range [0, "
                          "%zu)", fn, action, agent, game->n_actions[agent]);
    memcpy(row, marl_markov_local_row(d, game->n_actions, agent, state, action),
           d->L[agent] * sizeof *row);
    return MARL_OK;
}
