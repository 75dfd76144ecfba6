/*
 * `rps`: MFGLib's rock_paper_scissors environment (exactly symmetric; for
 * cross-checks). States {0 = initial, 1 = R, 2 = P, 3 = S}, actions
 * {0 = R, 1 = P, 2 = S}: from any state, action a moves deterministically
 * to state 1 + a. With mu(s) = sum_a sigma(s, a) the state marginal, the
 * reward (the same for every action) is
 *   r(R) = 2 mu(S) - mu(P),  r(P) = 4 mu(R) - 2 mu(S),
 *   r(S) = 6 mu(P) - 3 mu(R),  r(initial) = 0.
 * MFGLib's defaults: T = 1, i.e. H = T + 1 = 2 steps, mu0 = (1, 0, 0, 0).
 * N (param `n`) only matters for N-player simulation.
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "games/population/pop_util.h"

const marl_option_def marl_games_rps_params[] = {
    {"n", MARL_OPTION_INT, "number of agents N (N-player simulation only)",
     1000, 1, 10000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"horizon", MARL_OPTION_INT,
     "steps H = MFGLib's T + 1 (MFGLib's default T = 1)", 2, 1, 1000000, 0.0,
     0.0, 0.0, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

static int rps_transition(void *user, size_t agent, size_t step, size_t s,
                          size_t a, const double *sigma, double *row) {
    (void)user, (void)agent, (void)step, (void)s, (void)sigma;
    for (size_t k = 0; k < 4; ++k) row[k] = k == 1 + a ? 1.0 : 0.0;
    return 0;
}

static int rps_reward(void *user, size_t agent, size_t step, size_t s,
                      size_t a, const double *sigma, double *r) {
    (void)user, (void)agent, (void)step, (void)a;
    double mu[4];
    for (size_t k = 0; k < 4; ++k)
        mu[k] = sigma[k * 3] + sigma[k * 3 + 1] + sigma[k * 3 + 2];
    switch (s) {
    case 1: *r = 2.0 * mu[3] - mu[2]; break;
    case 2: *r = 4.0 * mu[1] - 2.0 * mu[3]; break;
    case 3: *r = 6.0 * mu[2] - 3.0 * mu[1]; break;
    default: *r = 0.0; break;
    }
    return 0;
}

int marl_games_rps_build(marl_game **out, const marl_options *opts) {
    long long n = 0, H = 0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_int(opts, "horizon", &H);
    if (rc) return rc;
    static const marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                                            rps_transition, rps_reward, NULL};
    static const double mu0[4] = {1.0, 0.0, 0.0, 0.0};
    return marl_pop_build_simple(out, "rps", (size_t)n, 4, 3, (size_t)H, mu0,
                                 1, &ops, NULL);
}
