#!/usr/bin/env python3
"""End-to-end checks of `marlgame` on population games.

usage: check_cli_population.py MARLGAME_EXE WORK_DIR

solve rps/sis with mfg-omd and mfg-fictitious-play (saving the policy as
CSV and as a blob), eval the saved policies: the printed exact MFG
exploitability equals the solver's final one; eval of the uniform policy on
sis gives MFGLib's number (mfglib_ref.py); bad input gives exit status 2
(usage) or 1 (file errors).
"""
import os
import re
import subprocess
import sys

EXE = sys.argv[1]
WORK = os.path.join(sys.argv[2], "cli-population")
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


def value(text, key):
    m = re.search(r"^\s*%s = (\S+)$" % re.escape(key), text, re.M)
    return float(m.group(1)) if m else None


def close(a, b, tol, what):
    if a is None or b is None or abs(a - b) > tol:
        failures.append("%s: %r vs %r" % (what, a, b))


p = run("eval", "--game", "sis", "--policy", "uniform")
close(value(p.stdout, "mfg_exploitability"), 5.466873913228536, 1e-12,
      "sis uniform exploitability")
p = run("eval", "--game", "rps", "--policy", "uniform")
close(value(p.stdout, "mfg_exploitability"), 1.0 / 3.0, 1e-12,
      "rps uniform exploitability")
p = run("eval", "--game", "a-sis", "--param", "n=30", "--policy", "random:4")
e = value(p.stdout, "mfg_exploitability")
if e is None or e < -1e-12:
    failures.append("a-sis random exploitability: %r" % e)

for game in ("rps", "sis"):
    for solver in ("mfg-omd", "mfg-fictitious-play"):
        for ext in ("csv", "bin"):
            path = os.path.join(WORK, "%s-%s.%s" % (game, solver, ext))
            s = run("solve", "--game", game, "--solver", solver, "--iters",
                    "7", "--save-policy", path)
            final = value(s.stdout, "exploitability")
            ev = run("eval", "--game", game, "--policy", path)
            close(value(ev.stdout, "mfg_exploitability"), final, 1e-12,
                  "%s %s %s round trip" % (game, solver, ext))

run("eval", "--game", "sis", "--policy", "uniform", "--frobnicate",
    expect=2)
run("eval", "--game", "sis", "--policy", "random:x", expect=2)
run("eval", "--game", "sis", expect=2)
run("eval", "--game", "sis", "--policy",
    os.path.join(WORK, "does-not-exist.bin"), expect=1)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
