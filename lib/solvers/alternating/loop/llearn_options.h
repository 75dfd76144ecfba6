/*
 * The L-LEARN options, shared by alternating-llearn (its own names) and
 * alternating-marl (which passes them through). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_ALT_LLEARN_OPTIONS_H
#define MARL_ALT_LLEARN_OPTIONS_H

#include "marlgame/options.h"

#include <math.h>

#define MARL_ALT_OPT_POPULATION(name)                                        \
    {name, MARL_OPTION_ENUM,                                                 \
     "law of the other agents' local states: flow (mean-field flow from "   \
     "the initial law, discounted occupancy average) or stationary",        \
     0, 0, 0, 0, 0, 0, "flow|stationary", NULL}
#define MARL_ALT_OPT_FLOW_HORIZON(name)                                      \
    {name, MARL_OPTION_INT,                                                  \
     "maximum number of mean-field flow steps (the tail is stationary)",    \
     1000, 0, 100000000, 0, 0, 0, NULL, NULL}
#define MARL_ALT_OPT_FLOW_TOL(name)                                          \
    {name, MARL_OPTION_REAL,                                                 \
     "stop the flow when ||nu_t - nu_{t-1}||_1 <= flow_tol", 0, 0, 0,       \
     1e-12, 0.0, HUGE_VAL, NULL, NULL}
#define MARL_ALT_OPT_VI_TOL(name)                                            \
    {name, MARL_OPTION_REAL,                                                 \
     "value iteration on the surrogate MDP: stop when ||Delta V||_inf <= "  \
     "tol", 0, 0, 0, 1e-10, 0.0, HUGE_VAL, NULL, NULL}
#define MARL_ALT_OPT_VI_SWEEPS(name)                                         \
    {name, MARL_OPTION_INT,                                                  \
     "value iteration on the surrogate MDP: maximum sweeps", 100000, 1,     \
     1000000000, 0, 0, 0, NULL, NULL}
#define MARL_ALT_OPT_TEMPERATURE(name)                                       \
    {name, MARL_OPTION_REAL,                                                 \
     "output softmax(Q / temperature); 0 = greedy (ties: lowest action)",   \
     0, 0, 0, 0.0, 0.0, HUGE_VAL, NULL, NULL}

#define MARL_ALT_OPT_LLEARN(name)                                            \
    {name, MARL_OPTION_ENUM,                                                 \
     "L-LEARN method: meanfield (surrogate MDP of one representative "      \
     "agent) or chained (the seed's k-replica chained MDP, exact; small "   \
     "games only)",                                                         \
     0, 0, 0, 0, 0, 0, "meanfield|chained", NULL}
/* Values of the option above. */
enum { MARL_ALT_LLEARN_MEANFIELD = 0, MARL_ALT_LLEARN_CHAINED = 1 };

#endif /* MARL_ALT_LLEARN_OPTIONS_H */
