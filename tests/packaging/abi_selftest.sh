#!/usr/bin/env bash
# Self-test of the ABI machinery (abi/update-baseline.sh, abi/check-abi.sh)
# on small stand-in libraries, so the rules are proven before the real
# baseline exists:
#   v1 baseline -> v1 same           pass
#            -> v2 function added    pass
#            -> v3 struct grew       FAIL (abidiff exit 4 only)
#            -> v4 function removed  FAIL (exit 12)
#            -> v5 parameter changed FAIL
#            -> v6 SONAME changed    skip (another major version) / FAIL
#
#   abi_selftest.sh SOURCE_ROOT [CC]
# Exit 77 (skip) when abidw/abidiff are not installed.
# SPDX-License-Identifier: MIT
set -euo pipefail

root=${1:?usage: abi_selftest.sh SOURCE_ROOT [CC]}
cc=${2:-cc}
for t in abidw abidiff readelf; do
    command -v $t >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Public header of version k, library source of version k.
header() {  # $1 = variant
    cat <<H
typedef struct marl_def { const char *name; int type; double lo, hi; } marl_def;
__attribute__((visibility("default"))) int marl_f(const marl_def *d, double x);
__attribute__((visibility("default"))) int marl_g(int x);
H
    case $1 in
    v2) echo '__attribute__((visibility("default"))) int marl_h(int x);' ;;
    esac
}
build() {  # $1 = variant, $2 = soname
    local d=$tmp/$1
    mkdir -p "$d/include"
    header "$1" > "$d/include/marl.h"
    case $1 in
    v3) sed -i 's/double lo, hi;/double lo, hi; int flags;/' "$d/include/marl.h" ;;
    v4) sed -i '/marl_g/d' "$d/include/marl.h" ;;
    v5) sed -i 's/marl_g(int x)/marl_g(long x)/' "$d/include/marl.h" ;;
    esac
    {
        echo '#include "marl.h"'
        echo 'struct hidden_state { int q; double r[3]; };'
        echo 'static int helper(struct hidden_state *s) { return s->q; }'
        echo 'int marl_f(const marl_def *d, double x) { struct hidden_state s = { d->type, { x, d->lo, d->hi } }; return helper(&s); }'
        if grep -q 'marl_g(long' "$d/include/marl.h"; then
            echo 'int marl_g(long x) { return (int)x; }'
        elif grep -q marl_g "$d/include/marl.h"; then
            echo 'int marl_g(int x) { return x; }'
        fi
        if grep -q marl_h "$d/include/marl.h"; then
            echo 'int marl_h(int x) { return x + 1; }'
        fi
    } > "$d/lib.c"
    $cc -g -O1 -fPIC -shared -fvisibility=hidden -I"$d/include" \
        -Wl,-soname,"$2" "$d/lib.c" -o "$d/libmarlgame.so"
}

build v1 libmarlgame.so.0
for v in v2 v3 v4 v5; do build $v libmarlgame.so.0; done
build v6 libmarlgame.so.1

mkdir -p "$tmp/abi"
"$root/abi/update-baseline.sh" "$tmp/v1" "$tmp/abi/libmarlgame-0.1.0.abi" \
    "$tmp/v1/include" > "$tmp/update.log" 2>&1 || {
    echo "FAIL: update-baseline.sh failed:"; cat "$tmp/update.log"; exit 1; }
grep -q "marl_f" "$tmp/abi/libmarlgame-0.1.0.abi" || {
    echo "FAIL: the dump does not list marl_f"; exit 1; }
if grep -q "hidden_state" "$tmp/abi/libmarlgame-0.1.0.abi"; then
    echo "FAIL: the dump contains the private type hidden_state"; exit 1
fi
if grep -q "$tmp" "$tmp/abi/libmarlgame-0.1.0.abi"; then
    echo "FAIL: the dump contains a build path"; exit 1
fi

fails=0
expect() {  # $1 variant, $2 expected exit status
    local rc=0
    "$root/abi/check-abi.sh" "$tmp/$1/libmarlgame.so" "$tmp/abi" \
        "$tmp/$1/include" > "$tmp/$1.log" 2>&1 || rc=$?
    if [ "$rc" -eq "$2" ]; then
        echo "ok: $1 -> exit $rc"
    else
        echo "FAIL: $1 -> exit $rc, expected $2"; cat "$tmp/$1.log"
        fails=$((fails + 1))
    fi
}
expect v1 0
expect v2 0
expect v3 1
expect v4 1
expect v5 1
expect v6 77     # libmarlgame.so.1: no baseline for major version 1
# A baseline for major 1 made from v1 renamed: the SONAME change fails.
cp "$tmp/abi/libmarlgame-0.1.0.abi" "$tmp/abi/libmarlgame-1.0.0.abi"
rm "$tmp/abi/libmarlgame-0.1.0.abi"
expect v6 1
# A suppression file accepts a reviewed change.
cp "$tmp/abi/libmarlgame-1.0.0.abi" "$tmp/abi/libmarlgame-0.1.0.abi"
rm "$tmp/abi/libmarlgame-1.0.0.abi"
printf '[suppress_type]\n  name = marl_def\n' > "$tmp/abi/reviewed.abignore"
expect v3 0
grep -q "only additions\|identical" "$tmp/v2.log" || { echo "FAIL: v2 log"; fails=$((fails + 1)); }
grep -q "Added function" "$tmp/v2.log" || { echo "FAIL: v2 does not report the addition"; fails=$((fails + 1)); }

[ $fails -eq 0 ] || exit 1
echo "ABI machinery self-test passed"
