/* Generator tests: xoshiro256** reference outputs, splitmix64 seeding, the
 * jump polynomial (re-derived by Berlekamp-Massey), streams, raw state,
 * uniform draws, errors and allocation failures.
 * SPDX-License-Identifier: MIT */
#include <check.h>
#include "check_main.h"
#include <marlgame/rng.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/rng_impl.h"
#include "failalloc.h"
#include "stats.h"

/* ---- reference implementation, typed from the authors' listing
 * (xoshiro256starstar.c, Blackman & Vigna 2018), kept separate from the
 * library's code on purpose ---------------------------------------------- */

static uint64_t ref_s[4];

static inline uint64_t ref_rotl(const uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

static uint64_t ref_next(void) {
    const uint64_t result = ref_rotl(ref_s[1] * 5, 7) * 9;
    const uint64_t t = ref_s[1] << 17;
    ref_s[2] ^= ref_s[0];
    ref_s[3] ^= ref_s[1];
    ref_s[1] ^= ref_s[2];
    ref_s[0] ^= ref_s[3];
    ref_s[2] ^= t;
    ref_s[3] = ref_rotl(ref_s[3], 45);
    return result;
}

static void ref_jump(void) {
    static const uint64_t JUMP[] = {0x180ec6d33cfd0aba, 0xd5a61266f0c9392c,
                                    0xa9582618e03fc9aa, 0x39abdc4529b1661c};
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i < sizeof JUMP / sizeof *JUMP; i++)
        for (int b = 0; b < 64; b++) {
            if (JUMP[i] & UINT64_C(1) << b) {
                s0 ^= ref_s[0];
                s1 ^= ref_s[1];
                s2 ^= ref_s[2];
                s3 ^= ref_s[3];
            }
            ref_next();
        }
    ref_s[0] = s0;
    ref_s[1] = s1;
    ref_s[2] = s2;
    ref_s[3] = s3;
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST(test_splitmix_seeding) {
    /* Published splitmix64 outputs for seed 1234567. */
    static const uint64_t expect[5] = {
        UINT64_C(6457827717110365317), UINT64_C(3203168211198807973),
        UINT64_C(9817491932198370423), UINT64_C(4593380528125082431),
        UINT64_C(16408922859458223821)};
    uint64_t x = 1234567;
    for (int i = 0; i < 5; ++i) ck_assert_uint_eq(marl_splitmix64(&x), expect[i]);

    marl_rng *r;
    ck_assert_int_eq(marl_rng_new(&r, 1234567), MARL_OK);
    uint64_t st[4];
    ck_assert_int_eq(marl_rng_get_state(r, st), MARL_OK);
    for (int i = 0; i < 4; ++i) ck_assert_uint_eq(st[i], expect[i]);

    /* re-seed in place == new generator */
    for (int i = 0; i < 10; ++i) marl_rng_u64(r);
    ck_assert_int_eq(marl_rng_seed(r, 1234567), MARL_OK);
    ck_assert_int_eq(marl_rng_get_state(r, st), MARL_OK);
    for (int i = 0; i < 4; ++i) ck_assert_uint_eq(st[i], expect[i]);
    marl_rng_free(r);
}
END_TEST

START_TEST(test_hand_computed_outputs) {
    /* State {1,2,3,4}, outputs worked out by hand from the definition:
     * out1 = rotl(2*5,7)*9 = 1280*9; then s1 becomes 0 (out2 = 0); then
     * s1 = 262149, out3 = 262149*5*128*9. */
    marl_rng *r;
    ck_assert_int_eq(marl_rng_new(&r, 0), MARL_OK);
    const uint64_t st[4] = {1, 2, 3, 4};
    ck_assert_int_eq(marl_rng_set_state(r, st), MARL_OK);
    ck_assert_uint_eq(marl_rng_u64(r), 11520u);
    ck_assert_uint_eq(marl_rng_u64(r), 0u);
    ck_assert_uint_eq(marl_rng_u64(r), UINT64_C(1509978240));
    marl_rng_free(r);
}
END_TEST

START_TEST(test_reference_sequence) {
    marl_rng *r;
    ck_assert_int_eq(marl_rng_new(&r, 0), MARL_OK);
    const uint64_t st[4] = {UINT64_C(0x0123456789abcdef),
                            UINT64_C(0xfedcba9876543210),
                            UINT64_C(0xdeadbeefcafebabe), UINT64_C(42)};
    ck_assert_int_eq(marl_rng_set_state(r, st), MARL_OK);
    memcpy(ref_s, st, sizeof st);
    for (int i = 0; i < 100000; ++i) QCHECK_UINT_EQ(marl_rng_u64(r), ref_next());
    /* the inline helper consumes identically */
    for (int i = 0; i < 1000; ++i) QCHECK_UINT_EQ(marl_rng_next(r), ref_next());
    /* jumps agree with the reference jump */
    for (int j = 0; j < 3; ++j) {
        ck_assert_int_eq(marl_rng_jump(r), MARL_OK);
        ref_jump();
        uint64_t got[4];
        marl_rng_get_state(r, got);
        for (int i = 0; i < 4; ++i) ck_assert_uint_eq(got[i], ref_s[i]);
        for (int i = 0; i < 100; ++i) ck_assert_uint_eq(marl_rng_u64(r), ref_next());
    }
    marl_rng_free(r);
}
END_TEST

/* ---- the jump polynomial re-derived: Berlekamp-Massey on one state bit
 * gives the characteristic polynomial P of the linear engine (degree 256);
 * the jump by 2^128 steps is x^(2^128) mod P. ---------------------------- */

#define PW 9 /* words for polynomials of degree < 576 */
typedef struct { uint64_t w[PW]; } poly;

static int pbit(const poly *p, int i) { return (int)((p->w[i >> 6] >> (i & 63)) & 1u); }
static void pset(poly *p, int i) { p->w[i >> 6] |= UINT64_C(1) << (i & 63); }

static void pmulmod(const poly *a, const poly *b, const poly *m, int dm,
                    poly *out) {
    poly r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < dm; ++i)
        if (pbit(a, i))
            for (int j = 0; j < dm; ++j)
                if (pbit(b, j)) r.w[(i + j) >> 6] ^= UINT64_C(1) << ((i + j) & 63);
    for (int d = 2 * dm - 2; d >= dm; --d) {
        if (!pbit(&r, d)) continue;
        for (int k = 0; k <= dm; ++k)
            if (pbit(m, k)) r.w[(d - dm + k) >> 6] ^= UINT64_C(1) << ((d - dm + k) & 63);
    }
    *out = r;
}

START_TEST(test_jump_polynomial) {
    enum { N = 512 };
    static uint8_t s[N], C[N + 1], B[N + 1], T[N + 1];
    marl_rng *r;
    ck_assert_int_eq(marl_rng_new(&r, 99), MARL_OK);
    for (int n = 0; n < N; ++n) {
        uint64_t st[4];
        marl_rng_get_state(r, st);
        s[n] = (uint8_t)(st[0] & 1u);
        marl_rng_u64(r);
    }
    marl_rng_free(r);
    /* Berlekamp-Massey over GF(2) */
    memset(C, 0, sizeof C);
    memset(B, 0, sizeof B);
    C[0] = B[0] = 1;
    int L = 0, m = 1;
    for (int n = 0; n < N; ++n) {
        int d = s[n];
        for (int i = 1; i <= L; ++i) d ^= C[i] & s[n - i];
        if (!d) {
            ++m;
        } else if (2 * L <= n) {
            memcpy(T, C, sizeof C);
            for (int i = 0; i + m <= N; ++i) C[i + m] ^= B[i];
            L = n + 1 - L;
            memcpy(B, T, sizeof T);
            m = 1;
        } else {
            for (int i = 0; i + m <= N; ++i) C[i + m] ^= B[i];
            ++m;
        }
    }
    ck_assert_int_eq(L, 256);
    /* P(x) = x^L C(1/x) */
    poly P, X;
    memset(&P, 0, sizeof P);
    for (int i = 0; i <= L; ++i)
        if (C[i]) pset(&P, L - i);
    memset(&X, 0, sizeof X);
    pset(&X, 1);
    for (int k = 0; k < 128; ++k) pmulmod(&X, &X, &P, L, &X);
    static const uint64_t JUMP[4] = {0x180ec6d33cfd0aba, 0xd5a61266f0c9392c,
                                     0xa9582618e03fc9aa, 0x39abdc4529b1661c};
    for (int i = 0; i < 4; ++i) ck_assert_uint_eq(X.w[i], JUMP[i]);
    for (int i = 4; i < PW; ++i) ck_assert_uint_eq(X.w[i], 0u);
}
END_TEST

START_TEST(test_streams) {
    marl_rng *a, *b, *c;
    ck_assert_int_eq(marl_rng_new(&a, 7), MARL_OK);
    ck_assert_int_eq(marl_rng_new_stream(&b, 7, 0), MARL_OK);
    uint64_t sa[4], sb[4];
    marl_rng_get_state(a, sa);
    marl_rng_get_state(b, sb);
    ck_assert_mem_eq(sa, sb, sizeof sa);
    marl_rng_free(b);
    /* stream k == seed's generator after k jumps */
    ck_assert_int_eq(marl_rng_new_stream(&b, 7, 3), MARL_OK);
    for (int k = 0; k < 3; ++k) marl_rng_jump(a);
    marl_rng_get_state(a, sa);
    marl_rng_get_state(b, sb);
    ck_assert_mem_eq(sa, sb, sizeof sa);
    /* streams differ from each other and from the base */
    ck_assert_int_eq(marl_rng_new_stream(&c, 7, 1), MARL_OK);
    marl_rng *base;
    marl_rng_new(&base, 7);
    int same_bc = 0, same_base = 0;
    for (int i = 0; i < 64; ++i) {
        uint64_t x = marl_rng_u64(base), y = marl_rng_u64(b), z = marl_rng_u64(c);
        same_bc += (y == z);
        same_base += (x == z);
    }
    ck_assert_int_eq(same_bc, 0);
    ck_assert_int_eq(same_base, 0);
    /* same seed and stream => same numbers */
    marl_rng *d;
    ck_assert_int_eq(marl_rng_new_stream(&d, 7, 1), MARL_OK);
    marl_rng_free(c);
    ck_assert_int_eq(marl_rng_new_stream(&c, 7, 1), MARL_OK);
    for (int i = 0; i < 100; ++i) ck_assert_uint_eq(marl_rng_u64(c), marl_rng_u64(d));
    marl_rng_free(a);
    marl_rng_free(b);
    marl_rng_free(c);
    marl_rng_free(d);
    marl_rng_free(base);
}
END_TEST

START_TEST(test_copy_and_state) {
    marl_rng *a, *b;
    ck_assert_int_eq(marl_rng_new(&a, 11), MARL_OK);
    for (int i = 0; i < 5; ++i) marl_rng_u64(a);
    ck_assert_int_eq(marl_rng_copy(&b, a), MARL_OK);
    for (int i = 0; i < 100; ++i) ck_assert_uint_eq(marl_rng_u64(a), marl_rng_u64(b));
    /* independent: advancing b leaves a alone */
    uint64_t sa[4], sb[4];
    marl_rng_get_state(a, sa);
    marl_rng_u64(b);
    uint64_t sa2[4];
    marl_rng_get_state(a, sa2);
    ck_assert_mem_eq(sa, sa2, sizeof sa);
    /* set_state / get_state round trip and resumes the sequence */
    ck_assert_int_eq(marl_rng_set_state(b, sa), MARL_OK);
    marl_rng_get_state(b, sb);
    ck_assert_mem_eq(sa, sb, sizeof sa);
    for (int i = 0; i < 10; ++i) ck_assert_uint_eq(marl_rng_u64(a), marl_rng_u64(b));
    /* all-zero state rejected, state unchanged */
    const uint64_t zero[4] = {0, 0, 0, 0};
    marl_rng_get_state(b, sb);
    ck_assert_int_eq(marl_rng_set_state(b, zero), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "all-zero"));
    uint64_t sb2[4];
    marl_rng_get_state(b, sb2);
    ck_assert_mem_eq(sb, sb2, sizeof sb);
    marl_rng_free(a);
    marl_rng_free(b);
}
END_TEST

START_TEST(test_uniform) {
    marl_rng *a, *b;
    marl_rng_new(&a, 5);
    marl_rng_new(&b, 5);
    double lo = 1.0, hi = 0.0;
    for (int i = 0; i < 100000; ++i) {
        uint64_t x = marl_rng_u64(b);
        double u = marl_rng_uniform(a);
        QCHECK(u == (double)(x >> 11) * 0x1p-53);
        QCHECK(u >= 0.0 && u < 1.0);
        if (u < lo) lo = u;
        if (u > hi) hi = u;
    }
    ck_assert(lo < 1e-3 && hi > 1 - 1e-3);
    /* largest possible output maps below 1 */
    marl_rng *c;
    marl_rng_new(&c, 0);
    /* choose s1 so that rotl(s1*5,7)*9 == UINT64_MAX */
    uint64_t inv9 = 9, inv5 = 5;
    for (int k = 0; k < 6; ++k) {
        inv9 *= 2 - 9 * inv9;
        inv5 *= 2 - 5 * inv5;
    }
    uint64_t y = UINT64_MAX * inv9;
    y = (y >> 7) | (y << 57);
    const uint64_t st[4] = {1, y * inv5, 3, 4};
    marl_rng_set_state(c, st);
    double top = marl_rng_uniform(c);
    ck_assert(top == 1.0 - 0x1p-53);
    marl_rng_free(a);
    marl_rng_free(b);
    marl_rng_free(c);
}
END_TEST

/* Lemire's method, typed from the paper's listing, for comparison. */
static uint64_t ref_bounded(marl_rng *r, uint64_t s) {
    uint64_t x = marl_rng_u64(r);
    __extension__ typedef unsigned __int128 u128;
    u128 m = (u128)x * (u128)s;
    uint64_t l = (uint64_t)m;
    if (l < s) {
        uint64_t t = -s % s;
        while (l < t) {
            x = marl_rng_u64(r);
            m = (u128)x * (u128)s;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

START_TEST(test_uniform_int) {
    marl_rng *a, *b;
    marl_rng_new(&a, 17);
    marl_rng_new(&b, 17);
    const uint64_t ns[] = {1, 2, 3, 7, 1000, UINT64_C(1) << 40,
                           (UINT64_C(1) << 63) + 1, UINT64_MAX};
    for (size_t k = 0; k < sizeof ns / sizeof *ns; ++k)
        for (int i = 0; i < 20000; ++i) {
            uint64_t v = marl_rng_uniform_int(a, ns[k]);
            QCHECK_UINT_LT(v, ns[k]);
            QCHECK_UINT_EQ(v, ref_bounded(b, ns[k]));
        }
    /* n == 0: returns 0 and draws nothing */
    uint64_t sa[4], sa2[4];
    marl_rng_get_state(a, sa);
    ck_assert_uint_eq(marl_rng_uniform_int(a, 0), 0u);
    marl_rng_get_state(a, sa2);
    ck_assert_mem_eq(sa, sa2, sizeof sa);
    /* chi-square uniformity on [0, 7) */
    double counts[7] = {0}, prob[7];
    const int N = 700000;
    for (int i = 0; i < 7; ++i) prob[i] = 1.0 / 7.0;
    for (int i = 0; i < N; ++i) counts[marl_rng_uniform_int(a, 7)] += 1.0;
    double df, stat = chi2_stat(counts, prob, 7, N, &df);
    ck_assert_msg(stat < chi2_crit(df, 5.0), "chi2 %g", stat);
    /* n = 2^63 + 1: half of the raw range is rejected; both halves of the
     * interval must be hit about equally */
    double below = 0;
    for (int i = 0; i < 100000; ++i)
        below += marl_rng_uniform_int(a, (UINT64_C(1) << 63) + 1) < (UINT64_C(1) << 62);
    ck_assert(fabs(below / 100000 - 0.5) < 5 * 0.5 / sqrt(100000.0));
    marl_rng_free(a);
    marl_rng_free(b);
}
END_TEST

START_TEST(test_null_and_errors) {
    ck_assert_uint_eq(marl_rng_u64(NULL), 0u);
    ck_assert(marl_rng_uniform(NULL) == 0.0);
    ck_assert_uint_eq(marl_rng_uniform_int(NULL, 10), 0u);
    ck_assert(isnan(marl_rng_normal(NULL)));
    marl_rng_free(NULL);
    ck_assert_int_eq(marl_rng_new(NULL, 1), MARL_EINVAL);
    ck_assert_ptr_nonnull(strstr(marl_last_error(), "out is NULL"));
    ck_assert_int_eq(marl_rng_new_stream(NULL, 1, 2), MARL_EINVAL);
    marl_rng *r = (marl_rng *)0x1;
    ck_assert_int_eq(marl_rng_copy(&r, NULL), MARL_EINVAL);
    ck_assert_ptr_eq(r, (marl_rng *)0x1);
    marl_rng *ok;
    marl_rng_new(&ok, 3);
    ck_assert_int_eq(marl_rng_copy(NULL, ok), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_seed(NULL, 1), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_jump(NULL), MARL_EINVAL);
    uint64_t st[4] = {9, 9, 9, 9};
    ck_assert_int_eq(marl_rng_get_state(NULL, st), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_get_state(ok, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_set_state(NULL, st), MARL_EINVAL);
    ck_assert_int_eq(marl_rng_set_state(ok, NULL), MARL_EINVAL);
    ck_assert_int_eq(marl_last_error_code(), MARL_EINVAL);
    marl_rng_free(ok);
}
END_TEST

START_TEST(test_alloc_failures) {
    failalloc_install(-1);
    marl_rng *r = NULL, *base = NULL;
    FAILALLOC_SWEEP(marl_rng_new(&r, 1), marl_rng_free(r));
    ck_assert_int_eq(marl_rng_new(&base, 2), MARL_OK);
    FAILALLOC_SWEEP(marl_rng_copy(&r, base), marl_rng_free(r));
    FAILALLOC_SWEEP(marl_rng_new_stream(&r, 1, 3), marl_rng_free(r));
    /* a failed constructor leaves *out untouched */
    marl_rng *sentinel = (marl_rng *)0x1;
    failalloc_install(0);
    ck_assert_int_eq(marl_rng_new(&sentinel, 1), MARL_ENOMEM);
    ck_assert_ptr_eq(sentinel, (marl_rng *)0x1);
    failalloc_uninstall();
    marl_rng_free(base);
    ck_assert_int_eq(failalloc_live(), 0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("core-rng");
    TCase *tc = tcase_create("rng");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_splitmix_seeding);
    tcase_add_test(tc, test_hand_computed_outputs);
    tcase_add_test(tc, test_reference_sequence);
    tcase_add_test(tc, test_jump_polynomial);
    tcase_add_test(tc, test_streams);
    tcase_add_test(tc, test_copy_and_state);
    tcase_add_test(tc, test_uniform);
    tcase_add_test(tc, test_uniform_int);
    tcase_add_test(tc, test_null_and_errors);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return marl_test_run(s);
}
