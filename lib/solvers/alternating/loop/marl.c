/*
 * `alternating-marl` (ALGORITHMS.md §4; seed 004 Alg. ALTERNATING-MARL
 * with its UPDATE rule, Lemma D.14, Lemma D.15): alternating approximate
 * best responses of the local agents (L-LEARN, llearn_core.h) and of the
 * global agent (G-LEARN, the public alternating-glearn solver with the
 * options passed through), each proposal accepted only if it raises the
 * estimated joint value at every evaluated start state by 2 eps.
 *
 * One step = one proposal. Sweep i (i = 0 .. iterations-1) proposes
 * pi' = (pi_g, L-LEARN(pi_g, pi_l)) and then pi' = (G-LEARN(pi_l), pi_l),
 * each decided by marl_alt_update_decide (update_rule.h):
 *   Case 1 accept (pi <- pi'), Case 2 reject (pi kept),
 *   Case 3 stop: pi is an approximate Nash equilibrium.
 * The loop also stops when a sweep accepts nothing, or after `iterations`
 * sweeps. Once stopped, every further step returns MARL_CONVERGED and adds
 * a row whose only defined metric is "done".
 *
 * Evaluation (option `evaluation`) and the evaluated start states:
 *   montecarlo  marl_gl_evaluate_from: `rollouts` episodes of
 *               `eval_horizon` steps of the full n-agent system from each
 *               s_g with the initial local law (one start state per s_g),
 *               the same seed for every start state and every evaluation
 *               (common random numbers); eps = epsilon + the largest 95%
 *               half-width of the two policies' estimates;
 *   meanfield   the mean-field flow value (meanfield_flow.h), one start
 *               state per s_g with the initial local law; eps = epsilon;
 *   exact       the exact value on the n-agent count chain (eval_exact.h;
 *               small games), one start state per s_g with the initial
 *               local law; eps = epsilon.
 * All three estimate E[sum_{t < eval_horizon} gamma^t r_t].
 * SPDX-License-Identifier: MIT
 */
#include "core/options_internal.h"
#include "solvers/alternating/glearn/alt_common.h"
#include "solvers/alternating/loop/alt_model.h"
#include "solvers/alternating/loop/chained.h"
#include "solvers/alternating/loop/eval_exact.h"
#include "solvers/alternating/loop/llearn_core.h"
#include "solvers/alternating/loop/llearn_options.h"
#include "solvers/alternating/loop/update_rule.h"

#include <math.h>
#include <string.h>

static const char NAME[] = "alternating-marl";

enum { M_SIDE, M_SWEEP, M_VOLD, M_VNEW, M_EPS, M_GAPMIN, M_GAPMAX,
       M_DECISION, M_ACCEPTED, M_DONE, M_LEARN_S, M_EVAL_S, N_METRICS };
static const char *const mr_metric_names[N_METRICS] = {
    "side",     "sweep",    "value_old", "value_new",     "epsilon",
    "gap_min",  "gap_max",  "decision",  "accepted",      "done",
    "learn_seconds", "eval_seconds"};

enum { EVAL_MC = 0, EVAL_MF = 1, EVAL_EXACT = 2 };

static const marl_option_def mr_options[] = {
    {"k", MARL_OPTION_INT, "number k of sampled local agents (1..n)", 4, 1,
     1000000, 0, 0, 0, NULL, NULL},
    {"iterations", MARL_OPTION_INT,
     "maximum number of sweeps (L-LEARN then G-LEARN proposal)", 10, 1,
     1000000, 0, 0, 0, NULL, NULL},
    {"evaluation", MARL_OPTION_ENUM,
     "joint-value estimate of the UPDATE rule: montecarlo (n-agent "
     "rollouts), meanfield (flow) or exact (n-agent count chain, small n)",
     0, 0, 0, 0, 0, 0, "montecarlo|meanfield|exact", NULL},
    {"rollouts", MARL_OPTION_INT, "montecarlo: episodes per evaluation", 100,
     1, 100000000, 0, 0, 0, NULL, NULL},
    {"eval_horizon", MARL_OPTION_INT,
     "steps of every evaluation (discounted sum truncated there)", 100, 1,
     100000000, 0, 0, 0, NULL, NULL},
    {"epsilon", MARL_OPTION_REAL,
     "confidence radius eps of the UPDATE rule (montecarlo: added to the "
     "larger 95% half-width)",
     0, 0, 0, 1e-9, 0.0, HUGE_VAL, NULL, NULL},
    {"glearn_estimator", MARL_OPTION_ENUM,
     "G-LEARN option estimator (law of the next count vector)", 0, 0, 0, 0,
     0, 0, "sampled|exact|expected", NULL},
    {"m", MARL_OPTION_INT, "G-LEARN option m (draws per (s_g, c); seed: 30)",
     30, 1, 1000000, 0, 0, 0, NULL, NULL},
    {"glearn_tol", MARL_OPTION_REAL, "G-LEARN option tol (0 = never)", 0, 0,
     0, 1e-6, 0.0, HUGE_VAL, NULL, NULL},
    {"glearn_max_sweeps", MARL_OPTION_INT,
     "G-LEARN option max_sweeps (0 = no limit)", 1000, 0, 1000000000, 0, 0,
     0, NULL, NULL},
    MARL_ALT_OPT_POPULATION("population"),
    MARL_ALT_OPT_FLOW_HORIZON("flow_horizon"),
    MARL_ALT_OPT_FLOW_TOL("flow_tol"),
    MARL_ALT_OPT_VI_TOL("llearn_tol"),
    MARL_ALT_OPT_VI_SWEEPS("llearn_max_sweeps"),
    MARL_ALT_OPT_TEMPERATURE("temperature"),
    MARL_ALT_OPT_LLEARN("llearn"),
};
enum { OPT_K, OPT_ITER, OPT_EVAL, OPT_ROLL, OPT_EH, OPT_EPS, OPT_GEST,
       OPT_M, OPT_GTOL, OPT_GSWEEPS, OPT_POP, OPT_FH, OPT_FTOL, OPT_LTOL,
       OPT_LSWEEPS, OPT_TEMP, OPT_LLEARN };

typedef struct mr_state {
    marl_alt_header hdr; /* first member: the current pair pi */
    marl_gl_policy *prop;
    const marl_gl_data *d;
    marl_game *game;
    marl_alt_model model;
    marl_alt_llearn_opts lopts;
    marl_alt_llearn *ll;
    marl_alt_chain *chain; /* llearn = chained, else NULL */
    marl_alt_exact *ex;
    double *mu0, *v_cur, *v_new;
    double hw_cur;
    int have_cur, evaluation, half, accepted_in_sweep, done;
    size_t k, iterations, rollouts, H, nstart, sweep, proposals, accepted;
    size_t gsweeps, gm;
    int gest;
    double eps, gtol;
    uint64_t seed;
} mr_state;

static void mr_destroy(void *state) {
    mr_state *st = state;
    if (!st) return;
    marl_gl_policy_free(st->hdr.policy);
    marl_gl_policy_free(st->prop);
    marl_alt_llearn_free(st->ll);
    marl_alt_chain_free(st->chain);
    marl_alt_exact_free(st->ex);
    marl_free(st->mu0);
    marl_free(st->v_cur);
    marl_free(st->v_new);
    marl_free(st);
}

/* A fresh G-LEARN solver with the pass-through options (created per
 * proposal and freed after it, so a failed proposal leaves nothing). */
static int make_glearn(const mr_state *st, marl_solver **out) {
    static const char *const est[3] = {"sampled", "exact", "expected"};
    marl_solver *g = NULL;
    int rc = marl_solver_new(&g, &marl_solver_alternating_glearn, st->game);
    if (rc == MARL_OK) rc = marl_solver_set_int(g, "k", (long long)st->k);
    if (rc == MARL_OK)
        rc = marl_solver_set_string(g, "estimator", est[st->gest]);
    if (rc == MARL_OK) rc = marl_solver_set_int(g, "m", (long long)st->gm);
    if (rc == MARL_OK) rc = marl_solver_set_real(g, "tol", st->gtol);
    if (rc == MARL_OK)
        rc = marl_solver_set_int(g, "max_sweeps", (long long)st->gsweeps);
    if (rc == MARL_OK)
        rc = marl_solver_set_seed(g, st->seed + st->proposals);
    if (rc != MARL_OK) {
        marl_solver_free(g);
        return rc;
    }
    *out = g;
    return MARL_OK;
}

static int mr_create(marl_solver *solver, void **out) {
    const marl_options *o = marl_solver_options(solver);
    marl_game *game = marl_solver_game(solver);
    const marl_gl_data *d = marl_gl_of(game);
    if (!d) return marl_error(MARL_EKIND, "%s: not a global-local game", NAME);
    size_t k = (size_t)marl_options_int_at(o, OPT_K);
    if (k > d->n)
        return marl_error(MARL_EINVAL, "%s: option k = %zu exceeds n = %zu",
                          NAME, k, d->n);
    if (marl_options_real_at(o, OPT_GTOL) == 0.0 &&
        marl_options_int_at(o, OPT_GSWEEPS) == 0)
        return marl_error(MARL_EINVAL,
                          "%s: options glearn_tol and glearn_max_sweeps are "
                          "both 0, so G-LEARN would never stop",
                          NAME);
    mr_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the alternating-marl state");
    st->d = d;
    st->game = game;
    st->k = k;
    st->evaluation = (int)marl_options_int_at(o, OPT_EVAL);
    st->iterations = (size_t)marl_options_int_at(o, OPT_ITER);
    st->rollouts = (size_t)marl_options_int_at(o, OPT_ROLL);
    st->H = (size_t)marl_options_int_at(o, OPT_EH);
    st->eps = marl_options_real_at(o, OPT_EPS);
    st->gsweeps = (size_t)marl_options_int_at(o, OPT_GSWEEPS);
    st->gest = (int)marl_options_int_at(o, OPT_GEST);
    st->gm = (size_t)marl_options_int_at(o, OPT_M);
    st->gtol = marl_options_real_at(o, OPT_GTOL);
    st->seed = marl_solver_seed(solver);
    st->nstart = d->Sg;
    st->lopts.population = (int)marl_options_int_at(o, OPT_POP);
    st->lopts.horizon = (size_t)marl_options_int_at(o, OPT_FH);
    st->lopts.flow_tol = marl_options_real_at(o, OPT_FTOL);
    st->lopts.tol = marl_options_real_at(o, OPT_LTOL);
    st->lopts.max_sweeps = (size_t)marl_options_int_at(o, OPT_LSWEEPS);
    st->lopts.temperature = marl_options_real_at(o, OPT_TEMP);
    int rc = marl_alt_initial_policy(solver, k, NAME, &st->hdr.policy);
    if (rc == MARL_OK) rc = marl_gl_policy_copy(&st->prop, st->hdr.policy);
    if (rc == MARL_OK) {
        st->mu0 = marl_calloc(d->Sl, sizeof *st->mu0);
        st->v_cur = marl_calloc(d->Sg, sizeof *st->v_cur);
        st->v_new = marl_calloc(d->Sg, sizeof *st->v_new);
        if (!st->mu0 || !st->v_cur || !st->v_new)
            rc = marl_error_nomem("the alternating-marl state");
    }
    if (rc == MARL_OK) {
        marl_alt_model_of(&st->model, d, marl_game_discount(game), k,
                          st->hdr.policy->C, st->mu0);
        rc = marl_alt_llearn_new(&st->ll, &st->model, NAME);
    }
    if (rc == MARL_OK &&
        marl_options_int_at(o, OPT_LLEARN) == MARL_ALT_LLEARN_CHAINED)
        rc = marl_alt_chain_new(&st->chain, &st->model, d->conc, NAME);
    if (rc == MARL_OK && st->evaluation == EVAL_EXACT)
        rc = marl_alt_exact_new(&st->ex, d, k, st->model.gamma, NAME);
    if (rc != MARL_OK) {
        mr_destroy(st);
        return rc;
    }
    *out = st;
    return MARL_OK;
}

/* Joint values of p at the evaluated start states into v; *hw = the
 * largest 95% half-width over them (montecarlo) or 0. */
static int evaluate(mr_state *st, const marl_gl_policy *p, double *v,
                    double *hw) {
    *hw = 0.0;
    if (st->evaluation == EVAL_MC) {
        for (size_t s = 0; s < st->d->Sg; ++s) {
            double h = 0.0;
            int rc = marl_gl_evaluate_from(
                st->game, p, s, st->rollouts, st->H,
                st->seed ^ UINT64_C(0x5eed0f0a1e7a7e00), 0, &v[s], &h);
            if (rc != MARL_OK) return rc;
            *hw = h > *hw ? h : *hw;
        }
        return MARL_OK;
    }
    if (st->evaluation == EVAL_EXACT) {
        marl_alt_exact_values(st->ex, p, st->H, v);
        return MARL_OK;
    }
    marl_alt_flow_marginalise(st->ll->flow, &st->model, p->pl);
    for (size_t s = 0; s < st->d->Sg; ++s)
        v[s] = marl_alt_flow_value(st->ll->flow, &st->model, p->pg, s, st->H);
    return MARL_OK;
}

/* Value at the initial law: sum_s rho_g(s) v(s). */
static double at_start(const mr_state *st, const double *v) {
    double a = 0.0;
    for (size_t s = 0; s < st->d->Sg; ++s) a += st->d->rho_g[s] * v[s];
    return a;
}

/* G-LEARN's best response to the current pi_l into st->prop. */
static int propose_global(mr_state *st) {
    marl_solver *g = NULL;
    int rc = make_glearn(st, &g);
    if (rc != MARL_OK) return rc;
    rc = marl_alternating_set_policy(g, st->hdr.policy);
    if (rc == MARL_OK)
        rc = marl_solver_run(g, st->gsweeps ? st->gsweeps : SIZE_MAX, 0.0,
                             0.0, NULL);
    if (rc >= 0) {
        const marl_gl_policy *res = marl_alternating_policy(g);
        rc = res ? marl_gl_policy_assign(st->prop, res) : MARL_EINTERNAL;
    }
    marl_solver_free(g);
    return rc < 0 ? rc : MARL_OK;
}

static int mr_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    mr_state *st = state;
    if (st->done) {
        metrics[M_DONE] = st->done;
        return MARL_CONVERGED;
    }
    double t0 = marl_now_seconds(), evs = 0.0;
    int rc = MARL_OK;
    if (!st->have_cur) {
        rc = evaluate(st, st->hdr.policy, st->v_cur, &st->hw_cur);
        if (rc != MARL_OK) return rc;
        st->have_cur = 1;
    }
    double t1 = marl_now_seconds();
    evs += t1 - t0;
    rc = marl_gl_policy_assign(st->prop, st->hdr.policy);
    if (rc != MARL_OK) return rc;
    if (st->half == 0 && st->chain) {
        marl_alt_chain_info ci;
        marl_alt_chain_solve(st->chain, st->hdr.policy->pg,
                             st->lopts.temperature, st->prop->pl, &ci);
    } else if (st->half == 0) {
        marl_alt_llearn_info info;
        marl_alt_llearn_run(st->ll, &st->model, &st->lopts,
                            st->hdr.policy->pg, st->hdr.policy->pl,
                            st->prop->pl, &info);
    } else {
        rc = propose_global(st);
        if (rc != MARL_OK) return rc;
    }
    double t2 = marl_now_seconds();
    double hw_new = 0.0;
    rc = evaluate(st, st->prop, st->v_new, &hw_new);
    if (rc != MARL_OK) return rc;
    double t3 = marl_now_seconds();
    evs += t3 - t2;
    double eps = st->eps;
    if (st->evaluation == EVAL_MC)
        eps += st->hw_cur > hw_new ? st->hw_cur : hw_new;
    int dec = marl_alt_update_decide(st->v_cur, st->v_new, st->nstart, eps);
    if (dec < 0) return dec;
    /* commit */
    double gmin = HUGE_VAL, gmax = -HUGE_VAL;
    for (size_t s = 0; s < st->nstart; ++s) {
        double gp = st->v_new[s] - st->v_cur[s];
        if (gp < gmin) gmin = gp;
        if (gp > gmax) gmax = gp;
    }
    metrics[M_SIDE] = st->half;
    metrics[M_SWEEP] = (double)st->sweep;
    metrics[M_VOLD] = at_start(st, st->v_cur);
    metrics[M_VNEW] = at_start(st, st->v_new);
    metrics[M_EPS] = eps;
    metrics[M_GAPMIN] = gmin;
    metrics[M_GAPMAX] = gmax;
    metrics[M_DECISION] = dec;
    st->proposals++;
    if (dec == MARL_ALT_ACCEPT) {
        marl_gl_policy *t = st->hdr.policy;
        st->hdr.policy = st->prop;
        st->prop = t;
        double *tv = st->v_cur;
        st->v_cur = st->v_new;
        st->v_new = tv;
        st->hw_cur = hw_new;
        st->accepted_in_sweep = 1;
        st->accepted++;
    } else if (dec == MARL_ALT_STOP) {
        st->done = 1;
    }
    if (++st->half == 2) {
        st->half = 0;
        st->sweep++;
        if (!st->done && !st->accepted_in_sweep) st->done = 2;
        if (!st->done && st->sweep >= st->iterations) st->done = 3;
        st->accepted_in_sweep = 0;
    }
    metrics[M_ACCEPTED] = (double)st->accepted;
    metrics[M_DONE] = st->done;
    metrics[M_LEARN_S] = t2 - t1;
    metrics[M_EVAL_S] = evs;
    return st->done ? MARL_CONVERGED : MARL_OK;
}

static const marl_policy *mr_policy(const void *state) {
    (void)state;
    return NULL; /* see marl_alternating_policy */
}

const marl_solver_type marl_solver_alternating_marl = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "ALTERNATING-MARL: alternating L-LEARN / G-LEARN proposals "
               "with the seed's UPDATE rule (seed 004, Alg. ALTERNATING-MARL)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_GLOBAL_LOCAL),
    .options = mr_options,
    .n_options = sizeof mr_options / sizeof mr_options[0],
    .metric_names = mr_metric_names,
    .n_metrics = N_METRICS,
    .primary_metric = -1,
    .create = mr_create,
    .step = mr_step,
    .policy = mr_policy,
    .destroy = mr_destroy,
};
