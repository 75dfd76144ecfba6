/*
 * Builder of aggregative Markov games (include/marlgame/aggregative.h).
 * SPDX-License-Identifier: MIT
 */
#include "game/aggregative/amg_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define AMG_BOX_TOL 1e-9

struct marl_aggregative_builder {
    size_t n, S, H, d, U;
    size_t *m;          /* [n] */
    size_t *off;        /* [n + 1] */
    double delta, W;
    double *rho0;       /* [S] */
    size_t n_tables;    /* 0 (none given), 1 (shared) or H */
    double *f;          /* [n_tables * U * d] */
    unsigned char *have_step; /* [H]: step set individually */
    int have_ops;
    marl_aggregative_ops ops;
    void *user;
    int lipschitz_given;
    double gamma_r, gamma_T;
    char *name;
};

static const char *FN_NEW = "marl_aggregative_builder_new";

int marl_aggregative_builder_new(marl_aggregative_builder **out,
                                 size_t n_agents, size_t n_states,
                                 const size_t *n_actions, size_t horizon,
                                 size_t dim) {
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", FN_NEW);
    if (!n_actions)
        return marl_error(MARL_EINVAL, "%s: n_actions is NULL", FN_NEW);
    if (n_agents == 0 || n_agents > MARL_AGGREGATIVE_MAX_AGENTS)
        return marl_error(MARL_ERANGE,
                          "%s: n_agents = %zu, expected 1..%zu", FN_NEW,
                          n_agents, (size_t)MARL_AGGREGATIVE_MAX_AGENTS);
    if (n_states == 0)
        return marl_error(MARL_ERANGE, "%s: n_states must be >= 1", FN_NEW);
    if (horizon == 0)
        return marl_error(MARL_ERANGE, "%s: horizon must be >= 1", FN_NEW);
    if (dim == 0 || dim > MARL_AGGREGATIVE_MAX_DIM)
        return marl_error(MARL_ERANGE, "%s: dim = %zu, expected 1..%d",
                          FN_NEW, dim, MARL_AGGREGATIVE_MAX_DIM);
    size_t U = 0;
    for (size_t i = 0; i < n_agents; ++i) {
        if (n_actions[i] == 0)
            return marl_error(MARL_ERANGE, "%s: agent %zu has no actions",
                              FN_NEW, i);
        if (!marl_add_size(U, n_actions[i], &U))
            return marl_error(MARL_ERANGE, "%s: too many actions", FN_NEW);
    }
    size_t entries;
    if (!marl_mul_size(U, dim, &entries) ||
        !marl_mul_size(entries, horizon, &entries) ||
        entries > MARL_AGGREGATIVE_MAX_ENTRIES)
        return marl_error(MARL_ERANGE,
                          "%s: H * sum_i m_i * d exceeds %zu entries", FN_NEW,
                          (size_t)MARL_AGGREGATIVE_MAX_ENTRIES);
    marl_aggregative_builder *b = marl_calloc(1, sizeof *b);
    if (!b) return marl_error_nomem("an aggregative builder");
    b->m = marl_calloc(n_agents, sizeof *b->m);
    b->off = marl_calloc(n_agents + 1, sizeof *b->off);
    b->rho0 = marl_calloc(n_states, sizeof *b->rho0);
    b->have_step = marl_calloc(horizon, 1);
    b->name = marl_strdup("");
    if (!b->m || !b->off || !b->rho0 || !b->have_step || !b->name) {
        marl_free(b->m);
        marl_free(b->off);
        marl_free(b->rho0);
        marl_free(b->have_step);
        marl_free(b->name);
        marl_free(b);
        return marl_error_nomem("an aggregative builder's tables");
    }
    b->n = n_agents;
    b->S = n_states;
    b->H = horizon;
    b->d = dim;
    b->U = U;
    memcpy(b->m, n_actions, n_agents * sizeof *b->m);
    for (size_t i = 0; i < n_agents; ++i) b->off[i + 1] = b->off[i] + b->m[i];
    for (size_t s = 0; s < n_states; ++s) b->rho0[s] = 1.0 / (double)n_states;
    b->delta = 1.0 / (double)n_agents;
    b->W = 1.0;
    *out = b;
    return MARL_OK;
}

static void release_user(marl_aggregative_builder *b) {
    if (b->have_ops && b->ops.release) b->ops.release(b->user);
    b->have_ops = 0;
    b->user = NULL;
}

void marl_aggregative_builder_free(marl_aggregative_builder *b) {
    if (!b) return;
    release_user(b);
    marl_free(b->m);
    marl_free(b->off);
    marl_free(b->rho0);
    marl_free(b->f);
    marl_free(b->have_step);
    marl_free(b->name);
    marl_free(b);
}

int marl_aggregative_builder_set_scale(marl_aggregative_builder *b,
                                       double delta, double W) {
    const char *fn = "marl_aggregative_builder_set_scale";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!isfinite(delta) || delta <= 0)
        return marl_error(MARL_EINVAL, "%s: delta = %g, expected > 0", fn,
                          delta);
    if (!isfinite(W) || W <= 0)
        return marl_error(MARL_EINVAL, "%s: W = %g, expected > 0", fn, W);
    b->delta = delta;
    b->W = W;
    return MARL_OK;
}

int marl_aggregative_builder_set_initial(marl_aggregative_builder *b,
                                         const double *rho0) {
    const char *fn = "marl_aggregative_builder_set_initial";
    if (!b || !rho0)
        return marl_error(MARL_EINVAL, "%s: builder or rho0 is NULL", fn);
    int rc = marl_check_distribution(rho0, b->S, "initial distribution rho0");
    if (rc) return rc;
    memcpy(b->rho0, rho0, b->S * sizeof *rho0);
    return MARL_OK;
}

/* Finite, bounded influence; the error names the agent, step and actions. */
static int check_f(const marl_aggregative_builder *b, size_t step,
                   const double *f, const char *fn) {
    char stxt[32];
    if (step == MARL_AGGREGATIVE_ALL_STEPS)
        memcpy(stxt, "every step", 11);
    else
        snprintf(stxt, sizeof stxt, "step %zu", step);
    for (size_t i = 0; i < b->n; ++i) {
        const double *fi = f + b->off[i] * b->d;
        for (size_t a = 0; a < b->m[i]; ++a)
            for (size_t k = 0; k < b->d; ++k)
                if (!isfinite(fi[a * b->d + k]))
                    return marl_error(MARL_EINVAL,
                                      "%s: contribution f of agent %zu, "
                                      "action %zu, coordinate %zu (%s) is "
                                      "not finite",
                                      fn, i, a, k, stxt);
        for (size_t k = 0; k < b->d; ++k) {
            size_t amin = 0, amax = 0;
            for (size_t a = 1; a < b->m[i]; ++a) {
                if (fi[a * b->d + k] < fi[amin * b->d + k]) amin = a;
                if (fi[a * b->d + k] > fi[amax * b->d + k]) amax = a;
            }
            double spread = fi[amax * b->d + k] - fi[amin * b->d + k];
            if (spread > 1.0 + 1e-12)
                return marl_error(MARL_EINVAL,
                                  "%s: agent %zu (%s): actions %zu and %zu "
                                  "differ by %g > 1 in coordinate %zu "
                                  "(bounded influence: one agent moves the "
                                  "aggregate by at most delta)",
                                  fn, i, stxt, amin, amax, spread, k);
        }
    }
    return MARL_OK;
}

int marl_aggregative_builder_set_contributions(marl_aggregative_builder *b,
                                               size_t step, const double *f) {
    const char *fn = "marl_aggregative_builder_set_contributions";
    if (!b || !f)
        return marl_error(MARL_EINVAL, "%s: builder or f is NULL", fn);
    if (step != MARL_AGGREGATIVE_ALL_STEPS && step >= b->H)
        return marl_error(MARL_ERANGE, "%s: step %zu out of range (H = %zu)",
                          fn, step, b->H);
    int rc = check_f(b, step, f, fn);
    if (rc) return rc;
    const size_t table = b->U * b->d;
    if (step == MARL_AGGREGATIVE_ALL_STEPS) {
        double *nf = marl_calloc(table, sizeof *nf);
        if (!nf) return marl_error_nomem("the contribution table");
        memcpy(nf, f, table * sizeof *nf);
        marl_free(b->f);
        b->f = nf;
        b->n_tables = 1;
        memset(b->have_step, 1, b->H);
        return MARL_OK;
    }
    if (b->n_tables != b->H) {
        double *nf = marl_calloc(table * b->H, sizeof *nf);
        if (!nf) return marl_error_nomem("the per-step contribution tables");
        if (b->n_tables == 1)
            for (size_t h = 0; h < b->H; ++h)
                memcpy(nf + h * table, b->f, table * sizeof *nf);
        marl_free(b->f);
        b->f = nf;
        b->n_tables = b->H;
    }
    memcpy(b->f + step * table, f, table * sizeof *f);
    b->have_step[step] = 1;
    return MARL_OK;
}

int marl_aggregative_builder_set_ops(marl_aggregative_builder *b,
                                     const marl_aggregative_ops *ops,
                                     void *user) {
    const char *fn = "marl_aggregative_builder_set_ops";
    if (!b || !ops)
        return marl_error(MARL_EINVAL, "%s: builder or ops is NULL", fn);
    if (ops->version != MARL_AGGREGATIVE_OPS_VERSION)
        return marl_error(MARL_EINVAL, "%s: ops version %d, expected %d", fn,
                          ops->version, MARL_AGGREGATIVE_OPS_VERSION);
    if (!ops->reward || !ops->transition)
        return marl_error(MARL_EINVAL,
                          "%s: the reward and transition callbacks are "
                          "required",
                          fn);
    if (b->have_ops && b->user != user) release_user(b);
    b->ops = *ops;
    b->user = user;
    b->have_ops = 1;
    return MARL_OK;
}

int marl_aggregative_builder_set_lipschitz(marl_aggregative_builder *b,
                                           double gamma_r, double gamma_T) {
    const char *fn = "marl_aggregative_builder_set_lipschitz";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!isfinite(gamma_r) || gamma_r < 0 || !isfinite(gamma_T) ||
        gamma_T < 0)
        return marl_error(MARL_EINVAL,
                          "%s: gamma_r = %g, gamma_T = %g, expected finite "
                          ">= 0",
                          fn, gamma_r, gamma_T);
    b->gamma_r = gamma_r;
    b->gamma_T = gamma_T;
    b->lipschitz_given = 1;
    return MARL_OK;
}

int marl_aggregative_builder_set_name(marl_aggregative_builder *b,
                                      const char *name) {
    const char *fn = "marl_aggregative_builder_set_name";
    if (!b || !name)
        return marl_error(MARL_EINVAL, "%s: builder or name is NULL", fn);
    char *c = marl_strdup(name);
    if (!c) return marl_error_nomem("the game's name");
    marl_free(b->name);
    b->name = c;
    return MARL_OK;
}

static void amg_free(void *p) {
    marl_amg_data *a = p;
    if (!a) return;
    if (a->ops.release) a->ops.release(a->user);
    marl_free(a->off);
    marl_free(a->f);
    marl_free(a->rho0);
    marl_free(a->xlo);
    marl_free(a->xhi);
    marl_free(a);
}

/* Reachable box over every step, checked against [-W, W]^d. */
static int reachable_box(const marl_aggregative_builder *b, double *xlo,
                         double *xhi, const char *fn) {
    const size_t table = b->U * b->d;
    for (size_t k = 0; k < b->d; ++k) {
        xlo[k] = HUGE_VAL;
        xhi[k] = -HUGE_VAL;
    }
    for (size_t h = 0; h < b->H; ++h) {
        const double *f = b->f + (b->n_tables == 1 ? 0 : h) * table;
        for (size_t k = 0; k < b->d; ++k) {
            double lo = 0, hi = 0;
            for (size_t i = 0; i < b->n; ++i) {
                double mn = HUGE_VAL, mx = -HUGE_VAL;
                for (size_t a = 0; a < b->m[i]; ++a) {
                    double v = f[(b->off[i] + a) * b->d + k];
                    if (v < mn) mn = v;
                    if (v > mx) mx = v;
                }
                lo += mn;
                hi += mx;
            }
            lo *= b->delta;
            hi *= b->delta;
            if (lo < -b->W - AMG_BOX_TOL || hi > b->W + AMG_BOX_TOL)
                return marl_error(MARL_EINVAL,
                                  "%s: step %zu: aggregates of coordinate "
                                  "%zu range over [%g, %g], outside the box "
                                  "[-W, W] = [%g, %g]",
                                  fn, h, k, lo, hi, -b->W, b->W);
            if (lo < xlo[k]) xlo[k] = lo;
            if (hi > xhi[k]) xhi[k] = hi;
        }
    }
    for (size_t k = 0; k < b->d; ++k) {
        if (xlo[k] < -b->W) xlo[k] = -b->W;
        if (xhi[k] > b->W) xhi[k] = b->W;
    }
    return MARL_OK;
}

/* Probe the callbacks once (see the header). */
static int probe(const marl_amg_data *a) {
    double x[MARL_AGGREGATIVE_MAX_DIM];
    double *row = marl_calloc(a->S, sizeof *row);
    if (!row) return marl_error_nomem("a transition row");
    int rc = MARL_OK;
    for (size_t h = 0; h < a->H && !rc; ++h)
        for (size_t s = 0; s < a->S && !rc; ++s) {
            for (size_t c = 0; c <= ((size_t)1 << a->d) && !rc; ++c) {
                for (size_t k = 0; k < a->d; ++k)
                    x[k] = c == 0 ? 0.5 * (a->xlo[k] + a->xhi[k])
                                  : (((c - 1) >> k) & 1u) ? a->xhi[k]
                                                          : a->xlo[k];
                rc = marl_amg_transition(a, h, s, x, row);
            }
            for (size_t k = 0; k < a->d; ++k)
                x[k] = 0.5 * (a->xlo[k] + a->xhi[k]);
            for (size_t i = 0; i < a->n && !rc; ++i)
                for (size_t act = 0; act < a->off[i + 1] - a->off[i] && !rc;
                     ++act) {
                    double r, w;
                    rc = marl_amg_reward(a, h, s, i, act, x, &r);
                    if (!rc && a->ops.welfare)
                        rc = marl_amg_welfare(a, h, s, i, act, &w);
                }
        }
    marl_free(row);
    return rc;
}

int marl_aggregative_builder_build(marl_aggregative_builder *b,
                                   marl_game **out) {
    const char *fn = "marl_aggregative_builder_build";
    if (!b || !out)
        return marl_error(MARL_EINVAL, "%s: builder or out is NULL", fn);
    if (!b->have_ops)
        return marl_error(MARL_EINVAL,
                          "%s: no callbacks (set them with "
                          "marl_aggregative_builder_set_ops; a game built "
                          "before took the previous ones)",
                          fn);
    for (size_t h = 0; h < b->H; ++h)
        if (!b->have_step[h])
            return marl_error(MARL_EINVAL,
                              "%s: no contributions for step %zu", fn, h);
    marl_amg_data *a = marl_calloc(1, sizeof *a);
    if (!a) return marl_error_nomem("an aggregative game");
    const size_t table = b->n_tables * b->U * b->d;
    a->off = marl_calloc(b->n + 1, sizeof *a->off);
    a->f = marl_calloc(table, sizeof *a->f);
    a->rho0 = marl_calloc(b->S, sizeof *a->rho0);
    a->xlo = marl_calloc(b->d, sizeof *a->xlo);
    a->xhi = marl_calloc(b->d, sizeof *a->xhi);
    if (!a->off || !a->f || !a->rho0 || !a->xlo || !a->xhi) {
        amg_free(a);
        return marl_error_nomem("an aggregative game's tables");
    }
    a->n = b->n;
    a->S = b->S;
    a->H = b->H;
    a->d = b->d;
    a->U = b->U;
    for (size_t i = 0; i < b->n; ++i)
        if (b->m[i] > a->mmax) a->mmax = b->m[i];
    memcpy(a->off, b->off, (b->n + 1) * sizeof *a->off);
    memcpy(a->f, b->f, table * sizeof *a->f);
    memcpy(a->rho0, b->rho0, b->S * sizeof *a->rho0);
    a->n_tables = b->n_tables;
    a->delta = b->delta;
    a->W = b->W;
    a->lipschitz_given = b->lipschitz_given;
    a->gamma_r = b->gamma_r;
    a->gamma_T = b->gamma_T;
    a->ops = b->ops;
    a->ops.release = NULL; /* the builder keeps ownership until success */
    a->user = b->user;
    int rc = reachable_box(b, a->xlo, a->xhi, fn);
    if (!rc) rc = probe(a);
    marl_game *g = NULL;
    if (!rc)
        rc = marl_game_alloc(&g, MARL_GAME_AGGREGATIVE, b->n, b->S, b->m,
                             b->name);
    if (rc) {
        amg_free(a);
        return rc;
    }
    a->ops.release = b->ops.release;
    g->horizon = b->H;
    g->gamma = 1.0;
    g->impl = a;
    g->impl_free = amg_free;
    b->have_ops = 0; /* the game owns the user data now */
    b->user = NULL;
    *out = g;
    return MARL_OK;
}
