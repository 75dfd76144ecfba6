/*
 * `aggregative-vi` = sample-based optimistic backward induction (seed 000
 * Alg. 3; ALGORITHMS.md §3). Rewards known, transitions learnt on the grid.
 *
 * Counts N_h(s, x^), N_h(s, x^, s') on the grid X_alpha; P^_h(.|s, x^) =
 * N(s, x^, .) / N(s, x^) (uniform where unvisited). One step = one episode
 * k: for h = H-1..0, s, every agent-action u and grid point x,
 *   Qbar(x)  = min_{x' visited} { B+(x') + L_h |x - x'|_inf },
 *   B+(x')   = r(x') + P^ Vbar_{h+1}(x') + beta(s, x') + gamma_T H alpha,
 *   Qlow(x)  = max_{x' visited} { B-(x') - L_h |x - x'|_inf },
 *   B-(x')   = r(x') + P^ Vlow_{h+1}(x') - beta(s, x') - gamma_T H alpha,
 * beta(s, x') = bonus_c sqrt(S H^2 iota / N_h(s, x')), iota =
 * log(S m K H / p), both clipped to [-(H-h), H-h] (the value range of the
 * remaining H-h steps with rewards in [-1, 1]); with no visited x' they are
 * the caps H-h and -(H-h). The min/max over the grid is the Lipschitz
 * extension: it also gives Qbar, Qlow at continuous x. pi^k_h(s) =
 * Subroutine(Qbar, L_h) (no welfare selection), Vbar, Vlow = Qbar, Qlow of
 * the chosen actions at the realised aggregate. Delta_k = max_i sum_s
 * rho0(s) (Vbar - Vlow)_{i,0}(s); pi_out = the pi^k with the smallest
 * Delta (strictly smaller replaces). pi^k is then played for one episode
 * in the true game through the solver's sampler (the realised aggregate is
 * snapped to its nearest grid point) and the counts are updated.
 *
 * Metrics per episode: delta (Delta_k), best_delta, nash_gap (exact gap of
 * pi^k; validation, uses the true model), out_gap (exact gap of pi_out),
 * regret (sum of the exact gaps of pi^1..pi^k), bound (Thm. 5.1 with K =
 * k), lps, infeasible. The step of episode `episodes` returns
 * MARL_CONVERGED (further steps keep learning). The policy is pi_out.
 *
 * Cost per episode: O(H S (G U S + U G^2)) plus the subroutine; memory
 * O(H S G S) counts and O(G U) per (h, s): a method for small games.
 * SPDX-License-Identifier: MIT
 */
#include "sampler/aggregative/amg_sampler.h"
#include "solvers/aggregative/amg_solver.h"

#include <math.h>
#include <string.h>

enum {
    M_DELTA, M_BEST, M_GAP, M_OUTGAP, M_REGRET, M_BOUND, M_LPS, M_INFEAS,
    M_COUNT
};
static const char *const vi_metric_names[M_COUNT] = {
    "delta", "best_delta", "nash_gap", "out_gap", "regret", "bound", "lps",
    "infeasible"};

static const marl_option_def vi_options[] = {
    MARL_AMG_OPT_ALPHA, MARL_AMG_OPT_SLACK, MARL_AMG_OPT_ROUNDS,
    MARL_AMG_OPT_LP, MARL_AMG_OPT_BETA,
    {"episodes", MARL_OPTION_INT,
     "planned number of episodes K (in iota; the K-th step converges)", 100,
     1, 1000000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"bonus_c", MARL_OPTION_REAL,
     "bonus constant c of beta (>= 0; the seed leaves it open)", 0, 0, 0,
     0.05, 0.0, HUGE_VAL, NULL, NULL},
    {"p", MARL_OPTION_REAL, "failure probability p in iota", 0, 0, 0, 0.05,
     1e-300, 0x1.fffffffffffffp-1, NULL, NULL},
};

typedef struct vi_state {
    marl_amg_solver c;
    size_t K, k;
    double bonus_c, p, iota;
    double *N;             /* [H * S * G] */
    double *Ns;            /* [H * S * G * S] */
    double *Vb, *Vbn, *Vl, *Vln; /* [n * S] */
    double *Bup, *Blo;     /* [G * U] */
    double *Qup;           /* [G * U] Qbar on the grid */
    unsigned char *vis;    /* [G] visited at (h, s) */
    double *phat;          /* [S] */
    size_t *out_actions;   /* [H * S * n] pi_out */
    size_t *states;        /* [H + 1] */
    size_t h, s;
    double L, cap, best_delta, out_gap, regret;
} vi_state;

static void vi_destroy(void *state) {
    vi_state *st = state;
    if (!st) return;
    marl_amg_solver_free(&st->c);
    marl_free(st->N);
    marl_free(st->Ns);
    marl_free(st->Vb);
    marl_free(st->Vbn);
    marl_free(st->Vl);
    marl_free(st->Vln);
    marl_free(st->Bup);
    marl_free(st->Blo);
    marl_free(st->Qup);
    marl_free(st->vis);
    marl_free(st->phat);
    marl_free(st->out_actions);
    marl_free(st->states);
    marl_free(st);
}

static int vi_create(marl_solver *solver, void **out) {
    const char *name = "aggregative-vi";
    vi_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the aggregative-vi state");
    int rc = marl_amg_solver_init(&st->c, solver, name);
    if (rc) {
        marl_free(st);
        return rc;
    }
    const marl_options *o = marl_solver_options(solver);
    long long K = 0;
    rc = marl_options_get_int(o, "episodes", &K);
    if (!rc) rc = marl_options_get_real(o, "bonus_c", &st->bonus_c);
    if (!rc) rc = marl_options_get_real(o, "p", &st->p);
    if (rc) {
        vi_destroy(st);
        return rc;
    }
    st->K = (size_t)K;
    const marl_amg_data *a = st->c.a;
    const size_t H = a->H, S = a->S, G = st->c.grid.G, n = a->n, U = a->U;
    size_t cells, cells2;
    if (!marl_mul_size(H * S, G, &cells) || !marl_mul_size(cells, S, &cells2)
        || !marl_mul_size(G, U, &cells) || cells2 > ((size_t)1 << 28) ||
        cells > ((size_t)1 << 26)) {
        vi_destroy(st);
        return marl_error(MARL_ERANGE,
                          "%s: the grid (%zu points) is too large for the "
                          "learning tables; increase alpha",
                          name, G);
    }
    st->N = marl_calloc(H * S * G, sizeof *st->N);
    st->Ns = marl_calloc(cells2, sizeof *st->Ns);
    st->Vb = marl_calloc(n * S, sizeof *st->Vb);
    st->Vbn = marl_calloc(n * S, sizeof *st->Vbn);
    st->Vl = marl_calloc(n * S, sizeof *st->Vl);
    st->Vln = marl_calloc(n * S, sizeof *st->Vln);
    st->Bup = marl_calloc(G * U, sizeof *st->Bup);
    st->Blo = marl_calloc(G * U, sizeof *st->Blo);
    st->Qup = marl_calloc(G * U, sizeof *st->Qup);
    st->vis = marl_calloc(G, 1);
    st->phat = marl_calloc(S, sizeof *st->phat);
    st->out_actions = marl_calloc(H * S * n, sizeof *st->out_actions);
    st->states = marl_calloc(H + 1, sizeof *st->states);
    if (!st->N || !st->Ns || !st->Vb || !st->Vbn || !st->Vl || !st->Vln ||
        !st->Bup || !st->Blo || !st->Qup || !st->vis || !st->phat ||
        !st->out_actions || !st->states) {
        vi_destroy(st);
        return marl_error_nomem("the aggregative-vi tables");
    }
    st->iota = log((double)S * (double)a->mmax * (double)st->K * (double)H /
                   st->p);
    st->best_delta = HUGE_VAL;
    st->out_gap = NAN;
    *out = st;
    return MARL_OK;
}

static double dist_inf(const double *x, const double *y, size_t d) {
    double m = 0;
    for (size_t k = 0; k < d; ++k) {
        double v = fabs(x[k] - y[k]);
        if (v > m) m = v;
    }
    return m;
}

/* Lipschitz extension of B at x for agent-action u: upper (min) or lower
 * (max), clipped to [-cap, cap]. */
static double extend(const vi_state *st, const double *B, size_t u,
                     const double *x, int upper) {
    const marl_amg_grid *gr = &st->c.grid;
    const size_t U = st->c.a->U, d = gr->d;
    double v = upper ? HUGE_VAL : -HUGE_VAL;
    for (size_t g = 0; g < gr->G; ++g) {
        if (!st->vis[g]) continue;
        double t = st->L * dist_inf(x, gr->pts + g * d, d);
        double c = upper ? B[g * U + u] + t : B[g * U + u] - t;
        if (upper ? c < v : c > v) v = c;
    }
    if (v > st->cap) v = st->cap;
    if (v < -st->cap) v = -st->cap;
    return v;
}

static int q_grid(void *user, size_t g, double *Q) {
    const vi_state *st = user;
    const size_t U = st->c.a->U;
    memcpy(Q, st->Qup + g * U, U * sizeof *Q);
    return 0;
}

static int q_at(void *user, size_t agent, size_t action, const double *x,
                double *q) {
    const vi_state *st = user;
    *q = extend(st, st->Bup, st->c.a->off[agent] + action, x, 1);
    return 0;
}

/* B+ and B- at every grid point of (h, s), then Qbar on the grid. */
static int tables(vi_state *st, size_t h, size_t s) {
    marl_amg_solver *c = &st->c;
    const marl_amg_data *a = c->a;
    const size_t S = a->S, G = c->grid.G, U = a->U, d = a->d;
    const double H = (double)a->H;
    const double disc = c->gamma_T * H * c->alpha;
    for (size_t g = 0; g < G; ++g) {
        const size_t cell = (h * S + s) * G + g;
        const double Ng = st->N[cell];
        st->vis[g] = Ng > 0;
        if (!st->vis[g]) continue;
        const double beta = st->bonus_c * sqrt((double)S * H * H * st->iota /
                                               Ng);
        for (size_t t = 0; t < S; ++t) st->phat[t] = st->Ns[cell * S + t] / Ng;
        const double *x = c->grid.pts + g * d;
        for (size_t i = 0; i < a->n; ++i) {
            double eu = 0, el = 0;
            for (size_t t = 0; t < S; ++t) {
                eu += st->phat[t] * st->Vbn[i * S + t];
                el += st->phat[t] * st->Vln[i * S + t];
            }
            for (size_t b = 0; b < a->off[i + 1] - a->off[i]; ++b) {
                double r;
                int rc = marl_amg_reward(a, h, s, i, b, x, &r);
                if (rc) return rc;
                st->Bup[g * U + a->off[i] + b] = r + eu + beta + disc;
                st->Blo[g * U + a->off[i] + b] = r + el - beta - disc;
            }
        }
    }
    for (size_t g = 0; g < G; ++g)
        for (size_t u = 0; u < U; ++u)
            st->Qup[g * U + u] = extend(st, st->Bup, u, c->grid.pts + g * d,
                                        1);
    return MARL_OK;
}

/* Optimistic planning of episode k: c->actions = pi^k; returns Delta_k. */
static int plan(vi_state *st, double *delta) {
    marl_amg_solver *c = &st->c;
    const marl_amg_data *a = c->a;
    const size_t S = a->S, n = a->n;
    memset(st->Vbn, 0, n * S * sizeof *st->Vbn);
    memset(st->Vln, 0, n * S * sizeof *st->Vln);
    for (size_t h = a->H; h-- > 0;) {
        st->L = c->gamma_r + c->gamma_T * (double)(a->H - 1 - h);
        st->cap = (double)(a->H - h);
        for (size_t s = 0; s < S; ++s) {
            st->h = h;
            st->s = s;
            int rc = tables(st, h, s);
            if (!rc)
                rc = marl_amg_solver_call(c, h, s, st->L, 0, q_grid, q_at,
                                          st);
            if (rc) return rc;
            for (size_t i = 0; i < n; ++i) {
                const size_t u = a->off[i] + c->res.actions[i];
                st->Vb[i * S + s] = extend(st, st->Bup, u, c->res.x, 1);
                st->Vl[i * S + s] = extend(st, st->Blo, u, c->res.x, 0);
            }
        }
        double *t = st->Vb; st->Vb = st->Vbn; st->Vbn = t;
        t = st->Vl; st->Vl = st->Vln; st->Vln = t;
    }
    double D = -HUGE_VAL;
    for (size_t i = 0; i < n; ++i) {
        double v = 0;
        for (size_t s = 0; s < S; ++s)
            v += a->rho0[s] * (st->Vbn[i * S + s] - st->Vln[i * S + s]);
        if (v > D) D = v;
    }
    *delta = D;
    return MARL_OK;
}

/* Play pi^k once in the true game and update the counts. */
static int play(vi_state *st) {
    marl_amg_solver *c = &st->c;
    const marl_amg_data *a = c->a;
    const size_t S = a->S, G = c->grid.G;
    double xs[MARL_AGGREGATIVE_MAX_DIM];
    int rc = marl_amg_episode(c->sampler, a, c->actions, c->row, st->states,
                              NULL);
    if (rc) return rc;
    for (size_t h = 0; h < a->H; ++h) {
        const size_t s = st->states[h], s2 = st->states[h + 1];
        marl_amg_aggregate(a, h, c->actions + (h * S + s) * a->n, 1, xs);
        const size_t g = marl_amg_grid_nearest(&c->grid, xs);
        const size_t cell = (h * S + s) * G + g;
        st->N[cell] += 1;
        st->Ns[cell * S + s2] += 1;
    }
    return MARL_OK;
}

static int vi_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    vi_state *st = state;
    marl_amg_solver *c = &st->c;
    const marl_amg_data *a = c->a;
    c->n_lps = c->infeasible = 0;
    c->lp_seconds = 0;
    double delta;
    int rc = plan(st, &delta);
    marl_amg_eval_out out = {0};
    if (!rc) rc = marl_amg_eval_run(&c->eval, a, c->actions, &out);
    if (rc) return rc;
    const double gap = out.gap;
    if (delta < st->best_delta) {
        st->best_delta = delta;
        memcpy(st->out_actions, c->actions,
               a->H * a->S * a->n * sizeof *st->out_actions);
        st->out_gap = gap;
        /* sync the output policy from pi_out */
        size_t *keep = c->actions;
        c->actions = st->out_actions;
        rc = marl_amg_solver_sync_policy(c);
        c->actions = keep;
        if (rc) return rc;
    }
    rc = play(st);
    if (rc) return rc;
    st->k++;
    st->regret += gap;
    metrics[M_DELTA] = delta;
    metrics[M_BEST] = st->best_delta;
    metrics[M_GAP] = gap;
    metrics[M_OUTGAP] = st->out_gap;
    metrics[M_REGRET] = st->regret;
    metrics[M_BOUND] = marl_amg_eps_vi(&c->bound, st->k, st->p);
    metrics[M_LPS] = (double)c->n_lps;
    metrics[M_INFEAS] = (double)c->infeasible;
    return st->k == st->K ? MARL_CONVERGED : MARL_OK;
}

static const marl_policy *vi_policy(const void *state) {
    return ((const vi_state *)state)->c.policy;
}

const marl_solver_type marl_solver_aggregative_vi = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "aggregative-vi",
    .summary = "Aggre-VI: optimistic sample-based backward induction on the "
               "aggregator grid (seed 000, Alg. 3)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_AGGREGATIVE),
    .options = vi_options,
    .n_options = sizeof vi_options / sizeof vi_options[0],
    .metric_names = vi_metric_names,
    .n_metrics = M_COUNT,
    .primary_metric = M_OUTGAP,
    .create = vi_create,
    .step = vi_step,
    .policy = vi_policy,
    .destroy = vi_destroy,
};
