/*
 * Internals of the Nash subroutine (nash.h): the workspace, the LP backend
 * interface shared by `lp_solve` and `structured`, the best-approximate
 * sets and interval tests, rounding and the deviation gain. Private to
 * lib/solvers/aggregative/nash/ (and its tests and micro-benchmark).
 *
 * The LP of one grid point (ALGORITHMS.md §3):
 *   maximise   sum_u v[u] p[u]
 *   subject to p[u] >= 0, p[u] = 0 unless allowed[u],
 *              sum_{a < m_i} p[off[i] + a] = 1            for every agent i,
 *              lo[k] <= delta * sum_u f[u*d + k] p[u] <= hi[k]  for every k.
 * Both backends return the same optimal objective (agreement tested to
 * 1e-9); the optimal vertex may differ when the optimum is not unique.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_AGGREGATIVE_NASH_INTERNAL_H
#define MARL_AGGREGATIVE_NASH_INTERNAL_H

#include "core/lp.h"
#include "solvers/aggregative/nash/nash.h"

#include <stddef.h>

/* One LP instance for a backend. */
typedef struct marl_nash_lp_in {
    size_t n;
    const size_t *m, *off;           /* as in marl_nash_problem */
    size_t d;
    const double *f;                 /* [U * d] */
    double delta;                    /* > 0 */
    const unsigned char *allowed;    /* [U]: 1 if the column may be > 0;
                                        every agent needs one */
    const double *lo, *hi;           /* [d] band on x = delta * sum f p */
    const double *v;                 /* [U] objective (maximised); NULL = 0 */
} marl_nash_lp_in;

/* LP outcome. */
enum { MARL_NASH_FEASIBLE = 0, MARL_NASH_INFEASIBLE = 1 };

/* A hull segment of the structured backend (one agent, hull vertices k and
 * k + 1, slope sigma = dv / df with df > 0). */
typedef struct marl_nash_seg {
    double sigma, df;
    size_t agent, k;
} marl_nash_seg;

struct marl_nash_workspace {
    size_t n_max, U_max, d_max, g_max;
    /* subroutine scratch */
    double *Q;             /* [U] Q at the current grid point */
    double *gap;           /* [U] max_a Q_i(a) - Q_i(u) */
    double *v;             /* [U] LP objective (w, or -gap) */
    double *p;             /* [U] LP solution of the current point */
    double *pbest;         /* [U] LP solution of the best point (welfare) */
    double *sorted;        /* [U] candidate gaps (auto slack) */
    unsigned char *allowed;/* [U] best-approximate sets */
    double *eta_g;         /* [g] smallest feasible eta per point (auto) */
    double *viol_g;        /* [g] violation lower bound per point */
    double *lo, *hi;       /* [d] band */
    double *x, *xdev;      /* [d] realised aggregate, deviation aggregate */
    double *xbest;         /* [d] aggregate of the best profile */
    size_t *prof;          /* [n] current draw */
    size_t *best;          /* [n] best profile */
    size_t *mixed;         /* [n] agents with a mixed distribution */
    size_t *draws;         /* [draws_cap] earlier draws of the mixed agents */
    size_t draws_cap;
    /* structured backend */
    size_t *hull;          /* [U] hull vertex actions, agent i at off[i] */
    size_t *hull_len;      /* [n] */
    size_t *pos;           /* [n] current hull position */
    marl_nash_seg *seg;    /* [U] */
    /* lp_solve backend: one model per shape, kept between calls */
    marl_lp *lp;
    size_t lp_n, lp_U, lp_d, lp_cols;
    double lp_delta;
    size_t *lp_m;          /* [n] action counts of the model */
    double *lp_f;          /* [U * d] contributions of the model */
    unsigned char *lp_open;/* [U + 2d] column currently not fixed at 0 */
    double *lp_obj;        /* [U + 2d] objective currently set */
    int lp_obj_set;
    double *lp_x;          /* [U + 2d] solution buffer */
    size_t *cols;          /* [U + 2d] row building */
    double *vals;          /* [U + 2d] row building, objective */
    /* statistics of the current call */
    size_t n_lps;
    double lp_seconds;
};

/* ---- LP backends (nash_lp.c dispatches) --------------------------------- */

/* Solve the LP with `backend` (MARL_NASH_LP_SOLVE or _STRUCTURED; the
 * structured backend uses lp_solve when d > 1). On MARL_OK, *status is
 * MARL_NASH_FEASIBLE (p[U] optimal: each agent's row a distribution over
 * its allowed actions; *obj = sum v p) or MARL_NASH_INFEASIBLE. Counts the
 * LP and its time in ws->n_lps, ws->lp_seconds. in->n, U, d must fit the
 * workspace. */
int marl_nash_lp(marl_nash_workspace *ws, int backend,
                 const marl_nash_lp_in *in, double *p, double *obj,
                 int *status);

/* Structured backend, d = 1 only. */
int marl_nash_lp_structured(marl_nash_workspace *ws,
                            const marl_nash_lp_in *in, double *p,
                            double *obj, int *status);

/* lp_solve backend, any d. */
int marl_nash_lp_lpsolve(marl_nash_workspace *ws, const marl_nash_lp_in *in,
                         double *p, double *obj, int *status);

/* lp_solve: minimise the L1 violation sum_k dist(x_k(p), [lo_k, hi_k]) over
 * the allowed distributions (always feasible); p[U] a minimiser, *viol its
 * value (>= 0). Any d. */
int marl_nash_lp_violation(marl_nash_workspace *ws,
                           const marl_nash_lp_in *in, double *p,
                           double *viol);

/* Free the lp_solve model (the next lp_solve call rebuilds it). */
void marl_nash_lp_reset(marl_nash_workspace *ws);

/* ---- best-approximate sets and interval tests (nash_interval.c) --------- */

/* gap[u] = max_a Q_i(a) - Q[u] for every agent; *max_gap = the largest. */
void marl_nash_gaps(const marl_nash_problem *p, const double *Q, double *gap,
                    double *max_gap);

/* allowed[u] = (gap[u] <= eta). */
void marl_nash_allowed(size_t U, const double *gap, double eta,
                       unsigned char *allowed);

/* Band [grid_g[k] - alpha, grid_g[k] + alpha] into lo, hi. */
void marl_nash_band(const marl_nash_problem *p, size_t g, double *lo,
                    double *hi);

/* Per-coordinate interval test: for each k the reachable interval
 * [delta sum_i min_{allowed} f_ik, delta sum_i max_{allowed} f_ik] (sums in
 * agent order) against [lo_k, hi_k]. Returns the L1 distance of the box of
 * intervals from the band box (0 iff every coordinate intersects): the
 * exact violation when d = 1, a lower bound on it when d > 1. */
double marl_nash_interval_distance(size_t n, const size_t *m,
                                   const size_t *off, size_t d,
                                   const double *f, double delta,
                                   const unsigned char *allowed,
                                   const double *lo, const double *hi);

/* ---- rounding and the deviation gain (nash_round.c) --------------------- */

/* The best profile found so far in one subroutine call. */
typedef struct marl_nash_pick {
    int have;
    double gain, welfare;
    size_t g;
} marl_nash_pick;

/* Realised aggregate x[d] = delta * sum_i f_i(a_i) (sums in agent order). */
void marl_nash_aggregate(const marl_nash_problem *p, const size_t *a,
                         double *x);

/* Stage deviation gain of profile a at its realised aggregate x (see
 * nash.h). Stops early (returning *gain > bound, *done = 0) once the gain
 * exceeds `bound`; bound = +inf evaluates fully (*done = 1). */
int marl_nash_gain(const marl_nash_problem *p, const size_t *a,
                   const double *x, double bound, double *xdev, double *gain,
                   int *done);

/* Round the distribution p[U] of grid point g: `rounds` independent draws
 * a_i ~ p_i (agents with one positive entry take it without a draw; one
 * uniform per mixed agent and draw, agents in order), duplicates skipped;
 * each new profile competes with the current pick: smaller gain, then
 * larger welfare (sum_i w_i(a_i) + c(g)), then earlier (lower grid index,
 * earlier draw). Updates ws->best, ws->xbest and *pick. */
int marl_nash_round(marl_nash_workspace *ws, const marl_nash_problem *p,
                    size_t g, const double *pd, marl_rng *rng,
                    marl_nash_pick *pick);

/* ---- the `auto` slack (nash_slack.c) ------------------------------------ */

/* Smallest eta in the candidate set for which some grid point is feasible.
 * On MARL_OK: *eta (+inf when no point is feasible even with every action
 * allowed; then *max_gap is the largest gap over all points and
 * ws->viol_g[g] the interval lower bound of each point's violation with
 * every action allowed), ws->eta_g[g] == *eta exactly for the feasible
 * points. */
int marl_nash_auto_slack(marl_nash_workspace *ws, const marl_nash_problem *p,
                         double *eta, double *max_gap);

/* Fetch Q at grid point g into ws->Q (callback checked: failure or a
 * non-finite value is MARL_EINVAL) and the gaps into ws->gap. */
int marl_nash_fetch(marl_nash_workspace *ws, const marl_nash_problem *p,
                    size_t g, double *max_gap);

/* Feasibility at (g, eta) for the gaps in ws->gap: interval test, then (d
 * > 1) an LP of `backend` with a zero objective. Fills ws->allowed, ws->lo,
 * ws->hi. *dist = the interval distance. */
int marl_nash_feasible(marl_nash_workspace *ws, const marl_nash_problem *p,
                       size_t g, double eta, int *feasible, double *dist);

/* Build the LP input of grid point g from ws (allowed, lo, hi) and p. */
void marl_nash_lp_input(const marl_nash_workspace *ws,
                        const marl_nash_problem *p, const double *v,
                        marl_nash_lp_in *in);

/* ---- validation (nash_check.c) ------------------------------------------ */

int marl_nash_check(const marl_nash_workspace *ws, const marl_nash_problem *p,
                    const marl_rng *rng, const marl_nash_result *result);

#endif /* MARL_AGGREGATIVE_NASH_INTERNAL_H */
