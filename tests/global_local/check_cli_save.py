#!/usr/bin/env python3
"""`marlgame solve --save-policy` for alternating-* solvers (docs/cli.md).

usage: check_cli_save.py MARLGAME GL_SOLVE_EVAL TMPDIR

Solves the warehouse game with alternating-glearn (k = 2, a few sweeps),
saves the policy pair (CSV, also under a non-.csv name), checks the file
independently (row set, distributions), then evaluates it with
`marlgame eval` and compares, digit for digit, with the evaluation of the
same solver's policy done directly in C (gl_solve_eval, no file). The
uniform policy's return must differ (the file is really used).
SPDX-License-Identifier: MIT
"""
import math
import os
import re
import subprocess
import sys

exe, helper, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(tmp, exist_ok=True)
PARAMS = "n=40"
GAME = ["--game", "warehouse", "--param", PARAMS]
K, ITERS, SOLVE_SEED = "2", "3", "5"
R, H, EVAL_SEED = "6", "30", "11"


def run(cmd, code=0):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != code:
        sys.exit("%s: exit %d (expected %d)\n%s%s" % (
            " ".join(cmd), p.returncode, code, p.stdout, p.stderr))
    return p.stdout + p.stderr


def value(text, key):
    m = re.search(r"^\s*%s = (\S+)$" % re.escape(key), text, re.M)
    if not m:
        sys.exit("no '%s' in:\n%s" % (key, text))
    return m.group(1)


solve = [exe, "solve"] + GAME + [
    "--solver", "alternating-glearn", "--set", "k=" + K, "--set",
    "estimator=expected", "--iters", ITERS, "--seed", SOLVE_SEED, "--quiet"]
csv = os.path.join(tmp, "glearn.csv")
other = os.path.join(tmp, "glearn.bin")
run(solve + ["--save-policy", csv])
run(solve + ["--save-policy", other])
text = open(csv).read()
if open(other).read() != text:
    sys.exit("the .bin save differs from the .csv save")

# Independent check of the file: warehouse has |S_g| = |A_g| = |S_l| = 5
# zones and |A_l| = 3 moves; C = C(k + 4, 4) count vectors.
Sg, Ag, Sl, Al = 5, 5, 5, 3
C = math.comb(int(K) + Sl - 1, Sl - 1)
rows, k_rows = {}, []
for no, line in enumerate(text.splitlines(), 1):
    if not line or line.startswith("#"):
        continue
    f = line.split(",")
    if f[0] == "k":
        k_rows.append(f[1])
        continue
    key = (f[0], int(f[1]), int(f[2]))
    if key in rows:
        sys.exit("line %d: duplicate row %s" % (no, key))
    p = [float(x) for x in f[3:]]
    want = Ag if f[0] == "global" else Al
    if len(p) != want or min(p) < 0 or abs(sum(p) - 1) > 1e-9:
        sys.exit("line %d: not a distribution over %d actions" % (no, want))
    rows[key] = p
if k_rows != [K]:
    sys.exit("k rows %s, expected [%s]" % (k_rows, K))
expect = {("global", s, r) for s in range(Sg) for r in range(C)} | \
         {("local", s, g) for s in range(Sl) for g in range(Sg)}
if set(rows) != expect:
    sys.exit("row set differs: %d rows, expected %d" % (len(rows), len(expect)))
if all(abs(x - 1.0 / len(p)) < 1e-12 for p in rows.values() for x in p):
    sys.exit("the saved policy is uniform: the solver did nothing")

ev = [exe, "eval"] + GAME + ["--rollouts", R, "--horizon", H,
                             "--seed", EVAL_SEED]
out = run(ev + ["--policy", csv])
direct = run([helper, "warehouse", PARAMS, "alternating-glearn", K, ITERS,
              SOLVE_SEED, R, H, EVAL_SEED])
for key in ("mean_return", "half_width_95"):
    a, b = value(out, key), value(direct, key)
    if a != b:
        sys.exit("%s: eval of the saved file %s, direct %s" % (key, a, b))
uni = run(ev + ["--policy", "uniform", "--k", K])
if value(uni, "mean_return") == value(out, "mean_return"):
    sys.exit("the uniform policy evaluates the same: the file was not used")

# A truncated file is rejected naming the missing row (strict rows are not
# required by eval, which keeps unlisted rows uniform, but a broken row is).
bad = os.path.join(tmp, "bad.csv")
lines = text.splitlines()
lines[3] = lines[3] + ",0"
open(bad, "w").write("\n".join(lines) + "\n")
msg = run(ev + ["--policy", bad], code=1)
if "line 4" not in msg:
    sys.exit("the error does not name line 4:\n" + msg)
print("ok: eval of the saved pair = direct evaluation =", value(out,
                                                                 "mean_return"))
