/*
 * `a-sis`: the heterogeneous SIS epidemic game of seed 001, App. E.2.
 * States {0 = I (infected), 1 = H (healthy)}, actions {0 = D (distance),
 * 1 = U (go out)}, rho0 uniform. With sigma(I, U) the fraction of other
 * agents infected and going out:
 *   P^i(I | H, D) = 0,  P^i(I | H, U) = alpha_i sigma(I, U),
 *   P^i(I | I, .) = 1 - theta_i,
 *   R^i(s, a) = -1[s = I] - xi_i 1[a = D].
 * Base values from MFGLib's SIS: alpha = 0.81, theta = 0.3, xi = 0.5; each
 * agent's alpha_i, theta_i, xi_i = base + U[-spread, spread], clipped to
 * [0, 1], drawn from the library RNG seeded with `seed`, agent by agent in
 * the order alpha, theta, xi (each draw spread * (2 U - 1)).
 * Defaults N = 1000, H = 20, spread = 0.1, seed 1.
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "games/population/pop_util.h"

#include "marlgame/rng.h"

#define ASIS_COEF 3 /* alpha, theta, xi */

const marl_option_def marl_games_a_sis_params[] = {
    {"n", MARL_OPTION_INT, "number of agents N (seed: 1000)", 1000, 1,
     10000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"horizon", MARL_OPTION_INT, "steps H (seed: 20)", 20, 1, 1000000, 0.0,
     0.0, 0.0, NULL, NULL},
    {"spread", MARL_OPTION_REAL,
     "half-width of the uniform heterogeneity of alpha, theta, xi", 0, 0, 0,
     0.1, 0.0, 1.0, NULL, NULL},
    {"seed", MARL_OPTION_INT, "seed of the heterogeneity draws", 1, 0,
     INT64_MAX, 0.0, 0.0, 0.0, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

static int asis_transition(void *user, size_t agent, size_t step, size_t s,
                           size_t a, const double *sigma, double *row) {
    (void)step;
    const double *c = (const double *)user + agent * ASIS_COEF;
    double pI;
    if (s == 0)
        pI = 1.0 - c[1];
    else if (a == 0)
        pI = 0.0;
    else
        pI = c[0] * sigma[0 * 2 + 1];
    row[0] = pI;
    row[1] = 1.0 - pI;
    return 0;
}

static int asis_reward(void *user, size_t agent, size_t step, size_t s,
                       size_t a, const double *sigma, double *r) {
    (void)step, (void)sigma;
    const double *c = (const double *)user + agent * ASIS_COEF;
    *r = -(s == 0 ? 1.0 : 0.0) - (a == 0 ? c[2] : 0.0);
    return 0;
}

static void asis_destroy(void *user) { marl_free(user); }

static double clip01(double x) { return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); }

int marl_games_a_sis_build(marl_game **out, const marl_options *opts) {
    long long n = 0, H = 0, seed = 0;
    double spread = 0.0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_int(opts, "horizon", &H);
    if (!rc) rc = marl_options_get_real(opts, "spread", &spread);
    if (!rc) rc = marl_options_get_int(opts, "seed", &seed);
    if (rc) return rc;
    double *coef = marl_calloc((size_t)n * ASIS_COEF, sizeof *coef);
    if (!coef) return marl_error_nomem("the a-sis coefficients");
    marl_rng *rng = NULL;
    rc = marl_rng_new(&rng, (uint64_t)seed);
    if (rc) {
        marl_free(coef);
        return rc;
    }
    static const double base[ASIS_COEF] = {0.81, 0.3, 0.5};
    for (size_t i = 0; i < (size_t)n; ++i)
        for (size_t k = 0; k < ASIS_COEF; ++k)
            coef[i * ASIS_COEF + k] = clip01(
                base[k] + spread * (2.0 * marl_rng_uniform(rng) - 1.0));
    marl_rng_free(rng);
    static const marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                                            asis_transition, asis_reward,
                                            asis_destroy};
    return marl_pop_build_simple(out, "a-sis", (size_t)n, 2, 2, (size_t)H,
                                 NULL, 0, &ops, coef);
}
