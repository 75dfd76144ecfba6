/*
 * The public exact mean-field functions of meanfield.h. Each call checks its
 * arguments, works in its own workspace and writes its outputs only on
 * success.
 * SPDX-License-Identifier: MIT
 */
#include "metrics/population/mfg_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_mu(const marl_population_data *d, const double *mu,
                    const char *fn) {
    if (!mu) return marl_error(MARL_EINVAL, "%s: mu is NULL", fn);
    char what[128];
    snprintf(what, sizeof what, "%s: mu", fn);
    return marl_check_distribution(mu, d->S * d->A, what);
}

static int check_sa(const marl_population_data *d, size_t step, size_t state,
                    size_t action, const char *fn) {
    if (step >= d->H)
        return marl_error(MARL_ERANGE, "%s: step %zu out of range (horizon "
                          "%zu)", fn, step, d->H);
    if (state >= d->S)
        return marl_error(MARL_ERANGE, "%s: state %zu out of range (S = %zu)",
                          fn, state, d->S);
    if (action >= d->A)
        return marl_error(MARL_ERANGE, "%s: action %zu out of range (A = "
                          "%zu)", fn, action, d->A);
    return MARL_OK;
}

int marl_mfg_transition(const marl_game *game, size_t step, size_t state,
                        size_t action, const double *mu, double *row) {
    const char *fn = "marl_mfg_transition";
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    const marl_population_data *d = marl_population_of(game);
    if ((rc = check_sa(d, step, state, action, fn))) return rc;
    if ((rc = check_mu(d, mu, fn))) return rc;
    if (!row) return marl_error(MARL_EINVAL, "%s: row is NULL", fn);
    double *buf = marl_calloc(2 * d->S, sizeof *buf);
    if (!buf) return marl_error_nomem("a transition row");
    rc = marl_mfg_induced_transition(d, fn, step, state, action, mu, buf,
                                     buf + d->S);
    if (!rc) memcpy(row, buf, d->S * sizeof *row);
    marl_free(buf);
    return rc;
}

int marl_mfg_reward(const marl_game *game, size_t step, size_t state,
                    size_t action, const double *mu, double *reward) {
    const char *fn = "marl_mfg_reward";
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    const marl_population_data *d = marl_population_of(game);
    if ((rc = check_sa(d, step, state, action, fn))) return rc;
    if ((rc = check_mu(d, mu, fn))) return rc;
    if (!reward) return marl_error(MARL_EINVAL, "%s: reward is NULL", fn);
    return marl_mfg_induced_reward(d, fn, step, state, action, mu, reward);
}

int marl_mfg_gamma(const marl_game *game, const marl_policy *policy,
                   size_t step, const double *mu, double *out) {
    const char *fn = "marl_mfg_gamma";
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    const marl_population_data *d = marl_population_of(game);
    if ((rc = marl_mfg_check_policy(game, policy, fn))) return rc;
    if (step + 1 >= d->H)
        return marl_error(MARL_ERANGE,
                          "%s: step %zu has no successor (horizon %zu)", fn,
                          step, d->H);
    if ((rc = check_mu(d, mu, fn))) return rc;
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    const size_t S = d->S, A = d->A;
    double *buf = marl_calloc(3 * S + A, sizeof *buf);
    if (!buf) return marl_error_nomem("the Gamma workspace");
    double *m = buf, *row = buf + S, *tmp = buf + 2 * S, *p = buf + 3 * S;
    for (size_t s = 0; s < S && !rc; ++s)
        for (size_t a = 0; a < A && !rc; ++a) {
            rc = marl_mfg_induced_transition(d, fn, step, s, a, mu, row, tmp);
            for (size_t k = 0; k < S && !rc; ++k) m[k] += mu[s * A + a] * row[k];
        }
    if (!rc)
        for (size_t s = 0; s < S; ++s) {
            marl_policy_probs_unchecked(policy, 0, step + 1, s, p);
            for (size_t a = 0; a < A; ++a) out[s * A + a] = m[s] * p[a];
        }
    marl_free(buf);
    return rc;
}

/* Workspace with the policy loaded (policy may be NULL: not loaded). */
static int setup(const marl_game *game, const marl_policy *policy,
                 const char *fn, marl_mfg_ws **ws) {
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    if (policy && (rc = marl_mfg_check_policy(game, policy, fn))) return rc;
    if ((rc = marl_mfg_ws_new(ws, game, fn))) return rc;
    if (policy) marl_mfg_load_policy(*ws, policy, (*ws)->pi);
    return MARL_OK;
}

/* Tables at L (checked) or at the policy's own flow (L == NULL). */
static int tables(marl_mfg_ws *ws, const double *L, const char *fn) {
    if (!L) return marl_mfg_flow_ws(ws, fn, ws->pi, ws->L);
    int rc = marl_mfg_check_flow(ws, L, fn);
    if (!rc) rc = marl_mfg_tables_ws(ws, fn, L);
    return rc;
}

int marl_mfg_flow(const marl_game *game, const marl_policy *policy,
                  double *L) {
    const char *fn = "marl_mfg_flow";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!L) return marl_error(MARL_EINVAL, "%s: L is NULL", fn);
    marl_mfg_ws *ws = NULL;
    int rc = setup(game, policy, fn, &ws);
    if (rc) return rc;
    rc = marl_mfg_flow_ws(ws, fn, ws->pi, ws->L);
    if (!rc) memcpy(L, ws->L, ws->H * ws->SA * sizeof *L);
    marl_mfg_ws_free(ws);
    return rc;
}

int marl_mfg_q(const marl_game *game, const marl_policy *policy,
               const double *L, double tau, double *Q) {
    const char *fn = "marl_mfg_q";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!Q) return marl_error(MARL_EINVAL, "%s: Q is NULL", fn);
    if (!isfinite(tau) || tau < 0.0)
        return marl_error(MARL_EINVAL, "%s: tau = %g is not a finite number "
                          ">= 0", fn, tau);
    marl_mfg_ws *ws = NULL;
    int rc = setup(game, policy, fn, &ws);
    if (rc) return rc;
    rc = tables(ws, L, fn);
    if (!rc) {
        marl_mfg_q_ws(ws, ws->pi, tau, ws->Q);
        memcpy(Q, ws->Q, ws->H * ws->SA * sizeof *Q);
    }
    marl_mfg_ws_free(ws);
    return rc;
}

int marl_mfg_value(const marl_game *game, const marl_policy *policy,
                   const double *L, double *value) {
    const char *fn = "marl_mfg_value";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!value) return marl_error(MARL_EINVAL, "%s: value is NULL", fn);
    marl_mfg_ws *ws = NULL;
    int rc = setup(game, policy, fn, &ws);
    if (rc) return rc;
    rc = tables(ws, L, fn);
    if (!rc) {
        marl_mfg_q_ws(ws, ws->pi, 0.0, ws->Q);
        *value = marl_mfg_value0(ws, ws->pi, ws->Q);
    }
    marl_mfg_ws_free(ws);
    return rc;
}

int marl_mfg_best_response(const marl_game *game, const double *L,
                           marl_policy *br, double *value) {
    const char *fn = "marl_mfg_best_response";
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    if (!L) return marl_error(MARL_EINVAL, "%s: L is NULL", fn);
    if (br) {
        if ((rc = marl_mfg_check_policy(game, br, fn))) return rc;
        if (br->flags & MARL_POLICY_LOGITS)
            return marl_error(MARL_EINVAL, "%s: br is a LOGITS policy, which "
                              "cannot be deterministic", fn);
    }
    marl_mfg_ws *ws = NULL;
    if ((rc = setup(game, NULL, fn, &ws))) return rc;
    rc = tables(ws, L, fn);
    if (!rc) {
        marl_mfg_qopt_ws(ws, ws->Qo);
        if (value) *value = marl_mfg_optvalue0(ws, ws->Qo);
        if (br) {
            const size_t A = ws->A;
            for (size_t k = 0; k < ws->H * ws->S; ++k) {
                const double *q = ws->Qo + k * A;
                size_t best = 0;
                for (size_t a = 1; a < A; ++a)
                    if (q[a] > q[best]) best = a;
                for (size_t a = 0; a < A; ++a)
                    ws->pi[k * A + a] = a == best ? 1.0 : 0.0;
            }
            marl_mfg_store_policy(ws, ws->pi, br);
        }
    }
    marl_mfg_ws_free(ws);
    return rc;
}

int marl_mfg_exploitability(const marl_game *game, const marl_policy *policy,
                            double *exploitability) {
    const char *fn = "marl_mfg_exploitability";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!exploitability)
        return marl_error(MARL_EINVAL, "%s: exploitability is NULL", fn);
    marl_mfg_ws *ws = NULL;
    int rc = setup(game, policy, fn, &ws);
    if (rc) return rc;
    double e = 0.0;
    rc = marl_mfg_exploitability_ws(ws, fn, ws->pi, &e);
    if (!rc) *exploitability = e;
    marl_mfg_ws_free(ws);
    return rc;
}
