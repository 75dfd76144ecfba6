/*
 * Bad input for every public function of nplayer.h, callback failures
 * surfaced with the agent named, and allocation-failure sweeps of the
 * simulator, the estimator, the symmetry constants and each solver's
 * create and step.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "failalloc.h"
#include "mf_games.h"

#include <math.h>
#include <string.h>

static marl_game *crowd(size_t N, int sym, int fail) {
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, N, 2, sym, sym ? 0 : 0.1, 0, fail, -1,
                                  0),
                     MARL_OK);
    return g;
}

static marl_policy *shared(marl_game *g) {
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_SHARED |
                                                MARL_POLICY_PER_STEP),
                     MARL_OK);
    return p;
}

START_TEST(sim_bad_input) {
    marl_game *g = crowd(10, 1, -1), *mk = NULL, *g2 = crowd(11, 1, -1);
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), MARL_OK);
    marl_population_sim *s = NULL;
    ck_assert_int_eq(marl_population_sim_new(NULL, g, 1), MARL_EINVAL);
    ck_assert_int_ne(marl_population_sim_new(&s, NULL, 1), MARL_OK);
    ck_assert_int_eq(marl_population_sim_new(&s, mk, 1), MARL_EKIND);
    ck_assert_ptr_null(s);
    marl_population_sim_free(NULL);
    ck_assert_int_eq(marl_population_sim_reseed(NULL, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_population_sim_set_threads(NULL, 1), MARL_EINVAL);
    ck_assert_uint_eq(marl_population_sim_steps(NULL), 0);
    ck_assert_int_eq(marl_population_sim_new(&s, g, 1), MARL_OK);
    ck_assert_int_eq(marl_population_sim_set_threads(s, -1), MARL_EINVAL);
    marl_policy *p = shared(g), *p2 = shared(g2);
    ck_assert_int_eq(marl_population_sim_episode(NULL, p, NULL, NULL, NULL,
                                                 NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_sim_episode(s, NULL, NULL, NULL, NULL,
                                                 NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_sim_episode(s, p2, NULL, NULL, NULL,
                                                 NULL),
                     MARL_EINVAL);
    ck_assert(strstr(marl_last_error(), "does not fit"));
    ck_assert_uint_eq(marl_population_sim_steps(s), 0);
    marl_population_sim_free(s);
    marl_policy_free(p);
    marl_policy_free(p2);
    marl_game_free(g);
    marl_game_free(g2);
    marl_game_free(mk);
}
END_TEST

START_TEST(callback_failures) {
    for (int sym = 0; sym <= 1; ++sym) {
        /* symmetric games call with agent 0 */
        marl_game *g = crowd(1500, sym, sym ? 0 : 1234);
        marl_policy *p = shared(g);
        marl_population_sim *s = NULL;
        ck_assert_int_eq(marl_population_sim_new(&s, g, 1), MARL_OK);
        ck_assert_int_eq(marl_population_sim_set_threads(s, 2), MARL_OK);
        ck_assert_int_eq(marl_population_sim_episode(s, p, NULL, NULL, NULL,
                                                     NULL),
                         MARL_EINVAL);
        ck_assert_msg(strstr(marl_last_error(), sym ? "agent 0" : "agent 1234"),
                      "%s", marl_last_error());
        marl_population_sim_free(s);
        double e, a, b;
        ck_assert_int_eq(marl_population_exploitability(g, p, NULL, &e, NULL,
                                                        NULL),
                         MARL_EINVAL);
        if (!sym)
            ck_assert_int_eq(marl_population_symmetry(g, 1, 1, &a, &b),
                             MARL_EINVAL);
        marl_policy_free(p);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(estimator_bad_input) {
    marl_game *g = crowd(10, 0, -1), *g2 = crowd(12, 0, -1), *mk = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), MARL_OK);
    marl_policy *p = shared(g), *p2 = shared(g2);
    double e, a, b;
    ck_assert_int_eq(marl_population_estimate_options_new(NULL), MARL_EINVAL);
    ck_assert_int_ne(marl_population_exploitability(NULL, p, NULL, &e, NULL,
                                                    NULL),
                     MARL_OK);
    ck_assert_int_eq(marl_population_exploitability(mk, p, NULL, &e, NULL,
                                                    NULL),
                     MARL_EKIND);
    ck_assert_int_eq(marl_population_exploitability(g, NULL, NULL, &e, NULL,
                                                    NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_population_exploitability(g, p2, NULL, &e, NULL,
                                                    NULL),
                     MARL_EINVAL);
    /* an option set of another table */
    static const marl_option_def other[] = {
        {"x", MARL_OPTION_INT, "x", 0, 0, 1, 0, 0, 0, NULL, NULL}};
    marl_options *o = NULL;
    ck_assert_int_eq(marl_options_new(&o, other, 1), MARL_OK);
    ck_assert_int_eq(marl_population_exploitability(g, p, o, &e, NULL, NULL),
                     MARL_EINVAL);
    marl_options_free(o);
    ck_assert_int_eq(marl_population_estimate_options_new(&o), MARL_OK);
    ck_assert_int_ne(marl_options_parse(o, "rollouts=0"), MARL_OK);
    ck_assert_int_ne(marl_options_parse(o, "deviation=sideways"), MARL_OK);
    ck_assert_int_eq(marl_options_parse(o, "eval_rollouts=1,agents=3"),
                     MARL_OK);
    double hw = 0;
    size_t ag = 99;
    ck_assert_int_eq(marl_population_exploitability(g, p, o, &e, &hw, &ag),
                     MARL_OK);
    ck_assert(isnan(hw) && isfinite(e) && ag < 10);
    marl_options_free(o);
    /* symmetry */
    ck_assert_int_ne(marl_population_symmetry(NULL, 1, 1, &a, &b), MARL_OK);
    ck_assert_int_eq(marl_population_symmetry(mk, 1, 1, &a, &b), MARL_EKIND);
    ck_assert_int_eq(marl_population_symmetry(g, 0, 1, &a, &b), MARL_EINVAL);
    ck_assert_int_eq(marl_population_symmetry(g, 1, 1, NULL, &b), MARL_EINVAL);
    ck_assert_int_eq(marl_population_symmetry(g, 1, 1, &a, NULL), MARL_EINVAL);
    marl_policy_free(p);
    marl_policy_free(p2);
    marl_game_free(g);
    marl_game_free(g2);
    marl_game_free(mk);
}
END_TEST

START_TEST(solver_bad_input) {
    marl_game *g = crowd(10, 1, -1), *mk = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), MARL_OK);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_td, mk),
                     MARL_EKIND);
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_pmd, mk),
                     MARL_EKIND);
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_ipmd, mk),
                     MARL_EKIND);
    /* tau xi0 >= 1 */
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_pmd, g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "tau", "0.5"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "xi0", "2"), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_EINVAL);
    ck_assert(strstr(marl_last_error(), "tau * xi0"));
    ck_assert_int_ne(marl_solver_set(s, "xi", "linear"), MARL_OK);
    ck_assert_int_ne(marl_solver_set(s, "td_delta", "0"), MARL_OK);
    ck_assert_int_ne(marl_solver_set(s, "agents", "some"), MARL_OK);
    marl_solver_free(s);
    /* bad estimator settings */
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_pmd, g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "estimate_every", "1"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "estimate", "rollouts=zero"), MARL_OK);
    ck_assert_int_ne(marl_solver_step(s), MARL_OK);
    ck_assert(strstr(marl_last_error(), "option estimate"));
    marl_solver_free(s);
    /* a per-agent initial policy for the shared method */
    marl_policy *pa = NULL;
    ck_assert_int_eq(marl_policy_new(&pa, g, MARL_POLICY_PER_STEP), MARL_OK);
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_pmd, g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, pa), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_EINVAL);
    marl_solver_free(s);
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_td, g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, pa), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_EINVAL);
    /* td_q */
    double Q[8];
    ck_assert_int_eq(marl_meanfield_td_q(NULL, Q), MARL_EINVAL);
    ck_assert_int_eq(marl_meanfield_td_q(s, NULL), MARL_EINVAL);
    ck_assert_int_ne(marl_meanfield_td_q(s, Q), MARL_OK); /* bad policy */
    ck_assert_int_eq(marl_solver_set_initial_policy(s, NULL), MARL_OK);
    ck_assert_int_eq(marl_meanfield_td_q(s, Q), MARL_OK);
    for (int k = 0; k < 8; ++k) ck_assert(Q[k] == 0.0);
    marl_solver_free(s);
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_ipmd, g),
                     MARL_OK);
    ck_assert_int_eq(marl_meanfield_td_q(s, Q), MARL_EINVAL);
    marl_solver_free(s);
    marl_policy_free(pa);
    marl_game_free(g);
    marl_game_free(mk);
}
END_TEST

/* A simulator and one episode (its policy tables are allocated then). */
static int sim_and_episode(marl_game *g, const marl_policy *p,
                           marl_population_sim **s) {
    int rc = marl_population_sim_new(s, g, 1);
    if (rc) return rc;
    rc = marl_population_sim_episode(*s, p, NULL, NULL, NULL, NULL);
    if (rc) {
        marl_population_sim_free(*s);
        *s = NULL;
    }
    return rc;
}

START_TEST(alloc_sim) {
    failalloc_install(-1);
    marl_game *g = crowd(1100, 0, -1);
    marl_policy *p = shared(g);
    marl_population_sim *s = NULL;
    FAILALLOC_SWEEP(marl_population_sim_new(&s, g, 1),
                    marl_population_sim_free(s));
    FAILALLOC_SWEEP(sim_and_episode(g, p, &s), marl_population_sim_free(s));
    double e, a, b;
    marl_options *o = NULL;
    ck_assert_int_eq(marl_population_estimate_options_new(&o), MARL_OK);
    ck_assert_int_eq(marl_options_parse(o, "rollouts=2,eval_rollouts=2,"
                                           "agents=2"),
                     MARL_OK);
    FAILALLOC_SWEEP(marl_population_exploitability(g, p, o, &e, NULL, NULL),
                    (void)0);
    ck_assert_int_eq(marl_options_parse(o, "deviation=frozen"), MARL_OK);
    FAILALLOC_SWEEP(marl_population_exploitability(g, p, o, &e, NULL, NULL),
                    (void)0);
    marl_options_free(o);
    FAILALLOC_SWEEP(marl_population_symmetry(g, 2, 1, &a, &b), (void)0);
    marl_policy_free(p);
    marl_game_free(g);
    /* symmetric game: the estimator's callback cache */
    g = crowd(50, 1, -1);
    p = shared(g);
    FAILALLOC_SWEEP(marl_population_exploitability(g, p, NULL, &e, NULL,
                                                   NULL),
                    (void)0);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

static int create_and_step(marl_game *g, const marl_solver_type *t,
                           marl_solver **out) {
    int rc = marl_solver_new(out, t, g);
    if (rc) return rc;
    if (t != &marl_solver_meanfield_td) {
        marl_solver_set_int(*out, "td_epochs", 2);
        marl_solver_set_int(*out, "estimate_every", 1);
        marl_solver_set_string(*out, "estimate",
                               "rollouts=1,eval_rollouts=2,agents=2");
    }
    rc = marl_solver_step(*out);
    if (rc == MARL_OK) rc = marl_solver_step(*out);
    if (rc != MARL_OK) {
        marl_solver_free(*out);
        *out = NULL;
    }
    return rc;
}

START_TEST(alloc_solvers) {
    failalloc_install(-1);
    marl_game *g = crowd(40, 0, -1);
    const marl_solver_type *types[3] = {&marl_solver_meanfield_td,
                                        &marl_solver_meanfield_pmd,
                                        &marl_solver_meanfield_ipmd};
    for (int k = 0; k < 3; ++k) {
        marl_solver *s = NULL;
        FAILALLOC_SWEEP(create_and_step(g, types[k], &s), marl_solver_free(s));
    }
    marl_game_free(g);
}
END_TEST

int main(void) {
    Suite *s = suite_create("meanfield-errors");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sim_bad_input);
    tcase_add_test(tc, callback_failures);
    tcase_add_test(tc, estimator_bad_input);
    tcase_add_test(tc, solver_bad_input);
    tcase_add_test(tc, alloc_sim);
    tcase_add_test(tc, alloc_solvers);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
