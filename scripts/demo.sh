#!/bin/sh
# The main job: set up, build, and run the demo testbed of examples/demo.
# usage: scripts/demo.sh   (from anywhere; run as root on Debian 12)
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build
cloubed=build/tools/cloubed/cloubed
conf=examples/demo/cloubed.yaml

"$cloubed" -c "$conf" check
echo "--- the libvirt objects the demo testbed is made of:"
"$cloubed" -c "$conf" xml --resource network:lab
"$cloubed" -c "$conf" xml --resource domain:guest
