/*
 * marlgame command-line program: shared declarations. Uses the public API
 * of libmarlgame only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_CLI_H
#define MARLGAME_CLI_H

#include <marlgame/marlgame.h>

#include <stdio.h>

/* Exit codes. */
enum { CLI_OK = 0, CLI_ELIB = 1, CLI_EUSAGE = 2 };

/* Usage error: prints "marlgame: <message>" and a hint to stderr; returns
 * CLI_EUSAGE. */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Library error: prints "marlgame: <context>: <status> (<last error>)" to
 * stderr; returns CLI_ELIB. */
int cli_lib_error(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Other runtime error (files): prints the message; returns CLI_ELIB. */
int cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Strict number parsers (whole string, no sign for unsigned); 0 on success. */
int cli_parse_u64(const char *text, unsigned long long *out);
int cli_parse_size(const char *text, size_t *out);
int cli_parse_double(const char *text, double *out);

/* Growable list of "k=v" strings joined with commas. */
typedef struct cli_params {
    char *text;  /* NUL-terminated; NULL when empty */
    size_t len;
} cli_params;
/* Append one k=v item (must contain '='); 0 on success, -1 on no memory. */
int cli_params_add(cli_params *p, const char *item);
void cli_params_free(cli_params *p);

/* The arguments every `eval` takes: --game NAME, --param k=v (repeatable),
 * --policy SPEC. If argv[*k] is one of them, consume it and its value
 * (advancing *k), store it, set *rc (CLI_OK, or the usage/memory error
 * already reported) and return 1; otherwise return 0 and change nothing. */
typedef struct cli_eval_args {
    const char *game;   /* NULL until --game */
    const char *policy; /* NULL until --policy */
    cli_params params;  /* the --param items (cli_params_free) */
} cli_eval_args;
int cli_eval_common_arg(int argc, char **argv, int *k, cli_eval_args *a,
                        int *rc);

/* Build a catalogue game, reporting errors; returns a CLI exit code. */
int cli_build_game(const char *name, const cli_params *params,
                   marl_game **out);

/* Whole file into a malloc'ed buffer (NUL-terminated, *size without the
 * NUL); 0 on success, errors printed. */
int cli_read_file(const char *path, char **data, size_t *size);
/* Write size bytes; 0 on success, errors printed. */
int cli_write_file(const char *path, const void *data, size_t size);
/* 1 if path ends in ".csv" (case-insensitive). */
int cli_is_csv(const char *path);

/* Policy from "uniform", "random:SEED" or a file (CSV or blob); returns a
 * CLI exit code. */
int cli_load_policy(marl_game *game, const char *spec, marl_policy **out);
/* Save a policy: CSV if path ends in .csv, else the binary blob. */
int cli_save_policy(const marl_policy *policy, const char *path);

/* Print "name (kind, N agents, S states, ...)" for a game. */
void cli_print_game(FILE *f, const marl_game *game);
/* Print every exact metric the game's kind supports for the policy. */
int cli_print_metrics(FILE *f, marl_game *game, const marl_policy *policy);

/* Subcommands: argv[0] is the subcommand name. */
int cli_list(int argc, char **argv);
int cli_solve(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_demo(int argc, char **argv);

/* `eval` on the other game kinds: each parses the whole argument list
 * (argv[0] = "eval") with its kind's options (cli_eval_<kind>.c). */
int cli_eval_population(int argc, char **argv);
int cli_eval_aggregative(int argc, char **argv);
int cli_eval_global_local(int argc, char **argv);
/* The N-player exploitability estimate of a population-game policy, printed
 * to f; `spec` holds the estimator's k=v settings ("" for defaults)
 * (cli_estimate_population.c). Returns a CLI exit code. */
int cli_population_estimate(FILE *f, marl_game *game,
                            const marl_policy *policy, const char *spec);

#endif /* MARLGAME_CLI_H */
