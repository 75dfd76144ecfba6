/*
 * Shared state of the exact MFG solvers (exact_common.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/meanfield/exact/exact_common.h"

#include <stdio.h>
#include <string.h>

void marl_mfgx_free(marl_mfgx *c) {
    if (!c) return;
    marl_mfg_ws_free(c->ws);
    marl_policy_free(c->pol);
    marl_free(c->pi);
    marl_free(c->next);
    memset(c, 0, sizeof *c);
}

int marl_mfgx_init(marl_mfgx *c, marl_solver *solver, const char *name) {
    memset(c, 0, sizeof *c);
    c->name = name;
    c->game = marl_solver_game(solver);
    int rc = marl_mfg_ws_new(&c->ws, c->game, name);
    if (rc) return rc;
    c->n = c->ws->H * c->ws->SA;
    c->pi = marl_calloc(c->n, sizeof *c->pi);
    c->next = marl_calloc(c->n, sizeof *c->next);
    if (!c->pi || !c->next) rc = marl_error_nomem("the policy table");
    if (!rc)
        rc = marl_policy_new(&c->pol, c->game,
                             MARL_POLICY_SHARED | MARL_POLICY_PER_STEP);
    const marl_policy *init = marl_solver_initial_policy(solver);
    if (!rc && init) {
        rc = marl_mfg_check_policy(c->game, init, name);
        if (rc) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", marl_last_error());
            marl_error(rc, "%s: the initial policy must be a SHARED PER_STEP "
                       "policy of the game (%s)", name, msg);
        }
    }
    if (rc) {
        marl_mfgx_free(c);
        return rc;
    }
    if (init) {
        marl_mfg_load_policy(c->ws, init, c->pi);
        marl_mfg_store_policy(c->ws, c->pi, c->pol);
    } else {
        marl_mfg_load_policy(c->ws, c->pol, c->pi); /* uniform */
    }
    return MARL_OK;
}

/* Flow, Q and optimal Q of pi in the workspace. */
static int evaluate(marl_mfgx *c, const double *pi) {
    marl_mfg_ws *ws = c->ws;
    int rc = marl_mfg_flow_ws(ws, c->name, pi, ws->L);
    if (rc) return rc;
    marl_mfg_q_ws(ws, pi, 0.0, ws->Q);
    marl_mfg_qopt_ws(ws, ws->Qo);
    return MARL_OK;
}

int marl_mfgx_evaluate(marl_mfgx *c) {
    if (c->cached) return MARL_OK;
    int rc = evaluate(c, c->pi);
    if (!rc) c->cached = 1;
    return rc;
}

int marl_mfgx_finish_step(marl_mfgx *c, double *metrics) {
    c->cached = 0;
    int rc = evaluate(c, c->next);
    if (rc) return rc;
    double *tp = c->pi;
    c->pi = c->next;
    c->next = tp;
    c->cached = 1;
    c->t++;
    marl_mfg_store_policy(c->ws, c->pi, c->pol);
    metrics[0] = marl_mfg_optvalue0(c->ws, c->ws->Qo) -
                 marl_mfg_value0(c->ws, c->pi, c->ws->Q);
    return MARL_OK;
}
