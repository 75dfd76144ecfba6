/*
 * Episodes of aggregative games under pure Markov policies (used by
 * aggregative-vi to play pi^k in the true game). Internal.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SAMPLER_AGGREGATIVE_H
#define MARL_SAMPLER_AGGREGATIVE_H

#include "game/aggregative/amg_impl.h"
#include "marlgame/sampler.h"

/* One episode of the pure policy actions[(h*S+s)*n+i]. Draw order: one
 * uniform for s_0 (inversion of rho0), then for each step h = 0..H-1 one
 * uniform for s_{h+1} (inversion of T_h(. | s_h, x_h)) where x_h is the
 * exact aggregate of the step's actions. All draws come from
 * marl_sampler_rng(sampler). Outputs: states[0..H] and xs[h * d + k]
 * (xs may be NULL); row[S] is scratch. */
int marl_amg_episode(marl_sampler *sampler, const marl_amg_data *a,
                     const size_t *actions, double *row, size_t *states,
                     double *xs);

#endif /* MARL_SAMPLER_AGGREGATIVE_H */
