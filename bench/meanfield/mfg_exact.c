/* Benchmark: the exact MFG solvers (mfg-omd, mfg-fictitious-play) on MFGLib's
 * environments `sis` (T = 50: 51 steps, 2 states, 2 actions) and `rps`
 * (T = 1), and the cost of one exact MFG exploitability evaluation on the
 * heterogeneous games a-rps (N = 2000) and a-sis (N = 1000), where the
 * induced MFG averages N callbacks per (step, state, action).
 *
 * "iteration" records: one solver iteration = the update plus the exact
 * exploitability of the new policy (what MFGLib's solve loop does per
 * iteration; MFGLib 0.3.0 measured 0.028 CPU-s on SIS for OMD, goal here:
 * < 28 us). After one warm-up step, --iters iterations per run, median over
 * --runs runs of the process CPU and wall microseconds per iteration.
 * "exploitability" records: marl_mfg_exploitability of a seeded random
 * shared policy, median over --runs calls (milliseconds).
 * One JSON object per line on stdout; never asserts a time.
 *
 * Usage: mfg_exact [--iters I] [--runs R]   (defaults 2000, 7)
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <marlgame/marlgame.h>

#include "../bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) {
    fprintf(stderr, "mfg_exact: %s: %s\n", what, marl_last_error());
    return 1;
}

static int bench_solver(const char *game_name, const char *solver,
                        size_t iters, size_t runs) {
    marl_game *g = NULL;
    if (marl_games_new(&g, game_name, NULL) != MARL_OK) return fail(game_name);
    double *cpu = calloc(runs, sizeof *cpu), *wall = calloc(runs, sizeof *wall);
    double expl = 0.0;
    int rc = cpu && wall ? 0 : 1;
    for (size_t r = 0; r < runs && !rc; ++r) {
        marl_solver *s = NULL;
        if (marl_solver_new_by_name(&s, solver, g) != MARL_OK ||
            marl_solver_step(s) != MARL_OK) { /* warm-up, creates the state */
            marl_solver_free(s);
            rc = fail(solver);
            break;
        }
        double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        double w0 = bench_now(CLOCK_MONOTONIC);
        for (size_t i = 0; i < iters && !rc; ++i)
            if (marl_solver_step(s) != MARL_OK) rc = fail(solver);
        cpu[r] = (bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0) / (double)iters;
        wall[r] = (bench_now(CLOCK_MONOTONIC) - w0) / (double)iters;
        size_t col = 0, len = marl_solver_history_length(s);
        double row[4];
        if (!rc && marl_solver_metric_index(s, "exploitability", &col) ==
                       MARL_OK &&
            marl_solver_history_row(s, len - 1, row) == MARL_OK)
            expl = row[col];
        marl_solver_free(s);
    }
    if (!rc) {
        printf("{\"bench\":\"mfg_exact\",\"record\":\"iteration\","
               "\"game\":\"%s\",\"solver\":\"%s\",\"horizon\":%zu,"
               "\"iters_per_run\":%zu,\"runs\":%zu",
               game_name, solver, marl_game_horizon(g), iters, runs);
        bench_jnum("us_per_iter_cpu", 1e6 * bench_median(cpu, runs));
        bench_jnum("us_per_iter_wall", 1e6 * bench_median(wall, runs));
        bench_jnum("final_exploitability", expl);
        bench_jnum("goal_us_sis", 28.0);
        printf("}\n");
    }
    free(cpu);
    free(wall);
    marl_game_free(g);
    return rc;
}

static int bench_expl(const char *game_name, const char *params, size_t runs) {
    marl_game *g = NULL;
    if (marl_games_new(&g, game_name, params) != MARL_OK) return fail(game_name);
    marl_policy *p = NULL;
    marl_rng *rng = NULL;
    double *cpu = calloc(runs, sizeof *cpu), *wall = calloc(runs, sizeof *wall);
    double e = 0.0;
    int rc = cpu && wall ? 0 : 1;
    if (!rc && (marl_policy_new(&p, g, MARL_POLICY_SHARED |
                                           MARL_POLICY_PER_STEP) ||
                marl_rng_new(&rng, 1) || marl_policy_randomize(p, rng)))
        rc = fail(game_name);
    for (size_t r = 0; r < runs && !rc; ++r) {
        double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        double w0 = bench_now(CLOCK_MONOTONIC);
        if (marl_mfg_exploitability(g, p, &e) != MARL_OK) rc = fail(game_name);
        cpu[r] = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        wall[r] = bench_now(CLOCK_MONOTONIC) - w0;
    }
    if (!rc) {
        printf("{\"bench\":\"mfg_exact\",\"record\":\"exploitability\","
               "\"game\":\"%s\",\"params\":\"%s\",\"agents\":%zu,"
               "\"horizon\":%zu,\"runs\":%zu",
               game_name, params ? params : "", marl_game_num_agents(g),
               marl_game_horizon(g), runs);
        bench_jnum("ms_cpu", 1e3 * bench_median(cpu, runs));
        bench_jnum("ms_wall", 1e3 * bench_median(wall, runs));
        bench_jnum("exploitability", e);
        printf("}\n");
    }
    marl_rng_free(rng);
    marl_policy_free(p);
    free(cpu);
    free(wall);
    marl_game_free(g);
    return rc;
}

int main(int argc, char **argv) {
    size_t iters = 2000, runs = 7;
    for (int k = 1; k + 1 < argc; k += 2) {
        char *end = NULL;
        unsigned long v = strtoul(argv[k + 1], &end, 10);
        if (!end || *end || v == 0) {
            fprintf(stderr, "mfg_exact: bad value for %s\n", argv[k]);
            return 2;
        }
        if (strcmp(argv[k], "--iters") == 0)
            iters = v;
        else if (strcmp(argv[k], "--runs") == 0)
            runs = v;
        else {
            fprintf(stderr, "usage: mfg_exact [--iters I] [--runs R]\n");
            return 2;
        }
    }
    const char *games[2] = {"sis", "rps"};
    const char *solvers[2] = {"mfg-omd", "mfg-fictitious-play"};
    for (int gi = 0; gi < 2; ++gi)
        for (int si = 0; si < 2; ++si)
            if (bench_solver(games[gi], solvers[si], iters, runs)) return 1;
    if (bench_expl("sis", NULL, runs) || bench_expl("a-rps", NULL, runs) ||
        bench_expl("a-sis", NULL, runs))
        return 1;
    return 0;
}
