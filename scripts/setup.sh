#!/bin/sh
# Installs what libcloubed needs to build and test, from Debian 12's
# packages. Safe to run again. Run as root (or through sudo).
set -eu

packages="gcc meson ninja-build pkg-config valgrind
libvirt-dev libyaml-dev libxml2-dev nettle-dev libcmocka-dev"

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
fi
