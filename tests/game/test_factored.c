/* Tests of the factored construction of the Markov kind (game.h, "factored
 * Markov games"): a hand-made 2-agent game (L = (2, 3), A = (2, 1)) whose
 * product rows are checked entry by entry against hand-written products,
 * the mixed-radix state encoding (agent 0 most significant), every error
 * path of the factored builder and accessors, the builder unchanged on
 * error, normalisation, and allocation-failure injection.
 * SPDX-License-Identifier: MIT */
#include "game/game_impl.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

/* Reference: N = 2, L = (2, 3), A = (2, 1), S = 6, J = 2.
 *   P_0(l | s, a) = (1 + l + s + a) / (3 + 2 (s + a))   for l in {0, 1}
 *   P_1(l | s, 0) = (1 + l * (s + 1)) / (3 + 3 (s + 1)) for l in {0, 1, 2}
 *   r_i(s, j) = 10 i + s + 0.5 j. */
static const size_t FL[2] = {2, 3}, FA[2] = {2, 1};
enum { FS = 6, FJ = 2 };

static double p0(size_t l, size_t s, size_t a) {
    return (double)(1 + l + s + a) / (double)(3 + 2 * (s + a));
}
static double p1(size_t l, size_t s) {
    return (double)(1 + l * (s + 1)) / (double)(3 + 3 * (s + 1));
}

static int local_fn(size_t agent, size_t s, size_t a, double *row, void *u) {
    int *calls = u;
    if (calls) ++*calls;
    for (size_t l = 0; l < FL[agent]; ++l)
        row[l] = agent == 0 ? p0(l, s, a) : p1(l, s);
    return 0;
}
static int failing_fn(size_t agent, size_t s, size_t a, double *row,
                      void *u) {
    (void)u;
    local_fn(agent, s, a, row, NULL);
    return (agent == 1 && s == 4) ? 7 : 0;
}
static int bad_row_fn(size_t agent, size_t s, size_t a, double *row,
                      void *u) {
    (void)u;
    local_fn(agent, s, a, row, NULL);
    if (agent == 0 && s == 3 && a == 1) row[1] += 0.02;
    return 0;
}

static void tables(double *Pl0, double *Pl1, double *R) {
    for (size_t s = 0; s < FS; ++s) {
        for (size_t a = 0; a < 2; ++a)
            for (size_t l = 0; l < 2; ++l) Pl0[(s * 2 + a) * 2 + l] = p0(l, s, a);
        for (size_t l = 0; l < 3; ++l) Pl1[s * 3 + l] = p1(l, s);
        for (size_t i = 0; i < 2; ++i)
            for (size_t j = 0; j < FJ; ++j)
                R[(i * FS + s) * FJ + j] = 10.0 * i + s + 0.5 * j;
    }
}

static marl_markov_builder *new_builder(void) {
    marl_markov_builder *b = NULL;
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 2, FL, FA), MARL_OK);
    return b;
}

static void check_ref_game(const marl_game *g) {
    ck_assert_int_eq(marl_markov_is_factored(g), 1);
    ck_assert_uint_eq(marl_game_num_states(g), FS);
    ck_assert_uint_eq(marl_markov_num_joint(g), FJ);
    ck_assert_uint_eq(marl_markov_num_local_states(g, 0), 2);
    ck_assert_uint_eq(marl_markov_num_local_states(g, 1), 3);
    ck_assert_uint_eq(marl_markov_num_local_states(g, 2), 0);
    double row[FS], lr[3];
    for (size_t s = 0; s < FS; ++s)
        for (size_t j = 0; j < FJ; ++j) {
            ck_assert_int_eq(marl_markov_transition_row(g, s, j, row), MARL_OK);
            /* s' = s'_0 * 3 + s'_1 (agent 0 most significant); a_0 = j */
            for (size_t l0 = 0; l0 < 2; ++l0)
                for (size_t l1 = 0; l1 < 3; ++l1)
                    ck_assert(row[l0 * 3 + l1] == p0(l0, s, j) * p1(l1, s));
            ck_assert_int_eq(marl_markov_local_transition_row(g, 0, s, j, lr),
                             MARL_OK);
            ck_assert(lr[0] == p0(0, s, j) && lr[1] == p0(1, s, j));
            double r;
            ck_assert_int_eq(marl_markov_reward(g, 1, s, j, &r), MARL_OK);
            ck_assert(r == 10.0 + s + 0.5 * j);
        }
    ck_assert_int_eq(marl_markov_local_transition_row(g, 1, 5, 0, lr), MARL_OK);
    for (size_t l = 0; l < 3; ++l) ck_assert(lr[l] == p1(l, 5));
}

START_TEST(test_set_and_fill) {
    double Pl0[FS * 2 * 2], Pl1[FS * 3], R[2 * FS * FJ];
    tables(Pl0, Pl1, R);
    marl_markov_builder *b = new_builder();
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 0, Pl0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 1, Pl1), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_ref_game(g);
    marl_game_free(g);
    /* callbacks: called once per (agent, state, action) */
    int calls = 0;
    ck_assert_int_eq(marl_markov_builder_fill_local_transitions(b, local_fn, &calls),
                     MARL_OK);
    ck_assert_int_eq(calls, FS * 2 + FS * 1);
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_ref_game(g);
    marl_game_free(g);
    marl_markov_builder_free(b);
    /* a dense game is not factored */
    ck_assert_int_eq(marl_markov_is_factored(NULL), 0);
    ck_assert_uint_eq(marl_markov_num_local_states(NULL, 0), 0);
}
END_TEST

START_TEST(test_normalize) {
    double Pl0[FS * 2 * 2], Pl1[FS * 3], R[2 * FS * FJ];
    tables(Pl0, Pl1, R);
    for (size_t k = 0; k < FS * 3; ++k) Pl1[k] *= 3.0; /* rows sum to 3 */
    marl_markov_builder *b = new_builder();
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 1, Pl1),
                     MARL_EINVAL);
    ck_assert(has("local transition row of agent 1, state 0, action 0 sums to 3"));
    ck_assert_int_eq(marl_markov_builder_set_normalize(b, 1), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 1, Pl1), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 0, Pl0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    double lr[3];
    ck_assert_int_eq(marl_markov_local_transition_row(g, 1, 2, 0, lr), MARL_OK);
    for (size_t l = 0; l < 3; ++l) ck_assert(fabs(lr[l] - p1(l, 2)) <= 1e-15);
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

START_TEST(test_new_errors) {
    marl_markov_builder *b = (marl_markov_builder *)&b, *keep = b;
    size_t A[70], L[70];
    for (size_t i = 0; i < 70; ++i) A[i] = L[i] = 2;
    ck_assert_int_eq(marl_markov_builder_new_factored(NULL, 2, L, A), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 0, L, A), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 65, L, A), MARL_ERANGE);
    ck_assert(has("MARL_MARKOV_MAX_AGENTS"));
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 2, NULL, A), MARL_EINVAL);
    ck_assert(has("n_local_states is NULL"));
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 2, L, NULL), MARL_EINVAL);
    size_t Lz[3] = {2, 0, 2}, Az[3] = {2, 2, 0};
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 3, Lz, A), MARL_EINVAL);
    ck_assert(has("agent 1 has 0 local states"));
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 3, L, Az), MARL_EINVAL);
    ck_assert(has("agent 2 has 0 actions"));
    /* S beyond the limit, and overflowing size_t */
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 31, L, A), MARL_ERANGE);
    ck_assert(has("global states"));
    size_t huge[3] = {SIZE_MAX / 2, SIZE_MAX / 2, 3}, one[3] = {1, 1, 1};
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 3, huge, one), MARL_ERANGE);
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 3, one, huge), MARL_ERANGE);
    ck_assert(has("joint actions"));
    /* reward table N*S*J over the limit: S = 2^15, J = 2^15 */
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 15, L, A), MARL_ERANGE);
    ck_assert(has("reward table"));
    /* local tables over the limit while rewards fit: N = 1, S = 2^20,
     * A = 1, L = ... one agent with L = 2^20 gives S*A*L = 2^40 */
    size_t Lbig[1] = {(size_t)1 << 20}, A1[1] = {1};
    ck_assert_int_eq(marl_markov_builder_new_factored(&b, 1, Lbig, A1), MARL_ERANGE);
    ck_assert(has("local transition tables"));
    ck_assert_ptr_eq(b, keep);
}
END_TEST

START_TEST(test_builder_errors) {
    double Pl0[FS * 2 * 2], Pl1[FS * 3], R[2 * FS * FJ];
    tables(Pl0, Pl1, R);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(NULL, 0, Pl0),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_local_transitions(NULL, local_fn, NULL),
                     MARL_EINVAL);
    /* dense builders refuse local tables */
    marl_markov_builder *d = NULL;
    ck_assert_int_eq(marl_markov_builder_new(&d, 2, FS, FA), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(d, 0, Pl0),
                     MARL_EINVAL);
    ck_assert(has("dense"));
    ck_assert_int_eq(marl_markov_builder_fill_local_transitions(d, local_fn, NULL),
                     MARL_EINVAL);
    marl_markov_builder_free(d);

    marl_markov_builder *b = new_builder();
    /* factored builders refuse dense transitions */
    double Pd[FS * FJ * FS] = {0};
    ck_assert_int_eq(marl_markov_builder_set_transitions(b, Pd), MARL_EINVAL);
    ck_assert(has("factored"));
    ck_assert_int_eq(marl_markov_builder_fill_transitions(
                         b, (marl_markov_transition_fn)(void (*)(void))local_fn,
                         NULL),
                     MARL_EINVAL);
    ck_assert(has("factored"));
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 2, Pl0),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 0, NULL),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_markov_builder_fill_local_transitions(b, NULL, NULL),
                     MARL_EINVAL);
    /* missing tables at build */
    marl_game *g = (marl_game *)&g, *gkeep = g;
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 0, Pl0), MARL_OK);
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_EINVAL);
    ck_assert(has("local transitions of agent 1 are missing"));
    ck_assert_ptr_eq(g, gkeep);
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 1, Pl1), MARL_OK);
    /* bad rows: the builder keeps its previous tables */
    double bad[FS * 2 * 2];
    memcpy(bad, Pl0, sizeof bad);
    for (size_t k = 0; k < FS * 4; ++k) bad[k] = 0.5; /* all rows (0.5, 0.5) */
    bad[(3 * 2 + 1) * 2 + 0] = 0.4; /* state 3, action 1 sums to 0.9 */
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 0, bad), MARL_EINVAL);
    ck_assert(has("local transition row of agent 0, state 3, action 1 sums to 0.9, "
                  "expected 1"));
    bad[(3 * 2 + 1) * 2 + 0] = -0.5;
    bad[(3 * 2 + 1) * 2 + 1] = 1.5;
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 0, bad), MARL_EINVAL);
    ck_assert(has("negative"));
    bad[(3 * 2 + 1) * 2 + 0] = NAN;
    ck_assert_int_eq(marl_markov_builder_set_local_transitions(b, 0, bad), MARL_EINVAL);
    ck_assert(has("not finite"));
    ck_assert_int_eq(marl_markov_builder_fill_local_transitions(b, failing_fn, NULL),
                     MARL_EINVAL);
    ck_assert(has("returned 7) at agent 1, state 4, action 0"));
    ck_assert_int_eq(marl_markov_builder_fill_local_transitions(b, bad_row_fn, NULL),
                     MARL_EINVAL);
    ck_assert(has("local transition row of agent 0, state 3, action 1 sums to 1.02"));
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    check_ref_game(g); /* the good tables survived every rejected call */
    marl_game_free(g);
    marl_markov_builder_free(b);
}
END_TEST

START_TEST(test_accessor_errors) {
    double Pl0[FS * 2 * 2], Pl1[FS * 3], R[2 * FS * FJ], row[3] = {-1, -1, -1};
    tables(Pl0, Pl1, R);
    marl_markov_builder *b = new_builder();
    ck_assert_int_eq(marl_markov_builder_fill_local_transitions(b, local_fn, NULL),
                     MARL_OK);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    marl_game *g = NULL;
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    marl_markov_builder_free(b);
    ck_assert_int_eq(marl_markov_local_transition_row(NULL, 0, 0, 0, row), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_local_transition_row(g, 0, 0, 0, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_markov_local_transition_row(g, 2, 0, 0, row), MARL_ERANGE);
    ck_assert(has("agent 2"));
    ck_assert_int_eq(marl_markov_local_transition_row(g, 0, 6, 0, row), MARL_ERANGE);
    ck_assert(has("state 6"));
    ck_assert_int_eq(marl_markov_local_transition_row(g, 1, 0, 1, row), MARL_ERANGE);
    ck_assert(has("action 1 of agent 1"));
    ck_assert(row[0] == -1.0 && row[1] == -1.0 && row[2] == -1.0);
    double full[FS];
    ck_assert_int_eq(marl_markov_transition_row(g, 0, 2, full), MARL_ERANGE);
    /* a dense game has no local tables */
    double P[2 * 1 * 2] = {0.5, 0.5, 0.5, 0.5}, Rd[2] = {0, 0};
    size_t one = 1;
    marl_game *d = NULL;
    ck_assert_int_eq(marl_markov_new(&d, 1, 2, &one, 0.5, NULL, P, Rd, NULL), MARL_OK);
    ck_assert_int_eq(marl_markov_is_factored(d), 0);
    ck_assert_uint_eq(marl_markov_num_local_states(d, 0), 0);
    ck_assert_int_eq(marl_markov_local_transition_row(d, 0, 0, 0, row), MARL_EINVAL);
    ck_assert(has("not factored"));
    marl_game_free(d);
    marl_game_free(g);
}
END_TEST

START_TEST(test_failalloc) {
    failalloc_install(-1);
    long live = failalloc_live();
    double Pl0[FS * 2 * 2], Pl1[FS * 3], R[2 * FS * FJ];
    tables(Pl0, Pl1, R);
    marl_markov_builder *b = NULL;
    FAILALLOC_SWEEP(marl_markov_builder_new_factored(&b, 2, FL, FA),
                    marl_markov_builder_free(b));
    b = new_builder();
    FAILALLOC_SWEEP(marl_markov_builder_set_local_transitions(b, 0, Pl0), (void)0);
    FAILALLOC_SWEEP(marl_markov_builder_fill_local_transitions(b, local_fn, NULL),
                    (void)0);
    ck_assert_int_eq(marl_markov_builder_set_rewards(b, R), MARL_OK);
    marl_game *g = NULL;
    FAILALLOC_SWEEP(marl_markov_builder_build(b, &g), marl_game_free(g));
    double row[FS];
    ck_assert_int_eq(marl_markov_builder_build(b, &g), MARL_OK);
    ck_assert_int_eq(marl_markov_transition_row(g, 5, 1, row), MARL_OK);
    ck_assert(row[5] == p0(1, 5, 1) * p1(2, 5));
    marl_game_free(g);
    marl_markov_builder_free(b);
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

int main(void) {
    Suite *s = suite_create("game-factored");
    TCase *tc = tcase_create("factored");
    tcase_add_test(tc, test_set_and_fill);
    tcase_add_test(tc, test_normalize);
    tcase_add_test(tc, test_new_errors);
    tcase_add_test(tc, test_builder_errors);
    tcase_add_test(tc, test_accessor_errors);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
