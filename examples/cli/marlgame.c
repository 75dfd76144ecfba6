/*
 * marlgame: command-line front end of libmarlgame (public API only).
 *
 *   marlgame list
 *   marlgame solve --game NAME [--param k=v ...] --solver NAME [--set k=v ...]
 *                  [--iters N] [--tol T] [--seconds S] [--seed S]
 *                  [--trace FILE.csv] [--save-policy FILE] [--quiet]
 *   marlgame eval --game NAME [--param k=v ...] --policy uniform|random:SEED|FILE
 *   marlgame demo
 *   marlgame --version | help | --help | -h
 *
 * Exit status: 0 success, 1 library or file error, 2 usage error.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <math.h>
#include <string.h>

static const char usage_text[] =
    "usage: marlgame <command> [options]\n"
    "\n"
    "Nash equilibria of many-agent games (libmarlgame %s).\n"
    "\n"
    "commands:\n"
    "  list                    the built-in games (kind, parameters) and "
    "solvers\n"
    "                          (kinds, options with defaults and ranges)\n"
    "  solve --game NAME [--param k=v ...] --solver NAME [--set k=v ...]\n"
    "        [--iters N] [--tol T] [--seconds S] [--seed S]\n"
    "        [--trace FILE.csv] [--save-policy FILE] [--quiet]\n"
    "                          run a solver, printing one line per iteration "
    "and a\n"
    "                          summary; without --iters/--tol/--seconds it "
    "runs at\n"
    "                          most 1000 iterations. --trace writes the "
    "metrics\n"
    "                          history as CSV; --save-policy writes the final "
    "policy\n"
    "                          (CSV if FILE ends in .csv, else the binary "
    "blob)\n"
    "  eval --game NAME [--param k=v ...] --policy uniform|random:SEED|FILE\n"
    "                          exact metrics of a policy (values, Nash-gap, "
    "welfare,\n"
    "                          price of anarchy, potential)\n"
    "  demo                    best responses on the coordination game, N=3\n"
    "  help, --help, -h        this text\n"
    "  --version               the library version\n"
    "\n"
    "Several --param k=v are joined as \"k=v,k=v\". Exit status: 0 success, "
    "1 error,\n"
    "2 usage error.\n";

static void usage(FILE *f) { fprintf(f, usage_text, marl_version()); }

/* `marlgame demo`: best responses on coordination N=3. */
int cli_demo(int argc, char **argv) {
    (void)argv;
    if (argc > 1) return cli_usage_error("demo takes no arguments");
    marl_game *game = NULL;
    marl_solver *s = NULL;
    marl_policy *uniform = NULL;
    int ec = CLI_ELIB;
    int rc = marl_games_new(&game, "coordination", "N=3");
    if (rc != MARL_OK) return cli_lib_error(rc, "cannot build the game");
    printf("Coordination game (seed 003): 3 players, %zu states, discount "
           "%g, a Markov potential game.\n",
           marl_game_num_states(game), marl_game_discount(game));
    printf("Solver markov-best-response: agent t mod 3 switches to its exact "
           "best response.\n\n");
    rc = marl_solver_new(&s, &marl_solver_markov_best_response, game);
    size_t gap_col = 0, pot_col = 0, wel_col = 0, poa_col = 0, done = 0;
    if (rc == MARL_OK) rc = marl_solver_metric_index(s, "nash_gap", &gap_col);
    if (rc == MARL_OK) rc = marl_solver_metric_index(s, "potential", &pot_col);
    if (rc == MARL_OK) rc = marl_solver_metric_index(s, "welfare", &wel_col);
    if (rc == MARL_OK) rc = marl_solver_metric_index(s, "poa", &poa_col);
    if (rc == MARL_OK) rc = marl_solver_run(s, 100, 0.0, 0.0, &done);
    if (rc < 0) {
        cli_lib_error(rc, "demo solver failed");
        goto out;
    }
    double row[16] = {0};
    if (marl_solver_metric_count(s) > 16) {
        cli_error("unexpected number of metrics");
        goto out;
    }
    printf("%5s %6s %14s %14s %14s %10s\n", "iter", "agent", "nash_gap",
           "potential", "welfare", "poa");
    for (size_t r = 0; r < marl_solver_history_length(s); ++r) {
        marl_solver_history_row(s, r, row);
        printf("%5zu %6zu %14.6g %14.8g %14.8g %10.6f\n", r + 1, r % 3,
               row[gap_col], row[pot_col], row[wel_col], row[poa_col]);
    }
    printf("\n%s after %zu iterations: Nash-gap %.3g, welfare %.6f, POA "
           "%.6f\n",
           rc == MARL_CONVERGED ? "Converged" : "Stopped", done, row[gap_col],
           row[wel_col], row[poa_col]);
    rc = marl_policy_new(&uniform, game, 0);
    double gap, poa, welfare;
    if (rc == MARL_OK) rc = marl_markov_nash_gap(game, uniform, &gap, NULL);
    if (rc == MARL_OK)
        rc = marl_markov_price_of_anarchy(game, uniform, &poa, &welfare, NULL);
    if (rc != MARL_OK) {
        cli_lib_error(rc, "cannot evaluate the uniform policy");
        goto out;
    }
    printf("Uniform policy for comparison: Nash-gap %.3g, welfare %.6f, POA "
           "%.6f\n",
           gap, welfare, poa);
    if (fabs(gap) <= 1e-9 && welfare > 0.0)
        printf("The uniform policy is an equilibrium too, but a poor one: "
               "the best-response\nequilibrium has %.0f%% more welfare.\n",
               100.0 * (row[wel_col] - welfare) / welfare);
    ec = CLI_OK;
out:
    marl_policy_free(uniform);
    marl_solver_free(s);
    marl_game_free(game);
    return ec;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return CLI_EUSAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("marlgame %s\n", marl_version());
        return CLI_OK;
    }
    if (strcmp(cmd, "list") == 0) return cli_list(argc - 1, argv + 1);
    if (strcmp(cmd, "solve") == 0) return cli_solve(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0) return cli_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "demo") == 0) return cli_demo(argc - 1, argv + 1);
    return cli_usage_error("unknown command \"%s\"", cmd);
}
