#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-docs-selftest.sh SRCDIR GTKDOC_PY: check-docs.sh must fail, naming
# each, when an exported function, a public type and a CB_E* code lose
# their documentation, so that the check cannot rot into always passing.
# One reference build with the three breaches at once (a build takes
# seconds).
set -eu
srcdir=${1:?usage: check-docs-selftest.sh SRCDIR GTKDOC_PY}
gtkdoc=${2:?}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/src/include" "$tmp/src/libcloubed"
cp -r "$srcdir/include/cloubed" "$tmp/src/include/"
cp "$srcdir/libcloubed/libcloubed.syms" "$tmp/src/libcloubed/"
h="$tmp/src/include/cloubed"
# an exported function without a block, the type's one-line comment, the
# code's member doc
sed -i 's|^CB_EXTERN(void) cb_error_clear(void);$|&\nCB_EXTERN(void) cb_undocumented_probe(void);|
        s|/\*\*< a wait ran out of time \*/||' "$h/errors.h"
sed -i 's|^\( *\)cb_error_clear;$|&\n\1cb_undocumented_probe;|' "$tmp/src/libcloubed/libcloubed.syms"
sed -i 's|^/\*\* A virtual network of a testbed.*$||' "$h/types.h"
if ! grep -q cb_undocumented_probe "$h/errors.h" || ! grep -q cb_undocumented_probe "$tmp/src/libcloubed/libcloubed.syms" ||
   cmp -s "$srcdir/include/cloubed/types.h" "$h/types.h"; then
    echo "FAIL: the breaches changed nothing: update this self-test to the headers"
    exit 1
fi
python3 "$gtkdoc" "$h" "$tmp/html" "$tmp/work" >/dev/null 2>&1 || true
if sh "$here/check-docs.sh" "$tmp/src/libcloubed/libcloubed.syms" "$tmp/work" "$tmp/html" >"$tmp/out"; then
    echo "FAIL: check-docs.sh accepted headers without those docs"
    exit 1
fi
cat "$tmp/out"
for expect in 'cb_undocumented_probe is exported but has no doc comment' \
              'the public type cb_network has no doc comment' \
              'error codes without a description in errors.h: CB_ETIMEOUT'; do
    grep -qF "$expect" "$tmp/out" || { echo "FAIL: check-docs.sh did not say: $expect"; exit 1; }
done
echo "ok: check-docs.sh rejects a missing function doc, type doc and error code doc"
