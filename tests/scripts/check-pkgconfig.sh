#!/bin/sh
# Installs the build into a scratch directory, then compiles and runs a
# consumer program with nothing but the installed cloubed.pc.
# usage: check-pkgconfig.sh BUILDDIR SRCDIR
set -eu
build=$1 src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
pc=$(find "$dest" -name cloubed.pc)
[ -n "$pc" ] || { echo "FAIL: cloubed.pc was not installed"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc")
pcdir=$(dirname "$pc")
# Point the installed prefix at the scratch tree.
cflags=$(PKG_CONFIG_PATH=$pcdir pkg-config --define-variable=prefix="$dest$prefix" \
    --define-variable=libdir="$dest$(sed -n 's/^libdir=//p' "$pc")" \
    --define-variable=includedir="$dest$(sed -n 's/^includedir=//p' "$pc")" --cflags --libs cloubed)
cc -Wall -Wextra -Werror -o "$dest/consumer" "$src/tests/consumer/consumer.c" $cflags
libdir=$(dirname "$(find "$dest" -name 'libcloubed.so.1' | head -n1)")
out=$(LD_LIBRARY_PATH=$libdir "$dest/consumer" "$src/tests/data/debian10-backing/cloubed.yaml")
expected="libcloubed $(sed -n 's/^Version: //p' "$pc"): testbed debian has 2 domains"
[ "$out" = "$expected" ] || { echo "FAIL: consumer printed '$out', expected '$expected'"; exit 1; }
# The headers must stand alone and build as C++ too.
for h in "$dest$(sed -n 's/^includedir=//p' "$pc")"/cloubed/*.h; do
    printf '#include <cloubed/%s>\nint main(void){return 0;}\n' "$(basename "$h")" >"$dest/h.c"
    cc -Wall -Werror -fsyntax-only $cflags "$dest/h.c"
done
echo "ok: $out"
