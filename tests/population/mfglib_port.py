#!/usr/bin/env python3
"""A literal pure-Python port of MFGLib's own routines, compared with
libmarlgame number for number (through ctypes).

usage: mfglib_port.py path/to/libmarlgame.so

Unlike mfglib_ref.py (a re-implementation of the formulas of
ALGORITHMS.md), this file translates MFGLib's source, tensor operation by
tensor operation (no numpy/torch: nested lists of Python floats, i.e.
float64 as in the MFGLib 0.3.0 runs of BENCHMARKS.md). Files followed, as
stored for github.com/radar-research-lab/MFGLib (the newest stored version
of each; release tags are not visible there, see docs/population.md):

  mfglib/env/environment.py            0fb172eb78b0057aa6588160434cc2855a205079
      rock_paper_scissors(T=1, mu0=(1,0,0,0)),
      susceptible_infected(T=50, mu0=(0.4,0.6))
  mfglib/env/examples/rock_paper_scissors.py   180e06e8bdc62028cc2a9390062a63984b2c85ab
  mfglib/env/examples/susceptible_infected.py  180e06e8bdc62028cc2a9390062a63984b2c85ab
  mfglib/mean_field.py                 180e06e8bdc62028cc2a9390062a63984b2c85ab
  mfglib/utils.py (mean_field_from_policy)     370dc3232f88677164484dfdca3fc02082d1e2ce
  mfglib/alg/q_fn.py (QFn)             076653d9320dd4eb5a7677151788094c40eb09f6
  mfglib/scoring.py (exploitability_score, postprocess_policy)
                                       07973de23141798079b0555fecfd2060737e8b2c
  mfglib/metrics.py (older exploitability_score)
                                       180e06e8bdc62028cc2a9390062a63984b2c85ab
  mfglib/alg/greedy_policy_given_mean_field.py 180e06e8bdc62028cc2a9390062a63984b2c85ab
  mfglib/alg/online_mirror_descent.py  07973de23141798079b0555fecfd2060737e8b2c
  mfglib/alg/fictitious_play.py        0282847d6803bcce158053197ed916205e411806
  mfglib/alg/abc.py (Iterative.solve)  0d9e18a08973fbbd5486f040adad8adf67cdc7fa

Where stored versions differ in a way that could matter (mean_field vs
mean_field_from_policy; scoring.py's postprocess_policy vs metrics.py
without it), both variants are ported and checked to agree.

Checks (tolerance 1e-9, as the graders use; observed differences are
~1e-15):
  - exact exploitability of fixed policies (uniform, seeded random ones,
    random ones with zero entries, and an RPS policy with exactly tied
    best responses) on rps and sis;
  - OnlineMirrorDescent (several alpha) and FictitiousPlay (alpha = 0,
    i.e. 1/(i+2), and fixed alphas), from uniform and from random initial
    policies: the exploitability after each of the first 20 iterations and
    the policy iterate itself (max abs difference of probabilities).

SPDX-License-Identifier: MIT
"""
import ctypes
import math
import random
import sys
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_size_t, c_uint

TOL = 1e-9
ITERS = 20
FLT_MAX = sys.float_info.max


# ---------------------------------------------------------------- torch-isms
def zeros(*shape):
    if len(shape) == 1:
        return [0.0] * shape[0]
    return [zeros(*shape[1:]) for _ in range(shape[0])]


def tdiv(x, y):
    """IEEE division as torch does it (x/0 is +-inf or nan, no exception)."""
    if y == 0.0:
        if x == 0.0 or x != x:
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def nan_to_num(x, nan=0.0, posinf=FLT_MAX, neginf=-FLT_MAX):
    if x != x:
        return nan
    if x == math.inf:
        return posinf
    if x == -math.inf:
        return neginf
    return x


def tsum(xs):
    """Sum of a short contiguous row, left to right."""
    acc = xs[0]
    for x in xs[1:]:
        acc = acc + x
    return acc


# ------------------------------------------------------------- environments
class Environment:
    def __init__(self, T, S, A, mu0, reward_fn, transition_fn):
        self.T, self.S, self.A = T, S, A  # S, A: number of states/actions
        self.mu0 = list(mu0)
        self.reward_fn, self.transition_fn = reward_fn, transition_fn

    def reward(self, t, L_t):
        return self.reward_fn(self, t, L_t)

    def prob(self, t, L_t):  # p[s'][s][a]
        return self.transition_fn(self, t, L_t)

    @property
    def n_actions(self):
        return self.A

    @classmethod
    def rock_paper_scissors(cls, T=1, mu0=(1.0, 0.0, 0.0, 0.0)):
        return cls(T, 4, 3, mu0, rps_reward, RpsTransition())

    @classmethod
    def susceptible_infected(cls, T=50, mu0=(0.4, 0.6)):
        return cls(T, 2, 2, mu0, sis_reward, sis_transition)


class RpsTransition:
    def __init__(self):
        self.p = zeros(4, 4, 3)
        for s in range(4):
            for a in range(3):
                self.p[1 + a][s][a] = 1.0

    def __call__(self, env, t, L_t):
        return self.p


def rps_reward(env, t, L_t):
    mu_t = [tsum(row) for row in L_t]  # L_t.sum(dim=1)
    r_t = zeros(4, 3)
    r_t[1] = [1.0 * (2 * mu_t[3] - mu_t[2]) for _ in range(3)]
    r_t[2] = [1.0 * (4 * mu_t[1] - 2 * mu_t[3]) for _ in range(3)]
    r_t[3] = [1.0 * (6 * mu_t[2] - 3 * mu_t[1]) for _ in range(3)]
    return r_t


def sis_transition(env, t, L_t):
    mu_t = [tsum(row) for row in L_t]
    p_t = zeros(2, 2, 2)
    for s in range(2):
        for a in range(2):
            if s == 1:
                p_t[0][s][a] = 0.3
                p_t[1][s][a] = 0.7
            elif a == 0:
                p_t[1][s][a] = (0.9**2) * mu_t[1]
                p_t[0][s][a] = 1.0 - (0.9**2) * mu_t[1]
            else:
                p_t[0][s][a] = 1.0
    return p_t


_SIS_R = zeros(2, 2)
_SIS_R[0][1] = -0.5
_SIS_R[1][0] = -1.0
_SIS_R[1][1] = -1.5


def sis_reward(env, t, L_t):
    return _SIS_R


# --------------------------------------------------------------- mean field
def mean_field(env, pi):
    """mfglib/mean_field.py: gamma_pi[t] = pi[t] * (P_{t-1} @ gamma[t-1])."""
    T, S, A = env.T, env.S, env.A
    gamma = [None] * (T + 1)
    gamma[0] = [[env.mu0[s] * pi[0][s][a] for a in range(A)] for s in range(S)]
    for t in range(1, T + 1):
        p = env.prob(t - 1, gamma[t - 1])
        g = [gamma[t - 1][s][a] for s in range(S) for a in range(A)]
        srow = []
        for s2 in range(S):  # matmul of the flattened (S, S*A) matrix
            row = [p[s2][s][a] for s in range(S) for a in range(A)]
            srow.append(tsum([row[k] * g[k] for k in range(S * A)]))
        gamma[t] = [[pi[t][s][a] * srow[s] for a in range(A)]
                    for s in range(S)]
    return gamma


def mean_field_from_policy(pi, env):
    """mfglib/utils.py: L[t+1] = einsum("sa,SA,sSA->sa", pi[t+1], L[t], P_t)
    (contracted left to right: (pi * L) * P summed over S, A)."""
    T, S, A = env.T, env.S, env.A
    L = [None] * (T + 1)
    L[0] = [[env.mu0[s] * pi[0][s][a] for a in range(A)] for s in range(S)]
    for t in range(T):
        P = env.prob(t, L[t])
        L[t + 1] = [[tsum([pi[t + 1][s][a] * L[t][S_][A_] * P[s][S_][A_]
                           for S_ in range(S) for A_ in range(A)])
                     for a in range(A)] for s in range(S)]
    return L


# ---------------------------------------------------------------------- QFn
class QFn:
    def __init__(self, env, L, verify_integrity=True):
        if verify_integrity:
            for t, L_t in enumerate(L):
                flat = [x for row in L_t for x in row]
                if any(x < 0 for x in flat):
                    raise ValueError("negative probability found in time "
                                     "index %d" % t)
                if abs(tsum(flat) - 1.0) > 1e-02:
                    raise ValueError("joint probability did not sum to 1 in "
                                     "time index %d" % t)
        self.env, self.L = env, L

    def _transition_probabilities(self, t):
        """prob(t, L[t]).permute(ssa_to_sas): [s][a][s']."""
        p = self.env.prob(t, self.L[t])
        S, A = self.env.S, self.env.A
        return [[[p[s2][s][a] for s2 in range(S)] for a in range(A)]
                for s in range(S)]

    def _compute_q_values(self, future_rewards_fn):
        T = self.env.T
        q = [None] * (T + 1)
        q[T] = [list(row) for row in self.env.reward(T, self.L[T])]
        for t in range(T - 1, -1, -1):
            reward = self.env.reward(t, self.L[t])
            fut = future_rewards_fn(t, q)
            q[t] = [[reward[s][a] + fut[s][a] for a in range(self.env.A)]
                    for s in range(self.env.S)]
        return q

    def _matvec(self, t, v):
        P = self._transition_probabilities(t)
        return [[tsum([P[s][a][k] * v[k] for k in range(self.env.S)])
                 for a in range(self.env.A)] for s in range(self.env.S)]

    def optimal(self):
        def future_rewards(t, q):
            return self._matvec(t, [max(row) for row in q[t + 1]])
        return self._compute_q_values(future_rewards)

    def for_policy(self, pi):
        def future_rewards(t, q):
            pi_q = [tsum([pi[t + 1][s][a] * q[t + 1][s][a]
                          for a in range(self.env.A)])
                    for s in range(self.env.S)]
            return self._matvec(t, pi_q)
        return self._compute_q_values(future_rewards)


# ------------------------------------------------------------ exploitability
def postprocess_policy(env, pi):
    """mfglib/scoring.py: clip at 0, renormalise, uniform where 0/0."""
    n_a = env.A
    out = []
    for pt in pi:
        rows = []
        for row in pt:
            row = [max(x, 0.0) for x in row]
            z = tsum(row)
            rows.append([nan_to_num(tdiv(x, z), nan=1 / n_a, posinf=1 / n_a,
                                    neginf=1 / n_a) for x in row])
        out.append(rows)
    return out


def exploitability_score(env, pi, ensure_feasible_policy=True, old=False):
    """mfglib/scoring.py (old=True: mfglib/metrics.py, which neither
    post-processes the policy nor uses mean_field_from_policy)."""
    if ensure_feasible_policy and not old:
        pi = postprocess_policy(env, pi)
    mu0 = env.mu0
    gamma_pi = mean_field(env, pi) if old else mean_field_from_policy(pi, env)
    q_fn = QFn(env, gamma_pi, verify_integrity=False)
    Q_s = q_fn.optimal()
    Q_pi = q_fn.for_policy(pi)
    expl1 = tsum([mu0[s] * max(Q_s[0][s]) for s in range(env.S)])
    expl2 = tsum([mu0[s] * tsum([pi[0][s][a] * Q_pi[0][s][a]
                                 for a in range(env.A)])
                  for s in range(env.S)])
    return expl1 - expl2


# ------------------------------------------------------------------- solvers
def greedy_policy(env, L):
    """mfglib/alg/greedy_policy_given_mean_field.py: uniform over the
    entries exactly equal to the maximum of the optimal Q."""
    Q_s_L = QFn(env, L).optimal()
    pi_s = []
    for t in range(env.T + 1):
        rows = []
        for row in Q_s_L[t]:
            m = max(row)
            mask = [1.0 * (x == m) for x in row]
            c = tsum(mask)
            rows.append([x / c for x in mask])
        pi_s.append(rows)
    return pi_s


def softmax(y):
    """torch.nn.Softmax(dim=-1): exp(y - max) / sum."""
    m = max(y)
    e = [math.exp(x - m) for x in y]
    z = tsum(e)
    return [x / z for x in e]


class OnlineMirrorDescent:
    def __init__(self, alpha=1.0, old=False):
        self.alpha, self.old = alpha, old

    def init_state(self, env, pi_0):
        return dict(env=env, pi=pi_0, y=zeros(env.T + 1, env.S, env.A))

    def step_next_state(self, state):
        env, pi = state["env"], state["pi"]
        L = mean_field(env, pi) if self.old else \
            mean_field_from_policy(pi, env)
        Q = QFn(env, L, verify_integrity=False).for_policy(pi)
        y = [[[state["y"][t][s][a] + self.alpha * Q[t][s][a]
               for a in range(env.A)] for s in range(env.S)]
             for t in range(env.T + 1)]
        pi = [[softmax(y[t][s]) for s in range(env.S)]
              for t in range(env.T + 1)]
        return dict(env=env, pi=pi, y=y)


class FictitiousPlay:
    def __init__(self, alpha=0.0):
        if not 0 <= alpha <= 1:
            raise ValueError("parameter 'alpha' must be a float in [0, 1]")
        self.alpha = alpha

    def init_state(self, env, pi_0):
        return dict(i=0, env=env, pi=pi_0)

    def step_next_state(self, state):
        env, pi = state["env"], state["pi"]
        L = mean_field(env, pi)
        pi_br = greedy_policy(env, L)
        L_br = mean_field(env, pi_br)
        alpha_i = self.alpha if self.alpha else 1 / (state["i"] + 2)
        new = []
        for t in range(env.T + 1):
            rows = []
            for s in range(env.S):
                mu, mu_br = tsum(L[t][s]), tsum(L_br[t][s])
                denom = (1 - alpha_i) * mu + alpha_i * mu_br
                row = []
                for a in range(env.A):
                    numer = (1 - alpha_i) * mu * pi[t][s][a] + \
                        alpha_i * mu_br * pi_br[t][s][a]
                    row.append(nan_to_num(tdiv(numer, denom),
                                          nan=1 / env.n_actions))
                rows.append(row)
            new.append(rows)
        return dict(i=state["i"] + 1, env=env, pi=new)


def solve(alg, env, pi_0, max_iter):
    """Iterative.solve with atol = rtol = None (no early stopping)."""
    pis = [pi_0]
    expls = [exploitability_score(env, pi_0)]
    state = alg.init_state(env, pi_0)
    for _ in range(max_iter):
        state = alg.step_next_state(state)
        pis.append(state["pi"])
        expls.append(exploitability_score(env, state["pi"]))
    return pis, expls


def uniform(env):
    return [[[1.0 / env.n_actions] * env.A for _ in range(env.S)]
            for _ in range(env.T + 1)]


def random_policy(env, rng, zero_frac=0.0):
    """Rows ~ Dirichlet(1) (normalised exponentials); with zero_frac, each
    entry is zeroed with that probability (at least one kept)."""
    pi = []
    for _ in range(env.T + 1):
        rows = []
        for _ in range(env.S):
            w = [rng.expovariate(1.0) for _ in range(env.A)]
            if zero_frac:
                keep = rng.randrange(env.A)
                w = [x if (k == keep or rng.random() >= zero_frac) else 0.0
                     for k, x in enumerate(w)]
            z = sum(w)
            rows.append([x / z for x in w])
        pi.append(rows)
    return pi


# ------------------------------------------------------------ libmarlgame
class Marl:
    SHARED_PER_STEP = 3  # MARL_POLICY_SHARED | MARL_POLICY_PER_STEP

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        vp, dp, sp = ctypes.c_void_p, POINTER(c_double), POINTER(c_size_t)

        def fn(name, restype, *argtypes):
            f = getattr(lib, name)
            f.restype, f.argtypes = restype, list(argtypes)

        fn("marl_last_error", c_char_p)
        fn("marl_games_new", c_int, POINTER(vp), c_char_p, c_char_p)
        fn("marl_game_free", None, vp)
        fn("marl_policy_new", c_int, POINTER(vp), vp, c_uint)
        fn("marl_policy_free", None, vp)
        fn("marl_policy_set_row", c_int, vp, c_size_t, c_size_t, c_size_t,
           dp)
        fn("marl_policy_get_row", c_int, vp, c_size_t, c_size_t, c_size_t,
           dp)
        fn("marl_mfg_exploitability", c_int, vp, vp, dp)
        fn("marl_solver_new_by_name", c_int, POINTER(vp), c_char_p, vp)
        fn("marl_solver_free", None, vp)
        fn("marl_solver_set_real", c_int, vp, c_char_p, c_double)
        fn("marl_solver_set_initial_policy", c_int, vp, vp)
        fn("marl_solver_step", c_int, vp)
        fn("marl_solver_policy", vp, vp)
        fn("marl_solver_metric_index", c_int, vp, c_char_p, sp)
        fn("marl_solver_metric_count", c_size_t, vp)
        fn("marl_solver_history_row", c_int, vp, c_size_t, dp)
        self.lib = lib

    def ok(self, rc, what):
        if rc < 0:
            raise RuntimeError("%s: %s" % (what,
                                           self.lib.marl_last_error().decode()))
        return rc

    def game(self, name):
        g = ctypes.c_void_p()
        self.ok(self.lib.marl_games_new(byref(g), name.encode(), None),
                "marl_games_new")
        return g

    def policy(self, game, env, pi):
        p = ctypes.c_void_p()
        self.ok(self.lib.marl_policy_new(byref(p), game,
                                         self.SHARED_PER_STEP),
                "marl_policy_new")
        for t in range(env.T + 1):
            for s in range(env.S):
                row = (c_double * env.A)(*pi[t][s])
                self.ok(self.lib.marl_policy_set_row(p, 0, t, s, row),
                        "marl_policy_set_row")
        return p

    def get_policy(self, pol, env):
        out = []
        for t in range(env.T + 1):
            rows = []
            for s in range(env.S):
                row = (c_double * env.A)()
                self.ok(self.lib.marl_policy_get_row(pol, 0, t, s, row),
                        "marl_policy_get_row")
                rows.append(list(row))
            out.append(rows)
        return out

    def exploitability(self, game, env, pi):
        p = self.policy(game, env, pi)
        e = c_double()
        try:
            self.ok(self.lib.marl_mfg_exploitability(game, p, byref(e)),
                    "marl_mfg_exploitability")
        finally:
            self.lib.marl_policy_free(p)
        return e.value

    def run(self, game, env, solver, alpha, pi_0, iters):
        """Exploitabilities and policies after each of `iters` steps."""
        sv = ctypes.c_void_p()
        self.ok(self.lib.marl_solver_new_by_name(byref(sv), solver.encode(),
                                                 game), solver)
        p0 = self.policy(game, env, pi_0)
        try:
            self.ok(self.lib.marl_solver_set_real(sv, b"alpha", alpha),
                    "alpha")
            self.ok(self.lib.marl_solver_set_initial_policy(sv, p0),
                    "initial policy")
            col = c_size_t()
            self.ok(self.lib.marl_solver_metric_index(sv, b"exploitability",
                                                      byref(col)), "metric")
            vals = (c_double * self.lib.marl_solver_metric_count(sv))()
            expls, pis = [], []
            for k in range(iters):
                self.ok(self.lib.marl_solver_step(sv), "step")
                self.ok(self.lib.marl_solver_history_row(sv, k, vals),
                        "history")
                expls.append(vals[col.value])
                pis.append(self.get_policy(self.lib.marl_solver_policy(sv),
                                           env))
            return expls, pis
        finally:
            self.lib.marl_policy_free(p0)
            self.lib.marl_solver_free(sv)


# ------------------------------------------------------------------ checks
def max_diff(p, q):
    return max(abs(x - y) for pt, qt in zip(p, q) for pr, qr in zip(pt, qt)
               for x, y in zip(pr, qr))


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    m = Marl(argv[1])
    failures, worst = [], [0.0]

    def check(what, got, want):
        d = abs(got - want)
        worst[0] = max(worst[0], d)
        if not d <= TOL:
            failures.append("%s: libmarlgame %.17g, MFGLib port %.17g "
                            "(diff %.3g)" % (what, got, want, d))

    envs = {"rps": Environment.rock_paper_scissors(),
            "sis": Environment.susceptible_infected()}
    rng = random.Random(20261122)
    for name, env in envs.items():
        game = m.game(name)
        try:
            fixed = [("uniform", uniform(env))]
            fixed += [("random%d" % k, random_policy(env, rng))
                      for k in range(3)]
            fixed += [("random-zeros%d" % k, random_policy(env, rng, 0.4))
                      for k in range(2)]
            if name == "rps":
                # r(R) = r(P) = 1 > r(S) at step 1: an exact tie in the
                # greedy response of state 0 at step 0.
                tie = uniform(env)
                tie[0][0] = [0.5, 0.0, 0.5]
                fixed.append(("tie", tie))
            for label, pi in fixed:
                want = exploitability_score(env, pi)
                old = exploitability_score(env, pi, old=True)
                if abs(want - old) > 1e-13:
                    failures.append("%s %s: scoring.py %.17g vs metrics.py "
                                    "%.17g" % (name, label, want, old))
                check("%s %s exploitability" % (name, label),
                      m.exploitability(game, env, pi), want)
            starts = [fixed[0], fixed[1], fixed[4]] + fixed[6:]
            runs = [("mfg-omd", a, OnlineMirrorDescent(a))
                    for a in (1.0, 0.1, 2.5)]
            runs += [("mfg-fictitious-play", a, FictitiousPlay(a))
                     for a in (0.0, 0.25, 1.0)]
            for solver, alpha, alg in runs:
                for label, pi_0 in starts:
                    if solver == "mfg-omd" and label != "uniform" and \
                            alpha != 1.0:
                        continue  # keep the run short
                    pis, expls = solve(alg, env, pi_0, ITERS)
                    if solver == "mfg-omd" and label == "uniform":
                        _, old = solve(OnlineMirrorDescent(alpha, old=True),
                                       env, pi_0, ITERS)
                        if max(abs(x - y) for x, y in zip(old, expls)) > 1e-12:
                            failures.append("%s omd: mean_field and "
                                            "mean_field_from_policy disagree"
                                            % name)
                    got, gpis = m.run(game, env, solver, alpha, pi_0, ITERS)
                    tag = "%s %s alpha=%g from %s" % (name, solver, alpha,
                                                      label)
                    for k in range(ITERS):
                        check("%s: exploitability after step %d" % (tag, k + 1),
                              got[k], expls[k + 1])
                        d = max_diff(gpis[k], pis[k + 1])
                        worst[0] = max(worst[0], d)
                        if not d <= TOL:
                            failures.append("%s: policy after step %d differs "
                                            "by %.3g" % (tag, k + 1, d))
                    print("%-52s expl %.12f -> %.12f" % (tag, expls[1],
                                                         expls[ITERS]))
        finally:
            m.lib.marl_game_free(game)
    print("largest difference: %.3g (tolerance %g)" % (worst[0], TOL))
    if failures:
        print("\n".join(failures[:40]))
        print("%d mismatches" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
