/* Best-approximate sets and the interval feasibility test of the Nash
 * subroutine (ALGORITHMS.md §3): with mixing allowed, coordinate k of the
 * aggregate reaches exactly the interval
 *   [delta sum_i min_{a in BA_i} f_ik(a), delta sum_i max_{a in BA_i} f_ik(a)],
 * so for d = 1 the LP is feasible iff that interval meets the band, and for
 * d > 1 a coordinate whose interval misses the band proves infeasibility.
 * SPDX-License-Identifier: MIT */
#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>

void marl_nash_gaps(const marl_nash_problem *p, const double *Q, double *gap,
                    double *max_gap) {
    double mg = 0.0;
    for (size_t i = 0; i < p->n; ++i) {
        const size_t o = p->off[i], mi = p->m[i];
        double best = Q[o];
        for (size_t a = 1; a < mi; ++a)
            if (Q[o + a] > best) best = Q[o + a];
        for (size_t a = 0; a < mi; ++a) {
            gap[o + a] = best - Q[o + a];
            if (gap[o + a] > mg) mg = gap[o + a];
        }
    }
    *max_gap = mg;
}

void marl_nash_allowed(size_t U, const double *gap, double eta,
                       unsigned char *allowed) {
    for (size_t u = 0; u < U; ++u) allowed[u] = gap[u] <= eta;
}

void marl_nash_band(const marl_nash_problem *p, size_t g, double *lo,
                    double *hi) {
    for (size_t k = 0; k < p->d; ++k) {
        const double c = p->grid[g * p->d + k];
        lo[k] = c - p->alpha;
        hi[k] = c + p->alpha;
    }
}

double marl_nash_interval_distance(size_t n, const size_t *m,
                                   const size_t *off, size_t d,
                                   const double *f, double delta,
                                   const unsigned char *allowed,
                                   const double *lo, const double *hi) {
    double dist = 0.0;
    for (size_t k = 0; k < d; ++k) {
        double smin = 0.0, smax = 0.0;
        for (size_t i = 0; i < n; ++i) {
            double fmin = HUGE_VAL, fmax = -HUGE_VAL;
            for (size_t a = 0; a < m[i]; ++a) {
                const size_t u = off[i] + a;
                if (!allowed[u]) continue;
                const double fu = f[u * d + k];
                if (fu < fmin) fmin = fu;
                if (fu > fmax) fmax = fu;
            }
            smin += fmin;
            smax += fmax;
        }
        const double xmin = delta * smin, xmax = delta * smax;
        if (xmin > hi[k])
            dist += xmin - hi[k];
        else if (xmax < lo[k])
            dist += lo[k] - xmax;
    }
    return dist;
}
