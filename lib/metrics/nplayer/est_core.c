/*
 * Work steps of the N-player exploitability estimator (see estimate.c).
 * SPDX-License-Identifier: MIT
 */
#include "metrics/nplayer/nplayer_impl.h"

#include <math.h>
#include <string.h>

/* Largest symmetric callback cache, in doubles. */
#define CACHE_MAX (1u << 22)

static const char FN[] = "marl_population_exploitability";

void marl_est_free(marl_est *e) {
    marl_population_sim_free(e->sim);
    marl_poptab_free(&e->pi);
    marl_poptab_free(&e->br);
    void *bufs[] = {e->eval, e->cnt, e->own, e->cP,  e->cR,  e->Pbar,
                    e->Rbar, e->V,   e->brp, e->sig, e->row, e->J,
                    e->bcnt, e->bown, e->st, e->ac,  e->rw,  e->gains,
                    e->awork};
    for (size_t k = 0; k < sizeof bufs / sizeof bufs[0]; ++k)
        marl_free(bufs[k]);
    memset(e, 0, sizeof *e);
}

static void *grab(size_t n, size_t size, int *fail) {
    if (*fail) return NULL;
    size_t bytes;
    if (!marl_mul_size(n ? n : 1, size, &bytes)) {
        *fail = 2;
        return NULL;
    }
    void *p = marl_malloc(bytes);
    if (!p) *fail = 1;
    return p;
}

int marl_est_init(marl_est *e, marl_game *game, const marl_policy *policy,
                  const marl_est_settings *set, const char *fn) {
    memset(e, 0, sizeof *e);
    const marl_population_data *d = marl_population_of(game);
    e->game = game;
    e->d = d;
    e->N = d->N;
    e->S = d->S;
    e->A = d->A;
    e->H = d->H;
    e->SA = d->S * d->A;
    e->set = *set;
    size_t N = e->N, H = e->H, SA = e->SA, S = e->S, M = set->M, K = set->K;
    int rc = marl_population_sim_new(&e->sim, game, set->seed);
    if (!rc) rc = marl_population_sim_set_threads(e->sim, set->threads);
    if (!rc) rc = marl_poptab_from_policy(&e->pi, policy, N, S, e->A, H, fn);
    if (!rc) rc = marl_poptab_reshape(&e->br, 1, H, S, e->A);
    if (rc) {
        marl_est_free(e);
        return rc;
    }
    if (SA > UINT32_MAX) {
        marl_est_free(e);
        return marl_error(MARL_ERANGE, "%s: %zu state-action pairs is too "
                          "many for the estimator", fn, SA);
    }
    e->n_eval = (set->n_eval == 0 || set->n_eval > N) ? N : set->n_eval;
    size_t MH, MHN, KH;
    int fail = 0;
    if (!marl_mul_size(M, H, &MH) || !marl_mul_size(MH, N, &MHN) ||
        !marl_mul_size(K, H, &KH))
        fail = 2;
    e->eval = grab(e->n_eval, sizeof(size_t), &fail);
    e->cnt = grab(MH * SA, sizeof(size_t), &fail);
    e->own = grab(MHN, sizeof(uint32_t), &fail);
    e->Pbar = grab(H * SA * S, sizeof(double), &fail);
    e->Rbar = grab(H * SA, sizeof(double), &fail);
    e->V = grab((H + 1) * S, sizeof(double), &fail);
    e->brp = grab(H * SA, sizeof(double), &fail);
    e->sig = grab(SA, sizeof(double), &fail);
    e->row = grab(S, sizeof(double), &fail);
    e->st = grab(H * N, sizeof(size_t), &fail);
    e->ac = grab(H * N, sizeof(size_t), &fail);
    e->rw = grab(H * N, sizeof(double), &fail);
    e->gains = grab(K, sizeof(double), &fail);
    e->awork = grab(2 * e->A, sizeof(size_t), &fail);
    if (set->frozen) {
        e->bcnt = grab(KH * SA, sizeof(size_t), &fail);
        e->bown = grab(KH * N, sizeof(uint32_t), &fail);
    } else {
        e->J = grab(K * N, sizeof(double), &fail);
    }
    /* Symmetric games: callbacks cached per (rollout, step, own pair). */
    size_t csz = 0;
    if (!fail && d->symmetric && marl_mul_size(MH, SA * SA, &csz) &&
        csz <= CACHE_MAX / (S + 1)) {
        e->cP = grab(csz * S, sizeof(double), &fail);
        e->cR = grab(csz, sizeof(double), &fail);
    }
    if (fail) {
        marl_est_free(e);
        return fail == 2 ? marl_error(MARL_ERANGE, "%s: the estimator's "
                                      "tables are too large", fn)
                         : marl_error_nomem("the estimator's tables");
    }
    if (e->n_eval == N) {
        for (size_t i = 0; i < N; ++i) e->eval[i] = i;
    } else {
        marl_rng *r = NULL;
        rc = marl_rng_new(&r, marl_est_seed(set->seed, (size_t)-1));
        if (!rc) rc = marl_rng_sample_k_of_n(r, N, e->n_eval, e->eval);
        marl_rng_free(r);
        if (rc) {
            marl_est_free(e);
            return rc;
        }
    }
    return MARL_OK;
}

/* sigma_{-i} of an agent with own pair p given the counts. */
static void others(const marl_est *e, const size_t *cnt, size_t p,
                   double *sig) {
    if (e->N > 1) {
        double inv = 1.0 / (double)(e->N - 1);
        for (size_t q = 0; q < e->SA; ++q) sig[q] = (double)cnt[q] * inv;
        sig[p] = (double)(cnt[p] - 1) * inv;
    } else {
        memset(sig, 0, e->SA * sizeof *sig);
        sig[p] = 1.0;
    }
}

/* Transition rows (except at the last step) and rewards of every (s, a)
 * for `agent` against sigma into P[SA*S], R[SA]. */
static int all_pairs(const marl_est *e, size_t agent, size_t h,
                     const double *sig, double *P, double *R) {
    for (size_t s = 0; s < e->S; ++s)
        for (size_t a = 0; a < e->A; ++a) {
            size_t p = s * e->A + a;
            int rc = marl_population_call_reward(e->d, FN, agent, h, s, a, sig,
                                                 &R[p]);
            if (!rc && h + 1 < e->H)
                rc = marl_population_call_transition(e->d, FN, agent, h, s, a,
                                                     sig, P + p * e->S);
            if (rc) return rc;
        }
    return MARL_OK;
}

int marl_est_flows(marl_est *e) {
    size_t N = e->N, H = e->H, SA = e->SA, S = e->S;
    for (size_t m = 0; m < e->set.M; ++m) {
        size_t *cnt = e->cnt + m * H * SA;
        int rc = marl_popsim_run(e->sim, &e->pi, MARL_POPSIM_NO_AGENT, NULL,
                                 e->st, e->ac, NULL, cnt, NULL);
        if (rc) return rc;
        uint32_t *own = e->own + m * H * N;
        for (size_t k = 0; k < H * N; ++k)
            own[k] = (uint32_t)(e->st[k] * e->A + e->ac[k]);
        if (!e->cP) continue;
        for (size_t h = 0; h < H; ++h)
            for (size_t p = 0; p < SA; ++p) {
                if (cnt[h * SA + p] == 0) continue;
                size_t c = (m * H + h) * SA + p;
                others(e, cnt + h * SA, p, e->sig);
                rc = all_pairs(e, 0, h, e->sig, e->cP + c * SA * S,
                               e->cR + c * SA);
                if (rc) return rc;
            }
    }
    return MARL_OK;
}

int marl_est_best_response(marl_est *e, size_t i) {
    size_t H = e->H, SA = e->SA, S = e->S, A = e->A, N = e->N, M = e->set.M;
    memset(e->Pbar, 0, H * SA * S * sizeof *e->Pbar);
    memset(e->Rbar, 0, H * SA * sizeof *e->Rbar);
    double w = 1.0 / (double)M;
    for (size_t m = 0; m < M; ++m)
        for (size_t h = 0; h < H; ++h) {
            size_t p = e->own[(m * H + h) * N + i];
            const double *cp, *cr;
            if (e->cP) {
                size_t c = (m * H + h) * SA + p;
                cp = e->cP + c * SA * S;
                cr = e->cR + c * SA;
            } else {
                /* no cache: agent i's callbacks, pair by pair */
                others(e, e->cnt + (m * H + h) * SA, p, e->sig);
                for (size_t q = 0; q < SA; ++q) {
                    double rv;
                    int rc = marl_population_call_reward(e->d, FN, i, h, q / A,
                                                         q % A, e->sig, &rv);
                    if (rc) return rc;
                    e->Rbar[h * SA + q] += w * rv;
                    if (h + 1 == H) continue;
                    rc = marl_population_call_transition(e->d, FN, i, h, q / A,
                                                         q % A, e->sig,
                                                         e->row);
                    if (rc) return rc;
                    double *pb = e->Pbar + (h * SA + q) * S;
                    for (size_t s2 = 0; s2 < S; ++s2) pb[s2] += w * e->row[s2];
                }
                continue;
            }
            for (size_t q = 0; q < SA; ++q) {
                e->Rbar[h * SA + q] += w * cr[q];
                if (h + 1 == H) continue;
                double *pb = e->Pbar + (h * SA + q) * S;
                for (size_t s2 = 0; s2 < S; ++s2) pb[s2] += w * cp[q * S + s2];
            }
        }
    /* Backward induction: V_H = 0. */
    double *V = e->V;
    memset(V + H * S, 0, S * sizeof *V);
    memset(e->brp, 0, H * SA * sizeof *e->brp);
    for (size_t h = H; h-- > 0;) {
        for (size_t s = 0; s < S; ++s) {
            double best = -INFINITY;
            size_t ba = 0;
            for (size_t a = 0; a < A; ++a) {
                size_t q = s * A + a;
                double v = e->Rbar[h * SA + q];
                if (h + 1 < H) {
                    const double *pb = e->Pbar + (h * SA + q) * S;
                    for (size_t s2 = 0; s2 < S; ++s2)
                        v += pb[s2] * V[(h + 1) * S + s2];
                }
                if (v > best) {
                    best = v;
                    ba = a;
                }
            }
            V[h * S + s] = best;
            e->brp[h * SA + s * A + ba] = 1.0;
        }
    }
    marl_poptab_fill(&e->br, e->brp, e->awork);
    return MARL_OK;
}

int marl_est_baseline(marl_est *e, size_t first) {
    size_t N = e->N, H = e->H, SA = e->SA;
    for (size_t k = 0; k < e->set.K; ++k) {
        int rc = marl_population_sim_reseed(
            e->sim, marl_est_seed(e->set.seed, first + k));
        if (rc) return rc;
        if (e->set.frozen) {
            rc = marl_popsim_run(e->sim, &e->pi, MARL_POPSIM_NO_AGENT, NULL,
                                 e->st, e->ac, NULL, e->bcnt + k * H * SA,
                                 NULL);
            if (rc) return rc;
            uint32_t *own = e->bown + k * H * N;
            for (size_t j = 0; j < H * N; ++j)
                own[j] = (uint32_t)(e->st[j] * e->A + e->ac[j]);
            continue;
        }
        rc = marl_popsim_run(e->sim, &e->pi, MARL_POPSIM_NO_AGENT, NULL, NULL,
                             NULL, e->rw, NULL, NULL);
        if (rc) return rc;
        for (size_t i = 0; i < N; ++i) {
            double j = 0.0;
            for (size_t h = 0; h < H; ++h) j += e->rw[h * N + i];
            e->J[k * N + i] = j;
        }
    }
    return MARL_OK;
}

/* Frozen mode: agent i's own path under tables t against the recorded
 * others of baseline episode k, with generator r; its return. */
static int replay(marl_est *e, size_t i, size_t k, const marl_poptab *t,
                  size_t ti, marl_rng *r, double *ret) {
    size_t H = e->H, SA = e->SA, S = e->S, A = e->A, N = e->N;
    const marl_population_data *d = e->d;
    size_t s = (size_t)e->bown[k * H * N + i] / A; /* initial state */
    double total = 0.0;
    for (size_t h = 0; h < H; ++h) {
        size_t row = marl_poptab_row(t, ti, h, s);
        size_t a = marl_pop_alias_draw(t->prob + row * A, t->alias + row * A,
                                       A, r);
        size_t pown = e->bown[(k * H + h) * N + i];
        others(e, e->bcnt + (k * H + h) * SA, pown, e->sig);
        double rv;
        int rc = marl_population_call_reward(d, FN, i, h, s, a, e->sig, &rv);
        if (rc) return rc;
        total += rv;
        if (h + 1 == H) break;
        rc = marl_population_call_transition(d, FN, i, h, s, a, e->sig,
                                             e->row);
        if (rc) return rc;
        s = marl_pop_inverse_draw(e->row, S, r);
    }
    *ret = total;
    return MARL_OK;
}

int marl_est_gain(marl_est *e, size_t i, size_t first, double *mean,
                  double *hw) {
    size_t K = e->set.K, N = e->N;
    for (size_t k = 0; k < K; ++k) {
        uint64_t sk = marl_est_seed(e->set.seed, first + k);
        int rc;
        if (e->set.frozen) {
            marl_rng r;
            uint64_t x = sk ^ (UINT64_C(0xd1b54a32d192ed03) * (uint64_t)(i + 1));
            for (int w = 0; w < 4; ++w) r.s[w] = marl_splitmix64(&x);
            marl_rng r2 = r;
            double jb, jd;
            rc = replay(e, i, k, &e->pi, i, &r, &jb);
            if (!rc) rc = replay(e, i, k, &e->br, 0, &r2, &jd);
            if (rc) return rc;
            e->gains[k] = jd - jb;
            continue;
        }
        rc = marl_population_sim_reseed(e->sim, sk);
        double jd;
        if (!rc)
            rc = marl_popsim_run(e->sim, &e->pi, i, &e->br, NULL, NULL, NULL,
                                 NULL, &jd);
        if (rc) return rc;
        e->gains[k] = jd - e->J[k * N + i];
    }
    double m = 0.0;
    for (size_t k = 0; k < K; ++k) m += e->gains[k];
    m /= (double)K;
    double v = 0.0;
    for (size_t k = 0; k < K; ++k) v += (e->gains[k] - m) * (e->gains[k] - m);
    *mean = m;
    *hw = K > 1 ? 1.96 * sqrt(v / (double)(K - 1) / (double)K) : NAN;
    return MARL_OK;
}
