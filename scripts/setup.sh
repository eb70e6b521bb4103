#!/bin/sh
# Installs what libcloubed needs to build and test, from Debian 12's
# packages, starts the libvirt daemons when they are not running, builds
# the tiny test guest, and finds out whether KVM really runs guests here
# (scripts/kvm-check.sh). Safe to run again. Run as root.
set -eu
cd "$(dirname "$0")/.."

packages="gcc clang libclang-rt-14-dev meson ninja-build pkg-config valgrind
libvirt-dev libyaml-dev libxml2-dev libmicrohttpd-dev libglib2.0-dev libjson-glib-dev libcmocka-dev curl
libvirt-clients libvirt-daemon-system libvirt-daemon-system-sysv libvirt-daemon-driver-qemu
qemu-system-x86 qemu-utils dnsmasq-base iptables
syslinux syslinux-common mtools dosfstools fdisk
libisofs-dev openssh-client genisoimage
mmdebstrap
scdoc gtk-doc-tools"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # --force-conf*: never stop at a conffile prompt when /etc files pre-exist.
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing
elif ! apt-cache depends linux-image-amd64 >/dev/null 2>&1; then
    apt-get update -q   # the guest builder resolves the kernel package
fi

# Package scripts do not start services here: start them, once.
start_daemon() { # NAME SOCKET
    [ -S "$2" ] && pgrep -x "$1" >/dev/null && return 0
    mkdir -p /var/log/libvirt
    if [ -x "/etc/init.d/$1" ]; then "/etc/init.d/$1" start >/dev/null; else "$1" -d; fi
    i=0
    while [ ! -S "$2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    [ -S "$2" ] || { echo "setup: $1 did not start" >&2; exit 1; }
}
start_daemon virtlogd /run/libvirt/virtlogd-sock
start_daemon libvirtd /run/libvirt/libvirt-sock

# The tiny guest, where QEMU (user libvirt-qemu) can read it.
guest=${CLOUBED_GUEST_DIR:-/var/lib/cloubed/guest}
sh tests/guest/build-guest.sh "$guest"
# The Debian 12 guest (cloud-init, SSH, guest agent) of the distribution
# tests and examples: about 2 to 6 minutes the first time, then cached.
sh tests/guest/build-debian.sh "${CLOUBED_DEBIAN_DIR:-/var/lib/cloubed/debian}"

# KVM as a distribution sets it up, then proven on the tiny guest; the
# verdict tells demo.sh and test.sh (scripts/virt-env.sh) whether to use TCG.
sh scripts/kvm-check.sh "$guest" /var/lib/cloubed/kvm-verdict
