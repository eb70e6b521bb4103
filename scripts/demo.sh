#!/bin/sh
# The main job: set up (packages, libvirt daemons, the tiny guest), build,
# then boot the demo testbed of examples/demo for real, show its status and
# readiness, shut it down and clean up.
# usage: scripts/demo.sh   (from anywhere; run as root on Debian 12)
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
. scripts/virt-env.sh
# Warnings are errors in our builds (meson.build leaves werror to the user).
if [ -f build/build.ninja ]; then
    meson configure build -Dwerror=true
else
    meson setup build -Dwerror=true
fi
ninja -C build
sh examples/demo/demo.sh build/tools/cloubed/cloubed
