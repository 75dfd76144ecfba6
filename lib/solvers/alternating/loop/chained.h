/*
 * `llearn = chained` (ALGORITHMS.md §4 `alternating-llearn`; seed 004
 * App. C.3, Algorithm 21 "k-chained MDP", and §3.2 "Offline Learning
 * (II)"): the seed's chained MDP with k local replicas, built exactly from
 * the model, and the local best response pi_l(a|s_l,s_g) computed exactly
 * on it. See docs/alternating.md, "The chained MDP (`llearn=chained`)".
 * Not installed.
 *
 * Chained states (stage i = 0..k-1 is the seed's stage i+1; replica i is
 * active at stage i; tuple t = sum_i s_i S_l^i, T = S_l^k tuples):
 *   stage 0:        (t, s_g)            index t * S_g + s_g
 *   stage i >= 1:   (t, s_g, s_g^+)     index T S_g + ((i-1) T + t) S_g^2
 *                                              + s_g S_g + s_g^+
 *   N = T S_g (1 + (k-1) S_g) states.
 * Action a (of the active replica i, state s = s_i):
 *   reward  [i = 0] Rc(s_g, c(t)) + r_l(s, s_g, a) / k, where
 *           Rc(s_g, c) = sum_ag pi_g(ag|s_g,c) r_g(s_g,ag);
 *   next    replica i moves to s' ~ P_l(.|s, s_g, a), the others stay;
 *           stage 0 also draws s_g^+ ~ Kc(.|s_g, c(t)) = sum_ag
 *           pi_g(ag|s_g,c) P_g(.|s_g,ag) (before any replica moves:
 *           c is the count vector of the replica tuple at stage 0);
 *           stage i < k-1 -> stage i+1 (discount 1); stage k-1 -> stage 0
 *           with s_g <- s_g^+ (discount gamma; k = 1: from stage 0 directly).
 * Initial law: s_g ~ rho_g, the k replicas i.i.d. from rho_l, or (Dirichlet
 * initial law) the Polya law of k draws: prod_j conc_j^(c_j rising) /
 * (sum conc)^(k rising).
 *
 * The best response: every replica plays the same pi_l(a|s_i, s_g) (the
 * seed's policy class, App. C.3); J(pi_l) = value at the initial law. The
 * solver enumerates the A_l^(S_l S_g) deterministic local policies, each
 * evaluated exactly (LU solve of the N x N policy-evaluation system), and
 * keeps the first maximiser in odometer order (row 0 fastest) whose value
 * exceeds the best so far by more than 1e-12 max(1, |best|). With a
 * temperature tau > 0 the output row o is softmax(Jdev(o, .) / tau), where
 * Jdev(o, a) = J of the optimum with row o switched to a. The unconstrained
 * optimum of the chained MDP (a policy of the whole chained state) is
 * computed by exact policy iteration from the class optimum
 * (marl_alt_chain_bound): an upper bound (equal for k = 1).
 *
 * Limits: N <= MARL_ALT_CHAIN_MAX_STATES and
 * (A_l^(S_l S_g) + S_l S_g A_l + 1) N^3 <= MARL_ALT_CHAIN_MAX_WORK, else
 * MARL_ERANGE.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_ALT_CHAINED_H
#define MARL_ALT_CHAINED_H

#include "solvers/alternating/loop/meanfield_flow.h"

#define MARL_ALT_CHAIN_MAX_STATES ((size_t)1024)
#define MARL_ALT_CHAIN_MAX_WORK ((size_t)1 << 34)

typedef struct marl_alt_chain {
    size_t Sg, Ag, Sl, Al, k, C;
    size_t T;        /* S_l^k ordered replica tuples */
    size_t N;        /* chained states */
    size_t R;        /* S_l S_g local policy rows */
    size_t D;        /* A_l^R deterministic local policies */
    double gamma;
    const double *P_g, *r_g, *P_l, *r_l;
    size_t *rank;    /* [T] count-vector rank of each tuple */
    double *init;    /* [T * S_g] initial law of the stage-0 states */
    double *Kc;      /* [S_g * C * S_g] global kernel given (s_g, c) */
    double *Rc;      /* [S_g * C] expected global reward given (s_g, c) */
    double *A;       /* [N * N] evaluation matrix (LU in place) */
    double *V;       /* [N] */
    int *ipiv;       /* [N] */
    size_t *odo;     /* [R] odometer / deterministic policy */
    size_t *best;    /* [R] best deterministic policy */
    size_t *full;    /* [N] policy of the whole chained state */
    double *pol;     /* [R * A_l] a local policy */
    size_t *cnt;     /* [S_l] */
    size_t *nx;      /* [S_l * S_g] transition scratch */
    double *px;      /* [S_l * S_g] */
} marl_alt_chain;

typedef struct marl_alt_chain_info {
    double value;    /* J of the output's greedy part (class optimum) */
    size_t policies; /* deterministic local policies evaluated */
} marl_alt_chain_info;

/* Allocate for model m (k, sizes, tables) and the initial local law:
 * conc (Dirichlet, may be NULL) else m->mu0 i.i.d. MARL_ERANGE (naming
 * `who`, k, the state count and the limit) beyond the limits. */
int marl_alt_chain_new(marl_alt_chain **out, const marl_alt_model *m,
                       const double *conc, const char *who);
void marl_alt_chain_free(marl_alt_chain *w);

/* Fill Kc, Rc from pi_g[(s_g * C + rank) * A_g + a_g]. */
void marl_alt_chain_prepare(marl_alt_chain *w, const double *pi_g);

/* Transitions of chained state x under action a (requires prepare):
 * up to S_l S_g pairs (next[], prob[]) with prob > 0 (ordered by s' then
 * s_g^+), their count returned; *reward and *discount of the step. */
size_t marl_alt_chain_transitions(const marl_alt_chain *w, size_t x,
                                  size_t a, size_t *next, double *prob,
                                  double *reward, double *discount);

/* Exact values V[N] of the local policy pol[R * A_l] (every replica plays
 * it) into w->V; returns J = sum init * V(stage 0), or NAN if the LU
 * solve failed (cannot happen for gamma < 1). Requires prepare. */
double marl_alt_chain_evaluate(marl_alt_chain *w, const double *pol);

/* The best response to pi_g (see the header comment) into
 * pi_out[R * A_l]. */
void marl_alt_chain_solve(marl_alt_chain *w, const double *pi_g,
                          double temperature, double *pi_out,
                          marl_alt_chain_info *info);

/* After marl_alt_chain_solve: the optimum at the initial law of the
 * unconstrained chained MDP (policies of the whole chained state), by
 * exact policy iteration started from the class optimum; *iters = its
 * sweeps. An upper bound on info.value, equal for k = 1. Not used by the
 * solvers (documentation and tests). */
double marl_alt_chain_bound(marl_alt_chain *w, size_t *iters);

#endif /* MARL_ALT_CHAINED_H */
