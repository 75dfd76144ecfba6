/*
 * `meanfield-pmd` = Symm-PMD (seed 001 Alg. 2) and `meanfield-ipmd` (the
 * seed's independent-PMD baseline), ALGORITHMS.md §2.
 *
 * One step = one PMD epoch t:
 *  1. Qhat^t by TD (Alg. 1) on td_epochs fresh N-player episodes under
 *     pi_t (Symm-PMD: one shared Qhat; IPMD: one per agent from its own
 *     trajectory), or, with exact_q (Symm-PMD only), the exact regularised
 *     Q of the induced MFG (marl_mfg_q);
 *  2. qhat = Qhat - tau H(pi_t(.|s)); closed-form PMD step
 *     pihat ∝ pi_t^(1 - tau xi_t) exp(xi_t qhat) (learn_common.h);
 *  3. pi_{t+1} = (1 - beta_t) pihat + beta_t Unif, beta_t = 1/(t+1+c),
 *     c = mix_offset;
 *  4. the output policy is the average pibar = (1/(t+2)) sum_{k<=t+1} pi_k.
 * xi_t = xi0 / sqrt(t+1) (schedule inv_sqrt, seed Thm. 3) or xi0
 * (constant); tau xi0 < 1 is required.
 * Metrics: exploitability (MFG exploitability of pibar, exact; for IPMD of
 * the agents' mean policy (1/N) sum_i pibar^i), exploitability_current (the
 * same for pi_{t+1}), samples (N-player episodes simulated so far),
 * nplayer_estimate and nplayer_half_width (marl_population_exploitability
 * of the output policy every estimate_every epochs, with the estimator
 * settings of option `estimate`; NaN otherwise).
 * With epochs = T > 0, the T-th step returns MARL_CONVERGED and later
 * steps return it again, repeating the last metrics. A failed step leaves
 * the iterate unchanged (the simulator's streams advance).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/meanfield/learning/learn_common.h"

#include <stdio.h>
#include <string.h>

enum { M_EXPL, M_EXPL_CUR, M_SAMPLES, M_EST, M_EST_HW, N_METRICS };
static const char *const metric_names[N_METRICS] = {
    "exploitability", "exploitability_current", "samples",
    "nplayer_estimate", "nplayer_half_width"};

#define COMMON_OPTIONS                                                       \
    {"epochs", MARL_OPTION_INT, "T: stop (converged) after this many PMD "   \
     "epochs (0 = no limit)", 0, 0, 1LL << 40, 0.0, 0.0, 0.0, NULL, NULL},   \
    {"td_epochs", MARL_OPTION_INT, "M: TD epochs (N-player episodes) per "   \
     "PMD epoch", 20, 1, 1LL << 40, 0.0, 0.0, 0.0, NULL, NULL},              \
    MARL_MF_OPT_TAU,                                                         \
    {"xi", MARL_OPTION_ENUM, "PMD step schedule: xi0/sqrt(t+1) (seed Thm. "  \
     "3) or constant xi0", 0, 0, 0, 0.0, 0.0, 0.0, "inv_sqrt|constant",      \
     NULL},                                                                  \
    {"xi0", MARL_OPTION_REAL, "PMD step size scale (tau xi0 < 1)", 0, 0, 0,  \
     1.0, 1e-12, 1e6, NULL, NULL},                                           \
    {"mix_offset", MARL_OPTION_REAL, "c in the uniform mixing weight "       \
     "1/(t+1+c) (0 = the seed literally)", 0, 0, 0, 1.0, 0.0, 1e12, NULL,   \
     NULL},                                                                  \
    MARL_MF_OPT_AGENTS, MARL_MF_OPT_TD_RATE, MARL_MF_OPT_TD_DELTA,           \
    MARL_MF_OPT_TD_ETA, MARL_MF_OPT_THREADS,                                 \
    {"estimate_every", MARL_OPTION_INT, "N-player exploitability estimate "  \
     "of the output policy every this many epochs (0 = never)", 0, 0,        \
     1LL << 40, 0.0, 0.0, 0.0, NULL, NULL},                                  \
    {"estimate", MARL_OPTION_STRING, "estimator settings k=v,... (see "      \
     "marl_population_estimate_options_new)", 0, 0, 0, 0.0, 0.0, 0.0, NULL,  \
     ""}

static const marl_option_def pmd_options[] = {
    COMMON_OPTIONS,
    {"exact_q", MARL_OPTION_INT, "1: exact regularised Q of the induced MFG "
     "instead of TD (validation)", 0, 0, 1, 0.0, 0.0, 0.0, NULL, NULL},
};
static const marl_option_def ipmd_options[] = {COMMON_OPTIONS};

typedef struct pmd_state {
    const char *name;
    marl_game *game;
    marl_mf_dims d;
    marl_mf_td td;
    int per_agent, exact_q, xi_mode;
    long long epochs, est_every;
    size_t M, nt; /* TD epochs; tables (1 or N) */
    double xi0, mix_c;
    size_t t;
    double samples;
    marl_population_sim *sim;
    marl_poptab tab;
    marl_mf_episode ep;
    size_t *awork;                   /* [2A] alias work */
    double *p, *logp, *pn, *logpn;   /* [nt*HSA] */
    double *avg, *avgn, *Q, *ent;    /* avg, avgn, Q [nt*HSA]; ent [nt*H*S] */
    double *work, *mean;             /* [2*HSA], [HSA] */
    marl_policy *out, *scratch;      /* output (pibar), shared scratch */
    marl_options *est;
    double last[N_METRICS]; /* metrics of the last epoch */
} pmd_state;

static void pmd_destroy(void *state) {
    pmd_state *st = state;
    if (!st) return;
    marl_population_sim_free(st->sim);
    marl_poptab_free(&st->tab);
    marl_mf_episode_free(&st->ep);
    double *bufs[] = {st->p,   st->logp, st->pn,  st->logpn, st->avg,
                      st->avgn, st->Q,   st->ent, st->work,  st->mean};
    for (size_t k = 0; k < sizeof bufs / sizeof bufs[0]; ++k)
        marl_free(bufs[k]);
    marl_free(st->awork);
    marl_policy_free(st->out);
    marl_policy_free(st->scratch);
    marl_options_free(st->est);
    marl_free(st);
}

static int read_options(pmd_state *st, const marl_options *o) {
    long long M = 20, xi = 0, ex = 0, threads = 0;
    int rc = marl_mf_td_read(o, &st->td);
    if (!rc) rc = marl_options_get_int(o, "epochs", &st->epochs);
    if (!rc) rc = marl_options_get_int(o, "td_epochs", &M);
    if (!rc) rc = marl_options_get_int(o, "xi", &xi);
    if (!rc) rc = marl_options_get_real(o, "xi0", &st->xi0);
    if (!rc) rc = marl_options_get_real(o, "mix_offset", &st->mix_c);
    if (!rc) rc = marl_options_get_int(o, "threads", &threads);
    if (!rc) rc = marl_options_get_int(o, "estimate_every", &st->est_every);
    if (!rc && !st->per_agent) rc = marl_options_get_int(o, "exact_q", &ex);
    if (rc) return rc;
    st->M = (size_t)M;
    st->xi_mode = (int)xi;
    st->exact_q = (int)ex;
    if (st->td.tau * st->xi0 >= 1.0)
        return marl_error(MARL_EINVAL,
                          "%s: tau * xi0 = %g must be < 1 (the PMD step "
                          "requires tau xi_t < 1)",
                          st->name, st->td.tau * st->xi0);
    if (st->est_every > 0) {
        const char *spec = "";
        rc = marl_options_get_string(o, "estimate", &spec);
        if (!rc) rc = marl_population_estimate_options_new(&st->est);
        if (!rc) rc = marl_options_parse(st->est, spec);
        if (rc) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", marl_last_error());
            return marl_error(rc, "%s: option estimate: %s", st->name, msg);
        }
    }
    return marl_population_sim_set_threads(st->sim, (int)threads);
}

/* Initial tables: the user's initial policy (rows read per table) or
 * uniform. */
static int init_tables(pmd_state *st, marl_solver *solver) {
    const marl_policy *init = marl_solver_initial_policy(solver);
    const marl_mf_dims *d = &st->d;
    size_t n = st->nt * d->HSA;
    if (init) {
        int rc = marl_pop_check_policy(init, d->N, d->S, d->A, d->H, st->name);
        if (rc) return rc;
        int shared = (marl_policy_flags(init) & MARL_POLICY_SHARED) != 0;
        if (!st->per_agent && !shared)
            return marl_error(MARL_EINVAL, "%s: the initial policy must be "
                              "SHARED", st->name);
        size_t steps = marl_policy_num_steps(init);
        for (size_t i = 0; i < st->nt; ++i)
            for (size_t h = 0; h < d->H; ++h)
                for (size_t s = 0; s < d->S; ++s) {
                    rc = marl_policy_get_row(init, i, steps == 1 ? 0 : h, s,
                                             st->p + i * d->HSA + h * d->SA +
                                                 s * d->A);
                    if (rc) return rc;
                }
    } else {
        for (size_t k = 0; k < n; ++k) st->p[k] = 1.0 / (double)d->A;
    }
    for (size_t k = 0; k < n; ++k) st->logp[k] = log(st->p[k]);
    memcpy(st->avg, st->p, n * sizeof *st->p);
    return marl_mf_store(st->out, d, st->nt, st->avg);
}

static int create_common(marl_solver *solver, void **out, int per_agent,
                         const char *name) {
    pmd_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("a mean-field PMD state");
    st->name = name;
    st->per_agent = per_agent;
    st->game = marl_solver_game(solver);
    int rc = marl_mf_dims_of(st->game, name, &st->d);
    const marl_mf_dims *d = &st->d;
    st->nt = per_agent ? d->N : 1;
    if (!rc) rc = marl_population_sim_new(&st->sim, st->game,
                                          marl_solver_seed(solver));
    if (!rc) rc = read_options(st, marl_solver_options(solver));
    if (!rc) rc = marl_mf_episode_new(&st->ep, d);
    if (!rc) {
        size_t n = st->nt * d->HSA;
        double **tabs[] = {&st->p, &st->logp, &st->pn,  &st->logpn,
                           &st->avg, &st->avgn, &st->Q};
        for (size_t k = 0; k < sizeof tabs / sizeof tabs[0] && !rc; ++k)
            if (!(*tabs[k] = marl_malloc(n * sizeof(double))))
                rc = marl_error_nomem("the policy tables");
        if (!rc && !(st->ent = marl_malloc(st->nt * d->H * d->S *
                                           sizeof(double))))
            rc = marl_error_nomem("the entropy table");
        if (!rc && !(st->work = marl_malloc(2 * d->HSA * sizeof(double))))
            rc = marl_error_nomem("the TD work space");
        if (!rc && !(st->mean = marl_malloc(d->HSA * sizeof(double))))
            rc = marl_error_nomem("the mean policy");
        if (!rc && !(st->awork = marl_malloc(2 * d->A * sizeof(size_t))))
            rc = marl_error_nomem("the alias work space");
    }
    if (!rc)
        rc = marl_policy_new(&st->out, st->game,
                             MARL_POLICY_PER_STEP |
                                 (per_agent ? 0u : MARL_POLICY_SHARED));
    if (!rc)
        rc = marl_policy_new(&st->scratch, st->game,
                             MARL_POLICY_PER_STEP | MARL_POLICY_SHARED);
    if (!rc) rc = marl_poptab_reshape(&st->tab, st->nt, d->H, d->S, d->A);
    if (!rc) rc = init_tables(st, solver);
    if (rc) {
        pmd_destroy(st);
        return rc;
    }
    *out = st;
    return MARL_OK;
}

static int pmd_create(marl_solver *solver, void **out) {
    return create_common(solver, out, 0, "meanfield-pmd");
}
static int ipmd_create(marl_solver *solver, void **out) {
    return create_common(solver, out, 1, "meanfield-ipmd");
}

/* Step 1: Q (and the entropies) for the current tables. */
static int estimate_q(pmd_state *st) {
    const marl_mf_dims *d = &st->d;
    for (size_t i = 0; i < st->nt; ++i)
        for (size_t h = 0; h < d->H; ++h)
            for (size_t s = 0; s < d->S; ++s)
                st->ent[(i * d->H + h) * d->S + s] = marl_mf_entropy(
                    st->p + i * d->HSA + h * d->SA + s * d->A, d->A);
    if (st->exact_q) {
        int rc = marl_mf_store(st->scratch, d, 1, st->p);
        if (!rc) rc = marl_mfg_q(st->game, st->scratch, NULL, st->td.tau,
                                 st->Q);
        return rc;
    }
    memset(st->Q, 0, st->nt * d->HSA * sizeof *st->Q);
    marl_poptab_fill(&st->tab, st->p, st->awork);
    for (size_t m = 0; m < st->M; ++m) {
        int rc = marl_popsim_run(st->sim, &st->tab, MARL_POPSIM_NO_AGENT, NULL,
                                 st->ep.states, st->ep.actions, st->ep.rewards,
                                 NULL, NULL);
        if (rc) return rc;
        if (st->per_agent)
            marl_mf_td_per_agent(d, &st->td, m, &st->ep, st->ent, st->Q);
        else
            marl_mf_td_shared(d, &st->td, m, &st->ep, st->ent, st->Q,
                              st->work);
    }
    return MARL_OK;
}

/* MFG exploitability of a table set (per agent: of the agents' mean). */
static int table_exploitability(pmd_state *st, const double *tabs,
                                double *value) {
    const marl_mf_dims *d = &st->d;
    const double *shared = tabs;
    if (st->per_agent) {
        memset(st->mean, 0, d->HSA * sizeof *st->mean);
        for (size_t i = 0; i < d->N; ++i)
            for (size_t k = 0; k < d->HSA; ++k)
                st->mean[k] += tabs[i * d->HSA + k];
        for (size_t k = 0; k < d->HSA; ++k) st->mean[k] /= (double)d->N;
        shared = st->mean;
    }
    return marl_mf_exploitability(st->game, st->scratch, d, shared, value);
}

static int pmd_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    pmd_state *st = state;
    const marl_mf_dims *d = &st->d;
    if (st->epochs > 0 && st->t >= (size_t)st->epochs) {
        /* past the last epoch: repeat its metrics */
        for (int k = 0; k < N_METRICS; ++k) metrics[k] = st->last[k];
        return MARL_CONVERGED;
    }
    int rc = estimate_q(st);
    if (rc) return rc;
    double xi = st->xi_mode == MARL_MF_XI_CONSTANT
                    ? st->xi0
                    : st->xi0 / sqrt((double)st->t + 1.0);
    double beta = 1.0 / ((double)st->t + 1.0 + st->mix_c);
    double q[MARL_POPSIM_MAX_ACTIONS];
    size_t rows = st->nt * d->H * d->S;
    for (size_t r = 0; r < rows; ++r) {
        size_t off = r * d->A;
        for (size_t a = 0; a < d->A; ++a)
            q[a] = st->Q[off + a] - st->td.tau * st->ent[r];
        if (marl_mf_pmd_row(st->logp + off, q, d->A, st->td.tau, xi,
                            st->logpn + off, st->pn + off) != 0)
            return marl_error(MARL_ERANGE, "%s: the PMD update of row %zu "
                              "(agent, step, state) is not finite",
                              st->name, r);
        marl_mf_mix_row(st->pn + off, st->logpn + off, d->A, beta);
    }
    size_t n = st->nt * d->HSA;
    double w = 1.0 / ((double)st->t + 2.0);
    for (size_t k = 0; k < n; ++k)
        st->avgn[k] = st->avg[k] + w * (st->pn[k] - st->avg[k]);
    double samples = st->samples + (st->exact_q ? 0.0 : (double)st->M);
    rc = table_exploitability(st, st->avgn, &metrics[M_EXPL]);
    if (!rc) rc = table_exploitability(st, st->pn, &metrics[M_EXPL_CUR]);
    if (!rc) rc = marl_mf_store(st->out, d, st->nt, st->avgn);
    if (rc) {
        marl_mf_store(st->out, d, st->nt, st->avg);
        return rc;
    }
    metrics[M_SAMPLES] = samples;
    metrics[M_EST] = metrics[M_EST_HW] = NAN;
    if (st->est_every > 0 && (st->t + 1) % (size_t)st->est_every == 0) {
        rc = marl_population_exploitability(st->game, st->out, st->est,
                                            &metrics[M_EST],
                                            &metrics[M_EST_HW], NULL);
        if (rc) {
            marl_mf_store(st->out, d, st->nt, st->avg);
            return rc;
        }
    }
    double *tp;
    tp = st->p, st->p = st->pn, st->pn = tp;
    tp = st->logp, st->logp = st->logpn, st->logpn = tp;
    tp = st->avg, st->avg = st->avgn, st->avgn = tp;
    st->samples = samples;
    st->t++;
    for (int k = 0; k < N_METRICS; ++k) st->last[k] = metrics[k];
    if (st->epochs > 0 && st->t >= (size_t)st->epochs) return MARL_CONVERGED;
    return MARL_OK;
}

static const marl_policy *pmd_policy(const void *state) {
    return ((const pmd_state *)state)->out;
}

const marl_solver_type marl_solver_meanfield_pmd = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "meanfield-pmd",
    .summary = "Symm-PMD: policy mirror descent with TD on the N-player "
               "game, shared policy (seed 001 Alg. 2)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_POPULATION),
    .options = pmd_options,
    .n_options = sizeof pmd_options / sizeof pmd_options[0],
    .metric_names = metric_names,
    .n_metrics = N_METRICS,
    .primary_metric = M_EXPL,
    .create = pmd_create,
    .step = pmd_step,
    .policy = pmd_policy,
    .destroy = pmd_destroy,
};

const marl_solver_type marl_solver_meanfield_ipmd = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "meanfield-ipmd",
    .summary = "independent PMD: one Q and one policy per agent (seed 001's "
               "IPMD baseline)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_POPULATION),
    .options = ipmd_options,
    .n_options = sizeof ipmd_options / sizeof ipmd_options[0],
    .metric_names = metric_names,
    .n_metrics = N_METRICS,
    .primary_metric = M_EXPL,
    .create = ipmd_create,
    .step = pmd_step,
    .policy = pmd_policy,
    .destroy = pmd_destroy,
};
