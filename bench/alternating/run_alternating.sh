#!/bin/sh
# The issue 6 (ALTERNATING-MARL) benchmark and figures in one command:
#
#   bench/alternating/run_alternating.sh [BUILD_DIR [OUT_DIR]]
#       (defaults: build, BUILD_DIR/alternating-results)
#
# 1. builds bench/alternating/alternating_warehouse (ninja),
# 2. runs the seed 004 App. G.1 experiment on `warehouse` for KS, single
#    threaded (PIN_CPU=1 also pins it to CPU 0 with taskset), then the large
#    k of BIG_KS (training and evaluation only matter there),
# 3. draws reward and runtime vs k with gnuplot (plot_alternating.gp), with
#    the reference implementation's figures on the same charts,
# 4. prints the JSON lines.
#
# Outputs in OUT_DIR: alternating_warehouse.jsonl, alternating_warehouse.csv,
# alternating_big.csv, alternating_reward.png, alternating_runtime.png.
#
# Environment (defaults in brackets):
#   KS [1,2,4,8,12,16,20]  BIG_KS [30,50] ("" = none)  SEEDS [15]
#   ROLLOUTS [50]  HORIZON [50]  ITERATIONS [5]  SWEEPS [100]  RUNS [5]
#   MODE_EPISODES [100]  TRAIN_EVAL [montecarlo]
#   QUICK=1   KS=1,2,4 BIG_KS="" SEEDS=3 ROLLOUTS=10 RUNS=1 MODE_EPISODES=5
#   CHECK=1   validate the outputs (python3): exit 1 if something is missing
#             or does not parse, 77 (skip) if python3 or gnuplot is missing
#   NO_BUILD=1  do not run ninja (the meson test bench-alternating-smoke)
# SPDX-License-Identifier: MIT
set -eu

BUILD=${1:-build}
OUT=${2:-$BUILD/alternating-results}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${QUICK:-0}" = 1 ]; then
    : "${KS:=1,2,4}" "${BIG_KS:=}" "${SEEDS:=3}" "${ROLLOUTS:=10}"
    : "${RUNS:=1}" "${MODE_EPISODES:=5}"
fi
: "${KS:=1,2,4,8,12,16,20}" "${BIG_KS=30,50}" "${SEEDS:=15}" "${ROLLOUTS:=50}"
: "${HORIZON:=50}" "${ITERATIONS:=5}" "${SWEEPS:=100}" "${RUNS:=5}"
: "${MODE_EPISODES:=100}" "${TRAIN_EVAL:=montecarlo}"

OPENBLAS_NUM_THREADS=1
OMP_NUM_THREADS=1
export OPENBLAS_NUM_THREADS OMP_NUM_THREADS

if [ "${NO_BUILD:-0}" != 1 ]; then
    ninja -C "$BUILD" bench/alternating/alternating_warehouse >&2
fi
EXE=$BUILD/bench/alternating/alternating_warehouse
[ -x "$EXE" ] || { echo "run_alternating.sh: $EXE not found (build first)" >&2; exit 1; }
PIN=""
if [ "${PIN_CPU:-0}" = 1 ] && command -v taskset >/dev/null 2>&1 &&
   taskset -c 0 true 2>/dev/null; then
    PIN="taskset -c 0"
fi

mkdir -p "$OUT" "$OUT/big"
rm -f "$OUT"/*.jsonl "$OUT"/*.csv "$OUT"/*.png "$OUT"/big/*
start=$(date +%s)
common="--seeds $SEEDS --rollouts $ROLLOUTS --horizon $HORIZON \
 --iterations $ITERATIONS --sweeps $SWEEPS --train-eval $TRAIN_EVAL"
echo "run_alternating.sh: warehouse k=$KS" >&2
# shellcheck disable=SC2086
$PIN "$EXE" --out "$OUT" --k "$KS" --runs "$RUNS" \
    --mode-episodes "$MODE_EPISODES" $common > "$OUT/alternating_warehouse.jsonl"
if [ -n "$BIG_KS" ]; then
    echo "run_alternating.sh: warehouse k=$BIG_KS" >&2
    # shellcheck disable=SC2086
    $PIN "$EXE" --out "$OUT/big" --k "$BIG_KS" --runs 1 --mode-episodes 0 \
        $common >> "$OUT/alternating_warehouse.jsonl"
    cp "$OUT/big/alternating_warehouse.csv" "$OUT/alternating_big.csv"
fi

have_gnuplot=0
if command -v gnuplot >/dev/null 2>&1; then
    have_gnuplot=1
    gnuplot -e "dir='$OUT'" "$HERE/plot_alternating.gp"
else
    echo "run_alternating.sh: gnuplot not found: no PNG figures" >&2
fi
cat "$OUT/alternating_warehouse.jsonl"
echo "run_alternating.sh: done in $(( $(date +%s) - start )) s; results in $OUT" >&2

[ "${CHECK:-0}" = 1 ] || exit 0

if ! command -v python3 >/dev/null 2>&1; then
    echo "run_alternating.sh: python3 not found: outputs not checked" >&2
    exit 77
fi
python3 - "$OUT" "$KS" "$have_gnuplot" <<'PYEOF'
import csv, json, math, os, sys
out, ks, have_gnuplot = sys.argv[1], [int(x) for x in sys.argv[2].split(',')], sys.argv[3] == '1'
errors = []
recs = []
with open(os.path.join(out, 'alternating_warehouse.jsonl')) as f:
    for i, line in enumerate(f, 1):
        try:
            recs.append(json.loads(line))
        except ValueError as e:
            errors.append(f"line {i}: not JSON: {e}")
per_k = [r for r in recs if r.get('bench') == 'alternating_warehouse']
if sorted(r.get('k') for r in per_k) != sorted(ks):
    errors.append(f"records for k={[r.get('k') for r in per_k]}, expected {ks}")
from math import comb
for r in per_k:
    if r.get('counts') != comb(r['k'] + 4, 4):
        errors.append(f"k={r['k']}: counts {r.get('counts')}")
    for key in ('glearn_seconds', 'llearn_seconds', 'seconds', 'eval_seconds',
                'reward', 'reward_std', 'mode_accuracy'):
        if not isinstance(r.get(key), (int, float)):
            errors.append(f"k={r['k']}: {key} missing")
    if isinstance(r.get('reward'), float) and not 20 < r['reward'] < 220:
        errors.append(f"k={r['k']}: reward {r['reward']} implausible")
    if isinstance(r.get('mode_accuracy'), float) and not 0 <= r['mode_accuracy'] <= 1:
        errors.append(f"k={r['k']}: mode accuracy {r['mode_accuracy']}")
with open(os.path.join(out, 'alternating_warehouse.csv')) as f:
    rows = list(csv.DictReader(f))
if len(rows) != len(ks):
    errors.append(f"csv: {len(rows)} rows, expected {len(ks)}")
for row in rows:
    for key in ('glearn_s', 'train_s', 'eval_s', 'reward'):
        try:
            float(row[key])
        except (KeyError, ValueError):
            errors.append(f"csv k={row.get('k')}: {key} = {row.get(key)!r}")
if have_gnuplot:
    for png in ('alternating_reward.png', 'alternating_runtime.png'):
        p = os.path.join(out, png)
        if not os.path.exists(p) or os.path.getsize(p) == 0:
            errors.append(f"{png} missing")
for e in errors:
    print("run_alternating.sh: CHECK:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PYEOF
[ "$have_gnuplot" = 1 ] || exit 77
