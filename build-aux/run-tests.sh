#!/bin/bash
# Build Provisioner twice — a normal build in ./build and an
# AddressSanitizer + UBSan build in ./build-asan — run every test suite in
# both under the "xvfb" test setup (a private D-Bus session and X server per
# test), fuzz in ./build-fuzz, run the mutation check (tests/mutation) in
# ./build-mutation, and end with one line: "N passed, N failed".
#
# Counting: OK and EXPECTEDFAIL pass; everything else (FAIL, SKIP, TIMEOUT,
# ERROR, UNEXPECTEDPASS, ...) fails — a skipped test is a broken promise.
# meson reports a TAP program as OK even when a subtest in it was skipped
# ("ok 3 /a/b # SKIP ..."), so any such line in its output fails it too. A
# build that does not configure or compile, or runs no test, counts as one
# failure. Whatever the tests of a build leave in their scratch folder
# (TMPDIR) counts as one more failure; an empty one, as one more pass.
# Exits non-zero when anything failed.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
srcdir=$(pwd)

# Configure (or reconfigure) a build directory with the given options.
setup_builddir() {
    local builddir=$1
    shift
    if [ -f "$builddir/meson-private/coredata.dat" ]; then
        meson setup --reconfigure "$builddir" "$@"
    else
        rm -rf "$builddir"
        meson setup "$builddir" "$@"
    fi
}

# run_build NAME BUILDDIR [MESON OPTIONS...]
# Leaves BUILDDIR/meson-logs/testlog*.json behind, or BUILDDIR/.build-failed.
run_build() {
    local name=$1 builddir=$2
    shift 2

    echo "==> $name: configuring $builddir"
    rm -f "$builddir/.build-failed"
    if ! setup_builddir "$builddir" "$@"; then
        mkdir -p "$builddir" && echo configure > "$builddir/.build-failed"
        return
    fi
    echo "==> $name: compiling"
    if ! meson compile -C "$builddir"; then
        echo compile > "$builddir/.build-failed"
        return
    fi
    rm -f "$builddir"/meson-logs/testlog*.json "$builddir/.scratch-left"
    echo "==> $name: testing"
    # A folder of its own for the tests' scratch (TMPDIR): whatever a test
    # leaves there is a test that does not clean up after itself.
    local scratch
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/provisioner-tests-XXXXXX")
    # Like /tmp: a test that runs a child as "nobody" (as root) needs it.
    chmod 1777 "$scratch"
    TMPDIR="$scratch" meson test -C "$builddir" --setup=xvfb --print-errorlogs || true
    ls -A "$scratch" > "$builddir/.scratch-left"
    rm -rf "$scratch"
}

run_build "build" "$srcdir/build" -Dwerror=true
run_build "asan build" "$srcdir/build-asan" \
    -Db_sanitize=address,undefined -Db_lundef=false

# The libFuzzer harnesses: a clang build that compiles only them and runs
# each for a bounded time (suite "fuzz").
run_fuzz_build() {
    local builddir=$srcdir/build-fuzz
    echo "==> fuzz build: configuring $builddir"
    rm -f "$builddir/.build-failed"
    if ! CC=clang setup_builddir "$builddir" -Dfuzzing=true \
            -Db_sanitize=address,undefined -Db_lundef=false; then
        mkdir -p "$builddir" && echo configure > "$builddir/.build-failed"
        return
    fi
    echo "==> fuzz build: compiling the harnesses"
    if ! meson compile -C "$builddir" tests/fuzz/fuzz-json-response \
            tests/fuzz/fuzz-csv-reader tests/fuzz/fuzz-config-targets \
            tests/fuzz/fuzz-config-source tests/fuzz/fuzz-config-push-state \
            tests/fuzz/fuzz-config-journal tests/fuzz/fuzz-config-connections; then
        echo compile > "$builddir/.build-failed"
        return
    fi
    rm -f "$builddir"/meson-logs/testlog*.json
    echo "==> fuzz build: fuzzing"
    meson test -C "$builddir" --no-rebuild --suite fuzz --print-errorlogs || true
}
run_fuzz_build

# The mutation check (tests/mutation/run.sh): each mutation of a safety
# promise must be caught by its tests. Every mutation is one result in the
# count, read from build-mutation/meson-logs/testlog-mutation.json.
run_mutation_check() {
    local dir=$srcdir/build-mutation
    echo "==> mutation check"
    mkdir -p "$dir"
    rm -f "$dir/.build-failed" "$dir"/meson-logs/testlog*.json
    PROV_MUTATION_DIR="$dir/work" bash "$srcdir/tests/mutation/run.sh" --results "$dir"
    if ! ls "$dir"/meson-logs/testlog*.json > /dev/null 2>&1; then
        echo "copy or build" > "$dir/.build-failed"
    fi
}
run_mutation_check

python3 - "$srcdir/build" "$srcdir/build-asan" "$srcdir/build-fuzz" \
    "$srcdir/build-mutation" <<'PY'
import glob
import json
import os
import re
import sys

PASSED = {'OK', 'EXPECTEDFAIL'}
# A TAP result line with a SKIP directive: "ok 3 /a/b # SKIP reason".
SKIP_LINE = re.compile(r'^\s*(not )?ok\b.*#\s*skip', re.IGNORECASE)
TAIL_LINES = 25
total_passed = total_failed = 0

for builddir in sys.argv[1:]:
    name = os.path.basename(builddir)
    marker = os.path.join(builddir, '.build-failed')
    if os.path.exists(marker):
        with open(marker) as f:
            step = f.read().strip()
        print(f'{name}: {step} failed, no tests ran')
        total_failed += 1
        continue

    # meson names the log after the test setup (testlog-xvfb.json).
    logs = sorted(glob.glob(os.path.join(builddir, 'meson-logs',
                                         'testlog*.json')))
    passed = failed = 0
    failures = []
    for log in logs:
        with open(log, encoding='utf-8', errors='replace') as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    failed += 1
                    failures.append(f'unreadable line in {log}')
                    continue
                result = entry.get('result')
                # meson reports a TAP program whose subtest called
                # g_test_skip as OK: a skipped subtest fails it here.
                skipped = [l.strip() for l in
                           (entry.get('stdout') or '').splitlines()
                           if SKIP_LINE.match(l)]
                if result in PASSED and not skipped:
                    passed += 1
                else:
                    failed += 1
                    failures.append(f'{entry.get("name")}: {result}')
                    # The end of its output: CI's log shows only its own
                    # last lines, and this is what says why.
                    for stream in ('stdout', 'stderr'):
                        output = (entry.get(stream) or '').splitlines()
                        failures.extend(f'    {stream}| {l}'
                                        for l in output[-TAIL_LINES:])
                    for l in skipped:
                        failures.append(f'{entry.get("name")}: skipped: {l}')
    # What the tests left in their scratch folder (run_build).
    scratch = os.path.join(builddir, '.scratch-left')
    if os.path.exists(scratch):
        with open(scratch) as f:
            left = f.read().split()
        if left:
            failed += 1
            failures.append('scratch left behind: ' + ' '.join(left[:10]))
        else:
            passed += 1

    if passed + failed == 0:
        print(f'{name}: no test results found')
        failed = 1
    for failure in failures:
        print(f'{name}: {failure}')
    print(f'{name}: {passed} passed, {failed} failed')
    total_passed += passed
    total_failed += failed

print(f'{total_passed} passed, {total_failed} failed')
sys.exit(1 if total_failed else 0)
PY
