#!/bin/bash
# run-bench.sh [BUILD_DIR | BENCH_BINARY] [bench-provision options...]
#
# The provisioning benchmark (tests/bench/bench-provision.c): the engine
# against a shell loop of curl and a single curl reusing its connection,
# 500 and 5,000 users, then 500 users under a 200-a-minute limit with the
# minute scaled to 1 s. It prints users/s and ratios; it asserts no
# wall-clock time and is not part of any test suite.
#
#   tests/bench/run-bench.sh build                  # builds, then runs
#   tests/bench/run-bench.sh build --sizes 500      # a quicker run
#   meson test -C build --benchmark --verbose       # the same through meson
#
# Needs curl (apt-get install -y curl); exits 77 (skipped) without it.
set -euo pipefail

target=${1:-build}
if [ $# -gt 0 ]; then
    shift
fi

if [ -d "$target" ]; then
    ninja -C "$target" tests/bench-provision >&2
    bench=$target/tests/bench-provision
else
    bench=$target
fi

if ! command -v curl >/dev/null 2>&1; then
    echo "$0: curl is not installed: apt-get install -y curl" >&2
    exit 77
fi

# The peer is on 127.0.0.1: never through a proxy from the environment.
export no_proxy='*'
exec "$bench" "$@"
