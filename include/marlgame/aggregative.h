/*
 * libmarlgame — aggregative Markov games (seed 000; ALGORITHMS.md §3).
 *
 * n agents share a finite state space S (states 0..S-1) over a finite
 * horizon of H steps (steps h = 0..H-1 here; the seed counts 1..H). Agent i
 * has m_i actions. At step h the agents' actions form the aggregator
 *     x_h(a) = delta * sum_i f_{h,i}(a_i)   in X = [-W, W]^d,
 * with contributions f_{h,i}(a) in R^d. Rewards r_{h,i}(s, a_i, x) in
 * [-1, 1] and transitions T_h(. | s, x) are functions of the CONTINUOUS
 * aggregator, given as callbacks (marl_aggregative_ops); optional welfare
 * weights w_{h,i}(s, a_i) drive equilibrium selection (seed §6).
 *
 * Index conventions (row-major, 0-based):
 *   contributions  f[(off_i + a) * d + k] = f_{h,i}(a)[k], off_i = sum_{j<i} m_j
 *   pure policies  actions[(h * S + s) * n + i] = a_i(h, s)
 *   initial        rho0[s]
 *
 * Assumptions checked by the builder: every f finite with bounded influence
 * (seed Assumption 2.1): |f_{h,i}(a)[k] - f_{h,i}(a')[k]| <= 1 for all
 * a, a', k, so one agent moves the aggregator by at most delta in the
 * infinity norm; and every profile's aggregate lies in [-W, W]^d
 * (delta sum_i min_a f <= ... <= delta sum_i max_a f within the box, per
 * coordinate and step). Rewards and transition rows are checked whenever
 * they are evaluated (finite, reward in [-1, 1], row a distribution); the
 * error names the agent, step, state and aggregate.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_AGGREGATIVE_H
#define MARLGAME_AGGREGATIVE_H

#include "game.h"
#include "policy.h"
#include "solver.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Current version of marl_aggregative_ops. */
#define MARL_AGGREGATIVE_OPS_VERSION 1

/** Limits: agents, per-agent actions, states, horizon, dimension. */
#define MARL_AGGREGATIVE_MAX_AGENTS ((size_t)1 << 24)
#define MARL_AGGREGATIVE_MAX_DIM 8
/** Contribution tables (n_tables * sum_i m_i * d) are limited to this many
 *  entries. */
#define MARL_AGGREGATIVE_MAX_ENTRIES ((size_t)1 << 28)
/** Pass as `step` to set the contributions of every step at once. */
#define MARL_AGGREGATIVE_ALL_STEPS ((size_t)-1)

/** Callback table of an aggregative game (versioned like sqlite3_module:
 *  fields are only ever appended; the library reads a field only if
 *  `version` says the table has it). Every callback returns 0, or non-zero
 *  to report a failure (MARL_EINVAL naming the step, state, agent and
 *  action). Callbacks must be pure functions of their arguments (the game
 *  is immutable and may be shared between threads). `x` points to d
 *  doubles. */
typedef struct marl_aggregative_ops {
    int version; /**< MARL_AGGREGATIVE_OPS_VERSION */
    /** *reward = r_{step,agent}(state, action, x), in [-1, 1]. Required. */
    int (*reward)(void *user, size_t step, size_t state, size_t agent,
                  size_t action, const double *x, double *reward);
    /** row[s'] = T_step(s' | state, x), s' in [0, S). Required. */
    int (*transition)(void *user, size_t step, size_t state, const double *x,
                      double *row);
    /** *weight = w_{step,agent}(state, action) (finite). NULL: no welfare
     *  weights (solvers select by deviation gain; welfare reported as NaN). */
    int (*welfare)(void *user, size_t step, size_t state, size_t agent,
                   size_t action, double *weight);
    /** Called with `user` when the last reference to the game is dropped
     *  (and by the builder when it is freed without having built a game
     *  that took ownership). May be NULL. */
    void (*release)(void *user);
} marl_aggregative_ops;

typedef struct marl_aggregative_builder marl_aggregative_builder;

/** New builder: n_agents in [1, MARL_AGGREGATIVE_MAX_AGENTS], n_states >= 1,
 *  n_actions[i] >= 1 (copied), horizon >= 1, dim in
 *  [1, MARL_AGGREGATIVE_MAX_DIM]. Defaults: delta = 1/n, W = 1, uniform
 *  rho0, Lipschitz constants not given (estimated on the solver's grid).
 *  Contributions and callbacks must be given before build. */
MARL_API int marl_aggregative_builder_new(marl_aggregative_builder **out,
                                          size_t n_agents, size_t n_states,
                                          const size_t *n_actions,
                                          size_t horizon, size_t dim);
/** Free the builder (NULL-safe). If callbacks were set and no game built
 *  from them took ownership of `user`, their release(user) is called. */
MARL_API void marl_aggregative_builder_free(marl_aggregative_builder *b);
/** Scale delta > 0 and box half-width W > 0 (finite). */
MARL_API int marl_aggregative_builder_set_scale(marl_aggregative_builder *b,
                                                double delta, double W);
/** rho0[0..S-1], a distribution (copied). */
MARL_API int marl_aggregative_builder_set_initial(marl_aggregative_builder *b,
                                                  const double *rho0);
/** Contributions of step `step` (or of every step with
 *  MARL_AGGREGATIVE_ALL_STEPS), layout f[(off_i + a) * d + k], copied.
 *  Finite and of bounded influence (see above; the error names the agent,
 *  step and actions). On error the builder is unchanged. */
MARL_API int marl_aggregative_builder_set_contributions(
    marl_aggregative_builder *b, size_t step, const double *f);
/** Callbacks and their user data (ops is copied; version must be 1;
 *  reward and transition required). The game built from them owns `user`:
 *  ops->release(user) runs when that game's last reference goes (or when
 *  the builder is freed without building, or when set_ops replaces them
 *  with a different `user`). */
MARL_API int marl_aggregative_builder_set_ops(marl_aggregative_builder *b,
                                              const marl_aggregative_ops *ops,
                                              void *user);
/** Lipschitz constants in the infinity norm of x: |r(x) - r(x')| <=
 *  gamma_r |x - x'|, TV(T(x), T(x')) <= gamma_T |x - x'| (finite, >= 0).
 *  Without them, solvers and bounds estimate both on their grid
 *  (marl_aggregative_estimate_lipschitz). */
MARL_API int marl_aggregative_builder_set_lipschitz(
    marl_aggregative_builder *b, double gamma_r, double gamma_T);
/** Name reported by marl_game_name (copied). */
MARL_API int marl_aggregative_builder_set_name(marl_aggregative_builder *b,
                                               const char *name);
/** Build the game: checks that contributions and callbacks were given, the
 *  box condition, and probes every callback once per (step, state, agent,
 *  action) at the centre of the reachable aggregates (and the transitions
 *  also at the corners of the reachable box); errors name the agent, step
 *  and state. Callbacks must be defined on the whole box [-W, W]^d (the
 *  solvers evaluate them on the grid). On success the game takes the
 *  callbacks and their user data: the builder has none left, so a further
 *  build needs marl_aggregative_builder_set_ops again (MARL_EINVAL
 *  otherwise). On error the builder is unchanged. */
MARL_API int marl_aggregative_builder_build(marl_aggregative_builder *b,
                                            marl_game **out);

/* ---- accessors (all MARL_EKIND on another kind, MARL_EINVAL on NULL) ---- */

/** Aggregator dimension d (0 if not an aggregative game). */
MARL_API size_t marl_aggregative_dim(const marl_game *game);
/** delta and W (either pointer may be NULL). */
MARL_API int marl_aggregative_scale(const marl_game *game, double *delta,
                                    double *W);
/** f_{step,agent}(action) into f[0..d-1]. */
MARL_API int marl_aggregative_contribution(const marl_game *game, size_t step,
                                           size_t agent, size_t action,
                                           double *f);
/** rho0 into rho0[0..S-1]. */
MARL_API int marl_aggregative_initial(const marl_game *game, double *rho0);
/** 1 if the game has welfare weights, 0 if not (or not aggregative). */
MARL_API int marl_aggregative_has_welfare(const marl_game *game);
/** The given Lipschitz constants; MARL_EINVAL naming the game if none
 *  were given. */
MARL_API int marl_aggregative_lipschitz(const marl_game *game, double *gamma_r,
                                        double *gamma_T);
/** Estimate on the grid X_alpha (alpha > 0): the largest |r(x) - r(x')| /
 *  alpha and TV(T(x), T(x')) / alpha over neighbouring grid points x, x'
 *  (one coordinate apart) of the reachable box, every step, state, agent,
 *  action. Cost O(n m H S G d) callback calls, G the number of grid
 *  points. A lower estimate of the true constants. */
MARL_API int marl_aggregative_estimate_lipschitz(const marl_game *game,
                                                 double alpha,
                                                 double *gamma_r,
                                                 double *gamma_T);
/** The aggregate x = delta sum_i f_{step,i}(a_i) of one step's actions
 *  actions[0..n-1] into x[0..d-1]. */
MARL_API int marl_aggregative_aggregate(const marl_game *game, size_t step,
                                        const size_t *actions, double *x);

/* ---- exact exploitability of pure Markov policies ------------------------ */

/** Exact Nash-gap of the pure Markov policy actions[(h*S+s)*n+i]
 *  (ALGORITHMS.md "Exact exploitability"): with the others fixed, agent i's
 *  deviation a' moves the aggregate to x* + delta (f(a') - f(a*_i)); exact
 *  backward induction of its best response. gap = max_i sum_s rho0(s)
 *  (V^dagger_{i,0}(s) - V_{i,0}(s)). Outputs (each may be NULL): values[i]
 *  = sum_s rho0(s) V_{i,0}(s), br_values[i] = the same for the best
 *  response, welfare = sum_s rho0(s) W_0(s) (NaN without welfare weights).
 *  Cost O(n H S^2 m) plus the callbacks; memory O(n S). Actions out of
 *  range are MARL_ERANGE naming the agent, step and state. */
MARL_API int marl_aggregative_nash_gap(const marl_game *game,
                                       const size_t *actions, double *gap,
                                       double *values, double *br_values,
                                       double *welfare);
/** Pure actions of a policy of this game into actions[(h*S+s)*n+i]:
 *  per-step policies give row (i, h, s), stationary ones row (i, 0, s)
 *  for every h. MARL_EINVAL naming the agent, step and state if a row is
 *  not pure (one entry 1 within 1e-9). */
MARL_API int marl_aggregative_policy_actions(const marl_policy *policy,
                                             size_t *actions);
/** The pure policy of an aggregative solver (aggregative-bi,
 *  aggregative-statewise, aggregative-vi) into actions[(h*S+s)*n+i]
 *  (n*H*S entries: memory O(n H S), no per-action table). MARL_EKIND for
 *  another solver type. */
MARL_API int marl_aggregative_solver_actions(marl_solver *solver,
                                             size_t *actions);

/** Seed 000 Thm. 4.1: the equilibrium bound of Aggre-BI,
 *    eps_solve = (zeta + 4 alpha + 2 delta + 2 E) (gamma_r H
 *                + gamma_T H (H - 1) / 2),
 *    zeta = delta sqrt(8 n log(2 m n)),
 *    E = delta sqrt(2 n log(2 d H S / beta))
 *  (m = max_i m_i; E instantiates the seed's O(sqrt(n) delta polylog):
 *  Hoeffding's bound on the rounding error of one aggregate coordinate,
 *  union over the d coordinates and H S subroutine calls, failure
 *  probability beta in (0, 1)). gamma_r, gamma_T: the game's given
 *  constants, else estimated on the alpha-grid. */
MARL_API int marl_aggregative_epsilon_solve(const marl_game *game,
                                            double alpha, double beta,
                                            double *eps);

/* ---- solver types (options and metrics: docs/aggregative.md) ------------ */

/** `aggregative-bi`: Aggre-BI (seed 000 Alg. 2), one step = the whole
 *  backward induction. Options alpha (0.05), br_slack ("auto" | "seed" |
 *  number), rounds (4), lp (lp_solve | structured, default structured),
 *  beta (0.05). Metrics: nash_gap, bound, welfare, mean_value, lps,
 *  lp_seconds, infeasible, max_stage_gain, max_slack. */
extern MARL_API const marl_solver_type marl_solver_aggregative_bi;
/** `aggregative-statewise`: the seed's warm-up (Alg. 1): Q = r, L =
 *  gamma_r. Same options and metrics (bound: Thm. 3.1). */
extern MARL_API const marl_solver_type marl_solver_aggregative_statewise;
/** `aggregative-vi`: optimistic sample-based backward induction (seed 000
 *  Alg. 3), one step = one episode. Options as aggregative-bi plus
 *  episodes (100), bonus_c (0.05), p (0.05). Metrics: delta, best_delta,
 *  nash_gap, out_gap, regret, bound, lps, infeasible. */
extern MARL_API const marl_solver_type marl_solver_aggregative_vi;

/* ---- built-in games (also in the catalogue, games.h) --------------------- */

/** `routing` (ours; the congestion example of seed 000 §1). n drivers, m
 *  routes (2..8), aggregator x_k = share of drivers on route k, k < d,
 *  d = m - 1 (full = 0) or d = m (full = 1); delta = 1/n, W = 1; states
 *  0 free, 1 busy, 2 incident; horizon H; rho0 = (1, 0, 0). Formulas and
 *  constants: docs/aggregative.md and lib/games/aggregative/routing.c. */
MARL_API int marl_game_routing_new(marl_game **out, size_t n_drivers,
                                   size_t n_routes, size_t horizon, int full,
                                   uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_AGGREGATIVE_H */
