/*
 * Global-local games: the builder (tables and callbacks agree, validation,
 * nothing changed on error, allocation failures), the accessors, and the
 * warehouse game against BENCHMARKS.md's worked numbers (1e-10) and an
 * independent re-implementation of its formulas.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "failalloc.h"
#include "gltest.h"

static void setup(void) { failalloc_install(-1); }

START_TEST(test_warehouse_worked_numbers) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", NULL), MARL_OK);
    ck_assert_int_eq(marl_game_kind(g), MARL_GAME_GLOBAL_LOCAL);
    ck_assert_str_eq(marl_game_name(g), "warehouse");
    size_t n, Sg, Ag, Sl, Al;
    ck_assert_int_eq(marl_global_local_sizes(g, &n, &Sg, &Ag, &Sl, &Al),
                     MARL_OK);
    ck_assert_uint_eq(n, 1000);
    ck_assert_uint_eq(Sg, 5);
    ck_assert_uint_eq(Ag, 5);
    ck_assert_uint_eq(Sl, 5);
    ck_assert_uint_eq(Al, 3);
    ck_assert_uint_eq(marl_game_num_agents(g), 1000);
    ck_assert_uint_eq(marl_game_num_states(g), 5);
    ck_assert_uint_eq(marl_game_num_actions(g, 999), 3);
    ck_assert(fabs(marl_game_discount(g) - 0.95) < 1e-15);
    const double *Pg, *rg, *Pl, *rl;
    ck_assert_int_eq(marl_global_local_tables(g, &Pg, &rg, &Pl, &rl), MARL_OK);
    /* a_g = g: 0.8922281748 on g, 0.0269429563 elsewhere */
    for (size_t s = 0; s < 5; ++s)
        for (size_t sp = 0; sp < 5; ++sp) {
            double v = Pg[(s * 5 + s) * 5 + sp];
            ck_assert_double_eq_tol(v, sp == s ? 0.8922281748 : 0.0269429563,
                                    1e-10);
        }
    /* (s=0, g=0, a=1) -> (0.8566255831, 0.0858842905, 0.0191633755 x3) */
    static const double ex[5] = {0.8566255831, 0.0858842905, 0.0191633755,
                                 0.0191633755, 0.0191633755};
    for (size_t sp = 0; sp < 5; ++sp)
        ck_assert_double_eq_tol(Pl[((0 * 5 + 0) * 3 + 1) * 5 + sp], ex[sp],
                                1e-10);
    marl_game_free(g);
}
END_TEST

/* Independent re-implementation of the formulas (BENCHMARKS.md). */
START_TEST(test_warehouse_formulas) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=7,gamma=0.9"),
                     MARL_OK);
    ck_assert_uint_eq(marl_game_num_agents(g), 7);
    ck_assert(fabs(marl_game_discount(g) - 0.9) < 1e-15);
    const double *Pg, *rg, *Pl, *rl;
    ck_assert_int_eq(marl_global_local_tables(g, &Pg, &rg, &Pl, &rl), MARL_OK);
    for (int s = 0; s < 5; ++s)
        for (int a = 0; a < 5; ++a) {
            double e[5], z = 0;
            for (int sp = 0; sp < 5; ++sp)
                z += e[sp] = exp(3.0 * (sp == a) + 0.5 * (sp == s));
            for (int sp = 0; sp < 5; ++sp)
                ck_assert_double_eq_tol(Pg[(s * 5 + a) * 5 + sp], e[sp] / z,
                                        1e-14);
            ck_assert(rg[s * 5 + a] == 1.0);
        }
    for (int s = 0; s < 5; ++s)
        for (int q = 0; q < 5; ++q)
            for (int a = 0; a < 3; ++a) {
                double e[5], z = 0;
                for (int sp = 0; sp < 5; ++sp) {
                    double x = 0.0;
                    if (sp == s) x += 3.5;
                    if (a == 1 && sp == (s + 1) % 5) x += 1.5;
                    if (a == 2 && sp == (s + 4) % 5) x += 1.5;
                    if (sp == q) x += 0.3;
                    z += e[sp] = exp(x);
                }
                size_t row = ((size_t)s * 5 + (size_t)q) * 3 + (size_t)a;
                for (int sp = 0; sp < 5; ++sp)
                    ck_assert_double_eq_tol(Pl[row * 5 + (size_t)sp],
                                            e[sp] / z, 1e-14);
                int d = abs(s - q);
                if (5 - d < d) d = 5 - d;
                double base = d == 0 ? 10.0 : 2.0 / (1.0 + d);
                double bonus = a == 0 ? 0.0 : a == 1 ? 0.5 : -0.3;
                ck_assert_double_eq_tol(rl[row], base + bonus, 1e-14);
            }
    marl_game_free(g);
    ck_assert_int_ne(marl_games_new(&g, "warehouse", "n=0"), MARL_OK);
    ck_assert_int_ne(marl_games_new(&g, "warehouse", "gamma=1"), MARL_OK);
}
END_TEST

typedef struct cb_user {
    gt_tables t;
    size_t Sg, Ag, Sl, Al;
    int fail; /* 1..4: that callback fails */
} cb_user;

static int cb_gt(void *u, size_t s, size_t a, double *row) {
    cb_user *c = u;
    if (c->fail == 1) return -1;
    memcpy(row, c->t.Pg + (s * c->Ag + a) * c->Sg, c->Sg * sizeof *row);
    return 0;
}
static int cb_gr(void *u, size_t s, size_t a, double *r) {
    cb_user *c = u;
    if (c->fail == 2) return -1;
    *r = c->t.rg[s * c->Ag + a];
    return 0;
}
static int cb_lt(void *u, size_t sl, size_t sg, size_t a, double *row) {
    cb_user *c = u;
    if (c->fail == 3) return -1;
    memcpy(row, c->t.Pl + ((sl * c->Sg + sg) * c->Al + a) * c->Sl,
           c->Sl * sizeof *row);
    return 0;
}
static int cb_lr(void *u, size_t sl, size_t sg, size_t a, double *r) {
    cb_user *c = u;
    if (c->fail == 4) return -1;
    *r = c->t.rl[(sl * c->Sg + sg) * c->Al + a];
    return 0;
}

START_TEST(test_tables_equal_callbacks) {
    const size_t Sg = 3, Ag = 2, Sl = 4, Al = 3;
    cb_user u = {gt_random_tables(11, Sg, Ag, Sl, Al), Sg, Ag, Sl, Al, 0};
    marl_global_local_ops ops = {MARL_GLOBAL_LOCAL_OPS_VERSION, cb_gt, cb_gr,
                                 cb_lt, cb_lr};
    marl_global_local_builder *b1 = NULL, *b2 = NULL;
    ck_assert_int_eq(marl_global_local_builder_new(&b1, 10, Sg, Ag, Sl, Al),
                     0);
    ck_assert_int_eq(marl_global_local_builder_new(&b2, 10, Sg, Ag, Sl, Al),
                     0);
    ck_assert_int_eq(marl_global_local_builder_set_global(b1, u.t.Pg, u.t.rg),
                     0);
    ck_assert_int_eq(marl_global_local_builder_set_local(b1, u.t.Pl, u.t.rl),
                     0);
    ck_assert_int_eq(marl_global_local_builder_fill(b2, &ops, &u), 0);
    marl_game *g1 = NULL, *g2 = NULL;
    ck_assert_int_eq(marl_global_local_builder_build(b1, &g1), 0);
    ck_assert_int_eq(marl_global_local_builder_build(b2, &g2), 0);
    const double *t1[4], *t2[4];
    ck_assert_int_eq(marl_global_local_tables(g1, &t1[0], &t1[1], &t1[2],
                                              &t1[3]), 0);
    ck_assert_int_eq(marl_global_local_tables(g2, &t2[0], &t2[1], &t2[2],
                                              &t2[3]), 0);
    const size_t len[4] = {Sg * Ag * Sg, Sg * Ag, Sl * Sg * Al * Sl,
                           Sl * Sg * Al};
    const double *src[4] = {u.t.Pg, u.t.rg, u.t.Pl, u.t.rl};
    for (int i = 0; i < 4; ++i) {
        ck_assert(memcmp(t1[i], src[i], len[i] * sizeof(double)) == 0);
        ck_assert(memcmp(t2[i], src[i], len[i] * sizeof(double)) == 0);
    }
    ck_assert(fabs(marl_game_discount(g1) - 0.95) < 1e-15); /* default */
    /* each failing callback is reported, the builder keeps its tables */
    for (int f = 1; f <= 4; ++f) {
        u.fail = f;
        ck_assert_int_eq(marl_global_local_builder_fill(b1, &ops, &u),
                         MARL_EINVAL);
        ck_assert_ptr_nonnull(strstr(marl_last_error(),
                                     f == 1   ? "global_transition"
                                     : f == 2 ? "global_reward"
                                     : f == 3 ? "local_transition"
                                              : "local_reward"));
    }
    marl_game *g3 = NULL;
    ck_assert_int_eq(marl_global_local_builder_build(b1, &g3), 0);
    ck_assert_int_eq(marl_global_local_tables(g3, &t2[0], NULL, NULL, NULL),
                     0);
    ck_assert(memcmp(t2[0], u.t.Pg, len[0] * sizeof(double)) == 0);
    marl_global_local_ops bad = ops;
    bad.version = 0;
    ck_assert_int_eq(marl_global_local_builder_fill(b1, &bad, &u),
                     MARL_EINVAL);
    bad = ops;
    bad.local_reward = NULL;
    ck_assert_int_eq(marl_global_local_builder_fill(b1, &bad, &u),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_fill(NULL, &ops, &u),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_fill(b1, NULL, &u),
                     MARL_EINVAL);
    marl_game_free(g1);
    marl_game_free(g2);
    marl_game_free(g3);
    marl_global_local_builder_free(b1);
    marl_global_local_builder_free(b2);
    gt_tables_free(&u.t);
}
END_TEST

START_TEST(test_builder_errors) {
    marl_global_local_builder *b = NULL;
    ck_assert_int_eq(marl_global_local_builder_new(NULL, 1, 1, 1, 1, 1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_new(&b, 0, 1, 1, 1, 1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_new(&b, 1, 0, 1, 1, 1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_new(&b, 1, 1, 0, 1, 1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_new(&b, 1, 1, 1, 0, 1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_new(&b, 1, 1, 1, 1, 0),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_new(&b, 1, (size_t)1 << 20,
                                                   (size_t)1 << 20, 1, 1),
                     MARL_ERANGE);
    ck_assert_ptr_null(b);
    const size_t Sg = 2, Ag = 2, Sl = 2, Al = 2;
    gt_tables t = gt_random_tables(3, Sg, Ag, Sl, Al);
    ck_assert_int_eq(marl_global_local_builder_new(&b, 5, Sg, Ag, Sl, Al), 0);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_build(NULL, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_build(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, 1.0),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, -0.1),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_discount(b, NAN),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_discount(NULL, 0.5),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, NULL, t.rg),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, t.Pg, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_global(NULL, t.Pg, t.rg),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, NULL, t.rl),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, t.Pl, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_local(NULL, t.Pl, t.rl),
                     MARL_EINVAL);
    double Pg[8], rg[4], Pl[16], rl[8];
    memcpy(Pg, t.Pg, sizeof Pg);
    memcpy(rg, t.rg, sizeof rg);
    memcpy(Pl, t.Pl, sizeof Pl);
    memcpy(rl, t.rl, sizeof rl);
    Pg[1 * 2 + 0] = 0.0; /* row (s_g 0, a_g 1) sums to 0.98 */
    Pg[1 * 2 + 1] = 0.98;
    ck_assert_int_eq(marl_global_local_builder_set_global(b, Pg, rg),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "a_g = 1"));
    memcpy(Pg, t.Pg, sizeof Pg);
    rg[3] = NAN;
    ck_assert_int_eq(marl_global_local_builder_set_global(b, Pg, rg),
                     MARL_EINVAL);
    Pl[5] = -0.5;
    ck_assert_int_eq(marl_global_local_builder_set_local(b, Pl, rl),
                     MARL_EINVAL);
    memcpy(Pl, t.Pl, sizeof Pl);
    rl[7] = INFINITY;
    ck_assert_int_eq(marl_global_local_builder_set_local(b, Pl, rl),
                     MARL_EINVAL);
    /* still nothing set */
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_global(b, t.Pg, t.rg), 0);
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "local"));
    double bad[2] = {0.5, 0.6}, neg[2] = {1.0, 0.0}, zero[2] = {0.0, 1.0};
    ck_assert_int_eq(marl_global_local_builder_set_initial_global(b, bad),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_initial_global(b, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_initial_global(NULL, neg),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_initial_local(b, bad),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_initial_local(b, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_initial_local(NULL, neg),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_initial_dirichlet(b, zero),
                     MARL_EINVAL);
    double inf[2] = {1.0, INFINITY};
    ck_assert_int_eq(marl_global_local_builder_set_initial_dirichlet(b, inf),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_initial_dirichlet(b, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(
        marl_global_local_builder_set_initial_dirichlet(NULL, neg),
        MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_name(b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_name(NULL, "x"),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_builder_set_local(b, t.Pl, t.rl), 0);
    ck_assert_int_eq(marl_global_local_builder_build(b, &g), 0);
    ck_assert_int_eq(marl_global_local_sizes(NULL, NULL, NULL, NULL, NULL,
                                             NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_global_local_tables(NULL, NULL, NULL, NULL, NULL),
                     MARL_EINVAL);
    marl_game *mk = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), 0);
    ck_assert_int_eq(marl_global_local_sizes(mk, NULL, NULL, NULL, NULL,
                                             NULL), MARL_EKIND);
    ck_assert_int_eq(marl_global_local_tables(mk, NULL, NULL, NULL, NULL),
                     MARL_EKIND);
    marl_game_free(mk);
    marl_game_free(g);
    marl_global_local_builder_free(b);
    marl_global_local_builder_free(NULL);
    gt_tables_free(&t);
}
END_TEST

static int build_all(marl_game **g, const gt_tables *t) {
    marl_global_local_builder *b = NULL;
    int rc = marl_global_local_builder_new(&b, 50, 2, 3, 3, 2);
    if (!rc) rc = marl_global_local_builder_set_global(b, t->Pg, t->rg);
    if (!rc) rc = marl_global_local_builder_set_local(b, t->Pl, t->rl);
    static const double conc[3] = {0.3, 0.3, 0.3}, rho[3] = {0.2, 0.3, 0.5};
    if (!rc) rc = marl_global_local_builder_set_initial_local(b, rho);
    if (!rc) rc = marl_global_local_builder_set_initial_dirichlet(b, conc);
    if (!rc) rc = marl_global_local_builder_set_name(b, "x");
    if (!rc) rc = marl_global_local_builder_build(b, g);
    marl_global_local_builder_free(b);
    return rc;
}

START_TEST(test_builder_allocation_failures) {
    gt_tables t = gt_random_tables(5, 2, 3, 3, 2);
    marl_game *g = NULL;
    FAILALLOC_SWEEP(build_all(&g, &t), marl_game_free(g));
    FAILALLOC_SWEEP(marl_games_new(&g, "warehouse", "n=20"),
                    marl_game_free(g));
    gt_tables_free(&t);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_game");
    TCase *tc = tcase_create("game");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_warehouse_worked_numbers);
    tcase_add_test(tc, test_warehouse_formulas);
    tcase_add_test(tc, test_tables_equal_callbacks);
    tcase_add_test(tc, test_builder_errors);
    tcase_add_test(tc, test_builder_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
