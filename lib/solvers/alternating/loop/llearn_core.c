/*
 * L-LEARN on the mean-field surrogate MDP (see llearn_core.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/loop/llearn_core.h"

#include "core/internal.h"

#include <math.h>

void marl_alt_llearn_free(marl_alt_llearn *w) {
    if (!w) return;
    marl_alt_flow_free(w->flow);
    marl_free(w->pbar);
    marl_free(w->Rg);
    marl_free(w->Kb);
    marl_free(w->V);
    marl_free(w->V2);
    marl_free(w->U);
    marl_free(w->Q);
    marl_free(w);
}

int marl_alt_llearn_new(marl_alt_llearn **out, const marl_alt_model *m,
                        const char *who) {
    *out = NULL;
    marl_alt_llearn *w = marl_calloc(1, sizeof *w);
    if (!w) return marl_error_nomem("the L-LEARN workspace");
    int rc = marl_alt_flow_new(&w->flow, m, who);
    if (rc != MARL_OK) {
        marl_free(w);
        return rc;
    }
    size_t SlSg = m->Sl * m->Sg; /* small: checked by the game builder */
    w->pbar = marl_calloc(m->Sg * m->Ag, sizeof *w->pbar);
    w->Rg = w->pbar ? marl_calloc(m->Sg, sizeof *w->Rg) : NULL;
    w->Kb = w->Rg ? marl_calloc(m->Sg * m->Sg, sizeof *w->Kb) : NULL;
    w->V = w->Kb ? marl_calloc(SlSg, sizeof *w->V) : NULL;
    w->V2 = w->V ? marl_calloc(SlSg, sizeof *w->V2) : NULL;
    w->U = w->V2 ? marl_calloc(SlSg, sizeof *w->U) : NULL;
    w->Q = w->U ? marl_calloc(SlSg * m->Al, sizeof *w->Q) : NULL;
    if (!w->Q) {
        marl_alt_llearn_free(w);
        return marl_error(MARL_ENOMEM,
                          "%s: out of memory while allocating the L-LEARN "
                          "workspace",
                          who);
    }
    *out = w;
    return MARL_OK;
}

/* Q from V (Q[(s_l*S_g+s_g)*A_l+a]); returns nothing. */
static void bellman_q(marl_alt_llearn *w, const marl_alt_model *m,
                      const double *V) {
    const size_t Sg = m->Sg, Sl = m->Sl, Al = m->Al;
    /* U(s_l', s_g) = sum_{s_g'} Kbar(s_g'|s_g) V(s_l', s_g') */
    for (size_t x = 0; x < Sl; ++x)
        for (size_t g = 0; g < Sg; ++g) {
            double s = 0.0;
            for (size_t g2 = 0; g2 < Sg; ++g2)
                s += w->Kb[g * Sg + g2] * V[x * Sg + g2];
            w->U[x * Sg + g] = s;
        }
    for (size_t j = 0; j < Sl; ++j)
        for (size_t g = 0; g < Sg; ++g)
            for (size_t a = 0; a < Al; ++a) {
                size_t ia = (j * Sg + g) * Al + a;
                const double *P = m->P_l + ia * Sl;
                double s = 0.0;
                for (size_t x = 0; x < Sl; ++x) s += P[x] * w->U[x * Sg + g];
                w->Q[ia] = m->r_l[ia] + w->Rg[g] + m->gamma * s;
            }
}

void marl_alt_llearn_run(marl_alt_llearn *w, const marl_alt_model *m,
                         const marl_alt_llearn_opts *o, const double *pi_g,
                         const double *pi_l, double *pi_out,
                         marl_alt_llearn_info *info) {
    const size_t Sg = m->Sg, Sl = m->Sl, Al = m->Al, Ag = m->Ag;
    marl_alt_flow_marginalise(w->flow, m, pi_l);
    marl_alt_flow_surrogate(w->flow, m, pi_g, o->population, o->horizon,
                            o->flow_tol, w->pbar, &info->flow_steps,
                            &info->flow_residual);
    for (size_t g = 0; g < Sg; ++g) {
        double r = 0.0;
        double *K = w->Kb + g * Sg;
        for (size_t x = 0; x < Sg; ++x) K[x] = 0.0;
        for (size_t a = 0; a < Ag; ++a) {
            double p = w->pbar[g * Ag + a];
            r += p * m->r_g[g * Ag + a];
            const double *P = m->P_g + (g * Ag + a) * Sg;
            for (size_t x = 0; x < Sg; ++x) K[x] += p * P[x];
        }
        w->Rg[g] = r;
    }
    for (size_t i = 0; i < Sl * Sg; ++i) w->V[i] = 0.0;
    size_t sweeps = 0;
    double res = HUGE_VAL;
    while (sweeps < o->max_sweeps) {
        bellman_q(w, m, w->V);
        res = 0.0;
        for (size_t i = 0; i < Sl * Sg; ++i) {
            double b = w->Q[i * Al];
            for (size_t a = 1; a < Al; ++a)
                if (w->Q[i * Al + a] > b) b = w->Q[i * Al + a];
            double d = fabs(b - w->V[i]);
            if (d > res) res = d;
            w->V2[i] = b;
        }
        double *t = w->V;
        w->V = w->V2;
        w->V2 = t;
        ++sweeps;
        if (res <= o->tol) break;
    }
    bellman_q(w, m, w->V); /* Q of the final V, for the output policy */
    for (size_t i = 0; i < Sl * Sg; ++i) {
        const double *q = w->Q + i * Al;
        double *p = pi_out + i * Al;
        size_t best = 0;
        for (size_t a = 1; a < Al; ++a)
            if (q[a] > q[best]) best = a;
        if (o->temperature <= 0.0) {
            for (size_t a = 0; a < Al; ++a) p[a] = a == best ? 1.0 : 0.0;
        } else {
            double z = 0.0;
            for (size_t a = 0; a < Al; ++a) {
                p[a] = exp((q[a] - q[best]) / o->temperature);
                z += p[a];
            }
            for (size_t a = 0; a < Al; ++a) p[a] /= z;
        }
    }
    double v = 0.0;
    for (size_t j = 0; j < Sl; ++j)
        for (size_t g = 0; g < Sg; ++g)
            v += m->rho_g[g] * m->mu0[j] * w->V[j * Sg + g];
    info->sweeps = sweeps;
    info->residual = sweeps ? res : NAN;
    info->value = v;
}
