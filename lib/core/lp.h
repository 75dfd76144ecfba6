/*
 * Internal linear-programming wrapper over lp_solve 5.5. Not installed, not
 * exported: lp_solve stays out of the public headers and its symbols out of
 * libmarlgame.so's dynamic symbol table.
 *
 *   maximise / minimise  c^T x
 *   subject to           row_lo[r] <= sum_j A[r][j] x[j] <= row_hi[r]
 *                        col_lo[j] <= x[j] <= col_hi[j]
 *
 * Indices are 0-based. An infinite bound is -HUGE_VAL / +HUGE_VAL; finite
 * bounds and coefficients must be finite with magnitude < 1e30 (lp_solve
 * treats 1e30 as infinity). Columns start with bounds [0, +inf) and a zero
 * objective (minimise). Bounds, row ranges, coefficients and the objective
 * can be changed between solves without rebuilding. After an
 * objective-only change lp_solve restarts from the previous optimal basis;
 * after any other change from its default basis (lp_solve 5.5.2 can return
 * a wrong optimum when warm-started after a bound is relaxed). lp_solve
 * never prints (verbosity NEUTRAL, output to no file).
 *
 * Every function returns MARL_OK or an error status with marl_last_error()
 * set; arguments are validated and nothing is modified on error. A model is
 * used by one thread at a time; distinct models are independent.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_CORE_LP_H
#define MARL_CORE_LP_H

#include <stddef.h>

typedef struct marl_lp marl_lp;

/* Outcome of the last marl_lp_solve. */
enum marl_lp_status {
    MARL_LP_NOT_SOLVED = -1, /* never solved, or modified since           */
    MARL_LP_OPTIMAL = 0,     /* an optimal solution is available          */
    MARL_LP_INFEASIBLE = 1,  /* no x satisfies the constraints            */
    MARL_LP_UNBOUNDED = 2,   /* the objective is unbounded                */
    MARL_LP_FAILED = 3       /* any other lp_solve outcome (numerical
                                failure, degeneracy, ...)                 */
};

enum marl_lp_sense { MARL_LP_MINIMIZE = 0, MARL_LP_MAXIMIZE = 1 };

/* New model with n_cols >= 1 columns (at most INT_MAX - 1) and no rows. */
int marl_lp_new(marl_lp **out, size_t n_cols);
void marl_lp_free(marl_lp *lp);

size_t marl_lp_n_cols(const marl_lp *lp);
size_t marl_lp_n_rows(const marl_lp *lp);

/* lo <= x[col] <= hi (lo <= hi, lo < +inf, hi > -inf). */
int marl_lp_set_col_bounds(marl_lp *lp, size_t col, double lo, double hi);

/* Append the row lo <= sum_k val[k] x[cols[k]] <= hi with nnz entries
 * (distinct columns; nnz may be 0; cols/val may be NULL when nnz == 0).
 * lo == hi gives an equality; lo = -inf or hi = +inf a one-sided row; both
 * infinite a free row. *row (may be NULL) receives the new row's index. */
int marl_lp_add_row(marl_lp *lp, size_t nnz, const size_t *cols,
                    const double *val, double lo, double hi, size_t *row);

/* Replace the range of an existing row (same rules as marl_lp_add_row). */
int marl_lp_set_row_range(marl_lp *lp, size_t row, double lo, double hi);

/* Set one coefficient A[row][col] (0 removes it). */
int marl_lp_set_coef(marl_lp *lp, size_t row, size_t col, double value);

/* Replace the whole objective: c[0..n_cols-1] (dense, finite), and the
 * sense (MARL_LP_MINIMIZE or MARL_LP_MAXIMIZE). */
int marl_lp_set_objective(marl_lp *lp, const double *c, int sense);

/* Solve. MARL_OK whenever lp_solve ran, with *status (may be NULL) one of
 * enum marl_lp_status (never NOT_SOLVED); MARL_ENOMEM if lp_solve ran out of
 * memory; MARL_EINVAL for a NULL model. */
int marl_lp_solve(marl_lp *lp, int *status);

/* Status of the last solve (MARL_LP_NOT_SOLVED after a modification;
 * MARL_LP_FAILED for a NULL model). */
int marl_lp_status(const marl_lp *lp);

/* Optimal objective value and primal solution x[0..n_cols-1], and the row
 * activities a_r^T x (rows[0..n_rows-1]); MARL_EINVAL unless the last solve
 * was MARL_LP_OPTIMAL and nothing changed since. */
int marl_lp_objective_value(const marl_lp *lp, double *value);
int marl_lp_solution(const marl_lp *lp, double *x);
int marl_lp_row_activities(const marl_lp *lp, double *rows);

#endif /* MARL_CORE_LP_H */
