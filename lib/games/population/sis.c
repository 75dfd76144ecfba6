/*
 * `sis`: MFGLib's susceptible_infected environment (exactly symmetric; for
 * cross-checks). States {0 = susceptible, 1 = infected}, actions
 * {0 = go out, 1 = distance}. From I: to S with probability 0.3, stay I
 * with 0.7 (any action). From S going out: infected with probability
 * 0.9^2 mu(I) (MFGLib writes 0.9**2: the same double as 0.9 * 0.9 and
 * 0.81), else stay S; from S distancing: stay S. Rewards r(S, out) = 0,
 * r(S, distance) = -0.5, r(I, out) = -1, r(I, distance) = -1.5.
 * mu(I) = sigma(I, 0) + sigma(I, 1).
 * MFGLib's defaults: T = 50, i.e. H = 51 steps, mu0 = (0.4, 0.6).
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "games/population/pop_util.h"

const marl_option_def marl_games_sis_params[] = {
    {"n", MARL_OPTION_INT, "number of agents N (N-player simulation only)",
     1000, 1, 10000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"horizon", MARL_OPTION_INT,
     "steps H = MFGLib's T + 1 (MFGLib's default T = 50)", 51, 1, 1000000,
     0.0, 0.0, 0.0, NULL, NULL},
    {"infected0", MARL_OPTION_REAL,
     "initial fraction infected (MFGLib: 0.6)", 0, 0, 0, 0.6, 0.0, 1.0, NULL,
     NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

static int sis_transition(void *user, size_t agent, size_t step, size_t s,
                          size_t a, const double *sigma, double *row) {
    (void)user, (void)agent, (void)step;
    if (s == 1) {
        row[0] = 0.3;
        row[1] = 0.7;
    } else if (a == 0) {
        const double p = (0.9 * 0.9) * (sigma[2] + sigma[3]);
        row[1] = p;
        row[0] = 1.0 - p;
    } else {
        row[0] = 1.0;
        row[1] = 0.0;
    }
    return 0;
}

static int sis_reward(void *user, size_t agent, size_t step, size_t s,
                      size_t a, const double *sigma, double *r) {
    (void)user, (void)agent, (void)step, (void)sigma;
    static const double tab[2][2] = {{0.0, -0.5}, {-1.0, -1.5}};
    *r = tab[s][a];
    return 0;
}

int marl_games_sis_build(marl_game **out, const marl_options *opts) {
    long long n = 0, H = 0;
    double inf0 = 0.0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_int(opts, "horizon", &H);
    if (!rc) rc = marl_options_get_real(opts, "infected0", &inf0);
    if (rc) return rc;
    static const marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                                            sis_transition, sis_reward, NULL};
    const double mu0[2] = {1.0 - inf0, inf0};
    return marl_pop_build_simple(out, "sis", (size_t)n, 2, 2, (size_t)H, mu0,
                                 1, &ops, NULL);
}
