/*
 * marlgame eval on population games:
 *
 *   marlgame eval --game NAME [--param k=v]... --policy SPEC
 *                 [--estimate [k=v,...]]
 *
 * SPEC is "uniform", "random:SEED" (a SHARED PER_STEP policy with seeded
 * Dirichlet(1) rows) or a file: a CSV (read into a SHARED PER_STEP policy;
 * use agent 0) or a binary policy blob (any layout of the game). For a
 * shared policy the exact metrics of the induced mean-field game are
 * printed (value, best-response value, exploitability); --estimate adds the
 * N-player exploitability estimate (cli_estimate_population.c) with the
 * given estimator settings.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const unsigned SHARED_STEPS = MARL_POLICY_SHARED | MARL_POLICY_PER_STEP;

static int load_policy(marl_game *game, const char *spec, marl_policy **out) {
    int rc;
    if (strcmp(spec, "uniform") == 0 || strncmp(spec, "random:", 7) == 0) {
        marl_policy *p = NULL;
        rc = marl_policy_new(&p, game, SHARED_STEPS);
        if (rc != MARL_OK) return cli_lib_error(rc, "cannot create a policy");
        if (spec[0] == 'r') {
            unsigned long long seed;
            if (cli_parse_u64(spec + 7, &seed)) {
                marl_policy_free(p);
                return cli_usage_error("bad seed in --policy %s (expected "
                                       "random:<non-negative integer>)",
                                       spec);
            }
            marl_rng *rng = NULL;
            rc = marl_rng_new(&rng, (uint64_t)seed);
            if (rc == MARL_OK) rc = marl_policy_randomize(p, rng);
            marl_rng_free(rng);
            if (rc != MARL_OK) {
                marl_policy_free(p);
                return cli_lib_error(rc, "cannot create a random policy");
            }
        }
        *out = p;
        return CLI_OK;
    }
    char *data;
    size_t size;
    if (cli_read_file(spec, &data, &size)) return CLI_ELIB;
    if (cli_is_csv(spec)) {
        marl_policy *p = NULL;
        rc = marl_policy_new(&p, game, SHARED_STEPS);
        if (rc == MARL_OK) rc = marl_policy_from_csv(p, data, size);
        free(data);
        if (rc != MARL_OK) {
            marl_policy_free(p);
            return cli_lib_error(rc, "cannot read policy %s", spec);
        }
        *out = p;
        return CLI_OK;
    }
    rc = marl_policy_load(out, game, data, size);
    free(data);
    if (rc != MARL_OK) return cli_lib_error(rc, "cannot load policy %s", spec);
    return CLI_OK;
}

/* Exact metrics of the induced MFG for a shared policy. */
static int print_exact(FILE *f, marl_game *game, const marl_policy *policy) {
    if ((marl_policy_flags(policy) & SHARED_STEPS) != SHARED_STEPS) {
        fputs("(the exact mean-field metrics need a SHARED PER_STEP policy; "
              "this one is per agent or stationary)\n", f);
        return CLI_OK;
    }
    size_t n = marl_game_horizon(game) * marl_game_num_states(game) *
               marl_game_num_actions(game, 0);
    double *L = calloc(n, sizeof *L);
    if (!L) return cli_error("out of memory");
    double value = 0.0, best = 0.0, expl = 0.0;
    int rc = marl_mfg_flow(game, policy, L);
    if (rc == MARL_OK) rc = marl_mfg_value(game, policy, L, &value);
    if (rc == MARL_OK) rc = marl_mfg_best_response(game, L, NULL, &best);
    if (rc == MARL_OK) rc = marl_mfg_exploitability(game, policy, &expl);
    free(L);
    if (rc != MARL_OK)
        return cli_lib_error(rc, "cannot compute the mean-field metrics");
    fprintf(f, "mfg_value = %.17g\n", value);
    fprintf(f, "mfg_best_response_value = %.17g\n", best);
    fprintf(f, "mfg_exploitability = %.17g\n", expl);
    return CLI_OK;
}

int cli_eval_population(int argc, char **argv) {
    const char *estimate = NULL;
    cli_eval_args ea = {NULL, NULL, {NULL, 0}};
    int rc = CLI_OK;
    for (int k = 1; k < argc && rc == CLI_OK; ++k) {
        const char *a = argv[k];
        const char *val = k + 1 < argc ? argv[k + 1] : NULL;
        if (cli_eval_common_arg(argc, argv, &k, &ea, &rc)) continue;
        if (strcmp(a, "--estimate") == 0) {
            /* optional value: the estimator's k=v settings */
            if (val && strncmp(val, "--", 2) != 0) {
                estimate = val;
                ++k;
            } else {
                estimate = "";
            }
        } else {
            rc = cli_usage_error("eval: unknown argument \"%s\" (population "
                                 "games: --game, --param, --policy, "
                                 "--estimate [k=v,...])", a);
        }
    }
    const char *game_name = ea.game, *policy_spec = ea.policy;
    if (rc == CLI_OK && !game_name)
        rc = cli_usage_error("eval: --game NAME is required");
    if (rc == CLI_OK && !policy_spec)
        rc = cli_usage_error("eval: --policy uniform|random:SEED|FILE is "
                             "required");
    marl_game *game = NULL;
    marl_policy *policy = NULL;
    if (rc == CLI_OK) rc = cli_build_game(game_name, &ea.params, &game);
    if (rc == CLI_OK) rc = load_policy(game, policy_spec, &policy);
    if (rc == CLI_OK) {
        cli_print_game(stdout, game);
        printf("policy: %s\n", policy_spec);
        rc = print_exact(stdout, game, policy);
    }
    if (rc == CLI_OK && estimate)
        rc = cli_population_estimate(stdout, game, policy, estimate);
    marl_policy_free(policy);
    marl_game_free(game);
    cli_params_free(&ea.params);
    return rc;
}
