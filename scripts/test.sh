#!/bin/sh
# The whole test suite, as CI runs it: setup (packages, libvirt daemons, the
# tiny guest), a normal build and all its tests (end-to-end ones on the real
# daemon included), then the unit, integration and command tests again under
# AddressSanitizer/UBSan and under valgrind, and a short fuzzing run of the
# parser.
# usage: scripts/test.sh   (from anywhere; run as root on Debian 12)
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
. scripts/virt-env.sh

echo "== build and test"
[ -f build/build.ninja ] || meson setup build
meson test -C build --print-errorlogs

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The abi suite links an uninstrumented consumer: it runs in the normal build.
meson test -C build-asan --print-errorlogs --suite unit --suite integration --suite cli
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "== valgrind"
meson test -C build --print-errorlogs --suite unit --suite integration \
    --wrap='valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite'

echo "== ThreadSanitizer"
[ -f build-tsan/build.ninja ] || meson setup build-tsan -Db_sanitize=thread -Db_lundef=false >/dev/null
# Suppressions cover libvirt's and GLib's internals only, never our code.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$(pwd)/tests/tsan.supp"
meson test -C build-tsan --print-errorlogs --suite unit --suite integration
unset TSAN_OPTIONS
echo "== fuzzing the testbed parser for 30 s (libFuzzer, ASan, UBSan)"
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false >/dev/null
ninja -C build-fuzz fuzz/fuzz-testbed >/dev/null
fuzzer=$(pwd)/build-fuzz/fuzz/fuzz-testbed
corpus=$(mktemp -d)
cp fuzz/corpus/* "$corpus/"
# A crash, leak or sanitizer report fails the run, with the report shown.
if ! (cd "$corpus" && "$fuzzer" "$corpus" -max_total_time=30 -max_len=4096 -rss_limit_mb=4096 \
        -print_final_stats=1 >"$corpus/fuzz.log" 2>&1); then
    tail -n 60 "$corpus/fuzz.log"
    echo "fuzzing found a failure: the input is saved in $corpus"
    exit 1
fi
grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units)" "$corpus/fuzz.log"
rm -rf "$corpus"
echo "== all tests passed"
