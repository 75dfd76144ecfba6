/* Simplex projection against a brute-force QP: for n <= 7 every non-empty
 * support set T gives the candidate p_T = v_T - (sum v_T - 1)/|T|, p = 0
 * off T (the KKT point of the equality-constrained problem on that face);
 * the projection is the feasible candidate nearest to v.
 * SPDX-License-Identifier: MIT */
#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdint.h>

#include "policy/simplex.h"

static uint64_t lcg = 12345;
static double urand(void) {
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg >> 11) * 0x1.0p-53;
}

static void brute(const double *v, size_t n, double *best) {
    double best_d = INFINITY, p[8];
    for (unsigned mask = 1; mask < (1u << n); ++mask) {
        double sum = 0.0;
        size_t k = 0;
        for (size_t i = 0; i < n; ++i)
            if (mask & (1u << i)) sum += v[i], ++k;
        double shift = (sum - 1.0) / (double)k;
        int ok = 1;
        double d = 0.0;
        for (size_t i = 0; i < n; ++i) {
            p[i] = (mask & (1u << i)) ? v[i] - shift : 0.0;
            if (p[i] < -1e-15) ok = 0;
            d += (p[i] - v[i]) * (p[i] - v[i]);
        }
        if (ok && d < best_d) {
            best_d = d;
            for (size_t i = 0; i < n; ++i) best[i] = p[i];
        }
    }
}

START_TEST(test_against_brute_force) {
    double v[8], out[8], work[8], ref[8];
    for (int trial = 0; trial < 20000; ++trial) {
        size_t n = 1 + (size_t)(urand() * 7);
        double scale = trial % 3 == 0 ? 10.0 : 1.0;
        for (size_t i = 0; i < n; ++i) v[i] = scale * (2.0 * urand() - 0.5);
        if (trial % 5 == 0 && n > 1) v[1] = v[0]; /* ties */
        marl_simplex_project(v, n, out, work);
        brute(v, n, ref);
        double sum = 0.0;
        for (size_t i = 0; i < n; ++i) {
            ck_assert(out[i] >= 0.0);
            ck_assert_msg(fabs(out[i] - ref[i]) < 1e-12,
                          "trial %d entry %zu: %.17g vs %.17g", trial, i,
                          out[i], ref[i]);
            sum += out[i];
        }
        ck_assert(fabs(sum - 1.0) < 1e-12);
    }
}
END_TEST

START_TEST(test_fixed_points_and_aliasing) {
    /* A distribution projects to itself; out may alias v. */
    double v[4] = {0.1, 0.2, 0.3, 0.4}, work[4];
    marl_simplex_project(v, 4, v, work);
    ck_assert_double_eq_tol(v[0], 0.1, 1e-15);
    ck_assert_double_eq_tol(v[3], 0.4, 1e-15);
    /* Hand case: (2, 0) -> (1, 0); (0.5, 0.5, 1) -> (1/6, 1/6, 2/3). */
    double a[2] = {2.0, 0.0}, b[3] = {0.5, 0.5, 1.0}, o[3];
    marl_simplex_project(a, 2, o, work);
    ck_assert_double_eq_tol(o[0], 1.0, 1e-15);
    ck_assert_double_eq_tol(o[1], 0.0, 1e-15);
    marl_simplex_project(b, 3, o, work);
    ck_assert_double_eq_tol(o[0], 1.0 / 6.0, 1e-15);
    ck_assert_double_eq_tol(o[2], 2.0 / 3.0, 1e-15);
}
END_TEST

int main(void) {
    Suite *s = suite_create("policy-simplex");
    TCase *tc = tcase_create("simplex");
    tcase_add_test(tc, test_against_brute_force);
    tcase_add_test(tc, test_fixed_points_and_aliasing);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
