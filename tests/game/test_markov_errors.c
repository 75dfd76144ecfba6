/* Tests of the Markov kind's error paths: bad input to every function,
 * limits, the builder left unchanged on error, independent builds, the
 * reference count (also across threads) and allocation-failure injection.
 * SPDX-License-Identifier: MIT */
#include "refgame.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

START_TEST(test_builder_new_errors) {
    marl_markov_builder *b = (marl_markov_builder *)&b, *keep = b;
    size_t A[70];
    for (size_t i = 0; i < 70; ++i) A[i] = 2;
    ck_assert_int_eq(marl_markov_builder_new(NULL, 1, 1, A), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_new(&b, 0, 1, A), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_new(&b, 65, 1, A), MARL_ERANGE);
    ck_assert(has("MARL_MARKOV_MAX_AGENTS"));
    ck_assert_int_eq(marl_markov_builder_new(&b, 1, 0, A), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_new(&b, 1, 1, NULL), MARL_EINVAL);
    size_t Az[3] = {2, 0, 2};
    ck_assert_int_eq(marl_markov_builder_new(&b, 3, 1, Az), MARL_EINVAL);
    ck_assert(has("agent 1 has 0 actions"));
    /* S*J*S over the limit: S = 2^15 + 1, J = 1. */
    size_t one[1] = {1};
    ck_assert_int_eq(marl_markov_builder_new(&b, 1, ((size_t)1 << 15) + 1, one),
                     MARL_ERANGE);
    ck_assert(has("transition table"));
    /* J alone beyond the limit (and products that overflow size_t). */
    ck_assert_int_eq(marl_markov_builder_new(&b, 64, 1, A), MARL_ERANGE);
    size_t huge[3] = {SIZE_MAX / 2, SIZE_MAX / 2, 3};
    ck_assert_int_eq(marl_markov_builder_new(&b, 3, 1, huge), MARL_ERANGE);
    /* N*S*J over the limit while S*J*S is not: S = 1, J = 2^25, N = 40. */
    size_t A40[40];
    for (size_t i = 0; i < 40; ++i) A40[i] = i < 25 ? 2 : 1;
    ck_assert_int_eq(marl_markov_builder_new(&b, 40, 1, A40), MARL_ERANGE);
    ck_assert(has("reward table"));
    ck_assert_ptr_eq(b, keep); /* untouched */
    /* Exactly at the limit is accepted (no table is allocated yet). */
    ck_assert_int_eq(marl_markov_builder_new(&b, 1, (size_t)1 << 15, one),
                     MARL_OK);
    marl_markov_builder_free(b);
    marl_markov_builder_free(NULL);
}
END_TEST

START_TEST(test_setter_errors) {
    make_tables();
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&b, NA, NS, ACT), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_discount(NULL, 0.5), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_discount(b, -0.1), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_discount(b, 1.0), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_discount(b, NAN), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_discount(b, INFINITY), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_discount(b, 0.0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_initial(NULL, MU0), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_initial(b, NULL), MARL_EINVAL);
    double bad_mu[2] = {0.5, 0.4};
    ck_assert_int_eq(marl_markov_builder_set_initial(b, bad_mu), MARL_EINVAL);
    ck_assert(has("initial distribution mu sums to"));
    bad_mu[1] = NAN;
    ck_assert_int_eq(marl_markov_builder_set_initial(b, bad_mu), MARL_EINVAL);
    bad_mu[0] = 1.5;
    bad_mu[1] = -0.5;
    ck_assert_int_eq(marl_markov_builder_set_initial(b, bad_mu), MARL_EINVAL);
    ck_assert(has("negative"));
    ck_assert_int_eq(marl_markov_builder_set_name(NULL, "x"), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_name(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_normalize(NULL, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_transitions(NULL, P0), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_rewards(NULL, R0), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_potential(NULL, PHI0), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_potential(b, NULL), MARL_EINVAL);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(NULL, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_build(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_EINVAL);
    ck_assert(has("transitions are missing"));
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_EINVAL);
    ck_assert(has("rewards are missing"));
    ck_assert_ptr_null(g);
    marl_markov_builder_free(b);
}
END_TEST

START_TEST(test_table_validation_unchanged) {
    make_tables();
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&b, NA, NS, ACT), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_potential(b, PHI0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_initial(b, MU0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_discount(b, 0.8), MARL_OK);

    double P[NS * NJ * NS], R[NA * NS * NJ], phi[NS * NJ];
    memcpy(P, P0, sizeof P);
    /* state 1, joint 3 sums to 0.98 */
    P[(1 * NJ + 3) * NS + 0] = 0.5;
    P[(1 * NJ + 3) * NS + 1] = 0.48;
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    ck_assert(has("transition row of state 1, joint action 3 sums to 0.98"));
    ck_assert(has("expected 1"));
    P[(1 * NJ + 3) * NS + 1] = NAN;
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    ck_assert(has("state 1, joint action 3"));
    ck_assert(has("not finite"));
    P[(1 * NJ + 3) * NS + 0] = 1.5;
    P[(1 * NJ + 3) * NS + 1] = -0.5;
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    ck_assert(has("negative"));
    /* Normalisation on: a negative entry is still an error, a zero row too. */
    ck_assert_int_eq(marl_markov_builder_set_normalize(b, 1), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    P[(1 * NJ + 3) * NS + 0] = 0.0;
    P[(1 * NJ + 3) * NS + 1] = 0.0;
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    ck_assert(has("cannot be normalised"));
    P[(1 * NJ + 3) * NS + 0] = INFINITY;
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_set_normalize(b, 0), MARL_OK);

    memcpy(R, R0, sizeof R);
    R[(1 * NS + 0) * NJ + 5] = INFINITY;
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_EINVAL);
    ck_assert(has("reward of agent 1 at state 0, joint action 5"));
    memcpy(phi, PHI0, sizeof phi);
    phi[1 * NJ + 2] = NAN;
    ck_assert_int_eq(marl_markov_builder_set_potential(b, phi), MARL_EINVAL);
    ck_assert(has("potential at state 1, joint action 2"));

    /* The builder still holds the first (valid) tables. */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_ref_tables(g, P0, R0, PHI0);
    ck_assert(marl_game_discount(g) == 0.8);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

START_TEST(test_normalize_dense) {
    make_tables();
    double P[NS * NJ * NS];
    for (size_t k = 0; k < NS * NJ * NS; ++k) P[k] = 3.0 * P0[k];
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&b, NA, NS, ACT), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    ck_assert(has("sums to 3"));
    ck_assert_int_eq(marl_markov_builder_set_normalize(b, 7), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R0), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    double row[NS];
    for (size_t s = 0; s < NS; ++s)
        for (size_t j = 0; j < NJ; ++j) {
            marl_markov_transition_row(g, s, j, row);
            double p = 3.0 * P0[(s * NJ + j) * NS];
            double q = 3.0 * P0[(s * NJ + j) * NS + 1];
            ck_assert(row[0] == p / (p + q));
            ck_assert(row[1] == q / (p + q));
        }
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

START_TEST(test_independent_builds) {
    make_tables();
    marl_markov_builder *b = NULL;
    double P[NS * NJ * NS], R[NA * NS * NJ];
    memcpy(P, P0, sizeof P);
    memcpy(R, R0, sizeof R);
    ck_assert_int_eq(marl_markov_builder_new(&b, NA, NS, ACT), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_name(b, "first"), MARL_OK);
    /* The dense tables were copied: changing the source changes nothing. */
    P[0] = 0.0;
    P[1] = 1.0;
    R[0] = -1e9;
    marl_game *g1 = NULL, *g2 = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g1), MARL_OK);
    check_ref_tables(g1, P0, R0, NULL);
    ck_assert_int_eq(marl_markov_builder_set_name(b, "second"), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_potential(b, PHI0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_build(b, &g2), MARL_OK);
    ck_assert_ptr_ne(g1, g2);
    ck_assert_ptr_ne(marl_markov_of(g1)->P, marl_markov_of(g2)->P);
    ck_assert_str_eq(marl_game_name(g1), "first");
    ck_assert_str_eq(marl_game_name(g2), "second");
    ck_assert_int_eq(marl_markov_has_potential(g1), 0);
    ck_assert_int_eq(marl_markov_has_potential(g2), 1);
    double v;
    marl_markov_reward(g2, 0, 0, 0, &v);
    ck_assert(v == -1e9);
    marl_markov_builder_free(b); /* games outlive the builder */
    marl_game_free(g2);
    check_ref_tables(g1, P0, R0, NULL);
    marl_game_free(g1);
}
END_TEST

START_TEST(test_accessor_errors) {
    marl_game *g = ref_game();
    marl_game *pop = NULL;
    size_t A[2] = {2, 2};
    ck_assert_int_eq(marl_game_alloc(&pop, MARL_GAME_POPULATION, 2, 3, A, NULL),
                     MARL_OK);
    ck_assert_str_eq(marl_game_name(pop), "");
    size_t a[2] = {1, 2}, j = 77, act[2] = {7, 7};
    double v = 42.0, row[2] = {5, 5}, mu[2] = {5, 5};
    /* NULL game: EINVAL; other kind: EKIND. */
    ck_assert_int_eq(marl_markov_joint_encode(NULL, a, &j), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_joint_encode(pop, a, &j), MARL_EKIND);
    ck_assert(has("expected 'markov'"));
    ck_assert_int_eq(marl_markov_joint_decode(NULL, 0, act), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_joint_decode(pop, 0, act), MARL_EKIND);
    ck_assert_int_eq(marl_markov_transition_row(NULL, 0, 0, row), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_transition_row(pop, 0, 0, row), MARL_EKIND);
    ck_assert_int_eq(marl_markov_reward(NULL, 0, 0, 0, &v), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_reward(pop, 0, 0, 0, &v), MARL_EKIND);
    ck_assert_int_eq(marl_markov_initial(NULL, mu), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_initial(pop, mu), MARL_EKIND);
    ck_assert_int_eq(marl_markov_potential(NULL, 0, 0, &v), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_potential(pop, 0, 0, &v), MARL_EKIND);
    ck_assert_uint_eq(marl_markov_num_joint(pop), 0);
    ck_assert_int_eq(marl_markov_has_potential(pop), 0);
    ck_assert_int_eq(marl_require_markov(pop, "f"), MARL_EKIND);
    ck_assert(has("f: game '' is of kind 'population'"));
    ck_assert_int_eq(marl_require_markov(NULL, "f"), MARL_EINVAL);
    ck_assert_int_eq(marl_require_markov(g, "f"), MARL_OK);
    marl_game *shell = NULL; /* a Markov shell without data */
    ck_assert_int_eq(marl_game_alloc(&shell, MARL_GAME_MARKOV, 2, 3, A, "sh"),
                     MARL_OK);
    ck_assert_int_eq(marl_require_markov(shell, NULL), MARL_EINVAL);
    ck_assert(has("'sh' has no Markov data"));
    ck_assert_uint_eq(marl_markov_num_joint(shell), 0);
    marl_game_free(shell);
    /* NULL outputs. */
    ck_assert_int_eq(marl_markov_joint_encode(g, NULL, &j), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_joint_encode(g, a, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_joint_decode(g, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_transition_row(g, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_reward(g, 0, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_initial(g, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_potential(g, 0, 0, NULL), MARL_EINVAL);
    /* Ranges. */
    size_t bad0[2] = {2, 0}, bad1[2] = {0, 3};
    ck_assert_int_eq(marl_markov_joint_encode(g, bad0, &j), MARL_ERANGE);
    ck_assert(has("action 2 of agent 0"));
    ck_assert_int_eq(marl_markov_joint_encode(g, bad1, &j), MARL_ERANGE);
    ck_assert(has("action 3 of agent 1"));
    ck_assert_int_eq(marl_markov_joint_decode(g, 6, act), MARL_ERANGE);
    ck_assert(has("joint action 6"));
    ck_assert_int_eq(marl_markov_transition_row(g, 2, 0, row), MARL_ERANGE);
    ck_assert(has("state 2"));
    ck_assert_int_eq(marl_markov_transition_row(g, 0, 6, row), MARL_ERANGE);
    ck_assert_int_eq(marl_markov_reward(g, 2, 0, 0, &v), MARL_ERANGE);
    ck_assert(has("agent 2"));
    ck_assert_int_eq(marl_markov_reward(g, 0, 2, 0, &v), MARL_ERANGE);
    ck_assert_int_eq(marl_markov_reward(g, 0, 0, 6, &v), MARL_ERANGE);
    ck_assert_int_eq(marl_markov_potential(g, 2, 0, &v), MARL_ERANGE);
    ck_assert_int_eq(marl_markov_potential(g, 0, 6, &v), MARL_ERANGE);
    /* Outputs untouched by every failure above. */
    ck_assert_uint_eq(j, 77);
    ck_assert(act[0] == 7 && act[1] == 7 && v == 42.0);
    ck_assert(row[0] == 5 && row[1] == 5 && mu[0] == 5 && mu[1] == 5);
    /* No potential. */
    marl_game *np = NULL;
    ck_assert_int_eq(marl_markov_new(&np, NA, NS, ACT, 0.5, NULL, P0, R0, NULL),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_potential(np, 0, 0, &v), MARL_EINVAL);
    ck_assert(has("has no potential"));
    ck_assert(v == 42.0);
    marl_game_free(np);
    marl_game_free(pop);
    marl_game_free(g);
}
END_TEST

START_TEST(test_markov_new_errors) {
    make_tables();
    marl_game *g = (marl_game *)&g, *keep = g;
    ck_assert_int_eq(marl_markov_new(NULL, NA, NS, ACT, 0.5, NULL, P0, R0,
                                     NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_new(&g, 0, NS, ACT, 0.5, NULL, P0, R0, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_new(&g, NA, NS, ACT, 1.5, NULL, P0, R0, NULL),
                     MARL_EINVAL);
    double mu[2] = {1, 1};
    ck_assert_int_eq(marl_markov_new(&g, NA, NS, ACT, 0.5, mu, P0, R0, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_new(&g, NA, NS, ACT, 0.5, NULL, NULL, R0,
                                     NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_new(&g, NA, NS, ACT, 0.5, NULL, P0, NULL,
                                     NULL), MARL_EINVAL);
    double phi[NS * NJ] = {0};
    phi[3] = NAN;
    ck_assert_int_eq(marl_markov_new(&g, NA, NS, ACT, 0.5, NULL, P0, R0, phi),
                     MARL_EINVAL);
    ck_assert_ptr_eq(g, keep);
}
END_TEST

START_TEST(test_game_alloc) {
    failalloc_install(-1);
    long live = failalloc_live();
    size_t A[3] = {4, 5, 6};
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_alloc(NULL, 1, 3, 2, A, "x"), MARL_EINVAL);
    ck_assert_int_eq(marl_game_alloc(&g, 1, 0, 2, A, "x"), MARL_EINVAL);
    ck_assert_int_eq(marl_game_alloc(&g, 1, 3, 2, NULL, "x"), MARL_EINVAL);
    ck_assert_ptr_null(g);
    FAILALLOC_SWEEP(marl_game_alloc(&g, MARL_GAME_AGGREGATIVE, 3, 2, A, "agg"),
                    marl_game_free(g));
    ck_assert_int_eq(marl_game_alloc(&g, MARL_GAME_AGGREGATIVE, 3, 2, A, "agg"),
                     MARL_OK);
    A[0] = 99; /* copied */
    ck_assert_uint_eq(marl_game_num_actions(g, 0), 4);
    ck_assert_uint_eq(marl_game_num_actions(g, 2), 6);
    ck_assert_str_eq(marl_game_name(g), "agg");
    ck_assert_int_eq(marl_game_kind(g), MARL_GAME_AGGREGATIVE);
    /* Reference counting: freed with the last reference only. */
    ck_assert_ptr_eq(marl_game_ref(g), g);
    ck_assert_ptr_eq(marl_game_ref(g), g);
    marl_game_unref(g);
    marl_game_free(g);
    ck_assert_str_eq(marl_game_name(g), "agg"); /* still alive */
    marl_game_unref(g);
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

static void *ref_worker(void *arg) {
    marl_game *g = arg;
    for (int k = 0; k < 20000; ++k) {
        marl_game_ref(g);
        marl_game_unref(g);
    }
    return NULL;
}

START_TEST(test_refcount_threads) {
    marl_game *g = ref_game();
    pthread_t th[8];
    for (int k = 0; k < 8; ++k)
        ck_assert_int_eq(pthread_create(&th[k], NULL, ref_worker, g), 0);
    for (int k = 0; k < 8; ++k) pthread_join(th[k], NULL);
    ck_assert_uint_eq(atomic_load(&g->refcount), 1);
    marl_game_free(g);
}
END_TEST

/* ---- allocation-failure sweeps ------------------------------------------ */

static int cb_t(size_t s, size_t j, const size_t *a, double *row, void *u) {
    (void)a;
    (void)u;
    row[0] = P0[(s * NJ + j) * NS];
    row[1] = P0[(s * NJ + j) * NS + 1];
    return 0;
}
static int cb_r(size_t s, size_t j, const size_t *a, double *r, void *u) {
    (void)a;
    (void)u;
    for (size_t i = 0; i < NA; ++i) r[i] = R0[(i * NS + s) * NJ + j];
    return 0;
}
static int cb_p(size_t s, size_t j, const size_t *a, double *phi, void *u) {
    (void)a;
    (void)u;
    *phi = PHI0[s * NJ + j];
    return 0;
}

START_TEST(test_failalloc_sweeps) {
    make_tables();
    failalloc_install(-1);
    long live = failalloc_live();
    marl_markov_builder *b = NULL;
    marl_game *g = NULL;
    FAILALLOC_SWEEP(marl_markov_builder_new(&b, NA, NS, ACT),
                    marl_markov_builder_free(b));
    ck_assert_int_eq(marl_markov_builder_new(&b, NA, NS, ACT), MARL_OK);
    /* Each table exists before its sweep, so a successful call replaces one
     * block by another and the live count is unchanged. */
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_potential(b, PHI0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_name(b, "first"), MARL_OK);
    FAILALLOC_SWEEP(marl_markov_builder_set_transitions(b, P0), (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_set_rewards(b, R0), (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_set_potential(b, PHI0), (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_fill_transitions(b, cb_t, NULL),
                    (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_fill_rewards(b, cb_r, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_fill_potential(b, cb_p, NULL),
                    (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_set_name(b, "swept"), (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_build(b, &g), marl_game_free(g));
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    ck_assert_str_eq(marl_game_name(g), "swept");
    check_ref_tables(g, P0, R0, PHI0);
    marl_game_free(g);
    marl_markov_builder_free(b);
    FAILALLOC_SWEEP(marl_markov_new(&g, NA, NS, ACT, 0.8, MU0, P0, R0, PHI0),
                    marl_game_free(g));
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

/* A failed set/fill under allocation failure leaves the previous table. */
START_TEST(test_failalloc_keeps_tables) {
    make_tables();
    failalloc_install(-1);
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&b, NA, NS, ACT), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R0), MARL_OK);
    double R[NA * NS * NJ];
    for (size_t k = 0; k < NA * NS * NJ; ++k) R[k] = -R0[k];
    failalloc_install(0);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_ENOMEM);
    failalloc_install(0);
    ck_assert_int_eq(marl_markov_builder_fill_transitions(b, cb_t, NULL),
                     MARL_ENOMEM);
    failalloc_uninstall();
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_ref_tables(g, P0, R0, NULL);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

int main(void) {
    Suite *s = suite_create("game-markov-errors");
    TCase *tc = tcase_create("errors");
    tcase_add_test(tc, test_builder_new_errors);
    tcase_add_test(tc, test_setter_errors);
    tcase_add_test(tc, test_table_validation_unchanged);
    tcase_add_test(tc, test_normalize_dense);
    tcase_add_test(tc, test_independent_builds);
    tcase_add_test(tc, test_accessor_errors);
    tcase_add_test(tc, test_markov_new_errors);
    tcase_add_test(tc, test_game_alloc);
    tcase_add_test(tc, test_refcount_threads);
    tcase_add_test(tc, test_failalloc_sweeps);
    tcase_add_test(tc, test_failalloc_keeps_tables);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
