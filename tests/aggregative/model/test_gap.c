/*
 * Exact Nash-gap of pure policies (marl_aggregative_nash_gap) against brute
 * force over every pure deviating Markov policy, values and welfare against
 * an independent evaluation, pure-policy extraction, bad input.
 * SPDX-License-Identifier: MIT
 */
#include "amg_fixture.h"
#include "check_main.h"

#include <stdio.h>

static tg G;

/* 60 random instances of every shape the fixture allows (with at most
 * 3^6 deviating policies per agent): gap, values, best-response values and
 * welfare agree with the brute force to 1e-12. */
START_TEST(test_gap_brute_force) {
    sm_rng r = {2024};
    size_t checked = 0;
    double max_gap = 0;
    for (int inst = 0; inst < 60; ++inst) {
        size_t n = 1 + sm_next(&r) % 4, m = 1 + sm_next(&r) % 3;
        size_t S = 1 + sm_next(&r) % 3, H = 1 + sm_next(&r) % 3;
        size_t d = 1 + sm_next(&r) % 2;
        while (pow((double)m, (double)(H * S)) > 729) H--;
        if (H == 0) H = 1, S = (m == 3 ? 2 : S);
        tg_draw(&G, 100 + (uint64_t)inst, n, m, S, H, d, 1.0, 0.8, 1);
        marl_game *g = tg_build(&G);
        size_t act[TG_MAXH * TG_MAXS * TG_MAXN];
        tg_random_policy(&G, 7 + (uint64_t)inst, act);
        double gap, values[TG_MAXN], br[TG_MAXN], W;
        ck_assert_int_eq(marl_aggregative_nash_gap(g, act, &gap, values, br,
                                                   &W),
                         MARL_OK);
        const double bf = tg_brute_gap(&G, act);
        ck_assert_msg(fabs(gap - bf) <= 1e-12,
                      "instance %d: exact %.17g brute %.17g", inst, gap, bf);
        double V[TG_MAXH + 1][TG_MAXS];
        for (size_t i = 0; i < n; ++i)
            ck_assert_double_eq_tol(values[i], tg_value(&G, act, i, NULL, V),
                                    1e-12);
        double gi = -HUGE_VAL;
        for (size_t i = 0; i < n; ++i) {
            ck_assert(br[i] >= values[i] - 1e-12);
            if (br[i] - values[i] > gi) gi = br[i] - values[i];
        }
        ck_assert_double_eq_tol(gi, gap, 1e-15);
        double Wt[TG_MAXH + 1][TG_MAXS];
        ck_assert_double_eq_tol(W, tg_welfare(&G, act, Wt), 1e-12);
        if (gap > max_gap) max_gap = gap;
        checked++;
        marl_game_free(g);
    }
    ck_assert_uint_eq(checked, 60);
    ck_assert(max_gap > 0.1); /* the instances are not trivial */
}
END_TEST

/* A pure equilibrium found by brute force over all pure policies has exact
 * gap 0 (within rounding) and every other policy a gap >= 0. */
START_TEST(test_gap_nonnegative_and_zero) {
    tg_draw(&G, 5, 2, 2, 1, 2, 1, 0.5, 0.5, 0);
    marl_game *g = tg_build(&G);
    size_t act[4], best[4];
    double best_gap = HUGE_VAL;
    for (size_t code = 0; code < 16; ++code) {
        for (size_t k = 0; k < 4; ++k) act[k] = (code >> k) & 1u;
        double gap, W;
        ck_assert_int_eq(marl_aggregative_nash_gap(g, act, &gap, NULL, NULL,
                                                   &W),
                         MARL_OK);
        ck_assert(isnan(W)); /* no welfare weights */
        ck_assert(gap >= -1e-15);
        ck_assert_double_eq_tol(gap, tg_brute_gap(&G, act), 1e-12);
        if (gap < best_gap) {
            best_gap = gap;
            memcpy(best, act, sizeof act);
        }
    }
    (void)best;
    ck_assert(best_gap < 1e-12); /* a pure NE exists in this instance */
    marl_game_free(g);
}
END_TEST

START_TEST(test_policy_actions) {
    tg_draw(&G, 9, 3, 3, 2, 2, 1, 1.0, 0.5, 1);
    marl_game *g = tg_build(&G);
    size_t act[12], got[12];
    tg_random_policy(&G, 11, act);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_PER_STEP), MARL_OK);
    /* uniform rows are not pure: error names agent 0, step 0, state 0 */
    for (size_t k = 0; k < 12; ++k) got[k] = 99;
    ck_assert_int_eq(marl_aggregative_policy_actions(p, got), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 0 at step 0, "
                                                    "state 0"));
    ck_assert_uint_eq(got[0], 99); /* nothing written */
    for (size_t h = 0; h < 2; ++h)
        for (size_t s = 0; s < 2; ++s)
            for (size_t i = 0; i < 3; ++i)
                ck_assert_int_eq(marl_policy_set_pure(p, i, h, s,
                                                      act[(h * 2 + s) * 3 + i]),
                                 MARL_OK);
    ck_assert_int_eq(marl_aggregative_policy_actions(p, got), MARL_OK);
    for (size_t k = 0; k < 12; ++k) ck_assert_uint_eq(got[k], act[k]);
    double row[3] = {0.5, 0.5, 0};
    ck_assert_int_eq(marl_policy_set_row(p, 2, 1, 1, row), MARL_OK);
    ck_assert_int_eq(marl_aggregative_policy_actions(p, got), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 2 at step 1, "
                                                    "state 1"));
    marl_policy_free(p);
    /* stationary: the same actions at every step */
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    for (size_t s = 0; s < 2; ++s)
        for (size_t i = 0; i < 3; ++i)
            ck_assert_int_eq(marl_policy_set_pure(p, i, 0, s, (i + s) % 3),
                             MARL_OK);
    ck_assert_int_eq(marl_aggregative_policy_actions(p, got), MARL_OK);
    for (size_t h = 0; h < 2; ++h)
        for (size_t s = 0; s < 2; ++s)
            for (size_t i = 0; i < 3; ++i)
                ck_assert_uint_eq(got[(h * 2 + s) * 3 + i], (i + s) % 3);
    marl_policy_free(p);
    ck_assert_int_eq(marl_aggregative_policy_actions(NULL, got), MARL_EINVAL);
    marl_game_free(g);
}
END_TEST

/* Rewards that leave [-1, 1] only at large aggregates: the build's probe
 * passes, the evaluation fails naming agent, step and state. */
static int bad_reward(void *u, size_t h, size_t s, size_t i, size_t a,
                      const double *x, double *r) {
    (void)u;
    *r = (h == 1 && s == 0 && i == 1 && a == 1 && x[0] > 0.7) ? 1.5 : 0.0;
    return 0;
}
static int flat_trans(void *u, size_t h, size_t s, const double *x,
                      double *row) {
    (void)u; (void)h; (void)s; (void)x;
    row[0] = 0.5;
    row[1] = 0.5;
    return 0;
}

START_TEST(test_gap_errors) {
    size_t acts[2] = {2, 2};
    double f[4] = {0, 1, 0, 1};
    marl_aggregative_builder *b = NULL;
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 2, 2, acts, 2, 1),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(
                         b, MARL_AGGREGATIVE_ALL_STEPS, f),
                     MARL_OK);
    marl_aggregative_ops ops = {1, bad_reward, flat_trans, NULL, NULL};
    ck_assert_int_eq(marl_aggregative_builder_set_ops(b, &ops, NULL),
                     MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_OK);
    marl_aggregative_builder_free(b);
    size_t act[8] = {0};
    double gap;
    ck_assert_int_eq(marl_aggregative_nash_gap(g, act, &gap, NULL, NULL, NULL),
                     MARL_OK);
    ck_assert(gap == 0.0);
    for (size_t k = 0; k < 8; ++k) act[k] = 1;
    ck_assert_int_eq(marl_aggregative_nash_gap(g, act, &gap, NULL, NULL, NULL),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 1, action 1 at "
                                                    "step 1, state 0"));
    act[5] = 2; /* step 1, state 0, agent 1 */
    ck_assert_int_eq(marl_aggregative_nash_gap(g, act, &gap, NULL, NULL, NULL),
                     MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 1 at step 1, "
                                                    "state 0"));
    ck_assert_int_eq(marl_aggregative_nash_gap(g, NULL, &gap, NULL, NULL,
                                               NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_aggregative_nash_gap(NULL, act, &gap, NULL, NULL,
                                               NULL),
                     MARL_EINVAL);
    marl_game *mk = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", "n=2"), MARL_OK);
    ck_assert_int_eq(marl_aggregative_nash_gap(mk, act, &gap, NULL, NULL,
                                               NULL),
                     MARL_EKIND);
    double e;
    ck_assert_int_eq(marl_aggregative_epsilon_solve(mk, 0.1, 0.05, &e),
                     MARL_EKIND);
    marl_game_free(mk);
    /* no Lipschitz constants given: the bound estimates them on the grid */
    ck_assert_int_eq(marl_aggregative_epsilon_solve(g, 0.1, 0.05, &e),
                     MARL_EINVAL); /* the estimate meets the bad reward */
    ck_assert_int_eq(marl_aggregative_epsilon_solve(g, 0.1, 1.5, &e),
                     MARL_EINVAL);
    marl_game_free(g);
}
END_TEST

/* eps_solve (Thm. 4.1) against the formula evaluated here. */
START_TEST(test_epsilon_solve) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "routing", "n=1000,m=2"), MARL_OK);
    double e;
    ck_assert_int_eq(marl_aggregative_epsilon_solve(g, 0.05, 0.05, &e),
                     MARL_OK);
    const double n = 1000, m = 2, delta = 1e-3, al = 0.05, H = 6, S = 3,
                 d = 1;
    const double gr = 1.4 * 1.1, gT = 0.5;
    const double zeta = delta * sqrt(8 * n * log(2 * m * n));
    const double E = delta * sqrt(2 * n * log(2 * d * H * S / 0.05));
    const double want = (zeta + 4 * al + 2 * delta + 2 * E) *
                        (gr * H + gT * H * (H - 1) / 2);
    ck_assert_double_eq_tol(e, want, 1e-12 * want);
    ck_assert_int_eq(marl_aggregative_epsilon_solve(g, 0.05, 0.05, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_aggregative_epsilon_solve(g, 0, 0.05, &e),
                     MARL_EINVAL);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("aggregative-gap");
    TCase *tc = tcase_create("gap");
    tcase_add_test(tc, test_gap_brute_force);
    tcase_add_test(tc, test_gap_nonnegative_and_zero);
    tcase_add_test(tc, test_policy_actions);
    tcase_add_test(tc, test_gap_errors);
    tcase_add_test(tc, test_epsilon_solve);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
