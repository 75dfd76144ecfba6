/*
 * Internal helpers of the solver framework (lib/solvers/). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVER_IMPL_H
#define MARL_SOLVER_IMPL_H

#include "marlgame/solver.h"
#include "core/internal.h"

/* Maximum number of user types marl_solver_type_register accepts over the
 * life of the process (built-in types do not count). */
#define MARL_SOLVER_MAX_USER_TYPES 256

/* Limits checked when a type is validated. */
#define MARL_SOLVER_MAX_METRICS 1024
#define MARL_SOLVER_MAX_NAME 128

/* Known game-kind bits (MARL_GAME_MARKOV .. MARL_GAME_GLOBAL_LOCAL). */
#define MARL_SOLVER_KNOWN_KINDS                                             \
    (MARL_KIND_BIT(MARL_GAME_MARKOV) | MARL_KIND_BIT(MARL_GAME_POPULATION) | \
     MARL_KIND_BIT(MARL_GAME_AGGREGATIVE) |                                 \
     MARL_KIND_BIT(MARL_GAME_GLOBAL_LOCAL))

/* Structural validation of a solver type: version, name, kinds, functions,
 * metric names, primary metric, option table pointer/count. The option
 * table itself is validated by marl_options_new (the caller does that).
 * Does not look at the registry. `fn` names the caller in messages. */
int marl_solver_type_check(const marl_solver_type *type, const char *fn);

/* Write the names of the kinds in `mask` ("markov, population") into buf. */
void marl_solver_kinds_text(unsigned mask, char *buf, size_t cap);

/* One slot of per-solver extension data for type-specific configuration
 * functions (marl_mpg_sampled_set_features stores the user's features here
 * and the type's create reads them). The slot starts empty, is kept across
 * marl_solver_reset (like the options), and marl_solver_free calls
 * release(data) when release is set. Whoever fills the slot owns its
 * format; only the solver's own type reads it. */
typedef struct marl_solver_ext {
    void *data;
    void (*release)(void *data);
} marl_solver_ext;

/* The extension slot of a solver (NULL if solver is NULL). */
marl_solver_ext *marl_solver_extension(marl_solver *solver);

/* The method's state of a solver, created as the first step would create it
 * if there is none yet (NULL with the error recorded on failure or if
 * solver is NULL). Only code of the solver's own type (family) may
 * interpret it; the pointer is valid until the next reset, configuration
 * change or free. */
void *marl_solver_state(marl_solver *solver);

#endif /* MARL_SOLVER_IMPL_H */
