#!/bin/sh
# Builds a real Debian 12 guest from Debian's packages only (the mirror this
# host's apt already uses; nothing from anywhere else), for the tests and
# examples that need a distribution: systemd, dbus, cloud-init (NoCloud),
# openssh-server, qemu-guest-agent, ifupdown + dhclient for cloud-init's
# network-config v2. mmdebstrap builds the tree (no image is mounted), then
# mke2fs -d turns it into an ext4 filesystem labelled "root" on the whole
# disk (no partition table), booted by direct kernel boot:
#   kernel OUTDIR/vmlinuz, initrd OUTDIR/initrd.img,
#   cmdline "root=/dev/vda ro console=ttyS0,115200"
# The image is generic: no host keys, no machine id, no users but root
# (locked); cloud-init configures each instance from its cidata seed.
#
# usage: build-debian.sh OUTDIR  -> OUTDIR/debian.qcow2, vmlinuz, initrd.img
# Rebuilt only when this script (the recipe, package list included)
# changes: OUTDIR/recipe holds the hash of the script that built it.
# Files are left world-readable so that QEMU (user libvirt-qemu) can read
# them. Run as root (mmdebstrap's root mode: packages' maintainer scripts
# run in a chroot with /proc, /sys and /dev mounted there for the time of
# the build). CLOUBED_DEBIAN_MIRROR overrides the mirror.
set -eu
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
recipe=$(sha256sum "$0" | cut -d' ' -f1)
if [ -s "$out/debian.qcow2" ] && [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ] &&
   [ "$(cat "$out/recipe" 2>/dev/null)" = "$recipe" ]; then
    echo "debian: $out is up to date"
    exit 0
fi

suite=bookworm
# ifupdown: cloud-init 22.4 renders network-config v2 to /etc/network/
# interfaces.d (its "eni" renderer); resolvconf: without it ifupdown drops the
# nameservers of a static configuration and the guest resolves no name.
packages="systemd-sysv udev dbus sudo cloud-init openssh-server qemu-guest-agent
linux-image-amd64 ifupdown isc-dhcp-client resolvconf netbase iproute2"

# The Debian mirror apt uses here: deb822 (debian.sources) or one-line format.
mirror=${CLOUBED_DEBIAN_MIRROR:-}
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk -v s="$suite" '
        /^[ \t]*$/ { if (uri != "" && ok) { print uri; exit } uri = ""; ok = 0; next }
        tolower($1) == "uris:"   { uri = $2 }
        tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == s) ok = 1 }
        END { if (uri != "" && ok) print uri }' /etc/apt/sources.list.d/debian.sources | head -n1)
fi
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
    mirror=$(sed -n "s/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) $suite .*main.*/\2/p" /etc/apt/sources.list | head -n1)
fi
[ -n "$mirror" ] || { echo "debian: no $suite mirror in /etc/apt/sources.list{,.d/debian.sources}" >&2; exit 1; }

tree=$out/.tree
# Never into a /proc, /sys or /dev that a failed build left mounted there.
clean() {
    if grep -q " $tree/" /proc/mounts; then
        echo "debian: $tree still has mounts, not removed" >&2
    else
        rm -rf --one-file-system "$tree"
    fi
    rm -f "$out"/*.tmp
}
clean
trap clean EXIT
start=$(date +%s)

# Written before the kernel is installed, so that its one initramfs is the
# small one:
# - MODULES=list with only what finds the root disk (virtio PCI + block,
#   ext4 and its checksum): Debian's MODULES=most is a ~30 MB initrd whose
#   unpacking and module probing cost seconds under TCG;
# - RESUME=none: otherwise the resume hook may record the build host's swap
#   and the guest's initramfs waits for it.
# (modules.d/ and conf.d/ belong to no package: no conffile prompt.)
pre_initramfs='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"
printf "MODULES=list\n" >"$1/etc/initramfs-tools/conf.d/cloubed"
printf "RESUME=none\n" >"$1/etc/initramfs-tools/conf.d/resume"
printf "virtio_pci\nvirtio_blk\next4\ncrc32c_generic\n" >"$1/usr/share/initramfs-tools/modules.d/cloubed"'

# shellcheck disable=SC2086
mmdebstrap --variant=minbase --quiet \
    --include="$(echo $packages | tr ' ' ',')" \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --essential-hook="$pre_initramfs" \
    "$suite" "$tree" "deb $mirror $suite main"

# One image, many instances: nothing of the build host or of one instance.
printf 'LABEL=root / ext4 defaults,errors=remount-ro 0 1\n' >"$tree/etc/fstab"
: >"$tree/etc/machine-id"          # systemd makes one at first boot
if [ -d "$tree/var/lib/dbus" ]; then                # dbus reads it there too
    rm -f "$tree/var/lib/dbus/machine-id"
    ln -s /etc/machine-id "$tree/var/lib/dbus/machine-id"
fi
echo localhost >"$tree/etc/hostname"   # cloud-init sets the instance's
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$tree/etc/hosts"
# resolvconf made it a link into /run; a file would be the build host's
[ -L "$tree/etc/resolv.conf" ] || : >"$tree/etc/resolv.conf"
rm -f "$tree"/etc/ssh/ssh_host_*       # cloud-init makes each instance's
mkdir -p "$tree/etc/network/interfaces.d"
printf 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n' \
    >"$tree/etc/network/interfaces"    # cloud-init writes 50-cloud-init there

cat >"$tree/etc/cloud/cloud.cfg.d/90-cloubed.cfg" <<'CFG'
# libcloubed's Debian test guest (tests/guest/build-debian.sh)
# A NoCloud seed (ISO9660 or vfat labelled cidata) or nothing: no probing
# of cloud metadata services.
datasource_list: [ NoCloud, None ]
# The locale module fails without a locale that exists (systemd then ends
# "degraded"); C.UTF-8 is built into libc.
locale: C.UTF-8
# One host key type: all four cost ~15 s under TCG.
ssh_genkeytypes: [ ed25519 ]
# The instance's name in /etc/hosts (127.0.1.1): sudo and others look it up.
manage_etc_hosts: localhost
CFG

# Units that only cost time under TCG, or reach outside the test network:
# - timers that fire at first boot (Persistent=true, never run yet) and
#   then compete with the test for the CPU: apt's daily update and upgrade
#   (would also try to reach the Debian mirror), dpkg's database backup,
#   logrotate, man-db, e2fsprogs' scrub and fstrim;
# - e2scrub_reap.service: a scan for LVM snapshots at every boot, and this
#   guest has no LVM.
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer logrotate.timer \
         man-db.timer e2scrub_all.timer fstrim.timer e2scrub_reap.service; do
    ln -sf /dev/null "$tree/etc/systemd/system/$u"
done

# What went in, for the record (and for a diff when the mirror moves on).
dpkg-query --admindir="$tree/var/lib/dpkg" -W -f='${Package} ${Version}\n' >"$out/packages.txt.tmp"
kernel=$(ls "$tree"/boot/vmlinuz-* | head -n1)
initrd=$(ls "$tree"/boot/initrd.img-* | head -n1)
cp "$kernel" "$out/vmlinuz.tmp"
cp "$initrd" "$out/initrd.img.tmp"
rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree"/var/lib/apt/lists/*_Packages

# The tree, with its owners and modes, straight into an ext4 filesystem:
# no loop device, no mount.
mke2fs -q -t ext4 -L root -d "$tree" "$out/root.ext4.tmp" 2G
qemu-img convert -f raw -O qcow2 "$out/root.ext4.tmp" "$out/debian.qcow2.tmp"
rm -f "$out/root.ext4.tmp"
chmod 0644 "$out"/*.tmp
mv "$out/packages.txt.tmp" "$out/packages.txt"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$out/initrd.img.tmp" "$out/initrd.img"
mv "$out/debian.qcow2.tmp" "$out/debian.qcow2"
echo "$recipe" >"$out/recipe"
chmod 0755 "$out"
echo "debian: built $out/debian.qcow2 ($(du -m "$out/debian.qcow2" | cut -f1) MiB, $(wc -l <"$out/packages.txt") packages," \
     "kernel ${kernel##*/vmlinuz-}, initrd $(du -k "$out/initrd.img" | cut -f1) KiB) in $(($(date +%s) - start)) s"
