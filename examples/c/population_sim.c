/*
 * Embedding a population simulator in libmarlgame (C).
 *
 * An epidemic simulator owns an SIS model of N people: each day a person is
 * susceptible (state 0) or infected (state 1) and either goes out (action 0)
 * or stays home (action 1). A susceptible person who goes out is infected
 * with probability 0.81 * (fraction of the OTHERS who are infected); staying
 * home protects. An infected person recovers with probability 0.3. Being
 * infected costs 1 per day; staying home costs person i a personal c_i,
 * spread evenly over [0.2, 0.8] (some can work from home, some cannot): the
 * agents are NOT identical. (With every c_i = 0.5 this is MFGLib's SIS.)
 *
 * The simulator hands its model to the library through marl_population_ops
 * callbacks and a user data struct, then
 *   1. computes the exact mean-field-game (MFG) exploitability of the
 *      uniform policy and checks it against a small dynamic programme
 *      written here from the model itself (not from the library);
 *   2. runs a few epochs of Symm-PMD (`meanfield-pmd`, exact Q) and prints
 *      the exploitability of the averaged policy after every epoch;
 *   3. estimates the N-player exploitability of the result by simulation
 *      (marl_population_exploitability) and checks it, within its 95%
 *      interval plus 2/sqrt(N), against the selected person's exact gain
 *      from deviating against the mean-field flow (computed here).
 * Exit status 0 when every check passes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <marlgame/marlgame.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define S 2  /* 0 susceptible, 1 infected */
#define A 2  /* 0 go out, 1 stay home */
#define H 10 /* days */

/* The simulator's model (the callbacks' user data). */
typedef struct epidemic {
    size_t n;          /* people */
    double infect;     /* infection rate per infected fraction */
    double recover;    /* recovery probability */
    double cost_mean;  /* c_i = cost_mean + cost_spread * (2i/(n-1) - 1) */
    double cost_spread;
} epidemic;

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
    printf("  %-44s %12.9f  expected %12.9f (+-%.1e)  %s\n", what, got, want,
           tol, ok ? "ok" : "MISMATCH");
    if (!ok) failures++;
}

static double cost_of(const epidemic *m, size_t agent) {
    double u = m->n > 1 ? 2.0 * (double)agent / (double)(m->n - 1) - 1.0 : 0.0;
    return m->cost_mean + m->cost_spread * u;
}

/* The model, written once and used by the callbacks and by the check below.
 * `infected` is the infected fraction of the distribution sigma[s*A + a]. */
static void sis_row(const epidemic *m, size_t s, size_t a, double infected,
                    double *row) {
    double p = s == 0 ? (a == 0 ? m->infect * infected : 0.0)
                      : 1.0 - m->recover;  /* probability of being infected */
    row[0] = 1.0 - p;
    row[1] = p;
}
static double sis_reward(double cost, size_t s, size_t a) {
    return -(s == 1 ? 1.0 : 0.0) - (a == 1 ? cost : 0.0);
}

/* ---- the callbacks ------------------------------------------------------ */

static int cb_transition(void *user, size_t agent, size_t step, size_t state,
                         size_t action, const double *sigma, double *row) {
    (void)agent, (void)step; /* same dynamics for everybody, every day */
    sis_row(user, state, action, sigma[1 * A + 0] + sigma[1 * A + 1], row);
    return 0;
}
static int cb_reward(void *user, size_t agent, size_t step, size_t state,
                     size_t action, const double *sigma, double *reward) {
    (void)step, (void)sigma;
    *reward = sis_reward(cost_of(user, agent), state, action);
    return 0;
}

/* ---- an independent check: exact deviation gain by dynamic programming --
 * The population flow of a shared policy pi[h][s][a] (everybody has the same
 * dynamics, so every person's state law is the flow), then backward
 * induction for a person with stay-home cost `cost` facing that flow:
 * max over deviations minus the value of pi. With cost = the mean cost this
 * is the MFG exploitability (the induced MFG averages the rewards, which are
 * affine in c_i). */
static double deviation_gain(const epidemic *m, double cost, const double *pi,
                             const double *rho0) {
    double L[H][S * A], vbr[S] = {0}, vpi[S] = {0}, row[S];
    for (size_t s = 0; s < S; ++s) /* day 0: L = rho0 x pi_0 */
        for (size_t a = 0; a < A; ++a)
            L[0][s * A + a] = rho0[s] * pi[s * A + a];
    for (size_t h = 0; h + 1 < H; ++h) {
        double inf = L[h][1 * A + 0] + L[h][1 * A + 1], mu[S] = {0};
        for (size_t s = 0; s < S; ++s)
            for (size_t a = 0; a < A; ++a) {
                sis_row(m, s, a, inf, row);
                for (size_t t = 0; t < S; ++t)
                    mu[t] += L[h][s * A + a] * row[t];
            }
        for (size_t s = 0; s < S; ++s)
            for (size_t a = 0; a < A; ++a)
                L[h + 1][s * A + a] = mu[s] * pi[((h + 1) * S + s) * A + a];
    }
    for (size_t h = H; h-- > 0;) { /* vbr, vpi hold day h + 1's values */
        double inf = L[h][1 * A + 0] + L[h][1 * A + 1], nbr[S], npi[S];
        for (size_t s = 0; s < S; ++s) {
            nbr[s] = -HUGE_VAL, npi[s] = 0.0;
            for (size_t a = 0; a < A; ++a) {
                double r = sis_reward(cost, s, a);
                sis_row(m, s, a, inf, row);
                double qbr = r + row[0] * vbr[0] + row[1] * vbr[1];
                double qpi = r + row[0] * vpi[0] + row[1] * vpi[1];
                if (qbr > nbr[s]) nbr[s] = qbr;
                npi[s] += pi[(h * S + s) * A + a] * qpi;
            }
        }
        for (size_t s = 0; s < S; ++s) vbr[s] = nbr[s], vpi[s] = npi[s];
    }
    return rho0[0] * (vbr[0] - vpi[0]) + rho0[1] * (vbr[1] - vpi[1]);
}

static int read_policy(const marl_policy *p, double *pi) {
    for (size_t h = 0; h < H; ++h)
        for (size_t s = 0; s < S; ++s) {
            int rc = marl_policy_get_row(p, 0, h, s, pi + (h * S + s) * A);
            if (rc < 0) return rc;
        }
    return MARL_OK;
}

int main(void) {
    static const marl_population_ops ops = {MARL_POPULATION_OPS_VERSION,
                                            cb_transition, cb_reward, NULL};
    epidemic model = {500, 0.81, 0.3, 0.5, 0.3};
    const double rho0[S] = {0.4, 0.6};
    marl_population_builder *b = NULL;
    marl_game *g = NULL, *sis = NULL;
    marl_policy *uniform = NULL, *sis_uniform = NULL;
    const marl_policy *res;
    marl_solver *pmd = NULL;
    marl_options *est = NULL;
    double pi[H * S * A], e_uniform, e_pmd = NAN, e_check, estimate, half;
    double alpha, beta, best = -HUGE_VAL;
    size_t agent, col, best_i = 0;
    int rc;

    /* 1. Build the game: N people, S x A, H days, initial law rho0. The
     * callbacks use agent i's own cost, so the game is not symmetric. */
    TRY(marl_population_builder_new(&b, model.n, S, A, H));
    TRY(marl_population_builder_set_name(b, "sis-heterogeneous"));
    TRY(marl_population_builder_set_initial(b, rho0));
    TRY(marl_population_builder_set_ops(b, &ops, &model));
    TRY(marl_population_builder_build(b, &g));
    /* Seed 001's symmetry constants: the dynamics are identical (alpha =
     * 0), the rewards differ from the mean by up to cost_spread (beta). */
    TRY(marl_population_symmetry(g, 10, 1, &alpha, &beta));
    printf("%s: N = %zu, S = %d, A = %d, H = %d\n", marl_game_name(g),
           marl_game_num_agents(g), S, A, H);
    expect("alpha + |beta - cost_spread|",
           alpha + fabs(beta - model.cost_spread), 0.0, 1e-9);

    /* The induced MFG averages the rewards over the people; they are affine
     * in c_i, so it is MFGLib's SIS (catalogue `sis`) with a 10-day horizon.
     * Check the exact exploitability of the uniform policy against that game
     * and against the small dynamic programme above. */
    TRY(marl_policy_new(&uniform, g,
                        MARL_POLICY_SHARED | MARL_POLICY_PER_STEP));
    TRY(marl_mfg_exploitability(g, uniform, &e_uniform));
    TRY(read_policy(uniform, pi));
    expect("MFG exploitability of uniform vs own DP", e_uniform,
           deviation_gain(&model, model.cost_mean, pi, rho0), 1e-10);
    TRY(marl_games_new(&sis, "sis", "horizon=10"));
    TRY(marl_policy_new(&sis_uniform, sis,
                        MARL_POLICY_SHARED | MARL_POLICY_PER_STEP));
    TRY(marl_mfg_exploitability(sis, sis_uniform, &e_check));
    expect("... vs the catalogue's sis, horizon=10", e_uniform, e_check, 1e-10);

    /* 2. Symm-PMD with the exact regularised Q of the induced MFG (exact_q =
     * 1: no sampling), 10 epochs. With exact Q, a small tau, constant steps
     * and no uniform mixing converge fast (docs/meanfield.md). The solver's
     * policy is the average of its iterates. */
    TRY(marl_solver_new_by_name(&pmd, "meanfield-pmd", g));
    TRY(marl_solver_set_int(pmd, "exact_q", 1));
    TRY(marl_solver_set_int(pmd, "epochs", 10));
    TRY(marl_solver_set_real(pmd, "tau", 1e-3));
    TRY(marl_solver_set(pmd, "xi", "constant"));
    TRY(marl_solver_set_real(pmd, "xi0", 20.0));
    TRY(marl_solver_set_real(pmd, "mix_offset", 1e6));
    rc = marl_solver_run(pmd, 100, 0.0, 0.0, NULL);
    TRY(rc);
    if (rc != MARL_CONVERGED) failures++; /* it stops after `epochs` */
    TRY(marl_solver_metric_index(pmd, "exploitability", &col));
    if (marl_solver_metric_count(pmd) > 16) { failures++; goto done; }
    printf("  meanfield-pmd, exploitability of the averaged policy per "
           "epoch:\n    uniform %.6f", e_uniform);
    for (size_t r = 0; r < marl_solver_history_length(pmd); ++r) {
        double row[16];
        TRY(marl_solver_history_row(pmd, r, row));
        printf("%s %.6f", r % 5 == 4 ? "\n   " : ",", row[col]);
        e_pmd = row[col];
    }
    printf("\n");
    res = marl_solver_policy(pmd);
    TRY(res ? MARL_OK : marl_last_error_code());
    TRY(marl_mfg_exploitability(g, res, &e_check));
    expect("last epoch's metric = marl_mfg_exploitability", e_pmd, e_check,
           1e-12);
    TRY(read_policy(res, pi));
    expect("MFG exploitability of the result vs own DP", e_pmd,
           deviation_gain(&model, model.cost_mean, pi, rho0), 1e-10);
    if (!(e_pmd < 0.2 * e_uniform)) {
        printf("  PMD did not reduce the exploitability 5-fold: MISMATCH\n");
        failures++;
    }

    /* 3. N-player exploitability of the result, estimated by simulation:
     * every person gets a best response to 20 simulated episodes, its gain
     * is measured on 400 paired episodes (deviation=frozen: the deviator is
     * re-simulated alone against the others' recorded paths, an O(1/N)
     * approximation that makes this cheap), and the best person's gain is
     * re-measured on fresh episodes. */
    TRY(marl_population_estimate_options_new(&est));
    TRY(marl_options_parse(est, "agents=0,rollouts=20,eval_rollouts=400,"
                                "deviation=frozen,seed=3"));
    TRY(marl_population_exploitability(g, res, est, &estimate, &half, &agent));
    printf("  N-player exploitability estimate %.4f +- %.4f (95%%): person "
           "%zu, stay-home cost %.3f\n", estimate, half, agent,
           cost_of(&model, agent));
    /* The N-player game is far more exploitable than the MFG: the mean
     * person is almost in equilibrium, the atypical ones are not. Exactly,
     * for N -> infinity, person i's gain is deviation_gain(c_i). */
    for (size_t i = 0; i < model.n; ++i) {
        double gi = deviation_gain(&model, cost_of(&model, i), pi, rho0);
        if (gi > best) best = gi, best_i = i;
    }
    printf("  largest exact mean-field gain %.4f (person %zu)\n", best, best_i);
    /* The estimate tends to the selected person's exact gain; 2/sqrt(N)
     * allows for the finite population. */
    expect("estimate vs that person's mean-field gain", estimate,
           deviation_gain(&model, cost_of(&model, agent), pi, rho0),
           half + 2.0 / sqrt((double)model.n));

done:
    marl_options_free(est);
    marl_solver_free(pmd);
    marl_policy_free(uniform);
    marl_policy_free(sis_uniform);
    marl_game_free(sis);
    marl_game_free(g);
    marl_population_builder_free(b);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
