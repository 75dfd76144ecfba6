/*
 * mfg-omd and mfg-fictitious-play against an independent re-implementation
 * of MFGLib's definitions (below, written from MFGLib's formulas with its
 * tensor layout p[s'][s][a], not from the library code) on rps and sis:
 * policies and exploitability number for number (1e-9) for several
 * iterations, alphas and initial policies; numbers printed by
 * mfglib_ref.py (a third, Python implementation); OMD on rps converging;
 * errors and allocation failures.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "failalloc.h"

#include <marlgame/marlgame.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the reference (MFGLib's definitions) ----------------------------- */

#define RS 4 /* max states */
#define RA 3 /* max actions */
#define RT 52 /* max T + 1 */

typedef struct ref_env {
    int sis;
    int T, S, A;
    double mu0[RS];
} ref_env;

typedef double tens[RT][RS][RA];

static void ref_prob(const ref_env *e, double L[RS][RA],
                     double p[RS][RS][RA]) {
    memset(p, 0, sizeof(double) * RS * RS * RA);
    if (!e->sis) {
        for (int s = 0; s < 4; ++s)
            for (int a = 0; a < 3; ++a) p[1 + a][s][a] = 1.0;
        return;
    }
    double muI = L[1][0] + L[1][1];
    for (int s = 0; s < 2; ++s)
        for (int a = 0; a < 2; ++a) {
            if (s == 1) {
                p[0][s][a] = 0.3;
                p[1][s][a] = 0.7;
            } else if (a == 0) {
                p[1][s][a] = pow(0.9, 2) * muI;
                p[0][s][a] = 1.0 - pow(0.9, 2) * muI;
            } else {
                p[0][s][a] = 1.0;
            }
        }
}

static void ref_reward(const ref_env *e, double L[RS][RA],
                       double r[RS][RA]) {
    memset(r, 0, sizeof(double) * RS * RA);
    if (e->sis) {
        r[0][1] = -0.5;
        r[1][0] = -1.0;
        r[1][1] = -1.5;
        return;
    }
    double mu[4];
    for (int s = 0; s < 4; ++s) mu[s] = L[s][0] + L[s][1] + L[s][2];
    for (int a = 0; a < 3; ++a) {
        r[1][a] = 2 * mu[3] - mu[2];
        r[2][a] = 4 * mu[1] - 2 * mu[3];
        r[3][a] = 6 * mu[2] - 3 * mu[1];
    }
}

static void ref_mean_field(const ref_env *e, tens pi, tens L) {
    double p[RS][RS][RA];
    for (int s = 0; s < e->S; ++s)
        for (int a = 0; a < e->A; ++a) L[0][s][a] = e->mu0[s] * pi[0][s][a];
    for (int t = 1; t <= e->T; ++t) {
        ref_prob(e, L[t - 1], p);
        for (int s2 = 0; s2 < e->S; ++s2) {
            double m = 0.0;
            for (int s = 0; s < e->S; ++s)
                for (int a = 0; a < e->A; ++a) m += p[s2][s][a] * L[t - 1][s][a];
            for (int a = 0; a < e->A; ++a) L[t][s2][a] = pi[t][s2][a] * m;
        }
    }
}

/* pi == NULL: optimal Q. */
static void ref_q(const ref_env *e, tens L, tens pi, tens q) {
    double p[RS][RS][RA], r[RS][RA], v[RS];
    ref_reward(e, L[e->T], r);
    memcpy(q[e->T], r, sizeof r);
    for (int t = e->T - 1; t >= 0; --t) {
        for (int s = 0; s < e->S; ++s) {
            double x = pi ? 0.0 : -HUGE_VAL;
            for (int a = 0; a < e->A; ++a)
                if (pi)
                    x += pi[t + 1][s][a] * q[t + 1][s][a];
                else if (q[t + 1][s][a] > x)
                    x = q[t + 1][s][a];
            v[s] = x;
        }
        ref_reward(e, L[t], r);
        ref_prob(e, L[t], p);
        for (int s = 0; s < e->S; ++s)
            for (int a = 0; a < e->A; ++a) {
                double f = 0.0;
                for (int s2 = 0; s2 < e->S; ++s2) f += p[s2][s][a] * v[s2];
                q[t][s][a] = r[s][a] + f;
            }
    }
}

static double ref_expl(const ref_env *e, tens pi) {
    static tens L, qo, qp;
    ref_mean_field(e, pi, L);
    ref_q(e, L, NULL, qo);
    ref_q(e, L, pi, qp);
    double e1 = 0.0, e2 = 0.0;
    for (int s = 0; s < e->S; ++s) {
        double m = -HUGE_VAL, x = 0.0;
        for (int a = 0; a < e->A; ++a) {
            if (qo[0][s][a] > m) m = qo[0][s][a];
            x += pi[0][s][a] * qp[0][s][a];
        }
        e1 += e->mu0[s] * m;
        e2 += e->mu0[s] * x;
    }
    return e1 - e2;
}

static void ref_omd_step(const ref_env *e, double alpha, tens y, tens pi) {
    static tens L, Q;
    ref_mean_field(e, pi, L);
    ref_q(e, L, pi, Q);
    for (int t = 0; t <= e->T; ++t)
        for (int s = 0; s < e->S; ++s) {
            double m = -HUGE_VAL, z = 0.0;
            for (int a = 0; a < e->A; ++a) {
                y[t][s][a] += alpha * Q[t][s][a];
                if (y[t][s][a] > m) m = y[t][s][a];
            }
            for (int a = 0; a < e->A; ++a) z += exp(y[t][s][a] - m);
            for (int a = 0; a < e->A; ++a) pi[t][s][a] = exp(y[t][s][a] - m) / z;
        }
}

static void ref_fp_step(const ref_env *e, double alpha, int i, tens pi) {
    static tens L, Lb, qo, br;
    ref_mean_field(e, pi, L);
    ref_q(e, L, NULL, qo);
    for (int t = 0; t <= e->T; ++t)
        for (int s = 0; s < e->S; ++s) {
            double m = -HUGE_VAL, c = 0.0;
            for (int a = 0; a < e->A; ++a)
                if (qo[t][s][a] > m) m = qo[t][s][a];
            for (int a = 0; a < e->A; ++a) c += qo[t][s][a] == m;
            for (int a = 0; a < e->A; ++a)
                br[t][s][a] = (qo[t][s][a] == m) / c;
        }
    ref_mean_field(e, br, Lb);
    double ai = alpha != 0.0 ? alpha : 1.0 / (i + 2);
    for (int t = 0; t <= e->T; ++t)
        for (int s = 0; s < e->S; ++s) {
            double mu = 0.0, mb = 0.0;
            for (int a = 0; a < e->A; ++a) {
                mu += L[t][s][a];
                mb += Lb[t][s][a];
            }
            double den = (1 - ai) * mu + ai * mb;
            for (int a = 0; a < e->A; ++a)
                pi[t][s][a] = den != 0.0 ? ((1 - ai) * mu * pi[t][s][a] +
                                            ai * mb * br[t][s][a]) / den
                                         : 1.0 / e->A;
        }
}

static const ref_env RPS = {0, 1, 4, 3, {1.0, 0.0, 0.0, 0.0}};
static const ref_env SIS = {1, 50, 2, 2, {0.4, 0.6}};

/* ---- comparisons ------------------------------------------------------ */

static void load_ref_policy(const ref_env *e, const marl_policy *p, tens pi) {
    for (int t = 0; t <= e->T; ++t)
        for (int s = 0; s < e->S; ++s)
            ck_assert_int_eq(marl_policy_get_row(p, 0, (size_t)t, (size_t)s,
                                                 pi[t][s]), MARL_OK);
}

/* Run `iters` iterations of the library solver and of the reference from
 * the same initial policy (uniform, or random with seed > 0). */
static void compare(const char *game, const ref_env *e, int fp, double alpha,
                    uint64_t seed, int iters) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, game, NULL), MARL_OK);
    marl_solver *sv = NULL;
    ck_assert_int_eq(marl_solver_new_by_name(&sv, fp ? "mfg-fictitious-play"
                                                     : "mfg-omd", g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(sv, "alpha", alpha), MARL_OK);
    marl_policy *init = NULL;
    ck_assert_int_eq(marl_policy_new(&init, g, MARL_POLICY_SHARED |
                                                   MARL_POLICY_PER_STEP),
                     MARL_OK);
    if (seed) {
        marl_rng *rng = NULL;
        ck_assert_int_eq(marl_rng_new(&rng, seed), MARL_OK);
        ck_assert_int_eq(marl_policy_randomize(init, rng), MARL_OK);
        marl_rng_free(rng);
        ck_assert_int_eq(marl_solver_set_initial_policy(sv, init), MARL_OK);
    }
    static tens pi, y, lib;
    load_ref_policy(e, init, pi);
    memset(y, 0, sizeof y);
    size_t col = 0;
    ck_assert_int_eq(marl_solver_metric_index(sv, "exploitability", &col),
                     MARL_OK);
    double row[8];
    for (int i = 0; i < iters; ++i) {
        ck_assert_int_eq(marl_solver_step(sv), MARL_OK);
        if (fp)
            ref_fp_step(e, alpha, i, pi);
        else
            ref_omd_step(e, alpha, y, pi);
        load_ref_policy(e, marl_solver_policy(sv), lib);
        for (int t = 0; t <= e->T; ++t)
            for (int s = 0; s < e->S; ++s)
                for (int a = 0; a < e->A; ++a)
                    ck_assert_msg(fabs(lib[t][s][a] - pi[t][s][a]) <= 1e-9,
                                  "%s %s alpha %g seed %llu iter %d (%d,%d,%d)"
                                  ": %.17g vs %.17g", game, fp ? "fp" : "omd",
                                  alpha, (unsigned long long)seed, i, t, s, a,
                                  lib[t][s][a], pi[t][s][a]);
        ck_assert_int_eq(marl_solver_history_row(sv, (size_t)i, row), MARL_OK);
        double want = ref_expl(e, pi);
        ck_assert_msg(fabs(row[col] - want) <= 1e-9 * (1.0 + fabs(want)),
                      "%s iter %d: exploitability %.17g vs %.17g", game, i,
                      row[col], want);
        /* the public function agrees */
        double ex = 0.0;
        ck_assert_int_eq(marl_mfg_exploitability(g, marl_solver_policy(sv),
                                                 &ex), MARL_OK);
        ck_assert_double_eq_tol(ex, row[col], 1e-12);
    }
    marl_policy_free(init);
    marl_solver_free(sv);
    marl_game_free(g);
}

START_TEST(test_omd_matches_reference) {
    const double alphas[3] = {1.0, 0.3, 2.5};
    for (int k = 0; k < 3; ++k)
        for (uint64_t seed = 0; seed < 3; ++seed) {
            compare("rps", &RPS, 0, alphas[k], seed, 8);
            compare("sis", &SIS, 0, alphas[k], seed, 6);
        }
}
END_TEST

START_TEST(test_fp_matches_reference) {
    const double alphas[3] = {0.0, 0.4, 1.0};
    for (int k = 0; k < 3; ++k)
        for (uint64_t seed = 0; seed < 3; ++seed) {
            compare("rps", &RPS, 1, alphas[k], seed, 8);
            compare("sis", &SIS, 1, alphas[k], seed, 6);
        }
}
END_TEST

/* Numbers printed by mfglib_ref.py (pure Python, MFGLib's definitions). */
START_TEST(test_python_numbers) {
    static const struct {
        const char *game, *solver;
        double alpha, e0, e[5];
    } cases[] = {
        {"rps", "mfg-omd", 1.0, 0.33333333333333337,
         {0.54215133592886966, 0.86286625741162815, 1.1682234648149352,
          2.774191416644074, 1.6045532021260462}},
        {"rps", "mfg-fictitious-play", 0.0, 0.33333333333333337,
         {0.74999999999999989, 0.74074074074074081, 0.33333333333333326,
          0.2133333333333336, 0.37037037037037035}},
        {"sis", "mfg-omd", 1.0, 5.466873913228536,
         {4.5770307445225846, 3.7205885589005128, 2.8944886171407198,
          2.1851385456051382, 1.6179712324273794}},
        {"sis", "mfg-fictitious-play", 0.4, 5.466873913228536,
         {3.4472391721338482, 7.5623023163804461, 2.7222943294835886,
          1.2319200515854583, 2.3122925973958139}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        marl_game *g = NULL;
        ck_assert_int_eq(marl_games_new(&g, cases[c].game, NULL), MARL_OK);
        marl_policy *u = NULL;
        ck_assert_int_eq(marl_policy_new(&u, g, MARL_POLICY_SHARED |
                                                    MARL_POLICY_PER_STEP),
                         MARL_OK);
        double e0 = 0.0;
        ck_assert_int_eq(marl_mfg_exploitability(g, u, &e0), MARL_OK);
        ck_assert_double_eq_tol(e0, cases[c].e0, 1e-12);
        marl_solver *sv = NULL;
        ck_assert_int_eq(marl_solver_new_by_name(&sv, cases[c].solver, g),
                         MARL_OK);
        ck_assert_int_eq(marl_solver_set_real(sv, "alpha", cases[c].alpha),
                         MARL_OK);
        for (int i = 0; i < 5; ++i) {
            ck_assert_int_eq(marl_solver_step(sv), MARL_OK);
            double row[3];
            ck_assert_int_eq(marl_solver_history_row(sv, (size_t)i, row),
                             MARL_OK);
            ck_assert_msg(fabs(row[2] - cases[c].e[i]) <= 1e-9,
                          "%s %s iter %d: %.17g vs %.17g", cases[c].game,
                          cases[c].solver, i, row[2], cases[c].e[i]);
        }
        marl_solver_free(sv);
        marl_policy_free(u);
        marl_game_free(g);
    }
}
END_TEST

/* OMD (alpha 0.1) on rps drives the exploitability toward 0; FP on sis
 * likewise. */
START_TEST(test_converges) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "rps", NULL), MARL_OK);
    marl_solver *sv = NULL;
    ck_assert_int_eq(marl_solver_new_by_name(&sv, "mfg-omd", g), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(sv, "alpha", 0.1), MARL_OK);
    ck_assert_int_eq(marl_solver_run(sv, 300, 0.0, 0.0, NULL), MARL_OK);
    double first = 0.0, last = 0.0, row[3];
    for (size_t i = 0; i < 50; ++i) {
        marl_solver_history_row(sv, i, row);
        first += row[2] / 50;
        marl_solver_history_row(sv, 250 + i, row);
        last += row[2] / 50;
    }
    ck_assert_msg(last < 0.1 * first && row[2] < 0.01, "%g %g %g", first,
                  last, row[2]);
    /* run with a tolerance stops on the metric */
    ck_assert_int_eq(marl_solver_reset(sv), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(sv, "alpha", 0.1), MARL_OK);
    size_t it = 0;
    ck_assert_int_eq(marl_solver_run(sv, 1000, 0.05, 0.0, &it),
                     MARL_CONVERGED);
    ck_assert(it > 1 && it < 300);
    marl_solver_free(sv);
    marl_game_free(g);
}
END_TEST

START_TEST(test_errors) {
    marl_game *mk = NULL, *g = NULL, *g2 = NULL;
    ck_assert_int_eq(marl_games_new(&mk, "coordination", NULL), MARL_OK);
    ck_assert_int_eq(marl_games_new(&g, "sis", NULL), MARL_OK);
    ck_assert_int_eq(marl_games_new(&g2, "sis", "horizon=4"), MARL_OK);
    marl_solver *sv = NULL;
    ck_assert_int_eq(marl_solver_new(&sv, &marl_solver_mfg_omd, mk),
                     MARL_EKIND);
    ck_assert_int_eq(marl_solver_new(&sv, &marl_solver_mfg_fictitious_play,
                                     mk), MARL_EKIND);
    ck_assert_int_eq(marl_solver_new(&sv, &marl_solver_mfg_fictitious_play, g),
                     MARL_OK);
    ck_assert_int_ne(marl_solver_set_real(sv, "alpha", 1.5), MARL_OK);
    ck_assert_int_ne(marl_solver_set_real(sv, "alpha", -0.1), MARL_OK);
    /* an initial policy of the wrong layout (per agent) */
    marl_policy *bad = NULL;
    ck_assert_int_eq(marl_policy_new(&bad, g, MARL_POLICY_PER_STEP), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(sv, bad), MARL_OK);
    ck_assert_int_eq(marl_solver_step(sv), MARL_EINVAL);
    ck_assert_msg(strstr(marl_last_error(), "initial policy") != NULL &&
                      strstr(marl_last_error(), "SHARED") != NULL,
                  "%s", marl_last_error());
    marl_policy_free(bad);
    /* a policy of another game is refused or fails at the first step */
    ck_assert_int_eq(marl_policy_new(&bad, g2, MARL_POLICY_SHARED |
                                                   MARL_POLICY_PER_STEP),
                     MARL_OK);
    if (marl_solver_set_initial_policy(sv, bad) == MARL_OK)
        ck_assert_int_eq(marl_solver_step(sv), MARL_EINVAL);
    marl_policy_free(bad);
    marl_solver_free(sv);
    ck_assert_int_eq(marl_solver_new(&sv, &marl_solver_mfg_omd, g), MARL_OK);
    ck_assert_int_ne(marl_solver_set_real(sv, "alpha", -1.0), MARL_OK);
    marl_solver_free(sv);
    marl_game_free(g);
    marl_game_free(g2);
    marl_game_free(mk);
}
END_TEST

START_TEST(test_failalloc) {
    failalloc_install(-1);
    long live0 = failalloc_live();
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "a-sis", "n=10,horizon=5"), MARL_OK);
    const long live_g = failalloc_live();
    const char *names[2] = {"mfg-omd", "mfg-fictitious-play"};
    for (int k = 0; k < 2; ++k)
        for (long f = 0;; ++f) {
            marl_solver *sv = NULL;
            ck_assert_int_eq(marl_solver_new_by_name(&sv, names[k], g),
                             MARL_OK);
            failalloc_install(f);
            int rc = marl_solver_step(sv);
            if (rc == MARL_OK) rc = marl_solver_step(sv);
            failalloc_uninstall();
            if (rc == MARL_OK) {
                ck_assert_uint_eq(marl_solver_iterations(sv), 2);
                marl_solver_free(sv);
                break;
            }
            ck_assert_int_eq(rc, MARL_ENOMEM);
            marl_solver_free(sv);
            ck_assert_int_eq(failalloc_live(), live_g);
        }
    marl_game_free(g);
    ck_assert_int_eq(failalloc_live(), live0);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("population-solvers");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_omd_matches_reference);
    tcase_add_test(tc, test_fp_matches_reference);
    tcase_add_test(tc, test_python_numbers);
    tcase_add_test(tc, test_converges);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
