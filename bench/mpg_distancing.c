/* Benchmark: every MPG solver on the catalogue game `distancing`
 * (Leonardos et al., ICLR 2022; N = 8 players, 4 facilities, 4^8 = 65536
 * joint actions, 2 states, gamma = 0.99). The game is count-based (the
 * exact metrics work on its C(N+3, 3) = 165 count vectors); the parameter
 * structure=dense builds the same game without the count structure, so the
 * solvers take the general joint-action path.
 *
 * For each solver, with its default options, the seed --seed and the
 * method's own initialisation:
 *  1. "convergence" record (settings "defaults", count-based game): run
 *     until the exact Nash-gap (metric nash_gap, computed every iteration)
 *     is <= --tol (default 1e-3), at most --cap iterations and
 *     --max-seconds of wall time; reports the iterations to the tolerance
 *     (null when not reached, with "reached":false), the final metrics and
 *     the wall seconds per iteration (update + exact metrics). The whole
 *     history goes to DIR/distancing_<solver>.csv (header: the solver's
 *     metric names).
 *  2. "iteration_time" records, one per structure in --structures (default
 *     counts,dense): the update alone (option eval_every=0, so no
 *     metrics), --timing-iters iterations per run after the state is
 *     created, median over --timing-runs runs of the wall and process CPU
 *     seconds per iteration (goal, BENCHMARKS.md: one exact NPG iteration
 *     on 4^8 joint actions < 20 ms).
 * Then one "convergence" record with settings "eta=0.01,init=normal" for
 * mpg-softmax-pg (the step size chosen in docs/mpg.md; theta ~ N(0,1), the
 * seed's initialisation) on the count-based game, at most --tuned-cap
 * iterations (history in DIR/distancing_mpg-softmax-pg_tuned.csv); skipped
 * when --solvers excludes mpg-softmax-pg or --tuned-cap is 0.
 * One JSON object per line on stdout. Benchmarks measure; they never assert
 * a time.
 *
 * Usage: mpg_distancing [--out DIR] [--n N] [--cap C] [--max-seconds S]
 *          [--tol T] [--seed S] [--solvers LIST] [--timing-iters I]
 *          [--timing-runs R] [--structures LIST] [--tuned-cap C]
 *   defaults: --out . --n 8 --cap 2000 --max-seconds 60 --tol 1e-3
 *             --seed 1 --timing-iters 10 --timing-runs 5
 *             --structures counts,dense --tuned-cap 200000, all seven
 *             solvers
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <marlgame/marlgame.h>

#include "bench_util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const all_solvers[] = {
    "mpg-softmax-pg", "mpg-npg", "mpg-npg-br", "mpg-projected-pg",
    "mpg-q-ascent", "mpg-optimistic-q-ascent", "mpg-q-ascent-sampled"};
#define N_SOLVERS (sizeof all_solvers / sizeof *all_solvers)

static int fail(const char *solver, const char *what) {
    fprintf(stderr, "mpg_distancing: %s: %s: %s\n", solver, what,
            marl_last_error());
    return 1;
}

typedef struct {
    size_t col;     /* nash_gap column */
    double tol;
    size_t reached; /* first iteration with nash_gap <= tol, 0 = none */
} watch;

static int on_progress(const marl_solver *s, size_t iteration,
                       const double *values, size_t n_values, void *user) {
    (void)s;
    watch *w = user;
    if (w->col < n_values && values[w->col] <= w->tol) {
        w->reached = iteration;
        return 1; /* stop: MARL_ECANCELLED */
    }
    return 0;
}

static int write_history(const marl_solver *s, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    size_t nm = marl_solver_metric_count(s);
    double row[64];
    if (nm > 64) nm = 64;
    for (size_t c = 0; c < nm; ++c)
        fprintf(f, "%s%s", c ? "," : "", marl_solver_metric_name(s, c));
    fputc('\n', f);
    for (size_t r = 0; r < marl_solver_history_length(s); ++r) {
        if (marl_solver_history_row(s, r, row)) break;
        for (size_t c = 0; c < nm; ++c)
            fprintf(f, "%s%.17g", c ? "," : "", row[c]);
        fputc('\n', f);
    }
    return fclose(f) != 0;
}

/* Apply "opt=value,opt=value" (NULL or "defaults": nothing). */
static int apply_settings(marl_solver *s, const char *settings) {
    if (!settings || !strcmp(settings, "defaults")) return MARL_OK;
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", settings);
    for (char *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) return MARL_EINVAL;
        *eq = '\0';
        int rc = marl_solver_set(s, tok, eq + 1);
        if (rc) return rc;
    }
    return MARL_OK;
}

static int convergence(marl_game *g, const char *name, const char *settings,
                       int n, size_t cap, double max_seconds, double tol,
                       uint64_t seed, const char *dir) {
    marl_solver *s = NULL;
    if (marl_solver_new_by_name(&s, name, g) ||
        marl_solver_set_seed(s, seed) || apply_settings(s, settings)) {
        marl_solver_free(s);
        return fail(name, "create");
    }
    watch w = {0, tol, 0};
    if (marl_solver_metric_index(s, "nash_gap", &w.col) ||
        marl_solver_set_progress(s, on_progress, &w)) {
        marl_solver_free(s);
        return fail(name, "nash_gap metric");
    }
    size_t done = 0;
    double w0 = bench_now(CLOCK_MONOTONIC), c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
    int rc = marl_solver_run(s, cap, 0.0, max_seconds, &done);
    double wall = bench_now(CLOCK_MONOTONIC) - w0;
    double cpu = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (rc < 0 && rc != MARL_ECANCELLED) {
        marl_solver_free(s);
        return fail(name, "run");
    }
    size_t hl = marl_solver_history_length(s);
    const char *status = rc == MARL_ECANCELLED  ? "tolerance"
                         : rc == MARL_CONVERGED ? "converged"
                         : hl >= cap            ? "iteration_cap"
                                                : "time_cap";
    char path[512];
    int tuned = settings && strcmp(settings, "defaults");
    bench_path(path, sizeof path, "%s/distancing_%s%s.csv", dir, name,
               tuned ? "_tuned" : "");
    if (write_history(s, path)) {
        marl_solver_free(s);
        fprintf(stderr, "mpg_distancing: cannot write %s\n", path);
        return 1;
    }
    printf("{\"bench\":\"mpg_distancing\",\"record\":\"convergence\","
           "\"game\":\"distancing\",\"n\":%d,\"states\":%zu,"
           "\"joint_actions\":%zu,\"structure\":\"%s\",\"solver\":\"%s\","
           "\"settings\":\"%s\",\"seed\":%llu,\"cap\":%zu",
           n, marl_game_num_states(g), marl_markov_num_joint(g),
           marl_markov_is_count_based(g) ? "counts" : "dense", name,
           settings ? settings : "defaults", (unsigned long long)seed, cap);
    bench_jnum("tol", tol);
    printf(",\"reached\":%s", w.reached ? "true" : "false");
    bench_jnum("iterations_to_tol", w.reached ? (double)w.reached : NAN);
    printf(",\"iterations\":%zu,\"status\":\"%s\"", hl, status);
    bench_jnum("seconds", wall);
    bench_jnum("cpu_seconds", cpu);
    bench_jnum("seconds_per_iteration", hl ? wall / (double)hl : NAN);
    if (hl) {
        double row[64];
        size_t nm = marl_solver_metric_count(s);
        if (nm <= 64 && marl_solver_history_row(s, hl - 1, row) == MARL_OK)
            for (size_t c = 2; c < nm; ++c) /* after iteration, seconds */
                bench_jnum(marl_solver_metric_name(s, c), row[c]);
    }
    printf("}\n");
    fflush(stdout);
    marl_solver_free(s);
    return 0;
}

static int iteration_time(marl_game *g, const char *name, int n,
                          size_t iters, int runs, uint64_t seed) {
    double *wall = malloc((size_t)runs * sizeof *wall);
    double *cpu = malloc((size_t)runs * sizeof *cpu);
    int bad = !wall || !cpu;
    for (int r = 0; r < runs && !bad; ++r) {
        marl_solver *s = NULL;
        size_t done = 0;
        int rc = marl_solver_new_by_name(&s, name, g);
        if (rc == MARL_OK) rc = marl_solver_set_seed(s, seed + (uint64_t)r);
        if (rc == MARL_OK) rc = marl_solver_set(s, "eval_every", "0");
        if (rc == MARL_OK && !marl_solver_policy(s)) rc = MARL_EINVAL;
        double w0 = bench_now(CLOCK_MONOTONIC), c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        if (rc == MARL_OK) rc = marl_solver_run(s, iters, 0.0, 0.0, &done);
        wall[r] = (bench_now(CLOCK_MONOTONIC) - w0) / (double)(done ? done : 1);
        cpu[r] = (bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0) / (double)(done ? done : 1);
        marl_solver_free(s);
        if (rc < 0) bad = fail(name, "timing run (eval_every=0)");
        if (!bad && done == 0) { /* converged at once: nothing to time */
            bad = 1;
            fprintf(stderr, "mpg_distancing: %s: no iteration ran\n", name);
        }
    }
    if (!bad) {
        printf("{\"bench\":\"mpg_distancing\",\"record\":\"iteration_time\","
               "\"game\":\"distancing\",\"n\":%d,\"joint_actions\":%zu,"
               "\"structure\":\"%s\",\"solver\":\"%s\",\"metrics\":\"off\","
               "\"iterations\":%zu,\"runs\":%d",
               n, marl_markov_num_joint(g),
               marl_markov_is_count_based(g) ? "counts" : "dense", name, iters,
               runs);
        bench_jnum("seconds_per_iteration", bench_median(wall, (size_t)runs));
        bench_jnum("cpu_seconds_per_iteration", bench_median(cpu, (size_t)runs));
        if (!strcmp(name, "mpg-npg")) bench_jnum("goal_seconds", 0.02);
        printf("}\n");
        fflush(stdout);
    }
    free(wall), free(cpu);
    return bad;
}

/* Is name an item of the comma-separated list? */
static int in_list(const char *list, const char *name) {
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == len && !strncmp(p, name, len)) return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

static int usage(void) {
    fprintf(stderr, "usage: mpg_distancing [--out DIR] [--n N] [--cap C] "
                    "[--max-seconds S] [--tol T] [--seed S] [--solvers LIST] "
                    "[--timing-iters I] [--timing-runs R] "
                    "[--structures LIST] [--tuned-cap C]\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *dir = ".", *list = NULL, *structures = "counts,dense";
    int n = 8, runs = 5;
    long cap = 2000, titers = 10, tuned_cap = 200000;
    double max_seconds = 60.0, tol = 1e-3;
    unsigned long long seed = 1;
    for (int a = 1; a < argc; a += 2) {
        const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;
        if (!v) return usage();
        if (!strcmp(o, "--out")) dir = v;
        else if (!strcmp(o, "--n")) n = atoi(v);
        else if (!strcmp(o, "--cap")) cap = atol(v);
        else if (!strcmp(o, "--max-seconds")) max_seconds = atof(v);
        else if (!strcmp(o, "--tol")) tol = atof(v);
        else if (!strcmp(o, "--seed")) seed = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--solvers")) list = v;
        else if (!strcmp(o, "--timing-iters")) titers = atol(v);
        else if (!strcmp(o, "--timing-runs")) runs = atoi(v);
        else if (!strcmp(o, "--structures")) structures = v;
        else if (!strcmp(o, "--tuned-cap")) tuned_cap = atol(v);
        else return usage();
    }
    if (n < 2 || cap < 1 || !(max_seconds >= 0) || !(tol > 0) ||
        titers < 1 || runs < 1 || runs > 1000 || strlen(dir) > 400 ||
        tuned_cap < 0)
        return usage();
    mkdir(dir, 0777); /* may exist; fopen reports real failures */
    char params[2][48];
    snprintf(params[0], sizeof params[0], "n=%d", n);
    snprintf(params[1], sizeof params[1], "n=%d,structure=dense", n);
    marl_game *g[2] = {NULL, NULL};
    for (int k = 0; k < 2; ++k)
        if (marl_games_new(&g[k], "distancing", params[k])) {
            marl_game_free(g[0]);
            return fail("distancing", params[k]);
        }
    int bad = 0;
    for (size_t k = 0; k < N_SOLVERS && !bad; ++k) {
        const char *name = all_solvers[k];
        if (list && !in_list(list, name)) continue;
        bad = convergence(g[0], name, NULL, n, (size_t)cap, max_seconds, tol,
                          (uint64_t)seed, dir);
        if (!bad && in_list(structures, "counts"))
            bad = iteration_time(g[0], name, n, (size_t)titers, runs,
                                 (uint64_t)seed);
        if (!bad && in_list(structures, "dense"))
            bad = iteration_time(g[1], name, n, (size_t)titers, runs,
                                 (uint64_t)seed);
    }
    if (!bad && tuned_cap > 0 && (!list || in_list(list, "mpg-softmax-pg")))
        bad = convergence(g[0], "mpg-softmax-pg", "eta=0.01,init=normal", n,
                          (size_t)tuned_cap, max_seconds, tol,
                          (uint64_t)seed, dir);
    marl_game_free(g[0]);
    marl_game_free(g[1]);
    return bad;
}
