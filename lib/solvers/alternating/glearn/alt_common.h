/*
 * Plumbing shared by the three alternating-* solver types (G-LEARN,
 * L-LEARN, the alternating loop). Not installed. Owned by glearn/; the
 * loop/ files include it.
 *
 * Contract for every alternating-* type:
 *  - its state struct starts with a marl_alt_header (first member), whose
 *    `policy` is the current policy pair, owned by the state, never NULL
 *    once create has succeeded; marl_alternating_policy returns it;
 *  - create starts from marl_alt_initial_policy (the policy given by
 *    marl_alternating_set_policy, copied, else uniform);
 *  - every type has an INT option "k" (the number of sampled local
 *    agents), which marl_alternating_set_policy compares with the policy's
 *    k;
 *  - the vtable policy() returns NULL (there is no marl_policy).
 * The starting policy lives in the solver's extension slot
 * (solver_impl.h) as a marl_alt_ext; only this file's functions touch it.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_ALT_COMMON_H
#define MARL_SOLVERS_ALT_COMMON_H

#include "marlgame/alternating.h"
#include "policy/global_local/gl_policy_impl.h"
#include "solvers/solver_impl.h"

/* First member of every alternating-* state. */
typedef struct marl_alt_header {
    marl_gl_policy *policy; /* current policy pair (owned by the state) */
} marl_alt_header;

/* Content of the extension slot of an alternating-* solver. */
typedef struct marl_alt_ext {
    marl_gl_policy *start; /* copy given by marl_alternating_set_policy */
} marl_alt_ext;

/* 1 if `type` is one of the three built-in alternating-* types. */
int marl_alt_is_type(const marl_solver_type *type);

/* The starting policy given by marl_alternating_set_policy, or NULL. */
const marl_gl_policy *marl_alt_start_policy(marl_solver *solver);

/* A new policy pair for the solver's game with k sampled agents: a copy of
 * the starting policy if one was given (MARL_EINVAL naming `fn` if its k
 * differs from k, e.g. the option was changed afterwards), else both parts
 * uniform. */
int marl_alt_initial_policy(marl_solver *solver, size_t k, const char *fn,
                            marl_gl_policy **out);

/* Option "k" of the solver as a size_t (MARL_EINVAL naming fn if absent). */
int marl_alt_option_k(const marl_solver *solver, const char *fn, size_t *k);

#endif /* MARL_SOLVERS_ALT_COMMON_H */
