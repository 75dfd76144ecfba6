/* Status strings and the thread-local last-error message.
 * SPDX-License-Identifier: MIT */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MARL_ERRMSG_CAP 512

static _Thread_local char tl_message[MARL_ERRMSG_CAP];
static _Thread_local int tl_code;

const char *marl_strerror(int status) {
    switch (status) {
    case MARL_OK: return "success";
    case MARL_CONVERGED: return "converged";
    case MARL_EINVAL: return "invalid argument";
    case MARL_ENOMEM: return "out of memory";
    case MARL_EKIND: return "unsupported game kind";
    case MARL_ERANGE: return "out of range";
    case MARL_EFORMAT: return "bad format";
    case MARL_ECANCELLED: return "cancelled";
    case MARL_ENOTCONV: return "not converged";
    case MARL_EINTERNAL: return "internal error";
    default: return "unknown status";
    }
}

const char *marl_last_error(void) { return tl_message; }

int marl_last_error_code(void) { return tl_code; }

void marl_clear_error(void) {
    tl_message[0] = '\0';
    tl_code = MARL_OK;
}

int marl_error(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tl_message, sizeof tl_message, fmt, ap);
    va_end(ap);
    tl_code = code;
    marl_log(MARL_LOG_DEBUG, "error %d (%s): %s", code, marl_strerror(code),
             tl_message);
    return code;
}

int marl_error_nomem(const char *what) {
    return marl_error(MARL_ENOMEM, "out of memory allocating %s", what);
}

int marl_check_distribution(const double *p, size_t n, const char *what) {
    double sum = 0.0;
    for (size_t k = 0; k < n; ++k) {
        if (!isfinite(p[k]))
            return marl_error(MARL_EINVAL, "%s: entry %zu is not finite", what,
                              k);
        if (p[k] < 0.0)
            return marl_error(MARL_EINVAL, "%s: entry %zu is negative (%.17g)",
                              what, k, p[k]);
        sum += p[k];
    }
    if (fabs(sum - 1.0) > MARL_PROB_TOL)
        return marl_error(MARL_EINVAL, "%s sums to %.17g, expected 1", what,
                          sum);
    return MARL_OK;
}
