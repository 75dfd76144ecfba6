/*
 * Population games: builder, accessors, validation of callback results
 * (errors name agent, step, state, action), bad inputs, ownership of the
 * user data and allocation failures.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "failalloc.h"
#include "pop_games.h"

#include <marlgame/marlgame.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

START_TEST(test_build_and_access) {
    int destroyed = 0;
    pop_toy t = {.N = 5, .S = 3, .A = 2, .destroyed = &destroyed};
    const double rho0[3] = {0.2, 0.3, 0.5};
    marl_game *g = NULL;
    ck_assert_int_eq(pop_toy_build(&t, 4, 0, rho0, &g), MARL_OK);
    ck_assert_int_eq(marl_game_kind(g), MARL_GAME_POPULATION);
    ck_assert_str_eq(marl_game_name(g), "toy");
    ck_assert_uint_eq(marl_game_num_agents(g), 5);
    ck_assert_uint_eq(marl_game_num_states(g), 3);
    ck_assert_uint_eq(marl_game_num_actions(g, 4), 2);
    ck_assert_uint_eq(marl_game_horizon(g), 4);
    ck_assert_int_eq(marl_population_is_symmetric(g), 0);
    double r0[3];
    ck_assert_int_eq(marl_population_initial(g, r0), MARL_OK);
    for (int s = 0; s < 3; ++s) ck_assert_double_eq(r0[s], rho0[s]);
    double sigma[6] = {0.1, 0.2, 0.3, 0.1, 0.2, 0.1}, row[3], row2[3], r, r2;
    ck_assert_int_eq(marl_population_transition(g, 3, 2, 1, 1, sigma, row),
                     MARL_OK);
    pop_toy_transition(&t, 3, 2, 1, 1, sigma, row2);
    for (int k = 0; k < 3; ++k) ck_assert_double_eq(row[k], row2[k]);
    ck_assert_int_eq(marl_population_reward(g, 3, 2, 1, 1, sigma, &r), MARL_OK);
    pop_toy_reward(&t, 3, 2, 1, 1, sigma, &r2);
    ck_assert_double_eq(r, r2);
    ck_assert_int_eq(destroyed, 0);
    marl_game_free(g);
    ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(test_symmetric_calls_agent0) {
    pop_toy t = {.N = 7, .S = 2, .A = 2};
    marl_game *g = NULL;
    ck_assert_int_eq(pop_toy_build(&t, 2, 1, NULL, &g), MARL_OK);
    ck_assert_int_eq(marl_population_is_symmetric(g), 1);
    double rho0[2];
    ck_assert_int_eq(marl_population_initial(g, rho0), MARL_OK);
    ck_assert_double_eq(rho0[0], 0.5);
    double sigma[4] = {0.25, 0.25, 0.25, 0.25}, r6, r0;
    ck_assert_int_eq(marl_population_reward(g, 6, 0, 1, 0, sigma, &r6),
                     MARL_OK);
    pop_toy_reward(&t, 0, 0, 1, 0, sigma, &r0);
    ck_assert_double_eq(r6, r0); /* agent 0's reward, not agent 6's */
    marl_game_free(g);
}
END_TEST

/* Each defect is reported by the accessor with agent, step, state, action. */
START_TEST(test_validation_errors) {
    static const char *what[7] = {"", "sums to", "not finite",
                                  "callback failed", "callback failed",
                                  "negative", "not finite"};
    for (int mode = 1; mode <= 6; ++mode) {
        pop_toy t = {.N = 4, .S = 3, .A = 2, .mode = mode, .bad_agent = 2,
                     .bad_step = 1, .bad_state = 2, .bad_action = 1};
        marl_game *g = NULL;
        ck_assert_int_eq(pop_toy_build(&t, 3, 0, NULL, &g), MARL_OK);
        double sigma[6] = {0.1, 0.2, 0.3, 0.1, 0.2, 0.1}, row[3], r;
        int is_reward = mode == 2 || mode == 4;
        /* neighbours are fine */
        ck_assert_int_eq(marl_population_transition(g, 1, 1, 2, 1, sigma, row),
                         MARL_OK);
        ck_assert_int_eq(marl_population_reward(g, 2, 1, 2, 0, sigma, &r),
                         MARL_OK);
        int rc = is_reward
                     ? marl_population_reward(g, 2, 1, 2, 1, sigma, &r)
                     : marl_population_transition(g, 2, 1, 2, 1, sigma, row);
        ck_assert_int_eq(rc, MARL_EINVAL);
        ck_assert_msg(has("agent 2") && has("step 1") && has("state 2") &&
                          has("action 1") && has(what[mode]),
                      "mode %d: %s", mode, marl_last_error());
        ck_assert_msg(has(is_reward ? "reward" : "transition"), "%s",
                      marl_last_error());
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_bad_inputs) {
    marl_population_builder *b = NULL;
    ck_assert_int_eq(marl_population_builder_new(NULL, 1, 1, 1, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_new(&b, 0, 1, 1, 1), MARL_EINVAL);
    ck_assert(has("n_agents"));
    ck_assert_int_eq(marl_population_builder_new(&b, 1, 0, 1, 1), MARL_EINVAL);
    ck_assert(has("n_states"));
    ck_assert_int_eq(marl_population_builder_new(&b, 1, 1, 0, 1), MARL_EINVAL);
    ck_assert(has("n_actions"));
    ck_assert_int_eq(marl_population_builder_new(&b, 1, 1, 1, 0), MARL_EINVAL);
    ck_assert(has("horizon"));
    ck_assert_int_eq(marl_population_builder_new(&b, 1, SIZE_MAX / 2, 4, 4),
                     MARL_ERANGE);
    ck_assert_ptr_null(b);

    ck_assert_int_eq(marl_population_builder_new(&b, 100000, 2, 2, 3), MARL_OK);
    const double bad[2] = {0.5, 0.6}, nanr[2] = {NAN, 1.0};
    ck_assert_int_eq(marl_population_builder_set_initial(b, bad), MARL_EINVAL);
    ck_assert(has("rho0"));
    ck_assert_int_eq(marl_population_builder_set_initial(b, nanr), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_initial(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_initial(NULL, bad),
                     MARL_EINVAL);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_population_builder_build(b, &g), MARL_EINVAL);
    ck_assert(has("set_ops"));
    marl_population_ops ops = pop_toy_ops;
    ck_assert_int_eq(marl_population_builder_set_ops(b, NULL, NULL),
                     MARL_EINVAL);
    ops.version = 0;
    ck_assert_int_eq(marl_population_builder_set_ops(b, &ops, NULL),
                     MARL_EINVAL);
    ck_assert(has("version"));
    ops = pop_toy_ops;
    ops.transition = NULL;
    ck_assert_int_eq(marl_population_builder_set_ops(b, &ops, NULL),
                     MARL_EINVAL);
    ck_assert(has("transition"));
    ops = pop_toy_ops;
    ops.reward = NULL;
    ck_assert_int_eq(marl_population_builder_set_ops(b, &ops, NULL),
                     MARL_EINVAL);
    ck_assert(has("reward"));
    ck_assert_int_eq(marl_population_builder_set_name(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_name(NULL, "x"), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_symmetric(NULL, 1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_ops(NULL, &pop_toy_ops, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_build(NULL, &g), MARL_EINVAL);

    /* a game of 10^5 agents */
    pop_toy t = {.N = 100000, .S = 2, .A = 2};
    ck_assert_int_eq(marl_population_builder_set_ops(b, &pop_toy_ops, &t),
                     MARL_OK);
    ck_assert_int_eq(marl_population_builder_build(b, &g), MARL_OK);
    ck_assert_uint_eq(marl_game_num_agents(g), 100000);
    /* the builder gave its callbacks away */
    marl_game *g2 = NULL;
    ck_assert_int_eq(marl_population_builder_build(b, &g2), MARL_EINVAL);
    marl_population_builder_free(b);

    /* accessor argument errors */
    double sigma[4] = {0.25, 0.25, 0.25, 0.25}, row[2], r, rho[2];
    ck_assert_int_eq(marl_population_transition(NULL, 0, 0, 0, 0, sigma, row),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_transition(g, 100000, 0, 0, 0, sigma,
                                                row), MARL_ERANGE);
    ck_assert(has("agent 100000"));
    ck_assert_int_eq(marl_population_transition(g, 0, 3, 0, 0, sigma, row),
                     MARL_ERANGE);
    ck_assert(has("step 3"));
    ck_assert_int_eq(marl_population_transition(g, 0, 0, 2, 0, sigma, row),
                     MARL_ERANGE);
    ck_assert(has("state 2"));
    ck_assert_int_eq(marl_population_reward(g, 0, 0, 0, 2, sigma, &r),
                     MARL_ERANGE);
    ck_assert(has("action 2"));
    ck_assert_int_eq(marl_population_reward(g, 0, 0, 0, 0, NULL, &r),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_reward(g, 0, 0, 0, 0, sigma, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_initial(g, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_population_initial(NULL, rho), MARL_EINVAL);
    ck_assert_int_eq(marl_population_is_symmetric(NULL), 0);
    marl_game_free(g);

    /* another kind */
    marl_game *mk = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), MARL_OK);
    ck_assert_int_eq(marl_population_initial(mk, rho), MARL_EKIND);
    ck_assert_int_eq(marl_population_is_symmetric(mk), 0);
    marl_game_free(mk);
}
END_TEST

/* destroy: once on game free, once on a failed build, once on builder free
 * or replacement, never on a failed set_ops. */
START_TEST(test_ownership) {
    int d1 = 0, d2 = 0;
    pop_toy t1 = {.N = 2, .S = 2, .A = 2, .destroyed = &d1};
    pop_toy t2 = {.N = 2, .S = 2, .A = 2, .destroyed = &d2};
    marl_population_builder *b = NULL;
    ck_assert_int_eq(marl_population_builder_new(&b, 2, 2, 2, 2), MARL_OK);
    ck_assert_int_eq(marl_population_builder_set_ops(b, &pop_toy_ops, &t1),
                     MARL_OK);
    marl_population_ops bad = pop_toy_ops;
    bad.reward = NULL;
    ck_assert_int_eq(marl_population_builder_set_ops(b, &bad, &t2),
                     MARL_EINVAL);
    ck_assert_int_eq(d1 + d2, 0);
    ck_assert_int_eq(marl_population_builder_set_ops(b, &pop_toy_ops, &t2),
                     MARL_OK);
    ck_assert_int_eq(d1, 1); /* replaced */
    ck_assert_int_eq(marl_population_builder_build(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(d2, 1); /* failed build */
    ck_assert_int_eq(marl_population_builder_set_ops(b, &pop_toy_ops, &t1),
                     MARL_OK);
    marl_population_builder_free(b);
    ck_assert_int_eq(d1, 2); /* freed with callbacks */
}
END_TEST

START_TEST(test_builder_failalloc) {
    int destroyed = 0;
    pop_toy t = {.N = 50, .S = 3, .A = 2, .destroyed = &destroyed};
    failalloc_install(-1);
    long live0 = failalloc_live();
    for (long k = 0;; ++k) {
        failalloc_install(k);
        destroyed = 0;
        marl_game *g = NULL;
        int rc = pop_toy_build(&t, 3, 0, NULL, &g);
        failalloc_uninstall();
        if (rc == MARL_OK) {
            ck_assert_int_eq(destroyed, 0);
            marl_game_free(g);
            ck_assert_int_eq(destroyed, 1);
            ck_assert_int_eq(failalloc_live(), live0);
            ck_assert_int_gt(k, 3);
            break;
        }
        ck_assert_int_eq(rc, MARL_ENOMEM);
        ck_assert_int_le(destroyed, 1);
        ck_assert_int_eq(failalloc_live(), live0);
    }
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("population-builder");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_build_and_access);
    tcase_add_test(tc, test_symmetric_calls_agent0);
    tcase_add_test(tc, test_validation_errors);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_ownership);
    tcase_add_test(tc, test_builder_failalloc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
