/*
 * Accessors of global-local games (global_local.h).
 * SPDX-License-Identifier: MIT
 */
#include "game/global_local/gl_impl.h"

int marl_gl_require(const marl_game *g, const char *fn) {
    if (!g) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    if (g->kind != MARL_GAME_GLOBAL_LOCAL || !g->impl)
        return marl_error(MARL_EKIND,
                          "%s: game '%s' is of kind '%s', expected "
                          "'global-local'",
                          fn, g->name ? g->name : "",
                          marl_game_kind_name(g->kind));
    return MARL_OK;
}

int marl_global_local_sizes(const marl_game *game, size_t *n_local,
                            size_t *n_global_states, size_t *n_global_actions,
                            size_t *n_local_states, size_t *n_local_actions) {
    int rc = marl_gl_require(game, "marl_global_local_sizes");
    if (rc) return rc;
    const marl_gl_data *d = marl_gl_of(game);
    if (n_local) *n_local = d->n;
    if (n_global_states) *n_global_states = d->Sg;
    if (n_global_actions) *n_global_actions = d->Ag;
    if (n_local_states) *n_local_states = d->Sl;
    if (n_local_actions) *n_local_actions = d->Al;
    return MARL_OK;
}

int marl_global_local_tables(const marl_game *game, const double **P_g,
                             const double **r_g, const double **P_l,
                             const double **r_l) {
    int rc = marl_gl_require(game, "marl_global_local_tables");
    if (rc) return rc;
    const marl_gl_data *d = marl_gl_of(game);
    if (P_g) *P_g = d->Pg;
    if (r_g) *r_g = d->rg;
    if (P_l) *P_l = d->Pl;
    if (r_l) *r_l = d->rl;
    return MARL_OK;
}
