/*
 * Solver handles: options, seed, initial policy, lazily created method
 * state, metrics history, step/run/reset, and the accessors for implementers
 * of solver types.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/solver_impl.h"

#include <math.h>
#include <string.h>

/* Rows of history allocated by the first step. */
#define HISTORY_INITIAL_ROWS 64

struct marl_solver {
    const marl_solver_type *type;
    marl_game *game;          /* reference held */
    marl_options *opts;       /* NULL when the type has no options */
    uint64_t seed;
    marl_policy *initial;     /* copy, or NULL */
    marl_progress_fn progress;
    void *progress_user;
    void *state;              /* method state, valid when has_state */
    int has_state;
    marl_sampler *sampler;    /* created on first use */
    size_t n_cols;            /* 2 + type->n_metrics */
    double *history;          /* [hist_cap * n_cols] */
    size_t hist_rows;
    size_t hist_cap;
    size_t iterations;
    double seconds;           /* cumulative wall time spent in steps */
    marl_solver_ext ext;      /* type-specific extension data */
};

/* ---- construction -------------------------------------------------------- */

int marl_solver_new(marl_solver **out, const marl_solver_type *type,
                    marl_game *game) {
    static const char fn[] = "marl_solver_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    int rc = marl_solver_type_check(type, fn);
    if (rc != MARL_OK) return rc;
    if (!game) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    int kind = marl_game_kind(game);
    if (kind < 1 || kind > 31 || !(type->game_kinds & MARL_KIND_BIT(kind))) {
        char kinds[128];
        marl_solver_kinds_text(type->game_kinds, kinds, sizeof kinds);
        return marl_error(MARL_EKIND,
                          "%s: solver type \"%s\" does not accept %s games "
                          "(it accepts: %s)",
                          fn, type->name, marl_game_kind_name(kind), kinds);
    }
    marl_solver *s = marl_calloc(1, sizeof *s);
    if (!s) return marl_error_nomem("a solver");
    if (type->n_options > 0) {
        rc = marl_options_new(&s->opts, type->options, type->n_options);
        if (rc != MARL_OK) {
            marl_free(s);
            return rc;
        }
    }
    s->type = type;
    s->n_cols = 2 + type->n_metrics;
    s->game = marl_game_ref(game);
    *out = s;
    return MARL_OK;
}

int marl_solver_new_by_name(marl_solver **out, const char *name,
                            marl_game *game) {
    static const char fn[] = "marl_solver_new_by_name";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (!name) return marl_error(MARL_EINVAL, "%s: name is NULL", fn);
    const marl_solver_type *type = marl_solver_type_find(name);
    if (!type) {
        char known[512];
        size_t used = 0, n = marl_solver_type_count();
        known[0] = '\0';
        for (size_t k = 0; k < n && used + 1 < sizeof known; ++k) {
            const marl_solver_type *t = marl_solver_type_at(k);
            if (!t) continue;
            size_t len = strlen(t->name);
            if (used + len + 3 >= sizeof known) break;
            if (used) {
                memcpy(known + used, ", ", 2);
                used += 2;
            }
            memcpy(known + used, t->name, len + 1);
            used += len;
        }
        return marl_error(MARL_EINVAL,
                          "%s: unknown solver type \"%.64s\" (known: %s)", fn,
                          name, known);
    }
    return marl_solver_new(out, type, game);
}

static void drop_state(marl_solver *s) {
    if (s->has_state) s->type->destroy(s->state);
    s->state = NULL;
    s->has_state = 0;
    marl_sampler_free(s->sampler);
    s->sampler = NULL;
}

void marl_solver_free(marl_solver *s) {
    if (!s) return;
    drop_state(s);
    marl_options_free(s->opts);
    marl_policy_free(s->initial);
    marl_free(s->history);
    if (s->ext.release) s->ext.release(s->ext.data);
    marl_game_unref(s->game);
    marl_free(s);
}

/* ---- configuration (before the first step) ------------------------------- */

/* MARL_OK if the configuration may change. A state created by
 * marl_solver_policy before any step is dropped by the caller after a
 * successful change (it is rebuilt from the new configuration). */
static int check_configurable(const marl_solver *s, const char *fn) {
    if (!s) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    if (s->iterations > 0)
        return marl_error(MARL_EINVAL,
                          "%s: solver \"%s\" has already run %zu iteration%s; "
                          "options, seed and initial policy are fixed until "
                          "marl_solver_reset",
                          fn, s->type->name, s->iterations,
                          s->iterations == 1 ? "" : "s");
    return MARL_OK;
}

static int check_option_name(const marl_solver *s, const char *name,
                             const char *fn) {
    if (!name) return marl_error(MARL_EINVAL, "%s: option name is NULL", fn);
    if (!s->opts)
        return marl_error(MARL_EINVAL,
                          "%s: unknown option \"%.64s\" (solver type \"%s\" "
                          "has no options)",
                          fn, name, s->type->name);
    return MARL_OK;
}

/* Shared tail of the setters: on success, forget a state built from the old
 * configuration. */
static int after_set(marl_solver *s, int rc) {
    if (rc == MARL_OK) drop_state(s);
    return rc;
}

int marl_solver_set_int(marl_solver *s, const char *name, long long value) {
    static const char fn[] = "marl_solver_set_int";
    int rc = check_configurable(s, fn);
    if (rc == MARL_OK) rc = check_option_name(s, name, fn);
    if (rc != MARL_OK) return rc;
    return after_set(s, marl_options_set_int(s->opts, name, value));
}

int marl_solver_set_real(marl_solver *s, const char *name, double value) {
    static const char fn[] = "marl_solver_set_real";
    int rc = check_configurable(s, fn);
    if (rc == MARL_OK) rc = check_option_name(s, name, fn);
    if (rc != MARL_OK) return rc;
    return after_set(s, marl_options_set_real(s->opts, name, value));
}

int marl_solver_set_string(marl_solver *s, const char *name,
                           const char *value) {
    static const char fn[] = "marl_solver_set_string";
    int rc = check_configurable(s, fn);
    if (rc == MARL_OK) rc = check_option_name(s, name, fn);
    if (rc != MARL_OK) return rc;
    return after_set(s, marl_options_set_string(s->opts, name, value));
}

int marl_solver_set(marl_solver *s, const char *name, const char *text) {
    static const char fn[] = "marl_solver_set";
    int rc = check_configurable(s, fn);
    if (rc == MARL_OK) rc = check_option_name(s, name, fn);
    if (rc != MARL_OK) return rc;
    return after_set(s, marl_options_set(s->opts, name, text));
}

int marl_solver_get_int(const marl_solver *s, const char *name,
                        long long *value) {
    static const char fn[] = "marl_solver_get_int";
    if (!s) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    int rc = check_option_name(s, name, fn);
    if (rc != MARL_OK) return rc;
    return marl_options_get_int(s->opts, name, value);
}

int marl_solver_get_real(const marl_solver *s, const char *name,
                         double *value) {
    static const char fn[] = "marl_solver_get_real";
    if (!s) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    int rc = check_option_name(s, name, fn);
    if (rc != MARL_OK) return rc;
    return marl_options_get_real(s->opts, name, value);
}

int marl_solver_get_string(const marl_solver *s, const char *name,
                           const char **value) {
    static const char fn[] = "marl_solver_get_string";
    if (!s) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    int rc = check_option_name(s, name, fn);
    if (rc != MARL_OK) return rc;
    return marl_options_get_string(s->opts, name, value);
}

int marl_solver_set_seed(marl_solver *s, uint64_t seed) {
    int rc = check_configurable(s, "marl_solver_set_seed");
    if (rc != MARL_OK) return rc;
    s->seed = seed;
    drop_state(s);
    return MARL_OK;
}

int marl_solver_set_initial_policy(marl_solver *s, const marl_policy *policy) {
    static const char fn[] = "marl_solver_set_initial_policy";
    int rc = check_configurable(s, fn);
    if (rc != MARL_OK) return rc;
    marl_policy *copy = NULL;
    if (policy) {
        if (marl_policy_game(policy) != s->game)
            return marl_error(MARL_EINVAL,
                              "%s: the policy belongs to another game than "
                              "the solver's",
                              fn);
        rc = marl_policy_copy(&copy, policy);
        if (rc != MARL_OK) return rc;
    }
    marl_policy_free(s->initial);
    s->initial = copy;
    drop_state(s);
    return MARL_OK;
}

int marl_solver_set_progress(marl_solver *s, marl_progress_fn fn, void *user) {
    if (!s)
        return marl_error(MARL_EINVAL, "marl_solver_set_progress: solver is "
                                       "NULL");
    s->progress = fn;
    s->progress_user = fn ? user : NULL;
    return MARL_OK;
}

/* ---- iterating ----------------------------------------------------------- */

static int ensure_state(marl_solver *s, const char *fn) {
    if (s->has_state) return MARL_OK;
    void *state = NULL;
    int had_sampler = s->sampler != NULL;
    marl_clear_error();
    int rc = s->type->create(s, &state);
    if (rc != MARL_OK) {
        if (!had_sampler) {
            marl_sampler_free(s->sampler);
            s->sampler = NULL;
        }
        if (rc > 0) rc = MARL_EINTERNAL;
        if (marl_last_error_code() != rc)
            marl_error(rc,
                       "%s: solver type \"%s\" failed to create its state "
                       "(%s)",
                       fn, s->type->name, marl_strerror(rc));
        return rc;
    }
    s->state = state;
    s->has_state = 1;
    return MARL_OK;
}

/* Room for one more history row (amortised doubling). */
static int reserve_row(marl_solver *s) {
    if (s->hist_rows < s->hist_cap) return MARL_OK;
    size_t cap = s->hist_cap ? s->hist_cap : HISTORY_INITIAL_ROWS, bytes;
    if (s->hist_cap && !marl_mul_size(cap, 2, &cap))
        return marl_error(MARL_ERANGE, "solver history is full");
    if (!marl_mul_size(cap, s->n_cols, &bytes) ||
        !marl_mul_size(bytes, sizeof(double), &bytes))
        return marl_error(MARL_ERANGE, "solver history is too long");
    double *h = marl_realloc(s->history, bytes);
    if (!h) return marl_error_nomem("the solver's metrics history");
    s->history = h;
    s->hist_cap = cap;
    return MARL_OK;
}

/* Undo what a failed step created in this call (the solver is left as it
 * was before the call). */
static void undo_step(marl_solver *s, int created_state, int created_history,
                      int had_sampler) {
    if (created_state) {
        s->type->destroy(s->state);
        s->state = NULL;
        s->has_state = 0;
    }
    if (!had_sampler && s->sampler) {
        marl_sampler_free(s->sampler);
        s->sampler = NULL;
    }
    if (created_history) {
        marl_free(s->history);
        s->history = NULL;
        s->hist_cap = 0;
    }
}

int marl_solver_step(marl_solver *s) {
    static const char fn[] = "marl_solver_step";
    if (!s) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    double t0 = marl_now_seconds();
    int created_state = !s->has_state, created_history = s->hist_cap == 0;
    int had_sampler = s->sampler != NULL;
    int rc = ensure_state(s, fn);
    if (rc != MARL_OK) return rc;
    rc = reserve_row(s);
    if (rc != MARL_OK) {
        undo_step(s, created_state, 0, had_sampler);
        return rc;
    }
    double *row = s->history + s->hist_rows * s->n_cols;
    for (size_t k = 0; k < s->n_cols; ++k) row[k] = NAN;
    rc = s->type->step(s, s->state, row + 2);
    double t1 = marl_now_seconds();
    if (rc != MARL_OK && rc != MARL_CONVERGED) {
        if (rc > 0)
            rc = marl_error(MARL_EINTERNAL,
                            "%s: solver type \"%s\" returned the unknown "
                            "status %d",
                            fn, s->type->name, rc);
        undo_step(s, created_state, created_history, had_sampler);
        return rc;
    }
    s->iterations++;
    s->seconds += t1 - t0;
    row[0] = (double)s->iterations;
    row[1] = s->seconds;
    s->hist_rows++;
    if (s->progress &&
        s->progress(s, s->iterations, row, s->n_cols, s->progress_user) != 0)
        return marl_error(MARL_ECANCELLED,
                          "%s: cancelled by the progress callback at "
                          "iteration %zu",
                          fn, s->iterations);
    return rc;
}

int marl_solver_run(marl_solver *s, size_t max_iters, double tol,
                    double max_seconds, size_t *iterations) {
    static const char fn[] = "marl_solver_run";
    if (!s) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    if (isnan(tol)) return marl_error(MARL_EINVAL, "%s: tol is NaN", fn);
    if (isnan(max_seconds))
        return marl_error(MARL_EINVAL, "%s: max_seconds is NaN", fn);
    int use_tol = tol > 0.0;
    int use_time = max_seconds > 0.0 && isfinite(max_seconds);
    if (max_iters == 0 && !use_tol && !use_time)
        return marl_error(MARL_EINVAL,
                          "%s: no stopping rule: give max_iters > 0, tol > 0 "
                          "or max_seconds > 0",
                          fn);
    if (use_tol && s->type->primary_metric < 0)
        return marl_error(MARL_EINVAL,
                          "%s: solver type \"%s\" has no primary metric, so "
                          "tol (%g) cannot be applied",
                          fn, s->type->name, tol);
    size_t primary = 2 + (size_t)(use_tol ? s->type->primary_metric : 0);
    double start = marl_now_seconds();
    size_t done = 0;
    int rc = MARL_OK;
    while (max_iters == 0 || done < max_iters) {
        rc = marl_solver_step(s);
        if (rc < 0) return rc;
        ++done;
        if (rc == MARL_CONVERGED) break;
        if (use_tol && s->hist_rows > 0) { /* (a callback may reset) */
            double v = s->history[(s->hist_rows - 1) * s->n_cols + primary];
            if (v <= tol) {
                rc = MARL_CONVERGED;
                break;
            }
        }
        if (use_time && marl_now_seconds() - start >= max_seconds) break;
    }
    if (iterations) *iterations = done;
    return rc;
}

int marl_solver_reset(marl_solver *s) {
    if (!s) return marl_error(MARL_EINVAL, "marl_solver_reset: solver is NULL");
    drop_state(s);
    marl_free(s->history);
    s->history = NULL;
    s->hist_cap = 0;
    s->hist_rows = 0;
    s->iterations = 0;
    s->seconds = 0.0;
    return MARL_OK;
}

/* ---- queries ------------------------------------------------------------- */

const marl_policy *marl_solver_policy(marl_solver *s) {
    static const char fn[] = "marl_solver_policy";
    if (!s) {
        marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
        return NULL;
    }
    if (ensure_state(s, fn) != MARL_OK) return NULL;
    const marl_policy *p = s->type->policy(s->state);
    if (!p)
        marl_error(MARL_EINTERNAL, "%s: solver type \"%s\" has no policy", fn,
                   s->type->name);
    return p;
}

const marl_solver_type *marl_solver_get_type(const marl_solver *s) {
    return s ? s->type : NULL;
}

size_t marl_solver_iterations(const marl_solver *s) {
    return s ? s->iterations : 0;
}

size_t marl_solver_metric_count(const marl_solver *s) {
    return s ? s->n_cols : 0;
}

const char *marl_solver_metric_name(const marl_solver *s, size_t column) {
    if (!s || column >= s->n_cols) return NULL;
    if (column == 0) return "iteration";
    if (column == 1) return "seconds";
    return s->type->metric_names[column - 2];
}

int marl_solver_metric_index(const marl_solver *s, const char *name,
                             size_t *column) {
    static const char fn[] = "marl_solver_metric_index";
    if (!s || !name || !column)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !s ? "solver" : !name ? "name" : "column");
    for (size_t k = 0; k < s->n_cols; ++k)
        if (strcmp(marl_solver_metric_name(s, k), name) == 0) {
            *column = k;
            return MARL_OK;
        }
    return marl_error(MARL_EINVAL,
                      "%s: solver type \"%s\" has no metric \"%.64s\"", fn,
                      s->type->name, name);
}

size_t marl_solver_history_length(const marl_solver *s) {
    return s ? s->hist_rows : 0;
}

int marl_solver_history_row(const marl_solver *s, size_t row, double *values) {
    static const char fn[] = "marl_solver_history_row";
    if (!s || !values)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !s ? "solver" : "values");
    if (row >= s->hist_rows)
        return marl_error(MARL_ERANGE,
                          "%s: row %zu is out of range (history has %zu "
                          "rows)",
                          fn, row, s->hist_rows);
    memcpy(values, s->history + row * s->n_cols, s->n_cols * sizeof(double));
    return MARL_OK;
}

/* ---- for implementers ---------------------------------------------------- */

marl_game *marl_solver_game(const marl_solver *s) { return s ? s->game : NULL; }

const marl_options *marl_solver_options(const marl_solver *s) {
    return s ? s->opts : NULL;
}

uint64_t marl_solver_seed(const marl_solver *s) { return s ? s->seed : 0; }

const marl_policy *marl_solver_initial_policy(const marl_solver *s) {
    return s ? s->initial : NULL;
}

marl_sampler *marl_solver_sampler(marl_solver *s) {
    if (!s) {
        marl_error(MARL_EINVAL, "marl_solver_sampler: solver is NULL");
        return NULL;
    }
    if (!s->sampler && marl_sampler_new(&s->sampler, s->game, s->seed) != MARL_OK)
        s->sampler = NULL;
    return s->sampler;
}

marl_solver_ext *marl_solver_extension(marl_solver *s) {
    return s ? &s->ext : NULL;
}

void *marl_solver_state(marl_solver *s) {
    static const char fn[] = "marl_solver_state";
    if (!s) {
        marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
        return NULL;
    }
    return ensure_state(s, fn) == MARL_OK ? s->state : NULL;
}
