/*
 * The N-player simulator of population games (nplayer.h, popsim.h).
 *
 * Per step h: (1) every agent draws its action (alias table of its policy
 * row, one uniform); (2) the counts C_h of (state, action) pairs are summed
 * block by block in block order (integers: exact); (3) for every pair p
 * present, sigma_{-p} = (C_h - e_p) / (N - 1), the others' distribution seen
 * by an agent whose own pair is p (formed in a per-block scratch vector:
 * O(S A) memory per block, one entry changed per agent); symmetric games evaluate the reward and
 * the transition row once per present pair (exact: the callbacks see the
 * same sigma_{-i} for every agent of the pair) and build an alias table of
 * the row; (4) every agent gets its reward and draws its next state (one
 * uniform; asymmetric games: its own callbacks, inversion of its row).
 * Blocks of MARL_POPSIM_BLOCK agents own RNG streams, so the draws do not
 * depend on the thread count.
 * SPDX-License-Identifier: MIT
 */
#include "sampler/population/popsim.h"
#include "game/population/population_impl.h"

#include <string.h>
#ifdef MARL_HAVE_OPENMP
#include <omp.h>
#endif

struct marl_population_sim {
    marl_game *game;
    const marl_population_data *d;
    size_t N, S, A, H, SA;
    int threads;
    uint64_t steps;
    size_t nb;        /* blocks */
    marl_rng *rng;    /* [nb] */
    double *rho_p;    /* [S] alias of rho0 */
    uint32_t *rho_a;
    size_t *s, *a;    /* [N] current states and actions */
    size_t *bcnt;     /* [nb * SA] per-block counts */
    size_t *cnt;      /* [SA] */
    double inv;       /* 1 / (N - 1) (0 for N = 1) */
    double *base;     /* [SA] C_h / (N - 1) (0 for N = 1) */
    double *sig;      /* [nb * SA] per-block sigma scratch, = base except
                         while an agent's callbacks run */
    double *row;      /* [SA * S] symmetric rows */
    double *row_p;    /* [SA * S] their alias tables */
    uint32_t *row_a;
    double *rew;      /* [SA] symmetric rewards */
    double *brow;     /* [nb * S] per-block scratch rows (asymmetric) */
    double *bret;     /* [nb] deviating agent's reward per block */
    int *brc;         /* [nb] block status */
    size_t *bbad;     /* [nb] failing agent of the block */
    int *bwhat;       /* [nb] 0 reward, 1 transition */
    size_t *work;     /* [2 max(S, A)] */
    marl_poptab tab;  /* the policy of marl_population_sim_episode */
};

void marl_popsim_dims(const marl_population_sim *sim, size_t *N, size_t *S,
                      size_t *A, size_t *H) {
    *N = sim->N;
    *S = sim->S;
    *A = sim->A;
    *H = sim->H;
}

void marl_population_sim_free(marl_population_sim *sim) {
    if (!sim) return;
    marl_free(sim->rng);
    marl_free(sim->rho_p);
    marl_free(sim->rho_a);
    marl_free(sim->s);
    marl_free(sim->a);
    marl_free(sim->bcnt);
    marl_free(sim->cnt);
    marl_free(sim->sig);
    marl_free(sim->base);
    marl_free(sim->row);
    marl_free(sim->row_p);
    marl_free(sim->row_a);
    marl_free(sim->rew);
    marl_free(sim->brow);
    marl_free(sim->bret);
    marl_free(sim->brc);
    marl_free(sim->bbad);
    marl_free(sim->bwhat);
    marl_free(sim->work);
    marl_poptab_free(&sim->tab);
    marl_game_unref(sim->game);
    marl_free(sim);
}

int marl_population_sim_reseed(marl_population_sim *sim, uint64_t seed) {
    if (!sim)
        return marl_error(MARL_EINVAL, "marl_population_sim_reseed: sim is "
                                       "NULL");
    marl_rng *g = NULL;
    int rc = marl_rng_new(&g, seed);
    if (rc) return rc;
    for (size_t b = 0; b < sim->nb; ++b) {
        sim->rng[b] = *g;
        marl_rng_jump(g);
    }
    marl_rng_free(g);
    return MARL_OK;
}

static void *alloc_n(size_t n, size_t size, int *fail) {
    if (*fail) return NULL;
    void *p = marl_calloc(n ? n : 1, size);
    if (!p) *fail = 1;
    return p;
}

int marl_population_sim_new(marl_population_sim **out, marl_game *game,
                            uint64_t seed) {
    const char *fn = "marl_population_sim_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    int rc = marl_require_population(game, fn);
    if (rc) return rc;
    const marl_population_data *d = marl_population_of(game);
    if (d->A > MARL_POPSIM_MAX_ACTIONS)
        return marl_error(MARL_ERANGE,
                          "%s: %zu actions; the N-player simulator supports "
                          "at most %d",
                          fn, d->A, MARL_POPSIM_MAX_ACTIONS);
    size_t SA, SAS, nbSA;
    size_t nblocks = (d->N + MARL_POPSIM_BLOCK - 1) / MARL_POPSIM_BLOCK;
    if (!marl_mul_size(d->S, d->A, &SA) || !marl_mul_size(SA, d->S, &SAS) ||
        !marl_mul_size(SA, nblocks, &nbSA) ||
        nbSA > SIZE_MAX / sizeof(double) ||
        SAS > SIZE_MAX / sizeof(double) || d->S > UINT32_MAX)
        return marl_error(MARL_ERANGE, "%s: %zu states x %zu actions is too "
                          "large", fn, d->S, d->A);
    marl_population_sim *sim = marl_calloc(1, sizeof *sim);
    if (!sim) return marl_error_nomem("an N-player simulator");
    sim->d = d;
    sim->N = d->N;
    sim->S = d->S;
    sim->A = d->A;
    sim->H = d->H;
    sim->SA = SA;
    sim->nb = (d->N + MARL_POPSIM_BLOCK - 1) / MARL_POPSIM_BLOCK;
    size_t nb = sim->nb, wmax = d->S > d->A ? d->S : d->A;
    int fail = 0;
    sim->rng = alloc_n(nb, sizeof *sim->rng, &fail);
    sim->rho_p = alloc_n(d->S, sizeof(double), &fail);
    sim->rho_a = alloc_n(d->S, sizeof(uint32_t), &fail);
    sim->s = alloc_n(d->N, sizeof(size_t), &fail);
    sim->a = alloc_n(d->N, sizeof(size_t), &fail);
    sim->bcnt = alloc_n(nb * SA, sizeof(size_t), &fail);
    sim->cnt = alloc_n(SA, sizeof(size_t), &fail);
    sim->sig = alloc_n(nb * SA, sizeof(double), &fail);
    sim->base = alloc_n(SA, sizeof(double), &fail);
    sim->row = alloc_n(SAS, sizeof(double), &fail);
    sim->row_p = alloc_n(SAS, sizeof(double), &fail);
    sim->row_a = alloc_n(SAS, sizeof(uint32_t), &fail);
    sim->rew = alloc_n(SA, sizeof(double), &fail);
    sim->brow = alloc_n(nb * d->S, sizeof(double), &fail);
    sim->bret = alloc_n(nb, sizeof(double), &fail);
    sim->brc = alloc_n(nb, sizeof(int), &fail);
    sim->bbad = alloc_n(nb, sizeof(size_t), &fail);
    sim->bwhat = alloc_n(nb, sizeof(int), &fail);
    sim->work = alloc_n(2 * wmax, sizeof(size_t), &fail);
    if (fail) {
        marl_population_sim_free(sim);
        return marl_error_nomem("the tables of an N-player simulator");
    }
    marl_pop_alias_build(d->rho0, d->S, sim->rho_p, sim->rho_a, sim->work);
    rc = marl_population_sim_reseed(sim, seed);
    if (rc) {
        marl_population_sim_free(sim);
        return rc;
    }
    sim->threads = 1;
    sim->game = marl_game_ref(game);
    *out = sim;
    return MARL_OK;
}

int marl_population_sim_set_threads(marl_population_sim *sim, int threads) {
    if (!sim)
        return marl_error(MARL_EINVAL, "marl_population_sim_set_threads: sim "
                                       "is NULL");
    if (threads < 0)
        return marl_error(MARL_EINVAL, "marl_population_sim_set_threads: "
                                       "threads = %d < 0", threads);
    sim->threads = threads;
    return MARL_OK;
}

uint64_t marl_population_sim_steps(const marl_population_sim *sim) {
    return sim ? sim->steps : 0;
}

/* ---- one episode --------------------------------------------------------- */

typedef struct run_ctx {
    marl_population_sim *sim;
    const marl_poptab *pi, *devtab;
    size_t dev, h;
    size_t *states, *actions;
    double *rewards;
    int last;
} run_ctx;

static void block_range(const marl_population_sim *sim, size_t b, size_t *lo,
                        size_t *hi) {
    *lo = b * MARL_POPSIM_BLOCK;
    *hi = *lo + MARL_POPSIM_BLOCK;
    if (*hi > sim->N) *hi = sim->N;
}

/* sigma_{-i} of an agent whose own pair is p: the block's scratch (equal
 * to base) with entry p replaced by (C_p - 1)/(N - 1) (1 for N = 1); the
 * caller restores sig[p] = base[p] afterwards. */
static inline void own_sigma(const marl_population_sim *sim, double *sig,
                             size_t p) {
    sig[p] = sim->N > 1 ? (double)(sim->cnt[p] - 1) * sim->inv : 1.0;
}

/* Phase 1: initial states (h == 0 only) and actions of block b. */
static void block_act(run_ctx *c, size_t b) {
    marl_population_sim *sim = c->sim;
    marl_rng *r = &sim->rng[b];
    size_t lo, hi, A = sim->A, S = sim->S, h = c->h;
    block_range(sim, b, &lo, &hi);
    size_t *cnt = sim->bcnt + b * sim->SA;
    memset(cnt, 0, sim->SA * sizeof *cnt);
    if (h == 0)
        for (size_t i = lo; i < hi; ++i)
            sim->s[i] = marl_pop_alias_draw(sim->rho_p, sim->rho_a, S, r);
    const marl_poptab *pi = c->pi;
    for (size_t i = lo; i < hi; ++i) {
        const marl_poptab *t = (i == c->dev) ? c->devtab : pi;
        size_t row = marl_poptab_row(t, i == c->dev ? 0 : i, h, sim->s[i]);
        size_t act = marl_pop_alias_draw(t->prob + row * A,
                                         t->alias + row * A, A, r);
        sim->a[i] = act;
        cnt[sim->s[i] * A + act]++;
    }
    if (c->states) memcpy(c->states + h * sim->N + lo, sim->s + lo,
                          (hi - lo) * sizeof(size_t));
    if (c->actions) memcpy(c->actions + h * sim->N + lo, sim->a + lo,
                           (hi - lo) * sizeof(size_t));
}

/* Phase 2: rewards and next states of block b. */
static void block_move(run_ctx *c, size_t b) {
    marl_population_sim *sim = c->sim;
    const marl_population_data *d = sim->d;
    marl_rng *r = &sim->rng[b];
    size_t lo, hi, A = sim->A, S = sim->S, h = c->h, N = sim->N;
    block_range(sim, b, &lo, &hi);
    double *row = sim->brow + b * S;
    int sym = d->symmetric;
    sim->bret[b] = 0.0;
    sim->brc[b] = MARL_OK;
    for (size_t i = lo; i < hi; ++i) {
        size_t p = sim->s[i] * A + sim->a[i];
        double *sig = sim->sig + b * sim->SA;
        own_sigma(sim, sig, p);
        if (c->rewards || i == c->dev) {
            double rv;
            if (sym) {
                rv = sim->rew[p];
            } else if (marl_population_call_reward(d, "N-player simulation",
                                                   i, h, sim->s[i], sim->a[i],
                                                   sig, &rv) != MARL_OK) {
                sig[p] = sim->base[p];
                sim->brc[b] = MARL_EINVAL;
                sim->bbad[b] = i;
                sim->bwhat[b] = 0;
                return;
            }
            if (c->rewards) c->rewards[h * N + i] = rv;
            if (i == c->dev) sim->bret[b] = rv;
        }
        if (c->last) {
            sig[p] = sim->base[p];
            continue;
        }
        if (sym) {
            sim->s[i] = marl_pop_alias_draw(sim->row_p + p * S,
                                            sim->row_a + p * S, S, r);
        } else {
            if (marl_population_call_transition(d, "N-player simulation", i, h,
                                                sim->s[i], sim->a[i], sig,
                                                row) != MARL_OK) {
                sig[p] = sim->base[p];
                sim->brc[b] = MARL_EINVAL;
                sim->bbad[b] = i;
                sim->bwhat[b] = 1;
                return;
            }
            sim->s[i] = marl_pop_inverse_draw(row, S, r);
        }
        sig[p] = sim->base[p];
    }
}

static int n_threads(const marl_population_sim *sim) {
#ifdef MARL_HAVE_OPENMP
    int t = sim->threads > 0 ? sim->threads : omp_get_max_threads();
    if ((size_t)t > sim->nb) t = (int)sim->nb;
    return t < 1 ? 1 : t;
#else
    (void)sim;
    return 1;
#endif
}

static void run_phase(run_ctx *c, int phase) {
    marl_population_sim *sim = c->sim;
    long nb = (long)sim->nb;
    int nt = n_threads(sim);
    (void)nt;
#ifdef MARL_HAVE_OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
#endif
    for (long b = 0; b < nb; ++b) {
        if (phase == 0)
            block_act(c, (size_t)b);
        else
            block_move(c, (size_t)b);
    }
}

/* Symmetric games: rewards and rows of the pairs present. Asymmetric: only
 * sigma. */
static int pair_tables(run_ctx *c) {
    marl_population_sim *sim = c->sim;
    const marl_population_data *d = sim->d;
    size_t SA = sim->SA, S = sim->S, A = sim->A, N = sim->N, h = c->h;
    const char *fn = "N-player simulation";
    double inv = sim->inv = N > 1 ? 1.0 / (double)(N - 1) : 0.0;
    size_t devp = c->dev != MARL_POPSIM_NO_AGENT
                      ? sim->s[c->dev] * A + sim->a[c->dev]
                      : SA;
    for (size_t q = 0; q < SA; ++q)
        sim->base[q] = (double)sim->cnt[q] * inv;
    for (size_t b = 0; b < sim->nb; ++b)
        memcpy(sim->sig + b * SA, sim->base, SA * sizeof *sim->base);
    if (!d->symmetric) return MARL_OK;
    double *sig = sim->sig; /* block 0's scratch, restored after each pair */
    for (size_t p = 0; p < SA; ++p) {
        if (sim->cnt[p] == 0) continue;
        own_sigma(sim, sig, p);
        int rc;
        size_t s = p / A, a = p % A;
        if (c->rewards || p == devp) {
            rc = marl_population_call_reward(d, fn, 0, h, s, a, sig,
                                             &sim->rew[p]);
            if (rc) {
                sig[p] = sim->base[p];
                return rc;
            }
        }
        if (!c->last) {
            rc = marl_population_call_transition(d, fn, 0, h, s, a, sig,
                                                 sim->row + p * S);
            if (rc) {
                sig[p] = sim->base[p];
                return rc;
            }
            marl_pop_alias_build(sim->row + p * S, S, sim->row_p + p * S,
                                 sim->row_a + p * S, sim->work);
        }
        sig[p] = sim->base[p];
    }
    return MARL_OK;
}

/* Re-run a failed callback on this thread for its message. */
static int block_failure(run_ctx *c) {
    marl_population_sim *sim = c->sim;
    for (size_t b = 0; b < sim->nb; ++b) {
        if (sim->brc[b] == MARL_OK) continue;
        size_t i = sim->bbad[b], A = sim->A, p = sim->s[i] * A + sim->a[i];
        double *sig = sim->sig + b * sim->SA;
        own_sigma(sim, sig, p);
        int rc;
        if (sim->bwhat[b] == 0) {
            double rv;
            rc = marl_population_call_reward(sim->d, "N-player simulation", i,
                                             c->h, sim->s[i], sim->a[i], sig,
                                             &rv);
        } else {
            rc = marl_population_call_transition(sim->d, "N-player simulation",
                                                 i, c->h, sim->s[i], sim->a[i],
                                                 sig, sim->brow);
        }
        sig[p] = sim->base[p];
        if (rc) return rc;
        return marl_error(MARL_EINVAL,
                          "N-player simulation: the %s callback of agent %zu "
                          "failed at step %zu (not reproducible on retry)",
                          sim->bwhat[b] ? "transition" : "reward", i, c->h);
    }
    return MARL_OK;
}

int marl_popsim_run(marl_population_sim *sim, const marl_poptab *pi,
                    size_t dev, const marl_poptab *devtab, size_t *states,
                    size_t *actions, double *rewards, size_t *counts,
                    double *dev_return) {
    run_ctx c = {sim, pi, devtab, dev, 0, states, actions, rewards, 0};
    double ret = 0.0;
    for (size_t h = 0; h < sim->H; ++h) {
        c.h = h;
        c.last = (h + 1 == sim->H);
        run_phase(&c, 0);
        memset(sim->cnt, 0, sim->SA * sizeof *sim->cnt);
        for (size_t b = 0; b < sim->nb; ++b)
            for (size_t p = 0; p < sim->SA; ++p)
                sim->cnt[p] += sim->bcnt[b * sim->SA + p];
        if (counts)
            memcpy(counts + h * sim->SA, sim->cnt, sim->SA * sizeof *counts);
        int rc = pair_tables(&c);
        if (rc) return rc;
        run_phase(&c, 1);
        rc = block_failure(&c);
        if (rc) return rc;
        if (dev != MARL_POPSIM_NO_AGENT)
            ret += sim->bret[dev / MARL_POPSIM_BLOCK];
        sim->steps += sim->N;
    }
    if (dev_return) *dev_return = ret;
    return MARL_OK;
}

int marl_population_sim_episode(marl_population_sim *sim,
                                const marl_policy *policy, size_t *states,
                                size_t *actions, double *rewards,
                                size_t *counts) {
    const char *fn = "marl_population_sim_episode";
    if (!sim) return marl_error(MARL_EINVAL, "%s: sim is NULL", fn);
    int rc = marl_poptab_from_policy(&sim->tab, policy, sim->N, sim->S,
                                     sim->A, sim->H, fn);
    if (rc) return rc;
    return marl_popsim_run(sim, &sim->tab, MARL_POPSIM_NO_AGENT, NULL, states,
                           actions, rewards, counts, NULL);
}
