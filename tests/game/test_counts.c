/* Tests of count-based Markov games (game.h, "count-based Markov games"):
 * the dense tables filled by marl_markov_builder_set_counts against the
 * callbacks evaluated on hand-counted joint actions, the call order of the
 * callbacks, the count tables against marl_counts_rank, every error path of
 * the new functions (messages name the state, action and count vector),
 * the builder unchanged on error, normalisation, dense set/fill rejected on
 * a count-based builder, and allocation-failure injection.
 * SPDX-License-Identifier: MIT */
#include "game/game_impl.h"
#include "marlgame/counts.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

/* Reference: N = 3 agents, A = 3 actions, S = 2 states.
 *   P(0 | s, n) = (1 + s + n_0 + 2 n_2) / 13
 *   r(s, a, n)  = 10 s + a + 0.5 n_a + 0.25 n_0 n_1
 *   phi(s, n)   = s - n_1 + 0.1 n_0 n_2 */
enum { CN = 3, CA = 3, CS = 2, CJ = 27 };
static const size_t CACT[CN] = {CA, CA, CA};

static double p0(size_t s, const size_t *n) {
    return (double)(1 + s + n[0] + 2 * n[2]) / 13.0;
}
static double rew(size_t s, size_t a, const size_t *n) {
    return 10.0 * (double)s + (double)a + 0.5 * (double)n[a] +
           0.25 * (double)(n[0] * n[1]);
}
static double pot(size_t s, const size_t *n) {
    return (double)s - (double)n[1] + 0.1 * (double)(n[0] * n[2]);
}

typedef struct {
    int calls_t, calls_r, calls_p;
    size_t last_rank; /* ranks must arrive in increasing order per state */
    int order_ok;
    /* failure injection: 0 none, 1 transition callback fails, 2 reward
     * callback fails, 3 non-finite reward, 4 bad row, 5 potential fails,
     * 6 non-finite potential, 7 unnormalised row (x 2) */
    int fail;
} ctl;

static int is_target(size_t s, const size_t *n) {
    return s == 1 && n[0] == 1 && n[1] == 0 && n[2] == 2;
}

static int t_fn(size_t s, const size_t *n, double *row, void *u) {
    ctl *c = u;
    size_t r;
    ck_assert_int_eq(marl_counts_rank(n, CA, CN, &r), MARL_OK);
    if (c->calls_t % 10 != 0 && r != c->last_rank + 1) c->order_ok = 0;
    c->last_rank = r;
    c->calls_t++;
    row[0] = p0(s, n);
    row[1] = 1.0 - row[0];
    if (c->fail == 1 && is_target(s, n)) return 5;
    if (c->fail == 4 && is_target(s, n)) row[1] += 0.01;
    if (c->fail == 7) {
        row[0] *= 2.0;
        row[1] *= 2.0;
    }
    return 0;
}
static int r_fn(size_t s, size_t a, const size_t *n, double *r, void *u) {
    ctl *c = u;
    c->calls_r++;
    ck_assert(n[a] >= 1);
    *r = rew(s, a, n);
    if (c->fail == 2 && is_target(s, n) && a == 2) return 9;
    if (c->fail == 3 && is_target(s, n) && a == 2) *r = NAN;
    return 0;
}
static int p_fn(size_t s, const size_t *n, double *phi, void *u) {
    ctl *c = u;
    c->calls_p++;
    *phi = pot(s, n);
    if (c->fail == 5 && is_target(s, n)) return 3;
    if (c->fail == 6 && is_target(s, n)) *phi = INFINITY;
    return 0;
}

static marl_markov_builder *new_builder(void) {
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&b, CN, CS, CACT), MARL_OK);
    return b;
}

/* Every dense entry of g against the formulas on hand-counted actions. */
static void check_tables(const marl_game *g, int with_phi) {
    size_t a[CN], n[CA];
    double row[CS], v;
    for (size_t s = 0; s < CS; ++s)
        for (size_t j = 0; j < CJ; ++j) {
            ck_assert_int_eq(marl_markov_joint_decode(g, j, a), MARL_OK);
            memset(n, 0, sizeof n);
            for (size_t i = 0; i < CN; ++i) n[a[i]]++;
            ck_assert_int_eq(marl_markov_transition_row(g, s, j, row),
                             MARL_OK);
            ck_assert(row[0] == p0(s, n) && row[1] == 1.0 - p0(s, n));
            for (size_t i = 0; i < CN; ++i) {
                ck_assert_int_eq(marl_markov_reward(g, i, s, j, &v), MARL_OK);
                ck_assert(v == rew(s, a[i], n));
            }
            if (with_phi) {
                ck_assert_int_eq(marl_markov_potential(g, s, j, &v), MARL_OK);
                ck_assert(v == pot(s, n));
            }
        }
}

START_TEST(test_tables) {
    for (int with_phi = 0; with_phi < 2; ++with_phi) {
        marl_markov_builder *b = new_builder();
        ctl c = {0, 0, 0, 0, 1, 0};
        ck_assert_int_eq(marl_markov_builder_set_counts(
                             b, t_fn, r_fn, with_phi ? p_fn : NULL, &c),
                         MARL_OK);
        /* 10 count vectors per state; the reward callback once per
         * (state, vector, action with n_a >= 1): sum over vectors of the
         * number of non-zero parts = 3*1 + 6*2 + 1*3 = 18 per state */
        ck_assert_int_eq(c.calls_t, 20);
        ck_assert_int_eq(c.calls_r, 36);
        ck_assert_int_eq(c.calls_p, with_phi ? 20 : 0);
        ck_assert(c.order_ok);
        marl_game *g = NULL;
        ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
        ck_assert_int_eq(marl_markov_is_count_based(g), 1);
        ck_assert_int_eq(marl_markov_is_factored(g), 0);
        ck_assert_uint_eq(marl_markov_num_count_vectors(g), 10);
        ck_assert_int_eq(marl_markov_has_potential(g), with_phi);
        check_tables(g, with_phi);
        /* the internal count tables: succ steps agree with the ranks */
        const marl_markov_counts *ct = marl_markov_of(g)->cnt;
        size_t n[CA];
        for (size_t k = 0; k < CN; ++k)
            for (size_t r = 0; r < ct->csize[k]; ++r) {
                ck_assert_int_eq(marl_counts_unrank(r, CA, k, n), MARL_OK);
                for (size_t a = 0; a < CA; ++a) {
                    size_t r2;
                    n[a]++;
                    ck_assert_int_eq(marl_counts_rank(n, CA, k + 1, &r2),
                                     MARL_OK);
                    n[a]--;
                    ck_assert_uint_eq(ct->csucc[ct->csoff[k] + r * CA + a],
                                      r2);
                }
            }
        /* the builder stays usable: a second game is identical */
        marl_game *g2 = NULL;
        ck_assert_int_eq(marl_markov_builder_build(b, &g2), MARL_OK);
        check_tables(g2, with_phi);
        marl_game_free(g2);
        marl_game_free(g);
        marl_markov_builder_free(b);
    }
}
END_TEST

/* A potential given before is dropped by set_counts without one. */
START_TEST(test_potential_dropped) {
    marl_markov_builder *b = new_builder();
    ctl c = {0, 0, 0, 0, 1, 0};
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, r_fn, p_fn, &c),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, r_fn, NULL, &c),
                     MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    ck_assert_int_eq(marl_markov_has_potential(g), 0);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

START_TEST(test_normalize) {
    marl_markov_builder *b = new_builder();
    ctl c = {0, 0, 0, 0, 1, 7};
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, r_fn, NULL, &c),
                     MARL_EINVAL);
    ck_assert(has("transition row of state 0, counts (0, 0, 3)"));
    ck_assert(has("sums to 2"));
    ck_assert_int_eq(marl_markov_builder_set_normalize(b, 1), MARL_OK);
    c.calls_t = 0;
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, r_fn, NULL, &c),
                     MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_tables(g, 0);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

/* Each failure: MARL_EINVAL naming the item; the builder is unchanged (it
 * still builds the game of the last successful call). */
START_TEST(test_callback_errors) {
    static const struct {
        int fail;
        const char *msg[2];
    } cases[] = {
        {1, {"count transition callback failed (returned 5)",
             "state 1, counts (1, 0, 2)"}},
        {2, {"count reward callback failed (returned 9)",
             "state 1, action 2, counts (1, 0, 2)"}},
        {3, {"reward at state 1, action 2, counts (1, 0, 2) is not finite",
             "nan"}},
        {4, {"transition row of state 1, counts (1, 0, 2)", "expected 1"}},
        {5, {"count potential callback failed (returned 3)",
             "state 1, counts (1, 0, 2)"}},
        {6, {"potential at state 1, counts (1, 0, 2) is not finite", "inf"}},
    };
    marl_markov_builder *b = new_builder();
    ctl ok = {0, 0, 0, 0, 1, 0};
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, r_fn, p_fn, &ok),
                     MARL_OK);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
        ctl c = {0, 0, 0, 0, 1, cases[k].fail};
        ck_assert_int_eq(
            marl_markov_builder_set_counts(b, t_fn, r_fn, p_fn, &c),
            MARL_EINVAL);
        for (int m = 0; m < 2; ++m)
            ck_assert_msg(has(cases[k].msg[m]), "case %zu: '%s'", k,
                          marl_last_error());
    }
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_tables(g, 1);
    ck_assert_int_eq(marl_markov_is_count_based(g), 1);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

static int zero_t(size_t s, const size_t *n, double *row, void *u) {
    (void)s, (void)n, (void)u;
    row[0] = 1.0;
    return 0;
}
static int zero_r(size_t s, size_t a, const size_t *n, double *r, void *u) {
    (void)s, (void)a, (void)n, (void)u;
    *r = 0.0;
    return 0;
}

START_TEST(test_bad_input) {
    marl_markov_builder *b = new_builder();
    ctl c = {0, 0, 0, 0, 1, 0};
    ck_assert_int_eq(marl_markov_builder_set_counts(NULL, t_fn, r_fn, NULL, &c),
                     MARL_EINVAL);
    ck_assert(has("marl_markov_builder_set_counts: builder is NULL"));
    ck_assert_int_eq(marl_markov_builder_set_counts(b, NULL, r_fn, NULL, &c),
                     MARL_EINVAL);
    ck_assert(has("transition callback is NULL"));
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, NULL, NULL, &c),
                     MARL_EINVAL);
    ck_assert(has("reward callback is NULL"));
    ck_assert_int_eq(c.calls_t, 0);
    /* unequal action sets */
    marl_markov_builder *bu = NULL;
    const size_t uneq[3] = {3, 3, 2};
    ck_assert_int_eq(marl_markov_builder_new(&bu, 3, 2, uneq), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_counts(bu, t_fn, r_fn, NULL, &c),
                     MARL_EINVAL);
    ck_assert(has("agent 2 has 2 actions, agent 0 has 3"));
    marl_markov_builder_free(bu);
    /* count tables above MARL_MARKOV_MAX_ENTRIES although the dense ones
     * fit: N = 2, A = 2^14, S = 1 (J = 2^28; S*A*C = 2^14 * 2^27 rewards) */
    marl_markov_builder *bl = NULL;
    const size_t big[2] = {16384, 16384};
    ck_assert_int_eq(marl_markov_builder_new(&bl, 2, 1, big), MARL_OK);
    ck_assert_int_eq(
        marl_markov_builder_set_counts(bl, zero_t, zero_r, NULL, NULL),
        MARL_ERANGE);
    ck_assert(has("count tables of 2 agents, 1 states and 16384 actions "
                  "exceed MARL_MARKOV_MAX_ENTRIES"));
    marl_markov_builder_free(bl);
    /* factored builder */
    marl_markov_builder *bf = NULL;
    const size_t L[2] = {1, 1}, A2[2] = {2, 2};
    ck_assert_int_eq(marl_markov_builder_new_factored(&bf, 2, L, A2), MARL_OK);
    ck_assert_int_eq(
        marl_markov_builder_set_counts(bf, zero_t, zero_r, NULL, NULL),
        MARL_EINVAL);
    ck_assert(has("factored"));
    marl_markov_builder_free(bf);
    /* dense set/fill after set_counts */
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, r_fn, NULL, &c),
                     MARL_OK);
    double P[CS * CJ * CS], R[CN * CS * CJ], phi[CS * CJ];
    for (size_t k = 0; k < CS * CJ; ++k) {
        P[2 * k] = 1.0, P[2 * k + 1] = 0.0, phi[k] = 0.0;
    }
    memset(R, 0, sizeof R);
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, P), MARL_EINVAL);
    ck_assert(has("marl_markov_builder_set_transitions: the builder has a "
                  "count structure"));
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_EINVAL);
    ck_assert(has("set_rewards"));
    ck_assert_int_eq(marl_markov_builder_set_potential(b, phi), MARL_EINVAL);
    ck_assert(has("set_potential"));
    ck_assert_int_eq(marl_markov_builder_fill_transitions(b, NULL, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_rewards(b, NULL, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_potential(b, NULL, NULL),
                     MARL_EINVAL);
    ck_assert(has("fill_potential: the builder has a count structure"));
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_tables(g, 0);
    /* accessors on other games */
    ck_assert_int_eq(marl_markov_is_count_based(NULL), 0);
    ck_assert_uint_eq(marl_markov_num_count_vectors(NULL), 0);
    marl_game *gd = NULL;
    ck_assert_int_eq(marl_markov_new(&gd, CN, CS, CACT, 0.9, NULL, P, R, NULL),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_is_count_based(gd), 0);
    ck_assert_uint_eq(marl_markov_num_count_vectors(gd), 0);
    marl_game_free(gd);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

/* One agent, one action: a single count vector. */
START_TEST(test_degenerate) {
    const size_t one[1] = {1};
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&b, 1, 1, one), MARL_OK);
    ck_assert_int_eq(
        marl_markov_builder_set_counts(b, zero_t, zero_r, NULL, NULL),
        MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    ck_assert_uint_eq(marl_markov_num_count_vectors(g), 1);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

/* The whole construction: builder, count structure, build. */
static int make_game(marl_game **out, ctl *c) {
    marl_markov_builder *b = NULL;
    int rc = marl_markov_builder_new(&b, CN, CS, CACT);
    if (!rc) rc = marl_markov_builder_set_counts(b, t_fn, r_fn, p_fn, c);
    if (!rc) rc = marl_markov_builder_build(b, out);
    marl_markov_builder_free(b);
    return rc;
}

START_TEST(test_failalloc) {
    failalloc_install(-1);
    ctl c = {0, 0, 0, 0, 1, 0};
    marl_game *g0 = NULL;
    FAILALLOC_SWEEP(make_game(&g0, &c), marl_game_free(g0));
    /* on a builder that has a count structure, set_counts replaces it */
    marl_markov_builder *b = new_builder();
    ck_assert_int_eq(marl_markov_builder_set_counts(b, t_fn, r_fn, p_fn, &c),
                     MARL_OK);
    FAILALLOC_SWEEP(marl_markov_builder_set_counts(b, t_fn, r_fn, p_fn, &c),
                    (void)0);
    marl_game *g = NULL;
    FAILALLOC_SWEEP(marl_markov_builder_build(b, &g), marl_game_free(g));
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_tables(g, 1);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

int main(void) {
    Suite *s = suite_create("game-counts");
    TCase *tc = tcase_create("counts");
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_potential_dropped);
    tcase_add_test(tc, test_normalize);
    tcase_add_test(tc, test_callback_errors);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_degenerate);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
