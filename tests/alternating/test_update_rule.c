/*
 * The UPDATE rule's three cases (seed 004, Lemma D.14) on constructed
 * value intervals, its boundaries (exactly 2 eps apart), eps = 0, the
 * precedence of Case 1 over Case 2, and bad input.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "check_main.h"
#include <marlgame/core.h>
#include "solvers/alternating/loop/update_rule.h"

START_TEST(test_cases) {
    const double old[3] = {1.0, 2.0, 3.0};
    /* Case 1: every state ahead by more than 2 eps */
    const double up[3] = {1.5, 2.3, 3.21};
    ck_assert_int_eq(marl_alt_update_decide(old, up, 3, 0.1), MARL_ALT_ACCEPT);
    /* exactly 2 eps ahead everywhere (dyadic numbers: exact) */
    const double o2[2] = {1.0, 2.0}, n2[2] = {1.5, 2.5};
    ck_assert_int_eq(marl_alt_update_decide(o2, n2, 2, 0.25), MARL_ALT_ACCEPT);
    /* just under 2 eps at one state: overlap, Case 3 */
    const double n3[2] = {1.5, 2.4999};
    ck_assert_int_eq(marl_alt_update_decide(o2, n3, 2, 0.25), MARL_ALT_STOP);
    /* Case 2: one state clearly worse, the rest overlapping */
    const double dn[3] = {1.0, 1.7, 3.0};
    ck_assert_int_eq(marl_alt_update_decide(old, dn, 3, 0.1), MARL_ALT_REJECT);
    /* clearly worse by exactly 2 eps */
    const double n4[2] = {0.5, 2.0};
    ck_assert_int_eq(marl_alt_update_decide(o2, n4, 2, 0.25), MARL_ALT_REJECT);
    /* better somewhere, worse elsewhere: not Case 1, so Case 2 */
    const double mixed[3] = {2.0, 1.0, 4.0};
    ck_assert_int_eq(marl_alt_update_decide(old, mixed, 3, 0.1),
                     MARL_ALT_REJECT);
    /* better at some states, overlapping at the others: Case 3 */
    const double part[3] = {2.0, 2.05, 4.0};
    ck_assert_int_eq(marl_alt_update_decide(old, part, 3, 0.1), MARL_ALT_STOP);
    /* identical values: Case 3 for any eps, including 0 */
    ck_assert_int_eq(marl_alt_update_decide(old, old, 3, 0.1), MARL_ALT_STOP);
    ck_assert_int_eq(marl_alt_update_decide(old, old, 3, 0.0), MARL_ALT_STOP);
    /* eps = 0: strict comparisons */
    ck_assert_int_eq(marl_alt_update_decide(old, up, 3, 0.0), MARL_ALT_ACCEPT);
    ck_assert_int_eq(marl_alt_update_decide(old, dn, 3, 0.0), MARL_ALT_REJECT);
    /* a single state */
    ck_assert_int_eq(marl_alt_update_decide(old, up, 1, 0.2), MARL_ALT_ACCEPT);
    ck_assert_int_eq(marl_alt_update_decide(up, old, 1, 0.2), MARL_ALT_REJECT);
    ck_assert_int_eq(marl_alt_update_decide(up, old, 1, 0.3), MARL_ALT_STOP);
}
END_TEST

START_TEST(test_bad_input) {
    const double v[2] = {1.0, 2.0}, bad[2] = {1.0, NAN};
    ck_assert_int_eq(marl_alt_update_decide(v, v, 0, 0.1), MARL_EINVAL);
    ck_assert_int_eq(marl_alt_update_decide(NULL, v, 2, 0.1), MARL_EINVAL);
    ck_assert_int_eq(marl_alt_update_decide(v, v, 2, -0.1), MARL_EINVAL);
    ck_assert_int_eq(marl_alt_update_decide(v, v, 2, NAN), MARL_EINVAL);
    ck_assert_int_eq(marl_alt_update_decide(v, v, 2, INFINITY), MARL_EINVAL);
    ck_assert_int_eq(marl_alt_update_decide(v, bad, 2, 0.1), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "start state 1"));
    ck_assert_int_eq(marl_alt_update_decide(bad, v, 2, 0.1), MARL_EINVAL);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("alternating-update-rule");
    TCase *tc = tcase_create("update");
    tcase_add_test(tc, test_cases);
    tcase_add_test(tc, test_bad_input);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
