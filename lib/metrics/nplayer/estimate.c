/*
 * The N-player exploitability estimate of a population-game policy
 * (nplayer.h; ALGORITHMS.md §2):
 *  1. M rollouts of the N-player game under pi record, per step, the counts
 *     C_h^(m) and every agent's own (state, action) pair;
 *  2. for each evaluated agent i the averaged MDP
 *       Pbar_h(.|s,a) = (1/M) sum_m P^i(.|s,a,sigma_{-i,h}^(m)),
 *       Rbar_h(s,a)   = (1/M) sum_m R^i(s,a,sigma_{-i,h}^(m)),
 *     sigma_{-i,h}^(m) = (C_h^(m) - e_{own pair}) / (N - 1), is solved by
 *     backward induction (greedy, ties to the lowest action) -> BR_i;
 *  3. K paired episodes: episode k is simulated twice from the same seed
 *     (common random numbers: every agent consumes the same uniforms in
 *     both), once with everybody on pi (shared by all agents) and once with
 *     agent i on BR_i (deviation = resimulate: the real N-player game), or
 *     agent i's own path alone is re-simulated against the others' recorded
 *     baseline path (deviation = frozen: the others do not react to the
 *     deviator's 1/(N-1) share of their sigma; O(H) per agent and episode);
 *     gain_k = J_k^i(BR_i) - J_k^i(pi); mean and 1.96 standard errors;
 *  4. the agent with the largest mean gain is selected, and (when more
 *     than one agent is evaluated) its gain is re-estimated on K fresh
 *     paired episodes, so the reported mean is an unbiased estimate of
 *     J^i(BR_i) - J^i(pi) for the selected agent (the maximum of noisy
 *     means would be biased upwards) and hence, in expectation, a lower
 *     bound of the exploitability (resimulate mode).
 * Symmetric games evaluate the callbacks once per (rollout, step, own pair)
 * and share them between agents.
 * SPDX-License-Identifier: MIT
 */
#include "metrics/nplayer/nplayer_impl.h"

#include <math.h>
#include <string.h>

static const marl_option_def est_defs[] = {
    {"rollouts", MARL_OPTION_INT, "M: episodes building the averaged MDPs",
     20, 1, 1LL << 30, 0.0, 0.0, 0.0, NULL, NULL},
    {"eval_rollouts", MARL_OPTION_INT, "K: paired episodes per evaluated "
     "agent (>= 2 for a confidence interval)", 8, 1, 1LL << 30, 0.0, 0.0,
     0.0, NULL, NULL},
    {"agents", MARL_OPTION_INT, "agents evaluated (0 = all, else a seeded "
     "sample)", 0, 0, 1LL << 40, 0.0, 0.0, 0.0, NULL, NULL},
    {"seed", MARL_OPTION_INT, "seed of every draw", 1, 0, INT64_MAX, 0.0,
     0.0, 0.0, NULL, NULL},
    {"threads", MARL_OPTION_INT, "OpenMP threads of the simulation (0 = the "
     "OpenMP default; results do not depend on it)", 1, 0, 1024, 0.0, 0.0,
     0.0, NULL, NULL},
    {"deviation", MARL_OPTION_ENUM, "evaluation episodes: resimulate the "
     "whole N-player game, or the deviator alone against the others' "
     "recorded paths", 0, 0, 0, 0.0, 0.0, 0.0, "resimulate|frozen", NULL},
};

int marl_population_estimate_options_new(marl_options **out) {
    if (!out)
        return marl_error(MARL_EINVAL, "marl_population_estimate_options_new: "
                                       "out is NULL");
    return marl_options_new(out, est_defs, sizeof est_defs / sizeof est_defs[0]);
}

static int read_settings(const marl_options *opts, marl_est_settings *e) {
    marl_options *def = NULL;
    if (!opts) {
        int rc = marl_population_estimate_options_new(&def);
        if (rc) return rc;
        opts = def;
    }
    long long v[6] = {0};
    const char *names[6] = {"rollouts", "eval_rollouts", "agents",
                            "seed",     "threads",       "deviation"};
    int rc = MARL_OK;
    for (int k = 0; k < 6 && !rc; ++k)
        rc = marl_options_get_int(opts, names[k], &v[k]);
    marl_options_free(def);
    if (rc)
        return marl_error(rc, "marl_population_exploitability: the option set "
                          "is not an estimator option set");
    e->M = (size_t)v[0];
    e->K = (size_t)v[1];
    e->n_eval = (size_t)v[2];
    e->seed = (uint64_t)v[3];
    e->threads = (int)v[4];
    e->frozen = (int)v[5];
    return MARL_OK;
}

int marl_population_exploitability(marl_game *game, const marl_policy *policy,
                                   const marl_options *opts, double *estimate,
                                   double *half_width, size_t *agent) {
    const char *fn = "marl_population_exploitability";
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    marl_est_settings set;
    rc = read_settings(opts, &set);
    if (rc) return rc;
    marl_est est;
    rc = marl_est_init(&est, game, policy, &set, fn);
    if (!rc) rc = marl_est_flows(&est);
    if (!rc) rc = marl_est_baseline(&est, 0);
    double best = -INFINITY, best_hw = NAN;
    size_t best_i = 0;
    for (size_t k = 0; k < est.n_eval && !rc; ++k) {
        size_t i = est.eval[k];
        double mean, hw;
        rc = marl_est_best_response(&est, i);
        if (!rc) rc = marl_est_gain(&est, i, 0, &mean, &hw);
        if (!rc && mean > best) {
            best = mean;
            best_hw = hw;
            best_i = i;
        }
    }
    /* The largest of several noisy means is biased upwards: re-evaluate
     * the selected agent on K fresh episodes (K..2K-1). */
    if (!rc && est.n_eval > 1) {
        rc = marl_est_baseline(&est, est.set.K);
        if (!rc) rc = marl_est_best_response(&est, best_i);
        if (!rc) rc = marl_est_gain(&est, best_i, est.set.K, &best, &best_hw);
    }
    marl_est_free(&est);
    if (rc) return rc;
    if (estimate) *estimate = best;
    if (half_width) *half_width = best_hw;
    if (agent) *agent = best_i;
    return MARL_OK;
}
