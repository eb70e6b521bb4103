#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-docs-selftest.sh SRCDIR GTKDOC_PY: check-docs.sh must fail when an
# exported function, a public type or a CB_E* code loses its documentation,
# so that the check cannot rot into always passing.
set -eu
srcdir=${1:?usage: check-docs-selftest.sh SRCDIR GTKDOC_PY}
gtkdoc=${2:?}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# sed expressions that each remove one piece of documentation.
for breach in \
    '/^ \* cb_error_clear:$/,/^ \*\/$/d' \
    's|^/\*\* A virtual network of a testbed.*$||' \
    's|/\*\*< a wait ran out of time \*/||'; do
    rm -rf "$tmp/src"
    mkdir -p "$tmp/src/include" "$tmp/src/libcloubed"
    cp -r "$srcdir/include/cloubed" "$tmp/src/include/"
    cp "$srcdir/libcloubed/libcloubed.syms" "$tmp/src/libcloubed/"
    for h in "$tmp"/src/include/cloubed/*.h; do
        sed -i "$breach" "$h"
    done
    if cmp -s "$srcdir/include/cloubed/errors.h" "$tmp/src/include/cloubed/errors.h" &&
       cmp -s "$srcdir/include/cloubed/types.h" "$tmp/src/include/cloubed/types.h"; then
        echo "FAIL: the breach '$breach' changed nothing: update this self-test"
        exit 1
    fi
    python3 "$gtkdoc" "$tmp/src/include/cloubed" "$tmp/html" "$tmp/work" >/dev/null 2>&1 || true
    if sh "$here/check-docs.sh" "$tmp/src/libcloubed/libcloubed.syms" "$tmp/work" "$tmp/html" >"$tmp/out"; then
        echo "FAIL: check-docs.sh accepted headers edited with '$breach'"
        exit 1
    fi
    grep FAIL "$tmp/out" | head -3
done
echo "ok: check-docs.sh rejects a missing doc comment, a missing type doc and a missing error code doc"
