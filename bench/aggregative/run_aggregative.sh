#!/bin/sh
# The aggregative benchmark and its figure in one command:
#
#   bench/aggregative/run_aggregative.sh [BUILD_DIR [OUT_DIR]]
#       (defaults: build, BUILD_DIR/aggregative-results)
#
# 1. builds bench/aggregative/aggregative_routing (ninja) unless NO_BUILD=1,
# 2. runs it single-threaded (OPENBLAS_NUM_THREADS=1): JSON lines to
#    OUT_DIR/aggregative_routing.jsonl, CSV to OUT_DIR/aggregative_routing.csv,
# 3. draws OUT_DIR/aggregative_routing.png (plot_aggregative.gp).
#
# Environment: QUICK=1 (d = 1 only, n = 100 and 1000, alpha = 0.1, one run),
#   DIM (only the configurations of that d), RUNS [3], BUDGET [120]
#   seconds per configuration (larger ones are skipped
#   and recorded with their projected time), CHECK=1 validates the outputs
#   (exit 1 if missing or malformed; 77 = skipped when gnuplot or python3 is
#   missing, after the checks that can run), NO_BUILD=1.
# SPDX-License-Identifier: MIT
set -eu

BUILD=${1:-build}
OUT=${2:-$BUILD/aggregative-results}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
if [ "${NO_BUILD:-0}" != 1 ]; then
    ninja -C "$BUILD" bench/aggregative/aggregative_routing >/dev/null
fi
BIN="$BUILD/bench/aggregative/aggregative_routing"
ARGS="--out $OUT --runs ${RUNS:-3} --budget ${BUDGET:-120}"
[ -n "${DIM:-}" ] && ARGS="$ARGS --d $DIM"
[ "${QUICK:-0}" = 1 ] && ARGS="$ARGS --quick"
OPENBLAS_NUM_THREADS=1 "$BIN" $ARGS > "$OUT/aggregative_routing.jsonl"

skip=0
if [ "${CHECK:-0}" = 1 ]; then
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$OUT" <<'PY'
import csv, json, sys
out = sys.argv[1]
rows = [json.loads(l) for l in open(out + "/aggregative_routing.jsonl")]
assert rows, "no JSON rows"
ran = [r for r in rows if not r["skipped"]]
assert ran, "every configuration was skipped"
for r in ran:
    for k in ("seconds", "nash_gap", "bound", "lps"):
        assert r[k] is not None and r[k] >= 0, (k, r)
    assert r["nash_gap"] <= r["bound"], r
c = list(csv.DictReader(open(out + "/aggregative_routing.csv")))
assert len(c) == len(rows), (len(c), len(rows))
PY
    else
        skip=1
    fi
fi
if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "csv='$OUT/aggregative_routing.csv'; png='$OUT/aggregative_routing.png'" \
        "$HERE/plot_aggregative.gp"
    if [ "${CHECK:-0}" = 1 ] && [ ! -s "$OUT/aggregative_routing.png" ]; then
        echo "run_aggregative.sh: no PNG" >&2
        exit 1
    fi
else
    skip=1
fi
cat "$OUT/aggregative_routing.jsonl"
[ "$skip" = 1 ] && [ "${CHECK:-0}" = 1 ] && exit 77
exit 0
