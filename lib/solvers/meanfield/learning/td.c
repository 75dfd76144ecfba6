/*
 * `meanfield-td`: TD learning of the entropy-regularised mean-field Q of a
 * fixed shared policy from N-player episodes (seed 001 Alg. 1;
 * ALGORITHMS.md §2). The policy is the user's initial policy (SHARED;
 * PER_STEP or stationary) or uniform. One step = one epoch m: one episode,
 * then Qhat_h(s,a) += eta_m (target - Qhat_h(s,a)) at the visited entries,
 * target = r + tau H(pi_h(.|s)) + Qhat_{h+1}(s',a') (no last term at
 * h = H-1); with agents = all the targets of the agents visiting an entry
 * are averaged (one update per visited entry), with agents = one only agent
 * 0 is used. eta_m = 2/(2 + td_delta m) (td_rate = theory, seed Thm. 2) or
 * td_eta.
 * Metrics: q_error = max_{h,s,a} |Qhat - Q^{tau,pi}| against the exact
 * induced MFG (marl_mfg_q; computed once at create), samples (episodes).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/meanfield/learning/learn_common.h"

#include <string.h>

static const char NAME[] = "meanfield-td";

enum { M_QERR, M_SAMPLES, N_METRICS };
static const char *const metric_names[N_METRICS] = {"q_error", "samples"};

static const marl_option_def td_options[] = {
    MARL_MF_OPT_TAU,     MARL_MF_OPT_AGENTS, MARL_MF_OPT_TD_RATE,
    MARL_MF_OPT_TD_DELTA, MARL_MF_OPT_TD_ETA, MARL_MF_OPT_THREADS,
};

typedef struct td_state {
    marl_game *game;
    marl_mf_dims d;
    marl_mf_td td;
    size_t m;
    marl_population_sim *sim;
    marl_poptab tab;
    marl_mf_episode ep;
    double *Q, *Qx, *ent, *work, *probs; /* Q, Qx [HSA], ent [HS] */
    size_t *awork;
    marl_policy *pi;
} td_state;

static void td_destroy(void *state) {
    td_state *st = state;
    if (!st) return;
    marl_population_sim_free(st->sim);
    marl_poptab_free(&st->tab);
    marl_mf_episode_free(&st->ep);
    marl_free(st->Q);
    marl_free(st->Qx);
    marl_free(st->ent);
    marl_free(st->work);
    marl_free(st->probs);
    marl_free(st->awork);
    marl_policy_free(st->pi);
    marl_free(st);
}

static int td_create(marl_solver *solver, void **out) {
    td_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the meanfield-td state");
    st->game = marl_solver_game(solver);
    const marl_mf_dims *d = &st->d;
    long long threads = 0;
    int rc = marl_mf_dims_of(st->game, NAME, &st->d);
    if (!rc) rc = marl_mf_td_read(marl_solver_options(solver), &st->td);
    if (!rc)
        rc = marl_options_get_int(marl_solver_options(solver), "threads",
                                  &threads);
    if (!rc) rc = marl_population_sim_new(&st->sim, st->game,
                                          marl_solver_seed(solver));
    if (!rc) rc = marl_population_sim_set_threads(st->sim, (int)threads);
    if (!rc) rc = marl_mf_episode_new(&st->ep, d);
    if (!rc) {
        st->Q = marl_calloc(d->HSA, sizeof(double));
        st->Qx = marl_calloc(d->HSA, sizeof(double));
        st->probs = marl_calloc(d->HSA, sizeof(double));
        st->ent = marl_calloc(d->H * d->S, sizeof(double));
        st->work = marl_calloc(2 * d->HSA, sizeof(double));
        st->awork = marl_calloc(2 * d->A, sizeof(size_t));
        if (!st->Q || !st->Qx || !st->probs || !st->ent || !st->work ||
            !st->awork)
            rc = marl_error_nomem("the meanfield-td tables");
    }
    const marl_policy *init = marl_solver_initial_policy(solver);
    if (!rc && init) {
        rc = marl_pop_check_policy(init, d->N, d->S, d->A, d->H, NAME);
        if (!rc && !(marl_policy_flags(init) & MARL_POLICY_SHARED))
            rc = marl_error(MARL_EINVAL, "%s: the policy must be SHARED",
                            NAME);
    }
    if (!rc)
        rc = marl_policy_new(&st->pi, st->game,
                             MARL_POLICY_PER_STEP | MARL_POLICY_SHARED);
    if (!rc && init) {
        size_t steps = marl_policy_num_steps(init);
        for (size_t h = 0; h < d->H && !rc; ++h)
            for (size_t s = 0; s < d->S && !rc; ++s)
                rc = marl_policy_get_row(init, 0, steps == 1 ? 0 : h, s,
                                         st->probs + h * d->SA + s * d->A);
        if (!rc) rc = marl_mf_store(st->pi, d, 1, st->probs);
    } else if (!rc) {
        for (size_t k = 0; k < d->HSA; ++k) st->probs[k] = 1.0 / (double)d->A;
    }
    if (!rc) rc = marl_poptab_reshape(&st->tab, 1, d->H, d->S, d->A);
    if (!rc) rc = marl_mfg_q(st->game, st->pi, NULL, st->td.tau, st->Qx);
    if (rc) {
        td_destroy(st);
        return rc;
    }
    marl_poptab_fill(&st->tab, st->probs, st->awork);
    for (size_t h = 0; h < d->H; ++h)
        for (size_t s = 0; s < d->S; ++s)
            st->ent[h * d->S + s] =
                marl_mf_entropy(st->probs + h * d->SA + s * d->A, d->A);
    /* The state is reachable by marl_meanfield_td_q through the solver's
     * extension slot (refreshed by every create). */
    marl_solver_ext *ext = marl_solver_extension(solver);
    ext->data = st;
    ext->release = NULL;
    *out = st;
    return MARL_OK;
}

static int td_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    td_state *st = state;
    const marl_mf_dims *d = &st->d;
    int rc = marl_popsim_run(st->sim, &st->tab, MARL_POPSIM_NO_AGENT, NULL,
                             st->ep.states, st->ep.actions, st->ep.rewards,
                             NULL, NULL);
    if (rc) return rc;
    marl_mf_td_shared(d, &st->td, st->m, &st->ep, st->ent, st->Q, st->work);
    st->m++;
    double err = 0.0;
    for (size_t k = 0; k < d->HSA; ++k) {
        double e = fabs(st->Q[k] - st->Qx[k]);
        if (e > err) err = e;
    }
    metrics[M_QERR] = err;
    metrics[M_SAMPLES] = (double)st->m;
    return MARL_OK;
}

static const marl_policy *td_policy(const void *state) {
    return ((const td_state *)state)->pi;
}

const marl_solver_type marl_solver_meanfield_td = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "TD learning of the regularised mean-field Q of a shared "
               "policy from N-player episodes (seed 001 Alg. 1)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_POPULATION),
    .options = td_options,
    .n_options = sizeof td_options / sizeof td_options[0],
    .metric_names = metric_names,
    .n_metrics = N_METRICS,
    .primary_metric = -1,
    .create = td_create,
    .step = td_step,
    .policy = td_policy,
    .destroy = td_destroy,
};

int marl_meanfield_td_q(marl_solver *solver, double *Q) {
    const char *fn = "marl_meanfield_td_q";
    if (!solver || !Q)
        return marl_error(MARL_EINVAL, "%s: solver or Q is NULL", fn);
    if (marl_solver_get_type(solver) != &marl_solver_meanfield_td)
        return marl_error(MARL_EINVAL, "%s: the solver is not meanfield-td",
                          fn);
    if (!marl_solver_policy(solver)) return marl_last_error_code();
    const td_state *st = marl_solver_extension(solver)->data;
    memcpy(Q, st->Q, st->d.HSA * sizeof *Q);
    return MARL_OK;
}
