/*
 * Count-based ("anonymous") Markov games (game.h): transitions, rewards and
 * potential that depend on the joint action only through its count vector.
 * The builder tabulates the callbacks over the count vectors (ranked by
 * marl_counts_rank) and fills the ordinary dense tables from them; build
 * (markov.c) copies the count tables into the game, where the exact metrics
 * use them (lib/metrics/markov_counts.c).
 * SPDX-License-Identifier: MIT
 */
#include "game/markov_builder.h"
#include "marlgame/counts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the count tables ---------------------------------------------------- */

void marl_markov_counts_free(marl_markov_counts *c) {
    if (!c) return;
    marl_free(c->csize);
    marl_free(c->csoff);
    marl_free(c->csucc);
    marl_free(c->Pc);
    marl_free(c->Rc);
    marl_free(c->phic);
    marl_free(c);
}

/* Table lengths of N agents, S states, A actions; 0 on overflow or when a
 * table would exceed MARL_MARKOV_MAX_ENTRIES. */
static int counts_lengths(size_t N, size_t S, size_t A, size_t *csize,
                          size_t *csoff, size_t *p_len, size_t *r_len) {
    csoff[0] = 0;
    for (size_t k = 0; k <= N; ++k) {
        size_t t;
        if (marl_counts_size(k, A, &csize[k]) != MARL_OK) return 0;
        if (k < N && (!marl_mul_size(csize[k], A, &t) ||
                      !marl_add_size(csoff[k], t, &csoff[k + 1]) ||
                      csoff[k + 1] > MARL_MARKOV_MAX_ENTRIES))
            return 0;
    }
    const size_t C = csize[N];
    size_t SC;
    return marl_mul_size(S, C, &SC) && marl_mul_size(SC, S, p_len) &&
           *p_len <= MARL_MARKOV_MAX_ENTRIES && marl_mul_size(SC, A, r_len) &&
           *r_len <= MARL_MARKOV_MAX_ENTRIES;
}

marl_markov_counts *marl_markov_counts_new(size_t N, size_t S, size_t A,
                                           int with_phi) {
    size_t csize[MARL_MARKOV_MAX_AGENTS + 1], csoff[MARL_MARKOV_MAX_AGENTS + 1];
    size_t p_len = 0, r_len = 0;
    if (N == 0 || N > MARL_MARKOV_MAX_AGENTS || S == 0 || A == 0 ||
        !counts_lengths(N, S, A, csize, csoff, &p_len, &r_len)) {
        marl_error(MARL_ERANGE,
                   "count tables of %zu agents, %zu states and %zu actions "
                   "exceed MARL_MARKOV_MAX_ENTRIES (%zu)", N, S, A,
                   (size_t)MARL_MARKOV_MAX_ENTRIES);
        return NULL;
    }
    marl_markov_counts *c = marl_calloc(1, sizeof *c);
    size_t *vec = marl_calloc(A, sizeof *vec);
    if (c) {
        c->csize = marl_calloc(N + 1, sizeof *c->csize);
        c->csoff = marl_calloc(N + 1, sizeof *c->csoff);
        c->csucc = marl_calloc(csoff[N] ? csoff[N] : 1, sizeof *c->csucc);
        c->Pc = marl_calloc(p_len, sizeof *c->Pc);
        c->Rc = marl_calloc(r_len, sizeof *c->Rc);
        if (with_phi) c->phic = marl_calloc(S * csize[N], sizeof *c->phic);
    }
    if (!c || !vec || !c->csize || !c->csoff || !c->csucc || !c->Pc ||
        !c->Rc || (with_phi && !c->phic)) {
        marl_free(vec);
        marl_markov_counts_free(c);
        marl_error_nomem("the count tables");
        return NULL;
    }
    c->A = A;
    c->N = N;
    c->S = S;
    c->C = csize[N];
    memcpy(c->csize, csize, (N + 1) * sizeof *csize);
    memcpy(c->csoff, csoff, (N + 1) * sizeof *csoff);
    /* csucc: enumerate the vectors of k agents in rank order from
     * (0, ..., 0, k); the ranks cannot fail (sizes checked above). */
    for (size_t k = 0; k < N; ++k) {
        memset(vec, 0, A * sizeof *vec);
        vec[A - 1] = k;
        for (size_t r = 0; r < csize[k]; ++r) {
            for (size_t a = 0; a < A; ++a) {
                vec[a]++;
                (void)marl_counts_rank(vec, A, k + 1,
                                       &c->csucc[csoff[k] + r * A + a]);
                vec[a]--;
            }
            marl_counts_next(vec, A);
        }
    }
    marl_free(vec);
    return c;
}

marl_markov_counts *marl_markov_counts_copy(const marl_markov_counts *src) {
    marl_markov_counts *c =
        marl_markov_counts_new(src->N, src->S, src->A, src->phic != NULL);
    if (!c) return NULL;
    const size_t SC = src->S * src->C;
    memcpy(c->Pc, src->Pc, SC * src->S * sizeof *c->Pc);
    memcpy(c->Rc, src->Rc, SC * src->A * sizeof *c->Rc);
    if (src->phic) memcpy(c->phic, src->phic, SC * sizeof *c->phic);
    return c;
}

/* ---- builder ------------------------------------------------------------- */

/* "(n_0, n_1, ...)" into buf (truncated with "..." past 16 entries). */
static const char *fmt_counts(char *buf, size_t len, const size_t *n,
                              size_t A) {
    size_t used = (size_t)snprintf(buf, len, "(");
    for (size_t a = 0; a < A && used < len; ++a) {
        if (a == 16) {
            used += (size_t)snprintf(buf + used, len - used, ", ...");
            break;
        }
        used += (size_t)snprintf(buf + used, len - used, "%s%zu",
                                 a ? ", " : "", n[a]);
    }
    if (used < len) snprintf(buf + used, len - used, ")");
    return buf;
}

/* Tabulate the callbacks into c (state slowest, count rank, action
 * fastest). */
static int tabulate(marl_markov_counts *c, const marl_markov_builder *b,
                    marl_markov_count_transition_fn tf,
                    marl_markov_count_reward_fn rf,
                    marl_markov_count_potential_fn pf, void *user,
                    size_t *vec) {
    const size_t S = c->S, A = c->A, C = c->C, N = c->N;
    char cs[160], what[256];
    for (size_t s = 0; s < S; ++s) {
        memset(vec, 0, A * sizeof *vec);
        vec[A - 1] = N;
        for (size_t r = 0; r < C; ++r, marl_counts_next(vec, A)) {
            double *row = c->Pc + (s * C + r) * S;
            int cb = tf(s, vec, row, user);
            if (cb)
                return marl_error(MARL_EINVAL,
                                  "count transition callback failed "
                                  "(returned %d) at state %zu, counts %s", cb,
                                  s, fmt_counts(cs, sizeof cs, vec, A));
            snprintf(what, sizeof what,
                     "transition row of state %zu, counts %s", s,
                     fmt_counts(cs, sizeof cs, vec, A));
            double sum = 1.0;
            int rc = marl_markov_check_row(row, S, b->normalize, what, &sum);
            if (rc) return rc;
            if (b->normalize)
                for (size_t k = 0; k < S; ++k) row[k] /= sum;
            for (size_t a = 0; a < A; ++a) {
                if (vec[a] == 0) continue;
                double v = 0.0;
                cb = rf(s, a, vec, &v, user);
                if (cb)
                    return marl_error(MARL_EINVAL,
                                      "count reward callback failed (returned "
                                      "%d) at state %zu, action %zu, counts "
                                      "%s", cb, s, a,
                                      fmt_counts(cs, sizeof cs, vec, A));
                if (!isfinite(v))
                    return marl_error(MARL_EINVAL,
                                      "reward at state %zu, action %zu, counts "
                                      "%s is not finite (%g)", s, a,
                                      fmt_counts(cs, sizeof cs, vec, A), v);
                c->Rc[(s * A + a) * C + r] = v;
            }
            if (!pf) continue;
            double v = 0.0;
            cb = pf(s, vec, &v, user);
            if (cb)
                return marl_error(MARL_EINVAL,
                                  "count potential callback failed (returned "
                                  "%d) at state %zu, counts %s", cb, s,
                                  fmt_counts(cs, sizeof cs, vec, A));
            if (!isfinite(v))
                return marl_error(MARL_EINVAL,
                                  "potential at state %zu, counts %s is not "
                                  "finite (%g)", s,
                                  fmt_counts(cs, sizeof cs, vec, A), v);
            c->phic[s * C + r] = v;
        }
    }
    return MARL_OK;
}

/* Dense tables from the count tables: joint action j -> rank of its count
 * vector by the csucc steps, player 0 first. */
static void fill_dense(const marl_markov_counts *c,
                       const marl_markov_builder *b, double *P, double *R,
                       double *phi) {
    const size_t S = c->S, A = c->A, C = c->C, N = c->N, J = b->n_joint;
    size_t actions[MARL_MARKOV_MAX_AGENTS] = {0};
    for (size_t j = 0; j < J; ++j) {
        size_t r = 0;
        for (size_t i = 0; i < N; ++i)
            r = c->csucc[c->csoff[i] + r * A + actions[i]];
        for (size_t s = 0; s < S; ++s) {
            memcpy(P + (s * J + j) * S, c->Pc + (s * C + r) * S,
                   S * sizeof *P);
            for (size_t i = 0; i < N; ++i)
                R[(i * S + s) * J + j] = c->Rc[(s * A + actions[i]) * C + r];
            if (phi) phi[s * J + j] = c->phic[s * C + r];
        }
        for (size_t i = N; i-- > 0;) { /* next joint action */
            if (++actions[i] < A) break;
            actions[i] = 0;
        }
    }
}

int marl_markov_builder_set_counts(marl_markov_builder *b,
                                   marl_markov_count_transition_fn transition,
                                   marl_markov_count_reward_fn reward,
                                   marl_markov_count_potential_fn potential,
                                   void *user) {
    const char *fn = "marl_markov_builder_set_counts";
    if (!b) return marl_error(MARL_EINVAL, "%s: builder is NULL", fn);
    if (!transition || !reward)
        return marl_error(MARL_EINVAL, "%s: the %s callback is NULL", fn,
                          transition ? "reward" : "transition");
    if (b->factored)
        return marl_error(MARL_EINVAL,
                          "%s: the builder is factored; a count structure "
                          "needs a dense builder (marl_markov_builder_new)",
                          fn);
    const size_t N = b->n_agents, S = b->n_states, A = b->n_actions[0];
    for (size_t i = 1; i < N; ++i)
        if (b->n_actions[i] != A)
            return marl_error(MARL_EINVAL,
                              "%s: agent %zu has %zu actions, agent 0 has "
                              "%zu; a count-based game needs the same "
                              "actions for every agent", fn, i,
                              b->n_actions[i], A);
    marl_markov_counts *c = marl_markov_counts_new(N, S, A, potential != NULL);
    if (!c) return marl_last_error_code();
    size_t *vec = marl_calloc(A, sizeof *vec);
    double *P = marl_calloc(b->p_len, sizeof *P);
    double *R = marl_calloc(b->r_len, sizeof *R);
    double *phi = potential ? marl_calloc(b->phi_len, sizeof *phi) : NULL;
    int rc = MARL_OK;
    if (!vec || !P || !R || (potential && !phi))
        rc = marl_error_nomem("the count-based tables");
    if (!rc) rc = tabulate(c, b, transition, reward, potential, user, vec);
    marl_free(vec);
    if (rc) {
        marl_free(P);
        marl_free(R);
        marl_free(phi);
        marl_markov_counts_free(c);
        return rc;
    }
    fill_dense(c, b, P, R, phi);
    marl_free(b->P);
    marl_free(b->R);
    marl_free(b->phi);
    marl_markov_counts_free(b->cnt);
    b->P = P;
    b->R = R;
    b->phi = phi;
    b->cnt = c;
    return MARL_OK;
}

/* ---- accessors ----------------------------------------------------------- */

int marl_markov_is_count_based(const marl_game *game) {
    const marl_markov_data *d = marl_markov_of(game);
    return (d && d->cnt) ? 1 : 0;
}

size_t marl_markov_num_count_vectors(const marl_game *game) {
    const marl_markov_data *d = marl_markov_of(game);
    return (d && d->cnt) ? d->cnt->C : 0;
}
