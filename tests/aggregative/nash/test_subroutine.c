/*
 * The Nash subroutine (ALGORITHMS.md §3) on hand-made instances with known
 * answers, against brute force (`auto` slack = the smallest candidate eta at
 * which an independently built LP is feasible somewhere; the welfare
 * objective = the best independent LP; the deviation gain recomputed from
 * scratch), rounding reproducibility, and the infeasible fallback.
 * Tolerances: 1e-12 for gains and aggregates, 1e-9 for LP objectives.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include "nashtest.h"

#include "solvers/aggregative/nash/nash_internal.h"

#include <stdio.h>

typedef struct out {
    size_t a[64];
    double x[8];
    marl_nash_result r;
} out;

static int solve(marl_nash_workspace *ws, marl_nash_problem *p, uint64_t seed,
                 out *o) {
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, seed), MARL_OK);
    memset(o, 0, sizeof *o);
    o->r.actions = o->a;
    o->r.x = o->x;
    int rc = marl_nash_solve(ws, p, rng, &o->r);
    marl_rng_free(rng);
    return rc;
}

static marl_nash_workspace *new_ws(const nt_inst *t) {
    marl_nash_workspace *ws = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(&ws, t->n, t->U, t->d, t->G),
                     MARL_OK);
    return ws;
}

/* Two agents, f = (0, 1), delta = 1/2, both strictly preferring action 1
 * (Q = (0, 1) everywhere), G grid points (set by the caller). */
static nt_inst *prefer_one(size_t G) {
    const size_t m[2] = {2, 2};
    nt_inst *t = nt_new(2, m, 1, G);
    const double f[4] = {0, 1, 0, 1}, b[4] = {0, 1, 0, 1};
    memcpy(t->f, f, sizeof f);
    memcpy(t->b, b, sizeof b);
    return t;
}

/* Two agents, f = (0, 1), delta = 1/2, grid {0, 0.5, 1}, alpha = 0.25;
 * both strictly prefer action 1 everywhere: eta = 0 is feasible only at
 * x̂ = 1, with the profile (1, 1). */
START_TEST(test_known_pure) {
    nt_inst *t = prefer_one(3);
    t->grid[0] = 0.0;
    t->grid[1] = 0.5;
    t->grid[2] = 1.0;
    t->alpha = 0.25;
    marl_nash_problem p;
    nt_problem(t, &p);
    marl_nash_workspace *ws = new_ws(t);
    for (int be = 0; be < 2; ++be) {
        p.lp_backend = be;
        out o;
        ck_assert_int_eq(solve(ws, &p, 1, &o), MARL_OK);
        ck_assert_int_eq(o.r.feasible, 1);
        ck_assert(o.r.slack == 0.0);
        ck_assert_uint_eq(o.r.grid_index, 2);
        ck_assert_uint_eq(o.a[0], 1);
        ck_assert_uint_eq(o.a[1], 1);
        ck_assert(o.x[0] == 1.0);
        ck_assert(o.r.gain == 0.0);
        ck_assert(o.r.violation == 0.0);
        ck_assert(o.r.objective == 0.0);
        ck_assert_uint_eq(o.r.n_lps, 1); /* d = 1: intervals, one LP */
    }
    /* a fixed slack of 1 allows both actions everywhere: every point is
     * feasible; the profile (1, 1) (gain 0) still wins, found first at
     * x̂ = 0.5 where the LP mixes and the rounding draws it, or at 1 */
    p.slack = 1.0;
    p.lp_backend = MARL_NASH_LP_STRUCTURED;
    out o;
    ck_assert_int_eq(solve(ws, &p, 1, &o), MARL_OK);
    ck_assert_int_eq(o.r.feasible, 1);
    ck_assert(o.r.slack == 1.0);
    ck_assert_uint_eq(o.r.n_lps, 3);
    ck_assert(o.r.gain == 0.0);
    ck_assert_uint_eq(o.a[0], 1);
    ck_assert_uint_eq(o.a[1], 1);
    marl_nash_workspace_free(ws);
    nt_free(t);
}
END_TEST

/* Welfare selection: three indifferent agents (Q = 0), f = (0, 1),
 * delta = 1/3, w_i = (0, i + 1), grid {0, 1/3, 2/3, 1}, alpha = 0.1,
 * c = (0, 0, 0, -10). LP optima: 0.9, 3.6, 5.3, 6 - 10 = -4: the point
 * x̂ = 2/3 wins with 5.3 (agents 1 and 2 play 1, agent 0 mixes 0.3). */
START_TEST(test_known_welfare) {
    const size_t m[3] = {2, 2, 2};
    nt_inst *t = nt_new(3, m, 1, 4);
    const double f[6] = {0, 1, 0, 1, 0, 1};
    memcpy(t->f, f, sizeof f);
    nt_set_welfare(t);
    for (size_t i = 0; i < 3; ++i) t->w[2 * i + 1] = (double)(i + 1);
    for (size_t g = 0; g < 4; ++g) t->grid[g] = (double)g / 3.0;
    t->c[3] = -10.0;
    t->alpha = 0.1;
    marl_nash_problem p;
    nt_problem(t, &p);
    marl_nash_workspace *ws = new_ws(t);
    for (int be = 0; be < 2; ++be) {
        p.lp_backend = be;
        out o;
        ck_assert_int_eq(solve(ws, &p, 5, &o), MARL_OK);
        ck_assert_int_eq(o.r.feasible, 1);
        ck_assert(o.r.slack == 0.0);
        ck_assert_uint_eq(o.r.grid_index, 2);
        ck_assert_double_eq_tol(o.r.objective, 5.3, 1e-9);
        ck_assert_uint_eq(o.a[1], 1);
        ck_assert_uint_eq(o.a[2], 1);
        ck_assert(o.r.gain == 0.0);
        ck_assert_uint_eq(o.r.n_lps, 4);
    }
    marl_nash_workspace_free(ws);
    nt_free(t);
}
END_TEST

typedef int (*feas_fn)(const nt_inst *t, size_t g,
                       const unsigned char *allowed);

/* Feasibility by an independent lp_solve model. */
static int feas_lp(const nt_inst *t, size_t g, const unsigned char *allowed) {
    double obj;
    const int st = nt_lp(t, g, allowed, NULL, &obj);
    ck_assert_int_ge(st, 0);
    return st == 1;
}

/* Feasibility by exact interval reasoning (d = 1): the reachable
 * aggregates are [delta sum min f, delta sum max f]. */
static int feas_interval(const nt_inst *t, size_t g,
                         const unsigned char *allowed) {
    double lo = 0.0, hi = 0.0;
    for (size_t i = 0; i < t->n; ++i) {
        double a = HUGE_VAL, b = -HUGE_VAL;
        for (size_t u = t->off[i]; u < t->off[i + 1]; ++u)
            if (allowed[u]) {
                a = fmin(a, t->f[u]);
                b = fmax(b, t->f[u]);
            }
        lo += a;
        hi += b;
    }
    return t->delta * lo <= t->grid[g] + t->alpha &&
           t->delta * hi >= t->grid[g] - t->alpha;
}

/* Brute force: candidates = every distinct gap at every point, ascending;
 * the first at which `feas` holds at some point. */
static double brute_eta(const nt_inst *t, feas_fn feas, double *max_gap) {
    double *gaps = malloc(t->G * t->U * sizeof *gaps);
    unsigned char allowed[512];
    for (size_t g = 0; g < t->G; ++g) nt_gaps(t, g, gaps + g * t->U);
    const size_t N = t->G * t->U;
    *max_gap = 0.0;
    for (size_t j = 0; j < N; ++j) *max_gap = fmax(*max_gap, gaps[j]);
    double eta = -1.0, found = HUGE_VAL;
    for (;;) { /* next larger candidate */
        double next = HUGE_VAL;
        for (size_t j = 0; j < N; ++j)
            if (gaps[j] > eta && gaps[j] < next) next = gaps[j];
        if (!isfinite(next)) break;
        eta = next;
        for (size_t g = 0; g < t->G && !isfinite(found); ++g) {
            nt_gaps(t, g, gaps + g * t->U);
            for (size_t u = 0; u < t->U; ++u)
                allowed[u] = gaps[g * t->U + u] <= eta;
            if (feas(t, g, allowed)) found = eta;
        }
        if (isfinite(found)) break;
    }
    free(gaps);
    return found;
}

/* Best welfare LP over the points feasible at eta, by independent LPs. */
static double brute_welfare(const nt_inst *t, double eta) {
    double gap[512], best = -HUGE_VAL;
    unsigned char allowed[512];
    for (size_t g = 0; g < t->G; ++g) {
        nt_gaps(t, g, gap);
        for (size_t u = 0; u < t->U; ++u) allowed[u] = gap[u] <= eta;
        double obj;
        if (nt_lp(t, g, allowed, t->w, &obj) == 1)
            best = fmax(best, obj + t->c[g]);
    }
    return best;
}

static int point_feasible(const nt_inst *t, size_t g, double eta) {
    double gap[512], obj;
    unsigned char allowed[512];
    nt_gaps(t, g, gap);
    for (size_t u = 0; u < t->U; ++u) allowed[u] = gap[u] <= eta;
    return nt_lp(t, g, allowed, NULL, &obj) == 1;
}

START_TEST(test_auto_bruteforce) {
    sm_rng r = {4242};
    size_t n_feasible = 0, n_infeasible = 0, n_positive = 0;
    for (unsigned k = 0; k < 480; ++k) {
        const size_t d = 1 + k % 2, n = 1 + k % 5, G = 2 + k % 5;
        nt_inst *t = nt_random(&r, n, 3, d, G, 0);
        if (k % 3 == 0) /* ties in Q: equal gaps, several zero gaps */
            for (size_t u = 0; u < t->U; ++u) {
                t->b[u] = floor(t->b[u] * 3.0) / 3.0;
                for (size_t c = 0; c < d; ++c) t->s[u * d + c] = 0.0;
            }
        if (k % 4 == 1) t->alpha *= 0.2; /* narrow bands */
        if (k % 2) {
            nt_set_welfare(t);
            for (size_t u = 0; u < t->U; ++u) t->w[u] = sm_unif(&r);
            for (size_t g = 0; g < G; ++g) t->c[g] = sm_unif(&r);
        }
        double max_gap;
        const double eta = brute_eta(t, feas_lp, &max_gap);
        marl_nash_problem p;
        nt_problem(t, &p);
        marl_nash_workspace *ws = new_ws(t);
        for (int be = 0; be < 2; ++be) {
            p.lp_backend = be;
            out o;
            ck_assert_int_eq(solve(ws, &p, k, &o), MARL_OK);
            if (!isfinite(eta)) {
                ck_assert_int_eq(o.r.feasible, 0);
                ck_assert(o.r.slack == max_gap);
                ck_assert(o.r.violation > 0.0);
            } else {
                ck_assert_msg(o.r.feasible && o.r.slack == eta,
                              "instance %u: slack %.17g, brute force %.17g",
                              k, o.r.slack, eta);
                ck_assert(point_feasible(t, o.r.grid_index, eta));
                if (t->w)
                    ck_assert_msg(fabs(o.r.objective - brute_welfare(t, eta))
                                      <= 1e-9,
                                  "instance %u: objective %.17g", k,
                                  o.r.objective);
            }
            /* the reported gain and aggregate, recomputed */
            ck_assert_double_eq_tol(o.r.gain, nt_gain(t, o.a), 1e-12);
            for (size_t c = 0; c < d; ++c) {
                double s = 0.0;
                for (size_t i = 0; i < n; ++i)
                    s += t->f[(t->off[i] + o.a[i]) * d + c];
                ck_assert_double_eq_tol(o.x[c], t->delta * s, 1e-12);
            }
            if (be == 0) {
                n_feasible += isfinite(eta) != 0;
                n_infeasible += !isfinite(eta);
                n_positive += isfinite(eta) && eta > 0.0;
            }
        }
        marl_nash_workspace_free(ws);
        nt_free(t);
    }
    ck_assert_uint_gt(n_positive, 30);
    ck_assert_uint_gt(n_infeasible, 5);
    ck_assert_uint_gt(n_feasible, 200);
}
END_TEST

/* d = 1 with coarse contributions and Q (ties everywhere, aggregates on
 * band edges): `auto` slack against exact interval reasoning. */
START_TEST(test_auto_interval) {
    sm_rng r = {8080};
    size_t n_positive = 0;
    for (unsigned k = 0; k < 400; ++k) {
        nt_inst *t = nt_random(&r, 1 + k % 6, 4, 1, 2 + k % 6, 1);
        if (k % 2) t->alpha = 0.5 / (double)t->n; /* edges on aggregates */
        double max_gap;
        const double eta = brute_eta(t, feas_interval, &max_gap);
        marl_nash_problem p;
        nt_problem(t, &p);
        marl_nash_workspace *ws = new_ws(t);
        for (int be = 0; be < 2; ++be) {
            p.lp_backend = be;
            out o;
            ck_assert_int_eq(solve(ws, &p, k, &o), MARL_OK);
            ck_assert_int_eq(o.r.feasible, isfinite(eta) != 0);
            ck_assert_msg(o.r.slack == (isfinite(eta) ? eta : max_gap),
                          "instance %u: slack %.17g, brute force %.17g", k,
                          o.r.slack, eta);
            if (isfinite(eta)) {
                double gap[512];
                unsigned char allowed[512];
                nt_gaps(t, o.r.grid_index, gap);
                for (size_t u = 0; u < t->U; ++u) allowed[u] = gap[u] <= eta;
                ck_assert(feas_interval(t, o.r.grid_index, allowed));
            }
            ck_assert_double_eq_tol(o.r.gain, nt_gain(t, o.a), 1e-12);
        }
        n_positive += isfinite(eta) && eta > 0.0;
        marl_nash_workspace_free(ws);
        nt_free(t);
    }
    ck_assert_uint_gt(n_positive, 30);
}
END_TEST

/* Fixed slack: feasible iff an independent LP is feasible at some point. */
START_TEST(test_fixed_slack) {
    sm_rng r = {99};
    for (unsigned k = 0; k < 120; ++k) {
        const size_t d = 1 + k % 2, n = 2 + k % 4, G = 3 + k % 3;
        nt_inst *t = nt_random(&r, n, 3, d, G, 0);
        marl_nash_problem p;
        nt_problem(t, &p);
        p.slack = 0.3 * sm_unif(&r);
        int any = 0;
        for (size_t g = 0; g < G; ++g) any |= point_feasible(t, g, p.slack);
        marl_nash_workspace *ws = new_ws(t);
        out o;
        ck_assert_int_eq(solve(ws, &p, k, &o), MARL_OK);
        ck_assert_int_eq(o.r.feasible, any);
        ck_assert(o.r.slack == p.slack);
        if (any) ck_assert(point_feasible(t, o.r.grid_index, p.slack));
        ck_assert_double_eq_tol(o.r.gain, nt_gain(t, o.a), 1e-12);
        marl_nash_workspace_free(ws);
        nt_free(t);
    }
}
END_TEST

/* Two agents at x̂ = 0.5 indifferent between f = 0 and f = 1 (delta 1/2):
 * the LP mixes one agent 50/50, so the rounding decides. */
static nt_inst *mixing_instance(void) {
    const size_t m[2] = {2, 2};
    nt_inst *t = nt_new(2, m, 1, 1);
    const double f[4] = {0, 1, 0, 1};
    memcpy(t->f, f, sizeof f);
    t->grid[0] = 0.5;
    t->alpha = 0.25;
    /* Q(1, x) = 1 - 2x, Q(0, x) = 0: indifferent at x = 0.5 */
    t->b[1] = t->b[3] = 1.0;
    t->s[1] = t->s[3] = -2.0;
    return t;
}

START_TEST(test_rounding_seed) {
    nt_inst *t = mixing_instance();
    marl_nash_problem p;
    nt_problem(t, &p);
    p.rounds = 1;
    marl_nash_workspace *ws = new_ws(t);
    int seen[4] = {0};
    for (uint64_t seed = 0; seed < 24; ++seed) {
        out o1, o2;
        ck_assert_int_eq(solve(ws, &p, seed, &o1), MARL_OK);
        ck_assert_int_eq(solve(ws, &p, seed, &o2), MARL_OK);
        ck_assert(!memcmp(o1.a, o2.a, sizeof o1.a));
        ck_assert(o1.x[0] == o2.x[0] && o1.r.gain == o2.r.gain);
        ck_assert_uint_eq(o1.r.grid_index, o2.r.grid_index);
        seen[o1.a[0] * 2 + o1.a[1]] = 1;
        /* (0, 0) at x = 0 and (1, 0) at x = 0.5 are both exact equilibria */
        ck_assert(o1.r.gain == 0.0);
        ck_assert_double_eq_tol(o1.r.gain, nt_gain(t, o1.a), 1e-15);
    }
    ck_assert(seen[0] && seen[2]); /* different seeds, different profiles */
    marl_nash_workspace_free(ws);
    nt_free(t);
}
END_TEST

START_TEST(test_gain_bruteforce) {
    sm_rng r = {31337};
    for (unsigned k = 0; k < 300; ++k) {
        const size_t d = 1 + k % 3, n = 1 + k % 6;
        nt_inst *t = nt_random(&r, n, 4, d, 2, k % 2);
        t->delta = 0.1 + sm_unif(&r);
        marl_nash_problem p;
        nt_problem(t, &p);
        size_t a[64];
        double x[8], xd[8], g1, g2;
        for (size_t i = 0; i < n; ++i)
            a[i] = (size_t)(sm_unif(&r) * (double)t->m[i]);
        marl_nash_aggregate(&p, a, x);
        int done;
        ck_assert_int_eq(marl_nash_gain(&p, a, x, HUGE_VAL, xd, &g1, &done),
                         MARL_OK);
        ck_assert_int_eq(done, 1);
        ck_assert_double_eq_tol(g1, nt_gain(t, a), 1e-12);
        /* a bound below the gain stops early with a value above it */
        if (g1 > 0.0) {
            ck_assert_int_eq(marl_nash_gain(&p, a, x, 0.5 * g1, xd, &g2,
                                            &done), MARL_OK);
            ck_assert_int_eq(done, 0);
            ck_assert(g2 > 0.5 * g1 && g2 <= g1);
        }
        nt_free(t);
    }
}
END_TEST

/* No feasible point: the least-violating one, flagged. */
START_TEST(test_infeasible) {
    nt_inst *t = prefer_one(2);
    t->grid[0] = 0.0;
    t->grid[1] = 0.25;
    t->alpha = 0.1;
    marl_nash_problem p;
    nt_problem(t, &p);
    marl_nash_workspace *ws = new_ws(t);
    /* slack 0: BA = {1}, x = 1; violations 0.9 and 0.65 */
    p.slack = 0.0;
    for (int be = 0; be < 2; ++be) {
        p.lp_backend = be;
        out o;
        ck_assert_int_eq(solve(ws, &p, 3, &o), MARL_OK);
        ck_assert_int_eq(o.r.feasible, 0);
        ck_assert_uint_eq(o.r.grid_index, 1);
        ck_assert_double_eq_tol(o.r.violation, 0.65, 1e-15);
        ck_assert_uint_eq(o.a[0], 1);
        ck_assert_uint_eq(o.a[1], 1);
        ck_assert(o.x[0] == 1.0);
        ck_assert_uint_eq(o.r.n_lps, 0);
    }
    /* auto, grid {2, 3}: unreachable even with every action allowed
     * (x <= 1): slack = the largest gap (1), the lowest point, x = 1 */
    t->grid[0] = 2.0;
    t->grid[1] = 3.0;
    p.slack = -1.0;
    out o;
    ck_assert_int_eq(solve(ws, &p, 3, &o), MARL_OK);
    ck_assert_int_eq(o.r.feasible, 0);
    ck_assert(o.r.slack == 1.0);
    ck_assert_uint_eq(o.r.grid_index, 0);
    ck_assert_double_eq_tol(o.r.violation, 0.9, 1e-15);
    ck_assert_uint_eq(o.a[0], 1);
    ck_assert_uint_eq(o.a[1], 1);
    marl_nash_workspace_free(ws);
    nt_free(t);
}
END_TEST

/* d = 2, every coordinate interval meets its band but no joint point does:
 * one agent, f = (0,0) or (1,1), band [0.9,1.1] x [-0.1,0.1]; the least L1
 * violation is 0.8 (any x = (s, s), s in [0.1, 0.9]). */
START_TEST(test_infeasible_d2) {
    const size_t m[1] = {2};
    nt_inst *t = nt_new(1, m, 2, 2);
    const double f[4] = {0, 0, 1, 1};
    memcpy(t->f, f, sizeof f);
    t->delta = 1.0;
    t->grid[0] = 1.0;
    t->grid[1] = 0.0;
    t->grid[2] = 5.0; /* second point: far away */
    t->grid[3] = 5.0;
    t->alpha = 0.1;
    t->b[0] = 0.5; /* the agent prefers (0,0) slightly */
    marl_nash_problem p;
    nt_problem(t, &p);
    marl_nash_workspace *ws = new_ws(t);
    for (int be = 0; be < 2; ++be) {
        p.lp_backend = be;
        out o;
        ck_assert_int_eq(solve(ws, &p, 3, &o), MARL_OK);
        ck_assert_int_eq(o.r.feasible, 0);
        ck_assert_uint_eq(o.r.grid_index, 0);
        ck_assert_double_eq_tol(o.r.violation, 0.8, 1e-9);
        ck_assert(o.r.slack == 0.5);
        ck_assert_uint_ge(o.r.n_lps, 2); /* feasibility LP + violation LP */
    }
    marl_nash_workspace_free(ws);
    nt_free(t);
}
END_TEST

/* The backends give the same subroutine result on d = 1 welfare instances
 * (unique optima: real weights). */
START_TEST(test_backends_agree) {
    sm_rng r = {555};
    for (unsigned k = 0; k < 150; ++k) {
        nt_inst *t = nt_random(&r, 2 + k % 7, 4, 1, 3 + k % 4, 0);
        nt_set_welfare(t);
        for (size_t u = 0; u < t->U; ++u) t->w[u] = sm_unif(&r);
        marl_nash_problem p;
        nt_problem(t, &p);
        marl_nash_workspace *ws = new_ws(t);
        out o[2];
        for (int be = 0; be < 2; ++be) {
            p.lp_backend = be;
            ck_assert_int_eq(solve(ws, &p, 8, &o[be]), MARL_OK);
        }
        ck_assert_int_eq(o[0].r.feasible, o[1].r.feasible);
        ck_assert(o[0].r.slack == o[1].r.slack);
        ck_assert_double_eq_tol(o[0].r.objective, o[1].r.objective, 1e-9);
        ck_assert_uint_eq(o[0].r.grid_index, o[1].r.grid_index);
        marl_nash_workspace_free(ws);
        nt_free(t);
    }
}
END_TEST

/* One workspace across instances of different contributions, sizes and
 * dimensions (the lp_solve model is kept or rebuilt) gives the results of
 * fresh workspaces. */
START_TEST(test_workspace_reuse) {
    sm_rng r = {2024};
    marl_nash_workspace *big = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(&big, 8, 32, 2, 8), MARL_OK);
    for (unsigned k = 0; k < 60; ++k) {
        const size_t d = 1 + (k / 2) % 2;
        nt_inst *t = nt_random(&r, 2 + k % 6, 4, d, 3 + k % 5, k % 3 == 0);
        nt_set_welfare(t);
        for (size_t u = 0; u < t->U; ++u) t->w[u] = sm_unif(&r);
        marl_nash_problem p;
        nt_problem(t, &p);
        p.lp_backend = MARL_NASH_LP_SOLVE;
        for (int rep = 0; rep < 3; ++rep) {
            /* rep 1: same shape, new contributions (model rebuilt);
             * rep 2: the same again (model kept) */
            if (rep == 1)
                for (size_t j = 0; j < t->U * d; ++j) t->f[j] = sm_unif(&r);
            marl_nash_workspace *fresh = new_ws(t);
            out a, b;
            ck_assert_int_eq(solve(big, &p, k, &a), MARL_OK);
            ck_assert_int_eq(solve(fresh, &p, k, &b), MARL_OK);
            ck_assert_int_eq(a.r.feasible, b.r.feasible);
            ck_assert(a.r.slack == b.r.slack);
            ck_assert_uint_eq(a.r.grid_index, b.r.grid_index);
            ck_assert_double_eq_tol(a.r.objective, b.r.objective, 1e-9);
            ck_assert_double_eq_tol(a.r.violation, b.r.violation, 1e-9);
            marl_nash_workspace_free(fresh);
        }
        nt_free(t);
    }
    marl_nash_workspace_free(big);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("nash-subroutine");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_known_pure);
    tcase_add_test(tc, test_known_welfare);
    tcase_add_test(tc, test_auto_bruteforce);
    tcase_add_test(tc, test_auto_interval);
    tcase_add_test(tc, test_fixed_slack);
    tcase_add_test(tc, test_rounding_seed);
    tcase_add_test(tc, test_gain_bruteforce);
    tcase_add_test(tc, test_infeasible);
    tcase_add_test(tc, test_infeasible_d2);
    tcase_add_test(tc, test_backends_agree);
    tcase_add_test(tc, test_workspace_reuse);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
