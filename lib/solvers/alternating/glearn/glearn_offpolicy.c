/*
 * G-LEARN by off-policy Q-learning from one behaviour trajectory (seed 004,
 * App. E; option method=offpolicy). The trajectory is that of the
 * count-vector MDP of glearn.c: from (s_g, c) the behaviour plays a_g
 * epsilon-greedy in Q (uniform with probability epsilon, else the greedy
 * action, ties to the lowest), receives r_g(s_g,a_g) + (1/k) sum_j c_j
 * r~_l(j,s_g), and moves to s_g' ~ P_g(.|s_g,a_g) and c' (the k sampled
 * agents move independently by P~_l(.|j,s_g)). Update at the visited entry
 *   Q <- Q + eta (r + gamma max_a' Q(s_g',c',a') - Q),
 *   eta = 1 / N(s_g,c,a)^lr_power (N counts the updates of the entry).
 * The trajectory starts from s_g ~ rho_g and c ~ Multinomial(k, rho_l)
 * (for a Dirichlet initial law, rho_l = the Dirichlet mean) and continues
 * across steps; each step runs `steps` transitions.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/glearn/glearn.h"
#include "solvers/alternating/glearn/glearn_succ.h"
#include "marlgame/counts.h"

#include <math.h>
#include <string.h>

static size_t draw_index(marl_rng *rng, const double *p, size_t n) {
    double u = marl_rng_next_double(rng), acc = 0.0;
    for (size_t i = 0; i + 1 < n; ++i) {
        acc += p[i];
        if (u < acc) return i;
    }
    return n - 1;
}

int marl_glearn_offpolicy_init(glearn_state *st) {
    const marl_gl_data *d = st->d;
    const size_t Sl = d->Sl;
    st->agents = marl_malloc(3 * Sl * sizeof *st->agents);
    st->visits = marl_calloc(st->S * d->Ag, sizeof *st->visits);
    double *rho = marl_malloc(Sl * sizeof *rho);
    uint64_t *tmp = marl_malloc(Sl * sizeof *tmp);
    st->tmp64 = marl_malloc(Sl * sizeof *st->tmp64);
    int rc = (st->agents && st->visits && rho && tmp && st->tmp64)
                 ? MARL_OK
                 : marl_error_nomem("the off-policy G-LEARN tables");
    if (rc == MARL_OK) rc = marl_rng_seed(&st->rng, st->seed);
    if (rc == MARL_OK) {
        marl_glearn_fill_rewards(st);
        if (d->rho_l) {
            memcpy(rho, d->rho_l, Sl * sizeof *rho);
        } else {
            double z = 0.0;
            for (size_t j = 0; j < Sl; ++j) z += d->conc[j];
            for (size_t j = 0; j < Sl; ++j) rho[j] = d->conc[j] / z;
        }
        st->cur_s = draw_index(&st->rng, d->rho_g, d->Sg);
        rc = marl_rng_multinomial(&st->rng, st->k, rho, Sl, tmp);
    }
    if (rc == MARL_OK) {
        for (size_t j = 0; j < Sl; ++j) st->agents[j] = (size_t)tmp[j];
        st->cur_c = marl_gl_rank(st->hdr.policy, st->agents);
    }
    marl_free(rho);
    marl_free(tmp);
    return rc;
}

int marl_glearn_offpolicy_step(glearn_state *st, double *residual) {
    const marl_gl_data *d = st->d;
    const size_t Sl = d->Sl, Sg = d->Sg, Ag = d->Ag, C = st->C;
    size_t *c = st->agents, *cn = st->agents + Sl;
    uint64_t *tmp = st->tmp64;
    double res = 0.0;
    for (size_t t = 0; t < st->steps; ++t) {
        const size_t s = st->cur_s, i = s * C + st->cur_c;
        double *q = st->Q + i * Ag;
        size_t a = 0;
        if (marl_rng_next_double(&st->rng) < st->epsilon) {
            a = (size_t)marl_rng_next_below(&st->rng, Ag);
        } else {
            for (size_t b = 1; b < Ag; ++b)
                if (q[b] > q[a]) a = b;
        }
        size_t sp = draw_index(&st->rng, d->Pg + (s * Ag + a) * Sg, Sg);
        int rc = marl_counts_unrank(st->cur_c, Sl, st->k, c);
        if (rc == MARL_OK)
            rc = marl_glearn_sample_next(&st->rng, st->Pt + s * Sl * Sl, c,
                                         Sl, cn, tmp);
        if (rc) return rc;
        size_t cp = marl_gl_rank(st->hdr.policy, cn);
        const double *qn = st->Q + (sp * C + cp) * Ag;
        double mx = qn[0];
        for (size_t b = 1; b < Ag; ++b)
            if (qn[b] > mx) mx = qn[b];
        double *nv = st->visits + i * Ag + a;
        int seen = 0;
        for (size_t b = 0; b < Ag; ++b) seen |= st->visits[i * Ag + b] > 0;
        if (!seen) st->visited++;
        *nv += 1.0;
        const double eta = pow(*nv, -st->lr_power);
        const double target = d->rg[s * Ag + a] + st->rc[i] + st->gamma * mx;
        const double delta = eta * (target - q[a]);
        if (fabs(delta) > res) res = fabs(delta);
        q[a] += delta;
        st->cur_s = sp;
        st->cur_c = cp;
    }
    /* greedy policy */
    double *pg = st->hdr.policy->pg;
    for (size_t i = 0; i < st->S; ++i) {
        const double *q = st->Q + i * Ag;
        size_t arg = 0;
        for (size_t b = 1; b < Ag; ++b)
            if (q[b] > q[arg]) arg = b;
        for (size_t b = 0; b < Ag; ++b) pg[i * Ag + b] = 0.0;
        pg[i * Ag + arg] = 1.0;
    }
    *residual = res;
    return MARL_OK;
}
