#!/usr/bin/env python3
"""Independent pure-Python re-implementation of MFGLib's definitions
(mean_field, QFn.optimal / for_policy, exploitability_score,
OnlineMirrorDescent, FictitiousPlay) on its rock_paper_scissors and
susceptible_infected environments, following MFGLib's tensor layout
(p[s', s, a]). Prints the reference numbers that test_solvers.c embeds:

    python3 tests/population/mfglib_ref.py

No numpy (plain lists, float64)."""
import math


def rps_prob(t, L):
    p = [[[0.0] * 3 for _ in range(4)] for _ in range(4)]
    for s in range(4):
        for a in range(3):
            p[1 + a][s][a] = 1.0
    return p


def rps_reward(t, L):
    mu = [sum(L[s]) for s in range(4)]
    r = [[0.0] * 3 for _ in range(4)]
    for a in range(3):
        r[1][a] = 2 * mu[3] - mu[2]
        r[2][a] = 4 * mu[1] - 2 * mu[3]
        r[3][a] = 6 * mu[2] - 3 * mu[1]
    return r


def sis_prob(t, L):
    mu = [sum(L[s]) for s in range(2)]
    p = [[[0.0] * 2 for _ in range(2)] for _ in range(2)]
    for s in range(2):
        for a in range(2):
            if s == 1:
                p[0][s][a] = 0.3
                p[1][s][a] = 0.7
            elif a == 0:
                p[1][s][a] = (0.9 ** 2) * mu[1]
                p[0][s][a] = 1.0 - (0.9 ** 2) * mu[1]
            else:
                p[0][s][a] = 1.0
    return p


def sis_reward(t, L):
    return [[0.0, -0.5], [-1.0, -1.5]]


ENVS = {
    "rps": dict(T=1, S=4, A=3, mu0=[1.0, 0.0, 0.0, 0.0], prob=rps_prob,
                reward=rps_reward),
    "sis": dict(T=50, S=2, A=2, mu0=[0.4, 0.6], prob=sis_prob,
                reward=sis_reward),
}


def mean_field(env, pi):
    T, S, A = env["T"], env["S"], env["A"]
    L = [[[env["mu0"][s] * pi[0][s][a] for a in range(A)] for s in range(S)]]
    for t in range(1, T + 1):
        p = env["prob"](t - 1, L[t - 1])
        m = [sum(p[s2][s][a] * L[t - 1][s][a] for s in range(S)
                 for a in range(A)) for s2 in range(S)]
        L.append([[pi[t][s][a] * m[s] for a in range(A)] for s in range(S)])
    return L


def q_values(env, L, future):
    T, S, A = env["T"], env["S"], env["A"]
    q = [None] * (T + 1)
    q[T] = env["reward"](T, L[T])
    for t in range(T - 1, -1, -1):
        r = env["reward"](t, L[t])
        p = env["prob"](t, L[t])
        v = future(t, q)
        q[t] = [[r[s][a] + sum(p[s2][s][a] * v[s2] for s2 in range(S))
                 for a in range(A)] for s in range(S)]
    return q


def q_opt(env, L):
    return q_values(env, L, lambda t, q: [max(row) for row in q[t + 1]])


def q_pol(env, L, pi):
    A = env["A"]
    return q_values(env, L, lambda t, q: [
        sum(pi[t + 1][s][a] * q[t + 1][s][a] for a in range(A))
        for s in range(env["S"])])


def exploitability(env, pi):
    L = mean_field(env, pi)
    qo, qp = q_opt(env, L), q_pol(env, L, pi)
    S, A, mu0 = env["S"], env["A"], env["mu0"]
    e1 = sum(mu0[s] * max(qo[0][s]) for s in range(S))
    e2 = sum(mu0[s] * sum(pi[0][s][a] * qp[0][s][a] for a in range(A))
             for s in range(S))
    return e1 - e2


def softmax(y):
    m = max(y)
    e = [math.exp(x - m) for x in y]
    z = sum(e)
    return [x / z for x in e]


def omd(env, pi, alpha, iters):
    T, S, A = env["T"], env["S"], env["A"]
    y = [[[0.0] * A for _ in range(S)] for _ in range(T + 1)]
    out = []
    for _ in range(iters):
        L = mean_field(env, pi)
        Q = q_pol(env, L, pi)
        y = [[[y[t][s][a] + alpha * Q[t][s][a] for a in range(A)]
              for s in range(S)] for t in range(T + 1)]
        pi = [[softmax(y[t][s]) for s in range(S)] for t in range(T + 1)]
        out.append(exploitability(env, pi))
    return pi, out


def greedy(env, L):
    q = q_opt(env, L)
    res = []
    for qt in q:
        rows = []
        for row in qt:
            m = max(row)
            mask = [1.0 if x == m else 0.0 for x in row]
            c = sum(mask)
            rows.append([x / c for x in mask])
        res.append(rows)
    return res


def fp(env, pi, alpha, iters):
    T, S, A = env["T"], env["S"], env["A"]
    out = []
    for i in range(iters):
        L = mean_field(env, pi)
        br = greedy(env, L)
        Lb = mean_field(env, br)
        ai = alpha if alpha else 1 / (i + 2)
        new = []
        for t in range(T + 1):
            rows = []
            for s in range(S):
                mu, mb = sum(L[t][s]), sum(Lb[t][s])
                den = (1 - ai) * mu + ai * mb
                row = []
                for a in range(A):
                    num = (1 - ai) * mu * pi[t][s][a] + ai * mb * br[t][s][a]
                    row.append(num / den if den != 0 else 1.0 / A)
                rows.append(row)
            new.append(rows)
        pi = new
        out.append(exploitability(env, pi))
    return pi, out


def uniform(env):
    A = env["A"]
    return [[[1.0 / A] * A for _ in range(env["S"])]
            for _ in range(env["T"] + 1)]


if __name__ == "__main__":
    for name, env in ENVS.items():
        print(f"{name} uniform exploitability {exploitability(env, uniform(env)):.17g}")
        for alpha in (1.0, 0.3):
            _, e = omd(env, uniform(env), alpha, 5)
            print(f"{name} omd alpha={alpha} " + " ".join(f"{x:.17g}" for x in e))
        for alpha in (0.0, 0.4):
            _, e = fp(env, uniform(env), alpha, 5)
            print(f"{name} fp alpha={alpha} " + " ".join(f"{x:.17g}" for x in e))
