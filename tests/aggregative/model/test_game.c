/*
 * The aggregative game kind: builder validation (errors name the agent,
 * step and state), accessors, ownership of the user data, the catalogue
 * games (routing's constants, the Lipschitz estimate against the given
 * constants), allocation failures in the builder and the catalogue.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "failalloc.h"

#include <marlgame/marlgame.h>
#include <math.h>
#include <string.h>

static int released;
static double bad_value = 0; /* reward returned by r_cb for agent 1 */
static int fail_trans;       /* 1: the transition callback fails */
static int bad_row;          /* 1: rows do not sum to 1 */

static int r_cb(void *u, size_t h, size_t s, size_t i, size_t a,
                const double *x, double *r) {
    (void)u; (void)s; (void)a;
    *r = (i == 1 && h == 1) ? bad_value : 0.5 * x[0];
    return 0;
}
static int t_cb(void *u, size_t h, size_t s, const double *x, double *row) {
    (void)u; (void)h;
    if (fail_trans) return 1;
    row[0] = 0.25 + 0.25 * x[0];
    row[1] = 1 - row[0] + (bad_row && s == 1 ? 0.1 : 0.0);
    return 0;
}
static int w_cb(void *u, size_t h, size_t s, size_t i, size_t a, double *w) {
    (void)u; (void)h; (void)s; (void)i;
    *w = a == 2 ? NAN : 1.0;
    return 0;
}
static void rel(void *u) {
    (void)u;
    released++;
}

static const size_t ACTS[3] = {2, 2, 2};
static const double F[6] = {0, 1, 0, 1, 0.5, 1};

static marl_aggregative_builder *good_builder(void) {
    marl_aggregative_builder *b = NULL;
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 3, 2, ACTS, 2, 1),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(
                         b, MARL_AGGREGATIVE_ALL_STEPS, F),
                     MARL_OK);
    marl_aggregative_ops ops = {1, r_cb, t_cb, NULL, rel};
    ck_assert_int_eq(marl_aggregative_builder_set_ops(b, &ops, &released),
                     MARL_OK);
    return b;
}

#define HAS(s) ck_assert_msg(strstr(marl_last_error(), s) != NULL, \
                             "'%s' not in '%s'", s, marl_last_error())

START_TEST(test_builder_errors) {
    marl_aggregative_builder *b = NULL;
    size_t zero[2] = {2, 0};
    ck_assert_int_eq(marl_aggregative_builder_new(NULL, 3, 2, ACTS, 2, 1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 0, 2, ACTS, 2, 1),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 3, 0, ACTS, 2, 1),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 3, 2, ACTS, 0, 1),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 3, 2, ACTS, 2, 0),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 3, 2, ACTS, 2, 9),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 2, 2, zero, 2, 1),
                     MARL_ERANGE);
    HAS("agent 1");
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 3, 2, NULL, 2, 1),
                     MARL_EINVAL);
    ck_assert_ptr_null(b);

    b = good_builder();
    ck_assert_int_eq(marl_aggregative_builder_set_scale(b, 0, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_aggregative_builder_set_scale(b, 0.1, NAN),
                     MARL_EINVAL);
    double rho[2] = {0.7, 0.2};
    ck_assert_int_eq(marl_aggregative_builder_set_initial(b, rho), MARL_EINVAL);
    ck_assert_int_eq(marl_aggregative_builder_set_initial(b, NULL),
                     MARL_EINVAL);
    double f[6];
    memcpy(f, F, sizeof f);
    f[3] = NAN; /* agent 1, action 1 */
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(b, 1, f),
                     MARL_EINVAL);
    HAS("agent 1, action 1, coordinate 0 (step 1)");
    f[3] = 1.5; /* actions 0 and 1 of agent 1 differ by 1.5 */
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(
                         b, MARL_AGGREGATIVE_ALL_STEPS, f),
                     MARL_EINVAL);
    HAS("agent 1 (every step): actions 0 and 1 differ by 1.5");
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(b, 2, F),
                     MARL_ERANGE);
    marl_aggregative_ops ops = {2, r_cb, t_cb, NULL, NULL};
    ck_assert_int_eq(marl_aggregative_builder_set_ops(b, &ops, NULL),
                     MARL_EINVAL);
    HAS("version 2");
    ops.version = 1;
    ops.reward = NULL;
    ck_assert_int_eq(marl_aggregative_builder_set_ops(b, &ops, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_aggregative_builder_set_lipschitz(b, -1, 0),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_aggregative_builder_set_name(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(released, 0);
    marl_aggregative_builder_free(b); /* releases the user data */
    ck_assert_int_eq(released, 1);

    /* build-time checks */
    marl_game *g = NULL;
    b = NULL;
    ck_assert_int_eq(marl_aggregative_builder_new(&b, 3, 2, ACTS, 2, 1),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("no callbacks");
    ops.reward = r_cb;
    ops.release = rel;
    ck_assert_int_eq(marl_aggregative_builder_set_ops(b, &ops, &released),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(b, 0, F),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("no contributions for step 1");
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(b, 1, F),
                     MARL_OK);
    /* the box: delta = 1 puts the aggregates in [0.5, 3] */
    ck_assert_int_eq(marl_aggregative_builder_set_scale(b, 1.0, 1.0),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("step 0: aggregates of coordinate 0 range over [0.5, 3]");
    ck_assert_int_eq(marl_aggregative_builder_set_scale(b, 1.0 / 3, 1.0),
                     MARL_OK);
    bad_value = 1.5;
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("agent 1, action 0 at step 1, state 0");
    bad_value = NAN;
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("agent 1, action 0 at step 1, state 0");
    bad_value = 0;
    fail_trans = 1;
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("transition callback failed at step 0, state 0");
    fail_trans = 0;
    bad_row = 1;
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("step 0, state 1");
    bad_row = 0;
    marl_aggregative_ops ops3 = ops;
    ops3.welfare = w_cb;
    ops3.release = NULL;
    size_t acts3[3] = {3, 2, 2};
    marl_aggregative_builder *b3 = NULL;
    double f3[7] = {0, 1, 1, 0, 1, 0.5, 1};
    ck_assert_int_eq(marl_aggregative_builder_new(&b3, 3, 2, acts3, 2, 1),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_set_contributions(
                         b3, MARL_AGGREGATIVE_ALL_STEPS, f3),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_set_ops(b3, &ops3, NULL),
                     MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_build(b3, &g), MARL_EINVAL);
    HAS("welfare weight of agent 0, action 2 at step 0, state 0");
    marl_aggregative_builder_free(b3);
    ck_assert_ptr_null(g);
    ck_assert_int_eq(released, 1); /* failed builds keep the user data */
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_EINVAL);
    HAS("no callbacks");
    marl_aggregative_builder_free(b);
    ck_assert_int_eq(released, 1); /* the game owns it now */
    marl_game *g2 = marl_game_ref(g);
    marl_game_unref(g);
    ck_assert_int_eq(released, 1);
    marl_game_free(g2);
    ck_assert_int_eq(released, 2);
}
END_TEST

START_TEST(test_accessors) {
    marl_aggregative_builder *b = good_builder();
    const double rho[2] = {0.25, 0.75};
    ck_assert_int_eq(marl_aggregative_builder_set_initial(b, rho), MARL_OK);
    ck_assert_int_eq(marl_aggregative_builder_set_name(b, "toy"), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_aggregative_builder_build(b, &g), MARL_OK);
    marl_aggregative_builder_free(b);
    ck_assert_int_eq(marl_game_kind(g), MARL_GAME_AGGREGATIVE);
    ck_assert_str_eq(marl_game_name(g), "toy");
    ck_assert_uint_eq(marl_game_num_agents(g), 3);
    ck_assert_uint_eq(marl_game_num_states(g), 2);
    ck_assert_uint_eq(marl_game_horizon(g), 2);
    ck_assert_uint_eq(marl_aggregative_dim(g), 1);
    double delta, W, f, r2[2], gr, gT;
    ck_assert_int_eq(marl_aggregative_scale(g, &delta, &W), MARL_OK);
    ck_assert_double_eq_tol(delta, 1.0 / 3, 1e-15);
    ck_assert(W == 1.0);
    ck_assert_int_eq(marl_aggregative_contribution(g, 1, 2, 0, &f), MARL_OK);
    ck_assert(f == 0.5);
    ck_assert_int_eq(marl_aggregative_contribution(g, 2, 0, 0, &f),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_contribution(g, 0, 0, 2, &f),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_initial(g, r2), MARL_OK);
    ck_assert(r2[0] == 0.25 && r2[1] == 0.75);
    ck_assert_int_eq(marl_aggregative_has_welfare(g), 0);
    ck_assert_int_eq(marl_aggregative_lipschitz(g, &gr, &gT), MARL_EINVAL);
    HAS("toy");
    /* r = x/2 and T(0|x) = 1/4 + x/4: slopes 1/2 and 1/4, exact on a
     * grid of linear functions */
    ck_assert_int_eq(marl_aggregative_estimate_lipschitz(g, 0.1, &gr, &gT),
                     MARL_OK);
    ck_assert_double_eq_tol(gr, 0.5, 1e-9);
    ck_assert_double_eq_tol(gT, 0.25, 1e-9);
    ck_assert_int_eq(marl_aggregative_estimate_lipschitz(g, -1, &gr, &gT),
                     MARL_EINVAL);
    size_t prof[3] = {1, 1, 0};
    double x;
    ck_assert_int_eq(marl_aggregative_aggregate(g, 0, prof, &x), MARL_OK);
    ck_assert_double_eq_tol(x, (1 + 1 + 0.5) / 3.0, 1e-15);
    prof[2] = 2;
    ck_assert_int_eq(marl_aggregative_aggregate(g, 0, prof, &x), MARL_ERANGE);
    ck_assert_int_eq(marl_aggregative_aggregate(g, 2, prof, &x), MARL_ERANGE);
    /* another kind */
    marl_game *mk = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", "n=2"), MARL_OK);
    ck_assert_uint_eq(marl_aggregative_dim(mk), 0);
    ck_assert_int_eq(marl_aggregative_scale(mk, &delta, &W), MARL_EKIND);
    ck_assert_int_eq(marl_aggregative_initial(mk, r2), MARL_EKIND);
    ck_assert_int_eq(marl_aggregative_contribution(mk, 0, 0, 0, &f),
                     MARL_EKIND);
    ck_assert_int_eq(marl_aggregative_lipschitz(mk, &gr, &gT), MARL_EKIND);
    ck_assert_int_eq(marl_aggregative_scale(NULL, &delta, &W), MARL_EINVAL);
    marl_game_free(mk);
    marl_game_free(g);
}
END_TEST

/* routing: f = e_a on the tracked routes, delta = 1/n, rho0 = free; the
 * given Lipschitz constants equal the grid estimate for m = 2. */
START_TEST(test_routing) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "routing", "n=50,m=2"), MARL_OK);
    ck_assert_uint_eq(marl_aggregative_dim(g), 1);
    ck_assert_uint_eq(marl_game_horizon(g), 6);
    ck_assert_uint_eq(marl_game_num_states(g), 3);
    ck_assert_int_eq(marl_aggregative_has_welfare(g), 1);
    double f, gr, gT, er, eT, rho[3];
    ck_assert_int_eq(marl_aggregative_contribution(g, 3, 7, 0, &f), MARL_OK);
    ck_assert(f == 1.0);
    ck_assert_int_eq(marl_aggregative_contribution(g, 3, 7, 1, &f), MARL_OK);
    ck_assert(f == 0.0);
    ck_assert_int_eq(marl_aggregative_initial(g, rho), MARL_OK);
    ck_assert(rho[0] == 1 && rho[1] == 0 && rho[2] == 0);
    ck_assert_int_eq(marl_aggregative_lipschitz(g, &gr, &gT), MARL_OK);
    ck_assert_double_eq_tol(gr, 1.54, 1e-12);
    ck_assert_double_eq_tol(gT, 0.5, 1e-12);
    ck_assert_int_eq(marl_aggregative_estimate_lipschitz(g, 0.05, &er, &eT),
                     MARL_OK);
    ck_assert_double_eq_tol(er, gr, 1e-9);
    ck_assert_double_eq_tol(eT, gT, 1e-9);
    marl_game_free(g);
    ck_assert_int_eq(marl_games_new(&g, "routing", "n=10,m=3,full=1"),
                     MARL_OK);
    ck_assert_uint_eq(marl_aggregative_dim(g), 3);
    marl_game_free(g);
    ck_assert_int_eq(marl_games_new(&g, "routing", "n=10,m=3"), MARL_OK);
    ck_assert_uint_eq(marl_aggregative_dim(g), 2);
    ck_assert_int_eq(marl_aggregative_lipschitz(g, &gr, &gT), MARL_OK);
    ck_assert_int_eq(marl_aggregative_estimate_lipschitz(g, 0.1, &er, &eT),
                     MARL_OK);
    ck_assert(er <= gr + 1e-9 && eT <= gT + 1e-9); /* a lower estimate */
    marl_game_free(g);
    ck_assert_int_eq(marl_games_new(&g, "routing", "m=9"), MARL_ERANGE);
    ck_assert_int_eq(marl_game_routing_new(&g, 10, 1, 6, 0, 0), MARL_ERANGE);
    ck_assert_int_eq(marl_game_routing_new(NULL, 10, 2, 6, 0, 0),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_games_new(&g, "random-amg", "n=7"), MARL_ERANGE);
}
END_TEST

START_TEST(test_failalloc_builder) {
    failalloc_install(-1);
    marl_aggregative_builder *b = NULL;
    FAILALLOC_SWEEP(marl_aggregative_builder_new(&b, 3, 2, ACTS, 2, 1),
                    marl_aggregative_builder_free(b));
    b = good_builder();
    FAILALLOC_SWEEP(marl_aggregative_builder_set_contributions(b, 1, F),
                    (void)0);
    FAILALLOC_SWEEP(marl_aggregative_builder_set_name(b, "x"), (void)0);
    marl_game *g = NULL;
    /* the game owns the user data after a successful build: give the
     * callbacks again before each build */
    marl_aggregative_ops ops = {1, r_cb, t_cb, NULL, NULL};
    FAILALLOC_SWEEP((marl_aggregative_builder_set_ops(b, &ops, NULL),
                     marl_aggregative_builder_build(b, &g)),
                    marl_game_free(g));
    marl_aggregative_builder_free(b);
    FAILALLOC_SWEEP(marl_games_new(&g, "routing", "n=20,m=3"),
                    marl_game_free(g));
    FAILALLOC_SWEEP(marl_games_new(&g, "random-amg", "n=3,d=2"),
                    marl_game_free(g));
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("aggregative-game");
    TCase *tc = tcase_create("game");
    tcase_add_test(tc, test_builder_errors);
    tcase_add_test(tc, test_accessors);
    tcase_add_test(tc, test_routing);
    tcase_add_test(tc, test_failalloc_builder);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
