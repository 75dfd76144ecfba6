/* Exact metrics on count-based Markov games: every metric of metrics.h and
 * the solvers' evaluation context on a count-based game agree with the same
 * game built through the joint-action callbacks only (the general path) to
 * 1e-12, on seeded random count-based games (N = 1..5, A = 1..4, S = 1..4,
 * with and without potential, direct policies with exact zeros, LOGITS and
 * SHARED policies) and on `distancing` (N = 2..5 and 8, both catalogue
 * structures); the dense tables of both constructions are identical;
 * averaged_q_from against a brute-force loop over joint actions; the team
 * optimum's policy attains V*; allocation failures.
 * SPDX-License-Identifier: MIT */
#include "metrics/markov_metrics.h"
#include "marlgame/marlgame.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include "testgames.h"

#include <stdio.h>

#define TOL 1e-12

static void assert_close_vec(const double *x, const double *y, size_t n,
                             const char *what) {
    for (size_t k = 0; k < n; ++k)
        ck_assert_msg(tg_close(x[k], y[k], TOL), "%s[%zu]: %.17g vs %.17g",
                      what, k, x[k], y[k]);
}

/* Differences of values (advantages, gains, Nash-gaps) are compared
 * relative to the values they come from: |x - y| <= TOL (1 + scale), scale
 * = max |V|; the subtraction cancels leading digits, not accuracy. */
static void assert_close_scaled(const double *x, const double *y, size_t n,
                                double scale, const char *what) {
    for (size_t k = 0; k < n; ++k)
        ck_assert_msg(fabs(x[k] - y[k]) <= TOL * (1.0 + scale + fabs(x[k])),
                      "%s[%zu]: %.17g vs %.17g (scale %g)", what, k, x[k],
                      y[k], scale);
}

static double max_abs(const double *x, size_t n) {
    double m = 0.0;
    for (size_t k = 0; k < n; ++k)
        if (fabs(x[k]) > m) m = fabs(x[k]);
    return m;
}

/* ---- random count-based games -------------------------------------------- */

typedef struct {
    size_t N, S, A, C;
    double *Pc, *Rc, *phic; /* [S][C][S], [S][A][C], [S][C] */
} cg_tables;

static size_t rank_of(const cg_tables *t, const size_t *n) {
    size_t r = 0;
    ck_assert_int_eq(marl_counts_rank(n, t->A, t->N, &r), MARL_OK);
    return r;
}
static void counts_of(const cg_tables *t, const size_t *actions, size_t *n) {
    memset(n, 0, t->A * sizeof *n);
    for (size_t i = 0; i < t->N; ++i) n[actions[i]]++;
}

static int ct_fn(size_t s, const size_t *n, double *row, void *u) {
    const cg_tables *t = u;
    memcpy(row, t->Pc + (s * t->C + rank_of(t, n)) * t->S,
           t->S * sizeof *row);
    return 0;
}
static int cr_fn(size_t s, size_t a, const size_t *n, double *r, void *u) {
    const cg_tables *t = u;
    *r = t->Rc[(s * t->A + a) * t->C + rank_of(t, n)];
    return 0;
}
static int cp_fn(size_t s, const size_t *n, double *phi, void *u) {
    const cg_tables *t = u;
    *phi = t->phic[s * t->C + rank_of(t, n)];
    return 0;
}
/* the same functions on joint actions (the general path) */
static int jt_fn(size_t s, size_t j, const size_t *a, double *row, void *u) {
    size_t n[8];
    (void)j;
    counts_of(u, a, n);
    return ct_fn(s, n, row, u);
}
static int jr_fn(size_t s, size_t j, const size_t *a, double *r, void *u) {
    const cg_tables *t = u;
    size_t n[8];
    (void)j;
    counts_of(t, a, n);
    for (size_t i = 0; i < t->N; ++i) cr_fn(s, a[i], n, r + i, u);
    return 0;
}
static int jp_fn(size_t s, size_t j, const size_t *a, double *phi, void *u) {
    size_t n[8];
    (void)j;
    counts_of(u, a, n);
    return cp_fn(s, n, phi, u);
}

/* Build the random game both ways: *gc count-based, *gd general. */
static void random_pair(uint64_t seed, size_t N, size_t S, size_t A,
                        int with_phi, marl_game **gc, marl_game **gd) {
    sm_rng r = {seed};
    cg_tables t = {N, S, A, 0, NULL, NULL, NULL};
    ck_assert_int_eq(marl_counts_size(N, A, &t.C), MARL_OK);
    t.Pc = malloc(S * t.C * S * sizeof(double));
    t.Rc = malloc(S * A * t.C * sizeof(double));
    t.phic = malloc(S * t.C * sizeof(double));
    double mu[8], gamma = 0.5 + 0.45 * sm_unif(&r);
    ck_assert(t.Pc && t.Rc && t.phic && S <= 8);
    for (size_t k = 0; k < S * t.C; ++k) {
        tg_random_dist(&r, t.Pc + k * S, S, 0.3);
        t.phic[k] = sm_unif(&r);
    }
    for (size_t k = 0; k < S * A * t.C; ++k) t.Rc[k] = 2.0 * sm_unif(&r) - 1.0;
    tg_random_dist(&r, mu, S, 0.0);
    size_t acts[8];
    for (size_t i = 0; i < N; ++i) acts[i] = A;
    for (int way = 0; way < 2; ++way) {
        marl_markov_builder *b = NULL;
        ck_assert_int_eq(marl_markov_builder_new(&b, N, S, acts), MARL_OK);
        ck_assert_int_eq(marl_markov_builder_set_discount(b, gamma), MARL_OK);
        ck_assert_int_eq(marl_markov_builder_set_initial(b, mu), MARL_OK);
        if (way == 0) {
            ck_assert_int_eq(marl_markov_builder_set_counts(
                                 b, ct_fn, cr_fn, with_phi ? cp_fn : NULL, &t),
                             MARL_OK);
        } else {
            ck_assert_int_eq(marl_markov_builder_fill_transitions(b, jt_fn, &t),
                             MARL_OK);
            ck_assert_int_eq(marl_markov_builder_fill_rewards(b, jr_fn, &t),
                             MARL_OK);
            if (with_phi)
                ck_assert_int_eq(
                    marl_markov_builder_fill_potential(b, jp_fn, &t), MARL_OK);
        }
        ck_assert_int_eq(marl_markov_builder_build(b, way ? gd : gc), MARL_OK);
        marl_markov_builder_free(b);
    }
    ck_assert_int_eq(marl_markov_is_count_based(*gc), 1);
    ck_assert_int_eq(marl_markov_is_count_based(*gd), 0);
    /* the dense tables filled from the count tables are those of the
     * joint-action callbacks, bit for bit (so the sampler and every reader
     * of P/R see the same game) */
    const marl_markov_data *mc = marl_markov_of(*gc), *md = marl_markov_of(*gd);
    size_t J = mc->n_joint;
    ck_assert(memcmp(mc->P, md->P, S * J * S * sizeof(double)) == 0);
    ck_assert(memcmp(mc->R, md->R, N * S * J * sizeof(double)) == 0);
    ck_assert(!with_phi ||
              memcmp(mc->phi, md->phi, S * J * sizeof(double)) == 0);
    free(t.Pc);
    free(t.Rc);
    free(t.phic);
}

/* ---- comparisons ---------------------------------------------------------- */

#define BOTH(call_x, call_y)                                                  \
    do {                                                                      \
        ck_assert_msg((call_x) == MARL_OK, "%s", marl_last_error());          \
        ck_assert_msg((call_y) == MARL_OK, "%s", marl_last_error());          \
    } while (0)

/* The solvers' context (markov_metrics.h) on both games. */
static void compare_ctx(marl_game *gc, marl_game *gd, const marl_policy *p,
                        size_t T, size_t NS, size_t S) {
    marl_markov_ctx *cc = NULL, *cd = NULL;
    ck_assert_int_eq(marl_markov_ctx_new(&cc, gc, "test"), MARL_OK);
    ck_assert_int_eq(marl_markov_ctx_new(&cd, gd, "test"), MARL_OK);
    size_t n = 2 * T + NS + S;
    double *x = malloc(2 * n * sizeof(double)), *y = x + n;
    BOTH(marl_markov_ctx_eval(cc, p, x, x + T, x + 2 * T, x + 2 * T + NS),
         marl_markov_ctx_eval(cd, p, y, y + T, y + 2 * T, y + 2 * T + NS));
    assert_close_vec(x, y, T, "ctx Qbar");
    assert_close_scaled(x + T, y + T, T, max_abs(y + 2 * T, NS), "ctx Abar");
    assert_close_vec(x + 2 * T, y + 2 * T, NS + S, "ctx V/d");
    double *W = malloc(NS * sizeof(double));
    for (size_t k = 0; k < NS; ++k) W[k] = sin((double)k + 0.5) * 3.0;
    BOTH(marl_markov_ctx_averaged_from(cc, p, W, x),
         marl_markov_ctx_averaged_from(cd, p, W, y));
    assert_close_vec(x, y, T, "ctx Qbar_from");
    free(W);
    free(x);
    marl_markov_ctx_free(cc);
    marl_markov_ctx_free(cd);
}

/* Every metric of gc (count-based) and gd (general) under policy p.
 * full = 0 skips the joint-action tables (Q, brute force) for large J. */
static void compare_all(marl_game *gc, marl_game *gd, const marl_policy *p,
                        int full) {
    size_t N = marl_game_num_agents(gc), S = marl_game_num_states(gc);
    size_t J = marl_markov_num_joint(gc);
    size_t T = marl_markov_agent_table_size(gc);
    ck_assert_uint_eq(T, marl_markov_agent_table_size(gd));
    size_t len = (full ? N * S * J : 0) + 2 * T + N * S + S + 64;
    double *x = malloc(len * sizeof(double));
    double *y = malloc(len * sizeof(double));
    double *W = malloc(N * S * sizeof(double));
    ck_assert(x && y && W);
    BOTH(marl_markov_values(gc, p, x), marl_markov_values(gd, p, y));
    assert_close_vec(x, y, N * S, "V");
    const double vscale = max_abs(y, N * S);
    BOTH(marl_markov_values_mu(gc, p, x), marl_markov_values_mu(gd, p, y));
    assert_close_vec(x, y, N, "V(mu)");
    if (full) {
        BOTH(marl_markov_q(gc, p, x), marl_markov_q(gd, p, y));
        assert_close_vec(x, y, N * S * J, "Q");
    }
    BOTH(marl_markov_averaged_q(gc, p, x, x + T, x + 2 * T),
         marl_markov_averaged_q(gd, p, y, y + T, y + 2 * T));
    assert_close_vec(x, y, T, "Qbar");
    assert_close_scaled(x + T, y + T, T, vscale, "Abar");
    assert_close_vec(x + 2 * T, y + 2 * T, N * S, "V (averaged_q)");
    /* averaged_q_from: W = V gives averaged_q's Qbar; arbitrary W against
     * the brute force */
    memcpy(W, x + 2 * T, N * S * sizeof(double));
    double *z = malloc(T * sizeof(double));
    ck_assert_int_eq(marl_markov_averaged_q_from(gc, p, W, z), MARL_OK);
    assert_close_vec(z, x, T, "Qbar_from(V)");
    for (size_t k = 0; k < N * S; ++k) W[k] = cos(3.0 * (double)k) * 2.0;
    ck_assert_int_eq(marl_markov_averaged_q_from(gd, p, W, y), MARL_OK);
    ck_assert_int_eq(marl_markov_averaged_q_from(gc, p, W, z), MARL_OK);
    assert_close_vec(z, y, T, "Qbar_from(W)");
    if (full) {
        tg_brute_qbar_from(gd, p, W, y);
        assert_close_vec(z, y, T, "Qbar_from(W) brute force");
    }
    free(z);
    BOTH(marl_markov_visitation(gc, p, x), marl_markov_visitation(gd, p, y));
    assert_close_vec(x, y, S, "d_mu");
    int direct = !(marl_policy_flags(p) &
                   (MARL_POLICY_LOGITS | MARL_POLICY_SHARED));
    for (size_t i = 0; i < N; ++i) {
        marl_policy *bc = NULL, *bd = NULL;
        if (direct) {
            ck_assert_int_eq(marl_policy_copy(&bc, p), MARL_OK);
            ck_assert_int_eq(marl_policy_copy(&bd, p), MARL_OK);
        }
        BOTH(marl_markov_best_response(gc, p, i, x, bc),
             marl_markov_best_response(gd, p, i, y, bd));
        assert_close_vec(x, y, 1, "BR value");
        if (bc) { /* both best responses attain the value */
            double vc[64], vd[64];
            BOTH(marl_markov_values_mu(gd, bc, vc),
                 marl_markov_values_mu(gd, bd, vd));
            ck_assert(tg_close(vc[i], vd[i], TOL));
            ck_assert(tg_close(vc[i], x[0], 1e-10));
        }
        marl_policy_free(bc);
        marl_policy_free(bd);
    }
    BOTH(marl_markov_nash_gap(gc, p, x, x + 1),
         marl_markov_nash_gap(gd, p, y, y + 1));
    assert_close_scaled(x, y, N + 1, vscale, "Nash-gap");
    BOTH(marl_markov_welfare(gc, p, x), marl_markov_welfare(gd, p, y));
    assert_close_vec(x, y, 1, "welfare");
    marl_policy *oc = NULL, *od = NULL;
    ck_assert_int_eq(marl_policy_new(&oc, gc, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&od, gd, 0), MARL_OK);
    BOTH(marl_markov_optimal_welfare(gc, x, oc),
         marl_markov_optimal_welfare(gd, y, od));
    assert_close_vec(x, y, 1, "V*");
    BOTH(marl_markov_welfare(gd, oc, x + 1), marl_markov_welfare(gd, od, y + 1));
    ck_assert(tg_close(x[1], y[1], 1e-10));
    ck_assert(tg_close(x[1], x[0], 1e-10)); /* the policy attains V* */
    marl_policy_free(oc);
    marl_policy_free(od);
    BOTH(marl_markov_price_of_anarchy(gc, p, x, x + 1, x + 2),
         marl_markov_price_of_anarchy(gd, p, y, y + 1, y + 2));
    if (isnan(y[0])) ck_assert(isnan(x[0]));
    else assert_close_vec(x, y, 1, "POA");
    assert_close_vec(x + 1, y + 1, 2, "POA welfare, V*");
    ck_assert_int_eq(marl_markov_has_potential(gc),
                     marl_markov_has_potential(gd));
    if (marl_markov_has_potential(gc)) {
        BOTH(marl_markov_potential_value(gc, p, x, x + 1),
             marl_markov_potential_value(gd, p, y, y + 1));
        assert_close_vec(x, y, S + 1, "Phi");
    }
    compare_ctx(gc, gd, p, T, N * S, S);
    free(x);
    free(y);
    free(W);
}

/* A direct policy with exact zeros, a LOGITS policy and a SHARED one. */
static void compare_policies(marl_game *gc, marl_game *gd, uint64_t seed,
                             int full) {
    sm_rng r = {seed};
    marl_policy *p = NULL, *q = NULL, *sh = NULL;
    ck_assert_int_eq(marl_policy_new(&p, gc, 0), MARL_OK);
    tg_random_policy(p, &r, 0.3);
    compare_all(gc, gd, p, full);
    ck_assert_int_eq(marl_policy_new(&q, gd, MARL_POLICY_LOGITS), MARL_OK);
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, seed), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(q, rng), MARL_OK);
    compare_all(gc, gd, q, full);
    ck_assert_int_eq(marl_policy_new(&sh, gc, MARL_POLICY_SHARED), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(sh, rng), MARL_OK);
    compare_all(gc, gd, sh, full);
    marl_rng_free(rng);
    marl_policy_free(p);
    marl_policy_free(q);
    marl_policy_free(sh);
}

START_TEST(test_random_count_games) {
    sm_rng r = {4242};
    for (int k = 0; k < 16; ++k) {
        size_t N = 1 + (size_t)(sm_next(&r) % 5);
        size_t A = 1 + (size_t)(sm_next(&r) % 4);
        size_t S = 1 + (size_t)(sm_next(&r) % 4);
        if (N >= 4 && A == 4) A = 3; /* keep the brute force small */
        marl_game *gc = NULL, *gd = NULL;
        random_pair(100 + (uint64_t)k, N, S, A, k % 2, &gc, &gd);
        compare_policies(gc, gd, 500 + (uint64_t)k, 1);
        marl_game_free(gc);
        marl_game_free(gd);
    }
}
END_TEST

static marl_game *distancing(size_t N, const char *structure) {
    char params[64];
    snprintf(params, sizeof params, "n=%zu,gamma=0.9,structure=%s", N,
             structure);
    marl_game *g = NULL;
    ck_assert_msg(marl_games_new(&g, "distancing", params) == MARL_OK, "%s",
                  marl_last_error());
    return g;
}

START_TEST(test_distancing_both_ways) {
    for (size_t N = 2; N <= 5; ++N) {
        marl_game *gc = distancing(N, "counts"), *gd = distancing(N, "dense");
        ck_assert_int_eq(marl_markov_is_count_based(gc), 1);
        ck_assert_int_eq(marl_markov_is_count_based(gd), 0);
        /* identical dense tables */
        const marl_markov_data *mc = marl_markov_of(gc), *md = marl_markov_of(gd);
        size_t S = 2, J = mc->n_joint;
        ck_assert(memcmp(mc->P, md->P, S * J * S * sizeof(double)) == 0);
        ck_assert(memcmp(mc->R, md->R, N * S * J * sizeof(double)) == 0);
        compare_policies(gc, gd, 70 + N, N <= 4);
        marl_game_free(gc);
        marl_game_free(gd);
    }
}
END_TEST

/* N = 8 (4^8 joint actions): one random direct policy, every metric but
 * the joint-action Q table. */
START_TEST(test_distancing_8) {
    marl_game *gc = distancing(8, "counts"), *gd = distancing(8, "dense");
    ck_assert_uint_eq(marl_markov_num_count_vectors(gc), 165);
    sm_rng r = {88};
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, gc, 0), MARL_OK);
    tg_random_policy(p, &r, 0.2);
    compare_all(gc, gd, p, 0);
    marl_policy_free(p);
    marl_game_free(gc);
    marl_game_free(gd);
}
END_TEST

/* Every metric on a count-based game under allocation failure. */
START_TEST(test_failalloc_metrics) {
    failalloc_install(-1);
    marl_game *g = distancing(3, "counts");
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double buf[3 * 2 * 64 + 64] = {0}, v;
    FAILALLOC_SWEEP(marl_markov_values(g, p, buf), (void)0);
    FAILALLOC_SWEEP(marl_markov_q(g, p, buf), (void)0);
    FAILALLOC_SWEEP(marl_markov_averaged_q(g, p, buf, NULL, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_averaged_q_from(g, p, buf, buf + 6), (void)0);
    FAILALLOC_SWEEP(marl_markov_visitation(g, p, buf), (void)0);
    FAILALLOC_SWEEP(marl_markov_nash_gap(g, p, &v, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_best_response(g, p, 1, &v, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_optimal_welfare(g, &v, NULL), (void)0);
    FAILALLOC_SWEEP(marl_markov_price_of_anarchy(g, p, &v, NULL, NULL),
                    (void)0);
    marl_markov_ctx *ctx = NULL;
    FAILALLOC_SWEEP(marl_markov_ctx_new(&ctx, g, "test"),
                    marl_markov_ctx_free(ctx));
    failalloc_uninstall();
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

int main(void) {
    Suite *s = suite_create("metrics-counts");
    TCase *tc = tcase_create("counts");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_random_count_games);
    tcase_add_test(tc, test_distancing_both_ways);
    tcase_add_test(tc, test_distancing_8);
    tcase_add_test(tc, test_failalloc_metrics);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
