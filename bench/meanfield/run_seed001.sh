#!/bin/sh
# The seed 001 experiment (Symm-PMD vs IPMD on A-RPS and A-SIS) and the
# mean-field speed goals in one command:
#
#   bench/meanfield/run_seed001.sh [BUILD_DIR [OUT_DIR]]
#        (defaults: build, BUILD_DIR/seed001-results)
#
# 1. builds bench/meanfield/meanfield_seed001 (ninja),
# 2. runs it (JSON records in OUT_DIR/meanfield_seed001.jsonl, CSV traces
#    OUT_DIR/seed001_<game>_<solver>.csv),
# 3. draws OUT_DIR/meanfield_seed001.png (the seed's Figure 1 b, c) with
#    gnuplot (bench/meanfield/plot_seed001.gp),
# 4. prints the JSON summary.
# Environment: QUICK=1 (6 epochs, 3 TD epochs, tiny estimates), CHECK=1
# (validate the outputs with python3: exit 1 on a missing or malformed
# output, 77 when python3 or gnuplot is missing), NO_BUILD=1 (do not run
# ninja), EPOCHS, TD_EPOCHS (override the defaults 100 and 20).
# SPDX-License-Identifier: MIT
set -eu

BUILD=${1:-build}
OUT=${2:-$BUILD/seed001-results}
HERE=$(cd "$(dirname "$0")" && pwd)
OPENBLAS_NUM_THREADS=1
export OPENBLAS_NUM_THREADS

if [ "${NO_BUILD:-0}" != 1 ]; then
    ninja -C "$BUILD" bench/meanfield/meanfield_seed001 >&2
fi
EXE=$BUILD/bench/meanfield/meanfield_seed001
[ -x "$EXE" ] || { echo "run_seed001.sh: $EXE not found (build first)" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT"/seed001_*.csv "$OUT"/meanfield_seed001.jsonl "$OUT"/*.png

ARGS="--out $OUT"
[ "${QUICK:-0}" = 1 ] && ARGS="$ARGS --quick"
[ -n "${EPOCHS:-}" ] && ARGS="$ARGS --epochs $EPOCHS"
[ -n "${TD_EPOCHS:-}" ] && ARGS="$ARGS --td-epochs $TD_EPOCHS"
start=$(date +%s)
# shellcheck disable=SC2086
"$EXE" $ARGS > "$OUT/meanfield_seed001.jsonl"

have_gnuplot=0
if command -v gnuplot >/dev/null 2>&1; then
    have_gnuplot=1
    gnuplot -e "dir='$OUT'" "$HERE/plot_seed001.gp"
else
    echo "run_seed001.sh: gnuplot not found: no PNG figure" >&2
fi
cat "$OUT/meanfield_seed001.jsonl"
echo "run_seed001.sh: done in $(( $(date +%s) - start )) s; results in $OUT" >&2

[ "${CHECK:-0}" = 1 ] || exit 0
if ! command -v python3 >/dev/null 2>&1; then
    echo "run_seed001.sh: python3 not found: outputs not checked" >&2
    exit 77
fi
python3 - "$OUT" "$have_gnuplot" <<'PYEOF'
import csv, json, math, os, sys
out, have_gnuplot = sys.argv[1], sys.argv[2] == '1'
errors = []
recs = []
with open(os.path.join(out, 'meanfield_seed001.jsonl')) as f:
    for k, line in enumerate(f, 1):
        try:
            recs.append(json.loads(line))
        except ValueError as e:
            errors.append(f"line {k}: not JSON: {e}")
games, solvers = ['a-rps', 'a-sis'], ['meanfield-pmd', 'meanfield-ipmd']
for g in games:
    for kind in ('simulation', 'symmetry'):
        if len([r for r in recs if r.get('record') == kind and r.get('game') == g]) != 1:
            errors.append(f"{g}: expected one {kind} record")
    if len([r for r in recs if r.get('record') == 'estimate' and r.get('game') == g]) != 2:
        errors.append(f"{g}: expected two estimate records")
    for s in solvers:
        runs = [r for r in recs if r.get('record') == 'run' and r.get('game') == g
                and r.get('solver') == s]
        if len(runs) != 1:
            errors.append(f"{g} {s}: {len(runs)} run records")
            continue
        r = runs[0]
        for key in ('seconds', 'samples', 'exploitability'):
            if not isinstance(r.get(key), (int, float)):
                errors.append(f"{g} {s}: {key} missing")
        path = os.path.join(out, f'seed001_{g}_{s}.csv')
        try:
            with open(path) as f:
                rows = list(csv.reader(f))
        except OSError as e:
            errors.append(str(e))
            continue
        if rows[0][:4] != ['epoch', 'seconds', 'samples', 'exploitability']:
            errors.append(f"{path}: header {rows[0]}")
        if len(rows) - 1 != r.get('epochs'):
            errors.append(f"{path}: {len(rows) - 1} rows, expected {r.get('epochs')}")
        for k, row in enumerate(rows[1:], 2):
            if float(row[3]) < -1e-9 or not math.isfinite(float(row[3])):
                errors.append(f"{path}:{k}: exploitability {row[3]}")
                break
        if not any(row[5] for row in rows[1:]):
            errors.append(f"{path}: no N-player estimate")
if have_gnuplot:
    try:
        with open(os.path.join(out, 'meanfield_seed001.png'), 'rb') as f:
            if f.read(8) != b'\x89PNG\r\n\x1a\n':
                errors.append("meanfield_seed001.png: not a PNG")
    except OSError as e:
        errors.append(str(e))
for e in errors[:40]:
    print("check:", e, file=sys.stderr)
if errors:
    sys.exit(1)
print(f"check: {len(recs)} records, CSV traces and"
      f"{'' if have_gnuplot else ' no'} PNG OK", file=sys.stderr)
sys.exit(0 if have_gnuplot else 77)
PYEOF
