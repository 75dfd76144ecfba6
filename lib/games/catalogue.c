/*
 * The catalogue of built-in games: a static table of entries (name, kind,
 * summary, parameter definitions, constructor). Parameters are parsed and
 * validated by the options framework before the constructor runs.
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"

#include <stdio.h>
#include <string.h>

/* One line per game. */
static const marl_games_entry catalogue[] = {
    {"coordination", MARL_GAME_MARKOV,
     "N-player coordination Markov potential game with a team reward (seed "
     "003, sec. 5 and App. G.1)",
     marl_games_coordination_params, marl_games_coordination_build},
    {"distancing", MARL_GAME_MARKOV,
     "social-distancing congestion Markov game, 4 weighted facilities, safe "
     "and distancing states (Leonardos et al., ICLR 2022)",
     marl_games_distancing_params, marl_games_distancing_build},
    {"random-mpg", MARL_GAME_MARKOV,
     "seeded random Markov potential game with a supplied potential (ours, "
     "for tests)",
     marl_games_random_mpg_params, marl_games_random_mpg_build},
    {"matching-pennies-markov", MARL_GAME_MARKOV,
     "two-player zero-sum 2-state Markov matching pennies with a unique "
     "mixed equilibrium (ours, for tests)",
     marl_games_matching_pennies_params, marl_games_matching_pennies_build},
/* Each later family lists its entries in its own folder. */
#include "population/catalogue.inc"
#include "aggregative/catalogue.inc"
#include "global_local/catalogue.inc"
};

#define N_ENTRIES (sizeof catalogue / sizeof catalogue[0])

static size_t count_params(const marl_option_def *defs) {
    size_t n = 0;
    if (defs)
        while (defs[n].name) ++n;
    return n;
}

/* "a, b, c" of every catalogue name into buf. */
static void list_names(char *buf, size_t cap) {
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_ENTRIES && used < cap; ++i) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                         catalogue[i].name);
        if (n < 0) break;
        used += (size_t)n;
    }
}

/* "a, b, c" of every parameter name of entry e into buf. */
static void list_params(const marl_games_entry *e, char *buf, size_t cap) {
    size_t used = 0, n_defs = count_params(e->params);
    buf[0] = '\0';
    if (n_defs == 0) snprintf(buf, cap, "(none)");
    for (size_t i = 0; i < n_defs && used < cap; ++i) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
                         e->params[i].name);
        if (n < 0) break;
        used += (size_t)n;
    }
}

size_t marl_games_count(void) { return N_ENTRIES; }

const char *marl_games_name(size_t i) {
    return i < N_ENTRIES ? catalogue[i].name : NULL;
}

int marl_games_kind(size_t i) { return i < N_ENTRIES ? catalogue[i].kind : 0; }

const char *marl_games_summary(size_t i) {
    return i < N_ENTRIES ? catalogue[i].summary : NULL;
}

int marl_games_find(const char *name, size_t *index) {
    if (!name) return marl_error(MARL_EINVAL, "marl_games_find: name is NULL");
    if (!index)
        return marl_error(MARL_EINVAL, "marl_games_find: index is NULL");
    for (size_t i = 0; i < N_ENTRIES; ++i)
        if (strcmp(catalogue[i].name, name) == 0) {
            *index = i;
            return MARL_OK;
        }
    char known[256];
    list_names(known, sizeof known);
    return marl_error(MARL_EINVAL, "unknown game '%.64s'; known games: %s",
                      name, known);
}

int marl_games_params(size_t i, const marl_option_def **defs,
                      size_t *n_defs) {
    if (!defs || !n_defs)
        return marl_error(MARL_EINVAL, "marl_games_params: %s is NULL",
                          defs ? "n_defs" : "defs");
    if (i >= N_ENTRIES)
        return marl_error(MARL_ERANGE,
                          "marl_games_params: entry %zu is out of range [0, "
                          "%zu)", i, (size_t)N_ENTRIES);
    *defs = catalogue[i].params;
    *n_defs = count_params(catalogue[i].params);
    return MARL_OK;
}

/* Copy of params with every parameter name (the text of an item before its
 * '=') folded to lower case, so "N=3" names option "n": option names are
 * [a-z0-9_]+ while the documentation writes some parameters in upper case.
 * Values are left untouched. */
static char *fold_keys(const char *params) {
    char *copy = marl_strdup(params);
    if (!copy) return NULL;
    int in_key = 1;
    for (char *p = copy; *p; ++p) {
        if (*p == ',') in_key = 1;
        else if (*p == '=') in_key = 0;
        else if (in_key && *p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    }
    return copy;
}

int marl_games_new(marl_game **out, const char *name, const char *params) {
    if (!out) return marl_error(MARL_EINVAL, "marl_games_new: out is NULL");
    if (!name) return marl_error(MARL_EINVAL, "marl_games_new: name is NULL");
    size_t i;
    int rc = marl_games_find(name, &i);
    if (rc) return rc;
    const marl_games_entry *e = &catalogue[i];
    marl_options *opts = NULL;
    rc = marl_options_new(&opts, e->params, count_params(e->params));
    if (rc) return rc;
    if (params && *params) {
        char *folded = fold_keys(params);
        if (!folded) {
            marl_options_free(opts);
            return marl_error_nomem("the game parameters");
        }
        rc = marl_options_parse(opts, folded);
        marl_free(folded);
    }
    if (rc) {
        marl_options_free(opts);
        if (rc == MARL_ENOMEM) return rc;
        char detail[384], known[192];
        snprintf(detail, sizeof detail, "%s", marl_last_error());
        list_params(e, known, sizeof known);
        return marl_error(rc, "game '%s': %s (parameters of '%s': %s)",
                          e->name, detail, e->name, known);
    }
    marl_game *g = NULL;
    rc = e->build(&g, opts);
    marl_options_free(opts);
    if (rc) return rc;
    *out = g;
    return MARL_OK;
}
