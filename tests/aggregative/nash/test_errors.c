/*
 * Errors of the Nash subroutine: bad workspace sizes, NULL arguments, zero
 * and inconsistent sizes, non-finite data, bad options, callback failures
 * and non-finite callback values (the result is left untouched), and
 * allocation failure injection on workspace creation and on solve (both
 * backends; the solve sweep covers the lazily built lp_solve model and the
 * rounding buffer).
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include "failalloc.h"
#include "nashtest.h"

#include "solvers/aggregative/nash/nash_internal.h"

static void setup(void) { failalloc_install(-1); }

START_TEST(test_workspace_errors) {
    marl_nash_workspace *ws = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(NULL, 2, 4, 1, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 0, 4, 1, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 2, 0, 1, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 2, 4, 0, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 2, 4, 1, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 5, 4, 1, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 2, SIZE_MAX / 2, 4, 3),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 2, 4, SIZE_MAX / 2, 3),
                     MARL_ERANGE);
    ck_assert_ptr_null(ws);
    marl_nash_workspace_free(NULL);
}
END_TEST

/* A 3-agent instance where the LP mixes (so rounding draws). */
static nt_inst *instance(int welfare) {
    const size_t m[3] = {2, 3, 2};
    nt_inst *t = nt_new(3, m, 1, 3);
    const double f[7] = {0, 1, 0, 0.5, 1, 0, 1};
    memcpy(t->f, f, sizeof f);
    t->grid[0] = 0.0;
    t->grid[1] = 0.5;
    t->grid[2] = 1.0;
    t->alpha = 0.05;
    /* everyone indifferent: every action is a best response */
    if (welfare) {
        nt_set_welfare(t);
        for (size_t u = 0; u < t->U; ++u) t->w[u] = (double)(u % 3);
    }
    return t;
}

/* Calls marl_nash_solve and checks that an error leaves the result and the
 * rng untouched. */
static int solve_untouched(marl_nash_workspace *ws, marl_nash_problem *p) {
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 1), MARL_OK);
    uint64_t s0[4], s1[4];
    ck_assert_int_eq(marl_rng_get_state(rng, s0), MARL_OK);
    size_t a[8] = {7, 7, 7, 7, 7, 7, 7, 7};
    double x[4] = {-3, -3, -3, -3};
    marl_nash_result r, before;
    memset(&r, 0xab, sizeof r);
    r.actions = a;
    r.x = x;
    memcpy(&before, &r, sizeof r);
    int rc = marl_nash_solve(ws, p, rng, &r);
    ck_assert_int_eq(marl_rng_get_state(rng, s1), MARL_OK);
    marl_rng_free(rng);
    if (rc != MARL_OK) {
        ck_assert(!memcmp(s0, s1, sizeof s0)); /* the rng is untouched */
        ck_assert(!memcmp(&r, &before, sizeof r));
        for (size_t i = 0; i < 8; ++i) ck_assert_uint_eq(a[i], 7);
        ck_assert(x[0] == -3.0);
        ck_assert_str_ne(marl_last_error(), "");
    }
    return rc;
}

START_TEST(test_bad_input) {
    nt_inst *t = instance(1);
    marl_nash_workspace *ws = NULL;
    ck_assert_int_eq(marl_nash_workspace_new(&ws, 3, 7, 1, 3), MARL_OK);
    marl_nash_problem p, q;
    nt_problem(t, &p);
    ck_assert_int_eq(solve_untouched(ws, &p), MARL_OK);
    /* NULL arguments */
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 1), MARL_OK);
    size_t a[3];
    double x[1];
    marl_nash_result r = {a, x, 0, 0, 0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(marl_nash_solve(NULL, &p, rng, &r), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_solve(ws, NULL, rng, &r), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_solve(ws, &p, NULL, &r), MARL_EINVAL);
    ck_assert_int_eq(marl_nash_solve(ws, &p, rng, NULL), MARL_EINVAL);
    r.actions = NULL;
    ck_assert_int_eq(marl_nash_solve(ws, &p, rng, &r), MARL_EINVAL);
    r.actions = a;
    r.x = NULL;
    ck_assert_int_eq(marl_nash_solve(ws, &p, rng, &r), MARL_EINVAL);
    marl_rng_free(rng);
#define BAD(field, value, code)                                              \
    do {                                                                     \
        q = p;                                                               \
        q.field = value;                                                     \
        ck_assert_int_eq(solve_untouched(ws, &q), code);                     \
    } while (0)
    BAD(n, 0, MARL_EINVAL);
    BAD(d, 0, MARL_EINVAL);
    BAD(n_grid, 0, MARL_EINVAL);
    BAD(n, 4, MARL_ERANGE);      /* more agents than the workspace */
    BAD(d, 2, MARL_ERANGE);
    BAD(n_grid, 4, MARL_ERANGE);
    BAD(m, NULL, MARL_EINVAL);
    BAD(off, NULL, MARL_EINVAL);
    BAD(f, NULL, MARL_EINVAL);
    BAD(grid, NULL, MARL_EINVAL);
    BAD(delta, 0.0, MARL_EINVAL);
    BAD(delta, -1.0, MARL_EINVAL);
    BAD(delta, NAN, MARL_EINVAL);
    BAD(alpha, -0.1, MARL_EINVAL);
    BAD(alpha, INFINITY, MARL_EINVAL);
    BAD(slack, NAN, MARL_EINVAL);
    BAD(slack, INFINITY, MARL_EINVAL);
    BAD(rounds, 0, MARL_EINVAL);
    BAD(lp_backend, 2, MARL_EINVAL);
    BAD(lp_backend, -1, MARL_EINVAL);
    BAD(q_grid, NULL, MARL_EINVAL);
    BAD(q_at, NULL, MARL_EINVAL);
    /* inconsistent off[], zero action counts */
    const size_t off_bad[4] = {0, 2, 4, 7}, off_bad0[4] = {1, 3, 6, 8};
    const size_t m0[3] = {2, 0, 2}, mbig[3] = {2, 3, 9};
    BAD(off, off_bad, MARL_EINVAL);
    BAD(off, off_bad0, MARL_EINVAL);
    BAD(m, m0, MARL_EINVAL);
    BAD(m, mbig, MARL_ERANGE); /* more agent-actions than the workspace */
    /* non-finite data */
    const double saved_f = t->f[3], saved_w = t->w[2], saved_c = t->c[1];
    const double saved_g = t->grid[2];
    t->f[3] = NAN;
    ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
    t->f[3] = saved_f;
    t->w[2] = INFINITY;
    ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
    t->w[2] = saved_w;
    t->c[1] = NAN;
    ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
    t->c[1] = saved_c;
    t->grid[2] = -INFINITY;
    ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
    t->grid[2] = saved_g;
    ck_assert_int_eq(solve_untouched(ws, &p), MARL_OK);
#undef BAD
    marl_nash_workspace_free(ws);
    nt_free(t);
}
END_TEST

/* Callback failures and non-finite values, for every slack mode, backend and
 * selection mode: at each grid point / each q_at call in turn. */
START_TEST(test_callbacks) {
    for (int mode = 0; mode < 8; ++mode) {
        nt_inst *t = instance(mode & 1);
        marl_nash_workspace *ws = NULL;
        ck_assert_int_eq(marl_nash_workspace_new(&ws, 3, 7, 1, 3), MARL_OK);
        marl_nash_problem p;
        nt_problem(t, &p);
        p.lp_backend = (mode >> 1) & 1;
        p.slack = mode & 4 ? 0.5 : -1.0;
        for (long g = 0; g < 3; ++g) {
            t->fail_grid = g;
            ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
            t->fail_grid = -1;
            t->nan_grid = g;
            ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
            t->nan_grid = -1;
        }
        t->at_calls = 0;
        ck_assert_int_eq(solve_untouched(ws, &p), MARL_OK);
        const long calls = t->at_calls;
        ck_assert_int_gt(calls, 0);
        for (long c = 0; c < calls; ++c) {
            t->at_calls = 0;
            t->fail_at = c;
            ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
            t->fail_at = -1;
            t->at_calls = 0;
            t->nan_at = c;
            ck_assert_int_eq(solve_untouched(ws, &p), MARL_EINVAL);
            t->nan_at = -1;
        }
        marl_nash_workspace_free(ws);
        nt_free(t);
    }
}
END_TEST

START_TEST(test_alloc_workspace) {
    marl_nash_workspace *ws = NULL;
    FAILALLOC_SWEEP(marl_nash_workspace_new(&ws, 3, 7, 2, 5),
                    marl_nash_workspace_free(ws));
}
END_TEST

/* Workspace + solve + free, so a failed run leaves nothing behind. */
static int ws_solve(nt_inst *t, int backend, size_t d) {
    marl_nash_workspace *ws = NULL;
    int rc = marl_nash_workspace_new(&ws, t->n, t->U, d, t->G);
    if (rc) return rc;
    marl_nash_problem p;
    nt_problem(t, &p);
    p.lp_backend = backend;
    marl_rng *rng = NULL;
    rc = marl_rng_new(&rng, 9);
    size_t a[8];
    double x[4];
    marl_nash_result r = {a, x, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!rc) rc = marl_nash_solve(ws, &p, rng, &r);
    /* a second call reuses the model and the buffers */
    if (!rc) rc = marl_nash_solve(ws, &p, rng, &r);
    marl_rng_free(rng);
    marl_nash_workspace_free(ws);
    return rc;
}

START_TEST(test_alloc_solve) {
    for (int backend = 0; backend < 2; ++backend)
        for (int welfare = 0; welfare < 2; ++welfare) {
            nt_inst *t = instance(welfare);
            FAILALLOC_SWEEP(ws_solve(t, backend, 1), (void)0);
            nt_free(t);
        }
    /* d = 2: feasibility LPs and the violation LP */
    const size_t m[1] = {2};
    nt_inst *t = nt_new(1, m, 2, 1);
    const double f[4] = {0, 0, 1, 1};
    memcpy(t->f, f, sizeof f);
    t->delta = 1.0;
    t->grid[0] = 1.0;
    t->grid[1] = 0.0;
    FAILALLOC_SWEEP(ws_solve(t, MARL_NASH_LP_STRUCTURED, 2), (void)0);
    nt_free(t);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("nash-errors");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_workspace_errors);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_callbacks);
    tcase_add_test(tc, test_alloc_workspace);
    tcase_add_test(tc, test_alloc_solve);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
