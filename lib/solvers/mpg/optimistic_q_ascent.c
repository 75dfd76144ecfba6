/*
 * `mpg-optimistic-q-ascent`: optimistic (extra-gradient style) projected
 * Q-ascent with a smoothed critic (seed 002, game-agnostic; after Wei, Lee,
 * Zhang, Luo 2021; ALGORITHMS.md §1). Keeps a secondary policy pibar_i and
 * a critic Vbar_i (initialised to 0). Iteration t = 1, 2, ...:
 *   Qbar_i^t(s,a_i) = E_{a_-i ~ pi_-i^t}[r_i(s,a) + gamma sum_s' P(s'|s,a)
 *                     Vbar_i^{t-1}(s')]        (marl_markov_ctx_averaged_from)
 *   pibar_i^{t+1} = P_simplex(pibar_i^t + alpha Qbar_i^t(s,.))
 *   pi_i^{t+1}    = P_simplex(pibar_i^{t+1} + alpha Qbar_i^t(s,.))
 *   Vbar_i^t(s)   = (1 - beta_t) Vbar_i^{t-1}(s)
 *                   + beta_t sum_{a_i} pi_i^{t+1}(a_i|s) Qbar_i^t(s,a_i)
 *   beta_t = (H + 1) / (H + t),  H = ceil(2 / (1 - gamma)) (option
 *   critic_h; 0 = that default).
 * The reported policy is the last iterate pi^{t+1}; pibar^1 = pi^1 = the
 * user initial policy if set, else uniform. Options alpha (default 0.1:
 * on `matching-pennies-markov` the last iterate reaches Nash-gap 1e-3 in
 * about 400 iterations with it, while alpha = 0.3 keeps cycling), critic_h
 * (0).
 * SPDX-License-Identifier: MIT
 */
#include "metrics/markov_metrics.h"
#include "policy/simplex.h"
#include "solvers/mpg/mpg_common.h"

#include <string.h>

static const char NAME[] = "mpg-optimistic-q-ascent";

static const char *const oq_metric_names[MARL_MPG_N_COMMON] = {
    MARL_MPG_COMMON_METRIC_NAMES};

static const marl_option_def oq_options[] = {
    {"alpha", MARL_OPTION_REAL, "step size (>= 0)", 0, 0, 0, 0.1, 0.0,
     HUGE_VAL, NULL, NULL},
    {"critic_h", MARL_OPTION_INT,
     "H of the critic step (H+1)/(H+t) (0 = ceil(2/(1-gamma)))", 0, 0,
     1LL << 40, 0.0, 0.0, 0.0, NULL, NULL},
    MARL_MPG_OPTION_EVAL_EVERY,
};

typedef struct oq_state {
    marl_mpg_common c;
    double alpha, H;
    marl_policy *pi, *next;
    double *x, *x_next;       /* pi^t, pi^{t+1} (flat) */
    double *xb, *xb_next;     /* pibar^t, pibar^{t+1} */
    double *Vb, *Vb_next;     /* [N*S] critic */
    double *Qbar, *work;
    marl_markov_ctx *ev;      /* exact evaluation workspace, reused */
} oq_state;

static void oq_destroy(void *state) {
    oq_state *st = state;
    if (!st) return;
    marl_policy_free(st->pi);
    marl_policy_free(st->next);
    marl_markov_ctx_free(st->ev);
    double *arr[] = {st->x,  st->x_next,  st->xb,   st->xb_next,
                     st->Vb, st->Vb_next, st->Qbar, st->work};
    for (size_t k = 0; k < sizeof arr / sizeof arr[0]; ++k)
        marl_free(arr[k]);
    marl_free(st);
}

static int oq_alloc(oq_state *st) {
    const marl_mpg_common *c = &st->c;
    double **tables[] = {&st->x, &st->x_next, &st->xb, &st->xb_next,
                         &st->Qbar};
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; ++k)
        if (!(*tables[k] = marl_mpg_table_new(c, "the optimistic tables")))
            return MARL_ENOMEM;
    size_t ns;
    if (!marl_mul_size(c->N, c->S, &ns))
        return marl_error(MARL_ERANGE, "%s: N*S overflows", NAME);
    st->Vb = marl_calloc(ns, sizeof *st->Vb);
    st->Vb_next = st->Vb ? marl_calloc(ns, sizeof *st->Vb_next) : NULL;
    st->work = st->Vb_next ? marl_calloc(c->Amax, sizeof *st->work) : NULL;
    if (!st->work) return marl_error_nomem("the optimistic critic");
    return MARL_OK;
}

static int oq_create(marl_solver *solver, void **out) {
    oq_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the mpg-optimistic-q-ascent state");
    const marl_options *o = marl_solver_options(solver);
    long long h = 0;
    int rc = marl_mpg_common_init(&st->c, solver, NAME);
    if (rc == MARL_OK) rc = marl_options_get_real(o, "alpha", &st->alpha);
    if (rc == MARL_OK) rc = marl_options_get_int(o, "critic_h", &h);
    if (rc == MARL_OK) rc = oq_alloc(st);
    if (rc == MARL_OK) rc = marl_markov_ctx_new(&st->ev, st->c.game, NAME);
    if (rc == MARL_OK) rc = marl_mpg_policy_new(&st->c, 0, &st->pi);
    if (rc == MARL_OK) rc = marl_mpg_policy_new(&st->c, 0, &st->next);
    if (rc == MARL_OK)
        rc = marl_mpg_start(&st->c, solver, st->pi, st->x, st->x_next);
    if (rc != MARL_OK) {
        oq_destroy(st);
        return rc;
    }
    st->H = h > 0 ? (double)h : ceil(2.0 / (1.0 - st->c.gamma));
    memcpy(st->xb, st->x, st->c.size * sizeof *st->x);
    *out = st;
    return MARL_OK;
}

static int oq_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    oq_state *st = state;
    const marl_mpg_common *c = &st->c;
    int rc = marl_markov_ctx_averaged_from(st->ev, st->pi, st->Vb, st->Qbar);
    if (rc != MARL_OK) return rc;
    double t = (double)(c->t + 1);
    double beta = (st->H + 1.0) / (st->H + t);
    for (size_t i = 0; i < c->N; ++i)
        for (size_t s = 0; s < c->S; ++s) {
            size_t off = marl_mpg_block(c, i) + s * c->A[i], A = c->A[i];
            const double *q = st->Qbar + off;
            double *vb = st->xb_next + off, *v = st->x_next + off;
            for (size_t a = 0; a < A; ++a) {
                vb[a] = st->xb[off + a] + st->alpha * q[a];
                if (!isfinite(vb[a]))
                    return marl_error(MARL_ERANGE,
                                      "%s: the ascent step of agent %zu, "
                                      "state %zu is not finite (reduce "
                                      "alpha)",
                                      NAME, i, s);
            }
            marl_simplex_project(vb, A, vb, st->work);
            for (size_t a = 0; a < A; ++a)
                v[a] = vb[a] + st->alpha * q[a];
            marl_simplex_project(v, A, v, st->work);
            double ev = 0.0;
            for (size_t a = 0; a < A; ++a)
                ev += v[a] * q[a];
            size_t is = i * c->S + s;
            st->Vb_next[is] = (1.0 - beta) * st->Vb[is] + beta * ev;
        }
    marl_mpg_store(c, st->next, st->x_next);
    rc = marl_mpg_metrics(&st->c, st->next, c->t + 1, metrics);
    if (rc != MARL_OK) return rc;
    marl_policy *tp = st->pi;
    st->pi = st->next;
    st->next = tp;
    double *tmp = st->x;
    st->x = st->x_next;
    st->x_next = tmp;
    tmp = st->xb;
    st->xb = st->xb_next;
    st->xb_next = tmp;
    tmp = st->Vb;
    st->Vb = st->Vb_next;
    st->Vb_next = tmp;
    st->c.t++;
    return MARL_OK;
}

static const marl_policy *oq_policy(const void *state) {
    return ((const oq_state *)state)->pi;
}

const marl_solver_type marl_solver_mpg_optimistic_q_ascent = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "optimistic projected Q-ascent with a smoothed critic; "
               "last-iterate convergence on cooperative and two-player "
               "zero-sum Markov games (seed 002, after Wei et al. 2021)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = oq_options,
    .n_options = sizeof oq_options / sizeof oq_options[0],
    .metric_names = oq_metric_names,
    .n_metrics = MARL_MPG_N_COMMON,
    .primary_metric = MARL_MPG_M_NASH_GAP,
    .create = oq_create,
    .step = oq_step,
    .policy = oq_policy,
    .destroy = oq_destroy,
};
