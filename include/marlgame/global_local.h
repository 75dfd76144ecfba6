/*
 * libmarlgame — global-local cooperative games (ALGORITHMS.md §4; seed 004).
 *
 * A global agent (states S_g, actions A_g, P_g(s_g'|s_g,a_g), r_g(s_g,a_g))
 * and n homogeneous local agents (states S_l, actions A_l,
 * P_l(s_l'|s_l,s_g,a_l), r_l(s_l,s_g,a_l)). System reward
 * r = r_g(s_g,a_g) + (1/n) sum_i r_l(s_i,s_g,a_i), discount gamma.
 * Initial state: s_g ~ rho_g; local states i.i.d. from rho_l, or, with a
 * Dirichlet initial law, p ~ Dirichlet(conc) once per episode and then
 * i.i.d. from p.
 *
 * Generic accessors (game.h): marl_game_num_agents = n (local agents),
 * marl_game_num_states = |S_l|, marl_game_num_actions(game, i) = |A_l|,
 * marl_game_discount = gamma. The global part has its own accessors below.
 *
 * Table layouts (row-major doubles):
 *   P_g[(s_g * A_g + a_g) * S_g + s_g']          r_g[s_g * A_g + a_g]
 *   P_l[((s_l * S_g + s_g) * A_l + a_l) * S_l + s_l']
 *   r_l[(s_l * S_g + s_g) * A_l + a_l]
 *
 * Policies (marl_gl_policy): the global policy pi_g(a_g | s_g, c), where c is
 * the count vector (over S_l) of k local agents sampled without replacement,
 * indexed by the rank of c in the combinatorial number system (counts.h):
 * row (s_g, rank) at index s_g * C + rank, C = C(k + |S_l| - 1, |S_l| - 1);
 * and one shared local policy pi_l(a_l | s_l, s_g), row s_l * S_g + s_g.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_GLOBAL_LOCAL_H
#define MARLGAME_GLOBAL_LOCAL_H

#include "game.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the game kind -------------------------------------------------------- */

/** Current version of marl_global_local_ops. */
#define MARL_GLOBAL_LOCAL_OPS_VERSION 1

/** Callbacks filling the tables at build time (the simulator path). Each
 *  returns 0, or non-zero to abort the build (MARL_EINVAL naming the
 *  callback and its indices). Rows are validated as distributions, rewards
 *  as finite numbers. New members are only appended (see `version`). */
typedef struct marl_global_local_ops {
    int version; /**< MARL_GLOBAL_LOCAL_OPS_VERSION */
    int (*global_transition)(void *user, size_t s_g, size_t a_g,
                             double *row /* [S_g] */);
    int (*global_reward)(void *user, size_t s_g, size_t a_g, double *reward);
    int (*local_transition)(void *user, size_t s_l, size_t s_g, size_t a_l,
                            double *row /* [S_l] */);
    int (*local_reward)(void *user, size_t s_l, size_t s_g, size_t a_l,
                        double *reward);
} marl_global_local_ops;

typedef struct marl_global_local_builder marl_global_local_builder;

/** New builder: n_local >= 1 (up to at least 10^6), all sizes >= 1.
 *  Defaults: gamma 0.95, rho_g uniform, rho_l uniform (i.i.d.). */
MARL_API int marl_global_local_builder_new(marl_global_local_builder **out,
                                           size_t n_local, size_t n_global_states,
                                           size_t n_global_actions,
                                           size_t n_local_states,
                                           size_t n_local_actions);
MARL_API void marl_global_local_builder_free(marl_global_local_builder *b);
/** gamma in [0, 1). */
MARL_API int marl_global_local_builder_set_discount(
    marl_global_local_builder *b, double gamma);
/** Tables (copied; layouts above; validated, builder unchanged on error). */
MARL_API int marl_global_local_builder_set_global(marl_global_local_builder *b,
                                                  const double *P_g,
                                                  const double *r_g);
MARL_API int marl_global_local_builder_set_local(marl_global_local_builder *b,
                                                 const double *P_l,
                                                 const double *r_l);
/** All four tables from callbacks (called once per entry row, in index
 *  order). */
MARL_API int marl_global_local_builder_fill(marl_global_local_builder *b,
                                            const marl_global_local_ops *ops,
                                            void *user);
/** rho_g[S_g] (a distribution, copied). */
MARL_API int marl_global_local_builder_set_initial_global(
    marl_global_local_builder *b, const double *rho_g);
/** Local states i.i.d. from rho_l[S_l] (a distribution, copied). */
MARL_API int marl_global_local_builder_set_initial_local(
    marl_global_local_builder *b, const double *rho_l);
/** Local states: p ~ Dirichlet(conc[S_l]) per episode (conc > 0, finite),
 *  then i.i.d. from p (the warehouse game: conc = 0.3 each). */
MARL_API int marl_global_local_builder_set_initial_dirichlet(
    marl_global_local_builder *b, const double *conc);
MARL_API int marl_global_local_builder_set_name(marl_global_local_builder *b,
                                                const char *name);
/** Build (both table pairs required). */
MARL_API int marl_global_local_builder_build(marl_global_local_builder *b,
                                             marl_game **out);

/** Sizes of a global-local game (any output may be NULL). */
MARL_API int marl_global_local_sizes(const marl_game *game, size_t *n_local,
                                     size_t *n_global_states,
                                     size_t *n_global_actions,
                                     size_t *n_local_states,
                                     size_t *n_local_actions);
/** Read-only views of the tables (layouts above; owned by the game). */
MARL_API int marl_global_local_tables(const marl_game *game,
                                      const double **P_g, const double **r_g,
                                      const double **P_l, const double **r_l);

/* ---- policies ------------------------------------------------------------- */

typedef struct marl_gl_policy marl_gl_policy;

/** New policy pair for `game` with k sampled local agents (1 <= k <= n):
 *  both parts uniform. MARL_ERANGE if the global table would be too large. */
MARL_API int marl_gl_policy_new(marl_gl_policy **out, marl_game *game,
                                size_t k);
MARL_API void marl_gl_policy_free(marl_gl_policy *policy);
MARL_API int marl_gl_policy_copy(marl_gl_policy **out,
                                 const marl_gl_policy *policy);
/** Copy values between policies of the same game and k (no allocation). */
MARL_API int marl_gl_policy_assign(marl_gl_policy *dst,
                                   const marl_gl_policy *src);
MARL_API size_t marl_gl_policy_k(const marl_gl_policy *policy);
/** The game the policy belongs to (NULL for NULL). */
MARL_API marl_game *marl_gl_policy_game(const marl_gl_policy *policy);
/** Number C of count vectors (global rows per global state). */
MARL_API size_t marl_gl_policy_num_counts(const marl_gl_policy *policy);
/** pi_g(. | s_g, c) with c given by its rank, into probs[A_g]. */
MARL_API int marl_gl_policy_global_row(const marl_gl_policy *policy,
                                       size_t s_g, size_t rank,
                                       double *probs);
MARL_API int marl_gl_policy_set_global_row(marl_gl_policy *policy, size_t s_g,
                                           size_t rank, const double *probs);
/** pi_l(. | s_l, s_g) into probs[A_l]. */
MARL_API int marl_gl_policy_local_row(const marl_gl_policy *policy,
                                      size_t s_l, size_t s_g, double *probs);
MARL_API int marl_gl_policy_set_local_row(marl_gl_policy *policy, size_t s_l,
                                          size_t s_g, const double *probs);
/** Maximum absolute difference of probabilities (same game and k). */
MARL_API int marl_gl_policy_distance(const marl_gl_policy *a,
                                     const marl_gl_policy *b,
                                     double *distance);

/* ---- policy pairs as CSV text (docs/global-local.md) ---------------------- */

/* Format: one row per line, fields separated by ',', '\n' or "\r\n" line
 * ends; blank lines and lines starting with '#' are ignored.
 *   k,K                                the policy's k (at most once)
 *   global,S_G,RANK,p_0,...,p_{A_g-1}  pi_g(. | s_g, count vector of rank)
 *   local,S_L,S_G,p_0,...,p_{A_l-1}    pi_l(. | s_l, s_g)
 * Probabilities are printed with "%.17g", so write + read is bit-exact. */

/** Write `policy` as CSV text: the k row, then every global row (s_g, then
 *  rank ascending), then every local row (s_l, then s_g ascending). *size
 *  receives the text length in bytes (without a terminator). With buf NULL
 *  only *size is computed (MARL_OK); with cap < *size, MARL_ERANGE and buf
 *  untouched; otherwise the text is written, followed by a '\0' when
 *  cap > *size. Allocates nothing. */
MARL_API int marl_gl_policy_write_csv(const marl_gl_policy *policy, char *buf,
                                      size_t cap, size_t *size);

/** Flag of marl_gl_policy_read_csv_ex: rows the text does not list stay
 *  uniform (without it every row must be listed). */
#define MARL_GL_CSV_PARTIAL 1u

/** New policy pair for `game` from CSV text (text[0..len), need not be
 *  '\0'-terminated). Strict: the k row is required, every global and local
 *  row appears exactly once with |A_g| resp. |A_l| probabilities, each row
 *  a distribution (finite, >= 0, summing to 1 within 1e-9; stored as
 *  read, not renormalised). MARL_EFORMAT naming the line (1-based) for a
 *  malformed, duplicate or out-of-range row, or naming the first missing
 *  row; MARL_EINVAL for a NULL argument or a game of another kind; as
 *  marl_gl_policy_new for k. *out is NULL on error. */
MARL_API int marl_gl_policy_read_csv(marl_gl_policy **out, marl_game *game,
                                     const char *text, size_t len);

/** marl_gl_policy_read_csv with an expected k and flags. k == 0: the k row
 *  is required and gives k; k > 0: the k row is optional and, when
 *  present, must equal k (MARL_EFORMAT naming its line). flags: 0 or
 *  MARL_GL_CSV_PARTIAL (other bits: MARL_EINVAL). Duplicates are errors in
 *  every mode. */
MARL_API int marl_gl_policy_read_csv_ex(marl_gl_policy **out, marl_game *game,
                                        size_t k, const char *text, size_t len,
                                        unsigned flags);

/* ---- online execution (seed Alg. 5) and evaluation ------------------------ */

/** Mean cumulative discounted reward of `policy` over `rollouts` episodes
 *  of `horizon` steps of the full n-agent system, from the game's initial
 *  law, each step sampling k of the n local agents uniformly without
 *  replacement for the global agent's count vector. *mean and the 95%
 *  confidence half-width *half_width (normal approximation over rollouts;
 *  0 when rollouts == 1). Reproducible from seed, whatever the thread
 *  count. */
MARL_API int marl_gl_evaluate(const marl_game *game,
                              const marl_gl_policy *policy, size_t rollouts,
                              size_t horizon, uint64_t seed, double *mean,
                              double *half_width);

/** Flags of marl_gl_evaluate_ex. */
/** The local agents move with the NEXT global state:
 *  s_i(t+1) ~ P_l(. | s_i(t), s_g(t+1), a_i(t)) (the public reference
 *  implementation's evaluation); actions and rewards still use s_g(t).
 *  Without it (the seed's model, marl_gl_evaluate) they move with s_g(t). */
#define MARL_GL_EVAL_NEXT_GLOBAL 1u

/** Bits 8..15 of the flags: the number of OpenMP threads running the
 *  rollouts, MARL_GL_EVAL_THREADS(t) for t = 1..255 (0 or absent: 1
 *  thread; ignored without OpenMP). Results are bit-identical for every
 *  thread count; each thread holds its own n-agent arrays. */
#define MARL_GL_EVAL_THREADS_SHIFT 8
#define MARL_GL_EVAL_THREADS(t) \
    ((unsigned)((t) & 0xffu) << MARL_GL_EVAL_THREADS_SHIFT)

/** marl_gl_evaluate with flags (0 = marl_gl_evaluate): NEXT_GLOBAL and
 *  THREADS(t). Unknown flag bits are MARL_EINVAL. */
MARL_API int marl_gl_evaluate_ex(const marl_game *game,
                                 const marl_gl_policy *policy,
                                 size_t rollouts, size_t horizon,
                                 uint64_t seed, unsigned flags, double *mean,
                                 double *half_width);

/** marl_gl_evaluate_ex from the global state s_g(0) = s_g_start instead of
 *  s_g(0) ~ rho_g; the local agents start from the game's initial local
 *  law. Every rollout makes the same random draws as in
 *  marl_gl_evaluate_ex (the draw of s_g(0) is made and discarded), so
 *  estimates from different start states, with the same seed, use common
 *  random numbers. MARL_EINVAL if s_g_start >= |S_g|, and as
 *  marl_gl_evaluate_ex. */
MARL_API int marl_gl_evaluate_from(const marl_game *game,
                                   const marl_gl_policy *policy,
                                   size_t s_g_start, size_t rollouts,
                                   size_t horizon, uint64_t seed,
                                   unsigned flags, double *mean,
                                   double *half_width);

#ifdef __cplusplus
}
#endif

#endif /* MARLGAME_GLOBAL_LOCAL_H */
