#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-docs.sh SYMS WORKDIR HTMLDIR: the API reference built (HTMLDIR, by
# docs/reference/gtkdoc.py, whose gtk-doc files are in WORKDIR) documents
# every symbol exported by libcloubed.syms, every public type (struct, enum,
# callback, typedef), every CB_E* code and every public CB_* macro, and
# describes every parameter of every call, macro and callback and every
# member of every struct and enum.
set -eu
syms=${1:?usage: check-docs.sh SYMS WORKDIR HTMLDIR}
work=${2:?}
html=${3:?}
module=libcloubed
fail=0

[ -f "$html/index.html" ] || { echo "FAIL: the reference did not build ($html/index.html missing)"; exit 1; }
for f in decl.txt undocumented.txt; do
    [ -f "$work/$module-$f" ] || { echo "FAIL: $work/$module-$f missing"; exit 1; }
done

# What gtk-doc saw declared: "KIND NAME" per line.
decls=$(awk '/^<(FUNCTION|STRUCT|ENUM|USER_FUNCTION|TYPEDEF|MACRO|UNION)>$/ { kind = substr($0, 2, length($0) - 2); next }
             kind != "" && /^<NAME>/ { sub(/^<NAME>/, ""); sub(/<\/NAME>$/, ""); print kind, $0; kind = "" }' \
        "$work/$module-decl.txt")
# Not documented at all: a bare name; "NAME (a, b)": some parameters or
# members undescribed.
undocumented=$(sed -n '5,$p' "$work/$module-undocumented.txt" | grep -v ':' | grep -v '(' | grep . || true)
incomplete=$(sed -n '5,$p' "$work/$module-undocumented.txt" | grep -v ':' | grep '(' || true)

is_undocumented() { printf '%s\n' "$undocumented" | grep -qx "$1"; }

# 1. Every exported symbol: declared in a public header, documented, and on a page.
for s in $(sed -n 's/^[[:space:]]*\(cb_[A-Za-z0-9_]*\);.*/\1/p' "$syms"); do
    if ! printf '%s\n' "$decls" | grep -qx "FUNCTION $s"; then
        echo "FAIL: $s is exported (libcloubed.syms) but no public header declares it"
        fail=1
    elif is_undocumented "$s"; then
        echo "FAIL: $s is exported but has no doc comment"
        fail=1
    elif ! grep -Eqs "(id|name)=\"$(printf '%s' "$s" | tr _ -)\"" "$html"/*.html; then
        echo "FAIL: $s has no entry in the reference"
        fail=1
    fi
done

# 2. Every public type.
for t in $(printf '%s\n' "$decls" | awk '$1 != "FUNCTION" && $1 != "MACRO" { print $2 }' | sort -u); do
    if is_undocumented "$t"; then
        echo "FAIL: the public type $t has no doc comment"
        fail=1
    fi
done

# 3. Every error code.
codes=$(printf '%s\n' "$incomplete" | sed -n 's/^cb_error_code (\(.*\))$/\1/p')
if [ -n "$codes" ]; then
    echo "FAIL: error codes without a description in errors.h: $codes"
    fail=1
fi
for c in $(sed -n 's/^[[:space:]]*\(CB_E[A-Z]*\|CB_ERROR\) *=.*/\1/p' "$(dirname "$syms")/../include/cloubed/errors.h" 2>/dev/null); do
    grep -Eqs "(id|name)=\"$(printf '%s' "$c" | tr _ -):CAPS\"" "$html"/*.html ||
        { echo "FAIL: $c has no entry in the reference"; fail=1; }
done

# 4. Every parameter and member described ("<parameters>": none of them,
# as for a call without a block; "<items>": none of an enum's members). The
# error codes are reported by 3 already.
others=$(printf '%s\n' "$incomplete" | grep -v '^cb_error_code (' | grep . || true)
if [ -n "$others" ]; then
    printf '%s\n' "$others" | sed 's/^/FAIL: parameters or members without a description: /'
    fail=1
fi

# 5. Every public CB_* macro.
n_macros=0
for m in $(printf '%s\n' "$decls" | awk '$1 == "MACRO" && $2 ~ /^CB_/ { print $2 }' | sort -u); do
    if is_undocumented "$m"; then
        echo "FAIL: the public macro $m has no doc comment"
        n_macros=$((n_macros + 1))
        fail=1
    fi
done

n_incomplete=$(printf '%s\n' "$incomplete" | grep -c . || true)
echo "note: $n_incomplete declarations with some parameters or members undescribed," \
     "$n_macros macros undocumented"
[ "$fail" = 0 ] && echo "ok: every exported symbol, public type, CB_* macro, CB_E* code," \
                        "parameter and member is documented in $html"
exit "$fail"
