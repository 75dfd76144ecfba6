/* Tests of the CSV form of policies: exact text, exact round trips,
 * hand-written inputs (CRLF, blank lines, spacing, any order), every error
 * with its line number, all-or-nothing behaviour, allocation failures.
 * SPDX-License-Identifier: MIT */
#include "testpol.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

static const size_t A23[2] = {2, 3};

/* The policy of the exact-text test. */
static marl_policy *small_policy(marl_game *g) {
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double r00[2] = {0.25, 0.75}, r10[3] = {0.5, 0.0, 0.5},
           r11[3] = {0.1, 0.2, 0.7};
    ck_assert_int_eq(marl_policy_set_row(p, 0, 0, 0, r00), MARL_OK);
    ck_assert_int_eq(marl_policy_set_pure(p, 0, 0, 1, 1), MARL_OK);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 0, r10), MARL_OK);
    ck_assert_int_eq(marl_policy_set_row(p, 1, 0, 1, r11), MARL_OK);
    return p;
}

static const char small_csv[] =
    "agent,step,state,action,prob\n"
    "0,0,0,0,0.25\n"
    "0,0,0,1,0.75\n"
    "0,0,1,1,1\n"
    "1,0,0,0,0.5\n"
    "1,0,0,2,0.5\n"
    "1,0,1,0,0.10000000000000001\n"
    "1,0,1,1,0.20000000000000001\n"
    "1,0,1,2,0.69999999999999996\n";

START_TEST(test_exact_text) {
    marl_game *g = tp_markov(2, 2, A23);
    marl_policy *p = small_policy(g), *q = NULL;
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(marl_policy_to_csv(p, &text, &len), MARL_OK);
    ck_assert_str_eq(text, small_csv);
    ck_assert_uint_eq(len, strlen(small_csv));
    ck_assert_uint_eq(len, strlen(text));
    /* Read back into a uniform policy: exact. */
    ck_assert_int_eq(marl_policy_new(&q, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_from_csv(q, text, len), MARL_OK);
    ck_assert(memcmp(p->values, q->values, p->n_values * sizeof(double)) == 0);
    marl_free(text);
    /* length is optional. */
    ck_assert_int_eq(marl_policy_to_csv(p, &text, NULL), MARL_OK);
    ck_assert_str_eq(text, small_csv);
    marl_free(text);
    ck_assert_int_eq(marl_policy_to_csv(NULL, &text, &len), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_to_csv(p, NULL, &len), MARL_EINVAL);
    marl_policy_free(p);
    marl_policy_free(q);
    marl_game_free(g);
}
END_TEST

START_TEST(test_round_trips) {
    size_t A[3] = {2, 3, 4}, E[3] = {3, 3, 3};
    marl_game *g = tp_markov(3, 5, A);
    marl_game *gf = tp_finite(3, 2, E, 3);
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 99), MARL_OK);
    struct { marl_game *g; unsigned flags; } cases[3] = {
        {g, 0}, {gf, MARL_POLICY_SHARED | MARL_POLICY_PER_STEP},
        {gf, MARL_POLICY_PER_STEP}};
    for (int c = 0; c < 3; ++c) {
        marl_policy *p = NULL, *q = NULL;
        ck_assert_int_eq(marl_policy_new(&p, cases[c].g, cases[c].flags),
                         MARL_OK);
        ck_assert_int_eq(marl_policy_randomize(p, rng), MARL_OK);
        ck_assert_int_eq(marl_policy_set_pure(p, 0, 0, 1, 1), MARL_OK);
        ck_assert_int_eq(marl_policy_copy(&q, p), MARL_OK);
        marl_policy_set_uniform(q);
        char *text = NULL;
        size_t len;
        ck_assert_int_eq(marl_policy_to_csv(p, &text, &len), MARL_OK);
        ck_assert_int_eq(marl_policy_from_csv(q, text, len), MARL_OK);
        ck_assert(memcmp(p->values, q->values,
                         p->n_values * sizeof(double)) == 0);
        marl_free(text);
        marl_policy_free(p);
        marl_policy_free(q);
    }
    /* LOGITS: probabilities written, logits rebuilt as log p - mean. */
    marl_policy *l = NULL, *m = NULL;
    ck_assert_int_eq(marl_policy_new(&l, g, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&m, g, MARL_POLICY_LOGITS), MARL_OK);
    ck_assert_int_eq(marl_policy_randomize(l, rng), MARL_OK);
    char *text = NULL;
    size_t len;
    ck_assert_int_eq(marl_policy_to_csv(l, &text, &len), MARL_OK);
    ck_assert_int_eq(marl_policy_from_csv(m, text, len), MARL_OK);
    double d = 1.0;
    ck_assert_int_eq(marl_policy_distance(l, m, &d), MARL_OK);
    ck_assert(d < 1e-15);
    double th[4];
    marl_policy_get_logits(m, 2, 0, 4, th);
    ck_assert_double_eq_tol(th[0] + th[1] + th[2] + th[3], 0.0, 1e-12);
    marl_free(text);
    marl_policy_free(l);
    marl_policy_free(m);
    marl_rng_free(rng);
    marl_game_free(g);
    marl_game_free(gf);
}
END_TEST

START_TEST(test_hand_written) {
    marl_game *g = tp_markov(2, 2, A23);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    /* CRLF, blank lines, spaces, any order, no final newline, zeros
     * listed or not. */
    const char *t =
        "\r\n  agent,step,state,action,prob \r\n"
        "1,0,1,2, 0.5\r\n"
        "\r\n"
        " 0 , 0 , 1 , 0 , 1.0\r\n"
        "0,0,0,1,0.0\r\n"
        "0,0,0,0,1e0\r\n"
        "1,0,0,1,1\r\n"
        "1,0,1,0,2.5e-1\r\n"
        "1,0,1,1,0x1p-2";
    ck_assert_int_eq(marl_policy_from_csv(p, t, strlen(t)), MARL_OK);
    double row[3];
    marl_policy_get_row(p, 0, 0, 0, row);
    ck_assert(row[0] == 1.0 && row[1] == 0.0);
    marl_policy_get_row(p, 0, 0, 1, row);
    ck_assert(row[0] == 1.0 && row[1] == 0.0);
    marl_policy_get_row(p, 1, 0, 0, row);
    ck_assert(row[0] == 0.0 && row[1] == 1.0 && row[2] == 0.0);
    marl_policy_get_row(p, 1, 0, 1, row);
    ck_assert(row[0] == 0.25 && row[1] == 0.25 && row[2] == 0.5);
    /* `length` bounds the text: a valid prefix is parsed, the rest
     * ignored (here the text continues with garbage). */
    const char *u = "agent,step,state,action,prob\n0,0,0,0,1\n0,0,1,1,1\n"
                    "1,0,0,0,1\n1,0,1,2,1\nGARBAGE";
    ck_assert_int_eq(marl_policy_from_csv(p, u, strlen(u) - 7), MARL_OK);
    marl_policy_get_row(p, 1, 0, 1, row);
    ck_assert(row[0] == 0.0 && row[2] == 1.0);
    ck_assert_int_eq(marl_policy_from_csv(p, u, strlen(u)), MARL_EFORMAT);
    ck_assert(has("line 6"));
    marl_policy_free(p);
    marl_game_free(g);
}
END_TEST

typedef struct bad_case {
    const char *text;
    int code;
    const char *needle;
} bad_case;

START_TEST(test_errors) {
    marl_game *g = tp_markov(2, 2, A23);
    marl_policy *p = small_policy(g), *keep = NULL;
    ck_assert_int_eq(marl_policy_copy(&keep, p), MARL_OK);
#define H "agent,step,state,action,prob\n"
#define REST "0,0,1,1,1\n1,0,0,0,1\n1,0,1,2,1\n"
    static const bad_case cases[] = {
        {"", MARL_EFORMAT, "missing header"},
        {"\n\n", MARL_EFORMAT, "missing header"},
        {"0,0,0,0,1\n", MARL_EFORMAT, "line 1: expected the header"},
        {"agent,step,state,action\n", MARL_EFORMAT, "line 1"},
        {"agent,step,state,action,prob,x\n", MARL_EFORMAT, "line 1"},
        {H, MARL_EFORMAT, "row (agent 0, step 0, state 0) is not listed"},
        {H "0,0,0,0,1\n" REST "0,0,0\n", MARL_EFORMAT, "line 6: expected 5"},
        {H "0,0,0,0,1,2\n" REST, MARL_EFORMAT, "line 2: expected 5"},
        {H "0,0,0,0,1\n" REST ",,,,\n", MARL_EFORMAT, "line 6: agent"},
        {H "x,0,0,0,1\n" REST, MARL_EFORMAT, "line 2: agent \"x\""},
        {H "0,-1,0,0,1\n" REST, MARL_EFORMAT, "line 2: step \"-1\""},
        {H "0,0,+0,0,1\n" REST, MARL_EFORMAT, "line 2: state"},
        {H "0,0,0,1.0,1\n" REST, MARL_EFORMAT, "line 2: action \"1.0\""},
        {H "0,0,0,0 0,1\n" REST, MARL_EFORMAT, "line 2: action"},
        {H "99999999999999999999999,0,0,0,1\n" REST, MARL_EFORMAT,
         "line 2: agent"},
        {H "0,0,0,0,abc\n" REST, MARL_EFORMAT, "line 2: prob \"abc\""},
        {H "0,0,0,0,\n" REST, MARL_EFORMAT, "line 2: prob"},
        {H "0,0,0,0,nan\n" REST, MARL_EFORMAT, "line 2: prob"},
        {H "0,0,0,0,inf\n" REST, MARL_EFORMAT, "line 2: prob"},
        {H "0,0,0,0,1e999\n" REST, MARL_EFORMAT, "line 2: prob"},
        {H "0,0,0,0,-0.5\n0,0,0,1,1.5\n" REST, MARL_EFORMAT, "line 2: prob"},
        {H "0,0,0,0,0.5x\n" REST, MARL_EFORMAT, "line 2: prob"},
        {H "0,0,0,0,1\n" REST "2,0,0,0,1\n", MARL_EFORMAT,
         "line 6: agent 2 is out of range [0, 2)"},
        {H "0,1,0,0,1\n" REST, MARL_EFORMAT, "line 2: step 1 is out of range"},
        {H "0,0,2,0,1\n" REST, MARL_EFORMAT, "line 2: state 2 is out of range"},
        {H "0,0,0,2,1\n" REST, MARL_EFORMAT,
         "line 2: action 2 is out of range [0, 2)"},
        {H "0,0,0,0,0.5\n" REST "0,0,0,0,0.5\n", MARL_EFORMAT,
         "line 6: duplicate entry (agent 0, step 0, state 0, action 0)"},
        {H "0,0,0,0,0.5\n0,0,0,1,0.4\n" REST, MARL_EFORMAT,
         "row (agent 0, step 0, state 0) sums to 0.90000000000000002, "
         "expected 1 (last entry on line 3)"},
        {H "0,0,0,0,1\n0,0,1,1,1\n1,0,1,2,1\n", MARL_EFORMAT,
         "row (agent 1, step 0, state 0) is not listed"},
        {H "0,0,0,0,1\n" REST "\x01\n", MARL_EFORMAT, "line 6"},
    };
#undef H
#undef REST
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
        marl_clear_error();
        int rc = marl_policy_from_csv(p, cases[k].text, strlen(cases[k].text));
        ck_assert_msg(rc == cases[k].code, "case %zu: rc %d (%s)", k, rc,
                      marl_last_error());
        ck_assert_msg(has(cases[k].needle), "case %zu: message '%s' lacks '%s'",
                      k, marl_last_error(), cases[k].needle);
        /* All or nothing. */
        ck_assert(memcmp(p->values, keep->values,
                         p->n_values * sizeof(double)) == 0);
    }
    /* An embedded NUL is not a number. */
    const char nul[] = "agent,step,state,action,prob\n0,0,0,0,1\0\n";
    ck_assert_int_eq(marl_policy_from_csv(p, nul, sizeof nul - 1),
                     MARL_EFORMAT);
    ck_assert(has("line 2: prob"));
    ck_assert_int_eq(marl_policy_from_csv(NULL, "", 0), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_from_csv(p, NULL, 0), MARL_EINVAL);
    /* Shared policies accept only agent 0. */
    size_t E[2] = {2, 2};
    marl_game *ge = tp_markov(2, 1, E);
    marl_policy *s = NULL;
    ck_assert_int_eq(marl_policy_new(&s, ge, MARL_POLICY_SHARED), MARL_OK);
    const char *st = "agent,step,state,action,prob\n0,0,0,0,1\n1,0,0,0,1\n";
    ck_assert_int_eq(marl_policy_from_csv(s, st, strlen(st)), MARL_EFORMAT);
    ck_assert(has("line 3: agent 1 is out of range [0, 1) (shared policies "
                  "use agent 0)"));
    ck_assert_int_eq(marl_policy_from_csv(s, st, strlen(st) - 10), MARL_OK);
    /* LOGITS policies cannot take zero probabilities. */
    marl_policy *l = NULL;
    ck_assert_int_eq(marl_policy_new(&l, ge, MARL_POLICY_LOGITS), MARL_OK);
    const char *lt = "agent,step,state,action,prob\n0,0,0,0,1\n1,0,0,0,0.5\n"
                     "1,0,0,1,0.5\n";
    ck_assert_int_eq(marl_policy_from_csv(l, lt, strlen(lt)), MARL_ERANGE);
    ck_assert(has("row (agent 0, step 0, state 0): action 1 has probability 0"));
    for (size_t k = 0; k < l->n_values; ++k) ck_assert(l->values[k] == 0.0);
    marl_policy_free(l);
    marl_policy_free(s);
    marl_game_free(ge);
    marl_policy_free(p);
    marl_policy_free(keep);
    marl_game_free(g);
}
END_TEST

START_TEST(test_locale) {
    /* Under a locale with a decimal comma (when one is installed), the text
     * still uses '.', and reading it back works. */
    const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                           "de_DE", NULL};
    const char *got = NULL;
    for (int k = 0; names[k] && !got; ++k)
        got = setlocale(LC_NUMERIC, names[k]);
    if (!got) return; /* no such locale installed: nothing to check */
    marl_game *g = tp_markov(2, 2, A23);
    marl_policy *p = small_policy(g), *q = NULL;
    char *text = NULL;
    ck_assert_int_eq(marl_policy_to_csv(p, &text, NULL), MARL_OK);
    ck_assert_str_eq(text, small_csv);
    ck_assert_int_eq(marl_policy_new(&q, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_from_csv(q, text, strlen(text)), MARL_OK);
    ck_assert(memcmp(p->values, q->values, p->n_values * sizeof(double)) == 0);
    setlocale(LC_NUMERIC, "C");
    marl_free(text);
    marl_policy_free(p);
    marl_policy_free(q);
    marl_game_free(g);
}
END_TEST

START_TEST(test_failalloc) {
    failalloc_install(-1);
    long live = failalloc_live();
    size_t A[3] = {2, 3, 4};
    marl_game *g = tp_markov(3, 40, A);
    marl_policy *p = NULL, *q = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_new(&q, g, 0), MARL_OK);
    tp_fill(p);
    char *text = NULL;
    size_t len;
    /* The text is several KB, so the buffer grows several times. */
    FAILALLOC_SWEEP(marl_policy_to_csv(p, &text, &len), marl_free(text));
    ck_assert_int_eq(marl_policy_to_csv(p, &text, &len), MARL_OK);
    ck_assert_uint_gt(len, 4096);
    FAILALLOC_SWEEP(marl_policy_from_csv(q, text, len), (void)0);
    ck_assert(memcmp(p->values, q->values, p->n_values * sizeof(double)) == 0);
    marl_free(text);
    marl_policy_free(p);
    marl_policy_free(q);
    marl_game_free(g);
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

int main(void) {
    Suite *s = suite_create("policy-csv");
    TCase *tc = tcase_create("csv");
    tcase_add_test(tc, test_exact_text);
    tcase_add_test(tc, test_round_trips);
    tcase_add_test(tc, test_hand_written);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_locale);
    tcase_add_test(tc, test_failalloc);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
