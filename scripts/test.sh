#!/bin/sh
# The whole test suite, as CI runs it: setup (packages, libvirt daemons, the
# tiny guest), a normal build and all its tests (end-to-end ones on the real
# daemon included), then the unit, integration and command tests again under
# AddressSanitizer/UBSan and under valgrind, and a short fuzzing run of
# every harness (FUZZ_SECONDS each, 20 by default).
# usage: scripts/test.sh   (from anywhere; run as root on Debian 12)
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
. scripts/virt-env.sh

# setup_build DIR [OPTION...]: a build directory with warnings as errors.
# meson.build leaves werror to whoever builds; ours always set it, also in a
# directory configured before that change.
setup_build() {
    dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson configure "$dir" -Dwerror=true
    else
        meson setup "$dir" -Dwerror=true "$@"
    fi
}

echo "== build and test"
setup_build build
meson test -C build --print-errorlogs

echo "== release build (compile only: gcc's -O3 warns where -O2 does not)"
setup_build build-release --buildtype=release >/dev/null
ninja -C build-release

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
setup_build build-asan -Db_sanitize=address,undefined -Db_lundef=false
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The abi suite links an uninstrumented consumer: it runs in the normal build.
meson test -C build-asan --print-errorlogs --suite unit --suite integration --suite cli
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "== valgrind"
meson test -C build --print-errorlogs --suite unit --suite integration \
    --wrap='valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite'

echo "== ThreadSanitizer"
setup_build build-tsan -Db_sanitize=thread -Db_lundef=false >/dev/null
# Suppressions cover libvirt's and GLib's internals only, never our code.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$(pwd)/tests/tsan.supp"
# GLib 2.74's slice allocator hands blocks between threads through its own
# magazines, which TSan cannot see (unit/api's threads opening testbeds)
export G_SLICE=always-malloc
meson test -C build-tsan --print-errorlogs --suite unit --suite integration
unset TSAN_OPTIONS G_SLICE
echo "== fuzzing every harness for ${FUZZ_SECONDS:-20} s each (libFuzzer, ASan, UBSan)"
if [ -f build-fuzz/build.ninja ]; then
    meson configure build-fuzz -Dwerror=true >/dev/null
else
    CC=clang meson setup build-fuzz -Dfuzz=true -Db_lundef=false -Dwerror=true >/dev/null
fi
# Only the fuzz-* executables: the rest of that build does not link with
# -fsanitize=fuzzer-no-link.
ninja -C build-fuzz $(ninja -C build-fuzz -t targets all |
    sed -n 's/^\(fuzz\/fuzz-[A-Za-z0-9_-]*\): .*/\1/p') >/dev/null
# Every fuzz-NAME built (other branches add harnesses), each from a copy of
# fuzz/corpus-NAME/ when it exists, else from nothing. A crash, a leak, a
# sanitizer report, an input slower than 10 s (-timeout) or one over 2 GB
# fails the run with the report shown and the input saved.
for fuzzer in "$(pwd)"/build-fuzz/fuzz/fuzz-*; do
    [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue   # not the *.p directories
    target=${fuzzer##*/fuzz-}
    work=$(mktemp -d)
    mkdir "$work/corpus"
    [ -d "fuzz/corpus-$target" ] && cp "fuzz/corpus-$target"/* "$work/corpus/" 2>/dev/null || true
    if ! (cd "$work" && "$fuzzer" corpus -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 \
            -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 >fuzz.log 2>&1); then
        tail -n 60 "$work/fuzz.log"
        echo "fuzz-$target found a failure: the input (crash-*, timeout-*, leak-*, oom-*) and"
        echo "the log are in $work; add the input to fuzz/corpus-$target/ once fixed"
        exit 1
    fi
    printf 'fuzz-%s: ' "$target"
    grep -E "^#[0-9]+[[:space:]]+DONE" "$work/fuzz.log" || grep -E "^stat::(number_of_executed_units|average_exec)" "$work/fuzz.log"
    rm -rf "$work"
done
echo "== all tests passed"
