/*
 * TD learning (seed 001 Alg. 1): one update checked by hand, and the
 * meanfield-td estimates converging to the exact regularised Q of the
 * induced MFG (marl_mfg_q) on an exactly symmetric game as the number of
 * epochs M grows.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "mf_games.h"

#include "solvers/meanfield/learning/learn_common.h"

#include <math.h>

START_TEST(td_update_by_hand) {
    /* N = 3 agents, S = 2, A = 2, H = 2. */
    marl_mf_dims d = {3, 2, 2, 2, 4, 8};
    size_t st[6] = {0, 0, 1, /* h = 1 */ 1, 0, 1};
    size_t ac[6] = {1, 1, 0, /* h = 1 */ 0, 1, 1};
    double rw[6] = {1.0, 3.0, -1.0, 0.5, 2.0, 4.0};
    marl_mf_episode e = {st, ac, rw};
    double ent[4] = {0.1, 0.2, 0.3, 0.4}; /* [h*S + s] */
    double Q[8] = {0, 1, 2, 3, 4, 5, 6, 7}, Q0[8];
    for (int k = 0; k < 8; ++k) Q0[k] = Q[k];
    double work[16];
    marl_mf_td td = {0.5, MARL_MF_AGENTS_ALL, MARL_MF_RATE_THEORY, 0.1, 0};
    marl_mf_td_shared(&d, &td, 3, &e, ent, Q, work);
    double eta = 2.0 / (2.0 + 0.1 * 3);
    /* h = 0, (s=0,a=1): agents 0 and 1, next pairs (1,0) and (0,1). */
    double t0 = 1.0 + 0.5 * 0.1 + Q0[4 + 1 * 2 + 0];
    double t1 = 3.0 + 0.5 * 0.1 + Q0[4 + 0 * 2 + 1];
    ck_assert(fabs(Q[1] - (Q0[1] + eta * ((t0 + t1) / 2 - Q0[1]))) < 1e-15);
    /* h = 0, (1,0): agent 2, next (1,1). */
    double t2 = -1.0 + 0.5 * 0.2 + Q0[4 + 3];
    ck_assert(fabs(Q[2] - (Q0[2] + eta * (t2 - Q0[2]))) < 1e-15);
    /* unvisited entries unchanged */
    ck_assert(Q[0] == Q0[0] && Q[3] == Q0[3]);
    /* h = 1 (last): targets r + tau H only; (1,0) agent 0; (0,1) agent 1;
     * (1,1) agent 2. */
    ck_assert(fabs(Q[6] - (Q0[6] + eta * (0.5 + 0.5 * 0.4 - Q0[6]))) < 1e-15);
    ck_assert(fabs(Q[5] - (Q0[5] + eta * (2.0 + 0.5 * 0.3 - Q0[5]))) < 1e-15);
    ck_assert(fabs(Q[7] - (Q0[7] + eta * (4.0 + 0.5 * 0.4 - Q0[7]))) < 1e-15);
    ck_assert(Q[4] == Q0[4]);
    /* agents = one: agent 0 only, constant rate. */
    for (int k = 0; k < 8; ++k) Q[k] = Q0[k];
    marl_mf_td one = {0.5, MARL_MF_AGENTS_ONE, MARL_MF_RATE_CONSTANT, 0.1,
                      0.25};
    marl_mf_td_shared(&d, &one, 7, &e, ent, Q, work);
    ck_assert(fabs(Q[1] - (Q0[1] + 0.25 * (t0 - Q0[1]))) < 1e-15);
    ck_assert(Q[2] == Q0[2] && Q[5] == Q0[5]);
    /* Per-agent update: agent 1's table only from its own path. */
    double Qa[24] = {0};
    double enta[12] = {0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4,
                       0.1, 0.2, 0.3, 0.4};
    marl_mf_td_per_agent(&d, &one, 0, &e, enta, Qa);
    ck_assert(fabs(Qa[8 + 1] - 0.25 * (3.0 + 0.05)) < 1e-15);
    ck_assert(fabs(Qa[8 + 4 + 1] - 0.25 * (2.0 + 0.15)) < 1e-15);
    ck_assert(Qa[8 + 2] == 0.0);
}
END_TEST

/* max |Qhat - Q| after M epochs of meanfield-td. */
static double td_error(marl_game *g, const marl_policy *p, size_t M,
                       const char *agents, double *Qx, double *Q) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_td, g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_string(s, "agents", agents), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "tau", 0.2), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 99), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, M, 0, 0, NULL), MARL_OK);
    ck_assert_int_eq(marl_meanfield_td_q(s, Q), MARL_OK);
    size_t col;
    double row[4];
    ck_assert_int_eq(marl_solver_metric_index(s, "q_error", &col), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, M - 1, row), MARL_OK);
    double err = 0.0;
    for (size_t k = 0; k < 3 * 4; ++k)
        err = fmax(err, fabs(Q[k] - Qx[k]));
    ck_assert(fabs(row[col] - err) < 1e-12);
    marl_solver_free(s);
    return err;
}

START_TEST(td_converges_to_mfg_q) {
    const size_t N = 3000, H = 3;
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, N, H, 1, 0, 0, -1, -1, 0), MARL_OK);
    marl_policy *p = NULL;
    marl_rng *r = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_SHARED |
                                                MARL_POLICY_PER_STEP),
                     MARL_OK);
    ck_assert_int_eq(marl_rng_new(&r, 4), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(p, r), MARL_OK);
    marl_rng_free(r);
    double Qx[12], Q[12];
    ck_assert_int_eq(marl_mfg_q(g, p, NULL, 0.2, Qx), MARL_OK);
    double e_small = td_error(g, p, 10, "all", Qx, Q);
    double e_large = td_error(g, p, 300, "all", Qx, Q);
    /* Stated tolerances (seed 99, N = 3000, tau = 0.2, Q of order 1):
     * 0.05 after 10 epochs, 0.012 after 300 (measured 0.033 and 0.0082),
     * and the error at least halves. */
    ck_assert_msg(e_small < 0.05, "error after 10 epochs %g", e_small);
    ck_assert_msg(e_large < 0.012, "error after 300 epochs %g", e_large);
    ck_assert_msg(e_large < e_small / 2, "errors %g -> %g", e_small,
                  e_large);
    marl_policy_free(p);
    marl_game_free(g);
    /* One agent per epoch (the seed's Alg. 1 literally), N = 200: slower;
     * 0.15 after 3000 epochs, better than after 300. */
    ck_assert_int_eq(mf_crowd_new(&g, 200, H, 1, 0, 0, -1, -1, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_SHARED |
                                                MARL_POLICY_PER_STEP),
                     MARL_OK);
    ck_assert_int_eq(marl_rng_new(&r, 4), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(p, r), MARL_OK);
    marl_rng_free(r);
    ck_assert_int_eq(marl_mfg_q(g, p, NULL, 0.2, Qx), MARL_OK);
    double e_one_small = td_error(g, p, 300, "one", Qx, Q);
    double e_one = td_error(g, p, 3000, "one", Qx, Q);
    ck_assert_msg(e_one < 0.15 && e_one < e_one_small,
                  "agents=one errors %g (300) -> %g (3000)", e_one_small,
                  e_one);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

int main(void) {
    Suite *s = suite_create("meanfield-td");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, td_update_by_hand);
    tcase_add_test(tc, td_converges_to_mfg_q);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
