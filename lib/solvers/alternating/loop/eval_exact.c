/*
 * Exact joint value on the n-agent count chain (see eval_exact.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/loop/eval_exact.h"

#include "solvers/alternating/loop/meanfield_flow.h"

#include "core/internal.h"
#include "marlgame/counts.h"

#include <math.h>
#include <string.h>

struct marl_alt_exact {
    const marl_gl_data *d;
    size_t n, k, Nc, Ck, Sg, Sl, Ag, Al;
    double gamma;
    size_t *pop; /* [Nc * Sl] population count vectors by rank */
    size_t *smp; /* [Ck * Sl] sample count vectors by rank */
    size_t *vec; /* [Sl] scratch */
    double *hyp; /* [Nc * Ck] P(sample d | population c) */
    double *P0;  /* [Nc] initial law of c */
    double *L;   /* [Sg * Nc * Nc] law of c' given (s_g, c) */
    double *K;   /* [Sg * Nc * Sg] law of s_g' given (s_g, c) */
    double *R;   /* [Sg * Nc] expected reward */
    double *V, *V2, *EV; /* [Sg * Nc], [Sg * Nc], [Sg] */
    double *cv, *cv2;    /* [Nc] convolution buffers */
    double *Pt, *rt;     /* [Sl * Sg * Sl], [Sl * Sg] */
    double *pa;          /* [Ag] */
};

void marl_alt_exact_free(marl_alt_exact *e) {
    if (!e) return;
    marl_free(e->pop);
    marl_free(e->smp);
    marl_free(e->vec);
    marl_free(e->hyp);
    marl_free(e->P0);
    marl_free(e->L);
    marl_free(e->K);
    marl_free(e->R);
    marl_free(e->V);
    marl_free(e->V2);
    marl_free(e->EV);
    marl_free(e->cv);
    marl_free(e->cv2);
    marl_free(e->Pt);
    marl_free(e->rt);
    marl_free(e->pa);
    marl_free(e);
}

static double lbinom(size_t a, size_t b) {
    return lgamma((double)a + 1.0) - lgamma((double)b + 1.0) -
           lgamma((double)(a - b) + 1.0);
}

static void fill_vectors(size_t *out, size_t count, size_t Sl, size_t total) {
    size_t *c = out;
    memset(c, 0, Sl * sizeof *c);
    c[Sl - 1] = total;
    for (size_t r = 1; r < count; ++r) {
        memcpy(c + Sl, c, Sl * sizeof *c);
        c += Sl;
        marl_counts_next(c, Sl);
    }
}

int marl_alt_exact_new(marl_alt_exact **out, const marl_gl_data *d, size_t k,
                       double gamma, const char *who) {
    *out = NULL;
    size_t Nc = 0, Ck = 0, t;
    if (marl_counts_size(d->n, d->Sl, &Nc) != MARL_OK ||
        marl_counts_size(k, d->Sl, &Ck) != MARL_OK ||
        !marl_mul_size(Nc, Nc, &t) || !marl_mul_size(t, d->Sg, &t) ||
        t > MARL_ALT_EXACT_MAX)
        return marl_error(MARL_ERANGE,
                          "%s: evaluation=exact needs |S_g| * N_c^2 <= %zu "
                          "with N_c = C(n + |S_l| - 1, |S_l| - 1) population "
                          "count vectors (n = %zu, |S_l| = %zu); use "
                          "evaluation=montecarlo or meanfield",
                          who, MARL_ALT_EXACT_MAX, d->n, d->Sl);
    marl_alt_exact *e = marl_calloc(1, sizeof *e);
    if (!e) return marl_error_nomem("the exact evaluation workspace");
    e->d = d;
    e->n = d->n;
    e->k = k;
    e->Nc = Nc;
    e->Ck = Ck;
    e->Sg = d->Sg;
    e->Sl = d->Sl;
    e->Ag = d->Ag;
    e->Al = d->Al;
    e->gamma = gamma;
    const size_t Sg = d->Sg, Sl = d->Sl;
    e->pop = marl_calloc(Nc * Sl, sizeof *e->pop);
    e->smp = marl_calloc(Ck * Sl, sizeof *e->smp);
    e->vec = marl_calloc(Sl, sizeof *e->vec);
    e->hyp = marl_calloc(Nc * Ck, sizeof *e->hyp);
    e->P0 = marl_calloc(Nc, sizeof *e->P0);
    e->L = marl_calloc(t, sizeof *e->L);
    e->K = marl_calloc(Sg * Nc * Sg, sizeof *e->K);
    e->R = marl_calloc(Sg * Nc, sizeof *e->R);
    e->V = marl_calloc(Sg * Nc, sizeof *e->V);
    e->V2 = marl_calloc(Sg * Nc, sizeof *e->V2);
    e->EV = marl_calloc(Sg, sizeof *e->EV);
    e->cv = marl_calloc(Nc, sizeof *e->cv);
    e->cv2 = marl_calloc(Nc, sizeof *e->cv2);
    e->Pt = marl_calloc(Sl * Sg * Sl, sizeof *e->Pt);
    e->rt = marl_calloc(Sl * Sg, sizeof *e->rt);
    e->pa = marl_calloc(d->Ag, sizeof *e->pa);
    if (!e->pop || !e->smp || !e->vec || !e->hyp || !e->P0 || !e->L ||
        !e->K || !e->R || !e->V || !e->V2 || !e->EV || !e->cv || !e->cv2 ||
        !e->Pt || !e->rt || !e->pa) {
        marl_alt_exact_free(e);
        return marl_error_nomem("the exact evaluation workspace");
    }
    fill_vectors(e->pop, Nc, Sl, e->n);
    fill_vectors(e->smp, Ck, Sl, k);
    const double lnk = lbinom(e->n, k);
    for (size_t c = 0; c < Nc; ++c) {
        const size_t *pc = e->pop + c * Sl;
        for (size_t r = 0; r < Ck; ++r) {
            const size_t *ds = e->smp + r * Sl;
            double l = -lnk;
            int ok = 1;
            for (size_t j = 0; j < Sl && ok; ++j) {
                if (ds[j] > pc[j])
                    ok = 0;
                else
                    l += lbinom(pc[j], ds[j]);
            }
            e->hyp[c * Ck + r] = ok ? exp(l) : 0.0;
        }
        /* initial law of the population counts */
        double l = lgamma((double)e->n + 1.0);
        for (size_t j = 0; j < Sl; ++j) l -= lgamma((double)pc[j] + 1.0);
        if (d->conc) {
            double A = 0.0;
            for (size_t j = 0; j < Sl; ++j) {
                A += d->conc[j];
                l += lgamma((double)pc[j] + d->conc[j]) - lgamma(d->conc[j]);
            }
            l += lgamma(A) - lgamma((double)e->n + A);
            e->P0[c] = exp(l);
        } else {
            double p = exp(l);
            for (size_t j = 0; j < Sl; ++j)
                if (pc[j]) p *= pow(d->rho_l[j], (double)pc[j]);
            e->P0[c] = p;
        }
    }
    *out = e;
    return MARL_OK;
}

/* Law of c' (over population ranks) for (s_g, c), into row[Nc]: the
 * agents are added one at a time, the distribution kept over the count
 * vectors of the agents added so far. */
static void successor_law(marl_alt_exact *e, size_t s, const size_t *pc,
                          double *row) {
    const size_t Sl = e->Sl, Sg = e->Sg;
    size_t added = 0, sz = 1;
    e->cv[0] = 1.0; /* the empty vector */
    for (size_t j = 0; j < Sl; ++j) {
        const double *P = e->Pt + (j * Sg + s) * Sl;
        for (size_t a = 0; a < pc[j]; ++a) {
            size_t nsz = 0;
            marl_counts_size(added + 1, Sl, &nsz);
            for (size_t r = 0; r < nsz; ++r) e->cv2[r] = 0.0;
            for (size_t r = 0; r < sz; ++r) {
                double w = e->cv[r];
                if (w == 0.0) continue;
                marl_counts_unrank(r, Sl, added, e->vec);
                for (size_t x = 0; x < Sl; ++x) {
                    if (P[x] == 0.0) continue;
                    e->vec[x]++;
                    size_t rk = 0;
                    marl_counts_rank(e->vec, Sl, added + 1, &rk);
                    e->vec[x]--;
                    e->cv2[rk] += w * P[x];
                }
            }
            double *t = e->cv;
            e->cv = e->cv2;
            e->cv2 = t;
            sz = nsz;
            added++;
        }
    }
    memcpy(row, e->cv, e->Nc * sizeof *row);
}

void marl_alt_exact_values(marl_alt_exact *e, const marl_gl_policy *p,
                           size_t H, double *v) {
    const marl_gl_data *d = e->d;
    const size_t Sg = e->Sg, Sl = e->Sl, Ag = e->Ag, Nc = e->Nc,
                 Ck = e->Ck;
    marl_alt_marginalise(Sl, Sg, e->Al, d->Pl, d->rl, p->pl, e->Pt, e->rt);
    for (size_t s = 0; s < Sg; ++s)
        for (size_t c = 0; c < Nc; ++c) {
            const size_t *pc = e->pop + c * Sl;
            const size_t i = s * Nc + c;
            for (size_t a = 0; a < Ag; ++a) e->pa[a] = 0.0;
            for (size_t r = 0; r < Ck; ++r) {
                double h = e->hyp[c * Ck + r];
                if (h == 0.0) continue;
                const double *pg = p->pg + (s * Ck + r) * Ag;
                for (size_t a = 0; a < Ag; ++a) e->pa[a] += h * pg[a];
            }
            double rew = 0.0, *K = e->K + i * Sg;
            for (size_t x = 0; x < Sg; ++x) K[x] = 0.0;
            for (size_t a = 0; a < Ag; ++a) {
                rew += e->pa[a] * d->rg[s * Ag + a];
                for (size_t x = 0; x < Sg; ++x)
                    K[x] += e->pa[a] * d->Pg[(s * Ag + a) * Sg + x];
            }
            for (size_t j = 0; j < Sl; ++j)
                rew += (double)pc[j] * e->rt[j * Sg + s] / (double)e->n;
            e->R[i] = rew;
            successor_law(e, s, pc, e->L + i * Nc);
        }
    for (size_t i = 0; i < Sg * Nc; ++i) e->V[i] = 0.0;
    for (size_t h = 0; h < H; ++h) {
        for (size_t i = 0; i < Sg * Nc; ++i) {
            const double *L = e->L + i * Nc, *K = e->K + i * Sg;
            double ev = 0.0;
            for (size_t x = 0; x < Sg; ++x) {
                if (K[x] == 0.0) continue;
                const double *Vx = e->V + x * Nc;
                double s = 0.0;
                for (size_t c2 = 0; c2 < Nc; ++c2) s += L[c2] * Vx[c2];
                ev += K[x] * s;
            }
            e->V2[i] = e->R[i] + e->gamma * ev;
        }
        double *t = e->V;
        e->V = e->V2;
        e->V2 = t;
    }
    for (size_t s = 0; s < Sg; ++s) {
        double a = 0.0;
        for (size_t c = 0; c < Nc; ++c) a += e->P0[c] * e->V[s * Nc + c];
        v[s] = a;
    }
}
