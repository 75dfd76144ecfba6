/*
 * `random-amg` (ours, for tests; GAMES.md): seeded small aggregative Markov
 * games where brute force over all pure profiles and deviations is exact
 * (n <= 6, m <= 3, |S| <= 3, H <= 3, d <= 2).
 *
 * delta = 1/n, W = 1. Draws from marl_rng(seed), in this order:
 *   1. contributions f_{h,i}(a)[k] ~ U[0, 1] in (h, i, a, k) order (so
 *      x in [0, 1]^d and one agent moves x by at most delta);
 *   2. base rewards b_{h,i}(s, a) ~ U[-0.5, 0.5] in (h, s, i, a) order;
 *   3. coefficients c_{h,i}(s, a)[k] ~ U[-1, 1] / d, same order, k fastest;
 *   4. for each (h, s): P0_h(.|s) and P1_h(.|s) ~ Dirichlet(1, ..., 1);
 *   5. welfare weights w_{h,i}(s, a) ~ U[-1, 1] in (h, s, i, a) order
 *      (only with welfare = 1);
 *   6. rho0 ~ Dirichlet(1, ..., 1).
 * Reward  r_{h,i}(s, a, x) = b + rslope sum_k c_k sin(3 x_k) / 3
 *   (|r| <= 1, Lipschitz constant gamma_r = rslope);
 * Transition T_h(.|s, x) = (1 - lam) P0 + lam P1, lam = tslope mean_k x_k
 *   clipped to [0, 1] (TV-Lipschitz gamma_T = tslope).
 * Both constants are given to the builder.
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "marlgame/aggregative.h"
#include "marlgame/rng.h"

#include <math.h>
#include <string.h>

const marl_option_def marl_games_random_amg_params[] = {
    {"n", MARL_OPTION_INT, "number of agents (1..6)", 3, 1, 6, 0.0, 0.0, 0.0,
     NULL, NULL},
    {"m", MARL_OPTION_INT, "actions per agent (1..3)", 2, 1, 3, 0.0, 0.0,
     0.0, NULL, NULL},
    {"states", MARL_OPTION_INT, "number of states (1..3)", 2, 1, 3, 0.0, 0.0,
     0.0, NULL, NULL},
    {"horizon", MARL_OPTION_INT, "horizon H (1..3)", 2, 1, 3, 0.0, 0.0, 0.0,
     NULL, NULL},
    {"d", MARL_OPTION_INT, "aggregator dimension (1..2)", 1, 1, 2, 0.0, 0.0,
     0.0, NULL, NULL},
    {"rslope", MARL_OPTION_REAL, "reward Lipschitz constant gamma_r", 0, 0, 0,
     1.0, 0.0, 1.0, NULL, NULL},
    {"tslope", MARL_OPTION_REAL, "transition Lipschitz constant gamma_T", 0,
     0, 0, 0.5, 0.0, 1.0, NULL, NULL},
    {"welfare", MARL_OPTION_INT, "1: random welfare weights; 0: none", 1, 0,
     1, 0.0, 0.0, 0.0, NULL, NULL},
    {"seed", MARL_OPTION_INT, "seed of the game's draws", 0, 0,
     0x7fffffffffffffffLL, 0.0, 0.0, 0.0, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

typedef struct ramg {
    size_t n, m, S, H, d;
    double rslope, tslope;
    double *b, *c, *P0, *P1, *w; /* w NULL without welfare */
} ramg;

static void ramg_release(void *user) {
    ramg *g = user;
    if (!g) return;
    marl_free(g->b);
    marl_free(g->c);
    marl_free(g->P0);
    marl_free(g->P1);
    marl_free(g->w);
    marl_free(g);
}

static size_t cell(const ramg *g, size_t h, size_t s, size_t i, size_t a) {
    return ((h * g->S + s) * g->n + i) * g->m + a;
}

static int ramg_reward(void *user, size_t h, size_t s, size_t i, size_t a,
                       const double *x, double *r) {
    const ramg *g = user;
    const size_t k0 = cell(g, h, s, i, a);
    double v = 0;
    for (size_t k = 0; k < g->d; ++k)
        v += g->c[k0 * g->d + k] * sin(3.0 * x[k]) / 3.0;
    v = g->b[k0] + g->rslope * v;
    *r = v < -1 ? -1 : v > 1 ? 1 : v;
    return 0;
}

static int ramg_transition(void *user, size_t h, size_t s, const double *x,
                           double *row) {
    const ramg *g = user;
    double lam = 0;
    for (size_t k = 0; k < g->d; ++k) lam += x[k];
    lam = g->tslope * lam / (double)g->d;
    if (lam < 0) lam = 0;
    if (lam > 1) lam = 1;
    const double *p0 = g->P0 + (h * g->S + s) * g->S;
    const double *p1 = g->P1 + (h * g->S + s) * g->S;
    for (size_t t = 0; t < g->S; ++t) row[t] = (1 - lam) * p0[t] + lam * p1[t];
    return 0;
}

static int ramg_welfare(void *user, size_t h, size_t s, size_t i, size_t a,
                        double *w) {
    const ramg *g = user;
    *w = g->w[cell(g, h, s, i, a)];
    return 0;
}

static int draw(ramg *g, marl_rng *rng, double *f, double *rho0) {
    const size_t cells = g->H * g->S * g->n * g->m;
    for (size_t k = 0; k < g->H * g->n * g->m * g->d; ++k)
        f[k] = marl_rng_uniform(rng);
    for (size_t k = 0; k < cells; ++k) g->b[k] = marl_rng_uniform(rng) - 0.5;
    for (size_t k = 0; k < cells * g->d; ++k)
        g->c[k] = (2 * marl_rng_uniform(rng) - 1) / (double)g->d;
    double ones[3] = {1, 1, 1};
    for (size_t k = 0; k < g->H * g->S; ++k) {
        int rc = marl_rng_dirichlet(rng, ones, g->S, g->P0 + k * g->S);
        if (!rc) rc = marl_rng_dirichlet(rng, ones, g->S, g->P1 + k * g->S);
        if (rc) return rc;
    }
    if (g->w)
        for (size_t k = 0; k < cells; ++k)
            g->w[k] = 2 * marl_rng_uniform(rng) - 1;
    return marl_rng_dirichlet(rng, ones, g->S, rho0);
}

int marl_games_random_amg_build(marl_game **out, const marl_options *opts) {
    long long n, m, S, H, d, welfare, seed;
    double rslope, tslope;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_int(opts, "m", &m);
    if (!rc) rc = marl_options_get_int(opts, "states", &S);
    if (!rc) rc = marl_options_get_int(opts, "horizon", &H);
    if (!rc) rc = marl_options_get_int(opts, "d", &d);
    if (!rc) rc = marl_options_get_int(opts, "welfare", &welfare);
    if (!rc) rc = marl_options_get_int(opts, "seed", &seed);
    if (!rc) rc = marl_options_get_real(opts, "rslope", &rslope);
    if (!rc) rc = marl_options_get_real(opts, "tslope", &tslope);
    if (rc) return rc;
    ramg *g = marl_calloc(1, sizeof *g);
    if (!g) return marl_error_nomem("the random-amg game");
    g->n = (size_t)n;
    g->m = (size_t)m;
    g->S = (size_t)S;
    g->H = (size_t)H;
    g->d = (size_t)d;
    g->rslope = rslope;
    g->tslope = tslope;
    const size_t cells = g->H * g->S * g->n * g->m;
    g->b = marl_calloc(cells, sizeof *g->b);
    g->c = marl_calloc(cells * g->d, sizeof *g->c);
    g->P0 = marl_calloc(g->H * g->S * g->S, sizeof *g->P0);
    g->P1 = marl_calloc(g->H * g->S * g->S, sizeof *g->P1);
    if (welfare) g->w = marl_calloc(cells, sizeof *g->w);
    double *f = marl_calloc(g->H * g->n * g->m * g->d, sizeof *f);
    size_t acts[6];
    double rho0[3];
    marl_rng *rng = NULL;
    marl_aggregative_builder *b = NULL;
    rc = (!g->b || !g->c || !g->P0 || !g->P1 || (welfare && !g->w) || !f)
             ? marl_error_nomem("the random-amg tables")
             : marl_rng_new(&rng, (uint64_t)seed);
    if (!rc) rc = draw(g, rng, f, rho0);
    for (size_t i = 0; i < g->n; ++i) acts[i] = g->m;
    if (!rc)
        rc = marl_aggregative_builder_new(&b, g->n, g->S, acts, g->H, g->d);
    if (!rc) rc = marl_aggregative_builder_set_scale(b, 1.0 / (double)n, 1);
    if (!rc) rc = marl_aggregative_builder_set_initial(b, rho0);
    for (size_t h = 0; h < g->H && !rc; ++h)
        rc = marl_aggregative_builder_set_contributions(
            b, h, f + h * g->n * g->m * g->d);
    if (!rc) rc = marl_aggregative_builder_set_lipschitz(b, rslope, tslope);
    if (!rc) rc = marl_aggregative_builder_set_name(b, "random-amg");
    if (!rc) {
        const marl_aggregative_ops ops = {
            MARL_AGGREGATIVE_OPS_VERSION, ramg_reward, ramg_transition,
            welfare ? ramg_welfare : NULL, ramg_release};
        rc = marl_aggregative_builder_set_ops(b, &ops, g);
        if (!rc) g = NULL;
    }
    if (!rc) rc = marl_aggregative_builder_build(b, out);
    marl_aggregative_builder_free(b);
    ramg_release(g);
    marl_rng_free(rng);
    marl_free(f);
    return rc;
}
