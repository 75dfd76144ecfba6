/*
 * marlgame CLI: `marlgame list` (games and solvers with their parameters).
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(int type) {
    switch (type) {
    case MARL_OPTION_INT: return "int";
    case MARL_OPTION_REAL: return "real";
    case MARL_OPTION_ENUM: return "enum";
    case MARL_OPTION_STRING: return "string";
    default: return "?";
    }
}

static void format_real(double x, char *buf, size_t cap) {
    if (isinf(x))
        snprintf(buf, cap, "%sinf", x < 0 ? "-" : "");
    else {
        /* Shortest text that reads back as x. */
        for (int digits = 6; digits <= 17; ++digits) {
            snprintf(buf, cap, "%.*g", digits, x);
            if (strtod(buf, NULL) == x) break;
        }
    }
}

static void print_def(const marl_option_def *d) {
    char def[128], range[160];
    if (marl_option_def_format_default(d, def, sizeof def) < 0)
        snprintf(def, sizeof def, "?");
    range[0] = '\0';
    if (d->type == MARL_OPTION_INT) {
        snprintf(range, sizeof range, "[%lld, %lld]", d->int_min, d->int_max);
    } else if (d->type == MARL_OPTION_REAL) {
        char lo[40], hi[40];
        format_real(d->real_min, lo, sizeof lo);
        format_real(d->real_max, hi, sizeof hi);
        snprintf(range, sizeof range, "[%s, %s]", lo, hi);
    } else if (d->type == MARL_OPTION_ENUM) {
        snprintf(range, sizeof range, "{%s}", d->choices ? d->choices : "");
    }
    printf("    %-14s %-6s default %-12s %s%s%s\n", d->name,
           type_name(d->type), def, range, *range ? "  " : "",
           d->doc ? d->doc : "");
}

static void print_kinds(unsigned mask) {
    int first = 1;
    for (int k = MARL_GAME_MARKOV; k <= MARL_GAME_GLOBAL_LOCAL; ++k)
        if (mask & MARL_KIND_BIT(k)) {
            printf("%s%s", first ? "" : ", ", marl_game_kind_name(k));
            first = 0;
        }
}

int cli_list(int argc, char **argv) {
    (void)argv;
    if (argc > 1) return cli_usage_error("list takes no arguments");
    size_t n_games = marl_games_count();
    printf("Games (%zu):\n", n_games);
    for (size_t g = 0; g < n_games; ++g) {
        const char *summary = marl_games_summary(g);
        printf("  %s  [%s]\n", marl_games_name(g),
               marl_game_kind_name(marl_games_kind(g)));
        if (summary && *summary) printf("    %s\n", summary);
        const marl_option_def *defs = NULL;
        size_t n_defs = 0;
        int rc = marl_games_params(g, &defs, &n_defs);
        if (rc != MARL_OK)
            return cli_lib_error(rc, "cannot list the parameters of game %s",
                                 marl_games_name(g));
        if (n_defs == 0) printf("    (no parameters)\n");
        for (size_t k = 0; k < n_defs; ++k) print_def(&defs[k]);
    }
    size_t n_types = marl_solver_type_count();
    printf("\nSolvers (%zu):\n", n_types);
    for (size_t t = 0; t < n_types; ++t) {
        const marl_solver_type *type = marl_solver_type_at(t);
        if (!type) continue;
        printf("  %s  [", type->name);
        print_kinds(type->game_kinds);
        printf("]\n");
        if (type->summary && *type->summary) printf("    %s\n", type->summary);
        size_t n_opts = marl_solver_type_option_count(type);
        if (n_opts == 0) printf("    (no options)\n");
        for (size_t k = 0; k < n_opts; ++k)
            print_def(marl_solver_type_option(type, k));
        if (type->n_metrics > 0) {
            printf("    metrics:");
            for (size_t k = 0; k < type->n_metrics; ++k)
                printf(" %s", type->metric_names[k]);
            printf("\n");
        }
    }
    return CLI_OK;
}
