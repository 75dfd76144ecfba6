/* Tests of the game object and the Markov kind's builder: tables copied
 * exactly, callback order, validation messages, normalisation, builder
 * unchanged on error, limits, independence of built games.
 * SPDX-License-Identifier: MIT */
#include "game/game_impl.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "refgame.h"

START_TEST(test_shared_accessors_null) {
    ck_assert_int_eq(marl_game_kind(NULL), 0);
    ck_assert_str_eq(marl_game_name(NULL), "");
    ck_assert_uint_eq(marl_game_num_agents(NULL), 0);
    ck_assert_uint_eq(marl_game_num_states(NULL), 0);
    ck_assert_uint_eq(marl_game_num_actions(NULL, 0), 0);
    ck_assert_uint_eq(marl_game_horizon(NULL), 0);
    ck_assert(marl_game_discount(NULL) == 0.0);
    ck_assert_ptr_null(marl_game_ref(NULL));
    marl_game_unref(NULL);
    marl_game_free(NULL);
    ck_assert_str_eq(marl_game_kind_name(MARL_GAME_MARKOV), "markov");
    ck_assert_str_eq(marl_game_kind_name(MARL_GAME_POPULATION), "population");
    ck_assert_str_eq(marl_game_kind_name(MARL_GAME_AGGREGATIVE), "aggregative");
    ck_assert_str_eq(marl_game_kind_name(MARL_GAME_GLOBAL_LOCAL),
                     "global-local");
    ck_assert_str_eq(marl_game_kind_name(0), "unknown");
    ck_assert_str_eq(marl_game_kind_name(99), "unknown");
    ck_assert_uint_eq(marl_markov_num_joint(NULL), 0);
    ck_assert_int_eq(marl_markov_has_potential(NULL), 0);
}
END_TEST

START_TEST(test_reference_game) {
    marl_game *g = ref_game();
    ck_assert_int_eq(marl_game_kind(g), MARL_GAME_MARKOV);
    ck_assert_str_eq(marl_game_name(g), "");
    ck_assert_uint_eq(marl_game_num_agents(g), 2);
    ck_assert_uint_eq(marl_game_num_states(g), 2);
    ck_assert_uint_eq(marl_game_num_actions(g, 0), 2);
    ck_assert_uint_eq(marl_game_num_actions(g, 1), 3);
    ck_assert_uint_eq(marl_game_num_actions(g, 2), 0);
    ck_assert_uint_eq(marl_game_horizon(g), 0);
    ck_assert(marl_game_discount(g) == 0.8);
    ck_assert_uint_eq(marl_markov_num_joint(g), 6);
    ck_assert_int_eq(marl_markov_has_potential(g), 1);
    double mu[NS];
    ck_assert_int_eq(marl_markov_initial(g, mu), MARL_OK);
    ck_assert(mu[0] == 0.25 && mu[1] == 0.75);
    check_ref_tables(g, P0, R0, PHI0);
    /* Joint encoding: j = a0 * 3 + a1 (player 0 slowest). */
    for (size_t a0 = 0; a0 < 2; ++a0)
        for (size_t a1 = 0; a1 < 3; ++a1) {
            size_t a[2] = {a0, a1}, j = 99, back[2] = {9, 9};
            ck_assert_int_eq(marl_markov_joint_encode(g, a, &j), MARL_OK);
            ck_assert_uint_eq(j, a0 * 3 + a1);
            ck_assert_int_eq(marl_markov_joint_decode(g, j, back), MARL_OK);
            ck_assert_uint_eq(back[0], a0);
            ck_assert_uint_eq(back[1], a1);
        }
    const marl_markov_data *d = marl_markov_of(g);
    ck_assert_uint_eq(d->stride[0], 3);
    ck_assert_uint_eq(d->stride[1], 1);
    marl_game_free(g);
}
END_TEST

START_TEST(test_encode_three_agents) {
    /* A = (3, 2, 4): stride = (8, 4, 1), J = 24; exhaustive round trip. */
    size_t A[3] = {3, 2, 4};
    size_t J = 24;
    double *P = calloc(2 * J * 2, sizeof *P), *R = calloc(3 * 2 * J, sizeof *R);
    for (size_t k = 0; k < 2 * J; ++k) P[2 * k] = 1.0;
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_new(&g, 3, 2, A, 0.5, NULL, P, R, NULL),
                     MARL_OK);
    ck_assert_uint_eq(marl_markov_num_joint(g), J);
    ck_assert_int_eq(marl_markov_has_potential(g), 0);
    double mu[2];
    ck_assert_int_eq(marl_markov_initial(g, mu), MARL_OK);
    ck_assert(mu[0] == 0.5 && mu[1] == 0.5);
    size_t j = 0;
    for (size_t a0 = 0; a0 < 3; ++a0)
        for (size_t a1 = 0; a1 < 2; ++a1)
            for (size_t a2 = 0; a2 < 4; ++a2, ++j) {
                size_t a[3] = {a0, a1, a2}, e, back[3];
                ck_assert_int_eq(marl_markov_joint_encode(g, a, &e), MARL_OK);
                ck_assert_uint_eq(e, j);
                ck_assert_uint_eq(e, a0 * 8 + a1 * 4 + a2);
                ck_assert_int_eq(marl_markov_joint_decode(g, j, back), MARL_OK);
                ck_assert(back[0] == a0 && back[1] == a1 && back[2] == a2);
            }
    marl_game_free(g);
    free(P);
    free(R);
}
END_TEST

/* ---- callbacks ---------------------------------------------------------- */

typedef struct rec {
    size_t calls, last_s, last_j;
    int ordered, actions_ok, zeroed;
    int fail_at; /* call index that returns non-zero, or -1 */
} rec;

static void record(rec *r, size_t s, size_t j, const size_t *a) {
    size_t idx = s * NJ + j;
    if (idx != r->calls) r->ordered = 0;
    if (a[0] * 3 + a[1] != j || a[0] >= 2 || a[1] >= 3) r->actions_ok = 0;
    r->calls++;
    r->last_s = s;
    r->last_j = j;
}

static int cb_trans(size_t s, size_t j, const size_t *a, double *row,
                    void *user) {
    rec *r = user;
    if (row[0] != 0.0 || row[1] != 0.0) r->zeroed = 0;
    record(r, s, j, a);
    if ((int)(r->calls - 1) == r->fail_at) return 7;
    row[0] = P0[(s * NJ + j) * NS];
    row[1] = P0[(s * NJ + j) * NS + 1];
    return 0;
}
static int cb_reward(size_t s, size_t j, const size_t *a, double *out,
                     void *user) {
    rec *r = user;
    record(r, s, j, a);
    if ((int)(r->calls - 1) == r->fail_at) return -1;
    for (size_t i = 0; i < NA; ++i) out[i] = R0[(i * NS + s) * NJ + j];
    return 0;
}
static int cb_phi(size_t s, size_t j, const size_t *a, double *phi,
                  void *user) {
    rec *r = user;
    record(r, s, j, a);
    if ((int)(r->calls - 1) == r->fail_at) return 1;
    *phi = PHI0[s * NJ + j];
    return 0;
}

static marl_markov_builder *new_builder(void) {
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&b, NA, NS, ACT), MARL_OK);
    return b;
}

START_TEST(test_callbacks_order) {
    make_tables();
    marl_markov_builder *b = new_builder();
    rec rt = {0, 0, 0, 1, 1, 1, -1}, rr = rt, rp = rt;
    ck_assert_int_eq(marl_markov_builder_fill_transitions(b, cb_trans, &rt),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_builder_fill_rewards(b, cb_reward, &rr),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_builder_fill_potential(b, cb_phi, &rp),
                     MARL_OK);
    ck_assert_uint_eq(rt.calls, NS * NJ);
    ck_assert_uint_eq(rr.calls, NS * NJ);
    ck_assert_uint_eq(rp.calls, NS * NJ);
    ck_assert(rt.ordered && rr.ordered && rp.ordered);
    ck_assert(rt.actions_ok && rr.actions_ok && rp.actions_ok);
    ck_assert(rt.zeroed);
    ck_assert_int_eq(marl_markov_builder_set_name(b, "cb-game"), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    ck_assert_str_eq(marl_game_name(g), "cb-game");
    ck_assert(marl_game_discount(g) == 0.9); /* default */
    double mu[NS];
    marl_markov_initial(g, mu);
    ck_assert(mu[0] == 0.5 && mu[1] == 0.5); /* default uniform */
    check_ref_tables(g, P0, R0, PHI0);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

START_TEST(test_callback_failure) {
    make_tables();
    marl_markov_builder *b = new_builder();
    rec r = {0, 0, 0, 1, 1, 1, 8}; /* 9th call: state 1, joint 2 */
    ck_assert_int_eq(marl_markov_builder_fill_transitions(b, cb_trans, &r),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "state 1, joint action 2"));
    ck_assert_uint_eq(r.calls, 9); /* stopped at once */
    rec r2 = {0, 0, 0, 1, 1, 1, 0};
    ck_assert_int_eq(marl_markov_builder_fill_rewards(b, cb_reward, &r2),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "state 0, joint action 0"));
    rec r3 = {0, 0, 0, 1, 1, 1, 11};
    ck_assert_int_eq(marl_markov_builder_fill_potential(b, cb_phi, &r3),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "state 1, joint action 5"));
    ck_assert_int_eq(marl_markov_builder_fill_transitions(b, NULL, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_rewards(b, NULL, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_potential(b, NULL, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_transitions(NULL, cb_trans, &r),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_rewards(NULL, cb_reward, &r),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_potential(NULL, cb_phi, &r),
                     MARL_EINVAL);
    /* Nothing was stored: build still reports missing transitions. */
    marl_game *g = (marl_game *)&r;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_EINVAL);
    ck_assert_ptr_eq(g, (marl_game *)&r);
    marl_markov_builder_free(b);
}
END_TEST

static int cb_bad_row(size_t s, size_t j, const size_t *a, double *row,
                      void *user) {
    (void)a;
    (void)user;
    row[0] = 0.5;
    row[1] = (s == 1 && j == 4) ? 0.25 : 0.5;
    return 0;
}
static int cb_nan_reward(size_t s, size_t j, const size_t *a, double *out,
                         void *user) {
    (void)a;
    (void)user;
    out[0] = 1.0;
    out[1] = (s == 0 && j == 3) ? NAN : 2.0;
    return 0;
}
static int cb_inf_phi(size_t s, size_t j, const size_t *a, double *phi,
                      void *user) {
    (void)a;
    (void)user;
    *phi = (s == 1 && j == 1) ? -INFINITY : 0.0;
    return 0;
}

START_TEST(test_callback_validation) {
    marl_markov_builder *b = new_builder();
    ck_assert_int_eq(marl_markov_builder_fill_transitions(b, cb_bad_row, NULL),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(),
                                 "transition row of state 1, joint action 4 "
                                 "sums to 0.75"));
    ck_assert_int_eq(marl_markov_builder_fill_rewards(b, cb_nan_reward, NULL),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(),
                                 "reward of agent 1 at state 0, joint action 3"));
    ck_assert_int_eq(marl_markov_builder_fill_potential(b, cb_inf_phi, NULL),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(),
                                 "potential at state 1, joint action 1"));
    /* With normalisation on, the bad row is rescaled to (2/3, 1/3). */
    ck_assert_int_eq(marl_markov_builder_set_normalize(b, 1), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_fill_transitions(b, cb_bad_row, NULL),
                     MARL_OK);
    make_tables();
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R0), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    double row[2];
    marl_markov_transition_row(g, 1, 4, row);
    ck_assert_double_eq_tol(row[0], 2.0 / 3.0, 1e-15);
    ck_assert_double_eq_tol(row[1], 1.0 / 3.0, 1e-15);
    marl_markov_transition_row(g, 0, 4, row);
    ck_assert(row[0] == 0.5 && row[1] == 0.5);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

int main(void) {
    Suite *s = suite_create("game-markov");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_shared_accessors_null);
    tcase_add_test(tc, test_reference_game);
    tcase_add_test(tc, test_encode_three_agents);
    tcase_add_test(tc, test_callbacks_order);
    tcase_add_test(tc, test_callback_failure);
    tcase_add_test(tc, test_callback_validation);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
