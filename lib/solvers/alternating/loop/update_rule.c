/*
 * The UPDATE rule of ALTERNATING-MARL (see update_rule.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/loop/update_rule.h"

#include "core/internal.h"

#include <math.h>

int marl_alt_update_decide(const double *v_old, const double *v_new,
                           size_t n, double eps) {
    static const char fn[] = "the UPDATE rule";
    if (!v_old || !v_new || n == 0)
        return marl_error(MARL_EINVAL, "%s: no evaluated start state", fn);
    if (!isfinite(eps) || eps < 0)
        return marl_error(MARL_EINVAL,
                          "%s: the confidence radius %g is not a finite "
                          "non-negative number",
                          fn, eps);
    for (size_t s = 0; s < n; ++s)
        if (!isfinite(v_old[s]) || !isfinite(v_new[s]))
            return marl_error(MARL_EINVAL,
                              "%s: the value estimate at start state %zu is "
                              "not finite",
                              fn, s);
    int all_better = 1, some_worse = 0;
    for (size_t s = 0; s < n; ++s) {
        double d = v_new[s] - v_old[s];
        if (!(d >= 2.0 * eps && d > 0)) all_better = 0;
        if (-d >= 2.0 * eps && d < 0) some_worse = 1;
    }
    if (all_better) return MARL_ALT_ACCEPT;
    if (some_worse) return MARL_ALT_REJECT;
    return MARL_ALT_STOP;
}
