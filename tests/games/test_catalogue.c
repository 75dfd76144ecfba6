/* Tests of the built-in games catalogue: lookup, introspection, parameter
 * parsing through the options framework (defaults, values, upper-case
 * names), and every error path.
 * SPDX-License-Identifier: MIT */
#include "marlgame/games.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

START_TEST(test_entries) {
    size_t n = marl_games_count(), idx = 99;
    ck_assert_uint_ge(n, 1);
    ck_assert_int_eq(marl_games_find("coordination", &idx), MARL_OK);
    ck_assert_uint_lt(idx, n);
    ck_assert_str_eq(marl_games_name(idx), "coordination");
    ck_assert_int_eq(marl_games_kind(idx), MARL_GAME_MARKOV);
    ck_assert_ptr_nonnull(marl_games_summary(idx));
    ck_assert_ptr_nonnull(strstr(marl_games_summary(idx), "003"));
    ck_assert_ptr_null(marl_games_name(n));
    ck_assert_int_eq(marl_games_kind(n), 0);
    ck_assert_ptr_null(marl_games_summary(n));
    /* Names are unique and each one finds itself. */
    for (size_t i = 0; i < n; ++i) {
        size_t k;
        ck_assert_int_eq(marl_games_find(marl_games_name(i), &k), MARL_OK);
        ck_assert_uint_eq(k, i);
        const marl_option_def *defs;
        size_t nd;
        ck_assert_int_eq(marl_games_params(i, &defs, &nd), MARL_OK);
        marl_options *o = NULL; /* the table is valid */
        ck_assert_int_eq(marl_options_new(&o, defs, nd), MARL_OK);
        marl_options_free(o);
    }
    /* coordination's parameters: n (5, 2..6), eps (0.1), gamma (0.95). */
    const marl_option_def *d = NULL;
    size_t nd = 0;
    ck_assert_int_eq(marl_games_params(idx, &d, &nd), MARL_OK);
    ck_assert_uint_eq(nd, 3);
    ck_assert_str_eq(d[0].name, "n");
    ck_assert_int_eq(d[0].type, MARL_OPTION_INT);
    ck_assert_int_eq(d[0].int_default, 5);
    ck_assert_int_eq(d[0].int_min, 2);
    ck_assert_int_eq(d[0].int_max, 10);
    ck_assert_str_eq(d[1].name, "eps");
    ck_assert(d[1].real_default == 0.1);
    ck_assert(d[1].real_min == 0.0 && d[1].real_max == 1.0);
    ck_assert_str_eq(d[2].name, "gamma");
    ck_assert(d[2].real_default == 0.95);
    ck_assert(d[2].real_max < 1.0);
    size_t *bad = NULL;
    ck_assert_int_eq(marl_games_params(n, &d, &nd), MARL_ERANGE);
    ck_assert_int_eq(marl_games_params(idx, NULL, &nd), MARL_EINVAL);
    ck_assert_int_eq(marl_games_params(idx, &d, bad), MARL_EINVAL);
    idx = 77;
    ck_assert_int_eq(marl_games_find("nope", &idx), MARL_EINVAL);
    ck_assert(has("unknown game 'nope'"));
    ck_assert(has("coordination"));
    ck_assert_uint_eq(idx, 77);
    ck_assert_int_eq(marl_games_find(NULL, &idx), MARL_EINVAL);
    ck_assert_int_eq(marl_games_find("coordination", NULL), MARL_EINVAL);
}
END_TEST

/* P(s' = 0 | s, a = 0) of a coordination game = (1 - eps)^N. */
static double p_all_zero(const marl_game *g) {
    size_t S = marl_game_num_states(g);
    double *row = malloc(S * sizeof *row);
    ck_assert_int_eq(marl_markov_transition_row(g, S - 1, 0, row), MARL_OK);
    double v = row[0];
    free(row);
    return v;
}

START_TEST(test_new_params) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "coordination", NULL), MARL_OK);
    ck_assert_str_eq(marl_game_name(g), "coordination");
    ck_assert_uint_eq(marl_game_num_agents(g), 5);
    ck_assert_uint_eq(marl_game_num_states(g), 32);
    ck_assert(marl_game_discount(g) == 0.95);
    ck_assert_double_eq_tol(p_all_zero(g), pow(0.9, 5), 1e-15);
    marl_game_free(g);
    ck_assert_int_eq(marl_games_new(&g, "coordination", ""), MARL_OK);
    ck_assert_uint_eq(marl_game_num_agents(g), 5);
    marl_game_free(g);
    ck_assert_int_eq(marl_games_new(&g, "coordination",
                                    "N=3,eps=0.2,gamma=0.5"), MARL_OK);
    ck_assert_uint_eq(marl_game_num_agents(g), 3);
    ck_assert(marl_game_discount(g) == 0.5);
    ck_assert_double_eq_tol(p_all_zero(g), 0.8 * 0.8 * 0.8, 1e-15);
    marl_game_free(g);
    ck_assert_int_eq(marl_games_new(&g, "coordination", " n = 4 , eps=0 "),
                     MARL_OK);
    ck_assert_uint_eq(marl_game_num_agents(g), 4);
    ck_assert(p_all_zero(g) == 1.0);
    ck_assert(marl_game_discount(g) == 0.95);
    marl_game_free(g);
    /* Same as the direct constructor, table by table. */
    marl_game *h = NULL;
    ck_assert_int_eq(marl_games_new(&g, "coordination", "N=2,eps=0.3"), MARL_OK);
    ck_assert_int_eq(marl_game_coordination_new(&h, 2, 0.3, 0.95), MARL_OK);
    for (size_t s = 0; s < 4; ++s)
        for (size_t j = 0; j < 4; ++j) {
            double a[4], b[4], ra, rb;
            marl_markov_transition_row(g, s, j, a);
            marl_markov_transition_row(h, s, j, b);
            ck_assert(memcmp(a, b, sizeof a) == 0);
            marl_markov_reward(g, 1, s, j, &ra);
            marl_markov_reward(h, 1, s, j, &rb);
            ck_assert(ra == rb);
        }
    marl_game_free(g);
    marl_game_free(h);
}
END_TEST

START_TEST(test_new_errors) {
    marl_game *g = (marl_game *)&g, *keep = g;
    ck_assert_int_eq(marl_games_new(NULL, "coordination", NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_games_new(&g, NULL, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_games_new(&g, "chess", NULL), MARL_EINVAL);
    ck_assert(has("unknown game 'chess'; known games: coordination"));
    ck_assert_int_eq(marl_games_new(&g, "coordination", "foo=1"), MARL_EINVAL);
    ck_assert(has("foo"));
    ck_assert(has("parameters of 'coordination': n, eps, gamma"));
    /* Values outside an option's range: MARL_ERANGE from the options. */
    ck_assert_int_eq(marl_games_new(&g, "coordination", "N=11"), MARL_ERANGE);
    ck_assert(has("game 'coordination'"));
    ck_assert_int_eq(marl_games_new(&g, "coordination", "N=1"), MARL_ERANGE);
    ck_assert_int_eq(marl_games_new(&g, "coordination", "eps=1.5"),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_games_new(&g, "coordination", "gamma=1"),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_games_new(&g, "coordination", "eps=nan"),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_games_new(&g, "coordination", "N=three"),
                     MARL_EINVAL);
    /* Syntax errors are reported by the options parser (MARL_EFORMAT). */
    int rc = marl_games_new(&g, "coordination", "N");
    ck_assert(rc == MARL_EFORMAT || rc == MARL_EINVAL);
    ck_assert(has("parameters of 'coordination'"));
    rc = marl_games_new(&g, "coordination", "N=3,,eps=0.1");
    ck_assert(rc == MARL_EFORMAT || rc == MARL_EINVAL);
    /* Values keep their case: only names are folded. */
    ck_assert_int_eq(marl_games_new(&g, "coordination", "EPS=1E-1"), MARL_OK);
    ck_assert_ptr_ne(g, keep);
    ck_assert_double_eq_tol(p_all_zero(g), pow(0.9, 5), 1e-15);
    marl_game_free(g);
}
END_TEST

START_TEST(test_failalloc) {
    failalloc_install(-1);
    long live = failalloc_live();
    marl_game *g = NULL;
    FAILALLOC_SWEEP(marl_games_new(&g, "coordination", "N=2"),
                    marl_game_free(g));
    for (long k = 0; k < 4; ++k) { /* failures on the error path too */
        failalloc_install(k);
        int rc = marl_games_new(&g, "coordination", "bogus=1");
        failalloc_uninstall();
        ck_assert(rc == MARL_ENOMEM || rc == MARL_EINVAL);
    }
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

int main(void) {
    Suite *s = suite_create("games-catalogue");
    TCase *tc = tcase_create("catalogue");
    tcase_add_test(tc, test_entries);
    tcase_add_test(tc, test_new_params);
    tcase_add_test(tc, test_new_errors);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
