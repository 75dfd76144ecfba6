/* Samplers (sampler.h): reproducibility, the documented draw order replayed
 * with a bare generator, split streams, statistics (visitation frequencies
 * against the exact discounted visitation, first-action frequencies by a
 * chi-square test), the draw order on factored games (one uniform per
 * next state, inverting the product row), error paths and allocation
 * failures.
 * SPDX-License-Identifier: MIT */
#include "failalloc.h"
#include "game/game_impl.h"
#include "policy/policy_impl.h"
#include "testgames.h"
#include "factgames.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdatomic.h>

static const size_t A2[2] = {3, 2};

static marl_game *small_game(uint64_t seed, double gamma) {
    return tg_random_game(seed, 2, 5, A2, gamma, 0, 0);
}

static marl_policy *random_policy(marl_game *g, uint64_t seed, double zeros) {
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    sm_rng r = {seed};
    tg_random_policy(p, &r, zeros);
    return p;
}

enum { NR = 40, MS = 25 };
typedef struct batch {
    size_t states[NR * (MS + 1)], actions[NR * MS * 2], lengths[NR];
    double rewards[NR * MS * 2];
} batch;

static void run_batch(marl_sampler *sm, const marl_policy *p, int mode,
                      batch *b) {
    memset(b, 0, sizeof *b);
    ck_assert_int_eq(marl_sampler_rollouts(sm, p, NR, (size_t)-1, MS, mode,
                                           b->states, b->actions, b->rewards,
                                           b->lengths),
                     MARL_OK);
}

START_TEST(test_reproducible) {
    marl_game *g = small_game(1, 0.8);
    marl_policy *p = random_policy(g, 2, 0.3);
    marl_sampler *a = NULL, *b = NULL, *c = NULL;
    ck_assert_int_eq(marl_sampler_new(&a, g, 42), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&b, g, 42), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&c, g, 43), MARL_OK);
    static batch x, y, z;
    for (int mode = 0; mode <= 1; ++mode) {
        run_batch(a, p, mode, &x);
        run_batch(b, p, mode, &y);
        run_batch(c, p, mode, &z);
        ck_assert(memcmp(&x, &y, sizeof x) == 0);
        ck_assert(memcmp(x.states, z.states, sizeof x.states) != 0);
    }
    /* FIXED: every length is max_steps; GEOMETRIC: some are shorter. */
    uint64_t total = 0;
    for (int r = 0; r < NR; ++r)
        total += x.lengths[r];
    ck_assert_uint_eq(marl_sampler_steps(a), (uint64_t)NR * MS + total);
    ck_assert(total < (uint64_t)NR * MS);
    /* Reseeding restarts the stream (the step counter keeps counting). */
    ck_assert_int_eq(marl_sampler_reseed(b, 42), MARL_OK);
    run_batch(b, p, 0, &y);
    run_batch(c, p, 0, &z); /* keep c busy: different stream */
    marl_sampler *fresh = NULL;
    ck_assert_int_eq(marl_sampler_new(&fresh, g, 42), MARL_OK);
    run_batch(fresh, p, 0, &x);
    ck_assert(memcmp(&x, &y, sizeof x) == 0);
    ck_assert_uint_eq(marl_sampler_steps(b), marl_sampler_steps(a) + NR * MS);
    marl_sampler_free(a);
    marl_sampler_free(b);
    marl_sampler_free(c);
    marl_sampler_free(fresh);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_rollouts_equal_single) {
    marl_game *g = small_game(3, 0.7);
    marl_policy *p = random_policy(g, 4, 0.2);
    marl_sampler *a = NULL, *b = NULL;
    ck_assert_int_eq(marl_sampler_new(&a, g, 9), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&b, g, 9), MARL_OK);
    static batch x, y;
    run_batch(a, p, MARL_ROLLOUT_GEOMETRIC, &x);
    memset(&y, 0, sizeof y);
    for (int r = 0; r < NR; ++r)
        ck_assert_int_eq(marl_sampler_rollout(
                             b, p, (size_t)-1, MS, MARL_ROLLOUT_GEOMETRIC,
                             y.states + r * (MS + 1), y.actions + r * MS * 2,
                             y.rewards + r * MS * 2, &y.lengths[r]),
                         MARL_OK);
    ck_assert(memcmp(&x, &y, sizeof x) == 0);
    ck_assert_uint_eq(marl_sampler_steps(a), marl_sampler_steps(b));
    marl_sampler_free(a);
    marl_sampler_free(b);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* Inversion as documented: the smallest k with p_k > 0 and u < p_0+..+p_k. */
static size_t invert(const double *p, size_t n, double u) {
    double c = 0;
    size_t last = 0;
    for (size_t k = 0; k < n; ++k)
        if (p[k] > 0) {
            c += p[k];
            last = k;
            if (u < c) return k;
        }
    return last;
}

START_TEST(test_draw_order) {
    const double gm = 0.85;
    marl_game *g = small_game(5, gm);
    marl_policy *p = random_policy(g, 6, 0.4);
    marl_sampler *sm = NULL;
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_sampler_new(&sm, g, 1234), MARL_OK);
    ck_assert_int_eq(marl_rng_new(&rng, 1234), MARL_OK);
    tg_model m;
    tg_model_load(&m, g);
    size_t states[MS + 1], actions[MS * 2], len;
    double rewards[MS * 2], row[5];
    for (int rep = 0; rep < 30; ++rep) {
        int mode = rep % 2;
        size_t start = rep % 3 == 0 ? (size_t)rep % 5 : (size_t)-1;
        ck_assert_int_eq(marl_sampler_rollout(sm, p, start, MS, mode, states,
                                              actions, rewards, &len),
                         MARL_OK);
        size_t s = start;
        if (s == (size_t)-1) s = invert(m.mu, 5, marl_rng_uniform(rng));
        ck_assert_uint_eq(states[0], s);
        size_t t = 0;
        while (t < MS) {
            size_t j = 0, a[2];
            for (size_t i = 0; i < 2; ++i) {
                ck_assert_int_eq(marl_policy_get_row(p, i, 0, s, row), MARL_OK);
                a[i] = invert(row, A2[i], marl_rng_uniform(rng));
                ck_assert(row[a[i]] > 0);
                ck_assert_uint_eq(actions[t * 2 + i], a[i]);
            }
            ck_assert_int_eq(marl_markov_joint_encode(g, a, &j), MARL_OK);
            for (size_t i = 0; i < 2; ++i)
                ck_assert_double_eq(rewards[t * 2 + i],
                                    m.R[(i * 5 + s) * m.J + j]);
            s = invert(m.P + (s * m.J + j) * 5, 5, marl_rng_uniform(rng));
            ++t;
            ck_assert_uint_eq(states[t], s);
            if (mode == MARL_ROLLOUT_GEOMETRIC && !(marl_rng_uniform(rng) < gm))
                break;
        }
        ck_assert_uint_eq(len, t);
    }
    tg_model_free(&m);
    marl_rng_free(rng);
    marl_sampler_free(sm);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* Factored games: the same draw order; the next state is one uniform and
 * inversion of the product row prod_k P_k(s'_k | s, a_k), recomputed here
 * from the public local rows (agent 0 most significant). */
START_TEST(test_draw_order_factored) {
    const size_t L[3] = {2, 3, 2}, A[3] = {2, 1, 3};
    const double gm = 0.9;
    marl_game *g = fg_random_game(31, 3, L, A, gm, 0);
    marl_policy *p = random_policy(g, 32, 0.3);
    marl_sampler *sm = NULL;
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_sampler_new(&sm, g, 99), MARL_OK);
    ck_assert_int_eq(marl_rng_new(&rng, 99), MARL_OK);
    enum { S = 12, T = 30 };
    double mu[S], prod[S], row[3], loc[3][3];
    ck_assert_int_eq(marl_markov_initial(g, mu), MARL_OK);
    size_t states[T + 1], actions[T * 3], len;
    for (int rep = 0; rep < 20; ++rep) {
        int mode = rep % 2;
        ck_assert_int_eq(marl_sampler_rollout(sm, p, (size_t)-1, T, mode,
                                              states, actions, NULL, &len),
                         MARL_OK);
        size_t s = invert(mu, S, marl_rng_uniform(rng)), t = 0;
        ck_assert_uint_eq(states[0], s);
        while (t < T) {
            size_t a[3];
            for (size_t i = 0; i < 3; ++i) {
                ck_assert_int_eq(marl_policy_get_row(p, i, 0, s, row), MARL_OK);
                a[i] = invert(row, A[i], marl_rng_uniform(rng));
                ck_assert_uint_eq(actions[t * 3 + i], a[i]);
                ck_assert_int_eq(marl_markov_local_transition_row(g, i, s, a[i],
                                                                  loc[i]),
                                 MARL_OK);
            }
            for (size_t n2 = 0; n2 < S; ++n2) {
                size_t l[3] = {n2 / 6, (n2 / 2) % 3, n2 % 2};
                double q = 1.0;
                for (size_t i = 0; i < 3; ++i) q *= loc[i][l[i]];
                prod[n2] = q;
            }
            s = invert(prod, S, marl_rng_uniform(rng));
            ++t;
            ck_assert_uint_eq(states[t], s);
            if (mode == MARL_ROLLOUT_GEOMETRIC && !(marl_rng_uniform(rng) < gm))
                break;
        }
        ck_assert_uint_eq(len, t);
    }
    marl_rng_free(rng);
    marl_sampler_free(sm);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_split) {
    marl_game *g = small_game(7, 0.8);
    marl_policy *p = random_policy(g, 8, 0.2);
    marl_sampler *par = NULL, *ref = NULL, *child = NULL, *par2 = NULL,
                 *child2 = NULL;
    ck_assert_int_eq(marl_sampler_new(&par, g, 77), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&ref, g, 77), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&par2, g, 77), MARL_OK);
    ck_assert_int_eq(marl_sampler_split(par, &child), MARL_OK);
    ck_assert_int_eq(marl_sampler_split(par2, &child2), MARL_OK);
    ck_assert_uint_eq(marl_sampler_steps(child), 0);
    static batch xc, xp, xr, xc2, xp2;
    run_batch(child, p, 1, &xc);
    run_batch(par, p, 1, &xp);
    run_batch(child2, p, 1, &xc2);
    run_batch(par2, p, 1, &xp2);
    /* Split streams are reproducible and differ from each other. */
    ck_assert(memcmp(&xc, &xc2, sizeof xc) == 0);
    ck_assert(memcmp(&xp, &xp2, sizeof xp) == 0);
    ck_assert(memcmp(xc.states, xp.states, sizeof xc.states) != 0);
    /* The child continues the parent's stream; the parent was jumped. */
    run_batch(ref, p, 1, &xr);
    ck_assert(memcmp(&xc, &xr, sizeof xc) == 0);
    ck_assert_int_eq(marl_sampler_reseed(ref, 77), MARL_OK);
    ck_assert_int_eq(marl_rng_jump(marl_sampler_rng(ref)), MARL_OK);
    run_batch(ref, p, 1, &xr);
    ck_assert(memcmp(&xp, &xr, sizeof xp) == 0);
    marl_sampler_free(par);
    marl_sampler_free(ref);
    marl_sampler_free(child);
    marl_sampler_free(par2);
    marl_sampler_free(child2);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_logits_same_as_direct) {
    marl_game *g = small_game(9, 0.9);
    marl_policy *lg = NULL, *dir = NULL;
    ck_assert_int_eq(marl_policy_new(&lg, g, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&dir, g, 0), MARL_OK);
    sm_rng r = {1};
    double th[3], row[3];
    for (size_t i = 0; i < 2; ++i)
        for (size_t s = 0; s < 5; ++s) {
            for (size_t a = 0; a < A2[i]; ++a)
                th[a] = 4 * sm_unif(&r) - 2;
            ck_assert_int_eq(marl_policy_set_logits(lg, i, 0, s, th), MARL_OK);
            ck_assert_int_eq(marl_policy_get_row(lg, i, 0, s, row), MARL_OK);
            ck_assert_int_eq(marl_policy_set_row(dir, i, 0, s, row), MARL_OK);
        }
    marl_sampler *a = NULL, *b = NULL;
    ck_assert_int_eq(marl_sampler_new(&a, g, 5), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&b, g, 5), MARL_OK);
    static batch x, y;
    run_batch(a, lg, 1, &x);
    run_batch(b, dir, 1, &y);
    ck_assert(memcmp(&x, &y, sizeof x) == 0);
    marl_sampler_free(a);
    marl_sampler_free(b);
    marl_policy_free(lg);
    marl_policy_free(dir);
    marl_game_free(g);
}
END_TEST

/* Geometric rollouts: the expected number of visits of s before the stop,
 * E[#{t < L : s_t = s}], is d_mu(s) = sum_t gamma^t Pr(s_t = s), so the
 * normalised counts estimate (1 - gamma) d_mu. Tolerance: 5 standard errors
 * (estimated from the per-rollout counts) per state, fixed seed. */
START_TEST(test_visitation_frequencies) {
    const double gm = 0.8;
    marl_game *g = small_game(11, gm);
    marl_policy *p = random_policy(g, 12, 0.2);
    marl_sampler *sm = NULL;
    ck_assert_int_eq(marl_sampler_new(&sm, g, 2024), MARL_OK);
    enum { BATCH = 1000, NBATCH = 100, MAXS = 200 };
    size_t *states = malloc(BATCH * (MAXS + 1) * sizeof(size_t));
    size_t lengths[BATCH];
    ck_assert_ptr_nonnull(states);
    double sum[5] = {0}, sumsq[5] = {0};
    for (int b = 0; b < NBATCH; ++b) {
        ck_assert_int_eq(marl_sampler_rollouts(sm, p, BATCH, (size_t)-1, MAXS,
                                               MARL_ROLLOUT_GEOMETRIC, states,
                                               NULL, NULL, lengths),
                         MARL_OK);
        for (int r = 0; r < BATCH; ++r) {
            double c[5] = {0};
            for (size_t t = 0; t < lengths[r]; ++t)
                c[states[r * (MAXS + 1) + t]] += 1;
            for (int s = 0; s < 5; ++s) {
                sum[s] += c[s];
                sumsq[s] += c[s] * c[s];
            }
        }
    }
    double d[5];
    ck_assert_int_eq(marl_markov_visitation(g, p, d), MARL_OK);
    const double n = (double)BATCH * NBATCH;
    for (int s = 0; s < 5; ++s) {
        double mean = sum[s] / n, var = sumsq[s] / n - mean * mean;
        double se = sqrt(var / n);
        double est = (1 - gm) * mean, exact = (1 - gm) * d[s];
        ck_assert_msg(fabs(est - exact) <= 5 * (1 - gm) * se &&
                          fabs(est - exact) < 0.01,
                      "state %d: sampled %.5f exact %.5f (se %.5f)", s, est,
                      exact, (1 - gm) * se);
    }
    free(states);
    marl_sampler_free(sm);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* First-step joint actions from a fixed state against the product policy:
 * Pearson chi-square over the categories of positive probability, compared
 * with the 0.999 quantile; categories of probability 0 are never drawn. */
START_TEST(test_first_action_chi_square) {
    marl_game *g = small_game(13, 0.9);
    marl_policy *p = random_policy(g, 14, 0.0);
    const double r0[3] = {0.5, 0.0, 0.5}, r1[2] = {0.3, 0.7};
    ck_assert_int_eq(marl_policy_set_row(p, 0, 0, 2, r0), MARL_OK);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 2, r1), MARL_OK);
    marl_sampler *sm = NULL;
    ck_assert_int_eq(marl_sampler_new(&sm, g, 31337), MARL_OK);
    enum { N = 60000 };
    size_t *acts = malloc(N * 2 * sizeof(size_t));
    ck_assert_ptr_nonnull(acts);
    ck_assert_int_eq(marl_sampler_rollouts(sm, p, N, 2, 1, MARL_ROLLOUT_FIXED,
                                           NULL, acts, NULL, NULL),
                     MARL_OK);
    double count[6] = {0};
    for (int r = 0; r < N; ++r)
        count[acts[2 * r] * 2 + acts[2 * r + 1]] += 1;
    double chi2 = 0;
    int cats = 0;
    for (int j = 0; j < 6; ++j) {
        double e = N * r0[j / 2] * r1[j % 2];
        if (e == 0) {
            ck_assert_double_eq(count[j], 0);
            continue;
        }
        chi2 += (count[j] - e) * (count[j] - e) / e;
        ++cats;
    }
    ck_assert_int_eq(cats, 4);
    ck_assert_msg(chi2 < 16.266, "chi-square %.3f with 3 degrees of freedom",
                  chi2);
    ck_assert_uint_eq(marl_sampler_steps(sm), N);
    free(acts);
    marl_sampler_free(sm);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_errors) {
    marl_game *g = small_game(15, 0.8);
    const size_t A3[2] = {3, 3};
    marl_game *other = tg_random_game(15, 2, 5, A3, 0.8, 0, 0);
    marl_policy *p = random_policy(g, 16, 0.0), *wrong = NULL;
    ck_assert_int_eq(marl_policy_new(&wrong, other, 0), MARL_OK);
    marl_sampler *sm = NULL, *ref = NULL, *np = (marl_sampler *)&sm;
    ck_assert_int_eq(marl_sampler_new(&sm, g, 3), MARL_OK);
    ck_assert_int_eq(marl_sampler_new(&ref, g, 3), MARL_OK);
    size_t st[8] = {99, 99, 99, 99, 99, 99, 99, 99}, len = 99;
    const char *msg;
#define EXPECT(call, code)                                                     \
    do {                                                                       \
        marl_clear_error();                                                    \
        ck_assert_int_eq((call), (code));                                      \
        msg = marl_last_error();                                               \
        ck_assert_msg(msg[0] != '\0', "no message for " #call);                \
    } while (0)
    EXPECT(marl_sampler_new(NULL, g, 1), MARL_EINVAL);
    EXPECT(marl_sampler_new(&np, NULL, 1), MARL_EINVAL);
    ck_assert_ptr_eq(np, (marl_sampler *)&sm); /* untouched */
    EXPECT(marl_sampler_split(NULL, &np), MARL_EINVAL);
    EXPECT(marl_sampler_split(sm, NULL), MARL_EINVAL);
    EXPECT(marl_sampler_reseed(NULL, 1), MARL_EINVAL);
    ck_assert_ptr_null(marl_sampler_rng(NULL));
    ck_assert_uint_eq(marl_sampler_steps(NULL), 0);
    marl_sampler_free(NULL);
    const size_t none = (size_t)-1;
    EXPECT(marl_sampler_rollout(NULL, p, none, 3, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollout(sm, NULL, none, 3, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollout(sm, wrong, none, 3, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "agent 1"));
    EXPECT(marl_sampler_rollout(sm, p, 5, 3, 0, st, NULL, NULL, &len),
           MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(msg, "start_state 5"));
    EXPECT(marl_sampler_rollout(sm, p, none, 0, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollout(sm, p, none, 3, 2, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollout(sm, p, none, 3, -1, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollout(sm, p, none, SIZE_MAX, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollouts(sm, p, 0, none, 3, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollouts(sm, p, SIZE_MAX / 2, none, 3, 0, st, NULL,
                                 NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollouts(NULL, p, 1, none, 3, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    EXPECT(marl_sampler_rollouts(sm, p, 1, 7, 3, 0, st, NULL, NULL, &len),
           MARL_ERANGE);
    p->flags |=
        MARL_POLICY_PER_STEP; /* forced: not creatable on Markov games */
    EXPECT(marl_sampler_rollout(sm, p, none, 3, 0, st, NULL, NULL, &len),
           MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "stationary"));
    p->flags &= ~(unsigned)MARL_POLICY_PER_STEP;
    /* Nothing written, the generator not advanced, no step counted. */
    for (int k = 0; k < 8; ++k)
        ck_assert_uint_eq(st[k], 99);
    ck_assert_uint_eq(len, 99);
    ck_assert_uint_eq(marl_sampler_steps(sm), 0);
    ck_assert_uint_eq(marl_rng_u64(marl_sampler_rng(sm)),
                      marl_rng_u64(marl_sampler_rng(ref)));
    /* A game of another kind: the sampler exists, rollouts are MARL_EKIND. */
    size_t fake_actions[2] = {3, 2};
    marl_game fake;
    memset(&fake, 0, sizeof fake);
    fake.kind = MARL_GAME_POPULATION;
    fake.n_agents = 2;
    fake.n_states = 5;
    fake.n_actions = fake_actions;
    atomic_init(&fake.refcount, 100);
    marl_sampler *fs = NULL;
    ck_assert_int_eq(marl_sampler_new(&fs, &fake, 1), MARL_OK);
    ck_assert_ptr_nonnull(marl_sampler_rng(fs));
    EXPECT(marl_sampler_rollout(fs, p, none, 3, 0, st, NULL, NULL, &len),
           MARL_EKIND);
    EXPECT(marl_sampler_rollouts(fs, p, 2, none, 3, 0, st, NULL, NULL, &len),
           MARL_EKIND);
    marl_sampler_free(fs);
#undef EXPECT
    marl_sampler_free(sm);
    marl_sampler_free(ref);
    marl_policy_free(p);
    marl_policy_free(wrong);
    marl_game_free(g);
    marl_game_free(other);
}
END_TEST

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    marl_game *g = small_game(17, 0.8);
    marl_sampler *sm = NULL, *child = NULL;
    FAILALLOC_SWEEP(marl_sampler_new(&sm, g, 5), marl_sampler_free(sm));
    ck_assert_int_eq(marl_sampler_new(&sm, g, 5), MARL_OK);
    /* A failed split leaves the parent's stream where it was. */
    marl_sampler *ref = NULL;
    ck_assert_int_eq(marl_sampler_new(&ref, g, 5), MARL_OK);
    FAILALLOC_SWEEP(marl_sampler_split(sm, &child), {
        ck_assert_int_eq(marl_rng_jump(marl_sampler_rng(ref)), MARL_OK);
        marl_sampler_free(child);
    });
    ck_assert_uint_eq(marl_rng_u64(marl_sampler_rng(sm)),
                      marl_rng_u64(marl_sampler_rng(ref)));
    marl_sampler_free(sm);
    marl_sampler_free(ref);
    marl_game_free(g);
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

static Suite *sampler_suite(void) {
    Suite *s = suite_create("sampler");
    TCase *tc = tcase_create("rollouts");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_reproducible);
    tcase_add_test(tc, test_rollouts_equal_single);
    tcase_add_test(tc, test_draw_order);
    tcase_add_test(tc, test_draw_order_factored);
    tcase_add_test(tc, test_split);
    tcase_add_test(tc, test_logits_same_as_direct);
    tcase_add_test(tc, test_visitation_frequencies);
    tcase_add_test(tc, test_first_action_chi_square);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return marl_test_run(sampler_suite());
}
