/*
 * Exact joint value of a policy pair on the full n-agent system of a small
 * global-local game (ALGORITHMS.md §4 model and seed Alg. 5 execution),
 * for `alternating-marl` option evaluation=exact. The system state is
 * (s_g, c) with c the count vector of ALL n local agents (the agents are
 * exchangeable, so this is Markov): the global agent's sample of k agents
 * without replacement has the multivariate hypergeometric law
 * prod_j C(c_j, d_j) / C(n, k); a_g ~ pi_g(.|s_g, d); every agent in state
 * j moves by Ptil_l(.|j, s_g), so c' is the convolution of the
 * multinomials Mult(c_j, Ptil_l(.|j,s_g)); s_g' ~ P_g(.|s_g, a_g). Reward
 * r_g(s_g,a_g) + (1/n) sum_j c_j rtil_l(j, s_g).
 * The value of start state s_g is E[sum_{t<H} g^t r_t] with c_0 drawn from
 * the game's initial local law (Multinomial(n, rho_l), or the
 * Dirichlet-multinomial of the Dirichlet initial law). Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_ALT_EVAL_EXACT_H
#define MARL_ALT_EVAL_EXACT_H

#include "game/global_local/gl_impl.h"
#include "policy/global_local/gl_policy_impl.h"

/* Largest S_g * N_c^2 accepted (N_c = C(n + S_l - 1, S_l - 1)). */
#define MARL_ALT_EXACT_MAX ((size_t)1 << 22)

typedef struct marl_alt_exact marl_alt_exact;

/* MARL_ERANGE (naming `who`) if the game is too large. */
int marl_alt_exact_new(marl_alt_exact **out, const marl_gl_data *d, size_t k,
                       double gamma, const char *who);
void marl_alt_exact_free(marl_alt_exact *e);

/* Values of the S_g start states into v[S_g], horizon H. */
void marl_alt_exact_values(marl_alt_exact *e, const marl_gl_policy *p,
                           size_t H, double *v);

#endif /* MARL_ALT_EVAL_EXACT_H */
