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

# Rounds interleaved: each round runs every baseline mode and every case of
# ours once, so that the shared machine's load falls on all alike.
# MODES: baseline modes (default seq threads conns); READY=0: to all started
# only; OTHER=BUILDDIR: also another build's cb_testbed_up (a before/after
# comparison in one run).
modes=${MODES:-seq threads conns}
echo "bench 1: ten tiny guests to all started / all ready (median of $R, s; rounds interleaved; load $(cut -d' ' -f1-3 /proc/loadavg))"
i=0; while [ $i -lt "$R" ]; do
    for mode in $modes; do
        out=$("$build/bench/baseline-bringup" "$yaml" "$mode")
        eval "s_$mode=\"\${s_$mode:-} $(echo "$out" | field started)\""
        if [ "${READY:-1}" != 0 ]; then
            out=$("$build/bench/baseline-bringup" "$yaml" "$mode" "cloubed-guest: ready")
            eval "r_$mode=\"\${r_$mode:-} $(echo "$out" | field ready)\""
        fi
    done
    for par in ${PARS:-0 4 8}; do
        eval "s_lib$par=\"\${s_lib$par:-} $("$build/bench/bringup" "$yaml" "$par" | field started)\""
        if [ -n "${OTHER:-}" ]; then
            eval "s_other$par=\"\${s_other$par:-} $("$OTHER/bench/bringup" "$yaml" "$par" | field started)\""
        fi
        if [ "${READY:-1}" != 0 ]; then
            eval "r_lib$par=\"\${r_lib$par:-} $("$build/bench/bringup" "$yaml" "$par" "$ready" | field ready)\""
            t0=$(date +%s.%N)
            "$build/tools/cloubed/cloubed" -c "$yaml" up --parallel "${par#0}" >/dev/null 2>&1 ||
                "$build/tools/cloubed/cloubed" -c "$yaml" up >/dev/null 2>&1
            eval "w_lib$par=\"\${w_lib$par:-} $(echo "$(date +%s.%N) - $t0" | bc)\""
            "$build/tools/cloubed/cloubed" -c "$yaml" cleanup >/dev/null 2>&1
        fi
    done
    i=$((i + 1))
done
best=""
for mode in $modes; do
    eval "s=\$s_$mode r=\${r_$mode:-}"
    # shellcheck disable=SC2086
    echo "  baseline $mode: started $(median $s)  ready $([ -n "$r" ] && median $r || echo -)   (runs:$s)"
    if [ "$mode" != seq ] && { [ -z "$best" ] || [ "$(ratio "$(median $s)" "$best")" \< 1.00 ]; }; then
        best=$(median $s)
    fi
done
for par in ${PARS:-0 4 8}; do
    eval "s=\$s_lib$par r=\${r_lib$par:-} w=\${w_lib$par:-}"
    # shellcheck disable=SC2086
    echo "  cb_testbed_up parallel=${par}: started $(median $s) (x$(ratio "$(median $s)" "$best") of the best parallel baseline, target <= 1.1)  ready $([ -n "$r" ] && median $r || echo -)  command wall $([ -n "$w" ] && median $w || echo -)   (runs:$s)"
    if [ -n "${OTHER:-}" ]; then
        eval "s=\$s_other$par"
        # shellcheck disable=SC2086
        echo "  $OTHER cb_testbed_up parallel=${par}: started $(median $s) (x$(ratio "$(median $s)" "$best"))   (runs:$s)"
    fi
done
