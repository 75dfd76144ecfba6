/*
 * libmarlgame — exact evaluation of policies (ALGORITHMS.md §1, "Exact
 * quantities"). Computed from the model, never sampled.
 *
 * Markov games (kind MARL_GAME_MARKOV) under a stationary product policy pi
 * (one table per agent or shared; not PER_STEP):
 *   P_pi(s'|s) = sum_a pi(a|s) P(s'|s,a),  r_{i,pi}(s) = sum_a pi(a|s) r_i(s,a)
 *   V_i = (I - gamma P_pi)^{-1} r_{i,pi}           (LAPACKE dgesv)
 *   Q_i(s,a) = r_i(s,a) + gamma sum_s' P(s'|s,a) V_i(s')
 *   Qbar_i(s,a_i) = sum_{a_-i} pi_-i(a_-i|s) Q_i(s,a_i,a_-i)
 *   Abar_i(s,a_i) = Qbar_i(s,a_i) - V_i(s)
 *   d_mu(s) = sum_t gamma^t Pr(s_t = s)  (unnormalised; sums to 1/(1-gamma))
 *   Nash-gap = max_i [ V_i^{BR_i, pi_-i}(mu) - V_i^pi(mu) ]
 *   welfare = sum_i V_i^pi(mu);  V* = optimal team welfare;  POA = welfare/V*
 *   Phi^pi = (I - gamma P_pi)^{-1} phi_pi   (games with a potential)
 *
 * Layouts: V[i * S + s]; Q[(i * S + s) * J + j]; per-agent tables Qbar/Abar
 * are concatenated over agents: agent i's block starts at S * sum_{k<i} A_k
 * and is indexed [s * A_i + a_i].
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_METRICS_H
#define MARLGAME_METRICS_H

#include "game.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a concatenated per-agent table: S * sum_i A_i. */
MARL_API size_t marl_markov_agent_table_size(const marl_game *game);

/** V_i(s) for all agents into V[N*S]. */
MARL_API int marl_markov_values(const marl_game *game,
                                const marl_policy *policy, double *V);
/** V_i(mu) for all agents into v[N]. */
MARL_API int marl_markov_values_mu(const marl_game *game,
                                   const marl_policy *policy, double *v);
/** Q_i(s, joint) for all agents into Q[N*S*J]. */
MARL_API int marl_markov_q(const marl_game *game, const marl_policy *policy,
                           double *Q);
/** Averaged Q and advantage (either output may be NULL), one pass over the
 *  joint actions of each state for all agents at once. V (may be NULL)
 *  receives V[N*S]. */
MARL_API int marl_markov_averaged_q(const marl_game *game,
                                    const marl_policy *policy, double *Qbar,
                                    double *Abar, double *V);
/** Averaged Q against a given continuation W[N*S] (not necessarily V^pi):
 *  Qbar_i(s,a_i) = sum_{a_-i} pi_-i(a_-i|s) [r_i(s,a) + gamma sum_s'
 *  P(s'|s,a) W_i(s')], concatenated per agent as above. Used by methods
 *  with a learned critic (mpg-optimistic-q-ascent). */
MARL_API int marl_markov_averaged_q_from(const marl_game *game,
                                         const marl_policy *policy,
                                         const double *W, double *Qbar);
/** Unnormalised discounted visitation d_mu(s) into d[S]. */
MARL_API int marl_markov_visitation(const marl_game *game,
                                    const marl_policy *policy, double *d);
/** Exact best response of `agent` to the others' policy (policy iteration
 *  with exact linear solves; ties keep the lower action). br_value receives
 *  V_agent^{BR, pi_-agent}(mu); br_policy (may be NULL) a direct policy of
 *  the same game whose row for `agent` is set to the deterministic best
 *  response (other rows are left unchanged). */
MARL_API int marl_markov_best_response(const marl_game *game,
                                       const marl_policy *policy, size_t agent,
                                       double *br_value,
                                       marl_policy *br_policy);
/** Nash-gap; per_agent (may be NULL) receives each agent's gain [N]. The
 *  exact number is reported, not clipped at 0: at an equilibrium it may be a
 *  round-off negative of order 1e-15. */
MARL_API int marl_markov_nash_gap(const marl_game *game,
                                  const marl_policy *policy, double *gap,
                                  double *per_agent);
/** Welfare sum_i V_i^pi(mu). */
MARL_API int marl_markov_welfare(const marl_game *game,
                                 const marl_policy *policy, double *welfare);
/** Optimal team welfare V* (max over joint policies of sum_i V_i(mu)); the
 *  optimal deterministic joint policy, as a product policy, is written to
 *  opt_policy if it is not NULL (a direct, non-shared policy of the game). */
MARL_API int marl_markov_optimal_welfare(const marl_game *game, double *vstar,
                                         marl_policy *opt_policy);
/** Price of anarchy welfare / V*. When V* <= 0 the ratio is undefined:
 *  *poa is set to NaN and the function still succeeds; welfare and vstar
 *  (either may be NULL) receive both numbers. */
MARL_API int marl_markov_price_of_anarchy(const marl_game *game,
                                          const marl_policy *policy,
                                          double *poa, double *welfare,
                                          double *vstar);
/** Potential Phi^pi(mu); Phi_s (may be NULL) receives Phi^pi(s) [S].
 *  MARL_EINVAL if the game has no potential. */
MARL_API int marl_markov_potential_value(const marl_game *game,
                                         const marl_policy *policy,
                                         double *phi_mu, double *Phi_s);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_METRICS_H */
