/*
 * The Nash subroutine (ALGORITHMS.md §3; nash.h; docs/aggregative-nash.md).
 *
 * 1. Slack: fixed (p->slack >= 0) or `auto` (nash_slack.c).
 * 2. At every grid point feasible for that slack, the LP of the point with
 *    objective w (welfare mode) or -gap (feasibility mode: among the
 *    feasible distributions, the one that puts the least total mass on
 *    approximate best responses, weighted by how approximate they are; a
 *    vertex, so at most d agents mix).
 * 3. Selection: welfare mode, the largest LP objective + c (ties: lower
 *    grid index), then `rounds` draws there; feasibility mode, `rounds`
 *    draws at every feasible point. Among the draws: the smallest stage
 *    deviation gain, then the largest welfare, then the earliest.
 * 4. No feasible point: the point of least L1 violation (min over the
 *    allowed distributions of sum_k dist(x_k, band_k)), with its
 *    least-violating distribution (d = 1: the pure profile at the end of the
 *    reachable interval nearest the band); result->feasible = 0.
 *
 * SPDX-License-Identifier: MIT
 */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct run {
    marl_nash_workspace *ws;
    const marl_nash_problem *p;
    marl_rng *rng;
    marl_nash_pick pick;
    int any;          /* some point was feasible */
    double best_obj;  /* welfare mode: best LP objective + c */
    size_t best_g;
} run;

/* The LP objective of the current point into ws->v and its pointer. */
static const double *objective(run *r) {
    const marl_nash_problem *p = r->p;
    if (p->w) return p->w;
    const size_t U = p->off[p->n];
    for (size_t u = 0; u < U; ++u) r->ws->v[u] = -r->ws->gap[u];
    return r->ws->v;
}

/* LP at point g (ws->gap loaded, ws->allowed/lo/hi set, interval test
 * passed); rounds it (feasibility mode) or records it (welfare mode). */
static int process(run *r, size_t g) {
    marl_nash_workspace *ws = r->ws;
    const marl_nash_problem *p = r->p;
    marl_nash_lp_in in;
    marl_nash_lp_input(ws, p, objective(r), &in);
    double obj;
    int status;
    int rc = marl_nash_lp(ws, p->lp_backend, &in, ws->p, &obj, &status);
    if (!rc && status == MARL_NASH_INFEASIBLE && p->d == 1)
        /* lp_solve's tolerances disagree with the exact interval test:
         * the structured method decides exactly like the test */
        rc = marl_nash_lp(ws, MARL_NASH_LP_STRUCTURED, &in, ws->p, &obj,
                          &status);
    if (rc) return rc;
    if (status != MARL_NASH_FEASIBLE) {
        ws->viol_g[g] = 0.0; /* interval lower bound (d > 1) */
        return MARL_OK;
    }
    r->any = 1;
    if (!p->w) return marl_nash_round(ws, p, g, ws->p, r->rng, &r->pick);
    const double value = obj + (p->c ? p->c[g] : 0.0);
    if (r->best_g == SIZE_MAX || value > r->best_obj) {
        r->best_obj = value;
        r->best_g = g;
        memcpy(ws->pbest, ws->p, p->off[p->n] * sizeof *ws->p);
    }
    return MARL_OK;
}

static int fixed_slack(run *r, double eta) {
    for (size_t g = 0; g < r->p->n_grid; ++g) {
        double mg, dist;
        int ok;
        int rc = marl_nash_fetch(r->ws, r->p, g, &mg);
        if (rc) return rc;
        marl_nash_allowed(r->p->off[r->p->n], r->ws->gap, eta,
                          r->ws->allowed);
        marl_nash_band(r->p, g, r->ws->lo, r->ws->hi);
        dist = marl_nash_interval_distance(r->p->n, r->p->m, r->p->off,
                                           r->p->d, r->p->f, r->p->delta,
                                           r->ws->allowed, r->ws->lo,
                                           r->ws->hi);
        r->ws->viol_g[g] = dist;
        ok = dist == 0.0;
        if (!ok) continue;
        rc = process(r, g);
        if (rc) return rc;
    }
    return MARL_OK;
}

static int auto_points(run *r, double eta) {
    for (size_t g = 0; g < r->p->n_grid; ++g) {
        if (r->ws->eta_g[g] != eta) continue;
        double mg, dist;
        int ok;
        int rc = marl_nash_fetch(r->ws, r->p, g, &mg);
        if (!rc) rc = marl_nash_feasible(r->ws, r->p, g, eta, &ok, &dist);
        if (rc) return rc;
        if (!ok) continue; /* cannot happen: eta_g[g] == eta was feasible */
        rc = process(r, g);
        if (rc) return rc;
    }
    return MARL_OK;
}

/* d = 1 fallback: the pure profile at the end of the reachable interval
 * nearest the band (ties: larger objective, then lower action index). */
static void nearest_end(run *r, const double *v) {
    marl_nash_workspace *ws = r->ws;
    const marl_nash_problem *p = r->p;
    double smin = 0.0;
    for (size_t i = 0; i < p->n; ++i) {
        double fmin = HUGE_VAL;
        for (size_t a = 0; a < p->m[i]; ++a)
            if (ws->allowed[p->off[i] + a] && p->f[p->off[i] + a] < fmin)
                fmin = p->f[p->off[i] + a];
        smin += fmin;
    }
    const int low = p->delta * smin > ws->hi[0]; /* above: go low */
    for (size_t i = 0; i < p->n; ++i) {
        const size_t o = p->off[i];
        size_t bestu = SIZE_MAX;
        for (size_t a = 0; a < p->m[i]; ++a) {
            const size_t u = o + a;
            ws->pbest[u] = 0.0;
            if (!ws->allowed[u]) continue;
            if (bestu == SIZE_MAX) {
                bestu = u;
                continue;
            }
            const double fu = p->f[u], fb = p->f[bestu];
            if ((low ? fu < fb : fu > fb) || (fu == fb && v[u] > v[bestu]))
                bestu = u;
        }
        ws->pbest[bestu] = 1.0;
    }
}

static int fallback(run *r, double eta, double *violation) {
    marl_nash_workspace *ws = r->ws;
    const marl_nash_problem *p = r->p;
    size_t gbest = 0;
    double vbest = HUGE_VAL;
    double mg;
    int rc;
    if (p->d == 1) {
        for (size_t g = 0; g < p->n_grid; ++g)
            if (ws->viol_g[g] < vbest) {
                vbest = ws->viol_g[g];
                gbest = g;
            }
        rc = marl_nash_fetch(ws, p, gbest, &mg);
        if (rc) return rc;
        marl_nash_allowed(p->off[p->n], ws->gap, eta, ws->allowed);
        marl_nash_band(p, gbest, ws->lo, ws->hi);
        nearest_end(r, objective(r));
    } else {
        for (size_t g = 0; g < p->n_grid; ++g) {
            if (ws->viol_g[g] >= vbest) continue; /* cannot beat vbest */
            rc = marl_nash_fetch(ws, p, g, &mg);
            if (rc) return rc;
            marl_nash_allowed(p->off[p->n], ws->gap, eta, ws->allowed);
            marl_nash_band(p, g, ws->lo, ws->hi);
            marl_nash_lp_in in;
            marl_nash_lp_input(ws, p, NULL, &in);
            double v;
            rc = marl_nash_lp_violation(ws, &in, ws->p, &v);
            if (rc) return rc;
            if (v < vbest) {
                vbest = v;
                gbest = g;
                memcpy(ws->pbest, ws->p, p->off[p->n] * sizeof *ws->p);
            }
        }
    }
    r->best_g = gbest;
    *violation = vbest;
    return marl_nash_round(ws, p, gbest, ws->pbest, r->rng, &r->pick);
}

static int solve(marl_nash_workspace *ws, const marl_nash_problem *p,
                 marl_rng *rng, marl_nash_result *result) {
    int rc;
    ws->n_lps = 0;
    ws->lp_seconds = 0.0;
    run r = {ws, p, rng, {0, 0.0, 0.0, 0}, 0, -HUGE_VAL, SIZE_MAX};
    double eta = p->slack, max_gap = 0.0, violation = 0.0;
    if (p->slack < 0.0) {
        rc = marl_nash_auto_slack(ws, p, &eta, &max_gap);
        if (!rc && isfinite(eta)) {
            rc = auto_points(&r, eta);
            /* d > 1 only, if lp_solve rejects every LP it had accepted in
             * the search: no violation bounds are known */
            if (!rc && !r.any)
                for (size_t g = 0; g < p->n_grid; ++g) ws->viol_g[g] = 0.0;
        }
        if (!isfinite(eta)) eta = max_gap; /* every action allowed */
    } else {
        rc = fixed_slack(&r, eta);
    }
    if (rc) return rc;
    double objective_value = 0.0;
    if (r.any && p->w) {
        rc = marl_nash_round(ws, p, r.best_g, ws->pbest, rng, &r.pick);
        if (rc) return rc;
        objective_value = r.best_obj;
    } else if (!r.any) {
        rc = fallback(&r, eta, &violation);
        if (rc) return rc;
        if (p->w) {
            double s = p->c ? p->c[r.best_g] : 0.0;
            for (size_t u = 0; u < p->off[p->n]; ++u)
                if (ws->pbest[u] != 0.0) s += p->w[u] * ws->pbest[u];
            objective_value = s;
        }
    }
    memcpy(result->actions, ws->best, p->n * sizeof *ws->best);
    memcpy(result->x, ws->xbest, p->d * sizeof *ws->xbest);
    result->grid_index = r.pick.g;
    result->feasible = r.any;
    result->violation = r.any ? 0.0 : violation;
    result->slack = eta;
    result->objective = objective_value;
    result->gain = r.pick.gain;
    result->n_lps = ws->n_lps;
    result->lp_seconds = ws->lp_seconds;
    return MARL_OK;
}

int marl_nash_solve(marl_nash_workspace *ws, const marl_nash_problem *p,
                    marl_rng *rng, marl_nash_result *result) {
    int rc = marl_nash_check(ws, p, rng, result);
    if (rc) return rc;
    uint64_t state[4];
    rc = marl_rng_get_state(rng, state);
    if (rc) return rc;
    rc = solve(ws, p, rng, result);
    if (rc) marl_rng_set_state(rng, state); /* a failed call draws nothing */
    return rc;
}
