/*
 * Closed-form checks of one update of each exact mpg solver (ALGORITHMS.md
 * §1), against quantities computed independently here:
 * - softmax PG: theta moves by eta * gradient; the gradient equals the
 *   central finite difference of V_i(mu) w.r.t. theta_i (1-state game and a
 *   3-state game), and with the log barrier the finite difference of
 *   V_i(mu) + lambda (sum log pi_i / (S A_i) + log A_i);
 * - NPG: the multiplicative-weights formula p exp(eta Abar) / Z;
 * - projected PG and Q-ascent: the formula with a bisection projection;
 * - optimistic Q-ascent: two iterations of the two-sequence update with the
 *   smoothed critic, with Qbar by brute force over joint actions;
 * - the common metrics columns and eval_every.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include "check_main.h"
#include "mpgtest.h"

#include <stdio.h>

static const size_t A1[2] = {2, 3};

static marl_game *game_1state(void) { return mt_random_game(11, 2, 1, A1, 0.9); }
static marl_game *game_3state(void) { return mt_random_game(12, 2, 3, A1, 0.8); }

/* Objective of agent i at logits theta (flat per agent): V_i(mu) plus the
 * log barrier with weight lambda. */
static double objective(marl_game *g, marl_policy *lp, const double *theta,
                        size_t i, double lambda) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g), off = 0;
    for (size_t k = 0; k < N; ++k)
        for (size_t s = 0; s < S; ++s) {
            ck_assert_int_eq(marl_policy_set_logits(lp, k, 0, s, theta + off),
                             MARL_OK);
            off += marl_game_num_actions(g, k);
        }
    double v[8];
    ck_assert_int_eq(marl_markov_values_mu(g, lp, v), MARL_OK);
    double J = v[i];
    if (lambda > 0.0) {
        size_t Ai = marl_game_num_actions(g, i);
        double row[16], sum = 0.0;
        for (size_t s = 0; s < S; ++s) {
            ck_assert_int_eq(marl_policy_get_row(lp, i, 0, s, row), MARL_OK);
            for (size_t a = 0; a < Ai; ++a)
                sum += log(row[a]);
        }
        J += lambda * (sum / (double)(S * Ai) + log((double)Ai));
    }
    return J;
}

/* One softmax-PG step with eta = 1 from a random positive policy; compare
 * theta1 - theta0 with central differences. */
static void check_softmax_gradient(marl_game *g, double lambda) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    size_t total = 0;
    for (size_t i = 0; i < N; ++i)
        total += S * marl_game_num_actions(g, i);
    double *th0 = calloc(total, sizeof(double));
    double *th1 = calloc(total, sizeof(double));
    double *th = calloc(total, sizeof(double));
    ck_assert(th0 && th1 && th);
    marl_policy *init = mt_random_policy(g, 99);
    marl_solver *s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_eq(marl_solver_set_real(s, "eta", 1.0), MARL_OK);
    ck_assert_int_eq(marl_solver_set_real(s, "log_barrier", lambda), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, init), MARL_OK);
    const marl_policy *p0 = marl_solver_policy(s);
    ck_assert_ptr_nonnull(p0);
    ck_assert(marl_policy_flags(p0) & MARL_POLICY_LOGITS);
    size_t off = 0;
    for (size_t i = 0; i < N; ++i)
        for (size_t st = 0; st < S; ++st) {
            ck_assert_int_eq(marl_policy_get_logits(p0, i, 0, st, th0 + off),
                             MARL_OK);
            off += marl_game_num_actions(g, i);
        }
    /* the initial logits reproduce the initial probabilities */
    double d;
    ck_assert_int_eq(marl_policy_distance(p0, init, &d), MARL_OK);
    ck_assert_double_le(d, 1e-14);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    const marl_policy *p1 = marl_solver_policy(s);
    off = 0;
    for (size_t i = 0; i < N; ++i)
        for (size_t st = 0; st < S; ++st) {
            ck_assert_int_eq(marl_policy_get_logits(p1, i, 0, st, th1 + off),
                             MARL_OK);
            off += marl_game_num_actions(g, i);
        }
    marl_policy *lp = NULL;
    ck_assert_int_eq(marl_policy_new(&lp, g, MARL_POLICY_LOGITS), MARL_OK);
    const double h = 1e-5;
    double maxg = 0.0, norm2 = 0.0;
    off = 0;
    for (size_t i = 0; i < N; ++i) {
        size_t blk = S * marl_game_num_actions(g, i);
        for (size_t k = off; k < off + blk; ++k) {
            memcpy(th, th0, total * sizeof(double));
            th[k] = th0[k] + h;
            double jp = objective(g, lp, th, i, lambda);
            th[k] = th0[k] - h;
            double jm = objective(g, lp, th, i, lambda);
            double fd = (jp - jm) / (2.0 * h), grad = th1[k] - th0[k];
            ck_assert_msg(fabs(fd - grad) <= 1e-6,
                          "agent %zu entry %zu: gradient %.12g, finite "
                          "difference %.12g",
                          i, k - off, grad, fd);
            if (fabs(grad) > maxg) maxg = fabs(grad);
            norm2 += grad * grad;
        }
        off += blk;
    }
    ck_assert_double_gt(maxg, 1e-3); /* not trivially zero */
    ck_assert(fabs(mt_last(s, "grad_norm") - sqrt(norm2)) <=
              1e-12 * (1.0 + sqrt(norm2)));
    marl_policy_free(lp);
    marl_policy_free(init);
    marl_solver_free(s);
    free(th0);
    free(th1);
    free(th);
}

START_TEST(test_softmax_gradient_1state) {
    marl_game *g = game_1state();
    check_softmax_gradient(g, 0.0);
    marl_game_free(g);
}
END_TEST

START_TEST(test_softmax_gradient_3states) {
    marl_game *g = game_3state();
    check_softmax_gradient(g, 0.0);
    marl_game_free(g);
}
END_TEST

START_TEST(test_log_barrier_gradient) {
    marl_game *g = game_3state();
    check_softmax_gradient(g, 0.7);
    marl_game_free(g);
    g = game_1state();
    check_softmax_gradient(g, 3.0);
    marl_game_free(g);
}
END_TEST

/* init=normal draws theta ~ N(0,1) from the sampler RNG seeded with the
 * solver seed, in (agent, state, action) order. */
START_TEST(test_softmax_normal_init) {
    marl_game *g = game_3state();
    marl_solver *s = mt_solver(&marl_solver_mpg_softmax_pg, g);
    ck_assert_int_eq(marl_solver_set(s, "init", "normal"), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 1234), MARL_OK);
    const marl_policy *p = marl_solver_policy(s);
    ck_assert_ptr_nonnull(p);
    marl_sampler *smp = NULL;
    ck_assert_int_eq(marl_sampler_new(&smp, g, 1234), MARL_OK);
    marl_rng *rng = marl_sampler_rng(smp);
    double th[8];
    for (size_t i = 0; i < 2; ++i)
        for (size_t st = 0; st < 3; ++st) {
            ck_assert_int_eq(marl_policy_get_logits(p, i, 0, st, th), MARL_OK);
            for (size_t a = 0; a < A1[i]; ++a)
                ck_assert(th[a] == marl_rng_normal(rng));
        }
    marl_sampler_free(smp);
    /* same seed: same policy; uniform init: logits 0 */
    marl_solver *u = mt_solver(&marl_solver_mpg_softmax_pg, g);
    const marl_policy *pu = marl_solver_policy(u);
    for (size_t st = 0; st < 3; ++st) {
        ck_assert_int_eq(marl_policy_get_logits(pu, 1, 0, st, th), MARL_OK);
        ck_assert(th[0] == 0.0 && th[1] == 0.0 && th[2] == 0.0);
    }
    marl_solver_free(u);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

START_TEST(test_npg_multiplicative_weights) {
    marl_game *g = game_3state();
    const double eta = 0.3;
    marl_policy *init = mt_random_policy(g, 5);
    /* an exact zero must stay zero */
    double z[3] = {0.0, 0.4, 0.6};
    ck_assert_int_eq(marl_policy_set_row(init, 1, 0, 2, z), MARL_OK);
    size_t total = 3 * (2 + 3);
    double Abar[15], x0[15], x1[15];
    ck_assert_int_eq(marl_markov_averaged_q(g, init, NULL, Abar, NULL),
                     MARL_OK);
    mt_flat(g, init, x0);
    marl_solver *s = mt_solver(&marl_solver_mpg_npg, g);
    ck_assert_int_eq(marl_solver_set_real(s, "eta", eta), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, init), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    mt_flat(g, marl_solver_policy(s), x1);
    size_t off = 0;
    for (size_t i = 0; i < 2; ++i)
        for (size_t st = 0; st < 3; ++st) {
            double w[3], Z = 0.0;
            for (size_t a = 0; a < A1[i]; ++a)
                Z += (w[a] = x0[off + a] * exp(eta * Abar[off + a]));
            for (size_t a = 0; a < A1[i]; ++a)
                ck_assert_msg(fabs(x1[off + a] - w[a] / Z) <= 1e-14,
                              "agent %zu state %zu action %zu: %.17g vs "
                              "%.17g",
                              i, st, a, x1[off + a], w[a] / Z);
            off += A1[i];
        }
    ck_assert_uint_eq(off, total);
    ck_assert(x1[3 * 2 + 2 * 3 + 0] == 0.0);
    /* advantages of this policy are not all tiny: the step moved */
    double moved = 0.0;
    for (size_t k = 0; k < total; ++k)
        moved = fmax(moved, fabs(x1[k] - x0[k]));
    ck_assert_double_gt(moved, 1e-3);
    marl_policy_free(init);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

static void check_projected(const marl_solver_type *t, const char *opt,
                            double step, int weighted) {
    marl_game *g = game_3state();
    marl_policy *init = mt_random_policy(g, 8);
    double Q[15], x0[15], x1[15], d[3];
    ck_assert_int_eq(marl_markov_averaged_q(g, init, Q, NULL, NULL), MARL_OK);
    ck_assert_int_eq(marl_markov_visitation(g, init, d), MARL_OK);
    mt_flat(g, init, x0);
    marl_solver *s = mt_solver(t, g);
    ck_assert_int_eq(marl_solver_set_real(s, opt, step), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, init), MARL_OK);
    ck_assert_int_eq(marl_solver_step(s), MARL_OK);
    mt_flat(g, marl_solver_policy(s), x1);
    size_t off = 0;
    int interior = 0, boundary = 0;
    for (size_t i = 0; i < 2; ++i)
        for (size_t st = 0; st < 3; ++st) {
            double v[3] = {0}, e[3], w = weighted ? step * d[st] : step;
            for (size_t a = 0; a < A1[i]; ++a)
                v[a] = x0[off + a] + w * Q[off + a];
            mt_project(v, A1[i], e);
            for (size_t a = 0; a < A1[i]; ++a) {
                ck_assert_msg(fabs(x1[off + a] - e[a]) <= 1e-12,
                              "%s agent %zu state %zu action %zu: %.17g vs "
                              "%.17g",
                              t->name, i, st, a, x1[off + a], e[a]);
                if (e[a] == 0.0) boundary = 1;
                else if (e[a] < 1.0) interior = 1;
            }
            off += A1[i];
        }
    ck_assert(interior); /* the step sizes exercise both cases */
    ck_assert(boundary);
    marl_policy_free(init);
    marl_solver_free(s);
    marl_game_free(g);
}

START_TEST(test_projected_pg_formula) {
    check_projected(&marl_solver_mpg_projected_pg, "eta", 3.0, 1);
}
END_TEST

START_TEST(test_q_ascent_formula) {
    check_projected(&marl_solver_mpg_q_ascent, "alpha", 3.0, 0);
}
END_TEST

/* Two iterations of the optimistic method against the formulas. */
START_TEST(test_optimistic_two_steps) {
    marl_game *g = game_3state();
    const double alpha = 0.2, gamma = 0.8;
    const size_t S = 3, N = 2;
    double H = ceil(2.0 / (1.0 - gamma));
    marl_policy *init = mt_random_policy(g, 21), *cur = NULL;
    ck_assert_int_eq(marl_policy_copy(&cur, init), MARL_OK);
    double Vb[6] = {0}, Q[15], xb[15], x[15], got[15];
    mt_flat(g, init, xb);
    marl_solver *s = mt_solver(&marl_solver_mpg_optimistic_q_ascent, g);
    ck_assert_int_eq(marl_solver_set_real(s, "alpha", alpha), MARL_OK);
    ck_assert_int_eq(marl_solver_set_initial_policy(s, init), MARL_OK);
    for (int t = 1; t <= 3; ++t) {
        double beta = (H + 1.0) / (H + t);
        mt_qbar_from(g, cur, Vb, Q);
        size_t off = 0;
        for (size_t i = 0; i < N; ++i)
            for (size_t st = 0; st < S; ++st) {
                double v[3] = {0}, ev = 0.0;
                for (size_t a = 0; a < A1[i]; ++a)
                    v[a] = xb[off + a] + alpha * Q[off + a];
                mt_project(v, A1[i], xb + off);
                for (size_t a = 0; a < A1[i]; ++a)
                    v[a] = xb[off + a] + alpha * Q[off + a];
                mt_project(v, A1[i], x + off);
                for (size_t a = 0; a < A1[i]; ++a)
                    ev += x[off + a] * Q[off + a];
                Vb[i * S + st] = (1.0 - beta) * Vb[i * S + st] + beta * ev;
                ck_assert_int_eq(marl_policy_set_row(cur, i, 0, st, x + off),
                                 MARL_OK);
                off += A1[i];
            }
        ck_assert_int_eq(marl_solver_step(s), MARL_OK);
        mt_flat(g, marl_solver_policy(s), got);
        for (size_t k = 0; k < 15; ++k)
            ck_assert_msg(fabs(got[k] - x[k]) <= 1e-12,
                          "iteration %d entry %zu: %.17g vs %.17g", t, k,
                          got[k], x[k]);
    }
    marl_policy_free(init);
    marl_policy_free(cur);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

/* Common metrics agree with metrics.h; eval_every spaces them out. */
START_TEST(test_metrics_columns) {
    const marl_solver_type *types[] = {
        &marl_solver_mpg_softmax_pg, &marl_solver_mpg_npg,
        &marl_solver_mpg_npg_br, &marl_solver_mpg_projected_pg,
        &marl_solver_mpg_q_ascent, &marl_solver_mpg_optimistic_q_ascent};
    const size_t A[3] = {2, 2, 2};
    marl_game *mpg = mt_random_mpg(31, 3, 3, A, 0.9);
    marl_game *plain = game_3state();
    marl_game *games[2] = {mpg, plain};
    for (size_t gi = 0; gi < 2; ++gi)
        for (size_t k = 0; k < sizeof types / sizeof types[0]; ++k) {
            marl_game *g = games[gi];
            marl_solver *s = mt_solver(types[k], g);
            ck_assert_int_eq(marl_solver_set_int(s, "eval_every", 3), MARL_OK);
            if (types[k] == &marl_solver_mpg_npg_br)
                ck_assert_int_eq(marl_solver_set_real(s, "epsilon", 0.0),
                                 MARL_OK);
            for (int it = 1; it <= 3; ++it) {
                int rc = marl_solver_step(s);
                ck_assert_msg(rc == MARL_OK, "%s: %s", types[k]->name,
                              marl_last_error());
                double gap = mt_last(s, "nash_gap");
                if (it < 3) {
                    ck_assert(isnan(gap) && isnan(mt_last(s, "welfare")) &&
                              isnan(mt_last(s, "poa")) &&
                              isnan(mt_last(s, "potential")));
                    continue;
                }
                const marl_policy *p = marl_solver_policy(s);
                double eg, ew, ep = NAN, poa, vs;
                ck_assert_int_eq(marl_markov_nash_gap(g, p, &eg, NULL),
                                 MARL_OK);
                ck_assert_int_eq(marl_markov_welfare(g, p, &ew), MARL_OK);
                ck_assert_int_eq(
                    marl_markov_price_of_anarchy(g, p, &poa, NULL, &vs),
                    MARL_OK);
                if (gi == 0)
                    ck_assert_int_eq(
                        marl_markov_potential_value(g, p, &ep, NULL),
                        MARL_OK);
                ck_assert(gap == eg);
                ck_assert(mt_last(s, "welfare") == ew);
                if (vs > 0.0)
                    ck_assert(fabs(mt_last(s, "poa") - ew / vs) <= 1e-15);
                else
                    ck_assert(isnan(mt_last(s, "poa")));
                if (gi == 0) ck_assert(mt_last(s, "potential") == ep);
                else ck_assert(isnan(mt_last(s, "potential")));
            }
            marl_solver_free(s);
        }
    /* eval_every = 0: never */
    marl_solver *s = mt_solver(&marl_solver_mpg_npg, mpg);
    ck_assert_int_eq(marl_solver_set_int(s, "eval_every", 0), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 5, 0.0, 0.0, NULL), MARL_OK);
    ck_assert(isnan(mt_last(s, "nash_gap")));
    marl_solver_free(s);
    marl_game_free(mpg);
    marl_game_free(plain);
}
END_TEST

/* Every exact mpg type is registered, found by name, takes eval_every and
 * starts from the uniform policy (softmax: theta = 0). */
START_TEST(test_registry) {
    const char *names[] = {"mpg-softmax-pg", "mpg-npg", "mpg-npg-br",
                           "mpg-projected-pg", "mpg-q-ascent",
                           "mpg-optimistic-q-ascent"};
    const marl_solver_type *types[] = {
        &marl_solver_mpg_softmax_pg, &marl_solver_mpg_npg,
        &marl_solver_mpg_npg_br, &marl_solver_mpg_projected_pg,
        &marl_solver_mpg_q_ascent, &marl_solver_mpg_optimistic_q_ascent};
    marl_game *g = game_3state();
    for (size_t k = 0; k < 6; ++k) {
        ck_assert_ptr_eq(marl_solver_type_find(names[k]), types[k]);
        ck_assert_uint_eq(types[k]->game_kinds,
                          MARL_KIND_BIT(MARL_GAME_MARKOV));
        ck_assert_int_eq(types[k]->primary_metric, 0);
        ck_assert_str_eq(types[k]->metric_names[0], "nash_gap");
        marl_solver *s = mt_solver(types[k], g);
        long long ev = -1;
        ck_assert_int_eq(marl_solver_get_int(s, "eval_every", &ev), MARL_OK);
        ck_assert_int_eq(ev, 1);
        const marl_policy *p = marl_solver_policy(s);
        ck_assert_ptr_nonnull(p);
        double row[3];
        ck_assert_int_eq(marl_policy_get_row(p, 1, 0, 2, row), MARL_OK);
        for (size_t a = 0; a < 3; ++a)
            ck_assert(fabs(row[a] - 1.0 / 3.0) <= 1e-15);
        marl_solver_free(s);
    }
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("mpg-updates");
    TCase *tc = tcase_create("closed-forms");
    tcase_add_test(tc, test_softmax_gradient_1state);
    tcase_add_test(tc, test_softmax_gradient_3states);
    tcase_add_test(tc, test_log_barrier_gradient);
    tcase_add_test(tc, test_softmax_normal_init);
    tcase_add_test(tc, test_npg_multiplicative_weights);
    tcase_add_test(tc, test_projected_pg_formula);
    tcase_add_test(tc, test_q_ascent_formula);
    tcase_add_test(tc, test_optimistic_two_steps);
    tcase_add_test(tc, test_metrics_columns);
    tcase_add_test(tc, test_registry);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
