/*
 * Tests of the solver framework (include/marlgame/solver.h) with a fake
 * solver type whose metrics are known in closed form: construction, options,
 * seed and sampler, initial policy, failing methods, allocation failures.
 * History and run limits are in test_solver_run.c.
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

/* ---- construction -------------------------------------------------------- */

START_TEST(test_new_and_accessors) {
    marl_solver *s = new_fake();
    ck_assert_ptr_eq(marl_solver_get_type(s), &fake_type);
    ck_assert_ptr_eq(marl_solver_game(s), G);
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    ck_assert_uint_eq(marl_solver_history_length(s), 0);
    ck_assert_uint_eq(marl_solver_seed(s), 0);
    ck_assert_ptr_null(marl_solver_initial_policy(s));
    ck_assert_ptr_nonnull(marl_solver_options(s));
    ck_assert_uint_eq(marl_options_count(marl_solver_options(s)), 9);
    ck_assert_uint_eq(marl_solver_metric_count(s), 5);
    const char *names[5] = {"iteration", "seconds", "value", "t_squared",
                            "nan_metric"};
    for (size_t k = 0; k < 5; ++k) {
        ck_assert_str_eq(marl_solver_metric_name(s, k), names[k]);
        size_t col = 99;
        ck_assert_int_eq(marl_solver_metric_index(s, names[k], &col), MARL_OK);
        ck_assert_uint_eq(col, k);
    }
    ck_assert_ptr_null(marl_solver_metric_name(s, 5));
    /* The solver keeps a reference: the game outlives our own reference. */
    marl_game_free(G);
    G = NULL;
    ck_assert_uint_eq(marl_game_num_agents(marl_solver_game(s)), 2);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    marl_solver_free(s);
    marl_solver_free(NULL);
}
END_TEST

START_TEST(test_new_errors) {
    marl_solver *s = (marl_solver *)0x1;
    ck_assert_int_eq(marl_solver_new(NULL, &fake_type, G), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_new(&s, NULL, G), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_new(&s, &fake_type, NULL), MARL_EINVAL);
    ck_assert_ptr_eq(s, (marl_solver *)0x1);
    /* A type that does not accept Markov games. */
    marl_solver_type pop = fake_type;
    pop.game_kinds = MARL_KIND_BIT(MARL_GAME_POPULATION);
    ck_assert_int_eq(marl_solver_new(&s, &pop, G), MARL_EKIND);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "test-fake"));
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "population"));
    /* Invalid (unregistered) types are rejected too. */
    marl_solver_type bad = fake_type;
    bad.version = 0;
    ck_assert_int_eq(marl_solver_new(&s, &bad, G), MARL_EINVAL);
    bad = fake_type;
    bad.step = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &bad, G), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "step"));
    ck_assert_ptr_eq(s, (marl_solver *)0x1);
    /* By name. */
    ck_assert_int_eq(marl_solver_new_by_name(NULL, "markov-best-response", G),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_solver_new_by_name(&s, NULL, G), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_new_by_name(&s, "no-such-solver", G),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "no-such-solver"));
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "markov-best-response"));
    ck_assert_ptr_eq(s, (marl_solver *)0x1);
    ck_assert_int_eq(marl_solver_new_by_name(&s, "markov-best-response", G),
                     MARL_OK);
    ck_assert_ptr_eq(marl_solver_get_type(s), &marl_solver_markov_best_response);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_null_queries) {
    ck_assert_ptr_null(marl_solver_get_type(NULL));
    ck_assert_uint_eq(marl_solver_iterations(NULL), 0);
    ck_assert_uint_eq(marl_solver_metric_count(NULL), 0);
    ck_assert_ptr_null(marl_solver_metric_name(NULL, 0));
    ck_assert_uint_eq(marl_solver_history_length(NULL), 0);
    ck_assert_ptr_null(marl_solver_game(NULL));
    ck_assert_ptr_null(marl_solver_options(NULL));
    ck_assert_uint_eq(marl_solver_seed(NULL), 0);
    ck_assert_ptr_null(marl_solver_initial_policy(NULL));
    ck_assert_ptr_null(marl_solver_sampler(NULL));
    ck_assert_int_eq(marl_last_error_code(), MARL_EINVAL);
    ck_assert_ptr_null(marl_solver_policy(NULL));
    ck_assert_int_eq(marl_solver_step(NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_run(NULL, 1, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_reset(NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_seed(NULL, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_initial_policy(NULL, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_progress(NULL, NULL, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_int(NULL, "stop_at", 1), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_real(NULL, "rate", 0.1), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_string(NULL, "mode", "a"), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set(NULL, "rate", "0.1"), MARL_EINVAL);
    long long i;
    double r;
    const char *str;
    ck_assert_int_eq(marl_solver_get_int(NULL, "stop_at", &i), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_get_real(NULL, "rate", &r), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_get_string(NULL, "mode", &str), MARL_EINVAL);
    size_t col;
    double row[5];
    ck_assert_int_eq(marl_solver_metric_index(NULL, "value", &col),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_solver_history_row(NULL, 0, row), MARL_EINVAL);
}
END_TEST

/* ---- options ------------------------------------------------------------- */

START_TEST(test_options_defaults_and_setters) {
    marl_solver *s = new_fake();
    double r = 0;
    long long i = -1;
    const char *str = NULL;
    ck_assert_int_eq(marl_solver_get_real(s, "rate", &r), MARL_OK);
    ck_assert_double_eq(r, 0.5);
    ck_assert_int_eq(marl_solver_get_int(s, "mode", &i), MARL_OK);
    ck_assert_int_eq(i, 1);
    ck_assert_int_eq(marl_solver_get_string(s, "mode", &str), MARL_OK);
    ck_assert_str_eq(str, "b");
    ck_assert_int_eq(marl_solver_get_string(s, "label", &str), MARL_OK);
    ck_assert_str_eq(str, "x");

    ck_assert_int_eq(marl_solver_set_real(s, "rate", 0.25), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "stop_at", 7), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "mode", "c"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "label", "hello"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "fail_at", "9"), MARL_OK);
    ck_assert_int_eq(marl_solver_get_real(s, "rate", &r), MARL_OK);
    ck_assert_double_eq(r, 0.25);
    ck_assert_int_eq(marl_solver_get_int(s, "stop_at", &i), MARL_OK);
    ck_assert_int_eq(i, 7);
    ck_assert_int_eq(marl_solver_get_int(s, "fail_at", &i), MARL_OK);
    ck_assert_int_eq(i, 9);
    ck_assert_int_eq(marl_solver_get_string(s, "mode", &str), MARL_OK);
    ck_assert_str_eq(str, "c");
    ck_assert_int_eq(marl_solver_get_string(s, "label", &str), MARL_OK);
    ck_assert_str_eq(str, "hello");

    /* Invalid values leave the option unchanged. */
    ck_assert_int_lt(marl_solver_set_real(s, "rate", 2.0), 0);
    ck_assert_int_lt(marl_solver_set_real(s, "rate", NAN), 0);
    ck_assert_int_lt(marl_solver_set(s, "rate", "abc"), 0);
    ck_assert_int_lt(marl_solver_set_int(s, "stop_at", -1), 0);
    ck_assert_int_lt(marl_solver_set_string(s, "mode", "z"), 0);
    ck_assert_int_eq(marl_solver_get_real(s, "rate", &r), MARL_OK);
    ck_assert_double_eq(r, 0.25);
    ck_assert_int_eq(marl_solver_get_int(s, "stop_at", &i), MARL_OK);
    ck_assert_int_eq(i, 7);
    /* Unknown and NULL names. */
    ck_assert_int_eq(marl_solver_set_real(s, "nope", 1.0), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_real(s, NULL, 1.0), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_int(s, NULL, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_string(s, NULL, "a"), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set(s, NULL, "1"), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_get_real(s, "nope", &r), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_get_int(s, NULL, &i), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_get_real(s, NULL, &r), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_get_string(s, NULL, &str), MARL_EINVAL);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_options_locked_after_first_step) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_real(s, "rate", 0.5), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "rate", 0.25), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "marl_solver_reset"));
    ck_assert_int_eq(marl_solver_set_int(s, "stop_at", 2), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_string(s, "mode", "a"), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set(s, "rate", "0.25"), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_seed(s, 3), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, NULL), MARL_EINVAL);
    double r;
    ck_assert_int_eq(marl_solver_get_real(s, "rate", &r), MARL_OK);
    ck_assert_double_eq(r, 0.5);
    ck_assert_uint_eq(marl_solver_seed(s), 0);
    /* The progress callback may change at any time. */
    ck_assert_int_eq(marl_solver_set_progress(s, NULL, NULL), MARL_OK);
    /* After reset, options can change again and take effect. */
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    ck_assert_uint_eq(marl_solver_history_length(s), 0);
    ck_assert_int_eq(marl_solver_set_real(s, "rate", 0.25), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 3), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    double row[5];
    ck_assert_int_eq(marl_solver_history_row(s, 0, row), MARL_OK);
    ck_assert_double_eq(row[0], 1.0);
    ck_assert_double_eq(row[2], 0.25);
    ck_assert_uint_eq(marl_solver_seed(s), 3);
    marl_solver_free(s);
}
END_TEST

/* marl_solver_policy creates the state before the first step; changing the
 * configuration afterwards (still before the first step) rebuilds it. */
START_TEST(test_state_rebuilt_after_early_policy) {
    marl_solver *s = new_fake();
    int creates = fake_creates, destroys = fake_destroys;
    const marl_policy *p = marl_solver_policy(s);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(fake_creates, creates + 1);
    ck_assert_ptr_eq(marl_solver_policy(s), p); /* not created twice */
    ck_assert_int_eq(fake_creates, creates + 1);
    ck_assert_int_eq(marl_solver_set_real(s, "rate", 0.125), MARL_OK);
    ck_assert_int_eq(fake_destroys, destroys + 1);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(fake_creates, creates + 2);
    double row[5];
    ck_assert_int_eq(marl_solver_history_row(s, 0, row), MARL_OK);
    ck_assert_double_eq(row[2], 0.125);
    marl_solver_free(s);
    ck_assert_int_eq(fake_destroys, destroys + 2);
}
END_TEST

/* A type without options: setters and getters report unknown options. */
START_TEST(test_type_without_options) {
    marl_solver_type t = fake_type;
    t.options = NULL;
    t.n_options = 0;
    t.primary_metric = -1;
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &t, G), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "rate", 0.1), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "no options"));
    double r;
    ck_assert_int_eq(marl_solver_get_real(s, "rate", &r), MARL_EINVAL);
    /* tol needs a primary metric. */
    ck_assert_int_eq(marl_solver_run(s, 10, 0.1, 0.0, NULL), MARL_EINVAL);
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    /* Without options the fake create reads defaults of 0: rate 0 -> 0^t. */
    size_t done = 0;
    ck_assert_int_eq(marl_solver_run(s, 3, 0.0, 0.0, &done), MARL_OK);
    ck_assert_uint_eq(done, 3);
    marl_solver_free(s);
}
END_TEST

/* ---- seed, sampler, initial policy --------------------------------------- */

START_TEST(test_seed_and_sampler) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_seed(s, 42), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "use_sampler", 1), MARL_OK);
    ck_assert_uint_eq(marl_solver_seed(s), 42);
    marl_sampler *ref = NULL;
    ck_assert_int_eq(marl_sampler_new(&ref, G, 42), MARL_OK);
    double expect = marl_rng_uniform(marl_sampler_rng(ref));
    double expect2 = marl_rng_uniform(marl_sampler_rng(ref));
    marl_sampler_free(ref);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    marl_sampler *sm = marl_solver_sampler(s);
    ck_assert_ptr_nonnull(sm);
    ck_assert_ptr_eq(marl_solver_sampler(s), sm); /* created once */
    /* The fake's create drew the first number; ours is the second. After a
     * reset the sampler restarts from the seed: same draws. */
    double draw1 = marl_rng_uniform(marl_sampler_rng(sm));
    ck_assert_double_eq(draw1, expect2);
    ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    double draw2 = marl_rng_uniform(marl_sampler_rng(marl_solver_sampler(s)));
    ck_assert_double_eq(draw1, draw2);
    /* The first draw of the solver's sampler equals an independent sampler
     * seeded with 42: check with a fresh solver that draws nothing itself. */
    marl_solver *s2 = new_fake();
    ck_assert_int_eq(marl_solver_set_seed(s2, 42), MARL_OK);
    ck_assert_double_eq(marl_rng_uniform(marl_sampler_rng(marl_solver_sampler(s2))),
                        expect);
    /* Changing the seed before the first step restarts the sampler. */
    ck_assert_int_eq(marl_solver_set_seed(s2, 42), MARL_OK);
    ck_assert_double_eq(marl_rng_uniform(marl_sampler_rng(marl_solver_sampler(s2))),
                        expect);
    marl_solver_free(s2);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_initial_policy) {
    marl_solver *s = new_fake();
    marl_policy *p = NULL;
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_policy_new(&p, G, 0), MARL_OK);
    ck_assert_int_eq(marl_rng_new(&rng, 5), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(p, rng), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
    const marl_policy *init = marl_solver_initial_policy(s);
    ck_assert_ptr_nonnull(init);
    ck_assert_ptr_ne(init, p); /* a copy */
    double d = 1;
    ck_assert_int_eq(marl_policy_distance(init, p, &d), MARL_OK);
    ck_assert_double_eq(d, 0.0);
    /* Later changes of the user's policy do not reach the copy. */
    double row[2] = {1.0, 0.0};
    ck_assert_int_eq(marl_policy_set_row(p, 0, 0, 0, row), MARL_OK);
    const marl_policy *cur = marl_solver_policy(s);
    ck_assert_int_eq(marl_policy_distance(cur, init, &d), MARL_OK);
    ck_assert_double_eq(d, 0.0);
    ck_assert_int_eq(marl_policy_distance(cur, p, &d), MARL_OK);
    ck_assert_double_gt(d, 0.0);
    /* A policy of another game is rejected; the copy stays. */
    marl_game *other = NULL;
    marl_policy *q = NULL;
    ck_assert_int_eq(fake_game(&other), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&q, other, 0), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, q), MARL_EINVAL);
    ck_assert_ptr_eq(marl_solver_initial_policy(s), init);
    /* NULL clears: the state is rebuilt from the uniform policy. */
    ck_assert_int_eq(marl_solver_set_initial_policy(s, NULL), MARL_OK);
    ck_assert_ptr_null(marl_solver_initial_policy(s));
    marl_policy *u = NULL;
    ck_assert_int_eq(marl_policy_new(&u, G, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_distance(marl_solver_policy(s), u, &d),
                     MARL_OK);
    ck_assert_double_eq(d, 0.0);
    marl_policy_free(u);
    marl_policy_free(q);
    marl_game_free(other);
    marl_policy_free(p);
    marl_rng_free(rng);
    marl_solver_free(s);
}
END_TEST

/* ---- failing methods ----------------------------------------------------- */

START_TEST(test_step_failure_records_nothing) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_int(s, "fail_at", 2), MARL_OK);
    size_t done = 55;
    ck_assert_int_eq(marl_solver_run(s, 10, 0.0, 0.0, &done), MARL_ERANGE);
    ck_assert_uint_eq(done, 55);
    ck_assert_uint_eq(marl_solver_iterations(s), 1);
    ck_assert_uint_eq(marl_solver_history_length(s), 1);
    marl_solver_free(s);

    /* Failing at the first iteration drops the fresh state. */
    s = new_fake();
    ck_assert_int_eq(marl_solver_set_int(s, "fail_at", 1), MARL_OK);
    int destroys = fake_destroys;
    ck_assert_int_eq(marl_solver_step(s), MARL_ERANGE);
    ck_assert_int_eq(fake_destroys, destroys + 1);
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    /* Still configurable since no iteration ran. */
    ck_assert_int_eq(marl_solver_set_int(s, "fail_at", 0), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    marl_solver_free(s);
}
END_TEST

START_TEST(test_bad_status_and_failed_create) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_int(s, "bad_status", 1), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_EINTERNAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "7"));
    ck_assert_uint_eq(marl_solver_history_length(s), 0);
    marl_solver_free(s);

    s = new_fake();
    ck_assert_int_eq(marl_solver_set_int(s, "fail_create", 1), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "use_sampler", 1), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_EFORMAT);
    /* The framework names the type when the method recorded nothing. */
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "test-fake"));
    ck_assert_ptr_null(marl_solver_policy(s));
    ck_assert_int_eq(marl_last_error_code(), MARL_EFORMAT);
    ck_assert_int_eq(marl_solver_run(s, 3, 0.0, 0.0, NULL), MARL_EFORMAT);
    ck_assert_uint_eq(marl_solver_iterations(s), 0);
    marl_solver_free(s);
}
END_TEST

/* ---- allocation failures ------------------------------------------------- */

START_TEST(test_alloc_new) {
    marl_solver *s = NULL;
    FAILALLOC_SWEEP(marl_solver_new(&s, &fake_type, G), marl_solver_free(s));
    FAILALLOC_SWEEP(marl_solver_new_by_name(&s, "markov-best-response", G),
                    marl_solver_free(s));
}
END_TEST

START_TEST(test_alloc_first_step) {
    marl_solver *s = new_fake();
    ck_assert_int_eq(marl_solver_set_int(s, "use_sampler", 1), MARL_OK);
    FAILALLOC_SWEEP(marl_solver_step(s), marl_solver_reset(s));
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, G, 0), MARL_OK);
    FAILALLOC_SWEEP(marl_solver_set_initial_policy(s, p),
                    marl_solver_set_initial_policy(s, NULL));
    ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
    FAILALLOC_SWEEP(marl_solver_step(s), marl_solver_reset(s));
    /* marl_solver_policy creates the state as well. */
    for (long k = 0;; ++k) {
        long before = failalloc_live();
        failalloc_install(k);
        const marl_policy *cur = marl_solver_policy(s);
        failalloc_uninstall();
        if (cur) break;
        ck_assert_int_eq(marl_last_error_code(), MARL_ENOMEM);
        ck_assert_int_eq(failalloc_live(), before);
    }
    marl_policy_free(p);
    marl_solver_free(s);
}
END_TEST

static Suite *solver_suite(void) {
    Suite *su = suite_create("solver");
    TCase *tc = tcase_create("framework");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_new_and_accessors);
    tcase_add_test(tc, test_new_errors);
    tcase_add_test(tc, test_null_queries);
    tcase_add_test(tc, test_options_defaults_and_setters);
    tcase_add_test(tc, test_options_locked_after_first_step);
    tcase_add_test(tc, test_state_rebuilt_after_early_policy);
    tcase_add_test(tc, test_type_without_options);
    tcase_add_test(tc, test_seed_and_sampler);
    tcase_add_test(tc, test_initial_policy);
    tcase_add_test(tc, test_step_failure_records_nothing);
    tcase_add_test(tc, test_bad_status_and_failed_create);
    tcase_add_test(tc, test_alloc_new);
    tcase_add_test(tc, test_alloc_first_step);
    suite_add_tcase(su, tc);
    return su;
}

int main(void) {
    return marl_test_run(solver_suite());
}
