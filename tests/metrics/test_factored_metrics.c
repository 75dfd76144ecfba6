/* Exact metrics and the sampler on factored Markov games: every metric of
 * metrics.h on a factored game agrees with the same game built densely (to
 * 1e-12), on `coordination` N = 2..5 and on seeded random factored games
 * whose local factors depend on the global state; the sampler's
 * trajectories are identical under the same seed; and
 * marl_markov_averaged_q_from against marl_markov_averaged_q (W = V^pi)
 * and a brute-force loop (any W), on both paths, with its error paths.
 * SPDX-License-Identifier: MIT */
#include "marlgame/marlgame.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include "factgames.h"

#include <stdio.h>

#define TOL 1e-12

static void assert_close_vec(const double *x, const double *y, size_t n,
                             const char *what) {
    for (size_t k = 0; k < n; ++k)
        ck_assert_msg(tg_close(x[k], y[k], TOL), "%s[%zu]: %.17g vs %.17g",
                      what, k, x[k], y[k]);
}

/* Compare every metric of gf (factored) and gd (dense) under policy p. */
static void compare_all(marl_game *gf, marl_game *gd, const marl_policy *p,
                        sm_rng *r) {
    size_t N = marl_game_num_agents(gf), S = marl_game_num_states(gf);
    size_t J = marl_markov_num_joint(gf);
    size_t T = marl_markov_agent_table_size(gf);
    ck_assert_uint_eq(T, marl_markov_agent_table_size(gd));
    double *x = malloc((N * S * J + T + N * S + S) * sizeof(double));
    double *y = malloc((N * S * J + T + N * S + S) * sizeof(double));
    double *W = malloc(N * S * sizeof(double));
    ck_assert(x && y && W);
#define BOTH(call_x, call_y)                                                  \
    do {                                                                      \
        ck_assert_msg((call_x) == MARL_OK, "%s", marl_last_error());          \
        ck_assert_msg((call_y) == MARL_OK, "%s", marl_last_error());          \
    } while (0)
    BOTH(marl_markov_values(gf, p, x), marl_markov_values(gd, p, y));
    assert_close_vec(x, y, N * S, "V");
    BOTH(marl_markov_values_mu(gf, p, x), marl_markov_values_mu(gd, p, y));
    assert_close_vec(x, y, N, "V(mu)");
    BOTH(marl_markov_q(gf, p, x), marl_markov_q(gd, p, y));
    assert_close_vec(x, y, N * S * J, "Q");
    BOTH(marl_markov_averaged_q(gf, p, x, x + T, x + 2 * T),
         marl_markov_averaged_q(gd, p, y, y + T, y + 2 * T));
    assert_close_vec(x, y, 2 * T + N * S, "Qbar/Abar/V");
    /* averaged_q_from with W = V equals averaged_q's Qbar (both paths) */
    memcpy(W, x + 2 * T, N * S * sizeof(double));
    double *z = malloc(T * sizeof(double));
    ck_assert_int_eq(marl_markov_averaged_q_from(gf, p, W, z), MARL_OK);
    assert_close_vec(z, x, T, "Qbar_from(V) factored");
    ck_assert_int_eq(marl_markov_averaged_q_from(gd, p, W, z), MARL_OK);
    assert_close_vec(z, y, T, "Qbar_from(V) dense");
    /* arbitrary W against brute force, both paths */
    for (size_t k = 0; k < N * S; ++k) W[k] = 4.0 * sm_unif(r) - 2.0;
    tg_brute_qbar_from(gf, p, W, y);
    ck_assert_int_eq(marl_markov_averaged_q_from(gf, p, W, z), MARL_OK);
    assert_close_vec(z, y, T, "Qbar_from(W) factored");
    ck_assert_int_eq(marl_markov_averaged_q_from(gd, p, W, z), MARL_OK);
    assert_close_vec(z, y, T, "Qbar_from(W) dense");
    free(z);
    BOTH(marl_markov_visitation(gf, p, x), marl_markov_visitation(gd, p, y));
    assert_close_vec(x, y, S, "d_mu");
    /* best responses: values, and the two BR policies have equal values */
    for (size_t i = 0; i < N; ++i) {
        marl_policy *bf = NULL, *bd = NULL;
        ck_assert_int_eq(marl_policy_copy(&bf, p), MARL_OK);
        ck_assert_int_eq(marl_policy_copy(&bd, p), MARL_OK);
        if (marl_policy_flags(p) & MARL_POLICY_LOGITS) {
            marl_policy_free(bf);
            marl_policy_free(bd);
            bf = bd = NULL;
        }
        BOTH(marl_markov_best_response(gf, p, i, x, bf),
             marl_markov_best_response(gd, p, i, y, bd));
        assert_close_vec(x, y, 1, "BR value");
        if (bf) {
            double vf[64], vd[64];
            BOTH(marl_markov_values_mu(gd, bf, vf),
                 marl_markov_values_mu(gd, bd, vd));
            ck_assert(tg_close(vf[i], vd[i], TOL));
            ck_assert(tg_close(vf[i], x[0], 1e-10));
        }
        marl_policy_free(bf);
        marl_policy_free(bd);
    }
    BOTH(marl_markov_nash_gap(gf, p, x, x + 1), marl_markov_nash_gap(gd, p, y, y + 1));
    assert_close_vec(x, y, N + 1, "Nash-gap");
    BOTH(marl_markov_welfare(gf, p, x), marl_markov_welfare(gd, p, y));
    assert_close_vec(x, y, 1, "welfare");
    marl_policy *of = NULL, *od = NULL;
    ck_assert_int_eq(marl_policy_new(&of, gf, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&od, gd, 0), MARL_OK);
    BOTH(marl_markov_optimal_welfare(gf, x, of),
         marl_markov_optimal_welfare(gd, y, od));
    assert_close_vec(x, y, 1, "V*");
    BOTH(marl_markov_welfare(gd, of, x + 1), marl_markov_welfare(gd, od, y + 1));
    ck_assert(tg_close(x[1], y[1], TOL));
    ck_assert(tg_close(x[1], x[0], 1e-10)); /* the policy attains V* */
    marl_policy_free(of);
    marl_policy_free(od);
    BOTH(marl_markov_price_of_anarchy(gf, p, x, x + 1, x + 2),
         marl_markov_price_of_anarchy(gd, p, y, y + 1, y + 2));
    if (isnan(y[0])) ck_assert(isnan(x[0]));
    else assert_close_vec(x, y, 1, "POA");
    assert_close_vec(x + 1, y + 1, 2, "POA welfare, V*");
    if (marl_markov_has_potential(gf)) {
        BOTH(marl_markov_potential_value(gf, p, x, x + 1),
             marl_markov_potential_value(gd, p, y, y + 1));
        assert_close_vec(x, y, S + 1, "Phi");
    }
#undef BOTH
    free(x);
    free(y);
    free(W);
}

/* Identical trajectories on gf and gd under the same seed. */
static void compare_sampler(marl_game *gf, marl_game *gd, const marl_policy *p,
                            uint64_t seed) {
    size_t N = marl_game_num_agents(gf), T = 40, R = 5;
    marl_sampler *sf = NULL, *sd = NULL;
    ck_assert_int_eq(marl_sampler_new(&sf, gf, seed), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&sd, gd, seed), MARL_OK);
    size_t *st[2], *ac[2], len[2][5];
    double *rw[2];
    for (int k = 0; k < 2; ++k) {
        st[k] = calloc(R * (T + 1), sizeof(size_t));
        ac[k] = calloc(R * T * N, sizeof(size_t));
        rw[k] = calloc(R * T * N, sizeof(double));
    }
    for (int mode = 0; mode < 2; ++mode) {
        ck_assert_int_eq(marl_sampler_rollouts(sf, p, R, (size_t)-1, T, mode,
                                               st[0], ac[0], rw[0], len[0]),
                         MARL_OK);
        ck_assert_int_eq(marl_sampler_rollouts(sd, p, R, (size_t)-1, T, mode,
                                               st[1], ac[1], rw[1], len[1]),
                         MARL_OK);
        ck_assert(memcmp(len[0], len[1], sizeof len[0]) == 0);
        ck_assert(memcmp(st[0], st[1], R * (T + 1) * sizeof(size_t)) == 0);
        ck_assert(memcmp(ac[0], ac[1], R * T * N * sizeof(size_t)) == 0);
        ck_assert(memcmp(rw[0], rw[1], R * T * N * sizeof(double)) == 0);
    }
    ck_assert_uint_eq(marl_sampler_steps(sf), marl_sampler_steps(sd));
    for (int k = 0; k < 2; ++k) {
        free(st[k]);
        free(ac[k]);
        free(rw[k]);
    }
    marl_sampler_free(sf);
    marl_sampler_free(sd);
}

static void check_pair(marl_game *gf, uint64_t seed) {
    ck_assert_int_eq(marl_markov_is_factored(gf), 1);
    marl_game *gd = fg_densify(gf);
    ck_assert_int_eq(marl_markov_is_factored(gd), 0);
    sm_rng r = {seed};
    /* a direct policy with exact zeros, and a logits policy */
    marl_policy *p = NULL, *q = NULL;
    ck_assert_int_eq(marl_policy_new(&p, gf, 0), MARL_OK);
    tg_random_policy(p, &r, 0.3);
    compare_all(gf, gd, p, &r);
    compare_sampler(gf, gd, p, seed);
    ck_assert_int_eq(marl_policy_new(&q, gd, MARL_POLICY_LOGITS), MARL_OK);
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, seed), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(q, rng), MARL_OK);
    compare_all(gf, gd, q, &r);
    compare_sampler(gf, gd, q, seed + 1);
    marl_rng_free(rng);
    marl_policy_free(p);
    marl_policy_free(q);
    marl_game_free(gd);
}

START_TEST(test_coordination_both_ways) {
    for (size_t N = 2; N <= 5; ++N) {
        marl_game *g = NULL;
        ck_assert_int_eq(marl_game_coordination_new(&g, N, 0.1, 0.95), MARL_OK);
        check_pair(g, 100 + N);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_random_factored) {
    sm_rng r = {2026};
    for (int k = 0; k < 12; ++k) {
        size_t N = 1 + (size_t)(sm_next(&r) % 3), L[3], A[3];
        for (size_t i = 0; i < N; ++i) {
            L[i] = 1 + (size_t)(sm_next(&r) % 3);
            A[i] = 1 + (size_t)(sm_next(&r) % 3);
        }
        double gamma = 0.5 + 0.45 * sm_unif(&r);
        marl_game *g = fg_random_game(7000 + (uint64_t)k, N, L, A, gamma, k % 2);
        check_pair(g, 9000 + (uint64_t)k);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_q_from_errors) {
    size_t L[2] = {2, 3}, A[2] = {2, 2};
    marl_game *g = fg_random_game(5, 2, L, A, 0.9, 0);
    marl_policy *p = NULL, *ps = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new_steps(&ps, g, MARL_POLICY_PER_STEP, 3), MARL_OK);
    size_t S = 6, T = marl_markov_agent_table_size(g);
    ck_assert_uint_eq(T, S * 4);
    double W[12] = {0}, Q[24], keep[24];
    for (int k = 0; k < 24; ++k) Q[k] = keep[k] = -7.0;
    ck_assert_int_eq(marl_markov_averaged_q_from(NULL, p, W, Q), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_averaged_q_from(g, NULL, W, Q), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "policy"));
    ck_assert_int_eq(marl_markov_averaged_q_from(g, p, NULL, Q), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "W"));
    ck_assert_int_eq(marl_markov_averaged_q_from(g, p, W, NULL), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "Qbar"));
    W[7] = NAN;
    ck_assert_int_eq(marl_markov_averaged_q_from(g, p, W, Q), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "agent 1 at state 1"));
    W[7] = INFINITY;
    ck_assert_int_eq(marl_markov_averaged_q_from(g, p, W, Q), MARL_EINVAL);
    W[7] = 0.0;
    ck_assert_int_eq(marl_markov_averaged_q_from(g, ps, W, Q), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "stationary"));
    /* a policy of another game (different sizes) */
    marl_game *h = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&h, 2, 0.1, 0.9), MARL_OK);
    marl_policy *ph = NULL;
    ck_assert_int_eq(marl_policy_new(&ph, h, 0), MARL_OK);
    ck_assert_int_eq(marl_markov_averaged_q_from(g, ph, W, Q), MARL_EINVAL);
    ck_assert(memcmp(Q, keep, sizeof Q) == 0); /* untouched on failure */
    /* allocation failures */
    failalloc_install(-1);
    FAILALLOC_SWEEP(marl_markov_averaged_q_from(g, p, W, Q), (void)0);
    FAILALLOC_SWEEP(marl_markov_averaged_q_from(h, ph, W, Q), (void)0);
    failalloc_uninstall();
    marl_policy_free(ph);
    marl_game_free(h);
    marl_policy_free(p);
    marl_policy_free(ps);
    marl_game_free(g);
}
END_TEST

/* Every metric on a factored game under allocation failure: ENOMEM, no
 * leak. */
START_TEST(test_failalloc_metrics) {
    failalloc_install(-1);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 3, 0.1, 0.95), MARL_OK);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double buf[3 * 8 * 8 + 64], v;
    FAILALLOC_SWEEP(marl_markov_values(g, p, buf), (void)0);
    FAILALLOC_SWEEP(marl_markov_q(g, p, buf), (void)0);
    FAILALLOC_SWEEP(marl_markov_averaged_q(g, p, buf, NULL, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_nash_gap(g, p, &v, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_best_response(g, p, 1, &v, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_optimal_welfare(g, &v, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_price_of_anarchy(g, p, &v, NULL, NULL), (void)0);
    marl_sampler *sm = NULL;
    FAILALLOC_SWEEP(marl_sampler_new(&sm, g, 3), marl_sampler_free(sm));
    failalloc_uninstall();
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* Coordination N = 8: exact metrics run on the factored game (no dense
 * reference); checks identities that only a correct evaluation meets. */
START_TEST(test_coordination_large) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_coordination_new(&g, 8, 0.1, 0.95), MARL_OK);
    size_t S = 256, N = 8;
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    sm_rng r = {77};
    tg_random_policy(p, &r, 0.0);
    double *V = malloc(N * S * sizeof *V), *d = malloc(S * sizeof *d);
    double *Qb = malloc(N * S * 2 * sizeof *Qb), *Ab = malloc(N * S * 2 * sizeof *Ab);
    ck_assert_int_eq(marl_markov_averaged_q(g, p, Qb, Ab, V), MARL_OK);
    /* team game: every agent has the same V; sum_a pi_i Abar_i = 0 */
    double row[2];
    for (size_t i = 0; i < N; ++i)
        for (size_t s = 0; s < S; ++s) {
            ck_assert(tg_close(V[i * S + s], V[s], TOL));
            ck_assert_int_eq(marl_policy_get_row(p, i, 0, s, row), MARL_OK);
            double e = row[0] * Ab[i * S * 2 + s * 2] +
                       row[1] * Ab[i * S * 2 + s * 2 + 1];
            ck_assert_msg(fabs(e) <= 1e-11, "agent %zu state %zu: %g", i, s, e);
        }
    /* visitation sums to 1/(1-gamma); potential = team value */
    ck_assert_int_eq(marl_markov_visitation(g, p, d), MARL_OK);
    double sum = 0.0;
    for (size_t s = 0; s < S; ++s) sum += d[s];
    ck_assert(tg_close(sum, 20.0, TOL));
    double phi, v[8], gap, per[8];
    ck_assert_int_eq(marl_markov_potential_value(g, p, &phi, NULL), MARL_OK);
    ck_assert_int_eq(marl_markov_values_mu(g, p, v), MARL_OK);
    ck_assert(tg_close(phi, v[0], TOL));
    ck_assert_int_eq(marl_markov_nash_gap(g, p, &gap, per), MARL_OK);
    ck_assert(gap > 0.0);
    /* an agent's gain equals its best response minus V(mu) */
    double br;
    ck_assert_int_eq(marl_markov_best_response(g, p, 3, &br, NULL), MARL_OK);
    ck_assert(tg_close(per[3], br - v[3], TOL));
    free(V);
    free(d);
    free(Qb);
    free(Ab);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

int main(void) {
    Suite *s = suite_create("metrics-factored");
    TCase *tc = tcase_create("factored");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_coordination_both_ways);
    tcase_add_test(tc, test_random_factored);
    tcase_add_test(tc, test_q_from_errors);
    tcase_add_test(tc, test_failalloc_metrics);
    tcase_add_test(tc, test_coordination_large);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
