/*
 * marlgame eval on global-local games (ALGORITHMS.md §4, seed 004):
 *
 *   marlgame eval --game NAME [--param k=v]... [--policy uniform|FILE.csv]
 *                 [--k K] [--rollouts R] [--horizon H] [--seed S]
 *                 [--next-global]
 *
 * Prints the mean discounted return of the policy pair over R rollouts of
 * H steps of the full n-agent system (marl_gl_evaluate; each step samples
 * K of the n local agents) with its 95% confidence half-width.
 * Defaults: policy uniform, K 4, R 50, H 100 (GAMES.md: the warehouse
 * evaluation horizon), S 0. --next-global moves the local agents with the
 * next global state (the public reference implementation's convention).
 *
 * Policy file (CSV, docs/global-local.md): lines starting with '#' and
 * blank lines are ignored; every other line is one of
 *   k,K                              the policy's k (required without
 *                                    --k; must agree with --k when both
 *                                    are given)
 *   global,S_G,RANK,p_0,...,p_{A_g-1}  pi_g(. | s_g, count vector of rank)
 *   local,S_L,S_G,p_0,...,p_{A_l-1}    pi_l(. | s_l, s_g)
 * read by the library (marl_gl_policy_read_csv_ex with MARL_GL_CSV_PARTIAL:
 * rows not listed stay uniform; duplicates, bad numbers and rows that are
 * not distributions are errors naming the line). `marlgame solve
 * --save-policy` writes this format for the alternating-* solvers.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct gl_args {
    cli_eval_args e; /* --game, --param, --policy */
    size_t k, rollouts, horizon;
    unsigned long long seed;
    int have_k, next_global;
} gl_args;

static int parse(int argc, char **argv, gl_args *a) {
    for (int i = 1; i < argc; ++i) {
        int rc = CLI_OK;
        if (cli_eval_common_arg(argc, argv, &i, &a->e, &rc)) {
            if (rc != CLI_OK) return rc;
            continue;
        }
        const char *o = argv[i];
        if (strcmp(o, "--next-global") == 0) {
            a->next_global = 1;
            continue;
        }
        static const char *const with_value[] = {"--k", "--rollouts",
                                                 "--horizon", "--seed"};
        int known = 0;
        for (size_t j = 0; j < sizeof with_value / sizeof *with_value; ++j)
            known |= strcmp(o, with_value[j]) == 0;
        if (!known) return cli_usage_error("eval: unknown argument \"%s\"", o);
        if (i + 1 >= argc) return cli_usage_error("eval: %s needs a value", o);
        const char *v = argv[++i];
        if (strcmp(o, "--seed") == 0) {
            if (cli_parse_u64(v, &a->seed))
                return cli_usage_error("eval: bad --seed \"%s\"", v);
        } else {
            size_t *dst = strcmp(o, "--k") == 0          ? &a->k
                          : strcmp(o, "--rollouts") == 0 ? &a->rollouts
                                                         : &a->horizon;
            if (cli_parse_size(v, dst) || *dst == 0)
                return cli_usage_error("eval: %s expects a positive integer, "
                                       "got \"%s\"", o, v);
            if (dst == &a->k) a->have_k = 1;
        }
    }
    if (!a->e.game) return cli_usage_error("eval: --game NAME is required");
    return CLI_OK;
}

static int load_policy(marl_game *game, gl_args *a, marl_gl_policy **out) {
    if (!a->e.policy || strcmp(a->e.policy, "uniform") == 0) {
        int rc = marl_gl_policy_new(out, game, a->k);
        return rc == MARL_OK ? CLI_OK
                             : cli_lib_error(rc, "cannot create a policy "
                                                 "with k = %zu", a->k);
    }
    char *data = NULL;
    size_t size = 0;
    if (cli_read_file(a->e.policy, &data, &size)) return CLI_ELIB;
    /* The library reader (global_local.h); rows not listed stay uniform.
     * Without --k the file's k row gives k. */
    int rc = marl_gl_policy_read_csv_ex(out, game, a->have_k ? a->k : 0,
                                        data, size, MARL_GL_CSV_PARTIAL);
    free(data);
    if (rc != MARL_OK) return cli_lib_error(rc, "%s", a->e.policy);
    a->k = marl_gl_policy_k(*out);
    return CLI_OK;
}

int cli_eval_global_local(int argc, char **argv) {
    gl_args a;
    memset(&a, 0, sizeof a);
    a.k = 4;
    a.rollouts = 50;
    a.horizon = 100;
    marl_game *game = NULL;
    marl_gl_policy *pol = NULL;
    int rc = parse(argc, argv, &a);
    if (rc == CLI_OK) rc = cli_build_game(a.e.game, &a.e.params, &game);
    if (rc == CLI_OK) rc = load_policy(game, &a, &pol);
    if (rc == CLI_OK) {
        double mean = 0, hw = 0;
        int st = marl_gl_evaluate_ex(game, pol, a.rollouts, a.horizon,
                                     (uint64_t)a.seed,
                                     a.next_global ? MARL_GL_EVAL_NEXT_GLOBAL
                                                   : 0u,
                                     &mean, &hw);
        if (st != MARL_OK) {
            rc = cli_lib_error(st, "evaluation failed");
        } else {
            cli_print_game(stdout, game);
            printf("policy: %s\n", a.e.policy ? a.e.policy : "uniform");
            printf("k: %zu\nrollouts: %zu\nhorizon: %zu\nseed: %llu\n", a.k,
                   a.rollouts, a.horizon, a.seed);
            printf("local moves with: %s global state\n",
                   a.next_global ? "next" : "current");
            printf("mean_return = %.17g\nhalf_width_95 = %.17g\n", mean, hw);
        }
    }
    marl_gl_policy_free(pol);
    marl_game_free(game);
    cli_params_free(&a.e.params);
    return rc;
}
