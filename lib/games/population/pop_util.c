/*
 * Shared construction helper of the catalogue's population games.
 * SPDX-License-Identifier: MIT
 */
#include "games/population/pop_util.h"

int marl_pop_build_simple(marl_game **out, const char *name, size_t n,
                          size_t S, size_t A, size_t H, const double *rho0,
                          int symmetric, const marl_population_ops *ops,
                          void *user) {
    marl_population_builder *b = NULL;
    int rc = marl_population_builder_new(&b, n, S, A, H);
    if (rc) {
        if (ops->destroy) ops->destroy(user);
        return rc;
    }
    if (rho0) rc = marl_population_builder_set_initial(b, rho0);
    if (!rc) rc = marl_population_builder_set_symmetric(b, symmetric);
    if (!rc) rc = marl_population_builder_set_name(b, name);
    if (rc) {
        marl_population_builder_free(b);
        if (ops->destroy) ops->destroy(user);
        return rc;
    }
    rc = marl_population_builder_set_ops(b, ops, user);
    if (rc) {
        marl_population_builder_free(b);
        if (ops->destroy) ops->destroy(user);
        return rc;
    }
    rc = marl_population_builder_build(b, out); /* destroys user on failure */
    marl_population_builder_free(b);
    return rc;
}
