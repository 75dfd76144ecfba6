/*
 * `mfg-omd`: online mirror descent (Perolat et al. 2021) on the exact
 * induced MFG, exactly as MFGLib's OnlineMirrorDescent defines it
 * (ALGORITHMS.md §2):
 *   y_0 = 0, pi_0 = the initial policy (default uniform); each step
 *   L = Lambda(pi), Q = Q^pi under L (unregularised, finite horizon),
 *   y <- y + alpha Q,  pi_h(.|s) = softmax(y_h(s, .)).
 * Option alpha (default 1.0, MFGLib's default). Metric: the exact MFG
 * exploitability of the new policy. The flow and Q computed for the
 * exploitability of pi_t are reused by step t + 1 (one flow per step).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/meanfield/exact/exact_common.h"

#include <math.h>
#include <string.h>

static const char NAME[] = "mfg-omd";

static const char *const omd_metric_names[1] = {"exploitability"};

static const marl_option_def omd_options[] = {
    {"alpha", MARL_OPTION_REAL, "learning rate (>= 0; MFGLib default 1.0)", 0,
     0, 0, 1.0, 0.0, HUGE_VAL, NULL, NULL},
};

typedef struct omd_state {
    marl_mfgx c;
    double alpha;
    double *y, *y_next; /* [H*SA] */
} omd_state;

static void omd_destroy(void *state) {
    omd_state *st = state;
    if (!st) return;
    marl_mfgx_free(&st->c);
    marl_free(st->y);
    marl_free(st->y_next);
    marl_free(st);
}

static int omd_create(marl_solver *solver, void **out) {
    omd_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the mfg-omd state");
    int rc = marl_options_get_real(marl_solver_options(solver), "alpha",
                                   &st->alpha);
    if (!rc) rc = marl_mfgx_init(&st->c, solver, NAME);
    if (!rc) {
        st->y = marl_calloc(st->c.n, sizeof *st->y);
        st->y_next = marl_calloc(st->c.n, sizeof *st->y_next);
        if (!st->y || !st->y_next) rc = marl_error_nomem("the mfg-omd state");
    }
    if (rc) {
        omd_destroy(st);
        return rc;
    }
    *out = st;
    return MARL_OK;
}

static int omd_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    omd_state *st = state;
    marl_mfgx *c = &st->c;
    int rc = marl_mfgx_evaluate(c);
    if (rc) return rc;
    const double *Q = c->ws->Q;
    const size_t A = c->ws->A, rows = c->ws->H * c->ws->S;
    for (size_t k = 0; k < c->n; ++k) st->y_next[k] = st->y[k] + st->alpha * Q[k];
    for (size_t r = 0; r < rows; ++r) {
        const double *y = st->y_next + r * A;
        double *p = c->next + r * A;
        double m = y[0], sum = 0.0;
        for (size_t a = 1; a < A; ++a)
            if (y[a] > m) m = y[a];
        for (size_t a = 0; a < A; ++a) sum += (p[a] = exp(y[a] - m));
        for (size_t a = 0; a < A; ++a) p[a] /= sum;
        if (!isfinite(m))
            return marl_error(MARL_ERANGE,
                              "%s: the dual variable of step %zu, state %zu "
                              "is not finite (reduce alpha)", NAME,
                              r / c->ws->S, r % c->ws->S);
    }
    rc = marl_mfgx_finish_step(c, metrics);
    if (rc) return rc;
    double *t = st->y;
    st->y = st->y_next;
    st->y_next = t;
    return MARL_OK;
}

static const marl_policy *omd_policy(const void *state) {
    return ((const omd_state *)state)->c.pol;
}

const marl_solver_type marl_solver_mfg_omd = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "online mirror descent on the exact induced mean-field game, "
               "as MFGLib defines it (Perolat et al. 2021)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_POPULATION),
    .options = omd_options,
    .n_options = sizeof omd_options / sizeof omd_options[0],
    .metric_names = omd_metric_names,
    .n_metrics = 1,
    .primary_metric = 0,
    .create = omd_create,
    .step = omd_step,
    .policy = omd_policy,
    .destroy = omd_destroy,
};
