#!/usr/bin/env python3
"""End-to-end checks of the `marlgame` program.

usage: check_cli.py MARLGAME_EXE WORK_DIR

Runs list, demo, solve (with --trace and --save-policy, CSV and blob), eval
(uniform, random:SEED and the saved files) and checks the outputs parse and
agree: the Nash-gap printed by eval for a saved policy equals the final
Nash-gap printed by solve, the trace has one row per iteration, the saved
CSV policy is a pure distribution, and bad input gives exit status 2 (usage)
or 1 (library/file errors) with a message on stderr.
"""
import csv
import math
import os
import re
import subprocess
import sys

EXE = sys.argv[1]
WORK = os.path.join(sys.argv[2], "cli-roundtrip")
os.makedirs(WORK, exist_ok=True)
failures = []


def run(*args, expect=0):
    p = subprocess.run([EXE, *args], capture_output=True, text=True,
                       timeout=60)
    if p.returncode != expect:
        failures.append("%s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
                        % (" ".join(args), p.returncode, expect, p.stdout,
                           p.stderr))
    return p


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def values(text):
    """name = number lines (number may be nan)."""
    out = {}
    for m in re.finditer(r"^\s*([a-z_0-9]+) = (\S+)", text, re.M):
        out[m.group(1)] = float(m.group(2))
    return out


GAME = ["--game", "coordination", "--param", "N=3", "--param", "eps=0.1"]

# ---- list, version, help, demo ------------------------------------------
p = run("list")
for word in ("coordination", "markov-best-response", "epsilon", "markov",
             "nash_gap", "default"):
    check(word in p.stdout, "list output lacks %r" % word)
p = run("--version")
check(re.match(r"^marlgame \d+\.\d+\.\d+\s*$", p.stdout),
      "bad --version output %r" % p.stdout)
p = run("help")
check("usage:" in p.stdout and "solve" in p.stdout, "help lacks usage")
p = run("demo")
check("Converged" in p.stdout, "demo did not converge:\n" + p.stdout)
check("Uniform policy" in p.stdout, "demo lacks the uniform comparison")
check(len(p.stdout.splitlines()) < 40, "demo output is not short")

# ---- solve with trace and blob ------------------------------------------
trace = os.path.join(WORK, "trace.csv")
blob = os.path.join(WORK, "policy.bin")
pcsv = os.path.join(WORK, "policy.csv")
for f in (trace, blob, pcsv):
    if os.path.exists(f):
        os.remove(f)
p = run("solve", *GAME, "--solver", "markov-best-response", "--set",
        "epsilon=1e-12", "--seed", "7", "--trace", trace, "--save-policy",
        blob)
out = p.stdout
check("status: converged" in out, "solve did not converge:\n" + out)
m = re.search(r"^iterations: (\d+)$", out, re.M)
iters = int(m.group(1)) if check(m, "no iterations line") else 0
check("epsilon=1e-12" in out, "options line lacks epsilon=1e-12:\n" + out)
check("seed=7" in out, "options line lacks seed=7")
header = [l for l in out.splitlines() if l.split()[:2] == ["iteration",
                                                          "seconds"]]
check(len(header) == 1 and header[0].split() ==
      ["iteration", "seconds", "nash_gap", "potential", "welfare", "poa"],
      "bad table header %r" % header)
table = [l for l in out.splitlines() if re.match(r"^\s+\d+\s", l)]
check(len(table) == iters, "%d table lines for %d iterations"
      % (len(table), iters))
final = values(out)
check(final.get("nash_gap", 1.0) <= 1e-12, "final nash_gap %r" % final)

# Trace: header = metric names, one row per iteration.
if check(os.path.exists(trace), "no trace file"):
    with open(trace, newline="") as f:
        rows = list(csv.reader(f))
    check(rows[0] == ["iteration", "seconds", "nash_gap", "potential",
                      "welfare", "poa"], "trace header %r" % rows[0])
    body = [[float(x) for x in r] for r in rows[1:]]
    check(len(body) == iters, "trace has %d rows, expected %d"
          % (len(body), iters))
    check([r[0] for r in body] == [float(k + 1) for k in range(len(body))],
          "trace iteration column")
    check(all(body[k][1] <= body[k + 1][1] for k in range(len(body) - 1)),
          "trace seconds not monotone")
    check(all(body[k][3] <= body[k + 1][3] + 1e-9
              for k in range(len(body) - 1)),
          "potential decreased along best responses")
    if body:
        check(body[-1][2] == final.get("nash_gap"),
              "trace nash_gap %r != summary %r" % (body[-1][2],
                                                    final.get("nash_gap")))
        check(abs(body[-1][4] - final.get("welfare", 0)) == 0.0,
              "trace welfare differs from the summary")

if check(os.path.exists(blob), "no policy blob"):
    with open(blob, "rb") as f:
        check(f.read(8) == b"MARLPOL1", "blob magic")

# ---- solve saving CSV (quiet) --------------------------------------------
p = run("solve", *GAME, "--solver", "markov-best-response", "--quiet",
        "--tol", "1e-9", "--iters", "0", "--save-policy", pcsv)
check(not re.search(r"^\s+\d+\s", p.stdout, re.M),
      "--quiet printed iteration lines")
check("status: converged" in p.stdout, "quiet solve did not converge")
final_csv = values(p.stdout)
if check(os.path.exists(pcsv), "no policy CSV"):
    with open(pcsv, newline="") as f:
        rows = list(csv.reader(f))
    check(rows[0] == ["agent", "step", "state", "action", "prob"],
          "policy CSV header %r" % rows[0])
    sums = {}
    for r in rows[1:]:
        key = (int(r[0]), int(r[1]), int(r[2]))
        sums[key] = sums.get(key, 0.0) + float(r[4])
        check(float(r[4]) == 1.0, "policy is not pure: %r" % r)
    check(len(sums) == 3 * 8, "policy CSV has %d rows" % len(sums))
    check(all(abs(s - 1.0) <= 1e-12 for s in sums.values()),
          "policy CSV rows do not sum to 1")

# ---- eval ------------------------------------------------------------------


def check_eval(text, n_agents, label):
    v = values(text)
    for k in ["nash_gap", "welfare", "optimal_welfare", "poa", "potential"] + \
            ["value_%d" % i for i in range(n_agents)] + \
            ["gain_%d" % i for i in range(n_agents)]:
        if not check(k in v, "%s: eval lacks %s:\n%s" % (label, k, text)):
            return v
    gains = [v["gain_%d" % i] for i in range(n_agents)]
    vals = [v["value_%d" % i] for i in range(n_agents)]
    check(v["nash_gap"] >= -1e-9 and v["nash_gap"] == max(gains),
          "%s: nash_gap != max gain" % label)
    check(abs(v["welfare"] - sum(vals)) <= 1e-9, "%s: welfare != sum V_i"
          % label)
    check(abs(v["poa"] - v["welfare"] / v["optimal_welfare"]) <= 1e-12,
          "%s: poa != welfare / optimal" % label)
    check(v["welfare"] <= v["optimal_welfare"] + 1e-9,
          "%s: welfare above the optimum" % label)
    # Team reward: V_i = Phi for every agent.
    check(all(abs(x - v["potential"]) <= 1e-9 for x in vals),
          "%s: V_i != potential in a team game" % label)
    return v


for spec, ref in ((blob, final), (pcsv, final_csv)):
    p = run("eval", *GAME, "--policy", spec)
    v = check_eval(p.stdout, 3, spec)
    check(v.get("nash_gap") == ref.get("nash_gap"),
          "eval %s nash_gap %r != solve's %r" % (spec, v.get("nash_gap"),
                                                  ref.get("nash_gap")))
    check(abs(v.get("welfare", 0) - ref.get("welfare", 1)) <= 1e-12,
          "eval %s welfare differs from solve's" % spec)

p = run("eval", *GAME, "--policy", "uniform")
u = check_eval(p.stdout, 3, "uniform")
# With N = 3 the uniform policy is itself a (poor) equilibrium: every agent
# expects reward 1 per step whatever it does, so V_i = 1 / (1 - 0.95) = 20.
check(abs(u.get("nash_gap", 1.0)) <= 1e-9, "uniform Nash-gap not ~0")
check(abs(u.get("value_0", 0.0) - 20.0) <= 1e-9, "uniform V_0 != 20")
r1 = run("eval", *GAME, "--policy", "random:1")
v1 = check_eval(r1.stdout, 3, "random:1")
check(v1.get("nash_gap", 0.0) > 1e-6, "random:1 has ~zero Nash-gap")
r1b = run("eval", *GAME, "--policy", "random:1")
check(r1.stdout == r1b.stdout, "random:1 is not reproducible")
r2 = run("eval", *GAME, "--policy", "random:2")
check(values(r2.stdout).get("nash_gap") != values(r1.stdout).get("nash_gap"),
      "random:1 and random:2 agree")

# ---- errors: exit status and messages -------------------------------------
usage_cases = [
    [], ["frobnicate"], ["list", "extra"], ["demo", "extra"],
    ["solve", "--solver", "markov-best-response"],
    ["solve", "--game", "coordination"],
    ["solve", *GAME, "--solver", "markov-best-response", "--iters", "x"],
    ["solve", *GAME, "--solver", "markov-best-response", "--tol", "nan"],
    ["solve", *GAME, "--solver", "markov-best-response", "--seed", "-1"],
    ["solve", *GAME, "--solver", "markov-best-response", "--bogus"],
    ["solve", *GAME, "--solver", "markov-best-response", "--set", "eps"],
    ["solve", *GAME, "--solver"],
    ["eval", *GAME],
    ["eval", "--policy", "uniform"],
    ["eval", *GAME, "--policy", "random:x"],
    ["eval", "--game", "coordination", "--param", "N"],
]
for args in usage_cases:
    p = run(*args, expect=2)
    check("marlgame" in p.stderr, "no message for %r" % args)
    check(p.stdout == "" or not args, "usage error wrote to stdout %r" % args)

bad_blob = os.path.join(WORK, "corrupt.bin")
if os.path.exists(blob):
    data = bytearray(open(blob, "rb").read())
    data[-1] ^= 0xFF
    open(bad_blob, "wb").write(bytes(data))
bad_csv = os.path.join(WORK, "bad.csv")
open(bad_csv, "w").write("agent,step,state,action,prob\n0,0,0,0,0.5\n")
library_cases = [
    (["solve", "--game", "no-such-game", "--solver", "markov-best-response"],
     "no-such-game"),
    (["solve", "--game", "coordination", "--param", "N=99", "--solver",
      "markov-best-response"], "N"),
    (["solve", *GAME, "--solver", "no-such-solver"], "no-such-solver"),
    (["solve", *GAME, "--solver", "markov-best-response", "--set",
      "epsilon=-1"], "epsilon"),
    (["solve", *GAME, "--solver", "markov-best-response", "--set",
      "nope=1"], "nope"),
    (["eval", *GAME, "--policy", os.path.join(WORK, "missing.bin")],
     "missing.bin"),
    (["eval", *GAME, "--policy", bad_blob], "corrupt.bin"),
    (["eval", *GAME, "--policy", bad_csv], "bad.csv"),
    (["eval", "--game", "coordination", "--param", "N=2", "--policy", blob],
     "policy"),
]
for args, needle in library_cases:
    p = run(*args, expect=1)
    check(needle in p.stderr, "stderr for %r lacks %r: %r"
          % (args, needle, p.stderr))

if failures:
    print("\n\n".join(failures))
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("all CLI checks passed")
