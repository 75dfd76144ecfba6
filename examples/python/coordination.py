#!/usr/bin/env python3
"""libmarlgame from Python through ctypes (standard library only).

    python3 coordination.py [path/to/libmarlgame.so]

Without an argument the library is looked up by ctypes.util.find_library
("marlgame"), i.e. an installed copy. Every function used is declared with
argtypes/restype before use; every status is checked and a failure raises
MarlError with marl_last_error()'s message.

What it does (and checks):
  - coordination game (seed 003), N = 3: the uniform policy has
    V_i(mu) = 1/(1 - 0.95) = 20 for every player, welfare 60, Nash-gap 0,
    and POA = 60 / V*;
  - markov-best-response from pi(0|s) = 0.6 converges to the all-zero
    policy, a Nash equilibrium with POA 1, reporting progress through a
    Python callback;
  - the exported constant marl_solver_markov_best_response is the type that
    marl_solver_type_find("markov-best-response") returns;
  - a bad parameter produces an error naming it.
Exit status 0 when every check passes.

SPDX-License-Identifier: MIT
"""
import ctypes
import ctypes.util
import math
import sys

from ctypes import (CFUNCTYPE, POINTER, Structure, byref, c_char_p, c_double,
                    c_int, c_size_t, c_uint, c_void_p)

MARL_OK, MARL_CONVERGED = 0, 1
MARL_SOLVER_TYPE_VERSION = 1


class Game(Structure):
    """Opaque marl_game."""


class Policy(Structure):
    """Opaque marl_policy."""


class Solver(Structure):
    """Opaque marl_solver."""


class SolverType(Structure):
    """marl_solver_type; only its address is used here."""


PROGRESS_FN = CFUNCTYPE(c_int, POINTER(Solver), c_size_t, POINTER(c_double),
                        c_size_t, c_void_p)


class MarlError(RuntimeError):
    def __init__(self, call, status, message):
        super().__init__("%s: %s: %s" % (call, message[0], message[1]))
        self.status = status


def load(path):
    path = path or ctypes.util.find_library("marlgame")
    if not path:
        sys.exit("libmarlgame not found: pass the path of libmarlgame.so")
    lib = ctypes.CDLL(path)

    def fn(name, restype, *argtypes):
        f = getattr(lib, name)
        f.restype, f.argtypes = restype, list(argtypes)
        return f

    G, P, S = POINTER(Game), POINTER(Policy), POINTER(Solver)
    dp, sp = POINTER(c_double), POINTER(c_size_t)
    fn("marl_version", c_char_p)
    fn("marl_strerror", c_char_p, c_int)
    fn("marl_last_error", c_char_p)
    fn("marl_last_error_code", c_int)
    fn("marl_games_new", c_int, POINTER(G), c_char_p, c_char_p)
    fn("marl_game_free", None, G)
    fn("marl_game_name", c_char_p, G)
    fn("marl_game_num_agents", c_size_t, G)
    fn("marl_game_num_states", c_size_t, G)
    fn("marl_game_discount", c_double, G)
    fn("marl_policy_new", c_int, POINTER(P), G, c_uint)
    fn("marl_policy_free", None, P)
    fn("marl_policy_set_row", c_int, P, c_size_t, c_size_t, c_size_t, dp)
    fn("marl_policy_get_row", c_int, P, c_size_t, c_size_t, c_size_t, dp)
    fn("marl_markov_values_mu", c_int, G, P, dp)
    fn("marl_markov_nash_gap", c_int, G, P, dp, dp)
    fn("marl_markov_welfare", c_int, G, P, dp)
    fn("marl_markov_price_of_anarchy", c_int, G, P, dp, dp, dp)
    fn("marl_solver_type_find", POINTER(SolverType), c_char_p)
    fn("marl_solver_new_by_name", c_int, POINTER(S), c_char_p, G)
    fn("marl_solver_free", None, S)
    fn("marl_solver_set_initial_policy", c_int, S, P)
    fn("marl_solver_set_progress", c_int, S, PROGRESS_FN, c_void_p)
    fn("marl_solver_metric_index", c_int, S, c_char_p, sp)
    fn("marl_solver_run", c_int, S, c_size_t, c_double, c_double, sp)
    fn("marl_solver_policy", P, S)
    return lib


class Marl:
    def __init__(self, path):
        self.lib = load(path)

    def check(self, call, status):
        if status < 0:
            raise MarlError(call, status,
                            (self.lib.marl_strerror(status).decode(),
                             self.lib.marl_last_error().decode()))
        return status

    def __getattr__(self, name):
        """lib.marl_X(...) with the status checked: self.X(...)."""
        f = getattr(self.lib, "marl_" + name)
        if f.restype is not c_int:
            return f
        return lambda *args: self.check("marl_" + name, f(*args))


failures = 0


def expect(what, got, want, tol):
    global failures
    ok = abs(got - want) <= tol * (1.0 + abs(want))
    print("  %-40s %14.10f   expected %14.10f  %s"
          % (what, got, want, "ok" if ok else "MISMATCH"))
    if not ok:
        failures += 1


def main(argv):
    global failures
    m = Marl(argv[1] if len(argv) > 1 else None)
    print("libmarlgame", m.lib.marl_version().decode(), "via ctypes")

    game = POINTER(Game)()
    m.games_new(byref(game), b"coordination", b"N=3")
    pol = POINTER(Policy)()
    solver = POINTER(Solver)()
    try:
        n = m.lib.marl_game_num_agents(game)
        s_count = m.lib.marl_game_num_states(game)
        print("%s: %d agents, %d states, gamma %.2f" % (
            m.lib.marl_game_name(game).decode(), n, s_count,
            m.lib.marl_game_discount(game)))

        # Uniform policy: closed-form values (examples/c/quickstart.c).
        m.policy_new(byref(pol), game, 0)
        v = (c_double * n)()
        m.markov_values_mu(game, pol, v)
        for i in range(n):
            expect("uniform: V_%d(mu)" % i, v[i], 20.0, 1e-9)
        gap, welfare, vstar, poa = c_double(), c_double(), c_double(), \
            c_double()
        m.markov_nash_gap(game, pol, byref(gap), None)
        expect("uniform: Nash-gap", gap.value, 0.0, 1e-9)
        m.markov_price_of_anarchy(game, pol, byref(poa), byref(welfare),
                                  byref(vstar))
        expect("uniform: welfare", welfare.value, 60.0, 1e-9)
        expect("uniform: POA = 60 / V*", poa.value, 60.0 / vstar.value,
               1e-12)

        # Start from pi(0|s) = 0.6 and run round-robin best responses.
        row = (c_double * 2)(0.6, 0.4)
        for i in range(n):
            for s in range(s_count):
                m.policy_set_row(pol, i, 0, s, row)
        m.solver_new_by_name(byref(solver), b"markov-best-response", game)
        m.solver_set_initial_policy(solver, pol)
        gap_col = c_size_t()
        m.solver_metric_index(solver, b"nash_gap", byref(gap_col))
        seen = []

        def on_progress(_solver, iteration, values, n_values, _user):
            try:
                seen.append(values[gap_col.value])
                print("  iteration %d: nash_gap %.3e"
                      % (iteration, values[gap_col.value]))
                return 0
            except Exception:  # never raise through C frames
                return 1

        callback = PROGRESS_FN(on_progress)  # keep alive during the run
        m.solver_set_progress(solver, callback, None)
        iters = c_size_t()
        rc = m.solver_run(solver, 100, 1e-10, 0.0, byref(iters))
        print("  run: %s after %d iterations"
              % (m.lib.marl_strerror(rc).decode(), iters.value))
        if rc != MARL_CONVERGED or len(seen) != iters.value:
            failures += 1
        eq = m.lib.marl_solver_policy(solver)
        if not eq:
            m.check("marl_solver_policy", m.lib.marl_last_error_code())
        m.markov_nash_gap(game, eq, byref(gap), None)
        expect("equilibrium: Nash-gap", gap.value, 0.0, 1e-9)
        m.markov_price_of_anarchy(game, eq, byref(poa), byref(welfare), None)
        expect("equilibrium: POA", poa.value, 1.0, 1e-9)
        p = (c_double * 2)()
        m.lib.marl_policy_get_row(eq, 0, 0, 0, p)
        expect("equilibrium: pi_0(0 | state 0)", p[0], 1.0, 0.0)

        # The exported constant is the registered type of that name; its
        # first member is the vtable version.
        found = m.lib.marl_solver_type_find(b"markov-best-response")
        const = c_int.in_dll(m.lib, "marl_solver_markov_best_response")
        if ctypes.addressof(found.contents) != ctypes.addressof(const):
            failures += 1
            print("  marl_solver_type_find returned another address")
        expect("marl_solver_markov_best_response.version", const.value,
               MARL_SOLVER_TYPE_VERSION, 0.0)

        # Errors name the offending item.
        bad = POINTER(Game)()
        try:
            m.games_new(byref(bad), b"coordination", b"N=3,gamma=1.5")
            failures += 1
            print("  gamma=1.5 was accepted")
            m.lib.marl_game_free(bad)
        except MarlError as e:
            print("  expected error (%d): %s" % (e.status, e))
            if "gamma" not in str(e):
                failures += 1
    finally:
        m.lib.marl_solver_free(solver)
        m.lib.marl_policy_free(pol)
        m.lib.marl_game_free(game)

    if failures:
        print("%d check(s) failed" % failures, file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except MarlError as err:
        print("error:", err, file=sys.stderr)
        sys.exit(1)
