/*
 * G-LEARN: the reward of every (s_g, c) and the law of its successor count
 * vector c', by estimator (glearn.c, glearn_succ.h; estimator expected:
 * glearn_expected.c).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/glearn/glearn.h"
#include "solvers/alternating/glearn/glearn_succ.h"
#include "marlgame/counts.h"

#include <string.h>

/* Largest number of stored successor entries (estimators sampled, exact). */
#define GLEARN_MAX_NNZ ((size_t)1 << 27)

void marl_glearn_fill_rewards(glearn_state *st) {
    const size_t Sl = st->d->Sl, C = st->C;
    size_t *c = st->agents;
    for (size_t s = 0; s < st->d->Sg; ++s) {
        for (size_t j = 0; j < Sl; ++j) c[j] = 0;
        c[Sl - 1] = st->k;
        const double *rt = st->rt + s * Sl;
        for (size_t r = 0; r < C; ++r) {
            double v = 0.0;
            for (size_t j = 0; j < Sl; ++j) v += (double)c[j] * rt[j];
            st->rc[s * C + r] = v / (double)st->k;
            marl_counts_next(c, Sl);
        }
    }
}

/* Sort ranks[0..m-1] (insertion sort: m is small) and merge equal ones:
 * returns the number of distinct ranks, counts in mult[]. */
static size_t merge_ranks(uint32_t *ranks, size_t m, size_t *mult) {
    for (size_t i = 1; i < m; ++i) {
        uint32_t v = ranks[i];
        size_t j = i;
        while (j > 0 && ranks[j - 1] > v) {
            ranks[j] = ranks[j - 1];
            --j;
        }
        ranks[j] = v;
    }
    size_t u = 0;
    for (size_t i = 0; i < m; ++i) {
        if (u > 0 && ranks[u - 1] == ranks[i]) {
            mult[u - 1]++;
        } else {
            ranks[u] = ranks[i];
            mult[u] = 1;
            ++u;
        }
    }
    return u;
}

/* Append entries, growing succ/w geometrically. */
static int reserve(glearn_state *st, size_t *cap, size_t need) {
    if (need <= *cap) return MARL_OK;
    if (need > GLEARN_MAX_NNZ)
        return marl_error(MARL_ERANGE,
                          "alternating-glearn: the successor laws need more "
                          "than %zu entries (reduce k, or m, or use "
                          "estimator=expected)",
                          GLEARN_MAX_NNZ);
    size_t nc = *cap ? *cap : 1024;
    while (nc < need) nc = nc > GLEARN_MAX_NNZ / 2 ? GLEARN_MAX_NNZ : nc * 2;
    uint32_t *s = marl_realloc(st->succ, nc * sizeof *s);
    if (!s) return marl_error_nomem("the successor laws");
    st->succ = s;
    double *w = marl_realloc(st->w, nc * sizeof *w);
    if (!w) return marl_error_nomem("the successor laws");
    st->w = w;
    *cap = nc;
    return MARL_OK;
}

static int build_sampled(glearn_state *st, const marl_gl_policy *p) {
    const size_t Sl = st->d->Sl, C = st->C, m = st->m;
    uint32_t *ranks = marl_malloc(m * sizeof *ranks);
    size_t *mult = marl_malloc(m * sizeof *mult);
    uint64_t *tmp = marl_malloc(Sl * sizeof *tmp);
    int rc = (ranks && mult && tmp) ? MARL_OK
                                    : marl_error_nomem("sampling scratch");
    marl_rng rng;
    if (rc == MARL_OK) rc = marl_rng_seed(&rng, st->seed);
    size_t *c = st->agents, *cn = st->agents + Sl, cap = 0, nnz = 0;
    for (size_t s = 0; rc == MARL_OK && s < st->d->Sg; ++s) {
        for (size_t j = 0; j < Sl; ++j) c[j] = 0;
        c[Sl - 1] = st->k;
        const double *Pt = st->Pt + s * Sl * Sl;
        for (size_t r = 0; rc == MARL_OK && r < C; ++r) {
            for (size_t t = 0; rc == MARL_OK && t < m; ++t) {
                rc = marl_glearn_sample_next(&rng, Pt, c, Sl, cn, tmp);
                ranks[t] = (uint32_t)marl_gl_rank(p, cn);
            }
            if (rc) break;
            size_t u = merge_ranks(ranks, m, mult);
            rc = reserve(st, &cap, nnz + u);
            if (rc) break;
            st->off[s * C + r] = nnz;
            for (size_t e = 0; e < u; ++e) {
                st->succ[nnz + e] = ranks[e];
                st->w[nnz + e] = (double)mult[e] / (double)m;
            }
            nnz += u;
            marl_counts_next(c, Sl);
        }
    }
    if (rc == MARL_OK) st->off[st->S] = nnz;
    marl_free(ranks);
    marl_free(mult);
    marl_free(tmp);
    return rc;
}

static int build_exact(glearn_state *st) {
    const size_t Sl = st->d->Sl, C = st->C;
    marl_glearn_conv *cv = marl_glearn_conv_new(st->k, Sl);
    if (!cv) return marl_last_error_code() ? marl_last_error_code()
                                           : MARL_ENOMEM;
    size_t *c = st->agents, cap = 0, nnz = 0;
    int rc = MARL_OK;
    for (size_t s = 0; rc == MARL_OK && s < st->d->Sg; ++s) {
        for (size_t j = 0; j < Sl; ++j) c[j] = 0;
        c[Sl - 1] = st->k;
        const double *Pt = st->Pt + s * Sl * Sl;
        for (size_t r = 0; r < C; ++r) {
            const double *law = marl_glearn_conv_law(cv, Pt, c);
            size_t u = 0;
            for (size_t q = 0; q < C; ++q) u += law[q] != 0.0;
            rc = reserve(st, &cap, nnz + u);
            if (rc) break;
            st->off[s * C + r] = nnz;
            for (size_t q = 0; q < C; ++q)
                if (law[q] != 0.0) {
                    st->succ[nnz] = (uint32_t)q;
                    st->w[nnz++] = law[q];
                }
            marl_counts_next(c, Sl);
        }
    }
    if (rc == MARL_OK) st->off[st->S] = nnz;
    marl_glearn_conv_free(cv);
    return rc;
}

int marl_glearn_build_successors(glearn_state *st) {
    const size_t Sl = st->d->Sl;
    st->agents = marl_malloc(3 * Sl * sizeof *st->agents);
    if (!st->agents) return marl_error_nomem("count-vector scratch");
    if (st->estimator == GLEARN_EXPECTED) return marl_glearn_expected_build(st);
    marl_glearn_fill_rewards(st);
    st->off = marl_malloc((st->S + 1) * sizeof *st->off);
    if (!st->off) return marl_error_nomem("the successor offsets");
    return st->estimator == GLEARN_EXACT ? build_exact(st)
                                         : build_sampled(st, st->hdr.policy);
}
