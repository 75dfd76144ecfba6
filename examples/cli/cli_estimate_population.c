/*
 * marlgame eval --estimate: the N-player exploitability estimate of a
 * population-game policy (marl_population_exploitability, nplayer.h). The
 * spec is the estimator's "k=v,..." settings (rollouts, eval_rollouts,
 * agents, seed, threads, deviation); "" keeps the defaults. Prints
 *   nplayer_estimate = <mean gain of the selected agent>
 *   nplayer_half_width = <95% half-width>
 *   nplayer_agent = <agent>
 *   nplayer_seconds = <wall time>
 * The estimate is a lower bound, in expectation, of the N-player
 * exploitability (docs/meanfield.md).
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <time.h>

static double wall(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int cli_population_estimate(FILE *f, marl_game *game,
                            const marl_policy *policy, const char *spec) {
    marl_options *opts = NULL;
    int rc = marl_population_estimate_options_new(&opts);
    if (rc) return cli_lib_error(rc, "eval: estimator options");
    rc = marl_options_parse(opts, spec ? spec : "");
    if (rc) {
        marl_options_free(opts);
        return cli_lib_error(rc, "eval: --estimate \"%s\"", spec);
    }
    double est = 0.0, hw = 0.0, t0 = wall();
    size_t agent = 0;
    rc = marl_population_exploitability(game, policy, opts, &est, &hw, &agent);
    marl_options_free(opts);
    if (rc) return cli_lib_error(rc, "eval: N-player estimate");
    fprintf(f, "nplayer_estimate = %.17g\n", est);
    fprintf(f, "nplayer_half_width = %.17g\n", hw);
    fprintf(f, "nplayer_agent = %zu\n", agent);
    fprintf(f, "nplayer_seconds = %.3f\n", wall() - t0);
    return CLI_OK;
}
