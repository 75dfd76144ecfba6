/*
 * libmarlgame — ALTERNATING-MARL on global-local games (ALGORITHMS.md §4;
 * seed 004): G-LEARN, L-LEARN and the alternating loop.
 *
 * The solvers work on marl_gl_policy pairs (global_local.h). Their vtable
 * policy() has no marl_policy to return; use the functions below.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_ALTERNATING_H
#define MARLGAME_ALTERNATING_H

#include "global_local.h"
#include "solver.h"

#ifdef __cplusplus
extern "C" {
#endif

/** `alternating-glearn`: the global agent's best response (G-LEARN) to the
 *  fixed local policy. */
extern MARL_API const marl_solver_type marl_solver_alternating_glearn;
/** `alternating-llearn`: the local agents' best response (L-LEARN) to the
 *  fixed global policy, on the mean-field surrogate MDP. One step = one
 *  complete best response pi_l <- BR(pi_g; the others play the current
 *  pi_l), pi_g unchanged; MARL_CONVERGED when pi_l did not change.
 *  Options: k (4), llearn (meanfield | chained: the seed's k-replica
 *  chained MDP built exactly and solved exactly over deterministic shared
 *  local policies, small games only, MARL_ERANGE beyond the documented
 *  limits), population (flow | stationary), horizon (1000 flow
 *  steps), flow_tol (1e-12), tol (1e-10), max_sweeps (100000),
 *  temperature (0 = greedy). Metrics: value (surrogate value at the initial
 *  law), change, sweeps, residual, flow_steps, flow_residual. See
 *  docs/alternating.md. */
extern MARL_API const marl_solver_type marl_solver_alternating_llearn;
/** `alternating-marl`: the alternating loop with the seed's UPDATE rule.
 *  One step = one proposal (L-LEARN, then G-LEARN, per sweep), accepted
 *  only if the estimated joint value rises by 2 eps at every evaluated
 *  start state (Case 1), rejected if it falls by 2 eps at one (Case 2),
 *  else the loop stops (Case 3); it also stops after a sweep without an
 *  accepted proposal or after `iterations` sweeps (then every step returns
 *  MARL_CONVERGED). Montecarlo evaluation uses every global state as a
 *  start state (marl_gl_evaluate_from). Options: k (4), iterations (10),
 *  evaluation (montecarlo | meanfield | exact), rollouts (100), eval_horizon (100),
 *  epsilon (1e-9), glearn_estimator (sampled | exact | expected), m (30),
 *  glearn_tol (1e-6), glearn_max_sweeps (1000), and L-LEARN's llearn, population,
 *  flow_horizon, flow_tol, llearn_tol, llearn_max_sweeps, temperature.
 *  Metrics per proposal: side (0 local, 1 global), sweep, value_old,
 *  value_new, epsilon, gap_min, gap_max, decision (1, 2, 3), accepted,
 *  done (0 running, 1 Case 3, 2 a sweep accepted nothing, 3 iteration
 *  limit), learn_seconds, eval_seconds. See docs/alternating.md. */
extern MARL_API const marl_solver_type marl_solver_alternating_marl;

/** Starting (and, for G-LEARN / L-LEARN, the fixed other half of the)
 *  policy of an alternating-* solver, copied; its k must equal the
 *  solver's option `k`. Call before the first step. */
MARL_API int marl_alternating_set_policy(marl_solver *solver,
                                         const marl_gl_policy *policy);
/** The solver's current policy pair (owned by the solver; valid until the
 *  next step, reset or free). NULL with an error recorded if the solver
 *  is not an alternating-* solver. */
MARL_API const marl_gl_policy *marl_alternating_policy(marl_solver *solver);

#ifdef __cplusplus
}
#endif

#endif /* MARLGAME_ALTERNATING_H */
