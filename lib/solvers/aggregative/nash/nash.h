/*
 * The Nash subroutine of aggregative Markov games at one (h, s)
 * (ALGORITHMS.md §3 "The Nash subroutine"; seed 000 §4.1.1, after Cummings,
 * Kearns, Roth, Wu 2015). Internal to lib/solvers/aggregative; not installed.
 *
 * Game-agnostic: the caller (Aggre-BI, the statewise warm-up, Aggre-VI)
 * supplies Q_i(a_i, x̂) on the grid, one grid point at a time, and Q at
 * continuous aggregates (needed for the deviation gain at the realised
 * aggregate), through callbacks.
 *
 * Flattened agent-action index: agent i's actions are u = off[i] + a,
 * a in [0, m[i]); U = off[n] = sum_i m_i.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_AGGREGATIVE_NASH_H
#define MARL_AGGREGATIVE_NASH_H

#include "marlgame/rng.h"

#include <stddef.h>

/* LP backends (solver option `lp`). */
enum {
    MARL_NASH_LP_SOLVE = 0,     /* lp_solve: one model per workspace, only
                                   bounds/objective changed between points */
    MARL_NASH_LP_STRUCTURED = 1 /* exact parametric method for d = 1; falls
                                   back to lp_solve for d > 1 */
};

/* Q_i(a, x̂_g) of every agent-action at grid point g into Q[U] (agent i's
 * action a at off[i] + a). May be called more than once per point (the
 * `auto` slack search and the final LP): memory stays O(U), not
 * O(n_grid * U). Returns 0 or non-zero on failure (then the subroutine
 * fails with MARL_EINVAL). */
typedef int (*marl_nash_q_grid_fn)(void *user, size_t g, double *Q);

/* Q_i(a, x) at a continuous aggregate x[d]; returns 0 or non-zero on
 * failure (then the subroutine fails with MARL_EINVAL). */
typedef int (*marl_nash_q_fn)(void *user, size_t agent, size_t action,
                              const double *x, double *q);

typedef struct marl_nash_problem {
    size_t n;            /* agents, >= 1 */
    const size_t *m;     /* [n] action counts, >= 1 */
    const size_t *off;   /* [n + 1] prefix sums of m (off[0] = 0) */
    size_t d;            /* aggregator dimension, >= 1 */
    const double *f;     /* [U * d] contributions f_i(a)[k] at (off[i]+a)*d+k */
    double delta;        /* scale: x(a) = delta * sum_i f_i(a_i) */
    double alpha;        /* grid step (the band half-width of the LP) */
    size_t n_grid;       /* grid points */
    const double *grid;  /* [n_grid * d] grid coordinates x̂_g[k] */
    const double *w;     /* [U] welfare weights w_i(a), or NULL (feasibility
                            problem; selection by deviation gain) */
    const double *c;     /* [n_grid] continuation welfare c(x̂_g), or NULL */
    double slack;        /* eta >= 0 fixed, or < 0 for `auto` (smallest
                            feasible eta by bisection over the sorted distinct
                            values of max_a Q_i(a,x̂) - Q_i(a_i,x̂)) */
    size_t rounds;       /* R >= 1 rounding draws per candidate point */
    int lp_backend;      /* MARL_NASH_LP_SOLVE | MARL_NASH_LP_STRUCTURED */
    marl_nash_q_grid_fn q_grid; /* Q on the grid, one point at a time */
    marl_nash_q_fn q_at; /* Q at continuous aggregates (deviation gains) */
    void *user;
} marl_nash_problem;

typedef struct marl_nash_result {
    size_t *actions;     /* [n], caller-allocated: the chosen pure profile */
    double *x;           /* [d], caller-allocated: its realised aggregate */
    size_t grid_index;   /* the selected grid point */
    int feasible;        /* 1, or 0 when no grid point was feasible (the
                            least-violating point was used; flag the result) */
    double violation;    /* constraint violation of the fallback (0 if
                            feasible) */
    double slack;        /* eta used */
    double objective;    /* LP objective at the selected point (welfare
                            mode; 0 otherwise) */
    double gain;         /* stage deviation gain of the chosen profile:
                            max_i max_a [Q_i(a, x + delta (f_i(a) - f_i(a_i)))
                            - Q_i(a_i, x)] at its realised aggregate x */
    size_t n_lps;        /* LPs solved in this call */
    double lp_seconds;   /* time spent inside the LP backend */
} marl_nash_result;

typedef struct marl_nash_workspace marl_nash_workspace;

/* Workspace for problems with at most n agents, U agent-actions, d
 * dimensions and n_grid grid points (reused across (h, s) calls; keeps the
 * lp_solve model between calls when the shape allows). */
int marl_nash_workspace_new(marl_nash_workspace **out, size_t n, size_t U,
                            size_t d, size_t n_grid);
void marl_nash_workspace_free(marl_nash_workspace *ws);

/* Solve one subroutine call. Randomised rounding draws from rng (seeded by
 * the caller; same seed => same result). Returns MARL_OK (also when
 * infeasible: see result->feasible) or an error (invalid problem, NULL,
 * callback failure, lp_solve failure, no memory). */
int marl_nash_solve(marl_nash_workspace *ws, const marl_nash_problem *p,
                    marl_rng *rng, marl_nash_result *result);

#endif /* MARL_AGGREGATIVE_NASH_H */
