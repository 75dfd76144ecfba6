#!/usr/bin/env python3
# Exported symbols of the shared library, checked against the public headers.
#
#   check_exports.py LIBMARLGAME_SO INCLUDE_MARLGAME_DIR [SONAME]
#
# Fails (exit 1) when
#  - `nm -D --defined-only` lists any symbol whose name does not start with
#    marl_ (lp_solve, OpenBLAS, LAPACKE or compiler helpers leaking out);
#  - an exported marl_ symbol is not declared MARL_API in a public header
#    (an internal helper that lost its hidden visibility);
#  - a MARL_API declaration of a public header is not exported (missing
#    implementation or a forgotten MARL_API in the .c file);
#  - a declared function is not exported as code (T) or a declared constant
#    (the solver types) not as data (D/R/B);
#  - the SONAME is not the expected one (libmarlgame.so.0).
# In AddressSanitizer builds the compiler adds an ODR indicator symbol
# "__odr_asan.<name>" next to each exported variable; those are accepted for
# the declared constants (and only for them).
# SPDX-License-Identifier: MIT
import os
import re
import subprocess
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def exported_symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[-2], parts[-1]
        name = name.split("@")[0]  # drop symbol versions if any
        syms[name] = kind
    return syms


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def declared_symbols(include_dir):
    funcs, data = set(), set()
    headers = sorted(f for f in os.listdir(include_dir) if f.endswith(".h"))
    if not headers:
        fail("no headers in " + include_dir)
    for h in headers:
        with open(os.path.join(include_dir, h), encoding="utf-8") as fh:
            text = strip_comments(fh.read())
        # Drop the definition of MARL_API itself.
        text = re.sub(r"#\s*define\s+MARL_API[^\n]*", " ", text)
        # Each declaration: from MARL_API to the next ';'.
        for m in re.finditer(r"\bMARL_API\b([^;]*);", text):
            decl = m.group(1)
            fn = re.search(r"\b(marl_\w+)\s*\(", decl)
            if fn and not re.search(r"\(\s*\*", decl.split(fn.group(1))[0]):
                funcs.add(fn.group(1))
                continue
            var = re.search(r"\b(marl_\w+)\s*$", decl.strip())
            if var:
                data.add(var.group(1))
                continue
            fail("%s: cannot parse MARL_API declaration: %s"
                 % (h, " ".join(decl.split())))
    return funcs, data


def soname(lib):
    out = subprocess.run(["readelf", "-d", lib], check=True,
                         capture_output=True, text=True).stdout
    m = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    return m.group(1) if m else None


def main():
    if len(sys.argv) < 3:
        print("usage: check_exports.py LIBMARLGAME_SO INCLUDE_MARLGAME_DIR "
              "[SONAME]", file=sys.stderr)
        return 2
    lib, include_dir = sys.argv[1], sys.argv[2]
    want_soname = sys.argv[3] if len(sys.argv) > 3 else "libmarlgame.so.0"
    syms = exported_symbols(lib)
    funcs, data = declared_symbols(include_dir)
    print("%s: %d exported symbols; headers declare %d functions and %d "
          "constants" % (os.path.basename(lib), len(syms), len(funcs),
                         len(data)))
    errors = []
    # AddressSanitizer builds add one ODR indicator per exported variable,
    # "__odr_asan.<name>"; accept it for the declared constants only.
    odr = sorted(s for s in syms if s.startswith("__odr_asan.")
                 and s[len("__odr_asan."):] in data)
    for s in odr:
        print("note: %s (AddressSanitizer ODR indicator) ignored" % s)
        del syms[s]
    foreign = sorted(s for s in syms if not s.startswith("marl_"))
    if foreign:
        errors.append("exported symbols without the marl_ prefix: "
                      + ", ".join(foreign))
    declared = funcs | data
    leaked = sorted(s for s in syms
                    if s.startswith("marl_") and s not in declared)
    if leaked:
        errors.append("exported but not declared MARL_API in a public "
                      "header (internal helpers must stay hidden): "
                      + ", ".join(leaked))
    missing = sorted(s for s in declared if s not in syms)
    if missing:
        errors.append("declared MARL_API but not exported (%d): %s"
                      % (len(missing), ", ".join(missing)))
    for f in sorted(funcs):
        if f in syms and syms[f] not in ("T", "W", "i"):
            errors.append("%s is declared as a function but exported as "
                          "'%s'" % (f, syms[f]))
    for d in sorted(data):
        if d in syms and syms[d] not in ("D", "R", "B", "V"):
            errors.append("%s is declared as a constant but exported as "
                          "'%s'" % (d, syms[d]))
    got = soname(lib)
    if got != want_soname:
        errors.append("SONAME is %r, expected %r" % (got, want_soname))
    if errors:
        for e in errors:
            print("FAIL: " + e)
        return 1
    print("OK: only marl_ symbols exported, exactly the %d public "
          "declarations; SONAME %s" % (len(declared), got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
