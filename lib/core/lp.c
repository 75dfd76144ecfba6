/* Internal LP wrapper over lp_solve 5.5 (see lp.h).
 * SPDX-License-Identifier: MIT */
#include "lp.h"
#include "internal.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include <lpsolve/lp_lib.h>

/* lp_solve's infinity (its default, set explicitly for clarity). */
#define LP_INF 1e30

struct marl_lp {
    lprec *lp;
    size_t n_cols, n_rows;
    int status;        /* enum marl_lp_status */
    int warm;          /* only the objective changed since an optimal solve */
    REAL *rowbuf;      /* [n_cols] scratch values */
    int *colbuf;       /* [n_cols] scratch 1-based column numbers */
    unsigned *mark;    /* [n_cols] duplicate detection stamps */
    unsigned stamp;
};

void marl_lp_free(marl_lp *lp) {
    if (!lp) return;
    if (lp->lp) delete_lp(lp->lp);
    marl_free(lp->rowbuf);
    marl_free(lp->colbuf);
    marl_free(lp->mark);
    marl_free(lp);
}

int marl_lp_new(marl_lp **out, size_t n_cols) {
    if (!out) return marl_error(MARL_EINVAL, "marl_lp_new: out is NULL");
    if (n_cols == 0) return marl_error(MARL_EINVAL, "marl_lp_new: no columns");
    if (n_cols >= (size_t)INT_MAX)
        return marl_error(MARL_ERANGE,
                          "marl_lp_new: %zu columns exceed lp_solve's limit",
                          n_cols);
    marl_lp *m = marl_calloc(1, sizeof *m);
    if (!m) return marl_error_nomem("an LP model");
    m->n_cols = n_cols;
    m->status = MARL_LP_NOT_SOLVED;
    m->stamp = 1;
    m->rowbuf = marl_calloc(n_cols, sizeof *m->rowbuf);
    m->colbuf = marl_calloc(n_cols, sizeof *m->colbuf);
    m->mark = marl_calloc(n_cols, sizeof *m->mark);
    if (!m->rowbuf || !m->colbuf || !m->mark) {
        marl_lp_free(m);
        return marl_error_nomem("an LP model");
    }
    m->lp = make_lp(0, (int)n_cols);
    if (!m->lp) {
        marl_lp_free(m);
        return marl_error(MARL_ENOMEM, "marl_lp_new: lp_solve could not "
                                       "create a model with %zu columns",
                          n_cols);
    }
    char nowhere[] = "";
    set_outputfile(m->lp, nowhere);
    set_verbose(m->lp, NEUTRAL);
    set_infinite(m->lp, LP_INF);
    set_minim(m->lp);
    *out = m;
    return MARL_OK;
}

size_t marl_lp_n_cols(const marl_lp *lp) { return lp ? lp->n_cols : 0; }
size_t marl_lp_n_rows(const marl_lp *lp) { return lp ? lp->n_rows : 0; }

int marl_lp_status(const marl_lp *lp) {
    return lp ? lp->status : MARL_LP_FAILED;
}

/* ---- validation ---------------------------------------------------------- */

static int check_value(double v, const char *fn, const char *what, size_t i) {
    if (!isfinite(v))
        return marl_error(MARL_EINVAL, "%s: %s %zu is not finite", fn, what, i);
    if (fabs(v) >= LP_INF)
        return marl_error(MARL_ERANGE,
                          "%s: %s %zu = %g reaches lp_solve's infinity 1e30",
                          fn, what, i, v);
    return MARL_OK;
}

/* A [lo, hi] pair of bounds: infinities only on their own side. */
static int check_range(double lo, double hi, const char *fn, const char *what,
                       size_t i) {
    if (isnan(lo) || isnan(hi))
        return marl_error(MARL_EINVAL, "%s: %s %zu has a NaN bound", fn, what,
                          i);
    if (lo == HUGE_VAL || hi == -HUGE_VAL)
        return marl_error(MARL_EINVAL,
                          "%s: %s %zu: lower bound +inf or upper bound -inf",
                          fn, what, i);
    if (lo > hi)
        return marl_error(MARL_EINVAL, "%s: %s %zu: lower bound %g > upper "
                          "bound %g", fn, what, i, lo, hi);
    if ((isfinite(lo) && fabs(lo) >= LP_INF) ||
        (isfinite(hi) && fabs(hi) >= LP_INF))
        return marl_error(MARL_ERANGE,
                          "%s: %s %zu: a finite bound reaches lp_solve's "
                          "infinity 1e30", fn, what, i);
    return MARL_OK;
}

static double to_lp(double v) {
    return v == HUGE_VAL ? LP_INF : v == -HUGE_VAL ? -LP_INF : v;
}

/* Type, right-hand side and range of row r (1-based) for [lo, hi]. */
static int apply_row_range(lprec *lp, int r, double lo, double hi) {
    MYBOOL ok;
    if (lo == -HUGE_VAL && hi == HUGE_VAL) {
        ok = set_constr_type(lp, r, GE) && set_rh(lp, r, -LP_INF);
    } else if (lo == hi) {
        ok = set_constr_type(lp, r, EQ) && set_rh(lp, r, lo);
    } else if (lo == -HUGE_VAL) {
        ok = set_constr_type(lp, r, LE) && set_rh(lp, r, hi);
    } else if (hi == HUGE_VAL) {
        ok = set_constr_type(lp, r, GE) && set_rh(lp, r, lo);
    } else {
        /* set_constr_type clears any previous range */
        ok = set_constr_type(lp, r, LE) && set_rh(lp, r, hi) &&
             set_rh_range(lp, r, hi - lo);
    }
    return ok ? MARL_OK : MARL_EINTERNAL;
}

/* ---- modification -------------------------------------------------------- */

int marl_lp_set_col_bounds(marl_lp *lp, size_t col, double lo, double hi) {
    static const char fn[] = "marl_lp_set_col_bounds";
    if (!lp) return marl_error(MARL_EINVAL, "%s: lp is NULL", fn);
    if (col >= lp->n_cols)
        return marl_error(MARL_ERANGE, "%s: column %zu >= %zu columns", fn,
                          col, lp->n_cols);
    int rc = check_range(lo, hi, fn, "column", col);
    if (rc) return rc;
    lp->status = MARL_LP_NOT_SOLVED;
    lp->warm = 0;
    if (!set_bounds(lp->lp, (int)col + 1, to_lp(lo), to_lp(hi)))
        return marl_error(MARL_EINTERNAL, "%s: lp_solve rejected the bounds "
                          "of column %zu", fn, col);
    return MARL_OK;
}

int marl_lp_add_row(marl_lp *lp, size_t nnz, const size_t *cols,
                    const double *val, double lo, double hi, size_t *row) {
    static const char fn[] = "marl_lp_add_row";
    if (!lp) return marl_error(MARL_EINVAL, "%s: lp is NULL", fn);
    if (nnz > lp->n_cols)
        return marl_error(MARL_ERANGE, "%s: %zu entries for %zu columns", fn,
                          nnz, lp->n_cols);
    if (nnz > 0 && (!cols || !val))
        return marl_error(MARL_EINVAL, "%s: cols or val is NULL", fn);
    if (lp->n_rows >= (size_t)INT_MAX - 1)
        return marl_error(MARL_ERANGE, "%s: too many rows", fn);
    int rc = check_range(lo, hi, fn, "new row", lp->n_rows);
    if (rc) return rc;
    if (++lp->stamp == 0) { /* wrapped: clear the stamps */
        memset(lp->mark, 0, lp->n_cols * sizeof *lp->mark);
        lp->stamp = 1;
    }
    for (size_t k = 0; k < nnz; ++k) {
        if (cols[k] >= lp->n_cols)
            return marl_error(MARL_ERANGE, "%s: entry %zu: column %zu >= %zu "
                              "columns", fn, k, cols[k], lp->n_cols);
        if (lp->mark[cols[k]] == lp->stamp)
            return marl_error(MARL_EINVAL, "%s: entry %zu repeats column %zu",
                              fn, k, cols[k]);
        lp->mark[cols[k]] = lp->stamp;
        rc = check_value(val[k], fn, "entry", k);
        if (rc) return rc;
        lp->rowbuf[k] = val[k];
        lp->colbuf[k] = (int)cols[k] + 1;
    }
    lp->status = MARL_LP_NOT_SOLVED;
    lp->warm = 0;
    const int r = (int)lp->n_rows + 1;
    if (!add_constraintex(lp->lp, (int)nnz, lp->rowbuf, lp->colbuf, GE, 0.0))
        return marl_error(MARL_ENOMEM, "%s: lp_solve could not add row %zu",
                          fn, lp->n_rows);
    if (apply_row_range(lp->lp, r, lo, hi) != MARL_OK) {
        del_constraint(lp->lp, r);
        return marl_error(MARL_EINTERNAL, "%s: lp_solve rejected the range of "
                          "row %zu", fn, lp->n_rows);
    }
    if (row) *row = lp->n_rows;
    lp->n_rows++;
    return MARL_OK;
}

int marl_lp_set_row_range(marl_lp *lp, size_t row, double lo, double hi) {
    static const char fn[] = "marl_lp_set_row_range";
    if (!lp) return marl_error(MARL_EINVAL, "%s: lp is NULL", fn);
    if (row >= lp->n_rows)
        return marl_error(MARL_ERANGE, "%s: row %zu >= %zu rows", fn, row,
                          lp->n_rows);
    int rc = check_range(lo, hi, fn, "row", row);
    if (rc) return rc;
    lp->status = MARL_LP_NOT_SOLVED;
    lp->warm = 0;
    if (apply_row_range(lp->lp, (int)row + 1, lo, hi) != MARL_OK)
        return marl_error(MARL_EINTERNAL, "%s: lp_solve rejected the range of "
                          "row %zu", fn, row);
    return MARL_OK;
}

int marl_lp_set_coef(marl_lp *lp, size_t row, size_t col, double value) {
    static const char fn[] = "marl_lp_set_coef";
    if (!lp) return marl_error(MARL_EINVAL, "%s: lp is NULL", fn);
    if (row >= lp->n_rows)
        return marl_error(MARL_ERANGE, "%s: row %zu >= %zu rows", fn, row,
                          lp->n_rows);
    if (col >= lp->n_cols)
        return marl_error(MARL_ERANGE, "%s: column %zu >= %zu columns", fn,
                          col, lp->n_cols);
    int rc = check_value(value, fn, "coefficient of column", col);
    if (rc) return rc;
    lp->status = MARL_LP_NOT_SOLVED;
    lp->warm = 0;
    if (!set_mat(lp->lp, (int)row + 1, (int)col + 1, value))
        return marl_error(MARL_ENOMEM, "%s: lp_solve could not set (%zu, %zu)",
                          fn, row, col);
    return MARL_OK;
}

int marl_lp_set_objective(marl_lp *lp, const double *c, int sense) {
    static const char fn[] = "marl_lp_set_objective";
    if (!lp) return marl_error(MARL_EINVAL, "%s: lp is NULL", fn);
    if (!c) return marl_error(MARL_EINVAL, "%s: c is NULL", fn);
    if (sense != MARL_LP_MINIMIZE && sense != MARL_LP_MAXIMIZE)
        return marl_error(MARL_EINVAL, "%s: sense %d is neither "
                          "MARL_LP_MINIMIZE nor MARL_LP_MAXIMIZE", fn, sense);
    for (size_t j = 0; j < lp->n_cols; ++j) {
        int rc = check_value(c[j], fn, "objective coefficient", j);
        if (rc) return rc;
    }
    for (size_t j = 0; j < lp->n_cols; ++j) {
        lp->rowbuf[j] = c[j];
        lp->colbuf[j] = (int)j + 1;
    }
    lp->status = MARL_LP_NOT_SOLVED;
    if (!set_obj_fnex(lp->lp, (int)lp->n_cols, lp->rowbuf, lp->colbuf))
        return marl_error(MARL_ENOMEM, "%s: lp_solve could not set the "
                          "objective", fn);
    if (sense == MARL_LP_MAXIMIZE)
        set_maxim(lp->lp);
    else
        set_minim(lp->lp);
    return MARL_OK;
}

/* ---- solving ------------------------------------------------------------- */

/* True if lp_solve reported an "optimum" at its infinity: a column without
 * a finite bound in the improving direction and no row limiting it (lp_solve
 * 5.5 returns OPTIMAL with the value -1e30 or 1e30 then). */
static int optimum_at_infinity(const marl_lp *lp) {
    REAL *v = NULL;
    if (fabs(get_objective(lp->lp)) >= LP_INF) return 1;
    if (!get_ptr_variables(lp->lp, &v) || !v) return 0;
    for (size_t j = 0; j < lp->n_cols; ++j)
        if (fabs(v[j]) >= LP_INF) return 1;
    return 0;
}

int marl_lp_solve(marl_lp *lp, int *status) {
    if (!lp) return marl_error(MARL_EINVAL, "marl_lp_solve: lp is NULL");
    /* lp_solve 5.5.2 can return a wrong "optimum" when it restarts from
     * its previous basis after a bound was relaxed (a column that sat at its
     * old upper bound stays there). Start from the default basis unless only
     * the objective changed since the last optimal solve. */
    if (!lp->warm) default_basis(lp->lp);
    int ret = solve(lp->lp);
    lp->warm = 0;
    switch (ret) {
    case OPTIMAL:
    case PRESOLVED:
        if (optimum_at_infinity(lp)) {
            lp->status = MARL_LP_UNBOUNDED;
        } else {
            lp->status = MARL_LP_OPTIMAL;
            lp->warm = 1;
        }
        break;
    case INFEASIBLE: lp->status = MARL_LP_INFEASIBLE; break;
    case UNBOUNDED: lp->status = MARL_LP_UNBOUNDED; break;
    case NOMEMORY:
        lp->status = MARL_LP_FAILED;
        return marl_error(MARL_ENOMEM, "marl_lp_solve: lp_solve ran out of "
                                       "memory");
    default:
        lp->status = MARL_LP_FAILED;
        marl_log(MARL_LOG_DEBUG, "marl_lp_solve: lp_solve returned %d", ret);
        break;
    }
    if (status) *status = lp->status;
    return MARL_OK;
}

static int require_optimal(const marl_lp *lp, const void *out,
                           const char *fn) {
    if (!lp) return marl_error(MARL_EINVAL, "%s: lp is NULL", fn);
    if (!out) return marl_error(MARL_EINVAL, "%s: output is NULL", fn);
    if (lp->status != MARL_LP_OPTIMAL)
        return marl_error(MARL_EINVAL, "%s: no optimal solution (status %d)",
                          fn, lp->status);
    return MARL_OK;
}

int marl_lp_objective_value(const marl_lp *lp, double *value) {
    int rc = require_optimal(lp, value, "marl_lp_objective_value");
    if (rc) return rc;
    *value = get_objective(lp->lp);
    return MARL_OK;
}

int marl_lp_solution(const marl_lp *lp, double *x) {
    int rc = require_optimal(lp, x, "marl_lp_solution");
    if (rc) return rc;
    REAL *v = NULL;
    if (!get_ptr_variables(lp->lp, &v) || !v)
        return marl_error(MARL_EINTERNAL, "marl_lp_solution: lp_solve has no "
                                          "solution vector");
    memcpy(x, v, lp->n_cols * sizeof *x);
    return MARL_OK;
}

int marl_lp_row_activities(const marl_lp *lp, double *rows) {
    int rc = require_optimal(lp, rows, "marl_lp_row_activities");
    if (rc) return rc;
    if (lp->n_rows == 0) return MARL_OK;
    REAL *v = NULL;
    if (!get_ptr_constraints(lp->lp, &v) || !v)
        return marl_error(MARL_EINTERNAL, "marl_lp_row_activities: lp_solve "
                                          "has no row activities");
    memcpy(rows, v, lp->n_rows * sizeof *rows);
    return MARL_OK;
}
