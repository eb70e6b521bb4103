#!/bin/sh
# SPDX-License-Identifier: LGPL-3.0-or-later
# check-man.sh CLOUBED SRCDIR BUILT_PAGE...: cloubed(1) documents every
# action and option that `cloubed --help` lists, and no action that the
# command does not have; the example of cloubed.yaml(5) passes `cloubed
# check`; and every built man page renders without a warning.
set -eu
exe=${1:?usage: check-man.sh CLOUBED SRCDIR BUILT_PAGE...}
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
src=${2:?}
shift 2
page="$src/docs/man/cloubed.1.scd"
fail=0

help=$("$exe" --help)
# The last {a,b,...} of the usage is the list of actions.
actions=$(printf '%s\n' "$help" | tr -d ' \n' | sed 's/.*{\([a-z,-]*\)}.*/\1/' | tr , ' ')
[ -n "$actions" ] || { echo "FAIL: no action list in cloubed --help"; exit 1; }
for act in $actions; do
    grep -q "^\*$act\*" "$page" || { echo "FAIL: action $act (cloubed --help) is not described in cloubed(1)"; fail=1; }
done
for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u) -c -d -h -V; do
    grep -q -- "\*$opt\*" "$page" || { echo "FAIL: option $opt (cloubed --help) is not described in cloubed(1)"; fail=1; }
done

# Actions described: definition lines of the ACTIONS section.
described=$(awk '/^# ACTIONS/ { on = 1; next } /^# / { on = 0 }
     on && /^\*[a-z][a-z-]*\*/ { a = $1; gsub(/\*/, "", a); print a }' "$page")
[ -n "$described" ] || { echo "FAIL: no action described in the ACTIONS section of cloubed(1)"; fail=1; }
for act in $described; do
    case " $actions " in *" $act "*) continue ;; esac
    echo "FAIL: cloubed(1) describes an action $act that cloubed --help does not list"
    fail=1
done

# The complete example of cloubed.yaml(5) is a valid testbed file.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^# EXAMPLE$/ { on = 1; next } on && !inb && /^# [A-Z]/ { on = 0 }
     on && /^```$/ { inb = !inb; next } on && inb' "$src/docs/man/cloubed.yaml.5.scd" >"$tmp/cloubed.yaml"
if ! (cd "$tmp" && "$exe" check >"$tmp/check.out" 2>&1) || grep -q warning "$tmp/check.out"; then
    echo "FAIL: the EXAMPLE of cloubed.yaml(5) does not pass cloubed check cleanly:"
    cat "$tmp/check.out"
    fail=1
fi

# Each page renders cleanly.
for built in "$@"; do
    out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$built" 2>&1 >/dev/null || echo "man failed")
    if [ -n "$out" ]; then
        echo "FAIL: $built: $out"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "ok: cloubed(1) matches cloubed --help; $# pages render"
exit "$fail"
