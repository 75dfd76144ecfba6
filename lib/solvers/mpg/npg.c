/*
 * `mpg-npg`: independent natural policy gradient, i.e. soft policy
 * iteration for every player at once (seed 003, Lemma 3.7; ALGORITHMS.md
 * §1):
 *   pi_i(a_i|s) <- pi_i(a_i|s) exp(eta Abar_i(s,a_i)) / Z_i(s).
 * Computed in log space (log pi += eta Abar, then log-sum-exp
 * normalisation), so the update is stable for any advantage scale and exact
 * zeros of a user initial policy stay zero. Option eta (default 0.1, the
 * learning rate of seed 003's experiments).
 *
 * Initialisation: the user initial policy if set, else uniform.
 * SPDX-License-Identifier: MIT
 */
#include "metrics/markov_metrics.h"
#include "solvers/mpg/mpg_common.h"

#include <string.h>

static const char NAME[] = "mpg-npg";

static const char *const npg_metric_names[MARL_MPG_N_COMMON] = {
    MARL_MPG_COMMON_METRIC_NAMES};

static const marl_option_def npg_options[] = {
    {"eta", MARL_OPTION_REAL, "step size (>= 0)", 0, 0, 0, 0.1, 0.0, HUGE_VAL,
     NULL, NULL},
    MARL_MPG_OPTION_EVAL_EVERY,
};

typedef struct npg_state {
    marl_mpg_common c;
    double eta;
    marl_policy *pi, *next; /* direct policies: current iterate, scratch */
    double *logp, *logp_next, *probs, *Abar;
    marl_markov_ctx *ev; /* exact evaluation workspace, reused */
} npg_state;

static void npg_destroy(void *state) {
    npg_state *st = state;
    if (!st) return;
    marl_policy_free(st->pi);
    marl_policy_free(st->next);
    marl_free(st->logp);
    marl_free(st->logp_next);
    marl_free(st->probs);
    marl_free(st->Abar);
    marl_markov_ctx_free(st->ev);
    marl_free(st);
}

static int npg_create(marl_solver *solver, void **out) {
    npg_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the mpg-npg state");
    int rc = marl_mpg_common_init(&st->c, solver, NAME);
    if (rc == MARL_OK)
        rc = marl_options_get_real(marl_solver_options(solver), "eta",
                                   &st->eta);
    if (rc == MARL_OK) {
        st->logp = marl_mpg_table_new(&st->c, "the log-policy");
        st->logp_next = st->logp ? marl_mpg_table_new(&st->c, "log-policy")
                                 : NULL;
        st->probs = st->logp_next ? marl_mpg_table_new(&st->c, "policy")
                                  : NULL;
        st->Abar = st->probs ? marl_mpg_table_new(&st->c, "advantages")
                             : NULL;
        if (!st->Abar) rc = MARL_ENOMEM;
    }
    if (rc == MARL_OK) rc = marl_markov_ctx_new(&st->ev, st->c.game, NAME);
    if (rc == MARL_OK) rc = marl_mpg_policy_new(&st->c, 0, &st->pi);
    if (rc == MARL_OK) rc = marl_mpg_policy_new(&st->c, 0, &st->next);
    if (rc == MARL_OK)
        rc = marl_mpg_start(&st->c, solver, st->pi, st->probs, st->logp);
    if (rc != MARL_OK) {
        npg_destroy(st);
        return rc;
    }
    marl_mpg_log_table(&st->c, st->probs, st->logp);
    *out = st;
    return MARL_OK;
}

static int npg_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    npg_state *st = state;
    const marl_mpg_common *c = &st->c;
    int rc = marl_markov_ctx_eval(st->ev, st->pi, NULL, st->Abar, NULL, NULL);
    if (rc != MARL_OK) return rc;
    for (size_t i = 0; i < c->N; ++i)
        for (size_t s = 0; s < c->S; ++s) {
            size_t off = marl_mpg_block(c, i) + s * c->A[i];
            if (marl_mpg_mw_row(st->logp + off, st->Abar + off, c->A[i],
                                st->eta, st->logp_next + off,
                                st->probs + off) != 0)
                return marl_error(MARL_ERANGE,
                                  "%s: the update of agent %zu, state %zu "
                                  "is not finite (reduce eta)",
                                  NAME, i, s);
        }
    marl_mpg_store(c, st->next, st->probs);
    rc = marl_mpg_metrics(&st->c, st->next, c->t + 1, metrics);
    if (rc != MARL_OK) return rc;
    marl_policy *tp = st->pi;
    st->pi = st->next;
    st->next = tp;
    double *tl = st->logp;
    st->logp = st->logp_next;
    st->logp_next = tl;
    st->c.t++;
    return MARL_OK;
}

static const marl_policy *npg_policy(const void *state) {
    return ((const npg_state *)state)->pi;
}

const marl_solver_type marl_solver_mpg_npg = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "independent natural policy gradient / soft policy iteration "
               "with exact advantages (seed 003, Lemma 3.7)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = npg_options,
    .n_options = sizeof npg_options / sizeof npg_options[0],
    .metric_names = npg_metric_names,
    .n_metrics = MARL_MPG_N_COMMON,
    .primary_metric = MARL_MPG_M_NASH_GAP,
    .create = npg_create,
    .step = npg_step,
    .policy = npg_policy,
    .destroy = npg_destroy,
};
