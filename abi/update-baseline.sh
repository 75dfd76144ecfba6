#!/usr/bin/env bash
# Regenerate the ABI baseline of this release from a build directory.
#
#   abi/update-baseline.sh [BUILDDIR [OUT_FILE [HEADERS_DIR]]]
#
# Defaults: BUILDDIR build, OUT_FILE abi/libmarlgame-<version>.abi,
# HEADERS_DIR include/marlgame. (The packaging tests use the optional
# arguments to exercise this script on small stand-in libraries.)
#
# Writes abi/libmarlgame-<version>.abi (version from meson.build) with
# abidw, keeping only the types declared in include/marlgame (the public
# headers) and nothing that depends on where the tree was built, so the
# dump can be committed and compared on any machine. Run it from a normal
# (non-sanitizer) build with debug info (the default buildtype,
# debugoptimized, has it), once, when a release's API is final; then commit
# the .abi file. Never regenerate the dump of a released version.
# SPDX-License-Identifier: MIT
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
builddir=${1:-$root/build}
lib=$builddir/libmarlgame.so
out=${2:-}
headers=${3:-$root/include/marlgame}

command -v abidw >/dev/null || { echo "abidw not found (apt-get install abigail-tools)" >&2; exit 1; }
[ -f "$lib" ] || { echo "no $lib: build first (ninja -C $builddir)" >&2; exit 1; }
# (Outputs are captured first: with pipefail, `readelf | grep -q` fails
# whenever grep exits before readelf has written everything.)
sections=$(readelf -S "$lib")
dynamic=$(readelf -d "$lib")
if ! grep -q '\.debug_info' <<<"$sections"; then
    echo "$lib has no debug info: use buildtype debug or debugoptimized" >&2
    exit 1
fi
if grep -q 'libasan\|libubsan' <<<"$dynamic"; then
    echo "$lib is a sanitizer build: use a normal build directory" >&2
    exit 1
fi

if [ -z "$out" ]; then
    version=$(sed -n "s/^ *version *: *'\([0-9][0-9.]*\)'.*/\1/p" "$root/meson.build" | head -n1)
    [ -n "$version" ] || { echo "cannot read the version from meson.build" >&2; exit 1; }
    out=$here/libmarlgame-$version.abi
fi

abidw --no-corpus-path --no-comp-dir-path --no-elf-needed --short-locs \
      --type-id-style hash --drop-private-types --drop-undefined-syms \
      --headers-dir "$headers" \
      --out-file "$out.tmp" "$lib"
mv "$out.tmp" "$out"
echo "wrote $out ($(grep -c '<function-decl' "$out") function declarations)"
# Sanity check: the build must match the dump just written.
"$here/check-abi.sh" "$lib" "$(dirname "$out")" "$headers"
