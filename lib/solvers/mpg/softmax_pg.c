/*
 * `mpg-softmax-pg`: independent tabular softmax policy gradient with exact
 * gradients (seed 003, eq. 3; ALGORITHMS.md §1). Every player ascends its
 * own value at once:
 *   theta_i(s,a_i) += eta * [ d_mu(s) pi_i(a_i|s) Abar_i(s,a_i)
 *                             + lambda/(S A_i) (1 - A_i pi_i(a_i|s)) ]
 * where d_mu is the unnormalised discounted visitation and the second term
 * is the gradient of the log barrier
 *   lambda * (sum_{s,a_i} log pi_i(a_i|s) / (S A_i) + log A_i)
 * (seed 003 §3.2; option log_barrier = lambda, 0 = off).
 *
 * Initialisation: a user initial policy (every probability > 0; theta =
 * log p - mean log p per row) takes precedence; otherwise option `init`:
 * `uniform` (theta = 0) or `normal` (theta ~ N(0,1) i.i.d., drawn with
 * marl_rng_normal from the solver's sampler RNG, one draw per logit in
 * (agent, state, action) order - the order marl_policy_randomize uses).
 *
 * Extra metric: grad_norm, the Euclidean norm of the full update direction
 * (gradient plus barrier gradient) at the previous iterate.
 * SPDX-License-Identifier: MIT
 */
#include "metrics/markov_metrics.h"
#include "solvers/mpg/mpg_common.h"

#include <string.h>

static const char NAME[] = "mpg-softmax-pg";

enum { M_GRAD_NORM = MARL_MPG_N_COMMON, M_COUNT };
static const char *const spg_metric_names[M_COUNT] = {
    MARL_MPG_COMMON_METRIC_NAMES, "grad_norm"};

static const marl_option_def spg_options[] = {
    {"eta", MARL_OPTION_REAL, "step size (>= 0)", 0, 0, 0, 0.1, 0.0, HUGE_VAL,
     NULL, NULL},
    {"log_barrier", MARL_OPTION_REAL,
     "log-barrier weight lambda (0 = off; seed 003 section 3.2)", 0, 0, 0,
     0.0, 0.0, HUGE_VAL, NULL, NULL},
    {"init", MARL_OPTION_ENUM,
     "initial logits: uniform (theta = 0) or normal (theta ~ N(0,1), seeded)",
     0, 0, 0, 0.0, 0.0, 0.0, "uniform|normal", NULL},
    MARL_MPG_OPTION_EVAL_EVERY,
};

typedef struct spg_state {
    marl_mpg_common c;
    double eta, lambda;
    marl_policy *pi, *next; /* LOGITS policies: current iterate, scratch */
    double *theta, *theta_next, *probs, *Abar, *d;
    marl_markov_ctx *ev; /* exact evaluation workspace, reused */
} spg_state;

static void spg_destroy(void *state) {
    spg_state *st = state;
    if (!st) return;
    marl_policy_free(st->pi);
    marl_policy_free(st->next);
    marl_free(st->theta);
    marl_free(st->theta_next);
    marl_free(st->probs);
    marl_free(st->Abar);
    marl_free(st->d);
    marl_markov_ctx_free(st->ev);
    marl_free(st);
}

/* theta from the user's initial policy (probabilities in st->probs). */
static int logits_from_probs(spg_state *st) {
    const marl_mpg_common *c = &st->c;
    for (size_t i = 0; i < c->N; ++i)
        for (size_t s = 0; s < c->S; ++s) {
            size_t off = marl_mpg_block(c, i) + s * c->A[i];
            const double *p = st->probs + off;
            double *th = st->theta + off, mean = 0.0;
            for (size_t a = 0; a < c->A[i]; ++a) {
                if (!(p[a] > 0.0))
                    return marl_error(MARL_ERANGE,
                                      "%s: the initial policy gives agent "
                                      "%zu, state %zu, action %zu probability "
                                      "0; softmax parameters need every "
                                      "probability > 0",
                                      NAME, i, s, a);
                th[a] = log(p[a]);
                mean += th[a];
            }
            mean /= (double)c->A[i];
            for (size_t a = 0; a < c->A[i]; ++a)
                th[a] -= mean;
        }
    return MARL_OK;
}

static int spg_init_theta(spg_state *st, marl_solver *solver) {
    int given = 0;
    int rc = marl_mpg_initial_probs(&st->c, solver, st->probs, &given);
    if (rc != MARL_OK) return rc;
    if (given) return logits_from_probs(st);
    long long init = 0;
    rc = marl_options_get_int(marl_solver_options(solver), "init", &init);
    if (rc != MARL_OK || init == 0) return rc; /* uniform: theta = 0 */
    marl_sampler *smp = marl_solver_sampler(solver);
    if (!smp) return marl_last_error_code();
    marl_rng *rng = marl_sampler_rng(smp);
    if (!rng)
        return marl_error(MARL_EINTERNAL, "%s: the solver's sampler has no "
                          "random generator", NAME);
    for (size_t k = 0; k < st->c.size; ++k)
        st->theta[k] = marl_rng_normal(rng);
    return MARL_OK;
}

static int spg_create(marl_solver *solver, void **out) {
    spg_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the mpg-softmax-pg state");
    const marl_options *o = marl_solver_options(solver);
    int rc = marl_mpg_common_init(&st->c, solver, NAME);
    if (rc == MARL_OK) rc = marl_options_get_real(o, "eta", &st->eta);
    if (rc == MARL_OK)
        rc = marl_options_get_real(o, "log_barrier", &st->lambda);
    if (rc == MARL_OK) {
        st->theta = marl_mpg_table_new(&st->c, "the softmax logits");
        st->theta_next = st->theta ? marl_mpg_table_new(&st->c, "logits")
                                   : NULL;
        st->probs = st->theta_next ? marl_mpg_table_new(&st->c, "policy")
                                   : NULL;
        st->Abar = st->probs ? marl_mpg_table_new(&st->c, "advantages")
                             : NULL;
        st->d = st->Abar ? marl_calloc(st->c.S, sizeof *st->d) : NULL;
        if (!st->d) rc = marl_error_nomem("the mpg-softmax-pg workspace");
    }
    if (rc == MARL_OK) rc = marl_markov_ctx_new(&st->ev, st->c.game, NAME);
    if (rc == MARL_OK)
        rc = marl_mpg_policy_new(&st->c, MARL_POLICY_LOGITS, &st->pi);
    if (rc == MARL_OK)
        rc = marl_mpg_policy_new(&st->c, MARL_POLICY_LOGITS, &st->next);
    if (rc == MARL_OK) rc = spg_init_theta(st, solver);
    if (rc != MARL_OK) {
        spg_destroy(st);
        return rc;
    }
    marl_mpg_store(&st->c, st->pi, st->theta);
    *out = st;
    return MARL_OK;
}

static int spg_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    spg_state *st = state;
    const marl_mpg_common *c = &st->c;
    /* Abar and d from one factorisation (marl_markov_averaged_q and
     * marl_markov_visitation, bit for bit). */
    int rc = marl_markov_ctx_eval(st->ev, st->pi, NULL, st->Abar, NULL, st->d);
    if (rc != MARL_OK) return rc;
    marl_mpg_softmax_table(c, st->theta, st->probs);
    double norm2 = 0.0;
    for (size_t i = 0; i < c->N; ++i) {
        size_t Ai = c->A[i];
        double bar = st->lambda / ((double)c->S * (double)Ai);
        for (size_t s = 0; s < c->S; ++s) {
            size_t off = marl_mpg_block(c, i) + s * Ai;
            const double *p = st->probs + off, *adv = st->Abar + off;
            const double *th = st->theta + off;
            double *thn = st->theta_next + off;
            for (size_t a = 0; a < Ai; ++a) {
                double g = st->d[s] * p[a] * adv[a] +
                           bar * (1.0 - (double)Ai * p[a]);
                norm2 += g * g;
                thn[a] = th[a] + st->eta * g;
                if (!isfinite(thn[a]))
                    return marl_error(MARL_ERANGE,
                                      "%s: the logit of agent %zu, state "
                                      "%zu, action %zu is no longer finite "
                                      "(reduce eta)",
                                      NAME, i, s, a);
            }
        }
    }
    marl_mpg_store(c, st->next, st->theta_next);
    rc = marl_mpg_metrics(&st->c, st->next, c->t + 1, metrics);
    if (rc != MARL_OK) return rc;
    metrics[M_GRAD_NORM] = sqrt(norm2);
    marl_policy *tp = st->pi;
    st->pi = st->next;
    st->next = tp;
    double *tt = st->theta;
    st->theta = st->theta_next;
    st->theta_next = tt;
    st->c.t++;
    return MARL_OK;
}

static const marl_policy *spg_policy(const void *state) {
    return ((const spg_state *)state)->pi;
}

const marl_solver_type marl_solver_mpg_softmax_pg = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "independent tabular softmax policy gradient with exact "
               "gradients and optional log barrier (seed 003, eq. 3, "
               "section 3.2)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = spg_options,
    .n_options = sizeof spg_options / sizeof spg_options[0],
    .metric_names = spg_metric_names,
    .n_metrics = M_COUNT,
    .primary_metric = MARL_MPG_M_NASH_GAP,
    .create = spg_create,
    .step = spg_step,
    .policy = spg_policy,
    .destroy = spg_destroy,
};
