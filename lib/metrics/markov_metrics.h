/*
 * Internal machinery of the exact Markov-game metrics (metrics.h): one
 * evaluation context per public call, holding the dimensions and ONE
 * workspace allocation. Not installed.
 *
 *   markov_eval.c     context, workspace, policy evaluation (V, Phi, Q,
 *                     Qbar, visitation, welfare, potential)
 *   markov_br.c       induced MDPs, policy iteration, best response,
 *                     Nash-gap, optimal team welfare, price of anarchy
 *   markov_factored.c the product-structure paths of factored games
 *   markov_counts.c   the count-vector paths of count-based games
 *   markov_alloc.c    the workspace (one block per context)
 *   markov_ctx.c      marl_markov_ctx: the reusable context of the
 *                     iterative solvers (one LU per evaluation for V,
 *                     Qbar/Abar and the visitation)
 *
 * Per-state products of a product policy (no division by pi_i, so zero
 * probabilities are exact): with q_k = pi_k(.|s),
 *   pre_k[p]  = prod_{m<k} q_m(a_m)   over the prefix index p of agents < k
 *               (size prod_{m<k} A_m; pre_N is the joint distribution pi(.|s))
 *   suf_k[q]  = prod_{m>k} q_m(a_m)   over the suffix index q of agents > k
 *               (size stride[k])
 * so that, for j = (p * A_i + a_i) * stride[i] + q,
 *   pi(j|s) = pre_N[j]  and  pi_-i(a_-i|s) = pre_i[p] * suf_i[q].
 *
 * Induced MDPs (best responses) use suffix contractions of the transition
 * block P_s[j][s'] of a state: Suf_N = P_s and
 *   Suf_k[p][.] = sum_{a_k} q_k(a_k) Suf_{k+1}[p * A_k + a_k][.]
 * (prelen[k] rows of S), so Suf_0 = P_pi(.|s) and
 *   P_i(.|s,a_i) = sum_p pre_i[p] Suf_{i+1}[p * A_i + a_i][.].
 * All agents' induced transitions then cost about 4 J S per state instead
 * of N J S (binary actions), and P_pi comes for free.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_METRICS_MARKOV_METRICS_H
#define MARL_METRICS_MARKOV_METRICS_H

#include "core/internal.h"
#include "game/game_impl.h"
#include "marlgame/metrics.h"
#include "policy/policy_impl.h"

/* Workspace requests (bit mask for marl_mk_alloc). */
enum {
    MARL_MK_EVAL = 1u << 0, /* probs, pre/suf, M (S x S), ipiv, V (N*S)      */
    MARL_MK_PHI = 1u << 1,  /* one more right-hand side: Phi (S)             */
    MARL_MK_QS = 1u << 2,   /* per-state Q block (J x N)                     */
    MARL_MK_BR = 1u << 3,   /* induced MDP of one agent, policy iteration    */
    MARL_MK_TEAM = 1u << 4, /* team MDP over joint actions                    */
    MARL_MK_BR_ALL = 1u << 5 /* induced MDPs of every agent (with MARL_MK_BR) */
};

/* Up to this many states, per-state Q blocks of dense games are formed by
 * a direct loop instead of a dgemm (measured: 2 states x 65536 joint
 * actions, the dgemm with OpenBLAS threads was 2-3x slower). */
#define MARL_MK_SMALL_S 8

/* Tolerance of policy improvement: switch only when the gain exceeds
 * MARL_MK_PI_TOL * (1 + |Q|). */
#define MARL_MK_PI_TOL 1e-12
/* Safety bound on policy-iteration sweeps (strict improvement makes PI
 * terminate long before; reaching it is MARL_ENOTCONV). */
#define MARL_MK_PI_MAX_ITER 100000

typedef struct marl_mk {
    const marl_game *game;
    const marl_markov_data *md;
    size_t N, S, J, sumA, Amax;
    const size_t *A;      /* [N] */
    const size_t *stride; /* [N] */
    double gamma;
    size_t aoff[MARL_MARKOV_MAX_AGENTS + 1];   /* agent blocks in sum_i A_i */
    size_t prelen[MARL_MARKOV_MAX_AGENTS + 1]; /* prod_{m<k} A_m            */
    size_t preoff[MARL_MARKOV_MAX_AGENTS + 1]; /* start of pre_k in pre     */
    size_t sufoff[MARL_MARKOV_MAX_AGENTS];     /* start of suf_k in suf     */
    size_t presz, sufsz;
    size_t choff[MARL_MARKOV_MAX_AGENTS + 1]; /* row of Suf_k in chain     */
    int ind_all; /* Pi/ri hold every agent's block (BR_ALL)      */
    /* factored games (markov_factored.c) */
    int factored;
    const size_t *L;                          /* [N] local state counts   */
    size_t sumL;
    size_t lboff[MARL_MARKOV_MAX_AGENTS + 1]; /* sum_{m<k} L_m            */
    size_t plen[MARL_MARKOV_MAX_AGENTS + 1];  /* prod_{m<k} L_m           */
    size_t tmax; /* largest contraction tensor max_k plen[k] prod_{m>=k} A_m */
    /* count-based games (markov_counts.c) */
    const marl_markov_counts *cnt;            /* NULL otherwise          */
    size_t C, C1;   /* count vectors of N and of N - 1 agents            */
    size_t cpoff[MARL_MARKOV_MAX_AGENTS + 2]; /* level k of cpre         */

    /* ---- workspace (one block) ---- */
    void *block;
    double *probs; /* [S * sumA]: pi_i(a_i|s) at s*sumA + aoff[i] + a_i  */
    double *pre;   /* [presz] per-state prefix products                  */
    double *suf;   /* [sufsz] per-state suffix products                  */
    double *M;     /* [S*S] I - gamma P_pi, then its LU factors           */
    int *ipiv;     /* [S]                                                */
    double *V;     /* [(N + phi) * S]: r_pi then V (and phi_pi then Phi)  */
    double *Qs;    /* [J * N]: Q_i(s, j) of one state at i*J + j          */
    double *chain; /* [(presz - J) * S] suffix contractions of one state  */
    double *Pi;    /* [S * Amax * S] (or S * sumA * S with BR_ALL) induced
                      transitions [S][A_i][S] of one agent (of each agent,
                      agent i's block at S * aoff[i] * S)                 */
    double *ri;    /* [S * Amax] (or S * sumA) induced rewards [S][A_i]    */
    double *Qi;    /* [S * max(Amax, J if TEAM)] improvement Q            */
    double *Mb;    /* [S*S] matrix of policy iteration                    */
    int *ipivb;    /* [S]                                                */
    double *Vb;    /* [S] value of the current deterministic policy       */
    size_t *pol;   /* [S] current deterministic policy                    */
    double *Rt;    /* [S * J] team reward sum_i r_i                       */
    double *Pbar;  /* factored: [S * sumL] Pbar_k(.|s) at s*sumL + lboff[k] */
    double *row;   /* factored: [S] scratch row                          */
    double *ctr;   /* factored, QS or TEAM: [2 * tmax] contraction tensors */
    double *rbar;  /* factored with QS: [S * sumA] averaged rewards
                      sum_{a_-i} pi_-i r_i(s, a) of the loaded policy, filled
                      by marl_mk_evaluate (same pass over R as r_pi) */
    int rbar_ok;   /* rbar holds the loaded policy's values */
    /* count-based games (rbar above is [S * sumA] with EVAL as well) */
    double *cpre;  /* EVAL: [cpoff[N+1]] prefix count distributions F_k of
                      agents < k at the current state, level k at cpoff[k] */
    double *cdp;   /* EVAL: [2 * C] dynamic-programme buffers             */
    double *cdist; /* EVAL: [S * C1 * N] D_-i(m|s) at (s * C1 + m) * N + i */
    double *cw;    /* QS: [C * N] sum_s' P(s'|s,n_r) W_i(s') at r * N + i */
    size_t *cvec;  /* TEAM: [A] one count vector                         */
} marl_mk;

/* y += w * x over n entries (unrolled so that -O2 vectorises it). */
static inline void marl_mk_axpy(size_t n, double w, const double *restrict x,
                                double *restrict y) {
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        y[k] += w * x[k];
        y[k + 1] += w * x[k + 1];
        y[k + 2] += w * x[k + 2];
        y[k + 3] += w * x[k + 3];
    }
    for (; k < n; ++k)
        y[k] += w * x[k];
}

/* sum_k x[k] y[k] with four partial sums (k mod 4), added as
 * (s0 + s1) + (s2 + s3): a fixed order, so results are reproducible, and
 * four independent chains instead of one latency-bound chain (measured:
 * the single chain made these dots most of an exact evaluation). */
static inline double marl_mk_dot(size_t n, const double *restrict x,
                                 const double *restrict y) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += x[k] * y[k];
        s1 += x[k + 1] * y[k + 1];
        s2 += x[k + 2] * y[k + 2];
        s3 += x[k + 3] * y[k + 3];
    }
    for (; k < n; ++k)
        s0 += x[k] * y[k];
    return (s0 + s1) + (s2 + s3);
}

/* Validate game (non-NULL Markov, else MARL_EINVAL / MARL_EKIND) and, when
 * policy is not NULL, the policy (stationary, same game or identical
 * dimensions; MARL_EINVAL otherwise). Fills dimensions; no allocation. `fn`
 * names the public function in messages. */
int marl_mk_init(marl_mk *mk, const marl_game *game, const marl_policy *policy,
                 const char *fn);
/* The policy checks of marl_mk_init (stationary, same game or identical
 * dimensions). */
int marl_mk_check_policy(const marl_mk *mk, const marl_policy *policy,
                         const char *fn);
/* Common prologue: validate game and policy (policy NULL is MARL_EINVAL),
 * allocate MARL_MK_EVAL | need (| MARL_MK_PHI when with_phi, which needs a
 * game with a potential), load the policy and evaluate it (with the induced
 * MDPs of the agents in `induced`). On success the
 * caller owns the workspace (marl_mk_release); on failure nothing is held. */
int marl_mk_eval_policy(marl_mk *mk, const marl_game *game,
                        const marl_policy *policy, unsigned need, int with_phi,
                        uint64_t induced, const char *fn);
/* Allocate the workspace for the requests in `need` (one block). */
int marl_mk_alloc(marl_mk *mk, unsigned need, const char *fn);
/* Release the workspace (NULL-safe on fields). */
void marl_mk_release(marl_mk *mk);

/* Copy the policy's probabilities into mk->probs. */
void marl_mk_load_policy(marl_mk *mk, const marl_policy *policy);
/* Fill mk->pre and mk->suf for state s from mk->probs. */
void marl_mk_state_products(marl_mk *mk, size_t s);
/* Joint distribution pi(.|s) after marl_mk_state_products. */
static inline const double *marl_mk_joint(const marl_mk *mk) {
    return mk->pre + mk->preoff[mk->N];
}

/* Evaluate the loaded policy: M = LU of I - gamma P_pi, V[i*S+s] for every
 * agent, and Phi at V + N*S when with_phi (the game must have phi). Agents
 * whose bit is set in `induced` also get their induced MDP (needs
 * MARL_MK_BR, and MARL_MK_BR_ALL for more than one agent). */
int marl_mk_evaluate(marl_mk *mk, int with_phi, uint64_t induced,
                     const char *fn);
/* Induced transitions [S][A_i][S] and rewards [S][A_i] of agent i. */
static inline double *marl_mk_induced_P(const marl_mk *mk, size_t i) {
    return mk->Pi + (mk->ind_all ? mk->S * mk->aoff[i] * mk->S : 0);
}
static inline double *marl_mk_induced_r(const marl_mk *mk, size_t i) {
    return mk->ri + (mk->ind_all ? mk->S * mk->aoff[i] : 0);
}

/* sum_s mu(s) x(s). */
double marl_mk_dot_mu(const marl_mk *mk, const double *x);

/* Qbar_i(s,a_i) (and Abar = Qbar - V_i(s) when Abar is not NULL) against
 * the continuation W[N*S] for the policy loaded in mk (needs EVAL | QS; on
 * factored games mk->Pbar must hold every state, as after
 * marl_mk_evaluate): Qbar_i(s,a_i) = sum_{a_-i} pi_-i(a_-i|s) [r_i(s,a) +
 * gamma sum_s' P(s'|s,a) W_i(s')]. Tables in the metrics.h layout. */
int marl_mk_averaged_from(marl_mk *mk, const double *W, double *Qbar,
                          double *Abar);
/* MARL_EINVAL naming the entry if W[N*S] has a non-finite value. */
int marl_mk_check_continuation(const marl_mk *mk, const double *W,
                               const char *fn);
/* Load a (checked) policy into an allocated workspace (EVAL | QS) and
 * compute marl_mk_averaged_from against W, without factorising. */
int marl_mk_averaged_from_policy(marl_mk *mk, const marl_policy *policy,
                                 const double *W, double *Qbar);

/* ---- reusable evaluation context (markov_ctx.c) -------------------------
 *
 * For iterative solvers: allocated once for a game (every buffer for it),
 * then each marl_markov_ctx_eval makes ONE LU factorisation of
 * I - gamma P_pi and derives V (N right-hand sides), the averaged Q /
 * advantages (one pass) and the discounted visitation d (a transposed
 * solve with the same factors), without allocating. The results are
 * bit-identical to marl_markov_averaged_q / marl_markov_visitation (the
 * same internal code). Not MARL_API. */
typedef struct marl_markov_ctx {
    marl_mk mk; /* workspace EVAL | QS for the game */
} marl_markov_ctx;

/* New context for `game` (MARL_EINVAL if NULL, MARL_EKIND if not Markov,
 * MARL_ENOMEM); `fn` names the caller in messages. The game must outlive
 * the context. */
int marl_markov_ctx_new(marl_markov_ctx **out, const marl_game *game,
                        const char *fn);
void marl_markov_ctx_free(marl_markov_ctx *ctx);
/* Evaluate a stationary policy of the context's game (checked as by the
 * public metrics). Any of Qbar, Abar (S * sum_i A_i tables), V ([N*S]) and
 * d ([S], unnormalised visitation from mu) may be NULL. On failure the
 * outputs are untouched. */
int marl_markov_ctx_eval(marl_markov_ctx *ctx, const marl_policy *policy,
                         double *Qbar, double *Abar, double *V, double *d);
/* marl_markov_averaged_q_from on the context's buffers (same checks, same
 * bits, no allocation). */
int marl_markov_ctx_averaged_from(marl_markov_ctx *ctx,
                                  const marl_policy *policy, const double *W,
                                  double *Qbar);

/* Best response of `agent` by policy iteration on its induced MDP (built by
 * marl_mk_evaluate), started from the greedy policy with respect to Vpi
 * (V_agent^pi). Leaves the optimal deterministic policy in mk->pol and its
 * values in mk->Vb; *value receives V^{BR}(mu). */
int marl_mk_best_response(marl_mk *mk, size_t agent, const double *Vpi,
                          double *value, const char *fn);

/* ---- factored games (markov_factored.c) ----------------------------------
 *
 * Rows of P_pi are Kronecker products of the averaged local rows
 *   Pbar_k(.|s) = sum_{a_k} pi_k(a_k|s) P_k(.|s,a_k)      (O(S) per row);
 * agent i's induced MDP replaces factor i by P_i(.|s,a_i). Joint-action
 * contractions sum_s' P(s'|s,j) W(s') for every j are successive
 * contractions over the local factors, last agent first:
 *   T_N = W,  T_k[p][a_k][q] = sum_l P_k(l|s,a_k) T_{k+1}[p][l][q]
 * (p over prod_{m<k} L_m, q over prod_{m>k} A_m), T_0[j] the result; cost
 * sum_k plen[k] L_k A_k prod_{m>k} A_m per state instead of S*J. */

/* Pbar_k(.|s) for every agent from mk->probs into mk->Pbar, and the row
 * P_pi(.|s) into row[S]. */
void marl_mk_factored_pbar(marl_mk *mk, size_t s, double *row);
/* Induced MDP of agent i (transitions and rewards, every state) into
 * marl_mk_induced_P/r(mk, i), after marl_mk_factored_pbar for every state. */
void marl_mk_factored_induced(marl_mk *mk, size_t i);
/* v[l] = sum_{s' : s'_i = l} prod_{k!=i} Pbar_k(s'_k|s) W(s') for every
 * local state l of agent i (successive contractions of W over every factor
 * but i, O(S); uses mk->ctr, needs Pbar of state s). Returns v (inside
 * mk->ctr, or W itself when N == 1), valid until the next use of ctr. The
 * continuation of agent i's action a is then dot(v, P_i(.|s,a)). */
const double *marl_mk_factored_cont_vec(marl_mk *mk, size_t s, size_t i,
                                        const double *W);
/* out[j] = sum_s' P(s'|s,j) W(s') for every joint action (uses mk->ctr);
 * returns out. */
void marl_mk_factored_contract(marl_mk *mk, size_t s, const double *W,
                               double *out);

/* ---- count-based games (markov_counts.c) ---------------------------------
 *
 * At state s, with q_k = pi_k(.|s), the distribution of the count vector of
 * agents < k is the prefix dynamic programme
 *   F_0 = delta_0,  F_{k+1}(n + e_a) += F_k(n) q_k(a)
 * (level k has csize[k] entries; the step n -> n + e_a is the game's csucc
 * table). D_N = F_N is the distribution of the count vector of the joint
 * action; the leave-one-out distribution of the OTHER agents' vector,
 * D_-i, continues F_i with the agents i+1..N-1 (no division, so zero
 * probabilities are exact). Then, with succ(m, a) the rank of m + e_a,
 *   P_pi(.|s)      = sum_n D_N(n) P(.|s, n)
 *   rbar_i(s, a)   = sum_m D_-i(m) r(s, a, succ(m, a))
 *   r_pi,i(s)      = sum_a q_i(a) rbar_i(s, a)
 *   P_i(.|s, a)    = sum_m D_-i(m) P(.|s, succ(m, a))      (induced MDP)
 *   Qbar_i(s, a)   = rbar_i(s, a) + gamma sum_m D_-i(m) cw_i(succ(m, a)),
 *                    cw_i(n) = sum_s' P(s'|s, n) W_i(s')
 *   phi_pi(s)      = sum_n D_N(n) phi(s, n)
 * and the team problem is an MDP over count vectors with reward
 * sum_a n_a r(s, a, n). */

/* Count distributions of state s from mk->probs: cpre (every prefix level),
 * cdist for every agent and rbar for every agent and action. */
void marl_mk_counts_state(marl_mk *mk, size_t s);
/* After marl_mk_counts_state(s): the row P_pi(.|s) into row[S], r_pi of
 * every agent into V[i*S + s] and, when with_phi, phi_pi into V[N*S + s]. */
void marl_mk_counts_eval_state(marl_mk *mk, size_t s, int with_phi,
                               double *row);
/* Induced MDP of agent i (every state; needs cdist and rbar of every
 * state, as after marl_mk_evaluate). */
void marl_mk_counts_induced(marl_mk *mk, size_t i);
/* marl_mk_averaged_from on a count-based game. */
void marl_mk_counts_averaged(marl_mk *mk, const double *W, double *Qbar,
                             double *Abar);
/* Team reward sum_a n_a r(s, a, n) into mk->Rt[s * C + r]. */
void marl_mk_counts_team_reward(marl_mk *mk);
/* Agent i's action in the joint action that realises the count vector of
 * rank r (agents assigned to actions in increasing order: the first n_0
 * agents play 0, the next n_1 play 1, ...); uses mk->cvec. */
void marl_mk_counts_assign(marl_mk *mk, size_t r, size_t *actions);

#endif /* MARL_METRICS_MARKOV_METRICS_H */
