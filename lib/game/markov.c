/*
 * The Markov kind: builder (dense tables or callbacks), build and the
 * one-call constructor. Table layouts are documented in game.h; the
 * accessors are in markov_access.c, the factored construction in
 * markov_factored.c.
 * SPDX-License-Identifier: MIT
 */
#include "game/markov_builder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------- */

/* Shortest of %.15g/%.16g/%.17g that reads back as x (for messages). */
static const char *fmt_num(double x, char buf[32]) {
    for (int prec = 15; prec <= 17; ++prec) {
        snprintf(buf, 32, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
    return buf;
}

/* Validate a probability row: finite, >= 0, and (unless normalize) summing
 * to 1 within MARL_PROB_TOL; with normalize, the sum must be positive and
 * finite and goes to *sum for the caller to rescale. `what` names the row in
 * messages. */
int marl_markov_check_row(const double *row, size_t n, int normalize,
                          const char *what, double *sum_out) {
    double sum = 0.0;
    char num[32];
    for (size_t k = 0; k < n; ++k) {
        if (!isfinite(row[k]))
            return marl_error(MARL_EINVAL, "%s: entry %zu is not finite (%g)",
                              what, k, row[k]);
        if (row[k] < 0.0)
            return marl_error(MARL_EINVAL, "%s: entry %zu is negative (%s)",
                              what, k, fmt_num(row[k], num));
        sum += row[k];
    }
    if (normalize) {
        if (!(sum > 0.0) || !isfinite(sum))
            return marl_error(MARL_EINVAL,
                              "%s sums to %s and cannot be normalised", what,
                              fmt_num(sum, num));
        *sum_out = sum;
        return MARL_OK;
    }
    if (fabs(sum - 1.0) > MARL_PROB_TOL)
        return marl_error(MARL_EINVAL, "%s sums to %s, expected 1", what,
                          fmt_num(sum, num));
    *sum_out = sum;
    return MARL_OK;
}

static int check_transition_row(double *row, size_t S, size_t s, size_t j,
                                int normalize) {
    char what[96];
    snprintf(what, sizeof what, "transition row of state %zu, joint action %zu",
             s, j);
    double sum = 1.0;
    int rc = marl_markov_check_row(row, S, normalize, what, &sum);
    if (!rc && normalize)
        for (size_t k = 0; k < S; ++k) row[k] /= sum;
    return rc;
}

static int check_rewards(const double *r, size_t N, size_t S, size_t J) {
    for (size_t i = 0; i < N; ++i)
        for (size_t s = 0; s < S; ++s)
            for (size_t j = 0; j < J; ++j) {
                double v = r[(i * S + s) * J + j];
                if (!isfinite(v))
                    return marl_error(MARL_EINVAL,
                                      "reward of agent %zu at state %zu, joint "
                                      "action %zu is not finite (%g)", i, s, j,
                                      v);
            }
    return MARL_OK;
}

static int check_potential(const double *phi, size_t S, size_t J) {
    for (size_t s = 0; s < S; ++s)
        for (size_t j = 0; j < J; ++j)
            if (!isfinite(phi[s * J + j]))
                return marl_error(MARL_EINVAL,
                                  "potential at state %zu, joint action %zu is "
                                  "not finite (%g)", s, j, phi[s * J + j]);
    return MARL_OK;
}

double *marl_markov_dup_doubles(const double *src, size_t n) {
    size_t bytes;
    if (!marl_mul_size(n, sizeof(double), &bytes)) return NULL;
    double *d = marl_malloc(bytes);
    if (d) memcpy(d, src, bytes);
    return d;
}

/* Advance actions[] to the next joint action (player N-1 fastest). */
static void next_joint(size_t *actions, const size_t *A, size_t N) {
    for (size_t i = N; i-- > 0;) {
        if (++actions[i] < A[i]) return;
        actions[i] = 0;
    }
}

/* ---- builder ------------------------------------------------------------- */

int marl_markov_builder_new(marl_markov_builder **out, size_t n_agents,
                            size_t n_states, const size_t *n_actions) {
    if (!out)
        return marl_error(MARL_EINVAL, "marl_markov_builder_new: out is NULL");
    if (n_agents == 0)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_new: n_agents is 0, need >= 1");
    if (n_agents > MARL_MARKOV_MAX_AGENTS)
        return marl_error(MARL_ERANGE,
                          "marl_markov_builder_new: n_agents = %zu exceeds "
                          "MARL_MARKOV_MAX_AGENTS (%d)", n_agents,
                          MARL_MARKOV_MAX_AGENTS);
    if (n_states == 0)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_new: n_states is 0, need >= 1");
    if (!n_actions)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_new: n_actions is NULL");
    size_t J = 1;
    for (size_t i = 0; i < n_agents; ++i) {
        if (n_actions[i] == 0)
            return marl_error(MARL_EINVAL,
                              "marl_markov_builder_new: agent %zu has 0 "
                              "actions, need >= 1", i);
        if (!marl_mul_size(J, n_actions[i], &J) ||
            J > MARL_MARKOV_MAX_ENTRIES)
            return marl_error(MARL_ERANGE,
                              "marl_markov_builder_new: the number of joint "
                              "actions exceeds MARL_MARKOV_MAX_ENTRIES (at "
                              "agent %zu)", i);
    }
    size_t SJ, p_len, r_len;
    if (!marl_mul_size(n_states, J, &SJ) ||
        !marl_mul_size(SJ, n_states, &p_len) ||
        p_len > MARL_MARKOV_MAX_ENTRIES)
        return marl_error(MARL_ERANGE,
                          "marl_markov_builder_new: transition table S*J*S "
                          "(S = %zu, J = %zu) exceeds MARL_MARKOV_MAX_ENTRIES "
                          "(%zu)", n_states, J,
                          (size_t)MARL_MARKOV_MAX_ENTRIES);
    if (!marl_mul_size(SJ, n_agents, &r_len) ||
        r_len > MARL_MARKOV_MAX_ENTRIES)
        return marl_error(MARL_ERANGE,
                          "marl_markov_builder_new: reward table N*S*J (N = "
                          "%zu, S = %zu, J = %zu) exceeds "
                          "MARL_MARKOV_MAX_ENTRIES (%zu)", n_agents, n_states,
                          J, (size_t)MARL_MARKOV_MAX_ENTRIES);

    marl_markov_builder *b = marl_calloc(1, sizeof *b);
    if (!b) return marl_error_nomem("the Markov builder");
    b->n_actions = marl_calloc(n_agents, sizeof *b->n_actions);
    b->stride = marl_calloc(n_agents, sizeof *b->stride);
    b->mu = marl_calloc(n_states, sizeof *b->mu);
    if (!b->n_actions || !b->stride || !b->mu) {
        marl_markov_builder_free(b);
        return marl_error_nomem("the Markov builder's arrays");
    }
    memcpy(b->n_actions, n_actions, n_agents * sizeof *n_actions);
    size_t st = 1;
    for (size_t i = n_agents; i-- > 0;) {
        b->stride[i] = st;
        st *= n_actions[i];
    }
    for (size_t s = 0; s < n_states; ++s) b->mu[s] = 1.0 / (double)n_states;
    b->n_agents = n_agents;
    b->n_states = n_states;
    b->n_joint = J;
    b->p_len = p_len;
    b->r_len = r_len;
    b->phi_len = SJ;
    b->gamma = 0.9;
    *out = b;
    return MARL_OK;
}

void marl_markov_builder_free(marl_markov_builder *b) {
    if (!b) return;
    marl_free(b->n_actions);
    marl_free(b->stride);
    marl_free(b->mu);
    marl_free(b->P);
    marl_free(b->R);
    marl_free(b->phi);
    marl_free(b->name);
    marl_free(b->L);
    marl_free(b->lstride);
    marl_free(b->loff);
    marl_free(b->Pl);
    marl_free(b->lgiven);
    marl_markov_counts_free(b->cnt);
    marl_free(b);
}

#define REQUIRE_BUILDER(b, fn)                                               \
    do {                                                                     \
        if (!(b)) return marl_error(MARL_EINVAL, fn ": builder is NULL");    \
    } while (0)

/* MARL_EINVAL if the builder has a count structure: its dense tables are
 * derived from the count tables and must not be replaced one by one. */
static int reject_counts(const marl_markov_builder *b, const char *fn) {
    if (!b->cnt) return MARL_OK;
    return marl_error(MARL_EINVAL,
                      "%s: the builder has a count structure "
                      "(marl_markov_builder_set_counts); give transitions, "
                      "rewards and potential through it", fn);
}

int marl_markov_builder_set_discount(marl_markov_builder *b, double gamma) {
    REQUIRE_BUILDER(b, "marl_markov_builder_set_discount");
    if (!isfinite(gamma) || gamma < 0.0 || gamma >= 1.0)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_set_discount: gamma = %g is "
                          "not in [0, 1)", gamma);
    b->gamma = gamma;
    return MARL_OK;
}

int marl_markov_builder_set_initial(marl_markov_builder *b, const double *mu) {
    REQUIRE_BUILDER(b, "marl_markov_builder_set_initial");
    if (!mu)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_set_initial: mu is NULL");
    double sum;
    int rc = marl_markov_check_row(mu, b->n_states, 0, "initial distribution mu", &sum);
    if (rc) return rc;
    memcpy(b->mu, mu, b->n_states * sizeof *mu);
    return MARL_OK;
}

int marl_markov_builder_set_normalize(marl_markov_builder *b, int on) {
    REQUIRE_BUILDER(b, "marl_markov_builder_set_normalize");
    b->normalize = on != 0;
    return MARL_OK;
}

int marl_markov_builder_set_name(marl_markov_builder *b, const char *name) {
    REQUIRE_BUILDER(b, "marl_markov_builder_set_name");
    if (!name)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_set_name: name is NULL");
    char *copy = marl_strdup(name);
    if (!copy) return marl_error_nomem("the game's name");
    marl_free(b->name);
    b->name = copy;
    return MARL_OK;
}

int marl_markov_builder_set_transitions(marl_markov_builder *b,
                                        const double *P) {
    REQUIRE_BUILDER(b, "marl_markov_builder_set_transitions");
    if (reject_counts(b, "marl_markov_builder_set_transitions"))
        return MARL_EINVAL;
    if (!P)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_set_transitions: P is NULL");
    if (b->factored)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_set_transitions: the builder "
                          "is factored; give local transitions "
                          "(marl_markov_builder_set_local_transitions)");
    double *copy = marl_markov_dup_doubles(P, b->p_len);
    if (!copy) return marl_error_nomem("the transition table");
    size_t S = b->n_states, J = b->n_joint;
    for (size_t s = 0; s < S; ++s)
        for (size_t j = 0; j < J; ++j) {
            int rc = check_transition_row(copy + (s * J + j) * S, S, s, j,
                                          b->normalize);
            if (rc) {
                marl_free(copy);
                return rc;
            }
        }
    marl_free(b->P);
    b->P = copy;
    return MARL_OK;
}

int marl_markov_builder_set_rewards(marl_markov_builder *b, const double *R) {
    REQUIRE_BUILDER(b, "marl_markov_builder_set_rewards");
    if (reject_counts(b, "marl_markov_builder_set_rewards"))
        return MARL_EINVAL;
    if (!R)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_set_rewards: R is NULL");
    int rc = check_rewards(R, b->n_agents, b->n_states, b->n_joint);
    if (rc) return rc;
    double *copy = marl_markov_dup_doubles(R, b->r_len);
    if (!copy) return marl_error_nomem("the reward table");
    marl_free(b->R);
    b->R = copy;
    return MARL_OK;
}

int marl_markov_builder_set_potential(marl_markov_builder *b,
                                      const double *phi) {
    REQUIRE_BUILDER(b, "marl_markov_builder_set_potential");
    if (reject_counts(b, "marl_markov_builder_set_potential"))
        return MARL_EINVAL;
    if (!phi)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_set_potential: phi is NULL");
    int rc = check_potential(phi, b->n_states, b->n_joint);
    if (rc) return rc;
    double *copy = marl_markov_dup_doubles(phi, b->phi_len);
    if (!copy) return marl_error_nomem("the potential table");
    marl_free(b->phi);
    b->phi = copy;
    return MARL_OK;
}

int marl_markov_builder_fill_transitions(marl_markov_builder *b,
                                         marl_markov_transition_fn fn,
                                         void *user) {
    REQUIRE_BUILDER(b, "marl_markov_builder_fill_transitions");
    if (reject_counts(b, "marl_markov_builder_fill_transitions"))
        return MARL_EINVAL;
    if (!fn)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_fill_transitions: callback is "
                          "NULL");
    if (b->factored)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_fill_transitions: the builder "
                          "is factored; give local transitions "
                          "(marl_markov_builder_fill_local_transitions)");
    size_t S = b->n_states, J = b->n_joint, N = b->n_agents;
    double *P = marl_calloc(b->p_len, sizeof *P);
    if (!P) return marl_error_nomem("the transition table");
    size_t actions[MARL_MARKOV_MAX_AGENTS];
    for (size_t s = 0; s < S; ++s) {
        memset(actions, 0, sizeof actions);
        for (size_t j = 0; j < J; ++j, next_joint(actions, b->n_actions, N)) {
            double *row = P + (s * J + j) * S;
            int cb = fn(s, j, actions, row, user);
            int rc = cb ? marl_error(MARL_EINVAL,
                                     "transition callback failed (returned "
                                     "%d) at state %zu, joint action %zu",
                                     cb, s, j)
                        : check_transition_row(row, S, s, j, b->normalize);
            if (rc) {
                marl_free(P);
                return rc;
            }
        }
    }
    marl_free(b->P);
    b->P = P;
    return MARL_OK;
}

int marl_markov_builder_fill_rewards(marl_markov_builder *b,
                                     marl_markov_reward_fn fn, void *user) {
    REQUIRE_BUILDER(b, "marl_markov_builder_fill_rewards");
    if (reject_counts(b, "marl_markov_builder_fill_rewards"))
        return MARL_EINVAL;
    if (!fn)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_fill_rewards: callback is NULL");
    size_t S = b->n_states, J = b->n_joint, N = b->n_agents;
    double *R = marl_calloc(b->r_len, sizeof *R);
    if (!R) return marl_error_nomem("the reward table");
    size_t actions[MARL_MARKOV_MAX_AGENTS];
    double r[MARL_MARKOV_MAX_AGENTS];
    for (size_t s = 0; s < S; ++s) {
        memset(actions, 0, sizeof actions);
        for (size_t j = 0; j < J; ++j, next_joint(actions, b->n_actions, N)) {
            memset(r, 0, sizeof r);
            int cb = fn(s, j, actions, r, user);
            if (cb) {
                marl_free(R);
                return marl_error(MARL_EINVAL,
                                  "reward callback failed (returned %d) at "
                                  "state %zu, joint action %zu", cb, s, j);
            }
            for (size_t i = 0; i < N; ++i) {
                if (!isfinite(r[i])) {
                    marl_free(R);
                    return marl_error(MARL_EINVAL,
                                      "reward of agent %zu at state %zu, "
                                      "joint action %zu is not finite (%g)", i,
                                      s, j, r[i]);
                }
                R[(i * S + s) * J + j] = r[i];
            }
        }
    }
    marl_free(b->R);
    b->R = R;
    return MARL_OK;
}

int marl_markov_builder_fill_potential(marl_markov_builder *b,
                                       marl_markov_potential_fn fn,
                                       void *user) {
    REQUIRE_BUILDER(b, "marl_markov_builder_fill_potential");
    if (reject_counts(b, "marl_markov_builder_fill_potential"))
        return MARL_EINVAL;
    if (!fn)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_fill_potential: callback is "
                          "NULL");
    size_t S = b->n_states, J = b->n_joint, N = b->n_agents;
    double *phi = marl_calloc(b->phi_len, sizeof *phi);
    if (!phi) return marl_error_nomem("the potential table");
    size_t actions[MARL_MARKOV_MAX_AGENTS];
    for (size_t s = 0; s < S; ++s) {
        memset(actions, 0, sizeof actions);
        for (size_t j = 0; j < J; ++j, next_joint(actions, b->n_actions, N)) {
            double v = 0.0;
            int cb = fn(s, j, actions, &v, user);
            int rc = MARL_OK;
            if (cb)
                rc = marl_error(MARL_EINVAL,
                                "potential callback failed (returned %d) at "
                                "state %zu, joint action %zu", cb, s, j);
            else if (!isfinite(v))
                rc = marl_error(MARL_EINVAL,
                                "potential at state %zu, joint action %zu is "
                                "not finite (%g)", s, j, v);
            if (rc) {
                marl_free(phi);
                return rc;
            }
            phi[s * J + j] = v;
        }
    }
    marl_free(b->phi);
    b->phi = phi;
    return MARL_OK;
}

/* ---- build --------------------------------------------------------------- */

static void markov_data_free(void *impl) {
    marl_markov_data *d = impl;
    if (!d) return;
    marl_free(d->stride);
    marl_free(d->P);
    marl_free(d->R);
    marl_free(d->phi);
    marl_free(d->mu);
    marl_free(d->L);
    marl_free(d->lstride);
    marl_free(d->loff);
    marl_free(d->Pl);
    marl_markov_counts_free(d->cnt);
    marl_free(d);
}

int marl_markov_builder_build(marl_markov_builder *b, marl_game **out) {
    REQUIRE_BUILDER(b, "marl_markov_builder_build");
    if (!out)
        return marl_error(MARL_EINVAL, "marl_markov_builder_build: out is NULL");
    if (b->factored) {
        for (size_t k = 0; k < b->n_agents; ++k)
            if (!b->lgiven[k])
                return marl_error(MARL_EINVAL,
                                  "marl_markov_builder_build: local "
                                  "transitions of agent %zu are missing (call "
                                  "set_local_transitions or "
                                  "fill_local_transitions)", k);
    } else if (!b->P)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_build: transitions are missing "
                          "(call set_transitions or fill_transitions)");
    if (!b->R)
        return marl_error(MARL_EINVAL,
                          "marl_markov_builder_build: rewards are missing "
                          "(call set_rewards or fill_rewards)");
    size_t N = b->n_agents, S = b->n_states;
    marl_markov_data *d = marl_calloc(1, sizeof *d);
    if (!d) return marl_error_nomem("the Markov game data");
    d->n_joint = b->n_joint;
    d->stride = marl_calloc(N, sizeof *d->stride);
    d->mu = marl_markov_dup_doubles(b->mu, S);
    d->R = marl_markov_dup_doubles(b->R, b->r_len);
    if (b->phi) d->phi = marl_markov_dup_doubles(b->phi, b->phi_len);
    int ok = d->stride && d->mu && d->R && (!b->phi || d->phi);
    if (ok && b->factored) {
        d->factored = 1;
        d->sumL = b->sumL;
        d->L = marl_calloc(N, sizeof *d->L);
        d->lstride = marl_calloc(N, sizeof *d->lstride);
        d->loff = marl_calloc(N, sizeof *d->loff);
        d->Pl = marl_markov_dup_doubles(b->Pl, b->pl_len);
        ok = d->L && d->lstride && d->loff && d->Pl;
        if (ok) {
            memcpy(d->L, b->L, N * sizeof *d->L);
            memcpy(d->lstride, b->lstride, N * sizeof *d->lstride);
            memcpy(d->loff, b->loff, N * sizeof *d->loff);
        }
    } else if (ok) {
        d->P = marl_markov_dup_doubles(b->P, b->p_len);
        ok = d->P != NULL;
        if (ok && b->cnt) {
            d->cnt = marl_markov_counts_copy(b->cnt);
            ok = d->cnt != NULL;
        }
    }
    if (!ok) {
        markov_data_free(d);
        return marl_error_nomem("the Markov game tables");
    }
    memcpy(d->stride, b->stride, N * sizeof *d->stride);

    marl_game *g = NULL;
    int rc = marl_game_alloc(&g, MARL_GAME_MARKOV, N, S, b->n_actions,
                             b->name ? b->name : "");
    if (rc) {
        markov_data_free(d);
        return rc;
    }
    g->gamma = b->gamma;
    g->horizon = 0;
    g->impl = d;
    g->impl_free = markov_data_free;
    *out = g;
    return MARL_OK;
}

int marl_markov_new(marl_game **out, size_t n_agents, size_t n_states,
                    const size_t *n_actions, double gamma, const double *mu,
                    const double *P, const double *R, const double *phi) {
    if (!out) return marl_error(MARL_EINVAL, "marl_markov_new: out is NULL");
    marl_markov_builder *b = NULL;
    int rc = marl_markov_builder_new(&b, n_agents, n_states, n_actions);
    if (rc) return rc;
    rc = marl_markov_builder_set_discount(b, gamma);
    if (!rc && mu) rc = marl_markov_builder_set_initial(b, mu);
    if (!rc) rc = marl_markov_builder_set_transitions(b, P);
    if (!rc) rc = marl_markov_builder_set_rewards(b, R);
    if (!rc && phi) rc = marl_markov_builder_set_potential(b, phi);
    if (!rc) rc = marl_markov_builder_build(b, out);
    marl_markov_builder_free(b);
    return rc;
}
