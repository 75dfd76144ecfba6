/*
 * Alias tables of population-game policies for the N-player simulator
 * (popsim.h): Vose's method (O(n) construction), one uniform per draw.
 * SPDX-License-Identifier: MIT
 */
#include "sampler/population/popsim.h"

#include <string.h>

void marl_pop_alias_build(const double *p, size_t n, double *prob,
                          uint32_t *alias, size_t *work) {
    size_t *small = work, *large = work + n;
    size_t ns = 0, nl = 0, best = 0;
    for (size_t k = 0; k < n; ++k) {
        prob[k] = p[k] * (double)n;
        alias[k] = (uint32_t)k;
        if (p[k] > p[best]) best = k;
        if (prob[k] < 1.0)
            small[ns++] = k;
        else
            large[nl++] = k;
    }
    while (ns > 0 && nl > 0) {
        size_t l = small[--ns], g = large[nl - 1];
        alias[l] = (uint32_t)g;
        prob[g] = (prob[g] + prob[l]) - 1.0;
        if (prob[g] < 1.0) {
            --nl;
            small[ns++] = g;
        }
    }
    while (nl > 0) prob[large[--nl]] = 1.0;
    /* Round-off leftovers: keep them unless their probability is 0 (then
     * always take the most likely outcome). */
    while (ns > 0) {
        size_t l = small[--ns];
        if (p[l] > 0.0) {
            prob[l] = 1.0;
        } else {
            prob[l] = 0.0;
            alias[l] = (uint32_t)best;
        }
    }
    /* A zero-probability column must never keep itself, nor be an alias. */
    for (size_t k = 0; k < n; ++k) {
        if (p[k] <= 0.0) prob[k] = 0.0;
        if (p[alias[k]] <= 0.0) {
            alias[k] = (uint32_t)best;
            if (p[k] > 0.0 && prob[k] < 1.0 && alias[k] == k) prob[k] = 1.0;
        }
    }
}

void marl_poptab_free(marl_poptab *t) {
    if (!t) return;
    marl_free(t->prob);
    marl_free(t->alias);
    memset(t, 0, sizeof *t);
}

int marl_poptab_reshape(marl_poptab *t, size_t agents, size_t steps, size_t S,
                        size_t A) {
    size_t rows, n;
    if (!marl_mul_size(agents, steps, &rows) ||
        !marl_mul_size(rows, S, &rows) || !marl_mul_size(rows, A, &n) ||
        n > SIZE_MAX / sizeof(double))
        return marl_error(MARL_ERANGE, "policy tables of %zu agents, %zu "
                          "steps, %zu states, %zu actions are too large",
                          agents, steps, S, A);
    if (rows > t->cap) {
        double *p = marl_malloc(n * sizeof *p);
        uint32_t *al = marl_malloc(n * sizeof *al);
        if (!p || !al) {
            marl_free(p);
            marl_free(al);
            return marl_error_nomem("the alias tables of a policy");
        }
        marl_free(t->prob);
        marl_free(t->alias);
        t->prob = p;
        t->alias = al;
        t->cap = rows;
    }
    t->agents = agents;
    t->steps = steps;
    t->S = S;
    t->A = A;
    return MARL_OK;
}

void marl_poptab_fill(marl_poptab *t, const double *probs, size_t *work) {
    size_t rows = t->agents * t->steps * t->S, A = t->A;
    for (size_t r = 0; r < rows; ++r)
        marl_pop_alias_build(probs + r * A, A, t->prob + r * A,
                             t->alias + r * A, work);
}

int marl_pop_check_policy(const marl_policy *policy, size_t N, size_t S,
                          size_t A, size_t H, const char *fn) {
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    size_t steps = marl_policy_num_steps(policy);
    if (marl_policy_num_agents(policy) != N ||
        marl_policy_num_states(policy) != S ||
        marl_policy_num_actions(policy, 0) != A || (steps != 1 && steps != H))
        return marl_error(MARL_EINVAL,
                          "%s: the policy (%zu agents, %zu steps, %zu states, "
                          "%zu actions) does not fit the population game "
                          "(%zu agents, horizon %zu, %zu states, %zu actions)",
                          fn, marl_policy_num_agents(policy), steps,
                          marl_policy_num_states(policy),
                          marl_policy_num_actions(policy, 0), N, H, S, A);
    return MARL_OK;
}

int marl_poptab_from_policy(marl_poptab *t, const marl_policy *policy,
                            size_t N, size_t S, size_t A, size_t H,
                            const char *fn) {
    int rc = marl_pop_check_policy(policy, N, S, A, H, fn);
    if (rc) return rc;
    if (A > MARL_POPSIM_MAX_ACTIONS)
        return marl_error(MARL_ERANGE,
                          "%s: %zu actions; the N-player simulator supports "
                          "at most %d",
                          fn, A, MARL_POPSIM_MAX_ACTIONS);
    size_t agents = (marl_policy_flags(policy) & MARL_POLICY_SHARED) ? 1 : N;
    size_t steps = marl_policy_num_steps(policy);
    rc = marl_poptab_reshape(t, agents, steps, S, A);
    if (rc) return rc;
    double p[MARL_POPSIM_MAX_ACTIONS];
    size_t work[2 * MARL_POPSIM_MAX_ACTIONS];
    for (size_t i = 0; i < agents; ++i)
        for (size_t h = 0; h < steps; ++h)
            for (size_t s = 0; s < S; ++s) {
                rc = marl_policy_get_row(policy, i, h, s, p);
                if (rc) return rc;
                size_t r = (i * steps + h) * S + s;
                marl_pop_alias_build(p, A, t->prob + r * A, t->alias + r * A,
                                     work);
            }
    return MARL_OK;
}
