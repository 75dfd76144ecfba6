/* Benchmark: the seed 001 experiment (Figure 1 b, c) — Symm-PMD
 * (meanfield-pmd) against independent PMD (meanfield-ipmd) on A-RPS
 * (N = 2000, H = 10) and A-SIS (N = 1000, H = 20) — plus the speed goals
 * of BENCHMARKS.md: N-player simulation cost, the N-player exploitability
 * estimate over all agents, and the sampled alpha, beta constants.
 *
 * Records (one JSON object per line on stdout; never asserts a time):
 *   "run"          one training run: epochs, td_epochs, wall and CPU
 *                  seconds, samples (N-player episodes), final MFG
 *                  exploitability of the output (averaged) policy and of
 *                  the current iterate, last N-player estimate;
 *                  per-epoch CSV trace OUT/seed001_<game>_<solver>.csv
 *                  (epoch, seconds, samples, exploitability,
 *                  exploitability_current, nplayer_estimate,
 *                  nplayer_half_width; the estimate every --estimate-every
 *                  epochs, empty otherwise)
 *   "simulation"   ms (CPU and wall) per 10^6 agent-steps of full episodes
 *                  (states, actions, rewards recorded) under the uniform
 *                  policy, median of --runs; also on the symmetric sis and
 *                  rps with N = 10^4 (fast path), with 1 and 2 threads
 *                  (CPU time sums over threads)
 *   "estimate"     marl_population_exploitability over ALL agents of the
 *                  final Symm-PMD policy (resimulate and frozen modes)
 *   "symmetry"     marl_population_symmetry (10 samples)
 * Hyperparameters (the seed gives none for these games; ALGORITHMS.md
 * defaults): tau = 0.1, xi_t = 1/sqrt(t+1), mix_offset = 1, agents = all,
 * TD rate 2/(2 + 0.1 m); --epochs T (100), --td-epochs M (20).
 *
 * Usage: meanfield_seed001 [--out DIR] [--epochs T] [--td-epochs M]
 *        [--estimate-every E] [--estimate SPEC] [--final-estimate SPEC]
 *        [--runs R] [--games a-rps,a-sis] [--quick]
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <marlgame/marlgame.h>

#include "../bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cfg {
    const char *out, *games, *est_spec, *final_spec, *frozen_spec;
    long epochs, td_epochs, est_every, runs;
} cfg;

static int fail(const char *what) {
    fprintf(stderr, "meanfield_seed001: %s: %s\n", what, marl_last_error());
    return 1;
}

static void csv_num(FILE *f, double x, const char *sep) {
    if (isfinite(x))
        fprintf(f, "%.10g%s", x, sep);
    else
        fprintf(f, "%s", sep);
}

/* One training run; the final policy is copied into *final (may be NULL). */
static int train(const cfg *c, marl_game *g, const char *game,
                 const char *solver, marl_policy **final) {
    marl_solver *s = NULL;
    char buf[64];
    if (marl_solver_new_by_name(&s, solver, g)) return fail(solver);
    snprintf(buf, sizeof buf, "%ld", c->td_epochs);
    int rc = marl_solver_set(s, "td_epochs", buf);
    snprintf(buf, sizeof buf, "%ld", c->est_every);
    if (!rc) rc = marl_solver_set(s, "estimate_every", buf);
    if (!rc) rc = marl_solver_set(s, "estimate", c->est_spec);
    if (!rc) rc = marl_solver_set_seed(s, 1);
    if (rc) {
        marl_solver_free(s);
        return fail("options");
    }
    double w0 = bench_now(CLOCK_MONOTONIC);
    double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
    rc = marl_solver_run(s, (size_t)c->epochs, 0, 0, NULL);
    double wall = bench_now(CLOCK_MONOTONIC) - w0;
    double cpu = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (rc != MARL_OK) {
        marl_solver_free(s);
        return fail(solver);
    }
    char path[1024];
    if (bench_path(path, sizeof path, "%s/seed001_%s_%s.csv", c->out, game,
                   solver)) {
        marl_solver_free(s);
        return fail("path too long");
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        marl_solver_free(s);
        fprintf(stderr, "meanfield_seed001: cannot write %s\n", path);
        return 1;
    }
    fprintf(f, "epoch,seconds,samples,exploitability,exploitability_current,"
               "nplayer_estimate,nplayer_half_width\n");
    size_t n = marl_solver_history_length(s), m = marl_solver_metric_count(s);
    double row[16] = {0}, last_est = NAN, last_hw = NAN;
    for (size_t r = 0; r < n && m == 7; ++r) {
        marl_solver_history_row(s, r, row);
        /* history columns: iteration, seconds, exploitability,
         * exploitability_current, samples, nplayer_estimate,
         * nplayer_half_width */
        fprintf(f, "%zu,", r + 1);
        csv_num(f, row[1], ",");
        csv_num(f, row[4], ",");
        csv_num(f, row[2], ",");
        csv_num(f, row[3], ",");
        csv_num(f, row[5], ",");
        csv_num(f, row[6], "\n");
        if (isfinite(row[5])) {
            last_est = row[5];
            last_hw = row[6];
        }
    }
    fclose(f);
    printf("{\"bench\":\"meanfield_seed001\",\"record\":\"run\",\"game\":\"%s\","
           "\"solver\":\"%s\",\"n\":%zu,\"horizon\":%zu,\"epochs\":%ld,"
           "\"td_epochs\":%ld",
           game, solver, marl_game_num_agents(g), marl_game_horizon(g),
           c->epochs, c->td_epochs);
    bench_jnum("seconds", wall);
    bench_jnum("cpu_seconds", cpu);
    bench_jnum("samples", row[4]);
    bench_jnum("exploitability", row[2]);
    bench_jnum("exploitability_current", row[3]);
    bench_jnum("nplayer_estimate", last_est);
    bench_jnum("nplayer_half_width", last_hw);
    printf("}\n");
    fflush(stdout);
    if (final && marl_policy_copy(final, marl_solver_policy(s))) {
        marl_solver_free(s);
        return fail("policy copy");
    }
    marl_solver_free(s);
    return 0;
}

static int simulation(const cfg *c, marl_game *g, const char *game,
                      int threads) {
    marl_policy *p = NULL;
    marl_population_sim *sim = NULL;
    size_t N = marl_game_num_agents(g), H = marl_game_horizon(g);
    size_t *st = malloc(N * H * sizeof *st), *ac = malloc(N * H * sizeof *ac);
    double *rw = malloc(N * H * sizeof *rw);
    double *cpu = calloc((size_t)c->runs, sizeof *cpu);
    double *wall = calloc((size_t)c->runs, sizeof *wall);
    int rc = st && ac && rw && cpu && wall ? 0 : 1;
    if (!rc) rc = marl_policy_new(&p, g, MARL_POLICY_SHARED |
                                             MARL_POLICY_PER_STEP);
    if (!rc) rc = marl_population_sim_new(&sim, g, 1);
    if (!rc) rc = marl_population_sim_set_threads(sim, threads);
    size_t E = 0;
    while (!rc && E * N * H < 2000000) ++E; /* >= 2e6 agent-steps per run */
    for (long r = 0; r < c->runs && !rc; ++r) {
        double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        double w0 = bench_now(CLOCK_MONOTONIC);
        for (size_t e = 0; e < E && !rc; ++e)
            rc = marl_population_sim_episode(sim, p, st, ac, rw, NULL);
        double steps = (double)E * (double)N * (double)H / 1e6;
        cpu[r] = (bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e3 / steps;
        wall[r] = (bench_now(CLOCK_MONOTONIC) - w0) * 1e3 / steps;
    }
    if (!rc) {
        printf("{\"bench\":\"meanfield_seed001\",\"record\":\"simulation\","
               "\"game\":\"%s\",\"n\":%zu,\"horizon\":%zu,\"symmetric\":%d,"
               "\"threads\":%d",
               game, N, H, marl_population_is_symmetric(g), threads);
        bench_jnum("ms_per_1e6_agent_steps_cpu",
                   bench_median(cpu, (size_t)c->runs));
        bench_jnum("ms_per_1e6_agent_steps_wall",
                   bench_median(wall, (size_t)c->runs));
        printf("}\n");
    }
    free(st);
    free(ac);
    free(rw);
    free(cpu);
    free(wall);
    marl_population_sim_free(sim);
    marl_policy_free(p);
    return rc ? fail("simulation") : 0;
}

static int estimate_all(marl_game *g, const char *game,
                        const marl_policy *p, const char *spec) {
    marl_options *o = NULL;
    double est = NAN, hw = NAN;
    size_t agent = 0;
    int rc = marl_population_estimate_options_new(&o);
    if (!rc) rc = marl_options_parse(o, spec);
    double w0 = bench_now(CLOCK_MONOTONIC);
    double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
    if (!rc) rc = marl_population_exploitability(g, p, o, &est, &hw, &agent);
    double wall = bench_now(CLOCK_MONOTONIC) - w0;
    double cpu = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    marl_options_free(o);
    if (rc) return fail("estimate");
    double mfg = NAN;
    if (marl_mfg_exploitability(g, p, &mfg)) return fail("mfg");
    printf("{\"bench\":\"meanfield_seed001\",\"record\":\"estimate\","
           "\"game\":\"%s\",\"n\":%zu,\"settings\":\"%s\",\"agent\":%zu",
           game, marl_game_num_agents(g), spec, agent);
    bench_jnum("seconds", wall);
    bench_jnum("cpu_seconds", cpu);
    bench_jnum("nplayer_estimate", est);
    bench_jnum("nplayer_half_width", hw);
    bench_jnum("mfg_exploitability", mfg);
    printf("}\n");
    fflush(stdout);
    return 0;
}

static int symmetry(marl_game *g, const char *game) {
    double al = NAN, be = NAN;
    double w0 = bench_now(CLOCK_MONOTONIC);
    if (marl_population_symmetry(g, 10, 1, &al, &be)) return fail("symmetry");
    printf("{\"bench\":\"meanfield_seed001\",\"record\":\"symmetry\","
           "\"game\":\"%s\",\"n\":%zu,\"samples\":10",
           game, marl_game_num_agents(g));
    bench_jnum("alpha", al);
    bench_jnum("beta", be);
    bench_jnum("seconds", bench_now(CLOCK_MONOTONIC) - w0);
    printf("}\n");
    return 0;
}

static int one_game(const cfg *c, const char *game) {
    marl_game *g = NULL;
    if (marl_games_new(&g, game, NULL)) return fail(game);
    marl_policy *final = NULL;
    int rc = simulation(c, g, game, 1);
    if (!rc) rc = train(c, g, game, "meanfield-pmd", &final);
    if (!rc) rc = train(c, g, game, "meanfield-ipmd", NULL);
    if (!rc) rc = estimate_all(g, game, final, c->final_spec);
    if (!rc) rc = estimate_all(g, game, final, c->frozen_spec);
    if (!rc) rc = symmetry(g, game);
    marl_policy_free(final);
    marl_game_free(g);
    return rc;
}

int main(int argc, char **argv) {
    cfg c = {".", "a-rps,a-sis",
             "agents=20,rollouts=10,eval_rollouts=8",
             "agents=0,rollouts=10,eval_rollouts=4",
             "agents=0,rollouts=10,eval_rollouts=32,deviation=frozen",
             100, 20, 10, 5};
    for (int k = 1; k < argc; ++k) {
        const char *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (!strcmp(argv[k], "--quick")) {
            c.epochs = 6;
            c.td_epochs = 3;
            c.est_every = 3;
            c.runs = 1;
            c.est_spec = "agents=3,rollouts=2,eval_rollouts=2";
            c.final_spec = "agents=10,rollouts=2,eval_rollouts=2";
            c.frozen_spec = "agents=0,rollouts=2,eval_rollouts=2,"
                            "deviation=frozen";
        } else if (v && !strcmp(argv[k], "--out")) {
            c.out = v, ++k;
        } else if (v && !strcmp(argv[k], "--games")) {
            c.games = v, ++k;
        } else if (v && !strcmp(argv[k], "--estimate")) {
            c.est_spec = v, ++k;
        } else if (v && !strcmp(argv[k], "--final-estimate")) {
            c.final_spec = v, ++k;
        } else if (v && (!strcmp(argv[k], "--epochs") ||
                         !strcmp(argv[k], "--td-epochs") ||
                         !strcmp(argv[k], "--estimate-every") ||
                         !strcmp(argv[k], "--runs"))) {
            long x = strtol(v, NULL, 10);
            if (x < (strcmp(argv[k], "--estimate-every") ? 1 : 0)) {
                fprintf(stderr, "meanfield_seed001: bad %s\n", argv[k]);
                return 2;
            }
            if (!strcmp(argv[k], "--epochs")) c.epochs = x;
            else if (!strcmp(argv[k], "--td-epochs")) c.td_epochs = x;
            else if (!strcmp(argv[k], "--runs")) c.runs = x;
            else c.est_every = x;
            ++k;
        } else {
            fprintf(stderr, "usage: meanfield_seed001 [--out DIR] [--epochs T] "
                            "[--td-epochs M] [--estimate-every E] [--estimate "
                            "SPEC] [--final-estimate SPEC] [--runs R] "
                            "[--games LIST] [--quick]\n");
            return 2;
        }
    }
    char games[256];
    snprintf(games, sizeof games, "%s", c.games);
    for (char *save = NULL, *g = strtok_r(games, ",", &save); g;
         g = strtok_r(NULL, ",", &save))
        if (one_game(&c, g)) return 1;
    /* The symmetric fast path (one callback per (state, action) pair
     * present), serial and with 2 OpenMP threads. */
    const char *sym[2][2] = {{"sis", "n=10000"}, {"rps", "n=10000"}};
    for (int k = 0; k < 2; ++k) {
        marl_game *g = NULL;
        if (marl_games_new(&g, sym[k][0], sym[k][1])) return fail(sym[k][0]);
        int rc = simulation(&c, g, sym[k][0], 1);
        if (!rc) rc = simulation(&c, g, sym[k][0], 2);
        marl_game_free(g);
        if (rc) return 1;
    }
    return 0;
}
