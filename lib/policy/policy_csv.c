/*
 * CSV text form of policies (format documented in policy.h):
 *   agent,step,state,action,prob
 *   0,0,0,1,0.25
 * Lines end with "\n" (the reader also accepts "\r\n"); blank lines are
 * ignored by the reader. Numbers are written and read in the "C" locale's
 * format whatever the process locale.
 * SPDX-License-Identifier: MIT
 */
#include "policy/policy_impl.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char csv_header[] = "agent,step,state,action,prob";

/* The process locale's decimal point if it is a single character other
 * than '.', else 0. */
static char locale_point(void) {
    const struct lconv *lc = localeconv();
    if (lc && lc->decimal_point && lc->decimal_point[0] &&
        !lc->decimal_point[1] && lc->decimal_point[0] != '.')
        return lc->decimal_point[0];
    return 0;
}

/* ---- writer ---------------------------------------------------------------- */

typedef struct sbuf {
    char *data;
    size_t len, cap;
} sbuf;

static int sbuf_append(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2) return MARL_ENOMEM;
            cap *= 2;
        }
        char *d = marl_realloc(b->data, cap);
        if (!d) return MARL_ENOMEM;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return MARL_OK;
}

int marl_policy_to_csv(const marl_policy *policy, char **text,
                       size_t *length) {
    const char *fn = "marl_policy_to_csv";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!text) return marl_error(MARL_EINVAL, "%s: text is NULL", fn);
    size_t A_max = 0;
    for (size_t t = 0; t < policy->n_tables; ++t)
        if (policy->n_actions[t] > A_max) A_max = policy->n_actions[t];
    double *probs = marl_calloc(A_max, sizeof *probs);
    if (!probs) return marl_error_nomem("the CSV row buffer");
    sbuf b = {NULL, 0, 0};
    char point = locale_point();
    int rc = sbuf_append(&b, csv_header, sizeof csv_header - 1);
    if (!rc) rc = sbuf_append(&b, "\n", 1);
    for (size_t t = 0; !rc && t < policy->n_tables; ++t) {
        size_t A = policy->n_actions[t];
        for (size_t h = 0; !rc && h < policy->n_steps; ++h)
            for (size_t s = 0; !rc && s < policy->n_states; ++s) {
                marl_policy_probs_unchecked(policy, t, h, s, probs);
                for (size_t a = 0; !rc && a < A; ++a) {
                    if (probs[a] == 0.0) continue;
                    char line[160];
                    int n = snprintf(line, sizeof line, "%zu,%zu,%zu,%zu,%.17g\n",
                                     t, h, s, a, probs[a]);
                    if (n < 0 || (size_t)n >= sizeof line) {
                        rc = MARL_EINTERNAL;
                        break;
                    }
                    if (point)
                        for (int k = 0; k < n; ++k)
                            if (line[k] == point) line[k] = '.';
                    rc = sbuf_append(&b, line, (size_t)n);
                }
            }
    }
    marl_free(probs);
    if (rc) {
        marl_free(b.data);
        if (rc == MARL_ENOMEM) return marl_error_nomem("the CSV text");
        return marl_error(rc, "%s: formatting failed", fn);
    }
    *text = b.data;
    if (length) *length = b.len;
    return MARL_OK;
}

/* ---- reader ---------------------------------------------------------------- */

/* Parse a strict non-negative decimal integer (digits only) in [s, e). */
static int parse_index(const char *s, const char *e, size_t *out) {
    if (s == e) return -1;
    size_t v = 0;
    for (; s < e; ++s) {
        if (*s < '0' || *s > '9') return -1;
        size_t d = (size_t)(*s - '0');
        if (v > (SIZE_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Parse a finite, non-negative probability in [s, e) with strtod. */
static int parse_prob(const char *s, const char *e, char point, double *out) {
    char tmp[64];
    size_t n = (size_t)(e - s);
    if (n == 0 || n >= sizeof tmp) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (tmp[0] == ' ' || tmp[0] == '\t' || tmp[0] == '\n' || tmp[0] == '\r' ||
        tmp[0] == '\f' || tmp[0] == '\v')
        return -1;
    if (point)
        for (size_t k = 0; k < n; ++k)
            if (tmp[k] == '.') tmp[k] = point;
    char *end = NULL;
    double v = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(v) || v < 0.0) return -1;
    *out = v;
    return 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Split [s, e) on commas into exactly five trimmed fields. */
static int split5(const char *s, const char *e, const char *fs[5],
                  const char *fe[5]) {
    int n = 0;
    const char *p = s;
    for (;;) {
        const char *q = p;
        while (q < e && *q != ',') ++q;
        if (n == 5) return -1;
        const char *a = p, *b = q;
        while (a < b && is_blank(*a)) ++a;
        while (b > a && is_blank(b[-1])) --b;
        fs[n] = a;
        fe[n] = b;
        ++n;
        if (q == e) break;
        p = q + 1;
    }
    return n == 5 ? 0 : -1;
}

int marl_policy_from_csv(marl_policy *policy, const char *text,
                         size_t length) {
    const char *fn = "marl_policy_from_csv";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!text) return marl_error(MARL_EINVAL, "%s: text is NULL", fn);
    size_t S = policy->n_states, H = policy->n_steps, T = policy->n_tables;
    size_t n_rows = T * H * S; /* bounded by n_values */
    double *vals = marl_calloc(policy->n_values, sizeof *vals);
    unsigned char *seen = marl_calloc(policy->n_values, 1);
    size_t *row_line = marl_calloc(n_rows, sizeof *row_line);
    if (!vals || !seen || !row_line) {
        marl_free(vals);
        marl_free(seen);
        marl_free(row_line);
        return marl_error_nomem("the CSV parse buffers");
    }
    char point = locale_point();
    int rc = MARL_OK, have_header = 0;
    size_t line_no = 0;
    const char *p = text, *end = text + length;
    while (p < end && !rc) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        const char *next = eol ? eol + 1 : end;
        ++line_no;
        if (le > p && le[-1] == '\r') --le;
        const char *ls = p;
        p = next;
        const char *a = ls, *b = le;
        while (a < b && is_blank(*a)) ++a;
        while (b > a && is_blank(b[-1])) --b;
        if (a == b) continue; /* blank line */
        if (!have_header) {
            if ((size_t)(b - a) != sizeof csv_header - 1 ||
                memcmp(a, csv_header, sizeof csv_header - 1) != 0) {
                rc = marl_error(MARL_EFORMAT,
                                "%s: line %zu: expected the header \"%s\"", fn,
                                line_no, csv_header);
                break;
            }
            have_header = 1;
            continue;
        }
        const char *fs[5], *fe[5];
        if (split5(a, b, fs, fe)) {
            rc = marl_error(MARL_EFORMAT,
                            "%s: line %zu: expected 5 comma-separated fields "
                            "(agent,step,state,action,prob)", fn, line_no);
            break;
        }
        static const char *const names[4] = {"agent", "step", "state",
                                             "action"};
        size_t idx[4];
        for (int k = 0; k < 4 && !rc; ++k)
            if (parse_index(fs[k], fe[k], &idx[k]))
                rc = marl_error(MARL_EFORMAT,
                                "%s: line %zu: %s \"%.*s\" is not a "
                                "non-negative integer", fn, line_no, names[k],
                                (int)(fe[k] - fs[k] > 40 ? 40 : fe[k] - fs[k]),
                                fs[k]);
        if (rc) break;
        double prob;
        if (parse_prob(fs[4], fe[4], point, &prob)) {
            rc = marl_error(MARL_EFORMAT,
                            "%s: line %zu: prob \"%.*s\" is not a finite "
                            "non-negative number", fn, line_no,
                            (int)(fe[4] - fs[4] > 40 ? 40 : fe[4] - fs[4]),
                            fs[4]);
            break;
        }
        size_t t = idx[0], h = idx[1], s = idx[2], act = idx[3];
        if (t >= T || h >= H || s >= S || act >= policy->n_actions[t]) {
            const char *what = t >= T ? "agent" : h >= H ? "step"
                             : s >= S ? "state" : "action";
            size_t v = t >= T ? t : h >= H ? h : s >= S ? s : act;
            size_t lim = t >= T ? T : h >= H ? H : s >= S ? S
                       : policy->n_actions[t];
            rc = marl_error(MARL_EFORMAT,
                            "%s: line %zu: %s %zu is out of range [0, %zu)%s",
                            fn, line_no, what, v, lim,
                            (t >= T && (policy->flags & MARL_POLICY_SHARED))
                                ? " (shared policies use agent 0)" : "");
            break;
        }
        size_t row = (t * H + h) * S + s;
        size_t k = policy->offset[t] + (h * S + s) * policy->n_actions[t] + act;
        if (seen[k]) {
            rc = marl_error(MARL_EFORMAT,
                            "%s: line %zu: duplicate entry (agent %zu, step "
                            "%zu, state %zu, action %zu)", fn, line_no, t, h,
                            s, act);
            break;
        }
        seen[k] = 1;
        vals[k] = prob;
        row_line[row] = line_no;
    }
    if (!rc && !have_header)
        rc = marl_error(MARL_EFORMAT, "%s: missing header \"%s\"", fn,
                        csv_header);
    /* Every row listed and summing to 1; LOGITS rows strictly positive. */
    int logits = (policy->flags & MARL_POLICY_LOGITS) != 0;
    for (size_t t = 0; !rc && t < T; ++t) {
        size_t A = policy->n_actions[t];
        for (size_t h = 0; !rc && h < H; ++h)
            for (size_t s = 0; !rc && s < S; ++s) {
                size_t row = (t * H + h) * S + s;
                double *x = vals + policy->offset[t] + (h * S + s) * A;
                if (!row_line[row]) {
                    rc = marl_error(MARL_EFORMAT,
                                    "%s: row (agent %zu, step %zu, state %zu) "
                                    "is not listed", fn, t, h, s);
                    break;
                }
                double sum = 0.0;
                for (size_t a = 0; a < A; ++a) sum += x[a];
                if (fabs(sum - 1.0) > MARL_PROB_TOL) {
                    rc = marl_error(MARL_EFORMAT,
                                    "%s: row (agent %zu, step %zu, state %zu) "
                                    "sums to %.17g, expected 1 (last entry on "
                                    "line %zu)", fn, t, h, s, sum,
                                    row_line[row]);
                    break;
                }
                if (!logits) continue;
                double mean = 0.0;
                for (size_t a = 0; a < A; ++a) {
                    if (!(x[a] > 0.0)) {
                        rc = marl_error(MARL_ERANGE,
                                        "%s: row (agent %zu, step %zu, state "
                                        "%zu): action %zu has probability 0, "
                                        "which a LOGITS policy cannot "
                                        "represent", fn, t, h, s, a);
                        break;
                    }
                    mean += log(x[a]);
                }
                if (rc) break;
                mean /= (double)A;
                for (size_t a = 0; a < A; ++a) x[a] = log(x[a]) - mean;
            }
    }
    if (!rc) memcpy(policy->values, vals, policy->n_values * sizeof *vals);
    marl_free(vals);
    marl_free(seen);
    marl_free(row_line);
    return rc;
}
