/*
 * `aggregative-bi` = Aggre-BI (seed 000 Alg. 2; ALGORITHMS.md §3) and
 * `aggregative-statewise` (seed 000 Alg. 1): backward induction with the
 * Nash subroutine at every (h, s).
 *
 * Aggre-BI: for h = H-1..0 and every state s,
 *   Q_{i,h}(s, a, x^) = r_{h,i}(s, a, x^) + sum_s' T_h(s'|s, x^) V_{i,h+1}(s')
 * on the grid, L_h = gamma_r + gamma_T (H - 1 - h) (the seed's
 * gamma_r + gamma_T (H - h) with steps counted from 1), a*(h, s) =
 * Subroutine(Q, L_h, c) with the continuation welfare
 * c(x^) = sum_s' T_h(s'|s, x^) W_{h+1}(s') when the game has welfare
 * weights (equilibrium selection, seed §6 / Thm. 4.2), and then, at the
 * exact aggregate x* of a*,
 *   V_{i,h}(s) = r_{h,i}(s, a*_i, x*) + T_h(.|s, x*) . V_{i,h+1},
 *   W_h(s) = sum_i w_{h,i}(s, a*_i) + T_h(.|s, x*) . W_{h+1}.
 * Statewise: Q = r (no continuation), L = gamma_r, stage welfare only.
 *
 * One step runs the whole induction and returns MARL_CONVERGED; later
 * steps repeat the metrics of that run. Metrics: nash_gap (exact,
 * marl_aggregative_nash_gap), bound (Thm. 4.1 eps_solve; statewise: Thm.
 * 3.1), welfare (NaN without weights), mean_value (mean over agents of
 * sum_s rho0(s) V_{i,0}(s)), lps, lp_seconds, infeasible (subroutine calls
 * without a feasible grid point), max_stage_gain, max_slack.
 *
 * Memory: the policy O(n H S m) (marl_policy, PER_STEP pure rows), the
 * compact profile O(n H S), values O(n S), transition rows on the grid
 * O(G S), and a cache of Q on the grid O(G U) when G U <= 2^22.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/aggregative/amg_solver.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define BI_QCACHE_MAX ((size_t)1 << 22)

enum {
    M_GAP, M_BOUND, M_WELFARE, M_VALUE, M_LPS, M_LPSEC, M_INFEAS, M_GAIN,
    M_SLACK, M_COUNT
};
static const char *const bi_metric_names[M_COUNT] = {
    "nash_gap", "bound", "welfare", "mean_value", "lps", "lp_seconds",
    "infeasible", "max_stage_gain", "max_slack"};

static const marl_option_def bi_options[] = {
    MARL_AMG_OPT_ALPHA, MARL_AMG_OPT_SLACK, MARL_AMG_OPT_ROUNDS,
    MARL_AMG_OPT_LP, MARL_AMG_OPT_BETA,
};

typedef struct bi_state {
    marl_amg_solver c;
    int statewise, done;
    double *V, *Vn;        /* [n * S] */
    double *Wc, *Wn;       /* [S] */
    double *QG;            /* [G * U] or NULL */
    unsigned char *qg_ok;  /* [G] */
    size_t h, s;
    double last[M_COUNT];
} bi_state;

static void bi_destroy(void *state) {
    bi_state *st = state;
    if (!st) return;
    marl_amg_solver_free(&st->c);
    marl_free(st->V);
    marl_free(st->Vn);
    marl_free(st->Wc);
    marl_free(st->Wn);
    marl_free(st->QG);
    marl_free(st->qg_ok);
    marl_free(st);
}

static int create_common(marl_solver *solver, void **out, int statewise,
                         const char *name) {
    bi_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("an aggregative solver state");
    st->statewise = statewise;
    int rc = marl_amg_solver_init(&st->c, solver, name);
    if (rc) {
        marl_free(st);
        return rc;
    }
    const marl_amg_data *a = st->c.a;
    const size_t G = st->c.grid.G;
    st->V = marl_calloc(a->n * a->S, sizeof *st->V);
    st->Vn = marl_calloc(a->n * a->S, sizeof *st->Vn);
    st->Wc = marl_calloc(a->S, sizeof *st->Wc);
    st->Wn = marl_calloc(a->S, sizeof *st->Wn);
    st->qg_ok = marl_calloc(G, 1);
    size_t cells = SIZE_MAX;
    if (marl_mul_size(G, a->U, &cells) && cells <= BI_QCACHE_MAX)
        st->QG = marl_calloc(cells, sizeof *st->QG);
    if (!st->V || !st->Vn || !st->Wc || !st->Wn || !st->qg_ok ||
        (cells <= BI_QCACHE_MAX && !st->QG)) {
        bi_destroy(st);
        return marl_error_nomem("the aggregative solver's value tables");
    }
    *out = st;
    return MARL_OK;
}

static int bi_create(marl_solver *solver, void **out) {
    return create_common(solver, out, 0, "aggregative-bi");
}

static int sw_create(marl_solver *solver, void **out) {
    return create_common(solver, out, 1, "aggregative-statewise");
}

static double dot(const double *p, const double *v, size_t S) {
    double acc = 0;
    for (size_t t = 0; t < S; ++t) acc += p[t] * v[t];
    return acc;
}

/* Q_i(a, x^_g) of every agent-action (nash.h marl_nash_q_grid_fn). */
static int q_grid(void *user, size_t g, double *Q) {
    bi_state *st = user;
    const marl_amg_data *a = st->c.a;
    const size_t U = a->U, S = a->S;
    if (st->QG && st->qg_ok[g]) {
        memcpy(Q, st->QG + g * U, U * sizeof *Q);
        return 0;
    }
    const double *x = st->c.grid.pts + g * a->d;
    const double *T = st->c.Tg + g * S;
    for (size_t i = 0; i < a->n; ++i) {
        const double cont = st->statewise ? 0.0 : dot(T, st->Vn + i * S, S);
        for (size_t b = 0; b < a->off[i + 1] - a->off[i]; ++b) {
            double r;
            if (marl_amg_reward(a, st->h, st->s, i, b, x, &r)) return -1;
            Q[a->off[i] + b] = r + cont;
        }
    }
    if (st->QG) {
        memcpy(st->QG + g * U, Q, U * sizeof *Q);
        st->qg_ok[g] = 1;
    }
    return 0;
}

/* Q_i(a, x) at a continuous aggregate (marl_nash_q_fn). */
static int q_at(void *user, size_t agent, size_t action, const double *x,
                double *q) {
    bi_state *st = user;
    const marl_amg_data *a = st->c.a;
    double r;
    if (marl_amg_reward(a, st->h, st->s, agent, action, x, &r)) return -1;
    if (st->statewise) {
        *q = r;
        return 0;
    }
    const double *row;
    if (marl_amg_tcache_get(&st->c.cache, a, st->h, st->s, x, &row))
        return -1;
    *q = r + dot(row, st->Vn + agent * a->S, a->S);
    return 0;
}

/* Values and welfare of step h at state s from the chosen profile. */
static int back_up(bi_state *st, size_t h, size_t s) {
    marl_amg_solver *c = &st->c;
    const marl_amg_data *a = c->a;
    const size_t S = a->S;
    const double *x = c->res.x;
    int rc = marl_amg_transition(a, h, s, x, c->row);
    if (rc) return rc;
    double wsum = 0;
    for (size_t i = 0; i < a->n; ++i) {
        const size_t ai = c->res.actions[i];
        double r;
        rc = marl_amg_reward(a, h, s, i, ai, x, &r);
        if (rc) return rc;
        st->V[i * S + s] = r + dot(c->row, st->Vn + i * S, S);
        if (c->w) wsum += c->w[a->off[i] + ai];
    }
    st->Wc[s] = wsum + dot(c->row, st->Wn, S);
    return MARL_OK;
}

static int run(bi_state *st) {
    marl_amg_solver *c = &st->c;
    const marl_amg_data *a = c->a;
    const size_t S = a->S, n = a->n;
    memset(st->Vn, 0, n * S * sizeof *st->Vn);
    memset(st->Wn, 0, S * sizeof *st->Wn);
    for (size_t h = a->H; h-- > 0;) {
        const double L = st->statewise
                             ? c->gamma_r
                             : c->gamma_r +
                                   c->gamma_T * (double)(a->H - 1 - h);
        for (size_t s = 0; s < S; ++s) {
            st->h = h;
            st->s = s;
            memset(st->qg_ok, 0, c->grid.G);
            marl_amg_tcache_clear(&c->cache);
            int rc = marl_amg_solver_grid_rows(c, h, s);
            if (rc) return rc;
            if (c->c)
                for (size_t g = 0; g < c->grid.G; ++g)
                    c->c[g] = st->statewise
                                  ? 0.0
                                  : dot(c->Tg + g * S, st->Wn, S);
            rc = marl_amg_solver_call(c, h, s, L, 1, q_grid, q_at, st);
            if (!rc) rc = back_up(st, h, s);
            if (rc) return rc;
        }
        double *t = st->V; st->V = st->Vn; st->Vn = t;
        t = st->Wc; st->Wc = st->Wn; st->Wn = t;
    }
    return MARL_OK;
}

static int bi_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    bi_state *st = state;
    marl_amg_solver *c = &st->c;
    if (!st->done) {
        c->n_lps = c->infeasible = 0;
        c->lp_seconds = c->max_gain = c->max_slack = 0;
        int rc = run(st);
        if (!rc) rc = marl_amg_solver_sync_policy(c);
        marl_amg_eval_out out = {0};
        if (!rc) rc = marl_amg_eval_run(&c->eval, c->a, c->actions, &out);
        if (rc) return rc;
        const marl_amg_data *a = c->a;
        double mean = 0;
        for (size_t i = 0; i < a->n; ++i)
            for (size_t s = 0; s < a->S; ++s)
                mean += a->rho0[s] * out.V0[i * a->S + s];
        st->last[M_GAP] = out.gap;
        st->last[M_BOUND] = st->statewise ? marl_amg_eps_statewise(&c->bound)
                                          : marl_amg_eps_solve(&c->bound);
        st->last[M_WELFARE] = out.welfare;
        st->last[M_VALUE] = mean / (double)a->n;
        st->last[M_LPS] = (double)c->n_lps;
        st->last[M_LPSEC] = c->lp_seconds;
        st->last[M_INFEAS] = (double)c->infeasible;
        st->last[M_GAIN] = c->max_gain;
        st->last[M_SLACK] = c->max_slack;
        st->done = 1;
    }
    memcpy(metrics, st->last, sizeof st->last);
    return MARL_CONVERGED;
}

static const marl_policy *bi_policy(const void *state) {
    return ((const bi_state *)state)->c.policy;
}

const marl_solver_type marl_solver_aggregative_bi = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "aggregative-bi",
    .summary = "Aggre-BI: backward induction with the aggregative Nash "
               "subroutine and welfare selection (seed 000, Alg. 2)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_AGGREGATIVE),
    .options = bi_options,
    .n_options = sizeof bi_options / sizeof bi_options[0],
    .metric_names = bi_metric_names,
    .n_metrics = M_COUNT,
    .primary_metric = M_GAP,
    .create = bi_create,
    .step = bi_step,
    .policy = bi_policy,
    .destroy = bi_destroy,
};

const marl_solver_type marl_solver_aggregative_statewise = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "aggregative-statewise",
    .summary = "state-wise warm-up: the Nash subroutine on the rewards at "
               "every (h, s) (seed 000, Alg. 1)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_AGGREGATIVE),
    .options = bi_options,
    .n_options = sizeof bi_options / sizeof bi_options[0],
    .metric_names = bi_metric_names,
    .n_metrics = M_COUNT,
    .primary_metric = M_GAP,
    .create = sw_create,
    .step = bi_step,
    .policy = bi_policy,
    .destroy = bi_destroy,
};
