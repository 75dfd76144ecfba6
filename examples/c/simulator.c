/*
 * Embedding libmarlgame in a simulator (C).
 *
 * A small shop simulator owns its model: an inventory level 0..CAP, random
 * daily demand, and two clerks who each decide to restock one unit (action 1)
 * or not (action 0). The simulator hands its dynamics to the library through
 * the builder's callbacks (no tables written by hand), then
 *   - evaluates the policy "nobody restocks" and "everybody restocks",
 *   - finds an equilibrium with `markov-best-response` (the clerks share the
 *     team reward, so the game is a Markov potential game and best responses
 *     converge),
 *   - checks the exact value against Monte-Carlo rollouts from the sampler,
 *   - routes every allocation of the library through a counting allocator
 *     and checks that nothing is left allocated at the end,
 *   - shows that a callback can abort the build.
 * Exit status 0 when every check passes.
 *
 * SPDX-License-Identifier: MIT
 */
#include <marlgame/marlgame.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define CAP 4        /* inventory levels 0..CAP */
#define N_CLERKS 2
#define N_DEMAND 3   /* demand 0, 1 or 2 units */

/* The simulator's own model. */
typedef struct shop {
    double demand_p[N_DEMAND]; /* P(demand = d) */
    double price;              /* revenue per unit sold */
    double restock_cost;       /* per unit ordered */
    double holding_cost;       /* per unit left in stock */
    int fail_at_state;         /* for the abort demonstration; -1 = never */
} shop;

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

static void expect_close(const char *what, double got, double want,
                         double tol) {
    int ok = fabs(got - want) <= tol;
    printf("  %-46s %12.6f  expected %12.6f (+-%.2g)  %s\n", what, got, want,
           tol, ok ? "ok" : "MISMATCH");
    if (!ok) failures++;
}

/* Stock after restocking, before demand. */
static int stocked(size_t state, const size_t *actions) {
    int level = (int)state;
    for (size_t i = 0; i < N_CLERKS; ++i) level += (int)actions[i];
    return level > CAP ? CAP : level;
}

/* Transition callback: row[s'] = P(s' | s, a). */
static int shop_transition(size_t state, size_t joint, const size_t *actions,
                           double *row, void *user) {
    const shop *m = user;
    int level = stocked(state, actions);
    (void)joint;
    if ((int)state == m->fail_at_state) return -1; /* simulated failure */
    for (size_t s = 0; s <= CAP; ++s) row[s] = 0.0;
    for (int d = 0; d < N_DEMAND; ++d) {
        int left = level - d;
        row[left > 0 ? left : 0] += m->demand_p[d];
    }
    return 0;
}

/* Reward callback: every clerk receives the shop's expected profit. */
static int shop_reward(size_t state, size_t joint, const size_t *actions,
                       double *rewards, void *user) {
    const shop *m = user;
    int level = stocked(state, actions);
    int ordered = level - (int)state;
    double profit = -m->restock_cost * ordered;
    (void)joint;
    for (int d = 0; d < N_DEMAND; ++d) {
        int sold = d < level ? d : level;
        profit += m->demand_p[d] *
                  (m->price * sold - m->holding_cost * (level - sold));
    }
    for (size_t i = 0; i < N_CLERKS; ++i) rewards[i] = profit;
    return 0;
}

/* ---- a counting allocator, installed with marl_set_allocator ------------ */

static long live_blocks, total_blocks;

static void *count_malloc(size_t n, void *user) {
    void *p = malloc(n);
    (void)user;
    if (p) live_blocks++, total_blocks++;
    return p;
}
static void *count_realloc(void *old, size_t n, void *user) {
    void *p = realloc(old, n);
    (void)user;
    if (p && !old) live_blocks++, total_blocks++;
    return p;
}
static void count_free(void *p, void *user) {
    (void)user;
    if (p) live_blocks--;
    free(p);
}

/* Exact V_0(mu) of a policy against a Monte-Carlo estimate: M rollouts of T
 * steps (gamma^T is negligible) from mu, discounted sum of agent 0's
 * rewards. Same seed => same estimate, so the check is reproducible. */
static int check_by_sampling(marl_game *g, const marl_policy *pi) {
    enum { M = 4000, T = 200 };
    marl_sampler *sampler = NULL;
    double *rewards = malloc(sizeof(double) * T * N_CLERKS);
    double v[N_CLERKS], sum = 0.0, sum2 = 0.0, gamma = marl_game_discount(g);
    int rc = MARL_ENOMEM;
    if (!rewards) return rc;
    rc = marl_sampler_new(&sampler, g, 2026);
    if (rc < 0) goto out;
    for (int m = 0; m < M; ++m) {
        size_t len = 0;
        double ret = 0.0, disc = 1.0;
        rc = marl_sampler_rollout(sampler, pi, (size_t)-1, T,
                                  MARL_ROLLOUT_FIXED, NULL, NULL, rewards,
                                  &len);
        if (rc < 0) goto out;
        for (size_t t = 0; t < len; ++t, disc *= gamma)
            ret += disc * rewards[t * N_CLERKS + 0];
        sum += ret;
        sum2 += ret * ret;
    }
    rc = marl_markov_values_mu(g, pi, v);
    if (rc < 0) goto out;
    {
        double mean = sum / M, var = sum2 / M - mean * mean;
        double se = sqrt(var > 0 ? var / M : 0.0);
        printf("  sampler: %llu environment steps simulated\n",
               (unsigned long long)marl_sampler_steps(sampler));
        expect_close("Monte-Carlo V_0(mu) vs exact (4 std. errors)", mean,
                     v[0], 4.0 * se + 1e-12);
        if (marl_sampler_steps(sampler) != (uint64_t)M * T) failures++;
    }
out:
    marl_sampler_free(sampler);
    free(rewards);
    return rc;
}

int main(void) {
    shop model = {{0.3, 0.5, 0.2}, 1.0, 0.4, 0.05, -1};
    const size_t n_actions[N_CLERKS] = {2, 2};
    marl_markov_builder *b = NULL;
    marl_game *g = NULL;
    marl_policy *pi = NULL;
    marl_solver *solver = NULL;
    double w_none, w_all, gap, vstar, welfare;

    TRY(marl_set_allocator(count_malloc, count_realloc, count_free, NULL));

    TRY(marl_markov_builder_new(&b, N_CLERKS, CAP + 1, n_actions));
    TRY(marl_markov_builder_set_name(b, "shop"));
    TRY(marl_markov_builder_set_discount(b, 0.9));
    TRY(marl_markov_builder_fill_transitions(b, shop_transition, &model));
    TRY(marl_markov_builder_fill_rewards(b, shop_reward, &model));
    TRY(marl_markov_builder_build(b, &g));
    printf("%s: %zu clerks, %zu inventory levels, %zu joint actions\n",
           marl_game_name(g), marl_game_num_agents(g), marl_game_num_states(g),
           marl_markov_num_joint(g));

    /* Two fixed policies. With nobody restocking the shop sells its initial
     * stock and then earns nothing; restocking pays (price 1 > cost 0.4). */
    TRY(marl_policy_new(&pi, g, 0));
    for (size_t i = 0; i < N_CLERKS; ++i)
        for (size_t s = 0; s <= CAP; ++s) TRY(marl_policy_set_pure(pi, i, 0, s, 0));
    TRY(marl_markov_welfare(g, pi, &w_none));
    for (size_t i = 0; i < N_CLERKS; ++i)
        for (size_t s = 0; s <= CAP; ++s) TRY(marl_policy_set_pure(pi, i, 0, s, 1));
    TRY(marl_markov_welfare(g, pi, &w_all));
    printf("  welfare: nobody restocks %.6f, everybody restocks %.6f\n",
           w_none, w_all);
    if (!(w_all > w_none)) failures++;

    /* Equilibrium by round-robin best responses. */
    TRY(marl_solver_new_by_name(&solver, "markov-best-response", g));
    {
        size_t iters = 0;
        const marl_policy *eq;
        int rc = marl_solver_run(solver, 200, 1e-10, 0.0, &iters);
        TRY(rc);
        printf("  markov-best-response: %s after %zu iterations\n",
               marl_strerror(rc), iters);
        if (rc != MARL_CONVERGED) failures++;
        eq = marl_solver_policy(solver);
        TRY(eq ? MARL_OK : marl_last_error_code());
        TRY(marl_markov_nash_gap(g, eq, &gap, NULL));
        expect_close("Nash-gap of the equilibrium", gap, 0.0, 1e-9);
        TRY(marl_markov_optimal_welfare(g, &vstar, NULL));
        TRY(marl_markov_welfare(g, eq, &welfare));
        printf("  welfare at equilibrium %.6f, optimum %.6f\n", welfare, vstar);
        if (welfare > vstar + 1e-9 || welfare < w_none - 1e-9) failures++;
        for (size_t s = 0; s <= CAP; ++s) {
            double p0[2], p1[2];
            TRY(marl_policy_get_row(eq, 0, 0, s, p0));
            TRY(marl_policy_get_row(eq, 1, 0, s, p1));
            printf("    stock %zu: clerk 0 restocks w.p. %.0f, clerk 1 w.p. "
                   "%.0f\n", s, p0[1], p1[1]);
        }
        TRY(check_by_sampling(g, eq));
    }

    /* A callback that fails aborts the build with MARL_EINVAL naming the
     * state and joint action; the builder stays usable. */
    model.fail_at_state = 3;
    {
        int rc = marl_markov_builder_fill_transitions(b, shop_transition,
                                                      &model);
        printf("  failing callback: %s: %s\n", marl_strerror(rc),
               marl_last_error());
        if (rc != MARL_EINVAL) failures++;
    }

done:
    marl_solver_free(solver);
    marl_policy_free(pi);
    marl_game_free(g);
    marl_markov_builder_free(b);
    printf("  allocator: %ld blocks allocated by the library, %ld still "
           "live\n", total_blocks, live_blocks);
    if (live_blocks != 0 || total_blocks == 0) failures++;
    marl_set_allocator(NULL, NULL, NULL, NULL);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all checks passed\n");
    return 0;
}
