#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-kill9.sh CLOUBED: kill -9 convergence of `cloubed up` on the real
# daemon (plan 11 §2.5). An up of three tiny guests is killed with SIGKILL
# as soon as it says its first domain started (a line, not a sleep); a
# second up completes it (all running, no "already exists"), a third has
# nothing to do, and cleanup leaves nothing of the testbed. Needs
# qemu:///system and the guest of scripts/setup.sh: without them it skips
# (77), in CI (CI=true) it fails.
set -u
cloubed=$1
guest=${CB_GUEST_DIR:-/var/lib/cloubed/guest}
uri=qemu:///system
skip() { echo "skip: $*"; [ "${CI:-}" = true ] && exit 1; exit 77; }
[ -r "$guest/vmlinuz" ] && [ -r "$guest/initrd.img" ] || skip "no tiny guest in $guest"
virsh -c "$uri" uri >/dev/null 2>&1 || skip "cannot connect to $uri"

tmp=$(mktemp -d)
chmod 0755 "$tmp" # QEMU runs as libvirt-qemu: it must reach the disks
fails=0
ok() { echo "ok: $1"; }
ko() { echo "FAIL: $1"; fails=$((fails + 1)); }
run() { "$cloubed" -c "$tmp/cloubed.yaml" --connect "$uri" "$@"; }
# The testbed's objects in libvirt: NAME is user:kill9:thing.
ours() { grep -c ':kill9:' || true; }
finish() { run cleanup >/dev/null 2>&1; rm -rf "$tmp"; }
trap finish EXIT

dom() {
    cat <<DOM
  - name: $1
    cpu: 1
    memory: 128M
    graphics: none
    kernel: $guest/vmlinuz
    initrd: $guest/initrd.img
    cmdline: console=ttyS0 no_timer_check cloubed.hostname=$1
    netifs: [{network: lab, ip: $2}]
    disks: [{device: vda, name: $1-disk, size: 1, backing: base}]
DOM
}
{
    printf 'testbed: kill9\nstoragevolumes:\n  - {name: base, size: 1}\n'
    printf 'networks:\n  - name: lab\n    address: 10.235.0.1/24\n'
    printf 'domains:\n'
    dom k1 10.235.0.11; dom k2 10.235.0.12; dom k3 10.235.0.13
} >"$tmp/cloubed.yaml"
run cleanup >/dev/null 2>&1 # a previous run's leftovers, if any

# 1. Killed after its first domain started. Plain progress lines go to
# stderr when it is not a terminal; the pipe is a FIFO so that the reader
# sees each line as it is written.
mkfifo "$tmp/progress"
run up --parallel 1 >"$tmp/out1" 2>"$tmp/progress" </dev/null &
pid=$!
killed=no
while IFS= read -r line; do
    echo "$line" >>"$tmp/err1"
    case $line in
    *": started ("*) kill -9 "$pid"; killed=yes; break ;;
    esac
done <"$tmp/progress"
wait "$pid"; st=$?
if [ $killed = yes ] && [ $st -eq 137 ]; then ok "up killed after its first start"; else
    ko "up killed (killed=$killed status $st)"; cat "$tmp/err1"; fi
running=$(virsh -c "$uri" list --name | ours)
[ "$running" -ge 1 ] && [ "$running" -lt 3 ] && ok "killed with $running of 3 running" ||
    ko "after the kill: $running running"

# 2. The rerun converges.
run up >"$tmp/out2" 2>"$tmp/err2" </dev/null; st=$?
running=$(virsh -c "$uri" list --name | ours)
if [ $st -eq 0 ] && [ "$running" -eq 3 ] && ! grep -qi 'already exists' "$tmp/err2"; then
    ok "rerun: all 3 running"; else ko "rerun (status $st, $running running)"; cat "$tmp/err2"; fi

# 3. Nothing left to do.
run up >"$tmp/out3" 2>"$tmp/err3" </dev/null; st=$?
if [ $st -eq 0 ] && grep -q '^testbed kill9 is already up (3 domains running): nothing to do$' "$tmp/out3"
then ok "third up: nothing to do"; else ko "third up (status $st)"; cat "$tmp/out3" "$tmp/err3"; fi

# 4. Cleanup leaves nothing: domains, networks, pools, volumes.
run cleanup >"$tmp/out4" 2>"$tmp/err4" </dev/null; st=$?
left=$( (virsh -c "$uri" list --all --name; virsh -c "$uri" net-list --all --name
         virsh -c "$uri" pool-list --all --name
         for p in $(virsh -c "$uri" pool-list --name); do virsh -c "$uri" vol-list "$p"; done) | ours)
if [ $st -eq 0 ] && [ "$left" -eq 0 ]; then ok "cleanup leaves nothing"; else
    ko "cleanup (status $st, $left objects left)"; cat "$tmp/err4"; fi
[ $fails -eq 0 ]
