/*
 * The raw-table model of meanfield_flow.h for a global-local game and k.
 * The initial local law mu0 is rho_l, or, with a Dirichlet initial law,
 * its mean conc / sum(conc) (the law of one agent's initial state).
 * Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_ALT_MODEL_H
#define MARL_ALT_MODEL_H

#include "game/global_local/gl_impl.h"
#include "solvers/alternating/loop/meanfield_flow.h"

/* mu0 must have room for d->Sl doubles and outlive m. */
static inline void marl_alt_model_of(marl_alt_model *m, const marl_gl_data *d,
                                     double gamma, size_t k, size_t C,
                                     double *mu0) {
    if (d->conc) {
        double s = 0.0;
        for (size_t j = 0; j < d->Sl; ++j) s += d->conc[j];
        for (size_t j = 0; j < d->Sl; ++j) mu0[j] = d->conc[j] / s;
    } else {
        for (size_t j = 0; j < d->Sl; ++j) mu0[j] = d->rho_l[j];
    }
    m->Sg = d->Sg;
    m->Ag = d->Ag;
    m->Sl = d->Sl;
    m->Al = d->Al;
    m->k = k;
    m->C = C;
    m->gamma = gamma;
    m->P_g = d->Pg;
    m->r_g = d->rg;
    m->P_l = d->Pl;
    m->r_l = d->rl;
    m->rho_g = d->rho_g;
    m->mu0 = mu0;
}

#endif /* MARL_ALT_MODEL_H */
