#!/bin/sh
# Checks the ABI surface of the built library: its SONAME, that it exports
# exactly the symbols of libcloubed.syms, and that these are exactly the
# functions the public headers declare with CB_EXTERN.
# usage: check-exports.sh BUILDDIR SRCDIR
set -eu
build=$1 src=$2
lib=$build/libcloubed/libcloubed.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = libcloubed.so.1 ] || { echo "FAIL: SONAME is '$soname'"; exit 1; }

nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sed 's/@.*//' | sort -u >"$tmp/exported"
sed -n 's/^ *\(cb_[a-z0-9_]*\);$/\1/p' "$src/libcloubed/libcloubed.syms" | sort -u >"$tmp/listed"
grep -ho 'CB_EXTERN([^)]*) *\**cb_[a-z0-9_]*' "$src"/include/cloubed/*.h \
    | sed 's/.*\(cb_[a-z0-9_]*\)$/\1/' | sort -u >"$tmp/declared"

status=0
if ! diff -u "$tmp/listed" "$tmp/exported"; then
    echo "FAIL: exported symbols differ from libcloubed.syms"; status=1
fi
if ! diff -u "$tmp/declared" "$tmp/listed"; then
    echo "FAIL: libcloubed.syms differs from the CB_EXTERN declarations"; status=1
fi
if grep -v '^cb_' "$tmp/exported"; then
    echo "FAIL: symbols without the cb_ prefix are exported"; status=1
fi
[ $status -eq 0 ] && echo "ok: $(wc -l <"$tmp/exported") symbols, SONAME $soname"
exit $status
