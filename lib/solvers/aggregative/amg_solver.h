/*
 * Shared machinery of the aggregative solvers (aggregative-bi,
 * aggregative-statewise, aggregative-vi): options, the grid, the Nash
 * subroutine's workspace and callbacks for one (h, s), the pure output
 * policy. Internal to lib/solvers/aggregative/.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_AGGREGATIVE_H
#define MARL_SOLVERS_AGGREGATIVE_H

#include "metrics/aggregative/amg_metrics.h"
#include "solvers/aggregative/nash/nash.h"
#include "marlgame/solver.h"

/* Option-table entries shared by the three types. */
#define MARL_AMG_OPT_ALPHA                                                  \
    {"alpha", MARL_OPTION_REAL,                                             \
     "grid step of the aggregator grid X_alpha = (alpha Z cap [-W,W])^d",   \
     0, 0, 0, 0.05, 1e-6, HUGE_VAL, NULL, NULL}
#define MARL_AMG_OPT_SLACK                                                  \
    {"br_slack", MARL_OPTION_STRING,                                        \
     "best-approximate slack eta: auto (smallest feasible), seed "          \
     "(2 L_h (alpha + delta)) or a number >= 0",                            \
     0, 0, 0, 0.0, 0.0, 0.0, NULL, "auto"}
#define MARL_AMG_OPT_ROUNDS                                                 \
    {"rounds", MARL_OPTION_INT,                                             \
     "randomised-rounding draws per candidate grid point", 4, 1, 1000000,   \
     0.0, 0.0, 0.0, NULL, NULL}
#define MARL_AMG_OPT_LP                                                     \
    {"lp", MARL_OPTION_ENUM,                                                \
     "LP backend of the Nash subroutine (structured: exact parametric "     \
     "method for d = 1, lp_solve otherwise)",                               \
     1, 0, 0, 0.0, 0.0, 0.0, "lp_solve|structured", NULL}
#define MARL_AMG_OPT_BETA                                                   \
    {"beta", MARL_OPTION_REAL,                                              \
     "failure probability in the reported bound's rounding term E", 0, 0,   \
     0, 0.05, 1e-300, 0x1.fffffffffffffp-1, NULL, NULL}

/* Common configuration and scratch. */
typedef struct marl_amg_solver {
    marl_game *game;
    const marl_amg_data *a;
    double alpha, slack_value, beta;
    int slack_mode; /* 0 auto, 1 seed, 2 fixed number */
    size_t rounds;
    int lp_backend;
    marl_amg_grid grid;
    double gamma_r, gamma_T;
    marl_amg_bound_in bound;
    marl_nash_workspace *ws;
    marl_sampler *sampler; /* the solver's sampler (owned by the solver) */
    marl_rng *rng;         /* its generator */
    size_t *actions;       /* [H * S * n] current pure policy */
    marl_policy *policy;   /* PER_STEP, pure rows after the first step */
    marl_nash_result res;  /* actions [n], x [d] owned here */
    double *w;             /* [U] welfare weights at (h, s), or NULL */
    double *c;             /* [G] continuation welfare, or NULL */
    double *Tg;            /* [G * S] T_h(. | s, grid point) */
    marl_amg_tcache cache; /* T at continuous aggregates */
    double *row;           /* [S] */
    marl_amg_eval eval;    /* exact Nash-gap */
    /* per-run statistics */
    size_t n_lps, infeasible;
    double lp_seconds, max_gain, max_slack;
} marl_amg_solver;

/* Read the options, build the grid, Lipschitz constants, workspace,
 * policy; `name` names the type in messages. */
int marl_amg_solver_init(marl_amg_solver *c, marl_solver *solver,
                         const char *name);
void marl_amg_solver_free(marl_amg_solver *c);

/* Slack eta for a call with Lipschitz constant L (negative = auto). */
double marl_amg_solver_slack(const marl_amg_solver *c, double L);

/* T_h(. | s, x_g) for every grid point into c->Tg. */
int marl_amg_solver_grid_rows(marl_amg_solver *c, size_t h, size_t s);

/* Solve one subroutine call with problem fields filled from c (f of step
 * h, grid, w, c) plus the caller's callbacks; accumulates statistics;
 * stores the profile into c->actions at (h, s). */
int marl_amg_solver_call(marl_amg_solver *c, size_t h, size_t s, double L,
                         int use_welfare, marl_nash_q_grid_fn q_grid,
                         marl_nash_q_fn q_at, void *user);

/* Copy c->actions into c->policy (pure rows). */
int marl_amg_solver_sync_policy(marl_amg_solver *c);

#endif /* MARL_SOLVERS_AGGREGATIVE_H */
