/* LP backend dispatch of the Nash subroutine: `structured` for d = 1,
 * lp_solve otherwise; counts LPs and their time.
 * SPDX-License-Identifier: MIT */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

int marl_nash_lp(marl_nash_workspace *ws, int backend,
                 const marl_nash_lp_in *in, double *p, double *obj,
                 int *status) {
    const double t0 = marl_now_seconds();
    int rc = backend == MARL_NASH_LP_STRUCTURED && in->d == 1
                 ? marl_nash_lp_structured(ws, in, p, obj, status)
                 : marl_nash_lp_lpsolve(ws, in, p, obj, status);
    ws->n_lps++;
    ws->lp_seconds += marl_now_seconds() - t0;
    return rc;
}

void marl_nash_lp_input(const marl_nash_workspace *ws,
                        const marl_nash_problem *p, const double *v,
                        marl_nash_lp_in *in) {
    in->n = p->n;
    in->m = p->m;
    in->off = p->off;
    in->d = p->d;
    in->f = p->f;
    in->delta = p->delta;
    in->allowed = ws->allowed;
    in->lo = ws->lo;
    in->hi = ws->hi;
    in->v = v;
}
