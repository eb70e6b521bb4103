#!/bin/sh
# Builds the tiny test guest from Debian packages only (no download from
# anywhere else): Debian's kernel (linux-image-amd64) and an initramfs made of
# busybox-static and the kernel's virtio modules.
#
# The guest loads the virtio modules, takes a DHCP lease on every network
# interface, powers off cleanly on the ACPI power button (busybox acpid),
# serves HTTP on port 80 (busybox httpd; / answers its hostname and address),
# and prints "cloubed-guest: ready ADDRESS" on its serial console.
# It runs Debian's QEMU guest agent (qemu-ga from qemu-guest-agent, with the
# shared libraries ldd finds for it on this host, the same Debian release) on
# the virtio-serial port org.qemu.guest_agent.0 (with busybox's hwclock at
# /sbin/hwclock, which the agent's guest-set-time runs), and prints
# "cloubed-guest: agent started on /dev/vportNpM" as soon as the
# virtio modules are loaded.
# Kernel command line options (cloubed.NAME=VALUE):
#   hostname=H   its name
#   mark=TEXT    writes TEXT as the first line of its disk vda when the disk
#                holds no text yet ("cloubed-guest: disk vda now says: TEXT")
#   peer=ADDR    once ready, fetches http://ADDR/ and prints
#                "cloubed-guest: peer ADDR says: PAGE"; ADDR may be relative,
#                IFACE:.N, "host N of the /24 that IFACE got from DHCP" (for
#                networks whose /24 is chosen at creation: `address: auto`)
#   install=URL  an installer: fetches the install file at URL, whose line
#                "image IMAGE-URL" names a disk image, writes that image
#                onto vda, prints "cloubed-guest: installed IMAGE-URL",
#                powers off
#   agent=off    does not start the QEMU guest agent (a guest "without agent")
# It also makes OUTDIR/system.img: a bootable disk (MBR, a FAT partition,
# syslinux) holding the same kernel and initramfs, which boots with
# cloubed.hostname=installed: what the network-install example installs.
# At boot it prints "cloubed-guest: disk vda says: LINE" for a disk whose
# first line is text.
#
# usage: build-guest.sh OUTDIR     -> OUTDIR/vmlinuz, OUTDIR/initrd.img, OUTDIR/system.img
# Files are left world-readable so that QEMU (user libvirt-qemu) can read them.
set -eu
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -s "$out/vmlinuz" ] && [ -s "$out/system.img" ] && [ "$out/initrd.img" -nt "$0" ]; then
    echo "guest: $out is up to date"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)
[ -n "$kpkg" ] || { echo "guest: cannot resolve linux-image-amd64 (run apt-get update)" >&2; exit 1; }
mkdir -p "$out/debs"
(cd "$out/debs" && for p in "$kpkg" busybox-static qemu-guest-agent; do
    # apt's sandbox user cannot write here; apt falls back to root and says so.
    ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p" >/dev/null 2>&1 || true
    ls "${p}"_*.deb >/dev/null 2>&1 || { echo "guest: apt-get download $p failed" >&2; exit 1; }
done)
dpkg-deb -x "$(ls "$out/debs/${kpkg}"_*.deb | head -n1)" "$work/kernel"
dpkg-deb -x "$(ls "$out/debs"/busybox-static_*.deb | head -n1)" "$work/bb"
dpkg-deb -x "$(ls "$out/debs"/qemu-guest-agent_*.deb | head -n1)" "$work/qga"
kver=$(ls "$work/kernel/lib/modules")

root=$work/root
mkdir -p "$root/bin" "$root/lib/modules" "$root/etc/acpi/PWRF" "$root/www" \
         "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/var/log" "$root/run"
cp "$work/bb/bin/busybox" "$root/bin/busybox"
# qemu-ga and what it links: the libraries and the loader, at the paths ldd
# names (the host is the same Debian release as the package).
cp "$work/qga/usr/sbin/qemu-ga" "$root/bin/qemu-ga"
ldd "$work/qga/usr/sbin/qemu-ga" | sed -n 's|.*=> \(/[^ ]*\) .*|\1|p; s|^[[:space:]]*\(/[^ ]*\) .*|\1|p' |
while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || { echo "guest: ldd gave no loader for qemu-ga" >&2; exit 1; }
strip -s "$root/bin/qemu-ga" 2>/dev/null || true
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
         failover net_failover virtio_net virtio_blk virtio_console button evdev; do
    cp "$(find "$work/kernel/lib/modules/$kver" -name "$m.ko" | head -n1)" "$root/lib/modules/"
done

cat >"$root/etc/acpi/PWRF/00000080" <<'SH'
#!/bin/sh
echo "cloubed-guest: power button, powering off" >/dev/console
sync
poweroff -f
SH

cat >"$root/bin/udhcpc-script" <<'SH'
#!/bin/sh
case "$1" in
bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "${router:-}" ] && ip route replace default via "${router%% *}" dev "$interface"
    echo "$ip" >"/run/ip-$interface"
    echo "cloubed-guest: $interface has address $ip" >/dev/console
    ;;
esac
SH

cat >"$root/init" <<'SH'
#!/bin/busybox sh
/bin/busybox --install -s /bin
# qemu-ga's guest-set-time runs /sbin/hwclock (cb_domain_sync_clock)
mkdir -p /sbin && ln -s /bin/busybox /sbin/hwclock
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
echo "cloubed-guest: init started"
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
         failover net_failover virtio_net virtio_blk virtio_console button evdev; do
    insmod /lib/modules/$m.ko 2>/dev/null
done
acpid -c /etc/acpi -l /var/log/acpid.log
arg() { sed -n "s/.*cloubed.$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline; }
# The guest agent, on the virtio-serial port the domain XML names (no udev:
# the port's name is in sysfs). cloubed.agent=off: a guest without agent.
if [ "$(arg agent)" != off ]; then
    for p in /sys/class/virtio-ports/*; do
        [ "$(cat "$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] || continue
        qemu-ga -d -m virtio-serial -p "/dev/${p##*/}" -t /run -f /run/qemu-ga.pid &&
            echo "cloubed-guest: agent started on /dev/${p##*/}"
    done
fi
# fetch URL: the body of an HTTP/1.0 GET on stdout. busybox-static's wget
# crashes (static glibc, no NSS), its nc does not.
fetch() {
    u=${1#http://}; hp=${u%%/*}; p=/${u#*/}
    [ "$hp" = "$u" ] && p=/
    h=${hp%:*}; port=${hp##*:}
    [ "$port" = "$hp" ] && port=80
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$p" "$hp" | nc -w 10 "$h" "$port" >/tmp/resp 2>/dev/null || return 1
    head -n 1 /tmp/resp | grep -q ' 200 ' || return 1
    # binary-safe: skip the header's bytes, whatever the body holds
    hlen=$(sed -n '1,/^\r$/p;/^\r$/q' /tmp/resp | wc -c)
    tail -c +$((hlen + 1)) /tmp/resp
    rm -f /tmp/resp
}
hostname "$(arg hostname)"
[ -n "$(hostname)" ] && [ "$(hostname)" != "(none)" ] || hostname guest
ip link set lo up
addrs=""
for dev in /sys/class/net/eth*; do
    [ -e "$dev" ] || continue
    i=${dev##*/}
    ip link set "$i" up
    udhcpc -i "$i" -s /bin/udhcpc-script -t 20 -T 1 -A 1 -n -q >/dev/null 2>&1 &
done
wait
for f in /run/ip-*; do [ -e "$f" ] && addrs="$addrs $(cat "$f")"; done
for b in /sys/block/vd*; do [ -e "$b" ] && echo "cloubed-guest: disk ${b##*/} present"; done
mark=$(arg mark)
if [ -b /dev/vda ]; then
    line=$(head -c 512 /dev/vda | tr -d '\000' | head -n 1)
    printf '%s' "$line" | grep -q '^[[:print:]]*$' || line="" # a boot sector is no text
    [ -n "$line" ] && echo "cloubed-guest: disk vda says: $line"
    if [ -n "$mark" ] && [ -z "$line" ]; then
        printf '%s\n' "$mark" | dd of=/dev/vda conv=fsync 2>/dev/null
        echo "cloubed-guest: disk vda now says: $mark"
    fi
fi
install=$(arg install)
if [ -n "$install" ]; then
    image=""
    fetch "$install" >/tmp/install.txt && image=$(sed -n 's/^image //p' /tmp/install.txt)
    if [ -n "$image" ] && fetch "$image" >/dev/vda; then
        sync
        echo "cloubed-guest: installed $image"
    else
        echo "cloubed-guest: install from $install failed"
    fi
    sync
    poweroff -f
fi
echo "$(hostname)$addrs" >/www/index.html
httpd -p 80 -h /www
echo "cloubed-guest: ready$addrs"
peer=$(arg peer)
case "$peer" in
*:.*)   # IFACE:.N -> the same /24 as IFACE's address, host N
    mine=$(cat "/run/ip-${peer%%:*}" 2>/dev/null || true)
    peer=${mine%.*}.${peer#*:.}
    ;;
esac
if [ -n "$peer" ]; then
    i=0
    until page=$(fetch "http://$peer/") || [ $i -ge 60 ]; do sleep 1; i=$((i + 1)); done
    echo "cloubed-guest: peer $peer says: ${page:-nothing}"
fi
while :; do sleep 3600; done
SH
chmod 0755 "$root/init" "$root/bin/udhcpc-script" "$root/etc/acpi/PWRF/00000080"

# Debian's host has no cpio by default: busybox's own writes the archive.
(cd "$root" && find . | "$work/bb/bin/busybox" cpio -o -H newc) >"$work/initrd.cpio"
gzip -9 <"$work/initrd.cpio" >"$out/initrd.img.tmp"
cp "$work/kernel/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
chmod 0644 "$out/initrd.img.tmp" "$out/vmlinuz.tmp"
# A bootable disk of the same system: MBR, one FAT partition at 1 MiB with
# syslinux, the kernel and the initramfs; mtools writes it without mounting.
img=$work/system.img
dd if=/dev/zero of="$img" bs=1M count=16 status=none
echo 'start=2048, type=e, bootable' | sfdisk -q "$img"
mkfs.vfat --offset 2048 -n CLOUBED "$img" 14336 >/dev/null 2>&1
syslinux --install --offset $((2048 * 512)) "$img"
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$img" conv=notrunc bs=440 count=1 status=none
printf 'DEFAULT cloubed\nPROMPT 0\nTIMEOUT 0\nLABEL cloubed\n  KERNEL vmlinuz\n  INITRD initrd.img\n  APPEND console=ttyS0 no_timer_check cloubed.hostname=installed\n' >"$work/syslinux.cfg"
mcopy -i "$img@@1M" "$out/vmlinuz.tmp" ::vmlinuz
mcopy -i "$img@@1M" "$out/initrd.img.tmp" ::initrd.img
mcopy -i "$img@@1M" "$work/syslinux.cfg" ::syslinux.cfg
chmod 0644 "$img"
mv "$img" "$out/system.img"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$out/initrd.img.tmp" "$out/initrd.img"
chmod 0755 "$out"
echo "guest: built $out/vmlinuz ($kver), $out/initrd.img ($(du -k "$out/initrd.img" | cut -f1) KiB), $out/system.img"
