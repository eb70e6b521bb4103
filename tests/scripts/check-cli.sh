#!/bin/sh
# The cloubed command as a user runs it: exit status, stdout, stderr.
# usage: check-cli.sh CLOUBED SRCDIR
set -u
cloubed=$(realpath "$1") src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
unset CLOUBED_VIRT_TYPE # the tests below choose it themselves

# matches FILE PATTERN: the file holds a line matching PATTERN; "" means empty.
matches() {
    if [ -z "$2" ]; then [ ! -s "$1" ]; else grep -Eq -- "$2" "$1"; fi
}

# expect NAME STATUS STDOUT-PATTERN STDERR-PATTERN -- ARGS...
expect() {
    name=$1 want=$2 outpat=$3 errpat=$4
    shift 5
    "$cloubed" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ] || ! matches "$tmp/out" "$outpat" || ! matches "$tmp/err" "$errpat"; then
        echo "FAIL: $name: status $got (want $want)"; sed 's/^/  out: /' "$tmp/out"; sed 's/^/  err: /' "$tmp/err"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}

data=$src/tests/data
expect "help" 0 '^usage: cloubed' '' -- --help
expect "version" 0 '^cloubed [0-9]+\.[0-9]+\.[0-9]+$' '' -- -V
expect "no action" 1 '' '^cloubed: error: the following arguments are required: actions$' --
expect "bad action" 1 '' "invalid choice: 'foo'" -- foo
expect "required option" 1 '' '^cloubed: error: --domain is required for boot action$' -- boot
expect "check with -c" 0 '^.*debian10-backing/cloubed.yaml: testbed debian is valid: 1 storage pool, 2 storage volumes, 1 network, 2 domains$' '' -- -c "$data/debian10-backing/cloubed.yaml" check
expect "check with --conf=" 0 'testbed full is valid: 2 storage pools, 5 storage volumes, 4 networks, 3 domains' 'unknown key .networks_comment.' -- --conf="$data/full/cloubed.yaml" check
expect "missing default file" 1 '' '^cloubed: error: Not able to open file cloubed.yaml' -- check

mkdir -p "$tmp/bed"
printf 'testbed: t\nnetworks: []\ndomains:\n  - name: vm\n    cpu: 2x2\n' >"$tmp/bed/cloubed.yaml"
expect "config error names file:line:col" 1 '' "^cloubed: error: $tmp/bed/cloubed.yaml:5:10: format of cpu topology of domain vm is not valid" -- -c "$tmp/bed/cloubed.yaml" check
(cd "$tmp/bed" && "$cloubed" check >"$tmp/out" 2>"$tmp/err")
if [ $? -eq 1 ] && grep -q '^cloubed: error: cloubed.yaml:5:10: ' "$tmp/err"; then pass=$((pass + 1)); else echo "FAIL: default ./cloubed.yaml"; fail=$((fail + 1)); fi

expect "xml domain" 0 '^<domain type="(kvm|qemu)">$' '' -- -c "$data/debian10-backing/cloubed.yaml" xml --resource domain:test
expect "xml network" 0 '<host mac="00:16:3e:88:75:91" name="test" ip="10.5.0.11"/>' '' -- -c "$data/debian10-backing/cloubed.yaml" xml --resource network:net
expect "xml volume" 0 '<backingStore>' '' -- -c "$data/debian10-backing/cloubed.yaml" xml --resource storagevolume:test
expect "xml pool" 0 '^<pool type="dir">$' '' -- -c "$data/debian10-backing/cloubed.yaml" xml --resource storagepool:pool
expect "xml unknown name" 1 '' '^cloubed: error: domain nope not found in configuration$' -- -c "$data/debian10-backing/cloubed.yaml" xml --resource domain:nope
expect "xml bad type" 1 '' 'cannot dump XML of invalid resource type disk' -- -c "$data/debian10-backing/cloubed.yaml" xml --resource disk:x

# The XML printed is the golden one (the domain type aside, which follows the host).
"$cloubed" -c "$data/debian10-backing/cloubed.yaml" xml --resource network:net \
    | sed "s|$data/debian10-backing|@DIR@|g; s|<name>[^:]*:|<name>tester:|; s|user=\"[^\"]*\"|user=\"tester\"|" >"$tmp/net.xml"
if cmp -s "$tmp/net.xml" "$src/tests/golden/debian10-backing/network-net.xml"; then pass=$((pass + 1)); else echo "FAIL: xml output differs from golden"; diff "$tmp/net.xml" "$src/tests/golden/debian10-backing/network-net.xml"; fail=$((fail + 1)); fi

# vars: the original's output for its debian10-backing example (dhcp_end fixed)
(cd "$data/debian10-backing" && "$cloubed" vars --domain test) | sed "s|$data/debian10-backing|@DIR@|g" >"$tmp/vars"
if cmp -s "$tmp/vars" "$src/tests/golden/debian10-backing/vars-test.txt"; then pass=$((pass + 1)); else echo "FAIL: vars differs from golden"; diff "$tmp/vars" "$src/tests/golden/debian10-backing/vars-test.txt"; fail=$((fail + 1)); fi
expect "vars unknown domain" 1 '' '^cloubed: error: domain nope not found in configuration$' -- -c "$data/debian10-backing/cloubed.yaml" vars --domain nope

# gen: renders the template file into its output, relative to the file
mkdir -p "$tmp/gen/templates" "$tmp/gen/http"
cp "$data/debian10-backing/cloubed.yaml" "$tmp/gen/"
printf 'kernel ${network.net.http_server}/vmlinuz\nmac ${self.net.mac} $$ ${net0/mac} $TZ\n' >"$tmp/gen/templates/debian.ipxe"
expect "gen" 0 '' 'generated .*http/debian.ipxe' -- -c "$tmp/gen/cloubed.yaml" gen --domain base --filename ipxe
printf 'kernel http://10.5.0.1:5432/vmlinuz\nmac 00:16:3e:63:51:8a $ ${net0/mac} $TZ\n' >"$tmp/want.ipxe"
if cmp -s "$tmp/gen/http/debian.ipxe" "$tmp/want.ipxe"; then pass=$((pass + 1)); else echo "FAIL: gen output"; cat "$tmp/gen/http/debian.ipxe"; fail=$((fail + 1)); fi
expect "gen unknown template" 1 '' '^cloubed: error: template nope not defined for domain base$' -- -c "$tmp/gen/cloubed.yaml" gen --domain base --filename nope
expect "gen missing input" 1 '' 'error while reading template file .*debian.preseed' -- -c "$tmp/gen/cloubed.yaml" gen --domain base --filename preseed

# wait, on the in-process test driver (nothing is booted there); a copy,
# since changing actions leave their lock in the testbed's directory
cp -r "$data/debian10-backing" "$tmp/deb"
conf="$tmp/deb/cloubed.yaml"
expect "wait unknown event" 1 '' "^cloubed: error: unknown event type of 'stoped:shutdown'" -- -c "$conf" --connect test:///default wait --domain test --event stoped:shutdown
expect "wait times out: 124" 124 '' '^cloubed: error: timed out after 0.3 s waiting for stopped:shutdown on domain test$' -- -c "$conf" --connect test:///default wait --domain test --event stopped:shutdown --timeout 0.3
expect "wait bad port" 1 '' '^cloubed: error: --event tcp:x: not a TCP port' -- -c "$conf" --connect test:///default wait --domain test --event tcp:x
expect "status on the test driver" 0 '^  - test$' '' -- -c "$conf" --connect test:///default status
expect "status --json" 0 '^  "testbed" : "debian",$' '' -- -c "$conf" --connect test:///default status --json
expect "power op on an unbooted domain: warning, status 0" 0 '' '^cloubed: warning: unable to shutdown domain test since not found in libvirt$' -- -c "$conf" --connect test:///default shutdown --domain test
expect "destroy of an unbooted domain: warning, status 0" 0 '' '^cloubed: warning: unable to destroy domain test since not found in libvirt$' -- -c "$conf" --connect test:///default destroy --domain test
expect "cleanup with nothing booted" 0 '' '' -- -c "$conf" --connect test:///default cleanup
# the guest agent's actions (the e2e test runs them on a real guest)
expect "exec needs --" 1 '' '^cloubed: error: exec: the program and its arguments go after --: exec --domain D -- uname \.\.\.$' -- -c "$conf" exec --domain test uname
expect "exec of a domain not booted" 1 '' '^cloubed: error: domain test \(.*\) not found in libvirt$' -- -c "$conf" --connect test:///default exec --domain test -- true
expect "copy-to of a missing host file" 1 '' '^cloubed: error: cannot read '"$tmp"'/nope: No such file or directory$' -- -c "$conf" --connect test:///default copy-to --domain test "$tmp/nope" /tmp/x
expect "copy-from takes two paths" 1 '' '^cloubed: error: copy-from takes two paths' -- -c "$conf" copy-from --domain test /tmp/x
expect "help names exec" 0 'exec --domain D \[--timeout S\] -- PROGRAM ARGS' '' -- --help

# snapshots and links (issue 12): each process has its own test driver, so
# nothing is booted here: the errors, as a user sees them
expect "snapshots, none" 0 '' '' -- -c "$conf" --connect test:///default snapshots
expect "snapshot with nothing defined" 1 '' '^cloubed: error: cannot snapshot testbed debian: none of its domains is defined$' -- -c "$conf" --connect test:///default snapshot --name s1
expect "snapshot bad name" 1 '' "^cloubed: error: snapshot name 'a/b' is not valid" -- -c "$conf" --connect test:///default snapshot --name a/b
expect "revert unknown" 1 '' '^cloubed: error: testbed debian has no snapshot s1$' -- -c "$conf" --connect test:///default revert --name s1
expect "snapshot-delete unknown" 1 '' '^cloubed: error: testbed debian has no snapshot s1$' -- -c "$conf" --connect test:///default snapshot-delete --name s1
expect "link unbooted" 1 '' '^cloubed: error: domain test \(.*\) not found in libvirt$' -- -c "$conf" --connect test:///default link --domain test --network net down
expect "link unknown network" 1 '' '^cloubed: error: testbed debian has no network nope$' -- -c "$conf" --connect test:///default link --domain test --network nope up

# the accelerator: --virt-type, else $CLOUBED_VIRT_TYPE, else automatic
expect "--virt-type qemu" 0 '^<domain type="qemu">' '' -- -c "$conf" --virt-type qemu xml --resource domain:test
expect "--virt-type kvm" 0 '^<domain type="kvm">' '' -- -c "$conf" --virt-type kvm xml --resource domain:test
export CLOUBED_VIRT_TYPE=kvm
expect "CLOUBED_VIRT_TYPE=kvm" 0 '^<domain type="kvm">' '' -- -c "$conf" xml --resource domain:test
expect "--virt-type beats the environment" 0 '^<domain type="qemu">' '' -- -c "$conf" --virt-type qemu xml --resource domain:test
CLOUBED_VIRT_TYPE=xen
expect "CLOUBED_VIRT_TYPE=xen" 1 '' '^cloubed: error: CLOUBED_VIRT_TYPE must be "kvm" or "qemu", not "xen"$' -- -c "$conf" check
unset CLOUBED_VIRT_TYPE
expect "--virt-type xen" 1 '' "invalid choice: 'xen'" -- -c "$conf" --virt-type xen check
# Two processes changing one testbed: the second waits for the first, and
# names it. A held flock plays the first; the second's stderr comes through
# a fifo, so that the test goes on when the message is there.
lockdir="$tmp/deb/.cloubed/debian"
mkdir -p "$lockdir" && chmod 700 "$tmp/deb/.cloubed" "$lockdir"
mkfifo "$tmp/errfifo"
exec 9>"$lockdir/lock"
flock 9
echo "pid 4242 (cloubed boot --domain test)" >&9
"$cloubed" -c "$conf" --connect test:///default shutdown --domain test 2>"$tmp/errfifo" 9>&- &
waiter=$!
exec 8<"$tmp/errfifo"
read -r line <&8
exec 9>&-    # the holder goes away: the waiter gets the lock
cat <&8 >/dev/null
exec 8<&-
wait "$waiter"; got=$?
if [ "$line" = "cloubed: waiting for testbed debian, locked by pid 4242 (cloubed boot --domain test)" ] && [ "$got" -eq 0 ]; then
    pass=$((pass + 1))
else
    echo "FAIL: lock: status $got, first line: $line"; fail=$((fail + 1))
fi
# a killed holder leaves a stale name but no lock behind
expect "stale lock file does not block" 0 '' '' -- -c "$conf" --connect test:///default cleanup
[ ! -e "$tmp/deb/.cloubed" ] || { echo "FAIL: cleanup left $tmp/deb/.cloubed"; fail=$((fail + 1)); }
# the state directory must not be a symlink
mkdir "$tmp/elsewhere" && ln -s "$tmp/elsewhere" "$tmp/deb/.cloubed"
expect "state directory symlink refused" 1 '' 'is not a directory \(a symlink or a file: refused\)' -- -c "$conf" --connect test:///default shutdown --domain test

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
