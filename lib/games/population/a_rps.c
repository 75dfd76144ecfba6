/*
 * `a-rps`: the heterogeneous (alpha-symmetric) rock-paper-scissors game of
 * seed 001, App. E.2. S = A = {0 = R, 1 = P, 2 = S}, deterministic
 * transition s' = a, rho0 uniform. With sigma_a(a) = sum_s sigma(s, a) and
 * sigma_s(s) = sum_a sigma(s, a) (the other agents' action and state
 * fractions):
 *   R^i(R, a) = -c^i sigma_a(a) - u^i_R sigma_s(P) + v^i_R sigma_s(S)
 *   R^i(P, a) = -c^i sigma_a(a) - u^i_P sigma_s(S) + v^i_P sigma_s(R)
 *   R^i(S, a) = -c^i sigma_a(a) - u^i_S sigma_s(R) + v^i_S sigma_s(P)
 * u^i = (2, 4, 6) + noise, v^i = (1, 2, 3) + noise (seed), crowd penalty
 * c^i = 0.5 + noise (ours: the seed gives no value); noise i.i.d.
 * U[-beta_noise, beta_noise] per coefficient, drawn from the library RNG
 * seeded with `seed`, agent by agent in the order c, u_R, u_P, u_S, v_R,
 * v_P, v_S (each draw beta_noise * (2 U - 1), U = marl_rng_uniform).
 * Defaults N = 2000, H = 10, beta_noise = 0.05, seed 1.
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "games/population/pop_util.h"

#include "marlgame/rng.h"

#define ARPS_COEF 7 /* c, u_R, u_P, u_S, v_R, v_P, v_S */

const marl_option_def marl_games_a_rps_params[] = {
    {"n", MARL_OPTION_INT, "number of agents N (seed: 2000)", 2000, 1,
     10000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"horizon", MARL_OPTION_INT, "steps H (seed: 10)", 10, 1, 1000000, 0.0,
     0.0, 0.0, NULL, NULL},
    {"beta_noise", MARL_OPTION_REAL,
     "half-width of the uniform noise on every coefficient (seed: 0.05)", 0,
     0, 0, 0.05, 0.0, 1.0, NULL, NULL},
    {"seed", MARL_OPTION_INT, "seed of the heterogeneity draws", 1, 0,
     INT64_MAX, 0.0, 0.0, 0.0, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

static int arps_transition(void *user, size_t agent, size_t step, size_t s,
                           size_t a, const double *sigma, double *row) {
    (void)user, (void)agent, (void)step, (void)s, (void)sigma;
    for (size_t k = 0; k < 3; ++k) row[k] = k == a ? 1.0 : 0.0;
    return 0;
}

static int arps_reward(void *user, size_t agent, size_t step, size_t s,
                       size_t a, const double *sigma, double *r) {
    (void)step;
    const double *c = (const double *)user + agent * ARPS_COEF;
    double ms[3], ma[3];
    for (size_t k = 0; k < 3; ++k) {
        ms[k] = sigma[k * 3] + sigma[k * 3 + 1] + sigma[k * 3 + 2];
        ma[k] = sigma[k] + sigma[3 + k] + sigma[6 + k];
    }
    /* beaten by (s + 1) % 3, beats (s + 2) % 3 */
    *r = -c[0] * ma[a] - c[1 + s] * ms[(s + 1) % 3] +
         c[4 + s] * ms[(s + 2) % 3];
    return 0;
}

static void arps_destroy(void *user) { marl_free(user); }

int marl_games_a_rps_build(marl_game **out, const marl_options *opts) {
    long long n = 0, H = 0, seed = 0;
    double beta = 0.0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_int(opts, "horizon", &H);
    if (!rc) rc = marl_options_get_real(opts, "beta_noise", &beta);
    if (!rc) rc = marl_options_get_int(opts, "seed", &seed);
    if (rc) return rc;
    double *coef = marl_calloc((size_t)n * ARPS_COEF, sizeof *coef);
    if (!coef) return marl_error_nomem("the a-rps coefficients");
    marl_rng *rng = NULL;
    rc = marl_rng_new(&rng, (uint64_t)seed);
    if (rc) {
        marl_free(coef);
        return rc;
    }
    static const double base[ARPS_COEF] = {0.5, 2.0, 4.0, 6.0, 1.0, 2.0, 3.0};
    for (size_t i = 0; i < (size_t)n; ++i)
        for (size_t k = 0; k < ARPS_COEF; ++k)
            coef[i * ARPS_COEF + k] =
                base[k] + beta * (2.0 * marl_rng_uniform(rng) - 1.0);
    marl_rng_free(rng);
    static const marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                                            arps_transition, arps_reward,
                                            arps_destroy};
    return marl_pop_build_simple(out, "a-rps", (size_t)n, 3, 3, (size_t)H,
                                 NULL, 0, &ops, coef);
}
