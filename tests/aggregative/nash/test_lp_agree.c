/*
 * The two LP backends of the Nash subroutine agree: on thousands of random
 * d = 1 instances (ties in objective and contribution, equal contributions,
 * infeasible and zero-width bands, single-action agents, restricted action
 * sets, w = 0) `structured` and `lp_solve` give the same status and the same
 * optimal objective to 1e-9; the structured solution is feasible to 1e-9
 * and has at most one mixing agent, over two actions. lp_solve is also
 * checked against a fresh, independently built lp_solve model, and the
 * structured backend against exhaustive enumeration on tiny instances.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include "splitmix.h"

#include "solvers/aggregative/nash/nash_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NMAX 40
#define MMAX 6
#define UMAX (NMAX * MMAX)

typedef struct inst {
    size_t n, m[NMAX], off[NMAX + 1];
    double f[UMAX], v[UMAX], lo, hi, delta;
    unsigned char allowed[UMAX];
    int has_v;
} inst;

static double pick(sm_rng *r, int coarse, double scale) {
    return coarse ? floor(sm_unif(r) * 4.0) * scale : sm_unif(r) * 4 * scale;
}

/* Random instance of variant k (mixes the special cases). */
static void random_inst(sm_rng *r, inst *I, unsigned k) {
    const int coarse = k % 3 != 0, single = k % 7 == 0;
    const int equal_f = k % 11 == 0, flat_v = k % 13 == 0;
    I->n = 1 + (size_t)(sm_unif(r) * (k % 5 == 0 ? NMAX : 8));
    I->off[0] = 0;
    for (size_t i = 0; i < I->n; ++i) {
        I->m[i] = single && i % 2 ? 1 : 1 + (size_t)(sm_unif(r) * MMAX);
        I->off[i + 1] = I->off[i] + I->m[i];
    }
    const size_t U = I->off[I->n];
    I->has_v = k % 4 != 0;
    I->delta = k % 2 ? 1.0 / (double)I->n : 0.5 + sm_unif(r);
    for (size_t u = 0; u < U; ++u) {
        I->f[u] = equal_f ? 1.0 : pick(r, coarse, 0.5) - 0.5;
        I->v[u] = flat_v ? 0.25 : pick(r, coarse, 1.0);
        I->allowed[u] = sm_unif(r) < 0.75;
    }
    for (size_t i = 0; i < I->n; ++i) /* every agent keeps one action */
        I->allowed[I->off[i] + (size_t)(sm_unif(r) * I->m[i])] = 1;
    /* band around the reachable interval (sometimes outside it) */
    double L = 0.0, H = 0.0;
    for (size_t i = 0; i < I->n; ++i) {
        double a = HUGE_VAL, b = -HUGE_VAL;
        for (size_t u = I->off[i]; u < I->off[i + 1]; ++u)
            if (I->allowed[u]) {
                a = fmin(a, I->f[u]);
                b = fmax(b, I->f[u]);
            }
        L += a;
        H += b;
    }
    L *= I->delta;
    H *= I->delta;
    const double span = H - L + 0.1;
    const double c = L - 0.3 * span + 1.6 * span * sm_unif(r);
    const double hw = k % 9 == 0 ? 0.0 : 0.3 * span * sm_unif(r);
    I->lo = c - hw;
    I->hi = c + hw;
    if (k % 17 == 0) { /* band edge exactly at the interval's end */
        I->lo = H;
        I->hi = H + 1.0;
    }
}

static void to_in(const inst *I, marl_nash_lp_in *in) {
    in->n = I->n;
    in->m = I->m;
    in->off = I->off;
    in->d = 1;
    in->f = I->f;
    in->delta = I->delta;
    in->allowed = I->allowed;
    in->lo = &I->lo;
    in->hi = &I->hi;
    in->v = I->has_v ? I->v : NULL;
}

/* Feasibility of a solution to tol; returns the number of mixing agents
 * and stores the largest support size. */
static size_t check_solution(const inst *I, const double *p, double tol,
                             size_t *max_support) {
    size_t mixing = 0;
    *max_support = 0;
    double s = 0.0;
    for (size_t i = 0; i < I->n; ++i) {
        double row = 0.0;
        size_t support = 0;
        for (size_t u = I->off[i]; u < I->off[i + 1]; ++u) {
            ck_assert(p[u] >= 0.0);
            if (!I->allowed[u]) ck_assert(p[u] == 0.0);
            if (p[u] > 0.0) ++support;
            row += p[u];
            s += I->f[u] * p[u];
        }
        ck_assert_msg(fabs(row - 1.0) <= 1e-12, "agent %zu: sum %g", i, row);
        if (support > 1) ++mixing;
        if (support > *max_support) *max_support = support;
    }
    const double x = I->delta * s;
    ck_assert_msg(x >= I->lo - tol && x <= I->hi + tol,
                  "aggregate %.17g outside [%.17g, %.17g]", x, I->lo, I->hi);
    return mixing;
}

/* Independent model: built from scratch with core/lp.h. */
static int fresh_lp(const inst *I, double *obj) {
    const size_t U = I->off[I->n];
    marl_lp *lp = NULL;
    ck_assert_int_eq(marl_lp_new(&lp, U), MARL_OK);
    size_t cols[UMAX];
    double vals[UMAX], zero[UMAX] = {0};
    for (size_t i = 0; i < I->n; ++i) {
        for (size_t a = 0; a < I->m[i]; ++a) {
            cols[a] = I->off[i] + a;
            vals[a] = 1.0;
        }
        ck_assert_int_eq(marl_lp_add_row(lp, I->m[i], cols, vals, 1, 1, NULL),
                         MARL_OK);
    }
    for (size_t u = 0; u < U; ++u) {
        cols[u] = u;
        vals[u] = I->delta * I->f[u];
        if (!I->allowed[u]) marl_lp_set_col_bounds(lp, u, 0.0, 0.0);
    }
    ck_assert_int_eq(marl_lp_add_row(lp, U, cols, vals, I->lo, I->hi, NULL),
                     MARL_OK);
    marl_lp_set_objective(lp, I->has_v ? I->v : zero, MARL_LP_MAXIMIZE);
    int st;
    ck_assert_int_eq(marl_lp_solve(lp, &st), MARL_OK);
    if (st == MARL_LP_OPTIMAL) marl_lp_objective_value(lp, obj);
    marl_lp_free(lp);
    ck_assert(st == MARL_LP_OPTIMAL || st == MARL_LP_INFEASIBLE);
    return st == MARL_LP_OPTIMAL;
}

START_TEST(test_agreement) {
    marl_nash_workspace *ws = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(&ws, NMAX, UMAX, 1, 1), MARL_OK);
    sm_rng r = {20261122};
    double p1[UMAX], p2[UMAX];
    size_t n_feas = 0, n_infeas = 0, n_mixed = 0;
    for (unsigned k = 0; k < 4000; ++k) {
        inst I;
        random_inst(&r, &I, k);
        marl_nash_lp_in in;
        to_in(&I, &in);
        double o1 = NAN, o2 = NAN, o3 = NAN;
        int s1, s2;
        ck_assert_int_eq(marl_nash_lp(ws, MARL_NASH_LP_STRUCTURED, &in, p1,
                                      &o1, &s1), MARL_OK);
        ck_assert_int_eq(marl_nash_lp(ws, MARL_NASH_LP_SOLVE, &in, p2, &o2,
                                      &s2), MARL_OK);
        ck_assert_msg(s1 == s2, "instance %u: status %d vs %d", k, s1, s2);
        const int s3 = fresh_lp(&I, &o3);
        ck_assert_int_eq(s3, s1 == MARL_NASH_FEASIBLE);
        if (s1 != MARL_NASH_FEASIBLE) {
            ++n_infeas;
            continue;
        }
        ++n_feas;
        const double tol = 1e-9 * (1.0 + fabs(o2));
        ck_assert_msg(fabs(o1 - o2) <= tol, "instance %u: structured %.17g, "
                      "lp_solve %.17g", k, o1, o2);
        ck_assert_msg(fabs(o1 - o3) <= tol, "instance %u: structured %.17g, "
                      "fresh lp_solve %.17g", k, o1, o3);
        size_t support;
        const size_t mixing = check_solution(&I, p1, 1e-9, &support);
        ck_assert_msg(mixing <= 1 && support <= 2, "instance %u: %zu mixing "
                      "agents, support %zu", k, mixing, support);
        n_mixed += mixing;
        check_solution(&I, p2, 1e-7, &support);
        if (!I.has_v) ck_assert(o1 == 0.0);
    }
    ck_assert_uint_eq(ws->n_lps, 8000);
    /* every case is exercised */
    ck_assert_uint_gt(n_feas, 1500);
    ck_assert_uint_gt(n_infeas, 300);
    ck_assert_uint_gt(n_mixed, 300);
    marl_nash_workspace_free(ws);
}
END_TEST

/* Exhaustive check on tiny instances: the LP optimum is attained at a
 * vertex with at most one agent mixing over two actions, so the maximum over
 * (pure profiles within the band) and (one agent mixing two actions, the
 * mixing weight solving the band's binding edge) is the optimum. */
static double enumerate(const inst *I, int *feasible) {
    const size_t n = I->n;
    size_t a[8] = {0};
    double best = -HUGE_VAL;
    *feasible = 0;
    for (;;) {
        double F = 0.0, V = 0.0;
        int ok = 1;
        for (size_t i = 0; i < n; ++i) {
            const size_t u = I->off[i] + a[i];
            ok &= I->allowed[u];
            F += I->f[u];
            V += I->has_v ? I->v[u] : 0.0;
        }
        if (ok) {
            const double x = I->delta * F;
            if (x >= I->lo - 1e-12 && x <= I->hi + 1e-12 && V > best) {
                best = V;
                *feasible = 1;
            }
            /* agent i mixes a[i] with b */
            for (size_t i = 0; i < n; ++i)
                for (size_t b = 0; b < I->m[i]; ++b) {
                    const size_t ua = I->off[i] + a[i], ub = I->off[i] + b;
                    if (!I->allowed[ub] || I->f[ub] == I->f[ua]) continue;
                    const double edges[2] = {I->lo, I->hi};
                    for (int e = 0; e < 2; ++e) {
                        /* delta (F + t (f_b - f_a)) = edge */
                        const double t =
                            (edges[e] / I->delta - F) / (I->f[ub] - I->f[ua]);
                        if (!(t > 0.0 && t < 1.0)) continue;
                        const double Vt =
                            V + t * ((I->has_v ? I->v[ub] - I->v[ua] : 0.0));
                        *feasible = 1;
                        if (Vt > best) best = Vt;
                    }
                }
        }
        size_t i = 0;
        while (i < n && ++a[i] == I->m[i]) a[i++] = 0;
        if (i == n) break;
    }
    return best;
}

START_TEST(test_enumeration) {
    marl_nash_workspace *ws = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(&ws, NMAX, UMAX, 1, 1), MARL_OK);
    sm_rng r = {77};
    double p[UMAX];
    for (unsigned k = 0; k < 1500; ++k) {
        inst I;
        random_inst(&r, &I, k);
        if (I.n > 5) I.n = 1 + k % 5;
        marl_nash_lp_in in;
        to_in(&I, &in);
        double o = NAN;
        int st, feas;
        ck_assert_int_eq(marl_nash_lp_structured(ws, &in, p, &o, &st),
                         MARL_OK);
        const double e = enumerate(&I, &feas);
        ck_assert_int_eq(feas, st == MARL_NASH_FEASIBLE);
        if (feas)
            ck_assert_msg(fabs(o - e) <= 1e-9 * (1 + fabs(e)),
                          "instance %u: structured %.17g, enumeration %.17g",
                          k, o, e);
    }
    marl_nash_workspace_free(ws);
}
END_TEST

/* d > 1: the structured backend hands the LP to lp_solve. */
START_TEST(test_structured_falls_back) {
    marl_nash_workspace *ws = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 2, 4, 2, 1), MARL_OK);
    const size_t m[2] = {2, 2}, off[3] = {0, 2, 4};
    /* f in R^2: agent actions (0,0) and (1,1) */
    const double f[8] = {0, 0, 1, 1, 0, 0, 1, 1}, v[4] = {0, 1, 0, 2};
    const unsigned char allowed[4] = {1, 1, 1, 1};
    const double lo[2] = {0.0, 0.0}, hi[2] = {0.75, 2.0};
    marl_nash_lp_in in = {2, m, off, 2, f, 0.5, allowed, lo, hi, v};
    double p[4], o1, o2;
    int s1, s2;
    ck_assert_int_eq(marl_nash_lp(ws, MARL_NASH_LP_STRUCTURED, &in, p, &o1,
                                  &s1), MARL_OK);
    ck_assert_int_eq(marl_nash_lp(ws, MARL_NASH_LP_SOLVE, &in, p, &o2, &s2),
                     MARL_OK);
    ck_assert_int_eq(s1, MARL_NASH_FEASIBLE);
    /* x_0 = 0.5 (p_01 + p_11) <= 0.75: agent 1 plays 1, agent 0 half */
    ck_assert_double_eq_tol(o1, 2.5, 1e-12);
    ck_assert_double_eq_tol(o2, 2.5, 1e-12);
    ck_assert_int_eq(marl_nash_lp_structured(ws, &in, p, &o1, &s1),
                     MARL_EINVAL);
    marl_nash_workspace_free(ws);
}
END_TEST

/* A closed-form instance: three agents, f = (0, 1), v = (0, i + 1),
 * band x = (1/3) sum f p in [0, 0.4]: agent 2 plays 1 (value 3), agent 1
 * mixes with weight 0.2 on action 1 (0.4): optimum 3.4, one mixing agent. */
START_TEST(test_closed_form) {
    marl_nash_workspace *ws = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 3, 6, 1, 1), MARL_OK);
    const size_t m[3] = {2, 2, 2}, off[4] = {0, 2, 4, 6};
    const double f[6] = {0, 1, 0, 1, 0, 1}, v[6] = {0, 1, 0, 2, 0, 3};
    const unsigned char allowed[6] = {1, 1, 1, 1, 1, 1};
    const double lo = 0.0, hi = 0.4;
    marl_nash_lp_in in = {3, m, off, 1, f, 1.0 / 3.0, allowed, &lo, &hi, v};
    double p[6], o;
    int st;
    ck_assert_int_eq(marl_nash_lp_structured(ws, &in, p, &o, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_NASH_FEASIBLE);
    ck_assert_double_eq_tol(o, 3.4, 1e-12);
    ck_assert(p[5] == 1.0);
    ck_assert_double_eq_tol(p[3], 0.2, 1e-12);
    ck_assert(p[0] == 1.0);
    /* w = 0 and band [2/3, 1]: peak (all at f = 0) below: the first agents
     * move up; x = 2/3 exactly */
    const double lo2 = 2.0 / 3.0, hi2 = 1.0;
    in.lo = &lo2;
    in.hi = &hi2;
    in.v = NULL;
    ck_assert_int_eq(marl_nash_lp_structured(ws, &in, p, &o, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_NASH_FEASIBLE);
    ck_assert(o == 0.0);
    ck_assert_double_eq_tol((p[1] + p[3] + p[5]) / 3.0, 2.0 / 3.0, 1e-15);
    /* band above every reachable aggregate */
    const double lo3 = 1.0 + 1e-12, hi3 = 2.0;
    in.lo = &lo3;
    in.hi = &hi3;
    ck_assert_int_eq(marl_nash_lp_structured(ws, &in, p, &o, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_NASH_INFEASIBLE);
    /* lp_solve decides within its tolerances (about 1e-9) */
    const double lo4 = 1.0 + 1e-6;
    in.lo = &lo4;
    ck_assert_int_eq(marl_nash_lp_lpsolve(ws, &in, p, &o, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_NASH_INFEASIBLE);
    marl_nash_workspace_free(ws);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("nash-lp");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_agreement);
    tcase_add_test(tc, test_enumeration);
    tcase_add_test(tc, test_structured_falls_back);
    tcase_add_test(tc, test_closed_form);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
