/*
 * Shared state of the exact MFG solvers (mfg-omd, mfg-fictitious-play):
 * the game, the exact workspace (lib/metrics/population/mfg_impl.h), the
 * current policy as a dense table and as a marl_policy. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_MEANFIELD_EXACT_COMMON_H
#define MARL_SOLVERS_MEANFIELD_EXACT_COMMON_H

#include "metrics/population/mfg_impl.h"
#include "marlgame/solver.h"

typedef struct marl_mfgx {
    const char *name;
    marl_game *game;   /* the solver's game (not owned) */
    marl_mfg_ws *ws;   /* exact workspace */
    marl_policy *pol;  /* current policy (direct, SHARED | PER_STEP) */
    double *pi;        /* [H*SA] current policy probabilities */
    double *next;      /* [H*SA] the update being computed */
    size_t n;          /* H * S * A */
    size_t t;          /* iterations done */
    /* after marl_mfgx_metrics: ws->L is the flow of pi, ws->Q its Q, ws->Qo
     * the optimal Q under ws->L, and the tables are at ws->L */
    int cached;
} marl_mfgx;

/* Initialise from the solver (initial policy if set, else uniform). On
 * error everything allocated is released. */
int marl_mfgx_init(marl_mfgx *c, marl_solver *solver, const char *name);
void marl_mfgx_free(marl_mfgx *c);
/* Make the flow of c->pi, its Q (tau = 0) and the optimal Q current in the
 * workspace (no work if cached). */
int marl_mfgx_evaluate(marl_mfgx *c);
/* After an update written into c->next: evaluate it; on success it becomes
 * the current policy (c->pi, c->pol; t advances) and its exploitability
 * goes to metrics[0]; on error nothing changes but the cache. */
int marl_mfgx_finish_step(marl_mfgx *c, double *metrics);

#endif /* MARL_SOLVERS_MEANFIELD_EXACT_COMMON_H */
