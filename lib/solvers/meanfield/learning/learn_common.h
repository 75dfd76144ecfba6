/*
 * Shared machinery of the mean-field learning solvers (meanfield-td,
 * meanfield-pmd, meanfield-ipmd; ALGORITHMS.md §2, seed 001 Alg. 1-2):
 * options, the TD epoch on sampled N-player episodes, the closed-form PMD
 * step, and the policy tables. Internal; not installed.
 *
 * Tables: a "shared table" has H*S*A entries [h*S*A + s*A + a]; a
 * per-agent table has N of them, agent i's at offset i*H*S*A.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_SOLVERS_MEANFIELD_LEARN_COMMON_H
#define MARL_SOLVERS_MEANFIELD_LEARN_COMMON_H

#include "marlgame/meanfield.h"
#include "marlgame/nplayer.h"
#include "sampler/population/popsim.h"
#include "solvers/solver_impl.h"

#include <math.h>

enum { MARL_MF_AGENTS_ONE = 0, MARL_MF_AGENTS_ALL = 1 };
enum { MARL_MF_RATE_THEORY = 0, MARL_MF_RATE_CONSTANT = 1 };
enum { MARL_MF_XI_INV_SQRT = 0, MARL_MF_XI_CONSTANT = 1 };

/* Option table entries shared by the types. */
#define MARL_MF_OPT_TAU                                                      \
    {"tau", MARL_OPTION_REAL, "entropy regularisation tau >= 0 (seed 001 "   \
     "Def. 9)", 0, 0, 0, 0.1, 0.0, 1e6, NULL, NULL}
#define MARL_MF_OPT_AGENTS                                                   \
    {"agents", MARL_OPTION_ENUM, "TD samples: agent 0 only (seed Alg. 1) or " \
     "every agent (the seed's practical remark)", 1, 0, 0, 0.0, 0.0, 0.0,    \
     "one|all", NULL}
#define MARL_MF_OPT_TD_RATE                                                  \
    {"td_rate", MARL_OPTION_ENUM, "TD learning rate: theory = 2/(2 + "       \
     "td_delta m) (seed Thm. 2), constant = td_eta", 0, 0, 0, 0.0, 0.0, 0.0, \
     "theory|constant", NULL}
#define MARL_MF_OPT_TD_DELTA                                                 \
    {"td_delta", MARL_OPTION_REAL, "delta of the theory rate (0 < delta <= " \
     "1)", 0, 0, 0, 0.1, 1e-12, 1.0, NULL, NULL}
#define MARL_MF_OPT_TD_ETA                                                   \
    {"td_eta", MARL_OPTION_REAL, "constant TD learning rate (0 < eta <= 1)", \
     0, 0, 0, 0.1, 1e-12, 1.0, NULL, NULL}
#define MARL_MF_OPT_THREADS                                                  \
    {"threads", MARL_OPTION_INT, "OpenMP threads of the N-player simulation " \
     "(0 = the OpenMP default; results do not depend on it)", 1, 0, 1024,    \
     0.0, 0.0, 0.0, NULL, NULL}

/* TD settings read from the options. */
typedef struct marl_mf_td {
    double tau;
    int agents, rate;
    double delta, eta;
} marl_mf_td;

int marl_mf_td_read(const marl_options *o, marl_mf_td *td);

/* Learning rate of epoch m (0-based). */
static inline double marl_mf_td_rate(const marl_mf_td *td, size_t m) {
    if (td->rate == MARL_MF_RATE_CONSTANT) return td->eta;
    return 2.0 / (2.0 + td->delta * (double)m);
}

/* Dimensions of a population game. */
typedef struct marl_mf_dims {
    size_t N, S, A, H, SA, HSA;
} marl_mf_dims;

/* Read the dimensions (game must be a population game; `fn` for messages);
 * checks that N*H*S*A fits in memory. */
int marl_mf_dims_of(marl_game *game, const char *fn, marl_mf_dims *d);

/* Entropy H(p) = -sum p log p (0 log 0 = 0). */
double marl_mf_entropy(const double *p, size_t n);

/* Episode buffers of one N-player episode. */
typedef struct marl_mf_episode {
    size_t *states, *actions; /* [H*N] */
    double *rewards;          /* [H*N] */
} marl_mf_episode;

int marl_mf_episode_new(marl_mf_episode *e, const marl_mf_dims *d);
void marl_mf_episode_free(marl_mf_episode *e);

/* Shared-policy TD update for epoch m from one episode (seed Alg. 1):
 * Q[HSA], ent[H*S] = H(pi_h(.|s)), work[2*HSA] scratch (target sums and
 * counts). agents = one: agent 0; all: the mean target of the agents that
 * visited each (h, s, a). */
void marl_mf_td_shared(const marl_mf_dims *d, const marl_mf_td *td, size_t m,
                       const marl_mf_episode *e, const double *ent, double *Q,
                       double *work);

/* Per-agent TD update (IPMD): agent i updates Q + i*HSA from its own
 * trajectory with the entropies ent + i*H*S. */
void marl_mf_td_per_agent(const marl_mf_dims *d, const marl_mf_td *td,
                          size_t m, const marl_mf_episode *e,
                          const double *ent, double *Q);

/* Closed-form PMD step on one row (seed 001 Alg. 2, line 5):
 *   argmax_u  xi/(1 - tau xi) (q.u + tau H(u)) - KL(u | p)
 *   = p^(1 - tau xi) exp(xi q) / Z,
 * computed in log space: logout = (1 - tau xi) logp + xi q - logsumexp.
 * Requires tau xi < 1. Entries with logp = -inf stay 0. Returns 0, or -1 if
 * the result is not finite. out = exp(logout). */
int marl_mf_pmd_row(const double *logp, const double *q, size_t A, double tau,
                    double xi, double *logout, double *out);

/* Mix with uniform: p <- (1 - beta) p + beta / A; logp updated. */
void marl_mf_mix_row(double *p, double *logp, size_t A, double beta);

/* Store rows probs[(i*H + h)*S*A + s*A ...] into a PER_STEP policy (agents
 * = 1: shared). */
int marl_mf_store(marl_policy *pol, const marl_mf_dims *d, size_t agents,
                  const double *probs);

/* The MFG exploitability of a shared table (stored in `scratch`, a SHARED
 * PER_STEP policy of the game). */
int marl_mf_exploitability(marl_game *game, marl_policy *scratch,
                           const marl_mf_dims *d, const double *probs,
                           double *value);

#endif /* MARL_SOLVERS_MEANFIELD_LEARN_COMMON_H */
