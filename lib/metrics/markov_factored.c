/* Exact evaluation on factored Markov games (game.h, "factored Markov
 * games"; the contractions are described in markov_metrics.h). Nothing here
 * forms an S x J x S table: rows are Kronecker products of local rows
 * (O(S) each) and joint-action contractions go one local factor at a time.
 * SPDX-License-Identifier: MIT */
#include "markov_metrics.h"

#include <string.h>

void marl_mk_factored_pbar(marl_mk *mk, size_t s, double *row) {
    const marl_markov_data *md = mk->md;
    const double *q = mk->probs + s * mk->sumA;
    const double *F[MARL_MARKOV_MAX_AGENTS];
    for (size_t k = 0; k < mk->N; ++k) {
        const size_t Lk = mk->L[k], Ak = mk->A[k];
        const double *qk = q + mk->aoff[k];
        double *pb = mk->Pbar + s * mk->sumL + mk->lboff[k];
        memset(pb, 0, Lk * sizeof(double));
        for (size_t a = 0; a < Ak; ++a)
            if (qk[a] != 0.0)
                marl_mk_axpy(Lk, qk[a],
                             marl_markov_local_row(md, mk->A, k, s, a), pb);
        F[k] = pb;
    }
    marl_markov_kron(mk->N, mk->L, F, row);
}

/* Factor pointers of state s: Pbar_k(.|s) for every k. */
static void pbar_factors(const marl_mk *mk, size_t s, const double **F) {
    for (size_t k = 0; k < mk->N; ++k)
        F[k] = mk->Pbar + s * mk->sumL + mk->lboff[k];
}

void marl_mk_factored_induced(marl_mk *mk, size_t i) {
    const size_t S = mk->S, J = mk->J, Ai = mk->A[i], st = mk->stride[i];
    const double *F[MARL_MARKOV_MAX_AGENTS];
    double *Pd = marl_mk_induced_P(mk, i), *rd = marl_mk_induced_r(mk, i);
    for (size_t s = 0; s < S; ++s) {
        marl_mk_state_products(mk, s);
        const double *pre = mk->pre + mk->preoff[i],
                     *suf = mk->suf + mk->sufoff[i];
        const double *Ri = mk->md->R + (i * S + s) * J;
        pbar_factors(mk, s, F);
        for (size_t a = 0; a < Ai; ++a) {
            F[i] = marl_markov_local_row(mk->md, mk->A, i, s, a);
            marl_markov_kron(mk->N, mk->L, F, Pd + (s * Ai + a) * S);
            double racc = 0.0;
            for (size_t p = 0; p < mk->prelen[i]; ++p)
                if (pre[p] != 0.0)
                    racc += pre[p] * marl_mk_dot(st, suf, Ri + (p * Ai + a) * st);
            rd[s * Ai + a] = racc;
        }
    }
}

void marl_mk_factored_contract(marl_mk *mk, size_t s, const double *W,
                               double *out) {
    const size_t N = mk->N;
    const double *in = W;
    double *buf[2] = {mk->ctr, mk->ctr + mk->tmax};
    for (size_t k = N; k-- > 0;) {
        const size_t Lk = mk->L[k], Ak = mk->A[k], st = mk->stride[k];
        double *dst = k == 0 ? out : buf[k & 1u];
        for (size_t p = 0; p < mk->plen[k]; ++p)
            for (size_t a = 0; a < Ak; ++a) {
                const double *f = marl_markov_local_row(mk->md, mk->A, k, s, a);
                double *d = dst + (p * Ak + a) * st;
                memset(d, 0, st * sizeof(double));
                for (size_t l = 0; l < Lk; ++l)
                    if (f[l] != 0.0)
                        marl_mk_axpy(st, f[l], in + (p * Lk + l) * st, d);
            }
        in = dst;
    }
}

const double *marl_mk_factored_cont_vec(marl_mk *mk, size_t s, size_t i,
                                        const double *W) {
    const size_t N = mk->N;
    const double *in = W;
    double *buf[2] = {mk->ctr, mk->ctr + mk->tmax};
    int which = 0;
    /* Last factors first: in is [plen[k+1]] = [plen[k]][L_k]; contract l_k
     * for k = N-1 .. i+1, leaving [plen[i+1]] = [prod_{m<i} L_m][L_i]. */
    for (size_t k = N; k-- > i + 1;) {
        const size_t Lk = mk->L[k], P = mk->plen[k];
        const double *f = mk->Pbar + s * mk->sumL + mk->lboff[k];
        double *dst = buf[which];
        if (Lk == 2) { /* binary local states (the common case): the same
                        * sums as marl_mk_dot, without its loop overhead */
            const double f0 = f[0], f1 = f[1];
            for (size_t p = 0; p < P; ++p)
                dst[p] = in[2 * p] * f0 + in[2 * p + 1] * f1;
        } else {
            for (size_t p = 0; p < P; ++p)
                dst[p] = marl_mk_dot(Lk, in + p * Lk, f);
        }
        in = dst;
        which ^= 1;
    }
    /* Then the first factors: in is [L_k][rest] with rest = prod_{k<m<=i}
     * L_m; contract l_k for k = 0 .. i-1, leaving [L_i]. */
    size_t rest = mk->plen[i + 1];
    for (size_t k = 0; k < i; ++k) {
        const size_t Lk = mk->L[k];
        const double *f = mk->Pbar + s * mk->sumL + mk->lboff[k];
        double *dst = buf[which];
        rest /= Lk;
        memset(dst, 0, rest * sizeof(double));
        for (size_t l = 0; l < Lk; ++l)
            if (f[l] != 0.0) marl_mk_axpy(rest, f[l], in + l * rest, dst);
        in = dst;
        which ^= 1;
    }
    return in;
}
