#!/bin/sh
# The issue 3 (Markov potential games) benchmarks and figures in one command:
#
#   bench/run_mpg.sh [BUILD_DIR [OUT_DIR]]      (defaults: build, BUILD_DIR/mpg-results)
#
# 1. builds bench/mpg_coordination and bench/mpg_distancing (ninja),
# 2. runs the seed 003 experiment on `coordination` (CSV traces and JSON),
# 3. runs the speed-goal timings alone, single-threaded (one BLAS thread;
#    PIN_CPU=1 also pins them to CPU 0 with taskset),
# 4. runs every MPG solver on `distancing`,
# 5. draws the PNG figures with gnuplot (bench/plot_mpg.gp),
# 6. prints the JSON summary lines (timings, best settings, distancing).
#
# Outputs in OUT_DIR: mpg_coordination.jsonl, mpg_distancing.jsonl,
# coordination/*.csv, distancing/*.csv, *.png.
#
# Environment (defaults in brackets):
#   SEEDS [10]  ITERS [400]  NS [2,3,5]  TIMING_NS [5,8]  TIMING_RUNS [9]
#   DIST_CAP [2000]  DIST_SECONDS [60]  DIST_TIMING_RUNS [5]
#   DIST_TUNED_CAP [200000]  iterations of the tuned softmax-PG run
#   DIST_TIMING_ITERS [10]   iterations per timing run (both structures)
#   JOBS [2]      trace processes run at once (one per N)
#   PIN_CPU=1     run the timings and distancing under taskset -c 0
#   QUICK=1       SEEDS=2 ITERS=50 DIST_CAP=20 DIST_SECONDS=5 TIMING_RUNS=3
#                 DIST_TIMING_RUNS=2 DIST_TUNED_CAP=100 DIST_TIMING_ITERS=2
#                 (each unless set explicitly)
#   CHECK=1       validate the outputs (python3): exit 1 if something is
#                 missing or does not parse, 77 (skip) if python3 or gnuplot
#                 is missing (after the checks that can still run)
#   NO_BUILD=1    do not run ninja (the meson test `bench-mpg-smoke` uses it)
# SPDX-License-Identifier: MIT
set -eu

BUILD=${1:-build}
OUT=${2:-$BUILD/mpg-results}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${QUICK:-0}" = 1 ]; then
    : "${SEEDS:=2}" "${ITERS:=50}" "${DIST_CAP:=20}" "${DIST_SECONDS:=5}"
    : "${TIMING_RUNS:=3}" "${DIST_TIMING_RUNS:=2}" "${DIST_TUNED_CAP:=100}"
    : "${DIST_TIMING_ITERS:=2}"
fi
: "${SEEDS:=10}" "${ITERS:=400}" "${NS:=2,3,5}" "${TIMING_NS:=5,8}"
: "${TIMING_RUNS:=9}" "${DIST_CAP:=2000}" "${DIST_SECONDS:=60}"
: "${DIST_TIMING_RUNS:=5}" "${DIST_TUNED_CAP:=200000}" "${JOBS:=2}"
: "${DIST_TIMING_ITERS:=10}"

# One BLAS/OpenMP thread: the goals are stated for one core.
OPENBLAS_NUM_THREADS=1
OMP_NUM_THREADS=1
export OPENBLAS_NUM_THREADS OMP_NUM_THREADS

if [ "${NO_BUILD:-0}" != 1 ]; then
    ninja -C "$BUILD" bench/mpg_coordination bench/mpg_distancing >&2
fi
COORD=$BUILD/bench/mpg_coordination
DIST=$BUILD/bench/mpg_distancing
for exe in "$COORD" "$DIST"; do
    [ -x "$exe" ] || { echo "run_mpg.sh: $exe not found (build first)" >&2; exit 1; }
done

mkdir -p "$OUT/coordination" "$OUT/distancing"
rm -f "$OUT"/*.jsonl "$OUT"/*.png "$OUT"/coordination/* "$OUT"/distancing/*
start=$(date +%s)

# ---- 2. traces: one process per N, JOBS at a time ---------------------------
echo "run_mpg.sh: coordination traces N=$NS, $SEEDS seeds, $ITERS iterations" >&2
ns_words=$(echo "$NS" | tr ',' ' ')
pids=""
running=0
for n in $ns_words; do
    "$COORD" --out "$OUT/coordination" --seeds "$SEEDS" --iters "$ITERS" \
        --n "$n" --no-timing > "$OUT/traces_N$n.part" &
    pids="$pids $!"
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        for p in $pids; do wait "$p" || { echo "run_mpg.sh: traces failed" >&2; exit 1; }; done
        pids=""
        running=0
    fi
done
for p in $pids; do wait "$p" || { echo "run_mpg.sh: traces failed" >&2; exit 1; }; done

# ---- 3. speed goals, alone, single-threaded ---------------------------------
echo "run_mpg.sh: timings N=$TIMING_NS ($TIMING_RUNS runs each)" >&2
PIN=""
if [ "${PIN_CPU:-0}" = 1 ] && command -v taskset >/dev/null 2>&1 &&
   taskset -c 0 true 2>/dev/null; then
    PIN="taskset -c 0"
fi
$PIN "$COORD" --no-traces --iters "$ITERS" --timing-runs "$TIMING_RUNS" \
    --timing-n "$TIMING_NS" > "$OUT/timing.part"
for n in $ns_words; do cat "$OUT/traces_N$n.part"; done > "$OUT/mpg_coordination.jsonl"
cat "$OUT/timing.part" >> "$OUT/mpg_coordination.jsonl"
rm -f "$OUT"/*.part

# ---- 4. distancing --------------------------------------------------------
echo "run_mpg.sh: distancing (cap $DIST_CAP iterations, $DIST_SECONDS s per solver)" >&2
$PIN "$DIST" --out "$OUT/distancing" --cap "$DIST_CAP" \
    --max-seconds "$DIST_SECONDS" --timing-runs "$DIST_TIMING_RUNS" \
    --timing-iters "$DIST_TIMING_ITERS" --tuned-cap "$DIST_TUNED_CAP" \
    > "$OUT/mpg_distancing.jsonl"

# ---- 5. figures -----------------------------------------------------------
have_gnuplot=0
if command -v gnuplot >/dev/null 2>&1; then
    have_gnuplot=1
    gnuplot -e "dir='$OUT'; ns='$ns_words'" "$HERE/plot_mpg.gp"
else
    echo "run_mpg.sh: gnuplot not found: no PNG figures" >&2
fi

# ---- 6. summary -----------------------------------------------------------
grep -h -e '"record":"timing"' -e '"record":"best"' "$OUT/mpg_coordination.jsonl"
cat "$OUT/mpg_distancing.jsonl"
echo "run_mpg.sh: done in $(( $(date +%s) - start )) s; results in $OUT" >&2

[ "${CHECK:-0}" = 1 ] || exit 0

# ---- checks (bench-mpg-smoke) ---------------------------------------------
if ! command -v python3 >/dev/null 2>&1; then
    echo "run_mpg.sh: python3 not found: outputs not checked" >&2
    exit 77
fi
python3 - "$OUT" "$SEEDS" "$ITERS" "$NS" "$TIMING_NS" "$have_gnuplot" <<'EOF'
import csv, json, math, os, sys
out, seeds, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ns = [int(x) for x in sys.argv[4].split(',')]
tns = [int(x) for x in sys.argv[5].split(',')]
have_gnuplot = sys.argv[6] == '1'
errors = []

def records(path):
    recs = []
    with open(path) as f:
        for k, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except ValueError as e:
                errors.append(f"{path}:{k}: not JSON: {e}")
                continue
            if not isinstance(r, dict) or 'bench' not in r:
                errors.append(f"{path}:{k}: not a benchmark record")
            recs.append(r)
    return recs

def number(x, where):
    try:
        v = float(x)
    except ValueError:
        errors.append(f"{where}: not a number: {x!r}")
        return float('nan')
    return v

coord = records(os.path.join(out, 'mpg_coordination.jsonl'))
methods = ['pg'] + ['pg-lb%g' % l for l in (0.01, 0.1, 1, 10, 100)] + \
          ['npg'] + ['npgbr-K%d' % k for k in (1, 5, 10, 20, 50)]
runs = [r for r in coord if r.get('record') == 'run']
if len(runs) != len(ns) * len(methods) * seeds:
    errors.append(f"expected {len(ns) * len(methods) * seeds} run records, got {len(runs)}")
for r in runs:
    if r.get('nash_gap') is None or r.get('poa') is None or r.get('seconds') is None:
        errors.append(f"run record without numbers: {r}")
for n in ns:
    if not [r for r in coord if r.get('record') == 'best' and r.get('n') == n]:
        errors.append(f"no best record for N={n}")
    for m in methods:
        path = os.path.join(out, 'coordination', f'coordination_N{n}_{m}.csv')
        try:
            with open(path) as f:
                rows = list(csv.reader(f))
        except OSError as e:
            errors.append(str(e))
            continue
        if rows[0] != ['seed', 'iteration', 'nash_gap', 'poa']:
            errors.append(f"{path}: header {rows[0]}")
        if len(rows) - 1 != seeds * (iters + 1):
            errors.append(f"{path}: {len(rows) - 1} rows, expected {seeds * (iters + 1)}")
        for k, row in enumerate(rows[1:], 2):
            gap, poa = number(row[2], f"{path}:{k}"), number(row[3], f"{path}:{k}")
            if not (gap >= -1e-9 and 0 < poa <= 1 + 1e-9):
                errors.append(f"{path}:{k}: nash_gap {gap}, poa {poa} out of range")
                break
        mpath = path[:-4] + '_mean.csv'
        try:
            with open(mpath) as f:
                mrows = list(csv.reader(f))
            if len(mrows) - 1 != iters + 1 or len(mrows[0]) != 5:
                errors.append(f"{mpath}: shape {len(mrows) - 1}x{len(mrows[0])}")
            for k, row in enumerate(mrows[1:], 2):
                for x in row:
                    number(x, f"{mpath}:{k}")
        except OSError as e:
            errors.append(str(e))
timing = [r for r in coord if r.get('record') == 'timing']
if sorted(r.get('n') for r in timing) != sorted(tns):
    errors.append(f"timing records for N={[r.get('n') for r in timing]}, expected {tns}")
for r in timing:
    if not (isinstance(r.get('seconds'), float) and isinstance(r.get('cpu_seconds'), float)):
        errors.append(f"timing record without seconds: {r}")

dist = records(os.path.join(out, 'mpg_distancing.jsonl'))
solvers = ['mpg-softmax-pg', 'mpg-npg', 'mpg-npg-br', 'mpg-projected-pg',
           'mpg-q-ascent', 'mpg-optimistic-q-ascent', 'mpg-q-ascent-sampled']
for s in solvers:
    conv = [r for r in dist if r.get('record') == 'convergence' and r.get('solver') == s
            and r.get('settings') == 'defaults']
    tim = [r for r in dist if r.get('record') == 'iteration_time' and r.get('solver') == s]
    if len(conv) != 1 or sorted(r.get('structure') for r in tim) != ['counts', 'dense']:
        errors.append(f"distancing: {len(conv)} convergence and {len(tim)} timing records for {s}")
        continue
    c = conv[0]
    if c.get('reached') != (c.get('iterations_to_tol') is not None):
        errors.append(f"distancing {s}: reached/iterations_to_tol disagree")
    path = os.path.join(out, 'distancing', f'distancing_{s}.csv')
    try:
        with open(path) as f:
            rows = list(csv.reader(f))
        if 'nash_gap' not in rows[0] or len(rows) - 1 != c.get('iterations'):
            errors.append(f"{path}: header {rows[0]}, {len(rows) - 1} rows")
        for k, row in enumerate(rows[1:], 2):
            for x in row:
                number(x, f"{path}:{k}")
    except OSError as e:
        errors.append(str(e))

tuned = [r for r in dist if r.get('record') == 'convergence'
         and r.get('settings') == 'eta=0.01,init=normal']
if len(tuned) != 1 or not os.path.exists(os.path.join(out, 'distancing',
                                                      'distancing_mpg-softmax-pg_tuned.csv')):
    errors.append(f"distancing: {len(tuned)} tuned softmax-PG records (expected 1, with its CSV)")

if have_gnuplot:
    for png in ('mpg_coordination_figure1.png', 'mpg_coordination_log_barrier.png',
                'mpg_coordination_npgbr_K.png', 'mpg_distancing.png'):
        path = os.path.join(out, png)
        try:
            with open(path, 'rb') as f:
                if f.read(8) != b'\x89PNG\r\n\x1a\n':
                    errors.append(f"{path}: not a PNG")
        except OSError as e:
            errors.append(str(e))
for e in errors[:40]:
    print("check:", e, file=sys.stderr)
if errors:
    sys.exit(1)
print(f"check: {len(coord)} coordination and {len(dist)} distancing records, CSV traces "
      f"and{'' if have_gnuplot else ' no'} PNG figures OK", file=sys.stderr)
sys.exit(0 if have_gnuplot else 77)
EOF
