#!/usr/bin/env bash
# Install into a temporary prefix and build consumers against it.
#
#   install_consumer.sh BUILD_ROOT SOURCE_ROOT VERSION SANITIZE
#
# Environment: MESON (the meson command, default "meson"), CC, CXX (may be
# empty: the C++ checks are then skipped).
#
#  1. `meson install --destdir TMP --no-rebuild` of the build directory;
#  2. the headers (identical to include/marlgame/), libmarlgame.so.0.1.0
#     with its two symlinks, libmarlgame.a and marlgame.pc are installed;
#  3. pkg-config finds marlgame.pc (PKG_CONFIG_LIBDIR = the installed
#     pkgconfig directory, PKG_CONFIG_SYSROOT_DIR = TMP so the absolute paths
#     inside it point into TMP), reports the version, --cflags --libs and
#     --static --libs;
#  4. every installed header compiles alone, as C11 with -Wall -Wextra
#     -Wpedantic -Werror and as C++11/C++17 with the same warnings;
#  5. examples/c/quickstart.c is compiled against the installed copy twice,
#     linked dynamically (libmarlgame.so.0 resolved from TMP) and statically
#     (libmarlgame.a, no libmarlgame.so.0 needed), and both programs run and
#     pass their own checks.
# SANITIZE is the build's b_sanitize value; when not "none" the consumers
# are compiled with the same -fsanitize flags (the installed library needs
# the sanitizer runtimes).
# SPDX-License-Identifier: MIT
set -euo pipefail

build=${1:?usage: install_consumer.sh BUILD_ROOT SOURCE_ROOT VERSION SANITIZE}
src=${2:?}
version=${3:?}
sanitize=${4:-none}
meson_cmd=${MESON:-meson}
cc=${CC:-cc}
cxx=${CXX:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root
fail() { echo "FAIL: $*"; exit 1; }

# 1. install
# shellcheck disable=SC2086
$meson_cmd install -C "$build" --destdir "$dest" --no-rebuild --quiet \
    > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "meson install"; }

# 2. installed files
pc=$(find "$dest" -name marlgame.pc -path '*/pkgconfig/*' | head -n1)
[ -n "$pc" ] || fail "marlgame.pc not installed"
libdir_d=$(dirname "$(dirname "$pc")")            # TMP/<prefix>/<libdir>
for f in libmarlgame.so libmarlgame.so.0 "libmarlgame.so.$version" libmarlgame.a; do
    [ -e "$libdir_d/$f" ] || fail "$f not installed in ${libdir_d#"$dest"}"
done
[ "$(readlink "$libdir_d/libmarlgame.so.0")" = "libmarlgame.so.$version" ] ||
    fail "libmarlgame.so.0 does not point to libmarlgame.so.$version"
inc_d=$(find "$dest" -type d -path '*/include/marlgame' | head -n1)
[ -n "$inc_d" ] || fail "include/marlgame not installed"
n_headers=0
for h in "$src"/include/marlgame/*.h; do
    cmp -s "$h" "$inc_d/$(basename "$h")" || fail "installed $(basename "$h") differs"
    n_headers=$((n_headers + 1))
done
extra=$(cd "$inc_d" && ls | grep -v '\.h$' || true)
[ -z "$extra" ] || fail "unexpected files in include/marlgame: $extra"
echo "installed: $n_headers headers, shared + static library, marlgame.pc" \
     "under ${libdir_d#"$dest"}"

# 3. pkg-config
export PKG_CONFIG_LIBDIR=$(dirname "$pc")
export PKG_CONFIG_PATH=
export PKG_CONFIG_SYSROOT_DIR=$dest
got=$(pkg-config --modversion marlgame) || fail "pkg-config cannot read marlgame.pc"
[ "$got" = "$version" ] || fail "pkg-config --modversion: $got, expected $version"
cflags=$(pkg-config --cflags marlgame)
libs=$(pkg-config --libs marlgame)
slibs=$(pkg-config --static --libs marlgame)
echo "pkg-config --cflags --libs: $cflags $libs"
echo "pkg-config --static --libs: $slibs"
case " $cflags " in *" -I$dest"*) ;; *) fail "--cflags does not point into the prefix: $cflags" ;; esac
case " $libs " in *" -L$dest"*"-lmarlgame"*) ;; *) fail "--libs: $libs" ;; esac

san=()
if [ "$sanitize" != none ] && [ -n "$sanitize" ]; then
    san=(-fsanitize="$sanitize" -fno-omit-frame-pointer)
fi

# 4. every header on its own, C and C++
n=0
for h in "$inc_d"/*.h; do
    b=$(basename "$h")
    printf '#include <marlgame/%s>\nint main(void) { return 0; }\n' "$b" > "$tmp/h.c"
    # shellcheck disable=SC2086
    $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -Wstrict-prototypes \
        -Wmissing-prototypes -c $cflags "$tmp/h.c" -o "$tmp/h.o" ||
        fail "$b does not compile alone as C11"
    if [ -n "$cxx" ]; then
        printf '#include <marlgame/%s>\nint main() { return 0; }\n' "$b" > "$tmp/h.cpp"
        for std in c++11 c++17; do
            # shellcheck disable=SC2086
            $cxx -std=$std -Wall -Wextra -Wpedantic -Werror -c $cflags \
                "$tmp/h.cpp" -o "$tmp/h.o" || fail "$b does not compile as $std"
        done
    fi
    n=$((n + 1))
done
echo "headers: $n compile alone as C11$([ -n "$cxx" ] && echo ", C++11 and C++17")"

# 5. the consumer program, dynamic and static
prog=$src/examples/c/quickstart.c
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Wpedantic -Werror ${san[@]+"${san[@]}"} $cflags "$prog" \
    -o "$tmp/consumer-dynamic" $libs -lm || fail "dynamic consumer does not build"
need=$(readelf -d "$tmp/consumer-dynamic" | grep NEEDED || true)
grep -q 'libmarlgame.so.0' <<<"$need" || fail "dynamic consumer does not need libmarlgame.so.0"
resolved=$(LD_LIBRARY_PATH="$libdir_d" ldd "$tmp/consumer-dynamic" | grep libmarlgame.so.0)
case "$resolved" in *"$dest"*) ;; *) fail "libmarlgame.so.0 resolved outside the prefix: $resolved" ;; esac
LD_LIBRARY_PATH="$libdir_d" "$tmp/consumer-dynamic" > "$tmp/dyn.log" 2>&1 ||
    { cat "$tmp/dyn.log"; fail "dynamic consumer failed"; }
echo "dynamic consumer: $(tail -n1 "$tmp/dyn.log")"

# Static: the same pkg-config line, with -lmarlgame taken from the archive.
static_libs=()
for w in $slibs; do
    if [ "$w" = -lmarlgame ]; then
        static_libs+=(-Wl,-Bstatic -lmarlgame -Wl,-Bdynamic)
    else
        static_libs+=("$w")
    fi
done
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Wpedantic -Werror ${san[@]+"${san[@]}"} $cflags "$prog" \
    -o "$tmp/consumer-static" "${static_libs[@]}" ||
    fail "static consumer does not build with pkg-config --static --libs"
static_dyn=$(readelf -d "$tmp/consumer-static")
if grep -q 'libmarlgame' <<<"$static_dyn"; then
    fail "static consumer still needs libmarlgame.so"
fi
env -u LD_LIBRARY_PATH "$tmp/consumer-static" > "$tmp/static.log" 2>&1 ||
    { cat "$tmp/static.log"; fail "static consumer failed"; }
echo "static consumer: $(tail -n1 "$tmp/static.log")"
echo "install + pkg-config + consumers: OK"
