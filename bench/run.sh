#!/bin/sh
# Runs the benchmarks against a build tree; every figure is a ratio against
# a baseline measured in the same run, on this machine.
# usage: bench/run.sh [BUILDDIR]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
ninja -C "$build" bench/event-latency >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/cloubed.yaml" <<'YAML'
testbed: bench
networks: []
domains:
  - {name: vm, cpu: 1, memory: 128M, netifs: [], disks: []}
YAML
"$build/bench/event-latency" "$tmp/cloubed.yaml" 5
