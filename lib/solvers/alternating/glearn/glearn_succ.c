/*
 * Successor laws of the G-LEARN count-vector MDP (see glearn_succ.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/glearn/glearn_succ.h"
#include "marlgame/counts.h"
#include "solvers/alternating/glearn/glearn.h"
#include "policy/global_local/gl_policy_impl.h"

#include <math.h>
#include <string.h>

/* GLEARN_CLONES: the x86-64-v3/v4 clones inline fma() as one instruction
 * (the baseline calls libm's); fma is exactly rounded, so every clone
 * gives the same result. Static: GCC would export the ifunc symbols of an
 * external function despite -fvisibility=hidden. */
GLEARN_CLONES static void expected_next(const double *Pt, const size_t *c,
                                        size_t Sl, size_t k, size_t *out,
                                        double *frac) {
    /* e_j' accumulated over j = 0, 1, ..., Sl-1 from e = 0 with fused
     * multiply-adds, e = fma(c_j, Pt(j'|j), e): one rounding per term,
     * exactly what the reference's `dist_arr @ P` computes through
     * numpy/OpenBLAS on x86-64 with FMA (its dgemm kernel accumulates over
     * j in that order). With a separate product and sum (two roundings) the
     * rounded successor differed from the reference where two remainders
     * tie in exact arithmetic (warehouse, k = 12: 5 of 9100 (s_g, c); k =
     * 20: 22 of 53130), changing V by up to 1.1 % (test gl-ref-port).
     * C99 fma() is correctly rounded on every platform (hardware or libm),
     * so the result does not depend on the compiler's -ffp-contract or
     * target. A zero c_j is skipped: fma(0, p, e) == e for e >= +0. */
    for (size_t jp = 0; jp < Sl; ++jp) frac[jp] = 0.0;
    for (size_t j = 0; j < Sl; ++j) {
        if (!c[j]) continue;
        const double cj = (double)c[j];
        const double *row = Pt + j * Sl;
        for (size_t jp = 0; jp < Sl; ++jp)
            frac[jp] = fma(cj, row[jp], frac[jp]);
    }
    size_t assigned = 0;
    for (size_t jp = 0; jp < Sl; ++jp) {
        const double e = frac[jp];
        /* floor(e) for e >= 0 (e <= k < 2^63); a negative e (never: the
         * entries are non-negative) gives 0 either way */
        double f = (double)(int64_t)e;
        if (f < 0.0) f = 0.0;
        out[jp] = (size_t)f;
        frac[jp] = e - f;
        assigned += out[jp];
    }
    /* round-off may push sum(floor) above k: take from the smallest
     * fractional parts (never happens for exact arithmetic) */
    while (assigned > k) {
        size_t best = Sl;
        for (size_t jp = 0; jp < Sl; ++jp)
            if (out[jp] > 0 && (best == Sl || frac[jp] < frac[best]))
                best = jp;
        out[best]--;
        frac[best] += 1.0;
        assigned--;
    }
    /* one more to each of the k - assigned largest remainders; a strict
     * comparison keeps the lower index on ties */
    while (assigned < k) {
        size_t best = 0;
        for (size_t jp = 1; jp < Sl; ++jp)
            if (frac[jp] > frac[best]) best = jp;
        out[best]++;
        frac[best] = -HUGE_VAL;
        assigned++;
    }
}

void marl_glearn_expected_next(const double *Pt, const size_t *c, size_t Sl,
                               size_t k, size_t *out, double *frac) {
    expected_next(Pt, c, Sl, k, out, frac);
}

int marl_glearn_sample_next(marl_rng *rng, const double *Pt, const size_t *c,
                            size_t Sl, size_t *out, uint64_t *tmp) {
    for (size_t jp = 0; jp < Sl; ++jp) out[jp] = 0;
    for (size_t j = 0; j < Sl; ++j) {
        if (!c[j]) continue;
        int rc = marl_rng_multinomial(rng, c[j], Pt + j * Sl, Sl, tmp);
        if (rc) return rc;
        for (size_t jp = 0; jp < Sl; ++jp) out[jp] += (size_t)tmp[jp];
    }
    return MARL_OK;
}

struct marl_glearn_conv {
    size_t k, Sl;
    size_t *size;  /* [k + 1]: number of vectors of t agents */
    size_t *add;   /* add[aoff[t] + r * Sl + j]: rank of unrank_t(r) + e_j */
    size_t *aoff;  /* [k] */
    double *a, *b; /* [size[k]] ping-pong laws */
};

void marl_glearn_conv_free(marl_glearn_conv *cv) {
    if (!cv) return;
    marl_free(cv->size);
    marl_free(cv->add);
    marl_free(cv->aoff);
    marl_free(cv->a);
    marl_free(cv->b);
    marl_free(cv);
}

marl_glearn_conv *marl_glearn_conv_new(size_t k, size_t Sl) {
    marl_glearn_conv *cv = marl_calloc(1, sizeof *cv);
    size_t *v = NULL, *binom = NULL;
    if (!cv) goto nomem;
    cv->k = k;
    cv->Sl = Sl;
    cv->size = marl_calloc(k + 1, sizeof *cv->size);
    cv->aoff = marl_calloc(k + 1, sizeof *cv->aoff);
    if (!cv->size || !cv->aoff) goto nomem;
    size_t total = 0;
    for (size_t t = 0; t <= k; ++t) {
        if (marl_counts_size(t, Sl, &cv->size[t]) != MARL_OK) goto fail;
        cv->aoff[t] = total;
        if (t < k) {
            size_t e;
            if (!marl_mul_size(cv->size[t], Sl, &e) ||
                !marl_add_size(total, e, &total)) {
                marl_error(MARL_ERANGE, "exact successor tables too large");
                goto fail;
            }
        }
    }
    cv->add = marl_malloc((total ? total : 1) * sizeof *cv->add);
    cv->a = marl_malloc(cv->size[k] * sizeof *cv->a);
    cv->b = marl_malloc(cv->size[k] * sizeof *cv->b);
    v = marl_malloc(Sl * sizeof *v);
    binom = marl_gl_binom_table(k + Sl + 1, Sl);
    if (!cv->add || !cv->a || !cv->b || !v || !binom) goto nomem;
    for (size_t t = 0; t < k; ++t) {
        for (size_t j = 0; j < Sl; ++j) v[j] = 0;
        v[Sl - 1] = t; /* rank 0 */
        for (size_t r = 0; r < cv->size[t]; ++r) {
            for (size_t j = 0; j < Sl; ++j) {
                v[j]++;
                cv->add[cv->aoff[t] + r * Sl + j] =
                    marl_gl_rank_t(binom, Sl, v);
                v[j]--;
            }
            marl_counts_next(v, Sl);
        }
    }
    marl_free(v);
    marl_free(binom);
    return cv;
nomem:
    marl_error_nomem("the exact successor tables");
fail:
    marl_free(v);
    marl_free(binom);
    marl_glearn_conv_free(cv);
    return NULL;
}

const double *marl_glearn_conv_law(marl_glearn_conv *cv, const double *Pt,
                                   const size_t *c) {
    const size_t Sl = cv->Sl;
    double *cur = cv->a, *nxt = cv->b;
    cur[0] = 1.0;
    size_t t = 0;
    for (size_t j = 0; j < Sl; ++j)
        for (size_t u = 0; u < c[j]; ++u, ++t) {
            const double *row = Pt + j * Sl;
            const size_t *add = cv->add + cv->aoff[t];
            memset(nxt, 0, cv->size[t + 1] * sizeof *nxt);
            for (size_t r = 0; r < cv->size[t]; ++r) {
                const double p = cur[r];
                if (p == 0.0) continue;
                for (size_t jp = 0; jp < Sl; ++jp)
                    nxt[add[r * Sl + jp]] += p * row[jp];
            }
            double *sw = cur;
            cur = nxt;
            nxt = sw;
        }
    return cur;
}
