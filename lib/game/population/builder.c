/*
 * The population kind: builder and build (population.h). The accessors and
 * the validated callback evaluation are in access.c.
 *
 * Ownership of the user data: after a successful set_ops the builder owns
 * `user`; a successful build hands it to the game (destroy runs when the game
 * is freed); a failed build calls destroy once and forgets the callbacks;
 * freeing a builder that still owns callbacks, or replacing them by another
 * set_ops, calls the previous destroy.
 * SPDX-License-Identifier: MIT
 */
#include "game/population/population_impl.h"

#include <math.h>
#include <string.h>

struct marl_population_builder {
    size_t N, S, A, H;
    double *rho0;  /* [S] */
    int has_ops;
    marl_population_ops ops;
    void *user;
    int symmetric;
    char *name;
};

static void release_ops(marl_population_builder *b) {
    if (b->has_ops && b->ops.destroy) b->ops.destroy(b->user);
    b->has_ops = 0;
    b->user = NULL;
    memset(&b->ops, 0, sizeof b->ops);
}

int marl_population_builder_new(marl_population_builder **out,
                                size_t n_agents, size_t n_states,
                                size_t n_actions, size_t horizon) {
    const char *fn = "marl_population_builder_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (n_agents == 0)
        return marl_error(MARL_EINVAL, "%s: n_agents is 0 (need >= 1)", fn);
    if (n_states == 0)
        return marl_error(MARL_EINVAL, "%s: n_states is 0 (need >= 1)", fn);
    if (n_actions == 0)
        return marl_error(MARL_EINVAL, "%s: n_actions is 0 (need >= 1)", fn);
    if (horizon == 0)
        return marl_error(MARL_EINVAL, "%s: horizon is 0 (need >= 1)", fn);
    /* Every exact table is H * S * A * S doubles; refuse sizes whose
     * products overflow. */
    size_t t = 0;
    if (!marl_mul_size(horizon, n_states, &t) ||
        !marl_mul_size(t, n_actions, &t) || !marl_mul_size(t, n_states, &t) ||
        !marl_mul_size(t, sizeof(double), &t) ||
        !marl_mul_size(n_agents, sizeof(size_t), &t))
        return marl_error(MARL_ERANGE,
                          "%s: sizes N = %zu, S = %zu, A = %zu, H = %zu "
                          "overflow the table sizes", fn, n_agents, n_states,
                          n_actions, horizon);
    marl_population_builder *b = marl_calloc(1, sizeof *b);
    if (!b) return marl_error_nomem("a population builder");
    b->rho0 = marl_calloc(n_states, sizeof *b->rho0);
    if (!b->rho0) {
        marl_free(b);
        return marl_error_nomem("a population builder's initial distribution");
    }
    for (size_t s = 0; s < n_states; ++s) b->rho0[s] = 1.0 / (double)n_states;
    b->N = n_agents;
    b->S = n_states;
    b->A = n_actions;
    b->H = horizon;
    *out = b;
    return MARL_OK;
}

void marl_population_builder_free(marl_population_builder *b) {
    if (!b) return;
    release_ops(b);
    marl_free(b->rho0);
    marl_free(b->name);
    marl_free(b);
}

int marl_population_builder_set_initial(marl_population_builder *b,
                                        const double *rho0) {
    const char *fn = "marl_population_builder_set_initial";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!rho0) return marl_error(MARL_EINVAL, "%s: rho0 is NULL", fn);
    int rc = marl_check_distribution(rho0, b->S, "marl_population_builder_"
                                                 "set_initial: rho0");
    if (rc) return rc;
    memcpy(b->rho0, rho0, b->S * sizeof *rho0);
    return MARL_OK;
}

int marl_population_builder_set_ops(marl_population_builder *b,
                                    const marl_population_ops *ops,
                                    void *user) {
    const char *fn = "marl_population_builder_set_ops";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!ops) return marl_error(MARL_EINVAL, "%s: ops is NULL", fn);
    if (ops->version < 1)
        return marl_error(MARL_EINVAL,
                          "%s: ops->version is %d (expected %d; set it to "
                          "MARL_POPULATION_OPS_VERSION)", fn, ops->version,
                          MARL_POPULATION_OPS_VERSION);
    if (!ops->transition)
        return marl_error(MARL_EINVAL, "%s: ops->transition is NULL", fn);
    if (!ops->reward)
        return marl_error(MARL_EINVAL, "%s: ops->reward is NULL", fn);
    release_ops(b);
    /* Version 1 is the whole table; later versions append members that this
     * library does not know and does not read. */
    b->ops.version = ops->version;
    b->ops.transition = ops->transition;
    b->ops.reward = ops->reward;
    b->ops.destroy = ops->destroy;
    b->user = user;
    b->has_ops = 1;
    return MARL_OK;
}

int marl_population_builder_set_symmetric(marl_population_builder *b,
                                          int on) {
    if (!b)
        return marl_error(MARL_EINVAL,
                          "marl_population_builder_set_symmetric: builder is "
                          "NULL");
    b->symmetric = on ? 1 : 0;
    return MARL_OK;
}

int marl_population_builder_set_name(marl_population_builder *b,
                                     const char *name) {
    const char *fn = "marl_population_builder_set_name";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!name) return marl_error(MARL_EINVAL, "%s: name is NULL", fn);
    char *copy = marl_strdup(name);
    if (!copy) return marl_error_nomem("a population game's name");
    marl_free(b->name);
    b->name = copy;
    return MARL_OK;
}

void marl_population_builder_dims(const marl_population_builder *b,
                                  size_t *S, size_t *A) {
    *S = b->S;
    *A = b->A;
}

static void population_free(void *impl) {
    marl_population_data *d = impl;
    if (!d) return;
    if (d->ops.destroy) d->ops.destroy(d->user);
    marl_free(d->rho0);
    marl_free(d);
}

int marl_population_builder_build(marl_population_builder *b,
                                  marl_game **out) {
    const char *fn = "marl_population_builder_build";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!out) {
        release_ops(b);
        return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    }
    if (!b->has_ops)
        return marl_error(MARL_EINVAL,
                          "%s: no callbacks (call "
                          "marl_population_builder_set_ops first)", fn);
    int rc = MARL_OK;
    marl_population_data *d = marl_calloc(1, sizeof *d);
    size_t *acts = marl_calloc(b->N, sizeof *acts);
    if (d) d->rho0 = marl_calloc(b->S, sizeof *d->rho0);
    if (!d || !acts || !d->rho0) {
        rc = marl_error_nomem("a population game");
        if (d) marl_free(d->rho0);
        marl_free(d);
        marl_free(acts);
        release_ops(b);
        return rc;
    }
    for (size_t i = 0; i < b->N; ++i) acts[i] = b->A;
    marl_game *g = NULL;
    rc = marl_game_alloc(&g, MARL_GAME_POPULATION, b->N, b->S, acts,
                         b->name ? b->name : "");
    marl_free(acts);
    if (rc) {
        marl_free(d->rho0);
        marl_free(d);
        release_ops(b);
        return rc;
    }
    d->N = b->N;
    d->S = b->S;
    d->A = b->A;
    d->H = b->H;
    d->symmetric = b->symmetric;
    memcpy(d->rho0, b->rho0, b->S * sizeof *d->rho0);
    d->ops = b->ops;
    d->user = b->user;
    /* ownership of user moves to the game */
    b->has_ops = 0;
    b->user = NULL;
    memset(&b->ops, 0, sizeof b->ops);
    g->horizon = b->H;
    g->gamma = 1.0;
    g->impl = d;
    g->impl_free = population_free;
    *out = g;
    return MARL_OK;
}
