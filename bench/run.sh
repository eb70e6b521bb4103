#!/bin/sh
# Runs the benchmarks against a build tree. Every figure is a median of
# several runs next to a baseline measured in the same run on this machine;
# results are appended to bench/results/DATE.txt with the machine's
# description (bench/results/machine.txt). Never part of `meson test`.
#
# usage: bench/run.sh [BUILDDIR] [CASE...]
#   CASE: events (bench 2, test driver), events-daemon (bench 2, qemu:///system,
#         starts a diskless QEMU), shutdown (bench 2, the power button on the test
#         driver), shutdown-daemon (bench 2, boots the tiny guest and presses its
#         power button), tcp (3), open (4), rss-check (5, check at 5000),
#         bringup (1, boots 10 tiny guests), rss-up (5, boots 10 tiny guests),
#         revert (snapshot revert against a fresh up, boots 10 tiny guests)
#   default: events tcp open rss-check   (nothing that boots a guest)
#   R=N: runs per case (default 5; bringup 3); NS="10 100 1000 5000": sizes for open
#   OTHER=BUILDDIR: open and bringup also time that build's library (before/after)
#   BENCH_CLOCK=cpu: open counts CPU time rather than wall time (a loaded machine)
#   UP_PAR=N: revert's baseline up, N domains at once (default automatic)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
build=${1:-build}
[ $# -gt 0 ] && shift
cases=${*:-events tcp open rss-check}
R=${R:-5}
NS=${NS:-10 100 1000 5000}
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%d-%H%M%S).txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ninja -C "$build" bench/event-latency bench/open-scale bench/yaml-load bench/tcp-ready \
    bench/peak-rss tools/cloubed/cloubed >/dev/null
machine_description "$build" >bench/results/machine.txt
{ echo "# bench/run.sh $build $cases (R=$R${OTHER:+ OTHER=$OTHER}${BENCH_CLOCK:+ BENCH_CLOCK=$BENCH_CLOCK}${MODES:+ MODES=$MODES}${PARS:+ PARS=$PARS}${READY:+ READY=$READY})"
  cat bench/results/machine.txt; } >>"$out"
say() { echo "$*" | tee -a "$out"; }

# diskless, kernel-less: QEMU idles in its firmware, enough for events
cat >"$tmp/ev.yaml" <<'YAML'
testbed: bench-evlat
networks: []
domains:
  - {name: vm, cpu: 1, memory: 128M, graphics: none, netifs: [], disks: []}
YAML

for c in $cases; do
    case $c in
    events)
        "$build/bench/event-latency" "$tmp/ev.yaml" "$R" test:///default | tee -a "$out" ;;
    events-daemon)
        "$build/bench/event-latency" "$tmp/ev.yaml" "$R" qemu:///system | tee -a "$out" ;;
    shutdown)
        "$build/bench/event-latency" "$tmp/ev.yaml" "$R" test:///default shutdown | tee -a "$out" ;;
    shutdown-daemon)
        [ -e /var/lib/cloubed/guest/vmlinuz ] || sh scripts/setup.sh
        (. scripts/virt-env.sh
         "$build/bench/event-latency" bench/data/shutdown.yaml "$R" qemu:///system shutdown \
             "cloubed-guest: ready") | tee -a "$out" ;;
    tcp)
        "$build/bench/tcp-ready" $((R * 3)) | tee -a "$out" ;;
    open)
        say "bench 4: open + validate + every XML, against libyaml alone (median of $((R * 2 - 1)) each, ms)"
        say "  N      library   libyaml   ratio${OTHER:+   $OTHER's library   ratio}${BENCH_CLOCK:+   (clock: $BENCH_CLOCK)}"
        for n in $NS; do
            sh tests/data/scale/gen.sh "$n" >"$tmp/gen$n.yaml"
            # interleaved runs: the machine's noise falls on both sides alike
            lib="" base="" other=""
            i=0; while [ $i -lt $((R * 2 - 1)) ]; do
                lib="$lib $("$build/bench/open-scale" "$tmp/gen$n.yaml" 1)"
                base="$base $("$build/bench/yaml-load" "$tmp/gen$n.yaml" 1)"
                [ -z "${OTHER:-}" ] || other="$other $("$OTHER/bench/open-scale" "$tmp/gen$n.yaml" 1)"
                i=$((i + 1))
            done
            ml=$(median $lib) mb=$(median $base)
            line=$(printf '  %-5s %9.3f %9.3f %7s' "$n" "$ml" "$mb" "$(ratio "$ml" "$mb")")
            if [ -n "${OTHER:-}" ]; then
                mo=$(median $other)
                line="$line$(printf '   %9.3f %7s' "$mo" "$(ratio "$mo" "$mb")")"
            fi
            say "$line"
        done ;;
    rss-check)
        sh tests/data/scale/gen.sh 5000 >"$tmp/gen5000.yaml"
        lib="" base=""
        i=0; while [ $i -lt "$R" ]; do
            lib="$lib $("$build/bench/peak-rss" "$build/tools/cloubed/cloubed" -c "$tmp/gen5000.yaml" --virt-type qemu check | cut -d' ' -f1)"
            base="$base $("$build/bench/peak-rss" "$build/bench/yaml-load" "$tmp/gen5000.yaml" | cut -d' ' -f1)"
            i=$((i + 1))
        done
        ml=$(median $lib) mb=$(median $base)
        say "bench 5: peak RSS at 5000 domains (median of $R, KiB)"
        say "  cloubed check       $ml"
        say "  libyaml load alone  $mb (baseline)   ratio $(ratio "$ml" "$mb")" ;;
    bringup|rss-up)
        # boots 10 guests on the real daemon
        sh bench/bringup.sh "$build" "$c" "$R" "$tmp" | tee -a "$out" ;;
    revert)
        # boots 10 guests with qcow2 disks on the real daemon
        ninja -C "$build" bench/revert >/dev/null
        [ -e /var/lib/cloubed/guest/vmlinuz ] || sh scripts/setup.sh
        say "bench revert: 10 tiny guests back to ready (tcp:80): revert vs a fresh up (median of $R, s)"
        say "  $(. scripts/virt-env.sh; "$build/bench/revert" bench/data/tb10-qcow2.yaml "$R" 80 "${UP_PAR:-0}")" ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
    esac
done
echo "results appended to $out"
