/* Validation of a Nash subroutine call (nash.h); every error names the
 * offending field, agent, action or grid point.
 * SPDX-License-Identifier: MIT */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>

static const char fn[] = "marl_nash_solve";

static int check_reals(const double *x, size_t len, const char *what) {
    if (!x) return marl_error(MARL_EINVAL, "%s: %s is NULL", fn, what);
    for (size_t j = 0; j < len; ++j)
        if (!isfinite(x[j]))
            return marl_error(MARL_EINVAL, "%s: %s[%zu] = %g is not finite",
                              fn, what, j, x[j]);
    return MARL_OK;
}

static int check_shape(const marl_nash_workspace *ws,
                       const marl_nash_problem *p) {
    if (p->n == 0 || p->d == 0 || p->n_grid == 0)
        return marl_error(MARL_EINVAL, "%s: zero size (n %zu, d %zu, n_grid "
                          "%zu)", fn, p->n, p->d, p->n_grid);
    if (p->n > ws->n_max || p->d > ws->d_max || p->n_grid > ws->g_max)
        return marl_error(MARL_ERANGE, "%s: n %zu, d %zu, n_grid %zu exceed "
                          "the workspace (%zu, %zu, %zu)", fn, p->n, p->d,
                          p->n_grid, ws->n_max, ws->d_max, ws->g_max);
    if (!p->m || !p->off)
        return marl_error(MARL_EINVAL, "%s: m or off is NULL", fn);
    if (p->off[0] != 0)
        return marl_error(MARL_EINVAL, "%s: off[0] = %zu, expected 0", fn,
                          p->off[0]);
    for (size_t i = 0; i < p->n; ++i) {
        if (p->m[i] == 0)
            return marl_error(MARL_EINVAL, "%s: agent %zu has no action", fn,
                              i);
        if (p->m[i] > ws->U_max || p->off[i] > ws->U_max - p->m[i])
            return marl_error(MARL_ERANGE, "%s: agent %zu's actions exceed "
                              "the workspace's %zu agent-actions", fn, i,
                              ws->U_max);
        if (p->off[i + 1] != p->off[i] + p->m[i])
            return marl_error(MARL_EINVAL, "%s: off[%zu] = %zu, expected "
                              "off[%zu] + m[%zu] = %zu", fn, i + 1,
                              p->off[i + 1], i, i, p->off[i] + p->m[i]);
    }
    return MARL_OK;
}

int marl_nash_check(const marl_nash_workspace *ws, const marl_nash_problem *p,
                    const marl_rng *rng, const marl_nash_result *result) {
    if (!ws || !p || !rng || !result)
        return marl_error(MARL_EINVAL, "%s: workspace, problem, rng or result "
                          "is NULL", fn);
    if (!result->actions || !result->x)
        return marl_error(MARL_EINVAL, "%s: result->actions or result->x is "
                          "NULL", fn);
    int rc = check_shape(ws, p);
    if (rc) return rc;
    const size_t U = p->off[p->n];
    if ((rc = check_reals(p->f, U * p->d, "f")) ||
        (rc = check_reals(p->grid, p->n_grid * p->d, "grid")))
        return rc;
    if (p->w && (rc = check_reals(p->w, U, "w"))) return rc;
    if (p->c && (rc = check_reals(p->c, p->n_grid, "c"))) return rc;
    if (!(isfinite(p->delta) && p->delta > 0.0))
        return marl_error(MARL_EINVAL, "%s: delta = %g, expected finite and "
                          "> 0", fn, p->delta);
    if (!(isfinite(p->alpha) && p->alpha >= 0.0))
        return marl_error(MARL_EINVAL, "%s: alpha = %g, expected finite and "
                          ">= 0", fn, p->alpha);
    if (isnan(p->slack) || p->slack == HUGE_VAL)
        return marl_error(MARL_EINVAL, "%s: slack = %g, expected finite (< 0 "
                          "for auto)", fn, p->slack);
    if (p->rounds == 0)
        return marl_error(MARL_EINVAL, "%s: rounds = 0, expected >= 1", fn);
    if (p->lp_backend != MARL_NASH_LP_SOLVE &&
        p->lp_backend != MARL_NASH_LP_STRUCTURED)
        return marl_error(MARL_EINVAL, "%s: lp_backend = %d is neither "
                          "lp_solve (%d) nor structured (%d)", fn,
                          p->lp_backend, MARL_NASH_LP_SOLVE,
                          MARL_NASH_LP_STRUCTURED);
    if (!p->q_grid || !p->q_at)
        return marl_error(MARL_EINVAL, "%s: q_grid or q_at is NULL", fn);
    return MARL_OK;
}
