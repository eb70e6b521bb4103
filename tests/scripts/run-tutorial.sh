#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# run-tutorial.sh BUILDDIR SRCDIR: runs docs/tutorial.md as written, so that
# it cannot rot. In the Markdown, a fenced block whose info string is
#   ```LANG tutorial-file=NAME   is a file, written as NAME;
#   ```sh tutorial               is commands, run;
# all in document order, in one `sh -eu`, from an empty directory. Other
# blocks are for reading only.
#
# The one step not run as the tutorial writes it is the install: here
# `meson install` goes into a temporary DESTDIR, and pkg-config
# (PKG_CONFIG_SYSROOT_DIR), the loader and PATH are pointed at it. The tiny
# guest is $CB_GUEST_DIR when set (as for the other e2e tests), else
# /var/lib/cloubed/guest as the tutorial says. Without a libvirt daemon or
# the guest it skips, unless CI=true: then it fails.
set -eu
build=$(cd "${1:?usage: run-tutorial.sh BUILDDIR SRCDIR}" && pwd)
src=$(cd "${2:?}" && pwd)
doc="$src/docs/tutorial.md"
guest=${CB_GUEST_DIR:-/var/lib/cloubed/guest}

if [ ! -s "$guest/vmlinuz" ] || ! virsh -c qemu:///system uri >/dev/null 2>&1; then
    echo "tutorial: no libvirt daemon at qemu:///system or no guest in $guest (run scripts/setup.sh)"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi

tmp=$(mktemp -d)
chmod 755 "$tmp"   # QEMU (libvirt-qemu) reaches the disks under it
cleanup() {
    # Whatever failed, leave nothing in libvirt.
    if [ -f "$tmp/work/tutorial/cloubed.yaml" ]; then
        PATH="$bindir:$PATH" cloubed -c "$tmp/work/tutorial/cloubed.yaml" cleanup >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
bindir=/nonexistent
trap cleanup EXIT

# 1. libcloubed installed, into $tmp/root.
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >/dev/null
pc=$(find "$tmp/root" -name cloubed.pc | head -n 1)
lib=$(find "$tmp/root" -name 'libcloubed.so.0' | head -n 1)
exe=$(find "$tmp/root" -path '*/bin/cloubed' | head -n 1)
[ -n "$pc" ] && [ -n "$lib" ] && [ -n "$exe" ] || { echo "tutorial: meson install gave no cloubed.pc, library or command"; exit 1; }
bindir=$(dirname "$exe")
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
export LD_LIBRARY_PATH="$(dirname "$lib")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$bindir:$PATH"

# 2. The tutorial as one script: files as here-documents, commands as they are.
awk '
    /^```/ && inblock { if (kind == "file") print "TUTORIAL_EOF"; inblock = 0; next }
    /^```[A-Za-z0-9]+ +tutorial-file=[^ ]+ *$/ {
        name = $0; sub(/.*tutorial-file=/, "", name); sub(/ *$/, "", name)
        printf "cat >%s <<'"'"'TUTORIAL_EOF'"'"'\n", name
        inblock = 1; kind = "file"; files++; next }
    /^```[A-Za-z0-9]+ +tutorial *$/ { inblock = 1; kind = "cmd"; cmds++; next }
    /^```/ { inblock = 1; kind = "skip"; next }
    inblock && kind != "skip" { print }
    END { if (inblock) { print "unterminated block" > "/dev/stderr"; exit 1 }
          printf "# %d files, %d command blocks\n", files, cmds }
' "$doc" >"$tmp/tutorial.sh"
blocks=$(tail -n 1 "$tmp/tutorial.sh")
case "$blocks" in
    "# 0 files"* | *" 0 command blocks") echo "tutorial: no marked blocks in $doc ($blocks)"; exit 1 ;;
esac
if [ "$guest" != /var/lib/cloubed/guest ]; then
    sed -i "s|/var/lib/cloubed/guest|$guest|g" "$tmp/tutorial.sh"
fi

# 3. Run it, from an empty directory, each command shown.
mkdir "$tmp/work"
echo "tutorial: running $doc ($blocks) with $(cloubed --version), guest $guest"
(cd "$tmp/work" && sh -eux "$tmp/tutorial.sh")
echo "ok: every command and file of docs/tutorial.md ran"
