// libmarlgame from C++ (C++11): RAII wrappers around the C handles.
//
// The library is plain C with an `extern "C"` API; C++ code owns its handles
// through std::unique_ptr with custom deleters and turns negative status
// codes into exceptions. Exceptions never cross the C boundary: the progress
// callback trampoline catches everything and cancels the run instead.
//
// What it does (and checks):
//   - coordination game (seed 003), N = 3: the uniform policy has
//     V_i(mu) = 1/(1 - 0.95) = 20 for every player, welfare 60, Nash-gap 0;
//   - markov-best-response from pi(0|s) = 0.6 converges to the all-zero
//     policy, a Nash equilibrium reaching the optimal welfare (POA 1); the
//     per-iteration Nash-gaps seen by a lambda match the solver's history;
//   - the equilibrium survives a CSV round trip (text released with
//     marl_free through a unique_ptr).
//
// SPDX-License-Identifier: MIT
#include <marlgame/marlgame.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace marl {

class error : public std::runtime_error {
public:
    error(int status, const std::string &what)
        : std::runtime_error(what), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

// Throw on a negative status; pass successes (MARL_OK, MARL_CONVERGED) on.
inline int check(int rc, const char *what) {
    if (rc < 0)
        throw error(rc, std::string(what) + ": " + marl_strerror(rc) + ": " +
                            marl_last_error());
    return rc;
}

struct game_deleter {
    void operator()(marl_game *g) const noexcept { marl_game_unref(g); }
};
struct policy_deleter {
    void operator()(marl_policy *p) const noexcept { marl_policy_free(p); }
};
struct solver_deleter {
    void operator()(marl_solver *s) const noexcept { marl_solver_free(s); }
};
struct buffer_deleter {
    void operator()(void *p) const noexcept { marl_free(p); }
};

using game = std::unique_ptr<marl_game, game_deleter>;
using policy = std::unique_ptr<marl_policy, policy_deleter>;
using solver = std::unique_ptr<marl_solver, solver_deleter>;
using text = std::unique_ptr<char, buffer_deleter>;

inline game make_game(const char *name, const char *params) {
    marl_game *g = nullptr;
    check(marl_games_new(&g, name, params), "marl_games_new");
    return game(g);
}

inline policy make_policy(const game &g, unsigned flags = 0) {
    marl_policy *p = nullptr;
    check(marl_policy_new(&p, g.get(), flags), "marl_policy_new");
    return policy(p);
}

inline policy copy(const marl_policy *src) {
    marl_policy *p = nullptr;
    check(marl_policy_copy(&p, src), "marl_policy_copy");
    return policy(p);
}

inline solver make_solver(const marl_solver_type &type, const game &g) {
    marl_solver *s = nullptr;
    check(marl_solver_new(&s, &type, g.get()), "marl_solver_new");
    return solver(s);
}

// A progress callback as any callable; the object must outlive the run.
using progress_fn =
    std::function<bool(std::size_t iteration, const double *values,
                       std::size_t n_values)>;

extern "C" inline int progress_trampoline(const marl_solver *, size_t it,
                                          const double *values, size_t n,
                                          void *user) {
    try {
        return (*static_cast<progress_fn *>(user))(it, values, n) ? 0 : 1;
    } catch (...) {
        return 1; // never let an exception unwind through C frames
    }
}

inline std::vector<double> values_mu(const game &g, const marl_policy *pi) {
    std::vector<double> v(marl_game_num_agents(g.get()));
    check(marl_markov_values_mu(g.get(), pi, v.data()), "marl_markov_values_mu");
    return v;
}

} // namespace marl

namespace {

int failures = 0;

void expect(const std::string &what, double got, double want, double tol) {
    bool ok = std::fabs(got - want) <= tol * (1.0 + std::fabs(want));
    std::printf("  %-40s %14.10f   expected %14.10f  %s\n", what.c_str(), got,
                want, ok ? "ok" : "MISMATCH");
    if (!ok) ++failures;
}

void run() {
    marl::game g = marl::make_game("coordination", "N=3");
    const std::size_t N = marl_game_num_agents(g.get());
    const std::size_t S = marl_game_num_states(g.get());
    std::printf("%s: %zu agents, %zu states\n", marl_game_name(g.get()), N, S);

    // Uniform policy: closed-form values (see examples/c/quickstart.c).
    marl::policy uniform = marl::make_policy(g);
    std::vector<double> v = marl::values_mu(g, uniform.get());
    for (std::size_t i = 0; i < N; ++i)
        expect("uniform: V_" + std::to_string(i) + "(mu)", v[i], 20.0, 1e-9);
    double gap = -1.0, welfare = 0.0, vstar = 0.0, poa = 0.0;
    marl::check(marl_markov_nash_gap(g.get(), uniform.get(), &gap, nullptr),
                "marl_markov_nash_gap");
    expect("uniform: Nash-gap", gap, 0.0, 1e-9);
    marl::check(marl_markov_price_of_anarchy(g.get(), uniform.get(), &poa,
                                             &welfare, &vstar),
                "marl_markov_price_of_anarchy");
    expect("uniform: welfare", welfare, 60.0, 1e-9);
    expect("uniform: POA = 60 / V*", poa, 60.0 / vstar, 1e-12);

    // Start the solver from pi(0|s) = 0.6 for every player and state.
    marl::policy start = marl::copy(uniform.get());
    const double row[2] = {0.6, 0.4};
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t s = 0; s < S; ++s)
            marl::check(marl_policy_set_row(start.get(), i, 0, s, row),
                        "marl_policy_set_row");

    marl::solver solver =
        marl::make_solver(marl_solver_markov_best_response, g);
    marl::check(marl_solver_set_initial_policy(solver.get(), start.get()),
                "marl_solver_set_initial_policy");
    std::size_t gap_col = 0;
    marl::check(marl_solver_metric_index(solver.get(), "nash_gap", &gap_col),
                "marl_solver_metric_index");
    std::vector<double> seen;
    marl::progress_fn on_progress = [&](std::size_t it, const double *vals,
                                        std::size_t n) {
        if (gap_col >= n) throw std::logic_error("short metrics row");
        std::printf("  iteration %zu: nash_gap %.3e\n", it, vals[gap_col]);
        seen.push_back(vals[gap_col]);
        return true; // keep going
    };
    marl::check(marl_solver_set_progress(solver.get(),
                                         marl::progress_trampoline,
                                         &on_progress),
                "marl_solver_set_progress");
    std::size_t iters = 0;
    int rc = marl::check(marl_solver_run(solver.get(), 100, 1e-10, 0.0, &iters),
                         "marl_solver_run");
    std::printf("  run: %s after %zu iterations\n", marl_strerror(rc), iters);
    if (rc != MARL_CONVERGED) ++failures;

    // The history the solver recorded equals what the callback saw.
    std::vector<double> hist(marl_solver_metric_count(solver.get()));
    if (marl_solver_history_length(solver.get()) != seen.size()) ++failures;
    for (std::size_t r = 0; r < seen.size(); ++r) {
        marl::check(marl_solver_history_row(solver.get(), r, hist.data()),
                    "marl_solver_history_row");
        if (hist[gap_col] != seen[r]) ++failures;
    }

    const marl_policy *eq = marl_solver_policy(solver.get());
    if (!eq) marl::check(marl_last_error_code(), "marl_solver_policy");
    marl::check(marl_markov_nash_gap(g.get(), eq, &gap, nullptr),
                "marl_markov_nash_gap");
    expect("equilibrium: Nash-gap", gap, 0.0, 1e-9);
    marl::check(marl_markov_price_of_anarchy(g.get(), eq, &poa, &welfare,
                                             nullptr),
                "marl_markov_price_of_anarchy");
    expect("equilibrium: POA", poa, 1.0, 1e-9);

    // CSV round trip into a fresh policy of the same game.
    char *raw = nullptr;
    std::size_t len = 0;
    marl::check(marl_policy_to_csv(eq, &raw, &len), "marl_policy_to_csv");
    marl::text csv(raw);
    marl::policy back = marl::make_policy(g);
    marl::check(marl_policy_from_csv(back.get(), csv.get(), len),
                "marl_policy_from_csv");
    double dist = 1.0;
    marl::check(marl_policy_distance(eq, back.get(), &dist),
                "marl_policy_distance");
    expect("CSV round trip: max |difference|", dist, 0.0, 0.0);
    std::printf("  CSV (%zu bytes) begins: %.40s...\n", len, csv.get());

    // Errors arrive as exceptions carrying the status and the message.
    try {
        marl::make_game("coordination", "N=3,eps=2");
        ++failures;
        std::printf("  eps=2 was accepted\n");
    } catch (const marl::error &e) {
        std::printf("  expected error (%d): %s\n", e.status(), e.what());
    }
}

} // namespace

int main() {
    try {
        run();
    } catch (const std::exception &e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    if (failures) {
        std::cerr << failures << " check(s) failed\n";
        return 1;
    }
    std::printf("all checks passed\n");
    return 0;
}
