/* The one-block workspace of the exact Markov-game metrics
 * (markov_metrics.h): which buffers each request (MARL_MK_EVAL, QS, BR,
 * TEAM, ...) needs on dense, factored and count-based games, reserved in
 * one allocation with overflow-checked sizes.
 * SPDX-License-Identifier: MIT */
#include "markov_metrics.h"

/* Reserve count elements of elem bytes in a block, 64-byte aligned. */
static size_t reserve(size_t *total, size_t count, size_t elem, bool *ok) {
    size_t bytes, start = *total;
    if (!marl_mul_size(count, elem, &bytes) ||
        !marl_add_size(bytes, 63, &bytes) ||
        !marl_add_size(start, bytes & ~(size_t)63, total))
        *ok = false;
    return start;
}

int marl_mk_alloc(marl_mk *mk, unsigned need, const char *fn) {
    size_t S = mk->S, SS = 0, SAmax = 0, SJ = 0, NJ = 0, nv, nq;
    bool ok = marl_mul_size(S, S, &SS) && marl_mul_size(S, mk->Amax, &SAmax) &&
              marl_mul_size(S, mk->J, &SJ) && marl_mul_size(mk->N, mk->J, &NJ);
    nv = mk->N + ((need & MARL_MK_PHI) ? 1u : 0u);
    nq = (need & MARL_MK_TEAM) ? SJ : SAmax;
    size_t SC = 0; /* count-based: the team MDP is over count vectors */
    if (mk->cnt) {
        ok = ok && marl_mul_size(S, mk->C, &SC);
        if (need & MARL_MK_TEAM) nq = SC > SAmax ? SC : SAmax;
        NJ = 0; /* no per-state joint-action Q block */
    }
    size_t total = 0, o_probs = 0, o_pre = 0, o_suf = 0, o_M = 0, o_ipiv = 0,
           o_V = 0, o_Qs = 0, o_Pi = 0, o_ri = 0, o_Qi = 0, o_Mb = 0,
           o_ipivb = 0, o_Vb = 0, o_pol = 0, o_Rt = 0, o_ch = 0, tmp = 0,
           o_Pbar = 0, o_row = 0, o_ctr = 0, o_rbar = 0, o_cpre = 0,
           o_cdp = 0, o_cdist = 0, o_cw = 0, o_cvec = 0;
    const unsigned cneed = mk->cnt ? need : 0u;
    const unsigned fneed = mk->factored ? need : 0u;
    if (ok && (need & MARL_MK_EVAL)) {
        ok = marl_mul_size(S, mk->sumA, &tmp);
        o_probs = reserve(&total, tmp, sizeof(double), &ok);
        o_pre = reserve(&total, mk->presz, sizeof(double), &ok);
        o_suf = reserve(&total, mk->sufsz, sizeof(double), &ok);
        o_M = reserve(&total, SS, sizeof(double), &ok);
        o_ipiv = reserve(&total, S, sizeof(int), &ok);
        ok = ok && marl_mul_size(nv, S, &tmp);
        o_V = reserve(&total, tmp, sizeof(double), &ok);
    }
    if (ok && (need & MARL_MK_QS))
        o_Qs = reserve(&total, NJ, sizeof(double), &ok);
    if (ok && (need & MARL_MK_BR)) {
        size_t rows = SAmax; /* one agent, or every agent with BR_ALL */
        if (need & MARL_MK_BR_ALL) ok = marl_mul_size(S, mk->sumA, &rows);
        ok = ok && marl_mul_size(rows, S, &tmp);
        o_Pi = reserve(&total, tmp, sizeof(double), &ok);
        o_ri = reserve(&total, rows, sizeof(double), &ok);
        ok = ok && marl_mul_size(mk->factored ? 0 : mk->choff[mk->N], S,
                                 &tmp);
        o_ch = reserve(&total, tmp, sizeof(double), &ok);
    }
    if (ok && (need & MARL_MK_TEAM))
        o_Rt = reserve(&total, mk->cnt ? SC : SJ, sizeof(double), &ok);
    if (ok && (need & (MARL_MK_BR | MARL_MK_TEAM))) {
        o_Qi = reserve(&total, nq, sizeof(double), &ok);
        o_Mb = reserve(&total, SS, sizeof(double), &ok);
        o_ipivb = reserve(&total, S, sizeof(int), &ok);
        o_Vb = reserve(&total, S, sizeof(double), &ok);
        o_pol = reserve(&total, S, sizeof(size_t), &ok);
    }
    if (ok && (fneed & MARL_MK_EVAL)) {
        ok = marl_mul_size(S, mk->sumL, &tmp);
        o_Pbar = reserve(&total, tmp, sizeof(double), &ok);
        o_row = reserve(&total, S, sizeof(double), &ok);
    }
    if (ok && (fneed & (MARL_MK_QS | MARL_MK_TEAM))) {
        o_row = reserve(&total, S, sizeof(double), &ok);
        o_ctr = reserve(&total, 2 * mk->tmax, sizeof(double), &ok);
    }
    if (ok && (fneed & MARL_MK_EVAL) && (fneed & MARL_MK_QS)) {
        ok = marl_mul_size(S, mk->sumA, &tmp);
        o_rbar = reserve(&total, tmp, sizeof(double), &ok);
    }
    if (ok && (cneed & MARL_MK_EVAL)) {
        o_cpre = reserve(&total, mk->cpoff[mk->N + 1], sizeof(double), &ok);
        o_cdp = reserve(&total, 2 * mk->C, sizeof(double), &ok);
        ok = ok && marl_mul_size(S * mk->N, mk->C1, &tmp);
        o_cdist = reserve(&total, tmp, sizeof(double), &ok);
        ok = ok && marl_mul_size(S, mk->sumA, &tmp);
        o_rbar = reserve(&total, tmp, sizeof(double), &ok);
    }
    if (ok && (cneed & MARL_MK_QS))
        o_cw = reserve(&total, mk->C * mk->N, sizeof(double), &ok);
    if (ok && (cneed & MARL_MK_TEAM))
        o_cvec = reserve(&total, mk->cnt->A, sizeof(size_t), &ok);
    if (!ok)
        return marl_error(MARL_EINVAL,
                          "%s: workspace size overflows "
                          "(%zu states, %zu joint actions)",
                          fn, S, mk->J);
    char *b = marl_malloc(total);
    if (!b) return marl_error_nomem("the metrics workspace");
    mk->block = b;
#define MK_AT(field, off, type, flag)                                          \
    mk->field = (need & (flag)) ? (type *)(void *)(b + (off)) : NULL
    MK_AT(probs, o_probs, double, MARL_MK_EVAL);
    MK_AT(pre, o_pre, double, MARL_MK_EVAL);
    MK_AT(suf, o_suf, double, MARL_MK_EVAL);
    MK_AT(M, o_M, double, MARL_MK_EVAL);
    MK_AT(ipiv, o_ipiv, int, MARL_MK_EVAL);
    MK_AT(V, o_V, double, MARL_MK_EVAL);
    MK_AT(Qs, o_Qs, double, MARL_MK_QS);
    MK_AT(Pi, o_Pi, double, MARL_MK_BR);
    MK_AT(chain, o_ch, double, MARL_MK_BR);
    mk->ind_all = (need & MARL_MK_BR_ALL) != 0;
    MK_AT(ri, o_ri, double, MARL_MK_BR);
    MK_AT(Rt, o_Rt, double, MARL_MK_TEAM);
    MK_AT(Qi, o_Qi, double, MARL_MK_BR | MARL_MK_TEAM);
    MK_AT(Mb, o_Mb, double, MARL_MK_BR | MARL_MK_TEAM);
    MK_AT(ipivb, o_ipivb, int, MARL_MK_BR | MARL_MK_TEAM);
    MK_AT(Vb, o_Vb, double, MARL_MK_BR | MARL_MK_TEAM);
    MK_AT(pol, o_pol, size_t, MARL_MK_BR | MARL_MK_TEAM);
    mk->Pbar = (fneed & MARL_MK_EVAL) ? (double *)(void *)(b + o_Pbar) : NULL;
    mk->row = (fneed & (MARL_MK_EVAL | MARL_MK_QS | MARL_MK_TEAM))
                  ? (double *)(void *)(b + o_row)
                  : NULL;
    mk->ctr = (fneed & (MARL_MK_QS | MARL_MK_TEAM))
                  ? (double *)(void *)(b + o_ctr)
                  : NULL;
    mk->rbar = ((fneed & MARL_MK_EVAL) && (fneed & MARL_MK_QS))
                   ? (double *)(void *)(b + o_rbar)
                   : NULL;
    if (cneed & MARL_MK_EVAL)
        mk->rbar = (double *)(void *)(b + o_rbar);
    mk->rbar_ok = 0;
#define MK_CAT(field, off, type, flag)                                         \
    mk->field = (cneed & (flag)) ? (type *)(void *)(b + (off)) : NULL
    MK_CAT(cpre, o_cpre, double, MARL_MK_EVAL);
    MK_CAT(cdp, o_cdp, double, MARL_MK_EVAL);
    MK_CAT(cdist, o_cdist, double, MARL_MK_EVAL);
    MK_CAT(cw, o_cw, double, MARL_MK_QS);
    MK_CAT(cvec, o_cvec, size_t, MARL_MK_TEAM);
#undef MK_CAT
#undef MK_AT
    return MARL_OK;
}

void marl_mk_release(marl_mk *mk) {
    marl_free(mk->block);
    mk->block = NULL;
}
