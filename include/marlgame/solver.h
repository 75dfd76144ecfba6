/*
 * libmarlgame — solvers.
 *
 * A solver is an iterative method bound to a game, created from a solver
 * type: a public, versioned vtable (like GSL's solver types and SQLite's
 * sqlite3_module). Built-in types are exported constants and are also found
 * by name; users may register their own types.
 *
 *   marl_solver *s;
 *   marl_solver_new(&s, &marl_solver_markov_best_response, game);
 *   marl_solver_set_real(s, "epsilon", 1e-8);
 *   marl_solver_run(s, 1000, 0.0, 0.0, NULL);
 *   const marl_policy *pi = marl_solver_policy(s);
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_SOLVER_H
#define MARLGAME_SOLVER_H

#include "game.h"
#include "options.h"
#include "policy.h"
#include "sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct marl_solver marl_solver;

/** Current version of marl_solver_type. */
#define MARL_SOLVER_TYPE_VERSION 1

/** A solver type. New fields are only ever appended, and the library reads a
 *  field only if `version` says the type has it. Instances are static and
 *  constant; they must outlive every solver created from them. */
typedef struct marl_solver_type {
    int version;                  /**< MARL_SOLVER_TYPE_VERSION            */
    const char *name;             /**< unique, e.g. "mpg-npg"              */
    const char *summary;          /**< one line, with its seed reference   */
    unsigned game_kinds;          /**< mask of MARL_KIND_BIT(kind)         */
    const marl_option_def *options;
    size_t n_options;
    /** Names of the type's per-iteration metrics (the framework adds
     *  "iteration" and "seconds" in front). */
    const char *const *metric_names;
    size_t n_metrics;
    /** Index into metric_names of the metric `run` compares with its
     *  tolerance (stop when <= tol), or -1 for none. */
    int primary_metric;
    /** Allocate the method's state. Read the game, options, seed, sampler and
     *  initial policy through the marl_solver_* accessors for implementers.
     *  Return MARL_OK or an error (recorded with a message). */
    int (*create)(marl_solver *solver, void **state);
    /** One iteration. Write the type's metrics for the new iterate into
     *  metrics[0..n_metrics-1] (NaN where undefined). Return MARL_OK,
     *  MARL_CONVERGED (the method's own stopping rule is met), or an error. */
    int (*step)(marl_solver *solver, void *state, double *metrics);
    /** The current policy (owned by the state). */
    const marl_policy *(*policy)(const void *state);
    /** Release the state (NULL-safe). */
    void (*destroy)(void *state);
} marl_solver_type;

/* ---- built-in types ------------------------------------------------------ */

/** `markov-best-response`: round-robin exact best responses on Markov games
 *  (agent t mod N switches to its exact best response at iteration t).
 *  Converges on potential games. Metrics: nash_gap, potential, welfare,
 *  poa. */
extern MARL_API const marl_solver_type marl_solver_markov_best_response;

/* ---- registry ------------------------------------------------------------ */

/** Number of registered types (built-in first, then user types in
 *  registration order) and the i-th. */
MARL_API size_t marl_solver_type_count(void);
MARL_API const marl_solver_type *marl_solver_type_at(size_t i);
/** Type called name, or NULL. */
MARL_API const marl_solver_type *marl_solver_type_find(const char *name);
/** Register a user type (validated: version, name unique and non-empty,
 *  functions present, option table valid, primary metric in range). Thread
 *  safe. The type must stay valid until the process ends. */
MARL_API int marl_solver_type_register(const marl_solver_type *type);
/** Option introspection on a type: count and i-th definition. */
MARL_API size_t marl_solver_type_option_count(const marl_solver_type *type);
MARL_API const marl_option_def *
marl_solver_type_option(const marl_solver_type *type, size_t i);

/* ---- solver handles ------------------------------------------------------ */

/** New solver of `type` on `game` (a reference is kept). Options start at
 *  their defaults, seed 0. MARL_EKIND if the type does not accept the game's
 *  kind. The method's state is created lazily by the first step. */
MARL_API int marl_solver_new(marl_solver **out, const marl_solver_type *type,
                             marl_game *game);
/** Same, with the type looked up by name. */
MARL_API int marl_solver_new_by_name(marl_solver **out, const char *name,
                                     marl_game *game);
MARL_API void marl_solver_free(marl_solver *solver);

/** Options: set before the first step (MARL_EINVAL afterwards, until
 *  marl_solver_reset). */
MARL_API int marl_solver_set_int(marl_solver *solver, const char *name,
                                 long long value);
MARL_API int marl_solver_set_real(marl_solver *solver, const char *name,
                                  double value);
MARL_API int marl_solver_set_string(marl_solver *solver, const char *name,
                                    const char *value);
/** Parse a textual value by the option's type (command lines, FFI). */
MARL_API int marl_solver_set(marl_solver *solver, const char *name,
                             const char *text);
MARL_API int marl_solver_get_int(const marl_solver *solver, const char *name,
                                 long long *value);
MARL_API int marl_solver_get_real(const marl_solver *solver, const char *name,
                                  double *value);
MARL_API int marl_solver_get_string(const marl_solver *solver,
                                    const char *name, const char **value);
/** Seed of every random choice the method makes (before the first step). */
MARL_API int marl_solver_set_seed(marl_solver *solver, uint64_t seed);
/** Start from a copy of `policy` (same game) instead of the method's own
 *  initialisation (before the first step; NULL clears). */
MARL_API int marl_solver_set_initial_policy(marl_solver *solver,
                                            const marl_policy *policy);

/** Progress callback, called after every iteration with the row just added
 *  to the history (values[k] for metric k of marl_solver_metric_name). A
 *  non-zero return cancels: marl_solver_run returns MARL_ECANCELLED. */
typedef int (*marl_progress_fn)(const marl_solver *solver, size_t iteration,
                                const double *values, size_t n_values,
                                void *user);
MARL_API int marl_solver_set_progress(marl_solver *solver, marl_progress_fn fn,
                                      void *user);

/** One iteration: MARL_OK, MARL_CONVERGED, or an error. */
MARL_API int marl_solver_step(marl_solver *solver);
/** Iterate until the method converges (MARL_CONVERGED), the primary metric
 *  is <= tol (tol > 0; MARL_CONVERGED), max_iters iterations have run in
 *  this call (MARL_OK; 0 = no limit, then tol or max_seconds must be set),
 *  max_seconds of wall time have passed (MARL_OK; 0 = no limit), or the
 *  progress callback cancels (MARL_ECANCELLED). *iterations (may be NULL)
 *  receives the number of iterations run in this call. */
MARL_API int marl_solver_run(marl_solver *solver, size_t max_iters, double tol,
                             double max_seconds, size_t *iterations);
/** Drop the method's state and history (options and seed are kept). */
MARL_API int marl_solver_reset(marl_solver *solver);

/** The current policy (owned by the solver; valid until the next step,
 *  reset, free, or a successful option/seed/initial-policy change made
 *  before the first step, which discards the state built for this call). Before the first step the method's state is created, so
 *  this is the initial policy; NULL on error. */
MARL_API const marl_policy *marl_solver_policy(marl_solver *solver);
MARL_API const marl_solver_type *marl_solver_get_type(const marl_solver *s);
MARL_API size_t marl_solver_iterations(const marl_solver *solver);

/** Metrics history: columns "iteration", "seconds" (cumulative wall time
 *  spent in steps) then the type's metric_names; one row per iteration. */
MARL_API size_t marl_solver_metric_count(const marl_solver *solver);
MARL_API const char *marl_solver_metric_name(const marl_solver *solver,
                                             size_t column);
/** Column index of a metric by name. */
MARL_API int marl_solver_metric_index(const marl_solver *solver,
                                      const char *name, size_t *column);
MARL_API size_t marl_solver_history_length(const marl_solver *solver);
/** Copy history row `row` into values[0..metric_count-1]. */
MARL_API int marl_solver_history_row(const marl_solver *solver, size_t row,
                                     double *values);

/* ---- for implementers of solver types ------------------------------------ */

MARL_API marl_game *marl_solver_game(const marl_solver *solver);
MARL_API const marl_options *marl_solver_options(const marl_solver *solver);
MARL_API uint64_t marl_solver_seed(const marl_solver *solver);
/** The initial policy set by the user, or NULL. */
MARL_API const marl_policy *
marl_solver_initial_policy(const marl_solver *solver);
/** A sampler seeded with the solver's seed, created on first use and owned
 *  by the solver (NULL on allocation failure, with the error recorded). */
MARL_API marl_sampler *marl_solver_sampler(marl_solver *solver);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_SOLVER_H */
