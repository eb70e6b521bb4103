#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-layers.sh SRCDIR: fails when a layer of libcloubed includes what
# lies above it (README, Layout). The layers, bottom up:
#   util <- model <- render <- virt <- wait <- agent, and model <- serve;
# the root files (testbed.h, testbed.c, the public handles) see everything.
# The build enforces the libvirt half for util/, model/ and render/ too
# (libcloubed/poison/); this script is the readable rule, and covers the
# layer headers and libraries that the build cannot tell apart.
set -eu
src=${1:?usage: check-layers.sh SRCDIR}/libcloubed
status=0

# check FOLDER FORBIDDEN-ERE ["FILE HEADER" ...]: the pairs are known edges.
check() {
    folder=$1 forbidden=$2
    shift 2
    hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($forbidden)" \
        "$src/$folder"/*.[ch] 2>/dev/null | sed "s|^$src/||" || true)
    for allowed in "$@"; do
        file=${allowed%% *} header=${allowed#* }
        hits=$(printf '%s\n' "$hits" | grep -vE "^$file:[0-9]+:.*[<\"]$header[>\"]" || true)
    done
    hits=$(printf '%s\n' "$hits" | sed '/^$/d')
    if [ -n "$hits" ]; then
        echo "FAIL: $folder/ includes what lies above it (or another layer's private header):"
        printf '%s\n' "$hits"
        status=1
    fi
}

private='model/(parse|yaml_doc)\.h|render/xml_build\.h|virt/xml_read\.h|wait/event_names\.h|serve/http_paths\.h'
check util   "libvirt/|libxml/|yaml\.h|microhttpd|model/|render/|virt/|wait/|serve/|testbed\.h"
check model  "libvirt/|libxml/|microhttpd|render/|virt/|wait/|serve/|testbed\.h"
check render "libvirt/|yaml\.h|microhttpd|virt/|wait/|serve/|testbed\.h|model/(parse|yaml_doc)\.h"
# Known upward edges, listed so that no new one slips in:
# - connecting subscribes the testbed to lifecycle events at once (so that
#   none is lost between a boot and a wait) and holds the event loop;
# - a boot starts a new console log, which console waits must read afresh
#   (and so does a snapshot revert, which starts a new QEMU);
# - cleanup removes the files `gen` wrote.
check virt   "wait/|serve/|model/(parse|yaml_doc)\.h|render/xml_build\.h" \
    "virt/connection.c wait/event_loop.h" "virt/connection.c wait/events.h" \
    "virt/boot.c wait/events.h" "virt/cleanup.c serve/gen_record.h" \
    "virt/snapshot_revert.c wait/events.h"
check wait   "serve/|model/(parse|yaml_doc)\.h|render/xml_build\.h|virt/xml_read\.h"
check serve  "libvirt/|virt/|wait/|model/(parse|yaml_doc)\.h|render/xml_build\.h|virt/xml_read\.h"
# agent/ sits on wait/ (its wait ends like the others); its protocol is pure.
check agent  "serve/|model/(parse|yaml_doc)\.h|render/xml_build\.h|virt/xml_read\.h"
if grep -n 'include.*libvirt' "$src/agent/protocol.c" "$src/agent/protocol.h" 2>/dev/null; then
    echo "FAIL: agent/protocol.[ch] must stay pure (no libvirt)"
    status=1
fi

[ $status -eq 0 ] && echo "ok: layers include downwards only"
exit $status
