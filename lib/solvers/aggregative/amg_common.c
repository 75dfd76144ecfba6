/*
 * Shared machinery of the aggregative solvers (see amg_solver.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/aggregative/amg_solver.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "auto" | "seed" | a number >= 0. */
static int parse_slack(marl_amg_solver *c, const char *text,
                       const char *name) {
    if (strcmp(text, "auto") == 0) {
        c->slack_mode = 0;
        return MARL_OK;
    }
    if (strcmp(text, "seed") == 0) {
        c->slack_mode = 1;
        return MARL_OK;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || !end || *end || errno || !isfinite(v) || v < 0)
        return marl_error(MARL_EINVAL,
                          "%s: option br_slack = \"%s\": expected auto, seed "
                          "or a number >= 0",
                          name, text);
    c->slack_mode = 2;
    c->slack_value = v;
    return MARL_OK;
}

int marl_amg_solver_init(marl_amg_solver *c, marl_solver *solver,
                         const char *name) {
    memset(c, 0, sizeof *c);
    c->game = marl_solver_game(solver);
    int rc = marl_require_aggregative(c->game, name);
    if (rc) return rc;
    const marl_amg_data *a = marl_amg_of(c->game);
    c->a = a;
    const marl_options *o = marl_solver_options(solver);
    const char *slack = NULL, *lp = NULL;
    long long rounds = 0;
    rc = marl_options_get_real(o, "alpha", &c->alpha);
    if (!rc) rc = marl_options_get_real(o, "beta", &c->beta);
    if (!rc) rc = marl_options_get_string(o, "br_slack", &slack);
    if (!rc) rc = marl_options_get_int(o, "rounds", &rounds);
    if (!rc) rc = marl_options_get_string(o, "lp", &lp);
    if (rc) return rc;
    rc = parse_slack(c, slack, name);
    if (rc) return rc;
    c->rounds = (size_t)rounds;
    c->lp_backend = strcmp(lp, "lp_solve") == 0 ? MARL_NASH_LP_SOLVE
                                                : MARL_NASH_LP_STRUCTURED;
    marl_sampler *sm = marl_solver_sampler(solver);
    if (!sm) return marl_last_error_code();
    c->sampler = sm;
    c->rng = marl_sampler_rng(sm);
    rc = marl_amg_grid_new(a, c->alpha, &c->grid);
    if (rc) return rc;
    rc = marl_amg_bound_from_game(a, &c->grid, c->beta, &c->bound);
    if (rc) goto fail;
    c->gamma_r = c->bound.gamma_r;
    c->gamma_T = c->bound.gamma_T;
    const size_t n = a->n, S = a->S, G = c->grid.G;
    size_t cells;
    if (!marl_mul_size(G, S, &cells) ||
        !marl_mul_size(a->H * S, n, &cells)) {
        rc = marl_error(MARL_ERANGE, "%s: tables too large", name);
        goto fail;
    }
    c->actions = marl_calloc(a->H * S * n, sizeof *c->actions);
    c->res.actions = marl_calloc(n, sizeof *c->res.actions);
    c->res.x = marl_calloc(a->d, sizeof *c->res.x);
    c->Tg = marl_calloc(G * S, sizeof *c->Tg);
    c->row = marl_calloc(S, sizeof *c->row);
    if (!c->actions || !c->res.actions || !c->res.x || !c->Tg || !c->row) {
        rc = marl_error_nomem("the aggregative solver's tables");
        goto fail;
    }
    if (a->ops.welfare) {
        c->w = marl_calloc(a->U, sizeof *c->w);
        c->c = marl_calloc(G, sizeof *c->c);
        if (!c->w || !c->c) {
            rc = marl_error_nomem("the welfare tables");
            goto fail;
        }
    }
    rc = marl_amg_tcache_init(&c->cache, a, 4 * a->mmax + 4);
    if (!rc) rc = marl_amg_eval_new(&c->eval, a);
    if (!rc) rc = marl_nash_workspace_new(&c->ws, n, a->U, a->d, G);
    if (!rc)
        rc = marl_policy_new(&c->policy, c->game, MARL_POLICY_PER_STEP);
    if (rc) goto fail;
    return MARL_OK;
fail:
    marl_amg_solver_free(c);
    return rc;
}

void marl_amg_solver_free(marl_amg_solver *c) {
    marl_amg_grid_free(&c->grid);
    marl_nash_workspace_free(c->ws);
    marl_free(c->actions);
    marl_free(c->res.actions);
    marl_free(c->res.x);
    marl_free(c->w);
    marl_free(c->c);
    marl_free(c->Tg);
    marl_free(c->row);
    marl_amg_tcache_free(&c->cache);
    marl_amg_eval_free(&c->eval);
    marl_policy_free(c->policy);
    memset(c, 0, sizeof *c);
}

double marl_amg_solver_slack(const marl_amg_solver *c, double L) {
    switch (c->slack_mode) {
    case 1: return 2.0 * L * (c->alpha + c->a->delta);
    case 2: return c->slack_value;
    default: return -1.0;
    }
}

int marl_amg_solver_grid_rows(marl_amg_solver *c, size_t h, size_t s) {
    const size_t S = c->a->S, d = c->a->d;
    for (size_t g = 0; g < c->grid.G; ++g) {
        int rc = marl_amg_transition(c->a, h, s, c->grid.pts + g * d,
                                     c->Tg + g * S);
        if (rc) return rc;
    }
    return MARL_OK;
}

int marl_amg_solver_call(marl_amg_solver *c, size_t h, size_t s, double L,
                         int use_welfare, marl_nash_q_grid_fn q_grid,
                         marl_nash_q_fn q_at, void *user) {
    const marl_amg_data *a = c->a;
    int rc;
    use_welfare = use_welfare && c->w;
    if (use_welfare)
        for (size_t i = 0; i < a->n; ++i)
            for (size_t b = 0; b < a->off[i + 1] - a->off[i]; ++b) {
                rc = marl_amg_welfare(a, h, s, i, b, c->w + a->off[i] + b);
                if (rc) return rc;
            }
    marl_nash_problem p;
    memset(&p, 0, sizeof p);
    p.n = a->n;
    p.m = c->game->n_actions;
    p.off = a->off;
    p.d = a->d;
    p.f = marl_amg_f(a, h);
    p.delta = a->delta;
    p.alpha = c->alpha;
    p.n_grid = c->grid.G;
    p.grid = c->grid.pts;
    p.w = use_welfare ? c->w : NULL;
    p.c = use_welfare ? c->c : NULL;
    p.slack = marl_amg_solver_slack(c, L);
    p.rounds = c->rounds;
    p.lp_backend = c->lp_backend;
    p.q_grid = q_grid;
    p.q_at = q_at;
    p.user = user;
    rc = marl_nash_solve(c->ws, &p, c->rng, &c->res);
    if (rc) return rc;
    c->n_lps += c->res.n_lps;
    c->lp_seconds += c->res.lp_seconds;
    if (!c->res.feasible) c->infeasible++;
    if (c->res.gain > c->max_gain) c->max_gain = c->res.gain;
    if (c->res.slack > c->max_slack) c->max_slack = c->res.slack;
    memcpy(c->actions + (h * a->S + s) * a->n, c->res.actions,
           a->n * sizeof *c->actions);
    return MARL_OK;
}

int marl_amg_solver_sync_policy(marl_amg_solver *c) {
    const marl_amg_data *a = c->a;
    for (size_t h = 0; h < a->H; ++h)
        for (size_t s = 0; s < a->S; ++s)
            for (size_t i = 0; i < a->n; ++i) {
                int rc = marl_policy_set_pure(
                    c->policy, i, h, s, c->actions[(h * a->S + s) * a->n + i]);
                if (rc) return rc;
            }
    return MARL_OK;
}
