/* Feasibility of a grid point for a slack eta, and the `auto` slack: the
 * smallest candidate eta (a value max_a Q_i(a, x̂) - Q_i(a_i, x̂)) for which
 * some grid point is feasible (ALGORITHMS.md §3).
 *
 * Feasibility is monotone in eta (larger eta, larger sets BA_i, larger
 * feasible region; the interval sums are monotone in floating point too),
 * and between two consecutive candidate values of a point its sets do not
 * change. So the global smallest feasible candidate is min_g eta_g*, where
 * eta_g* is point g's smallest feasible candidate, found by bisection over
 * g's distinct gaps (median selection, no sort). A point that is infeasible
 * at the best eta found so far is skipped after one test, so only the points
 * that improve the minimum are bisected.
 * SPDX-License-Identifier: MIT */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>
#include <stddef.h>

int marl_nash_fetch(marl_nash_workspace *ws, const marl_nash_problem *p,
                    size_t g, double *max_gap) {
    if (p->q_grid(p->user, g, ws->Q))
        return marl_error(MARL_EINVAL, "nash subroutine: the q_grid callback "
                          "failed at grid point %zu", g);
    for (size_t i = 0; i < p->n; ++i)
        for (size_t a = 0; a < p->m[i]; ++a)
            if (!isfinite(ws->Q[p->off[i] + a]))
                return marl_error(MARL_EINVAL, "nash subroutine: Q of agent "
                                  "%zu, action %zu at grid point %zu is %g",
                                  i, a, g, ws->Q[p->off[i] + a]);
    marl_nash_gaps(p, ws->Q, ws->gap, max_gap);
    return MARL_OK;
}

int marl_nash_feasible(marl_nash_workspace *ws, const marl_nash_problem *p,
                       size_t g, double eta, int *feasible, double *dist) {
    const size_t U = p->off[p->n];
    marl_nash_allowed(U, ws->gap, eta, ws->allowed);
    marl_nash_band(p, g, ws->lo, ws->hi);
    *dist = marl_nash_interval_distance(p->n, p->m, p->off, p->d, p->f,
                                        p->delta, ws->allowed, ws->lo,
                                        ws->hi);
    if (*dist > 0.0 || p->d == 1) {
        *feasible = *dist == 0.0;
        return MARL_OK;
    }
    marl_nash_lp_in in;
    marl_nash_lp_input(ws, p, NULL, &in);
    double obj;
    int status;
    int rc = marl_nash_lp(ws, p->lp_backend, &in, ws->p, &obj, &status);
    if (rc) return rc;
    *feasible = status == MARL_NASH_FEASIBLE;
    return MARL_OK;
}

/* The k-th smallest of a[0..n-1] (0-based), reordering a (Hoare's
 * selection with a median-of-three pivot; expected O(n)). */
static double select_kth(double *a, size_t n, size_t k) {
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1;
    const ptrdiff_t kk = (ptrdiff_t)k;
    while (lo < hi) {
        double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
        const double pivot = x < y ? (y < z ? y : (x < z ? z : x))
                                   : (x < z ? x : (y < z ? z : y));
        ptrdiff_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) ++i;
            while (a[j] > pivot) --j;
            if (i <= j) {
                const double t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (kk <= j)
            hi = j;
        else if (kk >= i)
            lo = i;
        else
            return a[kk];
    }
    return a[kk];
}

/* Smallest feasible candidate of point g (ws->gap loaded), knowing it is
 * feasible at `upper`: bisection over the distinct gap values <= upper by
 * selection instead of sorting (each step tests the median of the values
 * still undecided and keeps one side: expected O(U) work besides the
 * O(log U) tests). */
static int bisect(marl_nash_workspace *ws, const marl_nash_problem *p,
                  size_t g, double upper, double *eta) {
    const size_t U = p->off[p->n];
    /* top: the candidate with the sets of `upper`; below: the next one
     * down. Most points are infeasible at `below` (they do not improve the
     * best eta): two O(U) scans and one test. */
    double top = -HUGE_VAL, below = -HUGE_VAL;
    for (size_t u = 0; u < U; ++u)
        if (ws->gap[u] <= upper && ws->gap[u] > top) top = ws->gap[u];
    for (size_t u = 0; u < U; ++u)
        if (ws->gap[u] < top && ws->gap[u] > below) below = ws->gap[u];
    *eta = top;
    if (!isfinite(below)) return MARL_OK; /* top is the only candidate */
    int ok;
    double dist;
    int rc = marl_nash_feasible(ws, p, g, below, &ok, &dist);
    if (rc || !ok) return rc;
    /* invariant: feasible at `feas`; every candidate < feas not in
     * sorted[0..K) is infeasible */
    double feas = below;
    size_t K = 0;
    for (size_t u = 0; u < U; ++u)
        if (ws->gap[u] < feas) ws->sorted[K++] = ws->gap[u];
    while (K > 0) {
        const double mid = select_kth(ws->sorted, K, K / 2);
        rc = marl_nash_feasible(ws, p, g, mid, &ok, &dist);
        if (rc) return rc;
        size_t J = 0;
        for (size_t s = 0; s < K; ++s)
            if (ok ? ws->sorted[s] < mid : ws->sorted[s] > mid)
                ws->sorted[J++] = ws->sorted[s];
        if (ok) feas = mid;
        K = J;
    }
    *eta = feas;
    return MARL_OK;
}

int marl_nash_auto_slack(marl_nash_workspace *ws, const marl_nash_problem *p,
                         double *eta, double *max_gap) {
    double best = HUGE_VAL, gmax = 0.0;
    for (size_t g = 0; g < p->n_grid; ++g) {
        double mg;
        int rc = marl_nash_fetch(ws, p, g, &mg);
        if (rc) return rc;
        if (mg > gmax) gmax = mg;
        ws->eta_g[g] = HUGE_VAL;
        const double upper = best < mg ? best : mg;
        int ok;
        double dist;
        rc = marl_nash_feasible(ws, p, g, upper, &ok, &dist);
        if (rc) return rc;
        if (!isfinite(best)) ws->viol_g[g] = dist; /* every action allowed */
        if (!ok) continue;
        rc = bisect(ws, p, g, upper, &ws->eta_g[g]);
        if (rc) return rc;
        if (ws->eta_g[g] < best) best = ws->eta_g[g];
    }
    *eta = best;
    *max_gap = gmax;
    return MARL_OK;
}
