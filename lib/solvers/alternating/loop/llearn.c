/*
 * `alternating-llearn` (L-LEARN; ALGORITHMS.md §4, seed 004 Alg. 2 and
 * §3.2 "Offline Learning (II)"): the local agents' best response to the
 * fixed global policy pi_g on the mean-field surrogate MDP of one
 * representative local agent (llearn_core.h, meanfield_flow.h).
 *
 * One step = one complete best response: pi_l <- BR(pi_g; the others play
 * the current pi_l), pi_g unchanged. Starting pair: the policy given by
 * marl_alternating_set_policy, else uniform. A second step responds to the
 * updated pi_l (the population moves with it), so repeated steps iterate
 * the local agents' mean-field best-response map; the step returns
 * MARL_CONVERGED when pi_l did not change (metric "change" = 0).
 * Option llearn = chained replaces the surrogate by the seed's k-replica
 * chained MDP solved exactly (chained.h); every replica plays the learned
 * policy, so the result depends on pi_g only.
 * SPDX-License-Identifier: MIT
 */
#include "core/options_internal.h"
#include "solvers/alternating/glearn/alt_common.h"
#include "solvers/alternating/loop/alt_model.h"
#include "solvers/alternating/loop/chained.h"
#include "solvers/alternating/loop/llearn_core.h"
#include "solvers/alternating/loop/llearn_options.h"

#include <math.h>
#include <string.h>

static const char NAME[] = "alternating-llearn";

enum { M_VALUE, M_CHANGE, M_SWEEPS, M_RESIDUAL, M_FLOW_STEPS, M_FLOW_RES,
       N_METRICS };
static const char *const ll_metric_names[N_METRICS] = {
    "value", "change", "sweeps", "residual", "flow_steps", "flow_residual"};

static const marl_option_def ll_options[] = {
    {"k", MARL_OPTION_INT, "number k of sampled local agents (1..n)", 4, 1,
     1000000, 0, 0, 0, NULL, NULL},
    MARL_ALT_OPT_POPULATION("population"),
    MARL_ALT_OPT_FLOW_HORIZON("horizon"),
    MARL_ALT_OPT_FLOW_TOL("flow_tol"),
    MARL_ALT_OPT_VI_TOL("tol"),
    MARL_ALT_OPT_VI_SWEEPS("max_sweeps"),
    MARL_ALT_OPT_TEMPERATURE("temperature"),
    MARL_ALT_OPT_LLEARN("llearn"),
};
enum { OPT_K, OPT_POP, OPT_HOR, OPT_FTOL, OPT_TOL, OPT_SWEEPS, OPT_TEMP,
       OPT_LLEARN };

typedef struct ll_state {
    marl_alt_header hdr; /* first member (alt_common.h) */
    marl_alt_model model;
    marl_alt_llearn_opts opts;
    marl_alt_llearn *ws;
    marl_alt_chain *chain; /* llearn = chained, else NULL */
    double *mu0;  /* [S_l] */
    double *next; /* [S_l * S_g * A_l] */
} ll_state;

static void ll_destroy(void *state) {
    ll_state *st = state;
    if (!st) return;
    marl_gl_policy_free(st->hdr.policy);
    marl_alt_llearn_free(st->ws);
    marl_alt_chain_free(st->chain);
    marl_free(st->mu0);
    marl_free(st->next);
    marl_free(st);
}

static int ll_create(marl_solver *solver, void **out) {
    const marl_options *o = marl_solver_options(solver);
    marl_game *game = marl_solver_game(solver);
    const marl_gl_data *d = marl_gl_of(game);
    if (!d) return marl_error(MARL_EKIND, "%s: not a global-local game", NAME);
    size_t k = (size_t)marl_options_int_at(o, OPT_K);
    if (k > d->n)
        return marl_error(MARL_EINVAL, "%s: option k = %zu exceeds n = %zu",
                          NAME, k, d->n);
    ll_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the alternating-llearn state");
    int rc = marl_alt_initial_policy(solver, k, NAME, &st->hdr.policy);
    if (rc == MARL_OK) {
        st->mu0 = marl_calloc(d->Sl, sizeof *st->mu0);
        st->next = st->mu0 ? marl_calloc(d->Sl * d->Sg * d->Al,
                                         sizeof *st->next)
                           : NULL;
        if (!st->next) rc = marl_error_nomem("the alternating-llearn state");
    }
    if (rc == MARL_OK) {
        marl_alt_model_of(&st->model, d, marl_game_discount(game), k,
                          st->hdr.policy->C, st->mu0);
        rc = marl_alt_llearn_new(&st->ws, &st->model, NAME);
    }
    if (rc == MARL_OK &&
        marl_options_int_at(o, OPT_LLEARN) == MARL_ALT_LLEARN_CHAINED)
        rc = marl_alt_chain_new(&st->chain, &st->model, d->conc, NAME);
    if (rc != MARL_OK) {
        ll_destroy(st);
        return rc;
    }
    st->opts.population = (int)marl_options_int_at(o, OPT_POP);
    st->opts.horizon = (size_t)marl_options_int_at(o, OPT_HOR);
    st->opts.flow_tol = marl_options_real_at(o, OPT_FTOL);
    st->opts.tol = marl_options_real_at(o, OPT_TOL);
    st->opts.max_sweeps = (size_t)marl_options_int_at(o, OPT_SWEEPS);
    st->opts.temperature = marl_options_real_at(o, OPT_TEMP);
    *out = st;
    return MARL_OK;
}

static int ll_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    ll_state *st = state;
    marl_gl_policy *p = st->hdr.policy;
    marl_alt_llearn_info info;
    if (st->chain) {
        marl_alt_chain_info ci;
        marl_alt_chain_solve(st->chain, p->pg, st->opts.temperature,
                             st->next, &ci);
        info.value = ci.value;
        info.sweeps = ci.policies;
        info.residual = NAN;
        info.flow_steps = 0;
        info.flow_residual = NAN;
    } else {
        marl_alt_llearn_run(st->ws, &st->model, &st->opts, p->pg, p->pl,
                            st->next, &info);
    }
    const size_t n = p->Sl * p->Sg * p->Al;
    double change = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double dlt = fabs(st->next[i] - p->pl[i]);
        if (dlt > change) change = dlt;
    }
    memcpy(p->pl, st->next, n * sizeof *p->pl);
    metrics[M_VALUE] = info.value;
    metrics[M_CHANGE] = change;
    metrics[M_SWEEPS] = (double)info.sweeps;
    metrics[M_RESIDUAL] = info.residual;
    metrics[M_FLOW_STEPS] = (double)info.flow_steps;
    metrics[M_FLOW_RES] = info.flow_residual;
    return change == 0.0 ? MARL_CONVERGED : MARL_OK;
}

static const marl_policy *ll_policy(const void *state) {
    (void)state;
    return NULL; /* see marl_alternating_policy */
}

const marl_solver_type marl_solver_alternating_llearn = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "L-LEARN: local agents' best response on the mean-field "
               "surrogate MDP of a representative agent (seed 004, Alg. 2)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_GLOBAL_LOCAL),
    .options = ll_options,
    .n_options = sizeof ll_options / sizeof ll_options[0],
    .metric_names = ll_metric_names,
    .n_metrics = N_METRICS,
    .primary_metric = M_CHANGE,
    .create = ll_create,
    .step = ll_step,
    .policy = ll_policy,
    .destroy = ll_destroy,
};
