/* Tests of the binary policy blob: CRC-32 reference values, the exact byte
 * layout, bit-exact round trips, rejection of truncation at every length,
 * of every single-byte corruption, of bad magic/version/flags/dimensions/
 * values, load_into leaving the policy unchanged, allocation failures.
 * SPDX-License-Identifier: MIT */
#include "testpol.h"
#include "policy/policy_io.h"
#include "failalloc.h"

#include <check.h>
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *needle) {
    return strstr(marl_last_error(), needle) != NULL;
}

/* Bitwise reference CRC-32 (reflected, poly 0xEDB88320). */
static uint32_t crc_ref(const unsigned char *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t k = 0; k < n; ++k) {
        c ^= p[k];
        for (int b = 0; b < 8; ++b) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void put32(unsigned char *p, uint32_t v) {
    for (int k = 0; k < 4; ++k) p[k] = (unsigned char)(v >> (8 * k));
}

/* Recompute the trailing CRC of a blob after a deliberate edit. */
static void reseal(unsigned char *blob, size_t n) {
    put32(blob + n - 4, crc_ref(blob, n - 4));
}

static unsigned char *save_alloc(const marl_policy *p, size_t *n) {
    ck_assert_int_eq(marl_policy_save(p, NULL, 0, n), MARL_OK);
    unsigned char *buf = malloc(*n);
    size_t n2 = 0;
    ck_assert_int_eq(marl_policy_save(p, buf, *n, &n2), MARL_OK);
    ck_assert_uint_eq(n2, *n);
    return buf;
}

START_TEST(test_crc32) {
    ck_assert_uint_eq(marl_crc32("123456789", 9), 0xCBF43926u);
    ck_assert_uint_eq(marl_crc32("", 0), 0u);
    ck_assert_uint_eq(marl_crc32("a", 1), 0xE8B7BE43u);
    ck_assert_uint_eq(marl_crc32("The quick brown fox jumps over the lazy dog",
                                 43), 0x414FA339u);
    unsigned char buf[1000];
    unsigned x = 12345;
    for (size_t k = 0; k < sizeof buf; ++k) {
        x = x * 1103515245u + 12345u;
        buf[k] = (unsigned char)(x >> 16);
    }
    for (size_t n = 0; n <= sizeof buf; n += 37)
        ck_assert_uint_eq(marl_crc32(buf, n), crc_ref(buf, n));
}
END_TEST

START_TEST(test_exact_layout) {
    size_t A[2] = {2, 1};
    marl_game *g = tp_markov(2, 1, A);
    marl_policy *p = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    double q[2] = {0.25, 0.75};
    ck_assert_int_eq(marl_policy_set_row(p, 0, 0, 0, q), MARL_OK);
    unsigned char want[84] = {
        'M', 'A', 'R', 'L', 'P', 'O', 'L', '1',
        1, 0, 0, 0,  0, 0, 0, 0,               /* version 1, flags 0 */
        2, 0, 0, 0, 0, 0, 0, 0,                /* agents */
        1, 0, 0, 0, 0, 0, 0, 0,                /* steps */
        1, 0, 0, 0, 0, 0, 0, 0,                /* states */
        2, 0, 0, 0, 0, 0, 0, 0,                /* A_0 */
        1, 0, 0, 0, 0, 0, 0, 0,                /* A_1 */
        0, 0, 0, 0, 0, 0, 0xD0, 0x3F,          /* 0.25 */
        0, 0, 0, 0, 0, 0, 0xE8, 0x3F,          /* 0.75 */
        0, 0, 0, 0, 0, 0, 0xF0, 0x3F,          /* 1.0 */
        0, 0, 0, 0};
    put32(want + 80, crc_ref(want, 80));
    size_t n = 0;
    ck_assert_int_eq(marl_policy_save(p, NULL, 0, &n), MARL_OK);
    ck_assert_uint_eq(n, 84);
    unsigned char got[100];
    memset(got, 0xAA, sizeof got);
    ck_assert_int_eq(marl_policy_save(p, got, 83, &n), MARL_ERANGE);
    ck_assert_uint_eq(n, 84);
    ck_assert(has("too small"));
    ck_assert_uint_eq(got[0], 0xAA); /* nothing written */
    n = 0;
    ck_assert_int_eq(marl_policy_save(p, got, sizeof got, &n), MARL_OK);
    ck_assert_uint_eq(n, 84);
    ck_assert(memcmp(got, want, 84) == 0);
    ck_assert_uint_eq(got[84], 0xAA);
    ck_assert_int_eq(marl_policy_save(NULL, got, 100, &n), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_save(p, got, 100, NULL), MARL_EINVAL);
    /* Shared + logits + per-step flags and a single stored table. */
    size_t E[2] = {2, 2};
    marl_game *gf = tp_finite(2, 1, E, 2);
    marl_policy *s = NULL;
    ck_assert_int_eq(marl_policy_new(&s, gf, MARL_POLICY_SHARED |
                                     MARL_POLICY_PER_STEP | MARL_POLICY_LOGITS),
                     MARL_OK);
    ck_assert_int_eq(marl_policy_save(s, got, sizeof got, &n), MARL_OK);
    ck_assert_uint_eq(n, 40 + 8 + 4 * 8 + 4);
    ck_assert_uint_eq(got[12], 7);
    ck_assert_uint_eq(got[24], 2); /* steps */
    ck_assert_uint_eq(got[40], 2); /* the one table's action count */
    ck_assert_uint_eq(crc_ref(got, n - 4),
                      (uint32_t)got[n - 4] | (uint32_t)got[n - 3] << 8 |
                          (uint32_t)got[n - 2] << 16 | (uint32_t)got[n - 1] << 24);
    marl_policy_free(s);
    marl_policy_free(p);
    marl_game_free(g);
    marl_game_free(gf);
}
END_TEST

START_TEST(test_round_trip) {
    size_t A[3] = {2, 3, 4}, E[3] = {3, 3, 3};
    marl_game *g = tp_markov(3, 5, A);
    marl_game *gf = tp_finite(3, 2, E, 4);
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 7), MARL_OK);
    struct { marl_game *g; unsigned flags; } cases[4] = {
        {g, 0}, {g, MARL_POLICY_LOGITS},
        {gf, MARL_POLICY_PER_STEP | MARL_POLICY_SHARED},
        {gf, MARL_POLICY_PER_STEP | MARL_POLICY_LOGITS}};
    for (int c = 0; c < 4; ++c) {
        marl_policy *p = NULL, *q = NULL, *r = NULL;
        ck_assert_int_eq(marl_policy_new(&p, cases[c].g, cases[c].flags),
                         MARL_OK);
        ck_assert_int_eq(marl_policy_randomize(p, rng), MARL_OK);
        size_t n;
        unsigned char *blob = save_alloc(p, &n);
        ck_assert_int_eq(marl_policy_load(&q, cases[c].g, blob, n), MARL_OK);
        ck_assert_uint_eq(marl_policy_flags(q), cases[c].flags);
        ck_assert_uint_eq(marl_policy_num_steps(q), marl_policy_num_steps(p));
        ck_assert_uint_eq(q->n_values, p->n_values);
        ck_assert(memcmp(q->values, p->values,
                         p->n_values * sizeof(double)) == 0);
        size_t n2;
        unsigned char *blob2 = save_alloc(q, &n2);
        ck_assert_uint_eq(n2, n);
        ck_assert(memcmp(blob, blob2, n) == 0);
        /* load_into a uniform policy of the same layout. */
        ck_assert_int_eq(marl_policy_copy(&r, p), MARL_OK);
        marl_policy_set_uniform(r);
        ck_assert_int_eq(marl_policy_load_into(r, blob, n), MARL_OK);
        ck_assert(memcmp(r->values, p->values,
                         p->n_values * sizeof(double)) == 0);
        free(blob);
        free(blob2);
        marl_policy_free(p);
        marl_policy_free(q);
        marl_policy_free(r);
    }
    marl_rng_free(rng);
    marl_game_free(g);
    marl_game_free(gf);
}
END_TEST

/* Every shorter prefix and every single-byte corruption is MARL_EFORMAT,
 * and load_into leaves the target unchanged. */
START_TEST(test_truncation_and_flips) {
    size_t A[3] = {2, 3, 2};
    marl_game *g = tp_markov(3, 3, A);
    marl_policy *p = NULL, *t = NULL, *out = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    tp_fill(p);
    ck_assert_int_eq(marl_policy_new(&t, g, 0), MARL_OK);
    size_t n;
    unsigned char *blob = save_alloc(p, &n);
    ck_assert_uint_eq(n, 40 + 3 * 8 + 3 * 7 * 8 + 4);
    for (size_t len = 0; len < n; ++len) {
        out = (marl_policy *)&out;
        ck_assert_int_eq(marl_policy_load(&out, g, blob, len), MARL_EFORMAT);
        ck_assert_ptr_eq(out, (marl_policy *)&out);
        ck_assert_int_eq(marl_policy_load_into(t, blob, len), MARL_EFORMAT);
    }
    ck_assert_int_eq(marl_policy_load(&out, g, blob, 30), MARL_EFORMAT);
    ck_assert(has("truncated"));
    ck_assert_int_eq(marl_policy_load(&out, g, blob, n - 1), MARL_EFORMAT);
    ck_assert(has("truncated"));
    unsigned char *big = malloc(n + 1);
    memcpy(big, blob, n);
    big[n] = 0;
    ck_assert_int_eq(marl_policy_load(&out, g, big, n + 1), MARL_EFORMAT);
    ck_assert(has("trailing"));
    free(big);
    for (size_t k = 0; k < n; ++k)
        for (unsigned x = 1; x < 256; ++x) {
            blob[k] ^= (unsigned char)x;
            int rc = marl_policy_load_into(t, blob, n);
            if (rc != MARL_EFORMAT)
                ck_abort_msg("byte %zu ^ 0x%02x: load_into returned %d", k, x,
                             rc);
            if (x == 1 || x == 0x80) {
                out = (marl_policy *)&out;
                ck_assert_int_eq(marl_policy_load(&out, g, blob, n),
                                 MARL_EFORMAT);
                ck_assert_ptr_eq(out, (marl_policy *)&out);
            }
            blob[k] ^= (unsigned char)x;
        }
    /* A value byte flipped: reported as a CRC mismatch. */
    blob[100] ^= 4;
    ck_assert_int_eq(marl_policy_load(&out, g, blob, n), MARL_EFORMAT);
    ck_assert(has("CRC mismatch"));
    blob[100] ^= 4;
    /* t is still uniform. */
    for (size_t i = 0; i < 3; ++i)
        for (size_t s = 0; s < 3; ++s) {
            double row[3];
            marl_policy_get_row(t, i, 0, s, row);
            ck_assert(row[0] == 1.0 / (double)A[i]);
        }
    ck_assert_int_eq(marl_policy_load_into(t, blob, n), MARL_OK);
    free(blob);
    marl_policy_free(p);
    marl_policy_free(t);
    marl_game_free(g);
}
END_TEST

START_TEST(test_bad_fields) {
    size_t A[2] = {2, 3}, B[2] = {2, 2};
    marl_game *g = tp_markov(2, 2, A);
    marl_game *g3 = tp_markov(2, 3, A);
    marl_game *gb = tp_markov(2, 2, B);
    marl_policy *p = NULL, *out = NULL, *l = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    tp_fill(p);
    size_t n;
    unsigned char *blob = save_alloc(p, &n), *b = malloc(n);
#define FRESH() memcpy(b, blob, n)
    FRESH();
    b[0] = 'X';
    ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
    ck_assert(has("bad magic"));
    FRESH();
    b[8] = 2;
    reseal(b, n);
    ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
    ck_assert(has("unknown format version 2"));
    FRESH();
    b[12] = 0x10;
    reseal(b, n);
    ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
    ck_assert(has("unknown flag bits 0x10"));
    FRESH();
    b[15] = 0x80;
    reseal(b, n);
    ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
    ck_assert(has("unknown flag bits 0x80000000"));
    /* Steps > 1 without PER_STEP. */
    FRESH();
    b[24] = 2;
    ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
    ck_assert(has("PER_STEP"));
    /* Zero states. */
    FRESH();
    b[32] = 0;
    ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
    ck_assert(has("invalid dimensions"));
    /* Huge dimensions do not overflow into a small expected size. */
    FRESH();
    memset(b + 32, 0xFF, 8);
    ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
    /* Dimension mismatches with the game (valid blobs of another game). */
    ck_assert_int_eq(marl_policy_load(&out, g3, blob, n), MARL_EFORMAT);
    ck_assert(has("the blob has 2 states, game"));
    ck_assert_int_eq(marl_policy_load(&out, gb, blob, n), MARL_EFORMAT);
    ck_assert(has("agent 1 has 3 actions in the blob"));
    size_t A3[3] = {2, 3, 2};
    marl_game *g3a = tp_markov(3, 2, A3);
    ck_assert_int_eq(marl_policy_load(&out, g3a, blob, n), MARL_EFORMAT);
    ck_assert(has("the blob has 2 agents, game"));
    marl_game_free(g3a);
    /* Values: NaN, negative, row not summing to 1 (each resealed). The
     * first value sits at 40 + 2 * 8 = 56. */
    double bad[3] = {NAN, -0.25, 0.6};
    const char *msg[3] = {"not finite", "negative", "sums to"};
    for (int k = 0; k < 3; ++k) {
        FRESH();
        uint64_t u;
        memcpy(&u, &bad[k], 8);
        for (int j = 0; j < 8; ++j) b[56 + j] = (unsigned char)(u >> (8 * j));
        reseal(b, n);
        ck_assert_int_eq(marl_policy_load(&out, g, b, n), MARL_EFORMAT);
        ck_assert(has(msg[k]));
        ck_assert(has("table 0, step 0, state 0"));
        ck_assert_int_eq(marl_policy_load_into(p, b, n), MARL_EFORMAT);
    }
    /* A LOGITS blob accepts any finite logits but rejects infinities. */
    ck_assert_int_eq(marl_policy_new(&l, g, MARL_POLICY_LOGITS), MARL_OK);
    size_t nl;
    unsigned char *lb = save_alloc(l, &nl);
    double big = -1e300;
    uint64_t u;
    memcpy(&u, &big, 8);
    for (int j = 0; j < 8; ++j) lb[56 + j] = (unsigned char)(u >> (8 * j));
    reseal(lb, nl);
    ck_assert_int_eq(marl_policy_load_into(l, lb, nl), MARL_OK);
    double th[2];
    marl_policy_get_logits(l, 0, 0, 0, th);
    ck_assert(th[0] == -1e300);
    big = INFINITY;
    memcpy(&u, &big, 8);
    for (int j = 0; j < 8; ++j) lb[56 + j] = (unsigned char)(u >> (8 * j));
    reseal(lb, nl);
    ck_assert_int_eq(marl_policy_load_into(l, lb, nl), MARL_EFORMAT);
    ck_assert(has("logit 0"));
    /* load_into with a blob of another layout: unchanged. */
    ck_assert_int_eq(marl_policy_load_into(l, blob, n), MARL_EFORMAT);
    ck_assert(has("flags"));
    marl_policy *p3 = NULL;
    ck_assert_int_eq(marl_policy_new(&p3, g3, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_load_into(p3, blob, n), MARL_EFORMAT);
    marl_policy *pb = NULL;
    ck_assert_int_eq(marl_policy_new(&pb, gb, 0), MARL_OK);
    ck_assert_int_eq(marl_policy_load_into(pb, blob, n), MARL_EFORMAT);
    ck_assert(has("table 1 has 3 actions"));
    marl_policy_get_logits(l, 0, 0, 0, th);
    ck_assert(th[0] == -1e300);
    /* NULL arguments. */
    ck_assert_int_eq(marl_policy_load(NULL, g, blob, n), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_load(&out, NULL, blob, n), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_load(&out, g, NULL, n), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_load_into(NULL, blob, n), MARL_EINVAL);
    ck_assert_int_eq(marl_policy_load_into(p, NULL, n), MARL_EINVAL);
#undef FRESH
    free(blob);
    free(b);
    free(lb);
    marl_policy_free(p);
    marl_policy_free(l);
    marl_policy_free(p3);
    marl_policy_free(pb);
    marl_game_free(g);
    marl_game_free(g3);
    marl_game_free(gb);
}
END_TEST

START_TEST(test_failalloc_load) {
    failalloc_install(-1);
    long live = failalloc_live();
    size_t A[3] = {2, 3, 2};
    marl_game *g = tp_markov(3, 3, A);
    marl_policy *p = NULL, *q = NULL;
    ck_assert_int_eq(marl_policy_new(&p, g, 0), MARL_OK);
    tp_fill(p);
    size_t n;
    unsigned char *blob = save_alloc(p, &n);
    FAILALLOC_SWEEP(marl_policy_load(&q, g, blob, n), marl_policy_free(q));
    ck_assert_int_eq(marl_policy_load(&q, g, blob, n), MARL_OK);
    ck_assert(memcmp(q->values, p->values, p->n_values * sizeof(double)) == 0);
    marl_policy_free(q);
    free(blob);
    marl_policy_free(p);
    marl_game_free(g);
    ck_assert_int_eq(failalloc_live(), live);
}
END_TEST

int main(void) {
    Suite *s = suite_create("policy-io");
    TCase *tc = tcase_create("blob");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_crc32);
    tcase_add_test(tc, test_exact_layout);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_truncation_and_flips);
    tcase_add_test(tc, test_bad_fields);
    tcase_add_test(tc, test_failalloc_load);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
