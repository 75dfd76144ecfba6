/*
 * Online execution (seed 004, Alg. 5) and evaluation of a global-local
 * policy pair on the full n-agent system (global_local.h,
 * marl_gl_evaluate).
 *
 * Rollout r (0-based) draws from the generator seeded with `seed` and
 * jumped r times (marl_rng_jump), so each rollout's randomness is fixed by
 * (seed, r) alone. One step from (s_g, s_1..s_n):
 *  1. k of the n agents sampled uniformly without replacement (partial
 *     Fisher-Yates on a permutation reset to the identity at the start of
 *     each rollout, O(k)); their count vector c over S_l is ranked
 *     (counts.h) and a_g ~ pi_g(. | s_g, c) by inversion (one uniform);
 *  2. every agent i draws (a_i, s_i') jointly from
 *     pi_l(a | s_i, s_g) P_l(s' | s_i, s_g, a) by an alias table over the
 *     A_l * S_l outcomes (one 64-bit draw: the high 32 bits pick the
 *     column, the low 32 bits the coin) and earns r_l(s_i, s_g, a_i);
 *  3. s_g' ~ P_g(. | s_g, a_g) by inversion;
 *  reward r_g(s_g, a_g) + (1/n) sum_i r_l(s_i, s_g, a_i), discounted by
 *  gamma^t, t = 0..horizon-1. With MARL_GL_EVAL_NEXT_GLOBAL, step 3 comes
 *  before step 2's move, which uses P_l(. | s_i, s_g', a_i).
 * Initial state: s_g ~ rho_g (marl_gl_evaluate_from: the draw is made
 * and s_g = s_g_start replaces it, so every start state sees the same
 * random numbers); p = rho_l, or p ~ Dirichlet(conc) per rollout; s_i ~ p
 * i.i.d. (inversion).
 *
 * Threads (MARL_GL_EVAL_THREADS in flags): rollouts run in batches; the
 * batch's streams are derived serially (one jump per rollout, as above),
 * the rollouts run in parallel into per-rollout returns, which are summed
 * serially in rollout order: the result is bit-identical for every thread
 * count. Each thread has its own agent arrays; the alias tables are
 * shared.
 * SPDX-License-Identifier: MIT
 */
#include "policy/global_local/gl_policy_impl.h"
#include "core/rng_impl.h"
#include "sampler/global_local/gl_sample.h"

#include <math.h>
#include <string.h>
#ifdef MARL_HAVE_OPENMP
#include <omp.h>
#endif

/* Rollouts per batch (streams and returns of a batch live on the stack). */
#define GL_EVAL_BATCH 64

typedef struct gl_alias {
    uint32_t K;        /* outcomes per table (A_l * S_l) */
    uint32_t *alias;   /* [tables * K] */
    uint64_t *thresh;  /* [tables * K]: keep column iff low32 < thresh */
} gl_alias;

/* Vose's alias table for p[0..K-1] into alias/thresh; work[2K] scratch. */
static void alias_build(const double *p, uint32_t K, uint32_t *alias,
                        uint64_t *thresh, double *work) {
    double *q = work;
    uint32_t *small = (uint32_t *)(work + K), ns = 0, nl = 0;
    uint32_t *large = small + K;
    double z = 0.0;
    for (uint32_t i = 0; i < K; ++i) z += p[i];
    for (uint32_t i = 0; i < K; ++i) {
        q[i] = p[i] * (double)K / z;
        alias[i] = i;
    }
    for (uint32_t i = 0; i < K; ++i) {
        if (q[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
        uint32_t s = small[--ns], l = large[--nl];
        alias[s] = l;
        thresh[s] = (uint64_t)ldexp(q[s], 32);
        q[l] = (q[l] + q[s]) - 1.0;
        if (q[l] < 1.0)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    while (nl > 0) thresh[large[--nl]] = UINT64_C(1) << 32;
    while (ns > 0) thresh[small[--ns]] = UINT64_C(1) << 32;
}

static inline uint32_t alias_draw(marl_rng *r, const uint32_t *alias,
                                  const uint64_t *thresh, uint32_t K) {
    uint64_t u = marl_rng_next(r);
    uint32_t col = (uint32_t)(((u >> 32) * (uint64_t)K) >> 32);
    return (u & UINT64_C(0xffffffff)) < thresh[col] ? col : alias[col];
}

static inline size_t draw_inv(marl_rng *r, const double *p, size_t n) {
    double u = marl_rng_next_double(r), acc = 0.0;
    for (size_t i = 0; i + 1 < n; ++i) {
        acc += p[i];
        if (u < acc) return i;
    }
    return n - 1;
}

typedef struct gl_eval_ws {
    uint32_t *loc, *perm;   /* [threads * n] (a block of n per thread) */
    size_t *c;              /* [threads * S_l] */
    double *p0;             /* [threads * S_l] initial law of a rollout */
    uint32_t *alias;        /* [S_l * S_g * S_g * K] */
    uint64_t *thresh;
    double *rew;            /* [S_l * S_g * K]: r_l of the outcome's action */
    double *work;           /* [2 K] */
} gl_eval_ws;

static void ws_free(gl_eval_ws *w) {
    marl_free(w->loc);
    marl_free(w->perm);
    marl_free(w->c);
    marl_free(w->p0);
    marl_free(w->alias);
    marl_free(w->thresh);
    marl_free(w->rew);
    marl_free(w->work);
}

/* Tables: outcome o = a * S_l + s' of agent state s under global state g
 * acting, moving with global state g2: table (s * Sg + g) * Sg + g2. */
static int ws_init(gl_eval_ws *w, const marl_gl_data *d,
                   const marl_gl_policy *p, size_t threads) {
    const size_t Sl = d->Sl, Sg = d->Sg, Al = d->Al;
    const uint32_t K = (uint32_t)(Al * Sl);
    size_t nt = Sl * Sg * Sg, na = 0;
    memset(w, 0, sizeof *w);
    if (!marl_mul_size(d->n, threads, &na))
        return marl_error(MARL_ERANGE,
                          "marl_gl_evaluate: %zu threads of %zu agents",
                          threads, d->n);
    w->loc = marl_malloc(na * sizeof *w->loc);
    w->perm = marl_malloc(na * sizeof *w->perm);
    w->c = marl_malloc(threads * Sl * sizeof *w->c);
    w->p0 = marl_malloc(threads * Sl * sizeof *w->p0);
    w->alias = marl_malloc(nt * K * sizeof *w->alias);
    w->thresh = marl_malloc(nt * K * sizeof *w->thresh);
    w->rew = marl_malloc(Sl * Sg * K * sizeof *w->rew);
    w->work = marl_malloc(2 * (size_t)K * sizeof *w->work);
    double *joint = marl_malloc((size_t)K * sizeof *joint);
    if (!w->loc || !w->perm || !w->c || !w->p0 || !w->alias || !w->thresh ||
        !w->rew || !w->work || !joint) {
        marl_free(joint);
        ws_free(w);
        return marl_error_nomem("the evaluation workspace");
    }
    for (size_t s = 0; s < Sl; ++s)
        for (size_t g = 0; g < Sg; ++g) {
            const double *pi = p->pl + (s * Sg + g) * Al;
            for (size_t a = 0; a < Al; ++a)
                for (size_t sp = 0; sp < Sl; ++sp)
                    w->rew[(s * Sg + g) * K + a * Sl + sp] =
                        d->rl[(s * Sg + g) * Al + a];
            for (size_t g2 = 0; g2 < Sg; ++g2) {
                for (size_t a = 0; a < Al; ++a)
                    for (size_t sp = 0; sp < Sl; ++sp)
                        joint[a * Sl + sp] =
                            pi[a] * d->Pl[((s * Sg + g2) * Al + a) * Sl + sp];
                size_t t = (s * Sg + g) * Sg + g2;
                alias_build(joint, K, w->alias + t * K, w->thresh + t * K,
                            w->work);
            }
        }
    marl_free(joint);
    return MARL_OK;
}

/* Agent arrays of thread `tid` of the workspace. */
typedef struct gl_agents {
    uint32_t *loc, *perm;
    size_t *c;
    double *p0;
} gl_agents;

/* One rollout; start = the initial global state, or SIZE_MAX for
 * s_g ~ rho_g (drawn in both cases). */
static int rollout(const marl_gl_data *d, const marl_gl_policy *p,
                   const gl_eval_ws *ws, gl_agents *w, marl_rng *r,
                   size_t start, size_t horizon, double gamma,
                   unsigned flags, double *ret) {
    const size_t n = d->n, Sl = d->Sl, Sg = d->Sg, Ag = d->Ag, k = p->k;
    const uint32_t K = (uint32_t)(d->Al * Sl);
    size_t g = draw_inv(r, d->rho_g, Sg);
    if (start != SIZE_MAX) g = start;
    if (d->conc) {
        int rc = marl_rng_dirichlet(r, d->conc, Sl, w->p0);
        if (rc) return rc;
    } else {
        memcpy(w->p0, d->rho_l, Sl * sizeof *w->p0);
    }
    for (size_t i = 0; i < n; ++i) {
        w->loc[i] = (uint32_t)draw_inv(r, w->p0, Sl);
        w->perm[i] = (uint32_t)i;
    }
    double G = 0.0, disc = 1.0;
    const double inv_n = 1.0 / (double)n;
    for (size_t t = 0; t < horizon; ++t) {
        for (size_t j = 0; j < Sl; ++j) w->c[j] = 0;
        marl_gl_sample_k(r, w->perm, n, k);
        for (size_t i = 0; i < k; ++i) w->c[w->loc[w->perm[i]]]++;
        size_t rank = marl_gl_rank(p, w->c);
        size_t ag = draw_inv(r, p->pg + (g * p->C + rank) * Ag, Ag);
        size_t g_next = g;
        if (flags & MARL_GL_EVAL_NEXT_GLOBAL)
            g_next = draw_inv(r, d->Pg + (g * Ag + ag) * Sg, Sg);
        double rl = 0.0;
        for (size_t i = 0; i < n; ++i) {
            const size_t s = w->loc[i], t0 = (s * Sg + g) * Sg + g_next;
            uint32_t o = alias_draw(r, ws->alias + t0 * K,
                                    ws->thresh + t0 * K, K);
            rl += ws->rew[(s * Sg + g) * K + o];
            w->loc[i] = o % (uint32_t)Sl;
        }
        G += disc * (d->rg[g * Ag + ag] + rl * inv_n);
        disc *= gamma;
        if (!(flags & MARL_GL_EVAL_NEXT_GLOBAL))
            g_next = draw_inv(r, d->Pg + (g * Ag + ag) * Sg, Sg);
        g = g_next;
    }
    *ret = G;
    return MARL_OK;
}

/* Threads requested by flags (1 without OpenMP). */
static size_t eval_threads(unsigned flags) {
#ifdef MARL_HAVE_OPENMP
    size_t t = (flags >> MARL_GL_EVAL_THREADS_SHIFT) & 0xffu;
    return t ? t : 1;
#else
    (void)flags;
    return 1;
#endif
}

static int evaluate(const marl_game *game, const marl_gl_policy *policy,
                    size_t start, size_t rollouts, size_t horizon,
                    uint64_t seed, unsigned flags, double *mean,
                    double *half_width, const char *fn) {
    int rc = marl_gl_require(game, fn);
    if (rc) return rc;
    if (!policy || !mean || !half_width)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !policy ? "policy" : !mean ? "mean" : "half_width");
    if (policy->game != game)
        return marl_error(MARL_EINVAL,
                          "%s: the policy belongs to another game", fn);
    const marl_gl_data *d = marl_gl_of(game);
    if (start != SIZE_MAX && start >= d->Sg)
        return marl_error(MARL_EINVAL,
                          "%s: start global state s_g = %zu out of range "
                          "(the game has %zu)",
                          fn, start, d->Sg);
    if (rollouts == 0)
        return marl_error(MARL_EINVAL, "%s: rollouts must be >= 1", fn);
    if (horizon == 0)
        return marl_error(MARL_EINVAL, "%s: horizon must be >= 1", fn);
    const unsigned known =
        MARL_GL_EVAL_NEXT_GLOBAL | MARL_GL_EVAL_THREADS(0xffu);
    if (flags & ~known)
        return marl_error(MARL_EINVAL, "%s: unknown flags 0x%x", fn,
                          flags & ~known);
    size_t nt = eval_threads(flags);
    if (nt > rollouts) nt = rollouts;
    if (nt > GL_EVAL_BATCH) nt = GL_EVAL_BATCH;
    gl_eval_ws w;
    rc = ws_init(&w, d, policy, nt);
    if (rc) return rc;
    marl_rng base, streams[GL_EVAL_BATCH];
    double G[GL_EVAL_BATCH];
    int rcs[GL_EVAL_BATCH];
    marl_rng_seed(&base, seed);
    double sum = 0.0, sum2 = 0.0, first = 0.0;
    const double gamma = game->gamma;
    for (size_t b0 = 0; b0 < rollouts && rc == MARL_OK; b0 += GL_EVAL_BATCH) {
        const long nb = (long)(rollouts - b0 < GL_EVAL_BATCH
                                   ? rollouts - b0
                                   : GL_EVAL_BATCH);
        for (long i = 0; i < nb; ++i) {
            streams[i] = base;
            marl_rng_jump(&base);
        }
#ifdef MARL_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads((int)nt) \
    if (nt > 1)
#endif
        for (long i = 0; i < nb; ++i) {
            size_t tid = 0;
#ifdef MARL_HAVE_OPENMP
            tid = (size_t)omp_get_thread_num();
#endif
            gl_agents a = {w.loc + tid * d->n, w.perm + tid * d->n,
                           w.c + tid * d->Sl, w.p0 + tid * d->Sl};
            rcs[i] = rollout(d, policy, &w, &a, &streams[i], start, horizon,
                             gamma, flags, &G[i]);
        }
        for (long i = 0; i < nb; ++i) {
            if (rcs[i]) { /* raised on a worker: report it here */
                rc = marl_error(rcs[i], "%s: rollout %zu failed", fn,
                                b0 + (size_t)i);
                break;
            }
            if (b0 == 0 && i == 0) first = G[0];
            /* shifted sums for a stable variance */
            sum += G[i] - first;
            sum2 += (G[i] - first) * (G[i] - first);
        }
    }
    ws_free(&w);
    if (rc) return rc;
    const double R = (double)rollouts, dm = sum / R;
    *mean = first + dm;
    if (rollouts > 1) {
        double var = (sum2 - R * dm * dm) / (R - 1.0);
        *half_width = 1.959963984540054 * sqrt(var > 0.0 ? var : 0.0) /
                      sqrt(R);
    } else {
        *half_width = 0.0;
    }
    return MARL_OK;
}

int marl_gl_evaluate_ex(const marl_game *game, const marl_gl_policy *policy,
                        size_t rollouts, size_t horizon, uint64_t seed,
                        unsigned flags, double *mean, double *half_width) {
    return evaluate(game, policy, SIZE_MAX, rollouts, horizon, seed, flags,
                    mean, half_width, "marl_gl_evaluate");
}

int marl_gl_evaluate_from(const marl_game *game,
                          const marl_gl_policy *policy, size_t s_g_start,
                          size_t rollouts, size_t horizon, uint64_t seed,
                          unsigned flags, double *mean, double *half_width) {
    if (s_g_start == SIZE_MAX) /* reserved internally for "draw it" */
        return marl_error(MARL_EINVAL,
                          "marl_gl_evaluate_from: start global state s_g = "
                          "%zu out of range",
                          s_g_start);
    return evaluate(game, policy, s_g_start, rollouts, horizon, seed, flags,
                    mean, half_width, "marl_gl_evaluate_from");
}

int marl_gl_evaluate(const marl_game *game, const marl_gl_policy *policy,
                     size_t rollouts, size_t horizon, uint64_t seed,
                     double *mean, double *half_width) {
    return marl_gl_evaluate_ex(game, policy, rollouts, horizon, seed, 0, mean,
                               half_width);
}
