/*
 * marlgame eval on aggregative games:
 *
 *   marlgame eval --game NAME [--param k=v]... --policy SPEC [--alpha A]
 *
 * Prints the exact Nash-gap (marl_aggregative_nash_gap), the values and the
 * welfare of a PURE Markov policy. SPEC is
 *   action:K      every agent plays action K (K < m_i) at every (h, s);
 *   random:SEED   a seeded random pure policy (uniform actions);
 *   FILE.csv      either the compact format, header "step,state,agent,action"
 *                 then one line per (step, state, agent) with 0-based
 *                 integers (every triple exactly once), or the policy CSV of
 *                 `marlgame solve --save` ("agent,step,state,action,prob",
 *                 pure rows);
 *   FILE          a binary policy blob (marl_policy_save) with pure rows.
 * --alpha A also prints the seed's Thm. 4.1 bound eps_solve for grid step A
 * (beta = 0.05).
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char COMPACT[] = "step,state,agent,action";

/* The compact CSV into actions[(h*S+s)*n+i]. */
static int read_compact(marl_game *g, const char *path, const char *text,
                        size_t *actions) {
    const size_t n = marl_game_num_agents(g), S = marl_game_num_states(g),
                 H = marl_game_horizon(g);
    const size_t total = n * S * H;
    unsigned char *seen = calloc(total ? total : 1, 1);
    if (!seen) return cli_error("out of memory");
    const char *p = strchr(text, '\n');
    size_t line = 1, count = 0;
    int rc = CLI_OK;
    while (p && *++p && rc == CLI_OK) {
        ++line;
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
            p = strchr(p, '\n');
            continue;
        }
        unsigned long long v[4];
        char *end = (char *)p;
        for (int k = 0; k < 4 && rc == CLI_OK; ++k) {
            const char *start = end;
            v[k] = strtoull(start, &end, 10);
            if (end == start || (k < 3 && *end != ',') ||
                (k == 3 && *end != '\n' && *end != '\r' && *end != '\0'))
                rc = cli_error("%s:%zu: expected step,state,agent,action",
                               path, line);
            else if (k < 3)
                ++end;
        }
        if (rc != CLI_OK) break;
        if (v[0] >= H || v[1] >= S || v[2] >= n ||
            v[3] >= marl_game_num_actions(g, (size_t)v[2])) {
            rc = cli_error("%s:%zu: step, state, agent or action out of "
                           "range",
                           path, line);
            break;
        }
        const size_t k = ((size_t)v[0] * S + (size_t)v[1]) * n + (size_t)v[2];
        if (seen[k]) {
            rc = cli_error("%s:%zu: step %llu, state %llu, agent %llu listed "
                           "twice",
                           path, line, v[0], v[1], v[2]);
            break;
        }
        seen[k] = 1;
        actions[k] = (size_t)v[3];
        ++count;
        p = strchr(end, '\n');
    }
    if (rc == CLI_OK && count != total)
        rc = cli_error("%s: %zu of the %zu (step, state, agent) lines are "
                       "missing",
                       path, total - count, total);
    free(seen);
    return rc;
}

static int load_actions(marl_game *g, const char *spec, size_t *actions) {
    const size_t n = marl_game_num_agents(g), S = marl_game_num_states(g),
                 H = marl_game_horizon(g);
    if (strncmp(spec, "action:", 7) == 0) {
        size_t a;
        if (cli_parse_size(spec + 7, &a))
            return cli_usage_error("bad action in --policy %s", spec);
        for (size_t i = 0; i < n; ++i)
            if (a >= marl_game_num_actions(g, i))
                return cli_usage_error("--policy %s: agent %zu has only %zu "
                                       "actions",
                                       spec, i, marl_game_num_actions(g, i));
        for (size_t k = 0; k < n * S * H; ++k) actions[k] = a;
        return CLI_OK;
    }
    if (strncmp(spec, "random:", 7) == 0) {
        unsigned long long seed;
        if (cli_parse_u64(spec + 7, &seed))
            return cli_usage_error("bad seed in --policy %s", spec);
        marl_rng *rng = NULL;
        int st = marl_rng_new(&rng, (uint64_t)seed);
        if (st) return cli_lib_error(st, "cannot create a generator");
        for (size_t k = 0; k < n * S * H; ++k)
            actions[k] = (size_t)marl_rng_uniform_int(
                rng, marl_game_num_actions(g, k % n));
        marl_rng_free(rng);
        return CLI_OK;
    }
    if (cli_is_csv(spec)) {
        char *data;
        size_t size;
        if (cli_read_file(spec, &data, &size)) return CLI_ELIB;
        int compact = strncmp(data, COMPACT, sizeof COMPACT - 1) == 0;
        int rc = compact ? read_compact(g, spec, data, actions) : CLI_OK;
        free(data);
        if (compact) return rc;
    }
    marl_policy *p = NULL;
    int rc = cli_load_policy(g, spec, &p);
    if (rc != CLI_OK) return rc;
    int st = marl_aggregative_policy_actions(p, actions);
    marl_policy_free(p);
    if (st) return cli_lib_error(st, "policy %s is not pure", spec);
    return CLI_OK;
}

int cli_eval_aggregative(int argc, char **argv) {
    double alpha = 0;
    int have_alpha = 0;
    cli_eval_args ea = {NULL, NULL, {NULL, 0}};
    int rc = CLI_OK;
    for (int k = 1; k < argc && rc == CLI_OK; ++k) {
        if (cli_eval_common_arg(argc, argv, &k, &ea, &rc)) continue;
        const char *a = argv[k];
        if (strcmp(a, "--alpha")) {
            rc = cli_usage_error("eval: unknown argument \"%s\" (aggregative "
                                 "games: --game, --param, --policy, "
                                 "--alpha)",
                                 a);
        } else if (k + 1 >= argc) {
            rc = cli_usage_error("eval: %s needs a value", a);
        } else {
            if (cli_parse_double(argv[++k], &alpha) || !(alpha > 0))
                rc = cli_usage_error("eval: --alpha expects a number > 0");
            have_alpha = 1;
        }
    }
    const char *game_name = ea.game, *spec = ea.policy;
    if (rc == CLI_OK && !game_name)
        rc = cli_usage_error("eval: --game NAME is required");
    if (rc == CLI_OK && !spec)
        rc = cli_usage_error("eval: --policy action:K|random:SEED|FILE is "
                             "required");
    marl_game *game = NULL;
    size_t *actions = NULL;
    double *values = NULL, *br = NULL;
    if (rc == CLI_OK) rc = cli_build_game(game_name, &ea.params, &game);
    if (rc == CLI_OK) {
        const size_t n = marl_game_num_agents(game);
        const size_t total = n * marl_game_num_states(game) *
                             marl_game_horizon(game);
        actions = calloc(total, sizeof *actions);
        values = calloc(n, sizeof *values);
        br = calloc(n, sizeof *br);
        if (!actions || !values || !br) rc = cli_error("out of memory");
    }
    if (rc == CLI_OK) rc = load_actions(game, spec, actions);
    double gap = 0, welfare = 0;
    if (rc == CLI_OK) {
        int st = marl_aggregative_nash_gap(game, actions, &gap, values, br,
                                           &welfare);
        if (st) rc = cli_lib_error(st, "cannot evaluate the policy");
    }
    if (rc == CLI_OK) {
        const size_t n = marl_game_num_agents(game);
        double mean = 0, lo = values[0], hi = values[0];
        size_t worst = 0;
        for (size_t i = 0; i < n; ++i) {
            mean += values[i];
            if (values[i] < lo) lo = values[i];
            if (values[i] > hi) hi = values[i];
            if (br[i] - values[i] > br[worst] - values[worst]) worst = i;
        }
        cli_print_game(stdout, game);
        printf("policy: %s\n", spec);
        printf("nash_gap = %.17g\n", gap);
        printf("worst_agent = %zu\n", worst);
        printf("mean_value = %.17g\n", mean / (double)n);
        printf("min_value = %.17g\n", lo);
        printf("max_value = %.17g\n", hi);
        printf("welfare = %.17g\n", welfare);
        if (have_alpha) {
            double eps;
            int st = marl_aggregative_epsilon_solve(game, alpha, 0.05, &eps);
            if (st)
                rc = cli_lib_error(st, "cannot compute the bound");
            else
                printf("eps_solve(alpha = %g) = %.17g\n", alpha, eps);
        }
    }
    free(actions);
    free(values);
    free(br);
    marl_game_free(game);
    cli_params_free(&ea.params);
    return rc;
}
