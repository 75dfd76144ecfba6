/*
 * Mean-field flow of the local population under (pi_g, pi_l) (see
 * meanfield_flow.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/loop/meanfield_flow.h"

#include "core/internal.h"
#include "marlgame/counts.h"

#include <math.h>
#include <string.h>

void marl_alt_flow_free(marl_alt_flow *f) {
    if (!f) return;
    marl_free(f->coef);
    marl_free(f->powtab);
    marl_free(f->cnt);
    marl_free(f->vec);
    marl_free(f->Pt);
    marl_free(f->rt);
    marl_free(f->nu);
    marl_free(f->nu2);
    marl_free(f->m);
    marl_free(f->pt);
    marl_free(f->K);
    marl_free(f->mu);
    marl_free(f->W);
    marl_free(f);
}

static double *dalloc(size_t a, size_t b, size_t c, int *bad) {
    size_t n;
    if (*bad || !marl_mul_size(a, b, &n) || !marl_mul_size(n, c, &n)) {
        *bad = 1;
        return NULL;
    }
    double *p = marl_calloc(n ? n : 1, sizeof *p);
    if (!p) *bad = 1;
    return p;
}

int marl_alt_flow_new(marl_alt_flow **out, const marl_alt_model *m,
                      const char *who) {
    *out = NULL;
    marl_alt_flow *f = marl_calloc(1, sizeof *f);
    if (!f) return marl_error_nomem("the mean-field flow workspace");
    f->Sg = m->Sg;
    f->Ag = m->Ag;
    f->Sl = m->Sl;
    f->Al = m->Al;
    f->k = m->k;
    f->C = m->C;
    int bad = 0;
    f->coef = dalloc(m->C, 1, 1, &bad);
    f->powtab = dalloc(m->Sl, m->k + 1, 1, &bad);
    f->Pt = dalloc(m->Sl, m->Sg, m->Sl, &bad);
    f->rt = dalloc(m->Sl, m->Sg, 1, &bad);
    f->nu = dalloc(m->Sg, m->Sl, 1, &bad);
    f->nu2 = dalloc(m->Sg, m->Sl, 1, &bad);
    f->m = dalloc(m->Sg, m->Sl, 1, &bad);
    f->pt = dalloc(m->Sg, m->Ag, 1, &bad);
    f->K = dalloc(m->Sg, m->Sg, 1, &bad);
    f->mu = dalloc(m->Sl, 1, 1, &bad);
    f->W = dalloc(m->Sg, 1, 1, &bad);
    if (!bad) {
        f->cnt = marl_calloc(m->Sl, sizeof *f->cnt);
        if (!f->cnt) bad = 1;
    }
    if (bad) {
        marl_alt_flow_free(f);
        return marl_error(MARL_ENOMEM,
                          "%s: out of memory while allocating the mean-field "
                          "flow workspace",
                          who);
    }
    /* The count vectors as a table when small enough (the hot loop of
     * marl_alt_flow_action_law then needs no iterator). */
    size_t nv;
    if (m->k <= 65535 && marl_mul_size(m->C, m->Sl, &nv) &&
        nv <= MARL_ALT_FLOW_MAX_VEC) {
        f->vec = marl_calloc(nv, sizeof *f->vec);
        if (!f->vec) {
            marl_alt_flow_free(f);
            return marl_error(MARL_ENOMEM,
                              "%s: out of memory while allocating the "
                              "count-vector table",
                              who);
        }
    }
    /* Multinomial coefficients in rank order: k! / prod_j c_j! (<= S_l^k;
     * kept as logarithms when that could overflow). */
    f->logmode = (double)m->k * log((double)m->Sl) > 600.0;
    double lk = lgamma((double)m->k + 1.0);
    memset(f->cnt, 0, m->Sl * sizeof *f->cnt);
    f->cnt[m->Sl - 1] = m->k;
    for (size_t r = 0; r < m->C; ++r) {
        double l = lk;
        for (size_t j = 0; j < m->Sl; ++j) {
            l -= lgamma((double)f->cnt[j] + 1.0);
            if (f->vec) f->vec[r * m->Sl + j] = (unsigned short)f->cnt[j];
        }
        f->coef[r] = f->logmode ? l : exp(l);
        if (r + 1 < m->C) marl_counts_next(f->cnt, m->Sl);
    }
    *out = f;
    return MARL_OK;
}

/* The weight of count vector v (rank r): coef * prod_j mu_j^v_j, or
 * exp(log coef + sum_j v_j log mu_j) in log mode (powtab then holds
 * m log mu_j, -inf for mu_j = 0 < m). */
#define FLOW_WEIGHT(f, r, v, Sl, k, w)                                      \
    do {                                                                    \
        if (!(f)->logmode) {                                                \
            w = (f)->coef[r];                                               \
            for (size_t j_ = 0; j_ < (Sl) && w != 0.0; ++j_)                \
                w *= (f)->powtab[j_ * ((k) + 1) + (v)[j_]];                 \
        } else {                                                            \
            double l_ = (f)->coef[r];                                       \
            for (size_t j_ = 0; j_ < (Sl); ++j_)                            \
                l_ += (f)->powtab[j_ * ((k) + 1) + (v)[j_]];                \
            w = exp(l_);                                                    \
        }                                                                   \
    } while (0)

void marl_alt_flow_action_law(marl_alt_flow *f, const double *pi_g,
                              size_t s_g, const double *mu, double *out) {
    const size_t Sl = f->Sl, k = f->k, Ag = f->Ag, C = f->C;
    for (size_t j = 0; j < Sl; ++j) {
        double *row = f->powtab + j * (k + 1);
        row[0] = f->logmode ? 0.0 : 1.0;
        const double lm = mu[j] > 0.0 ? log(mu[j]) : -HUGE_VAL;
        for (size_t e = 1; e <= k; ++e)
            row[e] = f->logmode ? (double)e * lm : row[e - 1] * mu[j];
    }
    for (size_t a = 0; a < Ag; ++a) out[a] = 0.0;
    const double *pg = pi_g + s_g * C * Ag;
    if (f->vec) {
        const unsigned short *v = f->vec;
        for (size_t r = 0; r < C; ++r, v += Sl) {
            double w;
            FLOW_WEIGHT(f, r, v, Sl, k, w);
            if (w != 0.0) {
                const double *row = pg + r * Ag;
                for (size_t a = 0; a < Ag; ++a) out[a] += w * row[a];
            }
        }
        return;
    }
    size_t *c = f->cnt;
    memset(c, 0, Sl * sizeof *c);
    c[Sl - 1] = k;
    for (size_t r = 0; r < C; ++r) {
        double w;
        FLOW_WEIGHT(f, r, c, Sl, k, w);
        if (w != 0.0) {
            const double *row = pg + r * Ag;
            for (size_t a = 0; a < Ag; ++a) out[a] += w * row[a];
        }
        if (r + 1 < C) marl_counts_next(c, Sl);
    }
}

void marl_alt_marginalise(size_t Sl, size_t Sg, size_t Al, const double *P_l,
                          const double *r_l, const double *pi_l, double *Pt,
                          double *rt) {
    for (size_t j = 0; j < Sl; ++j)
        for (size_t g = 0; g < Sg; ++g) {
            size_t row = j * Sg + g;
            double *pt = Pt + row * Sl;
            double r = 0.0;
            for (size_t x = 0; x < Sl; ++x) pt[x] = 0.0;
            for (size_t a = 0; a < Al; ++a) {
                double w = pi_l[row * Al + a];
                r += w * r_l[row * Al + a];
                const double *pl = P_l + (row * Al + a) * Sl;
                for (size_t x = 0; x < Sl; ++x) pt[x] += w * pl[x];
            }
            rt[row] = r;
        }
}

void marl_alt_flow_marginalise(marl_alt_flow *f, const marl_alt_model *m,
                               const double *pi_l) {
    marl_alt_marginalise(m->Sl, m->Sg, m->Al, m->P_l, m->r_l, pi_l, f->Pt,
                         f->rt);
}

/* p_t (into f->pt) and the induced global kernel K from f->nu. Global
 * states with no mass get the law of `fallback` (a local distribution). */
static void action_laws(marl_alt_flow *f, const marl_alt_model *m,
                        const double *pi_g, const double *fallback) {
    const size_t Sg = m->Sg, Sl = m->Sl, Ag = m->Ag;
    for (size_t g = 0; g < Sg; ++g) {
        double w = 0.0;
        for (size_t j = 0; j < Sl; ++j) w += f->nu[g * Sl + j];
        if (w > 0.0)
            for (size_t j = 0; j < Sl; ++j) f->mu[j] = f->nu[g * Sl + j] / w;
        else
            for (size_t j = 0; j < Sl; ++j) f->mu[j] = fallback[j];
        marl_alt_flow_action_law(f, pi_g, g, f->mu, f->pt + g * Ag);
        double *K = f->K + g * Sg;
        for (size_t x = 0; x < Sg; ++x) K[x] = 0.0;
        for (size_t a = 0; a < Ag; ++a) {
            double p = f->pt[g * Ag + a];
            const double *P = m->P_g + (g * Ag + a) * Sg;
            for (size_t x = 0; x < Sg; ++x) K[x] += p * P[x];
        }
    }
}

/* nu2 from nu, p_t and K already computed; returns ||nu2 - nu||_1. */
static double propagate(marl_alt_flow *f, const marl_alt_model *m) {
    const size_t Sg = m->Sg, Sl = m->Sl;
    for (size_t g = 0; g < Sg; ++g)
        for (size_t x = 0; x < Sl; ++x) {
            double s = 0.0;
            for (size_t j = 0; j < Sl; ++j)
                s += f->nu[g * Sl + j] * f->Pt[(j * Sg + g) * Sl + x];
            f->m[g * Sl + x] = s;
        }
    for (size_t i = 0; i < Sg * Sl; ++i) f->nu2[i] = 0.0;
    for (size_t g = 0; g < Sg; ++g)
        for (size_t g2 = 0; g2 < Sg; ++g2) {
            double kk = f->K[g * Sg + g2];
            if (kk == 0.0) continue;
            for (size_t x = 0; x < Sl; ++x)
                f->nu2[g2 * Sl + x] += kk * f->m[g * Sl + x];
        }
    double d = 0.0;
    for (size_t i = 0; i < Sg * Sl; ++i) d += fabs(f->nu2[i] - f->nu[i]);
    return d;
}

double marl_alt_flow_step(marl_alt_flow *f, const marl_alt_model *m,
                          const double *pi_g) {
    action_laws(f, m, pi_g, m->mu0);
    return propagate(f, m);
}

static void swap_nu(marl_alt_flow *f) {
    double *t = f->nu;
    f->nu = f->nu2;
    f->nu2 = t;
}

static void start(marl_alt_flow *f, const marl_alt_model *m,
                  const double *rho_g) {
    for (size_t g = 0; g < m->Sg; ++g)
        for (size_t j = 0; j < m->Sl; ++j)
            f->nu[g * m->Sl + j] = rho_g[g] * m->mu0[j];
}

void marl_alt_flow_surrogate(marl_alt_flow *f, const marl_alt_model *m,
                             const double *pi_g, int population,
                             size_t horizon, double flow_tol, double *pbar,
                             size_t *steps, double *residual) {
    const size_t Sg = m->Sg, Sl = m->Sl, Ag = m->Ag;
    start(f, m, m->rho_g);
    double res = 0.0;
    size_t t = 0;
    if (population == 1) {
        while (t < horizon) {
            res = marl_alt_flow_step(f, m, pi_g);
            swap_nu(f);
            ++t;
            if (res <= flow_tol) break;
        }
        action_laws(f, m, pi_g, m->mu0);
        for (size_t i = 0; i < Sg * Ag; ++i) pbar[i] = f->pt[i];
        *steps = t;
        *residual = res;
        return;
    }
    /* Discounted occupancy average; W[s_g] accumulates the weights. */
    double *W = f->W;
    for (size_t i = 0; i < Sg * Ag; ++i) pbar[i] = 0.0;
    for (size_t g = 0; g < Sg; ++g) W[g] = 0.0;
    double gt = 1.0;
    for (;;) {
        action_laws(f, m, pi_g, m->mu0);
        int last = t == horizon || (t > 0 && res <= flow_tol);
        double wt = last ? gt / (1.0 - m->gamma) : gt;
        for (size_t g = 0; g < Sg; ++g) {
            double w = 0.0;
            for (size_t j = 0; j < Sl; ++j) w += f->nu[g * Sl + j];
            w *= wt;
            W[g] += w;
            for (size_t a = 0; a < Ag; ++a)
                pbar[g * Ag + a] += w * f->pt[g * Ag + a];
        }
        if (last) break;
        res = propagate(f, m);
        swap_nu(f);
        gt *= m->gamma;
        ++t;
    }
    for (size_t g = 0; g < Sg; ++g) {
        double w = W[g];
        if (w > 0.0) {
            for (size_t a = 0; a < Ag; ++a) pbar[g * Ag + a] /= w;
        } else {
            marl_alt_flow_action_law(f, pi_g, g, m->mu0, pbar + g * Ag);
        }
    }
    *steps = t;
    *residual = res;
}

double marl_alt_flow_value(marl_alt_flow *f, const marl_alt_model *m,
                           const double *pi_g, size_t s_g0, size_t horizon) {
    const size_t Sg = m->Sg, Sl = m->Sl, Ag = m->Ag;
    for (size_t i = 0; i < Sg * Sl; ++i) f->nu[i] = 0.0;
    for (size_t j = 0; j < Sl; ++j) f->nu[s_g0 * Sl + j] = m->mu0[j];
    double v = 0.0, gt = 1.0;
    for (size_t t = 0; t < horizon; ++t) {
        action_laws(f, m, pi_g, m->mu0);
        double r = 0.0;
        for (size_t g = 0; g < Sg; ++g) {
            double w = 0.0, rl = 0.0, rg = 0.0;
            for (size_t j = 0; j < Sl; ++j) {
                w += f->nu[g * Sl + j];
                rl += f->nu[g * Sl + j] * f->rt[j * Sg + g];
            }
            for (size_t a = 0; a < Ag; ++a)
                rg += f->pt[g * Ag + a] * m->r_g[g * Ag + a];
            r += w * rg + rl;
        }
        v += gt * r;
        gt *= m->gamma;
        if (t + 1 < horizon) {
            propagate(f, m);
            swap_nu(f);
        }
    }
    return v;
}
