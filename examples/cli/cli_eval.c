/*
 * marlgame CLI: `marlgame eval` and the printing of exact metrics.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_print_game(FILE *f, const marl_game *game) {
    const char *name = marl_game_name(game);
    size_t n = marl_game_num_agents(game);
    fprintf(f, "game: %s (%s, %zu agent%s, %zu states", *name ? name : "?",
            marl_game_kind_name(marl_game_kind(game)), n, n == 1 ? "" : "s",
            marl_game_num_states(game));
    if (marl_game_horizon(game) > 0)
        fprintf(f, ", horizon %zu", marl_game_horizon(game));
    else
        fprintf(f, ", discount %g", marl_game_discount(game));
    fputs(")\n", f);
}

/* Exact Markov metrics of a stationary policy. */
static int print_markov(FILE *f, marl_game *game, const marl_policy *policy) {
    size_t n = marl_game_num_agents(game);
    double *v = calloc(n, sizeof *v), *gain = calloc(n, sizeof *gain);
    if (!v || !gain) {
        free(v);
        free(gain);
        return cli_error("out of memory");
    }
    double gap, poa, welfare, vstar, phi;
    int rc = marl_markov_values_mu(game, policy, v);
    if (rc != MARL_OK) {
        cli_lib_error(rc, "cannot compute the values V_i(mu)");
        goto fail;
    }
    rc = marl_markov_nash_gap(game, policy, &gap, gain);
    if (rc != MARL_OK) {
        cli_lib_error(rc, "cannot compute the Nash-gap");
        goto fail;
    }
    rc = marl_markov_price_of_anarchy(game, policy, &poa, &welfare, &vstar);
    if (rc != MARL_OK) {
        cli_lib_error(rc, "cannot compute welfare and price of anarchy");
        goto fail;
    }
    for (size_t i = 0; i < n; ++i)
        fprintf(f, "value_%zu = %.17g\n", i, v[i]);
    fprintf(f, "nash_gap = %.17g\n", gap);
    for (size_t i = 0; i < n; ++i)
        fprintf(f, "gain_%zu = %.17g\n", i, gain[i]);
    fprintf(f, "welfare = %.17g\n", welfare);
    fprintf(f, "optimal_welfare = %.17g\n", vstar);
    if (vstar > 0.0)
        fprintf(f, "poa = %.17g\n", poa);
    else
        fputs("poa = nan (undefined: optimal welfare <= 0)\n", f);
    if (marl_markov_has_potential(game) == 1) {
        rc = marl_markov_potential_value(game, policy, &phi, NULL);
        if (rc != MARL_OK) {
            cli_lib_error(rc, "cannot compute the potential");
            goto fail;
        }
        fprintf(f, "potential = %.17g\n", phi);
    }
    free(v);
    free(gain);
    return CLI_OK;
fail:
    free(v);
    free(gain);
    return CLI_ELIB;
}

int cli_print_metrics(FILE *f, marl_game *game, const marl_policy *policy) {
    if (marl_game_kind(game) == MARL_GAME_MARKOV)
        return print_markov(f, game, policy);
    fprintf(f, "(no exact metrics are available for %s games in this "
               "release)\n",
            marl_game_kind_name(marl_game_kind(game)));
    return CLI_OK;
}

/* Kind of the catalogue game named after --game (0 if none or unknown). */
static int eval_game_kind(int argc, char **argv) {
    for (int k = 1; k + 1 < argc; ++k)
        if (strcmp(argv[k], "--game") == 0) {
            size_t index;
            if (marl_games_find(argv[k + 1], &index) != MARL_OK) return 0;
            return marl_games_kind(index);
        }
    return 0;
}

int cli_eval(int argc, char **argv) {
    /* Other kinds have their own options and output (cli_eval_<kind>.c). */
    switch (eval_game_kind(argc, argv)) {
    case MARL_GAME_POPULATION: return cli_eval_population(argc, argv);
    case MARL_GAME_AGGREGATIVE: return cli_eval_aggregative(argc, argv);
    case MARL_GAME_GLOBAL_LOCAL: return cli_eval_global_local(argc, argv);
    default: break;
    }
    cli_eval_args ea = {NULL, NULL, {NULL, 0}};
    int rc = CLI_OK;
    for (int k = 1; k < argc && rc == CLI_OK; ++k)
        if (!cli_eval_common_arg(argc, argv, &k, &ea, &rc))
            rc = cli_usage_error("eval: unknown argument \"%s\"", argv[k]);
    const char *game_name = ea.game, *policy_spec = ea.policy;
    if (rc == CLI_OK && !game_name)
        rc = cli_usage_error("eval: --game NAME is required");
    if (rc == CLI_OK && !policy_spec)
        rc = cli_usage_error("eval: --policy uniform|random:SEED|FILE is "
                             "required");
    marl_game *game = NULL;
    marl_policy *policy = NULL;
    if (rc == CLI_OK) rc = cli_build_game(game_name, &ea.params, &game);
    if (rc == CLI_OK) rc = cli_load_policy(game, policy_spec, &policy);
    if (rc == CLI_OK) {
        cli_print_game(stdout, game);
        printf("policy: %s\n", policy_spec);
        rc = cli_print_metrics(stdout, game, policy);
    }
    marl_policy_free(policy);
    marl_game_free(game);
    cli_params_free(&ea.params);
    return rc;
}
