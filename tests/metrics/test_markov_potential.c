/* Potential values of Markov potential games (metrics.h,
 * marl_markov_potential_value): the MPG identity on constructed games.
 * SPDX-License-Identifier: MIT */
#include "testgames.h"

#include <check.h>
#include "check_main.h"
#include <math.h>

/* ---- potential games -----------------------------------------------------
 * r_i(s,a) = phi(s,a) + u_i(s,a_-i) with transitions independent of the
 * actions: V_i^pi = Phi^pi + U_i^{pi_-i}, where U_i does not depend on pi_i,
 * so V_i^{pi'_i,pi_-i} - V_i^pi = Phi^{pi'_i,pi_-i} - Phi^pi exactly. */
static marl_game *potential_game(uint64_t seed, int team, const size_t *A) {
    marl_game *base = tg_random_game(seed, 3, 4, A, 0.9, !team, 1);
    tg_model m;
    tg_model_load(&m, base);
    double *phi = malloc(4 * m.J * sizeof(double));
    double *R = malloc(3 * 4 * m.J * sizeof(double));
    ck_assert(phi && R);
    sm_rng r = {seed + 1000};
    double u[3][4][64];
    for (int i = 0; i < 3; ++i)
        for (int s = 0; s < 4; ++s)
            for (int k = 0; k < 64; ++k)
                u[i][s][k] = team ? 0.0 : 2 * sm_unif(&r) - 1;
    size_t a[3];
    for (size_t s = 0; s < 4; ++s)
        for (size_t j = 0; j < m.J; ++j) {
            ck_assert_int_eq(
                marl_markov_potential(base, s, j, &phi[s * m.J + j]), MARL_OK);
            tg_decode(3, A, j, a);
            for (size_t i = 0; i < 3; ++i) {
                size_t key = 0; /* index of a_-i */
                for (size_t k = 0; k < 3; ++k)
                    if (k != i) key = key * A[k] + a[k];
                R[(i * 4 + s) * m.J + j] = phi[s * m.J + j] + u[i][s][key];
            }
        }
    marl_game *game = NULL;
    ck_assert_int_eq(marl_markov_new(&game, 3, 4, A, 0.9, m.mu, m.P, R, phi),
                     MARL_OK);
    free(phi);
    free(R);
    tg_model_free(&m);
    marl_game_free(base);
    return game;
}

START_TEST(test_potential_identity) {
    const size_t A[3] = {2, 3, 2};
    for (int team = 0; team <= 1; ++team)
        for (uint64_t seed = 1; seed <= 4; ++seed) {
            marl_game *game = potential_game(seed, team, A);
            ck_assert_int_eq(marl_markov_has_potential(game), 1);
            marl_policy *pi = NULL, *dev = NULL;
            ck_assert_int_eq(marl_policy_new(&pi, game, 0), MARL_OK);
            sm_rng r = {seed};
            tg_random_policy(pi, &r, 0.2);
            double V[12], Phi_s[12], phi0, v0[3];
            ck_assert_int_eq(marl_markov_values_mu(game, pi, v0), MARL_OK);
            ck_assert_int_eq(
                marl_markov_potential_value(game, pi, &phi0, Phi_s), MARL_OK);
            if (team) { /* r_i = phi: V_i = Phi state by state */
                ck_assert_int_eq(marl_markov_values(game, pi, V), MARL_OK);
                for (int i = 0; i < 3; ++i)
                    for (int s = 0; s < 4; ++s)
                        ck_assert(tg_close(V[i * 4 + s], Phi_s[s], 1e-13));
            }
            for (size_t i = 0; i < 3; ++i) {
                ck_assert_int_eq(marl_policy_copy(&dev, pi), MARL_OK);
                double row[3];
                for (size_t s = 0; s < 4; ++s) {
                    tg_random_dist(&r, row, A[i], 0.3);
                    ck_assert_int_eq(marl_policy_set_row(dev, i, 0, s, row),
                                     MARL_OK);
                }
                double v1[3], phi1;
                ck_assert_int_eq(marl_markov_values_mu(game, dev, v1), MARL_OK);
                ck_assert_int_eq(
                    marl_markov_potential_value(game, dev, &phi1, NULL),
                    MARL_OK);
                ck_assert(fabs(phi1 - phi0) > 1e-6); /* a real deviation */
                ck_assert_double_eq_tol(v1[i] - v0[i], phi1 - phi0, 1e-12);
                marl_policy_free(dev);
            }
            marl_policy_free(pi);
            marl_game_free(game);
        }
}
END_TEST

static Suite *potential_suite(void) {
    Suite *s = suite_create("markov_potential");
    TCase *tc = tcase_create("identity");
    tcase_add_test(tc, test_potential_identity);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return marl_test_run(potential_suite());
}
