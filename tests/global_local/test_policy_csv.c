/*
 * marl_gl_policy_write_csv / marl_gl_policy_read_csv[_ex]: bit-exact round
 * trips of random policy pairs at several (k, |S_l|), the text checked line
 * by line against an independent formatting, buffer-size protocol,
 * malformed inputs (error naming the line), the partial mode, bad
 * arguments and allocation failures.
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "failalloc.h"
#include "gltest.h"

static void setup(void) { failalloc_install(-1); }

/* Random rows, some with extreme values (subnormal, 1 - 2^-53). */
static void randomize(marl_gl_policy *p, uint64_t seed) {
    sm_rng r = {seed};
    size_t Sg, Ag, Sl, Al;
    marl_global_local_sizes(marl_gl_policy_game(p), NULL, &Sg, &Ag, &Sl, &Al);
    double row[16];
    size_t C = marl_gl_policy_num_counts(p);
    for (size_t sg = 0; sg < Sg; ++sg)
        for (size_t c = 0; c < C; ++c) {
            gt_dist(&r, row, Ag, 1);
            if (Ag > 1 && c % 3 == 1) {
                row[0] = 4.9406564584124654e-324;
                row[1] = nextafter(1.0, 0.0);
                for (size_t a = 2; a < Ag; ++a) row[a] = 0.0;
            }
            ck_assert_int_eq(marl_gl_policy_set_global_row(p, sg, c, row),
                             MARL_OK);
        }
    for (size_t sl = 0; sl < Sl; ++sl)
        for (size_t sg = 0; sg < Sg; ++sg) {
            gt_dist(&r, row, Al, 1);
            ck_assert_int_eq(marl_gl_policy_set_local_row(p, sl, sg, row),
                             MARL_OK);
        }
}

/* The whole text of a policy (malloc'ed, '\0'-terminated). */
static char *to_text(const marl_gl_policy *p, size_t *len) {
    ck_assert_int_eq(marl_gl_policy_write_csv(p, NULL, 0, len), MARL_OK);
    char *t = malloc(*len + 1);
    size_t len2 = 0;
    ck_assert_int_eq(marl_gl_policy_write_csv(p, t, *len + 1, &len2),
                     MARL_OK);
    ck_assert_uint_eq(len2, *len);
    ck_assert_uint_eq(strlen(t), *len);
    return t;
}

/* Appends an independently formatted row to `s`. */
static void fmt_row(char *s, const char *tag, size_t i1, size_t i2,
                    const double *p, size_t n) {
    s += sprintf(s, "%s,%zu,%zu", tag, i1, i2);
    for (size_t a = 0; a < n; ++a) s += sprintf(s, ",%.17g", p[a]);
    strcpy(s, "\n");
}

static void check_lines(const marl_gl_policy *p, const char *text) {
    size_t Sg, Ag, Sl, Al, C = marl_gl_policy_num_counts(p);
    marl_global_local_sizes(marl_gl_policy_game(p), NULL, &Sg, &Ag, &Sl, &Al);
    const char *t = strchr(text, '\n') + 1; /* skip the comment */
    ck_assert(text[0] == '#');
    char want[2048];
    double row[16];
    sprintf(want, "k,%zu\n", marl_gl_policy_k(p));
    ck_assert(strncmp(t, want, strlen(want)) == 0);
    t += strlen(want);
    for (size_t sg = 0; sg < Sg; ++sg)
        for (size_t c = 0; c < C; ++c) {
            marl_gl_policy_global_row(p, sg, c, row);
            fmt_row(want, "global", sg, c, row, Ag);
            ck_assert_msg(strncmp(t, want, strlen(want)) == 0, "%s", want);
            t += strlen(want);
        }
    for (size_t sl = 0; sl < Sl; ++sl)
        for (size_t sg = 0; sg < Sg; ++sg) {
            marl_gl_policy_local_row(p, sl, sg, row);
            fmt_row(want, "local", sl, sg, row, Al);
            ck_assert(strncmp(t, want, strlen(want)) == 0);
            t += strlen(want);
        }
    ck_assert(*t == '\0');
}

static void check_bit_equal(const marl_gl_policy *a, const marl_gl_policy *b) {
    size_t Sg, Ag, Sl, Al, C = marl_gl_policy_num_counts(a);
    marl_global_local_sizes(marl_gl_policy_game(a), NULL, &Sg, &Ag, &Sl, &Al);
    ck_assert_uint_eq(marl_gl_policy_k(a), marl_gl_policy_k(b));
    ck_assert_uint_eq(C, marl_gl_policy_num_counts(b));
    double x[16], y[16];
    for (size_t sg = 0; sg < Sg; ++sg)
        for (size_t c = 0; c < C; ++c) {
            marl_gl_policy_global_row(a, sg, c, x);
            marl_gl_policy_global_row(b, sg, c, y);
            ck_assert(memcmp(x, y, Ag * sizeof *x) == 0);
        }
    for (size_t sl = 0; sl < Sl; ++sl)
        for (size_t sg = 0; sg < Sg; ++sg) {
            marl_gl_policy_local_row(a, sl, sg, x);
            marl_gl_policy_local_row(b, sl, sg, y);
            ck_assert(memcmp(x, y, Al * sizeof *x) == 0);
        }
}

START_TEST(test_round_trip) {
    static const size_t ks[] = {1, 2, 4, 7};
    static const size_t Sls[] = {1, 2, 3, 5};
    for (size_t a = 0; a < 4; ++a)
        for (size_t b = 0; b < 4; ++b) {
            size_t Sg = 1 + (a + b) % 3, Ag = 1 + (a * 2 + b) % 4,
                   Al = 1 + b % 3;
            marl_game *g = gt_random_game(31 + a * 4 + b, 9, Sg, Ag, Sls[b],
                                          Al, 0.9);
            marl_gl_policy *p = NULL, *q = NULL;
            ck_assert_int_eq(marl_gl_policy_new(&p, g, ks[a]), MARL_OK);
            randomize(p, 100 + a * 4 + b);
            size_t len = 0, len2 = 0;
            char *text = to_text(p, &len);
            check_lines(p, text);
            /* without the terminator: exactly len bytes */
            ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, text, len),
                             MARL_OK);
            check_bit_equal(p, q);
            double d = 1.0;
            ck_assert_int_eq(marl_gl_policy_distance(p, q, &d), MARL_OK);
            ck_assert(d == 0.0);
            char *text2 = to_text(q, &len2);
            ck_assert_uint_eq(len, len2);
            ck_assert(memcmp(text, text2, len) == 0);
            free(text);
            free(text2);
            marl_gl_policy_free(p);
            marl_gl_policy_free(q);
            marl_game_free(g);
        }
}
END_TEST

START_TEST(test_buffer_protocol) {
    marl_game *g = gt_random_game(5, 6, 2, 3, 3, 2, 0.9);
    marl_gl_policy *p = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&p, g, 2), MARL_OK);
    randomize(p, 9);
    size_t len = 0, got = 0;
    char *text = to_text(p, &len);
    char *buf = malloc(len + 2);
    /* cap == len: written, no terminator */
    memset(buf, 'Z', len + 2);
    ck_assert_int_eq(marl_gl_policy_write_csv(p, buf, len, &got), MARL_OK);
    ck_assert_uint_eq(got, len);
    ck_assert(memcmp(buf, text, len) == 0 && buf[len] == 'Z');
    /* cap == len - 1: MARL_ERANGE, size reported, buffer untouched */
    memset(buf, 'Z', len + 2);
    got = 0;
    ck_assert_int_eq(marl_gl_policy_write_csv(p, buf, len - 1, &got),
                     MARL_ERANGE);
    ck_assert_uint_eq(got, len);
    for (size_t i = 0; i < len + 2; ++i) ck_assert(buf[i] == 'Z');
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "too small"));
    /* bad arguments */
    ck_assert_int_eq(marl_gl_policy_write_csv(NULL, buf, len, &got),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_write_csv(p, buf, len, NULL),
                     MARL_EINVAL);
    free(buf);
    free(text);
    marl_gl_policy_free(p);
    marl_game_free(g);
}
END_TEST

/* The policy used by the malformed-input cases: Sg 2, Ag 3, Sl 2, Al 2,
 * k 2 (C = 3): the text has a comment, the k row (line 2), global rows on
 * lines 3..8 and local rows on lines 9..12. */
static const char good[] =
    "# comment\n"
    "k,2\n"
    "global,0,0,0.5,0.25,0.25\n"
    "global,0,1,1,0,0\n"
    "global,0,2,0,1,0\n"
    "global,1,0,0,0,1\n"
    "global,1,1,0.25,0.25,0.5\n"
    "global,1,2,0.1,0.2,0.7\n"
    "local,0,0,0.5,0.5\n"
    "local,0,1,1,0\n"
    "local,1,0,0,1\n"
    "local,1,1,0.3,0.7\n";

/* `good` with line `no` (1-based) replaced by `with` (NULL: deleted). */
static char *edit(size_t no, const char *with) {
    static char out[2048];
    char *o = out;
    const char *s = good;
    for (size_t l = 1; *s; ++l) {
        const char *nl = strchr(s, '\n');
        if (l == no) {
            if (with) o += sprintf(o, "%s\n", with);
        } else {
            memcpy(o, s, (size_t)(nl - s + 1));
            o += nl - s + 1;
        }
        s = nl + 1;
    }
    *o = '\0';
    return out;
}

static void expect_bad(marl_game *g, const char *text, const char *needle1,
                       const char *needle2) {
    marl_gl_policy *q = (marl_gl_policy *)1;
    int rc = marl_gl_policy_read_csv(&q, g, text, strlen(text));
    ck_assert_msg(rc == MARL_EFORMAT, "rc %d for:\n%s", rc, text);
    ck_assert_ptr_null(q);
    const char *e = marl_last_error();
    ck_assert_msg(strstr(e, needle1) != NULL, "'%s' not in '%s'", needle1, e);
    if (needle2)
        ck_assert_msg(strstr(e, needle2) != NULL, "'%s' not in '%s'",
                      needle2, e);
}

START_TEST(test_malformed) {
    marl_game *g = gt_random_game(3, 5, 2, 3, 2, 2, 0.9);
    marl_gl_policy *q = NULL;
    /* the unedited text reads, and its values are those listed */
    ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, good, strlen(good)),
                     MARL_OK);
    double row[3];
    marl_gl_policy_global_row(q, 1, 2, row);
    ck_assert(row[0] == 0.1 && row[1] == 0.2 && row[2] == 0.7);
    marl_gl_policy_local_row(q, 1, 1, row);
    ck_assert(row[0] == 0.3 && row[1] == 0.7);
    marl_gl_policy_free(q);
    /* CRLF line ends and a missing final newline are fine */
    {
        char crlf[2048], *o = crlf;
        for (const char *s = good; *s; ++s) {
            if (*s == '\n') *o++ = '\r';
            *o++ = *s;
        }
        *o = '\0';
        ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, crlf,
                                                 strlen(crlf) - 2),
                         MARL_OK);
        marl_gl_policy_free(q);
    }
    /* missing rows */
    expect_bad(g, edit(5, NULL), "global row (s_g = 0, rank = 2) is missing",
               NULL);
    expect_bad(g, edit(12, NULL), "local row (s_l = 1, s_g = 1) is missing",
               NULL);
    expect_bad(g, edit(2, NULL), "no k row", NULL);
    /* duplicates */
    expect_bad(g, edit(5, "global,0,1,0,0,1"), "line 5:", "repeats line 4");
    expect_bad(g, edit(10, "local,0,0,1,0"), "line 10:", "repeats line 9");
    expect_bad(g, edit(1, "k,2"), "line 2: a second k row", "line 1");
    /* bad numbers */
    expect_bad(g, edit(4, "global,0,1,1x,0,0"), "line 4:", "probability 0");
    expect_bad(g, edit(4, "global,0,1,1,,0"), "line 4:", "probability 1");
    expect_bad(g, edit(4, "global,0,1,1,0, 0"), "line 4:", "probability 2");
    expect_bad(g, edit(4, "global,0,1,nan,0,0"), "line 4:", "not a finite");
    expect_bad(g, edit(4, "global,0,1,1,0,inf"), "line 4:", "not a finite");
    expect_bad(g, edit(4, "global,0,1,1e999,0,0"), "line 4:", "not a fin");
    expect_bad(g, edit(4, "global,0,1,1.5,-0.5,0"), "line 4:", "negative");
    expect_bad(g, edit(4, "global,x,1,1,0,0"), "line 4:", "bad or missing");
    expect_bad(g, edit(4, "global,-1,1,1,0,0"), "line 4:", "bad or missing");
    expect_bad(g, edit(4, "global,0"), "line 4:", "bad or missing index");
    expect_bad(g, edit(2, "k,two"), "line 2: k must be", NULL);
    expect_bad(g, edit(2, "k,0"), "line 2: k must be", NULL);
    expect_bad(g, edit(2, "k"), "line 2: k must be", NULL);
    expect_bad(g, edit(7, "glob,1,1,0.25,0.25,0.5"), "line 7: expected",
               NULL);
    expect_bad(g, edit(7, " global,1,1,0.25,0.25,0.5"), "line 7: expected",
               NULL);
    /* sums off (beyond 1e-9; within is accepted) */
    expect_bad(g, edit(9, "local,0,0,0.5,0.500000002"), "line 9:",
               "sums to");
    expect_bad(g, edit(3, "global,0,0,0.5,0.25,0.2"), "line 3:", "sums to");
    const char *near = edit(9, "local,0,0,0.5,0.5000000005");
    ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, near, strlen(near)),
                     MARL_OK);
    marl_gl_policy_free(q);
    /* wrong sizes: extra and missing columns, indices out of range */
    expect_bad(g, edit(9, "local,0,0,0.5,0.5,0"), "line 9:",
               "more than 2 probabilities");
    expect_bad(g, edit(4, "global,0,1,1,0"), "line 4:",
               "has 2 probabilities, expected 3");
    expect_bad(g, edit(2, "k,2,3"), "line 2: extra columns", NULL);
    expect_bad(g, edit(8, "global,2,2,0.1,0.2,0.7"), "line 8:",
               "out of range");
    expect_bad(g, edit(8, "global,1,3,0.1,0.2,0.7"), "line 8:",
               "out of range");
    expect_bad(g, edit(12, "local,2,1,0.3,0.7"), "line 12:", "out of range");
    expect_bad(g, edit(12, "local,1,2,0.3,0.7"), "line 12:", "out of range");
    /* wrong k: with k = 1 there is one count vector per s_g ... */
    expect_bad(g, edit(2, "k,1"), "line 5:", "out of range");
    /* ... with k = 3, four: rank 3 is missing */
    expect_bad(g, edit(2, "k,3"), "global row (s_g = 0, rank = 3) is missing",
               NULL);
    /* k larger than n = 5 */
    ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, edit(2, "k,6"),
                                             strlen(good)),
                     MARL_EINVAL);
    ck_assert_ptr_null(q);
    /* a policy of another game (|S_l| = 3, |A_l| = 3) */
    {
        marl_game *h = gt_random_game(4, 5, 2, 3, 3, 3, 0.9);
        marl_gl_policy *p = NULL;
        ck_assert_int_eq(marl_gl_policy_new(&p, h, 2), MARL_OK);
        size_t len = 0;
        char *t = to_text(p, &len);
        q = (marl_gl_policy *)1;
        ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, t, len),
                         MARL_EFORMAT);
        ck_assert_ptr_null(q);
        ck_assert_ptr_nonnull(strstr(marl_last_error(), "line 6:"));
        free(t);
        marl_gl_policy_free(p);
        marl_game_free(h);
    }
    /* an embedded NUL byte */
    {
        char t[sizeof good];
        memcpy(t, good, sizeof good);
        t[40] = '\0';
        ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, t, sizeof good - 1),
                         MARL_EFORMAT);
        ck_assert_ptr_nonnull(strstr(marl_last_error(), "NUL"));
    }
    marl_game_free(g);
}
END_TEST

START_TEST(test_ex_and_partial) {
    marl_game *g = gt_random_game(3, 5, 2, 3, 2, 2, 0.9);
    marl_gl_policy *q = NULL;
    /* expected k: the k row must agree; without a k row k is taken */
    ck_assert_int_eq(marl_gl_policy_read_csv_ex(&q, g, 2, good, strlen(good),
                                                0),
                     MARL_OK);
    ck_assert_uint_eq(marl_gl_policy_k(q), 2);
    marl_gl_policy_free(q);
    ck_assert_int_eq(marl_gl_policy_read_csv_ex(&q, g, 3, good, strlen(good),
                                                0),
                     MARL_EFORMAT);
    ck_assert_ptr_nonnull(strstr(marl_last_error(),
                                 "line 2: k = 2, expected k = 3"));
    char *nok = edit(2, NULL);
    ck_assert_int_eq(marl_gl_policy_read_csv_ex(&q, g, 2, nok, strlen(nok),
                                                0),
                     MARL_OK);
    marl_gl_policy_free(q);
    /* partial: unlisted rows uniform, listed ones as given; duplicates and
     * bad rows still errors */
    static const char part[] = "k,2\nglobal,1,2,0.1,0.2,0.7\n\n"
                               "local,1,0,0,1\n";
    ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, part, strlen(part)),
                     MARL_EFORMAT);
    ck_assert_int_eq(marl_gl_policy_read_csv_ex(&q, g, 0, part, strlen(part),
                                                MARL_GL_CSV_PARTIAL),
                     MARL_OK);
    double row[3];
    marl_gl_policy_global_row(q, 1, 2, row);
    ck_assert(row[0] == 0.1 && row[1] == 0.2 && row[2] == 0.7);
    marl_gl_policy_global_row(q, 0, 2, row);
    ck_assert(row[0] == 1.0 / 3 && row[1] == 1.0 / 3 && row[2] == 1.0 / 3);
    marl_gl_policy_local_row(q, 1, 0, row);
    ck_assert(row[0] == 0.0 && row[1] == 1.0);
    marl_gl_policy_local_row(q, 0, 0, row);
    ck_assert(row[0] == 0.5 && row[1] == 0.5);
    marl_gl_policy_free(q);
    static const char dup[] = "k,2\nlocal,1,0,0,1\nlocal,1,0,1,0\n";
    ck_assert_int_eq(marl_gl_policy_read_csv_ex(&q, g, 0, dup, strlen(dup),
                                                MARL_GL_CSV_PARTIAL),
                     MARL_EFORMAT);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "line 3:"));
    /* the empty text: partial with k given is the uniform pair */
    ck_assert_int_eq(marl_gl_policy_read_csv_ex(&q, g, 1, NULL, 0,
                                                MARL_GL_CSV_PARTIAL),
                     MARL_OK);
    ck_assert_uint_eq(marl_gl_policy_k(q), 1);
    marl_gl_policy_free(q);
    /* bad arguments */
    ck_assert_int_eq(marl_gl_policy_read_csv(NULL, g, good, strlen(good)),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_read_csv(&q, NULL, good, strlen(good)),
                     MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, NULL, 5), MARL_EINVAL);
    ck_assert_int_eq(marl_gl_policy_read_csv_ex(&q, g, 2, good, strlen(good),
                                                4u),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "flags"));
    ck_assert_ptr_null(q);
    marl_game_free(g);
}
END_TEST

START_TEST(test_allocation_failures) {
    marl_game *g = gt_random_game(3, 5, 2, 3, 2, 2, 0.9);
    marl_gl_policy *q = NULL;
    FAILALLOC_SWEEP(marl_gl_policy_read_csv(&q, g, good, strlen(good)),
                    marl_gl_policy_free(q));
    ck_assert_int_eq(marl_gl_policy_read_csv(&q, g, good, strlen(good)),
                     MARL_OK);
    /* the writer allocates nothing: the sweep succeeds at once */
    char buf[1024];
    size_t len = 0;
    FAILALLOC_SWEEP(marl_gl_policy_write_csv(q, buf, sizeof buf, &len),
                    (void)0);
    ck_assert_int_eq(failalloc_count(), 0);
    ck_assert_uint_gt(len, 0);
    marl_gl_policy_free(q);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_policy_csv");
    TCase *tc = tcase_create("csv");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_buffer_protocol);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_ex_and_partial);
    tcase_add_test(tc, test_allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
