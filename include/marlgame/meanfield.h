/*
 * libmarlgame — the mean-field game induced by a population game, computed
 * exactly (ALGORITHMS.md §2; seed 001 Def. 6, eqs. 1-3, Def. 9), and the
 * MFG solvers on it (mfg-omd, mfg-fictitious-play).
 *
 * Induced MFG: P(s'|s,a,mu) = (1/N) sum_i P^i(s'|s,a,mu),
 * R(s,a,mu) = (1/N) sum_i R^i(s,a,mu) (the callback itself for symmetric
 * games). Flows L[h * S * A + s * A + a] = mu_h(s, a), h = 0..H-1:
 *   mu_0 = rho0 . pi_0,  mu_{h+1} = Gamma(mu_h, pi_{h+1}),
 *   Gamma(mu, pi)(s', a') = sum_{s,a} mu(s,a) P(s'|s,a,mu) pi(a'|s').
 * Policies: SHARED PER_STEP marl_policy objects of the game (per-agent
 * policies are handled by the N-player functions of nplayer.h). Q tables
 * Q[h * S * A + s * A + a].
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_MEANFIELD_H
#define MARLGAME_MEANFIELD_H

#include "population.h"
#include "policy.h"
#include "solver.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Induced transition row[S] = P(. | state, action, mu) at `step`
 *  (mu[S*A] a distribution). */
MARL_API int marl_mfg_transition(const marl_game *game, size_t step,
                                 size_t state, size_t action, const double *mu,
                                 double *row);
/** Induced reward R(state, action, mu) at `step`. */
MARL_API int marl_mfg_reward(const marl_game *game, size_t step, size_t state,
                             size_t action, const double *mu, double *reward);
/** One application of Gamma at step `step` (the transition used is the
 *  one of step `step`, from mu_step to mu_{step+1}): out[S*A] =
 *  Gamma(mu, pi_{step+1}) with pi_{step+1} row (step + 1) of a SHARED
 *  PER_STEP policy. */
MARL_API int marl_mfg_gamma(const marl_game *game, const marl_policy *policy,
                            size_t step, const double *mu, double *out);
/** Population flow Lambda(pi) of a SHARED PER_STEP policy into L[H*S*A]. */
MARL_API int marl_mfg_flow(const marl_game *game, const marl_policy *policy,
                           double *L);
/** Entropy-regularised Q^{tau,pi} (seed Def. 9; the entropy of step h is
 *  inside Q_h) of a SHARED PER_STEP policy under the flow L[H*S*A] (NULL:
 *  the policy's own flow Lambda(pi)) into Q[H*S*A]; tau >= 0 (0 gives the
 *  unregularised Q). */
MARL_API int marl_mfg_q(const marl_game *game, const marl_policy *policy,
                        const double *L, double tau, double *Q);
/** Expected return V(L, pi) = E[sum_h R(s_h, a_h, mu_h)] from rho0 of a
 *  SHARED PER_STEP policy against the flow L (NULL: Lambda(pi)). */
MARL_API int marl_mfg_value(const marl_game *game, const marl_policy *policy,
                            const double *L, double *value);
/** Best response to a frozen flow L[H*S*A] by backward induction: optimal
 *  value from rho0 into *value (may be NULL); best (greedy, ties to the
 *  lowest action) policy into br (a SHARED PER_STEP policy of the game, may
 *  be NULL). */
MARL_API int marl_mfg_best_response(const marl_game *game, const double *L,
                                    marl_policy *br, double *value);
/** MFG exploitability E(pi) = max_pi' V(Lambda(pi), pi') - V(Lambda(pi), pi)
 *  of a SHARED PER_STEP policy (>= 0 up to rounding; reported unclipped). */
MARL_API int marl_mfg_exploitability(const marl_game *game,
                                     const marl_policy *policy,
                                     double *exploitability);

/** `mfg-omd`: online mirror descent on the exact induced MFG, exactly as
 *  MFGLib defines it (ALGORITHMS.md §2). Metrics: exploitability. */
extern MARL_API const marl_solver_type marl_solver_mfg_omd;
/** `mfg-fictitious-play`: damped fictitious play on the exact induced MFG,
 *  exactly as MFGLib defines it. Metrics: exploitability. */
extern MARL_API const marl_solver_type marl_solver_mfg_fictitious_play;

#ifdef __cplusplus
}
#endif

#endif /* MARLGAME_MEANFIELD_H */
