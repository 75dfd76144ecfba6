/*
 * Internal layout of marl_policy. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_POLICY_IMPL_H
#define MARL_POLICY_IMPL_H

#include "marlgame/policy.h"
#include "core/internal.h"

struct marl_policy {
    marl_game *game;     /* reference held */
    unsigned flags;      /* MARL_POLICY_* */
    size_t n_agents;
    size_t n_steps;      /* 1 unless PER_STEP */
    size_t n_states;
    size_t n_tables;     /* n_agents, or 1 if SHARED */
    size_t *n_actions;   /* [n_tables] */
    size_t *offset;      /* [n_tables]: start of table t in values */
    size_t n_values;
    double *values;      /* probabilities, or logits if LOGITS; table t, row
                            (step, state) at offset[t] + (step*S+state)*A_t */
};

/* Table used by `agent` (0 for shared policies). No checks. */
static inline size_t marl_policy_table(const marl_policy *p, size_t agent) {
    return (p->flags & MARL_POLICY_SHARED) ? 0 : agent;
}

/* Pointer to the stored row (probabilities or logits). No checks. */
static inline const double *marl_policy_row_ptr(const marl_policy *p,
                                                size_t agent, size_t step,
                                                size_t state) {
    size_t t = marl_policy_table(p, agent);
    return p->values + p->offset[t] +
           (step * p->n_states + state) * p->n_actions[t];
}

/* Probabilities of a row into out (softmax for LOGITS). No checks. */
void marl_policy_probs_unchecked(const marl_policy *p, size_t agent,
                                 size_t step, size_t state, double *out);

/* Numerically stable softmax of theta[0..n-1] into out. */
void marl_softmax(const double *theta, size_t n, double *out);

#endif /* MARL_POLICY_IMPL_H */
