/*
 * The catalogue's population games against GAMES.md: defaults (MFGLib's
 * horizons and initial distributions for rps/sis, the seed's sizes for
 * a-rps/a-sis), the formulas at chosen sigma, the seeded heterogeneity
 * (ranges, reproducibility, zero noise = base values), and policies of the
 * population kind (shared and per agent, PER_STEP).
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"

#include <marlgame/marlgame.h>
#include <math.h>
#include <string.h>

static marl_game *mk(const char *name, const char *params) {
    marl_game *g = NULL;
    ck_assert_msg(marl_games_new(&g, name, params) == MARL_OK, "%s",
                  marl_last_error());
    return g;
}

START_TEST(test_defaults) {
    static const struct {
        const char *name;
        size_t N, S, A, H;
        int sym;
        double rho0[4];
    } want[4] = {
        {"rps", 1000, 4, 3, 2, 1, {1, 0, 0, 0}},
        {"sis", 1000, 2, 2, 51, 1, {0.4, 0.6}},
        {"a-rps", 2000, 3, 3, 10, 0, {1 / 3.0, 1 / 3.0, 1 / 3.0}},
        {"a-sis", 1000, 2, 2, 20, 0, {0.5, 0.5}},
    };
    for (int k = 0; k < 4; ++k) {
        marl_game *g = mk(want[k].name, NULL);
        ck_assert_int_eq(marl_game_kind(g), MARL_GAME_POPULATION);
        ck_assert_str_eq(marl_game_name(g), want[k].name);
        ck_assert_uint_eq(marl_game_num_agents(g), want[k].N);
        ck_assert_uint_eq(marl_game_num_states(g), want[k].S);
        ck_assert_uint_eq(marl_game_num_actions(g, 0), want[k].A);
        ck_assert_uint_eq(marl_game_horizon(g), want[k].H);
        ck_assert_int_eq(marl_population_is_symmetric(g), want[k].sym);
        double rho0[4];
        ck_assert_int_eq(marl_population_initial(g, rho0), MARL_OK);
        for (size_t s = 0; s < want[k].S; ++s)
            ck_assert_double_eq_tol(rho0[s], want[k].rho0[s], 1e-15);
        size_t idx;
        ck_assert_int_eq(marl_games_find(want[k].name, &idx), MARL_OK);
        ck_assert_int_eq(marl_games_kind(idx), MARL_GAME_POPULATION);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_rps_formulas) {
    marl_game *g = mk("rps", "horizon=3");
    /* state marginal mu = (0.1, 0.2, 0.3, 0.4) spread over actions */
    double sigma[12] = {0.1, 0, 0, 0.05, 0.15, 0, 0, 0, 0.3, 0.4, 0, 0};
    const double mu[4] = {0.1, 0.2, 0.3, 0.4};
    const double r[4] = {0.0, 2 * mu[3] - mu[2], 4 * mu[1] - 2 * mu[3],
                         6 * mu[2] - 3 * mu[1]};
    for (size_t s = 0; s < 4; ++s)
        for (size_t a = 0; a < 3; ++a) {
            double x, row[4];
            ck_assert_int_eq(marl_population_reward(g, 17, 1, s, a, sigma, &x),
                             MARL_OK);
            ck_assert_double_eq_tol(x, r[s], 1e-15);
            ck_assert_int_eq(marl_mfg_transition(g, 2, s, a, sigma, row),
                             MARL_OK);
            for (size_t k = 0; k < 4; ++k)
                ck_assert_double_eq(row[k], k == 1 + a ? 1.0 : 0.0);
        }
    marl_game_free(g);
}
END_TEST

START_TEST(test_sis_formulas) {
    marl_game *g = mk("sis", "infected0=0.25");
    double rho0[2];
    ck_assert_int_eq(marl_population_initial(g, rho0), MARL_OK);
    ck_assert_double_eq(rho0[1], 0.25);
    const double sigma[4] = {0.3, 0.2, 0.1, 0.4}; /* mu(I) = 0.5 */
    double row[2], x;
    ck_assert_int_eq(marl_population_transition(g, 3, 0, 0, 0, sigma, row),
                     MARL_OK);
    ck_assert_double_eq_tol(row[1], 0.81 * 0.5, 1e-15);
    ck_assert_int_eq(marl_population_transition(g, 3, 0, 0, 1, sigma, row),
                     MARL_OK);
    ck_assert_double_eq(row[0], 1.0);
    for (size_t a = 0; a < 2; ++a) {
        ck_assert_int_eq(marl_population_transition(g, 0, 7, 1, a, sigma, row),
                         MARL_OK);
        ck_assert_double_eq(row[0], 0.3);
        ck_assert_double_eq(row[1], 0.7);
    }
    const double r[2][2] = {{0.0, -0.5}, {-1.0, -1.5}};
    for (size_t s = 0; s < 2; ++s)
        for (size_t a = 0; a < 2; ++a) {
            ck_assert_int_eq(marl_population_reward(g, 0, 0, s, a, sigma, &x),
                             MARL_OK);
            ck_assert_double_eq(x, r[s][a]);
        }
    marl_game_free(g);
}
END_TEST

/* a-rps: sigma concentrated on one (state, action) isolates coefficients:
 * at state s with all others in state s2 playing b != a,
 *   R^i(s, a) = -u^i_s [s2 = beaten-by(s)] + v^i_s [s2 = beats(s)]. */
START_TEST(test_a_rps) {
    marl_game *g = mk("a-rps", "n=300,seed=5");
    marl_game *g2 = mk("a-rps", "n=300,seed=5");
    marl_game *g3 = mk("a-rps", "n=300,seed=6");
    marl_game *g0 = mk("a-rps", "n=4,beta_noise=0");
    const double base_u[3] = {2, 4, 6}, base_v[3] = {1, 2, 3};
    int differs = 0;
    for (size_t i = 0; i < 300; ++i)
        for (size_t s = 0; s < 3; ++s) {
            double sig[9] = {0}, x, y, z;
            size_t beaten_by = (s + 1) % 3, beats = (s + 2) % 3;
            sig[beaten_by * 3 + (s + 1) % 3] = 1.0; /* action != s */
            ck_assert_int_eq(marl_population_reward(g, i, 0, s, s, sig, &x),
                             MARL_OK);
            ck_assert(x <= -(base_u[s] - 0.05) && x >= -(base_u[s] + 0.05));
            ck_assert_int_eq(marl_population_reward(g2, i, 0, s, s, sig, &y),
                             MARL_OK);
            ck_assert_double_eq(x, y);
            ck_assert_int_eq(marl_population_reward(g3, i, 0, s, s, sig, &z),
                             MARL_OK);
            differs |= z != x;
            memset(sig, 0, sizeof sig);
            sig[beats * 3 + (s + 1) % 3] = 1.0;
            ck_assert_int_eq(marl_population_reward(g, i, 0, s, s, sig, &x),
                             MARL_OK);
            ck_assert(x >= base_v[s] - 0.05 && x <= base_v[s] + 0.05);
            /* crowd term: everyone in state s playing action a */
            memset(sig, 0, sizeof sig);
            sig[s * 3 + 1] = 1.0;
            ck_assert_int_eq(marl_population_reward(g, i, 0, s, 1, sig, &x),
                             MARL_OK);
            ck_assert(x <= -0.45 && x >= -0.55);
            if (i < 4) {
                ck_assert_int_eq(marl_population_reward(g0, i, 0, s, 1, sig,
                                                        &x), MARL_OK);
                ck_assert_double_eq(x, -0.5);
            }
            double row[3];
            ck_assert_int_eq(marl_population_transition(g, i, 0, s, 2, sig,
                                                        row), MARL_OK);
            ck_assert(row[2] == 1.0 && row[0] == 0.0 && row[1] == 0.0);
        }
    ck_assert(differs);
    marl_game_free(g);
    marl_game_free(g2);
    marl_game_free(g3);
    marl_game_free(g0);
}
END_TEST

START_TEST(test_a_sis) {
    marl_game *g = mk("a-sis", "n=200,seed=3");
    marl_game *g0 = mk("a-sis", "n=3,spread=0");
    const double sigma[4] = {0.1, 0.3, 0.2, 0.4}; /* sigma(I, U) = 0.3 */
    for (size_t i = 0; i < 200; ++i) {
        double row[2], x;
        ck_assert_int_eq(marl_population_transition(g, i, 0, 0, 0, sigma, row),
                         MARL_OK);
        double theta = 1.0 - row[0];
        ck_assert(theta >= 0.2 && theta <= 0.4);
        ck_assert_int_eq(marl_population_transition(g, i, 0, 0, 1, sigma, row),
                         MARL_OK);
        ck_assert_double_eq_tol(1.0 - row[0], theta, 1e-15);
        ck_assert_int_eq(marl_population_transition(g, i, 0, 1, 0, sigma, row),
                         MARL_OK);
        ck_assert_double_eq(row[0], 0.0);
        ck_assert_int_eq(marl_population_transition(g, i, 0, 1, 1, sigma, row),
                         MARL_OK);
        double alpha = row[0] / 0.3;
        ck_assert(alpha >= 0.71 - 1e-12 && alpha <= 0.91 + 1e-12);
        ck_assert_int_eq(marl_population_reward(g, i, 0, 1, 0, sigma, &x),
                         MARL_OK);
        ck_assert(-x >= 0.4 && -x <= 0.6); /* xi_i */
        ck_assert_int_eq(marl_population_reward(g, i, 0, 0, 1, sigma, &x),
                         MARL_OK);
        ck_assert_double_eq(x, -1.0);
        ck_assert_int_eq(marl_population_reward(g, i, 0, 1, 1, sigma, &x),
                         MARL_OK);
        ck_assert_double_eq(x, 0.0);
    }
    double row[2], x;
    ck_assert_int_eq(marl_population_transition(g0, 2, 0, 1, 1, sigma, row),
                     MARL_OK);
    ck_assert_double_eq_tol(row[0], 0.81 * 0.3, 1e-15);
    ck_assert_int_eq(marl_population_reward(g0, 2, 0, 0, 0, sigma, &x),
                     MARL_OK);
    ck_assert_double_eq(x, -1.5);
    /* clipping: spread 1 keeps every coefficient in [0, 1] */
    marl_game *gc = mk("a-sis", "n=100,spread=1");
    for (size_t i = 0; i < 100; ++i)
        ck_assert_int_eq(marl_population_transition(gc, i, 0, 1, 1, sigma,
                                                    row), MARL_OK);
    marl_game_free(gc);
    marl_game_free(g);
    marl_game_free(g0);
}
END_TEST

/* lib/policy on the population kind: shared and per-agent PER_STEP. */
START_TEST(test_policies) {
    marl_game *g = mk("a-rps", NULL);
    marl_policy *shared = NULL, *per = NULL;
    ck_assert_int_eq(marl_policy_new(&shared, g, MARL_POLICY_SHARED |
                                                     MARL_POLICY_PER_STEP),
                     MARL_OK);
    ck_assert_int_eq(marl_policy_new(&per, g, MARL_POLICY_PER_STEP), MARL_OK);
    ck_assert_uint_eq(marl_policy_num_agents(per), 2000);
    ck_assert_uint_eq(marl_policy_num_steps(per), 10);
    const double row[3] = {0.2, 0.3, 0.5};
    double out[3];
    ck_assert_int_eq(marl_policy_set_row(per, 1999, 9, 2, row), MARL_OK);
    ck_assert_int_eq(marl_policy_get_row(per, 1999, 9, 2, out), MARL_OK);
    ck_assert_double_eq(out[2], 0.5);
    ck_assert_int_eq(marl_policy_set_row(shared, 7, 9, 2, row), MARL_OK);
    ck_assert_int_eq(marl_policy_get_row(shared, 3, 9, 2, out), MARL_OK);
    ck_assert_double_eq(out[1], 0.3);
    double e = 0.0;
    ck_assert_int_eq(marl_mfg_exploitability(g, per, &e), MARL_EINVAL);
    marl_policy_free(shared);
    marl_policy_free(per);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("population-games");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_rps_formulas);
    tcase_add_test(tc, test_sis_formulas);
    tcase_add_test(tc, test_a_rps);
    tcase_add_test(tc, test_a_sis);
    tcase_add_test(tc, test_policies);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
