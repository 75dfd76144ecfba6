/*
 * Exact exploitability of pure Markov policies of aggregative games
 * (ALGORITHMS.md §3 "Exact exploitability"), values and welfare.
 * SPDX-License-Identifier: MIT
 */
#include "metrics/aggregative/amg_metrics.h"
#include "policy/policy_impl.h"

#include <math.h>
#include <string.h>

int marl_amg_check_actions(const marl_amg_data *a, const size_t *actions,
                           const char *fn) {
    for (size_t h = 0; h < a->H; ++h)
        for (size_t s = 0; s < a->S; ++s)
            for (size_t i = 0; i < a->n; ++i) {
                size_t act = actions[(h * a->S + s) * a->n + i];
                if (act >= a->off[i + 1] - a->off[i])
                    return marl_error(MARL_ERANGE,
                                      "%s: action %zu of agent %zu at step "
                                      "%zu, state %zu out of range (%zu "
                                      "actions)",
                                      fn, act, i, h, s,
                                      a->off[i + 1] - a->off[i]);
            }
    return MARL_OK;
}

int marl_amg_eval_new(marl_amg_eval *e, const marl_amg_data *a) {
    memset(e, 0, sizeof *e);
    const size_t nS = a->n * a->S;
    e->V = marl_calloc(2 * nS, sizeof *e->V);
    e->B = marl_calloc(2 * nS, sizeof *e->B);
    e->Wl = marl_calloc(2 * a->S, sizeof *e->Wl);
    e->row = marl_calloc(a->S, sizeof *e->row);
    int rc = (!e->V || !e->B || !e->Wl || !e->row)
                 ? marl_error_nomem("the exact Nash-gap tables")
                 : marl_amg_tcache_init(&e->cache, a, 4 * a->mmax + 4);
    if (rc) {
        marl_amg_eval_free(e);
        return rc;
    }
    return MARL_OK;
}

void marl_amg_eval_free(marl_amg_eval *e) {
    marl_free(e->V);
    marl_free(e->B);
    marl_free(e->Wl);
    marl_free(e->row);
    marl_amg_tcache_free(&e->cache);
    memset(e, 0, sizeof *e);
}

static double dot(const double *p, const double *v, size_t S) {
    double acc = 0;
    for (size_t t = 0; t < S; ++t) acc += p[t] * v[t];
    return acc;
}

int marl_amg_eval_run(marl_amg_eval *e, const marl_amg_data *a,
                      const size_t *actions, marl_amg_eval_out *out) {
    const size_t n = a->n, S = a->S, d = a->d;
    double *V = e->V, *Vn = e->V + n * S; /* [i * S + s] */
    double *B = e->B, *Bn = e->B + n * S;
    double *Wc = e->Wl, *Wn = e->Wl + S;
    const int welfare = a->ops.welfare != NULL;
    memset(Vn, 0, n * S * sizeof *Vn);
    memset(Bn, 0, n * S * sizeof *Bn);
    memset(Wn, 0, S * sizeof *Wn);
    marl_amg_tcache_clear(&e->cache);
    double x[MARL_AGGREGATIVE_MAX_DIM], xd[MARL_AGGREGATIVE_MAX_DIM];
    for (size_t h = a->H; h-- > 0;) {
        const double *f = marl_amg_f(a, h);
        for (size_t s = 0; s < S; ++s) {
            const size_t *act = actions + (h * S + s) * n;
            marl_amg_aggregate(a, h, act, 1, x);
            int rc = marl_amg_transition(a, h, s, x, e->row);
            if (rc) return rc;
            double wsum = 0;
            for (size_t i = 0; i < n; ++i) {
                const size_t ai = act[i], mi = a->off[i + 1] - a->off[i];
                double r;
                rc = marl_amg_reward(a, h, s, i, ai, x, &r);
                if (rc) return rc;
                V[i * S + s] = r + dot(e->row, Vn + i * S, S);
                double best = r + dot(e->row, Bn + i * S, S);
                const double *fa = f + (a->off[i] + ai) * d;
                for (size_t b = 0; b < mi; ++b) {
                    if (b == ai) continue;
                    const double *fb = f + (a->off[i] + b) * d;
                    for (size_t k = 0; k < d; ++k)
                        xd[k] = x[k] + a->delta * (fb[k] - fa[k]);
                    const double *row;
                    rc = marl_amg_reward(a, h, s, i, b, xd, &r);
                    if (!rc) rc = marl_amg_tcache_get(&e->cache, a, h, s, xd,
                                                      &row);
                    if (rc) return rc;
                    double q = r + dot(row, Bn + i * S, S);
                    if (q > best) best = q;
                }
                B[i * S + s] = best;
                if (welfare) {
                    double w;
                    rc = marl_amg_welfare(a, h, s, i, ai, &w);
                    if (rc) return rc;
                    wsum += w;
                }
            }
            Wc[s] = welfare ? wsum + dot(e->row, Wn, S) : NAN;
        }
        double *t = V; V = Vn; Vn = t; /* Vn <- this step's values */
        t = B; B = Bn; Bn = t;
        t = Wc; Wc = Wn; Wn = t;
    }
    /* Vn, Bn, Wn now hold step 0. */
    double gap = -HUGE_VAL;
    for (size_t i = 0; i < n; ++i) {
        double v = 0, b = 0;
        for (size_t s = 0; s < S; ++s) {
            v += a->rho0[s] * Vn[i * S + s];
            b += a->rho0[s] * Bn[i * S + s];
        }
        if (out->values) out->values[i] = v;
        if (out->br_values) out->br_values[i] = b;
        if (b - v > gap) gap = b - v;
    }
    out->gap = gap;
    double w = 0;
    for (size_t s = 0; s < S; ++s) w += a->rho0[s] * Wn[s];
    out->welfare = welfare ? w : NAN;
    out->V0 = Vn; /* [i * S + s] at step 0; valid until the next run */
    out->W0 = Wn;
    return MARL_OK;
}

int marl_aggregative_nash_gap(const marl_game *game, const size_t *actions,
                              double *gap, double *values, double *br_values,
                              double *welfare) {
    const char *fn = "marl_aggregative_nash_gap";
    int rc = marl_require_aggregative(game, fn);
    if (rc) return rc;
    if (!actions) return marl_error(MARL_EINVAL, "%s: actions is NULL", fn);
    const marl_amg_data *a = marl_amg_of(game);
    rc = marl_amg_check_actions(a, actions, fn);
    if (rc) return rc;
    marl_amg_eval e;
    rc = marl_amg_eval_new(&e, a);
    if (rc) return rc;
    marl_amg_eval_out out = {0};
    out.values = values;
    out.br_values = br_values;
    rc = marl_amg_eval_run(&e, a, actions, &out);
    marl_amg_eval_free(&e);
    if (rc) return rc;
    if (gap) *gap = out.gap;
    if (welfare) *welfare = out.welfare;
    return MARL_OK;
}

int marl_aggregative_policy_actions(const marl_policy *policy,
                                    size_t *actions) {
    const char *fn = "marl_aggregative_policy_actions";
    if (!policy || !actions)
        return marl_error(MARL_EINVAL, "%s: policy or actions is NULL", fn);
    int rc = marl_require_aggregative(policy->game, fn);
    if (rc) return rc;
    const marl_amg_data *a = marl_amg_of(policy->game);
    const int per_step = (policy->flags & MARL_POLICY_PER_STEP) != 0;
    if (policy->flags & MARL_POLICY_LOGITS)
        return marl_error(MARL_EINVAL,
                          "%s: a softmax (LOGITS) policy is never pure", fn);
    /* pass 0 checks every row, pass 1 writes (nothing written on error) */
    for (int pass = 0; pass < 2; ++pass)
        for (size_t h = 0; h < a->H; ++h)
            for (size_t s = 0; s < a->S; ++s)
                for (size_t i = 0; i < a->n; ++i) {
                    const double *row =
                        marl_policy_row_ptr(policy, i, per_step ? h : 0, s);
                    const size_t mi = a->off[i + 1] - a->off[i];
                    size_t best = 0;
                    for (size_t b = 1; b < mi; ++b)
                        if (row[b] > row[best]) best = b;
                    if (pass == 1)
                        actions[(h * a->S + s) * a->n + i] = best;
                    else if (fabs(row[best] - 1.0) > 1e-9)
                        return marl_error(MARL_EINVAL,
                                          "%s: the row of agent %zu at step "
                                          "%zu, state %zu is not pure "
                                          "(largest probability %.17g)",
                                          fn, i, h, s, row[best]);
                }
    return MARL_OK;
}
