/*
 * A fake solver type with known metrics, for testing the solver framework.
 *
 * Iteration t (1-based) writes value = rate^t, t_squared = t*t and leaves
 * nan_metric unwritten (the framework pre-fills NaN). Options steer its
 * behaviour: stop_at (return MARL_CONVERGED at that iteration), fail_at
 * (return an error at that iteration), sleep_us (sleep in each step),
 * fail_create, bad_status (return an unknown positive status), use_sampler
 * (draw one uniform from the solver's sampler in create).
 * Header-only; include in one test file per executable.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_FAKE_SOLVER_H
#define MARL_TEST_FAKE_SOLVER_H

#include <marlgame/marlgame.h>

#include <math.h>
#include <time.h>

static int fake_creates;   /* number of successful create calls */
static int fake_destroys;  /* number of destroy calls on non-NULL states */

typedef struct fake_state {
    marl_policy *pi;
    size_t t;
    double rate;
    long long stop_at, fail_at, sleep_us, bad_status;
    double first_draw;    /* NaN unless use_sampler */
    uint64_t seed;
} fake_state;

static const marl_option_def fake_options[] = {
    {"rate", MARL_OPTION_REAL, "value = rate^t", 0, 0, 0, 0.5, 0.0, 1.0, NULL,
     NULL},
    {"stop_at", MARL_OPTION_INT, "converge at this iteration (0: never)", 0, 0,
     1000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"fail_at", MARL_OPTION_INT, "fail at this iteration (0: never)", 0, 0,
     1000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"sleep_us", MARL_OPTION_INT, "microseconds to sleep per step", 0, 0,
     1000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"fail_create", MARL_OPTION_INT, "create fails", 0, 0, 1, 0.0, 0.0, 0.0,
     NULL, NULL},
    {"bad_status", MARL_OPTION_INT, "step returns status 7", 0, 0, 1, 0.0, 0.0,
     0.0, NULL, NULL},
    {"use_sampler", MARL_OPTION_INT, "draw from the sampler in create", 0, 0,
     1, 0.0, 0.0, 0.0, NULL, NULL},
    {"mode", MARL_OPTION_ENUM, "an enum", 1, 0, 0, 0.0, 0.0, 0.0, "a|b|c",
     NULL},
    {"label", MARL_OPTION_STRING, "a string", 0, 0, 0, 0.0, 0.0, 0.0, NULL,
     "x"},
};

static const char *const fake_metric_names[] = {"value", "t_squared",
                                                "nan_metric"};

static void fake_destroy(void *state) {
    fake_state *st = state;
    if (!st) return;
    fake_destroys++;
    marl_policy_free(st->pi);
    marl_free(st);
}

static int fake_create(marl_solver *solver, void **out) {
    const marl_options *o = marl_solver_options(solver);
    long long fail_create = 0, use_sampler = 0;
    marl_options_get_int(o, "fail_create", &fail_create);
    marl_options_get_int(o, "use_sampler", &use_sampler);
    /* Allocate before failing on purpose so the framework's cleanup and our
     * own are both exercised. */
    fake_state *st = marl_malloc(sizeof *st);
    if (!st) return MARL_ENOMEM;
    st->pi = NULL;
    st->t = 0;
    st->first_draw = NAN;
    st->rate = 0.0; /* the options below are absent for option-less types */
    st->stop_at = st->fail_at = st->sleep_us = st->bad_status = 0;
    st->seed = marl_solver_seed(solver);
    marl_options_get_real(o, "rate", &st->rate);
    marl_options_get_int(o, "stop_at", &st->stop_at);
    marl_options_get_int(o, "fail_at", &st->fail_at);
    marl_options_get_int(o, "sleep_us", &st->sleep_us);
    marl_options_get_int(o, "bad_status", &st->bad_status);
    int rc = MARL_OK;
    const marl_policy *init = marl_solver_initial_policy(solver);
    if (init)
        rc = marl_policy_copy(&st->pi, init);
    else
        rc = marl_policy_new(&st->pi, marl_solver_game(solver), 0);
    if (rc == MARL_OK && use_sampler) {
        marl_sampler *sm = marl_solver_sampler(solver);
        if (!sm)
            rc = marl_last_error_code();
        else
            st->first_draw = marl_rng_uniform(marl_sampler_rng(sm));
    }
    if (rc == MARL_OK && fail_create) rc = MARL_EFORMAT; /* no message */
    if (rc != MARL_OK) {
        marl_policy_free(st->pi);
        marl_free(st);
        return rc;
    }
    fake_creates++;
    *out = st;
    return MARL_OK;
}

static int fake_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    fake_state *st = state;
    size_t t = st->t + 1;
    if (st->fail_at > 0 && (size_t)st->fail_at == t)
        return MARL_ERANGE; /* the framework must not record the row */
    if (st->bad_status) return 7;
    if (st->sleep_us > 0) {
        struct timespec ts = {0, (long)st->sleep_us * 1000L};
        nanosleep(&ts, NULL);
    }
    st->t = t;
    metrics[0] = pow(st->rate, (double)t);
    metrics[1] = (double)(t * t);
    if (st->stop_at > 0 && (size_t)st->stop_at == t) return MARL_CONVERGED;
    return MARL_OK;
}

static const marl_policy *fake_policy(const void *state) {
    return ((const fake_state *)state)->pi;
}

static const marl_solver_type fake_type = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = "test-fake",
    .summary = "fake solver with known metrics (tests)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = fake_options,
    .n_options = sizeof fake_options / sizeof fake_options[0],
    .metric_names = fake_metric_names,
    .n_metrics = 3,
    .primary_metric = 0,
    .create = fake_create,
    .step = fake_step,
    .policy = fake_policy,
    .destroy = fake_destroy,
};

/* A 1-state game with two players and 2 and 3 actions (rewards i+j). */
static inline int fake_game(marl_game **out) {
    size_t A[2] = {2, 3};
    double P[6], R[12];
    for (int k = 0; k < 6; ++k) P[k] = 1.0;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 6; ++j) R[i * 6 + j] = (double)(i + j);
    return marl_markov_new(out, 2, 1, A, 0.5, NULL, P, R, NULL);
}


/* ---- fixture shared by the framework tests: define FAKE_SOLVER_FIXTURE
 * and include check.h and failalloc.h first ---------------------------------- */
#ifdef FAKE_SOLVER_FIXTURE
static marl_game *G;

static void setup(void) {
    failalloc_install(-1);
    ck_assert_int_eq(fake_game(&G), MARL_OK);
}
static void teardown(void) {
    marl_game_free(G);
    G = NULL;
}

static marl_solver *new_fake(void) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &fake_type, G), MARL_OK);
    ck_assert_ptr_nonnull(s);
    return s;
}
#endif /* FAKE_SOLVER_FIXTURE */

#endif /* MARL_TEST_FAKE_SOLVER_H */
