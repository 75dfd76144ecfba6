/*
 * Projected ascent on the simplex with exact averaged Q-values
 * (ALGORITHMS.md §1), two solver types sharing one update:
 *
 * `mpg-projected-pg` (Leonardos, Overman, Panageas, Piliouras 2022; the
 * baseline named in seed 002): the exact policy gradient in the direct
 * parameterisation, dV_i(mu)/dpi_i(a_i|s) = d_mu(s) Qbar_i(s,a_i) with the
 * unnormalised visitation d_mu:
 *   pi_i(.|s) <- P_simplex(pi_i(.|s) + eta d_mu(s) Qbar_i(s,.)).
 * Option eta (default 0.1).
 *
 * `mpg-q-ascent` (seed 002, independent Q-ascent, no visitation weight):
 *   pi_i(.|s) <- P_simplex(pi_i(.|s) + alpha Qbar_i(s,.)).
 * Option alpha (default 0.1).
 *
 * All players and states move at once. P_simplex is the Euclidean
 * projection (marl_simplex_project). Initialisation: the user initial
 * policy if set, else uniform.
 * SPDX-License-Identifier: MIT
 */
#include "policy/simplex.h"
#include "metrics/markov_metrics.h"
#include "solvers/mpg/mpg_common.h"

#include <string.h>

static const char *const pa_metric_names[MARL_MPG_N_COMMON] = {
    MARL_MPG_COMMON_METRIC_NAMES};

static const marl_option_def ppg_options[] = {
    {"eta", MARL_OPTION_REAL, "step size (>= 0)", 0, 0, 0, 0.1, 0.0, HUGE_VAL,
     NULL, NULL},
    MARL_MPG_OPTION_EVAL_EVERY,
};

static const marl_option_def qa_options[] = {
    {"alpha", MARL_OPTION_REAL, "step size (>= 0)", 0, 0, 0, 0.1, 0.0,
     HUGE_VAL, NULL, NULL},
    MARL_MPG_OPTION_EVAL_EVERY,
};

typedef struct pa_state {
    marl_mpg_common c;
    int weighted;  /* 1: projected-pg (d_mu weight), 0: q-ascent */
    double step;   /* eta or alpha */
    marl_policy *pi, *next;
    double *x, *x_next, *Qbar, *d, *work;
    marl_markov_ctx *ev; /* exact evaluation workspace, reused */
} pa_state;

static void pa_destroy(void *state) {
    pa_state *st = state;
    if (!st) return;
    marl_policy_free(st->pi);
    marl_policy_free(st->next);
    marl_free(st->x);
    marl_free(st->x_next);
    marl_free(st->Qbar);
    marl_free(st->d);
    marl_free(st->work);
    marl_markov_ctx_free(st->ev);
    marl_free(st);
}

static int pa_create(marl_solver *solver, void **out, int weighted,
                     const char *name, const char *step_name) {
    pa_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the projected-ascent state");
    st->weighted = weighted;
    int rc = marl_mpg_common_init(&st->c, solver, name);
    if (rc == MARL_OK)
        rc = marl_options_get_real(marl_solver_options(solver), step_name,
                                   &st->step);
    if (rc == MARL_OK) {
        st->x = marl_mpg_table_new(&st->c, "the policy table");
        st->x_next = st->x ? marl_mpg_table_new(&st->c, "policy") : NULL;
        st->Qbar = st->x_next ? marl_mpg_table_new(&st->c, "Q-values") : NULL;
        st->d = st->Qbar ? marl_calloc(st->c.S, sizeof *st->d) : NULL;
        st->work = st->d ? marl_calloc(st->c.Amax, sizeof *st->work) : NULL;
        if (!st->work) rc = marl_error_nomem("the projected-ascent workspace");
    }
    if (rc == MARL_OK) rc = marl_markov_ctx_new(&st->ev, st->c.game, name);
    if (rc == MARL_OK) rc = marl_mpg_policy_new(&st->c, 0, &st->pi);
    if (rc == MARL_OK) rc = marl_mpg_policy_new(&st->c, 0, &st->next);
    if (rc == MARL_OK)
        rc = marl_mpg_start(&st->c, solver, st->pi, st->x, st->x_next);
    if (rc != MARL_OK) {
        pa_destroy(st);
        return rc;
    }
    *out = st;
    return MARL_OK;
}

static int ppg_create(marl_solver *solver, void **out) {
    return pa_create(solver, out, 1, "mpg-projected-pg", "eta");
}
static int qa_create(marl_solver *solver, void **out) {
    return pa_create(solver, out, 0, "mpg-q-ascent", "alpha");
}

static int pa_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    pa_state *st = state;
    const marl_mpg_common *c = &st->c;
    int rc = marl_markov_ctx_eval(st->ev, st->pi, st->Qbar, NULL, NULL,
                                  st->weighted ? st->d : NULL);
    if (rc != MARL_OK) return rc;
    for (size_t i = 0; i < c->N; ++i)
        for (size_t s = 0; s < c->S; ++s) {
            size_t off = marl_mpg_block(c, i) + s * c->A[i];
            double w = st->weighted ? st->step * st->d[s] : st->step;
            double *v = st->x_next + off;
            for (size_t a = 0; a < c->A[i]; ++a) {
                v[a] = st->x[off + a] + w * st->Qbar[off + a];
                if (!isfinite(v[a]))
                    return marl_error(MARL_ERANGE,
                                      "%s: the ascent step of agent %zu, "
                                      "state %zu is not finite (reduce the "
                                      "step size)",
                                      c->name, i, s);
            }
            marl_simplex_project(v, c->A[i], v, st->work);
        }
    marl_mpg_store(c, st->next, st->x_next);
    rc = marl_mpg_metrics(&st->c, st->next, c->t + 1, metrics);
    if (rc != MARL_OK) return rc;
    marl_policy *tp = st->pi;
    st->pi = st->next;
    st->next = tp;
    double *tx = st->x;
    st->x = st->x_next;
    st->x_next = tx;
    st->c.t++;
    return MARL_OK;
}

static const marl_policy *pa_policy(const void *state) {
    return ((const pa_state *)state)->pi;
}

const marl_solver_type marl_solver_mpg_projected_pg = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "mpg-projected-pg",
    .summary = "independent projected policy gradient with visitation "
               "weighting, exact gradients (Leonardos et al. 2022; baseline "
               "of seed 002)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = ppg_options,
    .n_options = sizeof ppg_options / sizeof ppg_options[0],
    .metric_names = pa_metric_names,
    .n_metrics = MARL_MPG_N_COMMON,
    .primary_metric = MARL_MPG_M_NASH_GAP,
    .create = ppg_create,
    .step = pa_step,
    .policy = pa_policy,
    .destroy = pa_destroy,
};

const marl_solver_type marl_solver_mpg_q_ascent = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "mpg-q-ascent",
    .summary = "independent projected Q-ascent with exact averaged Q-values, "
               "no visitation weight (seed 002)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = qa_options,
    .n_options = sizeof qa_options / sizeof qa_options[0],
    .metric_names = pa_metric_names,
    .n_metrics = MARL_MPG_N_COMMON,
    .primary_metric = MARL_MPG_M_NASH_GAP,
    .create = qa_create,
    .step = pa_step,
    .policy = pa_policy,
    .destroy = pa_destroy,
};
