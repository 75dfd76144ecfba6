/* Workspace of the Nash subroutine (nash.h): every buffer a call needs,
 * O(U * d + n_grid) memory, allocated once; the lp_solve model is created
 * lazily on its first use and kept while the shape allows.
 * SPDX-License-Identifier: MIT */
#include "core/internal.h"
#include "solvers/aggregative/nash/nash_internal.h"

#include <limits.h>
#include <stdint.h>

void marl_nash_workspace_free(marl_nash_workspace *ws) {
    if (!ws) return;
    marl_nash_lp_reset(ws);
    marl_free(ws->Q);
    marl_free(ws->gap);
    marl_free(ws->v);
    marl_free(ws->p);
    marl_free(ws->pbest);
    marl_free(ws->sorted);
    marl_free(ws->allowed);
    marl_free(ws->eta_g);
    marl_free(ws->viol_g);
    marl_free(ws->lo);
    marl_free(ws->hi);
    marl_free(ws->x);
    marl_free(ws->xdev);
    marl_free(ws->xbest);
    marl_free(ws->prof);
    marl_free(ws->best);
    marl_free(ws->mixed);
    marl_free(ws->draws);
    marl_free(ws->hull);
    marl_free(ws->hull_len);
    marl_free(ws->pos);
    marl_free(ws->seg);
    marl_free(ws->lp_m);
    marl_free(ws->lp_f);
    marl_free(ws->lp_open);
    marl_free(ws->lp_obj);
    marl_free(ws->lp_x);
    marl_free(ws->cols);
    marl_free(ws->vals);
    marl_free(ws);
}

int marl_nash_workspace_new(marl_nash_workspace **out, size_t n, size_t U,
                            size_t d, size_t n_grid) {
    static const char fn[] = "marl_nash_workspace_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (n == 0 || U == 0 || d == 0 || n_grid == 0)
        return marl_error(MARL_EINVAL, "%s: zero size (n %zu, U %zu, d %zu, "
                          "n_grid %zu)", fn, n, U, d, n_grid);
    if (U < n)
        return marl_error(MARL_EINVAL, "%s: U = %zu agent-actions < n = %zu "
                          "agents", fn, U, n);
    size_t Ud, Gd, cols;
    if (d > SIZE_MAX / 4 || !marl_mul_size(U, d, &Ud) ||
        !marl_mul_size(n_grid, d, &Gd) || !marl_add_size(U, 2 * d, &cols) ||
        cols >= (size_t)INT_MAX)
        return marl_error(MARL_ERANGE, "%s: U = %zu agent-actions, d = %zu "
                          "and n_grid = %zu exceed the size limits", fn, U,
                          d, n_grid);
    marl_nash_workspace *ws = marl_calloc(1, sizeof *ws);
    if (!ws) return marl_error_nomem("a Nash workspace");
    ws->n_max = n;
    ws->U_max = U;
    ws->d_max = d;
    ws->g_max = n_grid;
    ws->Q = marl_calloc(U, sizeof *ws->Q);
    ws->gap = marl_calloc(U, sizeof *ws->gap);
    ws->v = marl_calloc(U, sizeof *ws->v);
    ws->p = marl_calloc(U, sizeof *ws->p);
    ws->pbest = marl_calloc(U, sizeof *ws->pbest);
    ws->sorted = marl_calloc(U, sizeof *ws->sorted);
    ws->allowed = marl_calloc(U, sizeof *ws->allowed);
    ws->eta_g = marl_calloc(n_grid, sizeof *ws->eta_g);
    ws->viol_g = marl_calloc(n_grid, sizeof *ws->viol_g);
    ws->lo = marl_calloc(d, sizeof *ws->lo);
    ws->hi = marl_calloc(d, sizeof *ws->hi);
    ws->x = marl_calloc(d, sizeof *ws->x);
    ws->xdev = marl_calloc(d, sizeof *ws->xdev);
    ws->xbest = marl_calloc(d, sizeof *ws->xbest);
    ws->prof = marl_calloc(n, sizeof *ws->prof);
    ws->best = marl_calloc(n, sizeof *ws->best);
    ws->mixed = marl_calloc(n, sizeof *ws->mixed);
    ws->hull = marl_calloc(U, sizeof *ws->hull);
    ws->hull_len = marl_calloc(n, sizeof *ws->hull_len);
    ws->pos = marl_calloc(n, sizeof *ws->pos);
    ws->seg = marl_calloc(U, sizeof *ws->seg);
    ws->lp_m = marl_calloc(n, sizeof *ws->lp_m);
    ws->lp_f = marl_calloc(Ud, sizeof *ws->lp_f);
    ws->lp_open = marl_calloc(cols, sizeof *ws->lp_open);
    ws->lp_obj = marl_calloc(cols, sizeof *ws->lp_obj);
    ws->lp_x = marl_calloc(cols, sizeof *ws->lp_x);
    ws->cols = marl_calloc(cols, sizeof *ws->cols);
    ws->vals = marl_calloc(cols, sizeof *ws->vals);
    if (!ws->Q || !ws->gap || !ws->v || !ws->p || !ws->pbest ||
        !ws->sorted || !ws->allowed || !ws->eta_g || !ws->viol_g ||
        !ws->lo || !ws->hi || !ws->x || !ws->xdev || !ws->xbest ||
        !ws->prof || !ws->best || !ws->mixed || !ws->hull ||
        !ws->hull_len || !ws->pos || !ws->seg || !ws->lp_m || !ws->lp_f ||
        !ws->lp_open || !ws->lp_obj || !ws->lp_x || !ws->cols || !ws->vals) {
        marl_nash_workspace_free(ws);
        return marl_error_nomem("a Nash workspace");
    }
    *out = ws;
    return MARL_OK;
}
