/*
 * Shared machinery of the mean-field learning solvers (learn_common.h).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/meanfield/learning/learn_common.h"

#include <string.h>

int marl_mf_td_read(const marl_options *o, marl_mf_td *td) {
    long long agents = 1, rate = 0;
    int rc = marl_options_get_real(o, "tau", &td->tau);
    if (rc == MARL_OK) rc = marl_options_get_int(o, "agents", &agents);
    if (rc == MARL_OK) rc = marl_options_get_int(o, "td_rate", &rate);
    if (rc == MARL_OK) rc = marl_options_get_real(o, "td_delta", &td->delta);
    if (rc == MARL_OK) rc = marl_options_get_real(o, "td_eta", &td->eta);
    td->agents = (int)agents;
    td->rate = (int)rate;
    return rc;
}

int marl_mf_dims_of(marl_game *game, const char *fn, marl_mf_dims *d) {
    if (marl_game_kind(game) != MARL_GAME_POPULATION)
        return marl_error(MARL_EKIND, "%s: the game is not a population game",
                          fn);
    d->N = marl_game_num_agents(game);
    d->S = marl_game_num_states(game);
    d->A = marl_game_num_actions(game, 0);
    d->H = marl_game_horizon(game);
    size_t t;
    if (!marl_mul_size(d->S, d->A, &d->SA) ||
        !marl_mul_size(d->SA, d->H, &d->HSA) ||
        !marl_mul_size(d->HSA, d->N, &t) || t > SIZE_MAX / (2 * sizeof(double)))
        return marl_error(MARL_ERANGE, "%s: the game's tables are too large",
                          fn);
    return MARL_OK;
}

double marl_mf_entropy(const double *p, size_t n) {
    double h = 0.0;
    for (size_t k = 0; k < n; ++k)
        if (p[k] > 0.0) h -= p[k] * log(p[k]);
    return h;
}

int marl_mf_episode_new(marl_mf_episode *e, const marl_mf_dims *d) {
    size_t n = d->H * d->N;
    e->states = marl_malloc(n * sizeof *e->states);
    e->actions = e->states ? marl_malloc(n * sizeof *e->actions) : NULL;
    e->rewards = e->actions ? marl_malloc(n * sizeof *e->rewards) : NULL;
    if (!e->rewards) {
        marl_mf_episode_free(e);
        return marl_error_nomem("the buffers of an N-player episode");
    }
    return MARL_OK;
}

void marl_mf_episode_free(marl_mf_episode *e) {
    marl_free(e->states);
    marl_free(e->actions);
    marl_free(e->rewards);
    e->states = e->actions = NULL;
    e->rewards = NULL;
}

void marl_mf_td_shared(const marl_mf_dims *d, const marl_mf_td *td, size_t m,
                       const marl_mf_episode *e, const double *ent, double *Q,
                       double *work) {
    const size_t N = d->N, S = d->S, A = d->A, H = d->H, SA = d->SA;
    double *sum = work, *cnt = work + d->HSA;
    memset(work, 0, 2 * d->HSA * sizeof *work);
    size_t n_used = td->agents == MARL_MF_AGENTS_ALL ? N : 1;
    for (size_t h = 0; h < H; ++h) {
        const size_t *st = e->states + h * N, *ac = e->actions + h * N;
        const double *rw = e->rewards + h * N;
        const size_t *st1 = h + 1 < H ? e->states + (h + 1) * N : NULL;
        const size_t *ac1 = h + 1 < H ? e->actions + (h + 1) * N : NULL;
        const double *Q1 = Q + (h + 1) * SA;
        for (size_t j = 0; j < n_used; ++j) {
            double target = rw[j] + td->tau * ent[h * S + st[j]];
            if (st1) target += Q1[st1[j] * A + ac1[j]];
            size_t k = h * SA + st[j] * A + ac[j];
            sum[k] += target;
            cnt[k] += 1.0;
        }
    }
    double eta = marl_mf_td_rate(td, m);
    for (size_t k = 0; k < d->HSA; ++k)
        if (cnt[k] > 0.0) Q[k] += eta * (sum[k] / cnt[k] - Q[k]);
}

void marl_mf_td_per_agent(const marl_mf_dims *d, const marl_mf_td *td,
                          size_t m, const marl_mf_episode *e,
                          const double *ent, double *Q) {
    const size_t N = d->N, S = d->S, A = d->A, H = d->H, SA = d->SA;
    double eta = marl_mf_td_rate(td, m);
    for (size_t i = 0; i < N; ++i) {
        double *Qi = Q + i * d->HSA;
        const double *ei = ent + i * H * S;
        /* Targets use the epoch's old values: ascending h reads Q_{h+1}
         * before it is updated. */
        for (size_t h = 0; h < H; ++h) {
            size_t s = e->states[h * N + i], a = e->actions[h * N + i];
            double target = e->rewards[h * N + i] + td->tau * ei[h * S + s];
            if (h + 1 < H)
                target += Qi[(h + 1) * SA + e->states[(h + 1) * N + i] * A +
                             e->actions[(h + 1) * N + i]];
            double *q = &Qi[h * SA + s * A + a];
            *q += eta * (target - *q);
        }
    }
}

int marl_mf_pmd_row(const double *logp, const double *q, size_t A, double tau,
                    double xi, double *logout, double *out) {
    const double keep = 1.0 - tau * xi;
    double mx = -INFINITY;
    for (size_t a = 0; a < A; ++a) {
        logout[a] = isinf(logp[a]) && logp[a] < 0 ? -INFINITY
                                                  : keep * logp[a] + xi * q[a];
        if (logout[a] > mx) mx = logout[a];
    }
    if (!isfinite(mx)) return -1;
    double z = 0.0;
    for (size_t a = 0; a < A; ++a) z += exp(logout[a] - mx);
    double lz = mx + log(z);
    for (size_t a = 0; a < A; ++a) {
        logout[a] -= lz;
        out[a] = exp(logout[a]);
    }
    return isfinite(lz) ? 0 : -1;
}

void marl_mf_mix_row(double *p, double *logp, size_t A, double beta) {
    double u = beta / (double)A;
    for (size_t a = 0; a < A; ++a) {
        p[a] = (1.0 - beta) * p[a] + u;
        logp[a] = log(p[a]);
    }
}

int marl_mf_store(marl_policy *pol, const marl_mf_dims *d, size_t agents,
                  const double *probs) {
    for (size_t i = 0; i < agents; ++i)
        for (size_t h = 0; h < d->H; ++h)
            for (size_t s = 0; s < d->S; ++s) {
                const double *row = probs + i * d->HSA + h * d->SA + s * d->A;
                int rc = marl_policy_set_row(pol, i, h, s, row);
                if (rc) return rc;
            }
    return MARL_OK;
}

int marl_mf_exploitability(marl_game *game, marl_policy *scratch,
                           const marl_mf_dims *d, const double *probs,
                           double *value) {
    int rc = marl_mf_store(scratch, d, 1, probs);
    if (rc) return rc;
    return marl_mfg_exploitability(game, scratch, value);
}
