#!/usr/bin/env python3
"""Independent pure-Python port of the public reference implementation of
seed 004 (github.com/emiletimothy/alternating-marl, tabular part, commit
2e3fc5e34fdebb1e73668329b76dc395a661fc3b), compared table for table with
libmarlgame's `warehouse` game and `alternating-glearn` (estimator=expected).

    ref_port.py path/to/gl_ref_dump

Ported literally (numpy expressions written out as loops, in numpy's
operation order where it matters for rounding):
  scripts/hyperparameters.json      sizes, gamma 0.95, n 1000, 100 VI sweeps
  scripts/marl_example.py           _P_g_table, _P_l_table, _R_g_table,
                                    _R_l_table (logit formulas incl. the
                                    +0.1 floor, softmax exp(l)/sum exp(l))
  scripts/alternating_marl.py       _marginalize_local_transition/_reward
                                    (P~_l skips actions with pi <= 1e-12),
                                    evaluate(): s_g uniform,
                                    Dirichlet(0.3,...,0.3) initial law
  scripts/global_agent_optimizer.py enumerate_count_vectors (order of
                                    combinations_with_replacement),
                                    R_table, _round_to_counts (largest
                                    remainder, argsort of -residual: ties to
                                    the lower index), successor from the
                                    CURRENT s_g, _run_vi (Jacobi, V = 0,
                                    max_iter sweeps, tol never met; the sum
                                    over s_g' in np.einsum's order),
                                    get_policy_dict (np.argmax: first max)
Checked once against the reference's own numerics run with numpy 1.24.2
(Debian; the version BENCHMARKS.md measured): tables, V and greedy policy
bit for bit for k = 1, 2, 4 and the three local policies below, greedy
policy for k = 8, the successor of every (s_g, c) for k = 12 and 20 (Debian
OpenBLAS on an x86-64 machine with FMA). The expected counts of
`dist_arr @ P` (an OpenBLAS dgemm kernel with FMA) are accumulated as
e = fma(c_j, P~_l(j'|j, s_g), e), j = 0, 1, ..., from e = 0, with an
exactly rounded fma (fma_exact; fma_count computes the same faster and is
checked against it): where two remainders tie in exact arithmetic, a
separate multiply and add (two roundings) changes the rounded successor
(warehouse: none for k <= 8, some at k = 12 and 20; printed as
information).

gl_ref_dump prints libmarlgame's side (ref_dump.c). The script compares:
tables P_g, r_g, P_l, r_l (1e-12), gamma, initial law; for k = 1, 2, 4 and
three local policies (uniform, "move +1", a fixed stochastic one) the
marginalised P~_l, r~_l (1e-12), the successor count vector of every
(s_g, c) (exact), V after sweeps 1, 2, 3, 10, 50, 100 (1e-9 relative) and
the greedy global action after sweep 100 (exact; a differing action is
accepted only where the reference's own Q values of the two actions are
equal to 1e-12 relative: exact ties in exact arithmetic, broken by rounding
noise in either implementation); for k = 8, 12, 20 the successors only.
Count vectors are matched by vector, not by rank: the reference enumerates
them in its own order. Exit status 0 when everything matches.

SPDX-License-Identifier: MIT
"""
import math
import subprocess
import sys
from fractions import Fraction

# --- scripts/hyperparameters.json -------------------------------------------
N_SG, N_SL, N_GA, N_AL = 5, 5, 5, 3
GAMMA = 0.95
N_AGENTS = 1000
MAX_VI = 100          # global_agent.max_vi_iterations
TOL = 1e-6            # global_agent.convergence_threshold
DIRICHLET_ALPHA = 0.3  # alternating_marl.py evaluate()


def softmax_ref(logits):
    """np.exp(logits) / np.exp(logits).sum() (no max shift, as the reference)."""
    e = [math.exp(x) for x in logits]
    z = 0.0
    for x in e:
        z += x
    return [x / z for x in e]


# --- scripts/marl_example.py ------------------------------------------------
def build_tables():
    P_g = {}
    for sg in range(N_SG):
        for ag in range(N_GA):
            logits = [0.0] * N_SG
            logits[ag] += 3.0
            logits[sg] += 0.5
            logits = [x + 0.1 for x in logits]
            P_g[sg, ag] = softmax_ref(logits)
    P_l = {}
    for sl in range(N_SL):
        for sg in range(N_SG):
            for al in range(N_AL):
                logits = [0.1] * N_SL
                logits[sl] += 3.5
                if al == 1:
                    logits[(sl + 1) % N_SL] += 1.5
                elif al == 2:
                    logits[(sl - 1) % N_SL] += 1.5
                logits[sg] += 0.3
                P_l[sl, sg, al] = softmax_ref(logits)
    R_g = {(sg, ag): 1.0 for sg in range(N_SG) for ag in range(N_GA)}
    R_l = {}
    for sl in range(N_SL):
        for sg in range(N_SG):
            for al in range(N_AL):
                if sl == sg:
                    base = 10.0
                else:
                    dist = min(abs(sl - sg), N_SL - abs(sl - sg))
                    base = 2.0 / (1.0 + dist)
                R_l[sl, sg, al] = base + [0.0, 0.5, -0.3][al]
    return P_g, P_l, R_g, R_l


# --- the fixed local policies (ref_dump.c: local_row) ------------------------
def local_policy(pol, sl, sg):
    if pol == 0:
        w = [1.0] * N_AL
    elif pol == 1:
        w = [1.0 if a == 1 else 0.0 for a in range(N_AL)]
    else:
        w = [float(1 + (sl * 3 + sg * 5 + a * 7) % 4) for a in range(N_AL)]
    z = 0.0
    for x in w:
        z += x
    return [x / z for x in w]


# --- scripts/alternating_marl.py: marginalisation ----------------------------
def marginalise(P_l, R_l, pi_l):
    P_l_pi, r_l_pi = {}, {}
    for sl in range(N_SL):
        for sg in range(N_SG):
            pi = pi_l[sg][sl]
            res = [0.0] * N_SL
            for a in range(N_AL):
                if pi[a] > 1e-12:
                    row = P_l[sl, sg, a]
                    res = [res[j] + pi[a] * row[j] for j in range(N_SL)]
            P_l_pi[sl, sg] = res
            r = 0  # Python sum() starts from int 0
            for a in range(N_AL):
                r = r + pi[a] * R_l[sl, sg, a]
            r_l_pi[sl, sg] = r
    return P_l_pi, r_l_pi


# --- scripts/global_agent_optimizer.py ---------------------------------------
def combinations_with_replacement(n, k):
    """itertools.combinations_with_replacement(range(n), k), written out."""
    idx = [0] * k
    while True:
        yield tuple(idx)
        i = k - 1
        while i >= 0 and idx[i] == n - 1:
            i -= 1
        if i < 0:
            return
        idx[i:] = [idx[i] + 1] * (k - i)


def enumerate_count_vectors(k, n_states):
    seen, result = set(), []
    for combo in combinations_with_replacement(n_states, k):
        counts = [0] * n_states
        for s in combo:
            counts[s] += 1
        t = tuple(counts)
        if t not in seen:
            seen.add(t)
            result.append(t)
    return result


def round_to_counts(expected, k):
    """_round_to_counts for one row: floor, then +1 to the `deficit` columns
    of largest residual (argsort(argsort(-residual)) < deficit; numpy's sort
    of 5 entries is an insertion sort, i.e. stable: ties to the lower
    index), clipped to [0, k]."""
    floored = [int(math.floor(x)) for x in expected]
    residuals = [expected[j] - floored[j] for j in range(len(expected))]
    deficit = k - sum(floored)
    order = sorted(range(len(expected)), key=lambda j: -residuals[j])
    rank = [0] * len(expected)
    for pos, j in enumerate(order):
        rank[j] = pos
    out = [floored[j] + (1 if rank[j] < deficit else 0)
           for j in range(len(expected))]
    return tuple(min(max(x, 0), k) for x in out)


def einsum_dot(V, nd, p):
    """sum_{s'} V[s'][nd] p[s'] as np.einsum('sdp,sap->sda') evaluates it
    for |S_g| = 5 (two interleaved partial sums, measured bit for bit with
    numpy 1.24.2): (t0 + t2 + t4) + (t1 + t3)."""
    t = [V[sp][nd] * p[sp] for sp in range(N_SG)]
    return ((t[0] + t[2]) + t[4]) + (t[1] + t[3])


def fma_exact(a, b, c):
    """a * b + c rounded once to nearest, ties to even (exact rational
    arithmetic; Python 3.11 has no math.fma)."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def fma_count(n, b, c):
    """fma_exact(n, b, c) for an integer n >= 0, faster: n * b is the exact
    sum of n copies of b and math.fsum rounds the exact sum of its
    arguments once (CPython's msum, round-half-even), as fma does."""
    return math.fsum([b] * n + [c]) if n else c


def mul_add(n, b, c):
    """n * b + c with two roundings (libmarlgame before the fma change)."""
    return n * b + c


def expected_counts(dist_list, P_l_pi, sg, op):
    """`dist_arr @ P` for P = P~_l(.|., s_g): the expected counts of every
    count vector accumulated as e = op(c_j, P(j'|j), e), j = 0, 1, ...,
    from e = 0 (OpenBLAS's dgemm kernels with FMA accumulate over the inner
    index in this order). The partial sums depend only on the prefix
    (c_0, ..., c_j): memoised per prefix."""
    memo = {(): [0.0] * N_SL}

    def partial(prefix):
        got = memo.get(prefix)
        if got is None:
            j, n = len(prefix) - 1, prefix[-1]
            prev = partial(prefix[:-1])
            row = P_l_pi[j, sg]
            got = [op(n, row[jp], prev[jp]) if n else prev[jp]
                   for jp in range(N_SL)]
            memo[prefix] = got
        return got

    return [partial(d) for d in dist_list]


def check_fma(ck, P_l_pi):
    """fma_count against fma_exact: n = 0..20 times every P~_l entry plus
    several accumulators, half-way cases (ties to even) and random
    doubles."""
    cases = []
    accs = [0.0, 0.1, 1.0 / 3.0, 2.5, 4.6, 7.0, 19.999999999999996]
    for p in sorted(set(x for row in P_l_pi.values() for x in row)):
        for n in range(21):
            for a in accs:
                cases.append((n, p, a))
    u = 2.0 ** -52
    cases += [(3, 1.0 + u, 0.0), (3, 1.0 + 3 * u, 0.0), (1, 1.0, u / 2),
              (1, 1.0 + u, u / 2), (5, 0.2, 0.4), (7, 0.6, 0.4),
              (2, 0.1, -0.2), (9, 1.0 / 3.0, -3.0)]
    rng = __import__("random").Random(4)
    for _ in range(2000):
        cases.append((rng.randrange(21), rng.random(),
                      rng.random() * rng.choice([1e-3, 1.0, 20.0])))
    for n, p, a in cases:
        ck.checked += 1
        got, want = fma_count(n, p, a), fma_exact(float(n), p, a)
        if got != want:
            ck.failures += 1
            print("MISMATCH fma_count(%d, %r, %r) = %r, fma_exact %r"
                  % (n, p, a, got, want))
    return len(cases)


class GlobalAgentOptimizer:
    """max_iter = 0: only the tables (successors, rewards), no sweep."""

    def __init__(self, k, P_g, P_l_pi, R_g, r_l_pi, max_iter=MAX_VI, tol=TOL):
        self.k = k
        self.dist_list = enumerate_count_vectors(k, N_SL)
        self.n_dists = len(self.dist_list)
        self.dist_to_idx = {d: i for i, d in enumerate(self.dist_list)}
        # R_table[sg][d][ag] = R_g + (dist @ R_l_pi[:, sg]) / k
        self.R_table = []
        for sg in range(N_SG):
            rows = []
            for d in self.dist_list:
                lr = 0.0
                for j in range(N_SL):
                    lr += d[j] * r_l_pi[j, sg]
                lr = lr / k
                rows.append([R_g[sg, ag] + lr for ag in range(N_GA)])
            self.R_table.append(rows)
        # deterministic transitions: det_next_idx[sg][d]
        self.expected = [expected_counts(self.dist_list, P_l_pi, sg,
                                         fma_count) for sg in range(N_SG)]
        self.det_next = [[self.dist_to_idx[round_to_counts(e, k)]
                          for e in self.expected[sg]] for sg in range(N_SG)]
        self.P_g = P_g
        self.V = [[0.0] * self.n_dists for _ in range(N_SG)]
        self.Q = [[[0.0] * N_GA for _ in range(self.n_dists)]
                  for _ in range(N_SG)]
        self.history = {}
        self.sweeps = 0
        self._run_vi(max_iter, tol)

    def _run_vi(self, max_iter, tol):
        for _ in range(max_iter):
            V = self.V
            Q_new = [[None] * self.n_dists for _ in range(N_SG)]
            V_new = [[0.0] * self.n_dists for _ in range(N_SG)]
            delta = 0.0
            for sg in range(N_SG):
                for di in range(self.n_dists):
                    nd = self.det_next[sg][di]
                    q = []
                    for ag in range(N_GA):
                        q.append(self.R_table[sg][di][ag] +
                                 GAMMA * einsum_dot(V, nd, self.P_g[sg, ag]))
                    Q_new[sg][di] = q
                    V_new[sg][di] = max(q)
                    delta = max(delta, abs(V_new[sg][di] - V[sg][di]))
            self.V, self.Q = V_new, Q_new
            self.sweeps += 1
            self.history[self.sweeps] = V_new
            if delta < tol:
                break

    def policy(self):
        out = {}
        for sg in range(N_SG):
            for di, d in enumerate(self.dist_list):
                q = self.Q[sg][di]
                a = 0
                for b in range(1, N_GA):
                    if q[b] > q[a]:
                        a = b
                out[sg, d] = a
        return out


# --- comparison --------------------------------------------------------------
class Checker:
    def __init__(self):
        self.failures = 0
        self.checked = 0

    def close(self, what, got, want, tol):
        self.checked += 1
        if not (abs(got - want) <= tol * max(1.0, abs(want))):
            self.failures += 1
            if self.failures <= 30:
                print("MISMATCH %s: libmarlgame %.17g, reference %.17g"
                      % (what, got, want))

    def equal(self, what, got, want):
        self.checked += 1
        if got != want:
            self.failures += 1
            if self.failures <= 30:
                print("MISMATCH %s: libmarlgame %s, reference %s"
                      % (what, got, want))


def parse(lines):
    """Top-level records and a list of cases."""
    top, cases, cur = {}, [], None
    for line in lines:
        f = line.split()
        if not f:
            continue
        tag = f[0]
        if tag == "case":
            cur = {"k": int(f[1]), "pol": int(f[2]), "full": int(f[3]),
                   "S": {}, "V": {}, "A": {}}
            cases.append(cur)
        elif tag in ("Pt", "rt") and cur is not None:
            cur[tag] = [float(x) for x in f[1:]]
        elif tag == "S":
            s = int(f[1])
            c = tuple(int(x) for x in f[2:2 + N_SL])
            cur["S"][s, c] = tuple(int(x) for x in f[2 + N_SL:2 + 2 * N_SL])
        elif tag == "V":
            t, s = int(f[1]), int(f[2])
            c = tuple(int(x) for x in f[3:3 + N_SL])
            cur["V"][t, s, c] = float(f[3 + N_SL])
        elif tag == "A":
            s = int(f[1])
            c = tuple(int(x) for x in f[2:2 + N_SL])
            cur["A"][s, c] = (int(f[2 + N_SL]), float(f[3 + N_SL]))
        elif tag == "conc" and f[1] == "none":
            top[tag] = None
        else:
            top[tag] = [float(x) for x in f[1:]]
    return top, cases


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = subprocess.run([sys.argv[1]], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.splitlines()
    if not out or out[-1] != "end":
        print("gl_ref_dump output incomplete")
        return 1
    top, cases = parse(out)
    ck = Checker()
    P_g, P_l, R_g, R_l = build_tables()

    # environment ------------------------------------------------------------
    ck.equal("sizes", [int(x) for x in top["sizes"]],
             [N_AGENTS, N_SG, N_GA, N_SL, N_AL])
    ck.close("gamma", top["gamma"][0], GAMMA, 0.0)
    for sg in range(N_SG):
        for ag in range(N_GA):
            for sp in range(N_SG):
                ck.close("P_g(%d|%d,%d)" % (sp, sg, ag),
                         top["Pg"][(sg * N_GA + ag) * N_SG + sp],
                         P_g[sg, ag][sp], 0.0)
            ck.close("r_g(%d,%d)" % (sg, ag), top["rg"][sg * N_GA + ag],
                     R_g[sg, ag], 0.0)
    for sl in range(N_SL):
        for sg in range(N_SG):
            for al in range(N_AL):
                e = (sl * N_SG + sg) * N_AL + al
                for sp in range(N_SL):
                    ck.close("P_l(%d|%d,%d,%d)" % (sp, sl, sg, al),
                             top["Pl"][e * N_SL + sp], P_l[sl, sg, al][sp],
                             0.0)
                ck.close("r_l(%d,%d,%d)" % (sl, sg, al), top["rl"][e],
                         R_l[sl, sg, al], 0.0)
    for sg in range(N_SG):  # rng.integers(n_sg): uniform
        ck.close("rho_g(%d)" % sg, top["rho_g"][sg], 1.0 / N_SG, 1e-15)
    ck.equal("Dirichlet initial law", top.get("conc") is not None, True)
    if top.get("conc") is not None:
        for j in range(N_SL):
            ck.close("conc(%d)" % j, top["conc"][j], DIRICHLET_ALPHA, 0.0)

    # G-LEARN ----------------------------------------------------------------
    seen = set()
    ties = 0
    fma_n = 0
    succ_bad = {}    # (k, pol): successors differing from libmarlgame's
    plain_diff = {}  # (k, pol): successors two roundings would change
    for case in cases:
        k, pol = case["k"], case["pol"]
        seen.add((k, pol, case["full"]))
        tag = "k=%d pol=%d" % (k, pol)
        pi_l = {sg: {sl: local_policy(pol, sl, sg) for sl in range(N_SL)}
                for sg in range(N_SG)}
        P_l_pi, r_l_pi = marginalise(P_l, R_l, pi_l)
        if not fma_n:
            fma_n = check_fma(ck, P_l_pi)
        for sg in range(N_SG):
            for j in range(N_SL):
                for jp in range(N_SL):
                    ck.close("%s P~_l(%d|%d,%d)" % (tag, jp, j, sg),
                             case["Pt"][(sg * N_SL + j) * N_SL + jp],
                             P_l_pi[j, sg][jp], 0.0)
                ck.close("%s r~_l(%d,%d)" % (tag, j, sg),
                         case["rt"][sg * N_SL + j], r_l_pi[j, sg], 0.0)
        full = case["full"]
        opt = GlobalAgentOptimizer(k, P_g, P_l_pi, R_g, r_l_pi,
                                   MAX_VI if full else 0)
        if full:
            ck.equal("%s sweeps run by the reference" % tag, opt.sweeps,
                     MAX_VI)
        ck.equal("%s number of count vectors" % tag,
                 len(case["S"]), N_SG * opt.n_dists)
        succ_bad[k, pol] = plain_diff[k, pol] = 0
        for sg in range(N_SG):
            plain = expected_counts(opt.dist_list, P_l_pi, sg, mul_add)
            for di, d in enumerate(opt.dist_list):
                ref_next = opt.dist_list[opt.det_next[sg][di]]
                if case["S"].get((sg, d)) != ref_next:
                    succ_bad[k, pol] += 1
                ck.equal("%s successor of (s_g=%d, c=%s)" % (tag, sg, d),
                         case["S"].get((sg, d)), ref_next)
                if plain[di] != opt.expected[sg][di]:
                    plain_diff[k, pol] += \
                        round_to_counts(plain[di], k) != ref_next
        for (t, sg, c), v in case["V"].items():
            ck.close("%s V_%d(s_g=%d, c=%s)" % (tag, t, sg, c), v,
                     opt.history[t][sg][opt.dist_to_idx[c]], 1e-9)
        pol_ref = opt.policy()
        for (sg, c), (a, pa) in case["A"].items():
            ck.equal("%s pi_g row (s_g=%d, c=%s) deterministic" % (tag, sg, c),
                     pa, 1.0)
            if a != pol_ref[sg, c]:
                q = opt.Q[sg][opt.dist_to_idx[c]]
                if abs(q[a] - q[pol_ref[sg, c]]) < 1e-12 * max(1.0, abs(q[a])):
                    ties += 1
                    continue
            ck.equal("%s greedy a_g(s_g=%d, c=%s)" % (tag, sg, c), a,
                     pol_ref[sg, c])
    ck.equal("cases", sorted(seen),
             sorted([(k, p, 1) for k in (1, 2, 4) for p in range(3)] +
                    [(k, p, 0) for k in (8, 12, 20) for p in range(3)]))
    print("%d comparisons, %d mismatches, %d greedy actions differing at a "
          "near-tie of the reference's Q; fma_count checked against fma_exact "
          "on %d cases"
          % (ck.checked, ck.failures, ties, fma_n))
    for (k, pol), n in sorted(succ_bad.items()):
        if n:
            print("k=%d pol=%d: %d successors differ from the reference's"
                  % (k, pol, n))
    print("information: successors that a separate multiply and add (two "
          "roundings) would change, per k and local policy: %s"
          % ", ".join("k=%d pol=%d: %d" % (k, pol, n)
                      for (k, pol), n in sorted(plain_diff.items()) if n))
    return 1 if ck.failures else 0


if __name__ == "__main__":
    sys.exit(main())
