/*
 * libmarlgame quick start (C).
 *
 *  1. Build the catalogue's `coordination` game (seed 003) with N = 3 and
 *     evaluate the uniform policy exactly: values, Nash-gap, welfare, optimal
 *     welfare and price of anarchy. Every number is checked against a closed
 *     form derived below and against a solver-free computation written here
 *     from the model's accessors (value iteration on the team MDP).
 *  2. Run the `markov-best-response` solver to convergence and check that its
 *     policy is a Nash equilibrium that reaches the team optimum.
 *  3. Build a small custom Markov game with the builder and check its values
 *     against hand-solved 2x2 linear systems.
 *  4. Show what an error looks like.
 *
 * Build it against an installed library with
 *     cc -std=c11 quickstart.c $(pkg-config --cflags --libs marlgame) -lm
 * Exit status 0 when every check passes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <marlgame/marlgame.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

/* Report a library failure with the thread's last error message. */
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

/* Compare a computed number with the expected one. */
static void expect(const char *what, double got, double want, double tol) {
    int ok = fabs(got - want) <= tol * (1.0 + fabs(want));
    printf("  %-44s %14.10f   expected %14.10f  %s\n", what, got, want,
           ok ? "ok" : "MISMATCH");
    if (!ok) failures++;
}

/* ---- a solver-free computation written against the model accessors ------ */

/* Optimal team welfare by value iteration on the team MDP (reward
 * sum_i r_i(s, a), joint actions as one action), to 1e-12. This does not use
 * the library's metrics, only the model, so it checks them independently. */
static int team_value_iteration(const marl_game *g, double *vstar) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    size_t J = marl_markov_num_joint(g);
    double gamma = marl_game_discount(g);
    double *V = calloc(S, sizeof *V), *W = calloc(S, sizeof *W);
    double *row = calloc(S, sizeof *row), *mu = calloc(S, sizeof *mu);
    int rc = -1;
    if (!V || !W || !row || !mu) goto out;
    for (int sweep = 0; sweep < 100000; ++sweep) {
        double diff = 0.0;
        for (size_t s = 0; s < S; ++s) {
            double best = -HUGE_VAL;
            for (size_t j = 0; j < J; ++j) {
                double q = 0.0, r;
                for (size_t i = 0; i < N; ++i) {
                    if (marl_markov_reward(g, i, s, j, &r) < 0) goto out;
                    q += r;
                }
                if (marl_markov_transition_row(g, s, j, row) < 0) goto out;
                for (size_t t = 0; t < S; ++t) q += gamma * row[t] * V[t];
                if (q > best) best = q;
            }
            W[s] = best;
            if (fabs(W[s] - V[s]) > diff) diff = fabs(W[s] - V[s]);
        }
        memcpy(V, W, S * sizeof *V);
        if (diff < 1e-13) break;
    }
    if (marl_markov_initial(g, mu) < 0) goto out;
    *vstar = 0.0;
    for (size_t s = 0; s < S; ++s) *vstar += mu[s] * V[s];
    rc = 0;
out:
    free(V);
    free(W);
    free(row);
    free(mu);
    return rc;
}

/* Mean of the team reward over states and joint actions, and a check that
 * the uniform policy's state chain P_pi(s'|s) is uniform (every player's
 * local state becomes 0 with probability (1-eps)/2 + eps/2 = 1/2). */
static int uniform_chain_facts(const marl_game *g, double *mean_r,
                               double *max_dev) {
    size_t S = marl_game_num_states(g), J = marl_markov_num_joint(g);
    double *row = calloc(S, sizeof *row), *ppi = calloc(S, sizeof *ppi);
    int rc = -1;
    if (!row || !ppi) goto out;
    *mean_r = 0.0;
    *max_dev = 0.0;
    for (size_t s = 0; s < S; ++s) {
        memset(ppi, 0, S * sizeof *ppi);
        for (size_t j = 0; j < J; ++j) {
            double r;
            if (marl_markov_reward(g, 0, s, j, &r) < 0) goto out;
            *mean_r += r / (double)(S * J);
            if (marl_markov_transition_row(g, s, j, row) < 0) goto out;
            for (size_t t = 0; t < S; ++t) ppi[t] += row[t] / (double)J;
        }
        for (size_t t = 0; t < S; ++t)
            if (fabs(ppi[t] - 1.0 / (double)S) > *max_dev)
                *max_dev = fabs(ppi[t] - 1.0 / (double)S);
    }
    rc = 0;
out:
    free(row);
    free(ppi);
    return rc;
}

/* ---- part 1 and 2: the coordination game -------------------------------- */

static int progress(const marl_solver *s, size_t it, const double *v,
                    size_t n, void *user) {
    size_t gap_col;
    (void)user;
    if (marl_solver_metric_index(s, "nash_gap", &gap_col) == MARL_OK &&
        gap_col < n)
        printf("  iteration %zu: nash_gap %.3e\n", it, v[gap_col]);
    return 0; /* non-zero would cancel the run */
}

static void coordination(void) {
    marl_game *g = NULL;
    marl_policy *uniform = NULL, *start = NULL, *allzero = NULL;
    marl_solver *solver = NULL;
    double v[3], gains[3], gap, welfare, vstar, poa, w2, vs2, phi_mu;
    double mean_r, dev, vi_star, w_allzero;

    printf("coordination game, N = 3 (seed 003)\n");
    TRY(marl_games_new(&g, "coordination", "N=3"));
    printf("  %s: %zu agents, %zu states, %zu joint actions, gamma %.2f\n",
           marl_game_name(g), marl_game_num_agents(g), marl_game_num_states(g),
           marl_markov_num_joint(g), marl_game_discount(g));
    expect("states 2^N", (double)marl_game_num_states(g), 8.0, 0.0);

    /* Closed form. Rewards by number of zeros z = 0..3 are 2, 1, 0, 3, so the
     * mean team reward over the 8 states is (2 + 3*1 + 3*0 + 3)/8 = 1. Under
     * the uniform policy the next state is uniform whatever the current one,
     * so V_i(mu) = 1/(1 - gamma) = 20 for each player. A single player's
     * action cannot change its expected reward when the others play
     * uniformly, so the Nash-gap is 0. */
    TRY(uniform_chain_facts(g, &mean_r, &dev) == 0 ? MARL_OK : MARL_EINVAL);
    expect("mean team reward (model accessors)", mean_r, 1.0, 1e-12);
    expect("max |P_uniform(s'|s) - 1/8|", dev, 0.0, 1e-12);

    TRY(marl_policy_new(&uniform, g, 0));
    TRY(marl_markov_values_mu(g, uniform, v));
    for (size_t i = 0; i < 3; ++i) expect("V_i(mu), uniform policy", v[i], 20.0, 1e-9);
    TRY(marl_markov_nash_gap(g, uniform, &gap, gains));
    expect("Nash-gap, uniform policy", gap, 0.0, 1e-9);
    TRY(marl_markov_welfare(g, uniform, &welfare));
    expect("welfare = sum_i V_i(mu)", welfare, 60.0, 1e-9);
    TRY(marl_markov_potential_value(g, uniform, &phi_mu, NULL));
    expect("potential Phi(mu) (phi = team reward)", phi_mu, 20.0, 1e-9);

    /* V*: the library against value iteration written above, and against
     * the exact value of "everybody plays 0" (the team optimum here). */
    TRY(marl_markov_optimal_welfare(g, &vstar, NULL));
    TRY(team_value_iteration(g, &vi_star) == 0 ? MARL_OK : MARL_EINVAL);
    expect("optimal welfare V* vs value iteration", vstar, vi_star, 1e-9);
    TRY(marl_policy_new(&allzero, g, 0));
    for (size_t i = 0; i < 3; ++i)
        for (size_t s = 0; s < 8; ++s)
            TRY(marl_policy_set_pure(allzero, i, 0, s, 0));
    TRY(marl_markov_welfare(g, allzero, &w_allzero));
    expect("V* = welfare of all-zero policy", vstar, w_allzero, 1e-9);
    TRY(marl_markov_price_of_anarchy(g, uniform, &poa, &w2, &vs2));
    expect("price of anarchy = 60 / V*", poa, 60.0 / vstar, 1e-9);

    /* Part 2: round-robin exact best responses from a policy that plays 0
     * with probability 0.6 everywhere. Agent 0 then prefers 0 (expected team
     * reward 1.1856 against 0.84), agent 1 and 2 follow, and the dynamics stop
     * at the all-zero policy: a Nash equilibrium with POA 1. */
    printf("markov-best-response from pi(0|s) = 0.6:\n");
    TRY(marl_policy_new(&start, g, 0));
    {
        const double row[2] = {0.6, 0.4};
        for (size_t i = 0; i < 3; ++i)
            for (size_t s = 0; s < 8; ++s)
                TRY(marl_policy_set_row(start, i, 0, s, row));
    }
    TRY(marl_solver_new(&solver, &marl_solver_markov_best_response, g));
    TRY(marl_solver_set_initial_policy(solver, start));
    TRY(marl_solver_set_progress(solver, progress, NULL));
    {
        size_t iters = 0;
        const marl_policy *pi;
        int rc = marl_solver_run(solver, 100, 1e-10, 0.0, &iters);
        TRY(rc);
        printf("  run: %s after %zu iterations\n", marl_strerror(rc), iters);
        if (rc != MARL_CONVERGED) failures++;
        pi = marl_solver_policy(solver);
        TRY(pi ? MARL_OK : marl_last_error_code());
        TRY(marl_markov_nash_gap(g, pi, &gap, NULL));
        expect("Nash-gap of the solver's policy", gap, 0.0, 1e-9);
        TRY(marl_markov_price_of_anarchy(g, pi, &poa, &welfare, NULL));
        expect("welfare of the solver's policy = V*", welfare, vstar, 1e-9);
        expect("price of anarchy", poa, 1.0, 1e-9);
    }

done:
    marl_solver_free(solver);
    marl_policy_free(start);
    marl_policy_free(allzero);
    marl_policy_free(uniform);
    marl_game_free(g);
}

/* ---- part 3: a custom game with the builder ----------------------------- */

/* Two players, two states, two actions, identical rewards
 *     r_i(s, a) = s + 0.5 [a_0 == a_1].
 * If the players match, the next state is 1 with probability 0.8 (else 0);
 * if they do not, the next state is 0. gamma = 0.9, mu uniform.
 * By hand (V = r_pi + gamma P_pi V):
 *   uniform:          V = (6.1, 7.1)   (P_pi(1|s) = 0.4, r_pi = s + 0.25)
 *   both play 0:      V = (12.2, 13.2) (P_pi(1|s) = 0.8, r_pi = s + 0.5)
 *   0 against 1:      V = (0, 1); matching is each player's best response,
 *                     worth 12.7 at mu, so the Nash-gap is 12.7 - 0.5. */
static void custom_game(void) {
    const size_t n_actions[2] = {2, 2};
    double P[2 * 4 * 2], R[2 * 2 * 4];
    marl_markov_builder *b = NULL;
    marl_game *g = NULL;
    marl_policy *pi = NULL;
    double V[4], gap, vstar;

    printf("custom 2-player game built with marl_markov_builder:\n");
    for (size_t s = 0; s < 2; ++s)
        for (size_t j = 0; j < 4; ++j) {
            int match = (j == 0 || j == 3); /* j = a_0 * 2 + a_1 */
            P[(s * 4 + j) * 2 + 0] = match ? 0.2 : 1.0;
            P[(s * 4 + j) * 2 + 1] = match ? 0.8 : 0.0;
            for (size_t i = 0; i < 2; ++i)
                R[(i * 2 + s) * 4 + j] = (double)s + (match ? 0.5 : 0.0);
        }
    TRY(marl_markov_builder_new(&b, 2, 2, n_actions));
    TRY(marl_markov_builder_set_name(b, "match-and-climb"));
    TRY(marl_markov_builder_set_discount(b, 0.9));
    TRY(marl_markov_builder_set_transitions(b, P));
    TRY(marl_markov_builder_set_rewards(b, R));
    TRY(marl_markov_builder_build(b, &g));

    TRY(marl_policy_new(&pi, g, 0));
    TRY(marl_markov_values(g, pi, V));
    expect("uniform: V_0(0)", V[0], 6.1, 1e-9);
    expect("uniform: V_0(1)", V[1], 7.1, 1e-9);
    TRY(marl_markov_nash_gap(g, pi, &gap, NULL));
    expect("uniform: Nash-gap", gap, 0.0, 1e-9);
    for (size_t s = 0; s < 2; ++s) {
        TRY(marl_policy_set_pure(pi, 0, 0, s, 0));
        TRY(marl_policy_set_pure(pi, 1, 0, s, 0));
    }
    TRY(marl_markov_values(g, pi, V));
    expect("both play 0: V_1(0)", V[2], 12.2, 1e-9);
    expect("both play 0: V_1(1)", V[3], 13.2, 1e-9);
    for (size_t s = 0; s < 2; ++s) TRY(marl_policy_set_pure(pi, 1, 0, s, 1));
    TRY(marl_markov_values(g, pi, V));
    expect("0 against 1: V_0(1)", V[1], 1.0, 1e-9);
    TRY(marl_markov_nash_gap(g, pi, &gap, NULL));
    expect("0 against 1: Nash-gap", gap, 12.2, 1e-9);
    TRY(marl_markov_optimal_welfare(g, &vstar, NULL));
    expect("optimal welfare V* = 2 * 12.7", vstar, 25.4, 1e-9);

    /* Validation: a transition row that does not sum to 1 is refused, the
     * builder is left unchanged and the message names the row. */
    P[(1 * 4 + 2) * 2 + 0] = 0.98;
    {
        int rc = marl_markov_builder_set_transitions(b, P);
        printf("  bad row rejected: %s: %s\n", marl_strerror(rc),
               marl_last_error());
        if (rc != MARL_EINVAL) failures++;
    }

done:
    marl_policy_free(pi);
    marl_game_free(g);
    marl_markov_builder_free(b);
}

/* ---- part 4: errors ----------------------------------------------------- */

static void errors(void) {
    marl_game *g = NULL;
    int rc = marl_games_new(&g, "coordination", "N=1");
    printf("errors:\n  marl_games_new(\"coordination\", \"N=1\"): %s: %s\n",
           marl_strerror(rc), marl_last_error());
    if (rc >= 0 || g != NULL || marl_last_error()[0] == '\0') failures++;
    rc = marl_games_new(&g, "no-such-game", NULL);
    printf("  marl_games_new(\"no-such-game\"): %s: %s\n", marl_strerror(rc),
           marl_last_error());
    if (rc != MARL_EINVAL || g != NULL) failures++;
    marl_game_free(g);
}

int main(void) {
    printf("libmarlgame %s (headers %d.%d.%d)\n", marl_version(),
           MARL_VERSION_MAJOR, MARL_VERSION_MINOR, MARL_VERSION_PATCH);
    if (marl_version_number() != MARL_VERSION_NUMBER) {
        fprintf(stderr, "header/library version mismatch\n");
        return 1;
    }
    coordination();
    custom_game();
    errors();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
