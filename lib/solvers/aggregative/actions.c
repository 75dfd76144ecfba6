/*
 * marl_aggregative_solver_actions: the compact pure policy of an
 * aggregative solver.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/aggregative/amg_solver.h"

int marl_aggregative_solver_actions(marl_solver *solver, size_t *actions) {
    const char *fn = "marl_aggregative_solver_actions";
    if (!solver || !actions)
        return marl_error(MARL_EINVAL, "%s: solver or actions is NULL", fn);
    const marl_solver_type *t = marl_solver_get_type(solver);
    if (t != &marl_solver_aggregative_bi &&
        t != &marl_solver_aggregative_statewise &&
        t != &marl_solver_aggregative_vi)
        return marl_error(MARL_EKIND,
                          "%s: solver type '%s' is not an aggregative solver",
                          fn, t ? t->name : "?");
    if (marl_solver_iterations(solver) == 0)
        return marl_error(MARL_EINVAL,
                          "%s: the solver has not run a step yet (no pure "
                          "policy)",
                          fn);
    const marl_policy *p = marl_solver_policy(solver);
    if (!p) return marl_last_error_code();
    return marl_aggregative_policy_actions(p, actions);
}
