/*
 * Shared plumbing of the alternating-* solvers: the starting policy
 * (marl_alternating_set_policy) and the current policy
 * (marl_alternating_policy). See alt_common.h.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/glearn/alt_common.h"

#include <string.h>

int marl_alt_is_type(const marl_solver_type *type) {
    if (!type) return 0;
    if (type == &marl_solver_alternating_glearn) return 1;
    /* The other two types live in loop/; compare through the registry (a
     * built-in name is unique and found first) so that this file does not
     * depend on their symbols. */
    if (!type->name || (strcmp(type->name, "alternating-llearn") != 0 &&
                        strcmp(type->name, "alternating-marl") != 0))
        return 0;
    return marl_solver_type_find(type->name) == type;
}

static void alt_ext_release(void *data) {
    marl_alt_ext *e = data;
    if (!e) return;
    marl_gl_policy_free(e->start);
    marl_free(e);
}

const marl_gl_policy *marl_alt_start_policy(marl_solver *solver) {
    marl_solver_ext *x = marl_solver_extension(solver);
    if (!x || x->release != alt_ext_release || !x->data) return NULL;
    return ((const marl_alt_ext *)x->data)->start;
}

int marl_alt_option_k(const marl_solver *solver, const char *fn, size_t *k) {
    long long v = 0;
    if (marl_solver_get_int(solver, "k", &v) != MARL_OK || v < 1)
        return marl_error(MARL_EINVAL, "%s: solver has no valid option k",
                          fn);
    *k = (size_t)v;
    return MARL_OK;
}

int marl_alt_initial_policy(marl_solver *solver, size_t k, const char *fn,
                            marl_gl_policy **out) {
    const marl_gl_policy *start = marl_alt_start_policy(solver);
    if (!start) return marl_gl_policy_new(out, marl_solver_game(solver), k);
    if (start->k != k)
        return marl_error(MARL_EINVAL,
                          "%s: the starting policy has k = %zu but option k "
                          "is %zu",
                          fn, start->k, k);
    return marl_gl_policy_copy(out, start);
}

static int check_alt_solver(marl_solver *solver, const char *fn) {
    if (!solver) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    const marl_solver_type *t = marl_solver_get_type(solver);
    if (!marl_alt_is_type(t))
        return marl_error(MARL_EINVAL,
                          "%s: solver \"%s\" is not an alternating-* solver",
                          fn, t && t->name ? t->name : "?");
    return MARL_OK;
}

int marl_alternating_set_policy(marl_solver *solver,
                                const marl_gl_policy *policy) {
    static const char fn[] = "marl_alternating_set_policy";
    int rc = check_alt_solver(solver, fn);
    if (rc) return rc;
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (marl_solver_iterations(solver) > 0)
        return marl_error(MARL_EINVAL,
                          "%s: the solver has already run %zu iterations; "
                          "call marl_solver_reset first",
                          fn, marl_solver_iterations(solver));
    if (policy->game != marl_solver_game(solver))
        return marl_error(MARL_EINVAL,
                          "%s: the policy belongs to another game than the "
                          "solver",
                          fn);
    size_t k = 0;
    rc = marl_alt_option_k(solver, fn, &k);
    if (rc) return rc;
    if (policy->k != k)
        return marl_error(MARL_EINVAL,
                          "%s: the policy has k = %zu but the solver's option "
                          "k is %zu (set k first)",
                          fn, policy->k, k);
    marl_solver_ext *x = marl_solver_extension(solver);
    if (x->data && x->release != alt_ext_release)
        return marl_error(MARL_EINTERNAL,
                          "%s: the solver's extension slot is in use", fn);
    marl_gl_policy *copy = NULL;
    rc = marl_gl_policy_copy(&copy, policy);
    if (rc) return rc;
    marl_alt_ext *e = x->data;
    if (!e) {
        e = marl_calloc(1, sizeof *e);
        if (!e) {
            marl_gl_policy_free(copy);
            return marl_error_nomem("the alternating solver's start policy");
        }
        x->data = e;
        x->release = alt_ext_release;
    }
    marl_gl_policy_free(e->start);
    e->start = copy;
    /* forget a state built (by marl_alternating_policy) from the old start;
     * no iteration has run, so nothing else is lost */
    return marl_solver_reset(solver);
}

const marl_gl_policy *marl_alternating_policy(marl_solver *solver) {
    static const char fn[] = "marl_alternating_policy";
    if (check_alt_solver(solver, fn) != MARL_OK) return NULL;
    const marl_alt_header *h = marl_solver_state(solver);
    if (!h) return NULL;
    return h->policy;
}
