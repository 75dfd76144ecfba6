/* Best responses, Nash-gap, optimal team welfare and the price of anarchy
 * on Markov games (ALGORITHMS.md §1), by policy iteration with exact
 * LAPACKE evaluations.
 *
 * Policy iteration. Q(s,a) = r(s,a) + gamma sum_s' P(s'|s,a) V(s'). The
 * first policy is greedy with respect to the starting values (V_i^pi for a
 * best response, 0 for the team problem); afterwards a state switches action
 * only when max_a Q(s,a) exceeds the current action's Q by more than
 * tol = MARL_MK_PI_TOL * (1 + |max_a Q(s,a)|), and then to the LOWEST action
 * whose Q is within tol of the maximum ("ties to the lower action"). Every
 * switch is a strict improvement, so the values increase monotonically and
 * the iteration cannot cycle; it stops at the first policy with no switch,
 * whose values are optimal up to tol / (1 - gamma).
 *
 * The Nash-gap is reported exactly as computed: at an equilibrium it may be
 * a round-off-sized negative number (e.g. -1e-16); it is not clipped at 0.
 * SPDX-License-Identifier: MIT */
#include "markov_metrics.h"

#include "core/linalg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* One improvement step on the Q table [S][nA]; returns the number of states
 * whose action changed (first: every state gets its greedy action). */
static size_t improve(size_t S, size_t nA, const double *Q, size_t *pol,
                      int first) {
    size_t changed = 0;
    for (size_t s = 0; s < S; ++s) {
        const double *q = Q + s * nA;
        double qmax = q[0];
        for (size_t a = 1; a < nA; ++a)
            if (q[a] > qmax) qmax = q[a];
        const double tol = MARL_MK_PI_TOL * (1.0 + fabs(qmax));
        if (!first && !(qmax - q[pol[s]] > tol)) continue;
        size_t best = 0;
        while (q[best] < qmax - tol)
            ++best;
        if (first || best != pol[s]) ++changed;
        pol[s] = best;
    }
    return changed;
}

/* Qi = rt + gamma Pt Vb. Pt NULL: the team MDP of a factored game
 * (nA = J), by successive contractions state by state. */
static int pi_q(marl_mk *mk, size_t nA, const double *Pt, const double *rt) {
    const size_t S = mk->S;
    const double g = mk->gamma;
    if (!Pt) {
        for (size_t s = 0; s < S; ++s) {
            double *q = mk->Qi + s * nA;
            const double *r = rt + s * nA;
            marl_mk_factored_contract(mk, s, mk->Vb, q);
            for (size_t j = 0; j < nA; ++j)
                q[j] = r[j] + g * q[j];
        }
        return MARL_OK;
    }
    /* Sizes fit in an int (validated tables), so the products cannot fail. */
    memcpy(mk->Qi, rt, S * nA * sizeof(double));
    return marl_linalg_table_times(S * nA, S, 1, g, Pt, mk->Vb, 1.0, mk->Qi);
}

/* Transition row of (s, action a) of the MDP (Pt NULL: factored team MDP,
 * the product row of joint action a, formed in mk->row). */
static const double *pi_row(marl_mk *mk, size_t nA, const double *Pt,
                            size_t s, size_t a) {
    if (Pt) return Pt + (s * nA + a) * mk->S;
    size_t actions[MARL_MARKOV_MAX_AGENTS];
    for (size_t i = 0; i < mk->N; ++i)
        actions[i] = (a / mk->stride[i]) % mk->A[i];
    marl_markov_factored_row(mk->md, mk->N, mk->A, s, actions, mk->row);
    return mk->row;
}

/* Policy iteration on the MDP (Pt [S][nA][S], rt [S][nA]) started greedy
 * with respect to the values in mk->Vb. Leaves the policy in mk->pol, its
 * values in mk->Vb and V(mu) in *value. */
static int policy_iteration(marl_mk *mk, size_t nA, const double *Pt,
                            const double *rt, double *value, const char *fn) {
    const size_t S = mk->S;
    const double g = mk->gamma;
    int rc = pi_q(mk, nA, Pt, rt);
    if (rc) return rc;
    improve(S, nA, mk->Qi, mk->pol, 1);
    for (size_t it = 0;; ++it) {
        if (it == MARL_MK_PI_MAX_ITER)
            return marl_error(MARL_ENOTCONV,
                              "%s: policy iteration did not stop after %d "
                              "sweeps",
                              fn, MARL_MK_PI_MAX_ITER);
        for (size_t s = 0; s < S; ++s) {
            const double *Prow = pi_row(mk, nA, Pt, s, mk->pol[s]);
            double *row = mk->Mb + s * S;
            for (size_t s2 = 0; s2 < S; ++s2)
                row[s2] = -g * Prow[s2];
            row[s] += 1.0;
            mk->Vb[s] = rt[s * nA + mk->pol[s]];
        }
        rc = marl_linalg_lu(S, mk->Mb, mk->ipivb);
        if (!rc) rc = marl_linalg_lu_solve(S, 1, mk->Mb, mk->ipivb, 0, mk->Vb);
        if (rc) {
            char why[256]; /* copy: the message buffer is rewritten below */
            snprintf(why, sizeof why, "%s", marl_last_error());
            return marl_error(rc, "%s: policy evaluation failed: %s", fn, why);
        }
        rc = pi_q(mk, nA, Pt, rt);
        if (rc) return rc;
        if (improve(S, nA, mk->Qi, mk->pol, 0) == 0) break;
    }
    *value = marl_mk_dot_mu(mk, mk->Vb);
    return MARL_OK;
}

int marl_mk_best_response(marl_mk *mk, size_t agent, const double *Vpi,
                          double *value, const char *fn) {
    memcpy(mk->Vb, Vpi, mk->S * sizeof(double));
    return policy_iteration(mk, mk->A[agent], marl_mk_induced_P(mk, agent),
                            marl_mk_induced_r(mk, agent), value, fn);
}

/* Optimal team welfare: policy iteration over joint actions with reward
 * sum_i r_i, started greedy on the rewards (V = 0). */
static int team_optimum(marl_mk *mk, double *vstar, const char *fn) {
    const size_t S = mk->S, J = mk->J, N = mk->N;
    const double *R = mk->md->R;
    if (mk->cnt) { /* the team MDP over count vectors (symmetric reward) */
        marl_mk_counts_team_reward(mk);
        memset(mk->Vb, 0, S * sizeof(double));
        return policy_iteration(mk, mk->C, mk->cnt->Pc, mk->Rt, vstar, fn);
    }
    for (size_t s = 0; s < S; ++s)
        for (size_t j = 0; j < J; ++j) {
            double acc = 0.0;
            for (size_t i = 0; i < N; ++i)
                acc += R[(i * S + s) * J + j];
            mk->Rt[s * J + j] = acc;
        }
    memset(mk->Vb, 0, S * sizeof(double));
    return policy_iteration(mk, J, mk->md->P, mk->Rt, vstar, fn);
    /* (md->P is NULL on a factored game: pi_q/pi_row contract instead) */
}

/* An output policy must be direct, per agent and stationary, of the game. */
static int check_out_policy(const marl_mk *mk, const marl_policy *p,
                            const char *what, const char *fn) {
    if (p->flags & MARL_POLICY_LOGITS)
        return marl_error(MARL_EINVAL,
                          "%s: %s must be a direct policy (a LOGITS policy "
                          "cannot be deterministic)",
                          fn, what);
    if (p->flags & MARL_POLICY_SHARED)
        return marl_error(MARL_EINVAL,
                          "%s: %s must have one table per agent (not SHARED)",
                          fn, what);
    return marl_mk_check_policy(mk, p, fn);
}

/* Row (agent, state) of a direct stationary policy made pure on `action`. */
static void set_pure(marl_policy *p, size_t agent, size_t s, size_t action) {
    const size_t A = p->n_actions[agent];
    double *row = p->values + p->offset[agent] + s * A;
    for (size_t a = 0; a < A; ++a)
        row[a] = 0.0;
    row[action] = 1.0;
}

int marl_markov_best_response(const marl_game *game, const marl_policy *policy,
                              size_t agent, double *br_value,
                              marl_policy *br_policy) {
    const char *fn = "marl_markov_best_response";
    marl_mk mk;
    int rc = marl_mk_init(&mk, game, NULL, fn);
    if (rc) return rc;
    if (!br_value) return marl_error(MARL_EINVAL, "%s: br_value is NULL", fn);
    if (agent >= mk.N)
        return marl_error(MARL_ERANGE,
                          "%s: agent %zu out of range (%zu agents)", fn, agent,
                          mk.N);
    if (br_policy && (rc = check_out_policy(&mk, br_policy, "br_policy", fn)))
        return rc;
    rc = marl_mk_eval_policy(&mk, game, policy, MARL_MK_BR, 0,
                             UINT64_C(1) << agent, fn);
    if (rc) return rc;
    double v;
    rc = marl_mk_best_response(&mk, agent, mk.V + agent * mk.S, &v, fn);
    if (!rc) {
        *br_value = v;
        if (br_policy)
            for (size_t s = 0; s < mk.S; ++s)
                set_pure(br_policy, agent, s, mk.pol[s]);
    }
    marl_mk_release(&mk);
    return rc;
}

int marl_markov_nash_gap(const marl_game *game, const marl_policy *policy,
                         double *gap, double *per_agent) {
    const char *fn = "marl_markov_nash_gap";
    if (!gap) {
        marl_mk mk;
        int rc = marl_mk_init(&mk, game, NULL, fn);
        return rc ? rc : marl_error(MARL_EINVAL, "%s: gap is NULL", fn);
    }
    marl_mk mk;
    /* Factored games build one agent's induced MDP at a time (S*A_i*S
     * entries) instead of all of them at once. */
    int fac = marl_markov_is_factored(game);
    int rc = marl_mk_eval_policy(&mk, game, policy,
                                 fac ? MARL_MK_BR : MARL_MK_BR | MARL_MK_BR_ALL,
                                 0, fac ? 0 : UINT64_MAX, fn);
    if (rc) return rc;
    double gains[MARL_MARKOV_MAX_AGENTS], best = -INFINITY;
    for (size_t i = 0; i < mk.N && !rc; ++i) {
        double v;
        if (fac) marl_mk_factored_induced(&mk, i);
        rc = marl_mk_best_response(&mk, i, mk.V + i * mk.S, &v, fn);
        gains[i] = v - marl_mk_dot_mu(&mk, mk.V + i * mk.S);
        if (gains[i] > best) best = gains[i];
    }
    if (!rc) {
        *gap = best;
        if (per_agent) memcpy(per_agent, gains, mk.N * sizeof(double));
    }
    marl_mk_release(&mk);
    return rc;
}

int marl_markov_optimal_welfare(const marl_game *game, double *vstar,
                                marl_policy *opt_policy) {
    const char *fn = "marl_markov_optimal_welfare";
    marl_mk mk;
    int rc = marl_mk_init(&mk, game, NULL, fn);
    if (rc) return rc;
    if (!vstar) return marl_error(MARL_EINVAL, "%s: vstar is NULL", fn);
    if (opt_policy &&
        (rc = check_out_policy(&mk, opt_policy, "opt_policy", fn)))
        return rc;
    rc = marl_mk_alloc(&mk, MARL_MK_TEAM, fn);
    if (rc) return rc;
    double v;
    rc = team_optimum(&mk, &v, fn);
    if (!rc) {
        *vstar = v;
        if (opt_policy && mk.cnt) {
            size_t actions[MARL_MARKOV_MAX_AGENTS];
            for (size_t s = 0; s < mk.S; ++s) {
                marl_mk_counts_assign(&mk, mk.pol[s], actions);
                for (size_t i = 0; i < mk.N; ++i)
                    set_pure(opt_policy, i, s, actions[i]);
            }
        } else if (opt_policy) {
            for (size_t s = 0; s < mk.S; ++s)
                for (size_t i = 0; i < mk.N; ++i)
                    set_pure(opt_policy, i, s,
                             (mk.pol[s] / mk.stride[i]) % mk.A[i]);
        }
    }
    marl_mk_release(&mk);
    return rc;
}

int marl_markov_price_of_anarchy(const marl_game *game,
                                 const marl_policy *policy, double *poa,
                                 double *welfare, double *vstar) {
    const char *fn = "marl_markov_price_of_anarchy";
    marl_mk mk;
    int rc;
    if (!poa) {
        rc = marl_mk_init(&mk, game, NULL, fn);
        return rc ? rc : marl_error(MARL_EINVAL, "%s: poa is NULL", fn);
    }
    rc = marl_mk_eval_policy(&mk, game, policy, MARL_MK_TEAM, 0, 0, fn);
    if (rc) return rc;
    double w = 0.0, v;
    for (size_t i = 0; i < mk.N; ++i)
        w += marl_mk_dot_mu(&mk, mk.V + i * mk.S);
    rc = team_optimum(&mk, &v, fn);
    if (!rc) {
        *poa = v > 0.0 ? w / v : NAN;
        if (welfare) *welfare = w;
        if (vstar) *vstar = v;
    }
    marl_mk_release(&mk);
    return rc;
}
