/*
 * Benchmark `aggregative_routing` (BENCHMARKS.md goals): Aggre-BI on the
 * `routing` game for n in {100, 1000, 10000}, m = 2 (d = 1), m = 3
 * (d = 2) and m = 3 with full = 1 (d = 3), alpha in {0.1, 0.05}, both LP
 * backends (structured is the exact parametric method for d = 1 and falls
 * back to lp_solve for d > 1, so d > 1 runs once, as lp_solve).
 *
 *   aggregative_routing [--out DIR] [--quick] [--runs R] [--budget SEC]
 *                       [--d D]
 *
 * One JSON object per line on stdout per configuration: seconds (median
 * wall time of R runs), cpu_seconds, lps, lp_seconds, nash_gap (exact),
 * bound (Thm. 4.1 eps_solve), welfare, infeasible; configurations whose
 * projected time exceeds the budget are not run and are printed with
 * "skipped":true and the projection (time of the next smaller n times
 * (n / n_prev)^2, the growth of lp_solve's LPs measured in BENCHMARKS.md;
 * exponent 1.2 for structured). DIR/aggregative_routing.csv gets one row
 * per configuration (plot_aggregative.gp draws it). Measures only; never
 * asserts a time. --quick: d = 1 only, n = 100 and 1000, alpha = 0.1,
 * one run, budget 20 s. --d D runs the configurations of dimension D only.
 * SPDX-License-Identifier: MIT
 */
#include "../bench_util.h"

#include <marlgame/marlgame.h>
#include <string.h>

typedef struct cfg {
    size_t m;
    int full;
} cfg;

static int run_once(size_t n, const cfg *c, double alpha, const char *lp,
                    double *wall, double *cpu, double *metrics,
                    size_t n_metrics, char names[][32]) {
    char params[128];
    snprintf(params, sizeof params, "n=%zu,m=%zu,full=%d", n, c->m, c->full);
    marl_game *g = NULL;
    marl_solver *s = NULL;
    int rc = marl_games_new(&g, "routing", params);
    if (!rc) rc = marl_solver_new(&s, &marl_solver_aggregative_bi, g);
    if (!rc) rc = marl_solver_set_real(s, "alpha", alpha);
    if (!rc) rc = marl_solver_set_string(s, "lp", lp);
    const double w0 = bench_now(CLOCK_MONOTONIC);
    const double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
    if (!rc) rc = marl_solver_step(s);
    *wall = bench_now(CLOCK_MONOTONIC) - w0;
    *cpu = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (rc == MARL_CONVERGED) rc = MARL_OK;
    double row[32];
    if (!rc) rc = marl_solver_history_row(s, 0, row);
    if (!rc)
        for (size_t k = 0; k < n_metrics; ++k) {
            metrics[k] = row[k + 2];
            snprintf(names[k], 32, "%s", marl_solver_metric_name(s, k + 2));
        }
    if (rc)
        fprintf(stderr, "aggregative_routing: %s: %s\n", params,
                marl_last_error());
    marl_solver_free(s);
    marl_game_free(g);
    return rc;
}

int main(int argc, char **argv) {
    const char *out = ".";
    int quick = 0;
    size_t runs = 3;
    double budget = 120;
    size_t only_d = 0;
    for (int k = 1; k < argc; ++k) {
        if (!strcmp(argv[k], "--out") && k + 1 < argc)
            out = argv[++k];
        else if (!strcmp(argv[k], "--quick"))
            quick = 1;
        else if (!strcmp(argv[k], "--runs") && k + 1 < argc)
            runs = (size_t)atoi(argv[++k]);
        else if (!strcmp(argv[k], "--budget") && k + 1 < argc)
            budget = atof(argv[++k]);
        else if (!strcmp(argv[k], "--d") && k + 1 < argc)
            only_d = (size_t)atoi(argv[++k]);
        else {
            fprintf(stderr, "usage: aggregative_routing [--out DIR] [--quick] "
                            "[--runs R] [--budget SEC] [--d D]\n");
            return 2;
        }
    }
    if (quick) {
        runs = 1;
        budget = 20;
    }
    if (runs < 1) runs = 1;
    const size_t ns[3] = {100, 1000, 10000};
    const size_t n_ns = quick ? 2 : 3;
    const double alphas[2] = {0.1, 0.05};
    const size_t n_alphas = quick ? 1 : 2;
    const cfg cfgs[3] = {{2, 0}, {3, 0}, {3, 1}};
    const char *lps[2] = {"structured", "lp_solve"};
    char path[1024];
    if (bench_path(path, sizeof path, "%s/aggregative_routing.csv", out)) {
        fprintf(stderr, "aggregative_routing: path too long\n");
        return 1;
    }
    FILE *csv = fopen(path, "w");
    if (!csv) {
        fprintf(stderr, "aggregative_routing: cannot write %s\n", path);
        return 1;
    }
    fprintf(csv, "n,m,d,alpha,lp,skipped,seconds,cpu_seconds,lps,lp_seconds,"
                 "nash_gap,bound,welfare,infeasible,projected_seconds\n");
    int status = 0;
    for (size_t c = 0; c < 3; ++c)
        for (size_t a = 0; a < n_alphas; ++a)
            for (size_t l = 0; l < 2; ++l) {
                const size_t d = cfgs[c].full ? cfgs[c].m : cfgs[c].m - 1;
                if (d > 1 && l == 0) continue; /* structured = lp_solve */
                if (quick && d > 1) continue;  /* d = 1 only in quick mode */
                if (only_d && d != only_d) continue;
                double prev = NAN;
                for (size_t t = 0; t < n_ns; ++t) {
                    const size_t n = ns[t];
                    const double expo = l == 0 ? 1.2 : 2.0;
                    const double proj =
                        t == 0 ? NAN
                               : prev * pow((double)n / (double)ns[t - 1], expo);
                    const int skip = isfinite(proj) && proj > budget;
                    double m[16], wall[16], cpu[16];
                    char names[16][32];
                    size_t done = 0;
                    for (size_t r = 0; r < runs && !skip; ++r) {
                        if (run_once(n, &cfgs[c], alphas[a], lps[l], &wall[r],
                                     &cpu[r], m, 9, names)) {
                            status = 1;
                            break;
                        }
                        done++;
                        if (wall[r] > budget) break; /* one slow run is enough */
                    }
                    printf("{\"bench\":\"aggregative_routing\",\"game\":"
                           "\"routing\",\"solver\":\"aggregative-bi\","
                           "\"n\":%zu,\"m\":%zu,\"d\":%zu,\"lp\":\"%s\"",
                           n, cfgs[c].m, d, d > 1 ? "lp_solve" : lps[l]);
                    bench_jnum("alpha", alphas[a]);
                    if (!done) {
                        printf(",\"skipped\":true");
                        bench_jnum("projected_seconds", proj);
                        printf("}\n");
                        fprintf(csv, "%zu,%zu,%zu,%g,%s,1,,,,,,,,,%.6g\n", n,
                                cfgs[c].m, d, alphas[a],
                                d > 1 ? "lp_solve" : lps[l], proj);
                        prev = proj; /* project the next n from this one */
                        continue;
                    }
                    const double cpu_last = cpu[done - 1];
                    const double med = bench_median(wall, done);
                    prev = med;
                    printf(",\"skipped\":false,\"runs\":%zu", done);
                    bench_jnum("seconds", med);
                    bench_jnum("cpu_seconds", cpu_last);
                    for (size_t k = 0; k < 9; ++k) bench_jnum(names[k], m[k]);
                    printf("}\n");
                    fflush(stdout);
                    /* metric order: nash_gap bound welfare mean_value lps
                     * lp_seconds infeasible max_stage_gain max_slack */
                    fprintf(csv, "%zu,%zu,%zu,%g,%s,0,%.6g,%.6g,%.0f,%.6g,"
                                 "%.9g,%.9g,%.9g,%.0f,\n",
                            n, cfgs[c].m, d, alphas[a],
                            d > 1 ? "lp_solve" : lps[l], med, cpu_last, m[4],
                            m[5], m[0], m[1], m[2], m[6]);
                    fflush(csv);
                }
            }
    fclose(csv);
    return status;
}
