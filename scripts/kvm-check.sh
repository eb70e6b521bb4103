#!/bin/sh
# Decides whether KVM really runs guests on this host, the way a
# distribution would set it up, and writes the verdict for demo.sh and
# test.sh: "kvm" or "qemu" (TCG), then the reason, on one line.
#
# 1. /dev/kvm gets group kvm and mode 0660 when no udev did so (QEMU runs as
#    libvirt-qemu, a member of group kvm; libvirtd, as root, would offer KVM
#    anyway and QEMU would fail with "Permission denied").
# 2. The tiny guest boots once under -accel kvm, as libvirt-qemu, with a
#    deadline: only its own banner on the serial console proves that KVM
#    runs an ordinary guest kernel (a nested hypervisor such as kvm_pvm starts
#    QEMU and then hangs the kernel forever, printing nothing).
#
# usage: kvm-check.sh GUEST_DIR VERDICT_FILE
set -eu
guest=$1 verdict=$2
deadline=30   # seconds; under working KVM the banner comes within about 2 s
banner="cloubed-guest: init started"

say() { # VERDICT REASON
    printf '%s %s\n' "$1" "$2" >"$verdict.tmp"
    mv "$verdict.tmp" "$verdict"
    if [ "$1" = kvm ]; then
        echo "setup: KVM runs guests on this host: guests use it"
    else
        echo "setup: $2: guests run under TCG (CLOUBED_VIRT_TYPE=qemu)"
    fi
    exit 0
}

mkdir -p "$(dirname "$verdict")"
[ -c /dev/kvm ] || say qemu "no /dev/kvm on this host"
if [ "$(stat -c %G /dev/kvm)" != kvm ] || [ $((0$(stat -c %a /dev/kvm) & 060)) -ne 48 ]; then
    chgrp kvm /dev/kvm && chmod 0660 /dev/kvm ||
        say qemu "/dev/kvm cannot be given to group kvm"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# setpriv execs QEMU itself, so that $! is QEMU's pid. The shell opens the
# log as root; QEMU only writes to the descriptor it inherits.
setpriv --reuid=libvirt-qemu --regid=kvm --init-groups -- \
    qemu-system-x86_64 -accel kvm -machine pc -m 128 -nodefaults -no-user-config \
    -display none -serial stdio -no-reboot \
    -kernel "$guest/vmlinuz" -initrd "$guest/initrd.img" \
    -append "console=ttyS0 panic=-1 cloubed.hostname=kvmcheck" >"$log" 2>&1 </dev/null &
pid=$!
i=0
while [ $i -lt $((deadline * 10)) ]; do
    if grep -q "$banner" "$log"; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        say kvm "the tiny guest booted under KVM"
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        why=$(grep -m1 -iE 'kvm|error' "$log" | cut -c1-200)
        say qemu "QEMU cannot use KVM here (${why:-it exited at once})"
    fi
    sleep 0.1
    i=$((i + 1))
done
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
say qemu "KVM starts QEMU but the guest printed nothing within $deadline s (a nested KVM that cannot run an ordinary guest kernel)"
