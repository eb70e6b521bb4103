#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-doc-examples.sh SRCDIR CC: the C examples of the README (wrapped in
# a main()) and of libcloubed(3) compile, warnings as errors, against the
# public headers, so that they follow the API.
set -eu
src=${1:?usage: check-doc-examples.sh SRCDIR CC}
cc=${2:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# README: the indented block that starts with the include.
{
    echo '#include <stdio.h>'
    sed -n '/^    #include <cloubed\/cloubed.h>/,/^    cb_testbed_free(tb);/p' "$src/README.md" |
        sed 's/^    //' | awk 'NR == 1 { print; print "int main(void) {"; next } { print } END { print "return 0; }" }'
} >"$tmp/readme.c"
# libcloubed(3): the literal block of EXAMPLE (roff's \\ is C's \).
awk '/^# EXAMPLE$/ { on = 1; next } on && !inb && /^# [A-Z]/ { on = 0 }
     on && /^```$/ { inb = !inb; next } on && inb' "$src/docs/man/libcloubed.3.scd" |
    sed 's/\\\\/\\/g' >"$tmp/libcloubed3.c"

for f in readme libcloubed3; do
    if [ "$(grep -c . "$tmp/$f.c")" -lt 8 ]; then
        echo "FAIL: no example found for $f"
        fail=1
    elif ! $cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I"$src/include" "$tmp/$f.c"; then
        echo "FAIL: the example of $f does not compile (above)"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "ok: the C examples of README.md and libcloubed(3) compile"
exit "$fail"
