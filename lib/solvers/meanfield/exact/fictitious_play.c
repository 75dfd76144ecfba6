/*
 * `mfg-fictitious-play`: damped fictitious play (Perrin et al. 2020) on the
 * exact induced MFG, exactly as MFGLib's FictitiousPlay defines it
 * (ALGORITHMS.md §2): each step i = 0, 1, ...
 *   L = Lambda(pi); pi_br = greedy policy of the optimal Q under L, uniform
 *   over the exactly tied maxima; L_br = Lambda(pi_br);
 *   m_h(s) = sum_a L_h(s, a), m^br likewise;
 *   pi <- ((1 - a_i) m pi + a_i m^br pi_br) / ((1 - a_i) m + a_i m^br)
 *   per (h, s, a), uniform (1/A) where the quotient is 0/0;
 *   a_i = alpha if alpha > 0, else 1 / (i + 2).
 * Option alpha in [0, 1] (default 0, MFGLib's default). Metric: the exact
 * MFG exploitability of the new policy. The optimal Q under Lambda(pi_t)
 * computed for the exploitability is reused by step t + 1.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/meanfield/exact/exact_common.h"

#include <math.h>
#include <string.h>

static const char NAME[] = "mfg-fictitious-play";

static const char *const fp_metric_names[1] = {"exploitability"};

static const marl_option_def fp_options[] = {
    {"alpha", MARL_OPTION_REAL,
     "damping in [0, 1]; 0 = 1/(i+2) at step i (MFGLib default 0)", 0, 0, 0,
     0.0, 0.0, 1.0, NULL, NULL},
};

typedef struct fp_state {
    marl_mfgx c;
    double alpha;
    double *br;  /* [H*SA] greedy policy */
    double *m;   /* [H*S] state marginals of Lambda(pi) */
} fp_state;

static void fp_destroy(void *state) {
    fp_state *st = state;
    if (!st) return;
    marl_mfgx_free(&st->c);
    marl_free(st->br);
    marl_free(st->m);
    marl_free(st);
}

static int fp_create(marl_solver *solver, void **out) {
    fp_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the mfg-fictitious-play state");
    int rc = marl_options_get_real(marl_solver_options(solver), "alpha",
                                   &st->alpha);
    if (!rc) rc = marl_mfgx_init(&st->c, solver, NAME);
    if (!rc) {
        st->br = marl_calloc(st->c.n, sizeof *st->br);
        st->m = marl_calloc(st->c.ws->H * st->c.ws->S, sizeof *st->m);
        if (!st->br || !st->m)
            rc = marl_error_nomem("the mfg-fictitious-play state");
    }
    if (rc) {
        fp_destroy(st);
        return rc;
    }
    *out = st;
    return MARL_OK;
}

static int fp_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    fp_state *st = state;
    marl_mfgx *c = &st->c;
    marl_mfg_ws *ws = c->ws;
    int rc = marl_mfgx_evaluate(c);
    if (rc) return rc;
    const size_t A = ws->A, rows = ws->H * ws->S;
    /* greedy policy, uniform over exact ties; marginals of Lambda(pi) */
    for (size_t r = 0; r < rows; ++r) {
        const double *q = ws->Qo + r * A, *l = ws->L + r * A;
        double mx = q[0], cnt = 0.0, m = 0.0;
        for (size_t a = 1; a < A; ++a)
            if (q[a] > mx) mx = q[a];
        for (size_t a = 0; a < A; ++a) cnt += q[a] == mx ? 1.0 : 0.0;
        for (size_t a = 0; a < A; ++a)
            st->br[r * A + a] = q[a] == mx ? 1.0 / cnt : 0.0;
        for (size_t a = 0; a < A; ++a) m += l[a];
        st->m[r] = m;
    }
    /* Lambda(pi_br) (overwrites the workspace's flow and tables) */
    c->cached = 0;
    rc = marl_mfg_flow_ws(ws, NAME, st->br, ws->L);
    if (rc) return rc;
    const double ai = st->alpha > 0.0 ? st->alpha : 1.0 / ((double)c->t + 2.0);
    for (size_t r = 0; r < rows; ++r) {
        const double *l = ws->L + r * A;
        double mb = 0.0;
        for (size_t a = 0; a < A; ++a) mb += l[a];
        const double m = st->m[r];
        const double den = (1.0 - ai) * m + ai * mb;
        for (size_t a = 0; a < A; ++a) {
            const double num = (1.0 - ai) * m * c->pi[r * A + a] +
                               ai * mb * st->br[r * A + a];
            const double x = num / den;
            c->next[r * A + a] = isnan(x) ? 1.0 / (double)A : x;
        }
    }
    return marl_mfgx_finish_step(c, metrics);
}

static const marl_policy *fp_policy(const void *state) {
    return ((const fp_state *)state)->c.pol;
}

const marl_solver_type marl_solver_mfg_fictitious_play = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "damped fictitious play on the exact induced mean-field game, "
               "as MFGLib defines it (Perrin et al. 2020)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_POPULATION),
    .options = fp_options,
    .n_options = sizeof fp_options / sizeof fp_options[0],
    .metric_names = fp_metric_names,
    .n_metrics = 1,
    .primary_metric = 0,
    .create = fp_create,
    .step = fp_step,
    .policy = fp_policy,
    .destroy = fp_destroy,
};
