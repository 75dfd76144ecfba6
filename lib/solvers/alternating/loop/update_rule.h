/*
 * The UPDATE rule of ALTERNATING-MARL (seed 004, Alg. ALTERNATING-MARL,
 * function UPDATE; Lemma D.14; ALGORITHMS.md §4), as a pure function.
 *
 * Given estimated joint values of the current pair pi and of the proposal
 * pi' at every evaluated start state s (v_old[s], v_new[s]), each known up
 * to a confidence radius eps (|v_hat - v| <= eps with high probability):
 *   Case 1 (accept): the eps-interval of pi' lies ahead of that of pi at
 *           EVERY state: v_new[s] - eps >= v_old[s] + eps for all s.
 *   Case 2 (reject): at SOME state the interval of pi lies ahead of that of
 *           pi': v_old[s] - eps >= v_new[s] + eps.
 *   Case 3 (stop): otherwise (the intervals overlap): pi is an approximate
 *           Nash equilibrium and the loop terminates.
 * Case 1 is tested first, then Case 2, so a proposal that is clearly better
 * somewhere and clearly worse elsewhere is rejected. The differences are
 * also required to be strictly positive (Case 1) or negative (Case 2), so
 * with eps = 0 an unchanged value is never "accepted" (Case 3 instead).
 * Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_ALT_UPDATE_RULE_H
#define MARL_ALT_UPDATE_RULE_H

#include <stddef.h>

enum {
    MARL_ALT_ACCEPT = 1, /* Case 1 */
    MARL_ALT_REJECT = 2, /* Case 2 */
    MARL_ALT_STOP = 3    /* Case 3 */
};

/* The decision for n >= 1 states; eps >= 0. Returns MARL_ALT_ACCEPT,
 * MARL_ALT_REJECT or MARL_ALT_STOP, or MARL_EINVAL (with a message naming
 * the state) if n == 0, eps is negative or not finite, or a value is not
 * finite. */
int marl_alt_update_decide(const double *v_old, const double *v_new,
                           size_t n, double eps);

#endif /* MARL_ALT_UPDATE_RULE_H */
