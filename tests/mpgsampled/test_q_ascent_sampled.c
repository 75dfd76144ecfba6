/* Tests of `mpg-q-ascent-sampled` (seed 002; ALGORITHMS.md §1): the
 * projected-SGD critic against the exact averaged Q of a fixed policy, the
 * actor's closed forms (alpha = 0: p -> (1 - xi) p + xi / |A_i|),
 * reproducibility (same seed => identical history and policy), the
 * Nash-gap on coordination at a stated seed and sample budget, the reported
 * metrics against independent computations, bad options, and allocation
 * failures in the first and a later step (the solver is left as it was).
 * SPDX-License-Identifier: MIT */
#include "marlgame/marlgame.h"
#include "marlgame/mpg.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include "sampled_fixture.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Internal test hook of lib/solvers/mpg/q_ascent_sampled.c. */
int marl_mpg_sampled_critic(marl_game *game, const marl_policy *policy,
                            uint64_t seed, size_t agent, size_t K,
                            double sgd_step, double W, double *wbar);

/* Column of metric `name`. */
static size_t col(marl_solver *s, const char *name) {
    size_t c = 0;
    ck_assert_int_eq(marl_solver_metric_index(s, name, &c), MARL_OK);
    return c;
}

START_TEST(test_type) {
    ck_assert_ptr_eq(marl_solver_type_find("mpg-q-ascent-sampled"), T);
    ck_assert_str_eq(T->name, "mpg-q-ascent-sampled");
    const char *opts[] = {"alpha", "k", "xi", "sgd_step", "w_max",
                          "critic_init", "eval_every"};
    ck_assert_uint_eq(marl_solver_type_option_count(T), 7);
    for (size_t i = 0; i < 7; ++i)
        ck_assert_str_eq(marl_solver_type_option(T, i)->name, opts[i]);
    ck_assert(marl_solver_type_option(T, 2)->real_default == 0.01);
    const char *m[] = {"nash_gap", "potential", "welfare", "poa",
                       "nash_regret", "samples"};
    ck_assert_uint_eq(T->n_metrics, 6);
    for (size_t i = 0; i < 6; ++i) ck_assert_str_eq(T->metric_names[i], m[i]);
}
END_TEST

START_TEST(test_critic_converges) {
    /* random-mpg (2 agents, 3 states, 2 actions, action-dependent
     * transitions, gamma 0.5, seed 3); policy = (uniform + Dirichlet)/2,
     * so every probability is >= 1/4. Critic seed 42, sgd_step 0.05,
     * W automatic: K = 2e5 samples -> max |wbar - Qbar| < 0.03 (Qbar is
     * about 1.5); K = 2e3 is worse. */
    marl_game *g = NULL;
    marl_policy *p = NULL;
    critic_fixture(&g, &p);
    double Q[12], w[6], big = 0.0, small = 0.0;
    ck_assert_uint_eq(marl_markov_agent_table_size(g), 12);
    ck_assert_int_eq(marl_markov_averaged_q(g, p, Q, NULL, NULL), MARL_OK);
    for (size_t i = 0; i < 2; ++i) {
        ck_assert_int_eq(marl_mpg_sampled_critic(g, p, 42, i, 200000, 0.05,
                                                 0.0, w),
                         MARL_OK);
        for (size_t k = 0; k < 6; ++k) big = fmax(big, fabs(w[k] - Q[6 * i + k]));
        ck_assert_int_eq(marl_mpg_sampled_critic(g, p, 42, i, 2000, 0.05,
                                                 0.0, w),
                         MARL_OK);
        for (size_t k = 0; k < 6; ++k)
            small = fmax(small, fabs(w[k] - Q[6 * i + k]));
    }
    ck_assert_msg(big < 0.03, "critic error %g at K = 2e5", big);
    ck_assert_msg(small > big, "K = 2e3 error %g, K = 2e5 error %g", small, big);
    /* a tiny ball caps the critic: ||wbar|| <= W */
    ck_assert_int_eq(marl_mpg_sampled_critic(g, p, 42, 0, 2000, 0.05, 0.1, w),
                     MARL_OK);
    double n2 = 0.0;
    for (size_t k = 0; k < 6; ++k) n2 += w[k] * w[k];
    ck_assert(sqrt(n2) <= 0.1 + 1e-12);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_actor_closed_form) {
    /* alpha = 0: the actor is p -> (1 - xi) p + xi / |A| exactly, whatever
     * the critic; with xi = 0 the initial policy is kept. */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_random_mpg_new(&g, 2, 3, 3, 0, 0.7, 9), MARL_OK);
    marl_policy *p0 = NULL;
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_policy_new(&p0, g, 0), MARL_OK);
    ck_assert_int_eq(marl_rng_new(&rng, 5), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(p0, rng), MARL_OK);
    double xis[2] = {0.0, 0.3};
    for (int k = 0; k < 2; ++k) {
        marl_solver *s = sampled_solver(g, 4, 0.0, 50);
        ck_assert_int_eq(marl_solver_set_real(s, "xi", xis[k]), MARL_OK);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, p0), MARL_OK);
        ck_assert_int_eq(marl_solver_step(s), MARL_OK);
        ck_assert_int_eq(marl_solver_step(s), MARL_OK);
        const marl_policy *pi = marl_solver_policy(s);
        double keep = (1 - xis[k]) * (1 - xis[k]);
        for (size_t i = 0; i < 2; ++i)
            for (size_t st = 0; st < 3; ++st) {
                double a[3], b[3];
                ck_assert_int_eq(marl_policy_get_row(p0, i, 0, st, a), MARL_OK);
                ck_assert_int_eq(marl_policy_get_row(pi, i, 0, st, b), MARL_OK);
                for (size_t x = 0; x < 3; ++x)
                    ck_assert_double_eq_tol(b[x],
                                            keep * a[x] + (1 - keep) / 3.0,
                                            1e-15);
            }
        marl_solver_free(s);
    }
    marl_policy_free(p0);
    marl_rng_free(rng);
    marl_game_free(g);
}
END_TEST

START_TEST(test_reproducible) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    marl_solver *a = sampled_solver(g, 11, 0.2, 300);
    marl_solver *b = sampled_solver(g, 11, 0.2, 300);
    marl_solver *c = sampled_solver(g, 12, 0.2, 300);
    ck_assert_int_eq(marl_solver_run(a, 6, 0.0, 0.0, NULL), MARL_OK);
    ck_assert_int_eq(marl_solver_run(b, 6, 0.0, 0.0, NULL), MARL_OK);
    ck_assert_int_eq(marl_solver_run(c, 6, 0.0, 0.0, NULL), MARL_OK);
    size_t n = marl_solver_metric_count(a), sec = col(a, "seconds");
    double ra[16], rb[16], rc[16];
    int differs = 0;
    for (size_t r = 0; r < 6; ++r) {
        ck_assert_int_eq(marl_solver_history_row(a, r, ra), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(b, r, rb), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(c, r, rc), MARL_OK);
        for (size_t k = 0; k < n; ++k) {
            if (k == sec) continue;
            ck_assert_msg(ra[k] == rb[k], "row %zu column %zu: %.17g vs %.17g",
                          r, k, ra[k], rb[k]);
            differs |= ra[k] != rc[k];
        }
    }
    ck_assert(differs);
    double dist = -1.0;
    ck_assert_int_eq(marl_policy_distance(marl_solver_policy(a),
                                          marl_solver_policy(b), &dist),
                     MARL_OK);
    ck_assert(dist == 0.0);
    /* a reset solver (same seed) replays the same history */
    ck_assert_int_eq(marl_solver_reset(a), MARL_OK);
    ck_assert_int_eq(marl_solver_run(a, 6, 0.0, 0.0, NULL), MARL_OK);
    for (size_t r = 0; r < 6; ++r) {
        ck_assert_int_eq(marl_solver_history_row(a, r, ra), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(b, r, rb), MARL_OK);
        for (size_t k = 0; k < n; ++k)
            if (k != sec) ck_assert(ra[k] == rb[k]);
    }
    marl_solver_free(a);
    marl_solver_free(b);
    marl_solver_free(c);
    marl_game_free(g);
}
END_TEST

START_TEST(test_metrics_independent) {
    /* Every metric against the public exact evaluation of the solver's
     * policy; samples = the solver sampler's step counter, strictly
     * increasing. */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, 0.1, 0.9), MARL_OK);
    marl_solver *s = sampled_solver(g, 3, 0.05, 200);
    double last = 0.0, row[16];
    for (int it = 0; it < 3; ++it) {
        ck_assert_int_eq(marl_solver_step(s), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(s, (size_t)it, row), MARL_OK);
        const marl_policy *pi = marl_solver_policy(s);
        double gap, welfare, phi, vstar;
        ck_assert_int_eq(marl_markov_nash_gap(g, pi, &gap, NULL), MARL_OK);
        ck_assert_int_eq(marl_markov_welfare(g, pi, &welfare), MARL_OK);
        ck_assert_int_eq(marl_markov_potential_value(g, pi, &phi, NULL), MARL_OK);
        ck_assert_int_eq(marl_markov_optimal_welfare(g, &vstar, NULL), MARL_OK);
        ck_assert(row[col(s, "nash_gap")] == gap);
        ck_assert(row[col(s, "welfare")] == welfare);
        ck_assert(row[col(s, "potential")] == phi);
        ck_assert_double_eq_tol(row[col(s, "poa")], welfare / vstar, 1e-15);
        double samples = row[col(s, "samples")];
        ck_assert(samples > last);
        ck_assert(samples == (double)marl_sampler_steps(marl_solver_sampler(s)));
        last = samples;
    }
    marl_solver_free(s);
    /* eval_every = 0: the exact metrics are NaN, samples are not */
    s = sampled_solver(g, 3, 0.05, 20);
    ck_assert_int_eq(marl_solver_set_int(s, "eval_every", 0), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, 0, row), MARL_OK);
    ck_assert(isnan(row[col(s, "nash_gap")]));
    ck_assert(row[col(s, "samples")] > 0.0);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

START_TEST(test_nash_gap_coordination) {
    /* coordination N = 2, eps = 0.1, gamma = 0.8 (ours: shorter rollouts
     * than the seed's 0.95); alpha = 0.2, K = 2000, xi = 0.01, sgd_step
     * 0.05, zero critic init; 30 iterations (about 1.1e6 environment
     * steps). Seed 1 reaches the xi-mixed team optimum, (1 - xi) e_{a*} +
     * xi/2 of the optimal deterministic policy, whose Nash-gap (0.0397)
     * is the floor xi imposes; seeds 2, 3 and 7 end below 0.05 as well. */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    marl_policy *opt = NULL;
    double vstar, floor_gap;
    ck_assert_int_eq(marl_policy_new(&opt, g, 0), MARL_OK);
    ck_assert_int_eq(marl_markov_optimal_welfare(g, &vstar, opt), MARL_OK);
    for (size_t i = 0; i < 2; ++i)
        for (size_t st = 0; st < 4; ++st) {
            double r[2];
            ck_assert_int_eq(marl_policy_get_row(opt, i, 0, st, r), MARL_OK);
            for (size_t a = 0; a < 2; ++a) r[a] = 0.99 * r[a] + 0.005;
            ck_assert_int_eq(marl_policy_set_row(opt, i, 0, st, r), MARL_OK);
        }
    ck_assert_int_eq(marl_markov_nash_gap(g, opt, &floor_gap, NULL), MARL_OK);
    ck_assert(floor_gap > 0.03 && floor_gap < 0.05);
    uint64_t seeds[4] = {1, 2, 3, 7};
    for (int k = 0; k < 4; ++k) {
        marl_solver *s = sampled_solver(g, seeds[k], 0.2, 2000);
        double first[16], row[16];
        ck_assert_int_eq(marl_solver_run(s, 30, 0.0, 0.0, NULL), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(s, 0, first), MARL_OK);
        ck_assert_int_eq(marl_solver_history_row(s, 29, row), MARL_OK);
        size_t gc = col(s, "nash_gap");
        ck_assert_msg(row[gc] < 0.05, "seed %d: gap %g", (int)seeds[k], row[gc]);
        ck_assert(first[gc] > 0.5);
        ck_assert(row[col(s, "samples")] < 1.2e6);
        if (seeds[k] == 1) {
            double d;
            ck_assert_int_eq(marl_policy_distance(marl_solver_policy(s), opt, &d),
                             MARL_OK);
            ck_assert_msg(d < 1e-12, "distance to the xi-mixed optimum %g", d);
            ck_assert_double_eq_tol(row[gc], floor_gap, 1e-12);
        }
        marl_solver_free(s);
    }
    marl_policy_free(opt);
    marl_game_free(g);
}
END_TEST

START_TEST(test_bad_options) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, T, g), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "alpha", -0.1), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_real(s, "alpha", NAN), MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set_int(s, "k", 0), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_real(s, "xi", 1.5), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_real(s, "xi", -0.01), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_real(s, "sgd_step", 0.6), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_real(s, "sgd_step", -1), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_real(s, "w_max", -1), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_string(s, "critic_init", "random"),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_solver_set(s, "eval_every", "-1"), MARL_ERANGE);
    ck_assert_int_eq(marl_solver_set_real(s, "eta", 0.1), MARL_EINVAL);
    /* an initial policy of another game */
    marl_game *h = NULL;
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&h, 3, 0.1, 0.8), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&p, h, 0), MARL_OK);
    ck_assert_int_ne(marl_solver_set_initial_policy(s, p), MARL_OK);
    /* options cannot change after the first step */
    ck_assert_int_eq(marl_solver_set_int(s, "k", 10), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "alpha", 0.5), MARL_EINVAL);
    /* the test hook's own checks */
    double w[8];
    ck_assert_int_eq(marl_mpg_sampled_critic(NULL, p, 1, 0, 10, 0.1, 0, w),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_mpg_sampled_critic(h, p, 1, 3, 10, 0.1, 0, w),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_mpg_sampled_critic(h, p, 1, 0, 0, 0.1, 0, w),
                     MARL_EINVAL);
    marl_policy_free(p);
    marl_game_free(h);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

START_TEST(test_warm_critic) {
    /* critic_init = warm: reproducible, differs from zero init, and with
     * alpha = 0, xi = 0 keeps the policy (the actor formula is the same). */
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    marl_solver *a = sampled_solver(g, 5, 0.2, 500), *b = sampled_solver(g, 5, 0.2, 500),
                *z = sampled_solver(g, 5, 0.2, 500);
    ck_assert_int_eq(marl_solver_set(a, "critic_init", "warm"), MARL_OK);
    ck_assert_int_eq(marl_solver_set(b, "critic_init", "warm"), MARL_OK);
    ck_assert_int_eq(marl_solver_run(a, 4, 0.0, 0.0, NULL), MARL_OK);
    ck_assert_int_eq(marl_solver_run(b, 4, 0.0, 0.0, NULL), MARL_OK);
    ck_assert_int_eq(marl_solver_run(z, 4, 0.0, 0.0, NULL), MARL_OK);
    double dab, daz;
    ck_assert_int_eq(marl_policy_distance(marl_solver_policy(a),
                                          marl_solver_policy(b), &dab), MARL_OK);
    ck_assert_int_eq(marl_policy_distance(marl_solver_policy(a),
                                          marl_solver_policy(z), &daz), MARL_OK);
    ck_assert(dab == 0.0);
    ck_assert(daz > 0.0);
    marl_solver_free(a);
    marl_solver_free(b);
    marl_solver_free(z);
    marl_game_free(g);
}
END_TEST

/* Fail each allocation of one marl_solver_step in turn: every failure is
 * MARL_ENOMEM and leaves no block behind; ends with the first success
 * (whose blocks belong to the solver, so FAILALLOC_SWEEP's final leak check
 * does not apply). */
static void sweep_step(marl_solver *s) {
    size_t len = marl_solver_history_length(s);
    for (long k = 0;; ++k) {
        long before = failalloc_live();
        failalloc_install(k);
        int rc = marl_solver_step(s);
        failalloc_uninstall();
        if (rc == MARL_OK) break;
        ck_assert_msg(rc == MARL_ENOMEM, "allocation %ld: got %d (%s)", k, rc,
                      marl_last_error());
        ck_assert_msg(failalloc_live() == before, "leak at allocation %ld", k);
        ck_assert_uint_eq(marl_solver_history_length(s), len);
        ck_assert(k < 10000);
    }
    ck_assert_uint_eq(marl_solver_history_length(s), len + 1);
}

/* First history row of a fresh solver (reference for the sweeps). */
static void reference_rows(marl_game *g, const char *init, double *r0,
                           double *r1) {
    marl_solver *s = sampled_solver(g, 8, 0.1, 30);
    ck_assert_int_eq(marl_solver_set(s, "critic_init", init), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, 0, r0), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, 1, r1), MARL_OK);
    marl_solver_free(s);
}

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 2, 0.1, 0.8), MARL_OK);
    const char *inits[2] = {"zero", "warm"};
    for (int k = 0; k < 2; ++k) {
        double want0[16], want1[16], got[16];
        reference_rows(g, inits[k], want0, want1);
        marl_solver *s = sampled_solver(g, 8, 0.1, 30);
        ck_assert_int_eq(marl_solver_set(s, "critic_init", inits[k]), MARL_OK);
        sweep_step(s);
        sweep_step(s);
        ck_assert_uint_eq(marl_solver_history_length(s), 2);
        size_t n = marl_solver_metric_count(s);
        ck_assert_int_eq(marl_solver_history_row(s, 0, got), MARL_OK);
        for (size_t c = 2; c < n; ++c) ck_assert(got[c] == want0[c]);
        ck_assert_int_eq(marl_solver_history_row(s, 1, got), MARL_OK);
        for (size_t c = 2; c < n; ++c) ck_assert(got[c] == want1[c]);
        marl_solver_free(s);
    }
    double w[8]; /* S * A_0 = 4 * 2 */
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    FAILALLOC_SWEEP(marl_mpg_sampled_critic(g, p, 1, 0, 10, 0.1, 0, w), (void)0);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("mpg-q-ascent-sampled");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_type);
    tcase_add_test(tc, test_critic_converges);
    tcase_add_test(tc, test_actor_closed_form);
    tcase_add_test(tc, test_reproducible);
    tcase_add_test(tc, test_metrics_independent);
    tcase_add_test(tc, test_nash_gap_coordination);
    tcase_add_test(tc, test_bad_options);
    tcase_add_test(tc, test_warm_critic);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
