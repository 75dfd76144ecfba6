/*
 * The `structured` LP backend for d = 1 (docs/aggregative-nash.md): an
 * exact parametric (Lagrangian) method for
 *   max sum_u v_u p_u  s.t.  p_i a distribution over agent i's allowed
 *   actions, lo <= delta sum_u f_u p_u <= hi.
 *
 * 1. Only the upper concave hull of agent i's points (f_i(a), v_i(a)) over
 *    its allowed actions matters: a point strictly below the hull is
 *    dominated by the mix of the two hull vertices around it (same
 *    contribution, larger value). Points with equal f keep the largest v.
 * 2. For a multiplier lambda, agent i maximises v - lambda f over its hull
 *    vertices; as lambda decreases it walks right along the hull, passing
 *    segment k (slope sigma_ik) at lambda = sigma_ik. Taking the segments of
 *    all agents in decreasing slope order traces the concave value function
 *    V(S) = max {sum v p : sum f p = S} on [L, H] (fractional knapsack
 *    exchange argument: every unit of S is bought at the best remaining
 *    slope). The peak of V is reached when every agent stands at its first
 *    hull vertex whose right slope is <= 0.
 * 3. V concave, so the optimum over the band is the peak clamped into the
 *    band: if the peak aggregate is above hi, walk the positive segments
 *    back in increasing slope order until the aggregate reaches hi; if it
 *    is below lo, take the non-positive segments in decreasing slope order
 *    until it reaches lo. The walk stops inside one segment: exactly one
 *    agent mixes, over two adjacent hull vertices (lambda* is that slope;
 *    u_i = max_k v - lambda* f are the optimal duals).
 *
 * Feasibility is decided by exactly the interval test of nash_interval.c
 * (same sums, same order), so the subroutine's interval reasoning and this
 * backend never disagree. Cost O(U log U) (hulls, one sort of the segments
 * on the side the walk needs; none when the peak is inside the band);
 * memory O(U) in the workspace.
 *
 * SPDX-License-Identifier: MIT
 */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>
#include <stdlib.h>

static inline double slope(double fl, double vl, double fr, double vr) {
    return (vr - vl) / (fr - fl);
}

/* Sort key for one agent's points: f ascending, v descending, action
 * ascending (a total order). The point is packed into a segment record:
 * sigma = f, df = v, k = action. */
static int cmp_point(const marl_nash_seg *x, const marl_nash_seg *y) {
    if (x->sigma != y->sigma) return x->sigma < y->sigma ? -1 : 1;
    if (x->df != y->df) return x->df > y->df ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}
static int qcmp_point(const void *a, const void *b) {
    return cmp_point(a, b);
}

/* Segments walked left from the peaks: slope ascending, then agent, then
 * hull position descending. */
static int qcmp_left(const void *a, const void *b) {
    const marl_nash_seg *x = a, *y = b;
    if (x->sigma != y->sigma) return x->sigma < y->sigma ? -1 : 1;
    if (x->agent != y->agent) return x->agent < y->agent ? -1 : 1;
    return (x->k < y->k) - (x->k > y->k);
}
/* Segments walked right: slope descending, then agent, then position
 * ascending. */
static int qcmp_right(const void *a, const void *b) {
    const marl_nash_seg *x = a, *y = b;
    if (x->sigma != y->sigma) return x->sigma > y->sigma ? -1 : 1;
    if (x->agent != y->agent) return x->agent < y->agent ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

static void sort_points(marl_nash_seg *pt, size_t cnt) {
    if (cnt > 8) {
        qsort(pt, cnt, sizeof *pt, qcmp_point);
        return;
    }
    for (size_t s = 1; s < cnt; ++s) {
        marl_nash_seg t = pt[s];
        size_t r = s;
        while (r > 0 && cmp_point(&pt[r - 1], &t) > 0) {
            pt[r] = pt[r - 1];
            --r;
        }
        pt[r] = t;
    }
}

/* Upper hull of agent i's allowed points into ws->hull[off..] (actions,
 * f strictly increasing, computed slopes strictly decreasing). Returns its
 * length (0 if the agent has no allowed action). */
static size_t build_hull(marl_nash_workspace *ws, const marl_nash_lp_in *in,
                         size_t i) {
    const size_t o = in->off[i];
    marl_nash_seg *pt = ws->seg; /* scratch, free until the walk */
    size_t cnt = 0;
    for (size_t a = 0; a < in->m[i]; ++a) {
        if (!in->allowed[o + a]) continue;
        pt[cnt].sigma = in->f[o + a];
        pt[cnt].df = in->v ? in->v[o + a] : 0.0;
        pt[cnt].k = a;
        ++cnt;
    }
    sort_points(pt, cnt);
    size_t *h = ws->hull + o;
    size_t len = 0;
    for (size_t s = 0; s < cnt; ++s) {
        if (s > 0 && pt[s].sigma == pt[s - 1].sigma) continue; /* same f */
        const double fn = pt[s].sigma, vn = pt[s].df;
        while (len >= 2) {
            const size_t b = o + h[len - 1], a = o + h[len - 2];
            const double vb = in->v ? in->v[b] : 0.0;
            const double va = in->v ? in->v[a] : 0.0;
            if (slope(in->f[a], va, in->f[b], vb) >
                slope(in->f[b], vb, fn, vn))
                break;
            --len;
        }
        h[len++] = pt[s].k;
    }
    return len;
}

static inline double vat(const marl_nash_lp_in *in, size_t u) {
    return in->v ? in->v[u] : 0.0;
}

/* Slope of agent i's hull segment k -> k + 1. */
static inline double seg_slope(const marl_nash_workspace *ws,
                               const marl_nash_lp_in *in, size_t i,
                               size_t k) {
    const size_t o = in->off[i];
    const size_t a = o + ws->hull[o + k], b = o + ws->hull[o + k + 1];
    return slope(in->f[a], vat(in, a), in->f[b], vat(in, b));
}

int marl_nash_lp_structured(marl_nash_workspace *ws,
                            const marl_nash_lp_in *in, double *p,
                            double *obj, int *status) {
    if (in->d != 1)
        return marl_error(MARL_EINVAL, "nash structured LP: d = %zu, only "
                          "d = 1 is supported", in->d);
    const size_t n = in->n;
    const double delta = in->delta, lo = in->lo[0], hi = in->hi[0];
    const double *f = in->f;
    double L = 0.0, H = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const size_t len = build_hull(ws, in, i);
        if (len == 0)
            return marl_error(MARL_EINVAL, "nash structured LP: agent %zu has "
                              "no allowed action", i);
        ws->hull_len[i] = len;
        const size_t o = in->off[i];
        L += f[o + ws->hull[o]];
        H += f[o + ws->hull[o + len - 1]];
    }
    /* the interval test of nash_interval.c, bit for bit */
    if (delta * L > hi || delta * H < lo) {
        *status = MARL_NASH_INFEASIBLE;
        return MARL_OK;
    }
    /* peaks */
    double S = 0.0;
    for (size_t i = 0; i < n; ++i) {
        size_t k = 0;
        while (k + 1 < ws->hull_len[i] && seg_slope(ws, in, i, k) > 0.0) ++k;
        ws->pos[i] = k;
        S += f[in->off[i] + ws->hull[in->off[i] + k]];
    }
    size_t frac_agent = n, frac_k = 0; /* mixes hull k and k + 1 */
    double theta = 0.0;                /* weight on vertex k + 1 */
    const int left = delta * S > hi, right = !left && delta * S < lo;
    if (left || right) {
        size_t ns = 0;
        for (size_t i = 0; i < n; ++i) {
            const size_t o = in->off[i];
            const size_t k0 = left ? 0 : ws->pos[i];
            const size_t k1 = left ? ws->pos[i] : ws->hull_len[i] - 1;
            for (size_t k = k0; k < k1; ++k) {
                marl_nash_seg *sg = &ws->seg[ns++];
                sg->sigma = seg_slope(ws, in, i, k);
                sg->df = f[o + ws->hull[o + k + 1]] - f[o + ws->hull[o + k]];
                sg->agent = i;
                sg->k = k;
            }
        }
        qsort(ws->seg, ns, sizeof *ws->seg, left ? qcmp_left : qcmp_right);
        const double target = (left ? hi : lo) / delta;
        for (size_t s = 0; s < ns; ++s) {
            const marl_nash_seg *sg = &ws->seg[s];
            const double Snew = left ? S - sg->df : S + sg->df;
            if (left ? delta * Snew > hi : delta * Snew < lo) {
                ws->pos[sg->agent] = left ? sg->k : sg->k + 1;
                S = Snew;
                continue;
            }
            /* the target lies inside this segment */
            double t = (left ? S - target : target - S) / sg->df;
            if (!(t > 0.0)) break; /* already there (rounding) */
            if (t >= 1.0) {
                ws->pos[sg->agent] = left ? sg->k : sg->k + 1;
                break;
            }
            frac_agent = sg->agent;
            frac_k = sg->k;
            theta = left ? 1.0 - t : t;
            break;
        }
    }
    /* the solution */
    double value = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const size_t o = in->off[i];
        for (size_t a = 0; a < in->m[i]; ++a) p[o + a] = 0.0;
        if (i == frac_agent) {
            const size_t ua = o + ws->hull[o + frac_k];
            const size_t ub = o + ws->hull[o + frac_k + 1];
            p[ua] = 1.0 - theta;
            p[ub] = theta;
            value += (1.0 - theta) * vat(in, ua) + theta * vat(in, ub);
        } else {
            const size_t u = o + ws->hull[o + ws->pos[i]];
            p[u] = 1.0;
            value += vat(in, u);
        }
    }
    *obj = value;
    *status = MARL_NASH_FEASIBLE;
    return MARL_OK;
}
