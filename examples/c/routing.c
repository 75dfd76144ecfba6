/*
 * An aggregative Markov game from callbacks (C): a commute.
 *
 * n drivers choose, each morning of H days, the highway (action 0) or the
 * city streets (action 1). What matters to a driver is her own choice and
 * the SHARE of drivers on the highway, x = (1/n) #highway: the aggregator
 * (d = 1, contribution f_i(a) = [a == 0], delta = 1/n, W = 1). The road is
 * free (state 0) or jammed after an incident (state 1); incidents are more
 * likely when the highway is busy. Driver i's reward is
 *     highway: b_i - l(s) x,      city: 0.2 - 0.4 (1 - x),
 * with a personal taste b_i for the highway spread over [0.3, 0.7] and a
 * congestion slope l(s) = 0.6 (free) or 1.0 (jammed).
 *
 * The example builds the game through marl_aggregative_ops, runs Aggre-BI
 * (`aggregative-bi`, seed 000 Alg. 2) with both LP backends, checks that
 * they choose the same actions, prints the exact Nash-gap of the result with
 * the theoretical bound eps_solve (seed 000 Thm. 4.1), checks gap <= bound,
 * and recomputes the gap with a short best-response programme written here
 * from the model itself. (The catalogue's `routing` game is a larger route
 * choice game of this kind: marl_games_new(&g, "routing", "n=1000,m=2").)
 * Exit status 0 when every check passes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <marlgame/marlgame.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 200 /* drivers */
#define S 2   /* 0 free, 1 jammed */
#define M 2   /* 0 highway, 1 city */
#define H 3   /* days */

typedef struct commute {
    double taste[N]; /* b_i */
} commute;

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

static void expect(const char *what, double got, double want, double tol) {
    int ok = fabs(got - want) <= tol;
    printf("  %-40s %12.9f  expected %12.9f (+-%.0e)  %s\n", what, got, want,
           tol, ok ? "ok" : "MISMATCH");
    if (!ok) failures++;
}

/* ---- the model (used by the callbacks and by the check below) ----------- */

static double reward_of(const commute *c, size_t s, size_t i, size_t a,
                        double x) {
    return a == 0 ? c->taste[i] - (s == 0 ? 0.6 : 1.0) * x
                  : 0.2 - 0.4 * (1.0 - x);
}
static void transition_of(size_t s, double x, double *row) {
    double q = s == 0 ? 0.1 + 0.5 * x : 0.5; /* P(jammed tomorrow) */
    row[0] = 1.0 - q;
    row[1] = q;
}

static int cb_reward(void *user, size_t step, size_t state, size_t agent,
                     size_t action, const double *x, double *reward) {
    (void)step;
    *reward = reward_of(user, state, agent, action, x[0]);
    return 0;
}
static int cb_transition(void *user, size_t step, size_t state,
                         const double *x, double *row) {
    (void)user, (void)step;
    transition_of(state, x[0], row);
    return 0;
}

/* ---- an independent check: the exact Nash-gap of a pure policy ----------
 * actions[(h*S + s)*N + i]. Driver i deviates alone: switching from a to a'
 * moves x by (f(a') - f(a))/N; backward induction of her best response
 * against the others' fixed actions, and of her value when she complies. */
static double own_nash_gap(const commute *c, const size_t *act,
                           const double *rho0) {
    double gap = -HUGE_VAL;
    for (size_t i = 0; i < N; ++i) {
        double v[S] = {0}, vb[S] = {0}, nv[S], nvb[S], row[S];
        for (size_t h = H; h-- > 0;) {
            for (size_t s = 0; s < S; ++s) {
                const size_t *a = act + (h * S + s) * N;
                double x = 0.0;
                for (size_t j = 0; j < N; ++j) x += a[j] == 0 ? 1.0 : 0.0;
                x /= N;
                transition_of(s, x, row);
                nv[s] = reward_of(c, s, i, a[i], x) + row[0] * v[0] +
                        row[1] * v[1];
                nvb[s] = -HUGE_VAL;
                for (size_t b = 0; b < M; ++b) {
                    double xb = x + ((b == 0) - (a[i] == 0)) / (double)N, q;
                    transition_of(s, xb, row);
                    q = reward_of(c, s, i, b, xb) + row[0] * vb[0] +
                        row[1] * vb[1];
                    if (q > nvb[s]) nvb[s] = q;
                }
            }
            memcpy(v, nv, sizeof v);
            memcpy(vb, nvb, sizeof vb);
        }
        double g = rho0[0] * (vb[0] - v[0]) + rho0[1] * (vb[1] - v[1]);
        if (g > gap) gap = g;
    }
    return gap;
}

int main(void) {
    static commute model;
    static const marl_aggregative_ops ops = {MARL_AGGREGATIVE_OPS_VERSION,
                                             cb_reward, cb_transition, NULL,
                                             NULL};
    static const char *const backends[2] = {"structured", "lp_solve"};
    static size_t actions[2][H * S * N];
    static size_t n_actions[N];
    const double rho0[S] = {1.0, 0.0};
    double f[N * M], gap[2], bound[2], values[N];
    marl_aggregative_builder *b = NULL;
    marl_game *g = NULL;
    marl_solver *sol = NULL;

    for (size_t i = 0; i < N; ++i) {
        model.taste[i] = 0.3 + 0.4 * (double)i / (N - 1);
        n_actions[i] = M;
        f[i * M + 0] = 1.0; /* the highway counts towards x */
        f[i * M + 1] = 0.0;
    }
    TRY(marl_aggregative_builder_new(&b, N, S, n_actions, H, 1));
    TRY(marl_aggregative_builder_set_name(b, "commute"));
    TRY(marl_aggregative_builder_set_initial(b, rho0));
    TRY(marl_aggregative_builder_set_contributions(
        b, MARL_AGGREGATIVE_ALL_STEPS, f));
    /* Lipschitz constants in x: rewards 1.0 (jammed highway), transition
     * rows 0.5 in total variation. */
    TRY(marl_aggregative_builder_set_lipschitz(b, 1.0, 0.5));
    /* No release callback: `model` is static and outlives the game. */
    TRY(marl_aggregative_builder_set_ops(b, &ops, &model));
    TRY(marl_aggregative_builder_build(b, &g));
    printf("%s: %zu drivers, %d routes, %d states, %d days, d = %zu\n",
           marl_game_name(g), marl_game_num_agents(g), M, S, H,
           marl_aggregative_dim(g));

    for (int k = 0; k < 2; ++k) {
        size_t cgap, cbound, nrow, highway = 0;
        double row[32];
        printf("aggregative-bi, lp = %s:\n", backends[k]);
        TRY(marl_solver_new_by_name(&sol, "aggregative-bi", g));
        TRY(marl_solver_set_real(sol, "alpha", 0.05));
        TRY(marl_solver_set(sol, "lp", backends[k]));
        TRY(marl_solver_set_seed(sol, 1)); /* seeds the rounding */
        TRY(marl_solver_step(sol));        /* the whole induction */
        TRY(marl_aggregative_solver_actions(sol, actions[k]));
        /* The exact gap of the pure policy, and the solver's metrics. */
        TRY(marl_aggregative_nash_gap(g, actions[k], &gap[k], values, NULL,
                                      NULL));
        TRY(marl_aggregative_epsilon_solve(g, 0.05, 0.05, &bound[k]));
        TRY(marl_solver_metric_index(sol, "nash_gap", &cgap));
        TRY(marl_solver_metric_index(sol, "bound", &cbound));
        if (marl_solver_metric_count(sol) > 32) { failures++; goto done; }
        nrow = marl_solver_history_length(sol);
        TRY(marl_solver_history_row(sol, nrow - 1, row));
        for (size_t i = 0; i < N; ++i) highway += actions[k][i] == 0;
        printf("  day 0 (free road): %zu of %d drivers take the highway; "
               "values: driver 0 %.4f, driver %d %.4f\n", highway, N,
               values[0], N - 1, values[N - 1]);
        /* eps_solve grows like sqrt(n) delta = 1/sqrt(n): with 200 drivers
         * it is loose, but it is a guarantee (docs/aggregative.md). */
        printf("  exact Nash-gap %.6f, bound eps_solve %.4f\n", gap[k],
               bound[k]);
        expect("solver metric nash_gap = exact gap", row[cgap], gap[k], 1e-12);
        expect("solver metric bound = eps_solve", row[cbound], bound[k], 1e-12);
        expect("exact gap vs own best responses", gap[k],
               own_nash_gap(&model, actions[k], rho0), 1e-12);
        if (!(gap[k] <= bound[k])) {
            printf("  gap exceeds the bound: MISMATCH\n");
            failures++;
        }
        marl_solver_free(sol);
        sol = NULL;
    }
    if (memcmp(actions[0], actions[1], sizeof actions[0]) != 0) {
        printf("the two LP backends chose different actions: MISMATCH\n");
        failures++;
    } else {
        printf("both LP backends chose the same %d actions\n", H * S * N);
    }
    /* A policy of our own: everybody always takes the highway. */
    {
        double g_all;
        memset(actions[1], 0, sizeof actions[1]);
        TRY(marl_aggregative_nash_gap(g, actions[1], &g_all, NULL, NULL,
                                      NULL));
        printf("everybody on the highway: exact Nash-gap %.6f\n", g_all);
        expect("exact gap vs own best responses", g_all,
               own_nash_gap(&model, actions[1], rho0), 1e-12);
        if (!(g_all > 10.0 * gap[0])) {
            printf("  not clearly worse than Aggre-BI's: MISMATCH\n");
            failures++;
        }
    }

done:
    marl_solver_free(sol);
    marl_game_free(g);
    marl_aggregative_builder_free(b);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
