/* Tests of policies: construction and layout, rows (direct and softmax),
 * pure and uniform rows, seeded randomisation against the documented RNG
 * consumption, distance, copy/assign, bad input and allocation failures.
 * SPDX-License-Identifier: MIT */
#include "testpol.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

static const size_t A3[3] = {2, 3, 2};
static const size_t E3[3] = {3, 3, 3};

START_TEST(test_new_layout) {
    marl_game *g = tp_markov(3, 4, A3);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    ck_assert_ptr_eq(marl_policy_game(p), g);
    ck_assert_uint_eq(atomic_load(&g->refcount), 2); /* reference held */
    ck_assert_uint_eq(marl_policy_flags(p), 0);
    ck_assert_uint_eq(marl_policy_num_agents(p), 3);
    ck_assert_uint_eq(marl_policy_num_steps(p), 1);
    ck_assert_uint_eq(marl_policy_num_states(p), 4);
    ck_assert_uint_eq(marl_policy_num_actions(p, 0), 2);
    ck_assert_uint_eq(marl_policy_num_actions(p, 1), 3);
    ck_assert_uint_eq(marl_policy_num_actions(p, 2), 2);
    ck_assert_uint_eq(marl_policy_num_actions(p, 3), 0);
    ck_assert_uint_eq(p->n_values, 4 * (2 + 3 + 2));
    double row[3];
    for (size_t i = 0; i < 3; ++i)
        for (size_t s = 0; s < 4; ++s) {
            ck_assert_int_eq(marl_policy_get_row(p, i, 0, s, row), MARL_OK);
            for (size_t k = 0; k < A3[i]; ++k)
                ck_assert(row[k] == 1.0 / (double)A3[i]);
        }
    /* Game outlives its creator's reference while the policy holds it. */
    marl_game_free(g);
    ck_assert_uint_eq(marl_game_num_states(marl_policy_game(p)), 4);
    marl_policy_free(p);
    marl_policy_free(NULL);
    ck_assert_ptr_null(marl_policy_game(NULL));
    ck_assert_uint_eq(marl_policy_flags(NULL), 0);
    ck_assert_uint_eq(marl_policy_num_agents(NULL), 0);
    ck_assert_uint_eq(marl_policy_num_steps(NULL), 0);
    ck_assert_uint_eq(marl_policy_num_states(NULL), 0);
    ck_assert_uint_eq(marl_policy_num_actions(NULL, 0), 0);
}
END_TEST

START_TEST(test_new_variants) {
    marl_game *ge = tp_markov(3, 2, E3);
    marl_game *gf = tp_finite(3, 2, E3, 5);
    marl_policy *p = NULL;
    /* Shared: one table for every agent. */
    ck_assert_int_eq(marl_policy_new(&p, ge, MARL_POLICY_SHARED), MARL_OK);
    ck_assert_uint_eq(p->n_tables, 1);
    ck_assert_uint_eq(p->n_values, 2 * 3);
    ck_assert_uint_eq(marl_policy_num_actions(p, 2), 3);
    double q[3] = {0.5, 0.25, 0.25}, row[3];
    ck_assert_int_eq(marl_policy_set_row(p, 2, 0, 1, q), MARL_OK);
    ck_assert_int_eq(marl_policy_get_row(p, 0, 0, 1, row), MARL_OK);
    ck_assert(row[0] == 0.5 && row[1] == 0.25 && row[2] == 0.25);
    marl_policy_free(p);
    /* PER_STEP on a finite-horizon game: steps = horizon. */
    ck_assert_int_eq(marl_policy_new(&p, gf, MARL_POLICY_PER_STEP), MARL_OK);
    ck_assert_uint_eq(marl_policy_num_steps(p), 5);
    ck_assert_uint_eq(p->n_values, 3 * 5 * 2 * 3);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 4, 1, q), MARL_OK);
    ck_assert(p->values[p->offset[1] + (4 * 2 + 1) * 3] == 0.5);
    marl_policy_free(p);
    /* Stationary policy of a finite-horizon game. */
    ck_assert_int_eq(marl_policy_new(&p, gf, 0), MARL_OK);
    ck_assert_uint_eq(marl_policy_num_steps(p), 1);
    marl_policy_free(p);
    /* Explicit steps. */
    ck_assert_int_eq(marl_policy_new_steps(&p, ge, MARL_POLICY_PER_STEP |
                                           MARL_POLICY_SHARED |
                                           MARL_POLICY_LOGITS, 7), MARL_OK);
    ck_assert_uint_eq(marl_policy_num_steps(p), 7);
    ck_assert_uint_eq(p->n_values, 7 * 2 * 3);
    for (size_t k = 0; k < p->n_values; ++k) ck_assert(p->values[k] == 0.0);
    ck_assert_int_eq(marl_policy_get_row(p, 1, 6, 1, row), MARL_OK);
    for (size_t k = 0; k < 3; ++k) ck_assert(row[k] == 1.0 / 3.0);
    marl_policy_free(p);
    ck_assert_int_eq(marl_policy_new_steps(&p, ge, 0, 1), MARL_OK);
    marl_policy_free(p);
    marl_game_free(ge);
    marl_game_free(gf);
}
END_TEST

START_TEST(test_new_errors) {
    marl_game *g = tp_markov(3, 2, A3);
    marl_game *gf = tp_finite(3, 2, A3, 4);
    marl_policy *p = (marl_policy *)&p, *keep = p;
    ck_assert_int_eq(marl_policy_new(NULL, g, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_new(&p, NULL, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_new(&p, g, 1u << 3), MARL_EINVAL);
    ck_assert(has("unknown flag bits 0x8"));
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_PER_STEP), MARL_EINVAL);
    ck_assert(has("horizon 0"));
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_SHARED), MARL_EINVAL);
    ck_assert(has("agent 1 has 3 actions"));
    ck_assert_int_eq(marl_policy_new(&p, gf, MARL_POLICY_SHARED), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_new_steps(NULL, g, 0, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_new_steps(&p, NULL, 0, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_new_steps(&p, g, 0, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_new_steps(&p, g, 0, 2), MARL_EINVAL);
    ck_assert(has("requires MARL_POLICY_PER_STEP"));
    ck_assert_int_eq(marl_policy_new_steps(&p, g, 0x100, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_new_steps(&p, g, MARL_POLICY_PER_STEP,
                                           SIZE_MAX / 2), MARL_ERANGE);
    ck_assert_int_eq(marl_policy_new_steps(&p, g, MARL_POLICY_PER_STEP,
                                           SIZE_MAX), MARL_ERANGE);
    ck_assert(has("overflow"));
    /* Degenerate shells (no states; an agent without actions). */
    size_t A0[2] = {2, 0};
    marl_game *e1 = tp_finite(2, 0, A3, 1), *e2 = tp_finite(2, 3, A0, 1);
    ck_assert_int_eq(marl_policy_new(&p, e1, 0), MARL_EINVAL);
    ck_assert(has("no agents or states"));
    ck_assert_int_eq(marl_policy_new(&p, e2, 0), MARL_EINVAL);
    ck_assert(has("agent 1 has no actions"));
    ck_assert_ptr_eq(p, keep);
    marl_game_free(e1);
    marl_game_free(e2);
    marl_game_free(g);
    marl_game_free(gf);
}
END_TEST

START_TEST(test_rows_direct) {
    marl_game *g = tp_markov(3, 4, A3);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double q[3] = {0.2, 0.3, 0.5}, row[3] = {9, 9, 9};
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 3, q), MARL_OK);
    ck_assert_int_eq(marl_policy_get_row(p, 1, 0, 3, row), MARL_OK);
    ck_assert(row[0] == 0.2 && row[1] == 0.3 && row[2] == 0.5);
    /* Neighbouring rows untouched. */
    ck_assert_int_eq(marl_policy_get_row(p, 1, 0, 2, row), MARL_OK);
    ck_assert(row[0] == 1.0 / 3.0);
    ck_assert_int_eq(marl_policy_set_pure(p, 2, 0, 0, 1), MARL_OK);
    ck_assert_int_eq(marl_policy_get_row(p, 2, 0, 0, row), MARL_OK);
    ck_assert(row[0] == 0.0 && row[1] == 1.0);
    /* Direct policies have no logits. */
    ck_assert_int_eq(marl_policy_get_logits(p, 0, 0, 0, row), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_set_logits(p, 0, 0, 0, row), MARL_EINVAL);
    /* Uniform again. */
    ck_assert_int_eq(marl_policy_set_uniform(p), MARL_OK);
    ck_assert_int_eq(marl_policy_get_row(p, 2, 0, 0, row), MARL_OK);
    ck_assert(row[0] == 0.5 && row[1] == 0.5);
    ck_assert_int_eq(marl_policy_set_uniform(NULL), MARL_EINVAL);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_row_errors) {
    marl_game *g = tp_markov(3, 4, A3);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double q[3] = {0.2, 0.3, 0.5}, row[3] = {9, 9, 9};
    ck_assert_int_eq(marl_policy_get_row(NULL, 0, 0, 0, row), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_get_row(p, 0, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_get_row(p, 3, 0, 0, row), MARL_ERANGE);
    ck_assert(has("agent 3"));
    ck_assert_int_eq(marl_policy_get_row(p, 0, 1, 0, row), MARL_ERANGE);
    ck_assert(has("step 1"));
    ck_assert_int_eq(marl_policy_get_row(p, 0, 0, 4, row), MARL_ERANGE);
    ck_assert(has("state 4"));
    ck_assert(row[0] == 9 && row[1] == 9 && row[2] == 9);
    ck_assert_int_eq(marl_policy_set_row(NULL, 1, 0, 0, q), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_set_row(p, 3, 0, 0, q), MARL_ERANGE);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 2, 0, q), MARL_ERANGE);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 9, q), MARL_ERANGE);
    double bad[3] = {0.2, 0.3, 0.4};
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 2, bad), MARL_EINVAL);
    ck_assert(has("row (agent 1, step 0, state 2)"));
    ck_assert(has("sums to"));
    bad[2] = NAN;
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 2, bad), MARL_EINVAL);
    bad[0] = 1.1;
    bad[1] = -0.1;
    bad[2] = 0.0;
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 2, bad), MARL_EINVAL);
    ck_assert(has("negative"));
    ck_assert_int_eq(marl_policy_get_row(p, 1, 0, 2, row), MARL_OK);
    ck_assert(row[0] == 1.0 / 3.0 && row[2] == 1.0 / 3.0); /* unchanged */
    ck_assert_int_eq(marl_policy_set_pure(NULL, 0, 0, 0, 0), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_set_pure(p, 0, 0, 0, 2), MARL_ERANGE);
    ck_assert(has("action 2"));
    ck_assert_int_eq(marl_policy_set_pure(p, 3, 0, 0, 0), MARL_ERANGE);
    ck_assert_int_eq(marl_policy_get_logits(NULL, 0, 0, 0, row), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_set_logits(NULL, 0, 0, 0, row), MARL_EINVAL);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_softmax) {
    /* theta = c + (0, log 2, log 5): softmax = (1, 2, 5) / 8 for any c. */
    const double cs[4] = {0.0, 1000.0, -1000.0, 700.0};
    for (int k = 0; k < 4; ++k) {
        double th[3] = {cs[k], cs[k] + log(2.0), cs[k] + log(5.0)}, out[3];
        marl_softmax(th, 3, out);
        /* |c| = 1000 rounds log 2 to the ulp of 1000 (1.1e-13). */
        double tol = cs[k] == 0.0 ? 1e-15 : 1e-12;
        ck_assert(isfinite(out[0]));
        ck_assert_double_eq_tol(out[0], 0.125, tol);
        ck_assert_double_eq_tol(out[1], 0.25, tol);
        ck_assert_double_eq_tol(out[2], 0.625, tol);
    }
    double one[1] = {-3e300}, o1[1];
    marl_softmax(one, 1, o1);
    ck_assert(o1[0] == 1.0);
    marl_softmax(one, 0, o1); /* no-op */
}
END_TEST

START_TEST(test_rows_logits) {
    marl_game *g = tp_markov(3, 4, A3);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, MARL_POLICY_LOGITS), MARL_OK);
    double q[3] = {0.125, 0.25, 0.625}, row[3], th[3];
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 1, q), MARL_OK);
    ck_assert_int_eq(marl_policy_get_logits(p, 1, 0, 1, th), MARL_OK);
    double mean = (log(0.125) + log(0.25) + log(0.625)) / 3.0;
    for (int k = 0; k < 3; ++k)
        ck_assert_double_eq_tol(th[k], log(q[k]) - mean, 1e-15);
    ck_assert_double_eq_tol(th[0] + th[1] + th[2], 0.0, 1e-14);
    ck_assert_int_eq(marl_policy_get_row(p, 1, 0, 1, row), MARL_OK);
    for (int k = 0; k < 3; ++k) ck_assert_double_eq_tol(row[k], q[k], 1e-15);
    /* Zero probability cannot be a softmax: ERANGE, row unchanged. */
    double z[3] = {0.5, 0.5, 0.0};
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 1, z), MARL_ERANGE);
    ck_assert(has("action 2 has probability 0"));
    double th2[3];
    marl_policy_get_logits(p, 1, 0, 1, th2);
    ck_assert(memcmp(th, th2, sizeof th) == 0);
    /* Logits set directly. */
    double t3[3] = {1.0, 1.0 + log(3.0), 1.0};
    ck_assert_int_eq(marl_policy_set_logits(p, 1, 0, 2, t3), MARL_OK);
    ck_assert_int_eq(marl_policy_get_row(p, 1, 0, 2, row), MARL_OK);
    ck_assert_double_eq_tol(row[1], 0.6, 1e-15);
    ck_assert_double_eq_tol(row[0], 0.2, 1e-15);
    t3[0] = INFINITY;
    ck_assert_int_eq(marl_policy_set_logits(p, 1, 0, 2, t3), MARL_EINVAL);
    ck_assert(has("logit 0"));
    t3[0] = NAN;
    ck_assert_int_eq(marl_policy_set_logits(p, 1, 0, 2, t3), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_set_logits(p, 1, 0, 4, t3), MARL_ERANGE);
    ck_assert_int_eq(marl_policy_get_logits(p, 1, 0, 4, th), MARL_ERANGE);
    ck_assert_int_eq(marl_policy_get_row(p, 1, 0, 2, row), MARL_OK);
    ck_assert_double_eq_tol(row[1], 0.6, 1e-15); /* unchanged */
    ck_assert_int_eq(marl_policy_set_pure(p, 1, 0, 2, 0), MARL_EINVAL);
    ck_assert(has("cannot be deterministic"));
    ck_assert_int_eq(marl_policy_set_uniform(p), MARL_OK);
    for (size_t k = 0; k < p->n_values; ++k) ck_assert(p->values[k] == 0.0);
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

START_TEST(test_randomize) {
    marl_game *g = tp_markov(3, 4, A3);
    marl_policy *p = NULL, *q = NULL;
    marl_rng *rng = NULL, *ref = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 42), MARL_OK);
    ck_assert_int_eq(marl_rng_new(&ref, 42), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(p, rng), MARL_OK);
    /* Same draws by hand: Dirichlet(1,..,1) per row in (agent, step, state)
     * order. */
    const double ones[3] = {1, 1, 1};
    for (size_t i = 0; i < 3; ++i)
        for (size_t s = 0; s < 4; ++s) {
            double want[3], got[3], sum = 0.0;
            ck_assert_int_eq(marl_rng_dirichlet(ref, ones, A3[i], want),
                             MARL_OK);
            marl_policy_get_row(p, i, 0, s, got);
            for (size_t k = 0; k < A3[i]; ++k) {
                ck_assert(got[k] == want[k]);
                sum += got[k];
            }
            ck_assert_double_eq_tol(sum, 1.0, 1e-12);
        }
    ck_assert_uint_eq(marl_rng_u64(rng), marl_rng_u64(ref)); /* in step */
    /* LOGITS: one normal per logit, in storage order. */
    ck_assert_int_eq(marl_policy_new(&q, g, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(q, rng), MARL_OK);
    for (size_t i = 0; i < 3; ++i)
        for (size_t s = 0; s < 4; ++s) {
            double th[3];
            marl_policy_get_logits(q, i, 0, s, th);
            for (size_t k = 0; k < A3[i]; ++k)
                ck_assert(th[k] == marl_rng_normal(ref));
        }
    ck_assert_int_eq(marl_policy_randomize(NULL, rng), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_randomize(p, NULL), MARL_EINVAL);
    /* Allocation failure: the policy is unchanged. */
    marl_policy *before = NULL;
    ck_assert_int_eq(marl_policy_copy(&before, p), MARL_OK);
    failalloc_install(0);
    ck_assert_int_eq(marl_policy_randomize(p, rng), MARL_ENOMEM);
    failalloc_uninstall();
    double d = 1.0;
    ck_assert_int_eq(marl_policy_distance(p, before, &d), MARL_OK);
    ck_assert(d == 0.0);
    marl_policy_free(before);
    marl_policy_free(p);
    marl_policy_free(q);
    marl_rng_free(rng);
    marl_rng_free(ref);
    marl_game_free(g);
}
END_TEST

START_TEST(test_distance_copy_assign) {
    marl_game *g = tp_markov(3, 4, A3);
    marl_game *ge = tp_markov(3, 4, E3);
    marl_policy *a = NULL, *b = NULL, *c = NULL, *l = NULL;
    ck_assert_int_eq(marl_policy_new(&a, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&b, g, 0), MARL_OK);
    double d = -1.0;
    ck_assert_int_eq(marl_policy_distance(a, b, &d), MARL_OK);
    ck_assert(d == 0.0);
    /* Agent 1 (3 actions), state 2 pure on action 0: |1 - 1/3| = 2/3. */
    ck_assert_int_eq(marl_policy_set_pure(b, 1, 0, 2, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_distance(a, b, &d), MARL_OK);
    ck_assert(d == 1.0 - 1.0 / 3.0);
    /* Agent 0 pure too: |1 - 1/2| = 0.5 < 2/3. */
    marl_policy_set_pure(b, 0, 0, 0, 1);
    ck_assert_int_eq(marl_policy_distance(b, a, &d), MARL_OK);
    ck_assert(d == 1.0 - 1.0 / 3.0);
    /* Copy is deep and equal; assign copies values. */
    ck_assert_int_eq(marl_policy_copy(&c, b), MARL_OK);
    ck_assert_ptr_ne(c->values, b->values);
    ck_assert_ptr_eq(marl_policy_game(c), g);
    ck_assert_int_eq(marl_policy_distance(b, c, &d), MARL_OK);
    ck_assert(d == 0.0);
    marl_policy_set_uniform(b);
    ck_assert_int_eq(marl_policy_distance(b, c, &d), MARL_OK);
    ck_assert(d == 1.0 - 1.0 / 3.0);
    ck_assert_int_eq(marl_policy_assign(b, c), MARL_OK);
    ck_assert(memcmp(b->values, c->values, b->n_values * sizeof(double)) == 0);
    ck_assert_int_eq(marl_policy_assign(b, b), MARL_OK);
    /* A LOGITS policy against a direct one (probabilities compared). */
    ck_assert_int_eq(marl_policy_new(&l, g, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_distance(a, l, &d), MARL_OK);
    ck_assert_double_eq_tol(d, 0.0, 1e-16);
    double th[3] = {0.0, log(2.0), log(5.0)};
    marl_policy_set_logits(l, 1, 0, 3, th);
    ck_assert_int_eq(marl_policy_distance(l, a, &d), MARL_OK);
    ck_assert_double_eq_tol(d, 0.625 - 1.0 / 3.0, 1e-15);
    /* Errors. */
    marl_policy *e = NULL;
    ck_assert_int_eq(marl_policy_new(&e, ge, 0), MARL_OK);
    d = 7.0;
    ck_assert_int_eq(marl_policy_distance(NULL, a, &d), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_distance(a, NULL, &d), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_distance(a, b, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_distance(a, e, &d), MARL_EINVAL);
    ck_assert(has("agent 0 has 2 actions"));
    marl_policy *ps = NULL;
    ck_assert_int_eq(marl_policy_new_steps(&ps, g, MARL_POLICY_PER_STEP, 2),
                     MARL_OK);
    ck_assert_int_eq(marl_policy_distance(a, ps, &d), MARL_EINVAL);
    ck_assert(has("steps 1/2"));
    ck_assert_int_eq(marl_policy_assign(a, ps), MARL_EINVAL);
    marl_policy_free(ps);
    ck_assert(d == 7.0);
    ck_assert_int_eq(marl_policy_assign(a, e), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_assign(a, l), MARL_EINVAL); /* flags */
    ck_assert_int_eq(marl_policy_assign(NULL, a), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_assign(a, NULL), MARL_EINVAL);
    marl_policy *x = (marl_policy *)&x, *keep = x;
    ck_assert_int_eq(marl_policy_copy(NULL, a), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_copy(&x, NULL), MARL_EINVAL);
    ck_assert_ptr_eq(x, keep);
    marl_policy_free(a);
    marl_policy_free(b);
    marl_policy_free(c);
    marl_policy_free(l);
    marl_policy_free(e);
    marl_game_free(g);
    marl_game_free(ge);
}
END_TEST

START_TEST(test_failalloc) {
    failalloc_install(-1);
    long live = failalloc_live();
    marl_game *g = tp_markov(3, 4, A3);
    marl_game *gf = tp_finite(3, 2, E3, 3);
    marl_policy *p = NULL, *c = NULL;
    FAILALLOC_SWEEP(marl_policy_new(&p, g, 0), marl_policy_free(p));
    FAILALLOC_SWEEP(marl_policy_new(&p, gf, MARL_POLICY_PER_STEP |
                                    MARL_POLICY_SHARED | MARL_POLICY_LOGITS),
                    marl_policy_free(p));
    FAILALLOC_SWEEP(marl_policy_new_steps(&p, g, MARL_POLICY_PER_STEP, 4),
                    marl_policy_free(p));
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    tp_fill(p);
    FAILALLOC_SWEEP(marl_policy_copy(&c, p), marl_policy_free(c));
    ck_assert_int_eq(marl_policy_copy(&c, p), MARL_OK);
    ck_assert(memcmp(c->values, p->values, p->n_values * sizeof(double)) == 0);
    marl_policy_free(c);
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 1), MARL_OK);
    FAILALLOC_SWEEP(marl_policy_randomize(p, rng), (void)0);
    marl_rng_free(rng);
    marl_policy_free(p);
    marl_game_free(g);
    marl_game_free(gf);
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

int main(void) {
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, test_new_layout);
    tcase_add_test(tc, test_new_variants);
    tcase_add_test(tc, test_new_errors);
    tcase_add_test(tc, test_rows_direct);
    tcase_add_test(tc, test_row_errors);
    tcase_add_test(tc, test_softmax);
    tcase_add_test(tc, test_rows_logits);
    tcase_add_test(tc, test_randomize);
    tcase_add_test(tc, test_distance_copy_assign);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
