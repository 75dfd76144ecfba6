/*
 * Mode tracking on the full n-agent system (seed 004, App. G.1, Fig. 7:
 * "the discrepancy between the global agent's action and the true
 * population mode"), by an independent simulation through the public API:
 * every step the global agent samples k of the n agents (Floyd), plays
 * pi_g(s_g, c); we count the steps where a_g equals the mode of the FULL
 * population histogram (ties: lowest zone) and, separately, the mode of
 * the sampled count vector. The same simulation also accumulates the
 * discounted reward, a cross-check of marl_gl_evaluate. Header-only.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_BENCH_WH_SIM_H
#define MARL_BENCH_WH_SIM_H

#include <marlgame/marlgame.h>
#include <stdlib.h>
#include <string.h>

typedef struct wh_sim_result {
    double mode_hit;   /* fraction of steps with a_g = population mode */
    double sample_hit; /* fraction of steps with a_g = sampled-count mode */
    double reward;     /* mean discounted return over the episodes */
} wh_sim_result;

static size_t wh_argmax_sz(const size_t *c, size_t m) {
    size_t b = 0;
    for (size_t j = 1; j < m; ++j)
        if (c[j] > c[b]) b = j;
    return b;
}

/* Episodes of `horizon` steps from the game's initial law (rho_g uniform,
 * local states from p ~ Dirichlet(conc)). Returns 0 or an error. */
static int wh_simulate(marl_game *g, const marl_gl_policy *pol,
                       const double *conc, size_t episodes, size_t horizon,
                       uint64_t seed, wh_sim_result *out) {
    size_t n, Sg, Ag, Sl, Al;
    const double *Pg, *rg, *Pl, *rl;
    if (marl_global_local_sizes(g, &n, &Sg, &Ag, &Sl, &Al) ||
        marl_global_local_tables(g, &Pg, &rg, &Pl, &rl))
        return -1;
    const size_t k = marl_gl_policy_k(pol), C = marl_gl_policy_num_counts(pol);
    double gamma = marl_game_discount(g);
    double *pg = malloc(Sg * C * Ag * sizeof *pg);
    double *joint = malloc(Al * Sl * sizeof *joint), *p0 = malloc(Sl * sizeof *p0);
    double *pl = malloc(Al * sizeof *pl);
    size_t *loc = malloc(n * sizeof *loc), *idx = malloc(k * sizeof *idx);
    size_t *cs = calloc(Sl, sizeof *cs), *cp = calloc(Sl, sizeof *cp);
    marl_alias **al = calloc(Sl * Sg, sizeof *al);
    double *ral = malloc(Sl * Sg * Al * Sl * sizeof *ral);
    marl_rng *r = NULL;
    int rc = !pg || !joint || !p0 || !pl || !loc || !idx || !cs || !cp ||
             !al || !ral || marl_rng_new(&r, seed);
    for (size_t s = 0; !rc && s < Sg; ++s)
        for (size_t c = 0; c < C; ++c)
            marl_gl_policy_global_row(pol, s, c, pg + (s * C + c) * Ag);
    /* alias table per (s_l, s_g) over the joint outcome (a_l, s_l') */
    for (size_t j = 0; !rc && j < Sl; ++j)
        for (size_t s = 0; !rc && s < Sg; ++s) {
            marl_gl_policy_local_row(pol, j, s, pl);
            for (size_t a = 0; a < Al; ++a)
                for (size_t x = 0; x < Sl; ++x) {
                    joint[a * Sl + x] = pl[a] * Pl[((j * Sg + s) * Al + a) * Sl + x];
                    ral[((j * Sg + s) * Al + a) * Sl + x] =
                        rl[(j * Sg + s) * Al + a];
                }
            rc = marl_alias_new(&al[j * Sg + s], joint, Al * Sl);
        }
    size_t hits = 0, shits = 0, steps = 0;
    double ret = 0.0;
    for (size_t e = 0; !rc && e < episodes; ++e) {
        size_t s = (size_t)marl_rng_uniform_int(r, Sg);
        rc = marl_rng_dirichlet(r, conc, Sl, p0);
        for (size_t i = 0; !rc && i < n; ++i)
            rc = marl_rng_categorical(r, p0, Sl, &loc[i]);
        double disc = 1.0;
        for (size_t t = 0; !rc && t < horizon; ++t) {
            memset(cs, 0, Sl * sizeof *cs);
            memset(cp, 0, Sl * sizeof *cp);
            for (size_t i = 0; i < n; ++i) cp[loc[i]]++;
            rc = marl_rng_sample_k_of_n(r, n, k, idx);
            for (size_t i = 0; !rc && i < k; ++i) cs[loc[idx[i]]]++;
            size_t rank = 0, ag = 0;
            if (!rc) rc = marl_counts_rank(cs, Sl, k, &rank);
            if (!rc) rc = marl_rng_categorical(r, pg + (s * C + rank) * Ag, Ag, &ag);
            if (rc) break;
            hits += ag == wh_argmax_sz(cp, Sl);
            shits += ag == wh_argmax_sz(cs, Sl);
            steps++;
            double rsum = 0.0;
            for (size_t i = 0; !rc && i < n; ++i) {
                size_t o = 0, row = loc[i] * Sg + s;
                rc = marl_alias_sample(al[row], r, &o);
                rsum += ral[row * Al * Sl + o];
                loc[i] = o % Sl;
            }
            ret += disc * (rg[s * Ag + ag] + rsum / (double)n);
            disc *= gamma;
            size_t s2 = 0;
            if (!rc) rc = marl_rng_categorical(r, Pg + (s * Ag + ag) * Sg, Sg, &s2);
            s = s2;
        }
    }
    if (!rc) {
        out->mode_hit = steps ? (double)hits / (double)steps : 0.0;
        out->sample_hit = steps ? (double)shits / (double)steps : 0.0;
        out->reward = episodes ? ret / (double)episodes : 0.0;
    }
    for (size_t i = 0; al && i < Sl * Sg; ++i) marl_alias_free(al[i]);
    free(al);
    free(ral);
    marl_rng_free(r);
    free(pg);
    free(joint);
    free(p0);
    free(pl);
    free(loc);
    free(idx);
    free(cs);
    free(cp);
    return rc;
}

#endif /* MARL_BENCH_WH_SIM_H */
