/*
 * `warehouse` (seed 004, App. G.1): a dispatcher (global agent) steers the
 * priority among 5 zones; n robots (local agents) move on a ring of 5
 * zones. Formulas of the public reference implementation
 * (BENCHMARKS.md "Seed 004 reference: the warehouse environment"),
 * 0-based:
 *   P_g(g'|g,a_g)  = softmax_g' (3.0 [g' = a_g] + 0.5 [g' = g])
 *   P_l(s'|s,g,a)  = softmax_s' (3.5 [s' = s] + 1.5 [a = 1][s' = s+1 mod 5]
 *                    + 1.5 [a = 2][s' = s-1 mod 5] + 0.3 [s' = g])
 *   r_g = 1;  r_l(s,g,a) = (10 if s = g else 2 / (1 + ring distance))
 *                          + (0, +0.5, -0.3)[a]
 *   gamma 0.95; g_0 uniform; p ~ Dirichlet(0.3, ..., 0.3), s_i ~ p i.i.d.
 * The softmax rows are evaluated in the reference's own operation order
 * (its +0.1 logit floor, no max shift), so that P_g and P_l equal its
 * tables bit for bit: rounding-level differences would otherwise change
 * G-LEARN's rounded expected successors where two remainders tie exactly.
 * Local actions: 0 stay, 1 move +1, 2 move -1. Parameters: n (1000) and
 * gamma (0.95). The seed's k, m and evaluation horizon are solver and
 * evaluation settings (alternating-glearn options k and m; marl_gl_evaluate
 * and `marlgame eval --k --horizon`), not game parameters.
 * Built through the public builder with callbacks.
 * SPDX-License-Identifier: MIT
 */
#include "games/catalogue_impl.h"
#include "marlgame/global_local.h"

#include <math.h>

#define WH_Z 5 /* zones = global states = global actions = local states */
#define WH_A 3 /* local actions */

const marl_option_def marl_games_warehouse_params[] = {
    {"n", MARL_OPTION_INT, "number of robots (local agents), 1..10^7", 1000, 1,
     10000000, 0.0, 0.0, 0.0, NULL, NULL},
    {"gamma", MARL_OPTION_REAL, "discount factor in [0, 1) (seed: 0.95)", 0,
     0, 0, 0.95, 0.0, 0x1.fffffffffffffp-1, NULL, NULL},
    {NULL, 0, NULL, 0, 0, 0, 0.0, 0.0, 0.0, NULL, NULL},
};

/* exp(x) / sum exp(x), evaluated as the reference does (no shift by the
 * maximum; the sum from 0 in index order): with the logits built in the
 * reference's order below, the tables equal its numpy tables bit for bit
 * (tests/global_local/ref_port.py). The logits are at most 3.9: no
 * overflow. */
static void softmax(double *x, size_t n) {
    double z = 0.0;
    for (size_t i = 0; i < n; ++i) z += (x[i] = exp(x[i]));
    for (size_t i = 0; i < n; ++i) x[i] /= z;
}

/* Logits in the order of the reference (scripts/marl_example.py): start
 * at 0, += 3.0 on a_g, += 0.5 on g, then += 0.1 everywhere (a floor that
 * cancels in exact arithmetic but not in rounding). */
static int wh_gtrans(void *user, size_t g, size_t ag, double *row) {
    (void)user;
    for (size_t gp = 0; gp < WH_Z; ++gp) row[gp] = 0.0;
    row[ag] += 3.0;
    row[g] += 0.5;
    for (size_t gp = 0; gp < WH_Z; ++gp) row[gp] += 0.1;
    softmax(row, WH_Z);
    return 0;
}

static int wh_greward(void *user, size_t g, size_t ag, double *r) {
    (void)user;
    (void)g;
    (void)ag;
    *r = 1.0;
    return 0;
}

/* Logits in the order of the reference: 0.1 everywhere, += 3.5 on s,
 * += 1.5 on s+1 (a = 1) or s-1 (a = 2), += 0.3 on g. */
static int wh_ltrans(void *user, size_t s, size_t g, size_t a, double *row) {
    (void)user;
    for (size_t sp = 0; sp < WH_Z; ++sp) row[sp] = 0.1;
    row[s] += 3.5;
    if (a == 1)
        row[(s + 1) % WH_Z] += 1.5;
    else if (a == 2)
        row[(s + WH_Z - 1) % WH_Z] += 1.5;
    row[g] += 0.3;
    softmax(row, WH_Z);
    return 0;
}

static int wh_lreward(void *user, size_t s, size_t g, size_t a, double *r) {
    (void)user;
    static const double bonus[WH_A] = {0.0, 0.5, -0.3};
    size_t diff = s > g ? s - g : g - s;
    size_t d = diff < WH_Z - diff ? diff : WH_Z - diff;
    *r = (d == 0 ? 10.0 : 2.0 / (1.0 + (double)d)) + bonus[a];
    return 0;
}

int marl_games_warehouse_build(marl_game **out, const marl_options *opts) {
    long long n = 0;
    double gamma = 0.0;
    int rc = marl_options_get_int(opts, "n", &n);
    if (!rc) rc = marl_options_get_real(opts, "gamma", &gamma);
    if (rc) return rc;
    static const marl_global_local_ops ops = {
        MARL_GLOBAL_LOCAL_OPS_VERSION, wh_gtrans, wh_greward, wh_ltrans,
        wh_lreward};
    static const double conc[WH_Z] = {0.3, 0.3, 0.3, 0.3, 0.3};
    marl_global_local_builder *b = NULL;
    rc = marl_global_local_builder_new(&b, (size_t)n, WH_Z, WH_Z, WH_Z, WH_A);
    if (!rc) rc = marl_global_local_builder_set_discount(b, gamma);
    if (!rc) rc = marl_global_local_builder_fill(b, &ops, NULL);
    if (!rc) rc = marl_global_local_builder_set_initial_dirichlet(b, conc);
    if (!rc) rc = marl_global_local_builder_set_name(b, "warehouse");
    if (!rc) rc = marl_global_local_builder_build(b, out);
    marl_global_local_builder_free(b);
    return rc;
}
