/*
 * Tabular product policies: construction, layout, rows, randomisation and
 * distance. Serialisation lives in policy_io.c (binary) and policy_csv.c.
 * SPDX-License-Identifier: MIT
 */
#include "policy/policy_impl.h"
#include "game/game_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ALL_FLAGS (MARL_POLICY_SHARED | MARL_POLICY_PER_STEP | MARL_POLICY_LOGITS)

void marl_softmax(const double *theta, size_t n, double *out) {
    if (n == 0) return;
    double m = theta[0];
    for (size_t k = 1; k < n; ++k)
        if (theta[k] > m) m = theta[k];
    double sum = 0.0;
    for (size_t k = 0; k < n; ++k) {
        out[k] = exp(theta[k] - m);
        sum += out[k];
    }
    for (size_t k = 0; k < n; ++k) out[k] /= sum;
}

void marl_policy_probs_unchecked(const marl_policy *p, size_t agent,
                                 size_t step, size_t state, double *out) {
    const double *row = marl_policy_row_ptr(p, agent, step, state);
    size_t A = p->n_actions[marl_policy_table(p, agent)];
    if (p->flags & MARL_POLICY_LOGITS)
        marl_softmax(row, A, out);
    else
        memcpy(out, row, A * sizeof *out);
}

/* Fill every row uniform (probabilities 1/A, or logits 0). */
static void fill_uniform(marl_policy *p) {
    int logits = (p->flags & MARL_POLICY_LOGITS) != 0;
    for (size_t t = 0; t < p->n_tables; ++t) {
        size_t A = p->n_actions[t];
        size_t len = p->n_steps * p->n_states * A;
        double v = logits ? 0.0 : 1.0 / (double)A;
        double *x = p->values + p->offset[t];
        for (size_t k = 0; k < len; ++k) x[k] = v;
    }
}

int marl_policy_new_steps(marl_policy **out, marl_game *game, unsigned flags,
                          size_t n_steps) {
    const char *fn = "marl_policy_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (!game) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    if (flags & ~(unsigned)ALL_FLAGS)
        return marl_error(MARL_EINVAL, "%s: unknown flag bits 0x%x", fn,
                          flags & ~(unsigned)ALL_FLAGS);
    if (n_steps == 0)
        return marl_error(MARL_EINVAL, "%s: n_steps is 0, need >= 1", fn);
    if (n_steps > 1 && !(flags & MARL_POLICY_PER_STEP))
        return marl_error(MARL_EINVAL,
                          "%s: n_steps = %zu > 1 requires MARL_POLICY_PER_STEP",
                          fn, n_steps);
    size_t N = game->n_agents, S = game->n_states;
    if (N == 0 || S == 0)
        return marl_error(MARL_EINVAL, "%s: game '%s' has no agents or states",
                          fn, game->name);
    int shared = (flags & MARL_POLICY_SHARED) != 0;
    size_t T = shared ? 1 : N;
    for (size_t i = 0; i < N; ++i) {
        if (game->n_actions[i] == 0)
            return marl_error(MARL_EINVAL, "%s: agent %zu has no actions", fn,
                              i);
        if (shared && game->n_actions[i] != game->n_actions[0])
            return marl_error(MARL_EINVAL,
                              "%s: MARL_POLICY_SHARED needs equal action "
                              "counts, but agent %zu has %zu actions and "
                              "agent 0 has %zu", fn, i, game->n_actions[i],
                              game->n_actions[0]);
    }
    size_t rows, total = 0;
    if (!marl_mul_size(n_steps, S, &rows))
        return marl_error(MARL_ERANGE, "%s: %zu steps x %zu states overflow",
                          fn, n_steps, S);
    for (size_t t = 0; t < T; ++t) {
        size_t len;
        if (!marl_mul_size(rows, game->n_actions[t], &len) ||
            !marl_add_size(total, len, &total) ||
            !marl_mul_size(total, sizeof(double), &len))
            return marl_error(MARL_ERANGE, "%s: policy table too large", fn);
    }

    marl_policy *p = marl_calloc(1, sizeof *p);
    if (!p) return marl_error_nomem("the policy object");
    p->n_actions = marl_calloc(T, sizeof *p->n_actions);
    p->offset = marl_calloc(T, sizeof *p->offset);
    p->values = marl_calloc(total, sizeof *p->values);
    if (!p->n_actions || !p->offset || !p->values) {
        marl_free(p->n_actions);
        marl_free(p->offset);
        marl_free(p->values);
        marl_free(p);
        return marl_error_nomem("the policy tables");
    }
    p->flags = flags;
    p->n_agents = N;
    p->n_steps = n_steps;
    p->n_states = S;
    p->n_tables = T;
    p->n_values = total;
    size_t off = 0;
    for (size_t t = 0; t < T; ++t) {
        p->n_actions[t] = game->n_actions[t];
        p->offset[t] = off;
        off += rows * p->n_actions[t];
    }
    fill_uniform(p);
    p->game = marl_game_ref(game);
    *out = p;
    return MARL_OK;
}

int marl_policy_new(marl_policy **out, marl_game *game, unsigned flags) {
    if (!out) return marl_error(MARL_EINVAL, "marl_policy_new: out is NULL");
    if (!game) return marl_error(MARL_EINVAL, "marl_policy_new: game is NULL");
    size_t steps = 1;
    if (flags & MARL_POLICY_PER_STEP) {
        if (game->horizon == 0)
            return marl_error(MARL_EINVAL,
                              "marl_policy_new: MARL_POLICY_PER_STEP needs a "
                              "finite-horizon game, but game '%s' (%s) is "
                              "discounted (horizon 0)", game->name,
                              marl_game_kind_name(game->kind));
        steps = game->horizon;
    }
    return marl_policy_new_steps(out, game, flags, steps);
}

void marl_policy_free(marl_policy *policy) {
    if (!policy) return;
    marl_game_unref(policy->game);
    marl_free(policy->n_actions);
    marl_free(policy->offset);
    marl_free(policy->values);
    marl_free(policy);
}

int marl_policy_copy(marl_policy **out, const marl_policy *policy) {
    if (!out) return marl_error(MARL_EINVAL, "marl_policy_copy: out is NULL");
    if (!policy)
        return marl_error(MARL_EINVAL, "marl_policy_copy: policy is NULL");
    size_t T = policy->n_tables;
    marl_policy *p = marl_calloc(1, sizeof *p);
    if (!p) return marl_error_nomem("the policy copy");
    *p = *policy;
    p->n_actions = marl_calloc(T, sizeof *p->n_actions);
    p->offset = marl_calloc(T, sizeof *p->offset);
    p->values = marl_calloc(policy->n_values, sizeof *p->values);
    if (!p->n_actions || !p->offset || !p->values) {
        marl_free(p->n_actions);
        marl_free(p->offset);
        marl_free(p->values);
        marl_free(p);
        return marl_error_nomem("the policy copy's tables");
    }
    memcpy(p->n_actions, policy->n_actions, T * sizeof *p->n_actions);
    memcpy(p->offset, policy->offset, T * sizeof *p->offset);
    memcpy(p->values, policy->values, policy->n_values * sizeof *p->values);
    p->game = marl_game_ref(policy->game);
    *out = p;
    return MARL_OK;
}

/* 1 if the layouts of a and b are identical (flags, sizes, action counts). */
static int same_layout(const marl_policy *a, const marl_policy *b) {
    if (a->flags != b->flags || a->n_agents != b->n_agents ||
        a->n_steps != b->n_steps || a->n_states != b->n_states ||
        a->n_tables != b->n_tables || a->n_values != b->n_values)
        return 0;
    for (size_t t = 0; t < a->n_tables; ++t)
        if (a->n_actions[t] != b->n_actions[t]) return 0;
    return 1;
}

int marl_policy_assign(marl_policy *dst, const marl_policy *src) {
    if (!dst || !src)
        return marl_error(MARL_EINVAL, "marl_policy_assign: %s is NULL",
                          dst ? "src" : "dst");
    if (!same_layout(dst, src))
        return marl_error(MARL_EINVAL,
                          "marl_policy_assign: layouts differ (flags, agents, "
                          "steps, states or action counts)");
    if (dst != src)
        memcpy(dst->values, src->values, src->n_values * sizeof *src->values);
    return MARL_OK;
}

/* ---- layout -------------------------------------------------------------- */

marl_game *marl_policy_game(const marl_policy *policy) {
    return policy ? policy->game : NULL;
}
unsigned marl_policy_flags(const marl_policy *policy) {
    return policy ? policy->flags : 0u;
}
size_t marl_policy_num_agents(const marl_policy *policy) {
    return policy ? policy->n_agents : 0;
}
size_t marl_policy_num_steps(const marl_policy *policy) {
    return policy ? policy->n_steps : 0;
}
size_t marl_policy_num_states(const marl_policy *policy) {
    return policy ? policy->n_states : 0;
}
size_t marl_policy_num_actions(const marl_policy *policy, size_t agent) {
    if (!policy || agent >= policy->n_agents) return 0;
    return policy->n_actions[marl_policy_table(policy, agent)];
}

/* ---- rows ---------------------------------------------------------------- */

static int check_row_args(const marl_policy *p, size_t agent, size_t step,
                          size_t state, const void *buf, const char *fn) {
    if (!p) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!buf) return marl_error(MARL_EINVAL, "%s: row buffer is NULL", fn);
    if (agent >= p->n_agents)
        return marl_error(MARL_ERANGE, "%s: agent %zu is out of range [0, %zu)",
                          fn, agent, p->n_agents);
    if (step >= p->n_steps)
        return marl_error(MARL_ERANGE, "%s: step %zu is out of range [0, %zu)",
                          fn, step, p->n_steps);
    if (state >= p->n_states)
        return marl_error(MARL_ERANGE, "%s: state %zu is out of range [0, %zu)",
                          fn, state, p->n_states);
    return MARL_OK;
}

static double *row_mut(marl_policy *p, size_t agent, size_t step,
                       size_t state) {
    return (double *)marl_policy_row_ptr(p, agent, step, state);
}

int marl_policy_get_row(const marl_policy *policy, size_t agent, size_t step,
                        size_t state, double *probs) {
    int rc = check_row_args(policy, agent, step, state, probs,
                            "marl_policy_get_row");
    if (rc) return rc;
    marl_policy_probs_unchecked(policy, agent, step, state, probs);
    return MARL_OK;
}

int marl_policy_set_row(marl_policy *policy, size_t agent, size_t step,
                        size_t state, const double *probs) {
    const char *fn = "marl_policy_set_row";
    int rc = check_row_args(policy, agent, step, state, probs, fn);
    if (rc) return rc;
    size_t A = policy->n_actions[marl_policy_table(policy, agent)];
    char what[128];
    snprintf(what, sizeof what,
             "%s: row (agent %zu, step %zu, state %zu)", fn, agent, step,
             state);
    rc = marl_check_distribution(probs, A, what);
    if (rc) return rc;
    double *row = row_mut(policy, agent, step, state);
    if (!(policy->flags & MARL_POLICY_LOGITS)) {
        memcpy(row, probs, A * sizeof *row);
        return MARL_OK;
    }
    double mean = 0.0;
    for (size_t k = 0; k < A; ++k) {
        if (!(probs[k] > 0.0))
            return marl_error(MARL_ERANGE,
                              "%s: action %zu has probability 0, which a "
                              "LOGITS policy cannot represent", what, k);
        mean += log(probs[k]);
    }
    mean /= (double)A;
    for (size_t k = 0; k < A; ++k) row[k] = log(probs[k]) - mean;
    return MARL_OK;
}

int marl_policy_get_logits(const marl_policy *policy, size_t agent,
                           size_t step, size_t state, double *theta) {
    const char *fn = "marl_policy_get_logits";
    int rc = check_row_args(policy, agent, step, state, theta, fn);
    if (rc) return rc;
    if (!(policy->flags & MARL_POLICY_LOGITS))
        return marl_error(MARL_EINVAL, "%s: not a LOGITS policy", fn);
    size_t A = policy->n_actions[marl_policy_table(policy, agent)];
    memcpy(theta, marl_policy_row_ptr(policy, agent, step, state),
           A * sizeof *theta);
    return MARL_OK;
}

int marl_policy_set_logits(marl_policy *policy, size_t agent, size_t step,
                           size_t state, const double *theta) {
    const char *fn = "marl_policy_set_logits";
    int rc = check_row_args(policy, agent, step, state, theta, fn);
    if (rc) return rc;
    if (!(policy->flags & MARL_POLICY_LOGITS))
        return marl_error(MARL_EINVAL, "%s: not a LOGITS policy", fn);
    size_t A = policy->n_actions[marl_policy_table(policy, agent)];
    for (size_t k = 0; k < A; ++k)
        if (!isfinite(theta[k]))
            return marl_error(MARL_EINVAL,
                              "%s: logit %zu of row (agent %zu, step %zu, "
                              "state %zu) is not finite", fn, k, agent, step,
                              state);
    memcpy(row_mut(policy, agent, step, state), theta, A * sizeof *theta);
    return MARL_OK;
}

int marl_policy_set_pure(marl_policy *policy, size_t agent, size_t step,
                         size_t state, size_t action) {
    const char *fn = "marl_policy_set_pure";
    int rc = check_row_args(policy, agent, step, state, &action, fn);
    if (rc) return rc;
    if (policy->flags & MARL_POLICY_LOGITS)
        return marl_error(MARL_EINVAL,
                          "%s: a LOGITS policy cannot be deterministic", fn);
    size_t A = policy->n_actions[marl_policy_table(policy, agent)];
    if (action >= A)
        return marl_error(MARL_ERANGE,
                          "%s: action %zu is out of range [0, %zu) for agent "
                          "%zu", fn, action, A, agent);
    double *row = row_mut(policy, agent, step, state);
    for (size_t k = 0; k < A; ++k) row[k] = (k == action) ? 1.0 : 0.0;
    return MARL_OK;
}

int marl_policy_set_uniform(marl_policy *policy) {
    if (!policy)
        return marl_error(MARL_EINVAL, "marl_policy_set_uniform: policy is NULL");
    fill_uniform(policy);
    return MARL_OK;
}

int marl_policy_randomize(marl_policy *policy, marl_rng *rng) {
    const char *fn = "marl_policy_randomize";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!rng) return marl_error(MARL_EINVAL, "%s: rng is NULL", fn);
    if (policy->flags & MARL_POLICY_LOGITS) {
        /* theta ~ N(0,1), one normal per logit in storage order, which is
         * (table, step, state, action) order. */
        for (size_t k = 0; k < policy->n_values; ++k)
            policy->values[k] = marl_rng_normal(rng);
        return MARL_OK;
    }
    size_t A_max = 0;
    for (size_t t = 0; t < policy->n_tables; ++t)
        if (policy->n_actions[t] > A_max) A_max = policy->n_actions[t];
    double *alpha = marl_calloc(A_max, sizeof *alpha);
    double *fresh = marl_calloc(policy->n_values, sizeof *fresh);
    if (!alpha || !fresh) {
        marl_free(alpha);
        marl_free(fresh);
        return marl_error_nomem("the randomisation buffers");
    }
    for (size_t k = 0; k < A_max; ++k) alpha[k] = 1.0;
    size_t rows = policy->n_steps * policy->n_states;
    for (size_t t = 0; t < policy->n_tables; ++t) {
        size_t A = policy->n_actions[t];
        for (size_t r = 0; r < rows; ++r) {
            double *row = fresh + policy->offset[t] + r * A;
            int rc = marl_rng_dirichlet(rng, alpha, A, row);
            if (rc) {
                marl_free(alpha);
                marl_free(fresh);
                return rc;
            }
        }
    }
    memcpy(policy->values, fresh, policy->n_values * sizeof *fresh);
    marl_free(alpha);
    marl_free(fresh);
    return MARL_OK;
}

int marl_policy_distance(const marl_policy *a, const marl_policy *b,
                         double *max_abs_diff) {
    const char *fn = "marl_policy_distance";
    if (!a || !b || !max_abs_diff)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !a ? "a" : !b ? "b" : "max_abs_diff");
    if (a->n_agents != b->n_agents || a->n_steps != b->n_steps ||
        a->n_states != b->n_states)
        return marl_error(MARL_EINVAL,
                          "%s: layouts differ (agents %zu/%zu, steps %zu/%zu, "
                          "states %zu/%zu)", fn, a->n_agents, b->n_agents,
                          a->n_steps, b->n_steps, a->n_states, b->n_states);
    for (size_t i = 0; i < a->n_agents; ++i)
        if (marl_policy_num_actions(a, i) != marl_policy_num_actions(b, i))
            return marl_error(MARL_EINVAL,
                              "%s: agent %zu has %zu actions in a but %zu in b",
                              fn, i, marl_policy_num_actions(a, i),
                              marl_policy_num_actions(b, i));
    /* Compare probabilities agent by agent (shared and per-agent policies of
     * the same game compare fine), without allocating: softmax entries are
     * computed one at a time. */
    double worst = 0.0;
    for (size_t i = 0; i < a->n_agents; ++i) {
        size_t A = marl_policy_num_actions(a, i);
        for (size_t h = 0; h < a->n_steps; ++h)
            for (size_t s = 0; s < a->n_states; ++s) {
                const double *ra = marl_policy_row_ptr(a, i, h, s);
                const double *rb = marl_policy_row_ptr(b, i, h, s);
                int la = (a->flags & MARL_POLICY_LOGITS) != 0;
                int lb = (b->flags & MARL_POLICY_LOGITS) != 0;
                double ma = 0.0, za = 1.0, mb = 0.0, zb = 1.0;
                if (la) {
                    ma = ra[0];
                    for (size_t k = 1; k < A; ++k)
                        if (ra[k] > ma) ma = ra[k];
                    za = 0.0;
                    for (size_t k = 0; k < A; ++k) za += exp(ra[k] - ma);
                }
                if (lb) {
                    mb = rb[0];
                    for (size_t k = 1; k < A; ++k)
                        if (rb[k] > mb) mb = rb[k];
                    zb = 0.0;
                    for (size_t k = 0; k < A; ++k) zb += exp(rb[k] - mb);
                }
                for (size_t k = 0; k < A; ++k) {
                    double pa = la ? exp(ra[k] - ma) / za : ra[k];
                    double pb = lb ? exp(rb[k] - mb) / zb : rb[k];
                    double d = fabs(pa - pb);
                    if (d > worst) worst = d;
                }
            }
    }
    *max_abs_diff = worst;
    return MARL_OK;
}
