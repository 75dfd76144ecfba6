/*
 * Shared machinery of the mpg solver family (see mpg_common.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/mpg/mpg_common.h"

#include <string.h>

int marl_mpg_common_init(marl_mpg_common *c, marl_solver *solver,
                         const char *name) {
    marl_game *g = marl_solver_game(solver);
    memset(c, 0, sizeof *c);
    c->name = name;
    if (marl_game_kind(g) != MARL_GAME_MARKOV)
        return marl_error(MARL_EKIND, "%s: needs a Markov game, not a %s game",
                          name, marl_game_kind_name(marl_game_kind(g)));
    c->game = g;
    c->N = marl_game_num_agents(g);
    c->S = marl_game_num_states(g);
    c->gamma = marl_game_discount(g);
    if (c->N == 0 || c->N > MARL_MARKOV_MAX_AGENTS || c->S == 0)
        return marl_error(MARL_EINVAL, "%s: the game has %zu agents and %zu "
                          "states", name, c->N, c->S);
    for (size_t i = 0; i < c->N; ++i) {
        c->A[i] = marl_game_num_actions(g, i);
        c->aoff[i + 1] = c->aoff[i] + c->A[i];
        if (c->A[i] > c->Amax) c->Amax = c->A[i];
    }
    c->sumA = c->aoff[c->N];
    if (!marl_mul_size(c->S, c->sumA, &c->size))
        return marl_error(MARL_ERANGE, "%s: the policy table of %zu states "
                          "and %zu actions in all is too large", name, c->S,
                          c->sumA);
    int rc = marl_options_get_int(marl_solver_options(solver), "eval_every",
                                  &c->eval_every);
    if (rc != MARL_OK) return rc;
    c->vstar = NAN; /* only needed by the metrics: skipped if never due */
    if (c->eval_every > 0) {
        rc = marl_markov_optimal_welfare(g, &c->vstar, NULL);
        if (rc != MARL_OK) return rc;
    }
    c->has_potential = marl_markov_has_potential(g) == 1;
    return MARL_OK;
}

double *marl_mpg_table_new(const marl_mpg_common *c, const char *what) {
    double *x = marl_calloc(c->size, sizeof *x);
    if (!x) marl_error_nomem(what);
    return x;
}

int marl_mpg_policy_new(const marl_mpg_common *c, unsigned flags,
                        marl_policy **out) {
    return marl_policy_new(out, c->game, flags);
}

int marl_mpg_initial_probs(const marl_mpg_common *c, marl_solver *solver,
                           double *probs, int *given) {
    const marl_policy *init = marl_solver_initial_policy(solver);
    *given = 0;
    if (!init) return MARL_OK;
    if (marl_policy_flags(init) & MARL_POLICY_PER_STEP)
        return marl_error(MARL_EINVAL,
                          "%s: the initial policy is time-indexed; a "
                          "stationary policy is needed",
                          c->name);
    for (size_t i = 0; i < c->N; ++i)
        for (size_t s = 0; s < c->S; ++s) {
            int rc = marl_policy_get_row(
                init, i, 0, s, probs + marl_mpg_block(c, i) + s * c->A[i]);
            if (rc != MARL_OK) return rc;
        }
    *given = 1;
    return MARL_OK;
}

void marl_mpg_store_agent(const marl_mpg_common *c, marl_policy *pi,
                          size_t i, const double *table) {
    size_t t = marl_policy_table(pi, i);
    double *dst = pi->values + pi->offset[t];
    memcpy(dst, table + marl_mpg_block(c, i), c->S * c->A[i] * sizeof *dst);
}

void marl_mpg_store(const marl_mpg_common *c, marl_policy *pi,
                    const double *table) {
    for (size_t i = 0; i < c->N; ++i)
        marl_mpg_store_agent(c, pi, i, table);
}

void marl_mpg_softmax_table(const marl_mpg_common *c, const double *theta,
                            double *probs) {
    for (size_t i = 0; i < c->N; ++i) {
        size_t b = marl_mpg_block(c, i);
        for (size_t s = 0; s < c->S; ++s)
            marl_softmax(theta + b + s * c->A[i], c->A[i],
                         probs + b + s * c->A[i]);
    }
}

void marl_mpg_log_table(const marl_mpg_common *c, const double *probs,
                        double *logp) {
    for (size_t k = 0; k < c->size; ++k)
        logp[k] = probs[k] > 0.0 ? log(probs[k]) : -HUGE_VAL;
}

int marl_mpg_mw_row(const double *logp, const double *adv, size_t n,
                    double eta, double *out, double *p) {
    double m = -HUGE_VAL;
    for (size_t a = 0; a < n; ++a) {
        out[a] = logp[a] + eta * adv[a];
        if (out[a] > m) m = out[a];
    }
    if (!isfinite(m)) return -1;
    double z = 0.0;
    for (size_t a = 0; a < n; ++a)
        z += exp(out[a] - m);
    double lz = m + log(z);
    for (size_t a = 0; a < n; ++a) {
        out[a] -= lz;
        p[a] = exp(out[a]);
    }
    return 0;
}

int marl_mpg_metrics(marl_mpg_common *c, const marl_policy *pi, size_t k,
                     double *m) {
    marl_mpg_common *acc = c;
    if (acc->gap_k > 0 && acc->gap_k <= acc->t) { /* committed: fold in */
        acc->gap_sum += acc->gap_pending;
        acc->gap_n++;
        acc->gap_k = 0;
    }
    for (int q = 0; q < MARL_MPG_N_COMMON; ++q)
        m[q] = NAN;
    if (!marl_mpg_eval_due(c, k)) {
        if (acc->gap_n > 0)
            m[MARL_MPG_M_NASH_REGRET] = acc->gap_sum / (double)acc->gap_n;
        return MARL_OK;
    }
    double gap, welfare, phi = NAN;
    int rc = marl_markov_nash_gap(c->game, pi, &gap, NULL);
    if (rc == MARL_OK) rc = marl_markov_welfare(c->game, pi, &welfare);
    if (rc == MARL_OK && c->has_potential)
        rc = marl_markov_potential_value(c->game, pi, &phi, NULL);
    if (rc != MARL_OK) return rc;
    m[MARL_MPG_M_NASH_GAP] = gap;
    m[MARL_MPG_M_POTENTIAL] = phi;
    m[MARL_MPG_M_WELFARE] = welfare;
    m[MARL_MPG_M_POA] = c->vstar > 0.0 ? welfare / c->vstar : NAN;
    m[MARL_MPG_M_NASH_REGRET] =
        (acc->gap_sum + gap) / (double)(acc->gap_n + 1);
    acc->gap_pending = gap;
    acc->gap_k = k;
    return MARL_OK;
}

int marl_mpg_start(const marl_mpg_common *c, marl_solver *solver,
                   marl_policy *pi, double *probs, const double *zeros) {
    int given = 0;
    int rc = marl_mpg_initial_probs(c, solver, probs, &given);
    if (rc != MARL_OK) return rc;
    if (given) marl_mpg_store(c, pi, probs);
    else marl_mpg_softmax_table(c, zeros, probs);
    return MARL_OK;
}
