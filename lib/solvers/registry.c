/*
 * The registry of solver types: built-in types (a static table) first, then
 * user types in registration order (at most MARL_SOLVER_MAX_USER_TYPES,
 * protected by a mutex), plus the structural validation of a type.
 * SPDX-License-Identifier: MIT
 */
#include "marlgame/marlgame.h"
#include "solvers/solver_impl.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Built-in types, in the order marl_solver_type_at lists them. */
static const marl_solver_type *const builtin_types[] = {
    &marl_solver_markov_best_response,
    &marl_solver_mpg_softmax_pg,
    &marl_solver_mpg_npg,
    &marl_solver_mpg_npg_br,
    &marl_solver_mpg_projected_pg,
    &marl_solver_mpg_q_ascent,
    &marl_solver_mpg_optimistic_q_ascent,
    &marl_solver_mpg_q_ascent_sampled,
/* Each later family lists its exported constants ("&marl_solver_x,", one
 * per line) in its own file, declared in its public header. */
#include "meanfield/types.inc"
#include "aggregative/types.inc"
#include "alternating/types.inc"
};
#define N_BUILTIN (sizeof builtin_types / sizeof builtin_types[0])

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static const marl_solver_type *user_types[MARL_SOLVER_MAX_USER_TYPES];
static size_t n_user_types;

/* ---- validation ---------------------------------------------------------- */

void marl_solver_kinds_text(unsigned mask, char *buf, size_t cap) {
    size_t used = 0;
    if (cap == 0) return;
    buf[0] = '\0';
    for (int k = MARL_GAME_MARKOV; k <= MARL_GAME_GLOBAL_LOCAL; ++k) {
        if (!(mask & MARL_KIND_BIT(k))) continue;
        int n = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
                         marl_game_kind_name(k));
        if (n < 0 || (size_t)n >= cap - used) return;
        used += (size_t)n;
    }
}

static int valid_name(const char *s, size_t max) {
    size_t n = strlen(s);
    if (n == 0 || n > max) return 0;
    for (size_t k = 0; k < n; ++k) {
        unsigned char c = (unsigned char)s[k];
        if (c <= ' ' || c >= 0x7f || c == ',' || c == '=' || c == '"')
            return 0;
    }
    return 1;
}

int marl_solver_type_check(const marl_solver_type *t, const char *fn) {
    if (!t) return marl_error(MARL_EINVAL, "%s: solver type is NULL", fn);
    if (t->version < 1 || t->version > MARL_SOLVER_TYPE_VERSION)
        return marl_error(MARL_EINVAL,
                          "%s: solver type version %d is not supported "
                          "(this library reads versions 1..%d)",
                          fn, t->version, MARL_SOLVER_TYPE_VERSION);
    if (!t->name)
        return marl_error(MARL_EINVAL, "%s: solver type name is NULL", fn);
    if (!valid_name(t->name, MARL_SOLVER_MAX_NAME))
        return marl_error(MARL_EINVAL,
                          "%s: solver type name \"%.64s\" is invalid (1..%d "
                          "printable characters, no spaces, ',', '=' or '\"')",
                          fn, t->name, MARL_SOLVER_MAX_NAME);
    if (t->game_kinds == 0)
        return marl_error(MARL_EINVAL,
                          "%s: solver type \"%s\" accepts no game kind", fn,
                          t->name);
    if (t->game_kinds & ~(unsigned)MARL_SOLVER_KNOWN_KINDS)
        return marl_error(MARL_EINVAL,
                          "%s: solver type \"%s\" has unknown game-kind bits "
                          "0x%x",
                          fn, t->name,
                          t->game_kinds & ~(unsigned)MARL_SOLVER_KNOWN_KINDS);
    if (!t->create || !t->step || !t->policy || !t->destroy)
        return marl_error(MARL_EINVAL,
                          "%s: solver type \"%s\" lacks its %s function", fn,
                          t->name,
                          !t->create ? "create"
                          : !t->step ? "step"
                          : !t->policy ? "policy"
                                       : "destroy");
    if (t->n_options > 0 && !t->options)
        return marl_error(MARL_EINVAL,
                          "%s: solver type \"%s\" declares %zu options but "
                          "no option table",
                          fn, t->name, t->n_options);
    if (t->n_metrics > MARL_SOLVER_MAX_METRICS)
        return marl_error(MARL_ERANGE,
                          "%s: solver type \"%s\" declares %zu metrics (at "
                          "most %d)",
                          fn, t->name, t->n_metrics, MARL_SOLVER_MAX_METRICS);
    if (t->n_metrics > 0 && !t->metric_names)
        return marl_error(MARL_EINVAL,
                          "%s: solver type \"%s\" declares %zu metrics but no "
                          "metric names",
                          fn, t->name, t->n_metrics);
    for (size_t k = 0; k < t->n_metrics; ++k) {
        const char *m = t->metric_names[k];
        if (!m || !valid_name(m, MARL_SOLVER_MAX_NAME))
            return marl_error(MARL_EINVAL,
                              "%s: solver type \"%s\": metric name %zu is "
                              "missing or invalid",
                              fn, t->name, k);
        if (strcmp(m, "iteration") == 0 || strcmp(m, "seconds") == 0)
            return marl_error(MARL_EINVAL,
                              "%s: solver type \"%s\": metric name %zu "
                              "\"%s\" is reserved by the framework",
                              fn, t->name, k, m);
        for (size_t q = 0; q < k; ++q)
            if (strcmp(m, t->metric_names[q]) == 0)
                return marl_error(MARL_EINVAL,
                                  "%s: solver type \"%s\": metric name \"%s\" "
                                  "appears twice (%zu and %zu)",
                                  fn, t->name, m, q, k);
    }
    if (t->primary_metric < -1 ||
        (t->primary_metric >= 0 && (size_t)t->primary_metric >= t->n_metrics))
        return marl_error(MARL_ERANGE,
                          "%s: solver type \"%s\": primary metric %d is out "
                          "of range (-1 or 0..%zu)",
                          fn, t->name, t->primary_metric,
                          t->n_metrics ? t->n_metrics - 1 : 0);
    return MARL_OK;
}

/* ---- lookups ------------------------------------------------------------- */

size_t marl_solver_type_count(void) {
    pthread_mutex_lock(&registry_lock);
    size_t n = N_BUILTIN + n_user_types;
    pthread_mutex_unlock(&registry_lock);
    return n;
}

const marl_solver_type *marl_solver_type_at(size_t i) {
    if (i < N_BUILTIN) return builtin_types[i];
    const marl_solver_type *t = NULL;
    pthread_mutex_lock(&registry_lock);
    if (i - N_BUILTIN < n_user_types) t = user_types[i - N_BUILTIN];
    pthread_mutex_unlock(&registry_lock);
    return t;
}

/* Caller holds the lock. */
static const marl_solver_type *find_locked(const char *name) {
    for (size_t k = 0; k < N_BUILTIN; ++k)
        if (strcmp(builtin_types[k]->name, name) == 0) return builtin_types[k];
    for (size_t k = 0; k < n_user_types; ++k)
        if (strcmp(user_types[k]->name, name) == 0) return user_types[k];
    return NULL;
}

const marl_solver_type *marl_solver_type_find(const char *name) {
    if (!name) return NULL;
    pthread_mutex_lock(&registry_lock);
    const marl_solver_type *t = find_locked(name);
    pthread_mutex_unlock(&registry_lock);
    return t;
}

int marl_solver_type_register(const marl_solver_type *type) {
    static const char fn[] = "marl_solver_type_register";
    int rc = marl_solver_type_check(type, fn);
    if (rc != MARL_OK) return rc;
    /* The option table is validated by building an option set from it. */
    if (type->n_options > 0) {
        marl_options *probe = NULL;
        rc = marl_options_new(&probe, type->options, type->n_options);
        if (rc != MARL_OK) return rc;
        marl_options_free(probe);
    }
    pthread_mutex_lock(&registry_lock);
    if (find_locked(type->name)) {
        pthread_mutex_unlock(&registry_lock);
        return marl_error(MARL_EINVAL,
                          "%s: a solver type called \"%s\" is already "
                          "registered",
                          fn, type->name);
    }
    if (n_user_types >= MARL_SOLVER_MAX_USER_TYPES) {
        pthread_mutex_unlock(&registry_lock);
        return marl_error(MARL_ERANGE,
                          "%s: cannot register \"%s\": the registry holds at "
                          "most %d user types",
                          fn, type->name, MARL_SOLVER_MAX_USER_TYPES);
    }
    user_types[n_user_types++] = type;
    pthread_mutex_unlock(&registry_lock);
    return MARL_OK;
}

/* ---- option introspection ------------------------------------------------ */

size_t marl_solver_type_option_count(const marl_solver_type *type) {
    return (type && type->options) ? type->n_options : 0;
}

const marl_option_def *marl_solver_type_option(const marl_solver_type *type,
                                               size_t i) {
    if (!type || !type->options || i >= type->n_options) return NULL;
    return &type->options[i];
}
