/*
 * The game object: accessors shared by every kind, reference counting and
 * the common allocation used by every kind's builder.
 * SPDX-License-Identifier: MIT
 */
#include "game/game_impl.h"

#include <string.h>

int marl_game_alloc(marl_game **out, int kind, size_t n_agents,
                    size_t n_states, const size_t *n_actions,
                    const char *name) {
    if (!out) return marl_error(MARL_EINVAL, "marl_game_alloc: out is NULL");
    if (n_agents == 0)
        return marl_error(MARL_EINVAL,
                          "marl_game_alloc: a game needs at least one agent");
    if (!n_actions)
        return marl_error(MARL_EINVAL, "marl_game_alloc: n_actions is NULL");

    marl_game *g = marl_calloc(1, sizeof *g);
    if (!g) return marl_error_nomem("the game object");
    g->n_actions = marl_calloc(n_agents, sizeof *g->n_actions);
    if (!g->n_actions) {
        marl_free(g);
        return marl_error_nomem("the game's action counts");
    }
    memcpy(g->n_actions, n_actions, n_agents * sizeof *n_actions);
    g->name = marl_strdup(name ? name : "");
    if (!g->name) {
        marl_free(g->n_actions);
        marl_free(g);
        return marl_error_nomem("the game's name");
    }
    g->kind = kind;
    atomic_init(&g->refcount, 1);
    g->n_agents = n_agents;
    g->n_states = n_states;
    g->horizon = 0;
    g->gamma = 1.0;
    g->impl = NULL;
    g->impl_free = NULL;
    *out = g;
    return MARL_OK;
}

int marl_require_markov(const marl_game *g, const char *fn) {
    if (!fn) fn = "marl_markov";
    if (!g) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    if (g->kind == MARL_GAME_MARKOV && !g->impl)
        return marl_error(MARL_EINVAL, "%s: game '%s' has no Markov data",
                          fn, g->name ? g->name : "");
    if (g->kind != MARL_GAME_MARKOV)
        return marl_error(MARL_EKIND,
                          "%s: game '%s' is of kind '%s', expected 'markov'",
                          fn, g->name ? g->name : "",
                          marl_game_kind_name(g->kind));
    return MARL_OK;
}

int marl_game_kind(const marl_game *game) { return game ? game->kind : 0; }

const char *marl_game_kind_name(int kind) {
    switch (kind) {
    case MARL_GAME_MARKOV: return "markov";
    case MARL_GAME_POPULATION: return "population";
    case MARL_GAME_AGGREGATIVE: return "aggregative";
    case MARL_GAME_GLOBAL_LOCAL: return "global-local";
    default: return "unknown";
    }
}

const char *marl_game_name(const marl_game *game) {
    return (game && game->name) ? game->name : "";
}

size_t marl_game_num_agents(const marl_game *game) {
    return game ? game->n_agents : 0;
}

size_t marl_game_num_states(const marl_game *game) {
    return game ? game->n_states : 0;
}

size_t marl_game_num_actions(const marl_game *game, size_t agent) {
    if (!game || agent >= game->n_agents) return 0;
    return game->n_actions[agent];
}

size_t marl_game_horizon(const marl_game *game) {
    return game ? game->horizon : 0;
}

double marl_game_discount(const marl_game *game) {
    return game ? game->gamma : 0.0;
}

marl_game *marl_game_ref(marl_game *game) {
    if (game) atomic_fetch_add_explicit(&game->refcount, 1,
                                        memory_order_relaxed);
    return game;
}

void marl_game_unref(marl_game *game) {
    if (!game) return;
    size_t before = atomic_fetch_sub_explicit(&game->refcount, 1,
                                              memory_order_acq_rel);
    if (before != 1) return;
    if (game->impl_free) game->impl_free(game->impl);
    marl_free(game->n_actions);
    marl_free(game->name);
    marl_free(game);
}

void marl_game_free(marl_game *game) { marl_game_unref(game); }
