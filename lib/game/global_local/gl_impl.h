/*
 * Internal data of the global-local kind (global_local.h). Not installed.
 * Other layers (policy, sampler, the alternating solvers) read it through
 * marl_gl_of. Table layouts are those of global_local.h.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_GAME_GL_IMPL_H
#define MARL_GAME_GL_IMPL_H

#include "game/game_impl.h"
#include "marlgame/global_local.h"

/* Upper bound on the entries of any one table (and of a policy's global
 * table): 2^28 doubles (2 GiB). */
#define MARL_GL_MAX_ENTRIES ((size_t)1 << 28)

typedef struct marl_gl_data {
    size_t n;          /* local agents */
    size_t Sg, Ag, Sl, Al;
    double *Pg;        /* [(s_g * Ag + a_g) * Sg + s_g'] */
    double *rg;        /* [s_g * Ag + a_g] */
    double *Pl;        /* [((s_l * Sg + s_g) * Al + a_l) * Sl + s_l'] */
    double *rl;        /* [(s_l * Sg + s_g) * Al + a_l] */
    double *rho_g;     /* [Sg] */
    double *rho_l;     /* [Sl]: i.i.d. initial law (NULL when Dirichlet) */
    double *conc;      /* [Sl]: Dirichlet concentrations, or NULL */
} marl_gl_data;

static inline const marl_gl_data *marl_gl_of(const marl_game *g) {
    return (g && g->kind == MARL_GAME_GLOBAL_LOCAL)
               ? (const marl_gl_data *)g->impl
               : NULL;
}

/* MARL_OK if g is a non-NULL global-local game; else MARL_EINVAL (NULL) or
 * MARL_EKIND, with `fn` naming the caller. */
int marl_gl_require(const marl_game *g, const char *fn);

#endif /* MARL_GAME_GL_IMPL_H */
