/* LP wrapper tests against LPs solved by hand, vertex enumeration and LP
 * duality; re-solves after changes; silence; errors; allocation failures.
 * SPDX-License-Identifier: MIT */
#include <check.h>
#include "check_main.h"
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lp.h"
#include "failalloc.h"

#define TOL 1e-9

static marl_lp *wyndor(void) {
    /* max 3x + 5y  s.t.  x <= 4,  2y <= 12,  3x + 2y <= 18,  x, y >= 0.
     * By hand: the optimum is the vertex (2, 6) with value 36. */
    marl_lp *lp;
    ck_assert_int_eq(marl_lp_new(&lp, 2), MARL_OK);
    const size_t c0[1] = {0}, c1[1] = {1}, c01[2] = {0, 1};
    const double one[1] = {1}, two[1] = {2}, r3[2] = {3, 2};
    size_t row;
    ck_assert_int_eq(marl_lp_add_row(lp, 1, c0, one, -HUGE_VAL, 4, &row), MARL_OK);
    ck_assert_uint_eq(row, 0);
    ck_assert_int_eq(marl_lp_add_row(lp, 1, c1, two, -HUGE_VAL, 12, &row), MARL_OK);
    ck_assert_uint_eq(row, 1);
    ck_assert_int_eq(marl_lp_add_row(lp, 2, c01, r3, -HUGE_VAL, 18, NULL), MARL_OK);
    ck_assert_uint_eq(marl_lp_n_rows(lp), 3);
    const double obj[2] = {3, 5};
    ck_assert_int_eq(marl_lp_set_objective(lp, obj, MARL_LP_MAXIMIZE), MARL_OK);
    return lp;
}

static void expect_opt(marl_lp *lp, double x0, double x1, double val) {
    int st = -5;
    ck_assert_int_eq(marl_lp_solve(lp, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_LP_OPTIMAL);
    ck_assert_int_eq(marl_lp_status(lp), MARL_LP_OPTIMAL);
    double x[2], v;
    ck_assert_int_eq(marl_lp_solution(lp, x), MARL_OK);
    ck_assert_int_eq(marl_lp_objective_value(lp, &v), MARL_OK);
    ck_assert_msg(fabs(x[0] - x0) < TOL && fabs(x[1] - x1) < TOL,
                  "x = (%.12g, %.12g), expected (%g, %g)", x[0], x[1], x0, x1);
    ck_assert_msg(fabs(v - val) < TOL, "value %.12g, expected %g", v, val);
}

START_TEST(test_hand_solved) {
    marl_lp *lp = wyndor();
    ck_assert_int_eq(marl_lp_status(lp), MARL_LP_NOT_SOLVED);
    expect_opt(lp, 2, 6, 36);
    double rows[3];
    ck_assert_int_eq(marl_lp_row_activities(lp, rows), MARL_OK);
    ck_assert(fabs(rows[0] - 2) < TOL && fabs(rows[1] - 12) < TOL &&
              fabs(rows[2] - 18) < TOL);
    ck_assert_uint_eq(marl_lp_n_cols(lp), 2);
    marl_lp_free(lp);
}
END_TEST

START_TEST(test_resolve_after_changes) {
    marl_lp *lp = wyndor();
    const double obj_35[2] = {3, 5}, obj_41[2] = {4, 1}, obj_11[2] = {1, 1},
                 obj_21[2] = {2, 1};
    expect_opt(lp, 2, 6, 36);
    /* bound x <= 1: (1, 6), 33 */
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, 0, 1), MARL_OK);
    ck_assert_int_eq(marl_lp_status(lp), MARL_LP_NOT_SOLVED);
    double v;
    ck_assert_int_eq(marl_lp_objective_value(lp, &v), MARL_EINVAL);
    expect_opt(lp, 1, 6, 33);
    /* relax it again, same objective: back to (2, 6). (lp_solve 5.5.2
     * warm-started here returns (0, 6); the wrapper must not.) */
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, 0, HUGE_VAL), MARL_OK);
    expect_opt(lp, 2, 6, 36);
    /* objective 4x + y: vertices (0,0),(4,0),(4,3),(2,6),(0,6) give
     * 0,16,19,14,6 */
    ck_assert_int_eq(marl_lp_set_objective(lp, obj_41, MARL_LP_MAXIMIZE), MARL_OK);
    expect_opt(lp, 4, 3, 19);
    /* range row 10 <= 3x + 2y <= 18, minimise x + y: (10/3, 0) */
    ck_assert_int_eq(marl_lp_set_row_range(lp, 2, 10, 18), MARL_OK);
    ck_assert_int_eq(marl_lp_set_objective(lp, obj_11, MARL_LP_MINIMIZE), MARL_OK);
    expect_opt(lp, 10.0 / 3.0, 0, 10.0 / 3.0);
    /* the range's upper side is active too: maximise 3x + 5y -> (2, 6) */
    ck_assert_int_eq(marl_lp_set_objective(lp, obj_35, MARL_LP_MAXIMIZE), MARL_OK);
    expect_opt(lp, 2, 6, 36);
    /* equality 3x + 2y = 12, minimise x + y: (4, 0) */
    ck_assert_int_eq(marl_lp_set_row_range(lp, 2, 12, 12), MARL_OK);
    ck_assert_int_eq(marl_lp_set_objective(lp, obj_11, MARL_LP_MINIMIZE), MARL_OK);
    expect_opt(lp, 4, 0, 4);
    /* one-sided 3x + 2y >= 12, minimise 2x + y: (0, 6) */
    ck_assert_int_eq(marl_lp_set_row_range(lp, 2, 12, HUGE_VAL), MARL_OK);
    ck_assert_int_eq(marl_lp_set_objective(lp, obj_21, MARL_LP_MINIMIZE), MARL_OK);
    expect_opt(lp, 0, 6, 6);
    /* back to <= 18 only: the lower side must be gone. min 2x + y -> 0 */
    ck_assert_int_eq(marl_lp_set_row_range(lp, 2, -HUGE_VAL, 18), MARL_OK);
    expect_opt(lp, 0, 0, 0);
    ck_assert_int_eq(marl_lp_set_objective(lp, obj_35, MARL_LP_MAXIMIZE), MARL_OK);
    expect_opt(lp, 2, 6, 36);
    /* free row: only x <= 4, y <= 6 remain -> (4, 6), 42 */
    ck_assert_int_eq(marl_lp_set_row_range(lp, 2, -HUGE_VAL, HUGE_VAL), MARL_OK);
    expect_opt(lp, 4, 6, 42);
    /* coefficient change: 3y <= 12 -> y <= 4 -> (4, 4), 32 */
    ck_assert_int_eq(marl_lp_set_coef(lp, 1, 1, 3.0), MARL_OK);
    expect_opt(lp, 4, 4, 32);
    /* equality after range after equality (range -> EQ -> range) */
    ck_assert_int_eq(marl_lp_set_row_range(lp, 2, 6, 14), MARL_OK);
    expect_opt(lp, 2, 4, 26);  /* 3x + 2y <= 14 with y <= 4: x = 2 */
    ck_assert_int_eq(marl_lp_set_row_range(lp, 2, 9, 9), MARL_OK);
    /* 3x + 2y = 9, max 3x + 5y = 9 + 3y with y <= 4 and x = (9 - 2y)/3 >= 0:
     * y = 4, x = 1/3, value 21 */
    expect_opt(lp, 1.0 / 3.0, 4, 21);
    marl_lp_free(lp);
}
END_TEST

/* Transportation problem checked by enumerating the vertices of its
 * polytope: every basic solution (choose m+n-1 columns, solve the system
 * with the redundant last demand row dropped, keep it if x >= 0 and it
 * satisfies all rows). */
#define M 3
#define N 3
static const double SUP[M] = {20, 30, 25}, DEM[N] = {10, 35, 30};
static const double COST[M][N] = {{8, 6, 10}, {9, 12, 13}, {14, 9, 16}};

static int solve_square(double a[][M * N], double *b, int r, double *x) {
    for (int c = 0; c < r; ++c) {
        int piv = c;
        for (int i = c + 1; i < r; ++i)
            if (fabs(a[i][c]) > fabs(a[piv][c])) piv = i;
        if (fabs(a[piv][c]) < 1e-12) return 0;
        for (int j = 0; j < r; ++j) {
            double t = a[c][j];
            a[c][j] = a[piv][j];
            a[piv][j] = t;
        }
        double t = b[c];
        b[c] = b[piv];
        b[piv] = t;
        for (int i = 0; i < r; ++i) {
            if (i == c) continue;
            double f = a[i][c] / a[c][c];
            for (int j = c; j < r; ++j) a[i][j] -= f * a[c][j];
            b[i] -= f * b[c];
        }
    }
    for (int i = 0; i < r; ++i) x[i] = b[i] / a[i][i];
    return 1;
}

static double brute_force_transport(void) {
    const int nv = M * N, r = M + N - 1;
    double best = HUGE_VAL;
    for (unsigned mask = 0; mask < (1u << nv); ++mask) {
        if (__builtin_popcount(mask) != r) continue;
        int cols[M * N], k = 0;
        for (int j = 0; j < nv; ++j)
            if (mask & (1u << j)) cols[k++] = j;
        double a[M * N][M * N], b[M * N], xb[M * N];
        for (int i = 0; i < r; ++i) {
            for (int c = 0; c < r; ++c) {
                int v = cols[c], si = v / N, dj = v % N;
                a[i][c] = (i < M) ? (si == i) : (dj == i - M);
            }
            b[i] = (i < M) ? SUP[i] : DEM[i - M];
        }
        if (!solve_square(a, b, r, xb)) continue;
        double x[M * N] = {0};
        int ok = 1;
        for (int c = 0; c < r; ++c) {
            if (xb[c] < -1e-9) ok = 0;
            x[cols[c]] = xb[c];
        }
        double last = 0; /* the dropped row */
        for (int i = 0; i < M; ++i) last += x[i * N + N - 1];
        if (fabs(last - DEM[N - 1]) > 1e-9) ok = 0;
        if (!ok) continue;
        double cost = 0;
        for (int j = 0; j < nv; ++j) cost += COST[j / N][j % N] * x[j];
        if (cost < best) best = cost;
    }
    return best;
}

START_TEST(test_transportation) {
    marl_lp *lp;
    ck_assert_int_eq(marl_lp_new(&lp, M * N), MARL_OK);
    for (int i = 0; i < M; ++i) {
        size_t cols[N];
        double ones[N];
        for (int j = 0; j < N; ++j) {
            cols[j] = (size_t)(i * N + j);
            ones[j] = 1;
        }
        ck_assert_int_eq(marl_lp_add_row(lp, N, cols, ones, SUP[i], SUP[i], NULL),
                         MARL_OK);
    }
    for (int j = 0; j < N; ++j) {
        size_t cols[M];
        double ones[M];
        for (int i = 0; i < M; ++i) {
            cols[i] = (size_t)(i * N + j);
            ones[i] = 1;
        }
        ck_assert_int_eq(marl_lp_add_row(lp, M, cols, ones, DEM[j], DEM[j], NULL),
                         MARL_OK);
    }
    double c[M * N];
    for (int k = 0; k < M * N; ++k) c[k] = COST[k / N][k % N];
    ck_assert_int_eq(marl_lp_set_objective(lp, c, MARL_LP_MINIMIZE), MARL_OK);
    int st;
    ck_assert_int_eq(marl_lp_solve(lp, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_LP_OPTIMAL);
    double v, x[M * N];
    marl_lp_objective_value(lp, &v);
    marl_lp_solution(lp, x);
    const double best = brute_force_transport();
    ck_assert_msg(fabs(v - best) < 1e-7, "lp %.10g vs vertices %.10g", v, best);
    double cost = 0;
    for (int k = 0; k < M * N; ++k) {
        ck_assert(x[k] > -1e-9);
        cost += c[k] * x[k];
    }
    ck_assert(fabs(cost - v) < 1e-7);
    double rows[M + N];
    marl_lp_row_activities(lp, rows);
    for (int i = 0; i < M; ++i) ck_assert(fabs(rows[i] - SUP[i]) < 1e-9);
    for (int j = 0; j < N; ++j) ck_assert(fabs(rows[M + j] - DEM[j]) < 1e-9);
    marl_lp_free(lp);
}
END_TEST

START_TEST(test_duality) {
    /* Random dense LPs: max c.x, Ax <= b, x >= 0 and its dual
     * min b.y, A^T y >= c, y >= 0 have equal optimal values. */
    unsigned long long seed = 12345;
#define RND() ((seed = seed * 6364136223846793005ULL + 1442695040888963407ULL), \
               (double)(seed >> 11) * 0x1p-53)
    for (int rep = 0; rep < 20; ++rep) {
        enum { R = 7, C = 5 };
        double A[R][C], b[R], c[C];
        for (int i = 0; i < R; ++i) {
            for (int j = 0; j < C; ++j) A[i][j] = 0.1 + RND();
            b[i] = 1 + RND();
        }
        for (int j = 0; j < C; ++j) c[j] = 0.5 + RND();
        marl_lp *p, *d;
        ck_assert_int_eq(marl_lp_new(&p, C), MARL_OK);
        ck_assert_int_eq(marl_lp_new(&d, R), MARL_OK);
        size_t cols[R];
        for (int k = 0; k < R; ++k) cols[k] = (size_t)k;
        for (int i = 0; i < R; ++i)
            ck_assert_int_eq(marl_lp_add_row(p, C, cols, A[i], -HUGE_VAL, b[i], NULL),
                             MARL_OK);
        for (int j = 0; j < C; ++j) {
            double col[R];
            for (int i = 0; i < R; ++i) col[i] = A[i][j];
            ck_assert_int_eq(marl_lp_add_row(d, R, cols, col, c[j], HUGE_VAL, NULL),
                             MARL_OK);
        }
        marl_lp_set_objective(p, c, MARL_LP_MAXIMIZE);
        marl_lp_set_objective(d, b, MARL_LP_MINIMIZE);
        int sp, sd;
        ck_assert_int_eq(marl_lp_solve(p, &sp), MARL_OK);
        ck_assert_int_eq(marl_lp_solve(d, &sd), MARL_OK);
        ck_assert_int_eq(sp, MARL_LP_OPTIMAL);
        ck_assert_int_eq(sd, MARL_LP_OPTIMAL);
        double vp, vd, x[C], y[R];
        marl_lp_objective_value(p, &vp);
        marl_lp_objective_value(d, &vd);
        ck_assert_msg(fabs(vp - vd) < 1e-9 * (1 + fabs(vp)), "%g vs %g", vp, vd);
        marl_lp_solution(p, x);
        marl_lp_solution(d, y);
        double cx = 0, by = 0;
        for (int j = 0; j < C; ++j) {
            ck_assert(x[j] > -1e-12);
            cx += c[j] * x[j];
        }
        for (int i = 0; i < R; ++i) {
            double ax = 0;
            for (int j = 0; j < C; ++j) ax += A[i][j] * x[j];
            ck_assert(ax <= b[i] + 1e-9);
            ck_assert(y[i] > -1e-12);
            by += b[i] * y[i];
        }
        ck_assert(fabs(cx - vp) < 1e-9 && fabs(by - vd) < 1e-9);
        marl_lp_free(p);
        marl_lp_free(d);
    }
#undef RND
}
END_TEST

/* Objective-only changes restart from the previous basis (warm start);
 * every re-solve must agree with a model built from scratch. Columns have
 * finite upper bounds so that nonbasic-at-upper columns occur. */
static marl_lp *random_model(double A[6][4], const double *b,
                             const double *ub) {
    marl_lp *lp;
    ck_assert_int_eq(marl_lp_new(&lp, 4), MARL_OK);
    const size_t cols[4] = {0, 1, 2, 3};
    for (int i = 0; i < 6; ++i)
        ck_assert_int_eq(marl_lp_add_row(lp, 4, cols, A[i], -HUGE_VAL, b[i], NULL),
                         MARL_OK);
    for (int j = 0; j < 4; ++j)
        ck_assert_int_eq(marl_lp_set_col_bounds(lp, (size_t)j, 0, ub[j]), MARL_OK);
    return lp;
}

START_TEST(test_warm_start_objective) {
    unsigned long long seed = 777;
#define RND() ((seed = seed * 6364136223846793005ULL + 1442695040888963407ULL), \
               (double)(seed >> 11) * 0x1p-53)
    double A[6][4], b[6], ub[4];
    for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 4; ++j) A[i][j] = RND() - 0.3;
        b[i] = 0.5 + RND();
    }
    for (int j = 0; j < 4; ++j) ub[j] = 0.2 + RND();
    marl_lp *warm = random_model(A, b, ub);
    for (int rep = 0; rep < 40; ++rep) {
        double c[4];
        for (int j = 0; j < 4; ++j) c[j] = 2 * RND() - 1;
        const int sense = rep % 2 ? MARL_LP_MAXIMIZE : MARL_LP_MINIMIZE;
        ck_assert_int_eq(marl_lp_set_objective(warm, c, sense), MARL_OK);
        marl_lp *cold = random_model(A, b, ub);
        ck_assert_int_eq(marl_lp_set_objective(cold, c, sense), MARL_OK);
        int sw, sc;
        ck_assert_int_eq(marl_lp_solve(warm, &sw), MARL_OK);
        ck_assert_int_eq(marl_lp_solve(cold, &sc), MARL_OK);
        ck_assert_int_eq(sw, MARL_LP_OPTIMAL);
        ck_assert_int_eq(sc, MARL_LP_OPTIMAL);
        double vw, vc;
        marl_lp_objective_value(warm, &vw);
        marl_lp_objective_value(cold, &vc);
        ck_assert_msg(fabs(vw - vc) < 1e-9, "rep %d: warm %.12g cold %.12g", rep,
                      vw, vc);
        marl_lp_free(cold);
    }
    marl_lp_free(warm);
#undef RND
}
END_TEST

START_TEST(test_infeasible_unbounded_free) {
    int st;
    marl_lp *lp;
    const size_t c01[2] = {0, 1};
    const double ones[2] = {1, 1}, pm[2] = {1, -1}, obj[2] = {1, 1};
    /* x + y >= 5 and x + y <= 3 */
    ck_assert_int_eq(marl_lp_new(&lp, 2), MARL_OK);
    marl_lp_add_row(lp, 2, c01, ones, 5, HUGE_VAL, NULL);
    marl_lp_add_row(lp, 2, c01, ones, -HUGE_VAL, 3, NULL);
    ck_assert_int_eq(marl_lp_solve(lp, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_LP_INFEASIBLE);
    double x[2] = {7, 7}, v = 7;
    ck_assert_int_eq(marl_lp_solution(lp, x), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "no optimal solution"));
    ck_assert_int_eq(marl_lp_objective_value(lp, &v), MARL_EINVAL);
    ck_assert(x[0] == 7 && v == 7);
    /* widen the second row: feasible again without rebuilding */
    marl_lp_set_row_range(lp, 1, -HUGE_VAL, 8);
    marl_lp_set_objective(lp, obj, MARL_LP_MINIMIZE);
    ck_assert_int_eq(marl_lp_solve(lp, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_LP_OPTIMAL);
    marl_lp_objective_value(lp, &v);
    ck_assert(fabs(v - 5) < TOL);
    marl_lp_free(lp);
    /* infeasible through bounds: x >= 2 by row, x <= 1 by bound */
    ck_assert_int_eq(marl_lp_new(&lp, 1), MARL_OK);
    const size_t c0[1] = {0};
    const double one[1] = {1};
    marl_lp_add_row(lp, 1, c0, one, 2, HUGE_VAL, NULL);
    marl_lp_set_col_bounds(lp, 0, 0, 1);
    ck_assert_int_eq(marl_lp_solve(lp, NULL), MARL_OK);
    ck_assert_int_eq(marl_lp_status(lp), MARL_LP_INFEASIBLE);
    marl_lp_free(lp);
    /* unbounded: max x + y s.t. x - y <= 1 */
    ck_assert_int_eq(marl_lp_new(&lp, 2), MARL_OK);
    marl_lp_add_row(lp, 2, c01, pm, -HUGE_VAL, 1, NULL);
    marl_lp_set_objective(lp, obj, MARL_LP_MAXIMIZE);
    ck_assert_int_eq(marl_lp_solve(lp, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_LP_UNBOUNDED);
    marl_lp_free(lp);
    /* negative and free columns, no rows */
    ck_assert_int_eq(marl_lp_new(&lp, 2), MARL_OK);
    marl_lp_set_col_bounds(lp, 0, -5, 5);
    marl_lp_set_col_bounds(lp, 1, -HUGE_VAL, 3);
    const double o10[2] = {1, 0}, o01[2] = {0, 1};
    marl_lp_set_objective(lp, o10, MARL_LP_MINIMIZE);
    ck_assert_int_eq(marl_lp_solve(lp, &st), MARL_OK);
    ck_assert_int_eq(st, MARL_LP_OPTIMAL);
    marl_lp_solution(lp, x);
    ck_assert(fabs(x[0] + 5) < TOL);
    marl_lp_set_objective(lp, o01, MARL_LP_MAXIMIZE);
    marl_lp_solve(lp, &st);
    marl_lp_solution(lp, x);
    ck_assert(fabs(x[1] - 3) < TOL);
    marl_lp_set_objective(lp, o01, MARL_LP_MINIMIZE);
    marl_lp_solve(lp, &st);
    ck_assert_int_eq(st, MARL_LP_UNBOUNDED);
    /* a fixed column */
    marl_lp_set_col_bounds(lp, 1, 2.5, 2.5);
    marl_lp_solve(lp, &st);
    ck_assert_int_eq(st, MARL_LP_OPTIMAL);
    marl_lp_solution(lp, x);
    ck_assert(fabs(x[1] - 2.5) < TOL);
    /* an empty row 0 in [-1, 1] is harmless; an empty row in [1, 2] is
     * infeasible */
    ck_assert_int_eq(marl_lp_add_row(lp, 0, NULL, NULL, -1, 1, NULL), MARL_OK);
    marl_lp_solve(lp, &st);
    ck_assert_int_eq(st, MARL_LP_OPTIMAL);
    ck_assert_int_eq(marl_lp_add_row(lp, 0, NULL, NULL, 1, 2, NULL), MARL_OK);
    marl_lp_solve(lp, &st);
    ck_assert_int_eq(st, MARL_LP_INFEASIBLE);
    marl_lp_free(lp);
}
END_TEST

START_TEST(test_silence) {
    /* lp_solve must not print anything, whatever the outcome */
    char path[] = "/tmp/marl_lp_silenceXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    marl_lp *lp = wyndor();
    int st;
    marl_lp_solve(lp, &st);
    marl_lp_set_row_range(lp, 0, 5, HUGE_VAL); /* x >= 5 and x <= 4 via row 2 */
    const size_t c0[1] = {0};
    const double one[1] = {1};
    marl_lp_add_row(lp, 1, c0, one, -HUGE_VAL, 4, NULL);
    marl_lp_solve(lp, &st);
    marl_lp_free(lp);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    struct stat sb;
    fstat(fd, &sb);
    close(fd);
    unlink(path);
    ck_assert_int_eq(st, MARL_LP_INFEASIBLE);
    ck_assert_int_eq((int)sb.st_size, 0);
}
END_TEST

START_TEST(test_errors) {
    marl_lp *lp = (marl_lp *)0x1;
    ck_assert_int_eq(marl_lp_new(NULL, 2), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_new(&lp, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_new(&lp, (size_t)INT_MAX), MARL_ERANGE);
    ck_assert_ptr_eq(lp, (marl_lp *)0x1);
    marl_lp_free(NULL);
    ck_assert_uint_eq(marl_lp_n_cols(NULL), 0);
    ck_assert_uint_eq(marl_lp_n_rows(NULL), 0);
    ck_assert_int_eq(marl_lp_status(NULL), MARL_LP_FAILED);

    lp = wyndor();
    expect_opt(lp, 2, 6, 36);
    /* column bounds */
    ck_assert_int_eq(marl_lp_set_col_bounds(NULL, 0, 0, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 2, 0, 1), MARL_ERANGE);
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, NAN, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, 0, NAN), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, 2, 1), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "column 0"));
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, HUGE_VAL, HUGE_VAL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, -HUGE_VAL, -HUGE_VAL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_col_bounds(lp, 0, 0, 1e30), MARL_ERANGE);
    /* rows */
    const size_t cols[3] = {0, 1, 0}, bad_col[1] = {2};
    const double vals[3] = {1, 1, 1}, nanv[1] = {NAN}, big[1] = {1e31};
    ck_assert_int_eq(marl_lp_add_row(NULL, 1, cols, vals, 0, 1, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_add_row(lp, 3, cols, vals, 0, 1, NULL), MARL_ERANGE);
    const size_t dup[2] = {1, 1};
    ck_assert_int_eq(marl_lp_add_row(lp, 2, dup, vals, 0, 1, NULL), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "entry 1 repeats column 1"));
    ck_assert_int_eq(marl_lp_add_row(lp, 1, NULL, vals, 0, 1, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_add_row(lp, 1, cols, NULL, 0, 1, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_add_row(lp, 1, bad_col, vals, 0, 1, NULL), MARL_ERANGE);
    ck_assert_int_eq(marl_lp_add_row(lp, 1, cols, nanv, 0, 1, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_add_row(lp, 1, cols, big, 0, 1, NULL), MARL_ERANGE);
    ck_assert_int_eq(marl_lp_add_row(lp, 1, cols, vals, 1, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_add_row(lp, 1, cols, vals, NAN, 0, NULL), MARL_EINVAL);
    size_t row = 77;
    ck_assert_int_eq(marl_lp_add_row(lp, 1, cols, vals, HUGE_VAL, HUGE_VAL, &row),
                     MARL_EINVAL);
    ck_assert_uint_eq(row, 77);
    ck_assert_int_eq(marl_lp_set_row_range(NULL, 0, 0, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_row_range(lp, 3, 0, 1), MARL_ERANGE);
    ck_assert_int_eq(marl_lp_set_row_range(lp, 0, 1, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_row_range(lp, 0, -1e30, 0), MARL_ERANGE);
    ck_assert_int_eq(marl_lp_set_coef(NULL, 0, 0, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_coef(lp, 3, 0, 1), MARL_ERANGE);
    ck_assert_int_eq(marl_lp_set_coef(lp, 0, 2, 1), MARL_ERANGE);
    ck_assert_int_eq(marl_lp_set_coef(lp, 0, 0, INFINITY), MARL_EINVAL);
    /* objective */
    const double obj_nan[2] = {1, NAN}, obj[2] = {1, 1};
    ck_assert_int_eq(marl_lp_set_objective(NULL, obj, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_objective(lp, NULL, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_objective(lp, obj, 2), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_set_objective(lp, obj_nan, 0), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "objective coefficient 1"));
    /* nothing above modified the model: still solved, same answer */
    ck_assert_uint_eq(marl_lp_n_rows(lp), 3);
    ck_assert_int_eq(marl_lp_status(lp), MARL_LP_OPTIMAL);
    double v;
    ck_assert_int_eq(marl_lp_objective_value(lp, &v), MARL_OK);
    ck_assert(fabs(v - 36) < TOL);
    expect_opt(lp, 2, 6, 36);
    /* solve / results */
    ck_assert_int_eq(marl_lp_solve(NULL, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_objective_value(NULL, &v), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_objective_value(lp, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_solution(lp, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_row_activities(lp, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_lp_row_activities(NULL, &v), MARL_EINVAL);
    marl_lp_free(lp);
}
END_TEST

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    marl_lp *lp = NULL;
    FAILALLOC_SWEEP(marl_lp_new(&lp, 4), marl_lp_free(lp));
    marl_lp *s = (marl_lp *)0x1;
    failalloc_install(1);
    ck_assert_int_eq(marl_lp_new(&s, 4), MARL_ENOMEM);
    failalloc_uninstall();
    ck_assert_ptr_eq(s, (marl_lp *)0x1);
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("core-lp");
    TCase *tc = tcase_create("lp");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hand_solved);
    tcase_add_test(tc, test_resolve_after_changes);
    tcase_add_test(tc, test_transportation);
    tcase_add_test(tc, test_duality);
    tcase_add_test(tc, test_warm_start_objective);
    tcase_add_test(tc, test_infeasible_unbounded_free);
    tcase_add_test(tc, test_silence);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
