#!/usr/bin/env python3
"""`marlgame solve` / `marlgame eval` on aggregative games (docs/aggregative.md).

usage: check_cli_amg.py MARLGAME TMPDIR

solve saves Aggre-BI's policy; eval of that CSV, of the same policy in the
compact format (converted here) and the solver's final nash_gap agree
exactly; the three solvers run; bad policies fail with the documented
messages and exit codes.
SPDX-License-Identifier: MIT
"""
import os
import re
import subprocess
import sys

exe, tmp = sys.argv[1], sys.argv[2]
os.makedirs(tmp, exist_ok=True)
GAME = ["--game", "routing", "--param", "n=30", "--param", "m=2",
        "--param", "horizon=3"]


def run(args, code=0):
    p = subprocess.run([exe] + args, capture_output=True, text=True)
    if p.returncode != code:
        sys.exit("%s: exit %d (expected %d)\n%s%s" % (
            " ".join(args), p.returncode, code, p.stdout, p.stderr))
    return p.stdout + p.stderr


def value(text, key):
    m = re.search(r"^\s*%s = (\S+)$" % re.escape(key), text, re.M)
    if not m:
        sys.exit("no '%s' in:\n%s" % (key, text))
    return m.group(1)


pol = os.path.join(tmp, "bi.csv")
out = run(["solve"] + GAME + ["--solver", "aggregative-bi", "--quiet",
                              "--save-policy", pol])
gap = value(out, "nash_gap")
ev = run(["eval"] + GAME + ["--policy", pol, "--alpha", "0.05"])
assert value(ev, "nash_gap") == gap, (gap, ev)
assert float(value(ev, "eps_solve(alpha = 0.05)")) > float(gap)
assert value(ev, "welfare") == value(out, "welfare")

# the compact format: step,state,agent,action
rows = []
for line in open(pol).read().splitlines()[1:]:
    agent, step, state, action, prob = line.split(",")
    assert float(prob) == 1.0
    rows.append((int(step), int(state), int(agent), int(action)))
compact = os.path.join(tmp, "compact.csv")
with open(compact, "w") as f:
    f.write("step,state,agent,action\n")
    for r in reversed(rows):  # any order
        f.write("%d,%d,%d,%d\n" % r)
ev2 = run(["eval"] + GAME + ["--policy", compact])
assert value(ev2, "nash_gap") == gap

for solver in ("aggregative-statewise", "aggregative-vi"):
    run(["solve"] + GAME + ["--solver", solver, "--iters", "3", "--quiet"])

# bad inputs
with open(compact, "w") as f:
    f.write("step,state,agent,action\n0,0,0,1\n0,0,0,1\n")
assert "listed twice" in run(["eval"] + GAME + ["--policy", compact], 1)
with open(compact, "w") as f:
    f.write("step,state,agent,action\n0,0,0,1\n")
assert "missing" in run(["eval"] + GAME + ["--policy", compact], 1)
with open(compact, "w") as f:
    f.write("step,state,agent,action\n0,0,0,7\n")
assert "out of range" in run(["eval"] + GAME + ["--policy", compact], 1)
assert "only 2 actions" in run(["eval"] + GAME + ["--policy", "action:5"], 2)
assert "not pure" in run(["eval"] + GAME + ["--policy", "uniform"], 1)
run(["eval"] + GAME + ["--policy", "random:3"])
run(["eval"] + GAME + ["--policy", "action:1", "--frob"], 2)
print("ok")
