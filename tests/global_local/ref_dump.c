/*
 * Dumps what tests/global_local/ref_port.py compares with its port of the
 * public reference implementation (emiletimothy/alternating-marl): the
 * `warehouse` game's tables, discount and initial law, and for
 * k = 1, 2, 4 and three fixed local policies the run of
 * `alternating-glearn` with estimator=expected, max_sweeps=100, tol=0:
 * the marginalised tables P~_l, r~_l, the successor of every (s_g, c), V
 * after sweeps 1, 2, 3, 10, 50, 100 and the greedy global action after
 * sweep 100; for k = 8, 12, 20 the successors only. Count vectors are
 * printed as vectors (the reference indexes them in its own order).
 * Output: one record per line, numbers as %.17g.
 *
 *   gl_ref_dump            (no arguments; exit status 0 on success)
 *
 * SPDX-License-Identifier: MIT
 */
#include "game/global_local/gl_impl.h"
#include "marlgame/marlgame.h"
#include "solvers/alternating/glearn/glearn.h"
#include "solvers/alternating/glearn/glearn_succ.h"
#include "solvers/solver_impl.h"

#include <stdio.h>
#include <stdlib.h>

#define SL 5
#define SG 5
#define AL 3

static void die(const char *what) {
    fprintf(stderr, "gl_ref_dump: %s: %s\n", what, marl_last_error());
    exit(1);
}

static void row(const char *tag, const double *x, size_t n) {
    printf("%s", tag);
    for (size_t i = 0; i < n; ++i) printf(" %.17g", x[i]);
    printf("\n");
}

static void counts(const size_t *c) {
    for (size_t j = 0; j < SL; ++j) printf(" %zu", c[j]);
}

/* The three local policies of the comparison (ref_port.py: local_policy). */
static void local_row(int pol, size_t s, size_t g, double *p) {
    double w[AL], z = 0.0;
    for (size_t a = 0; a < AL; ++a) {
        if (pol == 0)
            w[a] = 1.0;
        else if (pol == 1)
            w[a] = a == 1 ? 1.0 : 0.0;
        else
            w[a] = (double)(1 + (s * 3 + g * 5 + a * 7) % 4);
        z += w[a];
    }
    for (size_t a = 0; a < AL; ++a) p[a] = w[a] / z;
}

/* full: 100 sweeps with values and policy; else only the successors. */
static void run_case(marl_game *g, size_t k, int pol, int full) {
    marl_gl_policy *p = NULL;
    if (marl_gl_policy_new(&p, g, k)) die("policy");
    double pr[AL];
    for (size_t s = 0; s < SL; ++s)
        for (size_t gs = 0; gs < SG; ++gs) {
            local_row(pol, s, gs, pr);
            if (marl_gl_policy_set_local_row(p, s, gs, pr)) die("local row");
        }
    marl_solver *sv = NULL;
    if (marl_solver_new(&sv, &marl_solver_alternating_glearn, g) ||
        marl_solver_set_int(sv, "k", (long long)k) ||
        marl_solver_set_string(sv, "estimator", "expected") ||
        marl_solver_set_int(sv, "max_sweeps", full ? 100 : 1) ||
        marl_solver_set_real(sv, "tol", 0.0) ||
        marl_alternating_set_policy(sv, p))
        die("solver");
    printf("case %zu %d %d\n", k, pol, full);
    size_t C = 0, c[SL], cn[SL];
    double frac[SL];
    marl_counts_size(k, SL, &C);
    int rc = MARL_OK;
    for (size_t t = 1; t <= 100; ++t) {
        rc = marl_solver_step(sv);
        if (rc < 0) die("step");
        glearn_state *st = marl_solver_state(sv);
        if (t == 1) {
            row("Pt", st->Pt, SG * SL * SL);
            row("rt", st->rt, SG * SL);
            for (size_t s = 0; s < SG; ++s)
                for (size_t r = 0; r < C; ++r) {
                    marl_counts_unrank(r, SL, k, c);
                    marl_glearn_expected_next(st->Pt + s * SL * SL, c, SL, k,
                                              cn, frac);
                    printf("S %zu", s);
                    counts(c);
                    counts(cn);
                    printf("\n");
                }
        }
        if (!full) break;
        if (t == 1 || t == 2 || t == 3 || t == 10 || t == 50 || t == 100)
            for (size_t s = 0; s < SG; ++s)
                for (size_t r = 0; r < C; ++r) {
                    marl_counts_unrank(r, SL, k, c);
                    printf("V %zu %zu", t, s);
                    counts(c);
                    printf(" %.17g\n", marl_glearn_value(st, s, r));
                }
    }
    if (rc != MARL_CONVERGED) die("max_sweeps did not stop the solver");
    if (!full) {
        marl_solver_free(sv);
        marl_gl_policy_free(p);
        return;
    }
    const marl_gl_policy *pi = marl_alternating_policy(sv);
    double pg[SG];
    for (size_t s = 0; s < SG; ++s)
        for (size_t r = 0; r < C; ++r) {
            if (marl_gl_policy_global_row(pi, s, r, pg)) die("global row");
            size_t a = 0;
            for (size_t b = 1; b < SG; ++b)
                if (pg[b] > pg[a]) a = b;
            marl_counts_unrank(r, SL, k, c);
            printf("A %zu", s);
            counts(c);
            printf(" %zu %.17g\n", a, pg[a]);
        }
    marl_solver_free(sv);
    marl_gl_policy_free(p);
}

int main(void) {
    marl_game *g = NULL;
    if (marl_games_new(&g, "warehouse", NULL)) die("warehouse");
    size_t n, Sg, Ag, Sl, Al;
    if (marl_global_local_sizes(g, &n, &Sg, &Ag, &Sl, &Al)) die("sizes");
    if (Sg != SG || Ag != SG || Sl != SL || Al != AL) die("unexpected sizes");
    const double *Pg, *rg, *Pl, *rl;
    if (marl_global_local_tables(g, &Pg, &rg, &Pl, &rl)) die("tables");
    printf("sizes %zu %zu %zu %zu %zu\n", n, Sg, Ag, Sl, Al);
    printf("gamma %.17g\n", marl_game_discount(g));
    row("Pg", Pg, SG * SG * SG);
    row("rg", rg, SG * SG);
    row("Pl", Pl, SL * SG * AL * SL);
    row("rl", rl, SL * SG * AL);
    const marl_gl_data *d = marl_gl_of(g);
    row("rho_g", d->rho_g, SG);
    if (d->conc)
        row("conc", d->conc, SL);
    else
        printf("conc none\n");
    for (size_t k = 1; k <= 4; k *= 2)
        for (int pol = 0; pol < 3; ++pol) run_case(g, k, pol, 1);
    static const size_t ksucc[] = {8, 12, 20};
    for (size_t i = 0; i < sizeof ksucc / sizeof *ksucc; ++i)
        for (int pol = 0; pol < 3; ++pol) run_case(g, ksucc[i], pol, 0);
    marl_game_free(g);
    printf("end\n");
    return 0;
}
