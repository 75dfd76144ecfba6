/* Exact evaluation of stationary product policies on Markov games
 * (ALGORITHMS.md §1 "Exact quantities"): the evaluation context (its
 * workspace is in markov_alloc.c), V for all agents with one LU
 * factorisation, Q, the averaged Q/advantage, the discounted visitation,
 * welfare and the potential.
 *
 * Cost per call: one pass over (s, joint action) builds P_pi and every
 * agent's r_pi (O(S*J*S + N*S*J); count-based games: over count vectors,
 * markov_counts.c), one LU of the S x S matrix I - gamma P_pi (O(S^3)),
 * and N (+1) triangular solves.
 * SPDX-License-Identifier: MIT */
#include "markov_metrics.h"

#include "core/linalg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- context ------------------------------------------------------------ */

int marl_mk_check_policy(const marl_mk *mk, const marl_policy *p,
                         const char *fn) {
    if (p->flags & MARL_POLICY_PER_STEP || p->n_steps != 1)
        return marl_error(MARL_EINVAL,
                          "%s: the policy is time-indexed (%zu steps); exact "
                          "metrics need a stationary policy",
                          fn, p->n_steps);
    if (p->game == mk->game) return MARL_OK;
    if (p->n_agents != mk->N || p->n_states != mk->S)
        return marl_error(MARL_EINVAL,
                          "%s: the policy (%zu agents, %zu states) does not "
                          "belong to this game (%zu agents, %zu states)",
                          fn, p->n_agents, p->n_states, mk->N, mk->S);
    for (size_t i = 0; i < mk->N; ++i) {
        size_t a = p->n_actions[marl_policy_table(p, i)];
        if (a != mk->A[i])
            return marl_error(MARL_EINVAL,
                              "%s: the policy gives agent %zu %zu actions, "
                              "the game %zu",
                              fn, i, a, mk->A[i]);
    }
    return MARL_OK;
}

int marl_mk_init(marl_mk *mk, const marl_game *game, const marl_policy *policy,
                 const char *fn) {
    memset(mk, 0, sizeof *mk);
    if (!game) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    if (game->kind != MARL_GAME_MARKOV || !game->impl)
        return marl_error(MARL_EKIND, "%s: needs a Markov game, got a %s game",
                          fn, marl_game_kind_name(game->kind));
    mk->game = game;
    mk->md = marl_markov_of(game);
    mk->N = game->n_agents;
    mk->S = game->n_states;
    mk->A = game->n_actions;
    mk->J = mk->md->n_joint;
    mk->stride = mk->md->stride;
    mk->gamma = game->gamma;
    if (mk->N == 0 || mk->N > MARL_MARKOV_MAX_AGENTS || mk->S == 0)
        return marl_error(MARL_EINVAL,
                          "%s: malformed game (%zu agents, %zu "
                          "states)",
                          fn, mk->N, mk->S);
    mk->prelen[0] = 1;
    for (size_t k = 0; k < mk->N; ++k) {
        if (!marl_add_size(mk->aoff[k], mk->A[k], &mk->aoff[k + 1]) ||
            !marl_mul_size(mk->prelen[k], mk->A[k], &mk->prelen[k + 1]))
            return marl_error(MARL_EINVAL, "%s: action counts overflow", fn);
        if (mk->A[k] > mk->Amax) mk->Amax = mk->A[k];
    }
    mk->sumA = mk->aoff[mk->N];
    for (size_t k = 0; k <= mk->N; ++k) {
        mk->preoff[k] = mk->presz;
        mk->presz += mk->prelen[k]; /* <= (N + 1) J: cannot overflow */
    }
    for (size_t k = 0; k < mk->N; ++k) {
        mk->sufoff[k] = mk->sufsz;
        mk->sufsz += mk->stride[k];
    }
    for (size_t k = 0; k < mk->N; ++k)
        mk->choff[k + 1] = mk->choff[k] + mk->prelen[k];
    if (mk->md->factored) {
        /* plen[k] <= S and prod_{m>=k} A_m <= J with S*J <= 2^30 (checked
         * by the builder): nothing here can overflow. */
        mk->factored = 1;
        mk->L = mk->md->L;
        mk->sumL = mk->md->sumL;
        mk->plen[0] = 1;
        for (size_t k = 0; k < mk->N; ++k) {
            mk->lboff[k + 1] = mk->lboff[k] + mk->L[k];
            mk->plen[k + 1] = mk->plen[k] * mk->L[k];
        }
        for (size_t k = 0; k <= mk->N; ++k) {
            size_t t = mk->plen[k] * (k < mk->N ? mk->A[k] * mk->stride[k] : 1);
            if (t > mk->tmax) mk->tmax = t;
        }
    }
    if (mk->md->cnt) { /* sizes bounded by the game's count tables */
        mk->cnt = mk->md->cnt;
        mk->C = mk->cnt->C;
        mk->C1 = mk->cnt->csize[mk->N - 1];
        for (size_t k = 0; k <= mk->N; ++k)
            mk->cpoff[k + 1] = mk->cpoff[k] + mk->cnt->csize[k];
        /* the joint-action tables are not used */
        mk->presz = mk->sufsz = 0;
        memset(mk->choff, 0, sizeof mk->choff);
    }
    if (policy) return marl_mk_check_policy(mk, policy, fn);
    return MARL_OK;
}

/* ---- per-state products ------------------------------------------------- */

void marl_mk_load_policy(marl_mk *mk, const marl_policy *policy) {
    mk->rbar_ok = 0;
    for (size_t s = 0; s < mk->S; ++s)
        for (size_t i = 0; i < mk->N; ++i) {
            double *out = mk->probs + s * mk->sumA + mk->aoff[i];
            if (policy->flags & MARL_POLICY_LOGITS)
                marl_policy_probs_unchecked(policy, i, 0, s, out);
            else
                memcpy(out, marl_policy_row_ptr(policy, i, 0, s),
                       mk->A[i] * sizeof(double));
        }
}

void marl_mk_state_products(marl_mk *mk, size_t s) {
    const double *q = mk->probs + s * mk->sumA;
    const size_t N = mk->N;
    double *pre = mk->pre, *suf = mk->suf;
    pre[0] = 1.0;
    for (size_t k = 0; k < N; ++k) {
        const double *src = pre + mk->preoff[k], *qk = q + mk->aoff[k];
        double *dst = pre + mk->preoff[k + 1];
        const size_t Ak = mk->A[k];
        for (size_t p = 0; p < mk->prelen[k]; ++p)
            for (size_t a = 0; a < Ak; ++a)
                dst[p * Ak + a] = src[p] * qk[a];
    }
    suf[mk->sufoff[N - 1]] = 1.0; /* no agent after the last one */
    for (size_t k = N - 1; k >= 1; --k) {
        const double *src = suf + mk->sufoff[k], *qk = q + mk->aoff[k];
        double *dst = suf + mk->sufoff[k - 1];
        const size_t len = mk->stride[k];
        for (size_t a = 0; a < mk->A[k]; ++a)
            for (size_t r = 0; r < len; ++r)
                dst[a * len + r] = qk[a] * src[r];
    }
}

/* ---- evaluation --------------------------------------------------------- */

/* sum_p pre_i[p] sum_q suf_i[q] X(p, a, q) for a table X over the joint
 * actions of one state (after marl_mk_state_products). */
static double average_block(const marl_mk *mk, size_t i, size_t a,
                            const double *X) {
    const size_t Ai = mk->A[i], st = mk->stride[i];
    const double *pre = mk->pre + mk->preoff[i], *suf = mk->suf + mk->sufoff[i];
    double acc = 0.0;
    for (size_t p = 0; p < mk->prelen[i]; ++p)
        if (pre[p] != 0.0)
            acc += pre[p] * marl_mk_dot(st, suf, X + (p * Ai + a) * st);
    return acc;
}

/* Suffix contractions of P_s into mk->chain (see markov_metrics.h); returns
 * the rows of Suf_k (Suf_N is P_s itself). */
static const double *suffix_rows(const marl_mk *mk, const double *Ps,
                                 size_t k) {
    return k == mk->N ? Ps : mk->chain + mk->choff[k] * mk->S;
}

static void suffix_chain(marl_mk *mk, size_t s, const double *Ps) {
    const size_t S = mk->S;
    const double *q = mk->probs + s * mk->sumA;
    for (size_t k = mk->N; k-- > 0;) {
        const double *src = suffix_rows(mk, Ps, k + 1), *qk = q + mk->aoff[k];
        double *dst = mk->chain + mk->choff[k] * S;
        const size_t Ak = mk->A[k];
        for (size_t p = 0; p < mk->prelen[k]; ++p) {
            double *d = dst + p * S;
            memset(d, 0, S * sizeof(double));
            for (size_t a = 0; a < Ak; ++a)
                if (qk[a] != 0.0)
                    marl_mk_axpy(S, qk[a], src + (p * Ak + a) * S, d);
        }
    }
}

/* Induced MDP of agent i at state s (after products and suffix chain). */
static void induced_state(marl_mk *mk, size_t i, size_t s, const double *Ps) {
    const size_t S = mk->S, J = mk->J, Ai = mk->A[i], st = mk->stride[i];
    const double *pre = mk->pre + mk->preoff[i], *suf = mk->suf + mk->sufoff[i];
    const double *src = suffix_rows(mk, Ps, i + 1);
    const double *Ri = mk->md->R + (i * S + s) * J;
    double *Pd = marl_mk_induced_P(mk, i) + s * Ai * S;
    double *rd = marl_mk_induced_r(mk, i) + s * Ai;
    for (size_t a = 0; a < Ai; ++a) {
        double *d = Pd + a * S, racc = 0.0;
        memset(d, 0, S * sizeof(double));
        for (size_t p = 0; p < mk->prelen[i]; ++p) {
            if (pre[p] == 0.0) continue;
            marl_mk_axpy(S, pre[p], src + (p * Ai + a) * S, d);
            racc += pre[p] * marl_mk_dot(st, suf, Ri + (p * Ai + a) * st);
        }
        rd[a] = racc;
    }
}

int marl_mk_evaluate(marl_mk *mk, int with_phi, uint64_t induced,
                     const char *fn) {
    const size_t S = mk->S, J = mk->J, N = mk->N;
    const double *P = mk->md->P, *R = mk->md->R, *phi = mk->md->phi;
    for (size_t s = 0; s < S; ++s) {
        double *row = mk->M + s * S;
        if (mk->cnt) { /* count vectors instead of joint actions */
            marl_mk_counts_state(mk, s);
            marl_mk_counts_eval_state(mk, s, with_phi, row);
            for (size_t s2 = 0; s2 < S; ++s2)
                row[s2] *= -mk->gamma;
            row[s] += 1.0;
            continue;
        }
        const double *Ps = mk->factored ? NULL : P + s * J * S;
        marl_mk_state_products(mk, s);
        const double *w = marl_mk_joint(mk);
        if (mk->factored) { /* Kronecker product of the Pbar_k(.|s) */
            marl_mk_factored_pbar(mk, s, row);
        } else if (induced) { /* P_pi(.|s) = Suf_0 */
            suffix_chain(mk, s, Ps);
            memcpy(row, mk->chain, S * sizeof(double));
            for (size_t i = 0; i < N; ++i)
                if (induced >> i & 1u) induced_state(mk, i, s, Ps);
        } else { /* one pass: P_pi(.|s) = sum_j pi(j|s) P(.|s,j) */
            memset(row, 0, S * sizeof(double));
            for (size_t j = 0; j < J; ++j)
                if (w[j] != 0.0) marl_mk_axpy(S, w[j], Ps + j * S, row);
        }
        for (size_t s2 = 0; s2 < S; ++s2)
            row[s2] *= -mk->gamma;
        row[s] += 1.0;
        for (size_t i = 0; i < N; ++i)
            mk->V[i * S + s] = marl_mk_dot(J, w, R + (i * S + s) * J);
        if (mk->rbar) /* factored: the averaged rewards while R_i(s, .) is
                       * in cache (marl_mk_averaged_from reuses them) */
            for (size_t i = 0; i < N; ++i)
                for (size_t a = 0; a < mk->A[i]; ++a)
                    mk->rbar[S * mk->aoff[i] + s * mk->A[i] + a] =
                        average_block(mk, i, a, R + (i * S + s) * J);
        if (with_phi) mk->V[N * S + s] = marl_mk_dot(J, w, phi + s * J);
    }
    int rc = marl_linalg_lu(S, mk->M, mk->ipiv);
    if (!rc)
        rc = marl_linalg_lu_solve(S, N + (with_phi ? 1u : 0u), mk->M, mk->ipiv,
                                  0, mk->V);
    mk->rbar_ok = mk->rbar != NULL;
    if (!rc && mk->factored)
        for (size_t i = 0; i < N; ++i)
            if (induced >> i & 1u) marl_mk_factored_induced(mk, i);
    if (!rc && mk->cnt)
        for (size_t i = 0; i < N; ++i)
            if (induced >> i & 1u) marl_mk_counts_induced(mk, i);
    if (rc) {
        char why[256]; /* copy: the message buffer is about to be rewritten */
        snprintf(why, sizeof why, "%s", marl_last_error());
        return marl_error(
            rc, "%s: solving (I - gamma P_pi) V = r_pi failed: %s", fn, why);
    }
    return MARL_OK;
}

double marl_mk_dot_mu(const marl_mk *mk, const double *x) {
    return marl_mk_dot(mk->S, mk->md->mu, x);
}

int marl_mk_eval_policy(marl_mk *mk, const marl_game *game,
                        const marl_policy *policy, unsigned need, int with_phi,
                        uint64_t induced, const char *fn) {
    int rc = marl_mk_init(mk, game, NULL, fn);
    if (rc) return rc;
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    rc = marl_mk_check_policy(mk, policy, fn);
    if (rc) return rc;
    if (with_phi && !mk->md->phi)
        return marl_error(MARL_EINVAL, "%s: the game has no potential", fn);
    rc = marl_mk_alloc(mk, need | MARL_MK_EVAL | (with_phi ? MARL_MK_PHI : 0u),
                       fn);
    if (rc) return rc;
    marl_mk_load_policy(mk, policy);
    rc = marl_mk_evaluate(mk, with_phi, induced, fn);
    if (rc) marl_mk_release(mk);
    return rc;
}

/* ---- public functions --------------------------------------------------- */

size_t marl_markov_agent_table_size(const marl_game *game) {
    const marl_markov_data *md = marl_markov_of(game);
    if (!md) return 0;
    size_t sum = 0, out;
    for (size_t i = 0; i < game->n_agents; ++i)
        if (!marl_add_size(sum, game->n_actions[i], &sum)) return 0;
    return marl_mul_size(game->n_states, sum, &out) ? out : 0;
}

int marl_markov_values(const marl_game *game, const marl_policy *policy,
                       double *V) {
    const char *fn = "marl_markov_values";
    if (!V) return marl_error(MARL_EINVAL, "%s: V is NULL", fn);
    marl_mk mk;
    int rc = marl_mk_eval_policy(&mk, game, policy, 0, 0, 0, fn);
    if (rc) return rc;
    memcpy(V, mk.V, mk.N * mk.S * sizeof(double));
    marl_mk_release(&mk);
    return MARL_OK;
}

int marl_markov_values_mu(const marl_game *game, const marl_policy *policy,
                          double *v) {
    const char *fn = "marl_markov_values_mu";
    if (!v) return marl_error(MARL_EINVAL, "%s: v is NULL", fn);
    marl_mk mk;
    int rc = marl_mk_eval_policy(&mk, game, policy, 0, 0, 0, fn);
    if (rc) return rc;
    for (size_t i = 0; i < mk.N; ++i)
        v[i] = marl_mk_dot_mu(&mk, mk.V + i * mk.S);
    marl_mk_release(&mk);
    return MARL_OK;
}

int marl_markov_q(const marl_game *game, const marl_policy *policy, double *Q) {
    const char *fn = "marl_markov_q";
    if (!Q) return marl_error(MARL_EINVAL, "%s: Q is NULL", fn);
    marl_mk mk;
    int rc = marl_mk_eval_policy(&mk, game, policy, MARL_MK_QS, 0, 0, fn);
    if (rc) return rc;
    /* Q (column-major S*J x N) = R + gamma * P V: one dgemm. The sizes fit
     * in an int (S*J*S <= MARL_MARKOV_MAX_ENTRIES), so it cannot fail. */
    memcpy(Q, mk.md->R, mk.N * mk.S * mk.J * sizeof(double));
    if (mk.factored) { /* successive contractions, state by state */
        for (size_t i = 0; i < mk.N; ++i)
            for (size_t s = 0; s < mk.S; ++s) {
                double *Qis = Q + (i * mk.S + s) * mk.J;
                marl_mk_factored_contract(&mk, s, mk.V + i * mk.S, mk.Qs);
                marl_mk_axpy(mk.J, mk.gamma, mk.Qs, Qis);
            }
    } else {
        rc = marl_linalg_table_times(mk.S * mk.J, mk.S, mk.N, mk.gamma,
                                     mk.md->P, mk.V, 1.0, Q);
    }
    marl_mk_release(&mk);
    return rc;
}

/* See markov_metrics.h. Dense games: per state, Q_i(s, .) for every joint
 * action with one dgemm, then prefix/suffix contractions. Factored games:
 * sum_{a_-i} pi_-i r_i from the products, plus gamma times the
 * continuation: W_i contracted with Pbar_k(.|s) over every factor k != i
 * (O(S) per (s, i)), then one dot of length L_i per action. */
int marl_mk_averaged_from(marl_mk *mk, const double *W, double *Qbar,
                          double *Abar) {
    const size_t S = mk->S, J = mk->J, N = mk->N;
    const double *P = mk->md->P, *R = mk->md->R;
    if (mk->cnt) {
        marl_mk_counts_averaged(mk, W, Qbar, Abar);
        return MARL_OK;
    }
    for (size_t s = 0; s < S; ++s) {
        if (!mk->rbar_ok) marl_mk_state_products(mk, s);
        if (!mk->factored && S <= MARL_MK_SMALL_S) {
            /* few states (e.g. 2 states, 4^8 joint actions): a direct loop;
             * a threaded dgemm of J x S x N would cost more than it saves */
            const double *Ps = P + s * J * S;
            for (size_t i = 0; i < N; ++i) {
                const double *Wi = W + i * S, *Ri = R + (i * S + s) * J;
                double *q = mk->Qs + i * J;
                for (size_t j = 0; j < J; ++j)
                    q[j] = Ri[j] + mk->gamma * marl_mk_dot(S, Ps + j * S, Wi);
            }
        } else if (!mk->factored) {
            /* Qs[i*J + j] = R + gamma P(.|s,j) W_i for all agents. */
            int rc = marl_linalg_table_times(J, S, N, mk->gamma, P + s * J * S,
                                             W, 0.0, mk->Qs);
            if (rc) return rc; /* cannot happen: sizes were validated */
            for (size_t i = 0; i < N; ++i)
                marl_mk_axpy(J, 1.0, R + (i * S + s) * J, mk->Qs + i * J);
        }
        /* sum_p pre_i[p] sum_q suf_i[q] X(p, a_i, q), X = Q_i (dense) or
         * r_i (factored). */
        for (size_t i = 0; i < N; ++i) {
            const size_t Ai = mk->A[i];
            const double *cv = NULL; /* factored: W_i with factor i free */
            if (mk->factored)
                cv = marl_mk_factored_cont_vec(mk, s, i, W + i * S);
            const double *X =
                mk->factored ? R + (i * S + s) * J : mk->Qs + i * J;
            const size_t base = S * mk->aoff[i] + s * Ai;
            for (size_t a = 0; a < Ai; ++a) {
                double acc = mk->rbar_ok ? mk->rbar[base + a]
                                         : average_block(mk, i, a, X);
                if (cv)
                    acc += mk->gamma *
                           marl_mk_dot(mk->L[i], cv,
                                       marl_markov_local_row(mk->md, mk->A, i,
                                                             s, a));
                if (Qbar) Qbar[base + a] = acc;
                if (Abar) Abar[base + a] = acc - mk->V[i * S + s];
            }
        }
    }
    return MARL_OK;
}

int marl_markov_averaged_q(const marl_game *game, const marl_policy *policy,
                           double *Qbar, double *Abar, double *V) {
    const char *fn = "marl_markov_averaged_q";
    marl_mk mk;
    int rc = marl_mk_eval_policy(&mk, game, policy, MARL_MK_QS, 0, 0, fn);
    if (rc) return rc;
    if (Qbar || Abar) rc = marl_mk_averaged_from(&mk, mk.V, Qbar, Abar);
    if (!rc && V) memcpy(V, mk.V, mk.N * mk.S * sizeof(double));
    marl_mk_release(&mk);
    return rc;
}

int marl_markov_averaged_q_from(const marl_game *game,
                                const marl_policy *policy, const double *W,
                                double *Qbar) {
    const char *fn = "marl_markov_averaged_q_from";
    marl_mk mk;
    int rc = marl_mk_init(&mk, game, NULL, fn);
    if (rc) return rc;
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!W) return marl_error(MARL_EINVAL, "%s: W is NULL", fn);
    if (!Qbar) return marl_error(MARL_EINVAL, "%s: Qbar is NULL", fn);
    rc = marl_mk_check_policy(&mk, policy, fn);
    if (!rc) rc = marl_mk_check_continuation(&mk, W, fn);
    if (rc) return rc;
    rc = marl_mk_alloc(&mk, MARL_MK_EVAL | MARL_MK_QS, fn);
    if (rc) return rc;
    rc = marl_mk_averaged_from_policy(&mk, policy, W, Qbar);
    marl_mk_release(&mk);
    return rc;
}

int marl_mk_check_continuation(const marl_mk *mk, const double *W,
                               const char *fn) {
    for (size_t k = 0; k < mk->N * mk->S; ++k)
        if (!isfinite(W[k]))
            return marl_error(MARL_EINVAL,
                              "%s: W of agent %zu at state %zu is not finite "
                              "(%g)", fn, k / mk->S, k % mk->S, W[k]);
    return MARL_OK;
}

int marl_mk_averaged_from_policy(marl_mk *mk, const marl_policy *policy,
                                 const double *W, double *Qbar) {
    marl_mk_load_policy(mk, policy);
    if (mk->factored)
        for (size_t s = 0; s < mk->S; ++s)
            marl_mk_factored_pbar(mk, s, mk->row);
    return marl_mk_averaged_from(mk, W, Qbar, NULL);
}

int marl_markov_visitation(const marl_game *game, const marl_policy *policy,
                           double *d) {
    const char *fn = "marl_markov_visitation";
    if (!d) return marl_error(MARL_EINVAL, "%s: d is NULL", fn);
    marl_mk mk;
    int rc = marl_mk_eval_policy(&mk, game, policy, 0, 0, 0, fn);
    if (rc) return rc;
    /* (I - gamma P_pi)^T d = mu with the factorisation already made. */
    memcpy(mk.V, mk.md->mu, mk.S * sizeof(double));
    rc = marl_linalg_lu_solve(mk.S, 1, mk.M, mk.ipiv, 1, mk.V);
    if (!rc) memcpy(d, mk.V, mk.S * sizeof(double));
    marl_mk_release(&mk);
    return rc;
}

int marl_markov_welfare(const marl_game *game, const marl_policy *policy,
                        double *welfare) {
    const char *fn = "marl_markov_welfare";
    if (!welfare) return marl_error(MARL_EINVAL, "%s: welfare is NULL", fn);
    marl_mk mk;
    int rc = marl_mk_eval_policy(&mk, game, policy, 0, 0, 0, fn);
    if (rc) return rc;
    double w = 0.0;
    for (size_t i = 0; i < mk.N; ++i)
        w += marl_mk_dot_mu(&mk, mk.V + i * mk.S);
    *welfare = w;
    marl_mk_release(&mk);
    return MARL_OK;
}

int marl_markov_potential_value(const marl_game *game,
                                const marl_policy *policy, double *phi_mu,
                                double *Phi_s) {
    const char *fn = "marl_markov_potential_value";
    if (!phi_mu) return marl_error(MARL_EINVAL, "%s: phi_mu is NULL", fn);
    marl_mk mk;
    int rc = marl_mk_eval_policy(&mk, game, policy, 0, 1, 0, fn);
    if (rc) return rc;
    const double *Phi = mk.V + mk.N * mk.S;
    *phi_mu = marl_mk_dot_mu(&mk, Phi);
    if (Phi_s) memcpy(Phi_s, Phi, mk.S * sizeof(double));
    marl_mk_release(&mk);
    return MARL_OK;
}
