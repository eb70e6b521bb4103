#!/bin/sh
# The example, then the command on the same testbed: the program brings the
# two guests up and checks them (kept running with --keep), then
# `cloubed ssh` logs in with the testbed's own key as the cloud-init user,
# reads the mark cloud-init wrote and uses the sudo rule it set, and
# `cloubed cleanup` leaves the pool's directory empty.
# usage: ssh.sh PROGRAM CLOUBED    (run in the testbed directory's copy)
set -eu
program=$(realpath "$1")
cloubed=$(realpath "$2")
cd "$(dirname "$0")"
cb() { "$cloubed" -c cloubed.yaml "$@"; }
trap 'cb cleanup' EXIT

"$program" cloubed.yaml --keep
mark=$(cb ssh --domain deb1 -- cat /var/lib/debian-cloud.mark)
[ "$mark" = "configured deb1" ] || { echo "ssh.sh: deb1's mark reads '$mark'" >&2; exit 1; }
[ "$(cb ssh --domain deb2 -- sudo -n id -un)" = root ] ||
    { echo "ssh.sh: no passwordless sudo for the cloud-init user on deb2" >&2; exit 1; }
echo "ssh.sh: cloubed ssh logged in to both guests with the testbed's key"
trap - EXIT
cb cleanup
# the pool's directory goes too when the testbed created it
left=$(ls -A pool 2>/dev/null || true)
[ -z "$left" ] || { echo "ssh.sh: cleanup left in pool/: $left" >&2; exit 1; }
echo "ssh.sh: cleanup left nothing in pool/"
