/*
 * The tabulated (affine in sigma) form of population games: sis and rps
 * written as tables give the same transitions, rewards and exploitability
 * as the catalogue's callback versions; validation at every vertex; bad
 * inputs; allocation failures.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "failalloc.h"

#include <marlgame/marlgame.h>
#include <math.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

/* sis: K = 4, sigma(I, 0) = k 2, sigma(I, 1) = k 3. */
static double sisP0[8], sisP1[32], sisR0[4];
static void sis_tables(void) {
    memset(sisP1, 0, sizeof sisP1);
    const double P0[8] = {1, 0, 1, 0, 0.3, 0.7, 0.3, 0.7};
    const double R0[4] = {0, -0.5, -1, -1.5};
    memcpy(sisP0, P0, sizeof P0);
    memcpy(sisR0, R0, sizeof R0);
    for (size_t k = 2; k < 4; ++k) {
        sisP1[(0 * 2 + 0) * 4 + k] = -0.9 * 0.9; /* (S, out) -> S */
        sisP1[(0 * 2 + 1) * 4 + k] = 0.9 * 0.9;  /* (S, out) -> I */
    }
}

/* rps: K = 12; reward of state s from the state marginals. */
static double rpsP0[48], rpsR0[12], rpsR1[144];
static void rps_tables(void) {
    memset(rpsP0, 0, sizeof rpsP0);
    memset(rpsR0, 0, sizeof rpsR0);
    memset(rpsR1, 0, sizeof rpsR1);
    const double coef[4][4] = {{0, 0, 0, 0}, {0, 0, -1, 2}, {0, 4, 0, -2},
                               {0, -3, 6, 0}};
    for (size_t s = 0; s < 4; ++s)
        for (size_t a = 0; a < 3; ++a) {
            rpsP0[(s * 3 + a) * 4 + 1 + a] = 1.0;
            for (size_t s2 = 0; s2 < 4; ++s2)
                for (size_t a2 = 0; a2 < 3; ++a2)
                    rpsR1[(s * 3 + a) * 12 + s2 * 3 + a2] = coef[s][s2];
        }
}

static int build_linear(size_t S, size_t A, size_t H, const double *rho0,
                        const double *P0, const double *P1, const double *R0,
                        const double *R1, marl_game **out) {
    marl_population_builder *b = NULL;
    int rc = marl_population_builder_new(&b, 100, S, A, H);
    if (rc) return rc;
    rc = marl_population_builder_set_initial(b, rho0);
    if (!rc) rc = marl_population_builder_set_linear(b, P0, P1, R0, R1);
    if (!rc) rc = marl_population_builder_build(b, out);
    marl_population_builder_free(b);
    return rc;
}

static void compare(marl_game *lin, marl_game *cb) {
    ck_assert_int_eq(marl_population_is_symmetric(lin), 1);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, cb, MARL_POLICY_SHARED |
                                                 MARL_POLICY_PER_STEP),
                     MARL_OK);
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 11), MARL_OK);
    for (int k = 0; k < 20; ++k) {
        ck_assert_int_eq(marl_policy_randomize(p, rng), MARL_OK);
        double e1 = 0.0, e2 = 0.0;
        ck_assert_int_eq(marl_mfg_exploitability(cb, p, &e1), MARL_OK);
        ck_assert_int_eq(marl_mfg_exploitability(lin, p, &e2), MARL_OK);
        ck_assert_double_eq_tol(e1, e2, 1e-12 * (1.0 + fabs(e1)));
    }
    marl_rng_free(rng);
    marl_policy_free(p);
}

START_TEST(test_same_as_callbacks) {
    sis_tables();
    rps_tables();
    const double rho_sis[2] = {0.4, 0.6}, rho_rps[4] = {1, 0, 0, 0};
    marl_game *ls = NULL, *lr = NULL, *cs = NULL, *cr = NULL;
    ck_assert_int_eq(build_linear(2, 2, 51, rho_sis, sisP0, sisP1, sisR0,
                                  NULL, &ls), MARL_OK);
    ck_assert_int_eq(build_linear(4, 3, 2, rho_rps, rpsP0, NULL, rpsR0, rpsR1,
                                  &lr), MARL_OK);
    ck_assert_int_eq(marl_games_new(&cs, "sis", "n=100"), MARL_OK);
    ck_assert_int_eq(marl_games_new(&cr, "rps", "n=100"), MARL_OK);
    compare(ls, cs);
    compare(lr, cr);
    const double sig[4] = {0.1, 0.2, 0.3, 0.4};
    double r1[2], r2[2];
    ck_assert_int_eq(marl_population_transition(ls, 5, 0, 0, 0, sig, r1),
                     MARL_OK);
    ck_assert_int_eq(marl_population_transition(cs, 5, 0, 0, 0, sig, r2),
                     MARL_OK);
    ck_assert_double_eq_tol(r1[1], r2[1], 1e-15);
    marl_game_free(ls);
    marl_game_free(lr);
    marl_game_free(cs);
    marl_game_free(cr);
}
END_TEST

START_TEST(test_validation) {
    sis_tables();
    marl_population_builder *b = NULL;
    ck_assert_int_eq(marl_population_builder_new(&b, 3, 2, 2, 4), MARL_OK);
    /* fine at sigma = e_0, e_1 but negative at the vertex e_3 */
    double P1[32];
    memcpy(P1, sisP1, sizeof P1);
    P1[(0 * 2 + 0) * 4 + 3] = -1.5;
    P1[(0 * 2 + 1) * 4 + 3] = 1.5;
    ck_assert_int_eq(marl_population_builder_set_linear(b, sisP0, P1, sisR0,
                                                        NULL), MARL_EINVAL);
    ck_assert_msg(has("state 0") && has("action 0") && has("e_3") &&
                      has("negative"), "%s", marl_last_error());
    /* a row not summing to 1 at vertex e_2 */
    memcpy(P1, sisP1, sizeof P1);
    P1[(1 * 2 + 1) * 4 + 2] = 0.25;
    ck_assert_int_eq(marl_population_builder_set_linear(b, sisP0, P1, sisR0,
                                                        NULL), MARL_EINVAL);
    ck_assert_msg(has("state 0") && has("action 1") && has("e_2") &&
                      has("sums to"), "%s", marl_last_error());
    double R0[4] = {0, NAN, 0, 0}, R1[16] = {0};
    ck_assert_int_eq(marl_population_builder_set_linear(b, sisP0, NULL, R0,
                                                        NULL), MARL_EINVAL);
    ck_assert(has("state 0, action 1"));
    R1[3 * 4 + 1] = INFINITY;
    ck_assert_int_eq(marl_population_builder_set_linear(b, sisP0, NULL, sisR0,
                                                        R1), MARL_EINVAL);
    ck_assert(has("state 1, action 1"));
    double P0[8];
    memcpy(P0, sisP0, sizeof P0);
    P0[6] = 0.5;
    ck_assert_int_eq(marl_population_builder_set_linear(b, P0, NULL, sisR0,
                                                        NULL), MARL_EINVAL);
    ck_assert(has("state 1, action 1"));
    ck_assert_int_eq(marl_population_builder_set_linear(b, NULL, NULL, sisR0,
                                                        NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_linear(b, sisP0, NULL, NULL,
                                                        NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_linear(NULL, sisP0, NULL,
                                                        sisR0, NULL),
                     MARL_EINVAL);
    /* no partial effect: the builder still has no callbacks */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_population_builder_build(b, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_population_builder_set_linear(b, sisP0, sisP1, sisR0,
                                                        NULL), MARL_OK);
    ck_assert_int_eq(marl_population_builder_build(b, &g), MARL_OK);
    marl_population_builder_free(b);
    marl_game_free(g);
}
END_TEST

START_TEST(test_failalloc) {
    sis_tables();
    failalloc_install(-1);
    long live0 = failalloc_live();
    const double rho[2] = {0.4, 0.6};
    for (long k = 0;; ++k) {
        failalloc_install(k);
        marl_game *g = NULL;
        int rc = build_linear(2, 2, 5, rho, sisP0, sisP1, sisR0, NULL, &g);
        failalloc_uninstall();
        if (rc == MARL_OK) {
            marl_game_free(g);
            break;
        }
        ck_assert_int_eq(rc, MARL_ENOMEM);
        ck_assert_int_eq(failalloc_live(), live0);
    }
    ck_assert_int_eq(failalloc_live(), live0);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("population-linear");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_same_as_callbacks);
    tcase_add_test(tc, test_validation);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
