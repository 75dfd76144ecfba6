/*
 * Shared machinery of the `mpg` solver family (ALGORITHMS.md §1): the
 * dimensions of the Markov game, the flat per-agent tables the solvers
 * update, the initial policy, and the per-iteration metrics every family
 * member reports. Internal; not installed.
 *
 * Flat tables. Every solver keeps its iterate as one array of S * sum_i A_i
 * doubles laid out exactly like the per-agent tables of metrics.h (Qbar,
 * Abar): agent i's block starts at S * aoff[i] and is indexed
 * [s * A_i + a_i]. A step builds the next iterate in a second array,
 * stores it into a scratch policy, evaluates that policy when metrics are
 * due, and only then swaps arrays and policies, so a failed step (for
 * example an allocation failure inside the exact evaluation) leaves the
 * solver exactly as it was.
 *
 * Metrics. Columns 0..MARL_MPG_N_COMMON-1 of every mpg type are
 *   nash_gap   max_i [V_i^{BR_i,pi_-i}(mu) - V_i^pi(mu)]  (primary)
 *   potential  Phi^pi(mu)  (NaN when the game has no potential)
 *   welfare    sum_i V_i^pi(mu)
 *   poa        welfare / V*  (V* computed once at create; NaN if V* <= 0)
 *   nash_regret  Nash-regret(T) = (1/T) sum_{t<=T} Nash-gap(pi^(t))
 *              (ALGORITHMS.md §1): the running mean of the nash_gap values
 *              computed so far
 * The first four are computed at iteration k (1-based) when eval_every > 0
 * and k is a multiple of eval_every, and are NaN otherwise (eval_every = 0:
 * never), so benchmarks can time the updates alone. nash_regret is reported
 * at every iteration: with eval_every = 1 it is exactly Nash-regret(k); with
 * eval_every > 1 it is the mean over the evaluated iterations <= k (the
 * non-NaN entries of the nash_gap column so far); NaN while none has been
 * evaluated. Solver-specific metrics follow.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_MPG_COMMON_H
#define MARL_SOLVERS_MPG_COMMON_H

#include "marlgame/metrics.h"
#include "marlgame/mpg.h"
#include "policy/policy_impl.h"
#include "solvers/solver_impl.h"

#include <math.h>

/* The common option of every mpg type (put it in each option table). */
#define MARL_MPG_EVAL_EVERY_MAX (1LL << 40)
#define MARL_MPG_OPTION_EVAL_EVERY                                           \
    {"eval_every", MARL_OPTION_INT,                                          \
     "compute the metrics every this many iterations (NaN in between; 0 = " \
     "never)",                                                              \
     1, 0, MARL_MPG_EVAL_EVERY_MAX, 0.0, 0.0, 0.0, NULL, NULL}

/* The common metric columns (first in every mpg type's metric_names). */
enum {
    MARL_MPG_M_NASH_GAP,
    MARL_MPG_M_POTENTIAL,
    MARL_MPG_M_WELFARE,
    MARL_MPG_M_POA,
    MARL_MPG_M_NASH_REGRET,
    MARL_MPG_N_COMMON
};
#define MARL_MPG_COMMON_METRIC_NAMES "nash_gap", "potential", "welfare", "poa",  \
                                     "nash_regret"

typedef struct marl_mpg_common {
    marl_game *game;   /* borrowed from the solver */
    const char *name;  /* solver type name, for messages */
    size_t N, S;
    size_t sumA, Amax; /* sum_i A_i and max_i A_i */
    size_t size;       /* S * sumA: entries of a flat table */
    size_t A[MARL_MARKOV_MAX_AGENTS];
    size_t aoff[MARL_MARKOV_MAX_AGENTS + 1]; /* prefix sums of A */
    double gamma;
    double vstar;      /* optimal team welfare (NaN if eval_every = 0) */
    int has_potential;
    long long eval_every;
    size_t t;          /* iterations completed */
    /* Nash-regret accumulator, maintained by marl_mpg_metrics: the sum and
     * count of the nash_gap values of committed iterations, and the value
     * computed for iteration gap_k (0 = none pending), folded in once the
     * solver has committed that iteration (t >= gap_k). A failed step never
     * advances t, so its value is overwritten by the retry. */
    double gap_sum;
    size_t gap_n;
    double gap_pending;
    size_t gap_k;
} marl_mpg_common;

/* Start of agent i's block in a flat table. */
static inline size_t marl_mpg_block(const marl_mpg_common *c, size_t i) {
    return c->S * c->aoff[i];
}

/* Check that the solver's game is a Markov game (MARL_EKIND otherwise),
 * fill the dimensions, read `eval_every` and compute V* (left NaN when
 * eval_every = 0, since no metric will ever need it). `name` (static) is
 * the solver type name used in messages. */
int marl_mpg_common_init(marl_mpg_common *c, marl_solver *solver,
                         const char *name);

/* Allocate a flat table of c->size doubles (zeroed; NULL with the error
 * recorded, naming `what`). */
double *marl_mpg_table_new(const marl_mpg_common *c, const char *what);

/* New stationary per-agent policy of the game with `flags` (0 or
 * MARL_POLICY_LOGITS), uniform. */
int marl_mpg_policy_new(const marl_mpg_common *c, unsigned flags,
                        marl_policy **out);

/* If the user set an initial policy, copy its probabilities into the flat
 * table probs and return 1 through *given; otherwise leave probs alone and
 * set *given = 0. The initial policy must be stationary (MARL_EINVAL).
 * No allocation. */
int marl_mpg_initial_probs(const marl_mpg_common *c, marl_solver *solver,
                           double *probs, int *given);

/* Starting point of the direct-policy methods: the user's initial policy if
 * set (its probabilities into probs and stored into pi), else uniform
 * (probs = softmax of the all-zero table `zeros`, pi left as created, i.e.
 * uniform). No allocation. */
int marl_mpg_start(const marl_mpg_common *c, marl_solver *solver,
                   marl_policy *pi, double *probs, const double *zeros);

/* Copy a flat table into the stored values of `pi` (probabilities of a
 * direct policy, logits of a LOGITS policy), row by row; no validation,
 * no allocation, cannot fail. */
void marl_mpg_store(const marl_mpg_common *c, marl_policy *pi,
                    const double *table);

/* Same for agent i's block only. */
void marl_mpg_store_agent(const marl_mpg_common *c, marl_policy *pi,
                          size_t i, const double *table);

/* probs = row-wise softmax of the logits table theta (same layout). */
void marl_mpg_softmax_table(const marl_mpg_common *c, const double *theta,
                            double *probs);

/* logp = log(probs) entrywise (log 0 = -HUGE_VAL, so zeros stay zero under
 * multiplicative updates). */
void marl_mpg_log_table(const marl_mpg_common *c, const double *probs,
                        double *logp);

/* One multiplicative-weights (soft policy iteration) step of a row in log
 * space: out = logp + eta * adv - logsumexp(logp + eta * adv), and
 * p = exp(out). out may alias logp. Returns 0, or -1 if the result is not
 * finite (eta * adv overflowed). */
int marl_mpg_mw_row(const double *logp, const double *adv, size_t n,
                    double eta, double *out, double *p);

/* Whether iteration k (1-based) computes the metrics. */
static inline int marl_mpg_eval_due(const marl_mpg_common *c, size_t k) {
    return c->eval_every > 0 && k % (unsigned long long)c->eval_every == 0;
}

/* The common metrics of `pi` into m[0..MARL_MPG_N_COMMON-1] if iteration k
 * is due (NaN otherwise; nash_regret is always written). Must be called
 * with k = c->t + 1, and the solver increments c->t when it commits the
 * step (every mpg solver does); updates the Nash-regret accumulator in c.
 * The values are bit-identical to marl_markov_nash_gap / _welfare /
 * _potential_value on the same policy. */
int marl_mpg_metrics(marl_mpg_common *c, const marl_policy *pi, size_t k,
                     double *m);

#endif /* MARL_SOLVERS_MPG_COMMON_H */
