/* Rounding of LP solutions to pure profiles and the stage deviation gain
 * that selects among them (ALGORITHMS.md §3, "Selection"; nash.h).
 * SPDX-License-Identifier: MIT */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>
#include <string.h>

void marl_nash_aggregate(const marl_nash_problem *p, const size_t *a,
                         double *x) {
    for (size_t k = 0; k < p->d; ++k) {
        double s = 0.0;
        for (size_t i = 0; i < p->n; ++i)
            s += p->f[(p->off[i] + a[i]) * p->d + k];
        x[k] = p->delta * s;
    }
}

static int q_at(const marl_nash_problem *p, size_t i, size_t a,
                const double *x, double *q) {
    if (p->q_at(p->user, i, a, x, q))
        return marl_error(MARL_EINVAL, "nash subroutine: the q_at callback "
                          "failed (agent %zu, action %zu)", i, a);
    if (!isfinite(*q))
        return marl_error(MARL_EINVAL, "nash subroutine: q_at returned %g "
                          "(agent %zu, action %zu)", *q, i, a);
    return MARL_OK;
}

int marl_nash_gain(const marl_nash_problem *p, const size_t *a,
                   const double *x, double bound, double *xdev, double *gain,
                   int *done) {
    const size_t d = p->d;
    double G = 0.0;
    for (size_t i = 0; i < p->n; ++i) {
        const size_t ui = p->off[i] + a[i];
        double q0, q;
        int rc = q_at(p, i, a[i], x, &q0);
        if (rc) return rc;
        for (size_t b = 0; b < p->m[i]; ++b) {
            if (b == a[i]) continue;
            const size_t ub = p->off[i] + b;
            for (size_t k = 0; k < d; ++k)
                xdev[k] = x[k] + p->delta * (p->f[ub * d + k] -
                                             p->f[ui * d + k]);
            rc = q_at(p, i, b, xdev, &q);
            if (rc) return rc;
            if (q - q0 > G) G = q - q0;
        }
        if (G > bound) {
            *gain = G;
            *done = 0;
            return MARL_OK;
        }
    }
    *gain = G;
    *done = 1;
    return MARL_OK;
}

/* Profile ws->prof of grid point g against the pick. */
static int compete(marl_nash_workspace *ws, const marl_nash_problem *p,
                   size_t g, marl_nash_pick *pick) {
    double welfare = p->c ? p->c[g] : 0.0;
    if (p->w)
        for (size_t i = 0; i < p->n; ++i)
            welfare += p->w[p->off[i] + ws->prof[i]];
    marl_nash_aggregate(p, ws->prof, ws->x);
    /* a candidate must beat the pick: gain below it, or equal gain and more
     * welfare (an earlier candidate wins every other tie) */
    double bound = HUGE_VAL;
    if (pick->have)
        bound = welfare > pick->welfare ? pick->gain
                                        : nextafter(pick->gain, -HUGE_VAL);
    double G;
    int done;
    int rc = marl_nash_gain(p, ws->prof, ws->x, bound, ws->xdev, &G, &done);
    if (rc) return rc;
    if (!done) return MARL_OK;
    if (!pick->have || G < pick->gain ||
        (G == pick->gain && welfare > pick->welfare)) {
        pick->have = 1;
        pick->gain = G;
        pick->welfare = welfare;
        pick->g = g;
        memcpy(ws->best, ws->prof, p->n * sizeof *ws->prof);
        memcpy(ws->xbest, ws->x, p->d * sizeof *ws->x);
    }
    return MARL_OK;
}

int marl_nash_round(marl_nash_workspace *ws, const marl_nash_problem *p,
                    size_t g, const double *pd, marl_rng *rng,
                    marl_nash_pick *pick) {
    size_t nm = 0;
    for (size_t i = 0; i < p->n; ++i) {
        const size_t o = p->off[i];
        size_t cnt = 0, last = 0;
        for (size_t a = 0; a < p->m[i]; ++a)
            if (pd[o + a] > 0.0) {
                ++cnt;
                last = a;
            }
        if (cnt == 0)
            return marl_error(MARL_EINTERNAL, "nash rounding: agent %zu has "
                              "no action of positive probability", i);
        if (cnt == 1)
            ws->prof[i] = last;
        else
            ws->mixed[nm++] = i;
    }
    if (nm == 0) return compete(ws, p, g, pick);
    size_t need;
    if (!marl_mul_size(nm, p->rounds, &need))
        return marl_error(MARL_ERANGE, "nash rounding: %zu rounds of %zu "
                          "mixed agents overflow", p->rounds, nm);
    if (need > ws->draws_cap) {
        size_t *buf = marl_calloc(need, sizeof *buf);
        if (!buf) return marl_error_nomem("the rounding draws");
        marl_free(ws->draws);
        ws->draws = buf;
        ws->draws_cap = need;
    }
    size_t kept = 0;
    for (size_t r = 0; r < p->rounds; ++r) {
        size_t *cur = ws->draws + kept * nm;
        for (size_t t = 0; t < nm; ++t) {
            const size_t i = ws->mixed[t];
            int rc = marl_rng_categorical(rng, pd + p->off[i], p->m[i],
                                          &ws->prof[i]);
            if (rc) return rc;
            cur[t] = ws->prof[i];
        }
        int dup = 0;
        for (size_t s = 0; s < kept && !dup; ++s)
            dup = !memcmp(ws->draws + s * nm, cur, nm * sizeof *cur);
        if (dup) continue;
        ++kept;
        int rc = compete(ws, p, g, pick);
        if (rc) return rc;
    }
    return MARL_OK;
}
