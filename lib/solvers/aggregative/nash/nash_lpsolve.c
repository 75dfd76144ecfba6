/*
 * The `lp_solve` LP backend (core/lp.h). One model per workspace and shape
 * (n, m[], d, delta, f): columns p_u (u < U) then, per aggregate row k, two
 * violation columns s+_k, s-_k; rows: n simplex rows sum_a p_{off[i]+a} = 1
 * and d ranged band rows lo_k <= delta sum_u f_uk p_u + s+_k - s-_k <= hi_k.
 * Between LPs only column bounds (p_u in [0, 1], fixed at 0 outside the
 * best-approximate sets; s fixed at 0 except in violation mode), the band
 * ranges and the objective change; a model of another shape (or other
 * contributions) is rebuilt.
 * SPDX-License-Identifier: MIT */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>
#include <string.h>

void marl_nash_lp_reset(marl_nash_workspace *ws) {
    marl_lp_free(ws->lp);
    ws->lp = NULL;
    ws->lp_n = ws->lp_U = ws->lp_d = ws->lp_cols = 0;
    ws->lp_obj_set = 0;
}

static int same_model(const marl_nash_workspace *ws,
                      const marl_nash_lp_in *in) {
    const size_t U = in->off[in->n];
    if (!ws->lp || ws->lp_n != in->n || ws->lp_U != U || ws->lp_d != in->d ||
        ws->lp_delta != in->delta)
        return 0;
    for (size_t i = 0; i < in->n; ++i)
        if (ws->lp_m[i] != in->m[i]) return 0;
    for (size_t j = 0; j < U * in->d; ++j)
        if (ws->lp_f[j] != in->f[j]) return 0;
    return 1;
}

static int build_model(marl_nash_workspace *ws, const marl_nash_lp_in *in) {
    const size_t n = in->n, U = in->off[n], d = in->d;
    marl_nash_lp_reset(ws);
    marl_lp *lp = NULL;
    int rc = marl_lp_new(&lp, U + 2 * d);
    if (rc) return rc;
    for (size_t i = 0; i < n && !rc; ++i) {
        for (size_t a = 0; a < in->m[i]; ++a) {
            ws->cols[a] = in->off[i] + a;
            ws->vals[a] = 1.0;
        }
        rc = marl_lp_add_row(lp, in->m[i], ws->cols, ws->vals, 1.0, 1.0,
                             NULL);
    }
    for (size_t k = 0; k < d && !rc; ++k) {
        size_t nnz = 0;
        for (size_t u = 0; u < U; ++u) {
            const double c = in->delta * in->f[u * d + k];
            if (c == 0.0) continue;
            ws->cols[nnz] = u;
            ws->vals[nnz++] = c;
        }
        ws->cols[nnz] = U + 2 * k;
        ws->vals[nnz++] = 1.0;
        ws->cols[nnz] = U + 2 * k + 1;
        ws->vals[nnz++] = -1.0;
        rc = marl_lp_add_row(lp, nnz, ws->cols, ws->vals, -HUGE_VAL,
                             HUGE_VAL, NULL);
    }
    /* p_u <= 1 is implied by the simplex rows; stating it halves lp_solve's
     * time on the benchmark instances */
    for (size_t u = 0; u < U && !rc; ++u)
        rc = marl_lp_set_col_bounds(lp, u, 0.0, 1.0);
    for (size_t k = 0; k < 2 * d && !rc; ++k)
        rc = marl_lp_set_col_bounds(lp, U + k, 0.0, 0.0);
    if (rc) {
        marl_lp_free(lp);
        return rc;
    }
    ws->lp = lp;
    ws->lp_n = n;
    ws->lp_U = U;
    ws->lp_d = d;
    ws->lp_cols = U + 2 * d;
    ws->lp_delta = in->delta;
    memcpy(ws->lp_m, in->m, n * sizeof *in->m);
    memcpy(ws->lp_f, in->f, U * d * sizeof *in->f);
    for (size_t u = 0; u < U; ++u) ws->lp_open[u] = 1;
    for (size_t k = 0; k < 2 * d; ++k) ws->lp_open[U + k] = 0;
    ws->lp_obj_set = 0;
    return MARL_OK;
}

/* Bounds, band and objective of one LP; viol selects violation mode. */
static int setup(marl_nash_workspace *ws, const marl_nash_lp_in *in,
                 int viol) {
    const size_t n = in->n, U = in->off[n], d = in->d, C = U + 2 * d;
    int rc = MARL_OK;
    if (!same_model(ws, in)) rc = build_model(ws, in);
    for (size_t j = 0; j < C && !rc; ++j) {
        const unsigned char open = j < U ? in->allowed[j] != 0
                                         : (unsigned char)(viol != 0);
        if (open == ws->lp_open[j]) continue;
        const double up = j < U ? 1.0 : HUGE_VAL;
        rc = marl_lp_set_col_bounds(ws->lp, j, 0.0, open ? up : 0.0);
        if (!rc) ws->lp_open[j] = open;
    }
    for (size_t k = 0; k < d && !rc; ++k)
        rc = marl_lp_set_row_range(ws->lp, n + k, in->lo[k], in->hi[k]);
    if (rc) return rc;
    for (size_t j = 0; j < C; ++j)
        ws->vals[j] = j < U ? (viol || !in->v ? 0.0 : in->v[j])
                            : (viol ? -1.0 : 0.0);
    if (!ws->lp_obj_set || memcmp(ws->vals, ws->lp_obj, C * sizeof *ws->vals)) {
        ws->lp_obj_set = 0;
        rc = marl_lp_set_objective(ws->lp, ws->vals, MARL_LP_MAXIMIZE);
        if (rc) return rc;
        memcpy(ws->lp_obj, ws->vals, C * sizeof *ws->vals);
        ws->lp_obj_set = 1;
    }
    return MARL_OK;
}

/* Solution into p: entries below 1e-12 (and off the allowed set) set to 0,
 * each agent's row renormalised. */
static int extract(marl_nash_workspace *ws, const marl_nash_lp_in *in,
                   double *p) {
    int rc = marl_lp_solution(ws->lp, ws->lp_x);
    if (rc) return rc;
    for (size_t i = 0; i < in->n; ++i) {
        const size_t o = in->off[i];
        double s = 0.0;
        for (size_t a = 0; a < in->m[i]; ++a) {
            double x = ws->lp_x[o + a];
            if (!in->allowed[o + a] || !(x > 1e-12)) x = 0.0;
            p[o + a] = x;
            s += x;
        }
        if (!(s > 0.5 && s < 1.5))
            return marl_error(MARL_EINTERNAL, "nash LP (lp_solve): agent %zu's "
                              "probabilities sum to %g", i, s);
        for (size_t a = 0; a < in->m[i]; ++a) p[o + a] /= s;
    }
    return MARL_OK;
}

static double objective(const marl_nash_lp_in *in, const double *p) {
    if (!in->v) return 0.0;
    double s = 0.0;
    for (size_t u = 0; u < in->off[in->n]; ++u)
        if (p[u] != 0.0) s += in->v[u] * p[u];
    return s;
}

static int run(marl_nash_workspace *ws, const marl_nash_lp_in *in, int viol,
               double *p, int *status) {
    int rc = setup(ws, in, viol);
    int st = MARL_LP_FAILED;
    if (!rc) rc = marl_lp_solve(ws->lp, &st);
    if (rc) {
        marl_nash_lp_reset(ws); /* unknown model state: rebuild next time */
        return rc;
    }
    if (st == MARL_LP_INFEASIBLE && !viol) {
        *status = MARL_NASH_INFEASIBLE;
        return MARL_OK;
    }
    if (st != MARL_LP_OPTIMAL)
        return marl_error(MARL_EINTERNAL, "nash LP: lp_solve failed (status "
                          "%d) on %zu agents, %zu actions, d = %zu%s", st,
                          in->n, in->off[in->n], in->d,
                          viol ? " (violation LP)" : "");
    rc = extract(ws, in, p);
    if (rc) return rc;
    *status = MARL_NASH_FEASIBLE;
    return MARL_OK;
}

int marl_nash_lp_lpsolve(marl_nash_workspace *ws, const marl_nash_lp_in *in,
                         double *p, double *obj, int *status) {
    int rc = run(ws, in, 0, p, status);
    if (!rc && *status == MARL_NASH_FEASIBLE) *obj = objective(in, p);
    return rc;
}

int marl_nash_lp_violation(marl_nash_workspace *ws,
                           const marl_nash_lp_in *in, double *p,
                           double *viol) {
    const double t0 = marl_now_seconds();
    int status = MARL_NASH_INFEASIBLE;
    int rc = run(ws, in, 1, p, &status);
    ws->n_lps++;
    ws->lp_seconds += marl_now_seconds() - t0;
    if (rc) return rc;
    /* the L1 distance of the realised mixed aggregate from the band */
    const size_t U = in->off[in->n], d = in->d;
    double dist = 0.0;
    for (size_t k = 0; k < d; ++k) {
        double s = 0.0;
        for (size_t u = 0; u < U; ++u)
            if (p[u] != 0.0) s += in->f[u * d + k] * p[u];
        const double x = in->delta * s;
        if (x > in->hi[k])
            dist += x - in->hi[k];
        else if (x < in->lo[k])
            dist += in->lo[k] - x;
    }
    *viol = dist;
    return MARL_OK;
}
