/*
 * marlgame CLI: `marlgame solve`.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Used when none of --iters, --tol, --seconds is given. */
#define DEFAULT_ITERS 1000

typedef struct solve_args {
    const char *game, *solver, *trace, *save;
    cli_params params;
    const char **sets;   /* k=v for marl_solver_set */
    size_t n_sets;
    size_t iters;
    double tol, seconds;
    unsigned long long seed;
    int have_iters, have_tol, have_seconds, quiet;
} solve_args;

static int print_row(const marl_solver *s, size_t iteration,
                     const double *values, size_t n, void *user) {
    (void)s;
    (void)iteration;
    (void)user;
    printf("%9.0f", values[0]);
    for (size_t k = 1; k < n; ++k) printf(" %14.6g", values[k]);
    putchar('\n');
    fflush(stdout);
    return 0;
}

static void print_header(const marl_solver *s) {
    size_t n = marl_solver_metric_count(s);
    printf("%9s", marl_solver_metric_name(s, 0));
    for (size_t k = 1; k < n; ++k)
        printf(" %14s", marl_solver_metric_name(s, k));
    putchar('\n');
}

static int write_trace(const marl_solver *s, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return cli_error("cannot create %s", path);
    size_t n = marl_solver_metric_count(s), rows = marl_solver_history_length(s);
    double *row = malloc(n * sizeof *row);
    if (!row) {
        fclose(f);
        return cli_error("out of memory");
    }
    for (size_t k = 0; k < n; ++k)
        fprintf(f, "%s%s", k ? "," : "", marl_solver_metric_name(s, k));
    fputc('\n', f);
    int rc = CLI_OK;
    for (size_t r = 0; r < rows && rc == CLI_OK; ++r) {
        int st = marl_solver_history_row(s, r, row);
        if (st != MARL_OK) {
            rc = cli_lib_error(st, "cannot read history row %zu", r);
            break;
        }
        for (size_t k = 0; k < n; ++k)
            fprintf(f, "%s%.17g", k ? "," : "", row[k]);
        fputc('\n', f);
    }
    free(row);
    if (ferror(f)) rc = cli_error("cannot write %s", path);
    if (fclose(f) != 0 && rc == CLI_OK) rc = cli_error("cannot write %s", path);
    return rc;
}

/* Parse the arguments after "solve". */
static int parse(int argc, char **argv, solve_args *a) {
    a->sets = calloc((size_t)argc, sizeof *a->sets);
    if (!a->sets) return cli_error("out of memory");
    for (int k = 1; k < argc; ++k) {
        const char *o = argv[k];
        if (strcmp(o, "--quiet") == 0) {
            a->quiet = 1;
            continue;
        }
        static const char *const with_value[] = {
            "--game", "--param", "--solver", "--set", "--iters", "--tol",
            "--seconds", "--seed", "--trace", "--save-policy"};
        int known = 0;
        for (size_t q = 0; q < sizeof with_value / sizeof *with_value; ++q)
            if (strcmp(o, with_value[q]) == 0) known = 1;
        if (!known) return cli_usage_error("solve: unknown argument \"%s\"", o);
        if (k + 1 >= argc) return cli_usage_error("solve: %s needs a value", o);
        const char *v = argv[++k];
        if (strcmp(o, "--game") == 0) {
            a->game = v;
        } else if (strcmp(o, "--solver") == 0) {
            a->solver = v;
        } else if (strcmp(o, "--trace") == 0) {
            a->trace = v;
        } else if (strcmp(o, "--save-policy") == 0) {
            a->save = v;
        } else if (strcmp(o, "--param") == 0) {
            if (!strchr(v, '='))
                return cli_usage_error("solve: --param expects k=v, got "
                                       "\"%s\"", v);
            if (cli_params_add(&a->params, v)) return cli_error("out of memory");
        } else if (strcmp(o, "--set") == 0) {
            if (!strchr(v, '=') || v[0] == '=')
                return cli_usage_error("solve: --set expects k=v, got \"%s\"",
                                       v);
            a->sets[a->n_sets++] = v;
        } else if (strcmp(o, "--iters") == 0) {
            if (cli_parse_size(v, &a->iters))
                return cli_usage_error("solve: bad --iters \"%s\" (expected "
                                       "a non-negative integer)", v);
            a->have_iters = 1;
        } else if (strcmp(o, "--tol") == 0) {
            if (cli_parse_double(v, &a->tol))
                return cli_usage_error("solve: bad --tol \"%s\"", v);
            a->have_tol = 1;
        } else if (strcmp(o, "--seconds") == 0) {
            if (cli_parse_double(v, &a->seconds) || a->seconds < 0)
                return cli_usage_error("solve: bad --seconds \"%s\"", v);
            a->have_seconds = 1;
        } else if (strcmp(o, "--seed") == 0) {
            if (cli_parse_u64(v, &a->seed))
                return cli_usage_error("solve: bad --seed \"%s\" (expected a "
                                       "non-negative integer)", v);
        }
    }
    if (!a->game) return cli_usage_error("solve: --game NAME is required");
    if (!a->solver) return cli_usage_error("solve: --solver NAME is required");
    if (!a->have_iters && !a->have_tol && !a->have_seconds)
        a->iters = DEFAULT_ITERS;
    return CLI_OK;
}

/* Set the k=v options one by one. */
static int apply_sets(marl_solver *s, const solve_args *a) {
    for (size_t k = 0; k < a->n_sets; ++k) {
        const char *eq = strchr(a->sets[k], '=');
        size_t len = (size_t)(eq - a->sets[k]);
        char *name = malloc(len + 1);
        if (!name) return cli_error("out of memory");
        memcpy(name, a->sets[k], len);
        name[len] = '\0';
        int rc = marl_solver_set(s, name, eq + 1);
        free(name);
        if (rc != MARL_OK)
            return cli_lib_error(rc, "cannot set solver option \"%s\"",
                                 a->sets[k]);
    }
    return CLI_OK;
}

static void print_options(const marl_solver *s) {
    const marl_options *o = marl_solver_options(s);
    size_t n = marl_options_count(o);
    printf("options:");
    if (n == 0) printf(" (none)");
    for (size_t k = 0; k < n; ++k) {
        char buf[256];
        if (marl_options_format(o, k, buf, sizeof buf) < 0)
            snprintf(buf, sizeof buf, "?");
        printf(" %s=%s", marl_options_def(o, k)->name, buf);
    }
    printf("  seed=%llu\n", (unsigned long long)marl_solver_seed(s));
}

static int summarize(const marl_solver *s, int status, size_t done,
                     const solve_args *a) {
    const char *what = "stopped";
    if (status == MARL_CONVERGED)
        what = "converged";
    else if (a->iters > 0 && done >= a->iters)
        what = "stopped (iteration limit)";
    else if (a->have_seconds)
        what = "stopped (time limit)";
    printf("status: %s\n", what);
    printf("iterations: %zu\n", marl_solver_iterations(s));
    size_t n = marl_solver_metric_count(s), rows = marl_solver_history_length(s);
    if (rows > 0) {
        double *row = malloc(n * sizeof *row);
        if (!row) return cli_error("out of memory");
        int rc = marl_solver_history_row(s, rows - 1, row);
        if (rc != MARL_OK) {
            free(row);
            return cli_lib_error(rc, "cannot read the last history row");
        }
        printf("final metrics:\n");
        for (size_t k = 2; k < n; ++k)
            printf("  %s = %.17g\n", marl_solver_metric_name(s, k), row[k]);
        printf("seconds: %.6f\n", row[1]);
        free(row);
    }
    return CLI_OK;
}

/* The policy pair of an alternating-* solver (global-local games), written
 * as CSV by the library (marl_gl_policy_write_csv, docs/global-local.md). */
static int save_gl_policy(marl_solver *s, const char *path) {
    const marl_gl_policy *pi = marl_alternating_policy(s);
    if (!pi)
        return cli_lib_error(marl_last_error_code(),
                             "cannot get the solver's policy pair");
    size_t size = 0;
    int rc = marl_gl_policy_write_csv(pi, NULL, 0, &size);
    char *text = rc == MARL_OK ? malloc(size + 1) : NULL;
    if (rc == MARL_OK && !text) return cli_error("out of memory");
    if (rc == MARL_OK) rc = marl_gl_policy_write_csv(pi, text, size + 1, &size);
    if (rc != MARL_OK) {
        free(text);
        return cli_lib_error(rc, "cannot format the policy pair");
    }
    int bad = cli_write_file(path, text, size);
    free(text);
    return bad ? CLI_ELIB : CLI_OK;
}

int cli_solve(int argc, char **argv) {
    solve_args a;
    memset(&a, 0, sizeof a);
    marl_game *game = NULL;
    marl_solver *s = NULL;
    size_t done = 0;
    int rc = parse(argc, argv, &a);
    if (rc == CLI_OK) rc = cli_build_game(a.game, &a.params, &game);
    if (rc == CLI_OK) {
        int st = marl_solver_new_by_name(&s, a.solver, game);
        if (st != MARL_OK)
            rc = cli_lib_error(st, "cannot create solver \"%s\" for game "
                                   "\"%s\"", a.solver, a.game);
    }
    if (rc == CLI_OK) rc = apply_sets(s, &a);
    if (rc == CLI_OK) {
        int st = marl_solver_set_seed(s, (uint64_t)a.seed);
        if (st != MARL_OK) rc = cli_lib_error(st, "cannot set the seed");
    }
    if (rc == CLI_OK) {
        cli_print_game(stdout, game);
        printf("solver: %s\n", a.solver);
        print_options(s);
        if (!a.quiet) {
            print_header(s);
            marl_solver_set_progress(s, print_row, NULL);
        }
        int st = marl_solver_run(s, a.iters, a.have_tol ? a.tol : 0.0,
                                 a.have_seconds ? a.seconds : 0.0, &done);
        if (st < 0)
            rc = cli_lib_error(st, "solver \"%s\" failed after %zu "
                                   "iterations", a.solver,
                               marl_solver_iterations(s));
        else
            rc = summarize(s, st, done, &a);
    }
    if (rc == CLI_OK && a.trace) rc = write_trace(s, a.trace);
    if (rc == CLI_OK && a.save &&
        marl_game_kind(game) == MARL_GAME_GLOBAL_LOCAL) {
        /* alternating-* solvers: their policy pair, as the CSV text of
         * marl_gl_policy_write_csv whatever the file's extension */
        rc = save_gl_policy(s, a.save);
    } else if (rc == CLI_OK && a.save) {
        const marl_policy *pi = marl_solver_policy(s);
        if (!pi)
            rc = cli_lib_error(marl_last_error_code(),
                               "cannot get the solver's policy");
        else
            rc = cli_save_policy(pi, a.save);
    }
    marl_solver_free(s);
    marl_game_free(game);
    cli_params_free(&a.params);
    free(a.sets);
    return rc;
}
