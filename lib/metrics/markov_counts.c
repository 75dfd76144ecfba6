/* Exact evaluation on count-based Markov games (game.h, "count-based
 * Markov games"; the formulas are in markov_metrics.h). Nothing here
 * visits a joint action: every sum runs over count vectors, whose
 * distribution under a product policy is formed by dynamic programming over
 * the agents.
 *
 * Cost per state: the prefix programme sum_{k<N} csize[k] A, the
 * leave-one-out continuations about N^2/2 steps of at most C1 A, the
 * averaged rewards N A C1, P_pi C S. (distancing, N = 8, A = 4: C = 165,
 * C1 = 120, about 2 * 10^4 multiply-adds per state instead of the
 * 65536 * (S + N) of the joint-action path.)
 * SPDX-License-Identifier: MIT */
#include "markov_metrics.h"

#include "marlgame/counts.h"

#include <string.h>

/* dst[0..csize[k+1]) = one step of the programme from level k with the
 * action distribution q (A entries). */
static void dp_step(const marl_markov_counts *c, size_t k, const double *src,
                    const double *q, double *dst) {
    const size_t A = c->A, n = c->csize[k];
    const size_t *succ = c->csucc + c->csoff[k];
    memset(dst, 0, c->csize[k + 1] * sizeof *dst);
    for (size_t r = 0; r < n; ++r) {
        const double w = src[r];
        if (w == 0.0) continue; /* exact: the products would all be 0 */
        const size_t *sr = succ + r * A;
        for (size_t a = 0; a < A; ++a)
            dst[sr[a]] += w * q[a];
    }
}

void marl_mk_counts_state(marl_mk *mk, size_t s) {
    const marl_markov_counts *c = mk->cnt;
    const size_t N = mk->N, A = c->A, C1 = mk->C1, S = mk->S;
    const double *q = mk->probs + s * mk->sumA;
    const double *Rc = c->Rc;
    const size_t *succN1 = c->csucc + c->csoff[N - 1];
    double *Dt = mk->cdist + s * C1 * N; /* [m][i]: agent fastest */
    /* prefix levels F_0 .. F_N */
    mk->cpre[0] = 1.0;
    for (size_t k = 0; k < N; ++k)
        dp_step(c, k, mk->cpre + mk->cpoff[k], q + mk->aoff[k],
                mk->cpre + mk->cpoff[k + 1]);
    for (size_t i = 0; i < N; ++i) {
        /* D_-i: F_i continued with agents i+1..N-1 (levels i..N-1) */
        const double *src = mk->cpre + mk->cpoff[i];
        for (size_t k = i + 1; k < N; ++k) {
            double *dst = mk->cdp + (k & 1u) * mk->C;
            dp_step(c, k - 1, src, q + mk->aoff[k], dst);
            src = dst;
        }
        for (size_t m = 0; m < C1; ++m)
            Dt[m * N + i] = src[m];
    }
    /* rbar_i(s, a) = sum_m D_-i(m) r(s, a, m + e_a), every agent at once */
    double acc[MARL_MARKOV_MAX_AGENTS];
    for (size_t a = 0; a < A; ++a) {
        const double *Ra = Rc + (s * A + a) * mk->C;
        memset(acc, 0, N * sizeof *acc);
        for (size_t m = 0; m < C1; ++m) {
            const double v = Ra[succN1[m * A + a]], *Dm = Dt + m * N;
            for (size_t i = 0; i < N; ++i)
                acc[i] += Dm[i] * v;
        }
        for (size_t i = 0; i < N; ++i)
            mk->rbar[S * mk->aoff[i] + s * A + a] = acc[i];
    }
}

void marl_mk_counts_eval_state(marl_mk *mk, size_t s, int with_phi,
                               double *row) {
    const marl_markov_counts *c = mk->cnt;
    const size_t N = mk->N, S = mk->S, C = mk->C, A = c->A;
    const double *DN = mk->cpre + mk->cpoff[N];
    const double *q = mk->probs + s * mk->sumA;
    memset(row, 0, S * sizeof *row);
    for (size_t r = 0; r < C; ++r)
        if (DN[r] != 0.0) marl_mk_axpy(S, DN[r], c->Pc + (s * C + r) * S, row);
    for (size_t i = 0; i < N; ++i)
        mk->V[i * S + s] = marl_mk_dot(A, q + mk->aoff[i],
                                       mk->rbar + S * mk->aoff[i] + s * A);
    if (with_phi) mk->V[N * S + s] = marl_mk_dot(C, DN, c->phic + s * C);
}

void marl_mk_counts_induced(marl_mk *mk, size_t i) {
    const marl_markov_counts *c = mk->cnt;
    const size_t N = mk->N, S = mk->S, C = mk->C, C1 = mk->C1, A = c->A;
    const size_t *succN1 = c->csucc + c->csoff[N - 1];
    double *Pd = marl_mk_induced_P(mk, i), *rd = marl_mk_induced_r(mk, i);
    for (size_t s = 0; s < S; ++s) {
        const double *Dt = mk->cdist + s * C1 * N + i; /* stride N */
        const double *Ps = c->Pc + s * C * S;
        for (size_t a = 0; a < A; ++a) {
            double *d = Pd + (s * A + a) * S;
            memset(d, 0, S * sizeof *d);
            for (size_t m = 0; m < C1; ++m)
                if (Dt[m * N] != 0.0)
                    marl_mk_axpy(S, Dt[m * N], Ps + succN1[m * A + a] * S, d);
            rd[s * A + a] = mk->rbar[S * mk->aoff[i] + s * A + a];
        }
    }
}

void marl_mk_counts_averaged(marl_mk *mk, const double *W, double *Qbar,
                             double *Abar) {
    const marl_markov_counts *c = mk->cnt;
    const size_t N = mk->N, S = mk->S, C = mk->C, C1 = mk->C1, A = c->A;
    const size_t *succN1 = c->csucc + c->csoff[N - 1];
    double acc[MARL_MARKOV_MAX_AGENTS];
    for (size_t s = 0; s < S; ++s) {
        if (!mk->rbar_ok) marl_mk_counts_state(mk, s);
        /* cw[r * N + i] = sum_s' P(s'|s, n_r) W_i(s') */
        const double *Ps = c->Pc + s * C * S;
        memset(mk->cw, 0, C * N * sizeof(double));
        for (size_t r = 0; r < C; ++r) {
            double *cr = mk->cw + r * N;
            for (size_t s2 = 0; s2 < S; ++s2) {
                const double p = Ps[r * S + s2];
                if (p == 0.0) continue;
                for (size_t i = 0; i < N; ++i)
                    cr[i] += p * W[i * S + s2];
            }
        }
        const double *Dt = mk->cdist + s * C1 * N;
        for (size_t a = 0; a < A; ++a) {
            memset(acc, 0, N * sizeof *acc);
            for (size_t m = 0; m < C1; ++m) {
                const double *cr = mk->cw + succN1[m * A + a] * N,
                             *Dm = Dt + m * N;
                for (size_t i = 0; i < N; ++i)
                    acc[i] += Dm[i] * cr[i];
            }
            for (size_t i = 0; i < N; ++i) {
                const size_t e = S * mk->aoff[i] + s * A + a;
                const double v = mk->rbar[e] + mk->gamma * acc[i];
                if (Qbar) Qbar[e] = v;
                if (Abar) Abar[e] = v - mk->V[i * S + s];
            }
        }
    }
}

void marl_mk_counts_team_reward(marl_mk *mk) {
    const marl_markov_counts *c = mk->cnt;
    const size_t S = mk->S, C = mk->C, A = c->A;
    size_t *n = mk->cvec;
    for (size_t s = 0; s < S; ++s) {
        memset(n, 0, A * sizeof *n);
        n[A - 1] = mk->N;
        for (size_t r = 0; r < C; ++r, marl_counts_next(n, A)) {
            double acc = 0.0;
            for (size_t a = 0; a < A; ++a)
                if (n[a]) acc += (double)n[a] * c->Rc[(s * A + a) * C + r];
            mk->Rt[s * C + r] = acc;
        }
    }
}

void marl_mk_counts_assign(marl_mk *mk, size_t r, size_t *actions) {
    const size_t A = mk->cnt->A;
    (void)marl_counts_unrank(r, A, mk->N, mk->cvec); /* r < C: cannot fail */
    size_t i = 0;
    for (size_t a = 0; a < A; ++a)
        for (size_t k = 0; k < mk->cvec[a]; ++k)
            actions[i++] = a;
}
