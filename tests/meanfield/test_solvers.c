/*
 * The learning solvers: exact_q Symm-PMD reaches MFG exploitability <= 1e-4
 * on the catalogue games rps (averaged policy) and sis (current iterate);
 * sampled Symm-PMD and IPMD reduce the exploitability of a symmetric game;
 * identical results with 1 and 2 threads and across calls; the epochs
 * stopping rule; the N-player estimate metric.
 * SPDX-License-Identifier: MIT
 */
#include "check_main.h"
#include "mf_games.h"

#include <math.h>
#include <string.h>

static double metric(marl_solver *s, const char *name, size_t row) {
    size_t col;
    double v[16];
    ck_assert_int_eq(marl_solver_metric_index(s, name, &col), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, row, v), MARL_OK);
    return v[col];
}

START_TEST(exact_q_rps) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "rps", NULL), MARL_OK);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_pmd, g),
                     MARL_OK);
    /* tau = 0, xi_t = 1/sqrt(t+1), (almost) no mixing: the averaged
     * policy converges (measured: 3.3e-4 after 1000 epochs, 1.0e-4 after
     * 3000). */
    ck_assert_int_eq(marl_solver_set(s, "exact_q", "1"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "tau", "0"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "mix_offset", "1e6"), MARL_OK);
    size_t its = 0;
    ck_assert_int_eq(marl_solver_run(s, 6000, 1e-4, 0, &its), MARL_CONVERGED);
    ck_assert(its > 100);
    ck_assert(metric(s, "exploitability", its - 1) <= 1e-4);
    ck_assert(metric(s, "samples", its - 1) == 0.0);
    /* The solver's policy is the averaged policy it reports. */
    double ex;
    ck_assert_int_eq(marl_mfg_exploitability(g, marl_solver_policy(s), &ex),
                     MARL_OK);
    ck_assert(fabs(ex - metric(s, "exploitability", its - 1)) < 1e-12);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

START_TEST(exact_q_sis) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "sis", NULL), MARL_OK);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_pmd, g),
                     MARL_OK);
    /* Small tau, large constant step: the current iterate converges to
     * the regularised equilibrium (measured 6.0e-6 after 100 epochs). */
    ck_assert_int_eq(marl_solver_set(s, "exact_q", "1"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "tau", "1e-4"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "xi", "constant"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "xi0", "1000"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(s, "mix_offset", "1e6"), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 200, 0, 0, NULL), MARL_OK);
    ck_assert_msg(metric(s, "exploitability_current", 199) <= 1e-4,
                  "current %g", metric(s, "exploitability_current", 199));
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

/* Run a solver for `its` iterations; copy its history (without the
 * seconds column) and its policy's rows. */
static void run_copy(marl_game *g, const marl_solver_type *t, int threads,
                     size_t its, const char *extra, double *hist,
                     double *rows) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, t, g), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "threads", threads), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "td_epochs", 3), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 77), MARL_OK);
    if (extra) {
        char buf[256], *save = NULL;
        strncpy(buf, extra, sizeof buf - 1);
        buf[sizeof buf - 1] = 0;
        for (char *kv = strtok_r(buf, ";", &save); kv;
             kv = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(kv, '=');
            *eq = 0;
            ck_assert_int_eq(marl_solver_set(s, kv, eq + 1), MARL_OK);
        }
    }
    ck_assert_int_eq(marl_solver_run(s, its, 0, 0, NULL), MARL_OK);
    size_t nm = marl_solver_metric_count(s);
    for (size_t r = 0; r < its; ++r) {
        double v[16];
        ck_assert_int_eq(marl_solver_history_row(s, r, v), MARL_OK);
        v[1] = 0; /* seconds */
        memcpy(hist + r * nm, v, nm * sizeof *v);
    }
    const marl_policy *p = marl_solver_policy(s);
    size_t N = marl_policy_num_agents(p), H = marl_policy_num_steps(p), k = 0;
    int shared = (marl_policy_flags(p) & MARL_POLICY_SHARED) != 0;
    for (size_t i = 0; i < (shared ? 1 : N); ++i)
        for (size_t h = 0; h < H; ++h)
            for (size_t st = 0; st < 2; ++st, k += 2)
                ck_assert_int_eq(marl_policy_get_row(p, i, h, st, rows + k),
                                 MARL_OK);
    marl_solver_free(s);
}

START_TEST(threads_and_calls_identical) {
    const size_t N = 2100, H = 3, its = 3;
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, N, H, 0, 0.1, 0.05, -1, -1, 0),
                     MARL_OK);
    const marl_solver_type *types[2] = {&marl_solver_meanfield_pmd,
                                        &marl_solver_meanfield_ipmd};
    size_t nrows = N * H * 2 * 2;
    double *h1 = calloc(its * 16, sizeof(double));
    double *h2 = calloc(its * 16, sizeof(double));
    double *h3 = calloc(its * 16, sizeof(double));
    double *r1 = calloc(nrows, sizeof(double));
    double *r2 = calloc(nrows, sizeof(double));
    double *r3 = calloc(nrows, sizeof(double));
    for (int k = 0; k < 2; ++k) {
        const char *extra =
            "estimate_every=2;estimate=agents=2,rollouts=2,eval_rollouts=2";
        run_copy(g, types[k], 1, its, extra, h1, r1);
        run_copy(g, types[k], 2, its, extra, h2, r2);
        run_copy(g, types[k], 1, its, extra, h3, r3);
        for (size_t j = 0; j < its * 7; ++j) {
            ck_assert((isnan(h1[j]) && isnan(h2[j])) || h1[j] == h2[j]);
            ck_assert((isnan(h1[j]) && isnan(h3[j])) || h1[j] == h3[j]);
        }
        ck_assert(!memcmp(r1, r2, nrows * sizeof(double)));
        ck_assert(!memcmp(r1, r3, nrows * sizeof(double)));
        /* the estimate is reported every second epoch only */
        ck_assert(isnan(h1[0 * 7 + 5]) && isfinite(h1[1 * 7 + 5]));
        ck_assert(isfinite(h1[1 * 7 + 6]));
    }
    free(h1);
    free(h2);
    free(h3);
    free(r1);
    free(r2);
    free(r3);
    marl_game_free(g);
}
END_TEST

START_TEST(sampled_pmd_improves) {
    const size_t N = 1000, H = 3;
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, N, H, 1, 0, 0, -1, -1, 0), MARL_OK);
    marl_policy *u = NULL;
    ck_assert_int_eq(marl_policy_new(&u, g, MARL_POLICY_SHARED |
                                                MARL_POLICY_PER_STEP),
                     MARL_OK);
    double e0;
    ck_assert_int_eq(marl_mfg_exploitability(g, u, &e0), MARL_OK);
    const marl_solver_type *types[2] = {&marl_solver_meanfield_pmd,
                                        &marl_solver_meanfield_ipmd};
    double fin[2];
    for (int k = 0; k < 2; ++k) {
        marl_solver *s = NULL;
        ck_assert_int_eq(marl_solver_new(&s, types[k], g), MARL_OK);
        ck_assert_int_eq(marl_solver_set_int(s, "td_epochs", 10), MARL_OK);
        ck_assert_int_eq(marl_solver_set_int(s, "epochs", 40), MARL_OK);
        ck_assert_int_eq(marl_solver_set_seed(s, 3), MARL_OK);
        size_t its = 0;
        ck_assert_int_eq(marl_solver_run(s, 100, 0, 0, &its), MARL_CONVERGED);
        ck_assert_uint_eq(its, 40);
        double e = fin[k] = metric(s, "exploitability", 39);
        ck_assert_msg(e < (k == 0 ? 0.5 : 0.75) * e0, "%s: %g -> %g",
                      marl_solver_get_type(s)->name, e0, e);
        ck_assert(metric(s, "samples", 39) == 400.0);
        int shared = (marl_policy_flags(marl_solver_policy(s)) &
                      MARL_POLICY_SHARED) != 0;
        ck_assert_int_eq(shared, k == 0);
        /* stepping past the last epoch keeps reporting convergence */
        ck_assert_int_eq(marl_solver_step(s), MARL_CONVERGED);
        ck_assert(metric(s, "exploitability", 40) == e);
        marl_solver_free(s);
    }
    /* The seed's finding: the shared policy learns faster than IPMD. */
    ck_assert_msg(fin[0] < fin[1], "Symm-PMD %g vs IPMD %g", fin[0], fin[1]);
    marl_policy_free(u);
    marl_game_free(g);
}
END_TEST

START_TEST(initial_policy) {
    marl_game *g = NULL;
    ck_assert_int_eq(mf_crowd_new(&g, 50, 2, 1, 0, 0, -1, -1, 0), MARL_OK);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_SHARED), MARL_OK);
    double row[2] = {0.25, 0.75};
    ck_assert_int_eq(marl_policy_set_row(p, 0, 0, 1, row), MARL_OK);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, &marl_solver_meanfield_pmd, g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, p), MARL_OK);
    const marl_policy *q = marl_solver_policy(s);
    ck_assert_ptr_nonnull(q);
    double got[2];
    for (size_t h = 0; h < 2; ++h) {
        ck_assert_int_eq(marl_policy_get_row(q, 0, h, 1, got), MARL_OK);
        ck_assert(got[0] == 0.25 && got[1] == 0.75);
    }
    marl_solver_free(s);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

int main(void) {
    Suite *s = suite_create("meanfield-solvers");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, exact_q_rps);
    tcase_add_test(tc, exact_q_sis);
    tcase_add_test(tc, threads_and_calls_identical);
    tcase_add_test(tc, sampled_pmd_improves);
    tcase_add_test(tc, initial_policy);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
