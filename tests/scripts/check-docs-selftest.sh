#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-docs-selftest.sh SRCDIR GTKDOC_PY: check-docs.sh must fail, naming
# each, when an exported function, a public type, a CB_E* code, a call's
# parameter, a struct's member and a public CB_* macro lose their
# documentation, so that the check cannot rot into always passing. One
# reference build with the six breaches at once (a build takes seconds).
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
# a parameter's line, a member's line, a new macro without a block
sed -i '/^ \* @up: .*$/d' "$h/domain.h"
sed -i '/^ \* @log_payload: .*$/d' "$h/testbed.h"
sed -i 's|^#define CB_VERSION ".*"$|&\n#define CB_UNDOCUMENTED_PROBE 1|' "$h/common.h"
if ! grep -q cb_undocumented_probe "$h/errors.h" || ! grep -q cb_undocumented_probe "$tmp/src/libcloubed/libcloubed.syms" ||
   cmp -s "$srcdir/include/cloubed/types.h" "$h/types.h" ||
   cmp -s "$srcdir/include/cloubed/domain.h" "$h/domain.h" ||
   cmp -s "$srcdir/include/cloubed/testbed.h" "$h/testbed.h" ||
   ! grep -q CB_UNDOCUMENTED_PROBE "$h/common.h"; then
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
              'error codes without a description in errors.h: CB_ETIMEOUT' \
              'parameters or members without a description: cb_domain_link_set (up)' \
              'parameters or members without a description: cb_testbed_options (log_payload)' \
              'the public macro CB_UNDOCUMENTED_PROBE has no doc comment'; do
    grep -qF "$expect" "$tmp/out" || { echo "FAIL: check-docs.sh did not say: $expect"; exit 1; }
done
echo "ok: check-docs.sh rejects a missing function, type, error code, parameter, member and" \
     "macro doc"
