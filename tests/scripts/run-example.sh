#!/bin/sh
# Runs an example's script on a copy of its folder, so tests never write
# into the source tree. Outside CI, a missing libvirt daemon or test guest
# skips (exit 77) with the reason; in CI it fails.
# usage: run-example.sh EXAMPLE-DIR SCRIPT-OR-PROGRAM ARGS...
#   a .sh script runs with sh; a program runs in the copy with cloubed.yaml
set -eu
src=$1 script=$2
shift 2
guest=${CB_GUEST_DIR:-/var/lib/cloubed/guest}
if ! virsh -c qemu:///system version >/dev/null 2>&1 || [ ! -r "$guest/vmlinuz" ]; then
    case "${CI:-}" in
    ""|false) echo "SKIP: no libvirt daemon at qemu:///system or no guest in $guest (run scripts/setup.sh)"; exit 77 ;;
    *) echo "FAIL: no libvirt daemon at qemu:///system or no guest in $guest"; exit 1 ;;
    esac
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"   # QEMU (libvirt-qemu) must reach the disks in there
cp -R "$src" "$work/example"
case "$script" in
*.sh) sh "$work/example/$script" "$@" ;;
*) program=$(realpath "$script"); cd "$work/example" && "$program" cloubed.yaml "$@" ;;
esac
