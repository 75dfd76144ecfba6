/* The nash_regret column of every mpg solver (ALGORITHMS.md §1:
 * Nash-regret(T) = (1/T) sum_t Nash-gap(pi^(t))): at every row it equals
 * the mean of the non-NaN entries of the nash_gap column up to that row
 * (bit for bit: the same sum in the same order), for eval_every = 1, 3 and
 * 0 (all NaN); it is the common column 4 of every type; and failed steps
 * (allocation failures injected at every allocation of a step) never count
 * twice.
 * SPDX-License-Identifier: MIT */
#include "marlgame/marlgame.h"
#include "marlgame/mpg.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <string.h>

static const marl_solver_type *const types[7] = {
    &marl_solver_mpg_softmax_pg,       &marl_solver_mpg_npg,
    &marl_solver_mpg_npg_br,           &marl_solver_mpg_projected_pg,
    &marl_solver_mpg_q_ascent,         &marl_solver_mpg_optimistic_q_ascent,
    &marl_solver_mpg_q_ascent_sampled};

static marl_game *small_game(void) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_game_random_mpg_new(&g, 2, 3, 2, 1, 0.8, 4), MARL_OK);
    return g;
}

static marl_solver *make(const marl_solver_type *t, marl_game *g,
                         long long eval_every) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, t, g), MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 3), MARL_OK);
    ck_assert_int_eq(marl_solver_set_int(s, "eval_every", eval_every), MARL_OK);
    if (t == &marl_solver_mpg_q_ascent_sampled)
        ck_assert_int_eq(marl_solver_set_int(s, "k", 50), MARL_OK);
    if (t == &marl_solver_mpg_npg_br) /* never stop early */
        ck_assert_int_eq(marl_solver_set_real(s, "epsilon", 0.0), MARL_OK);
    return s;
}

/* nash_regret of every row = running mean of the evaluated nash_gap. */
static void check_column(marl_solver *s, long long eval_every) {
    size_t cg = 0, cr = 0, rows = marl_solver_history_length(s);
    ck_assert_int_eq(marl_solver_metric_index(s, "nash_gap", &cg), MARL_OK);
    ck_assert_int_eq(marl_solver_metric_index(s, "nash_regret", &cr), MARL_OK);
    ck_assert_uint_eq(cr, cg + 4);
    double row[32], sum = 0.0;
    size_t n = 0;
    ck_assert_uint_le(marl_solver_metric_count(s), 32);
    for (size_t r = 0; r < rows; ++r) {
        ck_assert_int_eq(marl_solver_history_row(s, r, row), MARL_OK);
        int due = eval_every > 0 && (r + 1) % (size_t)eval_every == 0;
        ck_assert(due == !isnan(row[cg]));
        if (due) {
            ck_assert(row[cg] >= -1e-12);
            sum += row[cg];
            ++n;
        }
        if (n == 0)
            ck_assert(isnan(row[cr]));
        else
            ck_assert_msg(row[cr] == sum / (double)n,
                          "%s row %zu: nash_regret %.17g, mean %.17g",
                          marl_solver_get_type(s)->name, r, row[cr],
                          sum / (double)n);
    }
}

START_TEST(test_names) {
    for (int k = 0; k < 7; ++k) {
        ck_assert_uint_ge(types[k]->n_metrics, 5);
        ck_assert_str_eq(types[k]->metric_names[0], "nash_gap");
        ck_assert_str_eq(types[k]->metric_names[4], "nash_regret");
    }
}
END_TEST

START_TEST(test_mean_of_gaps) {
    marl_game *g = small_game();
    const long long every[3] = {1, 3, 0};
    for (int k = 0; k < 7; ++k)
        for (int e = 0; e < 3; ++e) {
            marl_solver *s = make(types[k], g, every[e]);
            int rc = marl_solver_run(s, 10, 0.0, 0.0, NULL);
            ck_assert_msg(rc == MARL_OK, "%s: %d %s", types[k]->name, rc,
                          marl_last_error());
            ck_assert_uint_eq(marl_solver_history_length(s), 10);
            check_column(s, every[e]);
            /* a reset solver starts a new mean */
            ck_assert_int_eq(marl_solver_reset(s), MARL_OK);
            ck_assert_int_eq(marl_solver_run(s, 4, 0.0, 0.0, NULL), MARL_OK);
            check_column(s, every[e]);
            marl_solver_free(s);
        }
    /* the first rows by hand for one solver: (g1), (g1+g2)/2, ... */
    marl_solver *s = make(&marl_solver_mpg_npg, g, 1);
    ck_assert_int_eq(marl_solver_run(s, 3, 0.0, 0.0, NULL), MARL_OK);
    double r0[16], r1[16], r2[16];
    ck_assert_int_eq(marl_solver_history_row(s, 0, r0), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, 1, r1), MARL_OK);
    ck_assert_int_eq(marl_solver_history_row(s, 2, r2), MARL_OK);
    ck_assert(r0[6] == r0[2]);
    ck_assert(r1[6] == (r0[2] + r1[2]) / 2.0);
    ck_assert(r2[6] == (r0[2] + r1[2] + r2[2]) / 3.0);
    ck_assert(r2[2] < r0[2]); /* NPG improves here, so the regret lags */
    ck_assert(r2[6] > r2[2]);
    marl_solver_free(s);
    marl_game_free(g);
}
END_TEST

START_TEST(test_failed_steps) {
    /* Every allocation of steps 2..4 fails once in turn before the step
     * succeeds: the history equals an undisturbed run's, bit for bit. */
    failalloc_install(-1);
    marl_game *g = small_game();
    for (int k = 0; k < 7; ++k) {
        marl_solver *ref = make(types[k], g, 1), *s = make(types[k], g, 1);
        ck_assert_int_eq(marl_solver_run(ref, 4, 0.0, 0.0, NULL), MARL_OK);
        ck_assert_int_eq(marl_solver_step(s), MARL_OK);
        for (int it = 1; it < 4; ++it)
            for (long f = 0;; ++f) {
                long before = failalloc_live();
                failalloc_install(f);
                int rc = marl_solver_step(s);
                failalloc_uninstall();
                if (rc == MARL_OK) break;
                ck_assert_int_eq(rc, MARL_ENOMEM);
                ck_assert(failalloc_live() == before);
                ck_assert(f < 10000);
            }
        check_column(s, 1);
        double a[32], b[32];
        size_t n = marl_solver_metric_count(s);
        for (size_t r = 0; r < 4; ++r) {
            ck_assert_int_eq(marl_solver_history_row(s, r, a), MARL_OK);
            ck_assert_int_eq(marl_solver_history_row(ref, r, b), MARL_OK);
            for (size_t c = 2; c < n; ++c)
                ck_assert_msg(a[c] == b[c] || (isnan(a[c]) && isnan(b[c])),
                              "%s row %zu col %zu", types[k]->name, r, c);
        }
        marl_solver_free(s);
        marl_solver_free(ref);
    }
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("mpg-regret");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_mean_of_gaps);
    tcase_add_test(tc, test_failed_steps);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
