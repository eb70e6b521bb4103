#!/bin/sh
# Two instances of examples/cluster up at once on the real daemon, both
# working (every node reaches its peer), each cleaned up alone (plan11 §3.5).
# Until the command has --instance, the cluster example program drives the
# library: cluster FILE --instance NAME [--keep | --cleanup].
# Outside CI, a missing daemon or guest skips (77); in CI it fails.
# usage: run-instances.sh CLUSTER-EXAMPLE-DIR CLUSTER-PROGRAM
set -eu
src=$1 program=$(realpath "$2")
srcroot=$(cd "$(dirname "$0")/../.." && pwd)
guest=${CB_GUEST_DIR:-/var/lib/cloubed/guest}
if ! virsh -c qemu:///system version >/dev/null 2>&1 || [ ! -r "$guest/vmlinuz" ]; then
    case "${CI:-}" in
    ""|false) echo "SKIP: no libvirt daemon at qemu:///system or no guest in $guest (run scripts/setup.sh)"; exit 77 ;;
    *) echo "FAIL: no libvirt daemon at qemu:///system or no guest in $guest"; exit 1 ;;
    esac
fi
# The guest must know relative peers (eth0:.13): rebuilt when the script is
# newer than it (a no-op otherwise).
sh "$srcroot/tests/guest/build-guest.sh" "$guest"
export LIBVIRT_DEFAULT_URI=qemu:///system
work=$(mktemp -d)
v() { virsh -q "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
cleanup() {
    [ -d "$work/example" ] && (cd "$work/example" && "$program" cloubed.yaml --instance a --cleanup;
                               "$program" cloubed.yaml --instance b --cleanup) >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
chmod 0755 "$work"
cp -R "$src" "$work/example"
cd "$work/example"

# 1. both at once
"$program" cloubed.yaml --instance a --keep >"$work/a.out" 2>&1 & pa=$!
"$program" cloubed.yaml --instance b --keep >"$work/b.out" 2>&1 & pb=$!
ra=0 rb=0
wait $pa || ra=$?
wait $pb || rb=$?
cat "$work/a.out" "$work/b.out"
[ $ra -eq 0 ] || fail "instance a exited $ra"
[ $rb -eq 0 ] || fail "instance b exited $rb"
[ "$(grep -c 'reached' "$work/a.out")" -eq 3 ] || fail "instance a: not every node reached its peer"
[ "$(grep -c 'reached' "$work/b.out")" -eq 3 ] || fail "instance b: not every node reached its peer"

# 2. distinct /24s, taken from the documented range
subnet() { v net-dumpxml "$1" | sed -n "s/.*<ip address='\([0-9.]*\)'.*/\1/p"; }
user=$(id -un)
subnets=""
for i in a b; do
    for net in lan storage; do
        s=$(subnet "$user:cluster+$i:$net")
        case "$s" in 10.213.*.1) ;; *) fail "network $user:cluster+$i:$net has address '$s', not 10.213.X.1" ;; esac
        subnets="$subnets $s"
    done
done
echo "subnets:$subnets"
[ "$(echo $subnets | tr ' ' '\n' | sort -u | wc -l)" -eq 4 ] || fail "two networks share a /24:$subnets"
[ "$(v list --name | grep -c ":cluster+a:")" -eq 3 ] || fail "instance a does not have 3 running domains"
[ "$(v list --name | grep -c ":cluster+b:")" -eq 3 ] || fail "instance b does not have 3 running domains"

# 3. clean a up alone; b keeps running and still works
"$program" cloubed.yaml --instance a --cleanup || fail "cleanup of a"
[ "$(v list --all --name | grep -c ":cluster+a:" || true)" -eq 0 ] || fail "domains of a left"
[ "$(v net-list --all --name | grep -c ":cluster+a:" || true)" -eq 0 ] || fail "networks of a left"
[ ! -e .cloubed/cluster+a ] || fail "state directory of a left"
for n in node1 node2 node3; do
    [ "$(v domstate "$user:cluster+b:$n")" = running ] || fail "b's $n is not running after a's cleanup"
done
log=.cloubed/cluster+b/node2.console.log
before=$(grep -c 'peer .* says: node1' "$log" || true)
v reset "$user:cluster+b:node2" >/dev/null
i=0
until [ "$(grep -c 'peer .* says: node1' "$log" || true)" -gt "$before" ]; do
    i=$((i + 1))
    [ $i -le 180 ] || fail "b's node2 did not reach node1 again after a reset"
    sleep 1
done
echo "instance b alone: $(grep 'peer .* says: node1' "$log" | tail -n 1)"

# 4. clean b up: nothing of the cluster is left
"$program" cloubed.yaml --instance b --cleanup || fail "cleanup of b"
[ "$(v list --all --name | grep -c ":cluster+" || true)" -eq 0 ] || fail "domains left"
[ "$(v net-list --all --name | grep -c ":cluster+" || true)" -eq 0 ] || fail "networks left"
[ ! -e .cloubed ] || fail ".cloubed left: $(ls -A .cloubed)"
echo "ok: two instances side by side, each cleaned up alone"
