/*
 * libmarlgame — tabular product policies.
 *
 * A policy holds, for each agent (or one shared table), each step (or one
 * stationary table) and each state, a distribution over that agent's
 * actions. It stores either probabilities directly or softmax logits
 * (MARL_POLICY_LOGITS), in which case probabilities are softmax(theta).
 *
 * Index order of the rows: (agent, step, state); a row has A_agent entries.
 * For shared policies every agent index maps to the one table (all agents
 * must have the same number of actions); for stationary policies the step
 * index must be 0.
 *
 * Policies are mutable, have one owner and keep a reference to their game.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_POLICY_H
#define MARLGAME_POLICY_H

#include "game.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct marl_policy marl_policy;

enum marl_policy_flags {
    MARL_POLICY_SHARED = 1u << 0,   /**< one table for every agent          */
    MARL_POLICY_PER_STEP = 1u << 1, /**< time-indexed (steps = horizon)     */
    MARL_POLICY_LOGITS = 1u << 2    /**< softmax parameters theta           */
};

/** New uniform policy for a game: dimensions (agents, states, actions) come
 *  from the game; PER_STEP requires a finite-horizon game (steps = horizon).
 *  Unknown flag bits are MARL_EINVAL. */
MARL_API int marl_policy_new(marl_policy **out, marl_game *game,
                             unsigned flags);
/** New uniform policy for a game with explicit number of steps (>= 1;
 *  steps > 1 requires PER_STEP). */
MARL_API int marl_policy_new_steps(marl_policy **out, marl_game *game,
                                   unsigned flags, size_t n_steps);
MARL_API void marl_policy_free(marl_policy *policy);

/** Deep copy (shares the game reference). */
MARL_API int marl_policy_copy(marl_policy **out, const marl_policy *policy);
/** Copy values from src into dst of identical layout (MARL_EINVAL if the
 *  layouts differ). No allocation. */
MARL_API int marl_policy_assign(marl_policy *dst, const marl_policy *src);

/* ---- layout -------------------------------------------------------------- */

MARL_API marl_game *marl_policy_game(const marl_policy *policy);
MARL_API unsigned marl_policy_flags(const marl_policy *policy);
MARL_API size_t marl_policy_num_agents(const marl_policy *policy);
MARL_API size_t marl_policy_num_steps(const marl_policy *policy);
MARL_API size_t marl_policy_num_states(const marl_policy *policy);
MARL_API size_t marl_policy_num_actions(const marl_policy *policy,
                                        size_t agent);

/* ---- rows ---------------------------------------------------------------- */

/** Probabilities of row (agent, step, state) into probs[0..A_agent-1]
 *  (softmax of the logits for LOGITS policies). */
MARL_API int marl_policy_get_row(const marl_policy *policy, size_t agent,
                                 size_t step, size_t state, double *probs);
/** Set row probabilities: validated as a distribution (finite, >= 0, sums
 *  to 1 within 1e-9). For LOGITS policies theta = log(p) - mean(log p),
 *  which requires every entry > 0 (MARL_ERANGE otherwise). On error the row
 *  is unchanged. */
MARL_API int marl_policy_set_row(marl_policy *policy, size_t agent,
                                 size_t step, size_t state,
                                 const double *probs);
/** Logits of a LOGITS policy (MARL_EINVAL for direct policies). */
MARL_API int marl_policy_get_logits(const marl_policy *policy, size_t agent,
                                    size_t step, size_t state, double *theta);
/** Set logits (finite) of a LOGITS policy. */
MARL_API int marl_policy_set_logits(marl_policy *policy, size_t agent,
                                    size_t step, size_t state,
                                    const double *theta);
/** Make row (agent, step, state) deterministic on `action`. For LOGITS
 *  policies MARL_EINVAL (a softmax cannot be deterministic). */
MARL_API int marl_policy_set_pure(marl_policy *policy, size_t agent,
                                  size_t step, size_t state, size_t action);

/** Every row uniform (logits 0). */
MARL_API int marl_policy_set_uniform(marl_policy *policy);
/** Seeded random rows: direct policies draw each row from Dirichlet(1,..,1)
 *  (uniform on the simplex); LOGITS policies draw theta ~ N(0, 1). Rows are
 *  filled in (agent, step, state) order. */
MARL_API int marl_policy_randomize(marl_policy *policy, marl_rng *rng);

/** Maximum absolute difference of probabilities between two policies of the
 *  same layout. */
MARL_API int marl_policy_distance(const marl_policy *a, const marl_policy *b,
                                  double *max_abs_diff);

/* ---- serialisation ------------------------------------------------------- *
 *
 * Binary blob, little-endian whatever the host:
 *   magic "MARLPOL1" (8 bytes), format version u32 (= 1), flags u32,
 *   agents u64, steps u64, states u64, then the action count of each stored
 *   table (agents, or 1 if SHARED) u64 each, then every stored value as an
 *   IEEE-754 binary64 in row order, then a CRC-32 (IEEE 802.3) u32 of all
 *   preceding bytes.
 */

/** Serialise into buf[0..cap-1]; *size receives the blob's size. With
 *  buf == NULL (or cap too small: MARL_ERANGE) only the size is reported. */
MARL_API int marl_policy_save(const marl_policy *policy, void *buf, size_t cap,
                              size_t *size);
/** New policy for `game` from a blob. Truncated, corrupted (CRC), unknown
 *  versions, or dimensions that do not match the game are MARL_EFORMAT. */
MARL_API int marl_policy_load(marl_policy **out, marl_game *game,
                              const void *buf, size_t size);
/** Overwrite an existing policy from a blob of exactly its layout. On error
 *  the policy is unchanged. */
MARL_API int marl_policy_load_into(marl_policy *policy, const void *buf,
                                   size_t size);

/** CSV text, header "agent,step,state,action,prob", one line per entry with
 *  non-zero probability, "%.17g" probabilities, rows in (agent, step, state,
 *  action) order; shared policies use agent 0. The text is allocated with
 *  marl_malloc (NUL-terminated; release with marl_free). */
MARL_API int marl_policy_to_csv(const marl_policy *policy, char **text,
                                size_t *length);
/** Read CSV (as written above) into an existing policy: entries not listed
 *  are 0, every (agent, step, state) row must be listed and sum to 1 within
 *  1e-9; duplicate entries, bad numbers, indices out of range are
 *  MARL_EFORMAT naming the line. All or nothing. */
MARL_API int marl_policy_from_csv(marl_policy *policy, const char *text,
                                  size_t length);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_POLICY_H */
