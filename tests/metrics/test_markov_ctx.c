/* The reusable evaluation context of the iterative solvers
 * (marl_markov_ctx, lib/metrics/markov_metrics.h): one LU per evaluation
 * gives Qbar, Abar, V and the visitation d bit for bit equal to the public
 * marl_markov_averaged_q / marl_markov_visitation, on dense games (few and
 * many states: the direct loop and the dgemm paths) and factored games
 * (the contraction path), also when one context evaluates several policies
 * in turn; a factored game and its dense copy agree to 1e-12; sum_s d(s) =
 * 1/(1-gamma); errors leave outputs untouched; evaluation never allocates;
 * allocation failures of the constructor.
 * SPDX-License-Identifier: MIT */
#include "game/game_impl.h"
#include "metrics/markov_metrics.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include "factgames.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

typedef struct outs {
    double *Qbar, *Abar, *V, *d;
} outs;

static outs outs_new(const marl_game *g) {
    size_t n = marl_markov_agent_table_size(g);
    size_t NS = marl_game_num_agents(g) * marl_game_num_states(g);
    outs o = {calloc(n, sizeof(double)), calloc(n, sizeof(double)),
              calloc(NS, sizeof(double)),
              calloc(marl_game_num_states(g), sizeof(double))};
    ck_assert(o.Qbar && o.Abar && o.V && o.d);
    return o;
}
static void outs_free(outs *o) {
    free(o->Qbar);
    free(o->Abar);
    free(o->V);
    free(o->d);
}

/* Context results equal the public functions' bit for bit. */
static void check_identical(marl_markov_ctx *ctx, const marl_game *g,
                            const marl_policy *p) {
    size_t n = marl_markov_agent_table_size(g);
    size_t S = marl_game_num_states(g), NS = marl_game_num_agents(g) * S;
    outs a = outs_new(g), b = outs_new(g);
    ck_assert_int_eq(marl_markov_ctx_eval(ctx, p, a.Qbar, a.Abar, a.V, a.d),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_averaged_q(g, p, b.Qbar, b.Abar, b.V),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_visitation(g, p, b.d), MARL_OK);
    for (size_t k = 0; k < n; ++k) {
        ck_assert_msg(a.Qbar[k] == b.Qbar[k], "Qbar[%zu] %.17g vs %.17g", k,
                      a.Qbar[k], b.Qbar[k]);
        ck_assert_msg(a.Abar[k] == b.Abar[k], "Abar[%zu]", k);
    }
    for (size_t k = 0; k < NS; ++k)
        ck_assert_msg(a.V[k] == b.V[k], "V[%zu]", k);
    double sum = 0.0;
    for (size_t s = 0; s < S; ++s) {
        ck_assert_msg(a.d[s] == b.d[s], "d[%zu]", s);
        ck_assert(a.d[s] >= 0.0);
        sum += a.d[s];
    }
    double gamma = marl_game_discount(g);
    ck_assert_msg(fabs(sum - 1.0 / (1.0 - gamma)) < 1e-10 / (1.0 - gamma),
                  "sum d = %.17g", sum);
    /* Outputs may be NULL: each alone gives the same numbers. */
    ck_assert_int_eq(marl_markov_ctx_eval(ctx, p, NULL, NULL, NULL, b.d),
                     MARL_OK);
    for (size_t s = 0; s < S; ++s) ck_assert(a.d[s] == b.d[s]);
    ck_assert_int_eq(marl_markov_ctx_eval(ctx, p, NULL, b.Abar, NULL, NULL),
                     MARL_OK);
    for (size_t k = 0; k < n; ++k) ck_assert(a.Abar[k] == b.Abar[k]);
    outs_free(&a);
    outs_free(&b);
}

/* Three random policies in turn through one context, then the first again. */
static void check_game(const marl_game *g, uint64_t seed) {
    marl_markov_ctx *ctx = NULL;
    ck_assert_int_eq(marl_markov_ctx_new(&ctx, g, "test"), MARL_OK);
    marl_policy *p[3];
    sm_rng r = {seed};
    for (int k = 0; k < 3; ++k) {
        ck_assert_int_eq(marl_policy_new(&p[k], (marl_game *)g,
                                         k == 2 ? MARL_POLICY_LOGITS : 0),
                         MARL_OK);
        if (k < 2) tg_random_policy(p[k], &r, k == 1 ? 0.3 : 0.0);
    }
    for (int k = 0; k < 3; ++k) check_identical(ctx, g, p[k]);
    check_identical(ctx, g, p[0]);
    for (int k = 0; k < 3; ++k) marl_policy_free(p[k]);
    marl_markov_ctx_free(ctx);
}

static const size_t dims2[] = {2, 3}, dims3[] = {2, 3, 2};

START_TEST(test_dense_identical) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        /* S <= MARL_MK_SMALL_S (direct loop) and S > it (dgemm) */
        size_t S = seed % 2 ? 3 : 2 * MARL_MK_SMALL_S + 3;
        marl_game *g = tg_random_game(seed, seed <= 2 ? 2 : 3, S,
                                      seed <= 2 ? dims2 : dims3, 0.9,
                                      0, 0);
        check_game(g, 100 + seed);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_factored_identical) {
    static const size_t L3[] = {2, 3, 2}, L2[] = {3, 2};
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        marl_game *g = seed % 2 ? fg_random_game(seed, 3, L3, dims3, 0.9, 0)
                                : fg_random_game(seed, 2, L2, dims2, 0.8, 0);
        check_game(g, 200 + seed);
        marl_game_free(g);
    }
    marl_game *c = NULL;
    ck_assert_int_eq(marl_games_new(&c, "coordination", "n=4"), MARL_OK);
    check_game(c, 300);
    marl_game_free(c);
}
END_TEST

/* The factored contraction path against the dense path of the same game. */
START_TEST(test_factored_vs_dense) {
    static const size_t L3[] = {2, 3, 2};
    for (uint64_t seed = 5; seed <= 7; ++seed) {
        marl_game *g = fg_random_game(seed, 3, L3, dims3, 0.9, 0);
        marl_game *h = fg_densify(g);
        marl_markov_ctx *cg = NULL, *ch = NULL;
        ck_assert_int_eq(marl_markov_ctx_new(&cg, g, "test"), MARL_OK);
        ck_assert_int_eq(marl_markov_ctx_new(&ch, h, "test"), MARL_OK);
        ck_assert(cg->mk.factored && !ch->mk.factored);
        marl_policy *p = NULL;
        ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
        sm_rng r = {seed};
        tg_random_policy(p, &r, 0.2);
        outs a = outs_new(g), b = outs_new(h);
        ck_assert_int_eq(marl_markov_ctx_eval(cg, p, a.Qbar, a.Abar, a.V, a.d),
                         MARL_OK);
        ck_assert_int_eq(marl_markov_ctx_eval(ch, p, b.Qbar, b.Abar, b.V, b.d),
                         MARL_OK);
        size_t n = marl_markov_agent_table_size(g), S = 12;
        for (size_t k = 0; k < n; ++k) {
            ck_assert(tg_close(a.Qbar[k], b.Qbar[k], 1e-12));
            ck_assert(tg_close(a.Abar[k], b.Abar[k], 1e-12));
        }
        for (size_t k = 0; k < 3 * S; ++k) ck_assert(tg_close(a.V[k], b.V[k], 1e-12));
        for (size_t k = 0; k < S; ++k) ck_assert(tg_close(a.d[k], b.d[k], 1e-12));
        outs_free(&a);
        outs_free(&b);
        marl_policy_free(p);
        marl_markov_ctx_free(cg);
        marl_markov_ctx_free(ch);
        marl_game_free(g);
        marl_game_free(h);
    }
}
END_TEST

START_TEST(test_errors) {
    marl_game *g = tg_random_game(9, 2, 4, dims2, 0.9, 0, 0);
    marl_game *other = tg_random_game(9, 3, 4, dims3, 0.9, 0, 0);
    marl_markov_ctx *ctx = NULL, *sentinel = (marl_markov_ctx *)&ctx;
    ck_assert_int_eq(marl_markov_ctx_new(NULL, g, "fn"), MARL_EINVAL);
    ctx = sentinel;
    ck_assert_int_eq(marl_markov_ctx_new(&ctx, NULL, "fn"), MARL_EINVAL);
    ck_assert(ctx == sentinel);
    ck_assert(strstr(marl_last_error(), "fn") != NULL);
    marl_game fake;
    memset(&fake, 0, sizeof fake);
    fake.kind = MARL_GAME_POPULATION;
    fake.n_agents = 2;
    fake.n_states = 4;
    ck_assert_int_eq(marl_markov_ctx_new(&ctx, &fake, "fn"), MARL_EKIND);
    ck_assert(ctx == sentinel);
    ctx = NULL;
    ck_assert_int_eq(marl_markov_ctx_new(&ctx, g, "fn"), MARL_OK);
    marl_policy *wrong = NULL, *pol = NULL;
    ck_assert_int_eq(marl_policy_new(&wrong, other, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&pol, g, 0), MARL_OK);
    double out[64];
    for (size_t k = 0; k < 64; ++k) out[k] = -7.0;
    ck_assert_int_eq(marl_markov_ctx_eval(NULL, pol, out, NULL, NULL, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_ctx_eval(ctx, NULL, out, out, out, out),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_ctx_eval(ctx, wrong, out, out, out, out),
                     MARL_EINVAL);
    ck_assert(strstr(marl_last_error(), "does not belong") != NULL);
    for (size_t k = 0; k < 64; ++k) ck_assert(out[k] == -7.0);
    marl_markov_ctx_free(NULL);
    marl_markov_ctx_free(ctx);
    marl_policy_free(wrong);
    marl_policy_free(pol);
    marl_game_free(g);
    marl_game_free(other);
}
END_TEST

/* The context's averaged_from equals marl_markov_averaged_q_from bit for
 * bit on a dense and a factored game, for several policies and arbitrary
 * continuations W, and rejects bad input leaving Qbar untouched. */
START_TEST(test_averaged_from) {
    static const size_t L[2] = {2, 3}, A[2] = {2, 3};
    marl_game *games[2] = {tg_random_game(21, 2, 4, dims2, 0.9, 0, 0),
                           fg_random_game(22, 2, L, A, 0.8, 0)};
    sm_rng r = {5};
    for (int k = 0; k < 2; ++k) {
        marl_game *g = games[k];
        size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
        size_t n = marl_markov_agent_table_size(g);
        marl_markov_ctx *ctx = NULL;
        marl_policy *p = NULL;
        ck_assert_int_eq(marl_markov_ctx_new(&ctx, g, "fn"), MARL_OK);
        ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
        double *W = malloc(N * S * sizeof *W), *q1 = malloc(n * sizeof *q1),
               *q2 = malloc(n * sizeof *q2);
        for (int rep = 0; rep < 4; ++rep) {
            tg_random_policy(p, &r, rep % 2 ? 0.3 : 0.0);
            for (size_t x = 0; x < N * S; ++x) W[x] = 10.0 * sm_unif(&r) - 5.0;
            ck_assert_int_eq(marl_markov_averaged_q_from(g, p, W, q1), MARL_OK);
            ck_assert_int_eq(marl_markov_ctx_averaged_from(ctx, p, W, q2),
                             MARL_OK);
            ck_assert(memcmp(q1, q2, n * sizeof *q1) == 0);
        }
        for (size_t x = 0; x < n; ++x) q2[x] = -7.0;
        ck_assert_int_eq(marl_markov_ctx_averaged_from(NULL, p, W, q2),
                         MARL_EINVAL);
        ck_assert_int_eq(marl_markov_ctx_averaged_from(ctx, p, NULL, q2),
                         MARL_EINVAL);
        W[N * S - 1] = NAN;
        ck_assert_int_eq(marl_markov_ctx_averaged_from(ctx, p, W, q2),
                         MARL_EINVAL);
        ck_assert(strstr(marl_last_error(), "not finite") != NULL);
        for (size_t x = 0; x < n; ++x) ck_assert(q2[x] == -7.0);
        free(W);
        free(q1);
        free(q2);
        marl_policy_free(p);
        marl_markov_ctx_free(ctx);
        marl_game_free(g);
    }
}
END_TEST

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    static const size_t L3[] = {2, 3, 2};
    marl_game *games[2] = {tg_random_game(3, 3, 5, dims3, 0.9, 0, 0),
                           fg_random_game(3, 3, L3, dims3, 0.9, 0)};
    for (int k = 0; k < 2; ++k) {
        marl_markov_ctx *ctx = NULL;
        FAILALLOC_SWEEP(marl_markov_ctx_new(&ctx, games[k], "t"),
                        marl_markov_ctx_free(ctx));
        ck_assert_int_eq(marl_markov_ctx_new(&ctx, games[k], "t"), MARL_OK);
        marl_policy *p = NULL;
        ck_assert_int_eq(marl_policy_new(&p, games[k], 0), MARL_OK);
        outs o = outs_new(games[k]);
        /* evaluation allocates nothing: it succeeds with every allocation
         * failing, and counts none */
        failalloc_install(0);
        long before = failalloc_count();
        ck_assert_int_eq(marl_markov_ctx_eval(ctx, p, o.Qbar, o.Abar, o.V, o.d),
                         MARL_OK);
        ck_assert_int_eq(failalloc_count(), before);
        failalloc_uninstall();
        outs_free(&o);
        marl_policy_free(p);
        marl_markov_ctx_free(ctx);
        marl_game_free(games[k]);
    }
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

static Suite *ctx_suite(void) {
    Suite *s = suite_create("markov_ctx");
    TCase *tc = tcase_create("ctx");
    tcase_add_test(tc, test_dense_identical);
    tcase_add_test(tc, test_factored_identical);
    tcase_add_test(tc, test_factored_vs_dense);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_averaged_from);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return marl_test_run(ctx_suite());
}
