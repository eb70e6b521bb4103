# bench/lib.sh: helpers sourced by bench/run.sh (POSIX sh).

# median V...: the median of the numbers given (the lower middle one for an
# even count, so that it is always a measured value).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ratio A B: A / B with two decimals.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "inf" }'
}

# machine_description BUILDDIR: what the figures were measured on. The
# machine is shared: the load average is part of the result.
machine_description() {
    echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpus:      $(nproc) x $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p')"
    echo "memory:    $(awk '/MemTotal/ { printf "%.1f GiB\n", $2 / 1048576 }' /proc/meminfo)"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
    echo "kernel:    $(uname -r)"
    echo "libvirtd:  $(libvirtd --version 2>/dev/null || echo none)"
    echo "qemu:      $(qemu-system-x86_64 --version 2>/dev/null | head -n 1 || echo none)"
    if [ -e /dev/kvm ]; then echo "kvm:       /dev/kvm present (scripts/kvm-check.sh decides at run time)"
    else echo "kvm:       no /dev/kvm: TCG"; fi
    echo "gcc:       $(gcc --version | head -n 1)"
    echo "buildtype: $(meson introspect --buildoptions "$1" 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"][0])' 2>/dev/null || echo unknown)"
}
