/* Benchmark: the seed 003 experiment (Figure 1) on the catalogue game
 * `coordination`, plus the speed goals of BENCHMARKS.md.
 *
 * Methods (ALGORITHMS.md §1), all with the seed's learning rate 0.1:
 *   pg          mpg-softmax-pg  eta=0.1, init=normal (theta ~ N(0,1) drawn
 *                               by the solver from its seed)
 *   pg-lb<L>    mpg-softmax-pg  the same with log_barrier=L, L in
 *                               {0.01,0.1,1,10,100} (the log barrier is an
 *                               option of mpg-softmax-pg only)
 *   npg         mpg-npg         eta=0.1
 *   npgbr-K<K>  mpg-npg-br      k=K, K in {1,5,10,20,50}, epsilon, inner_eta
 *                               at their defaults
 * npg and npgbr start from softmax(theta), theta ~ N(0,1) drawn by
 * marl_policy_randomize on a LOGITS policy with marl_rng_new(seed), given
 * through marl_solver_set_initial_policy. Seeds are 1..S.
 *
 * Usage: mpg_coordination [--out DIR] [--seeds S] [--iters T] [--n LIST]
 *          [--methods LIST] [--no-traces] [--no-timing] [--timing-runs R]
 *          [--timing-n LIST]
 *   defaults: --out . --seeds 10 --iters 400 --n 2,3,5
 *             --methods pg,pglb,npg,npgbr --timing-runs 9 --timing-n 5,8
 * Traces: DIR/coordination_N<n>_<method>.csv (seed,iteration,nash_gap,poa;
 * iteration 0 is the initial policy) and DIR/coordination_N<n>_<method>
 * _mean.csv (iteration, mean and standard error over the seeds of both
 * metrics); DIR/best_N<n>.gp names the log-barrier lambda and the NPG-BR K
 * with the best final mean POA (the seed's selection rule) for the plots.
 * NPG-BR stops by its own rule (max gain <= epsilon/2); its policy no longer
 * changes, so the last metrics are carried forward to T.
 * Stdout: one JSON object per line: "run" records (one per run: final
 * Nash-gap and POA, seconds per run), "summary" records (per N and method),
 * "best" records, and "timing" records: a T-iteration run of softmax PG
 * with metrics off (eval_every=0) from solver creation to the end of the
 * run, median and minimum over R runs of wall and process CPU seconds
 * (goals: N = 5 < 20 ms, N = 8 < 2 s). Benchmarks measure; they never
 * assert a time.
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

#define MAX_N 16
#define MAX_METHODS 16

typedef struct {
    char name[32];
    const char *solver;
    char options[96];
    int own_init; /* initial policy from marl_policy_randomize (LOGITS) */
    int group;    /* 0 pg, 1 pglb, 2 npg, 3 npgbr */
    double param; /* lambda or K */
} method;

static const double lambdas[] = {0.01, 0.1, 1, 10, 100};
static const int ks[] = {1, 5, 10, 20, 50};
static const char *const group_names[] = {"pg", "pglb", "npg", "npgbr"};

static int fail(const char *what) {
    fprintf(stderr, "mpg_coordination: %s: %s\n", what, marl_last_error());
    return 1;
}

/* Apply "k=v,k=v" with marl_solver_set. */
static int apply_options(marl_solver *s, const char *opts) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", opts);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        if (!eq) return MARL_EINVAL;
        *eq = '\0';
        int rc = marl_solver_set(s, tok, eq + 1);
        if (rc < 0) return rc;
    }
    return MARL_OK;
}

static int parse_list(const char *text, int *out, int cap) {
    int n = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *tok = strtok(buf, ","); tok && n < cap; tok = strtok(NULL, ","))
        out[n++] = atoi(tok);
    return n;
}

static int build_methods(const char *groups, method *m) {
    int n = 0;
    int want[4] = {0, 0, 0, 0};
    for (int g = 0; g < 4; ++g) {
        const char *p = strstr(groups, group_names[g]);
        /* "pg" must not match inside "npg" or "pglb" */
        while (p) {
            size_t len = strlen(group_names[g]);
            int start_ok = p == groups || p[-1] == ',';
            int end_ok = p[len] == '\0' || p[len] == ',';
            if (start_ok && end_ok) {
                want[g] = 1;
                break;
            }
            p = strstr(p + 1, group_names[g]);
        }
    }
    if (want[0])
        m[n++] = (method){"pg", "mpg-softmax-pg", "eta=0.1,init=normal",
                          0, 0, 0.0};
    if (want[1])
        for (size_t l = 0; l < sizeof lambdas / sizeof *lambdas; ++l) {
            m[n] = (method){"", "mpg-softmax-pg", "", 0, 1, lambdas[l]};
            snprintf(m[n].name, sizeof m[n].name, "pg-lb%g", lambdas[l]);
            snprintf(m[n].options, sizeof m[n].options,
                     "eta=0.1,init=normal,log_barrier=%g", lambdas[l]);
            ++n;
        }
    if (want[2]) m[n++] = (method){"npg", "mpg-npg", "eta=0.1", 1, 2, 0.0};
    if (want[3])
        for (size_t k = 0; k < sizeof ks / sizeof *ks; ++k) {
            m[n] = (method){"", "mpg-npg-br", "", 1, 3, (double)ks[k]};
            snprintf(m[n].name, sizeof m[n].name, "npgbr-K%d", ks[k]);
            snprintf(m[n].options, sizeof m[n].options, "k=%d", ks[k]);
            ++n;
        }
    return n;
}

/* New solver of method m on g with seed, options and initial policy. */
static int make_solver(marl_solver **out, marl_game *g, const method *m,
                       uint64_t seed, const char *extra) {
    marl_solver *s = NULL;
    marl_policy *init = NULL;
    marl_rng *rng = NULL;
    int rc = marl_solver_new_by_name(&s, m->solver, g);
    if (rc == MARL_OK) rc = apply_options(s, m->options);
    if (rc == MARL_OK && extra) rc = apply_options(s, extra);
    if (rc == MARL_OK) rc = marl_solver_set_seed(s, seed);
    if (rc == MARL_OK && m->own_init) {
        rc = marl_policy_new(&init, g, MARL_POLICY_LOGITS);
        if (rc == MARL_OK) rc = marl_rng_new(&rng, seed);
        if (rc == MARL_OK) rc = marl_policy_randomize(init, rng);
        if (rc == MARL_OK) rc = marl_solver_set_initial_policy(s, init);
    }
    marl_rng_free(rng);
    marl_policy_free(init);
    if (rc < 0) {
        marl_solver_free(s);
        return rc;
    }
    *out = s;
    return MARL_OK;
}

/* One run: fills gap/poa[0..iters] (0 = the initial policy), writes its
 * CSV rows and prints its JSON line. */
static int one_run(marl_game *g, int n, const method *m, uint64_t seed,
                   size_t iters, double *gap, double *poa, double *secs,
                   FILE *csv) {
    marl_solver *s = NULL;
    int rc = make_solver(&s, g, m, seed, NULL);
    if (rc < 0) return fail(m->name);
    const marl_policy *p0 = marl_solver_policy(s);
    if (!p0 || marl_markov_nash_gap(g, p0, &gap[0], NULL) ||
        marl_markov_price_of_anarchy(g, p0, &poa[0], NULL, NULL)) {
        marl_solver_free(s);
        return fail("initial policy");
    }
    size_t done = 0, cg = 0, cp = 0;
    double w0 = bench_now(CLOCK_MONOTONIC), c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
    rc = marl_solver_run(s, iters, 0.0, 0.0, &done);
    double wall = bench_now(CLOCK_MONOTONIC) - w0;
    double cpu = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (rc < 0 || marl_solver_metric_index(s, "nash_gap", &cg) ||
        marl_solver_metric_index(s, "poa", &cp)) {
        marl_solver_free(s);
        return fail(m->name);
    }
    size_t nm = marl_solver_metric_count(s);
    double row[64];
    if (nm > 64) {
        marl_solver_free(s);
        fprintf(stderr, "mpg_coordination: too many metrics\n");
        return 1;
    }
    size_t hl = marl_solver_history_length(s);
    for (size_t t = 1; t <= iters; ++t) {
        if (t <= hl) {
            marl_solver_history_row(s, t - 1, row);
            gap[t] = row[cg];
            poa[t] = row[cp];
        } else { /* converged earlier: the policy no longer changes */
            gap[t] = gap[t - 1];
            poa[t] = poa[t - 1];
        }
    }
    for (size_t t = 0; t <= iters; ++t)
        fprintf(csv, "%llu,%zu,%.17g,%.17g\n", (unsigned long long)seed, t,
                gap[t], poa[t]);
    *secs = wall;
    printf("{\"bench\":\"mpg_coordination\",\"record\":\"run\","
           "\"game\":\"coordination\",\"n\":%d,\"method\":\"%s\","
           "\"solver\":\"%s\",\"options\":\"%s\",\"seed\":%llu,"
           "\"iterations\":%zu,\"status\":\"%s\"",
           n, m->name, m->solver, m->options, (unsigned long long)seed,
           done, rc == MARL_CONVERGED ? "converged" : "ok");
    bench_jnum("nash_gap_0", gap[0]);
    bench_jnum("poa_0", poa[0]);
    bench_jnum("nash_gap", gap[iters]);
    bench_jnum("poa", poa[iters]);
    bench_jnum("seconds", wall);
    bench_jnum("cpu_seconds", cpu);
    printf("}\n");
    fflush(stdout);
    marl_solver_free(s);
    return 0;
}

static void mean_se(const double *x, size_t stride, size_t n, double *mean,
                    double *se) {
    double s = 0.0, ss = 0.0;
    for (size_t k = 0; k < n; ++k) s += x[k * stride];
    *mean = s / (double)n;
    for (size_t k = 0; k < n; ++k) {
        double d = x[k * stride] - *mean;
        ss += d * d;
    }
    *se = n > 1 ? sqrt(ss / (double)(n - 1)) / sqrt((double)n) : 0.0;
}

/* All seeds of one (N, method); returns the final mean POA in *final_poa. */
static int run_method(marl_game *g, int n, const method *m, int seeds,
                      size_t iters, const char *dir, double *final_poa) {
    char path[512];
    size_t cols = iters + 1;
    double *gap = malloc((size_t)seeds * cols * sizeof *gap);
    double *poa = malloc((size_t)seeds * cols * sizeof *poa);
    double *secs = malloc((size_t)seeds * sizeof *secs);
    if (!gap || !poa || !secs) {
        free(gap), free(poa), free(secs);
        return 1;
    }
    bench_path(path, sizeof path, "%s/coordination_N%d_%s.csv", dir, n, m->name);
    FILE *csv = fopen(path, "w");
    int bad = !csv;
    if (csv) fprintf(csv, "seed,iteration,nash_gap,poa\n");
    for (int k = 0; k < seeds && !bad; ++k)
        bad = one_run(g, n, m, (uint64_t)k + 1, iters, gap + (size_t)k * cols,
                      poa + (size_t)k * cols, &secs[k], csv);
    if (!csv) fprintf(stderr, "mpg_coordination: cannot write %s\n", path);
    if (csv && fclose(csv)) bad = 1;
    bench_path(path, sizeof path, "%s/coordination_N%d_%s_mean.csv", dir, n,
             m->name);
    FILE *f = bad ? NULL : fopen(path, "w");
    if (!bad && !f) {
        fprintf(stderr, "mpg_coordination: cannot write %s\n", path);
        bad = 1;
    }
    double gm = NAN, gs = NAN, pm = NAN, ps = NAN;
    if (!bad) {
        fprintf(f, "iteration,nash_gap_mean,nash_gap_se,poa_mean,poa_se\n");
        for (size_t t = 0; t < cols; ++t) {
            mean_se(gap + t, cols, (size_t)seeds, &gm, &gs);
            mean_se(poa + t, cols, (size_t)seeds, &pm, &ps);
            fprintf(f, "%zu,%.17g,%.17g,%.17g,%.17g\n", t, gm, gs, pm, ps);
        }
        if (fclose(f)) bad = 1;
        printf("{\"bench\":\"mpg_coordination\",\"record\":\"summary\","
               "\"game\":\"coordination\",\"n\":%d,\"method\":\"%s\","
               "\"solver\":\"%s\",\"seeds\":%d,\"iterations\":%zu",
               n, m->name, m->solver, seeds, iters);
        bench_jnum("nash_gap_mean", gm);
        bench_jnum("nash_gap_se", gs);
        bench_jnum("poa_mean", pm);
        bench_jnum("poa_se", ps);
        bench_jnum("seconds_median", bench_median(secs, (size_t)seeds));
        printf("}\n");
        fflush(stdout);
        *final_poa = pm;
    }
    free(gap), free(poa), free(secs);
    return bad;
}

static int run_traces(int n, const method *ms, int nm, int seeds,
                      size_t iters, const char *dir) {
    char params[32];
    snprintf(params, sizeof params, "N=%d", n);
    marl_game *g = NULL;
    if (marl_games_new(&g, "coordination", params)) return fail(params);
    double best_lb = NAN, best_lb_poa = -INFINITY;
    int best_k = -1;
    double best_k_poa = -INFINITY;
    int bad = 0;
    for (int k = 0; k < nm && !bad; ++k) {
        double fp = NAN;
        bad = run_method(g, n, &ms[k], seeds, iters, dir, &fp);
        if (bad) break;
        /* seed's rule: best final POA (first one on ties) */
        if (ms[k].group == 1 && fp > best_lb_poa)
            best_lb_poa = fp, best_lb = ms[k].param;
        if (ms[k].group == 3 && fp > best_k_poa)
            best_k_poa = fp, best_k = (int)ms[k].param;
    }
    marl_game_free(g);
    if (bad) return 1;
    char path[512];
    bench_path(path, sizeof path, "%s/best_N%d.gp", dir, n);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "mpg_coordination: cannot write %s\n", path);
        return 1;
    }
    fprintf(f, "# written by mpg_coordination: best final mean POA\n");
    if (isfinite(best_lb)) fprintf(f, "best_lb_%d = \"%g\"\n", n, best_lb);
    if (best_k > 0) fprintf(f, "best_K_%d = \"%d\"\n", n, best_k);
    fclose(f);
    printf("{\"bench\":\"mpg_coordination\",\"record\":\"best\","
           "\"game\":\"coordination\",\"n\":%d,\"criterion\":"
           "\"final mean poa\"",
           n);
    bench_jnum("log_barrier", best_lb);
    bench_jnum("log_barrier_poa", isfinite(best_lb_poa) ? best_lb_poa : NAN);
    bench_jnum("K", best_k > 0 ? (double)best_k : NAN);
    bench_jnum("K_poa", isfinite(best_k_poa) ? best_k_poa : NAN);
    printf("}\n");
    fflush(stdout);
    return 0;
}

/* Speed goal: T iterations of softmax PG with metrics off. */
static int run_timing(int n, size_t iters, int runs) {
    char params[32];
    snprintf(params, sizeof params, "N=%d", n);
    marl_game *g = NULL;
    if (marl_games_new(&g, "coordination", params)) return fail(params);
    method m = {"pg", "mpg-softmax-pg", "eta=0.1,init=normal", 0, 0, 0.0};
    const char *extra = "eval_every=0";
    /* Without the option (older solver) time with metrics on and say so. */
    marl_solver *probe = NULL;
    if (make_solver(&probe, g, &m, 1, extra) < 0) extra = NULL;
    marl_solver_free(probe);
    double *wall = malloc((size_t)runs * sizeof *wall);
    double *cpu = malloc((size_t)runs * sizeof *cpu);
    if (!wall || !cpu) {
        free(wall), free(cpu), marl_game_free(g);
        return 1;
    }
    double wmin = INFINITY;
    size_t done = 0;
    int bad = 0;
    for (int r = 0; r < runs && !bad; ++r) {
        marl_solver *s = NULL;
        double w0 = bench_now(CLOCK_MONOTONIC), c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        int rc = make_solver(&s, g, &m, (uint64_t)r + 1, extra);
        if (rc == MARL_OK) rc = marl_solver_run(s, iters, 0.0, 0.0, &done);
        wall[r] = bench_now(CLOCK_MONOTONIC) - w0;
        cpu[r] = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (wall[r] < wmin) wmin = wall[r];
        marl_solver_free(s);
        if (rc < 0) bad = fail("timing run");
    }
    if (!bad) {
        printf("{\"bench\":\"mpg_coordination\",\"record\":\"timing\","
               "\"game\":\"coordination\",\"n\":%d,\"states\":%zu,"
               "\"solver\":\"mpg-softmax-pg\",\"options\":\"%s%s%s\","
               "\"metrics\":\"%s\",\"iterations\":%zu,\"runs\":%d",
               n, marl_game_num_states(g), m.options, extra ? "," : "",
               extra ? extra : "", extra ? "off" : "on", done, runs);
        bench_jnum("seconds", bench_median(wall, (size_t)runs));
        bench_jnum("cpu_seconds", bench_median(cpu, (size_t)runs));
        bench_jnum("seconds_min", wmin);
        bench_jnum("goal_seconds", n == 5 ? 0.02 : n == 8 ? 2.0 : NAN);
        printf("}\n");
        fflush(stdout);
    }
    free(wall), free(cpu);
    marl_game_free(g);
    return bad;
}

static int usage(void) {
    fprintf(stderr,
            "usage: mpg_coordination [--out DIR] [--seeds S] [--iters T] "
            "[--n LIST] [--methods pg,pglb,npg,npgbr] [--no-traces] "
            "[--no-timing] [--timing-runs R] [--timing-n LIST]\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *dir = ".", *groups = "pg,pglb,npg,npgbr";
    int seeds = 10, iters = 400, runs = 9, traces_on = 1, timing_on = 1;
    int ns[MAX_N] = {2, 3, 5}, nn = 3, tns[MAX_N] = {5, 8}, ntn = 2;
    for (int a = 1; a < argc; ++a) {
        const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;
        if (!strcmp(o, "--no-traces")) traces_on = 0;
        else if (!strcmp(o, "--no-timing")) timing_on = 0;
        else if (!v) return usage();
        else if (!strcmp(o, "--out")) dir = v, ++a;
        else if (!strcmp(o, "--seeds")) seeds = atoi(v), ++a;
        else if (!strcmp(o, "--iters")) iters = atoi(v), ++a;
        else if (!strcmp(o, "--timing-runs")) runs = atoi(v), ++a;
        else if (!strcmp(o, "--methods")) groups = v, ++a;
        else if (!strcmp(o, "--n")) nn = parse_list(v, ns, MAX_N), ++a;
        else if (!strcmp(o, "--timing-n"))
            ntn = parse_list(v, tns, MAX_N), ++a;
        else return usage();
    }
    if (seeds < 1 || seeds > 1000 || iters < 1 || iters > 1000000 ||
        runs < 1 || runs > 1000 || nn < 1 || ntn < 1 || strlen(dir) > 400)
        return usage();
    method ms[MAX_METHODS];
    int nm = build_methods(groups, ms);
    if (traces_on) mkdir(dir, 0777); /* may exist; fopen reports failures */
    if (traces_on && nm == 0) return usage();
    if (traces_on)
        for (int k = 0; k < nn; ++k)
            if (run_traces(ns[k], ms, nm, seeds, (size_t)iters, dir)) return 1;
    if (timing_on)
        for (int k = 0; k < ntn; ++k)
            if (run_timing(tns[k], (size_t)iters, runs)) return 1;
    return 0;
}
