/* Options framework tests: table validation, every setter/getter and its
 * errors, text parsing, all-or-nothing lists, formatting, introspection,
 * the internal index getters, allocation failures.
 * SPDX-License-Identifier: MIT */
#include <check.h>
#include "check_main.h"
#include <limits.h>
#include <locale.h>
#include <marlgame/options.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/options_internal.h"
#include "failalloc.h"

enum { O_ETA, O_K, O_INIT, O_LABEL, O_NOTE, O_TOL, O_NEG, N_DEFS };

static const marl_option_def DEFS[N_DEFS] = {
    {.name = "eta", .type = MARL_OPTION_REAL, .doc = "step size",
     .real_default = 0.1, .real_min = 0.0, .real_max = HUGE_VAL},
    {.name = "k", .type = MARL_OPTION_INT, .doc = "inner steps",
     .int_default = 5, .int_min = 1, .int_max = 1000},
    {.name = "init", .type = MARL_OPTION_ENUM, .doc = "initialisation",
     .int_default = 1, .choices = "uniform|normal|dirichlet"},
    {.name = "label", .type = MARL_OPTION_STRING, .doc = "a label",
     .str_default = "run"},
    {.name = "note", .type = MARL_OPTION_STRING, .doc = "NULL default"},
    {.name = "tol", .type = MARL_OPTION_REAL, .doc = "tolerance",
     .real_default = 1e-8, .real_min = 0.0, .real_max = 1.0},
    {.name = "neg_2", .type = MARL_OPTION_INT, .doc = "negative range",
     .int_default = -3, .int_min = -10, .int_max = -1},
};

static marl_options *make(void) {
    marl_options *o = NULL;
    ck_assert_int_eq(marl_options_new(&o, DEFS, N_DEFS), MARL_OK);
    return o;
}

static const char *fmt(const marl_options *o, size_t i) {
    static char buf[128];
    int n = marl_options_format(o, i, buf, sizeof buf);
    ck_assert_int_ge(n, 0);
    ck_assert_int_eq((int)strlen(buf), n);
    return buf;
}

START_TEST(test_defaults_and_introspection) {
    marl_options *o = make();
    ck_assert_uint_eq(marl_options_count(o), N_DEFS);
    ck_assert_uint_eq(marl_options_count(NULL), 0);
    for (size_t i = 0; i < N_DEFS; ++i) {
        ck_assert_ptr_eq(marl_options_def(o, i), &DEFS[i]);
        size_t idx = 99;
        ck_assert_int_eq(marl_options_index(o, DEFS[i].name, &idx), MARL_OK);
        ck_assert_uint_eq(idx, i);
    }
    ck_assert_ptr_null(marl_options_def(o, N_DEFS));
    ck_assert_ptr_null(marl_options_def(NULL, 0));
    double d;
    long long v;
    const char *s;
    ck_assert_int_eq(marl_options_get_real(o, "eta", &d), MARL_OK);
    ck_assert(d == 0.1);
    ck_assert_int_eq(marl_options_get_int(o, "k", &v), MARL_OK);
    ck_assert_int_eq(v, 5);
    ck_assert_int_eq(marl_options_get_int(o, "init", &v), MARL_OK);
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(marl_options_get_string(o, "init", &s), MARL_OK);
    ck_assert_str_eq(s, "normal");
    ck_assert_int_eq(marl_options_get_string(o, "label", &s), MARL_OK);
    ck_assert_str_eq(s, "run");
    ck_assert_int_eq(marl_options_get_string(o, "note", &s), MARL_OK);
    ck_assert_str_eq(s, "");
    ck_assert_int_eq(marl_options_get_int(o, "neg_2", &v), MARL_OK);
    ck_assert_int_eq(v, -3);
    /* index errors */
    size_t idx = 42;
    ck_assert_int_eq(marl_options_index(o, "nope", &idx), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "unknown option 'nope'"));
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "eta, k, init"));
    ck_assert_uint_eq(idx, 42);
    ck_assert_int_eq(marl_options_index(NULL, "eta", &idx), MARL_EINVAL);
    ck_assert_int_eq(marl_options_index(o, NULL, &idx), MARL_EINVAL);
    ck_assert_int_eq(marl_options_index(o, "eta", NULL), MARL_EINVAL);
    marl_options_free(o);
    marl_options_free(NULL);
}
END_TEST

START_TEST(test_set_int) {
    marl_options *o = make();
    long long v;
    ck_assert_int_eq(marl_options_set_int(o, "k", 1000), MARL_OK);
    ck_assert_int_eq(marl_options_set_int(o, "k", 1001), MARL_ERANGE);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "'k': 1001 outside [1, 1000]"));
    ck_assert_int_eq(marl_options_set_int(o, "k", 0), MARL_ERANGE);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 1000);
    ck_assert_int_eq(marl_options_set_int(o, "init", 2), MARL_OK);
    const char *s;
    marl_options_get_string(o, "init", &s);
    ck_assert_str_eq(s, "dirichlet");
    ck_assert_int_eq(marl_options_set_int(o, "init", 3), MARL_ERANGE);
    ck_assert_int_eq(marl_options_set_int(o, "init", -1), MARL_ERANGE);
    marl_options_get_int(o, "init", &v);
    ck_assert_int_eq(v, 2);
    ck_assert_int_eq(marl_options_set_int(o, "eta", 1), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "of type real"));
    ck_assert_int_eq(marl_options_set_int(o, "label", 1), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_int(o, "zzz", 1), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_int(NULL, "k", 1), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_int(o, NULL, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_int(o, "neg_2", -10), MARL_OK);
    ck_assert_int_eq(marl_options_set_int(o, "neg_2", 0), MARL_ERANGE);
    marl_options_free(o);
}
END_TEST

START_TEST(test_set_real) {
    marl_options *o = make();
    double d;
    long long v;
    ck_assert_int_eq(marl_options_set_real(o, "eta", 2.5), MARL_OK);
    ck_assert_int_eq(marl_options_set_real(o, "eta", NAN), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "not finite"));
    ck_assert_int_eq(marl_options_set_real(o, "eta", HUGE_VAL), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_real(o, "eta", -0.5), MARL_ERANGE);
    ck_assert_int_eq(marl_options_set_real(o, "tol", 1.5), MARL_ERANGE);
    ck_assert_int_eq(marl_options_set_real(o, "tol", 1.0), MARL_OK);
    marl_options_get_real(o, "eta", &d);
    ck_assert(d == 2.5);
    /* INT accepts integral reals only */
    ck_assert_int_eq(marl_options_set_real(o, "k", 7.0), MARL_OK);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(marl_options_set_real(o, "k", 7.5), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "integral"));
    ck_assert_int_eq(marl_options_set_real(o, "k", 1e30), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_real(o, "k", 2000.0), MARL_ERANGE);
    ck_assert_int_eq(marl_options_set_real(o, "k", NAN), MARL_EINVAL);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(marl_options_set_real(o, "init", 1.0), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_real(o, "label", 1.0), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_real(o, "nope", 1.0), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_real(NULL, "eta", 1.0), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_real(o, NULL, 1.0), MARL_EINVAL);
    marl_options_free(o);
}
END_TEST

START_TEST(test_set_string) {
    marl_options *o = make();
    const char *s;
    char mine[16] = "hello";
    ck_assert_int_eq(marl_options_set_string(o, "label", mine), MARL_OK);
    mine[0] = 'J'; /* the value is a copy */
    marl_options_get_string(o, "label", &s);
    ck_assert_str_eq(s, "hello");
    ck_assert_int_eq(marl_options_set_string(o, "init", "uniform"), MARL_OK);
    long long v;
    marl_options_get_int(o, "init", &v);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(marl_options_set_string(o, "init", "Uniform"), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "uniform|normal|dirichlet"));
    ck_assert_int_eq(marl_options_set_string(o, "init", "unif"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_string(o, "init", ""), MARL_EINVAL);
    marl_options_get_int(o, "init", &v);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(marl_options_set_string(o, "k", "3"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_string(o, "eta", "3"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_string(o, "label", NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_string(o, "zz", "x"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_string(NULL, "label", "x"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set_string(o, "label", ""), MARL_OK);
    marl_options_get_string(o, "label", &s);
    ck_assert_str_eq(s, "");
    marl_options_free(o);
}
END_TEST

START_TEST(test_set_text) {
    marl_options *o = make();
    double d;
    long long v;
    const char *s;
    ck_assert_int_eq(marl_options_set(o, "eta", "0.25"), MARL_OK);
    marl_options_get_real(o, "eta", &d);
    ck_assert(d == 0.25);
    ck_assert_int_eq(marl_options_set(o, "eta", " 1e-3 "), MARL_OK);
    marl_options_get_real(o, "eta", &d);
    ck_assert(d == 1e-3);
    const char *bad_real[] = {"abc", "", "  ", "0.1x", "nan", "inf", "1e400",
                              "0,5", "1 2"};
    for (size_t i = 0; i < sizeof bad_real / sizeof *bad_real; ++i)
        ck_assert_msg(marl_options_set(o, "eta", bad_real[i]) == MARL_EINVAL,
                      "accepted '%s'", bad_real[i]);
    ck_assert_int_eq(marl_options_set(o, "eta", "-1"), MARL_ERANGE);
    marl_options_get_real(o, "eta", &d);
    ck_assert(d == 1e-3);

    ck_assert_int_eq(marl_options_set(o, "k", "42"), MARL_OK);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 42);
    ck_assert_int_eq(marl_options_set(o, "k", "1e2"), MARL_OK);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 100);
    ck_assert_int_eq(marl_options_set(o, "k", "+7"), MARL_OK);
    ck_assert_int_eq(marl_options_set(o, "k", "2.5"), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "'2.5' is not an integer"));
    ck_assert_int_eq(marl_options_set(o, "k", "x"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set(o, "k", ""), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set(o, "k", "99999999999999999999"),
                     MARL_ERANGE);
    ck_assert_int_eq(marl_options_set(o, "k", "1001"), MARL_ERANGE);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 7);

    ck_assert_int_eq(marl_options_set(o, "init", " dirichlet "), MARL_OK);
    marl_options_get_string(o, "init", &s);
    ck_assert_str_eq(s, "dirichlet");
    ck_assert_int_eq(marl_options_set(o, "init", "2"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set(o, "label", " spaced out "), MARL_OK);
    marl_options_get_string(o, "label", &s);
    ck_assert_str_eq(s, " spaced out ");
    ck_assert_int_eq(marl_options_set(o, "label", NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set(o, NULL, "1"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set(NULL, "k", "1"), MARL_EINVAL);
    ck_assert_int_eq(marl_options_set(o, "nope", "1"), MARL_EINVAL);
    marl_options_free(o);
}
END_TEST

START_TEST(test_getters) {
    marl_options *o = make();
    double d = -1;
    long long v = -1;
    const char *s = NULL;
    ck_assert_int_eq(marl_options_get_real(o, "k", &d), MARL_OK);
    ck_assert(d == 5.0);
    ck_assert_int_eq(marl_options_get_real(o, "init", &d), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_real(o, "label", &d), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_int(o, "eta", &v), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_int(o, "label", &v), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_string(o, "eta", &s), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_string(o, "k", &s), MARL_EINVAL);
    ck_assert(d == 5.0 && v == -1 && s == NULL);
    ck_assert_int_eq(marl_options_get_real(o, "eta", NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_int(o, "k", NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_string(o, "label", NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_real(NULL, "eta", &d), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_int(NULL, "k", &v), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_string(NULL, "label", &s), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_real(o, NULL, &d), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_int(o, "nope", &v), MARL_EINVAL);
    ck_assert_int_eq(marl_options_get_string(o, "nope", &s), MARL_EINVAL);
    /* a string stays valid (same pointer) while other options change */
    const char *label;
    marl_options_get_string(o, "label", &label);
    marl_options_set_string(o, "note", "other");
    ck_assert_int_eq(marl_options_parse(o, "eta=0.5,note=again"), MARL_OK);
    const char *label2;
    marl_options_get_string(o, "label", &label2);
    ck_assert_ptr_eq(label, label2);
    ck_assert_str_eq(label, "run");
    /* internal index getters */
    ck_assert(marl_options_real_at(o, O_ETA) == 0.5);
    ck_assert(marl_options_real_at(o, O_K) == 5.0);
    ck_assert_int_eq(marl_options_int_at(o, O_K), 5);
    ck_assert_int_eq(marl_options_int_at(o, O_INIT), 1);
    ck_assert_int_eq(marl_options_int_at(o, O_ETA), 0);
    ck_assert_int_eq(marl_options_int_at(o, O_LABEL), 0);
    ck_assert(marl_options_real_at(o, O_INIT) == 1.0);
    ck_assert(marl_options_real_at(o, O_NOTE) == 0.0);
    ck_assert_str_eq(marl_options_string_at(o, O_INIT), "normal");
    ck_assert_str_eq(marl_options_string_at(o, O_NOTE), "again");
    ck_assert_str_eq(marl_options_string_at(o, O_K), "");
    marl_options_set_int(o, "init", 2);
    ck_assert_str_eq(marl_options_string_at(o, O_INIT), "dirichlet");
    marl_options_set_int(o, "init", 0);
    ck_assert_str_eq(marl_options_string_at(o, O_INIT), "uniform");
    marl_options_free(o);
}
END_TEST

START_TEST(test_parse) {
    marl_options *o = make();
    double d;
    long long v;
    const char *s;
    ck_assert_int_eq(marl_options_parse(o, " eta = 0.2 , k=7,init=dirichlet ,"
                                           "label=abc def"), MARL_OK);
    marl_options_get_real(o, "eta", &d);
    ck_assert(d == 0.2);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 7);
    marl_options_get_string(o, "init", &s);
    ck_assert_str_eq(s, "dirichlet");
    marl_options_get_string(o, "label", &s);
    ck_assert_str_eq(s, "abc def");
    /* all or nothing: a bad item anywhere leaves every option unchanged */
    const char *bad[] = {"eta=0.3,k=0",        "eta=0.3,label=x,bogus=1",
                         "label=x,eta=0.3,k",  "eta=0.3,,k=2",
                         "eta=0.3,=3",         "label=y,eta=0.3,",
                         "eta=0.3,init=nope",  "label=z,note=w,k=1.5",
                         "eta=0.3, tol = 2"};
    const int codes[] = {MARL_ERANGE, MARL_EINVAL, MARL_EFORMAT, MARL_EFORMAT,
                         MARL_EFORMAT, MARL_EFORMAT, MARL_EINVAL, MARL_EINVAL,
                         MARL_ERANGE};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        ck_assert_msg(marl_options_parse(o, bad[i]) == codes[i], "'%s': %s",
                      bad[i], marl_last_error());
        marl_options_get_real(o, "eta", &d);
        ck_assert(d == 0.2);
        marl_options_get_int(o, "k", &v);
        ck_assert_int_eq(v, 7);
        marl_options_get_string(o, "label", &s);
        ck_assert_str_eq(s, "abc def");
        marl_options_get_string(o, "note", &s);
        ck_assert_str_eq(s, "");
        marl_options_get_real(o, "tol", &d);
        ck_assert(d == 1e-8);
    }
    ck_assert_int_eq(marl_options_parse(o, "eta=0.3,k"), MARL_EFORMAT);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "item 1 ('k') has no '='"));
    /* no-ops */
    ck_assert_int_eq(marl_options_parse(o, NULL), MARL_OK);
    ck_assert_int_eq(marl_options_parse(o, ""), MARL_OK);
    ck_assert_int_eq(marl_options_parse(o, " \t "), MARL_OK);
    ck_assert_int_eq(marl_options_parse(NULL, "k=1"), MARL_EINVAL);
    /* later items win; repeated strings do not leak (checked under ASan and
     * by the allocation sweep) */
    ck_assert_int_eq(marl_options_parse(o, "k=2,k=3,label=a,label=b"), MARL_OK);
    marl_options_get_int(o, "k", &v);
    ck_assert_int_eq(v, 3);
    marl_options_get_string(o, "label", &s);
    ck_assert_str_eq(s, "b");
    /* an option set without options */
    marl_options *e;
    ck_assert_int_eq(marl_options_new(&e, NULL, 0), MARL_OK);
    ck_assert_uint_eq(marl_options_count(e), 0);
    ck_assert_int_eq(marl_options_parse(e, ""), MARL_OK);
    ck_assert_int_eq(marl_options_parse(e, "a=1"), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "known: none"));
    marl_options_free(e);
    marl_options_free(o);
}
END_TEST

START_TEST(test_format) {
    marl_options *o = make();
    ck_assert_str_eq(fmt(o, O_ETA), "0.1");
    ck_assert_str_eq(fmt(o, O_K), "5");
    ck_assert_str_eq(fmt(o, O_INIT), "normal");
    ck_assert_str_eq(fmt(o, O_LABEL), "run");
    ck_assert_str_eq(fmt(o, O_NOTE), "");
    ck_assert_str_eq(fmt(o, O_TOL), "1e-08");
    ck_assert_str_eq(fmt(o, O_NEG), "-3");
    marl_options_set_real(o, "eta", 1.0 / 3.0);
    ck_assert_str_eq(fmt(o, O_ETA), "0.3333333333333333"); /* 16 digits */
    marl_options_set_real(o, "eta", 0.1 + 0.2);
    ck_assert_str_eq(fmt(o, O_ETA), "0.30000000000000004"); /* needs 17 */
    marl_options_set_real(o, "eta", 100.0);
    ck_assert_str_eq(fmt(o, O_ETA), "100");
    marl_options_set_real(o, "eta", 0.3);
    ck_assert_str_eq(fmt(o, O_ETA), "0.3");
    /* formatting round-trips exactly through marl_options_set */
    double x = 0.7;
    for (int i = 0; i < 2000; ++i) {
        x = fmod(x * 7919.123456789 + 0.1234567, 1000.0);
        double val = x * pow(10.0, (i % 13) - 6);
        ck_assert_int_eq(marl_options_set_real(o, "eta", val), MARL_OK);
        char buf[64];
        marl_options_format(o, O_ETA, buf, sizeof buf);
        ck_assert_int_eq(marl_options_set_real(o, "eta", 0.0), MARL_OK);
        ck_assert_int_eq(marl_options_set(o, "eta", buf), MARL_OK);
        double back;
        marl_options_get_real(o, "eta", &back);
        ck_assert_msg(back == val, "%.17g -> '%s'", val, buf);
    }
    /* snprintf semantics */
    marl_options_set_string(o, "label", "abcdefgh");
    char small[4] = "zzz";
    ck_assert_int_eq(marl_options_format(o, O_LABEL, small, sizeof small), 8);
    ck_assert_str_eq(small, "abc");
    ck_assert_int_eq(marl_options_format(o, O_LABEL, NULL, 0), 8);
    char one[1] = {'q'};
    ck_assert_int_eq(marl_options_format(o, O_LABEL, one, 1), 8);
    ck_assert_int_eq(one[0], '\0');
    ck_assert_int_eq(marl_options_format(o, O_LABEL, NULL, 5), MARL_EINVAL);
    ck_assert_int_eq(marl_options_format(o, N_DEFS, small, 4), MARL_ERANGE);
    ck_assert_int_eq(marl_options_format(NULL, 0, small, 4), MARL_EINVAL);
    marl_options_free(o);
}
END_TEST

START_TEST(test_format_default) {
    static const char *expect[N_DEFS] = {"0.1", "5", "normal", "run", "",
                                         "1e-08", "-3"};
    char buf[64];
    for (size_t i = 0; i < N_DEFS; ++i) {
        int n = marl_option_def_format_default(&DEFS[i], buf, sizeof buf);
        ck_assert_int_eq(n, (int)strlen(expect[i]));
        ck_assert_str_eq(buf, expect[i]);
    }
    ck_assert_int_eq(marl_option_def_format_default(&DEFS[0], NULL, 0), 3);
    ck_assert_int_eq(marl_option_def_format_default(NULL, buf, 64), MARL_EINVAL);
    ck_assert_int_eq(marl_option_def_format_default(&DEFS[0], NULL, 4),
                     MARL_EINVAL);
    marl_option_def bad = DEFS[O_INIT];
    bad.int_default = 3;
    ck_assert_int_eq(marl_option_def_format_default(&bad, buf, 64), MARL_EINVAL);
    bad = DEFS[O_K];
    bad.type = 9;
    ck_assert_int_eq(marl_option_def_format_default(&bad, buf, 64), MARL_EINVAL);
}
END_TEST

START_TEST(test_locale_independence) {
    const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                           "fr_FR.utf8", "de_DE", "fr_FR"};
    const char *got = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !got; ++i)
        got = setlocale(LC_NUMERIC, names[i]);
    if (!got || localeconv()->decimal_point[0] == '.') {
        fprintf(stderr, "note: no comma-decimal locale installed; locale "
                        "test reduced to the C locale\n");
        setlocale(LC_NUMERIC, "C");
    }
    marl_options *o = make();
    ck_assert_int_eq(marl_options_set(o, "eta", "0.25"), MARL_OK);
    double d;
    marl_options_get_real(o, "eta", &d);
    ck_assert(d == 0.25);
    ck_assert_str_eq(fmt(o, O_ETA), "0.25");
    ck_assert_int_eq(marl_options_set(o, "eta", "0,5"), MARL_EINVAL);
    marl_options_free(o);
    setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(test_table_validation) {
    marl_options *o = (marl_options *)0x1;
    marl_option_def t[2];
    struct { marl_option_def d; const char *msg; } cases[] = {
        {{.name = "Eta", .type = MARL_OPTION_INT, .int_max = 1}, "[a-z0-9_]+"},
        {{.name = "", .type = MARL_OPTION_INT, .int_max = 1}, "name"},
        {{.name = NULL, .type = MARL_OPTION_INT, .int_max = 1}, "name"},
        {{.name = "a-b", .type = MARL_OPTION_INT, .int_max = 1}, "name"},
        {{.name = "x", .type = 0}, "unknown type 0"},
        {{.name = "x", .type = 5}, "unknown type 5"},
        {{.name = "x", .type = MARL_OPTION_INT, .int_min = 2, .int_max = 1},
         "int_min"},
        {{.name = "x", .type = MARL_OPTION_INT, .int_default = 5, .int_max = 1},
         "default 5 outside"},
        {{.name = "x", .type = MARL_OPTION_REAL, .real_default = NAN,
          .real_max = 1}, "default"},
        {{.name = "x", .type = MARL_OPTION_REAL, .real_default = 2,
          .real_max = 1}, "default"},
        {{.name = "x", .type = MARL_OPTION_REAL, .real_min = NAN,
          .real_max = 1}, "range"},
        {{.name = "x", .type = MARL_OPTION_REAL, .real_min = 1,
          .real_max = 0}, "range"},
        {{.name = "x", .type = MARL_OPTION_REAL, .real_default = HUGE_VAL,
          .real_min = 0, .real_max = HUGE_VAL}, "default"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = NULL},
         "without choices"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = ""},
         "without choices"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = "a||b"},
         "empty choice 1"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = "a|"},
         "empty choice 1"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = "a|b|a"},
         "duplicate choice 'a'"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = "a b"},
         "must match"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = "a,b"},
         "must match"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = "a|b",
          .int_default = 2}, "default choice index 2"},
        {{.name = "x", .type = MARL_OPTION_ENUM, .choices = "a|b",
          .int_default = -1}, "default choice index -1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        t[0] = DEFS[0];
        t[1] = cases[i].d;
        ck_assert_msg(marl_options_new(&o, t, 2) == MARL_EINVAL, "case %zu", i);
        ck_assert_msg(strstr(marl_last_error(), cases[i].msg) != NULL,
                      "case %zu: '%s'", i, marl_last_error());
        ck_assert_ptr_eq(o, (marl_options *)0x1);
    }
    /* duplicate names */
    t[0] = DEFS[O_K];
    t[1] = DEFS[O_ETA];
    t[1].name = "k";
    ck_assert_int_eq(marl_options_new(&o, t, 2), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "both called 'k'"));
    ck_assert_int_eq(marl_options_new(&o, NULL, 2), MARL_EINVAL);
    ck_assert_int_eq(marl_options_new(NULL, DEFS, N_DEFS), MARL_EINVAL);
    ck_assert_ptr_eq(o, (marl_options *)0x1);
    /* the internal validator names its owner */
    ck_assert_int_eq(marl_option_defs_validate(t, 2, "solver type 'demo'"),
                     MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "solver type 'demo'"));
    ck_assert_int_eq(marl_option_defs_validate(DEFS, N_DEFS, NULL), MARL_OK);
    ck_assert_int_eq(marl_option_defs_validate(NULL, 0, NULL), MARL_OK);
    /* valid corner cases: infinite real bounds, full int range, dots and
     * dashes in choices, a NULL doc */
    marl_option_def okd[3] = {
        {.name = "r", .type = MARL_OPTION_REAL, .real_min = -HUGE_VAL,
         .real_max = HUGE_VAL, .real_default = -1e300},
        {.name = "i", .type = MARL_OPTION_INT, .int_min = LLONG_MIN,
         .int_max = LLONG_MAX, .int_default = LLONG_MIN},
        {.name = "e", .type = MARL_OPTION_ENUM, .choices = "mpg-npg|v1.2|x+y",
         .int_default = 2}};
    ck_assert_int_eq(marl_options_new(&o, okd, 3), MARL_OK);
    ck_assert_int_eq(marl_options_set(o, "e", "v1.2"), MARL_OK);
    ck_assert_int_eq(marl_options_set(o, "i", "-9223372036854775808"), MARL_OK);
    ck_assert_str_eq(fmt(o, 1), "-9223372036854775808");
    ck_assert_int_eq(marl_options_set_real(o, "i", -0x1p63), MARL_OK);
    ck_assert_int_eq(marl_options_set_real(o, "i", 0x1p63), MARL_EINVAL);
    marl_options_free(o);
}
END_TEST

START_TEST(test_copy) {
    marl_options *o = make(), *c;
    marl_options_parse(o, "eta=0.7,label=orig,init=uniform");
    ck_assert_int_eq(marl_options_copy(&c, o), MARL_OK);
    for (size_t i = 0; i < N_DEFS; ++i) {
        char a[64], b[64];
        marl_options_format(o, i, a, sizeof a);
        marl_options_format(c, i, b, sizeof b);
        ck_assert_str_eq(a, b);
    }
    marl_options_parse(c, "eta=0.9,label=changed,init=normal");
    ck_assert_str_eq(fmt(o, O_ETA), "0.7");
    ck_assert_str_eq(fmt(o, O_LABEL), "orig");
    ck_assert_str_eq(fmt(o, O_INIT), "uniform");
    ck_assert_ptr_eq(marl_options_def(c, 0), &DEFS[0]);
    marl_options *x = (marl_options *)0x1;
    ck_assert_int_eq(marl_options_copy(&x, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_options_copy(NULL, o), MARL_EINVAL);
    ck_assert_ptr_eq(x, (marl_options *)0x1);
    marl_options_free(o);
    marl_options_free(c);
}
END_TEST

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    marl_options *o = NULL, *c = NULL;
    FAILALLOC_SWEEP(marl_options_new(&o, DEFS, N_DEFS), marl_options_free(o));
    ck_assert_int_eq(marl_options_new(&o, DEFS, N_DEFS), MARL_OK);
    marl_options_set_string(o, "note", "something");
    FAILALLOC_SWEEP(marl_options_copy(&c, o), marl_options_free(c));
    FAILALLOC_SWEEP(marl_options_set_string(o, "label", "xyz"), (void)0);
    FAILALLOC_SWEEP(marl_options_set(o, "note", "uvw"), (void)0);
    FAILALLOC_SWEEP(marl_options_parse(o, "label=abc,eta=0.5,note=zz,label=q"),
                    (void)0);
    ck_assert_str_eq(fmt(o, O_LABEL), "q");
    ck_assert_str_eq(fmt(o, O_NOTE), "zz");
    /* failures leave the values unchanged */
    failalloc_install(0);
    ck_assert_int_eq(marl_options_set_string(o, "label", "lost"), MARL_ENOMEM);
    failalloc_install(1);
    ck_assert_int_eq(marl_options_parse(o, "eta=0.9,label=l1,note=n1"),
                     MARL_ENOMEM);
    failalloc_uninstall();
    ck_assert_str_eq(fmt(o, O_LABEL), "q");
    ck_assert_str_eq(fmt(o, O_NOTE), "zz");
    ck_assert_str_eq(fmt(o, O_ETA), "0.5");
    marl_options_free(o);
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("core-options");
    TCase *tc = tcase_create("options");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_defaults_and_introspection);
    tcase_add_test(tc, test_set_int);
    tcase_add_test(tc, test_set_real);
    tcase_add_test(tc, test_set_string);
    tcase_add_test(tc, test_set_text);
    tcase_add_test(tc, test_getters);
    tcase_add_test(tc, test_parse);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_format_default);
    tcase_add_test(tc, test_locale_independence);
    tcase_add_test(tc, test_table_validation);
    tcase_add_test(tc, test_copy);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
