/*
 * G-LEARN, estimator = expected: the sweep restricted to the count vectors
 * that are successors, the greedy policy kept through predecessor lists and
 * the residual found by branch and bound (glearn_expected.c) against a
 * direct computation over every (s_g, c) done here: after every sweep the
 * residual, and at the end V and the greedy policy at every (s_g, c),
 * bit for bit (the direct computation uses the same operation order). Both
 * residual forms (|U_t - U_{t-1}| and |gamma P_g Delta V|), |S_g| = 1, 2,
 * 5 and 9 (the generic kernel), several threads.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "glearntest.h"
#include "marlgame/counts.h"
#include "solvers/alternating/glearn/glearn_succ.h"

/* u = r + g * sum_s' p[s'] x[s'] in the library's order (first term alone
 * if |S_g| is odd, then pairs). */
static double dot(const double *p, const double *x, size_t Sg) {
    size_t sp = 0;
    double u = 0.0;
    if (Sg % 2) {
        u = p[0] * x[0];
        sp = 1;
    }
    for (; sp < Sg; sp += 2) u += p[sp] * x[sp] + p[sp + 1] * x[sp + 1];
    return u;
}

typedef struct direct {
    size_t Sg, Ag, Sl, k, C;
    const double *Pg, *rg;
    double g;
    size_t *succ;  /* [Sg * C] */
    double *rc;    /* [Sg * C] */
    uint8_t *used; /* [Sg * C] */
    double *V, *Vp, *U, *Up; /* V [c * Sg + s], U [(s * C + c) * Ag + a] */
} direct;

static void direct_init(direct *D, marl_game *g, glearn_state *st) {
    marl_global_local_sizes(g, NULL, &D->Sg, &D->Ag, &D->Sl, NULL);
    const double *Pl, *rl;
    marl_global_local_tables(g, &D->Pg, &D->rg, &Pl, &rl);
    D->k = st->k;
    D->C = st->C;
    D->g = marl_game_discount(g);
    const size_t S = D->Sg * D->C;
    D->succ = malloc(S * sizeof *D->succ);
    D->rc = malloc(S * sizeof *D->rc);
    D->used = calloc(S, 1);
    D->V = calloc(S, sizeof *D->V);
    D->Vp = calloc(S, sizeof *D->Vp);
    D->U = calloc(S * D->Ag, sizeof *D->U);
    D->Up = calloc(S * D->Ag, sizeof *D->Up);
    size_t c[8], cn[8];
    double frac[8];
    for (size_t s = 0; s < D->Sg; ++s)
        for (size_t r = 0; r < D->C; ++r) {
            ck_assert_int_eq(marl_counts_unrank(r, D->Sl, D->k, c), 0);
            double v = 0.0;
            for (size_t j = 0; j < D->Sl; ++j)
                v += (double)c[j] * st->rt[s * D->Sl + j];
            D->rc[s * D->C + r] = v / (double)D->k;
            marl_glearn_expected_next(st->Pt + s * D->Sl * D->Sl, c, D->Sl,
                                      D->k, cn, frac);
            ck_assert_int_eq(
                marl_counts_rank(cn, D->Sl, D->k, &D->succ[s * D->C + r]), 0);
            D->used[s * D->C + D->succ[s * D->C + r]] = 1;
        }
}

static void direct_free(direct *D) {
    free(D->succ);
    free(D->rc);
    free(D->used);
    free(D->V);
    free(D->Vp);
    free(D->U);
    free(D->Up);
}

/* U from V (all s, a, c'), keeping the previous U in Up. */
static void direct_u(direct *D) {
    double *t = D->Up;
    D->Up = D->U;
    D->U = t;
    for (size_t s = 0; s < D->Sg; ++s)
        for (size_t a = 0; a < D->Ag; ++a) {
            const double *p = D->Pg + (s * D->Ag + a) * D->Sg;
            for (size_t c = 0; c < D->C; ++c)
                D->U[(s * D->C + c) * D->Ag + a] =
                    D->rg[s * D->Ag + a] +
                    D->g * dot(p, D->V + c * D->Sg, D->Sg);
        }
}

/* Residual of sweep t (1-based) from U (of V_{t-1}), Up (of V_{t-2}) and
 * V = V_{t-1}, Vp = V_{t-2}. */
static double direct_residual(const direct *D, size_t t, int u_mode) {
    double res = 0.0, dv[16];
    for (size_t s = 0; s < D->Sg; ++s)
        for (size_t c = 0; c < D->C; ++c) {
            if (t == 1) { /* Q_1 = rc + r_g at every (s, c) */
                for (size_t a = 0; a < D->Ag; ++a)
                    res = fmax(res, fabs(D->rc[s * D->C + c] +
                                         D->rg[s * D->Ag + a]));
                continue;
            }
            if (!D->used[s * D->C + c]) continue;
            for (size_t sp = 0; sp < D->Sg; ++sp)
                dv[sp] = D->V[c * D->Sg + sp] - D->Vp[c * D->Sg + sp];
            for (size_t a = 0; a < D->Ag; ++a) {
                const size_t e = (s * D->C + c) * D->Ag + a;
                const double x =
                    u_mode ? fabs(D->U[e] - D->Up[e])
                           : fabs(D->g * dot(D->Pg + (s * D->Ag + a) * D->Sg,
                                             dv, D->Sg));
                res = x > res ? x : res;
            }
        }
    return res;
}

static int same(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Run `sweeps` sweeps one at a time and compare with the direct
 * computation; pol_seed: random local policy (0 = uniform). */
static void check_case(marl_game *g, size_t k, uint64_t pol_seed,
                       size_t sweeps, int threads) {
    marl_gl_policy *start = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&start, g, k), MARL_OK);
    if (pol_seed) gt_random_local(start, g, pol_seed);
    marl_solver *sv = glearn(g, start, k, "expected", 1, 0);
    ck_assert_int_eq(marl_solver_set_real(sv, "tol", 0), 0);
    ck_assert_int_eq(marl_solver_set_int(sv, "threads", threads), 0);
    ck_assert_int_eq(marl_solver_step(sv), MARL_OK);
    glearn_state *st = marl_solver_state(sv);
    direct D;
    direct_init(&D, g, st);
    const int u_mode = D.Sg * D.C * D.Ag <= GLEARN_U_STORE_MAX;
    double h[5];
    for (size_t t = 1; t <= sweeps; ++t) {
        if (t > 1) ck_assert_int_eq(marl_solver_step(sv), MARL_OK);
        direct_u(&D); /* U of V_{t-1}; D.V = V_{t-1}, D.Vp = V_{t-2} */
        marl_solver_history_row(sv, t - 1, h);
        const double r = direct_residual(&D, t, u_mode);
        ck_assert_msg(same(h[2], r), "sweep %zu: residual %a, direct %a", t,
                      h[2], r);
        double *tmp = D.Vp;
        D.Vp = D.V;
        D.V = tmp;
        for (size_t s = 0; s < D.Sg; ++s)
            for (size_t c = 0; c < D.C; ++c)
                D.V[c * D.Sg + s] = marl_glearn_value(st, s, c);
    }
    /* V_T = rc + max_a U(s, a, succ) and the greedy rows, every (s, c) */
    const marl_gl_policy *pi = marl_alternating_policy(sv);
    double row[16];
    for (size_t s = 0; s < D.Sg; ++s)
        for (size_t c = 0; c < D.C; ++c) {
            const size_t i = s * D.C + c;
            const double *u = D.U + (s * D.C + D.succ[i]) * D.Ag;
            size_t best = 0;
            for (size_t a = 1; a < D.Ag; ++a)
                if (u[a] > u[best]) best = a;
            ck_assert(same(D.V[c * D.Sg + s], D.rc[i] + u[best]));
            marl_gl_policy_global_row(pi, s, c, row);
            for (size_t a = 0; a < D.Ag; ++a)
                ck_assert(row[a] == (a == best ? 1.0 : 0.0));
        }
    direct_free(&D);
    marl_solver_free(sv);
    marl_gl_policy_free(start);
}

START_TEST(test_warehouse_small) { /* |U_t - U_{t-1}| form */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=100"), 0);
    check_case(g, 12, 0, 30, 1);
    check_case(g, 7, 31, 25, 2);
    marl_game_free(g);
}
END_TEST

START_TEST(test_warehouse_large) { /* |S_g| C |A_g| > 2^20: Delta V form */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=100"), 0);
    check_case(g, 30, 17, 4, 1);
    marl_game_free(g);
}
END_TEST

START_TEST(test_random_games) {
    /* |S_g| = 9: the generic kernel, both residual forms */
    marl_game *g = gt_random_game(909, 400, 9, 8, 3, 2, 0.9);
    check_case(g, 40, 3, 12, 1);
    check_case(g, 170, 4, 4, 2);
    marl_game_free(g);
    /* |S_g| = 2 (pairs only) and 1, random local policies */
    g = gt_random_game(910, 50, 2, 3, 4, 3, 0.8);
    check_case(g, 10, 5, 20, 1);
    marl_game_free(g);
    g = gt_random_game(911, 50, 1, 4, 3, 2, 0.95);
    check_case(g, 20, 6, 20, 1);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_glearn_expected");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_warehouse_small);
    tcase_add_test(tc, test_warehouse_large);
    tcase_add_test(tc, test_random_games);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
