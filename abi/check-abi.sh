#!/usr/bin/env bash
# Compare a built libmarlgame.so with the committed ABI baselines.
#
#   abi/check-abi.sh LIBMARLGAME_SO [ABI_DIR [HEADERS_DIR]]
#
# ABI_DIR (default: the directory of this script) holds one abidw dump per
# release, libmarlgame-X.Y.Z.abi. The library is compared with every dump of
# the same major version (its SONAME libmarlgame.so.MAJOR); within a major
# version only additions are allowed:
#   - abidiff exit status 0: identical ABI                         -> pass;
#   - bit 4 (ABIDIFF_ABI_CHANGE) alone, and the comparison run again with
#     --no-added-syms is clean: only functions/variables were added -> pass;
#   - anything else: a removed or changed function or variable, a changed
#     public type reachable from the API (abidiff reports those with bit 4
#     only, so the second run is what catches them), a changed SONAME
#     (bit 8, ABIDIFF_ABI_INCOMPATIBLE_CHANGE), or an abidiff error
#     (bits 1 and 2)                                                -> fail.
# Suppression specifications in ABI_DIR/*.abignore (libabigail syntax) are
# applied when present; use them only for reviewed, intended changes.
#
# Exit status: 0 pass, 1 ABI break or error, 77 skipped (no baseline for
# this major version, or abidiff not installed), the code meson test reads
# as SKIP.
# SPDX-License-Identifier: MIT
set -u

lib=${1:?usage: check-abi.sh LIBMARLGAME_SO [ABI_DIR [HEADERS_DIR]]}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
abidir=${2:-$here}
headers=${3:-$here/../include/marlgame}
abidiff=${ABIDIFF:-abidiff}

if ! command -v "$abidiff" >/dev/null 2>&1; then
    echo "SKIP: abidiff not found (install abigail-tools)"
    exit 77
fi
if [ ! -f "$lib" ]; then
    echo "FAIL: no such library: $lib"
    exit 1
fi

# Major version from the SONAME (libmarlgame.so.0 -> 0).
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
major=${soname##*.so.}
if [ -z "$soname" ] || [ -z "$major" ] || [ "$major" = "$soname" ]; then
    echo "FAIL: cannot read the SONAME of $lib"
    exit 1
fi

shopt -s nullglob
baselines=("$abidir"/libmarlgame-"$major".*.abi)
if [ ${#baselines[@]} -eq 0 ]; then
    echo "SKIP: no ABI baseline libmarlgame-$major.*.abi in $abidir" \
         "(the maintainers create it with abi/update-baseline.sh at release)"
    exit 77
fi
suppr=()
for s in "$abidir"/*.abignore; do
    suppr+=(--suppressions "$s")
done

status=0
for base in "${baselines[@]}"; do
    name=$(basename "$base")
    args=(--no-show-locs --headers-dir2 "$headers" --drop-private-types
          "${suppr[@]}" "$base" "$lib")
    report=$("$abidiff" "${args[@]}" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "OK: ABI identical to $name"
        continue
    fi
    if [ $((rc & 3)) -ne 0 ]; then
        echo "FAIL: abidiff could not compare with $name (exit $rc):"
        echo "$report"
        status=1
        continue
    fi
    if [ $((rc & 8)) -ne 0 ]; then
        echo "FAIL: incompatible ABI change against $name (exit $rc):"
        echo "$report"
        status=1
        continue
    fi
    # Exit 4: some change. Additions only iff the comparison without added
    # symbols finds nothing.
    strict=$("$abidiff" --no-added-syms "${args[@]}" 2>&1)
    rc2=$?
    if [ $rc2 -eq 0 ]; then
        echo "OK: only additions against $name:"
        echo "$report"
    else
        echo "FAIL: ABI changed against $name (not only additions; exit $rc2):"
        echo "$strict"
        status=1
    fi
done
exit $status
