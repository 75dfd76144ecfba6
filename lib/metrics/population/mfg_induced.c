/*
 * The mean-field game induced by a population game (seed 001 Def. 6):
 * P(s'|s,a,mu) = (1/N) sum_i P^i(s'|s,a,mu), R = (1/N) sum_i R^i (the
 * callback itself for symmetric games), its tables at a flow, and the flow
 * Lambda(pi): mu_0 = rho0 . pi_0, mu_{h+1} = Gamma(mu_h, pi_{h+1}).
 * Also the workspace and the policy/flow checks of mfg_impl.h.
 * SPDX-License-Identifier: MIT
 */
#include "metrics/population/mfg_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int marl_mfg_ws_new(marl_mfg_ws **out, const marl_game *game, const char *fn) {
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    const marl_population_data *d = marl_population_of(game);
    marl_mfg_ws *ws = marl_calloc(1, sizeof *ws);
    if (!ws) return marl_error_nomem("a mean-field workspace");
    ws->game = game;
    ws->d = d;
    ws->S = d->S;
    ws->A = d->A;
    ws->H = d->H;
    ws->SA = d->S * d->A;
    const size_t n = ws->H * ws->SA; /* sizes checked by the builder */
    ws->pi = marl_calloc(n, sizeof(double));
    ws->L = marl_calloc(n, sizeof(double));
    ws->P = marl_calloc(n * ws->S, sizeof(double));
    ws->R = marl_calloc(n, sizeof(double));
    ws->Q = marl_calloc(n, sizeof(double));
    ws->Qo = marl_calloc(n, sizeof(double));
    ws->v = marl_calloc(ws->S, sizeof(double));
    ws->tmp = marl_calloc(ws->S, sizeof(double));
    if (!ws->pi || !ws->L || !ws->P || !ws->R || !ws->Q || !ws->Qo || !ws->v ||
        !ws->tmp) {
        marl_mfg_ws_free(ws);
        return marl_error_nomem("a mean-field workspace");
    }
    *out = ws;
    return MARL_OK;
}

void marl_mfg_ws_free(marl_mfg_ws *ws) {
    if (!ws) return;
    marl_free(ws->pi);
    marl_free(ws->L);
    marl_free(ws->P);
    marl_free(ws->R);
    marl_free(ws->Q);
    marl_free(ws->Qo);
    marl_free(ws->v);
    marl_free(ws->tmp);
    marl_free(ws);
}

int marl_mfg_check_policy(const marl_game *game, const marl_policy *policy,
                          const char *fn) {
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    const marl_population_data *d = marl_population_of(game);
    const unsigned need = MARL_POLICY_SHARED | MARL_POLICY_PER_STEP;
    if ((policy->flags & need) != need)
        return marl_error(MARL_EINVAL,
                          "%s: the policy must be SHARED and PER_STEP (flags "
                          "%u)", fn, policy->flags);
    if (policy->n_steps != d->H || policy->n_states != d->S ||
        policy->n_actions[0] != d->A || policy->n_agents != d->N)
        return marl_error(MARL_EINVAL,
                          "%s: the policy's layout (%zu steps, %zu states, "
                          "%zu actions, %zu agents) does not match game '%s' "
                          "(%zu, %zu, %zu, %zu)", fn, policy->n_steps,
                          policy->n_states, policy->n_actions[0],
                          policy->n_agents, game->name, d->H, d->S, d->A,
                          d->N);
    return MARL_OK;
}

void marl_mfg_load_policy(const marl_mfg_ws *ws, const marl_policy *policy,
                          double *pi) {
    if (!(policy->flags & MARL_POLICY_LOGITS)) {
        memcpy(pi, policy->values + policy->offset[0],
               ws->H * ws->SA * sizeof *pi);
        return;
    }
    for (size_t h = 0; h < ws->H; ++h)
        for (size_t s = 0; s < ws->S; ++s)
            marl_policy_probs_unchecked(policy, 0, h, s,
                                        pi + (h * ws->S + s) * ws->A);
}

void marl_mfg_store_policy(const marl_mfg_ws *ws, const double *pi,
                           marl_policy *policy) {
    memcpy(policy->values + policy->offset[0], pi,
           ws->H * ws->SA * sizeof *pi);
}

int marl_mfg_check_flow(const marl_mfg_ws *ws, const double *L,
                        const char *fn) {
    char what[160];
    for (size_t h = 0; h < ws->H; ++h) {
        const double *m = L + h * ws->SA;
        double sum = 0.0;
        int bad = 0;
        for (size_t k = 0; k < ws->SA; ++k) {
            if (!(m[k] >= 0.0) || !isfinite(m[k])) bad = 1;
            sum += m[k];
        }
        if (bad || fabs(sum - 1.0) > MARL_PROB_TOL) {
            snprintf(what, sizeof what, "%s: the flow at step %zu", fn, h);
            return marl_check_distribution(m, ws->SA, what);
        }
    }
    return MARL_OK;
}

int marl_mfg_induced_transition(const marl_population_data *d, const char *fn,
                                size_t h, size_t s, size_t a,
                                const double *mu, double *row, double *tmp) {
    const size_t S = d->S;
    if (d->symmetric || d->N == 1)
        return marl_population_call_transition(d, fn, 0, h, s, a, mu, row);
    for (size_t k = 0; k < S; ++k) row[k] = 0.0;
    for (size_t i = 0; i < d->N; ++i) {
        int rc = marl_population_call_transition(d, fn, i, h, s, a, mu, tmp);
        if (rc) return rc;
        for (size_t k = 0; k < S; ++k) row[k] += tmp[k];
    }
    const double inv = 1.0 / (double)d->N;
    for (size_t k = 0; k < S; ++k) row[k] *= inv;
    return MARL_OK;
}

int marl_mfg_induced_reward(const marl_population_data *d, const char *fn,
                            size_t h, size_t s, size_t a, const double *mu,
                            double *r) {
    if (d->symmetric || d->N == 1)
        return marl_population_call_reward(d, fn, 0, h, s, a, mu, r);
    double sum = 0.0, x = 0.0;
    for (size_t i = 0; i < d->N; ++i) {
        int rc = marl_population_call_reward(d, fn, i, h, s, a, mu, &x);
        if (rc) return rc;
        sum += x;
    }
    *r = sum / (double)d->N;
    return MARL_OK;
}

int marl_mfg_tables_step(marl_mfg_ws *ws, const char *fn, size_t h,
                         const double *mu) {
    const size_t S = ws->S, A = ws->A;
    const int with_p = h + 1 < ws->H;
    for (size_t s = 0; s < S; ++s)
        for (size_t a = 0; a < A; ++a) {
            const size_t k = (h * S + s) * A + a;
            int rc = marl_mfg_induced_reward(ws->d, fn, h, s, a, mu, ws->R + k);
            if (!rc && with_p)
                rc = marl_mfg_induced_transition(ws->d, fn, h, s, a, mu,
                                                 ws->P + k * S, ws->tmp);
            if (rc) return rc;
        }
    return MARL_OK;
}

int marl_mfg_tables_ws(marl_mfg_ws *ws, const char *fn, const double *L) {
    for (size_t h = 0; h < ws->H; ++h) {
        int rc = marl_mfg_tables_step(ws, fn, h, L + h * ws->SA);
        if (rc) return rc;
    }
    return MARL_OK;
}

void marl_mfg_gamma_ws(const marl_mfg_ws *ws, size_t h, const double *mu,
                       const double *pi_next, double *out) {
    const size_t S = ws->S, A = ws->A;
    double *m = ws->tmp; /* next state marginal */
    for (size_t k = 0; k < S; ++k) m[k] = 0.0;
    const double *P = ws->P + h * ws->SA * S;
    for (size_t sa = 0; sa < ws->SA; ++sa) {
        const double w = mu[sa];
        if (w == 0.0) continue;
        const double *row = P + sa * S;
        for (size_t k = 0; k < S; ++k) m[k] += w * row[k];
    }
    for (size_t s = 0; s < S; ++s)
        for (size_t a = 0; a < A; ++a)
            out[s * A + a] = m[s] * pi_next[s * A + a];
}

int marl_mfg_flow_ws(marl_mfg_ws *ws, const char *fn, const double *pi,
                     double *L) {
    const size_t S = ws->S, A = ws->A, SA = ws->SA;
    for (size_t s = 0; s < S; ++s)
        for (size_t a = 0; a < A; ++a)
            L[s * A + a] = ws->d->rho0[s] * pi[s * A + a];
    for (size_t h = 0; h < ws->H; ++h) {
        int rc = marl_mfg_tables_step(ws, fn, h, L + h * SA);
        if (rc) return rc;
        if (h + 1 < ws->H)
            marl_mfg_gamma_ws(ws, h, L + h * SA, pi + (h + 1) * SA,
                              L + (h + 1) * SA);
    }
    return MARL_OK;
}
