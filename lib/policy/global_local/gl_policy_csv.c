/*
 * Policy pairs of global-local games as CSV text (global_local.h,
 * docs/global-local.md): marl_gl_policy_write_csv and
 * marl_gl_policy_read_csv[_ex]. Doubles are printed with "%.17g" and read
 * with strtod, so a round trip is bit-exact.
 * SPDX-License-Identifier: MIT
 */
#include "policy/global_local/gl_policy_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- write ----------------------------------------------------------------- */

typedef struct emitter {
    char *buf; /* NULL: count only */
    size_t pos;
} emitter;

static void emit(emitter *e, const char *s, size_t n) {
    if (e->buf) memcpy(e->buf + e->pos, s, n);
    e->pos += n;
}

static void emit_size(emitter *e, size_t v) {
    char t[32];
    int n = snprintf(t, sizeof t, "%zu", v);
    emit(e, t, (size_t)n);
}

static void emit_row(emitter *e, const char *tag, size_t i1, size_t i2,
                     const double *p, size_t n) {
    emit(e, tag, strlen(tag));
    emit_size(e, i1);
    emit(e, ",", 1);
    emit_size(e, i2);
    for (size_t a = 0; a < n; ++a) {
        char t[40];
        int m = snprintf(t, sizeof t, ",%.17g", p[a]);
        emit(e, t, (size_t)m);
    }
    emit(e, "\n", 1);
}

static void emit_policy(emitter *e, const marl_gl_policy *p) {
    static const char head[] =
        "# marl_gl_policy: k,K / global,s_g,rank,pi_g(0..A_g-1) / "
        "local,s_l,s_g,pi_l(0..A_l-1)\nk,";
    emit(e, head, sizeof head - 1);
    emit_size(e, p->k);
    emit(e, "\n", 1);
    for (size_t sg = 0; sg < p->Sg; ++sg)
        for (size_t r = 0; r < p->C; ++r)
            emit_row(e, "global,", sg, r, p->pg + (sg * p->C + r) * p->Ag,
                     p->Ag);
    for (size_t sl = 0; sl < p->Sl; ++sl)
        for (size_t sg = 0; sg < p->Sg; ++sg)
            emit_row(e, "local,", sl, sg, p->pl + (sl * p->Sg + sg) * p->Al,
                     p->Al);
}

int marl_gl_policy_write_csv(const marl_gl_policy *policy, char *buf,
                             size_t cap, size_t *size) {
    static const char fn[] = "marl_gl_policy_write_csv";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!size) return marl_error(MARL_EINVAL, "%s: size is NULL", fn);
    /* Each number takes at most 24 characters plus a comma; rows are
     * bounded by MARL_GL_MAX_ENTRIES, so the count cannot overflow. */
    emitter e = {NULL, 0};
    emit_policy(&e, policy);
    size_t need = e.pos;
    *size = need;
    if (!buf) return MARL_OK;
    if (cap < need)
        return marl_error(MARL_ERANGE,
                          "%s: buffer of %zu bytes is too small, the text "
                          "needs %zu",
                          fn, cap, need);
    e.buf = buf;
    e.pos = 0;
    emit_policy(&e, policy);
    if (cap > need) buf[need] = '\0';
    return MARL_OK;
}

/* ---- read ------------------------------------------------------------------ */

static const char rfn[] = "marl_gl_policy_read_csv";

/* One line of the text: [s, s + n), without its line end. */
typedef struct line_cursor {
    const char *text;
    size_t len, pos, no;
} line_cursor;

static int next_line(line_cursor *c, const char **s, size_t *n) {
    if (c->pos >= c->len) return 0;
    const char *start = c->text + c->pos;
    const char *nl = memchr(start, '\n', c->len - c->pos);
    size_t m = nl ? (size_t)(nl - start) : c->len - c->pos;
    c->pos += m + (nl ? 1 : 0);
    ++c->no;
    if (m && start[m - 1] == '\r') --m;
    *s = start;
    *n = m;
    return 1;
}

/* Next comma-separated field of [*s, end): its bounds; advances *s past the
 * comma. Returns 0 when there is no field left. */
static int next_field(const char **s, const char *end, const char **f,
                      size_t *fn) {
    if (!*s) return 0;
    const char *c = memchr(*s, ',', (size_t)(end - *s));
    *f = *s;
    *fn = c ? (size_t)(c - *s) : (size_t)(end - *s);
    *s = c ? c + 1 : NULL;
    return 1;
}

static int parse_size(const char *f, size_t n, size_t *out) {
    if (n == 0 || n > 20) return -1;
    size_t v = 0;
    for (size_t i = 0; i < n; ++i) {
        if (f[i] < '0' || f[i] > '9') return -1;
        size_t d = (size_t)(f[i] - '0');
        if (v > (SIZE_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int parse_double(const char *f, size_t n, double *out) {
    char t[64];
    if (n == 0 || n >= sizeof t) return -1;
    memcpy(t, f, n);
    t[n] = '\0';
    if (t[0] != '-' && t[0] != '+' && t[0] != '.' &&
        (t[0] < '0' || t[0] > '9'))
        return -1; /* no leading blanks, no "inf"/"nan" */
    char *e = NULL;
    double v = strtod(t, &e);
    if (e != t + n || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static int is_tag(const char *f, size_t n, const char *tag) {
    return n == strlen(tag) && memcmp(f, tag, n) == 0;
}

static int skip_line(const char *s, size_t n) {
    return n == 0 || s[0] == '#';
}

/* First pass: the k row (at most one). *k_file = 0 if absent. */
static int find_k(const char *text, size_t len, size_t *k_file,
                  size_t *k_line) {
    line_cursor c = {text, len, 0, 0};
    const char *s, *f;
    size_t n, fn;
    *k_file = 0;
    *k_line = 0;
    while (next_line(&c, &s, &n)) {
        if (skip_line(s, n)) continue;
        const char *end = s + n;
        next_field(&s, end, &f, &fn);
        if (!is_tag(f, fn, "k")) continue;
        if (*k_line)
            return marl_error(MARL_EFORMAT,
                              "%s: line %zu: a second k row (the first is "
                              "on line %zu)",
                              rfn, c.no, *k_line);
        size_t v = 0;
        if (!next_field(&s, end, &f, &fn) || parse_size(f, fn, &v) || v == 0)
            return marl_error(MARL_EFORMAT,
                              "%s: line %zu: k must be a positive integer",
                              rfn, c.no);
        if (s)
            return marl_error(MARL_EFORMAT,
                              "%s: line %zu: extra columns after k", rfn,
                              c.no);
        *k_file = v;
        *k_line = c.no;
    }
    return MARL_OK;
}

/* Parse one global/local row into the policy; `seen` marks the rows. */
static int read_row(marl_gl_policy *p, unsigned char *seen, int global,
                    const char *s, const char *end, size_t line,
                    size_t *row_line) {
    const char *what = global ? "global" : "local";
    const char *f;
    size_t fn, i1, i2;
    if (!next_field(&s, end, &f, &fn) || parse_size(f, fn, &i1) ||
        !next_field(&s, end, &f, &fn) || parse_size(f, fn, &i2))
        return marl_error(MARL_EFORMAT,
                          "%s: line %zu: %s row: bad or missing index", rfn,
                          line, what);
    size_t lim1 = global ? p->Sg : p->Sl, lim2 = global ? p->C : p->Sg;
    if (i1 >= lim1 || i2 >= lim2)
        return marl_error(MARL_EFORMAT,
                          global ? "%s: line %zu: global row (s_g = %zu, "
                                   "rank = %zu) out of range (|S_g| = %zu, "
                                   "%zu count vectors)"
                                 : "%s: line %zu: local row (s_l = %zu, "
                                   "s_g = %zu) out of range (|S_l| = %zu, "
                                   "|S_g| = %zu)",
                          rfn, line, i1, i2, lim1, lim2);
    size_t A = global ? p->Ag : p->Al;
    size_t row = global ? i1 * p->C + i2 : p->Sg * p->C + i1 * p->Sg + i2;
    if (seen[row])
        return marl_error(MARL_EFORMAT,
                          "%s: line %zu: %s row (%zu, %zu) repeats line %zu",
                          rfn, line, what, i1, i2, row_line[row]);
    double *dst = global ? p->pg + row * A
                         : p->pl + (i1 * p->Sg + i2) * A;
    size_t m = 0;
    double sum = 0.0, v;
    while (next_field(&s, end, &f, &fn)) {
        if (m == A)
            return marl_error(MARL_EFORMAT,
                              "%s: line %zu: %s row has more than %zu "
                              "probabilities",
                              rfn, line, what, A);
        if (parse_double(f, fn, &v))
            return marl_error(MARL_EFORMAT,
                              "%s: line %zu: %s row: probability %zu is "
                              "not a finite number",
                              rfn, line, what, m);
        if (v < 0.0)
            return marl_error(MARL_EFORMAT,
                              "%s: line %zu: %s row: probability %zu is "
                              "negative (%.17g)",
                              rfn, line, what, m, v);
        sum += v;
        dst[m++] = v;
    }
    if (m != A)
        return marl_error(MARL_EFORMAT,
                          "%s: line %zu: %s row has %zu probabilities, "
                          "expected %zu",
                          rfn, line, what, m, A);
    if (fabs(sum - 1.0) > MARL_PROB_TOL)
        return marl_error(MARL_EFORMAT,
                          "%s: line %zu: %s row sums to %.17g, expected 1",
                          rfn, line, what, sum);
    seen[row] = 1;
    row_line[row] = line;
    return MARL_OK;
}

static int read_rows(marl_gl_policy *p, const char *text, size_t len,
                     unsigned flags) {
    size_t ng = p->Sg * p->C, nrows = ng + p->Sl * p->Sg;
    unsigned char *seen = marl_calloc(nrows, 1);
    size_t *row_line = seen ? marl_calloc(nrows, sizeof *row_line) : NULL;
    if (!row_line) {
        marl_free(seen);
        return marl_error_nomem("the rows of a global-local policy");
    }
    line_cursor c = {text, len, 0, 0};
    const char *s, *f;
    size_t n, fn;
    int rc = MARL_OK;
    while (rc == MARL_OK && next_line(&c, &s, &n)) {
        if (skip_line(s, n)) continue;
        const char *end = s + n;
        next_field(&s, end, &f, &fn);
        if (is_tag(f, fn, "k")) continue; /* checked by find_k */
        if (is_tag(f, fn, "global") || is_tag(f, fn, "local"))
            rc = read_row(p, seen, f[0] == 'g', s, end, c.no, row_line);
        else
            rc = marl_error(MARL_EFORMAT,
                            "%s: line %zu: expected a k, global or local "
                            "row",
                            rfn, c.no);
    }
    if (rc == MARL_OK && !(flags & MARL_GL_CSV_PARTIAL))
        for (size_t r = 0; r < nrows; ++r) {
            if (seen[r]) continue;
            if (r < ng)
                rc = marl_error(MARL_EFORMAT,
                                "%s: global row (s_g = %zu, rank = %zu) is "
                                "missing",
                                rfn, r / p->C, r % p->C);
            else
                rc = marl_error(MARL_EFORMAT,
                                "%s: local row (s_l = %zu, s_g = %zu) is "
                                "missing",
                                rfn, (r - ng) / p->Sg, (r - ng) % p->Sg);
            break;
        }
    marl_free(seen);
    marl_free(row_line);
    return rc;
}

int marl_gl_policy_read_csv_ex(marl_gl_policy **out, marl_game *game,
                               size_t k, const char *text, size_t len,
                               unsigned flags) {
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", rfn);
    *out = NULL;
    if (!text && len)
        return marl_error(MARL_EINVAL, "%s: text is NULL", rfn);
    if (flags & ~MARL_GL_CSV_PARTIAL)
        return marl_error(MARL_EINVAL, "%s: unknown flags 0x%x", rfn,
                          flags & ~MARL_GL_CSV_PARTIAL);
    int rc = marl_gl_require(game, rfn);
    if (rc) return rc;
    if (len && memchr(text, '\0', len))
        return marl_error(MARL_EFORMAT, "%s: the text contains a NUL byte",
                          rfn);
    size_t k_file, k_line;
    rc = find_k(text, len, &k_file, &k_line);
    if (rc) return rc;
    if (k == 0 && k_file == 0)
        return marl_error(MARL_EFORMAT, "%s: no k row (\"k,K\")", rfn);
    if (k && k_file && k_file != k)
        return marl_error(MARL_EFORMAT,
                          "%s: line %zu: k = %zu, expected k = %zu", rfn,
                          k_line, k_file, k);
    marl_gl_policy *p = NULL;
    rc = marl_gl_policy_new(&p, game, k ? k : k_file);
    if (rc) return rc;
    rc = read_rows(p, text, len, flags);
    if (rc) {
        marl_gl_policy_free(p);
        return rc;
    }
    *out = p;
    return MARL_OK;
}

int marl_gl_policy_read_csv(marl_gl_policy **out, marl_game *game,
                            const char *text, size_t len) {
    return marl_gl_policy_read_csv_ex(out, game, 0, text, len, 0);
}
