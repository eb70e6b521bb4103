#!/bin/sh
# The original tool's install.sh, with the cloubed command: generate the
# templates, boot from the network, wait for the installer to power off
# with the HTTP server on, then boot the result.
# usage: install.sh CLOUBED    (run in the testbed directory's copy)
set -eu
cloubed=$(realpath "$1")
cd "$(dirname "$0")"
cb() { "$cloubed" -c cloubed.yaml "$@"; }
trap 'cb cleanup' EXIT

mkdir -p boot tftp http
cp /var/lib/cloubed/guest/vmlinuz /var/lib/cloubed/guest/initrd.img boot/
cb gen --domain=target --filename=ipxe
cb gen --domain=target --filename=install
cb boot --domain=target --bootdev=network --overwrite-disks=yes --recreate-networks=yes
cb wait --domain=target --event=stopped:shutdown --enable-http --timeout 360
cb boot --domain=verify
cb wait --domain=verify --event "console:disk vda says: installed target of testbed netinstall" --timeout 180
echo "install.sh: installed over the network and verified, with the command"
