/*
 * Error paths of the exact mpg solvers: option validation (range, NaN,
 * type, unknown names, enum choices), bad initial policies, non-finite
 * updates, a failed step leaving the solver unchanged, and allocation
 * failure injection at every allocation of the first step (which creates
 * the state) and of a later step.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include "failalloc.h"
#include "mpgtest.h"

static const marl_solver_type *const TYPES[] = {
    &marl_solver_mpg_softmax_pg,   &marl_solver_mpg_npg,
    &marl_solver_mpg_npg_br,       &marl_solver_mpg_projected_pg,
    &marl_solver_mpg_q_ascent,     &marl_solver_mpg_optimistic_q_ascent};
#define N_TYPES (sizeof TYPES / sizeof TYPES[0])

static const size_t A1[2] = {2, 3};

static void setup(void) { failalloc_install(-1); }

/* Every real option rejects negative values and NaN, keeping its value;
 * eval_every rejects -1; unknown names are rejected. */
START_TEST(test_option_validation) {
    marl_game *g = mt_random_game(3, 2, 2, A1, 0.9);
    for (size_t k = 0; k < N_TYPES; ++k) {
        marl_solver *s = mt_solver(TYPES[k], g);
        const marl_solver_type *t = TYPES[k];
        for (size_t o = 0; o < marl_solver_type_option_count(t); ++o) {
            const marl_option_def *d = marl_solver_type_option(t, o);
            if (d->type == MARL_OPTION_REAL) {
                double before, after;
                ck_assert_int_eq(marl_solver_get_real(s, d->name, &before),
                                 MARL_OK);
                ck_assert_int_lt(marl_solver_set_real(s, d->name, -1.0), 0);
                ck_assert_int_lt(marl_solver_set_real(s, d->name, NAN), 0);
                ck_assert_int_lt(marl_solver_set_real(s, d->name, INFINITY),
                                 0);
                ck_assert_int_eq(marl_solver_get_real(s, d->name, &after),
                                 MARL_OK);
                ck_assert(before == after);
                ck_assert(before == d->real_default);
            } else if (d->type == MARL_OPTION_INT) {
                long long before, after;
                ck_assert_int_eq(marl_solver_get_int(s, d->name, &before),
                                 MARL_OK);
                ck_assert_int_lt(marl_solver_set_int(s, d->name,
                                                     d->int_min - 1),
                                 0);
                ck_assert_int_lt(marl_solver_set(s, d->name, "abc"), 0);
                ck_assert_int_eq(marl_solver_get_int(s, d->name, &after),
                                 MARL_OK);
                ck_assert(before == after && before == d->int_default);
            }
        }
        ck_assert_int_lt(marl_solver_set_int(s, "eval_every", -1), 0);
        ck_assert_int_eq(marl_solver_set_real(s, "no_such_option", 1.0),
                         MARL_EINVAL);
        ck_assert_int_lt(marl_solver_set_string(s, "eval_every", "x"), 0);
        /* still usable with the defaults */
        ck_assert_int_ge(marl_solver_step(s), 0);
        marl_solver_free(s);
    }
    /* specific ranges */
    marl_solver *s = mt_solver(&marl_solver_mpg_npg_br, g);
    ck_assert_int_lt(marl_solver_set_int(s, "k", 0), 0);
    ck_assert_int_lt(marl_solver_set_int(s, "K", 5), 0); /* names are lower */
    ck_assert_int_eq(marl_solver_set_int(s, "k", 7), MARL_OK);
    marl_solver_free(s);
    s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_lt(marl_solver_set_string(s, "init", "gaussian"), 0);
    ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"), MARL_OK);
    const char *v = NULL;
    ck_assert_int_eq(marl_solver_get_string(s, "init", &v), MARL_OK);
    ck_assert_str_eq(v, "normal");
    marl_solver_free(s);
    s = mt_solver(&marl_solver_mpg_optimistic_q_ascent, g);
    ck_assert_int_lt(marl_solver_set_int(s, "critic_h", -2), 0);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

/* Softmax parameters cannot represent a probability 0. */
START_TEST(test_softmax_zero_initial_policy) {
    marl_game *g = mt_random_game(3, 2, 2, A1, 0.9);
    marl_policy *p = mt_random_policy(g, 4);
    double row[3] = {0.5, 0.0, 0.5};
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 1, row), MARL_OK);
    marl_solver *s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 1, state 1, "
                                                    "action 1"));
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    ck_assert_ptr_null(marl_solver_policy(s));
    /* clearing the initial policy makes it usable */
    ck_assert_int_eq(marl_solver_set_initial_policy(s, NULL), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    marl_solver_free(s);
    /* the other methods accept zeros and keep them (npg) */
    for (size_t k = 1; k < N_TYPES; ++k) {
        s = mt_solver(TYPES[k], g);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
        ck_assert_int_ge(marl_solver_step(s), 0);
        marl_solver_free(s);
    }
    /* a time-indexed initial policy is refused by every type */
    marl_policy *ps = NULL;
    ck_assert_int_eq(marl_policy_new_steps(&ps, g, MARL_POLICY_PER_STEP, 3),
                     MARL_OK);
    for (size_t k = 0; k < N_TYPES; ++k) {
        s = mt_solver(TYPES[k], g);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, ps), MARL_OK);
        ck_assert_int_eq(marl_solver_step(s), MARL_EINVAL);
        ck_assert_ptr_nonnull(strstr(marl_last_error(), "time-indexed"));
        ck_assert_ptr_nonnull(strstr(marl_last_error(), TYPES[k]->name));
        ck_assert_uint_eq(marl_solver_iterations(s), 0);
        marl_solver_free(s);
    }
    marl_policy_free(ps);
    /* a policy of another game is refused */
    marl_game *h = mt_random_game(5, 2, 2, A1, 0.9);
    marl_policy *q = mt_random_policy(h, 4);
    s = mt_solver(&marl_solver_mpg_npg, g);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, q), MARL_EINVAL);
    marl_solver_free(s);
    marl_policy_free(q);
    marl_game_free(h);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* A step whose update overflows fails with MARL_ERANGE and changes
 * nothing. */
START_TEST(test_non_finite_update) {
    marl_game *g = mt_random_game_scaled(3, 2, 2, A1, 0.9, 100.0);
    const char *opt[N_TYPES] = {"eta", "eta", "inner_eta", "eta", "alpha",
                                "alpha"};
    for (size_t k = 0; k < N_TYPES; ++k) {
        marl_solver *s = mt_solver(TYPES[k], g);
        ck_assert_int_eq(marl_solver_set_real(s, opt[k], 1e308), MARL_OK);
        if (k == 0) /* a gradient far above 1 */
            ck_assert_int_eq(marl_solver_set_real(s, "log_barrier", 1e6),
                             MARL_OK);
        marl_policy *p = mt_random_policy(g, 9);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
        int rc = marl_solver_step(s);
        ck_assert_msg(rc == MARL_ERANGE, "%s: rc %d (%s)", TYPES[k]->name, rc,
                      marl_last_error());
        ck_assert_ptr_nonnull(strstr(marl_last_error(), "finite"));
        ck_assert_uint_eq(marl_solver_iterations(s), 0);
        ck_assert_uint_eq(marl_solver_history_length(s), 0);
        marl_policy_free(p);
        marl_solver_free(s);
    }
    marl_game_free(g);
}
END_TEST

/* Allocation failures at every allocation of the first step (state
 * creation and first update): MARL_ENOMEM, no leak, and the solver works
 * afterwards. */
START_TEST(test_alloc_first_step) {
    marl_game *g = mt_random_mpg(8, 2, 2, A1, 0.9);
    marl_policy *p = mt_random_policy(g, 2);
    for (size_t k = 0; k < N_TYPES; ++k) {
        marl_solver *s = mt_solver(TYPES[k], g);
        if (TYPES[k] == &marl_solver_mpg_softmax_pg)
            ck_assert_int_eq(marl_solver_set_string(s, "init", "normal"),
                             MARL_OK);
        else
            ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
        FAILALLOC_SWEEP(marl_solver_step(s), marl_solver_reset(s));
        /* after all that, a run gives the same iterate as a fresh solver */
        marl_solver *f = mt_solver(TYPES[k], g);
        if (TYPES[k] == &marl_solver_mpg_softmax_pg)
            ck_assert_int_eq(marl_solver_set_string(f, "init", "normal"),
                             MARL_OK);
        else
            ck_assert_int_eq(marl_solver_set_initial_policy(f, p), MARL_OK);
        ck_assert_int_ge(marl_solver_run(s, 3, 0.0, 0.0, NULL), 0);
        ck_assert_int_ge(marl_solver_run(f, 3, 0.0, 0.0, NULL), 0);
        double d = 1.0;
        ck_assert_int_eq(marl_policy_distance(marl_solver_policy(s),
                                              marl_solver_policy(f), &d),
                         MARL_OK);
        ck_assert(d == 0.0);
        marl_solver_free(f);
        marl_solver_free(s);
    }
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* Allocation failures inside a later step (the exact evaluations) leave the
 * iterate untouched: the next successful step equals that of a solver that
 * never failed. */
START_TEST(test_alloc_later_step) {
    marl_game *g = mt_random_mpg(8, 2, 2, A1, 0.9);
    for (size_t k = 0; k < N_TYPES; ++k) {
        marl_solver *s = mt_solver(TYPES[k], g), *f = mt_solver(TYPES[k], g);
        ck_assert_int_ge(marl_solver_step(s), 0);
        ck_assert_int_ge(marl_solver_step(f), 0);
        long before = failalloc_live();
        for (long n = 0;; ++n) {
            failalloc_install(n);
            int rc = marl_solver_step(s);
            failalloc_uninstall();
            if (rc >= 0) break;
            ck_assert_int_eq(rc, MARL_ENOMEM);
            ck_assert_int_eq(failalloc_live(), before);
            ck_assert_uint_eq(marl_solver_iterations(s), 1);
            ck_assert(n < 10000);
        }
        ck_assert_int_ge(marl_solver_step(f), 0);
        double d = 1.0;
        ck_assert_int_eq(marl_policy_distance(marl_solver_policy(s),
                                              marl_solver_policy(f), &d),
                         MARL_OK);
        ck_assert(d == 0.0);
        ck_assert_uint_eq(marl_solver_iterations(s), 2);
        marl_solver_free(f);
        marl_solver_free(s);
    }
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("mpg-errors");
    TCase *tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_option_validation);
    tcase_add_test(tc, test_softmax_zero_initial_policy);
    tcase_add_test(tc, test_non_finite_update);
    tcase_add_test(tc, test_alloc_first_step);
    tcase_add_test(tc, test_alloc_later_step);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
