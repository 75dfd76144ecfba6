/*
 * `routing` (ours; the congestion example named in seed 000 §1;
 * GAMES.md "Aggregative Markov games").
 *
 * n drivers choose among m routes (actions 0..m-1) at each of H periods.
 * Aggregator: x_k = (1/n) #drivers on route k, f_i(a) = e_a restricted to
 * the tracked coordinates, delta = 1/n, W = 1. full = 0 tracks routes
 * 0..m-2 (d = m - 1; the last route's load is 1 - sum_k x_k, so m = 2 is
 * the d = 1 case), full = 1 tracks all m routes (d = m). load_a(x) below
 * is route a's share of drivers either way.
 *
 * States (traffic regimes): 0 free, 1 busy, 2 incident; rho0 = (1, 0, 0)
 * (every run starts free).
 *
 * Reward  r_{h,i}(s, a, x) = clip(b_i(a) - l_a(s) load_a(x), -1, 1),
 *   b_i(a) ~ U[0, 0.5] (seeded; drawn in (i, a) order from marl_rng(seed)),
 *   latency slopes (our choice, GAMES.md "e.g."): l(s) = 0.6, 1.0, 1.4 for
 *   free, busy, incident; route 0 is slightly slower: l_0(s) = 1.1 l(s).
 * Transition with congestion c(x) = max_a load_a(x) and worsening
 *   probability q(x) = 0.1 + 0.5 c(x) (transition slope 0.5, our choice):
 *   free:     busy q, free 1 - q;
 *   busy:     incident q, free (1 - q)/2, busy (1 - q)/2;
 *   incident: incident q, busy 1 - q.
 * Welfare weights (route-cost proxy): w_{h,i}(s, a) = -l_a(s) / l_0(2),
 *   in [-1, 0]: prefer the route with the smaller latency slope.
 * Lipschitz constants (infinity norm of x; given to the builder):
 *   load_a is 1-Lipschitz for a tracked route and (m-1)-Lipschitz for the
 *   untracked last route (full = 0), so gamma_r = l_0(2) * Lx and gamma_T
 *   = 0.5 * Lx with Lx = 1 (full = 1 or m = 2) or m - 1 (full = 0, m > 2).
 *   (GAMES.md says "gamma_r = max slope"; that is the constant per
 *   coordinate, the factor Lx makes it valid in the infinity norm.)
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "marlgame/aggregative.h"
#include "marlgame/rng.h"

#include <math.h>
#include <string.h>

#define ROUTING_MAX_ROUTES 8
#define ROUTING_TSLOPE 0.5
#define ROUTING_TBASE 0.1
static const double routing_slope[3] = {0.6, 1.0, 1.4};
#define ROUTING_SLOW 1.1

const marl_option_def marl_games_routing_params[] = {
    {"n", MARL_OPTION_INT, "number of drivers", 1000, 1, 1 << 24, 0.0, 0.0,
     0.0, NULL, NULL},
    {"m", MARL_OPTION_INT, "number of routes (2..8)", 3, 2,
     ROUTING_MAX_ROUTES, 0.0, 0.0, 0.0, NULL, NULL},
    {"horizon", MARL_OPTION_INT, "number of periods H", 6, 1, 1000, 0.0, 0.0,
     0.0, NULL, NULL},
    {"full", MARL_OPTION_INT,
     "1: track all m route loads (d = m); 0: d = m - 1", 0, 0, 1, 0.0, 0.0,
     0.0, NULL, NULL},
    {"seed", MARL_OPTION_INT, "seed of the drivers' preferences", 0, 0,
     0x7fffffffffffffffLL, 0.0, 0.0, 0.0, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

typedef struct routing_data {
    size_t n, m, d;
    double *b; /* [n * m] */
} routing_data;

static void routing_release(void *user) {
    routing_data *r = user;
    if (!r) return;
    marl_free(r->b);
    marl_free(r);
}

static double slope(size_t s, size_t a) {
    return routing_slope[s] * (a == 0 ? ROUTING_SLOW : 1.0);
}

static double load(const routing_data *r, const double *x, size_t a) {
    if (a < r->d) return x[a];
    double rest = 1.0;
    for (size_t k = 0; k < r->d; ++k) rest -= x[k];
    return rest;
}

static int routing_reward(void *user, size_t step, size_t state,
                          size_t agent, size_t action, const double *x,
                          double *reward) {
    (void)step;
    const routing_data *r = user;
    double v = r->b[agent * r->m + action] -
               slope(state, action) * load(r, x, action);
    *reward = v < -1 ? -1 : v > 1 ? 1 : v;
    return 0;
}

static int routing_transition(void *user, size_t step, size_t state,
                              const double *x, double *row) {
    (void)step;
    const routing_data *r = user;
    double c = -HUGE_VAL;
    for (size_t a = 0; a < r->m; ++a) {
        double l = load(r, x, a);
        if (l > c) c = l;
    }
    if (c < 0) c = 0;
    if (c > 1) c = 1;
    const double q = ROUTING_TBASE + ROUTING_TSLOPE * c;
    switch (state) {
    case 0: row[0] = 1 - q; row[1] = q; row[2] = 0; break;
    case 1: row[0] = (1 - q) / 2; row[1] = (1 - q) / 2; row[2] = q; break;
    default: row[0] = 0; row[1] = 1 - q; row[2] = q; break;
    }
    return 0;
}

static int routing_welfare(void *user, size_t step, size_t state,
                           size_t agent, size_t action, double *weight) {
    (void)user;
    (void)step;
    (void)agent;
    *weight = -slope(state, action) / slope(2, 0);
    return 0;
}

int marl_game_routing_new(marl_game **out, size_t n_drivers, size_t n_routes,
                          size_t horizon, int full, uint64_t seed) {
    const char *fn = "marl_game_routing_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (n_routes < 2 || n_routes > ROUTING_MAX_ROUTES)
        return marl_error(MARL_ERANGE, "%s: m = %zu routes, expected 2..%d",
                          fn, n_routes, ROUTING_MAX_ROUTES);
    if (n_drivers == 0 || n_drivers > MARL_AGGREGATIVE_MAX_AGENTS)
        return marl_error(MARL_ERANGE, "%s: n = %zu drivers out of range", fn,
                          n_drivers);
    if (horizon == 0)
        return marl_error(MARL_ERANGE, "%s: horizon must be >= 1", fn);
    const size_t n = n_drivers, m = n_routes, d = full ? m : m - 1;
    routing_data *r = marl_calloc(1, sizeof *r);
    size_t *acts = marl_calloc(n, sizeof *acts);
    double *f = marl_calloc(n * m * d, sizeof *f);
    marl_rng *rng = NULL;
    int rc = (!r || !acts || !f) ? marl_error_nomem("the routing game")
                                 : marl_rng_new(&rng, seed);
    if (!rc) {
        r->b = marl_calloc(n * m, sizeof *r->b);
        if (!r->b) rc = marl_error_nomem("the drivers' preferences");
    }
    marl_aggregative_builder *b = NULL;
    if (!rc) {
        r->n = n;
        r->m = m;
        r->d = d;
        for (size_t k = 0; k < n * m; ++k)
            r->b[k] = 0.5 * marl_rng_uniform(rng);
        for (size_t i = 0; i < n; ++i) {
            acts[i] = m;
            for (size_t a = 0; a < m && a < d; ++a) f[(i * m + a) * d + a] = 1;
        }
        rc = marl_aggregative_builder_new(&b, n, 3, acts, horizon, d);
    }
    const double rho0[3] = {1, 0, 0};
    const double Lx = (full || m == 2) ? 1.0 : (double)(m - 1);
    if (!rc) rc = marl_aggregative_builder_set_scale(b, 1.0 / (double)n, 1);
    if (!rc) rc = marl_aggregative_builder_set_initial(b, rho0);
    if (!rc)
        rc = marl_aggregative_builder_set_contributions(
            b, MARL_AGGREGATIVE_ALL_STEPS, f);
    if (!rc)
        rc = marl_aggregative_builder_set_lipschitz(
            b, slope(2, 0) * Lx, ROUTING_TSLOPE * Lx);
    if (!rc) rc = marl_aggregative_builder_set_name(b, "routing");
    if (!rc) {
        const marl_aggregative_ops ops = {MARL_AGGREGATIVE_OPS_VERSION,
                                          routing_reward, routing_transition,
                                          routing_welfare, routing_release};
        rc = marl_aggregative_builder_set_ops(b, &ops, r);
        if (!rc) r = NULL; /* owned by the builder (then the game) */
    }
    if (!rc) rc = marl_aggregative_builder_build(b, out);
    marl_aggregative_builder_free(b);
    routing_release(r);
    marl_rng_free(rng);
    marl_free(acts);
    marl_free(f);
    return rc;
}

int marl_games_routing_build(marl_game **out, const marl_options *opts) {
    long long n = 0, m = 0, H = 0, full = 0, seed = 0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_int(opts, "m", &m);
    if (!rc) rc = marl_options_get_int(opts, "horizon", &H);
    if (!rc) rc = marl_options_get_int(opts, "full", &full);
    if (!rc) rc = marl_options_get_int(opts, "seed", &seed);
    if (rc) return rc;
    return marl_game_routing_new(out, (size_t)n, (size_t)m, (size_t)H,
                                 (int)full, (uint64_t)seed);
}
