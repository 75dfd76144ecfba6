/*
 * Seed 004, App. G.1 (Figure 6) on the `warehouse` game: for every k,
 * G-LEARN and L-LEARN per-call times, the full ALTERNATING-MARL training,
 * the evaluation protocol of the public reference code (seeds x rollouts x
 * horizon, n = 1000), the number of count vectors, the reward (mean and
 * std of the seed means, 95% CI) and the mode-tracking accuracy (wh_sim.h),
 * next to the reference implementation's figures (BENCHMARKS.md).
 *
 *   alternating_warehouse [--out DIR] [--k 1,2,4,8,12,16,20] [--n 1000]
 *       [--seeds 15] [--rollouts 50] [--horizon 50] [--iterations 5]
 *       [--sweeps 100] [--runs 5] [--train-eval montecarlo|meanfield]
 *       [--mode-episodes 100]
 *
 * One JSON object per k on stdout, a summary line at the end, and
 * DIR/alternating_warehouse.csv. Measures; never asserts a time.
 * SPDX-License-Identifier: MIT
 */
#include <marlgame/marlgame.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bench_util.h"
#include "wh_sim.h"

/* BENCHMARKS.md, "Seed 004 reference implementation": k, count vectors,
 * G-LEARN per call, L-LEARN per call, training, evaluation, reward mean,
 * std of the 15 seed means. */
static const double REF[][8] = {
    {1, 5, 0.0038, 0.022, 1.09, 11.1, 83.29, 0.54},
    {2, 15, 0.0055, 0.022, 1.13, 11.5, 84.94, 0.84},
    {4, 70, 0.014, 0.022, 0.46, 11.1, 86.10, 0.71},
    {8, 495, 0.095, 0.022, 1.59, 11.2, 87.06, 1.15},
    {12, 1820, 0.30, 0.022, 1.57, 11.6, 88.11, 0.73},
    {16, 4845, 0.79, 0.022, 4.03, 11.5, 89.10, 0.90},
    {20, 10626, 1.71, 0.022, 5.79, 11.2, 90.18, 0.57},
    {30, 46376, 7.93, 0.028, 40.9, 11.4, 91.40, 1.42},
    {50, 316251, 55.9, 0.023, 281.0, 11.5, 93.09, 0.73},
};
#define N_REF (sizeof REF / sizeof REF[0])

typedef struct cfg {
    const char *out, *train_eval;
    size_t ks[64], nk, n, seeds, rollouts, horizon, iterations, sweeps, runs;
    size_t mode_episodes;
} cfg;

static const double *ref_row(size_t k) {
    for (size_t i = 0; i < N_REF; ++i)
        if ((size_t)REF[i][0] == k) return REF[i];
    return NULL;
}

static void die(const char *what) {
    fprintf(stderr, "alternating_warehouse: %s: %s\n", what, marl_last_error());
    exit(1);
}

static void set(marl_solver *s, const char *name, const char *value) {
    if (marl_solver_set(s, name, value) != MARL_OK) die(name);
}

static void setz(marl_solver *s, const char *name, size_t v) {
    if (marl_solver_set_int(s, name, (long long)v) != MARL_OK) die(name);
}

/* One G-LEARN call (estimator = expected, `sweeps` sweeps from Q = 0, the
 * reference's work) against a uniform local policy: wall and CPU s. */
static void time_glearn(marl_game *g, const cfg *c, size_t k, double *wall,
                        double *cpu) {
    double w[32], u[32];
    for (size_t r = 0; r < c->runs; ++r) {
        double t0 = bench_now(CLOCK_MONOTONIC),
               c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        marl_solver *s = NULL;
        if (marl_solver_new(&s, &marl_solver_alternating_glearn, g)) die("glearn");
        setz(s, "k", k);
        set(s, "estimator", "expected");
        set(s, "tol", "0");
        setz(s, "max_sweeps", c->sweeps);
        if (marl_solver_run(s, c->sweeps, 0, 0, NULL) < 0) die("glearn run");
        marl_solver_free(s);
        w[r] = bench_now(CLOCK_MONOTONIC) - t0;
        u[r] = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    *wall = bench_median(w, c->runs);
    *cpu = bench_median(u, c->runs);
}

static void time_llearn(marl_game *g, const cfg *c, size_t k, double *wall,
                        double *cpu) {
    double w[32], u[32];
    for (size_t r = 0; r < c->runs; ++r) {
        double t0 = bench_now(CLOCK_MONOTONIC),
               c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        marl_solver *s = NULL;
        if (marl_solver_new(&s, &marl_solver_alternating_llearn, g)) die("llearn");
        setz(s, "k", k);
        if (marl_solver_step(s) < 0) die("llearn step");
        marl_solver_free(s);
        w[r] = bench_now(CLOCK_MONOTONIC) - t0;
        u[r] = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    *wall = bench_median(w, c->runs);
    *cpu = bench_median(u, c->runs);
}

/* Mean and std of the seed means of marl_gl_evaluate_ex. */
static void eval_protocol(marl_game *g, const marl_gl_policy *pol,
                          const cfg *c, unsigned flags, double *mu,
                          double *sd) {
    double sum = 0.0, sum2 = 0.0;
    for (size_t e = 0; e < c->seeds; ++e) {
        double mean, hw;
        if (marl_gl_evaluate_ex(g, pol, c->rollouts, c->horizon, 1000 + e,
                                flags, &mean, &hw))
            die("evaluate");
        sum += mean;
        sum2 += mean * mean;
    }
    double n = (double)c->seeds;
    *mu = sum / n;
    *sd = c->seeds > 1 ? sqrt(fmax(0.0, (sum2 - n * *mu * *mu) / (n - 1.0)))
                       : 0.0;
}

static void parse_list(const char *s, cfg *c) {
    c->nk = 0;
    while (*s && c->nk < 64) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || v == 0) break;
        c->ks[c->nk++] = v;
        s = *end == ',' ? end + 1 : end;
    }
}

static void parse(int argc, char **argv, cfg *c) {
    static const size_t def[] = {1, 2, 4, 8, 12, 16, 20};
    memset(c, 0, sizeof *c);
    c->out = ".";
    c->train_eval = "montecarlo";
    memcpy(c->ks, def, sizeof def);
    c->nk = 7;
    c->n = 1000;
    c->seeds = 15;
    c->rollouts = 50;
    c->horizon = 50;
    c->iterations = 5;
    c->sweeps = 100;
    c->runs = 5;
    c->mode_episodes = 100;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        size_t z = (size_t)strtoull(v, NULL, 10);
        if (!strcmp(a, "--out")) c->out = v;
        else if (!strcmp(a, "--k")) parse_list(v, c);
        else if (!strcmp(a, "--n")) c->n = z;
        else if (!strcmp(a, "--seeds")) c->seeds = z;
        else if (!strcmp(a, "--rollouts")) c->rollouts = z;
        else if (!strcmp(a, "--horizon")) c->horizon = z;
        else if (!strcmp(a, "--iterations")) c->iterations = z;
        else if (!strcmp(a, "--sweeps")) c->sweeps = z;
        else if (!strcmp(a, "--runs")) c->runs = z < 1 ? 1 : z > 32 ? 32 : z;
        else if (!strcmp(a, "--train-eval")) c->train_eval = v;
        else if (!strcmp(a, "--mode-episodes")) c->mode_episodes = z;
        else {
            fprintf(stderr, "alternating_warehouse: unknown option %s\n", a);
            exit(2);
        }
    }
}

int main(int argc, char **argv) {
    cfg c;
    parse(argc, argv, &c);
    char params[64], path[4096];
    snprintf(params, sizeof params, "n=%zu", c.n);
    marl_game *g = NULL;
    if (marl_games_new(&g, "warehouse", params)) die("warehouse");
    if (bench_path(path, sizeof path, "%s/alternating_warehouse.csv", c.out))
        die("path");
    FILE *csv = fopen(path, "w");
    if (!csv) {
        perror(path);
        return 1;
    }
    fprintf(csv, "k,counts,glearn_s,glearn_cpu_s,llearn_s,train_s,train_cpu_s,"
                 "eval_s,reward,reward_std,reward_ci,mode_acc,sample_mode_acc,"
                 "sim_reward,accepted,proposals,ref_glearn_s,ref_llearn_s,"
                 "ref_train_s,ref_eval_s,ref_reward,ref_reward_std,eval_cpu_s,"
                 "reward_next,reward_next_std\n");
    const double conc[5] = {0.3, 0.3, 0.3, 0.3, 0.3};
    double sweep_total = 0.0, sweep_cpu = 0.0, worst_gl = HUGE_VAL,
           worst_ev = HUGE_VAL, worst_gl_c = HUGE_VAL, worst_ev_c = HUGE_VAL;
    size_t n_small = 0;
    for (size_t ik = 0; ik < c.nk; ++ik) {
        const size_t k = c.ks[ik];
        double gl_w, gl_c, ll_w, ll_c;
        time_glearn(g, &c, k, &gl_w, &gl_c);
        time_llearn(g, &c, k, &ll_w, &ll_c);
        /* training */
        double t0 = bench_now(CLOCK_MONOTONIC),
               c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        marl_solver *s = NULL;
        if (marl_solver_new(&s, &marl_solver_alternating_marl, g)) die("marl");
        setz(s, "k", k);
        setz(s, "iterations", c.iterations);
        set(s, "glearn_estimator", "expected");
        set(s, "glearn_tol", "0");
        setz(s, "glearn_max_sweeps", c.sweeps);
        set(s, "evaluation", c.train_eval);
        setz(s, "rollouts", c.rollouts);
        setz(s, "eval_horizon", c.horizon);
        if (marl_solver_set_seed(s, 2024 + k)) die("seed");
        int rc = marl_solver_run(s, 1000000, 0, 0, NULL);
        if (rc < 0) die("marl run");
        double train_w = bench_now(CLOCK_MONOTONIC) - t0,
               train_c = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        size_t rows = marl_solver_history_length(s), acc_col = 0;
        double row[64] = {0};
        marl_solver_metric_index(s, "accepted", &acc_col);
        if (rows) marl_solver_history_row(s, rows - 1, row);
        double accepted = rows ? row[acc_col] : 0.0;
        const marl_gl_policy *pol = marl_alternating_policy(s);
        /* evaluation protocol: seeds x rollouts x horizon (the model's
         * semantics: the local agents move with the current global state),
         * timed; then the reference's semantics (the next global state),
         * for the reward comparison only */
        t0 = bench_now(CLOCK_MONOTONIC);
        c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
        double mu, sd, mu_next, sd_next;
        eval_protocol(g, pol, &c, 0, &mu, &sd);
        double eval_w = bench_now(CLOCK_MONOTONIC) - t0,
               eval_c = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        eval_protocol(g, pol, &c, MARL_GL_EVAL_NEXT_GLOBAL, &mu_next,
                      &sd_next);
        double ci = 1.959963984540054 * sd / sqrt((double)c.seeds);
        wh_sim_result sim = {NAN, NAN, NAN};
        if (c.mode_episodes &&
            wh_simulate(g, pol, conc, c.mode_episodes, c.horizon, 77 + k, &sim))
            die("mode simulation");
        const double *ref = ref_row(k);
        size_t counts = marl_gl_policy_num_counts(pol);
        if (k <= 20) {
            n_small++;
            sweep_total += train_w + eval_w;
            sweep_cpu += train_c + eval_c;
        }
        if (ref && k >= 8) {
            worst_gl = fmin(worst_gl, ref[2] / gl_w);
            worst_ev = fmin(worst_ev, ref[5] / eval_w);
            worst_gl_c = fmin(worst_gl_c, ref[2] / gl_c);
            worst_ev_c = fmin(worst_ev_c, ref[5] / eval_c);
        }
        printf("{\"bench\":\"alternating_warehouse\",\"game\":\"warehouse\","
               "\"solver\":\"alternating-marl\",\"n\":%zu,\"k\":%zu,"
               "\"counts\":%zu,\"train_eval\":\"%s\"",
               c.n, k, counts, c.train_eval);
        bench_jnum("glearn_seconds", gl_w);
        bench_jnum("glearn_cpu_seconds", gl_c);
        bench_jnum("llearn_seconds", ll_w);
        bench_jnum("llearn_cpu_seconds", ll_c);
        bench_jnum("seconds", train_w);
        bench_jnum("train_cpu_seconds", train_c);
        bench_jnum("eval_seconds", eval_w);
        bench_jnum("eval_cpu_seconds", eval_c);
        bench_jnum("reward", mu);
        bench_jnum("reward_std", sd);
        bench_jnum("reward_ci95", ci);
        bench_jnum("reward_next_global", mu_next);
        bench_jnum("reward_next_global_std", sd_next);
        bench_jnum("mode_accuracy", sim.mode_hit);
        bench_jnum("sample_mode_accuracy", sim.sample_hit);
        bench_jnum("sim_reward", sim.reward);
        bench_jnum("accepted", accepted);
        bench_jnum("proposals", (double)rows);
        bench_jnum("ref_glearn_seconds", ref ? ref[2] : NAN);
        bench_jnum("ref_train_seconds", ref ? ref[4] : NAN);
        bench_jnum("ref_eval_seconds", ref ? ref[5] : NAN);
        bench_jnum("ref_reward", ref ? ref[6] : NAN);
        bench_jnum("glearn_speedup", ref ? ref[2] / gl_w : NAN);
        bench_jnum("eval_speedup", ref ? ref[5] / eval_w : NAN);
        bench_jnum("glearn_speedup_cpu", ref ? ref[2] / gl_c : NAN);
        bench_jnum("eval_speedup_cpu", ref ? ref[5] / eval_c : NAN);
        printf("}\n");
        fflush(stdout);
        fprintf(csv,
                "%zu,%zu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6f,%.6f,%.6f,%.6f,"
                "%.6f,%.6f,%.0f,%zu",
                k, counts, gl_w, gl_c, ll_w, train_w, train_c, eval_w, mu, sd,
                ci, sim.mode_hit, sim.sample_hit, sim.reward, accepted, rows);
        if (ref)
            fprintf(csv, ",%g,%g,%g,%g,%g,%g", ref[2], ref[3], ref[4],
                    ref[5], ref[6], ref[7]);
        else
            fprintf(csv, ",,,,,,");
        fprintf(csv, ",%.6g,%.6f,%.6f\n", eval_c, mu_next, sd_next);
        marl_solver_free(s);
    }
    fclose(csv);
    printf("{\"bench\":\"alternating_warehouse_summary\",\"game\":\"warehouse\","
           "\"solver\":\"alternating-marl\",\"n\":%zu",
           c.n);
    bench_jnum("sweep_k_le_20_seconds", n_small ? sweep_total : NAN);
    bench_jnum("sweep_k_le_20_cpu_seconds", n_small ? sweep_cpu : NAN);
    bench_jnum("min_glearn_speedup_k_ge_8", worst_gl);
    bench_jnum("min_eval_speedup_k_ge_8", worst_ev);
    bench_jnum("min_glearn_speedup_cpu_k_ge_8", worst_gl_c);
    bench_jnum("min_eval_speedup_cpu_k_ge_8", worst_ev_c);
    printf("}\n");
    marl_game_unref(g);
    return 0;
}
