/*
 * libmarlgame — games.
 *
 * A marl_game is an immutable model of one kind (Markov, population,
 * aggregative, global-local). It is reference-counted so that policies and
 * solvers can hold it; it is safe to share between threads.
 *
 * This header has the accessors every kind shares and the Markov kind's
 * builder. Other kinds have their own builders in later headers.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_GAME_H
#define MARLGAME_GAME_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct marl_game marl_game;

enum marl_game_kind {
    MARL_GAME_MARKOV = 1,      /**< N players, common state, discounted      */
    MARL_GAME_POPULATION = 2,  /**< alpha,beta-symmetric population game      */
    MARL_GAME_AGGREGATIVE = 3, /**< aggregative Markov game                   */
    MARL_GAME_GLOBAL_LOCAL = 4 /**< global agent + n local agents             */
};

/** Bit of a kind in a kind mask (solver types list the kinds they accept). */
#define MARL_KIND_BIT(kind) (1u << (unsigned)(kind))

/* ---- accessors shared by every kind -------------------------------------- */

/** Kind of the game (0 for NULL). */
MARL_API int marl_game_kind(const marl_game *game);
/** "markov", "population", "aggregative", "global-local" or "unknown". */
MARL_API const char *marl_game_kind_name(int kind);
/** Name given by the catalogue or the builder ("" if none). */
MARL_API const char *marl_game_name(const marl_game *game);
/** Number of agents (0 for NULL). */
MARL_API size_t marl_game_num_agents(const marl_game *game);
/** Number of states of the common (or, for local agents, local) state space. */
MARL_API size_t marl_game_num_states(const marl_game *game);
/** Number of actions of agent i (0 if out of range). */
MARL_API size_t marl_game_num_actions(const marl_game *game, size_t agent);
/** Horizon of finite-horizon kinds; 0 for discounted kinds. */
MARL_API size_t marl_game_horizon(const marl_game *game);
/** Discount factor of discounted kinds; 1 for finite-horizon kinds. */
MARL_API double marl_game_discount(const marl_game *game);

/** Take a reference (returns game; NULL-safe). */
MARL_API marl_game *marl_game_ref(marl_game *game);
/** Drop a reference; the game is freed with its last reference. NULL-safe. */
MARL_API void marl_game_unref(marl_game *game);
/** Same as marl_game_unref (the constructor's reference). */
MARL_API void marl_game_free(marl_game *game);

/* ---- the Markov kind ----------------------------------------------------- *
 *
 * N players, states s in [0, S), player i's actions in [0, A_i), joint
 * actions a = (a_0, ..., a_{N-1}) encoded row-major with player 0 slowest:
 *     j = ((a_0 * A_1 + a_1) * A_2 + a_2) ... * A_{N-1} + a_{N-1},
 * j in [0, J), J = prod_i A_i.
 *
 * Dense table layouts (all row-major, doubles):
 *   transitions  P[(s * J + j) * S + s']      = P(s' | s, a)
 *   rewards      R[(i * S + s) * J + j]       = r_i(s, a)
 *   potential    phi[s * J + j]               = phi(s, a)   (optional)
 *   initial      mu[s]                        = mu(s)
 *
 * Limits: N <= MARL_MARKOV_MAX_AGENTS, A_i >= 1, S >= 1, and the transition
 * table S*J*S and reward table N*S*J at most MARL_MARKOV_MAX_ENTRIES entries.
 */

#define MARL_MARKOV_MAX_AGENTS 64
#define MARL_MARKOV_MAX_ENTRIES ((size_t)1 << 30)

typedef struct marl_markov_builder marl_markov_builder;

/** Fill one transition row: row[s'] = P(s' | state, joint action `joint`),
 *  where actions[i] is player i's action. Return 0, or non-zero to abort
 *  the build (reported as MARL_EINVAL naming the state and joint action). */
typedef int (*marl_markov_transition_fn)(size_t state, size_t joint,
                                         const size_t *actions, double *row,
                                         void *user);
/** Fill the N rewards r_i(state, joint action) into rewards[0..N-1]. */
typedef int (*marl_markov_reward_fn)(size_t state, size_t joint,
                                     const size_t *actions, double *rewards,
                                     void *user);
/** Return phi(state, joint action) through *phi. */
typedef int (*marl_markov_potential_fn)(size_t state, size_t joint,
                                        const size_t *actions, double *phi,
                                        void *user);

/** New builder. n_actions[0..n_agents-1] is copied. Defaults: discount 0.9,
 *  uniform initial distribution; transitions and rewards must be given. */
MARL_API int marl_markov_builder_new(marl_markov_builder **out,
                                     size_t n_agents, size_t n_states,
                                     const size_t *n_actions);
MARL_API void marl_markov_builder_free(marl_markov_builder *b);

/** gamma in [0, 1). */
MARL_API int marl_markov_builder_set_discount(marl_markov_builder *b,
                                              double gamma);
/** mu[0..S-1], a distribution (copied). */
MARL_API int marl_markov_builder_set_initial(marl_markov_builder *b,
                                             const double *mu);
/** Dense tables (copied, layouts above). Validated at once: every row a
 *  distribution (finite, >= 0, sums to 1 within 1e-9 unless normalisation is
 *  on), every reward finite. On error the builder is unchanged. */
MARL_API int marl_markov_builder_set_transitions(marl_markov_builder *b,
                                                 const double *P);
MARL_API int marl_markov_builder_set_rewards(marl_markov_builder *b,
                                             const double *R);
MARL_API int marl_markov_builder_set_potential(marl_markov_builder *b,
                                               const double *phi);
/** The same tables from callbacks, called once per (state, joint action) in
 *  increasing order. */
MARL_API int marl_markov_builder_fill_transitions(marl_markov_builder *b,
                                                  marl_markov_transition_fn fn,
                                                  void *user);
MARL_API int marl_markov_builder_fill_rewards(marl_markov_builder *b,
                                              marl_markov_reward_fn fn,
                                              void *user);
MARL_API int marl_markov_builder_fill_potential(marl_markov_builder *b,
                                                marl_markov_potential_fn fn,
                                                void *user);
/** When on, transition rows with a positive finite sum are rescaled to 1
 *  instead of being rejected (off by default). Applies to later set/fill
 *  calls. */
MARL_API int marl_markov_builder_set_normalize(marl_markov_builder *b,
                                               int on);
/** Name reported by marl_game_name (copied). */
MARL_API int marl_markov_builder_set_name(marl_markov_builder *b,
                                          const char *name);
/** Build the game. The builder stays usable (build again to get another
 *  game). Fails with MARL_EINVAL if transitions or rewards are missing. */
MARL_API int marl_markov_builder_build(marl_markov_builder *b,
                                       marl_game **out);

/** One-call constructor from dense tables (phi may be NULL; mu NULL means
 *  uniform). */
MARL_API int marl_markov_new(marl_game **out, size_t n_agents, size_t n_states,
                             const size_t *n_actions, double gamma,
                             const double *mu, const double *P,
                             const double *R, const double *phi);

/* ---- factored Markov games ----------------------------------------------- *
 *
 * A factored state space S = S_0 x ... x S_{N-1}: agent i has a local state
 * s_i in [0, L_i), and the global state is mixed radix with agent 0 MOST
 * significant: s = ((s_0 * L_1 + s_1) * L_2 + s_2) ... * L_{N-1} + s_{N-1},
 * S = prod_i L_i. Transitions factorise over agents,
 *     P(s' | s, a) = prod_i P_i(s'_i | s, a_i),
 * where each local factor depends on the GLOBAL state s and on agent i's
 * own action only. Rewards, potential, discount and initial distribution are
 * given as for dense games (over the S global states and J joint actions).
 *
 * Local table layout of agent i (row-major, doubles):
 *   P_i[(s * A_i + a_i) * L_i + l] = P_i(s'_i = l | s, a_i)
 *
 * No S*J*S table is ever stored: limits are N*S*J (rewards) and
 * sum_i S*A_i*L_i (local tables) <= MARL_MARKOV_MAX_ENTRIES. Every accessor
 * and metric works on factored games as on dense ones
 * (marl_markov_transition_row computes the product row); the exact metrics
 * use the product structure.
 */

/** Fill one local row: row[l] = P_agent(l | state, action), l in
 *  [0, L_agent). Return 0, or non-zero to abort (MARL_EINVAL naming the
 *  agent, state and action). */
typedef int (*marl_markov_local_transition_fn)(size_t agent, size_t state,
                                               size_t action, double *row,
                                               void *user);

/** New factored builder. n_local_states[0..N-1] (each >= 1) and
 *  n_actions[0..N-1] are copied; S = prod_i n_local_states[i]. Defaults as
 *  marl_markov_builder_new. set_transitions/fill_transitions are
 *  MARL_EINVAL on a factored builder; give the local tables instead. */
MARL_API int marl_markov_builder_new_factored(marl_markov_builder **out,
                                              size_t n_agents,
                                              const size_t *n_local_states,
                                              const size_t *n_actions);
/** Agent `agent`'s local table (layout above, copied). Rows are validated
 *  as dense transition rows (normalisation applies). MARL_EINVAL on a dense
 *  builder. On error the builder is unchanged. */
MARL_API int marl_markov_builder_set_local_transitions(marl_markov_builder *b,
                                                       size_t agent,
                                                       const double *P_local);
/** Every agent's local table from a callback, called once per (agent,
 *  state, action) in increasing order (agent slowest, action fastest).
 *  On error the builder is unchanged. */
MARL_API int marl_markov_builder_fill_local_transitions(
    marl_markov_builder *b, marl_markov_local_transition_fn fn, void *user);

/** 1 if the game is a factored Markov game, 0 otherwise (NULL included). */
MARL_API int marl_markov_is_factored(const marl_game *game);
/** L_agent of a factored game; 0 for a dense game, NULL, another kind or an
 *  agent out of range. */
MARL_API size_t marl_markov_num_local_states(const marl_game *game,
                                             size_t agent);
/** Copy P_agent(. | state, action) into row[0..L_agent-1] (factored games;
 *  MARL_EINVAL on a dense game). */
MARL_API int marl_markov_local_transition_row(const marl_game *game,
                                              size_t agent, size_t state,
                                              size_t action, double *row);

/* ---- count-based ("anonymous") Markov games ------------------------------ *
 *
 * Every player has the same actions {0, ..., A-1}; what matters of a joint
 * action is its count vector n = (n_0, ..., n_{A-1}), n_j the number of
 * players choosing j (sum_j n_j = N). A count-based game has
 *     P(s' | s, a)  = P(s' | s, n(a))
 *     r_i(s, a)     = r(s, a_i, n(a))          (the same function for all i)
 *     phi(s, a)     = phi(s, n(a))             (optional)
 * The structure is given to an ordinary (dense) builder by callbacks; the
 * builder tabulates them over the C(N + A - 1, A - 1) count vectors AND fills
 * the ordinary dense tables from them (so the dense limits of
 * marl_markov_builder_new still apply, and every accessor, sampler and
 * metric works unchanged). The exact metrics (metrics.h) then work on count
 * vectors: the distribution of the other players' count vector under a
 * product policy is formed by dynamic programming over the players, so an
 * evaluation costs O(S N^2 C A + S C S) instead of O(S J S + N S J)
 * (distancing, N = 8: C = 165 count vectors instead of J = 65536 joint
 * actions). Count vectors are indexed by marl_counts_rank (counts.h).
 */

/** Fill row[s'] = P(s' | state, counts), s' in [0, S); counts[0..A-1]
 *  sums to N. Return 0, or non-zero to abort (MARL_EINVAL naming the state
 *  and the count vector). */
typedef int (*marl_markov_count_transition_fn)(size_t state,
                                               const size_t *counts,
                                               double *row, void *user);
/** *reward = r(state, action, counts), the reward of a player choosing
 *  `action` when the count vector of the joint action (the player itself
 *  included, so counts[action] >= 1) is counts. */
typedef int (*marl_markov_count_reward_fn)(size_t state, size_t action,
                                           const size_t *counts,
                                           double *reward, void *user);
/** *phi = phi(state, counts). */
typedef int (*marl_markov_count_potential_fn)(size_t state,
                                              const size_t *counts,
                                              double *phi, void *user);

/** Give a dense builder a count structure. Every agent must have the same
 *  number of actions A, and the builder must be dense (not factored);
 *  MARL_EINVAL otherwise. The callbacks are called state by state (slowest)
 *  and count vector by count vector in increasing marl_counts_rank; the
 *  reward callback once per action j with counts[j] >= 1 (action fastest).
 *  Transition rows are validated as dense rows (normalisation applies),
 *  rewards and potentials must be finite; errors name the state, the count
 *  vector (and the action). potential may be NULL (no potential; a
 *  potential given before is dropped). On success the builder's dense
 *  transitions, rewards and potential are replaced by the tabulated
 *  functions (a later set/fill of transitions, rewards or potential is
 *  MARL_EINVAL on a count-based builder: it would break the structure). On
 *  error the builder is unchanged. */
MARL_API int marl_markov_builder_set_counts(
    marl_markov_builder *b, marl_markov_count_transition_fn transition,
    marl_markov_count_reward_fn reward,
    marl_markov_count_potential_fn potential, void *user);

/** 1 if the game is a count-based Markov game, 0 otherwise (NULL and other
 *  kinds included). */
MARL_API int marl_markov_is_count_based(const marl_game *game);
/** Number of count vectors C(N + A - 1, A - 1) of a count-based game; 0 for
 *  any other game or NULL. */
MARL_API size_t marl_markov_num_count_vectors(const marl_game *game);

/* ---- Markov accessors ---------------------------------------------------- */

/** Number of joint actions J (0 for NULL or another kind). */
MARL_API size_t marl_markov_num_joint(const marl_game *game);
/** Encode actions[0..N-1] into a joint index / decode it back. */
MARL_API int marl_markov_joint_encode(const marl_game *game,
                                      const size_t *actions, size_t *joint);
MARL_API int marl_markov_joint_decode(const marl_game *game, size_t joint,
                                      size_t *actions);
/** Copy P(. | s, joint) into row[0..S-1] (the product of the local rows on
 *  a factored game). */
MARL_API int marl_markov_transition_row(const marl_game *game, size_t state,
                                        size_t joint, double *row);
/** r_i(s, joint). */
MARL_API int marl_markov_reward(const marl_game *game, size_t agent,
                                size_t state, size_t joint, double *reward);
/** Copy mu into mu_out[0..S-1]. */
MARL_API int marl_markov_initial(const marl_game *game, double *mu_out);
/** 1 if a potential phi was supplied, 0 otherwise. */
MARL_API int marl_markov_has_potential(const marl_game *game);
/** phi(s, joint) (MARL_EINVAL if the game has no potential). */
MARL_API int marl_markov_potential(const marl_game *game, size_t state,
                                   size_t joint, double *phi);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_GAME_H */
