/*
 * Tests of the solver framework (include/marlgame/solver.h) with a fake
 * solver type whose metrics are known in closed form: the metrics history,
 * the stopping rules of marl_solver_run (iterations, tolerance, method
 * convergence, time, cancellation by the progress callback) and allocation
 * failures while running.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#define FAKE_SOLVER_FIXTURE
#include "fake_solver.h"

/* ---- history and run limits ---------------------------------------------- */

static void check_rows(const marl_solver *s, double rate) {
    size_t n = marl_solver_history_length(s);
    double row[5], prev_seconds = 0.0;
    for (size_t k = 0; k < n; ++k) {
        ck_assert_int_eq(marl_solver_history_row(s, k, row), MARL_OK);
        double t = (double)(k + 1);
        ck_assert_double_eq(row[0], t);
        ck_assert(row[1] >= prev_seconds);
        prev_seconds = row[1];
        ck_assert_double_eq(row[2], pow(rate, t));
        ck_assert_double_eq(row[3], t * t);
        ck_assert(isnan(row[4]));
    }
}

START_TEST(test_history_growth) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_real(s, "rate", 0.99), MARL_OK);
    size_t done = 0;
    ck_assert_int_eq(marl_solver_run(s, 300, 0.0, 0.0, &done), MARL_OK);
    ck_assert_uint_eq(done, 300);
    ck_assert_uint_eq(marl_solver_iterations(s), 300);
    ck_assert_uint_eq(marl_solver_history_length(s), 300);
    check_rows(s, 0.99);
    /* A second run continues the history. */
    ck_assert_int_eq(marl_solver_run(s, 5, 0.0, 0.0, &done), MARL_OK);
    ck_assert_uint_eq(done, 5);
    ck_assert_uint_eq(marl_solver_history_length(s), 305);
    check_rows(s, 0.99);
    double row[5];
    ck_assert_int_eq(marl_solver_history_row(s, 305, row), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_history_row(s, 0, NULL), MARL_EINVAL);
    size_t col = 77;
    ck_assert_int_eq(marl_solver_metric_index(s, "nope", &col), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_metric_index(s, NULL, &col), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_metric_index(s, "value", NULL), MARL_EINVAL);
    ck_assert_uint_eq(col, 77);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_run_argument_errors) {
    marl_solver *s = new_fake();
    size_t done = 1234;
    ck_assert_int_eq(marl_solver_run(s, 0, 0.0, 0.0, &done), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_run(s, 0, -1.0, -1.0, &done), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_run(s, 5, NAN, 0.0, &done), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_run(s, 5, 0.0, NAN, &done), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_run(s, 0, 0.0, INFINITY, &done), MARL_EINVAL);
    ck_assert_uint_eq(done, 1234);
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_run_tolerance) {
    marl_solver *s = new_fake();
    size_t done = 0;
    /* value = 0.5^t <= 0.1 first at t = 4. */
    ck_assert_int_eq(marl_solver_run(s, 0, 0.1, 0.0, &done), MARL_CONVERGED);
    ck_assert_uint_eq(done, 4);
    ck_assert_uint_eq(marl_solver_history_length(s), 4);
    check_rows(s, 0.5);
    /* An iteration limit hit first returns MARL_OK. */
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 3, 0.1, 0.0, &done), MARL_OK);
    ck_assert_uint_eq(done, 3);
    /* ... and continuing reaches the tolerance after one more. */
    ck_assert_int_eq(marl_solver_run(s, 3, 0.1, 0.0, &done), MARL_CONVERGED);
    ck_assert_uint_eq(done, 1);
    ck_assert_uint_eq(marl_solver_iterations(s), 4);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_run_method_converges) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_int(s, "stop_at", 3), MARL_OK);
    size_t done = 0;
    ck_assert_int_eq(marl_solver_run(s, 100, 0.0, 0.0, &done), MARL_CONVERGED);
    ck_assert_uint_eq(done, 3);
    ck_assert_uint_eq(marl_solver_history_length(s), 3);
    check_rows(s, 0.5);
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_CONVERGED);
    ck_assert_int_eq(marl_solver_run(s, 100, 0.0, 0.0, NULL), MARL_OK);
    ck_assert_uint_eq(marl_solver_iterations(s), 103);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_run_time_limit) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_int(s, "sleep_us", 2000), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "rate", 1.0), MARL_OK);
    size_t done = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    ck_assert_int_eq(marl_solver_run(s, 0, 0.0, 0.03, &done), MARL_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double wall = (double)(b.tv_sec - a.tv_sec) +
                  1e-9 * (double)(b.tv_nsec - a.tv_nsec);
    ck_assert(wall >= 0.03);
    ck_assert_uint_ge(done, 1);
    ck_assert_uint_le(done, 16); /* each step sleeps >= 2 ms */
    ck_assert_uint_eq(marl_solver_history_length(s), done);
    double row[5];
    ck_assert_int_eq(marl_solver_history_row(s, done - 1, row), MARL_OK);
    ck_assert(row[1] >= 0.002 * (double)done);
    ck_assert(row[1] <= wall + 1e-6);
    check_rows(s, 1.0);
    /* Iteration limit before the time limit. */
    ck_assert_int_eq(marl_solver_run(s, 2, 0.0, 10.0, &done), MARL_OK);
    ck_assert_uint_eq(done, 2);
    marl_solver_free(s);
}
END_TEST

typedef struct cb_data {
    size_t calls, cancel_at;
    const marl_solver *solver;
    double last[5];
    size_t last_iteration, last_n;
} cb_data;

static int progress_cb(const marl_solver *s, size_t iteration,
                       const double *values, size_t n, void *user) {
    cb_data *d = user;
    d->calls++;
    d->solver = s;
    d->last_iteration = iteration;
    d->last_n = n;
    memcpy(d->last, values, (n < 5 ? n : 5) * sizeof(double));
    return d->cancel_at && iteration >= d->cancel_at;
}

START_TEST(test_progress_and_cancel) {
    marl_solver *s = new_fake();
    cb_data d = {0, 3, NULL, {0}, 0, 0};
    ck_assert_int_eq(marl_solver_set_progress(s, progress_cb, &d), MARL_OK);
    size_t done = 999;
    ck_assert_int_eq(marl_solver_run(s, 100, 0.0, 0.0, &done),
                     MARL_ECANCELLED);
    ck_assert_int_eq(marl_last_error_code(), MARL_ECANCELLED);
    ck_assert_uint_eq(done, 999); /* out-parameter untouched on failure */
    ck_assert_uint_eq(d.calls, 3);
    ck_assert_ptr_eq(d.solver, s);
    ck_assert_uint_eq(d.last_iteration, 3);
    ck_assert_uint_eq(d.last_n, 5);
    /* The cancelled iteration's row is recorded and matches the callback. */
    ck_assert_uint_eq(marl_solver_iterations(s), 3);
    ck_assert_uint_eq(marl_solver_history_length(s), 3);
    double row[5];
    ck_assert_int_eq(marl_solver_history_row(s, 2, row), MARL_OK);
    ck_assert_double_eq(row[0], d.last[0]);
    ck_assert_double_eq(row[1], d.last[1]);
    ck_assert_double_eq(row[2], d.last[2]);
    ck_assert_double_eq(row[2], 0.125);
    check_rows(s, 0.5);
    /* marl_solver_step reports the cancellation too. */
    ck_assert_int_eq(marl_solver_step(s), MARL_ECANCELLED);
    ck_assert_uint_eq(d.calls, 4);
    /* Removing the callback. */
    ck_assert_int_eq(marl_solver_set_progress(s, NULL, &d), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 2, 0.0, 0.0, &done), MARL_OK);
    ck_assert_uint_eq(done, 2);
    ck_assert_uint_eq(d.calls, 4);
    marl_solver_free(s);
}
END_TEST

static int run_fresh(marl_game *g, size_t iters) {
    marl_solver *s = NULL;
    int rc = marl_solver_new(&s, &fake_type, g);
    if (rc == MARL_OK) rc = marl_solver_set_int(s, "use_sampler", 1);
    if (rc == MARL_OK) rc = marl_solver_run(s, iters, 0.0, 0.0, NULL);
    marl_solver_free(s);
    return rc;
}

START_TEST(test_alloc_run) {
    /* 200 iterations grow the history from 64 rows twice. */
    FAILALLOC_SWEEP(run_fresh(G, 200), (void)0);
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_run(s, 64, 0.0, 0.0, NULL), MARL_OK);
    /* Growth failing on an existing history keeps the solver intact. */
    FAILALLOC_SWEEP(marl_solver_step(s), (void)0);
    ck_assert_uint_eq(marl_solver_history_length(s), 65);
    check_rows(s, 0.5);
    marl_solver_free(s);
}
END_TEST

static Suite *run_suite(void) {
    Suite *su = suite_create("solver-run");
    TCase *tc = tcase_create("run");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_history_growth);
    tcase_add_test(tc, test_run_argument_errors);
    tcase_add_test(tc, test_run_tolerance);
    tcase_add_test(tc, test_run_method_converges);
    tcase_add_test(tc, test_run_time_limit);
    tcase_add_test(tc, test_progress_and_cancel);
    tcase_add_test(tc, test_alloc_run);
    suite_add_tcase(su, tc);
    return su;
}

int main(void) {
    return marl_test_run(run_suite());
}
