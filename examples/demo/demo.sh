#!/bin/sh
# The demo, with the cloubed command only: boot a guest, show its status and
# wait until it is ready, shut it down through ACPI, clean up.
# usage: demo.sh CLOUBED     (a libvirt daemon and the tiny guest are needed)
set -eu
cloubed=$(realpath "$1")
cd "$(dirname "$0")"
conf=cloubed.yaml
timeout=180   # seconds: TCG guests are slow on a busy machine

# wait_for DESCRIPTION COMMAND...: polls until COMMAND succeeds.
wait_for() {
    what=$1
    shift
    start=$(date +%s)
    until "$@" >/dev/null 2>&1; do
        [ $(($(date +%s) - start)) -lt $timeout ] || { echo "demo: timed out waiting for $what" >&2; exit 1; }
        sleep 0.5
    done
    echo "demo: $what after $(($(date +%s) - start)) s"
}

trap '"$cloubed" -c "$conf" cleanup' EXIT
"$cloubed" -c "$conf" check
"$cloubed" -c "$conf" boot --domain guest
"$cloubed" -c "$conf" status
wait_for "the guest is ready" grep -q "cloubed-guest: ready 10.99.0.10" .cloubed/demo/guest.console.log
# Its HTTP port answers with its name and address.
wait_for "the guest answers on 10.99.0.10:80" bash -c 'exec 3<>/dev/tcp/10.99.0.10/80'
"$cloubed" -c "$conf" shutdown --domain guest
wait_for "the guest powered off (ACPI)" sh -c "\"$cloubed\" -c $conf status --json | grep -q '\"status\": \"shutoff\"'"
"$cloubed" -c "$conf" status --json
trap - EXIT
"$cloubed" -c "$conf" cleanup
[ ! -e .cloubed ] || { echo "demo: .cloubed was left behind" >&2; exit 1; }
echo "demo: done, nothing left behind"
