/*
 * Exact evaluation on the induced MFG with the flow frozen (tables in the
 * workspace): the entropy-regularised Q of a policy (seed 001 Def. 9; the
 * entropy of step h is inside Q_h), the optimal Q (backward induction),
 * values from rho0 and the MFG exploitability
 *   E(pi) = sum_s rho0(s) max_a Q*_0(s,a) - sum_s rho0(s) sum_a pi_0 Q^pi_0,
 * the definition of MFGLib's exploitability_score.
 * SPDX-License-Identifier: MIT
 */
#include "metrics/population/mfg_impl.h"

#include <math.h>

double marl_mfg_entropy(const double *u, size_t n) {
    double e = 0.0;
    for (size_t k = 0; k < n; ++k)
        if (u[k] > 0.0) e -= u[k] * log(u[k]);
    return e;
}

void marl_mfg_q_ws(marl_mfg_ws *ws, const double *pi, double tau, double *Q) {
    const size_t S = ws->S, A = ws->A, SA = ws->SA, H = ws->H;
    double *v = ws->v;
    for (size_t hh = H; hh-- > 0;) {
        const double *R = ws->R + hh * SA;
        double *Qh = Q + hh * SA;
        const int last = hh + 1 == H;
        if (!last) {
            /* v(s') = sum_a' pi_{h+1}(a'|s') Q_{h+1}(s', a') */
            const double *pn = pi + (hh + 1) * SA, *Qn = Q + (hh + 1) * SA;
            for (size_t s = 0; s < S; ++s) {
                double x = 0.0;
                for (size_t a = 0; a < A; ++a) x += pn[s * A + a] * Qn[s * A + a];
                v[s] = x;
            }
        }
        const double *P = ws->P + hh * SA * S;
        for (size_t s = 0; s < S; ++s) {
            const double ent =
                tau > 0.0 ? tau * marl_mfg_entropy(pi + hh * SA + s * A, A)
                          : 0.0;
            for (size_t a = 0; a < A; ++a) {
                const size_t k = s * A + a;
                double x = R[k] + ent;
                if (!last) {
                    const double *row = P + k * S;
                    double f = 0.0;
                    for (size_t t = 0; t < S; ++t) f += row[t] * v[t];
                    x += f;
                }
                Qh[k] = x;
            }
        }
    }
}

void marl_mfg_qopt_ws(marl_mfg_ws *ws, double *Q) {
    const size_t S = ws->S, A = ws->A, SA = ws->SA, H = ws->H;
    double *v = ws->v;
    for (size_t hh = H; hh-- > 0;) {
        const double *R = ws->R + hh * SA;
        double *Qh = Q + hh * SA;
        const int last = hh + 1 == H;
        if (!last) {
            const double *Qn = Q + (hh + 1) * SA;
            for (size_t s = 0; s < S; ++s) {
                double m = Qn[s * A];
                for (size_t a = 1; a < A; ++a)
                    if (Qn[s * A + a] > m) m = Qn[s * A + a];
                v[s] = m;
            }
        }
        const double *P = ws->P + hh * SA * S;
        for (size_t k = 0; k < SA; ++k) {
            double x = R[k];
            if (!last) {
                const double *row = P + k * S;
                double f = 0.0;
                for (size_t t = 0; t < S; ++t) f += row[t] * v[t];
                x += f;
            }
            Qh[k] = x;
        }
    }
}

double marl_mfg_value0(const marl_mfg_ws *ws, const double *pi,
                       const double *Q) {
    const size_t S = ws->S, A = ws->A;
    double v = 0.0;
    for (size_t s = 0; s < S; ++s) {
        double x = 0.0;
        for (size_t a = 0; a < A; ++a) x += pi[s * A + a] * Q[s * A + a];
        v += ws->d->rho0[s] * x;
    }
    return v;
}

double marl_mfg_optvalue0(const marl_mfg_ws *ws, const double *Q) {
    const size_t S = ws->S, A = ws->A;
    double v = 0.0;
    for (size_t s = 0; s < S; ++s) {
        double m = Q[s * A];
        for (size_t a = 1; a < A; ++a)
            if (Q[s * A + a] > m) m = Q[s * A + a];
        v += ws->d->rho0[s] * m;
    }
    return v;
}

int marl_mfg_exploitability_ws(marl_mfg_ws *ws, const char *fn,
                               const double *pi, double *expl) {
    int rc = marl_mfg_flow_ws(ws, fn, pi, ws->L);
    if (rc) return rc;
    marl_mfg_q_ws(ws, pi, 0.0, ws->Q);
    marl_mfg_qopt_ws(ws, ws->Qo);
    *expl = marl_mfg_optvalue0(ws, ws->Qo) - marl_mfg_value0(ws, pi, ws->Q);
    return MARL_OK;
}
