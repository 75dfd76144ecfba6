/*
 * The seed's k-chained MDP and the exact local best response on it
 * (see chained.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/loop/chained.h"

#include "core/internal.h"
#include "core/linalg.h"
#include "marlgame/counts.h"

#include <math.h>

void marl_alt_chain_free(marl_alt_chain *w) {
    if (!w) return;
    marl_free(w->rank);
    marl_free(w->init);
    marl_free(w->Kc);
    marl_free(w->Rc);
    marl_free(w->A);
    marl_free(w->V);
    marl_free(w->ipiv);
    marl_free(w->odo);
    marl_free(w->best);
    marl_free(w->full);
    marl_free(w->pol);
    marl_free(w->cnt);
    marl_free(w->nx);
    marl_free(w->px);
    marl_free(w);
}

/* Sizes and limits; MARL_ERANGE naming who. */
static int chain_sizes(const marl_alt_model *m, const char *who, size_t *T,
                       size_t *N, size_t *D) {
    const size_t lim = MARL_ALT_CHAIN_MAX_STATES;
    size_t t = 1, n = 0, d = 1, w = 0, R = m->Sl * m->Sg;
    int ok = 1;
    for (size_t i = 0; i < m->k && ok; ++i) ok = marl_mul_size(t, m->Sl, &t);
    if (ok) ok = marl_mul_size(m->k - 1, m->Sg, &n);
    if (ok) ok = marl_add_size(n, 1, &n);
    if (ok) ok = marl_mul_size(n, m->Sg, &n);
    if (ok) ok = marl_mul_size(n, t, &n);
    if (!ok || n > lim)
        return marl_error(MARL_ERANGE,
                          "%s: llearn=chained with k = %zu has S_l^k S_g "
                          "(1 + (k-1) S_g) chained states, more than the "
                          "limit %zu",
                          who, m->k, lim);
    for (size_t i = 0; i < R && ok; ++i) ok = marl_mul_size(d, m->Al, &d);
    size_t n3 = n * n * n; /* n <= 1024: no overflow */
    if (ok) ok = marl_add_size(d, R * m->Al + 1, &w);
    if (ok) ok = marl_mul_size(w, n3, &w);
    if (!ok || w > MARL_ALT_CHAIN_MAX_WORK)
        return marl_error(MARL_ERANGE,
                          "%s: llearn=chained would evaluate A_l^(S_l S_g) = "
                          "%zu^%zu local policies on %zu chained states "
                          "(k = %zu): more than the work limit 2^34 "
                          "(policies x states^3)",
                          who, m->Al, R, n, m->k);
    *T = t;
    *N = n;
    *D = d;
    return MARL_OK;
}

int marl_alt_chain_new(marl_alt_chain **out, const marl_alt_model *m,
                       const double *conc, const char *who) {
    *out = NULL;
    size_t T = 0, N = 0, D = 0;
    int rc = chain_sizes(m, who, &T, &N, &D);
    if (rc != MARL_OK) return rc;
    marl_alt_chain *w = marl_calloc(1, sizeof *w);
    if (!w) return marl_error_nomem("the llearn=chained workspace");
    w->Sg = m->Sg;
    w->Ag = m->Ag;
    w->Sl = m->Sl;
    w->Al = m->Al;
    w->k = m->k;
    w->C = m->C;
    w->T = T;
    w->N = N;
    w->R = m->Sl * m->Sg;
    w->D = D;
    w->gamma = m->gamma;
    w->P_g = m->P_g;
    w->r_g = m->r_g;
    w->P_l = m->P_l;
    w->r_l = m->r_l;
    w->rank = marl_calloc(T, sizeof *w->rank);
    w->init = marl_calloc(T * m->Sg, sizeof *w->init);
    w->Kc = marl_calloc(m->Sg * m->C * m->Sg, sizeof *w->Kc);
    w->Rc = marl_calloc(m->Sg * m->C, sizeof *w->Rc);
    w->A = marl_calloc(N * N, sizeof *w->A);
    w->V = marl_calloc(N, sizeof *w->V);
    w->ipiv = marl_calloc(N, sizeof *w->ipiv);
    w->odo = marl_calloc(w->R, sizeof *w->odo);
    w->best = marl_calloc(w->R, sizeof *w->best);
    w->full = marl_calloc(N, sizeof *w->full);
    w->pol = marl_calloc(w->R * m->Al, sizeof *w->pol);
    w->cnt = marl_calloc(m->Sl, sizeof *w->cnt);
    w->nx = marl_calloc(m->Sl * m->Sg, sizeof *w->nx);
    w->px = marl_calloc(m->Sl * m->Sg, sizeof *w->px);
    if (!w->rank || !w->init || !w->Kc || !w->Rc || !w->A || !w->V ||
        !w->ipiv || !w->odo || !w->best || !w->full || !w->pol || !w->cnt ||
        !w->nx || !w->px) {
        marl_alt_chain_free(w);
        return marl_error_nomem("the llearn=chained workspace");
    }
    double csum = 0.0;
    if (conc)
        for (size_t j = 0; j < m->Sl; ++j) csum += conc[j];
    for (size_t t = 0; t < T; ++t) {
        for (size_t j = 0; j < m->Sl; ++j) w->cnt[j] = 0;
        double pr = 1.0;
        size_t x = t;
        for (size_t i = 0; i < m->k; ++i) {
            size_t s = x % m->Sl;
            x /= m->Sl;
            /* i.i.d.: mu0(s); Polya: (conc_s + c_s) / (sum conc + i) */
            pr *= conc ? (conc[s] + (double)w->cnt[s]) / (csum + (double)i)
                       : m->mu0[s];
            w->cnt[s]++;
        }
        rc = marl_counts_rank(w->cnt, m->Sl, m->k, &w->rank[t]);
        if (rc != MARL_OK) {
            marl_alt_chain_free(w);
            return rc;
        }
        for (size_t g = 0; g < m->Sg; ++g)
            w->init[t * m->Sg + g] = pr * m->rho_g[g];
    }
    *out = w;
    return MARL_OK;
}

void marl_alt_chain_prepare(marl_alt_chain *w, const double *pi_g) {
    const size_t Sg = w->Sg, Ag = w->Ag, C = w->C;
    for (size_t g = 0; g < Sg; ++g)
        for (size_t r = 0; r < C; ++r) {
            const double *p = pi_g + (g * C + r) * Ag;
            double *K = w->Kc + (g * C + r) * Sg, rew = 0.0;
            for (size_t h = 0; h < Sg; ++h) K[h] = 0.0;
            for (size_t a = 0; a < Ag; ++a) {
                rew += p[a] * w->r_g[g * Ag + a];
                for (size_t h = 0; h < Sg; ++h)
                    K[h] += p[a] * w->P_g[(g * Ag + a) * Sg + h];
            }
            w->Rc[g * C + r] = rew;
        }
}

/* Decode x into (stage, tuple, s_g, s_g^+). */
static void decode(const marl_alt_chain *w, size_t x, size_t *i, size_t *t,
                   size_t *g, size_t *h) {
    const size_t Sg = w->Sg;
    if (x < w->T * Sg) {
        *i = 0;
        *t = x / Sg;
        *g = x % Sg;
        *h = 0;
        return;
    }
    size_t y = x - w->T * Sg;
    *h = y % Sg;
    *g = (y / Sg) % Sg;
    *t = (y / (Sg * Sg)) % w->T;
    *i = 1 + y / (Sg * Sg * w->T);
}

static size_t digit_pow(const marl_alt_chain *w, size_t i) {
    size_t p = 1;
    for (size_t q = 0; q < i; ++q) p *= w->Sl;
    return p;
}

/* Row of the local policy used at chained state x. */
static size_t row_of(const marl_alt_chain *w, size_t x) {
    size_t i, t, g, h;
    decode(w, x, &i, &t, &g, &h);
    size_t s = (t / digit_pow(w, i)) % w->Sl;
    return s * w->Sg + g;
}

/* Index of the successor of a stage-i state: tuple t2, global s_g, and h
 * (stage 0: the drawn s_g^+; later stages: the pending s_g^+). */
static size_t succ_index(const marl_alt_chain *w, size_t i, size_t t2,
                         size_t g, size_t h) {
    if (i + 1 == w->k) return t2 * w->Sg + h;
    return w->T * w->Sg + ((i * w->T + t2) * w->Sg + g) * w->Sg + h;
}

size_t marl_alt_chain_transitions(const marl_alt_chain *w, size_t x,
                                  size_t a, size_t *next, double *prob,
                                  double *reward, double *discount) {
    const size_t Sg = w->Sg, Sl = w->Sl;
    size_t i, t, g, h;
    decode(w, x, &i, &t, &g, &h);
    size_t pw = digit_pow(w, i);
    size_t s = (t / pw) % Sl;
    size_t ia = (s * Sg + g) * w->Al + a;
    const double *P = w->P_l + ia * Sl;
    const double *K = w->Kc + (g * w->C + w->rank[t]) * Sg;
    *reward = w->r_l[ia] / (double)w->k;
    if (i == 0) *reward += w->Rc[g * w->C + w->rank[t]];
    *discount = i + 1 == w->k ? w->gamma : 1.0;
    size_t n = 0;
    for (size_t s2 = 0; s2 < Sl; ++s2) {
        if (P[s2] <= 0.0) continue;
        size_t t2 = t - s * pw + s2 * pw;
        if (i == 0) {
            for (size_t h2 = 0; h2 < Sg; ++h2) {
                if (K[h2] <= 0.0) continue;
                next[n] = succ_index(w, 0, t2, g, h2);
                prob[n++] = P[s2] * K[h2];
            }
        } else {
            next[n] = succ_index(w, i, t2, g, h);
            prob[n++] = P[s2];
        }
    }
    return n;
}

/* Build and solve (I - P_pi) V = r_pi, with the action weights of state x
 * given by pol (row of x) or, if full != NULL, the action full[x]. */
static double evaluate(marl_alt_chain *w, const double *pol,
                       const size_t *full) {
    const size_t N = w->N, Al = w->Al;
    for (size_t q = 0; q < N * N; ++q) w->A[q] = 0.0;
    for (size_t x = 0; x < N; ++x) {
        w->A[x * N + x] += 1.0;
        w->V[x] = 0.0;
        size_t o = row_of(w, x);
        for (size_t a = 0; a < Al; ++a) {
            double p = full ? (full[x] == a ? 1.0 : 0.0) : pol[o * Al + a];
            if (p <= 0.0) continue;
            double rew, disc;
            size_t n = marl_alt_chain_transitions(w, x, a, w->nx, w->px, &rew,
                                                  &disc);
            w->V[x] += p * rew;
            for (size_t q = 0; q < n; ++q)
                w->A[x * N + w->nx[q]] -= p * disc * w->px[q];
        }
    }
    if (marl_linalg_solve(N, 1, w->A, w->V, w->ipiv) != MARL_OK) return NAN;
    double J = 0.0;
    for (size_t q = 0; q < w->T * w->Sg; ++q) J += w->init[q] * w->V[q];
    return J;
}

double marl_alt_chain_evaluate(marl_alt_chain *w, const double *pol) {
    return evaluate(w, pol, NULL);
}

static void det_policy(marl_alt_chain *w, const size_t *d) {
    for (size_t o = 0; o < w->R; ++o)
        for (size_t a = 0; a < w->Al; ++a)
            w->pol[o * w->Al + a] = d[o] == a ? 1.0 : 0.0;
}

static int better(double v, double best) {
    return v > best + 1e-12 * (fabs(best) > 1.0 ? fabs(best) : 1.0);
}

/* Exact policy iteration on the whole chained state from the class
 * optimum (w->best); returns the optimal value at the initial law. An
 * action replaces the current one only if its Q is larger by more than
 * the tolerance of better(), so the iteration ends. */
double marl_alt_chain_bound(marl_alt_chain *w, size_t *iters) {
    const size_t N = w->N, Al = w->Al;
    for (size_t x = 0; x < N; ++x) w->full[x] = w->best[row_of(w, x)];
    double J = NAN;
    size_t it = 0;
    for (;;) {
        J = evaluate(w, NULL, w->full);
        ++it;
        int changed = 0;
        for (size_t x = 0; x < N; ++x) {
            double qb = -HUGE_VAL, qc = -HUGE_VAL;
            size_t ab = 0;
            for (size_t a = 0; a < Al; ++a) {
                double q, disc, ev = 0.0;
                size_t n = marl_alt_chain_transitions(w, x, a, w->nx, w->px,
                                                      &q, &disc);
                for (size_t j = 0; j < n; ++j) ev += w->px[j] * w->V[w->nx[j]];
                q += disc * ev;
                if (a == w->full[x]) qc = q;
                if (q > qb) {
                    qb = q;
                    ab = a;
                }
            }
            if (ab != w->full[x] && better(qb, qc)) {
                w->full[x] = ab;
                changed = 1;
            }
        }
        if (!changed || it >= 10000) break;
    }
    *iters = it;
    return J;
}

void marl_alt_chain_solve(marl_alt_chain *w, const double *pi_g,
                          double temperature, double *pi_out,
                          marl_alt_chain_info *info) {
    const size_t R = w->R, Al = w->Al;
    marl_alt_chain_prepare(w, pi_g);
    for (size_t o = 0; o < R; ++o) w->odo[o] = w->best[o] = 0;
    double bestJ = -HUGE_VAL;
    for (size_t n = 0; n < w->D; ++n) {
        det_policy(w, w->odo);
        double J = evaluate(w, w->pol, NULL);
        if (n == 0 || better(J, bestJ)) {
            bestJ = J;
            for (size_t o = 0; o < R; ++o) w->best[o] = w->odo[o];
        }
        for (size_t o = 0; o < R; ++o) { /* odometer, row 0 fastest */
            if (++w->odo[o] < Al) break;
            w->odo[o] = 0;
        }
    }
    for (size_t o = 0; o < R; ++o)
        for (size_t a = 0; a < Al; ++a)
            pi_out[o * Al + a] = w->best[o] == a ? 1.0 : 0.0;
    if (temperature > 0.0) {
        /* pi_out row o = softmax over a of J(best with row o <- a) / tau */
        for (size_t o = 0; o < R; ++o) {
            double *p = pi_out + o * Al, mx = -HUGE_VAL, z = 0.0;
            for (size_t a = 0; a < Al; ++a) {
                for (size_t q = 0; q < R; ++q) w->odo[q] = w->best[q];
                w->odo[o] = a;
                det_policy(w, w->odo);
                p[a] = a == w->best[o] ? bestJ : evaluate(w, w->pol, NULL);
                if (p[a] > mx) mx = p[a];
            }
            for (size_t a = 0; a < Al; ++a) {
                p[a] = exp((p[a] - mx) / temperature);
                z += p[a];
            }
            for (size_t a = 0; a < Al; ++a) p[a] /= z;
        }
    }
    info->value = bestJ;
    info->policies = w->D;
}
