/*
 * Tests of the solver-type registry: built-in types, user types registered
 * through the public API (validation, duplicates, threads, capacity), and a
 * toy user solver found by name and run with metrics known in closed form.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#include "fake_solver.h"

/* ---- a toy user solver: gradient ascent on a one-state bandit ------------- *
 * One agent, one state, two actions with rewards 1 and 0, discount 1/2:
 * V(p) = p / (1 - gamma) = 2p where p = pi(action 0). The toy ascends V with
 * step eta (option, default 0.1) and clips at 1: p_k = min(1, 1/2 + k*eta).
 * Metrics: "regret" = 2 - V (primary), "p". The values are computed by the
 * library (marl_markov_values_mu), independently of the toy's own p. */

typedef struct toy_state {
    marl_policy *pi;
    double p, eta;
} toy_state;

static const marl_option_def toy_options[] = {
    {"eta", MARL_OPTION_REAL, "ascent step", 0, 0, 0, 0.1, 0.0, 1.0, NULL,
     NULL},
};
static const char *const toy_metrics[] = {"regret", "p"};

static int toy_create(marl_solver *s, void **out) {
    toy_state *st = marl_malloc(sizeof *st);
    if (!st) return MARL_ENOMEM;
    st->pi = NULL;
    st->p = 0.5;
    marl_options_get_real(marl_solver_options(s), "eta", &st->eta);
    int rc = marl_policy_new(&st->pi, marl_solver_game(s), 0);
    if (rc != MARL_OK) {
        marl_free(st);
        return rc;
    }
    *out = st;
    return MARL_OK;
}

static int toy_step(marl_solver *s, void *state, double *m) {
    toy_state *st = state;
    double p = st->p + st->eta;
    if (p > 1.0) p = 1.0;
    double row[2] = {p, 1.0 - p}, v;
    int rc = marl_policy_set_row(st->pi, 0, 0, 0, row);
    if (rc == MARL_OK) rc = marl_markov_values_mu(marl_solver_game(s), st->pi, &v);
    if (rc != MARL_OK) return rc;
    st->p = p;
    m[0] = 2.0 - v;
    m[1] = p;
    return MARL_OK;
}

static const marl_policy *toy_policy(const void *state) {
    return ((const toy_state *)state)->pi;
}

static void toy_destroy(void *state) {
    toy_state *st = state;
    if (!st) return;
    marl_policy_free(st->pi);
    marl_free(st);
}

static const marl_solver_type toy_type = {
    .version = 1,
    .name = "toy-bandit-ascent",
    .summary = "gradient ascent on a one-state bandit (tests)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = toy_options,
    .n_options = 1,
    .metric_names = toy_metrics,
    .n_metrics = 2,
    .primary_metric = 0,
    .create = toy_create,
    .step = toy_step,
    .policy = toy_policy,
    .destroy = toy_destroy,
};

static int bandit_game(marl_game **out) {
    size_t A[1] = {2};
    double P[2] = {1.0, 1.0}, R[2] = {1.0, 0.0};
    return marl_markov_new(out, 1, 1, A, 0.5, NULL, P, R, NULL);
}

START_TEST(test_builtin_types) {
    size_t n = marl_solver_type_count();
    ck_assert_uint_ge(n, 1);
    ck_assert_ptr_eq(marl_solver_type_at(0), &marl_solver_markov_best_response);
    ck_assert_ptr_null(marl_solver_type_at(n));
    ck_assert_ptr_null(marl_solver_type_at((size_t)-1));
    ck_assert_ptr_eq(marl_solver_type_find("markov-best-response"),
                     &marl_solver_markov_best_response);
    ck_assert_ptr_null(marl_solver_type_find("Markov-Best-Response"));
    ck_assert_ptr_null(marl_solver_type_find(""));
    ck_assert_ptr_null(marl_solver_type_find(NULL));
    /* Every listed type is found by its name and is structurally valid. */
    for (size_t k = 0; k < n; ++k) {
        const marl_solver_type *t = marl_solver_type_at(k);
        ck_assert_ptr_nonnull(t);
        ck_assert_ptr_eq(marl_solver_type_find(t->name), t);
        ck_assert_int_eq(t->version, MARL_SOLVER_TYPE_VERSION);
        ck_assert_ptr_nonnull(t->summary);
    }
    const marl_solver_type *br = &marl_solver_markov_best_response;
    ck_assert_str_eq(br->name, "markov-best-response");
    ck_assert_uint_eq(br->game_kinds, MARL_KIND_BIT(MARL_GAME_MARKOV));
    ck_assert_uint_eq(marl_solver_type_option_count(br), 1);
    const marl_option_def *eps = marl_solver_type_option(br, 0);
    ck_assert_ptr_nonnull(eps);
    ck_assert_str_eq(eps->name, "epsilon");
    ck_assert_int_eq(eps->type, MARL_OPTION_REAL);
    ck_assert_double_eq(eps->real_default, 1e-10);
    ck_assert_double_eq(eps->real_min, 0.0);
    ck_assert_ptr_null(marl_solver_type_option(br, 1));
    ck_assert_uint_eq(marl_solver_type_option_count(NULL), 0);
    ck_assert_ptr_null(marl_solver_type_option(NULL, 0));
    ck_assert_uint_eq(br->n_metrics, 4);
    ck_assert_str_eq(br->metric_names[0], "nash_gap");
    ck_assert_str_eq(br->metric_names[1], "potential");
    ck_assert_str_eq(br->metric_names[2], "welfare");
    ck_assert_str_eq(br->metric_names[3], "poa");
    ck_assert_int_eq(br->primary_metric, 0);
    /* Built-in names cannot be registered again. */
    ck_assert_int_eq(marl_solver_type_register(br), MARL_EINVAL);
    ck_assert_uint_eq(marl_solver_type_count(), n);
}
END_TEST

START_TEST(test_register_and_run_user_type) {
    size_t n = marl_solver_type_count();
    ck_assert_int_eq(marl_solver_type_register(&toy_type), MARL_OK);
    ck_assert_uint_eq(marl_solver_type_count(), n + 1);
    ck_assert_ptr_eq(marl_solver_type_at(n), &toy_type);
    ck_assert_ptr_eq(marl_solver_type_find("toy-bandit-ascent"), &toy_type);
    /* Registering it again (same pointer or same name) is a duplicate. */
    ck_assert_int_eq(marl_solver_type_register(&toy_type), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "toy-bandit-ascent"));
    marl_solver_type copy = toy_type;
    ck_assert_int_eq(marl_solver_type_register(&copy), MARL_EINVAL);
    ck_assert_uint_eq(marl_solver_type_count(), n + 1);

    marl_game *g = NULL;
    ck_assert_int_eq(bandit_game(&g), MARL_OK);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new_by_name(&s, "toy-bandit-ascent", g),
                     MARL_OK);
    ck_assert_ptr_eq(marl_solver_get_type(s), &toy_type);
    size_t col;
    ck_assert_int_eq(marl_solver_metric_index(s, "regret", &col), MARL_OK);
    ck_assert_uint_eq(col, 2);
    size_t done = 0;
    /* regret_k = 2 - 2 min(1, 0.5 + 0.1k): 0.8, 0.6, 0.4, 0.2, 0 -> stops at
     * k = 5 by the tolerance on the primary metric. */
    ck_assert_int_eq(marl_solver_run(s, 100, 1e-9, 0.0, &done),
                     MARL_CONVERGED);
    ck_assert_uint_eq(done, 5);
    double row[4];
    for (size_t k = 0; k < 5; ++k) {
        ck_assert_int_eq(marl_solver_history_row(s, k, row), MARL_OK);
        double p = 0.5 + 0.1 * (double)(k + 1);
        if (p > 1.0) p = 1.0;
        ck_assert_double_eq(row[0], (double)(k + 1));
        ck_assert_double_eq_tol(row[2], 2.0 - 2.0 * p, 1e-12);
        ck_assert_double_eq_tol(row[3], p, 1e-12);
    }
    double probs[2];
    ck_assert_int_eq(marl_policy_get_row(marl_solver_policy(s), 0, 0, 0, probs),
                     MARL_OK);
    ck_assert_double_eq_tol(probs[0], 1.0, 1e-12);
    marl_solver_free(s);

    /* Options of user types work like built-in ones. */
    ck_assert_int_eq(marl_solver_new(&s, &toy_type, g), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "eta", "0.25"), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 0, 1e-9, 0.0, &done), MARL_CONVERGED);
    ck_assert_uint_eq(done, 2);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

static void expect_rejected(const marl_solver_type *t, int code,
                            const char *needle) {
    size_t n = marl_solver_type_count();
    int rc = marl_solver_type_register(t);
    ck_assert_msg(rc == code, "expected %d, got %d (%s)", code, rc,
                  marl_last_error());
    if (needle)
        ck_assert_msg(strstr(marl_last_error(), needle) != NULL,
                      "message \"%s\" lacks \"%s\"", marl_last_error(),
                      needle);
    ck_assert_uint_eq(marl_solver_type_count(), n);
}

START_TEST(test_invalid_types_rejected) {
    /* static: the last, valid variant stays registered for the process. */
    static marl_solver_type t;
    expect_rejected(NULL, MARL_EINVAL, "NULL");
#define BAD(field, value, code, needle)                                     \
    do {                                                                    \
        t = fake_type;                                                      \
        t.name = "test-invalid";                                            \
        t.field = value;                                                    \
        expect_rejected(&t, code, needle);                                  \
    } while (0)
    BAD(version, 0, MARL_EINVAL, "version 0");
    BAD(version, -1, MARL_EINVAL, "version");
    BAD(version, MARL_SOLVER_TYPE_VERSION + 1, MARL_EINVAL, "version");
    BAD(name, NULL, MARL_EINVAL, "name");
    BAD(name, "", MARL_EINVAL, "name");
    BAD(name, "has space", MARL_EINVAL, "has space");
    BAD(name, "a,b", MARL_EINVAL, "a,b");
    BAD(game_kinds, 0, MARL_EINVAL, "no game kind");
    BAD(game_kinds, MARL_KIND_BIT(MARL_GAME_MARKOV) | (1u << 20), MARL_EINVAL,
        "unknown game-kind");
    BAD(create, NULL, MARL_EINVAL, "create");
    BAD(step, NULL, MARL_EINVAL, "step");
    BAD(policy, NULL, MARL_EINVAL, "policy");
    BAD(destroy, NULL, MARL_EINVAL, "destroy");
    BAD(options, NULL, MARL_EINVAL, "option table");
    BAD(metric_names, NULL, MARL_EINVAL, "metric names");
    BAD(n_metrics, 100000, MARL_ERANGE, "metrics");
    BAD(primary_metric, 3, MARL_ERANGE, "primary metric 3");
    BAD(primary_metric, -2, MARL_ERANGE, "primary metric -2");
#undef BAD
    /* Metric names: missing, reserved, duplicated. */
    static const char *const m_null[] = {"a", NULL};
    static const char *const m_reserved[] = {"a", "seconds"};
    static const char *const m_dup[] = {"a", "b", "a"};
    t = fake_type;
    t.name = "test-invalid";
    t.metric_names = m_null;
    t.n_metrics = 2;
    t.primary_metric = 0;
    expect_rejected(&t, MARL_EINVAL, "metric name 1");
    t.metric_names = m_reserved;
    expect_rejected(&t, MARL_EINVAL, "reserved");
    t.metric_names = m_dup;
    t.n_metrics = 3;
    expect_rejected(&t, MARL_EINVAL, "twice");
    /* Invalid option tables (validated by the options framework). */
    static const marl_option_def dup_opts[] = {
        {"x", MARL_OPTION_INT, "", 0, 0, 1, 0, 0, 0, NULL, NULL},
        {"x", MARL_OPTION_INT, "", 0, 0, 1, 0, 0, 0, NULL, NULL},
    };
    static const marl_option_def bad_default[] = {
        {"x", MARL_OPTION_REAL, "", 0, 0, 0, 5.0, 0.0, 1.0, NULL, NULL},
    };
    t = fake_type;
    t.name = "test-invalid";
    t.options = dup_opts;
    t.n_options = 2;
    expect_rejected(&t, MARL_EINVAL, NULL);
    t.options = bad_default;
    t.n_options = 1;
    ck_assert_int_lt(marl_solver_type_register(&t), 0);
    ck_assert_ptr_null(marl_solver_type_find("test-invalid"));
    /* A valid variant of the same type is accepted: the failures above left
     * no trace. */
    t = fake_type;
    t.name = "test-invalid";
    ck_assert_int_eq(marl_solver_type_register(&t), MARL_OK);
    ck_assert_ptr_eq(marl_solver_type_find("test-invalid"), &t);
}
END_TEST

START_TEST(test_register_alloc_failures) {
    static marl_solver_type t;
    t = fake_type;
    t.name = "test-alloc-register";
    failalloc_install(-1);
    FAILALLOC_SWEEP(marl_solver_type_register(&t), (void)0);
    ck_assert_ptr_eq(marl_solver_type_find("test-alloc-register"), &t);
}
END_TEST

/* ---- threads ------------------------------------------------------------- */

#define N_THREADS 8
static marl_solver_type thread_types[N_THREADS];
static char thread_names[N_THREADS][32];
static marl_solver_type same_name_types[N_THREADS];
static int thread_rc[N_THREADS], same_rc[N_THREADS];

static void *register_worker(void *arg) {
    size_t i = (size_t)(uintptr_t)arg;
    thread_rc[i] = marl_solver_type_register(&thread_types[i]);
    same_rc[i] = marl_solver_type_register(&same_name_types[i]);
    for (int k = 0; k < 100; ++k) {
        (void)marl_solver_type_find("markov-best-response");
        (void)marl_solver_type_at(marl_solver_type_count() - 1);
    }
    return NULL;
}

START_TEST(test_register_threads) {
    size_t n = marl_solver_type_count();
    pthread_t th[N_THREADS];
    for (size_t i = 0; i < N_THREADS; ++i) {
        snprintf(thread_names[i], sizeof thread_names[i], "thread-type-%zu", i);
        thread_types[i] = fake_type;
        thread_types[i].name = thread_names[i];
        same_name_types[i] = fake_type;
        same_name_types[i].name = "thread-type-shared";
    }
    for (size_t i = 0; i < N_THREADS; ++i)
        ck_assert_int_eq(pthread_create(&th[i], NULL, register_worker,
                                        (void *)(uintptr_t)i),
                         0);
    for (size_t i = 0; i < N_THREADS; ++i) pthread_join(th[i], NULL);
    int winners = 0;
    for (size_t i = 0; i < N_THREADS; ++i) {
        ck_assert_int_eq(thread_rc[i], MARL_OK);
        ck_assert_ptr_eq(marl_solver_type_find(thread_names[i]),
                         &thread_types[i]);
        if (same_rc[i] == MARL_OK) {
            winners++;
            ck_assert_ptr_eq(marl_solver_type_find("thread-type-shared"),
                             &same_name_types[i]);
        } else {
            ck_assert_int_eq(same_rc[i], MARL_EINVAL);
        }
    }
    ck_assert_int_eq(winners, 1);
    ck_assert_uint_eq(marl_solver_type_count(), n + N_THREADS + 1);
}
END_TEST

/* Last test: the registry holds a fixed number of user types (256). */
#define MAX_USER 256
static marl_solver_type many[MAX_USER + 1];
static char many_names[MAX_USER + 1][32];

static size_t n_builtin; /* recorded in main before any registration */

START_TEST(test_registry_capacity) {
    size_t before = marl_solver_type_count() - n_builtin;
    size_t registered = 0;
    int rc = MARL_OK;
    for (size_t i = 0; i <= MAX_USER; ++i) {
        snprintf(many_names[i], sizeof many_names[i], "many-%zu", i);
        many[i] = fake_type;
        many[i].name = many_names[i];
        rc = marl_solver_type_register(&many[i]);
        if (rc != MARL_OK) break;
        registered++;
    }
    ck_assert_int_eq(rc, MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "256"));
    ck_assert_uint_eq(before + registered, MAX_USER);
    ck_assert_uint_eq(marl_solver_type_count(), n_builtin + MAX_USER);
    ck_assert_ptr_null(marl_solver_type_find(many_names[registered]));
    ck_assert_ptr_eq(marl_solver_type_find(many_names[registered - 1]),
                     &many[registered - 1]);
}
END_TEST

static Suite *registry_suite(void) {
    Suite *su = suite_create("solver-registry");
    TCase *tc = tcase_create("registry");
    tcase_add_test(tc, test_builtin_types);
    tcase_add_test(tc, test_register_and_run_user_type);
    tcase_add_test(tc, test_invalid_types_rejected);
    tcase_add_test(tc, test_register_alloc_failures);
    tcase_add_test(tc, test_register_threads);
    tcase_add_test(tc, test_registry_capacity);
    suite_add_tcase(su, tc);
    return su;
}

int main(void) {
    n_builtin = marl_solver_type_count();
    return marl_test_run(registry_suite());
}
