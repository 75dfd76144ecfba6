/*
 * A global agent steering many local agents (C): the `warehouse` game.
 *
 * A dispatcher (the global agent) sets which of 5 zones has priority; 1000
 * robots (the local agents) move on a ring of the 5 zones and earn most in
 * the priority zone. The dispatcher only sees k = 4 robots, sampled at every
 * step (seed 004, App. G.1). The example
 *   1. runs ALTERNATING-MARL (`alternating-marl`): proposals alternate
 *      between the robots' best response (L-LEARN) and the dispatcher's
 *      (G-LEARN); each is accepted, rejected, or stops the loop by the
 *      seed's UPDATE rule on Monte-Carlo value estimates. Every proposal's
 *      decision is printed from the solver's history and re-derived here
 *      from the printed numbers;
 *   2. evaluates the learned policy pair and the uniform pair on the full
 *      1000-robot system (marl_gl_evaluate, 95% intervals) and checks that
 *      the learned pair is not worse beyond the intervals.
 * Exit status 0 when every check passes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <marlgame/marlgame.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define K 4 /* robots the dispatcher samples at every step */

static int failures;

#define TRY(call)                                                            \
    do {                                                                     \
        int rc_ = (call);                                                    \
        if (rc_ < 0) {                                                       \
            fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__,          \
                    __LINE__, #call, marl_strerror(rc_), marl_last_error()); \
            failures++;                                                      \
            goto done;                                                       \
        }                                                                    \
    } while (0)

static void check(const char *what, int ok) {
    if (!ok) {
        printf("  %s: MISMATCH\n", what);
        failures++;
    }
}

/* The history columns this example reads. */
enum { SIDE, SWEEP, OLD, NEW, EPS, GAP_MIN, DECISION, ACCEPTED, DONE, NCOL };
static const char *const columns[NCOL] = {
    "side", "sweep", "value_old", "value_new", "epsilon", "gap_min",
    "decision", "accepted", "done"};

/* The UPDATE rule (docs/alternating.md), from one row's numbers: gap_min is
 * the smallest V(new) - V(old) over the evaluated start states. Case 1:
 * better by 2 eps everywhere; case 2: worse by 2 eps somewhere; case 3:
 * neither (the pair is an approximate equilibrium: stop). */
static int update_rule(double gap_min, double eps) {
    if (gap_min >= 2.0 * eps && gap_min > 0.0) return 1;
    if (-gap_min >= 2.0 * eps && gap_min < 0.0) return 2;
    return 3;
}

int main(void) {
    static const char *const decision_name[4] = {"?", "accept", "reject",
                                                 "stop"};
    marl_game *g = NULL;
    marl_solver *s = NULL;
    marl_gl_policy *uniform = NULL;
    size_t n, sg, ag, sl, al, col[NCOL], iters = 0;
    double row[64] = {0}, prev[64] = {0}, m_learn, h_learn, m_unif, h_unif;
    int rc;

    TRY(marl_games_new(&g, "warehouse", "n=1000"));
    TRY(marl_global_local_sizes(g, &n, &sg, &ag, &sl, &al));
    printf("%s: %zu robots, %zu zones (global states), %zu global actions, "
           "%zu local states, %zu local actions, gamma %.2f\n",
           marl_game_name(g), n, sg, ag, sl, al, marl_game_discount(g));

    /* 1. The alternating loop. G-LEARN with the deterministic `expected`
     * estimator; each UPDATE decision compares 50 rollouts x 50 steps of the
     * full system from every zone (common random numbers for all of them). */
    TRY(marl_solver_new(&s, &marl_solver_alternating_marl, g));
    TRY(marl_solver_set_int(s, "k", K));
    TRY(marl_solver_set_int(s, "iterations", 3));
    TRY(marl_solver_set(s, "glearn_estimator", "expected"));
    TRY(marl_solver_set_int(s, "rollouts", 50));
    TRY(marl_solver_set_int(s, "eval_horizon", 50));
    TRY(marl_solver_set_seed(s, 1));
    rc = marl_solver_run(s, 100, 0.0, 0.0, &iters);
    TRY(rc);
    check("the loop stops by itself", rc == MARL_CONVERGED);

    if (marl_solver_metric_count(s) > 64) { failures++; goto done; }
    for (int c = 0; c < NCOL; ++c)
        TRY(marl_solver_metric_index(s, columns[c], &col[c]));
    printf("  %zu proposals:\n  %-8s %5s %10s %10s %9s %10s  decision\n",
           iters, "side", "sweep", "V(old)", "V(new)", "epsilon", "gap_min");
    for (size_t r = 0; r < marl_solver_history_length(s); ++r) {
        int d, want;
        TRY(marl_solver_history_row(s, r, row));
        d = (int)row[col[DECISION]];
        want = update_rule(row[col[GAP_MIN]], row[col[EPS]]);
        printf("  %-8s %5.0f %10.4f %10.4f %9.2e %10.4f  %s (done %.0f)\n",
               row[col[SIDE]] == 0 ? "L-LEARN" : "G-LEARN", row[col[SWEEP]],
               row[col[OLD]], row[col[NEW]], row[col[EPS]],
               row[col[GAP_MIN]], d >= 1 && d <= 3 ? decision_name[d] : "?",
               row[col[DONE]]);
        check("decision follows the UPDATE rule", d == want);
        /* Evaluations reuse one seed, so the current pair's value is the
         * accepted proposal's, or unchanged after a rejection. */
        if (r > 0)
            check("V(old) carried over",
                  row[col[OLD]] == (prev[col[DECISION]] == 1
                                        ? prev[col[NEW]]
                                        : prev[col[OLD]]));
        for (size_t c = 0; c < marl_solver_metric_count(s); ++c)
            prev[c] = row[c];
    }
    check("the last proposal ends the loop", row[col[DONE]] != 0);
    printf("  %.0f proposal(s) accepted\n", row[col[ACCEPTED]]);

    /* 2. Evaluate both pairs on the full system: 200 rollouts of 100 steps
     * from the game's initial law, same seed (common random numbers). */
    {
        const marl_gl_policy *learned = marl_alternating_policy(s);
        TRY(learned ? MARL_OK : marl_last_error_code());
        TRY(marl_gl_policy_new(&uniform, g, K));
        TRY(marl_gl_evaluate(g, learned, 200, 100, 2026, &m_learn, &h_learn));
        TRY(marl_gl_evaluate(g, uniform, 200, 100, 2026, &m_unif, &h_unif));
        printf("  learned pair: %.3f +- %.3f (95%%)\n  uniform pair: %.3f "
               "+- %.3f (95%%)\n", m_learn, h_learn, m_unif, h_unif);
        check("learned pair not worse than uniform beyond the intervals",
              m_learn >= m_unif - (h_learn + h_unif));
        if (row[col[ACCEPTED]] > 0)
            check("an accepted proposal makes the learned pair better",
                  m_learn > m_unif + (h_learn + h_unif));
    }

done:
    marl_gl_policy_free(uniform);
    marl_solver_free(s);
    marl_game_free(g);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
