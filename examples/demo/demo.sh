#!/bin/sh
# The demo, with the cloubed command only: boot a guest, show its status,
# wait until it is ready, shut it down through ACPI, clean up.
# usage: demo.sh CLOUBED     (a libvirt daemon and the tiny guest are needed)
set -eu
cloubed=$(realpath "$1")
cd "$(dirname "$0")"
cb() { "$cloubed" -c cloubed.yaml "$@"; }
timeout=180   # seconds: TCG guests are slow on a busy machine

trap 'cb cleanup' EXIT
cb check
cb boot --domain guest
cb status
# Readiness, three ways: the boot event, the console's line, the HTTP port.
cb wait --domain guest --event started:booted --timeout $timeout
cb wait --domain guest --event "console:cloubed-guest: ready 10.99.0.10" --timeout $timeout
cb wait --domain guest --event tcp:80 --timeout $timeout
echo "demo: guest is ready at 10.99.0.10"
cb shutdown --domain guest
cb wait --domain guest --event stopped:shutdown --timeout $timeout
echo "demo: guest powered off (ACPI)"
cb status --json
trap - EXIT
cb cleanup
[ ! -e .cloubed ] && [ ! -e pool ] || { echo "demo: files were left behind" >&2; exit 1; }
echo "demo: done, nothing left behind"
