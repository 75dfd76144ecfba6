/* Best responses, Nash-gap, optimal team welfare and the price of anarchy
 * (metrics.h): policy iteration against an independent value iteration,
 * hand-computed equilibria and POA, error paths, allocation failures.
 * SPDX-License-Identifier: MIT */
#include "failalloc.h"
#include "game/game_impl.h"
#include "policy/policy_impl.h"
#include "testgames.h"

#include <check.h>
#include "check_main.h"
#include <math.h>

START_TEST(test_br_vs_value_iteration) {
    const struct {
        size_t N, S, A[3];
        double g;
    } cases[] = {{1, 6, {4}, 0.95},       {2, 5, {3, 2}, 0.9},
                 {3, 4, {2, 3, 2}, 0.95}, {3, 3, {2, 2, 2}, 0.5},
                 {2, 7, {2, 4}, 0.99},    {3, 2, {3, 1, 2}, 0.0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c)
        for (uint64_t seed = 1; seed <= 4; ++seed) {
            size_t N = cases[c].N, S = cases[c].S;
            marl_game *game = tg_random_game(seed * 31 + c, N, S, cases[c].A,
                                             cases[c].g, 0, 0);
            tg_model m;
            tg_model_load(&m, game);
            marl_policy *pol = NULL, *br = NULL;
            ck_assert_int_eq(marl_policy_new(&pol, game, 0), MARL_OK);
            sm_rng r = {seed + 100 * c};
            tg_random_policy(pol, &r, 0.3);
            double v[3], gains[3], gap, Vvi[8];
            ck_assert_int_eq(marl_markov_values_mu(game, pol, v), MARL_OK);
            ck_assert_int_eq(marl_markov_nash_gap(game, pol, &gap, gains),
                             MARL_OK);
            double maxgain = -INFINITY;
            for (size_t i = 0; i < N; ++i) {
                double bv, bv2, vb[3];
                ck_assert_int_eq(marl_policy_copy(&br, pol), MARL_OK);
                ck_assert_int_eq(
                    marl_markov_best_response(game, pol, i, &bv, br), MARL_OK);
                double vi = tg_br_vi(&m, pol, i, Vvi);
                ck_assert_msg(tg_close(bv, vi, 1e-12),
                              "case %zu seed %llu agent %zu: PI %.17g VI %.17g",
                              c, (unsigned long long)seed, i, bv, vi);
                ck_assert(bv >= v[i] - 1e-12);
                ck_assert(tg_close(gains[i], bv - v[i], 1e-13));
                maxgain = fmax(maxgain, gains[i]);
                /* br: the agent's rows are pure and achieve the BR value;
                 * the other rows are unchanged. */
                ck_assert_int_eq(marl_markov_values_mu(game, br, vb), MARL_OK);
                ck_assert(tg_close(vb[i], vi, 1e-12));
                double row[4], row0[4];
                for (size_t k = 0; k < N; ++k)
                    for (size_t s = 0; s < S; ++s) {
                        ck_assert_int_eq(marl_policy_get_row(br, k, 0, s, row),
                                         MARL_OK);
                        ck_assert_int_eq(
                            marl_policy_get_row(pol, k, 0, s, row0), MARL_OK);
                        double mx = 0, sum = 0;
                        for (size_t a = 0; a < cases[c].A[k]; ++a) {
                            if (k != i) ck_assert_double_eq(row[a], row0[a]);
                            mx = fmax(mx, row[a]);
                            sum += row[a];
                        }
                        if (k == i) {
                            ck_assert_double_eq(mx, 1.0);
                            ck_assert_double_eq(sum, 1.0);
                        }
                    }
                /* br_policy may be the evaluated policy itself. */
                ck_assert_int_eq(
                    marl_markov_best_response(game, br, i, &bv2, br), MARL_OK);
                ck_assert(tg_close(bv2, bv, 1e-12));
                marl_policy_free(br);
            }
            ck_assert_double_eq(gap, maxgain);
            tg_model_free(&m);
            marl_policy_free(pol);
            marl_game_free(game);
        }
}
END_TEST

START_TEST(test_br_logits_shared) {
    const size_t A[2] = {3, 3};
    marl_game *game = tg_random_game(77, 2, 5, A, 0.9, 0, 0);
    tg_model m;
    tg_model_load(&m, game);
    marl_policy *lg = NULL, *sh = NULL;
    ck_assert_int_eq(marl_policy_new(&lg, game, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&sh, game, MARL_POLICY_SHARED), MARL_OK);
    sm_rng r = {5};
    double th[3], row[3], Vvi[5], bv, gap, gains[2];
    for (size_t i = 0; i < 2; ++i)
        for (size_t s = 0; s < 5; ++s) {
            for (int a = 0; a < 3; ++a)
                th[a] = 2 * sm_unif(&r) - 1;
            ck_assert_int_eq(marl_policy_set_logits(lg, i, 0, s, th), MARL_OK);
            tg_random_dist(&r, row, 3, 0.3);
            ck_assert_int_eq(marl_policy_set_row(sh, i, 0, s, row), MARL_OK);
        }
    for (size_t i = 0; i < 2; ++i) {
        ck_assert_int_eq(marl_markov_best_response(game, lg, i, &bv, NULL),
                         MARL_OK);
        ck_assert(tg_close(bv, tg_br_vi(&m, lg, i, Vvi), 1e-12));
        ck_assert_int_eq(marl_markov_best_response(game, sh, i, &bv, NULL),
                         MARL_OK);
        ck_assert(tg_close(bv, tg_br_vi(&m, sh, i, Vvi), 1e-12));
    }
    ck_assert_int_eq(marl_markov_nash_gap(game, sh, &gap, gains), MARL_OK);
    ck_assert(gap > 1e-6);
    ck_assert_int_eq(marl_markov_nash_gap(game, lg, &gap, NULL), MARL_OK);
    ck_assert(gap > 1e-6);
    tg_model_free(&m);
    marl_policy_free(lg);
    marl_policy_free(sh);
    marl_game_free(game);
}
END_TEST

/* ---- a stag hunt with two states ------------------------------------------
 * Two agents, two actions, transitions independent of the actions:
 * P = [[0.8, 0.2], [0.3, 0.7]], gamma = 0.9, mu = (1/2, 1/2). Each agent
 * gets, in state 0: 2 if both play 0, 1 if both play 1, 0 otherwise; in
 * state 1: 6 if both play 0, 3 if both play 1, 0 otherwise. With actions not
 * moving the state, a profile that is a Nash equilibrium of every stage game
 * is a Markov Nash equilibrium:
 *  - good: both play 0 everywhere (team optimal),
 *  - bad: both play 1 in state 0 and 0 in state 1,
 *  - mixed: each plays 0 with probability 1/3 in both states (indifference:
 *    2y = 1 - y and 6y = 3(1 - y) give y = 1/3).
 * (I - 0.9 P)^{-1} = (1/0.055) [[0.37, 0.18], [0.27, 0.28]] (det 0.055), so
 * V_agent(bad) = (1.45, 1.95)/0.055, mean 1.7/0.055 under mu; the team
 * optimum is 2 * (1.82, 2.22)/0.055, V* = 2 * 2.02/0.055 = 73.4545...;
 * POA(bad) = 1.7 / 2.02 = 85/101.
 */
static marl_game *stag_hunt(void) {
    const size_t A[2] = {2, 2};
    double P[2 * 4 * 2], R[2 * 2 * 4];
    const double pay[2][2] = {{2, 1}, {6, 3}}, mu[2] = {0.5, 0.5};
    for (int s = 0; s < 2; ++s)
        for (int j = 0; j < 4; ++j) {
            P[(s * 4 + j) * 2] = s == 0 ? 0.8 : 0.3;
            P[(s * 4 + j) * 2 + 1] = s == 0 ? 0.2 : 0.7;
            double r = j == 0 ? pay[s][0] : (j == 3 ? pay[s][1] : 0.0);
            R[(0 * 2 + s) * 4 + j] = r;
            R[(1 * 2 + s) * 4 + j] = r;
        }
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_new(&g, 2, 2, A, 0.9, mu, P, R, NULL),
                     MARL_OK);
    return g;
}

static void set_both(marl_policy *p, size_t s, double prob0) {
    double row[2] = {prob0, 1 - prob0};
    for (size_t i = 0; i < 2; ++i)
        ck_assert_int_eq(marl_policy_set_row(p, i, 0, s, row), MARL_OK);
}

START_TEST(test_stag_hunt) {
    marl_game *g = stag_hunt();
    marl_policy *p = NULL, *opt = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&opt, g, 0), MARL_OK);
    double gap, gains[2], poa, w, vstar, vs2;
    const double Vstar = 2 * 2.02 / 0.055;
    /* bad equilibrium */
    set_both(p, 0, 0.0);
    set_both(p, 1, 1.0);
    ck_assert_int_eq(marl_markov_nash_gap(g, p, &gap, gains), MARL_OK);
    ck_assert(fabs(gap) <= 1e-12);
    ck_assert_int_eq(marl_markov_price_of_anarchy(g, p, &poa, &w, &vstar),
                     MARL_OK);
    ck_assert_double_eq_tol(w, 2 * 1.7 / 0.055, 1e-12);
    ck_assert_double_eq_tol(vstar, Vstar, 1e-12);
    ck_assert_double_eq_tol(poa, 85.0 / 101.0, 1e-14);
    /* good equilibrium = the team optimum */
    set_both(p, 0, 1.0);
    set_both(p, 1, 1.0);
    ck_assert_int_eq(marl_markov_nash_gap(g, p, &gap, NULL), MARL_OK);
    ck_assert(fabs(gap) <= 1e-12);
    ck_assert_int_eq(marl_markov_price_of_anarchy(g, p, &poa, NULL, NULL),
                     MARL_OK);
    ck_assert_double_eq_tol(poa, 1.0, 1e-14);
    ck_assert_int_eq(marl_markov_optimal_welfare(g, &vs2, opt), MARL_OK);
    ck_assert_double_eq_tol(vs2, Vstar, 1e-12);
    double row[2];
    for (size_t i = 0; i < 2; ++i)
        for (size_t s = 0; s < 2; ++s) {
            ck_assert_int_eq(marl_policy_get_row(opt, i, 0, s, row), MARL_OK);
            ck_assert_double_eq(row[0], 1.0);
            ck_assert_double_eq(row[1], 0.0);
        }
    /* mixed equilibrium */
    set_both(p, 0, 1.0 / 3.0);
    set_both(p, 1, 1.0 / 3.0);
    ck_assert_int_eq(marl_markov_nash_gap(g, p, &gap, gains), MARL_OK);
    ck_assert(fabs(gap) <= 1e-12);
    /* not an equilibrium: miscoordination has a profitable deviation.
     * Agent 0 plays 0, agent 1 plays 1 in state 0 (both get 0 there); in
     * state 1 both play 0. Agent 0's best deviation: play 1 in state 0
     * (gets 1 there): gain = (1/0.055) * mu . (0.37, 0.27) * 1 = 0.32/0.055. */
    double r0[2] = {1, 0}, r1[2] = {0, 1};
    ck_assert_int_eq(marl_policy_set_row(p, 0, 0, 0, r0), MARL_OK);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 0, r1), MARL_OK);
    set_both(p, 1, 1.0);
    ck_assert_int_eq(marl_markov_nash_gap(g, p, &gap, gains), MARL_OK);
    ck_assert_double_eq_tol(gains[0], 0.32 / 0.055, 1e-12);
    /* agent 1 deviates to 0 in state 0 and gets 2 there: gain 0.64/0.055 */
    ck_assert_double_eq_tol(gains[1], 0.64 / 0.055, 1e-12);
    ck_assert_double_eq_tol(gap, 0.64 / 0.055, 1e-12);
    marl_policy_free(p);
    marl_policy_free(opt);
    marl_game_free(g);
}
END_TEST

START_TEST(test_optimal_welfare_random) {
    const size_t A[3] = {2, 3, 2};
    for (uint64_t seed = 1; seed <= 8; ++seed) {
        double gm = seed % 2 ? 0.95 : 0.6;
        marl_game *g = tg_random_game(seed * 13, 3, 4, A, gm, 0, 0);
        tg_model m;
        tg_model_load(&m, g);
        marl_policy *opt = NULL;
        ck_assert_int_eq(marl_policy_new(&opt, g, 0), MARL_OK);
        double vstar, w, poa, w2, vs2;
        ck_assert_int_eq(marl_markov_optimal_welfare(g, &vstar, opt), MARL_OK);
        ck_assert(tg_close(vstar, tg_team_vi(&m), 1e-12));
        ck_assert_int_eq(marl_markov_welfare(g, opt, &w), MARL_OK);
        ck_assert(tg_close(w, vstar, 1e-12));
        ck_assert_int_eq(marl_markov_optimal_welfare(g, &vs2, NULL), MARL_OK);
        ck_assert_double_eq(vs2, vstar);
        ck_assert_int_eq(marl_markov_price_of_anarchy(g, opt, &poa, &w2, &vs2),
                         MARL_OK);
        if (vstar > 0)
            ck_assert(tg_close(poa, 1.0, 1e-12));
        else
            ck_assert(isnan(poa));
        ck_assert_double_eq(vs2, vstar);
        ck_assert_double_eq(w2, w);
        tg_model_free(&m);
        marl_policy_free(opt);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_poa_nonpositive) {
    /* One state, two agents, every reward -1: V* = -2/(1-g) <= 0, so POA is
     * NaN while welfare and V* are both reported. */
    const size_t A[2] = {2, 2};
    const double P[4] = {1, 1, 1, 1}, R[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_new(&g, 2, 1, A, 0.75, NULL, P, R, NULL),
                     MARL_OK);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double poa = 0, w = 0, vs = 0;
    ck_assert_int_eq(marl_markov_price_of_anarchy(g, p, &poa, &w, &vs),
                     MARL_OK);
    ck_assert(isnan(poa));
    ck_assert_double_eq_tol(w, -8.0, 1e-12);
    ck_assert_double_eq_tol(vs, -8.0, 1e-12);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_errors) {
    const size_t A[3] = {2, 3, 2};
    marl_game *g = tg_random_game(3, 3, 3, A, 0.9, 0, 0);
    marl_game *other = tg_random_game(3, 2, 3, A, 0.9, 0, 0);
    marl_policy *p = NULL, *lg = NULL, *wrong = NULL, *br = NULL, *sh = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&br, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&lg, g, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&wrong, other, 0), MARL_OK);
    const size_t A2[2] = {2, 2};
    marl_game *g2 = tg_random_game(4, 2, 3, A2, 0.9, 0, 0);
    marl_policy *p2 = NULL;
    ck_assert_int_eq(marl_policy_new(&p2, g2, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&sh, g2, MARL_POLICY_SHARED), MARL_OK);
    marl_game fake;
    memset(&fake, 0, sizeof fake);
    fake.kind = MARL_GAME_AGGREGATIVE;
    double x = -7.0, y = -7.0, z = -7.0, per[3] = {-7, -7, -7};
    const char *msg;
#define EXPECT(call, code)                                                     \
    do {                                                                       \
        marl_clear_error();                                                    \
        ck_assert_int_eq((call), (code));                                      \
        msg = marl_last_error();                                               \
        ck_assert_msg(msg[0] != '\0', "no message for " #call);                \
    } while (0)
    EXPECT(marl_markov_best_response(NULL, p, 0, &x, NULL), MARL_EINVAL);
    EXPECT(marl_markov_best_response(&fake, p, 0, &x, NULL), MARL_EKIND);
    EXPECT(marl_markov_best_response(g, NULL, 0, &x, NULL), MARL_EINVAL);
    EXPECT(marl_markov_best_response(g, p, 0, NULL, NULL), MARL_EINVAL);
    EXPECT(marl_markov_best_response(g, p, 3, &x, NULL), MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(msg, "agent 3"));
    EXPECT(marl_markov_best_response(g, wrong, 0, &x, NULL), MARL_EINVAL);
    EXPECT(marl_markov_best_response(g, p, 0, &x, lg), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "LOGITS"));
    EXPECT(marl_markov_best_response(g, p, 0, &x, wrong), MARL_EINVAL);
    EXPECT(marl_markov_best_response(g2, p2, 0, &x, sh), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "SHARED"));
    EXPECT(marl_markov_nash_gap(NULL, p, &x, per), MARL_EINVAL);
    EXPECT(marl_markov_nash_gap(&fake, p, &x, per), MARL_EKIND);
    EXPECT(marl_markov_nash_gap(g, NULL, &x, per), MARL_EINVAL);
    EXPECT(marl_markov_nash_gap(g, p, NULL, per), MARL_EINVAL);
    EXPECT(marl_markov_nash_gap(g, wrong, &x, per), MARL_EINVAL);
    EXPECT(marl_markov_welfare(g, wrong, &x), MARL_EINVAL);
    EXPECT(marl_markov_optimal_welfare(NULL, &x, NULL), MARL_EINVAL);
    EXPECT(marl_markov_optimal_welfare(&fake, &x, NULL), MARL_EKIND);
    EXPECT(marl_markov_optimal_welfare(g, NULL, NULL), MARL_EINVAL);
    EXPECT(marl_markov_optimal_welfare(g, &x, lg), MARL_EINVAL);
    EXPECT(marl_markov_optimal_welfare(g, &x, wrong), MARL_EINVAL);
    EXPECT(marl_markov_optimal_welfare(g2, &x, sh), MARL_EINVAL);
    EXPECT(marl_markov_price_of_anarchy(NULL, p, &x, &y, &z), MARL_EINVAL);
    EXPECT(marl_markov_price_of_anarchy(&fake, p, &x, &y, &z), MARL_EKIND);
    EXPECT(marl_markov_price_of_anarchy(g, NULL, &x, &y, &z), MARL_EINVAL);
    EXPECT(marl_markov_price_of_anarchy(g, p, NULL, &y, &z), MARL_EINVAL);
    EXPECT(marl_markov_price_of_anarchy(g, wrong, &x, &y, &z), MARL_EINVAL);
    p->flags |= MARL_POLICY_PER_STEP; /* forced: see test_markov_eval.c */
    EXPECT(marl_markov_best_response(g, p, 0, &x, NULL), MARL_EINVAL);
    EXPECT(marl_markov_nash_gap(g, p, &x, per), MARL_EINVAL);
    EXPECT(marl_markov_price_of_anarchy(g, p, &x, &y, &z), MARL_EINVAL);
    p->flags &= ~(unsigned)MARL_POLICY_PER_STEP;
    br->flags |= MARL_POLICY_PER_STEP;
    EXPECT(marl_markov_best_response(g, p, 0, &x, br), MARL_EINVAL);
    EXPECT(marl_markov_optimal_welfare(g, &x, br), MARL_EINVAL);
    br->flags &= ~(unsigned)MARL_POLICY_PER_STEP;
#undef EXPECT
    /* Nothing written by failing calls: outputs and br still uniform. */
    ck_assert_double_eq(x, -7.0);
    ck_assert_double_eq(y, -7.0);
    ck_assert_double_eq(z, -7.0);
    for (int k = 0; k < 3; ++k)
        ck_assert_double_eq(per[k], -7.0);
    double row[3];
    for (size_t i = 0; i < 3; ++i)
        for (size_t s = 0; s < 3; ++s) {
            ck_assert_int_eq(marl_policy_get_row(br, i, 0, s, row), MARL_OK);
            for (size_t a = 0; a < A[i]; ++a)
                ck_assert_double_eq_tol(row[a], 1.0 / (double)A[i], 1e-15);
        }
    marl_policy_free(p);
    marl_policy_free(br);
    marl_policy_free(lg);
    marl_policy_free(wrong);
    marl_policy_free(p2);
    marl_policy_free(sh);
    marl_game_free(g);
    marl_game_free(g2);
    marl_game_free(other);
}
END_TEST

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    const size_t A[3] = {2, 3, 2};
    marl_game *g = tg_random_game(9, 3, 4, A, 0.9, 0, 0);
    marl_policy *p = NULL, *br = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&br, g, 0), MARL_OK);
    double v, w, vs, per[3];
    FAILALLOC_SWEEP(marl_markov_best_response(g, p, 1, &v, br), (void)0);
    FAILALLOC_SWEEP(marl_markov_nash_gap(g, p, &v, per), (void)0);
    FAILALLOC_SWEEP(marl_markov_optimal_welfare(g, &v, br), (void)0);
    FAILALLOC_SWEEP(marl_markov_price_of_anarchy(g, p, &v, &w, &vs), (void)0);
    marl_policy_free(p);
    marl_policy_free(br);
    marl_game_free(g);
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

/* The catalogue's coordination game (team reward, phi = r): V_i = Phi per
 * state, a positive Nash-gap at a random policy, PI = VI for the team. */
START_TEST(test_coordination) {
    marl_game *g = NULL;
    int rc = marl_games_new(&g, "coordination", "N=3");
    ck_assert_msg(rc == MARL_OK, "coordination: %s", marl_last_error());
    ck_assert_uint_eq(marl_game_num_states(g), 8);
    ck_assert_uint_eq(marl_markov_num_joint(g), 8);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    sm_rng r = {42};
    tg_random_policy(p, &r, 0.0);
    double V[24], Phi[8], phi, gap, gains[3], vs, Vvi[8];
    ck_assert_int_eq(marl_markov_values(g, p, V), MARL_OK);
    ck_assert_int_eq(marl_markov_potential_value(g, p, &phi, Phi), MARL_OK);
    for (int i = 0; i < 3; ++i)
        for (int s = 0; s < 8; ++s)
            ck_assert(tg_close(V[i * 8 + s], Phi[s], 1e-13));
    ck_assert_int_eq(marl_markov_nash_gap(g, p, &gap, gains), MARL_OK);
    ck_assert(gap > 1e-3);
    tg_model m;
    tg_model_load(&m, g);
    for (size_t i = 0; i < 3; ++i) {
        double bv;
        ck_assert_int_eq(marl_markov_best_response(g, p, i, &bv, NULL),
                         MARL_OK);
        ck_assert(tg_close(bv, tg_br_vi(&m, p, i, Vvi), 1e-12));
    }
    ck_assert_int_eq(marl_markov_optimal_welfare(g, &vs, NULL), MARL_OK);
    ck_assert(tg_close(vs, tg_team_vi(&m), 1e-12));
    tg_model_free(&m);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

static Suite *br_suite(void) {
    Suite *s = suite_create("markov_br");
    TCase *tc = tcase_create("exact");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_br_vs_value_iteration);
    tcase_add_test(tc, test_br_logits_shared);
    tcase_add_test(tc, test_stag_hunt);
    tcase_add_test(tc, test_optimal_welfare_random);
    tcase_add_test(tc, test_poa_nonpositive);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_alloc_failures);
    tcase_add_test(tc, test_coordination);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return marl_test_run(br_suite());
}
