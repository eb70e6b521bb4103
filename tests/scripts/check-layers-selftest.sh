#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-layers-selftest.sh SRCDIR: check-layers.sh must fail on a model/
# file that includes libvirt, or on a util/ file that includes the model,
# so that the check cannot rot into always passing.
set -eu
srcdir=${1:?usage: check-layers-selftest.sh SRCDIR}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sh "$here/check-layers.sh" "$srcdir" >/dev/null
for breach in 'model/model.c:#include <libvirt/libvirt.h>' 'util/util.c:#include "model/model.h"' \
              'render/domain.c:#include "virt/ops.h"'; do
    file=${breach%%:*} line=${breach#*:}
    rm -rf "$tmp/libcloubed"
    cp -r "$srcdir/libcloubed" "$tmp/libcloubed"
    printf '%s\n' "$line" >>"$tmp/libcloubed/$file"
    if sh "$here/check-layers.sh" "$tmp" >/dev/null; then
        echo "FAIL: check-layers.sh accepted $line in $file"
        exit 1
    fi
done
echo "ok: check-layers.sh rejects upward includes"
