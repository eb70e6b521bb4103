#!/bin/sh
# cloubed up and down as a user runs them, on libvirt's in-process test
# driver (no daemon, no guest): exit status, stdout, stderr.
# usage: check-cli-up.sh CLOUBED SRCDIR
# Each command is its own process with a fresh test:///default, so "a second
# up is nothing to do" cannot be shown here (tests/e2e and the bench do).
set -u
cloubed=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
unset CLOUBED_VIRT_TYPE

ok() { pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; sed 's/^/  out: /' "$tmp/out"; sed 's/^/  err: /' "$tmp/err"; fail=$((fail + 1)); }
run() { "$cloubed" -c "$tmp/cloubed.yaml" --connect test:///default "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; }

cat >"$tmp/cloubed.yaml" <<'YAML'
testbed: three
networks: []
domains:
  - {name: a, cpu: 1, memory: 128M, netifs: [], disks: []}
  - {name: bb, cpu: 1, memory: 128M, netifs: [], disks: []}
  - {name: c, cpu: 1, memory: 128M, netifs: [], disks: []}
YAML

# --json: one valid document on stdout, every domain started; without a
# terminal, nothing on stderr but the library's own messages
run up --json; st=$?
if [ $st -eq 0 ] && /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["action"] == "up" and d["testbed"] == "three" and d["result"] == "ok", d
assert d["error"] is None and d["changes"] == 3, d
assert [x["name"] for x in d["domains"]] == ["a", "bb", "c"], d
assert all(x["state"] == "started" and x["started_s"] >= 0 and x["ready_s"] is None for x in d["domains"]), d
assert d["domains"][0]["libvirt_name"].endswith(":three:a"), d
' "$tmp/out" && ! grep -v '^cloubed: info: ' "$tmp/err"; then ok; else ko "up --json (status $st)"; fi

# without a terminal: plain lines as states change, then the summary
run up; st=$?
if [ $st -eq 0 ] && [ ! -s "$tmp/out" ] &&
   [ "$(grep -Ec '^cloubed: up: [a-z0-9-]+: (queued|creating|started) \([0-9]+\.[0-9] s\)$' "$tmp/err")" -eq 9 ] &&
   tail -n 1 "$tmp/err" | grep -Eq '^cloubed: up: 3 started in [0-9]+\.[0-9] s$'; then ok; else ko "up plain lines (status $st)"; fi

# --domain is repeatable for up: two domains touched, in file order
run up --domain c --domain a --json; st=$?
if [ $st -eq 0 ] && /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["name"] for x in d["domains"]] == ["a", "c"] and d["changes"] == 2, d
' "$tmp/out"; then ok; else ko "up --domain c --domain a (status $st)"; fi

# an unknown domain changes nothing
run up --domain a --domain nope; st=$?
if [ $st -eq 1 ] && grep -q '^cloubed: error: domain nope not found in configuration$' "$tmp/err" &&
   ! grep -q 'creating' "$tmp/err"; then ok; else ko "up --domain nope (status $st)"; fi

# down --json on a fresh driver: nothing runs, nothing to do
run down --json; st=$?
if [ $st -eq 0 ] && /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["action"] == "down" and d["result"] == "nothing-to-do" and d["changes"] == 0, d
assert all(x["state"] == "unchanged" for x in d["domains"]), d
' "$tmp/out"; then ok; else ko "down --json (status $st)"; fi
run down; st=$?
if [ $st -eq 0 ] && grep -q '^testbed three is already down: nothing to do$' "$tmp/out"; then ok; else ko "down nothing to do (status $st)"; fi

# --json lists every network with its address: the fixed one, what
# `address: auto` took, null for an auto network that was not created
cat >"$tmp/nets.yaml" <<'YAML'
testbed: nets
networks:
  - {name: lan, address: 10.231.0.1/24}
  - {name: pick, address: auto}
  - {name: unused, address: auto}
domains:
  - {name: a, cpu: 1, memory: 128M, netifs: [{network: lan}, {network: pick}], disks: []}
YAML
"$cloubed" -c "$tmp/nets.yaml" --connect test:///default up --json >"$tmp/out" 2>"$tmp/err" </dev/null; st=$?
if [ $st -eq 0 ] && /usr/bin/python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
n = d["networks"]
assert [x["name"] for x in n] == ["lan", "pick", "unused"], d
assert n[0]["address"] == "10.231.0.1/24" and n[0]["libvirt_name"].endswith(":nets:lan"), d
assert re.fullmatch(r"10\.213\.[0-9]+\.1/24", n[1]["address"]), d
assert n[2]["address"] is None, d
' "$tmp/out"; then ok; else ko "up --json networks (status $st)"; fi

# --instance is global: it joins the namespace of every object
run --instance blue xml --resource domain:a; st=$?
if [ $st -eq 0 ] && grep -q '<name>[^<]*:three+blue:a</name>' "$tmp/out"; then ok; else ko "--instance (status $st)"; fi

# bad values are the parser's (one line, status 1)
run up --ready udp:1; st=$?
if [ $st -eq 1 ] && grep -q "^cloubed: error: argument --ready: 'udp:1' is not tcp:PORT" "$tmp/err"; then ok; else ko "up --ready udp:1 (status $st)"; fi

# --help lists both actions
"$cloubed" --help >"$tmp/out" 2>"$tmp/err"
if grep -q '^  up  ' "$tmp/out" && grep -q '^  down  ' "$tmp/out"; then ok; else ko "--help"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
