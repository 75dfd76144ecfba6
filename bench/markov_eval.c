/* Benchmark: exact Nash-gap (marl_markov_nash_gap) of a seeded random
 * policy on the catalogue game `coordination`, N = 2..6.
 *
 * Usage: markov_eval [N_min [N_max [samples]]]   (defaults 2 6 15)
 * Each sample times a batch of calls (batch sized to last ~20 ms) and
 * divides by the batch size; the medians of the per-call wall and CPU times
 * over the samples are printed, one JSON object per line:
 * {"bench":"markov_eval","game":"coordination","n":N,"states":S,
 *  "joint_actions":J,"calls":C,"seconds":wall,"cpu_seconds":cpu,
 *  "metric":"nash_gap","value":gap}
 * Benchmarks measure; they never assert a time (BENCHMARKS.md goal for
 * N = 5: < 0.2 ms per call).
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <marlgame/marlgame.h>

#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int fail(const char *what) {
    fprintf(stderr, "markov_eval: %s: %s\n", what, marl_last_error());
    return 1;
}

int main(int argc, char **argv) {
    int nmin = argc > 1 ? atoi(argv[1]) : 2;
    int nmax = argc > 2 ? atoi(argv[2]) : 6;
    int samples = argc > 3 ? atoi(argv[3]) : 15;
    if (nmin < 2 || nmax < nmin || samples < 1 || samples > 1000) {
        fprintf(stderr, "usage: markov_eval [N_min>=2 [N_max [samples]]]\n");
        return 2;
    }
    double *wall = malloc((size_t)samples * sizeof *wall);
    double *cpu = malloc((size_t)samples * sizeof *cpu);
    if (!wall || !cpu) return 1;
    for (int n = nmin; n <= nmax; ++n) {
        char params[32];
        snprintf(params, sizeof params, "N=%d", n);
        marl_game *g = NULL;
        marl_policy *p = NULL;
        marl_rng *rng = NULL;
        if (marl_games_new(&g, "coordination", params)) return fail(params);
        if (marl_policy_new(&p, g, 0) ||
            marl_rng_new(&rng, 20240 + (uint64_t)n) ||
            marl_policy_randomize(p, rng))
            return fail("random policy");
        double gap = 0.0;
        if (marl_markov_nash_gap(g, p, &gap, NULL)) return fail("nash_gap");
        /* Batch size: enough calls for ~20 ms. */
        double t0 = bench_now(CLOCK_MONOTONIC);
        long calls = 0;
        while (bench_now(CLOCK_MONOTONIC) - t0 < 0.02 || calls < 1) {
            if (marl_markov_nash_gap(g, p, &gap, NULL)) return fail("nash_gap");
            ++calls;
        }
        for (int k = 0; k < samples; ++k) {
            double w0 = bench_now(CLOCK_MONOTONIC),
                   c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
            for (long c = 0; c < calls; ++c)
                if (marl_markov_nash_gap(g, p, &gap, NULL))
                    return fail("nash_gap");
            wall[k] = (bench_now(CLOCK_MONOTONIC) - w0) / (double)calls;
            cpu[k] = (bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0) / (double)calls;
        }
        printf("{\"bench\":\"markov_eval\",\"game\":\"coordination\",\"n\":%d,"
               "\"states\":%zu,\"joint_actions\":%zu,\"calls\":%ld,"
               "\"seconds\":%.9g,\"cpu_seconds\":%.9g,\"metric\":\"nash_gap\","
               "\"value\":%.17g}\n",
               n, marl_game_num_states(g), marl_markov_num_joint(g), calls,
               bench_median(wall, (size_t)samples), bench_median(cpu, (size_t)samples), gap);
        fflush(stdout);
        marl_rng_free(rng);
        marl_policy_free(p);
        marl_game_free(g);
    }
    free(wall);
    free(cpu);
    return 0;
}
