/* Tests of the `coordination` game (seed 003, sec. 5 / App. G.1): every
 * table for N = 2..6 against an independent brute-force computation, spot
 * checks of rows, rewards and local tables at N = 7 and 10 (factored game),
 * hand-checked rewards, the state encoding (agent 0 = most significant
 * bit), bad input and allocation failures.
 * SPDX-License-Identifier: MIT */
#include "marlgame/games.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* Local state of agent i in global state s written as the seed's string
 * s = s_0 s_1 ... s_{N-1}, agent 0 first (most significant bit). */
static void state_string(size_t N, size_t s, char *buf) {
    for (size_t i = 0; i < N; ++i)
        buf[i] = ((s >> (N - 1 - i)) & 1u) ? '1' : '0';
    buf[N] = '\0';
}

/* Algorithm 1 of App. G.1, transcribed on the string. */
static double seed_reward(size_t N, const char *s) {
    long zeros = 0, ones = 0;
    for (const char *p = s; *p; ++p) {
        if (*p == '0') zeros++;
        if (*p == '1') ones++;
    }
    long difference_bound = (N == 2 || N == 3) ? 1 : 2;
    if (labs(zeros - ones) <= difference_bound)
        return zeros < ones ? 1.0 : 0.0;
    if (zeros > ones) return 3.0;
    return 2.0;
}

/* P(s' | a) = (1 - eps)^m eps^(N - m), m = #agents whose next local state
 * equals their action (a_i = 0 -> s_i' = 0 w.p. 1 - eps; a_i = 1 -> s_i' = 1
 * w.p. 1 - eps). */
static double brute_p(size_t N, double eps, const char *next,
                      const char *act) {
    int m = 0;
    for (size_t i = 0; i < N; ++i) m += next[i] == act[i];
    return pow(1.0 - eps, m) * pow(eps, (double)(N - (size_t)m));
}

static void check_game(size_t N, double eps, double gamma) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, N, eps, gamma), MARL_OK);
    size_t S = (size_t)1 << N, J = S;
    ck_assert_int_eq(marl_game_kind(g), MARL_GAME_MARKOV);
    ck_assert_str_eq(marl_game_name(g), "coordination");
    ck_assert_uint_eq(marl_game_num_agents(g), N);
    ck_assert_uint_eq(marl_game_num_states(g), S);
    for (size_t i = 0; i < N; ++i) ck_assert_uint_eq(marl_game_num_actions(g, i), 2);
    ck_assert_uint_eq(marl_markov_num_joint(g), J);
    ck_assert(marl_game_discount(g) == gamma);
    ck_assert_uint_eq(marl_game_horizon(g), 0);
    ck_assert_int_eq(marl_markov_has_potential(g), 1);
    ck_assert_int_eq(marl_markov_is_factored(g), 1);
    for (size_t i = 0; i < N; ++i)
        ck_assert_uint_eq(marl_markov_num_local_states(g, i), 2);
    double *mu = malloc(S * sizeof *mu), *row = malloc(S * sizeof *row);
    ck_assert_int_eq(marl_markov_initial(g, mu), MARL_OK);
    for (size_t s = 0; s < S; ++s) ck_assert(mu[s] == 1.0 / (double)S);
    char ss[8], sn[8], sa[8];
    for (size_t s = 0; s < S; ++s) {
        state_string(N, s, ss);
        double r = seed_reward(N, ss);
        for (size_t j = 0; j < J; ++j) {
            size_t acts[8];
            ck_assert_int_eq(marl_markov_joint_decode(g, j, acts), MARL_OK);
            for (size_t i = 0; i < N; ++i) sa[i] = acts[i] ? '1' : '0';
            sa[N] = '\0';
            ck_assert_int_eq(marl_markov_transition_row(g, s, j, row), MARL_OK);
            double sum = 0.0;
            for (size_t n2 = 0; n2 < S; ++n2) {
                state_string(N, n2, sn);
                double want = brute_p(N, eps, sn, sa);
                ck_assert_msg(fabs(row[n2] - want) <= 1e-15,
                              "N=%zu s=%zu j=%zu s'=%zu: %.17g vs %.17g", N, s,
                              j, n2, row[n2], want);
                sum += row[n2];
            }
            ck_assert_double_eq_tol(sum, 1.0, 1e-13);
            for (size_t i = 0; i < N; ++i) {
                double v = -1.0;
                ck_assert_int_eq(marl_markov_reward(g, i, s, j, &v), MARL_OK);
                ck_assert(v == r);
            }
            double phi = -1.0;
            ck_assert_int_eq(marl_markov_potential(g, s, j, &phi), MARL_OK);
            ck_assert(phi == r);
        }
    }
    free(mu);
    free(row);
    marl_game_free(g);
}

START_TEST(test_brute_force) {
    for (size_t N = 2; N <= 6; ++N) {
        check_game(N, 0.1, 0.95);
        check_game(N, 0.37, 0.5);
    }
}
END_TEST

START_TEST(test_hand_rewards) {
    /* Values worked out by hand from Algorithm 1. */
    struct { size_t N; const char *s; double r; } cases[] = {
        {2, "00", 3}, {2, "01", 0}, {2, "10", 0}, {2, "11", 2},
        {3, "000", 3}, {3, "001", 0}, {3, "011", 1}, {3, "111", 2},
        {4, "0000", 3}, {4, "0001", 0}, {4, "0011", 0}, {4, "0111", 1},
        {4, "1111", 2},
        {5, "00000", 3}, {5, "00001", 3}, {5, "00011", 0}, {5, "00111", 1},
        {5, "01111", 2}, {5, "11111", 2},
        {6, "000000", 3}, {6, "000001", 3}, {6, "000011", 0},
        {6, "000111", 0}, {6, "001111", 1}, {6, "011111", 2}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
        size_t N = cases[k].N, s = 0;
        for (size_t i = 0; i < N; ++i) s = 2 * s + (size_t)(cases[k].s[i] - '0');
        marl_game *g = NULL;
        ck_assert_int_eq(marl_game_coordination_new(&g, N, 0.1, 0.95), MARL_OK);
        double v;
        ck_assert_int_eq(marl_markov_reward(g, N - 1, s, 0, &v), MARL_OK);
        ck_assert_msg(v == cases[k].r, "N=%zu s=%s: %g, expected %g", N,
                      cases[k].s, v, cases[k].r);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_encoding_msb) {
    /* eps = 0: each local state copies the action, so from any state the
     * joint action j leads to state j with probability 1. Agent 0 is the
     * most significant bit of both: "only agent 0 plays 1" is j = 2^(N-1)
     * and leads to s' = 2^(N-1) (agent 0 in local state 1, others in 0). */
    for (size_t N = 2; N <= 6; ++N) {
        marl_game *g = NULL;
        ck_assert_int_eq(marl_game_coordination_new(&g, N, 0.0, 0.9), MARL_OK);
        size_t S = (size_t)1 << N;
        double *row = malloc(S * sizeof *row);
        size_t a[8] = {1, 0, 0, 0, 0, 0, 0, 0}, j;
        ck_assert_int_eq(marl_markov_joint_encode(g, a, &j), MARL_OK);
        ck_assert_uint_eq(j, S / 2);
        for (size_t s = 0; s < S; s += 3) {
            ck_assert_int_eq(marl_markov_transition_row(g, s, j, row), MARL_OK);
            for (size_t n2 = 0; n2 < S; ++n2)
                ck_assert(row[n2] == (n2 == S / 2 ? 1.0 : 0.0));
        }
        /* eps = 1: every local state is the opposite of the action. */
        marl_game *h = NULL;
        ck_assert_int_eq(marl_game_coordination_new(&h, N, 1.0, 0.9), MARL_OK);
        ck_assert_int_eq(marl_markov_transition_row(h, 0, j, row), MARL_OK);
        ck_assert(row[S - 1 - S / 2] == 1.0);
        free(row);
        marl_game_free(g);
        marl_game_free(h);
    }
}
END_TEST

/* N = 7 and 10: a dense reference would be too large; spot-check rows of
 * seeded (state, joint action) pairs against the brute-force formula, the
 * rewards and potential against Algorithm 1, and the local tables. */
START_TEST(test_large_spot) {
    uint64_t x = 88172645463325252ull;
    for (size_t N = 7; N <= 10; N += 3) {
        marl_game *g = NULL;
        const double eps = 0.1;
        ck_assert_int_eq(marl_game_coordination_new(&g, N, eps, 0.95), MARL_OK);
        size_t S = (size_t)1 << N;
        ck_assert_uint_eq(marl_game_num_states(g), S);
        ck_assert_uint_eq(marl_markov_num_joint(g), S);
        ck_assert_int_eq(marl_markov_is_factored(g), 1);
        double *row = malloc(S * sizeof *row), lrow[2];
        char ss[16], sn[16], sa[16];
        for (int k = 0; k < 6; ++k) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17; /* xorshift64 */
            size_t s = (size_t)(x % S), j = (size_t)((x >> 20) % S);
            state_string(N, s, ss);
            state_string(N, j, sa); /* joint index bits = actions (MSB first) */
            ck_assert_int_eq(marl_markov_transition_row(g, s, j, row), MARL_OK);
            double sum = 0.0;
            for (size_t n2 = 0; n2 < S; ++n2) {
                state_string(N, n2, sn);
                ck_assert(fabs(row[n2] - brute_p(N, eps, sn, sa)) <= 1e-15);
                sum += row[n2];
            }
            ck_assert_double_eq_tol(sum, 1.0, 1e-13);
            double v = -1.0, phi = -1.0;
            ck_assert_int_eq(marl_markov_reward(g, k % N, s, j, &v), MARL_OK);
            ck_assert(v == seed_reward(N, ss));
            ck_assert_int_eq(marl_markov_potential(g, s, j, &phi), MARL_OK);
            ck_assert(phi == v);
            for (size_t i = 0; i < N; ++i)
                for (size_t a = 0; a < 2; ++a) {
                    ck_assert_int_eq(marl_markov_local_transition_row(g, i, s,
                                                                      a, lrow),
                                     MARL_OK);
                    ck_assert(lrow[0] == (a == 0 ? 1.0 - eps : eps));
                    ck_assert(lrow[1] == 1.0 - lrow[0]);
                }
        }
        free(row);
        marl_game_free(g);
    }
    /* the catalogue's range is 2..10 */
    size_t idx = 0, nd = 0;
    const marl_option_def *defs = NULL;
    ck_assert_int_eq(marl_games_find("coordination", &idx), MARL_OK);
    ck_assert_int_eq(marl_games_params(idx, &defs, &nd), MARL_OK);
    ck_assert_str_eq(defs[0].name, "n");
    ck_assert_int_eq(defs[0].int_min, 2);
    ck_assert_int_eq(defs[0].int_max, 10);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "coordination", "N=11"), MARL_ERANGE);
    ck_assert_ptr_null(g);
}
END_TEST

START_TEST(test_errors) {
    marl_game *g = (marl_game *)&g, *keep = g;
    ck_assert_int_eq(marl_game_coordination_new(NULL, 3, 0.1, 0.9), MARL_EINVAL);
    ck_assert_int_eq(marl_game_coordination_new(&g, 0, 0.1, 0.9), MARL_ERANGE);
    ck_assert_int_eq(marl_game_coordination_new(&g, 1, 0.1, 0.9), MARL_ERANGE);
    ck_assert_int_eq(marl_game_coordination_new(&g, 11, 0.1, 0.9), MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "N = 11"));
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, -0.1, 0.9), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "eps"));
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, 1.1, 0.9), MARL_EINVAL);
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, NAN, 0.9), MARL_EINVAL);
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, 0.1, 1.0), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "gamma"));
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, 0.1, -0.5), MARL_EINVAL);
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, 0.1, INFINITY),
                     MARL_EINVAL);
    ck_assert_ptr_eq(g, keep);
}
END_TEST

START_TEST(test_failalloc) {
    failalloc_install(-1);
    long live = failalloc_live();
    marl_game *g = NULL;
    FAILALLOC_SWEEP(marl_game_coordination_new(&g, 4, 0.1, 0.95),
                    marl_game_free(g));
    FAILALLOC_SWEEP(marl_games_new(&g, "coordination", NULL),
                    marl_game_free(g));
    FAILALLOC_SWEEP(marl_games_new(&g, "coordination", "N=3,eps=0.2"),
                    marl_game_free(g));
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

int main(void) {
    Suite *s = suite_create("games-coordination");
    TCase *tc = tcase_create("coordination");
    tcase_add_test(tc, test_brute_force);
    tcase_add_test(tc, test_hand_rewards);
    tcase_add_test(tc, test_encoding_msb);
    tcase_add_test(tc, test_large_spot);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
