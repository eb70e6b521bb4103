#!/bin/sh
# The main job: set up (packages, libvirt daemons, the tiny guest), build,
# then boot the demo testbed of examples/demo for real, show its status and
# readiness, shut it down and clean up.
# usage: scripts/demo.sh   (from anywhere; run as root on Debian 12)
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
. scripts/virt-env.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build
sh examples/demo/demo.sh build/tools/cloubed/cloubed
