/*
 * G-LEARN with estimator = expected (glearn.c): one successor per (s, c),
 * succ(s, c) = the expected next counts rounded by largest remainder. With
 *   U(s,a,c') = r_g(s,a) + gamma sum_{s'} P_g(s'|s,a) V(s',c'),
 * Q(s,c,a) = rc(s,c) + U(s,a,succ(s,c)), so one Jacobi sweep is
 *   A. M(s,c') = max_a U(s,a,c'), AM(s,c') its argmax (ties to the lowest
 *      action), for the c' that are successors;
 *   B. V_{t+1}(s,c) = rc(s,c) + M(s, succ(s,c)).
 * Only the values at the count vectors T = {succ(s,c) : all s, c} are
 * needed to iterate (succ(s, T) is inside T), and T is typically half of
 * all count vectors or less (warehouse, k = 50: 156 696 of 316 251), so V,
 * M, AM and rc are stored over T only (planes [s][t], t the position in T).
 * The greedy policy of (s, c) is AM(s, succ(s,c)): when AM(s,c') changes,
 * the rows of the predecessors of (s, c') are rewritten (lists built once).
 * V at a c outside T is rc(s,c) + M(s, succ(s,c)) (marl_glearn_value).
 *
 * The residual ||Delta Q||_inf is the max over the (s, c') that are
 * successors of |Delta U(s,a,c')|, computed as |U_t - U_{t-1}| (U_{t-1}
 * recomputed from V_{t-1} with the same operations) while |S_g|*C*|A_g| <=
 * GLEARN_U_STORE_MAX, else as |gamma P_g (V_t - V_{t-1})|. Per c', with
 * x = V_t - V_{t-1} over s', every |Delta U| lies between
 * gamma * min_row_sum * min|x| (if x has one sign) and
 * gamma * max_row_sum * max|x| (up to rounding, bounded explicitly): a
 * block whose upper bound is below a lower bound already established is
 * skipped, which never changes the maximum (bit-identical to evaluating
 * every entry, in any order and for any thread count).
 *
 * The sums are evaluated in a fixed order (identical in every clone of
 * GLEARN_CLONES; no contraction), so results are bit-identical to the
 * direct computation over all count vectors.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/glearn/glearn.h"
#include "solvers/alternating/glearn/glearn_succ.h"
#include "marlgame/counts.h"

#include <float.h>
#include <math.h>
#include <string.h>

struct glearn_expected {
    size_t nT;        /* |T| */
    uint32_t *Tc;     /* [nT]: ranks of T, increasing */
    uint32_t *succT;  /* [Sg * nT]: position in T of succ(s, Tc[t]) */
    double *rcT;      /* [Sg * nT]: rc(s, Tc[t]) */
    double *M;        /* [Sg * nT]: max_a U(s, a, Tc[t]) */
    uint32_t *AM;     /* [Sg * nT]: its argmax (UINT32_MAX: none yet) */
    uint8_t *used;    /* [Sg * nT]: Tc[t] is the successor of some (s, c) */
    uint32_t *poff;   /* [Sg * nT + 1]: predecessors of (s, t) are */
    uint32_t *pred;   /* pred[poff[s*nT+t] .. poff[s*nT+t+1]-1] (ranks) */
    double *rcmin, *rcmax; /* [Sg]: min / max over all c of rc(s, c) */
    double *frac;     /* [Sl] scratch (marl_glearn_expected_value) */
    double *bnd;      /* [3 * blocks]: per block of T, a lower bound of the
                         residual, an upper bound of the block's entries
                         and the absolute rounding margin */
    uint32_t *order;  /* [blocks] scratch: blocks by decreasing bound */
    double *scr;      /* [3 * Sg * GLEARN_B + Sg * GLEARN_B / 8] scratch */
    double psmin, psmax, rgmax; /* P_g row sums, max |r_g| */
    int u_mode;       /* residual as |U_t - U_{t-1}| */
};

void marl_glearn_expected_free(glearn_expected *ex) {
    if (!ex) return;
    marl_free(ex->Tc);
    marl_free(ex->succT);
    marl_free(ex->rcT);
    marl_free(ex->M);
    marl_free(ex->AM);
    marl_free(ex->used);
    marl_free(ex->poff);
    marl_free(ex->pred);
    marl_free(ex->rcmin);
    marl_free(ex->frac);
    marl_free(ex->bnd);
    marl_free(ex->order);
    marl_free(ex->scr);
    marl_free(ex);
}

/* rc(s, c) exactly as marl_glearn_fill_rewards computes it. */
static inline double reward_of(const double *rt, const size_t *c, size_t Sl,
                               size_t k) {
    double v = 0.0;
    for (size_t j = 0; j < Sl; ++j) v += (double)c[j] * rt[j];
    return v / (double)k;
}

/* Position of rank c in Tc (binary search), or nT. */
static size_t find_t(const glearn_expected *ex, size_t c) {
    size_t lo = 0, hi = ex->nT;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (ex->Tc[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ex->nT && ex->Tc[lo] == c ? lo : ex->nT;
}

/* Successor ranks of every (s, c) into succ[s * C + c], T marked in
 * inT[], rc bounds. */
static void successors(glearn_state *st, uint32_t *succ, uint32_t *inT) {
    const marl_gl_data *d = st->d;
    glearn_expected *ex = st->ex;
    const size_t Sl = d->Sl, C = st->C, k = st->k;
    size_t *c = st->agents, *cn = st->agents + Sl;
    for (size_t s = 0; s < d->Sg; ++s) {
        for (size_t j = 0; j < Sl; ++j) c[j] = 0;
        c[Sl - 1] = k;
        const double *Pt = st->Pt + s * Sl * Sl, *rt = st->rt + s * Sl;
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (size_t r = 0; r < C; ++r) {
            const double v = reward_of(rt, c, Sl, k);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
            marl_glearn_expected_next(Pt, c, Sl, k, cn, ex->frac);
            const uint32_t q = (uint32_t)marl_gl_rank(st->hdr.policy, cn);
            succ[s * C + r] = q;
            inT[q] = 1;
            marl_counts_next(c, Sl);
        }
        ex->rcmin[s] = lo;
        ex->rcmax[s] = hi;
    }
}

/* Tables over T from the successor ranks (tidx: rank -> position in T). */
static void fill_tables(glearn_state *st, const uint32_t *succ,
                        const uint32_t *tidx) {
    const marl_gl_data *d = st->d;
    glearn_expected *ex = st->ex;
    const size_t Sg = d->Sg, Sl = d->Sl, C = st->C, nT = ex->nT, k = st->k;
    /* rc over T: enumerate all c once, keep those in T */
    size_t *c = st->agents;
    for (size_t j = 0; j < Sl; ++j) c[j] = 0;
    c[Sl - 1] = k;
    for (size_t r = 0; r < C; ++r) {
        const uint32_t t = tidx[r];
        if (t != UINT32_MAX)
            for (size_t s = 0; s < Sg; ++s)
                ex->rcT[s * nT + t] = reward_of(st->rt + s * Sl, c, Sl, k);
        marl_counts_next(c, Sl);
    }
    for (size_t s = 0; s < Sg; ++s)
        for (size_t t = 0; t < nT; ++t)
            ex->succT[s * nT + t] = tidx[succ[s * C + ex->Tc[t]]];
    /* predecessor lists by counting sort (ranks increasing in each list);
     * AM serves as the cursor array, then starts at UINT32_MAX */
    uint32_t *poff = ex->poff, *cur = ex->AM;
    memset(poff, 0, (Sg * nT + 1) * sizeof *poff);
    for (size_t s = 0; s < Sg; ++s)
        for (size_t r = 0; r < C; ++r) {
            const size_t i = s * nT + tidx[succ[s * C + r]];
            poff[i + 1]++;
            ex->used[i] = 1;
        }
    for (size_t i = 0; i < Sg * nT; ++i) poff[i + 1] += poff[i];
    memcpy(cur, poff, Sg * nT * sizeof *cur);
    for (size_t s = 0; s < Sg; ++s)
        for (size_t r = 0; r < C; ++r)
            ex->pred[cur[s * nT + tidx[succ[s * C + r]]]++] = (uint32_t)r;
    for (size_t i = 0; i < Sg * nT; ++i) ex->AM[i] = UINT32_MAX;
    /* bounds of the residual's skip test */
    const size_t Ag = d->Ag;
    ex->psmin = HUGE_VAL;
    ex->psmax = 0.0;
    ex->rgmax = 0.0;
    for (size_t i = 0; i < Sg * Ag; ++i) {
        double z = 0.0;
        for (size_t sp = 0; sp < Sg; ++sp) z += d->Pg[i * Sg + sp];
        ex->psmin = z < ex->psmin ? z : ex->psmin;
        ex->psmax = z > ex->psmax ? z : ex->psmax;
        const double r = fabs(d->rg[i]);
        ex->rgmax = r > ex->rgmax ? r : ex->rgmax;
    }
    ex->u_mode = st->S * Ag <= GLEARN_U_STORE_MAX;
}

int marl_glearn_expected_build(glearn_state *st) {
    const marl_gl_data *d = st->d;
    const size_t Sg = d->Sg, C = st->C, S = st->S;
    glearn_expected *ex = st->ex = marl_calloc(1, sizeof *ex);
    if (!ex) return marl_error_nomem("the expected-successor tables");
    uint32_t *succ = marl_malloc(S * sizeof *succ);
    uint32_t *tidx = marl_calloc(C, sizeof *tidx);
    ex->rcmin = marl_malloc(2 * Sg * sizeof *ex->rcmin);
    ex->frac = marl_malloc(d->Sl * sizeof *ex->frac);
    int rc = MARL_OK;
    if (!succ || !tidx || !ex->rcmin || !ex->frac) {
        rc = marl_error_nomem("the successor table");
        goto done;
    }
    ex->rcmax = ex->rcmin + Sg;
    successors(st, succ, tidx);
    size_t nT = 0;
    for (size_t q = 0; q < C; ++q) nT += tidx[q];
    ex->nT = nT;
    const size_t n = Sg * nT; /* <= S < 2^32 */
    ex->Tc = marl_malloc(nT * sizeof *ex->Tc);
    ex->succT = marl_malloc(n * sizeof *ex->succT);
    ex->rcT = marl_malloc(n * sizeof *ex->rcT);
    ex->M = marl_calloc(n, sizeof *ex->M);
    ex->AM = marl_malloc(n * sizeof *ex->AM);
    ex->used = marl_calloc(n, sizeof *ex->used);
    ex->poff = marl_malloc((n + 1) * sizeof *ex->poff);
    ex->pred = marl_malloc(S * sizeof *ex->pred);
    st->V = marl_calloc(n, sizeof *st->V);
    st->Vn = marl_calloc(n, sizeof *st->Vn);
    const size_t nblk = (nT + GLEARN_B - 1) / GLEARN_B;
    ex->bnd = marl_calloc(3 * nblk, sizeof *ex->bnd);
    ex->order = marl_malloc(nblk * sizeof *ex->order);
    ex->scr = marl_malloc((3 * Sg * GLEARN_B + Sg * GLEARN_B / 8) *
                          sizeof *ex->scr);
    if (!ex->Tc || !ex->succT || !ex->rcT || !ex->M || !ex->AM ||
        !ex->used || !ex->poff || !ex->pred || !st->V || !st->Vn ||
        !ex->bnd || !ex->order || !ex->scr) {
        rc = marl_error_nomem("the expected-successor tables");
        goto done;
    }
    for (size_t q = 0, t = 0; q < C; ++q)
        if (tidx[q]) {
            ex->Tc[t] = (uint32_t)q;
            tidx[q] = (uint32_t)t++;
        } else {
            tidx[q] = UINT32_MAX;
        }
    fill_tables(st, succ, tidx);
done:
    marl_free(succ);
    marl_free(tidx);
    return rc;
}

/* gamma * sum_{s'} p[s'] x[s' * ld] in the order of the direct sweep (the
 * first term alone if SG is odd, then pairs). */
#define GLEARN_DOT(SG, p, x, ld, out)                                     \
    do {                                                                  \
        size_t sp_ = 0;                                                   \
        double u_;                                                        \
        if ((SG) % 2) {                                                   \
            u_ = (p)[0] * (x)[0];                                         \
            sp_ = 1;                                                      \
        } else {                                                          \
            u_ = 0.0;                                                     \
        }                                                                 \
        for (; sp_ < (SG); sp_ += 2)                                      \
            u_ += (p)[sp_] * (x)[sp_ * (ld)] +                            \
                  (p)[sp_ + 1] * (x)[(sp_ + 1) * (ld)];                   \
        (out) = u_;                                                       \
    } while (0)

/* Exact max of |Delta U| over the used (s, c') of nb gathered positions
 * q: V_t, V_{t-1} at [s' * GLEARN_B + q], used at [s * GLEARN_B + q] (see
 * top): per position the max over (s, a), then over the positions. */
GLEARN_INLINE double exact_residual(const glearn_state *st, size_t SG,
                                    const double *restrict V,
                                    const double *restrict Vp,
                                    const uint8_t *restrict used, size_t nb,
                                    double *restrict dv) {
    const marl_gl_data *d = st->d;
    const size_t Ag = d->Ag, B = GLEARN_B;
    const double g = st->gamma;
    const int u_mode = st->ex->u_mode;
    double rj[GLEARN_B];
    for (size_t j = 0; j < nb; ++j) rj[j] = 0.0;
    if (!u_mode)
        for (size_t sp = 0; sp < SG; ++sp)
            for (size_t j = 0; j < nb; ++j)
                dv[sp * B + j] = V[sp * B + j] - Vp[sp * B + j];
    for (size_t s = 0; s < SG; ++s)
        for (size_t a = 0; a < Ag; ++a) {
            const double *p = d->Pg + (s * Ag + a) * SG;
            const double r = d->rg[s * Ag + a];
            const uint8_t *restrict us = used + s * B;
            if (u_mode) {
                for (size_t j = 0; j < nb; ++j) {
                    double u, uo;
                    GLEARN_DOT(SG, p, V + j, B, u);
                    GLEARN_DOT(SG, p, Vp + j, B, uo);
                    double diff = fabs((r + g * u) - (r + g * uo));
                    diff = us[j] ? diff : 0.0;
                    rj[j] = diff > rj[j] ? diff : rj[j];
                }
            } else {
                for (size_t j = 0; j < nb; ++j) {
                    double du;
                    GLEARN_DOT(SG, p, dv + j, B, du);
                    double diff = fabs(g * du);
                    diff = us[j] ? diff : 0.0;
                    rj[j] = diff > rj[j] ? diff : rj[j];
                }
            }
        }
    double res = 0.0;
    for (size_t j = 0; j < nb; ++j) res = rj[j] > res ? rj[j] : res;
    return res;
}

/* The residual entries of block t0 .. t0 + nb - 1 whose upper bound
 * reaches thr (a value no larger than the sweep's residual): gathered,
 * then evaluated exactly; returns their max (0 if none). */
GLEARN_INLINE double residual_block(const glearn_state *st, size_t SG,
                                    size_t t0, size_t nb, double thr) {
    const glearn_expected *ex = st->ex;
    const size_t nT = ex->nT, B = GLEARN_B;
    const double *restrict V = st->V + t0, *restrict Vp = st->Vn + t0;
    const double *bnd = ex->bnd + 3 * (t0 / B);
    const double fac = st->gamma * ex->psmax * (1.0 + 1e-10), marg = bnd[2];
    double hi[GLEARN_B];
    for (size_t j = 0; j < nb; ++j) hi[j] = 0.0;
    for (size_t sp = 0; sp < SG; ++sp)
        for (size_t j = 0; j < nb; ++j) {
            const double ax = fabs(V[sp * nT + j] - Vp[sp * nT + j]);
            hi[j] = ax > hi[j] ? ax : hi[j];
        }
    double *cv = ex->scr, *cvp = cv + SG * B, *dv = cvp + SG * B;
    uint8_t *cu = (uint8_t *)(dv + SG * B);
    size_t n = 0;
    for (size_t j = 0; j < nb; ++j) {
        if (fac * hi[j] + marg < thr) continue;
        for (size_t sp = 0; sp < SG; ++sp) {
            cv[sp * B + n] = V[sp * nT + j];
            cvp[sp * B + n] = Vp[sp * nT + j];
            cu[sp * B + n] = ex->used[sp * nT + t0 + j];
        }
        ++n;
    }
    if (n == 0) return 0.0;
    return exact_residual(st, SG, cv, cvp, cu, n, dv);
}

/* Phase A on the block t0 .. t0 + nb - 1 of T (nb <= GLEARN_B): M, AM,
 * policy rows of the predecessors whose greedy action changed; unless
 * `first`, the bounds of the block's residual entries into ex->bnd. */
GLEARN_INLINE void expected_block(glearn_state *st, size_t SG, size_t t0,
                                  size_t nb, int first) {
    const marl_gl_data *d = st->d;
    glearn_expected *ex = st->ex;
    const size_t nT = ex->nT, Ag = d->Ag, C = st->C;
    const double g = st->gamma;
    const double *restrict V = st->V + t0;
    double best[GLEARN_B];
    uint32_t barg[GLEARN_B];
    for (size_t s = 0; s < SG; ++s) {
        for (size_t a = 0; a < Ag; ++a) {
            const double *p = d->Pg + (s * Ag + a) * SG;
            const double r = d->rg[s * Ag + a];
            if (a == 0) {
                for (size_t j = 0; j < nb; ++j) {
                    double x;
                    GLEARN_DOT(SG, p, V + j, nT, x);
                    best[j] = r + g * x;
                    barg[j] = 0;
                }
                continue;
            }
            /* running max without conditional stores (blends) */
            for (size_t j = 0; j < nb; ++j) {
                double x;
                GLEARN_DOT(SG, p, V + j, nT, x);
                const double uj = r + g * x, bj = best[j];
                const uint32_t aj = barg[j];
                const int better = uj > bj;
                best[j] = better ? uj : bj;
                barg[j] = better ? (uint32_t)a : aj;
            }
        }
        double *restrict M = ex->M + s * nT + t0;
        uint32_t *restrict AM = ex->AM + s * nT + t0;
        uint32_t changed = 0;
        for (size_t j = 0; j < nb; ++j) {
            M[j] = best[j];
            changed |= AM[j] ^ barg[j];
        }
        if (!changed) continue;
        double *pg = st->hdr.policy->pg;
        for (size_t j = 0; j < nb; ++j) {
            if (AM[j] == barg[j]) continue;
            AM[j] = barg[j];
            const size_t i = s * nT + t0 + j;
            for (uint32_t e = ex->poff[i]; e < ex->poff[i + 1]; ++e) {
                double *row = pg + (s * C + ex->pred[e]) * Ag;
                for (size_t a = 0; a < Ag; ++a) row[a] = 0.0;
                row[barg[j]] = 1.0;
            }
        }
    }
    if (first) return; /* the caller knows the first residual */
    /* bounds of |Delta U| over the block from x = V - Vp: per position
     * (vectorised), then over the block */
    const double *restrict Vp = st->Vn + t0;
    double mn[GLEARN_B], mx[GLEARN_B], ng[GLEARN_B], ps[GLEARN_B],
        vm[GLEARN_B];
    for (size_t j = 0; j < nb; ++j) {
        mn[j] = HUGE_VAL;
        mx[j] = 0.0;
        ng[j] = 0.0; /* 1: some x < 0 */
        ps[j] = 0.0; /* 1: some x > 0 */
        vm[j] = 0.0;
    }
    for (size_t sp = 0; sp < SG; ++sp)
        for (size_t j = 0; j < nb; ++j) {
            const double v = V[sp * nT + j], vp = Vp[sp * nT + j];
            const double x = v - vp, ax = fabs(x);
            mn[j] = ax < mn[j] ? ax : mn[j];
            mx[j] = ax > mx[j] ? ax : mx[j];
            ng[j] = x < 0.0 ? 1.0 : ng[j];
            ps[j] = x > 0.0 ? 1.0 : ps[j];
            const double av = fabs(v) > fabs(vp) ? fabs(v) : fabs(vp);
            vm[j] = av > vm[j] ? av : vm[j];
        }
    double hi = 0.0, lo = 0.0, vmax = 0.0;
    for (size_t j = 0; j < nb; ++j) {
        const double l = ng[j] + ps[j] == 2.0 ? 0.0 : mn[j];
        lo = l > lo ? l : lo;
        hi = mx[j] > hi ? mx[j] : hi;
        vmax = vm[j] > vmax ? vm[j] : vmax;
    }
    /* rounding: each computed |Delta U| is within (2 SG + 3) eps of the
     * magnitudes involved of the exact one; 1e-10 covers the relative part
     * for any |S_g| <= 2^28 / |A_g| table, marg the absolute part of
     * u_mode (a difference of two rounded values) */
    const double marg = ex->u_mode ? 4.0 * ((double)SG + 3.0) * DBL_EPSILON *
                                         (ex->rgmax + g * ex->psmax * vmax)
                                   : 0.0;
    double *bnd = ex->bnd + 3 * (t0 / GLEARN_B);
    bnd[0] = g * ex->psmin * lo * (1.0 - 1e-10) - marg;
    bnd[1] = g * ex->psmax * hi * (1.0 + 1e-10) + marg;
    bnd[2] = marg;
}

/* The block kernel for |S_g| = SG known at compile time (so that the sums
 * over s' unroll inside the vectorised loops) and nb == GLEARN_B. */
#define GLEARN_CASE(SG)                                                   \
    case SG:                                                              \
        if (nb == GLEARN_B)                                               \
            expected_block(st, SG, t0, GLEARN_B, first);                  \
        else                                                              \
            expected_block(st, SG, t0, nb, first);                        \
        return

GLEARN_CLONES static void expected_blocks(glearn_state *st, size_t t0,
                                          size_t nb, int first) {
    switch (st->d->Sg) {
        GLEARN_CASE(1);
        GLEARN_CASE(2);
        GLEARN_CASE(3);
        GLEARN_CASE(4);
        GLEARN_CASE(5);
        GLEARN_CASE(6);
        GLEARN_CASE(7);
        GLEARN_CASE(8);
    default:
        expected_block(st, st->d->Sg, t0, nb, first);
    }
}

#define GLEARN_RCASE(SG)                                                  \
    case SG:                                                              \
        return nb == GLEARN_B ? residual_block(st, SG, t0, GLEARN_B, thr) \
                              : residual_block(st, SG, t0, nb, thr)

GLEARN_CLONES static double residual_blocks(const glearn_state *st,
                                            size_t t0, size_t nb,
                                            double thr) {
    switch (st->d->Sg) {
        GLEARN_RCASE(1);
        GLEARN_RCASE(2);
        GLEARN_RCASE(3);
        GLEARN_RCASE(4);
        GLEARN_RCASE(5);
        GLEARN_RCASE(6);
        GLEARN_RCASE(7);
        GLEARN_RCASE(8);
    default:
        return residual_block(st, st->d->Sg, t0, nb, thr);
    }
}

/* ||Delta Q||_inf after phase A (not the first sweep): branch and bound
 * over the blocks, by decreasing upper bound, until the next upper bound
 * is below the largest value found (or the largest lower bound). */
static double sweep_residual(const glearn_state *st) {
    const glearn_expected *ex = st->ex;
    const size_t nT = ex->nT, nblk = (nT + GLEARN_B - 1) / GLEARN_B;
    const double *bnd = ex->bnd;
    uint32_t *order = ex->order;
    double lb = 0.0;
    size_t n = 0;
    for (size_t b = 0; b < nblk; ++b)
        lb = bnd[3 * b] > lb ? bnd[3 * b] : lb;
    for (size_t b = 0; b < nblk; ++b) {
        if (bnd[3 * b + 1] < lb) continue;
        /* insertion by decreasing upper bound (few candidates) */
        size_t i = n++;
        while (i > 0 && bnd[3 * order[i - 1] + 1] < bnd[3 * b + 1]) {
            order[i] = order[i - 1];
            --i;
        }
        order[i] = (uint32_t)b;
    }
    double res = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const size_t b = order[i];
        const double thr = res > lb ? res : lb;
        if (bnd[3 * b + 1] < thr) break;
        const size_t t0 = b * GLEARN_B;
        const size_t nb = nT - t0 < GLEARN_B ? nT - t0 : GLEARN_B;
        const double r = residual_blocks(st, t0, nb, thr);
        res = r > res ? r : res;
    }
    return res;
}

/* Phase B on plane s, positions t0 .. t1 - 1. */
GLEARN_CLONES static void next_values(glearn_state *st, size_t s, size_t t0,
                                      size_t t1) {
    const glearn_expected *ex = st->ex;
    const size_t o = s * ex->nT;
    double *restrict Vn = st->Vn + o;
    const double *restrict rcT = ex->rcT + o, *restrict M = ex->M + o;
    const uint32_t *restrict succT = ex->succT + o;
    for (size_t t = t0; t < t1; ++t) Vn[t] = rcT[t] + M[succT[t]];
}

double marl_glearn_expected_sweep(glearn_state *st) {
    const glearn_expected *ex = st->ex;
    const size_t Sg = st->d->Sg, Ag = st->d->Ag, nT = ex->nT;
    const long nblk = (long)((nT + GLEARN_B - 1) / GLEARN_B);
    const int first = st->sweeps == 0;
    int nt = marl_glearn_threads(st, (size_t)nblk);
    (void)nt;
#ifdef MARL_HAVE_OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
#endif
    for (long b = 0; b < nblk; ++b) {
        const size_t t0 = (size_t)b * GLEARN_B;
        const size_t nb = nT - t0 < GLEARN_B ? nT - t0 : GLEARN_B;
        expected_blocks(st, t0, nb, first);
    }
    double res = first ? 0.0 : sweep_residual(st);
    const long nrow = (long)Sg * nblk;
    nt = marl_glearn_threads(st, (size_t)nrow);
#ifdef MARL_HAVE_OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
#endif
    for (long q = 0; q < nrow; ++q) {
        const size_t s = (size_t)q / (size_t)nblk;
        const size_t t0 = ((size_t)q % (size_t)nblk) * GLEARN_B;
        next_values(st, s, t0, t0 + GLEARN_B < nT ? t0 + GLEARN_B : nT);
    }
    if (first) { /* Q_0 = 0, V_0 = 0: Q_1 = rc + r_g, and rounding is
                    monotone, so the extremes of rc give the max */
        const double *rg = st->d->rg;
        for (size_t s = 0; s < Sg; ++s)
            for (size_t a = 0; a < Ag; ++a) {
                const double r = rg[s * Ag + a];
                const double x = fabs(ex->rcmax[s] + r),
                             y = fabs(ex->rcmin[s] + r);
                res = x > res ? x : res;
                res = y > res ? y : res;
            }
    }
    double *t = st->V;
    st->V = st->Vn;
    st->Vn = t;
    return res;
}

double marl_glearn_expected_value(glearn_state *st, size_t s, size_t c) {
    glearn_expected *ex = st->ex;
    if (st->sweeps == 0) return 0.0;
    size_t t = find_t(ex, c);
    if (t < ex->nT) return st->V[s * ex->nT + t];
    const size_t Sl = st->d->Sl;
    size_t *v = st->agents, *cn = st->agents + Sl;
    if (marl_counts_unrank(c, Sl, st->k, v) != MARL_OK) return NAN;
    const double r = reward_of(st->rt + s * Sl, v, Sl, st->k);
    marl_glearn_expected_next(st->Pt + s * Sl * Sl, v, Sl, st->k, cn,
                              ex->frac);
    t = find_t(ex, marl_gl_rank(st->hdr.policy, cn));
    return r + ex->M[s * ex->nT + t];
}
