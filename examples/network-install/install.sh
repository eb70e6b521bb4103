#!/bin/sh
# The original tool's install.sh, with the cloubed command: generate the
# templates, boot from the network, wait for the installer to power off
# with the HTTP server on, then boot the installed disk.
# usage: install.sh CLOUBED    (run in the testbed directory's copy)
set -eu
cloubed=$(realpath "$1")
cd "$(dirname "$0")"
cb() { "$cloubed" -c cloubed.yaml "$@"; }
trap 'cb cleanup' EXIT

mkdir -p boot tftp http
cp /var/lib/cloubed/guest/vmlinuz /var/lib/cloubed/guest/initrd.img /var/lib/cloubed/guest/system.img boot/
cb gen --domain=target --filename=ipxe
cb gen --domain=target --filename=install
cb boot --domain=target --bootdev=network --overwrite-disks=yes --recreate-networks=yes
cb wait --domain=target --event=stopped:shutdown --enable-http --timeout 360
cb boot --domain=target
cb wait --domain=target --event "console:Command line: BOOT_IMAGE=vmlinuz" --timeout 180
cb wait --domain=target --event tcp:80 --timeout 180
echo "install.sh: installed over the network, then booted from the disk, with the command"
