/*
 * Micro-benchmark of the Nash-subroutine LP backends (docs/aggregative-nash.md,
 * BENCHMARKS.md "lp_solve 5.5.2.5"): one LP of n agents, m actions, d
 * ranged aggregate rows, random contributions f in [0,1]^d, delta = 1/n,
 * random welfare weights (objective binding: the band, of half-width 0.05,
 * sits away from the unconstrained optimum), 80% of the actions allowed.
 *
 * LP times are CPU seconds of the process (the machine may be shared);
 * nash_subroutine rows give wall and CPU time.
 * For each (backend, n, m, d) it prints one JSON line with
 *   first_seconds  the first LP on a fresh workspace (lp_solve: model build +
 *                  solve, the quantity of BENCHMARKS.md's table),
 *   seconds        median per-LP time of the following LPs, each with a new
 *                  allowed set and band (lp_solve: bounds and ranges changed
 *                  on the kept model),
 *   max_rel_diff   (structured rows) the largest |obj - obj_lp_solve| /
 *                  (1 + |obj|) over the instances both backends solved.
 * First, the whole subroutine (nash_subroutine rows): 18 calls on a
 * routing-like d = 1 instance with 41 grid points, n = 1000 and 10000
 * (structured) and n = 1000 (lp_solve): the subroutine share of one Aggre-BI
 * run of the speed goals.
 * Usage: nash_lp [--quick] [--subroutine] [--reps K] [--budget SECONDS]
 * (--subroutine: only the nash_subroutine rows)
 * (--quick: n <= 1000; --budget: time per lp_solve configuration, default
 * 20 s; lp_solve at n = 10000 runs a single LP per configuration, whose
 * time is both first_seconds and seconds; the agreement check replays up to
 * 20 / 5 / 1 (m = 3 only) structured instances with lp_solve for
 * n = 100 / 1000 / 10000).
 * SPDX-License-Identifier: MIT
 */
#include "../bench_util.h"

#include "solvers/aggregative/nash/nash_internal.h"

#include <string.h>

typedef struct lpi {
    size_t n, m, d, U;
    size_t *mm, *off;
    double *f, *v, lo[3], hi[3];
    unsigned char *allowed;
} lpi;

static uint64_t sm_state = 12345;
static double unif(void) {
    uint64_t z = (sm_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

static int lpi_new(lpi *I, size_t n, size_t m, size_t d) {
    I->n = n;
    I->m = m;
    I->d = d;
    I->U = n * m;
    I->mm = malloc(n * sizeof *I->mm);
    I->off = malloc((n + 1) * sizeof *I->off);
    I->f = malloc(I->U * d * sizeof *I->f);
    I->v = malloc(I->U * sizeof *I->v);
    I->allowed = malloc(I->U);
    if (!I->mm || !I->off || !I->f || !I->v || !I->allowed) return 1;
    I->off[0] = 0;
    for (size_t i = 0; i < n; ++i) {
        I->mm[i] = m;
        I->off[i + 1] = I->off[i] + m;
    }
    for (size_t j = 0; j < I->U * d; ++j) I->f[j] = unif();
    return 0;
}

/* New weights, allowed set and band: the band of half-width 0.05 around a
 * point between the reachable minimum and the weighted optimum. */
static void lpi_draw(lpi *I) {
    for (size_t u = 0; u < I->U; ++u) {
        I->v[u] = unif();
        I->allowed[u] = unif() < 0.8;
    }
    for (size_t i = 0; i < I->n; ++i)
        I->allowed[I->off[i] + (size_t)(unif() * (double)I->m)] = 1;
    for (size_t k = 0; k < I->d; ++k) {
        double smin = 0.0, sbest = 0.0;
        for (size_t i = 0; i < I->n; ++i) {
            double fmin = 1e300, vbest = -1e300, fbest = 0.0;
            for (size_t u = I->off[i]; u < I->off[i + 1]; ++u) {
                if (!I->allowed[u]) continue;
                const double fu = I->f[u * I->d + k];
                if (fu < fmin) fmin = fu;
                if (I->v[u] > vbest) {
                    vbest = I->v[u];
                    fbest = fu;
                }
            }
            smin += fmin;
            sbest += fbest;
        }
        const double c = (0.5 * smin + 0.5 * sbest) / (double)I->n;
        I->lo[k] = c - 0.05;
        I->hi[k] = c + 0.05;
    }
}

static void lpi_free(lpi *I) {
    free(I->mm);
    free(I->off);
    free(I->f);
    free(I->v);
    free(I->allowed);
}

static void to_in(const lpi *I, marl_nash_lp_in *in) {
    in->n = I->n;
    in->m = I->mm;
    in->off = I->off;
    in->d = I->d;
    in->f = I->f;
    in->delta = 1.0 / (double)I->n;
    in->allowed = I->allowed;
    in->lo = I->lo;
    in->hi = I->hi;
    in->v = I->v;
}

/* ---- the whole subroutine on a routing-like d = 1 instance -------------
 * n drivers, 2 routes, f_i(0) = 1, f_i(1) = 0, delta = 1/n, x = share on
 * route 0; Q_i(0, x) = b_i0 - 1.1 x, Q_i(1, x) = b_i1 - (1 - x), b ~ U[0,
 * 0.5]; grid alpha Z in [-1, 1] with alpha = 0.05 (41 points); `auto`
 * slack, no welfare weights, 4 rounds: the shape of one Aggre-BI call of
 * bench/aggregative (whose callbacks also add the continuation values). */
typedef struct route {
    size_t n;
    double *b;
    double grid[41];
} route;

static int route_q_grid(void *user, size_t g, double *Q) {
    const route *r = user;
    const double x = r->grid[g];
    for (size_t i = 0; i < r->n; ++i) {
        Q[2 * i] = r->b[2 * i] - 1.1 * x;
        Q[2 * i + 1] = r->b[2 * i + 1] - (1.0 - x);
    }
    return 0;
}

static int route_q_at(void *user, size_t agent, size_t a, const double *x,
                      double *q) {
    const route *r = user;
    *q = a == 0 ? r->b[2 * agent] - 1.1 * x[0]
                : r->b[2 * agent + 1] - (1.0 - x[0]);
    return 0;
}

static int bench_subroutine(size_t n, int backend, size_t calls) {
    route r = {n, malloc(2 * n * sizeof(double)), {0}};
    size_t *m = malloc(n * sizeof *m), *off = malloc((n + 1) * sizeof *off);
    double *f = malloc(2 * n * sizeof *f);
    size_t *act = malloc(n * sizeof *act);
    if (!r.b || !m || !off || !f || !act) return 1;
    sm_state = 777 + n;
    off[0] = 0;
    for (size_t i = 0; i < n; ++i) {
        m[i] = 2;
        off[i + 1] = off[i] + 2;
        f[2 * i] = 1.0;
        f[2 * i + 1] = 0.0;
        r.b[2 * i] = 0.5 * unif();
        r.b[2 * i + 1] = 0.5 * unif();
    }
    for (size_t g = 0; g < 41; ++g) r.grid[g] = -1.0 + 0.05 * (double)g;
    marl_nash_problem p = {n, m, off, 1, f, 1.0 / (double)n, 0.05, 41,
                           r.grid, NULL, NULL, -1.0, 4, backend,
                           route_q_grid, route_q_at, &r};
    marl_nash_workspace *ws = NULL;
    marl_rng *rng = NULL;
    if (marl_nash_workspace_new(&ws, n, 2 * n, 1, 41) ||
        marl_rng_new(&rng, 1))
        return 1;
    double x[1], lp_s = 0.0, gain = 0.0;
    size_t lps = 0;
    marl_nash_result res = {act, x, 0, 0, 0, 0, 0, 0, 0, 0};
    const double t0 = bench_now(CLOCK_MONOTONIC);
    const double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
    for (size_t c = 0; c < calls; ++c) {
        if (marl_nash_solve(ws, &p, rng, &res)) return 1;
        lps += res.n_lps;
        lp_s += res.lp_seconds;
        gain = fmax(gain, res.gain);
    }
    const double dt = bench_now(CLOCK_MONOTONIC) - t0;
    const double dc = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("{\"bench\":\"nash_subroutine\",\"backend\":\"%s\",\"n\":%zu,"
           "\"m\":2,\"d\":1,\"grid\":41,\"calls\":%zu,\"lps\":%zu",
           backend ? "structured" : "lp_solve", n, calls, lps);
    bench_jnum("seconds", dt);
    bench_jnum("cpu_seconds", dc);
    bench_jnum("lp_seconds", lp_s);
    bench_jnum("slack", res.slack);
    bench_jnum("max_gain", gain);
    printf("}\n");
    fflush(stdout);
    marl_rng_free(rng);
    marl_nash_workspace_free(ws);
    free(r.b);
    free(m);
    free(off);
    free(f);
    free(act);
    return 0;
}

int main(int argc, char **argv) {
    int quick = 0, only_sub = 0;
    size_t reps = 50;
    double budget = 20.0;
    for (int a = 1; a < argc; ++a) {
        if (!strcmp(argv[a], "--quick"))
            quick = 1;
        else if (!strcmp(argv[a], "--subroutine"))
            only_sub = 1;
        else if (!strcmp(argv[a], "--reps") && a + 1 < argc)
            reps = (size_t)strtoul(argv[++a], NULL, 10);
        else if (!strcmp(argv[a], "--budget") && a + 1 < argc)
            budget = strtod(argv[++a], NULL);
        else {
            fprintf(stderr, "usage: %s [--quick] [--subroutine] [--reps K] "
                    "[--budget S]\n", argv[0]);
            return 2;
        }
    }
    if (reps < 2) reps = 2;
    /* 18 calls = one Aggre-BI run with |S| = 3, H = 6 */
    if (bench_subroutine(1000, MARL_NASH_LP_STRUCTURED, 18) ||
        bench_subroutine(10000, MARL_NASH_LP_STRUCTURED, 18) ||
        bench_subroutine(1000, MARL_NASH_LP_SOLVE, 18))
        return 1;
    if (only_sub) return 0;
    const size_t ns[3] = {100, 1000, 10000}, ms[2] = {3, 10}, ds[2] = {1, 3};
    double *times = malloc(reps * sizeof *times);
    double *objs = malloc(reps * sizeof *objs);
    for (size_t in_ = 0; in_ < (quick ? 2u : 3u); ++in_)
        for (size_t im = 0; im < 2; ++im)
            for (size_t id = 0; id < 2; ++id) {
                const size_t n = ns[in_], m = ms[im], d = ds[id];
                for (int be = 1; be >= 0; --be) {
                    if (be == MARL_NASH_LP_STRUCTURED && d != 1) continue;
                    lpi I;
                    sm_state = 1000 * n + 10 * m + d; /* same LPs per backend */
                    if (lpi_new(&I, n, m, d)) return 1;
                    marl_nash_workspace *ws = NULL;
                    if (marl_nash_workspace_new(&ws, n, I.U, d, 1)) return 1;
                    marl_nash_lp_in in;
                    to_in(&I, &in);
                    double *p = malloc(I.U * sizeof *p);
                    double first = 0.0, spent = 0.0, maxdiff = 0.0;
                    size_t k = 0, solved = 0;
                    for (; k < reps; ++k) {
                        lpi_draw(&I);
                        double obj = 0.0;
                        int st;
                        const double t0 =
                            bench_now(CLOCK_PROCESS_CPUTIME_ID);
                        if (marl_nash_lp(ws, be, &in, p, &obj, &st)) return 1;
                        const double dt =
                            bench_now(CLOCK_PROCESS_CPUTIME_ID) - t0;
                        if (k == 0)
                            first = dt;
                        else
                            times[k - 1] = dt;
                        objs[k] = st == MARL_NASH_FEASIBLE ? obj : NAN;
                        solved += st == MARL_NASH_FEASIBLE;
                        spent += dt;
                        if (be == MARL_NASH_LP_SOLVE && k >= 1 &&
                            spent > budget)
                            break;
                        if (be == MARL_NASH_LP_SOLVE && n >= 10000) break;
                    }
                    const size_t done = k < reps ? k + 1 : reps;
                    if (be == MARL_NASH_LP_STRUCTURED) {
                        /* replay the same instances with lp_solve */
                        sm_state = 1000 * n + 10 * m + d;
                        lpi_free(&I);
                        if (lpi_new(&I, n, m, d)) return 1;
                        to_in(&I, &in);
                        const size_t check =
                            n >= 10000 ? (m <= 3) : n >= 1000 ? 5 : 20;
                        for (size_t r = 0; r < done && r < check; ++r) {
                            lpi_draw(&I);
                            double obj = 0.0;
                            int st;
                            if (marl_nash_lp(ws, MARL_NASH_LP_SOLVE, &in, p,
                                             &obj, &st))
                                return 1;
                            if (st == MARL_NASH_FEASIBLE && isfinite(objs[r])) {
                                const double dd =
                                    fabs(obj - objs[r]) / (1.0 + fabs(obj));
                                if (dd > maxdiff) maxdiff = dd;
                            }
                        }
                    }
                    const double med = done > 1 ? bench_median(times, done - 1)
                                                : first;
                    printf("{\"bench\":\"nash_lp\",\"backend\":\"%s\","
                           "\"n\":%zu,\"m\":%zu,\"d\":%zu,\"lps\":%zu,"
                           "\"feasible\":%zu",
                           be ? "structured" : "lp_solve", n, m, d, done,
                           solved);
                    bench_jnum("first_seconds", first);
                    bench_jnum("seconds", med);
                    if (be == MARL_NASH_LP_STRUCTURED)
                        bench_jnum("max_rel_diff", maxdiff);
                    printf("}\n");
                    fflush(stdout);
                    free(p);
                    marl_nash_workspace_free(ws);
                    lpi_free(&I);
                }
            }
    free(times);
    free(objs);
    return 0;
}
