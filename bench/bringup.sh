#!/bin/sh
# bench 1 and the `up` half of bench 5, called by bench/run.sh: ten tiny
# guests on qemu:///system. Boots guests: not for a shared CI machine.
# usage: bringup.sh BUILDDIR bringup|rss-up RUNS TMPDIR
set -eu
. bench/lib.sh
build=$1 case=$2 R=$3 tmp=$4
yaml=bench/data/tb10.yaml
ready="console:cloubed-guest: ready"
[ -e /var/lib/cloubed/guest/vmlinuz ] || sh scripts/setup.sh
ninja -C "$build" bench/bringup bench/baseline-bringup >/dev/null
. scripts/virt-env.sh   # TCG where setup found that KVM cannot run guests
field() { sed -n "s/.*$1 \([0-9.-]*\).*/\1/p"; }

if [ "$case" = rss-up ]; then
    lib="" base=""
    i=0; while [ $i -lt "$R" ]; do
        lib="$lib $("$build/bench/peak-rss" "$build/tools/cloubed/cloubed" -c "$yaml" up | cut -d' ' -f1)"
        "$build/tools/cloubed/cloubed" -c "$yaml" down --grace 0 --cleanup >/dev/null 2>&1
        base="$base $("$build/bench/peak-rss" virsh -c qemu:///system list | cut -d' ' -f1)"
        i=$((i + 1))
    done
    echo "bench 5: peak RSS of cloubed up, 10 domains (median of $R, KiB): $(median $lib)"
    echo "  virsh list (a bare libvirt client): $(median $base) KiB   ratio $(ratio "$(median $lib)" "$(median $base)")"
    exit 0
fi

echo "bench 1: ten tiny guests to all started / all ready (median of $R, s)"
best=""
for mode in seq threads conns; do
    s="" r=""
    i=0; while [ $i -lt "$R" ]; do
        out=$("$build/bench/baseline-bringup" "$yaml" "$mode")
        s="$s $(echo "$out" | field started)"
        out=$("$build/bench/baseline-bringup" "$yaml" "$mode" "cloubed-guest: ready")
        r="$r $(echo "$out" | field ready)"
        i=$((i + 1))
    done
    echo "  baseline $mode: started $(median $s)  ready $(median $r)"
    if [ "$mode" != seq ] && { [ -z "$best" ] || [ "$(ratio "$(median $s)" "$best")" \< 1.00 ]; }; then
        best=$(median $s)
    fi
done
for par in ${PARS:-0 4 8}; do
    s="" r="" w=""
    i=0; while [ $i -lt "$R" ]; do
        s="$s $("$build/bench/bringup" "$yaml" "$par" | field started)"
        r="$r $("$build/bench/bringup" "$yaml" "$par" "$ready" | field ready)"
        t0=$(date +%s.%N)
        "$build/tools/cloubed/cloubed" -c "$yaml" up --parallel "${par#0}" >/dev/null 2>&1 ||
            "$build/tools/cloubed/cloubed" -c "$yaml" up >/dev/null 2>&1
        w="$w $(echo "$(date +%s.%N) - $t0" | bc)"
        "$build/tools/cloubed/cloubed" -c "$yaml" cleanup >/dev/null 2>&1
        i=$((i + 1))
    done
    echo "  cb_testbed_up parallel=${par}: started $(median $s) (x$(ratio "$(median $s)" "$best") of the best parallel baseline, target <= 1.1)  ready $(median $r)  command wall $(median $w)"
done
